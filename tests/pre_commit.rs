//! The hooks of `.pre-commit-hooks.yaml` (tmd-fmt, tmd-check) run by the
//! real pre-commit (PyPI; `.ci/run` installs it) in a scratch git
//! repository: a well-formatted good model commits, a badly formatted one
//! is formatted and the commit stopped, a model with errors blocks the
//! commit. The hooks are declared `language: rust` (pre-commit builds tmd
//! from the `rev` a user names, minutes of compiling); the test runs the
//! same hook definitions (id, entry, files, types) as a `repo: local`
//! configuration with `language: system` and the tmd this build made on
//! PATH, so it needs no network and no second build.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn hooks() -> Option<Value> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(root().join(".pre-commit-hooks.yaml"))
        .output()
        .ok()?;
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).ok()
}

struct Scratch {
    dir: PathBuf,
    path: std::ffi::OsString,
}

impl Scratch {
    fn run(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(&self.dir)
            .env("PATH", &self.path)
            .env("PRE_COMMIT_HOME", self.dir.join("../pre-commit-home"))
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn git(&self, args: &[&str]) -> Output {
        self.run("git", args)
    }

    fn commits(&self) -> usize {
        let out = self.git(&["rev-list", "--count", "--all"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }
}

const GOOD: &str = "title \"Shop\"\n\nexternal customer \"Customer\"\n\nprocess api \"API\"\n\nflow customer -> api \"Order\"\n";

#[test]
fn pre_commit_runs_the_hooks_on_staged_models() {
    if !support::skip::have("pre-commit", &["--version"], "pip install pre-commit")
        || !support::skip::have("git", &["--version"], "apt-get install git")
    {
        return;
    }
    let hooks = hooks().expect("python3 with yaml (pre-commit brings it)");
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["tmd-fmt", "tmd-check"]);
    for h in hooks {
        assert_eq!(h["language"], "rust", "pre-commit builds tmd with cargo");
        assert!(h["entry"].as_str().unwrap().starts_with("tmd "));
    }

    let base = support::scratch::Scratch::new("pre-commit");
    let dir = base.join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_tmd")).parent().unwrap();
    let mut paths = vec![bin_dir.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let scratch = Scratch {
        dir: dir.clone(),
        path: std::env::join_paths(paths).unwrap(),
    };
    assert!(scratch.git(&["init", "-q", "-b", "main"]).status.success());

    // The hooks as they are declared, run with the tmd on PATH. JSON is
    // YAML, so the configuration is written as JSON.
    let local: Vec<Value> = hooks
        .iter()
        .map(|h| {
            let mut h = h.clone();
            h["language"] = json!("system");
            h
        })
        .collect();
    let config = json!({ "repos": [ { "repo": "local", "hooks": local } ] });
    std::fs::write(dir.join(".pre-commit-config.yaml"), config.to_string()).unwrap();
    let install = scratch.run("pre-commit", &["install"]);
    assert!(install.status.success(), "{install:?}");
    scratch.git(&["add", ".pre-commit-config.yaml"]);

    // A good, formatted model: the commit goes through.
    std::fs::write(dir.join("shop.tmd"), GOOD).unwrap();
    scratch.git(&["add", "shop.tmd"]);
    let ok = scratch.git(&["commit", "-q", "-m", "good"]);
    assert!(ok.status.success(), "{ok:?}");
    assert_eq!(scratch.commits(), 1);

    // Badly formatted: tmd-fmt formats it and pre-commit stops the commit;
    // staged again, it goes through.
    let messy = GOOD.replace("process api \"API\"", "process   api   \"API\"  ");
    std::fs::write(dir.join("shop.tmd"), &messy).unwrap();
    scratch.git(&["add", "shop.tmd"]);
    let stopped = scratch.git(&["commit", "-q", "-m", "messy"]);
    let said = String::from_utf8_lossy(&stopped.stdout).to_string()
        + &String::from_utf8_lossy(&stopped.stderr);
    assert!(!stopped.status.success(), "{said}");
    assert!(
        said.contains("tmd fmt") && said.contains("files were modified by this hook"),
        "{said}"
    );
    assert_eq!(scratch.commits(), 1);
    assert_eq!(std::fs::read_to_string(dir.join("shop.tmd")).unwrap(), GOOD);
    scratch.git(&["add", "shop.tmd"]);
    // Formatted back to what HEAD has: nothing to commit; a real edit instead.
    let edited = GOOD.replace("\"Order\"", "\"Order, paid\"");
    std::fs::write(dir.join("shop.tmd"), &edited).unwrap();
    scratch.git(&["add", "shop.tmd"]);
    let ok = scratch.git(&["commit", "-q", "-m", "edit"]);
    assert!(ok.status.success(), "{ok:?}");
    assert_eq!(scratch.commits(), 2);

    // An error (a duplicate ID, a flow to nowhere): tmd-check blocks it.
    std::fs::write(
        dir.join("broken.tmd"),
        "title \"Broken\"\n\nprocess a \"A\"\n\nprocess a \"A again\"\n\nflow a -> nowhere \"x\"\n",
    )
    .unwrap();
    scratch.git(&["add", "broken.tmd"]);
    let blocked = scratch.git(&["commit", "-q", "-m", "broken"]);
    let said = String::from_utf8_lossy(&blocked.stdout).to_string()
        + &String::from_utf8_lossy(&blocked.stderr);
    assert!(!blocked.status.success(), "{said}");
    assert!(
        said.contains("tmd check") && said.contains("Failed"),
        "{said}"
    );
    assert!(said.contains("TMD002"), "{said}");
    assert_eq!(scratch.commits(), 2);
}
