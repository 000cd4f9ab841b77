//! `tmd export --format threat-dragon` (docs/interop.md): every sample,
//! valid fixture, hostile and published model against Threat Dragon's
//! official version 2 schema (`tests/interop/threat-dragon/`, copied from
//! OWASP/threat-dragon with its licence); the round trip through
//! `tmd import threat-dragon` with `tmd diff`; the geometry (tmd's own
//! layout: boxes hold their members, nothing overlaps); a golden document.

mod support;

use support::files::{counts_of_valid_model, export_and_import_back, models, root, temp_dir, tmd};

use std::path::{Path, PathBuf};

use serde_json::Value;

fn export(model: &Path) -> Option<Vec<u8>> {
    let out = tmd(&[
        "export",
        "--format",
        "threat-dragon",
        model.to_str().unwrap(),
    ]);
    out.status.success().then_some(out.stdout)
}

#[test]
fn every_valid_model_exports_a_model_that_the_official_schema_accepts() {
    let dir = temp_dir("schema");
    let mut docs = Vec::new();
    for model in models(&[
        "samples",
        "tests/fixtures/valid",
        "tests/hostile",
        "tests/published",
    ]) {
        if let Some(json) = export(&model) {
            let name = model.file_stem().unwrap().to_string_lossy().to_string();
            let path = dir.join(format!("{}-{name}.td.json", docs.len()));
            std::fs::write(&path, json).unwrap();
            docs.push(path);
        }
    }
    assert!(docs.len() >= 8, "only {} models exported", docs.len());
    if let Some((ok, report)) = validate(&docs) {
        assert!(
            ok,
            "Threat Dragon exports rejected by the schema:\n{report}"
        );
    }
    // The schema bites: a summary without a title, a cell without a
    // zIndex, a size below the minimum. (It does not describe `data.threats`,
    // where Threat Dragon keeps threats: those are checked by the round trip.)
    let good: Value =
        serde_json::from_slice(&export(&root().join("samples/acme-ecommerce.tmd")).unwrap())
            .unwrap();
    let cells = "/detail/diagrams/0/cells";
    let mut broken = Vec::new();
    for (i, (pointer, key)) in [
        ("/summary".to_string(), "title"),
        (format!("{cells}/0"), "zIndex"),
        (format!("{cells}/0/size"), "width"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut doc = good.clone();
        let object = doc.pointer_mut(&pointer).unwrap().as_object_mut().unwrap();
        if key == "width" {
            object.insert(key.into(), Value::from(3));
        } else {
            assert!(object.remove(key).is_some(), "{pointer}/{key}");
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
}

struct Box2 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn rect(cell: &Value) -> Box2 {
    Box2 {
        x: cell["position"]["x"].as_f64().unwrap(),
        y: cell["position"]["y"].as_f64().unwrap(),
        w: cell["size"]["width"].as_f64().unwrap(),
        h: cell["size"]["height"].as_f64().unwrap(),
    }
}

fn inside(inner: &Box2, outer: &Box2) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

/// The worked example as Threat Dragon cells: tmd's IDs, kinds, threats
/// in their cells, flows between cells, and tmd's layout (each element
/// inside its boundary's box, no two elements overlapping, boxes of
/// sibling boundaries apart).
#[test]
fn the_worked_example_in_threat_dragon() {
    let doc: Value =
        serde_json::from_slice(&export(&root().join("samples/acme-ecommerce.tmd")).unwrap())
            .unwrap();
    assert_eq!(doc["version"], "2.3.0");
    assert_eq!(doc["summary"]["title"], "Acme e-Commerce");
    let cells = doc["detail"]["diagrams"][0]["cells"].as_array().unwrap();
    let cell = |id: &str| cells.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(cell("customer")["shape"], "actor");
    assert_eq!(cell("order_api")["shape"], "process");
    assert_eq!(cell("order_db")["shape"], "store");
    assert_eq!(cell("aws")["shape"], "trust-boundary-box");
    let pull = cell("pull_order");
    assert_eq!(pull["shape"], "flow");
    assert_eq!(pull["source"]["cell"], "fulfillment_queue");
    assert_eq!(pull["target"]["cell"], "wms");
    assert_eq!(pull["data"]["tmd"]["initiator"]["word"], "wms");
    let t3 = &pull["data"]["threats"][0];
    assert_eq!(t3["id"], "T3");
    assert_eq!(t3["type"], "Tampering");
    assert_eq!(t3["severity"], "High");
    assert_eq!(t3["status"], "Open");
    // Geometry: the layout's boxes.
    let c =
        tmd::compile(&std::fs::read_to_string(root().join("samples/acme-ecommerce.tmd")).unwrap());
    let (model, _) = c.valid().unwrap();
    for el in &model.elements {
        let r = rect(cell(&el.name));
        if let Some(b) = el.boundary {
            assert!(
                inside(&r, &rect(cell(&model[b].name))),
                "{} outside {}",
                el.name,
                model[b].name
            );
        }
        for other in &model.elements {
            if other.name != el.name {
                let o = rect(cell(&other.name));
                let apart =
                    r.x + r.w <= o.x || o.x + o.w <= r.x || r.y + r.h <= o.y || o.y + o.h <= r.y;
                assert!(apart, "{} overlaps {}", el.name, other.name);
            }
        }
    }
    for b in &model.boundaries {
        let r = rect(cell(&b.name));
        if let Some(p) = b.parent {
            assert!(inside(&r, &rect(cell(&model[p].name))));
        }
    }
}

#[test]
fn golden_threat_dragon_of_the_worked_example() {
    let text =
        String::from_utf8(export(&root().join("samples/acme-ecommerce.tmd")).unwrap()).unwrap();
    insta::assert_snapshot!("acme-ecommerce.td.json", text);
}

/// tmd -> Threat Dragon -> tmd for every sample and published model:
/// `tmd diff` finds no change, except the facts the export does not
/// carry, listed here: a declared risk scale (telehealth's `clinic`,
/// Threagile's built-in `threagile` scale in the published model): the
/// scale, the `risk` header, and each threat's levels on it (the
/// severity comes back as its band); and assumptions.
#[test]
fn threat_dragon_round_trip_changes_nothing_but_what_it_cannot_carry() {
    let dir = temp_dir("round-trip");
    let list = models(&["samples", "tests/published"]);
    assert!(list.len() >= 5);
    for model in list {
        let stem = model.file_stem().unwrap().to_string_lossy().to_string();
        let (back, stderr) =
            export_and_import_back(&model, &dir, "threat-dragon", "threat-dragon", "td.json")
                .unwrap_or_else(|| panic!("{stem}: not exported"));
        assert!(
            stderr.contains("kept 0 facts as x_ keys, dropped nothing"),
            "{stem}: {stderr}"
        );
        let out = tmd(&["fmt", "--check", back.to_str().unwrap()]);
        assert!(out.status.success(), "{stem}: not formatted");
        let out = tmd(&["diff", model.to_str().unwrap(), back.to_str().unwrap()]);
        let diff = String::from_utf8_lossy(&out.stdout).into_owned();
        match stem.as_str() {
            "telehealth" | "threagile-demo" => {
                for line in diff.lines() {
                    let t = line.trim_start();
                    if line.starts_with("  ~ ")
                        && !line.starts_with("  ~ T")
                        && !line.starts_with("  ~ R")
                    {
                        assert!(
                            t.starts_with("~ risk: ") || t.starts_with("~ scale "),
                            "{stem}: {line}"
                        );
                    } else if line.starts_with("      ") {
                        let key = t.split(':').next().unwrap();
                        assert!(
                            ["impact", "likelihood", "severity"].contains(&key),
                            "{stem}: {line}"
                        );
                    } else if line.starts_with("  - ") {
                        assert!(t.starts_with("- A"), "{stem}: {line}");
                    } else {
                        assert!(!line.starts_with("  + "), "{stem}: {line}");
                    }
                }
                assert!(!diff.contains("elements "), "{stem}:\n{diff}");
                assert!(!diff.contains("flows "), "{stem}:\n{diff}");
                assert!(!diff.contains("boundaries "), "{stem}:\n{diff}");
            }
            _ => assert!(
                diff.contains("No change to the threat model"),
                "{stem}:\n{diff}"
            ),
        }
    }
}

/// The hostile corpus survives the trip: every string is escaped for
/// JSON on the way out and for tmd on the way back, the model compiles
/// and keeps its elements, flows and threats.
#[test]
fn hostile_models_come_back_from_threat_dragon() {
    let dir = temp_dir("hostile");
    let mut n = 0;
    for model in models(&["tests/hostile"]) {
        let stem = model.file_stem().unwrap().to_string_lossy().to_string();
        let Some((back, _)) =
            export_and_import_back(&model, &dir, "threat-dragon", "threat-dragon", "td.json")
        else {
            continue; // a model with an error, by design
        };
        let got = counts_of_valid_model(&back);
        let want = counts_of_valid_model(&model);
        assert_eq!(
            (got.elements, got.boundaries, got.flows, got.threats),
            (
                want.elements,
                want.boundaries,
                want.flows,
                want.targeted_threats
            ),
            "{stem}"
        );
        n += 1;
    }
    assert!(n >= 5, "only {n} hostile models exported");
}

/// A cell's `tmd` object is checked, not trusted: a key that is not
/// tmd's, a word that is not a word or a date that is not a date is
/// dropped and listed, never written into the model.
#[test]
fn carried_tmd_facts_are_checked() {
    let dir = temp_dir("carried");
    let doc = r#"{"version": "2.3.0", "summary": {"title": "T"},
      "detail": {"contributors": [], "reviewer": "", "diagramTop": 1, "threatTop": 0,
        "tmd": {"generator": "tmd", "headers": {"created": {"date": "2025-13-99x"}, "title": "x"}},
        "diagrams": [{"cells": [
        {"id": "a", "shape": "actor", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10},
         "data": {"name": "A", "tmd": {"tech": "nginx", "evil": "x", "owner": {"word": "a\n}\nprocess p"},
                  "x_ok": {"int": "12"}, "x_bad": {"int": "1e9"}}}},
        {"id": "b", "shape": "process", "data": {"name": "B", "threats": [
          {"id": "T1", "title": "t", "severity": "High", "status": "Open", "type": "Spoofing",
           "description": "d", "mitigation": "", "tmd": {"remediation": {"word": "fix"},
           "reviewed_on": {"date": "2026-01-02"}, "ease": {"word": "easy\""}}}]}},
        {"id": "f", "shape": "flow", "source": {"cell": "a"}, "target": {"cell": "b"},
         "data": {"name": "", "tmd": {"implicit": true}}}]}]}}"#;
    let src = dir.join("carried.json");
    std::fs::write(&src, doc).unwrap();
    let out = tmd(&["import", "threat-dragon", src.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("tech: \"nginx\""), "{text}");
    assert!(text.contains("x_ok: 12"), "{text}");
    assert!(text.contains("remediation: fix"), "{text}");
    assert!(text.contains("reviewed_on: 2026-01-02"), "{text}");
    assert!(text.contains("flow a -> b"), "{text}");
    assert!(!text.contains("process p"), "{text}");
    for dropped in [
        "`evil`",
        "`owner`",
        "`x_bad`",
        "`ease`",
        "tmd header `created`",
        "tmd header `title`",
    ] {
        assert!(stderr.contains(dropped), "{dropped} not listed: {stderr}");
    }
    let c = tmd::compile(&text);
    assert!(c.valid().is_some());
}

/// Some((valid, report)), or None when the validator cannot run.
fn validate(docs: &[PathBuf]) -> Option<(bool, String)> {
    support::files::validate_json(
        "tests/interop/threat-dragon/threat-dragon-v2.schema.json",
        docs,
        "Threat Dragon schema validation",
    )
}
