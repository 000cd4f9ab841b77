//! Files and programs the integration tests share: the repository, scratch
//! folders, the models of the repository, the tmd binary, and validation of
//! JSON documents against a schema (`validate_json.py`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::scratch::Scratch;
use super::skip::skipped;

/// The folders whose `.tmd` files are the repository's valid models.
pub const MODEL_DIRS: [&str; 4] = [
    "samples",
    "tests/fixtures/valid",
    "tests/hostile",
    "tests/published",
];

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh empty folder under the system's temp dir (a [`Scratch`],
/// removed when dropped), named by the test binary and `name`.
pub fn temp_dir(name: &str) -> Scratch {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tmd-test".to_string());
    let binary = binary.split('-').next().unwrap_or("tmd-test").to_string();
    Scratch::new(&format!("{binary}-{name}"))
}

/// The `.tmd` files of `dirs` (relative to the repository), sorted.
pub fn models(dirs: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
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

/// The tmd binary, run with `args`.
pub fn tmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .output()
        .unwrap()
}

/// `docs` validated against `schema` (relative to the repository):
/// Some((valid, report)), or None (after SKIPPED) when the validator
/// cannot run. `what` names the check in the skip message.
pub fn validate_json(schema: &str, docs: &[PathBuf], what: &str) -> Option<(bool, String)> {
    let out = match Command::new("python3")
        .arg(root().join("tests/support/validate_json.py"))
        .arg(root().join(schema))
        .args(docs)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            skipped(&format!("{what}: cannot run python3: {e}"));
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

/// `tmd import FORMAT` refuses every case: each `(input, expected)` is
/// written to `dir/bad-N.EXT` and imported with `-o dir/out.tmd`; the
/// import exits 1 with `expected` in its message and no panic, and writes
/// no file.
pub fn assert_import_refused<T: AsRef<[u8]>>(
    format: &str,
    ext: &str,
    dir: &Path,
    cases: &[(T, &str)],
) {
    let out_file = dir.join("out.tmd");
    for (i, (input, expected)) in cases.iter().enumerate() {
        let src = dir.join(format!("bad-{i}.{ext}"));
        std::fs::write(&src, input).unwrap();
        let out = tmd(&[
            "import",
            format,
            src.to_str().unwrap(),
            "-o",
            out_file.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format} case {i}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{format} case {i}: expected {expected:?} in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{format} case {i}: {stderr}");
        assert!(!out_file.exists(), "{format} case {i}: a file was written");
    }
}

/// `model` exported with `tmd export -f EXPORT` to `dir/STEM.EXT` and
/// imported back with `tmd import IMPORT` to `dir/STEM.tmd`: the path of
/// the model that came back and the import's stderr, or None when the
/// export refuses the model (a model with an error, by design). The
/// import must succeed.
pub fn export_and_import_back(
    model: &Path,
    dir: &Path,
    export: &str,
    import: &str,
    ext: &str,
) -> Option<(PathBuf, String)> {
    let stem = model.file_stem().unwrap().to_string_lossy().to_string();
    let exported = dir.join(format!("{stem}.{ext}"));
    let back = dir.join(format!("{stem}.tmd"));
    let out = tmd(&[
        "export",
        "-f",
        export,
        model.to_str().unwrap(),
        "-o",
        exported.to_str().unwrap(),
    ]);
    if !out.status.success() {
        return None;
    }
    let out = tmd(&[
        "import",
        import,
        exported.to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stem}: {stderr}");
    Some((back, stderr))
}

/// What a model holds, to compare a model with the one a round trip
/// brought back.
#[derive(Debug, PartialEq, Eq)]
pub struct Counts {
    pub elements: usize,
    pub boundaries: usize,
    pub flows: usize,
    pub threats: usize,
    /// Threats on at least one target.
    pub targeted_threats: usize,
}

/// The counts of the model in `path`, which must compile with no error.
pub fn counts_of_valid_model(path: &Path) -> Counts {
    let text = std::fs::read_to_string(path).unwrap();
    let c = tmd::compile(&text);
    let (model, _) = c
        .valid()
        .unwrap_or_else(|| panic!("{}: {:?}", path.display(), c.diagnostics.first()));
    Counts {
        elements: model.elements.len(),
        boundaries: model.boundaries.len(),
        flows: model.flows.len(),
        threats: model.threats.len(),
        targeted_threats: model
            .threats
            .iter()
            .filter(|t| !t.targets.is_empty())
            .count(),
    }
}
