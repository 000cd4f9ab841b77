//! Limits on hostile input (docs/limits.md): every case below is answered
//! with an error or a result, by the real binary, well within a watchdog
//! (generous, for slow debug builds on a shared machine: a hang or an
//! accidentally quadratic phase still trips it).

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const WATCHDOG: Duration = Duration::from_secs(120);

fn temp_dir(name: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("limits-{name}"))
}

/// Runs tmd with `stdin`, killing it when the watchdog fires.
fn run(args: &[&str], dir: &Path, stdin: Stdio) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let start = Instant::now();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(WATCHDOG).is_err() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = done_tx.send(());
    watchdog.join().unwrap();
    assert!(
        start.elapsed() < WATCHDOG,
        "tmd {args:?} did not answer within {WATCHDOG:?}"
    );
    out
}

fn tmd(args: &[&str], dir: &Path) -> Output {
    run(args, dir, Stdio::null())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn deep_nesting_is_an_error() {
    let dir = temp_dir("nesting");
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("boundary b{i} {{\n"));
    }
    text.push_str("process p\n");
    text.push_str(&"}\n".repeat(10_000));
    std::fs::write(dir.join("deep.tmd"), text).unwrap();
    let o = tmd(&["check", "--format", "short", "deep.tmd"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "deep.tmd:65:1: error[TMD013]: boundaries nest more than 64 levels deep\n"
    );
}

#[test]
fn a_one_megabyte_line_is_fine() {
    let dir = temp_dir("line");
    let text = format!(
        "external e \"{}\"\nprocess p\nflow e -> p\nflow p -> e\n",
        "x".repeat(1 << 20)
    );
    std::fs::write(dir.join("line.tmd"), text).unwrap();
    let o = tmd(&["check", "line.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tmd(&["export", "line.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.len() > 1 << 20);
}

#[test]
fn a_hundred_thousand_flows_compile_and_check() {
    let dir = temp_dir("flows");
    let mut text = String::from("process p\nexternal e\n");
    for i in 0..100_000 {
        let (a, b) = if i % 2 == 0 { ("e", "p") } else { ("p", "e") };
        text.push_str(&format!("flow f{i}: {a} -> {b}\n"));
    }
    std::fs::write(dir.join("flows.tmd"), &text).unwrap();
    for args in [
        &["check", "flows.tmd"][..],
        &["check", "--format", "sarif", "flows.tmd"],
        &["export", "-o", "out.json", "flows.tmd"],
        &["diff", "flows.tmd", "flows.tmd"],
    ] {
        let o = tmd(args, &dir);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let export = std::fs::read_to_string(dir.join("out.json")).unwrap();
    assert!(export.contains("\"f99999\""));
}

#[test]
fn a_reference_matching_a_hundred_thousand_flows_is_one_short_diagnostic() {
    let dir = temp_dir("implicit");
    let mut text = String::from("boundary z {\n  process p\n}\nexternal e\n");
    text.push_str(&"flow e -> p \"x\"\n".repeat(100_000));
    text.push_str("threat T on e -> p { actor: apt, scenario: \"x\", stride: T, severity: low }\n");
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    let o = tmd(&["check", "--format", "json", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(d["code"], "TMD006");
    assert_eq!(d["message"], "`e -> p` matches 100000 flows");
    let o = tmd(&["check", "m.tmd"], &dir);
    let err = stderr(&o);
    assert_eq!(err.matches("flow `e->p").count(), 8, "{err}");
    assert!(err.contains("(the first 8"), "{err}");
}

#[test]
fn many_threats_on_flow_references_resolve_in_linear_time() {
    let dir = temp_dir("threats");
    let n = 50_000;
    let mut text = String::from("boundary z {\n  process p\n}\n");
    for i in 0..n {
        text.push_str(&format!("external e{i}\n"));
    }
    for i in 0..n {
        text.push_str(&format!("flow e{i} -> p\n"));
    }
    for i in 0..n {
        text.push_str(&format!(
            "threat T{i} on e{i} -> p {{ actor: apt, scenario: \"x\", stride: T, severity: low }}\n"
        ));
    }
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    let o = tmd(&["check", "--format", "short", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 50,000 flows into `z`, each with a threat: no TMD106.
    assert!(!stdout(&o).contains("TMD106"));
}

/// Tens of thousands of threats sharing controls, all accepted at once:
/// check, the report's sections and the diff's risk decisions stay linear
/// (a decision is looked up in a set, not in the list of all of them).
#[test]
fn many_threats_with_controls_and_decisions_stay_linear() {
    let dir = temp_dir("decisions");
    let (n, c) = (40_000, 2_000);
    let model = |status: &str| {
        let mut text = String::from("process p\nexternal e\nflow e -> p\nflow p -> e\n");
        for i in 0..c {
            text.push_str(&format!("control C{i} {{ status: implemented }}\n"));
        }
        for i in 0..n {
            let why = if status == "open" {
                ""
            } else {
                ", justification: \"why\""
            };
            text.push_str(&format!(
                "threat T{i} on p {{ scenario: \"s\", severity: low, controls: [C{}, C{}], status: {status}{why} }}\n",
                i % c,
                (i * 7 + 1) % c
            ));
        }
        text
    };
    std::fs::write(dir.join("old.tmd"), model("open")).unwrap();
    std::fs::write(dir.join("new.tmd"), model("accepted")).unwrap();
    for args in [
        &["check", "new.tmd"][..],
        &["report", "--format", "html", "-o", "r.html", "new.tmd"],
    ] {
        let o = tmd(args, &dir);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let o = tmd(&["diff", "--format", "json", "old.tmd", "new.tmd"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["exposure"]["risk_decision"], n);
    assert_eq!(v["summary"]["exposure"]["status_changed"], 0);
}

/// A risk scale as big as the input allows, and many threats rated on it
/// (language 0.2): levels and severities are looked up, not scanned.
#[test]
fn a_big_risk_scale_rates_many_threats_in_linear_time() {
    let dir = temp_dir("scale");
    let n = 40_000;
    let levels: Vec<String> = (0..n).map(|i| format!("l{i}")).collect();
    let severities: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    let mut text = format!(
        "risk big\nscale big {{\n  rows: impact\n  columns: likelihood\n  impact: [r]\n  likelihood: [{}]\n  severities: [{}]\n  bands: [{}]\n  r: [{}]\n}}\nprocess p\n",
        levels.join(", "),
        severities.join(", "),
        vec!["low"; n].join(", "),
        severities.join(", "),
    );
    let last = n - 1;
    for i in 0..60_000 {
        text.push_str(&format!(
            "threat T{i} on p {{ scenario: \"x\", likelihood: l{last}, impact: r, severity: s{last} }}\n"
        ));
    }
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    let o = tmd(&["check", "--format", "short", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Many declared scales, and many threats with a field no scale has: the
/// other scales are looked at once, not once a threat.
#[test]
fn many_declared_scales_cost_once() {
    let dir = temp_dir("scales");
    let mut text = String::from("process p\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "scale sc{i} {{ rows: a{i}, columns: b{i}, a{i}: [x], b{i}: [y], severities: [z], bands: [low], x: [z] }}\n"
        ));
    }
    for i in 0..40_000 {
        text.push_str(&format!(
            "threat T{i} on p {{ scenario: \"x\", severity: low, zz: 1 }}\n"
        ));
    }
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    let o = tmd(&["check", "--format", "short", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("TMD108").count(), 40_000);
}

#[test]
fn thousands_of_duplicates_are_reported_quickly_in_every_format() {
    let dir = temp_dir("dups");
    std::fs::write(dir.join("m.tmd"), "external e\n".repeat(50_000)).unwrap();
    for format in ["human", "short", "json", "sarif"] {
        let o = tmd(&["check", "--format", format, "m.tmd"], &dir);
        assert_eq!(o.status.code(), Some(1), "{format}");
    }
}

#[test]
fn more_than_250_000_statements_is_an_error() {
    let dir = temp_dir("statements");
    let text: String = (0..250_001).map(|i| format!("external e{i}\n")).collect();
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    let o = tmd(&["check", "--format", "short", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "m.tmd:250001:1: error[TMD014]: the model has more than 250000 statements\n"
    );
    // At the limit: fine (a warning for each element without flows).
    let at: String = text
        .lines()
        .take(250_000)
        .map(|l| format!("{l}\n"))
        .collect();
    let c = tmd::compile(&at);
    assert!(!c.has_errors());
}

#[test]
fn invalid_utf8_is_an_input_error_naming_the_offset() {
    let dir = temp_dir("utf8");
    std::fs::write(dir.join("bad.tmd"), b"title \"caf\xe9\"\n").unwrap();
    for args in [
        &["check", "bad.tmd"][..],
        &["export", "bad.tmd"],
        &["fmt", "bad.tmd"],
        &["diff", "bad.tmd", "bad.tmd"],
    ] {
        let o = tmd(args, &dir);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(
                "error: `bad.tmd` is not UTF-8 text: invalid byte sequence at byte offset 10"
            ),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        std::fs::read(dir.join("bad.tmd")).unwrap(),
        b"title \"caf\xe9\"\n"
    );
}

#[test]
fn an_empty_file_is_a_valid_empty_model() {
    let dir = temp_dir("empty");
    std::fs::write(dir.join("empty.tmd"), "").unwrap();
    let o = tmd(&["check", "empty.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "checked 1 file: no problems\n");
    let o = tmd(&["export", "empty.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0));
    let o = tmd(&["fmt", "-"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_directory_is_refused() {
    let dir = temp_dir("dir");
    std::fs::create_dir_all(dir.join("models.tmd")).unwrap();
    for args in [
        &["check", "models.tmd"][..],
        &["export", "models.tmd"],
        &["fmt", "models.tmd"],
        &["diff", "models.tmd", "models.tmd"],
    ] {
        let o = tmd(args, &dir);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("`models.tmd` is a directory, not a model file"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = temp_dir("size");
    // 11 MiB, sparse: refused from its size alone.
    let big = std::fs::File::create(dir.join("big.tmd")).unwrap();
    big.set_len(11 << 20).unwrap();
    drop(big);
    let o = tmd(&["check", "big.tmd"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: `big.tmd` is 11 MiB (11,534,336 bytes), over the input size limit of \
         10 MiB (10,485,760 bytes); raise it with --max-input-size (e.g. --max-input-size 20M)\n\
         checked 0 files: 0 errors, 0 warnings; 1 file could not be read\n"
    );
    // Every command that reads models takes the flag.
    std::fs::write(dir.join("m.tmd"), "process p\n".repeat(300)).unwrap();
    for args in [
        &["check", "--max-input-size", "1K", "m.tmd"][..],
        &["export", "--max-input-size", "1K", "m.tmd"],
        &["fmt", "--max-input-size", "1K", "m.tmd"],
        &["fmt", "--check", "--max-input-size", "1K", "m.tmd"],
        &["diff", "--max-input-size", "1K", "m.tmd", "m.tmd"],
    ] {
        let o = tmd(args, &dir);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(
                "`m.tmd` is 3,000 bytes, over the input size limit of 1 KiB (1,024 bytes)"
            ),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Raised, it is read (and has errors: duplicates).
    let o = tmd(&["check", "--max-input-size", "4K", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let o = tmd(&["check", "--max-input-size", "lots", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`lots` is not a size"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn endless_input_stops_at_the_limit() {
    let dir = temp_dir("endless");
    if Path::new("/dev/zero").exists() {
        let o = tmd(&["check", "/dev/zero"], &dir);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("`/dev/zero` is larger than 10 MiB (10,485,760 bytes)"),
            "{}",
            stderr(&o)
        );
        let zero = std::fs::File::open("/dev/zero").unwrap();
        let o = run(
            &["check", "--max-input-size", "64K", "-"],
            &dir,
            Stdio::from(zero),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("`<stdin>` is larger than 64 KiB (65,536 bytes)"),
            "{}",
            stderr(&o)
        );
    }
    // A FIFO fed without end.
    let fifo = dir.join("fifo.tmd");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        support::skip::skipped("the FIFO case: `mkfifo` did not run");
        return;
    }
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) else {
            return;
        };
        let line = "# comment\n".repeat(100);
        while f.write_all(line.as_bytes()).is_ok() {}
    });
    let o = tmd(&["export", "--max-input-size", "100K", "fifo.tmd"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`fifo.tmd` is larger than 100 KiB"),
        "{}",
        stderr(&o)
    );
    writer.join().unwrap();
}

#[test]
fn a_git_blob_over_the_limit_is_refused() {
    let dir = temp_dir("git");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
    };
    if !git(&["init", "-q"]).is_ok_and(|o| o.status.success()) {
        support::skip::skipped("`git` not found on PATH (apt-get install git)");
        return;
    }
    let text: String = (0..300).map(|i| format!("process p{i}\n")).collect();
    std::fs::write(dir.join("m.tmd"), &text).unwrap();
    assert!(git(&["add", "m.tmd"]).unwrap().status.success());
    assert!(git(&["commit", "-qm", "m"]).unwrap().status.success());
    let o = tmd(&["diff", "--max-input-size", "1K", "HEAD:m.tmd", "-"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`HEAD:m.tmd` is larger than 1 KiB (1,024 bytes)"),
        "{}",
        stderr(&o)
    );
    let o = tmd(&["diff", "HEAD:m.tmd", "m.tmd"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
