//! `tmd build` through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tmd-build-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
            md.contains(&format!("{stem}.svg")),
            "{stem}.md links its diagram"
        );
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
    let a = temp_dir("stem-a").join("m.tmd");
    let b = temp_dir("stem-b").join("m.tmd");
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
