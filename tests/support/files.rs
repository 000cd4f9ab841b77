//! Files and programs the integration tests share: the repository, scratch
//! folders, the models of the repository, the tmd binary, and validation of
//! JSON documents against a schema (`validate_json.py`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// A fresh empty folder under the system's temp dir, named by the test
/// binary, the process and `name`.
pub fn temp_dir(name: &str) -> PathBuf {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tmd-test".to_string());
    let binary = binary.split('-').next().unwrap_or("tmd-test").to_string();
    let dir = std::env::temp_dir().join(format!("tmd-{binary}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
