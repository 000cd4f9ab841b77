//! `tmd table` and `tmd report` run as the real binary: outputs, format
//! from the extension, atomic writes, refusals, exit statuses.

mod support;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn tmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn tmd_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn scratch(name: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("cli-reports-{name}"))
}

const ACME: &str = "samples/acme-ecommerce.tmd";

fn in_process(format: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ACME)).unwrap();
    let c = tmd::compile(&text);
    let (m, a) = c.valid().unwrap();
    match format {
        "md" => tmd::emit::markdown::table(m, a),
        "csv" => tmd::emit::csv::table(m, a, true),
        "json" => tmd::emit::table::json(m, a),
        "html" => tmd::emit::html::table(m, a),
        "report-md" => {
            tmd::emit::markdown::report(m, a, &tmd::emit::findings::Findings::of(&c), None)
        }
        "report-html" => {
            let diagram = tmd::emit::svg::svg(m, a, &tmd::emit::svg::SvgOptions::default());
            tmd::emit::html::html(
                m,
                a,
                &tmd::emit::findings::Findings::of(&c),
                Some(&diagram.svg),
            )
        }
        _ => unreachable!(),
    }
}

#[test]
fn table_prints_every_format_with_warnings_on_stderr() {
    let o = tmd(&["table", ACME]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), in_process("md"));
    assert!(
        stderr(&o).contains("TMD106"),
        "the model's warning is shown"
    );
    for format in ["md", "csv", "json", "html"] {
        let o = tmd(&["table", ACME, "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}");
        assert_eq!(stdout(&o), in_process(format), "{format}");
    }
    let o = tmd(&["table", ACME, "--format", "csv", "--no-bom"]);
    assert!(stdout(&o).starts_with("ID,Title,"));
}

#[test]
fn report_prints_markdown_and_html() {
    let o = tmd(&["report", ACME]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), in_process("report-md"));
    let o = tmd(&["report", ACME, "-f", "html"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), in_process("report-html"));
    assert!(
        stdout(&o).contains("data-tmd-id=\"order_api\""),
        "the diagram is inline"
    );
    let o = tmd(&["report", ACME, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2), "report has no CSV form");
    assert!(stderr(&o).contains("invalid value 'csv'"), "{}", stderr(&o));
}

#[test]
fn output_files_take_their_format_from_the_extension() {
    let dir = scratch("extension");
    for (file, format) in [
        ("t.md", "md"),
        ("t.CSV", "csv"),
        ("t.json", "json"),
        ("t.htm", "html"),
    ] {
        let out = dir.join(file);
        let o = tmd(&["table", ACME, "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            in_process(format),
            "{file}"
        );
    }
    for (file, format) in [("r.md", "report-md"), ("r.html", "report-html")] {
        let out = dir.join(file);
        let o = tmd(&["report", ACME, "--output", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{file}");
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            in_process(format),
            "{file}"
        );
    }
    // --format wins over the extension.
    let out = dir.join("table.txt");
    let o = tmd(&[
        "table",
        ACME,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), in_process("json"));
    // An extension that names no format is a usage error, and writes nothing.
    let out = dir.join("other.txt");
    for cmd in ["table", "report"] {
        let o = tmd(&[cmd, ACME, "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&o).contains("cannot tell the format from"),
            "{}",
            stderr(&o)
        );
        assert!(!out.exists());
    }
    // Nothing but the outputs is left in the directory (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "r.html",
            "r.md",
            "t.CSV",
            "t.htm",
            "t.json",
            "t.md",
            "table.txt"
        ]
    );
}

#[test]
fn refuses_to_write_over_the_input() {
    let dir = scratch("input");
    let model = dir.join("model.md");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ACME)).unwrap();
    std::fs::write(&model, &text).unwrap();
    for cmd in ["table", "report"] {
        let o = tmd(&[cmd, model.to_str().unwrap(), "-o", model.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&o).contains("refusing to write over the input file"),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read_to_string(&model).unwrap(),
            text,
            "input untouched"
        );
    }
}

#[test]
fn a_model_with_errors_exits_1_and_writes_nothing() {
    let dir = scratch("errors");
    let out = dir.join("t.csv");
    let bad = "process p\nthreat T1 on nowhere { actor: apt, scenario: \"s\", stride: S, severity: low }\n";
    let o = tmd_stdin(&["table", "-", "-o", out.to_str().unwrap()], bad);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("TMD003"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`<stdin>` has errors; no table written"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    assert!(!out.exists());
    let o = tmd_stdin(&["report", "-", "-f", "html"], bad);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("no report written"));
}

#[test]
fn io_and_usage_problems_exit_2() {
    let o = tmd(&["table", "no/such/file.tmd"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `no/such/file.tmd`: no such file"),
        "{}",
        stderr(&o)
    );
    let o = tmd(&["report", "samples"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"));
    let o = tmd(&["table", ACME, "-o", "/nonexistent-dir/t.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write `/nonexistent-dir/t.md`"),
        "{}",
        stderr(&o)
    );
    let o = tmd(&["table", ACME, "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    let o = tmd(&["table"]);
    assert_eq!(o.status.code(), Some(2));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["table", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"title \"\xff\"\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));
}

#[test]
fn help_describes_both_commands() {
    let o = tmd(&["table", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for word in [
        "--format",
        "md",
        "csv",
        "json",
        "html",
        "--output",
        "--no-bom",
        "sorted by severity",
    ] {
        assert!(help.contains(word), "table help lacks {word}:\n{help}");
    }
    let o = tmd(&["report", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for word in ["--format", "md", "html", "--output", "STRIDE coverage"] {
        assert!(help.contains(word), "report help lacks {word}:\n{help}");
    }
    let o = tmd(&["--help"]);
    assert!(stdout(&o).contains("table") && stdout(&o).contains("report"));
}

#[test]
fn empty_stdin_is_an_empty_table() {
    let o = tmd_stdin(&["table", "-"], "");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "*No threats recorded.*\n");
    let o = tmd_stdin(&["table", "-", "-f", "json"], "");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema_version"], 2);
}

#[test]
fn report_links_the_diagram_it_is_given() {
    // The path is written into the link, percent-encoded; it is never read.
    let o = tmd(&["report", ACME, "--diagram", "out/acme diagram (v2).svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.contains("## Diagram\n\n![Data-flow diagram](out/acme%20diagram%20%28v2%29.svg)\n"),
        "{md}"
    );
    assert!(!md.contains("not included"), "{md}");
    // Without it, the report says how to get one.
    let o = tmd(&["report", ACME]);
    assert!(stdout(&o).contains("--diagram"), "{}", stdout(&o));
    // The HTML report holds the diagram: --diagram has no meaning there.
    let o = tmd(&["report", ACME, "-f", "html", "--diagram", "x.svg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--diagram"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn report_carries_the_model_warnings() {
    // The warning is printed on stderr and listed in the report.
    for format in ["md", "html"] {
        let o = tmd(&["report", ACME, "-f", format]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stderr(&o).contains("TMD106"));
        let out = stdout(&o);
        assert!(out.contains("TMD106"), "{format}: {out}");
        assert!(out.contains("line 29:6"), "{format}: {out}");
    }
}
