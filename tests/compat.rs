//! The upgrade promise, proved on files: every `.tmd` of the repository
//! (samples, fixtures, hostile corpus, fuzz seeds) and the models written
//! elsewhere (`../shared/models/`, when present) gives exactly the
//! diagnostics that language 0.1 gave it, recorded in
//! `tests/compat/diagnostics-0.1.txt` by the 0.1 code.
//!
//! The only differences allowed are listed in `CHANGED_BY_DESIGN`: errors on
//! models that were invalid in 0.1 and became valid where the language grew.
//! The baseline holds a hash of each file's 0.1 text. A file that has grown
//! since (a fixture with 0.2 cases appended) is compared on its 0.1 part; a
//! file edited since is compared through its 0.1 text, kept in
//! `tests/compat/0.1/`. A new file is not in the baseline and is not
//! compared. To record the baseline again (only ever from 0.1 code and
//! files), run with `TMD_COMPAT_BLESS=1`.

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
        "tests/fixtures/diagnostics/TMD004-invalid-value.tmd",
        8,
        "TMD004",
        "`out_of_scope` takes a reason string in 0.2",
    ),
    (
        "fuzz/seeds/models/TMD004-invalid-value.tmd",
        8,
        "TMD004",
        "`out_of_scope` takes a reason string in 0.2",
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

/// FNV-1a, 64 bits: enough to notice that a file changed.
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// One line a diagnostic: `file:line:column: CODE message`.
fn diagnostics(name: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
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

/// A file of the baseline: its 0.1 length and hash, its 0.1 diagnostics.
#[derive(Default)]
struct Before {
    len: usize,
    hash: String,
    lines: Vec<String>,
}

fn parse_baseline(text: &str) -> BTreeMap<String, Before> {
    let mut out: BTreeMap<String, Before> = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("file ") {
            let mut parts = rest.rsplitn(3, ' ');
            let hash = parts.next().unwrap_or_default().to_string();
            let len = parts.next().unwrap_or_default().parse().unwrap_or(0);
            let file = parts.next().unwrap_or_default().to_string();
            out.insert(
                file,
                Before {
                    len,
                    hash,
                    lines: Vec::new(),
                },
            );
        } else if let Some((file, _)) = line.split_once(':') {
            out.entry(file.to_string())
                .or_default()
                .lines
                .push(line.to_string());
        }
    }
    out
}

/// The 0.1 text of a file: the file itself, its 0.1 part when cases were
/// appended, or its copy in `tests/compat/0.1/` when it was edited.
fn text_0_1(name: &str, path: &Path, before: &Before) -> Vec<u8> {
    let now = std::fs::read(path).unwrap();
    if let Some(prefix) = now.get(..before.len) {
        if hash(prefix) == before.hash {
            return prefix.to_vec();
        }
    }
    let copy = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/compat/0.1")
        .join(name);
    let old = std::fs::read(&copy).unwrap_or_else(|_| {
        panic!(
            "{name} was edited since 0.1: keep its 0.1 text in {}",
            copy.display()
        )
    });
    assert_eq!(
        hash(&old),
        before.hash,
        "{} is not the 0.1 text",
        copy.display()
    );
    old
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
            let bytes = std::fs::read(&path).unwrap();
            text.push_str(&format!("file {name} {} {}\n", bytes.len(), hash(&bytes)));
            for line in diagnostics(&name, &bytes) {
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
        let after = diagnostics(&name, &text_0_1(&name, &path, before));
        let expected: Vec<&String> = before
            .lines
            .iter()
            .filter(|l| !changed_by_design(l))
            .collect();
        used += before.lines.len() - expected.len();
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
