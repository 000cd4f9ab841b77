//! OTM in YAML (docs/interop.md): `tmd export --format otm-yaml` is the
//! OTM JSON document, value for value, for every sample, valid fixture,
//! hostile and published model, read back by tmd's YAML reader and by a
//! YAML 1.1 reader (PyYAML, when there), and valid against the official
//! OTM schema; `tmd import otm` reads YAML: the official EXAMPLE.yaml gives
//! the model EXAMPLE.json gives, and a model comes back through YAML as
//! through JSON.

mod support;

use support::files::{assert_import_refused, models, root, temp_dir, tmd};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use support::skip::skipped;

fn export(model: &Path, format: &str) -> Option<String> {
    let out = tmd(&["export", "--format", format, model.to_str().unwrap()]);
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

#[test]
fn otm_yaml_is_the_otm_document_and_the_schema_accepts_it() {
    let dir = temp_dir("export");
    let mut converted = Vec::new();
    let mut pairs = Vec::new();
    for model in models(&support::files::MODEL_DIRS) {
        let Some(json) = export(&model, "otm") else {
            continue;
        };
        let yaml = export(&model, "otm-yaml").expect("otm-yaml where otm works");
        let expected: Value = serde_json::from_str(&json).unwrap();
        let read = tmd::import::yaml::parse(&yaml)
            .unwrap_or_else(|e| panic!("{}: {e}\n{yaml}", model.display()));
        assert_eq!(read, expected, "{}", model.display());
        let n = converted.len();
        let path = dir.join(format!("{n}.json"));
        std::fs::write(&path, serde_json::to_vec(&read).unwrap()).unwrap();
        converted.push(path);
        let (j, y) = (
            dir.join(format!("{n}.otm.json")),
            dir.join(format!("{n}.otm.yaml")),
        );
        std::fs::write(&j, json).unwrap();
        std::fs::write(&y, yaml).unwrap();
        pairs.push((j, y));
    }
    assert!(
        converted.len() >= 8,
        "only {} models exported",
        converted.len()
    );
    // The official schema on what tmd's YAML reader read.
    match Command::new("python3")
        .arg(root().join("tests/support/validate_json.py"))
        .arg(root().join("tests/interop/otm/otm_schema.json"))
        .args(&converted)
        .output()
    {
        Err(e) => skipped(&format!("OTM schema validation: cannot run python3: {e}")),
        Ok(out) if out.status.code() == Some(3) => {
            skipped("python3 has no jsonschema package (python3 -m pip install jsonschema)")
        }
        Ok(out) => assert!(
            out.status.success(),
            "OTM YAML rejected by the OTM schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
    // A YAML 1.1 reader (PyYAML) reads the same document: no string is
    // taken for a date, a boolean or a number.
    let script = "import json, sys\ntry:\n    import yaml\nexcept ImportError:\n    sys.exit(3)\n\
        bad = [y for j, y in zip(sys.argv[1::2], sys.argv[2::2]) if json.load(open(j, encoding='utf-8')) != yaml.safe_load(open(y, encoding='utf-8'))]\n\
        print(bad)\nsys.exit(1 if bad else 0)\n";
    let mut args = Vec::new();
    for (j, y) in &pairs {
        args.push(j.clone());
        args.push(y.clone());
    }
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&args)
        .output()
    {
        Err(e) => skipped(&format!("PyYAML: cannot run python3: {e}")),
        Ok(out) if out.status.code() == Some(3) => {
            skipped("python3 has no yaml package (python3 -m pip install pyyaml)")
        }
        Ok(out) => assert!(
            out.status.success(),
            "PyYAML reads another document:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn golden_otm_yaml_of_the_telehealth_sample() {
    let text = export(&root().join("samples/telehealth.tmd"), "otm-yaml").unwrap();
    insta::assert_snapshot!("telehealth.otm.yaml", text);
}

/// The text after the header line that names the source file.
fn body(text: &str) -> &str {
    text.split_once('\n').map_or("", |(_, rest)| rest)
}

#[test]
fn the_official_yaml_example_imports_as_the_json_one() {
    let yaml = tmd(&[
        "import",
        "otm",
        root()
            .join("tests/interop/otm/EXAMPLE.yaml")
            .to_str()
            .unwrap(),
    ]);
    let json = tmd(&[
        "import",
        "otm",
        root()
            .join("tests/interop/otm/EXAMPLE.json")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        yaml.status.success(),
        "{}",
        String::from_utf8_lossy(&yaml.stderr)
    );
    assert!(json.status.success());
    let (y, j) = (
        String::from_utf8(yaml.stdout).unwrap(),
        String::from_utf8(json.stdout).unwrap(),
    );
    assert!(y.starts_with("# Imported from EXAMPLE.yaml (OTM)"), "{y}");
    assert_eq!(body(&y), body(&j));
}

/// tmd -> OTM YAML -> tmd gives what tmd -> OTM JSON -> tmd gives, for
/// every sample and published model; read from stdin, the format is told
/// by the content.
#[test]
fn models_come_back_through_yaml_as_through_json() {
    let dir = temp_dir("round-trip");
    let mut n = 0;
    for model in models(&support::files::MODEL_DIRS).iter().filter(|m| {
        let s = m.to_string_lossy();
        s.contains("/samples/") || s.contains("/published/")
    }) {
        let Some(json) = export(model, "otm") else {
            continue;
        };
        let yaml = export(model, "otm-yaml").unwrap();
        let (j, y) = (dir.join("m.otm.json"), dir.join("m.otm.yaml"));
        std::fs::write(&j, &json).unwrap();
        std::fs::write(&y, &yaml).unwrap();
        let from_json = tmd(&["import", "otm", j.to_str().unwrap()]);
        let from_yaml = tmd(&["import", "otm", y.to_str().unwrap()]);
        assert!(from_json.status.success(), "{}", model.display());
        assert!(
            from_yaml.status.success(),
            "{}: {}",
            model.display(),
            String::from_utf8_lossy(&from_yaml.stderr)
        );
        let (fj, fy) = (
            String::from_utf8(from_json.stdout).unwrap(),
            String::from_utf8(from_yaml.stdout).unwrap(),
        );
        assert_eq!(body(&fj), body(&fy), "{}", model.display());
        // From stdin, told by the content.
        for doc in [&yaml, &json] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
                .args(["import", "otm", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(doc.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", model.display());
            assert_eq!(body(&String::from_utf8(out.stdout).unwrap()), body(&fj));
        }
        n += 1;
    }
    assert!(n >= 4, "only {n} models");
}

/// Bad YAML: the place, exit 1, nothing written.
#[test]
fn bad_otm_yaml_is_refused() {
    let dir = temp_dir("bad");
    let cases = [
        ("otmVersion: [unclosed\n", "at $: not valid YAML"),
        ("- 1\n- 2\n", "at $: not an OTM document"),
        ("project: {}\n", "at $.otmVersion: not an OTM document"),
        (
            "otmVersion: 0.2.0\nproject: {name: P, id: p}\ntrustZones: &z [{id: z, name: Z}]\ncomponents:\n  - {id: a, name: A, type: x, parent: {trustZone: nowhere}}\n",
            "at $.components[0].parent.trustZone: no trust zone `nowhere`",
        ),
        (
            "otmVersion: 0.2.0\notmVersion: 0.2.0\n",
            "at $: not valid YAML",
        ),
    ];
    assert_import_refused("otm", "yml", &dir, &cases);
}
