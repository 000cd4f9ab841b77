//! The export's JSON Schema (`docs/export.schema.json`) against the real
//! export of every valid model we have: the samples, the valid fixtures,
//! the hostile corpus, the published models of `tests/published` and those
//! in `../shared/models`
//! (when present). Checked with Python's `jsonschema` (draft 2020-12);
//! without it the test says SKIPPED. The schema is also checked to bite
//! (hand-broken exports must fail) and to agree with `docs/json.md`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::skip::skipped;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tmd-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn models() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        root().join("samples"),
        root().join("tests/fixtures/valid"),
        root().join("tests/hostile"),
        root().join("tests/published"),
        root().join("../shared/models"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
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

fn export(model: &Path) -> Option<Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .arg("export")
        .arg(model)
        .output()
        .unwrap();
    out.status.success().then_some(out.stdout)
}

/// Runs the validator: Some(true) all valid, Some(false) some invalid
/// (with its report), None when it cannot run (the caller has said why).
fn validate(docs: &[PathBuf]) -> Option<(bool, String)> {
    let out = match Command::new("python3")
        .arg(root().join("tests/support/validate_json.py"))
        .arg(root().join("docs/export.schema.json"))
        .args(docs)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            skipped(&format!("schema validation: cannot run python3: {e}"));
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
fn every_valid_model_exports_json_that_the_schema_accepts() {
    let dir = temp_dir("valid");
    let mut docs = Vec::new();
    for model in models() {
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
    let _ = std::fs::remove_dir_all(&dir);
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
    let _ = std::fs::remove_dir_all(&dir);
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
