//! The project configuration (`tmd.toml`, docs/config.md) through the real
//! binary, in scratch projects with a `.git` folder: where it is looked
//! for (and where not), `--config`, `--no-config`, `--show-config`, its
//! errors, what enable / disable / deny / fail_on do, `--today` and
//! SOURCE_DATE_EPOCH, and that every command that compiles a model reads it.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tmd"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn tmd(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, &[], None)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// How many diagnostics with this code a human report holds (miette
/// puts the code on a line of its own).
fn code_lines(report: &str, code: &str) -> usize {
    report.lines().filter(|l| l.trim() == code).count()
}

/// A store with no flows (TMD103, line 3) and a medium threat with no
/// actor (TMD118 when enabled, at 7:8).
const MODEL: &str = "external user \"User\"
process api \"API\"
store old \"Old\"
flow user -> api \"Request\"
flow api -> user \"Response\"

threat T1 \"Session hijack\" on api {
  scenario: \"A stolen cookie is replayed\"
  stride:   S
  severity: medium
}
";

/// `TMP/proj` with `.git` and `models/a.tmd`; TMP is a fresh temporary
/// folder (outside any git repository), kept alive by the guard.
fn project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix(&format!("tmd-config-{name}"))
        .tempdir()
        .unwrap();
    let root = tmp.path().join("proj");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("models")).unwrap();
    std::fs::write(root.join("models/a.tmd"), MODEL).unwrap();
    (tmp, root)
}

fn write(path: PathBuf, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn without_tmd_toml_the_default_set_runs() {
    let (_tmp, root) = project("none");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("TMD103"), "{e}");
    assert!(!e.contains("TMD118"), "opt-in checks are off: {e}");
    assert!(e.contains("checked 1 file: 0 errors, 1 warning"), "{e}");
}

#[test]
fn tmd_toml_at_the_root_is_found_from_a_subfolder() {
    let (_tmp, root) = project("root");
    write(
        root.join("tmd.toml"),
        "[checks]\nenable = [\"TMD118\"]\ndisable = [\"TMD103\"]\n",
    );
    // From the root, from inside models/, and by an absolute path.
    let abs = root.join("models/a.tmd");
    for (dir, file) in [
        (root.clone(), "models/a.tmd"),
        (root.join("models"), "a.tmd"),
        (std::env::temp_dir(), abs.to_str().unwrap()),
    ] {
        let o = tmd(&dir, &["check", "--format", "short", file]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let s = out(&o);
        assert!(!s.contains("TMD103"), "disabled: {s}");
        assert!(
            s.contains(":7:8: warning[TMD118]: threat `T1` has no actor"),
            "{s}"
        );
    }
}

#[test]
fn the_nearest_tmd_toml_wins_and_nothing_above_the_root_is_read() {
    let (tmp, root) = project("nearest");
    // Above the project root: never read, however broken.
    write(tmp.path().join("tmd.toml"), "this is not = toml [\n");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("TMD103"), "{}", err(&o));
    assert!(!err(&o).contains("TMD015"), "{}", err(&o));
    // The nearest file is the whole configuration: no merging with the
    // root's.
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n");
    write(
        root.join("models/tmd.toml"),
        "[checks]\nenable = [\"TMD119\"]\n",
    );
    let o = tmd(&root, &["check", "--format", "short", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("warning[TMD103]"), "{}", out(&o));
}

#[test]
fn without_git_only_the_models_own_folder_is_searched() {
    let tmp = tempfile::Builder::new()
        .prefix("tmd-config-nogit")
        .tempdir()
        .unwrap();
    if Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(tmp.path())
        .output()
        .is_ok_and(|o| o.status.success())
    {
        support::skip::skipped("the temporary folder is inside a git repository");
        return;
    }
    write(tmp.path().join("m/a.tmd"), MODEL);
    write(tmp.path().join("tmd.toml"), "broken = [\n");
    let o = tmd(tmp.path(), &["check", "m/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    write(
        tmp.path().join("m/tmd.toml"),
        "[checks]\ndisable = [\"TMD103\"]\n",
    );
    let o = tmd(tmp.path(), &["check", "m/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("no problems"), "{}", err(&o));
}

#[test]
fn standard_input_searches_from_the_current_folder() {
    let (_tmp, root) = project("stdin");
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n");
    let o = run(&root.join("models"), &["check", "-"], &[], Some(MODEL));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("no problems"), "{}", err(&o));
    // From a folder outside the project, the project's file is not read.
    let o = run(&std::env::temp_dir(), &["check", "-"], &[], Some(MODEL));
    assert!(err(&o).contains("TMD103"), "{}", err(&o));
}

#[test]
fn config_flag_and_no_config() {
    let (tmp, root) = project("flags");
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n");
    write(
        tmp.path().join("elsewhere.toml"),
        "[checks]\nenable = [\"TMD118\"]\n",
    );
    let other = tmp.path().join("elsewhere.toml");
    let o = tmd(
        &root,
        &[
            "check",
            "--format",
            "short",
            "--config",
            other.to_str().unwrap(),
            "models/a.tmd",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let s = out(&o);
    assert!(s.contains("TMD103") && s.contains("TMD118"), "{s}");
    let o = tmd(
        &root,
        &["check", "--format", "short", "--no-config", "models/a.tmd"],
    );
    let s = out(&o);
    assert!(s.contains("TMD103") && !s.contains("TMD118"), "{s}");
    // A --config file that cannot be read is a usage error.
    let o = tmd(&root, &["check", "--config", "nope.toml", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("nope.toml"), "{}", err(&o));
    let o = tmd(&root, &["check", "--config", "models", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("`models` is a folder, not a configuration file"),
        "{}",
        err(&o)
    );
    let o = tmd(
        &root,
        &["check", "--config", "x.toml", "--no-config", "models/a.tmd"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn an_unknown_key_is_an_error_in_tmd_toml_with_did_you_mean() {
    let (_tmp, root) = project("unknown");
    write(
        root.join("tmd.toml"),
        "fail-on = \"high\"\n\n[checks]\nenable = [\"TMD181\"]\n",
    );
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("unknown key `fail-on` in tmd.toml"), "{e}");
    assert!(e.contains("did you mean `fail_on`?"), "{e}");
    assert!(e.contains("tmd.toml:1:1"), "{e}");
    assert!(e.contains("unknown check `TMD181`"), "{e}");
    assert!(e.contains("did you mean `TMD118`?"), "{e}");
    assert!(e.contains("tmd.toml:4:11"), "{e}");
    assert!(
        e.contains("`models/a.tmd` not checked: its project configuration `tmd.toml` has errors"),
        "{e}"
    );
    assert!(!e.contains("TMD103"), "the model is not checked: {e}");
    // The machine formats carry the configuration's diagnostics too.
    let o = tmd(&root, &["check", "--format", "json", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(json["errors"], 2, "{json}");
    assert_eq!(json["diagnostics"][0]["file"], "tmd.toml");
    assert_eq!(json["diagnostics"][0]["code"], "TMD015");
    let o = tmd(&root, &["check", "--format", "sarif", "models/a.tmd"]);
    assert!(out(&o).contains("\"ruleId\": \"TMD015\""), "{}", out(&o));
    // A wrong type too.
    write(root.join("tmd.toml"), "fail_on = 3\n");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("`fail_on` takes a string, not an integer"),
        "{}",
        err(&o)
    );
}

#[test]
fn show_config_says_where_each_value_came_from() {
    let (_tmp, root) = project("show");
    write(
        root.join("tmd.toml"),
        "fail_on = \"medium\"\nrisk = \"owasp\"\n[checks]\nenable = [\"TMD118\"]\ndeny = [\"TMD103\"]\n",
    );
    let o = tmd(
        &root,
        &[
            "check",
            "--show-config",
            "--today",
            "2025-01-31",
            "models/a.tmd",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "models/a.tmd: configuration `tmd.toml`
  fail_on         medium      tmd.toml:1:11
  risk            owasp       tmd.toml:2:8
  classification  not set     default
  sensitive       not set     default
  enable          TMD118      tmd.toml:4:11
  disable         none        default
  deny            TMD103      tmd.toml:5:9
  today           2025-01-31  --today
"
    );
    // The command line wins; the JSON form says the same.
    let o = run(
        &root,
        &[
            "check",
            "--show-config",
            "--format",
            "json",
            "--fail-on",
            "high",
            "--no-config",
            "models/a.tmd",
        ],
        &[("SOURCE_DATE_EPOCH", "86400")],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let json: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["file"], "models/a.tmd");
    assert_eq!(file["configuration"], serde_json::Value::Null);
    assert_eq!(file["settings"]["fail_on"]["value"], "high");
    assert_eq!(file["settings"]["fail_on"]["source"], "--fail-on");
    assert_eq!(file["settings"]["enable"]["value"], serde_json::json!([]));
    assert_eq!(file["settings"]["today"]["value"], "1970-01-02");
    assert_eq!(file["settings"]["today"]["source"], "SOURCE_DATE_EPOCH");
    // Where none is found, it says where it looked.
    std::fs::remove_file(root.join("tmd.toml")).unwrap();
    let o = tmd(&root, &["check", "--show-config", "models/a.tmd"]);
    let s = out(&o);
    assert!(
        s.starts_with(
            "models/a.tmd: no tmd.toml in `models` or above it up to the project root `.`\n"
        ),
        "{s}"
    );
    assert!(s.contains("system clock (UTC)"), "{s}");
    // A broken file: its errors, exit 1.
    write(root.join("tmd.toml"), "[checks]\ndisabel = []\n");
    let o = tmd(&root, &["check", "--show-config", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("did you mean `disable`?"), "{}", err(&o));
}

#[test]
fn opt_in_checks_fire_only_when_enabled() {
    let (_tmp, root) = project("optin");
    let no_stride = MODEL.replace("  stride:   S\n", "");
    write(root.join("models/b.tmd"), &no_stride);
    let o = tmd(&root, &["check", "--format", "short", "models/b.tmd"]);
    assert!(!out(&o).contains("TMD119"), "{}", out(&o));
    write(root.join("tmd.toml"), "[checks]\nenable = [\"TMD119\"]\n");
    let o = tmd(&root, &["check", "--format", "short", "models/b.tmd"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("b.tmd:7:8: warning[TMD119]: threat `T1` has no STRIDE letters"),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("TMD118"), "{}", out(&o));
}

#[test]
fn deny_makes_a_warning_fail_the_check() {
    let (_tmp, root) = project("deny");
    write(root.join("tmd.toml"), "[checks]\ndeny = [\"TMD103\"]\n");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("× `old` has no flows"),
        "reported as an error: {e}"
    );
    assert!(e.contains("denied in `tmd.toml`"), "{e}");
    assert!(e.contains("checked 1 file: 1 error, 0 warnings"), "{e}");
    // Denied opt-in codes run.
    write(root.join("tmd.toml"), "[checks]\ndeny = [\"TMD118\"]\n");
    let o = tmd(&root, &["check", "--format", "short", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("error[TMD118]"), "{}", out(&o));
    assert!(out(&o).contains("warning[TMD103]"), "{}", out(&o));
    // tmd build: the outputs are written, and the build fails.
    let o = tmd(&root, &["build", "models/a.tmd", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(root.join("out/a.svg").exists());
    assert!(
        err(&o).contains("× threat `T1` has no actor"),
        "{}",
        err(&o)
    );
    // Other commands print it as the warning it is, and write their output.
    let o = tmd(&root, &["export", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        err(&o).contains("⚠ threat `T1` has no actor"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("denied"), "{}", err(&o));
}

#[test]
fn disable_silences_and_a_suppression_of_a_check_that_does_not_run_is_not_unused() {
    let (_tmp, root) = project("disable");
    let model = MODEL
        .replace(
            "store old \"Old\"",
            "store old \"Old\"  # tmd: allow TMD103",
        )
        .replace(
            "threat T1 \"Session hijack\" on api {",
            "threat T1 \"Session hijack\" on api {  # tmd: allow TMD118",
        );
    write(root.join("models/a.tmd"), &model);
    // TMD118 is off by default: its suppression is not reported unused.
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert!(err(&o).contains("no problems"), "{}", err(&o));
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert!(err(&o).contains("no problems"), "{}", err(&o));
    // Disabling TMD112 silences the unused suppressions themselves.
    write(
        root.join("models/a.tmd"),
        &MODEL.replace(
            "process api \"API\"",
            "process api \"API\"  # tmd: allow TMD105",
        ),
    );
    let o = tmd(&root, &["check", "--format", "short", "models/a.tmd"]);
    assert!(out(&o).contains("TMD112"), "{}", out(&o));
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD112\"]\n");
    let o = tmd(&root, &["check", "--format", "short", "models/a.tmd"]);
    assert!(!out(&o).contains("TMD112"), "{}", out(&o));
    assert!(out(&o).contains("TMD103"), "{}", out(&o));
}

#[test]
fn fail_on_from_tmd_toml_and_the_command_line_wins() {
    let (_tmp, root) = project("failon");
    write(root.join("tmd.toml"), "fail_on = \"medium\"\n");
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("1 open threat(s) at or above `medium` (fail_on in `tmd.toml`)"),
        "{e}"
    );
    assert!(
        e.contains("models/a.tmd: T1 \"Session hijack\" (medium) on api"),
        "{e}"
    );
    let o = tmd(&root, &["check", "--fail-on", "high", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = tmd(&root, &["build", "models/a.tmd", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let o = tmd(
        &root,
        &["build", "models/a.tmd", "-o", "out", "--fail-on", "high"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // A denied warning does not hide the threats that fail.
    write(
        root.join("tmd.toml"),
        "fail_on = \"medium\"\n[checks]\ndeny = [\"TMD103\"]\n",
    );
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("models/a.tmd: T1 \"Session hijack\""),
        "{}",
        err(&o)
    );
}

#[test]
fn today_comes_from_the_flag_the_environment_or_the_clock() {
    let (_tmp, root) = project("today");
    for bad in ["2025-02-30", "31/01/2025", "2025-1-5", "tomorrow"] {
        let o = tmd(&root, &["check", "--today", bad, "models/a.tmd"]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", err(&o));
        assert!(err(&o).contains("--today"), "{}", err(&o));
        assert!(err(&o).contains("YYYY-MM-DD"), "{}", err(&o));
    }
    let o = run(
        &root,
        &["export", "models/a.tmd"],
        &[("SOURCE_DATE_EPOCH", "soon")],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("SOURCE_DATE_EPOCH"), "{}", err(&o));
    // --today wins over SOURCE_DATE_EPOCH.
    let o = run(
        &root,
        &[
            "check",
            "--show-config",
            "--today",
            "2024-02-29",
            "models/a.tmd",
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        None,
    );
    assert!(
        out(&o).contains("today           2024-02-29  --today"),
        "{}",
        out(&o)
    );
    let o = run(
        &root,
        &["check", "--show-config", "models/a.tmd"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        None,
    );
    assert!(
        out(&o).contains("today           2023-11-14  SOURCE_DATE_EPOCH"),
        "{}",
        out(&o)
    );
    // Every command that compiles takes --today.
    for cmd in [
        "check", "export", "render", "report", "table", "fmt", "build", "md", "diff",
    ] {
        let o = tmd(&root, &[cmd, "--help"]);
        assert!(out(&o).contains("--today <DATE>"), "{cmd}");
        assert!(out(&o).contains("--config <FILE>"), "{cmd}");
        assert!(out(&o).contains("--no-config"), "{cmd}");
    }
}

#[test]
fn every_command_that_compiles_reads_the_configuration() {
    let (_tmp, root) = project("every");
    write(
        root.join("docs/page.md"),
        &format!("# Page\n\n```tmd file=../models/a.tmd\n```\n\n```tmd\n{MODEL}```\n"),
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["export", "models/a.tmd"],
        vec!["render", "models/a.tmd"],
        vec!["report", "models/a.tmd"],
        vec!["table", "models/a.tmd"],
        vec!["build", "models/a.tmd", "-o", "out"],
        vec!["md", "docs/page.md"],
    ];
    // By default each prints TMD103; disabled, none does.
    for cmd in &commands {
        let o = tmd(&root, cmd);
        assert!(err(&o).contains("TMD103"), "{cmd:?}: {}", err(&o));
    }
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n");
    for cmd in &commands {
        let o = tmd(&root, cmd);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", err(&o));
        assert!(!err(&o).contains("TMD103"), "{cmd:?}: {}", err(&o));
    }
    // A broken tmd.toml stops every one of them, and fmt and diff too.
    write(root.join("tmd.toml"), "[checks]\ndisable = [\"TMD301\"]\n");
    let mut all = commands.clone();
    all.push(vec!["fmt", "--check", "models/a.tmd"]);
    all.push(vec!["diff", "models/a.tmd", "models/a.tmd"]);
    for cmd in &all {
        let o = tmd(&root, cmd);
        assert_ne!(o.status.code(), Some(0), "{cmd:?}: {}", err(&o));
        assert!(err(&o).contains("TMD015"), "{cmd:?}: {}", err(&o));
        assert!(err(&o).contains("did you mean"), "{cmd:?}: {}", err(&o));
        // Said once, however many fences or sides meet it.
        assert_eq!(code_lines(&err(&o), "TMD015"), 1, "{cmd:?}: {}", err(&o));
    }
}

#[test]
fn a_markdown_fence_uses_its_pages_folder_and_a_file_model_its_own() {
    let (_tmp, root) = project("md");
    // docs/tmd.toml governs the page's own fence; models/tmd.toml the
    // file= model.
    write(
        root.join("docs/page.md"),
        &format!("# Page\n\n```tmd file=../models/a.tmd\n```\n\n```tmd\n{MODEL}```\n"),
    );
    write(
        root.join("docs/tmd.toml"),
        "[checks]\nenable = [\"TMD119\"]\n",
    );
    write(
        root.join("models/tmd.toml"),
        "[checks]\nenable = [\"TMD118\"]\n",
    );
    let inline_no_stride = MODEL.replace("  stride:   S\n", "");
    write(
        root.join("docs/page.md"),
        &format!("# Page\n\n```tmd file=../models/a.tmd\n```\n\n```tmd\n{inline_no_stride}```\n"),
    );
    let o = tmd(&root, &["md", "--check", "docs/page.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let e = err(&o);
    // The file model: TMD118 (its folder's), not TMD119.
    assert_eq!(code_lines(&e, "TMD118"), 1, "{e}");
    // The page's fence: TMD119 (the page folder's).
    assert_eq!(code_lines(&e, "TMD119"), 1, "{e}");
    assert!(e.contains("docs/page.md:13:8"), "{e}");
}

#[test]
fn rev_path_searches_from_the_current_folder() {
    if !support::skip::have("git", &["--version"], "apt-get install git") {
        return;
    }
    let (_tmp, root) = project("rev");
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&root)
            .env("HOME", &root)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", err(&o));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-qm",
        "m",
    ]);
    // A broken tmd.toml beside the model, none at the root.
    write(root.join("models/tmd.toml"), "oops = 1\n");
    let o = tmd(&root, &["diff", "HEAD:models/a.tmd", "HEAD:models/a.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = tmd(&root, &["diff", "HEAD:models/a.tmd", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("unknown key `oops`"), "{}", err(&o));
}

#[cfg(unix)]
#[test]
fn a_tmd_toml_that_leads_out_of_the_project_is_refused() {
    let (tmp, root) = project("symlink");
    write(
        tmp.path().join("outside.toml"),
        "[checks]\ndisable = [\"TMD103\"]\n",
    );
    std::os::unix::fs::symlink(tmp.path().join("outside.toml"), root.join("tmd.toml")).unwrap();
    let o = tmd(&root, &["check", "models/a.tmd"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("leads outside the project root"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("no problems"), "{}", err(&o));
}

#[test]
fn explain_says_which_checks_are_opt_in() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for code in ["TMD118", "TMD119"] {
        let o = tmd(here, &["explain", code]);
        let first = out(&o).lines().next().unwrap_or_default().to_string();
        assert!(
            first.contains("warning, opt-in: off unless enabled in tmd.toml"),
            "{first}"
        );
    }
    let o = tmd(here, &["explain", "TMD106"]);
    assert!(!out(&o).contains("opt-in"), "{}", out(&o));
    let list = out(&tmd(here, &["explain", "--list"]));
    let line = |code: &str| {
        list.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("TMD118").ends_with("(opt-in)"), "{list}");
    assert!(!line("TMD106").contains("opt-in"), "{list}");
    // SARIF says so too: the rule is not enabled by default.
    let (_tmp, root) = project("sarif");
    let o = tmd(&root, &["check", "--format", "sarif", "models/a.tmd"]);
    let log: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = |code: &str| rules.iter().find(|r| r["id"] == code).unwrap().clone();
    assert_eq!(rule("TMD118")["defaultConfiguration"]["enabled"], false);
    assert_eq!(rule("TMD106")["defaultConfiguration"]["enabled"], true);
}

#[test]
fn the_mdbook_preprocessor_reads_the_chapters_configuration() {
    let (_tmp, root) = project("mdbook");
    let book = |content: &str| {
        let context = serde_json::json!({
            "root": root.display().to_string(),
            "config": {"book": {"title": "T", "src": "src"}, "preprocessor": {"tmd": {}}},
            "renderer": "html",
            "mdbook_version": "0.4.40",
        });
        let chapter = serde_json::json!({"Chapter": {
            "name": "Intro", "content": content, "number": [1], "sub_items": [],
            "path": "intro.md", "source_path": "intro.md", "parent_names": [],
        }});
        serde_json::to_string(&serde_json::json!([context, {"sections": [chapter]}])).unwrap()
    };
    let page = format!("# Intro\n\n```tmd\n{MODEL}```\n");
    let o = run(&root, &["mdbook"], &[], Some(&book(&page)));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("TMD103"), "{}", err(&o));
    write(
        root.join("src/tmd.toml"),
        "[checks]\ndisable = [\"TMD103\"]\n",
    );
    let o = run(&root, &["mdbook"], &[], Some(&book(&page)));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!err(&o).contains("TMD103"), "{}", err(&o));
    write(
        root.join("src/tmd.toml"),
        "[checks]\ndisable = [\"TMD103\"]\nx = 1\n",
    );
    let o = run(&root, &["mdbook"], &[], Some(&book(&page)));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("unknown key `x`"), "{}", err(&o));
    assert!(err(&o).contains("src/tmd.toml:3:1"), "{}", err(&o));
}

#[test]
fn hostile_text_in_tmd_toml_reaches_no_terminal_raw() {
    let (_tmp, root) = project("hostile");
    write(
        root.join("tmd.toml"),
        "\"\\u001b]0;owned\\u0007\\u202e\" = 1\n[checks]\nenable = [\"\\u001b[2J\\u2066x\"]\ndeny = [\"\\u0000\"]\n",
    );
    for format in ["human", "short", "json", "sarif"] {
        let o = tmd(&root, &["check", "--format", format, "models/a.tmd"]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", err(&o));
        for text in [out(&o), err(&o)] {
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{0}', '\u{202e}', '\u{2066}']),
                "{format}: {text:?}"
            );
        }
        if format != "human" {
            let all = out(&o);
            assert!(all.contains("<U+202E>"), "{format}: {all}");
        }
    }
}

#[test]
fn git_external_diff_reads_the_configuration_of_the_files_folder() {
    let (tmp, root) = project("external");
    let old = tmp.path().join("old.tmd");
    std::fs::write(&old, MODEL).unwrap();
    let args = [
        "diff",
        "--git-external",
        "--",
        "models/a.tmd",
        old.to_str().unwrap(),
        "abc",
        "100644",
        "models/a.tmd",
        "def",
        "100644",
    ];
    let o = tmd(&root, &args);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        out(&o).contains("no semantic change") || !out(&o).contains("error"),
        "{}",
        out(&o)
    );
    write(root.join("models/tmd.toml"), "[checks]\nenabel = []\n");
    let o = tmd(&root, &args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "git's driver exits 0: {}",
        err(&o)
    );
    let s = out(&o);
    assert!(
        s.contains("`models/tmd.toml` has errors (no semantic diff"),
        "{s}"
    );
    assert!(
        s.contains("models/tmd.toml:2:1: error[TMD015]: unknown key `enabel` in [checks]"),
        "{s}"
    );
}

/// `risk = "owasp"` in tmd.toml rates the models that have no `risk`
/// header on OWASP's scale, in every command; a model's own header wins,
/// and without the configuration the OWASP fields are not the primer's.
#[test]
fn the_project_risk_scale_rates_models_without_a_header() {
    let (_tmp, root) = project("risk");
    write(root.join("tmd.toml"), "risk = \"owasp\"\n");
    let owasp = "external user \"User\"
process api \"API\"
flow user -> api \"Request\"
flow api -> user \"Response\"

threat T1 \"Card testing\" on api {
  scenario: \"Bots try stolen cards\"
  stride: S
  likelihood: high
  impact: high
  mitigation: \"Rate limits\"
}
";
    write(root.join("models/b.tmd"), owasp);
    let o = tmd(&root, &["check", "models/b.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = tmd(&root, &["table", "--format", "csv", "models/b.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let table = out(&o);
    assert!(table.contains("Likelihood"), "{table}");
    assert!(table.contains(",critical,high,"), "{table}");
    let o = tmd(&root, &["export", "models/b.tmd"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["meta"]["risk"], "owasp");
    assert_eq!(v["threats"][0]["scale_severity"], "critical");
    // Without the configuration the fields belong to another scale.
    let o = tmd(&root, &["check", "--no-config", "models/b.tmd"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("TMD108"), "{}", err(&o));
    assert!(err(&o).contains("risk owasp"), "{}", err(&o));
    // The model's own header wins over the project's default.
    write(
        root.join("models/c.tmd"),
        &owasp
            .replace("likelihood: high", "ease: easy")
            .replace("impact: high", "impact: problematic")
            .replace("external user", "risk primer\nexternal user"),
    );
    let o = tmd(&root, &["export", "models/c.tmd"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["meta"]["risk"], "primer");
    assert_eq!(v["threats"][0]["severity"], "high");
}
