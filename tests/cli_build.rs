//! `tmd build` through the real binary.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn tmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn temp_dir(name: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("build-{name}"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const OUTPUTS: [&str; 6] = ["svg", "dot", "md", "html", "json", "csv"];

#[test]
fn builds_every_output_of_every_sample() {
    let out = temp_dir("all");
    let o = tmd(&[
        "build",
        "samples/acme-ecommerce.tmd",
        "samples/mobile-banking.tmd",
        "samples/saas-cicd.tmd",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for stem in ["acme-ecommerce", "mobile-banking", "saas-cicd"] {
        for ext in OUTPUTS {
            let path = out.join(format!("{stem}.{ext}"));
            let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!text.is_empty(), "{}", path.display());
        }
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "{stem}.svg"
        );
        let html = std::fs::read_to_string(out.join(format!("{stem}.html"))).unwrap();
        assert!(html.contains("<svg"), "{stem}.html holds the diagram");
        let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
        assert!(
            md.contains(&format!("![Data-flow diagram]({stem}.svg)")),
            "{stem}.md links the diagram written beside it"
        );
        // Both reports list the model's warnings, as `tmd check` does.
        let c = tmd::compile(
            &std::fs::read_to_string(root().join(format!("samples/{stem}.tmd"))).unwrap(),
        );
        let findings = tmd::emit::findings::Findings::of(&c);
        for report in [&md, &html] {
            for f in &findings.warnings {
                assert!(
                    report.contains(&format!("line {}:{}", f.line, f.column)),
                    "{stem}: {} at {}:{} not in the report",
                    f.code,
                    f.line,
                    f.column
                );
            }
            assert!(report.contains("Findings"), "{stem}");
        }
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["schema_version"], 2);
    }
    let stray: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "temp files left: {stray:?}");
}

#[test]
fn builds_next_to_the_model_by_default_and_is_deterministic() {
    let dir = temp_dir("beside");
    let model = dir.join("shop.tmd");
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &model).unwrap();
    assert_eq!(
        tmd(&["build", model.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let first: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|e| std::fs::read(dir.join(format!("shop.{e}"))).unwrap())
        .collect();
    assert_eq!(
        tmd(&["build", model.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let second: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|e| std::fs::read(dir.join(format!("shop.{e}"))).unwrap())
        .collect();
    assert_eq!(first, second);
}

#[test]
fn fail_on_names_the_threats() {
    let out = temp_dir("failon");
    let o = tmd(&[
        "build",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
        "--fail-on",
        "high",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("T3 \"Order tampering in the queue\" (high) on pull_order"),
        "{err}"
    );
    // The outputs are still written: the build itself succeeded.
    assert!(out.join("acme-ecommerce.svg").exists());
    // T1 is medium but mitigated; T2 is low and open: --fail-on medium still fails on T3 only.
    let o = tmd(&[
        "build",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
        "--fail-on",
        "medium",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1 open threat(s)") && !err.contains("T1"),
        "{err}"
    );
    let o = tmd(&[
        "build",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
        "--fail-on",
        "low",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 open threat(s)") && err.contains("T2"),
        "{err}"
    );
}

/// A write that fails part-way (here: a folder stands where one output
/// should go, and each order of the outputs is tried) leaves none of the
/// model's outputs and no temporary file; other models are still built.
#[test]
fn a_failed_write_leaves_no_output_of_the_model_and_no_temporary_file() {
    for blocked in OUTPUTS {
        let out = temp_dir(&format!("blocked-{blocked}"));
        std::fs::create_dir(out.join(format!("acme-ecommerce.{blocked}"))).unwrap();
        let o = tmd(&[
            "build",
            "samples/acme-ecommerce.tmd",
            "samples/saas-cicd.tmd",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{blocked}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("nothing written for `samples/acme-ecommerce.tmd`"),
            "{stderr}"
        );
        let mut left: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected: Vec<String> = OUTPUTS
            .iter()
            .map(|ext| format!("saas-cicd.{ext}"))
            .collect();
        expected.push(format!("acme-ecommerce.{blocked}"));
        expected.sort();
        assert_eq!(left, expected, "{blocked}");
    }
}

#[test]
fn nothing_is_written_for_a_model_with_errors() {
    let out = temp_dir("errors");
    let o = tmd(&[
        "build",
        "tests/fixtures/diagnostics/TMD003-unknown-reference.tmd",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("TMD003"));
    assert!(!out.join("TMD003-unknown-reference.svg").exists());
    assert!(
        out.join("acme-ecommerce.svg").exists(),
        "other models are still built"
    );
}

#[test]
fn usage_problems_exit_2_before_writing() {
    let out = temp_dir("usage");
    assert_eq!(tmd(&["build", "-"]).status.code(), Some(2));
    assert_eq!(
        tmd(&["build", "no/such.tmd", "-o", out.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    // Two models with one stem into one folder.
    let (dir_a, dir_b) = (temp_dir("stem-a"), temp_dir("stem-b"));
    let (a, b) = (dir_a.join("m.tmd"), dir_b.join("m.tmd"));
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &a).unwrap();
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &b).unwrap();
    let o = tmd(&[
        "build",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing written"
    );
    // An output that would overwrite an input.
    let dir = temp_dir("overwrite");
    let model = dir.join("m.tmd");
    let victim = dir.join("m.json");
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &model).unwrap();
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &victim).unwrap();
    let o = tmd(&["build", model.to_str().unwrap(), victim.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::read_to_string(&victim)
        .unwrap()
        .starts_with("# The primer"));
}

/// A model that cannot be read fails the build (exit 2) without hiding the
/// others, and the summary never reads as success.
#[test]
fn an_unreadable_model_fails_the_build_without_a_success_line() {
    let out = temp_dir("unreadable");
    let o = tmd(&["build", "no/such.tmd", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot read `no/such.tmd`"), "{err}");
    assert!(!err.contains("no problems"), "{err}");
    assert!(err.contains("1 file could not be read"), "{err}");
    // Beside a good model: the good one is built, the run still fails.
    let o = tmd(&[
        "build",
        "no/such.tmd",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("checked 1 file: 0 errors, 1 warning; 1 file could not be read"),
        "{err}"
    );
    assert!(out.join("acme-ecommerce.svg").exists());
}

/// Generated outputs are renamed into place without an `fsync` (a build
/// tool's outputs are rebuilt, not recovered: docs/hostile-input.md); a
/// user's own file (`fmt`, `md --in-place`) is synced before its rename.
/// Counted with strace, when it is installed.
#[test]
fn generated_outputs_are_not_synced_and_a_users_file_is() {
    if !support::skip::have("strace", &["-V"], "apt-get install strace") {
        return;
    }
    let dir = temp_dir("sync");
    let syncs = |args: &[&str]| -> usize {
        let log = dir.join("strace.log");
        let o = Command::new("strace")
            .args([
                "-f",
                "-qq",
                "-e",
                "trace=fsync,fdatasync,sync_file_range,syncfs",
            ])
            .arg("-o")
            .arg(&log)
            .arg(env!("CARGO_BIN_EXE_tmd"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            o.status.code() == Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(&log).unwrap();
        text.lines().filter(|l| l.contains("sync")).count()
    };
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    assert_eq!(
        syncs(&["build", "samples/acme-ecommerce.tmd", "-o", out]),
        0
    );
    let svg = dir.join("m.svg");
    let svg = svg.to_str().unwrap();
    assert_eq!(
        syncs(&["render", "samples/acme-ecommerce.tmd", "-o", svg]),
        0
    );
    let model = dir.join("m.tmd");
    std::fs::write(&model, "process   a\n").unwrap();
    assert_eq!(syncs(&["fmt", model.to_str().unwrap()]), 1);
    let page = dir.join("page.md");
    std::fs::write(&page, "# P\n\n```tmd\nprocess a\n```\n").unwrap();
    let page = page.to_str().unwrap();
    assert_eq!(syncs(&["md", page, "-o", out]), 0);
    assert_eq!(syncs(&["md", page, "--in-place"]), 1);
}

/// A rebuild whose outputs are unchanged leaves the files as they are (the
/// same inode: no rename) with a new modification time; an output that
/// changes is replaced.
#[test]
fn a_rebuild_keeps_unchanged_outputs_and_refreshes_their_time() {
    use std::os::unix::fs::MetadataExt;
    let out = temp_dir("unchanged");
    let args = [
        "build",
        "samples/acme-ecommerce.tmd",
        "-o",
        out.to_str().unwrap(),
    ];
    assert_eq!(tmd(&args).status.code(), Some(0));
    let svg = out.join("acme-ecommerce.svg");
    let csv = out.join("acme-ecommerce.csv");
    let before = std::fs::metadata(&svg).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::open(&svg)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::fs::write(&csv, "older\n").unwrap();
    let csv_inode = std::fs::metadata(&csv).unwrap().ino();
    assert_eq!(tmd(&args).status.code(), Some(0));
    let after = std::fs::metadata(&svg).unwrap();
    assert_eq!(
        after.ino(),
        before.ino(),
        "an unchanged output was replaced"
    );
    assert!(
        after.modified().unwrap() > old,
        "its time was not refreshed"
    );
    assert_ne!(std::fs::metadata(&csv).unwrap().ino(), csv_inode);
    assert_ne!(std::fs::read_to_string(&csv).unwrap(), "older\n");
    // No temporary file is left beside them.
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

/// An output that is a FIFO is written into, as a shell redirection
/// would, never read first (looking for an unchanged output would wait for
/// a writer forever) and never replaced by a regular file.
#[test]
fn an_output_that_is_a_fifo_is_written_into_without_reading_it() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("m.json");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        support::skip::skipped("`mkfifo` did not run");
        return;
    }
    let path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read_to_string(path));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["export", "samples/acme-ecommerce.tmd", "-o"])
        .arg(&fifo)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("tmd export waited on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    let got = reader.join().unwrap().unwrap();
    assert!(got.contains("\"schema_version\""), "{got}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}
