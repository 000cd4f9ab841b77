//! The export's JSON Schema (`docs/export.schema.json`) against the real
//! export of every valid model we have: the samples, the valid fixtures,
//! the hostile corpus, the published models of `tests/published` and those
//! in `../shared/models`
//! (when present). Checked with Python's `jsonschema` (draft 2020-12);
//! without it the test says SKIPPED. The schema is also checked to bite
//! (hand-broken exports must fail) and to agree with `docs/json.md`.

mod support;

use support::files::{models, root, temp_dir};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn export(model: &Path) -> Option<Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .arg("export")
        .arg(model)
        .output()
        .unwrap();
    out.status.success().then_some(out.stdout)
}

#[test]
fn every_valid_model_exports_json_that_the_schema_accepts() {
    let dir = temp_dir("valid");
    let mut docs = Vec::new();
    for model in models_and_shared() {
        if let Some(json) = export(&model) {
            let name = model.file_stem().unwrap().to_string_lossy().to_string();
            let path = dir.join(format!("{}-{name}.json", docs.len()));
            std::fs::write(&path, json).unwrap();
            docs.push(path);
        }
    }
    // The samples and valid fixtures alone are more than this.
    assert!(docs.len() >= 8, "only {} models exported", docs.len());
    if let Some((ok, report)) = validate(&docs) {
        assert!(ok, "exports rejected by docs/export.schema.json:\n{report}");
    }
}

/// Each breakage must be caught: the schema is closed and typed.
#[test]
fn the_schema_rejects_broken_exports() {
    let good = export(&root().join("samples/acme-ecommerce.tmd")).unwrap();
    let good: Value = serde_json::from_slice(&good).unwrap();
    type Break = fn(&mut Value);
    let breaks: [(&str, Break); 7] = [
        ("unknown top-level key", |v| {
            v["extra"] = Value::Bool(true);
        }),
        ("status outside the set", |v| {
            v["threats"][0]["status"] = "maybe".into();
        }),
        ("band outside the set", |v| {
            v["threats"][0]["severity"] = "extreme".into();
        }),
        ("missing required key", |v| {
            v["flows"][0].as_object_mut().unwrap().remove("reversed");
        }),
        ("unknown key in an element", |v| {
            v["elements"][0]["colour"] = "red".into();
        }),
        ("attribute that is not x_ on a threat", |v| {
            v["threats"][0]["attributes"]["cwe"] = "CWE-79".into();
        }),
        ("STRIDE letters out of order", |v| {
            v["threats"][0]["stride"] = "ES".into();
        }),
    ];
    let dir = temp_dir("broken");
    let mut docs = Vec::new();
    for (i, (what, f)) in breaks.iter().enumerate() {
        let mut v = good.clone();
        f(&mut v);
        let path = dir.join(format!("{i}.json"));
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        docs.push((what, path));
    }
    for (what, path) in &docs {
        if let Some((ok, _)) = validate(std::slice::from_ref(path)) {
            assert!(!ok, "the schema accepted an export with {what}");
        } else {
            return;
        }
    }
}

/// Every key the schema names is documented in docs/json.md, and the
/// schema itself is linked from there.
#[test]
fn every_key_of_the_schema_is_documented() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/export.schema.json")).unwrap(),
    )
    .unwrap();
    let doc = std::fs::read_to_string(root().join("docs/json.md")).unwrap();
    assert!(
        doc.contains("export.schema.json"),
        "docs/json.md does not link the schema"
    );
    let mut keys = Vec::new();
    collect_keys(&schema, &mut keys);
    keys.sort();
    keys.dedup();
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| {
            ![format!("`{k}`"), format!("`{k}[]`"), format!("\"{k}\"")]
                .iter()
                .any(|form| doc.contains(form.as_str()))
        })
        .collect();
    assert!(missing.is_empty(), "keys not in docs/json.md: {missing:?}");
}

fn collect_keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            for value in map.values() {
                collect_keys(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_keys(i, out)),
        _ => {}
    }
}

/// Some((valid, report)), or None when the validator cannot run.
fn validate(docs: &[PathBuf]) -> Option<(bool, String)> {
    support::files::validate_json("docs/export.schema.json", docs, "export schema validation")
}

/// The repository's models and the ones in `../shared/models`.
fn models_and_shared() -> Vec<PathBuf> {
    let mut dirs = support::files::MODEL_DIRS.to_vec();
    dirs.push("../shared/models");
    let mut out = models(&dirs);
    out.sort();
    out
}
