//! Tests that run the real `tmd` binary and check stdout, stderr and the
//! exit status.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn tmd(args: &[&str]) -> Output {
    tmd_stdin(args, None)
}

fn tmd_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_dir(name: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("cli-{name}"))
}

const ACME: &str = "samples/acme-ecommerce.tmd";

#[test]
fn check_clean_file_with_a_warning_exits_0() {
    let o = tmd(&["check", ACME]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("TMD106"), "{err}");
    assert!(err.contains("acme-ecommerce.tmd:29:6"), "{err}");
    assert!(err.contains("checked 1 file: 0 errors, 1 warning"), "{err}");
    // Not a terminal: no colour escapes.
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn deny_warnings_exits_1() {
    let o = tmd(&["check", "--deny", "warnings", ACME]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn short_format() {
    let o = tmd(&["check", "--format", "short", ACME]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "samples/acme-ecommerce.tmd:29:6: warning[TMD106]: flow `wms->courier` crosses out of `warehouse` with no threat on it or its endpoints\n"
    );
}

#[test]
fn json_format() {
    let o = tmd(&[
        "check",
        "--format",
        "json",
        ACME,
        "tests/fixtures/diagnostics/TMD003-unknown-reference.tmd",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"], 2);
    assert_eq!(v["warnings"], 1);
    assert!(v["errors"].as_u64().unwrap() >= 1);
    let first = &v["diagnostics"][0];
    for key in [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["line"], 29);
    assert_eq!(first["column"], 6);
    assert_eq!(first["end_column"], 9);
}

#[test]
fn errors_exit_1_and_show_a_snippet_and_hint() {
    let dir = temp_dir("errors");
    let file = dir.join("bad.tmd");
    std::fs::write(&file, "process order_api\nprocess worker\nflow order_api -> order_apx\nflow worker -> order_api\nflow order_api -> worker\n").unwrap();
    let o = tmd(&["check", "--color", "never", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("TMD003"), "{err}");
    assert!(err.contains("unknown flow target `order_apx`"), "{err}");
    assert!(err.contains("did you mean `order_api`?"), "{err}");
    assert!(err.contains("3 │ flow order_api -> order_apx"), "{err}");
}

#[test]
fn all_resolution_errors_are_reported_in_one_run() {
    let o = tmd_stdin(
        &["check", "--format", "short", "-"],
        Some(b"flow a -> b\nflow c -> d\nthreat T on zz { actor: nobody, scenario: \"s\", stride: Q, severity: huge }\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.lines().count() >= 7, "{out}");
    assert!(out.starts_with("<stdin>:1:6: error[TMD003]"), "{out}");
}

#[test]
fn stdin_is_read_with_dash() {
    let o = tmd_stdin(
        &["check", "-"],
        Some(b"external a\nprocess b\nflow a -> b\nflow b -> a\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("no problems"));
}

#[test]
fn missing_file_exits_2() {
    let o = tmd(&["check", "no/such/file.tmd"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `no/such/file.tmd`: no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn directory_exits_2() {
    let o = tmd(&["check", "samples"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`samples` is a directory"));
}

#[test]
fn non_utf8_exits_2_naming_the_offset() {
    let dir = temp_dir("utf8");
    let file = dir.join("latin1.tmd");
    std::fs::write(&file, b"external e \"caf\xe9\"\n").unwrap();
    let o = tmd(&["check", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("is not UTF-8") && err.contains("byte offset 15"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tmd(&["check"]).status.code(), Some(2));
    assert_eq!(tmd(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        tmd(&["check", "--format", "xml", ACME]).status.code(),
        Some(2)
    );
}

#[test]
fn help_and_version() {
    let o = tmd(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("tmd "));
    for cmd in ["check", "explain", "export", "completions"] {
        let o = tmd(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        assert!(stdout(&o).contains("Usage: tmd"), "{cmd}");
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = tmd(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("check"), "{shell}");
    }
}

#[test]
fn explain_prints_docs() {
    let o = tmd(&["explain", "TMD106"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("# TMD106"), "{out}");
    assert!(
        out.contains("## Why it matters")
            && out.contains("## Example")
            && out.contains("## How to fix\n"),
        "{out}"
    );
    assert_eq!(stdout(&tmd(&["explain", "tmd106"])), out);
    assert_eq!(stdout(&tmd(&["explain", "unthreatened-crossing"])), out);
    let o = tmd(&["explain", "TMD999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_code_has_docs_and_is_listed() {
    let list = stdout(&tmd(&["explain", "--list"]));
    let rules: Vec<_> = tmd::checks::rules().collect();
    assert!(rules.len() >= 25);
    for rule in rules {
        assert!(list.contains(rule.code), "{} not listed", rule.code);
        let doc = rule.doc;
        assert!(!rule.summary().is_empty(), "{} has no summary", rule.code);
        for section in ["## What it finds", "## Why it matters", "## Example"] {
            assert!(doc.contains(section), "{} lacks `{section}`", rule.code);
        }
        // Errors are TMD0xx, warnings TMD1xx.
        let is_error = rule.code.starts_with("TMD0");
        assert_eq!(rule.level == tmd::diagnostic::Level::Error, is_error);
    }
}

#[test]
fn every_code_is_documented_in_the_language_guide() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/language.md"))
            .unwrap();
    for rule in tmd::checks::rules() {
        assert!(
            guide.contains(rule.code),
            "docs/language.md does not mention {}",
            rule.code
        );
    }
}

#[test]
fn export_prints_json() {
    let o = tmd(&["export", ACME]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema_version"], 2);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "meta",
            "elements",
            "boundaries",
            "flows",
            "actors",
            "threats",
            // Language 0.2: assumptions, controls, data assets, the risk
            // scale's definition.
            "assumptions",
            "controls",
            "classification",
            "assets",
            "scale"
        ]
    );
    // Warnings are shown on stderr, the JSON stays clean.
    assert!(stderr(&o).contains("TMD106"));
}

#[test]
fn export_refuses_a_model_with_errors() {
    let o = tmd(&[
        "export",
        "tests/fixtures/diagnostics/TMD003-unknown-reference.tmd",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
}

#[test]
fn export_writes_atomically_and_never_over_its_input() {
    let dir = temp_dir("export");
    let input = dir.join("m.tmd");
    std::fs::copy(ACME, &input).unwrap_or_else(|_| {
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(ACME), &input).unwrap()
    });
    let out = dir.join("m.json");
    let o = tmd(&[
        "export",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("\"schema_version\": 2"));
    let o = tmd(&[
        "export",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::read_to_string(&input)
        .unwrap()
        .starts_with("# The primer"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn output_is_deterministic() {
    let a = tmd(&["export", "samples/mobile-banking.tmd"]).stdout;
    let b = tmd(&["export", "samples/mobile-banking.tmd"]).stdout;
    assert_eq!(a, b);
}

// ---- one unreadable file does not hide the others

#[test]
fn an_unreadable_file_does_not_hide_the_others() {
    let dir = temp_dir("unreadable");
    let binary = dir.join("binary.tmd");
    std::fs::write(&binary, b"external a \xff\n").unwrap();
    let binary = binary.to_str().unwrap();
    // Human: every readable file's diagnostics, every read error, a
    // summary that does not claim success, exit 2.
    let o = tmd(&["check", ACME, "no/such/file.tmd", binary]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("TMD106"), "{err}");
    assert!(
        err.contains("cannot read `no/such/file.tmd`: no such file"),
        "{err}"
    );
    assert!(err.contains("is not UTF-8 text"), "{err}");
    assert!(
        err.contains("checked 1 file: 0 errors, 1 warning; 2 files could not be read"),
        "{err}"
    );
    assert!(!err.contains("no problems"), "{err}");
    // Short: the diagnostics on stdout, the read errors on stderr.
    let o = tmd(&["check", "--format", "short", "no/such/file.tmd", ACME]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("warning[TMD106]"), "{}", stdout(&o));
    assert!(stderr(&o).contains("cannot read `no/such/file.tmd`"));
    // JSON: the diagnostics, and an entry for each unreadable file.
    let o = tmd(&["check", "--format", "json", ACME, "no/such/file.tmd"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // `files` counts the files checked; `unreadable` the others.
    assert_eq!(v["files"], 1);
    assert_eq!(v["warnings"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "TMD106");
    assert_eq!(
        v["unreadable"],
        serde_json::json!([{
            "file": "no/such/file.tmd",
            "message": "cannot read `no/such/file.tmd`: no such file"
        }])
    );
    // Stdin that is not UTF-8, beside a readable file.
    let o = tmd_stdin(&["check", "--format", "json", "-", ACME], Some(b"\xff\xfe"));
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["unreadable"][0]["file"], "<stdin>");
    assert_eq!(v["diagnostics"][0]["code"], "TMD106");
    // A clean run says so, with an empty list.
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&tmd(&["check", "--format", "json", ACME]))).unwrap();
    assert_eq!(v["unreadable"], serde_json::json!([]));
}

#[test]
fn diff_reports_both_unreadable_sides() {
    let o = tmd(&["diff", "no/old.tmd", "no/new.tmd"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("cannot read `no/old.tmd`"), "{err}");
    assert!(err.contains("cannot read `no/new.tmd`"), "{err}");
}

// ---- `-f` is `--format` everywhere

/// Every `--format` of every command (and subcommand) has the short form
/// `-f`, so that a new command cannot forget it.
#[test]
fn every_format_option_has_the_short_form_f() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, found: &mut Vec<String>, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_id() == "format" || arg.get_long() == Some("format") {
                found.push(path.to_string());
                if arg.get_short() != Some('f') {
                    missing.push(path.to_string());
                }
            }
            // `-f` means nothing else anywhere.
            if arg.get_short() == Some('f') {
                assert_eq!(arg.get_long(), Some("format"), "{path}: -f is not --format");
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), found, missing);
        }
    }
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    // Built first: the subcommands' arguments are made when needed.
    let mut cli = tmd::cli::Cli::command();
    cli.build();
    walk(&cli, "tmd", &mut found, &mut missing);
    assert!(found.len() >= 5, "{found:?}");
    assert!(missing.is_empty(), "--format without -f: {missing:?}");
    // And it works.
    let o = tmd(&["check", "-f", "json", ACME]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"schema_version\""));
    let o = tmd(&["diff", "-f", "json", ACME, ACME]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"schema_version\""));
}

/// `-o -` writes to stdout, as a `-` input reads stdin, for every command
/// whose output defaults to stdout; no file called `-` appears.
#[test]
fn output_dash_is_stdout() {
    let dir = temp_dir("dash-output");
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(ACME);
    let model = model.to_str().unwrap();
    for (args, holds) in [
        (vec!["render", model, "-o", "-"], "<svg"),
        (vec!["render", model, "-f", "dot", "-o", "-"], "digraph "),
        (vec!["export", model, "-o", "-"], "\"schema_version\""),
        (vec!["table", model, "-o", "-"], "| ID"),
        (
            vec!["report", model, "-f", "html", "-o", "-"],
            "<!DOCTYPE html>",
        ),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_tmd"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).contains(holds),
            "{args:?}: {}",
            &stdout(&o)[..stdout(&o).len().min(80)]
        );
        assert!(!dir.join("-").exists(), "{args:?} wrote a file called `-`");
    }
}
