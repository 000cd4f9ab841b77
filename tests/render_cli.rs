//! `tmd render` run as a user runs it: the real binary, real files.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// A fresh, empty directory for one test.
fn scratch(test: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("render-cli-{test}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn graphviz_installed() -> bool {
    support::skip::graphviz()
}

fn expected_dot(name: &str) -> String {
    let source = std::fs::read_to_string(sample(name)).unwrap();
    let compilation = tmd::compile(&source);
    let (model, analysis) = compilation.valid().unwrap();
    tmd::emit::dot::dot(model, analysis)
}

#[test]
fn dot_to_stdout() {
    let out = run(tmd()
        .args(["render", "--format", "dot"])
        .arg(sample("acme-ecommerce.tmd")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected_dot("acme-ecommerce.tmd"));
    // The model's one warning is reported on stderr, not mixed into the DOT.
    assert!(
        text(&out.stderr).contains("TMD106"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn dot_from_stdin() {
    let source = std::fs::read(sample("acme-ecommerce.tmd")).unwrap();
    let mut child = tmd()
        .args(["render", "-", "--format", "dot"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&source).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), expected_dot("acme-ecommerce.tmd"));
}

#[test]
fn output_extension_picks_the_format() {
    let dir = scratch("extension");
    for (file, format) in [("x.dot", "dot"), ("x.gv", "dot")] {
        let out_path = dir.join(file);
        let out = run(tmd()
            .arg("render")
            .arg(sample("saas-cicd.tmd"))
            .arg("-o")
            .arg(&out_path));
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{file}: wrote to stdout too");
        let written = std::fs::read_to_string(&out_path).unwrap();
        assert_eq!(
            written,
            expected_dot("saas-cicd.tmd"),
            "{file} should hold {format}"
        );
    }
    // Nothing but the outputs is left behind (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["x.dot", "x.gv"]);
}

/// An output that is a device or a FIFO is written into, not replaced by
/// a regular file: `-o /dev/null` leaves `/dev/null` a device (a rename
/// over it, as root, broke it for every program), and a reader on a FIFO
/// gets the drawing.
#[test]
fn devices_and_fifos_are_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let out = run(tmd()
        .args(["render", "--format", "svg", "-o", "/dev/null"])
        .arg(sample("acme-ecommerce.tmd")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is no longer a device");
    let dir = scratch("fifo");
    let fifo = dir.join("drawing.svg");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read(path).unwrap());
    let out = run(tmd()
        .arg("render")
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&fifo));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = reader.join().unwrap();
    assert!(text(&got).contains("<svg"), "{}", text(&got));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Nothing else was left beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn unknown_extension_without_format_is_a_usage_error() {
    let dir = scratch("png");
    let out_path = dir.join("x.png");
    let out = run(tmd()
        .arg("render")
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--format"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_path.exists());
    // An explicit format wins over the extension.
    let out = run(tmd()
        .args(["render", "--format", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&out_path)
        .unwrap()
        .contains("digraph \"tmd\""));
}

#[test]
fn graphviz_svg_to_a_file() {
    if !graphviz_installed() {
        return;
    }
    let dir = scratch("svg");
    let out_path = dir.join("acme.svg");
    let out = run(tmd()
        .args(["render", "--engine", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_path));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(&out_path).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
    for id in [
        "el&#45;customer",
        "el&#45;order_api",
        "bd&#45;aws",
        "fl&#45;3",
    ] {
        assert!(svg.contains(&format!("id=\"{id}\"")), "no {id} in the SVG");
    }
    // The same to stdout.
    let out = run(tmd()
        .args(["render", "--engine", "dot", "--format", "svg"])
        .arg(sample("acme-ecommerce.tmd")));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), svg);
}

#[test]
fn builtin_svg_is_the_default() {
    let out = run(tmd().arg("render").arg(sample("acme-ecommerce.tmd")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = text(&out.stdout);
    assert!(
        svg.contains("<svg") && svg.contains("id=\"el-order_api\""),
        "{svg}"
    );
    assert!(
        svg.contains("data-tmd-id=\"pull_order\"") && svg.contains("data-tmd-reversed=\"true\"")
    );
    let dir = scratch("builtin");
    let out_file = dir.join("acme.svg");
    let out = run(tmd()
        .arg("render")
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_file));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), svg);
}

#[test]
fn a_model_with_errors_exits_1_and_writes_nothing() {
    let dir = scratch("errors");
    let model = dir.join("bad.tmd");
    std::fs::write(&model, "process a\nflow a -> nowhere\n").unwrap();
    let out_path = dir.join("bad.dot");
    let out = run(tmd().arg("render").arg(&model).arg("-o").arg(&out_path));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("TMD003") && stderr.contains("no diagram written"),
        "{stderr}"
    );
    assert!(!out_path.exists());
    let out = run(tmd().args(["render", "--format", "dot"]).arg(&model));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_exits_2() {
    let out = run(tmd().args(["render", "--format", "dot", "no/such/model.tmd"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no/such/model.tmd"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn refuses_to_write_over_the_input() {
    let dir = scratch("overwrite");
    let model = dir.join("m.dot");
    let source = std::fs::read_to_string(sample("acme-ecommerce.tmd")).unwrap();
    std::fs::write(&model, &source).unwrap();
    let out = run(tmd().arg("render").arg(&model).arg("-o").arg(&model));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("refusing to write over the input"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&model).unwrap(), source);
}

/// A directory holding a fake `dot` script, for PATH.
#[cfg(unix)]
fn fake_dot(test: &str, script: &str) -> support::scratch::Scratch {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch(test);
    let path = dir.join("dot");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn graphviz_missing_is_reported_clearly() {
    let empty = scratch("nodot");
    let out = run(tmd()
        .args(["render", "--engine", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .env("PATH", &empty));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("Graphviz `dot` not found on PATH; install graphviz or use --engine builtin"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn graphviz_warnings_fail_and_write_nothing() {
    let bin = fake_dot(
        "warn",
        "/bin/cat >/dev/null\necho '<svg/>'\necho 'Warning: something odd' >&2",
    );
    let out_path = bin.join("x.svg");
    let out = run(tmd()
        .args(["render", "--engine", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_path)
        .env("PATH", &bin));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Warning: something odd"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_path.exists());
}

#[cfg(unix)]
#[test]
fn graphviz_failure_shows_its_stderr() {
    let bin = fake_dot(
        "fail",
        "/bin/cat >/dev/null\necho 'Error: syntax error in line 1' >&2\nexit 1",
    );
    let out = run(tmd()
        .args(["render", "--engine", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .env("PATH", &bin));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("failed") && stderr.contains("syntax error in line 1"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn a_hanging_graphviz_is_stopped() {
    // Reads nothing and never ends.
    let bin = fake_dot("hang", "exec /bin/sleep 30");
    let started = std::time::Instant::now();
    let out = run(tmd()
        .args(["render", "--engine", "dot", "--timeout", "1"])
        .arg(sample("mobile-banking.tmd"))
        .env("PATH", &bin));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "not stopped in time"
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did not finish within 1 s"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_describes_the_options() {
    let out = run(tmd().args(["render", "--help"]));
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for word in [
        "--format",
        "--engine",
        "--output",
        "--timeout",
        "builtin",
        "svg",
    ] {
        assert!(help.contains(word), "{word} missing from\n{help}");
    }
}

#[cfg(unix)]
#[test]
fn a_graphviz_failure_is_retried_with_newrank() {
    // Fails like Graphviz 2.43's ranking bug unless asked for newrank.
    let bin = fake_dot(
        "retry",
        "/bin/cat >/dev/null\ncase \"$*\" in\n  *newrank=true*) echo '<svg>ok</svg>' ;;\n  *) echo 'Error: trouble in init_rank' >&2; exit 1 ;;\nesac",
    );
    let out = run(tmd()
        .args(["render", "--engine", "dot"])
        .arg(sample("acme-ecommerce.tmd"))
        .env("PATH", &bin));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "<svg>ok</svg>\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("note: Graphviz failed") && stderr.contains("trouble in init_rank"),
        "{stderr}"
    );
}

#[test]
fn a_model_that_crashes_graphviz_still_renders() {
    if !graphviz_installed() {
        return;
    }
    let model =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/graphviz-crash.tmd");
    let out = run(tmd().args(["render", "--engine", "dot"]).arg(&model));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = text(&out.stdout);
    for i in 0..5 {
        assert!(svg.contains(&format!("id=\"el&#45;e{i}\"")), "no el-e{i}");
    }
    for i in 0..10 {
        assert!(svg.contains(&format!("id=\"fl&#45;{i}\"")), "no fl-{i}");
    }
}

#[test]
fn mermaid_from_the_extension_and_the_flag() {
    let dir = scratch("mermaid");
    let out_file = dir.join("acme.mmd");
    let out = run(tmd()
        .arg("render")
        .arg(sample("acme-ecommerce.tmd"))
        .arg("-o")
        .arg(&out_file));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&out_file).unwrap();
    let source = std::fs::read_to_string(sample("acme-ecommerce.tmd")).unwrap();
    let compilation = tmd::compile(&source);
    let (model, analysis) = compilation.valid().unwrap();
    assert_eq!(written, tmd::emit::mermaid::mermaid(model, analysis));
    assert!(written.contains("\nflowchart LR\n"), "{written}");
    // The reversed-initiator flow (the fourth) is red; the boundaries nest.
    assert!(written.contains("linkStyle 3 stroke:#c62828"), "{written}");
    assert!(
        written.contains("subgraph b0[\"`AWS cloud`\"]"),
        "{written}"
    );
    let out = run(tmd()
        .args(["render", "-f", "mermaid"])
        .arg(sample("acme-ecommerce.tmd")));
    assert_eq!(text(&out.stdout), written);
}
