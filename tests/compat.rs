//! The upgrade promise, proved on files: every `.tmd` of the repository
//! (samples, fixtures, hostile corpus, fuzz seeds) and the models written
//! elsewhere (`../shared/models/`, when present) gives exactly the
//! diagnostics that language 0.1 gave it, recorded in
//! `tests/compat/diagnostics-0.1.txt` by the 0.1 code.
//!
//! The only differences allowed are listed in `CHANGED_BY_DESIGN`: errors on
//! models that were invalid in 0.1 and became valid where the language grew.
//! A new file that did not exist in 0.1 is not in the baseline and is not
//! compared. To record the baseline again (only ever from 0.1 code), run with
//! `TMD_COMPAT_BLESS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tmd::span::LineIndex;

const BASELINE: &str = "tests/compat/diagnostics-0.1.txt";

/// (file, line, code) of 0.1 diagnostics that 0.2 no longer reports, and
/// why.
const CHANGED_BY_DESIGN: &[(&str, usize, &str, &str)] = &[
    (
        "tests/fixtures/diagnostics/TMD007-missing-field.tmd",
        8,
        "TMD007",
        "`actor` is optional in 0.2",
    ),
    (
        "tests/fixtures/diagnostics/TMD007-missing-field.tmd",
        20,
        "TMD007",
        "`stride` is optional in 0.2",
    ),
    (
        "fuzz/seeds/models/TMD007-missing-field.tmd",
        8,
        "TMD007",
        "`actor` is optional in 0.2",
    ),
    (
        "fuzz/seeds/models/TMD007-missing-field.tmd",
        20,
        "TMD007",
        "`stride` is optional in 0.2",
    ),
];

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|x| x == "tmd") {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, path));
        }
    }
}

fn files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["samples", "tests", "fuzz/seeds"] {
        collect(&root.join(dir), root, &mut out);
    }
    // The shared models live next to the repository (or next to the
    // worktrees); they are named by file name.
    for shared in ["../shared/models", "../../shared/models"] {
        let dir = root.join(shared);
        let mut found = Vec::new();
        collect(&dir, &dir, &mut found);
        if !found.is_empty() {
            out.extend(
                found
                    .into_iter()
                    .map(|(name, path)| (format!("shared/models/{name}"), path)),
            );
            break;
        }
    }
    out.sort();
    out
}

/// One line a diagnostic: `file:line:column: CODE message`.
fn diagnostics(name: &str, path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return vec![format!("{name}: not UTF-8")];
    };
    let compilation = tmd::compile(&text);
    let index = LineIndex::new(&compilation.source);
    compilation
        .diagnostics
        .iter()
        .map(|d| {
            let lc = index.line_col(&compilation.source, d.span.start);
            let message = d.message.replace('\n', "\\n");
            format!("{name}:{}:{}: {} {message}", lc.line, lc.column, d.code)
        })
        .collect()
}

fn parse_baseline(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        if let Some(file) = line.strip_prefix("file ") {
            out.entry(file.to_string()).or_default();
        } else if let Some((file, _)) = line.split_once(':') {
            out.entry(file.to_string())
                .or_default()
                .push(line.to_string());
        }
    }
    out
}

fn changed_by_design(line: &str) -> bool {
    CHANGED_BY_DESIGN.iter().any(|(file, at, code, _)| {
        line.starts_with(&format!("{file}:{at}:")) && line.contains(&format!(": {code} "))
    })
}

#[test]
fn every_model_of_0_1_gives_the_same_diagnostics() {
    let baseline_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BASELINE);
    if std::env::var_os("TMD_COMPAT_BLESS").is_some() {
        let mut text = String::new();
        for (name, path) in files() {
            text.push_str(&format!("file {name}\n"));
            for line in diagnostics(&name, &path) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        std::fs::create_dir_all(baseline_path.parent().unwrap()).unwrap();
        std::fs::write(&baseline_path, text).unwrap();
        return;
    }
    let baseline = parse_baseline(&std::fs::read_to_string(&baseline_path).unwrap());
    assert!(baseline.len() > 50, "the baseline covers every file");
    let mut compared = 0;
    let mut failures = Vec::new();
    let mut used = 0;
    for (name, path) in files() {
        let Some(before) = baseline.get(&name) else {
            continue; // new in 0.2
        };
        compared += 1;
        let after = diagnostics(&name, &path);
        let expected: Vec<&String> = before.iter().filter(|l| !changed_by_design(l)).collect();
        used += before.len() - expected.len();
        let got: Vec<&String> = after.iter().collect();
        if expected != got {
            failures.push(format!("{name}\n  0.1: {expected:#?}\n  now: {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared > 50, "compared {compared} files");
    assert_eq!(
        used,
        CHANGED_BY_DESIGN.len(),
        "every listed change is a real 0.1 diagnostic"
    );
}
