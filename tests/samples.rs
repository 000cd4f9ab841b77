//! Golden tests over every sample: diagnostics in short and JSON form, and
//! the export. Snapshots live in `tests/snapshots/` and are reviewed.

use std::path::{Path, PathBuf};

use tmd::report::{self, FileReport};

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "expected at least three samples");
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn sample_diagnostics() {
    for path in samples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = tmd::compile(&text);
        let name = format!("samples/{}.tmd", stem(&path));
        let r = FileReport {
            name: &name,
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        insta::assert_snapshot!(format!("{}-short", stem(&path)), report::short(&r));
        insta::assert_snapshot!(format!("{}-json", stem(&path)), report::json(&[r], 1));
        assert!(!c.has_errors(), "{name} has errors");
    }
}

#[test]
fn sample_exports() {
    for path in samples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = tmd::compile(&text);
        let (model, analysis) = c.valid().expect("samples compile");
        let json = tmd::emit::export::export(model, analysis);
        insta::assert_snapshot!(format!("{}-export", stem(&path)), json);
    }
}

/// The Mermaid flowchart of every sample (reviewed; tests/mermaid_browser.rs
/// renders them with the real Mermaid).
#[test]
fn sample_mermaid() {
    for path in samples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = tmd::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        insta::assert_snapshot!(
            format!("mermaid_{}", stem(&path)),
            tmd::emit::mermaid::mermaid(model, analysis)
        );
    }
}

#[test]
fn worked_example_matches_the_spec() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/acme-ecommerce.tmd"),
    )
    .unwrap();
    let c = tmd::compile(&text);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["TMD106"], "exactly the one warning the spec names");
    let (model, analysis) = c.valid().unwrap();
    let severity = |id: &str| {
        let t = model.threats.iter().find(|t| t.name == id).unwrap();
        t.severity.as_str()
    };
    assert_eq!(
        (severity("T1"), severity("T2"), severity("T3")),
        ("medium", "low", "high")
    );
    let flow = |id: &str| model.flow_ids().find(|&f| model[f].name == id).unwrap();
    let pull = flow("pull_order");
    assert!(analysis.flow(pull).reversed);
    let crossings = |f| {
        analysis
            .flow(f)
            .crossings
            .iter()
            .map(|c| format!("{} {}", c.direction.as_str(), model[c.boundary].name))
            .collect::<Vec<_>>()
    };
    assert_eq!(crossings(pull), ["out aws", "in warehouse"]);
    assert_eq!(crossings(flow("customer->order_api")), ["in aws"]);
    assert_eq!(crossings(flow("wms->courier")), ["out warehouse"]);
}
