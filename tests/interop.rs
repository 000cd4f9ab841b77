//! Interchange formats (docs/interop.md): `tmd export --format otm`
//! against the official Open Threat Model schema (`tests/interop/otm/`,
//! copied from iriusrisk/OpenThreatModel with its licence), for every
//! sample, valid fixture, hostile and published model; the mapping on the
//! worked example; and a golden OTM document.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::skip::skipped;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tmd-interop-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn models() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        "samples",
        "tests/fixtures/valid",
        "tests/hostile",
        "tests/published",
    ] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tmd") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn otm(model: &Path) -> Option<Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["export", "--format", "otm"])
        .arg(model)
        .output()
        .unwrap();
    out.status.success().then_some(out.stdout)
}

/// Some((valid, report)), or None when the validator cannot run.
fn validate(docs: &[PathBuf]) -> Option<(bool, String)> {
    let out = match Command::new("python3")
        .arg(root().join("tests/support/validate_json.py"))
        .arg(root().join("tests/interop/otm/otm_schema.json"))
        .args(docs)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            skipped(&format!("OTM schema validation: cannot run python3: {e}"));
            return None;
        }
    };
    if out.status.code() == Some(3) {
        skipped("python3 has no jsonschema package (python3 -m pip install jsonschema)");
        return None;
    }
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), report))
}

#[test]
fn every_valid_model_exports_otm_that_the_official_schema_accepts() {
    let dir = temp_dir("otm-valid");
    let mut docs = Vec::new();
    for model in models() {
        if let Some(json) = otm(&model) {
            let name = model.file_stem().unwrap().to_string_lossy().to_string();
            let path = dir.join(format!("{}-{name}.otm.json", docs.len()));
            std::fs::write(&path, json).unwrap();
            docs.push(path);
        }
    }
    assert!(docs.len() >= 8, "only {} models exported", docs.len());
    if let Some((ok, report)) = validate(&docs) {
        assert!(ok, "OTM exports rejected by the OTM schema:\n{report}");
    }
    // The schema bites: a component without a parent, a threat without a
    // risk, a trust zone whose rating is a string.
    let good: Value =
        serde_json::from_slice(&otm(&root().join("samples/acme-ecommerce.tmd")).unwrap()).unwrap();
    let mut broken = Vec::new();
    for (i, breakage) in [
        ("/components/0", "parent"),
        ("/threats/0", "risk"),
        ("/trustZones/0/risk", "trustRating"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut doc = good.clone();
        let (pointer, key) = breakage;
        let object = doc.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
        if key == "trustRating" {
            object.insert(key.into(), Value::String("high".into()));
        } else {
            object.remove(key);
        }
        let path = dir.join(format!("broken-{i}.json"));
        std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
        broken.push(path);
    }
    for path in &broken {
        if let Some((ok, report)) = validate(std::slice::from_ref(path)) {
            assert!(!ok, "{} passed the schema:\n{report}", path.display());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_worked_example_in_otm() {
    let doc: Value =
        serde_json::from_slice(&otm(&root().join("samples/acme-ecommerce.tmd")).unwrap()).unwrap();
    assert_eq!(doc["otmVersion"], "0.2.0");
    assert_eq!(doc["project"]["name"], "Acme e-Commerce");
    assert_eq!(doc["project"]["id"], "acme-e-commerce");
    // Boundaries are trust zones; the elements outside every boundary sit
    // in tmd's own zone.
    let zones: Vec<&str> = doc["trustZones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    assert_eq!(zones, ["aws", "warehouse", "tmd-outside"]);
    let customer = &doc["components"][0];
    assert_eq!(customer["id"], "customer");
    assert_eq!(customer["type"], "external");
    assert_eq!(customer["parent"]["trustZone"], "tmd-outside");
    // The reversed flow keeps its initiator; T3 is on it, easy x
    // problematic = high.
    let pull = doc["dataflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "pull_order")
        .unwrap();
    assert_eq!(pull["attributes"]["initiator"], "wms");
    assert_eq!(pull["threats"][0]["threat"], "T3");
    assert_eq!(pull["threats"][0]["state"], "exposed");
    let t3 = doc["threats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "T3")
        .unwrap();
    assert_eq!(t3["categories"], serde_json::json!(["Tampering"]));
    assert_eq!(t3["risk"]["likelihood"], 100);
    assert_eq!(t3["risk"]["impact"], 100);
    assert_eq!(t3["attributes"]["severity"], "high");
    assert_eq!(
        t3["attributes"]["targets"],
        serde_json::json!(["pull_order"])
    );
}

#[test]
fn golden_otm_of_the_telehealth_sample() {
    let text = String::from_utf8(otm(&root().join("samples/telehealth.tmd")).unwrap()).unwrap();
    insta::assert_snapshot!("telehealth.otm.json", text);
}
