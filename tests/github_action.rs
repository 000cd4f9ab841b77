//! The GitHub Action (action.yml, ci/github/tmd-pr.py) end to end: the real
//! script and the real tmd binary on a real git repository with base and
//! head commits, against a stand-in for GitHub's REST API on 127.0.0.1 that
//! answers as GitHub does (issue comments listed 100 a page with a `Link`
//! header, created with POST, updated with PATCH; 401 without the token)
//! and records every request. Also action.yml's structure against the
//! inputs docs/review.md documents.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::pr::{git, repository, Repo};
use support::standin::{Request, Response, Server};

const TOKEN: &str = "ghs_test-token";
const MARKER: &str = "<!-- tmd-diff-comment -->";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn have_tools() -> bool {
    support::skip::have("git", &["--version"], "apt-get install git")
        && support::skip::have("python3", &["--version"], "apt-get install python3")
}

// ---------------------------------------------------------------------------
// The stand-in for GitHub's issue comments API.

#[derive(Clone)]
struct Comment {
    id: u64,
    login: String,
    body: String,
}

#[derive(Default)]
struct GitHub {
    comments: Vec<Comment>,
    next_id: u64,
}

fn comment_json(c: &Comment, base: &str) -> Value {
    json!({
        "id": c.id,
        "node_id": format!("IC_{}", c.id),
        "url": format!("{base}/repos/acme/shop/issues/comments/{}", c.id),
        "html_url": format!("https://github.com/acme/shop/pull/7#issuecomment-{}", c.id),
        "body": c.body,
        "user": { "login": c.login, "id": 1, "type": if c.login.ends_with("[bot]") { "Bot" } else { "User" } },
        "created_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
        "author_association": "NONE",
    })
}

fn message(status: u16, text: &str) -> Response {
    Response::json(
        status,
        &json!({ "message": text, "documentation_url": "https://docs.github.com/rest", "status": status.to_string() }),
    )
}

/// GitHub's answers for the routes the script uses, for pull request 7 of
/// acme/shop.
fn answer(state: &Mutex<GitHub>, req: &Request, base: &str) -> Response {
    if req.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
        return message(401, "Bad credentials");
    }
    let Ok(mut gh) = state.lock() else {
        return message(500, "poisoned");
    };
    let path = req.path();
    let body_of = |req: &Request| -> Option<String> {
        if !req
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
        {
            return None;
        }
        let v = req.json()?;
        let object = v.as_object()?;
        if object.len() != 1 {
            return None;
        }
        Some(object.get("body")?.as_str()?.to_string())
    };
    match (req.method.as_str(), path) {
        ("GET", "/repos/acme/shop/issues/7/comments") => {
            let per_page: usize = req
                .query("per_page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(30)
                .min(100);
            let page: usize = req
                .query("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1);
            let total = gh.comments.len();
            let last = total.div_ceil(per_page).max(1);
            let items: Vec<Value> = gh
                .comments
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|c| comment_json(c, base))
                .collect();
            let mut response = Response::json(200, &Value::Array(items));
            if page < last {
                let link = |p: usize| {
                    format!("{base}/repos/acme/shop/issues/7/comments?per_page={per_page}&page={p}")
                };
                response = response.with_header(
                    "Link",
                    &format!(
                        "<{}>; rel=\"next\", <{}>; rel=\"last\"",
                        link(page + 1),
                        link(last)
                    ),
                );
            }
            response
        }
        ("POST", "/repos/acme/shop/issues/7/comments") => {
            let Some(body) = body_of(req) else {
                return message(422, "Invalid request.");
            };
            gh.next_id += 1;
            let c = Comment {
                id: gh.next_id,
                login: "github-actions[bot]".into(),
                body,
            };
            gh.comments.push(c.clone());
            Response::json(201, &comment_json(&c, base))
        }
        ("PATCH", p) if p.starts_with("/repos/acme/shop/issues/comments/") => {
            let id: Option<u64> = p.rsplit('/').next().and_then(|s| s.parse().ok());
            let Some(body) = body_of(req) else {
                return message(422, "Invalid request.");
            };
            match gh.comments.iter_mut().find(|c| Some(c.id) == id) {
                Some(c) => {
                    c.body = body;
                    let c = c.clone();
                    Response::json(200, &comment_json(&c, base))
                }
                None => message(404, "Not Found"),
            }
        }
        _ => message(404, "Not Found"),
    }
}

struct Run {
    out: Output,
    outputs: String,
    summary: String,
}

fn run_script(
    repo: &Repo,
    server: &Server,
    head: &str,
    token: &str,
    extra: &[(&str, &str)],
) -> Run {
    git(&repo.dir, &["checkout", "-q", head]);
    let event = repo.dir.join("../event.json");
    let event = event.with_file_name(format!(
        "{}-event.json",
        repo.dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(
        &event,
        json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "number": 7,
                "base": { "sha": repo.base, "ref": "main", "repo": { "full_name": "acme/shop" } },
                "head": { "sha": head, "ref": "feature", "repo": { "full_name": "acme/shop" } },
            }
        })
        .to_string(),
    )
    .unwrap();
    let outputs = event.with_extension("outputs");
    let summary = event.with_extension("summary");
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("ci/github/tmd-pr.py"))
        .current_dir(&repo.dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("GITHUB_API_URL", &server.url)
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_TOKEN", token)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("TMD_BIN", env!("CARGO_BIN_EXE_tmd"))
        .env("TMD_PATHS", "**/*.tmd\n!vendor/**");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        out,
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
    }
}

fn log(run: &Run) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        run.out.status.code(),
        String::from_utf8_lossy(&run.out.stdout),
        String::from_utf8_lossy(&run.out.stderr)
    )
}

fn start(state: &Arc<Mutex<GitHub>>) -> Server {
    let s = Arc::clone(state);
    Server::start(move |req, base| answer(&s, req, base))
}

/// Someone else's comments: 105 of them (two pages), one of which quotes
/// the marker below its first line.
fn others() -> Arc<Mutex<GitHub>> {
    let mut gh = GitHub {
        next_id: 1000,
        ..GitHub::default()
    };
    for i in 0..105 {
        let body = if i == 50 {
            format!("Why does the bot write\n{MARKER}\nin its comment?")
        } else {
            format!("Looks good ({i})")
        };
        gh.comments.push(Comment {
            id: 100 + i,
            login: "octocat".into(),
            body,
        });
    }
    Arc::new(Mutex::new(gh))
}

#[test]
fn one_comment_is_created_then_updated_and_others_are_left_alone() {
    if !have_tools() {
        return;
    }
    let repo = repository("comment");
    let state = others();
    let server = start(&state);
    let before: Vec<(u64, String)> = state
        .lock()
        .unwrap()
        .comments
        .iter()
        .map(|c| (c.id, c.body.clone()))
        .collect();

    // First push: a broken model among the changed ones.
    let first = run_script(&repo, &server, &repo.head1, TOKEN, &[]);
    assert_eq!(first.out.status.code(), Some(1), "{}", log(&first));
    let stdout = String::from_utf8_lossy(&first.out.stdout);
    assert!(
        stdout.contains("::error title=tmd::tmd check"),
        "{}",
        log(&first)
    );
    // The SARIF log holds the broken model's errors.
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.dir.join("tmd.sarif")).unwrap())
            .unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"legacy/old.tmd"), "{uris:?}");
    assert!(!uris.iter().any(|u| u.starts_with("vendor/")), "{uris:?}");
    assert!(
        first.outputs.contains("sarif=tmd.sarif\n"),
        "{}",
        first.outputs
    );
    assert!(first.outputs.contains("files=2\n"), "{}", first.outputs);

    let requests = server.requests();
    let posts: Vec<&Request> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 1, "one comment created");
    assert!(
        requests.iter().all(|r| r.method != "PATCH"),
        "nothing updated"
    );
    // Both pages were read before creating.
    assert!(requests
        .iter()
        .any(|r| r.method == "GET" && r.query("page") == Some("2")));
    for r in &requests {
        assert_eq!(r.header("authorization"), Some(&*format!("Bearer {TOKEN}")));
        assert_eq!(r.header("accept"), Some("application/vnd.github+json"));
    }
    let created = {
        let gh = state.lock().unwrap();
        assert_eq!(gh.comments.len(), 106);
        gh.comments.last().unwrap().clone()
    };
    assert!(created.body.starts_with(MARKER), "{}", created.body);
    // The other files are reported in full, the broken one with its errors.
    assert!(created.body.contains("shop.tmd"), "{}", created.body);
    assert!(created.body.contains("legacy/old.tmd"), "{}", created.body);
    assert!(created.body.contains("TMD002"), "{}", created.body);
    assert!(
        !created.body.contains("vendor/theirs.tmd"),
        "{}",
        created.body
    );
    assert!(first
        .outputs
        .contains(&format!("issuecomment-{}", created.id)));
    assert!(
        first.summary.starts_with(MARKER),
        "the job summary holds the comment"
    );

    // Second push: the same comment is edited, none is added.
    let second = run_script(&repo, &server, &repo.head2, TOKEN, &[]);
    assert_eq!(second.out.status.code(), Some(0), "{}", log(&second));
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| r.method == "POST").count(), 1);
    let patches: Vec<&Request> = requests.iter().filter(|r| r.method == "PATCH").collect();
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patches[0].path(),
        format!("/repos/acme/shop/issues/comments/{}", created.id)
    );
    let updated = {
        let gh = state.lock().unwrap();
        assert_eq!(gh.comments.len(), 106, "no second comment");
        gh.comments.last().unwrap().clone()
    };
    assert_eq!(updated.id, created.id);
    assert_ne!(updated.body, created.body);
    assert!(updated.body.starts_with(MARKER));
    assert!(!updated.body.contains("TMD002"), "{}", updated.body);
    assert!(updated.body.contains("P1"), "{}", updated.body);

    // Someone else's comments, the one quoting the marker too, untouched.
    let after: Vec<(u64, String)> = state.lock().unwrap().comments[..105]
        .iter()
        .map(|c| (c.id, c.body.clone()))
        .collect();
    assert_eq!(before, after);

    // The same head again: nothing to change, no request that writes.
    let third = run_script(&repo, &server, &repo.head2, TOKEN, &[]);
    assert_eq!(third.out.status.code(), Some(0), "{}", log(&third));
    let writes = server
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(writes, 2);
    let _ = std::fs::remove_dir_all(&repo.dir);
}

#[test]
fn the_job_fails_as_asked() {
    if !have_tools() {
        return;
    }
    let repo = repository("gates");
    let state = others();
    let server = start(&state);
    let no_comment = ("TMD_COMMENT", "false");
    // head2: no error, a warning and an open high threat in legacy/old.tmd.
    let plain = run_script(&repo, &server, &repo.head2, TOKEN, &[no_comment]);
    assert_eq!(plain.out.status.code(), Some(0), "{}", log(&plain));
    for gate in [
        [("TMD_FAIL_ON", "high"), no_comment],
        [("TMD_DENY_WARNINGS", "true"), no_comment],
    ] {
        let run = run_script(&repo, &server, &repo.head2, TOKEN, &gate);
        assert_eq!(run.out.status.code(), Some(1), "{gate:?}: {}", log(&run));
    }
    let run = run_script(
        &repo,
        &server,
        &repo.head2,
        TOKEN,
        &[("TMD_FAIL_ON", "critical")],
    );
    assert_eq!(run.out.status.code(), Some(2), "{}", log(&run));
    assert!(server.requests().is_empty(), "comment: false posts nothing");

    // A token GitHub refuses: the job fails and says why; SARIF is still written.
    let _ = std::fs::remove_file(repo.dir.join("tmd.sarif"));
    let refused = run_script(&repo, &server, &repo.head2, "wrong", &[]);
    assert_eq!(refused.out.status.code(), Some(1), "{}", log(&refused));
    assert!(String::from_utf8_lossy(&refused.out.stdout).contains("HTTP 401"));
    assert!(repo.dir.join("tmd.sarif").exists());
    assert_eq!(state.lock().unwrap().comments.len(), 105);
    let _ = std::fs::remove_dir_all(&repo.dir);
}

/// action.yml parses, is a composite action, installs tmd with cargo from
/// its own path cached with actions/cache, runs the script, and declares
/// exactly the inputs docs/review.md documents.
#[test]
fn action_yml_declares_the_documented_inputs() {
    if !support::skip::have(
        "python3",
        &["-c", "import yaml"],
        "pip install pyyaml (pre-commit brings it)",
    ) {
        return;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(root().join("action.yml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let action: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let text = serde_json::to_string(steps).unwrap();
    assert!(steps.iter().any(|s| s["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("actions/cache@"))));
    assert!(text.contains("cargo install --locked --path \\\"$GITHUB_ACTION_PATH\\\""));
    assert!(text.contains("github.action_ref"));
    assert!(text.contains("ci/github/tmd-pr.py"));
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert_eq!(step["shell"], "bash", "a composite step names its shell");
    }
    // Every path the cache key hashes exists.
    for path in ["Cargo.toml", "Cargo.lock", "build.rs", "src", "grammar"] {
        assert!(root().join(path).exists(), "{path}");
    }
    let declared: Vec<String> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(
            input["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}"
        );
    }
    // docs/review.md's table of inputs: rows "| `name` | ...".
    let docs = std::fs::read_to_string(root().join("docs/review.md")).unwrap();
    let section = docs
        .split("<!-- action-inputs -->")
        .nth(1)
        .expect("docs/review.md marks the action's inputs table with <!-- action-inputs -->");
    let documented: Vec<String> = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect();
    assert_eq!(declared, documented);
    // The script the action runs is the one tested above.
    assert!(root().join("ci/github/tmd-pr.py").exists());
}

/// The `paths` globs (shared with the GitLab script): `**/` is any number
/// of folders, `*` stops at `/`, a glob without `/` matches in any
/// folder, `!glob` leaves out.
#[test]
fn paths_globs_match_as_documented() {
    if !support::skip::have("python3", &["--version"], "apt-get install python3") {
        return;
    }
    let script = r#"
import sys
sys.path.insert(0, sys.argv[1])
import tmd_review as r
inc, exc = r.patterns("**/*.tmd, !vendor/**\n docs/*.tmd\n")
def sel(p): return r.selected(p, inc, exc)
assert sel("a.tmd") and sel("x/y/a.tmd") and sel("docs/a.tmd")
assert not sel("vendor/a.tmd") and not sel("vendor/x/a.tmd") and not sel("a.tmd.bak")
inc, exc = r.patterns("docs/*.tmd")
assert sel("docs/a.tmd") and not sel("docs/x/a.tmd") and not sel("a.tmd")
inc, exc = r.patterns("*.tmd")
assert sel("deep/er/a.tmd") and not sel("a.tmdx")
inc, exc = r.patterns("models/**")
assert sel("models/a/b.tmd") and not sel("other/models/a.tmd")
try:
    r.patterns(" \n, !x")
    raise SystemExit("no include pattern accepted")
except r.UsageError:
    pass
print("ok")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(root().join("ci"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}
