//! Data-driven diagnostic tests. Every file in `tests/fixtures/diagnostics/`
//! marks the diagnostics it must produce inline: `# expect: CODE[, CODE]`
//! at the end of the line where the diagnostic starts, or
//! `# expect-next: CODE` alone on the line before it. The file must
//! produce exactly those, no more. Files in `tests/fixtures/valid/` must
//! produce none.
//!
//! An opt-in check's fixture runs with it enabled: `# enable: CODE` on a
//! line of its own (as `[checks] enable` in tmd.toml); a fixture of a
//! check on dates gives the date the checks take as today with
//! `# today: YYYY-MM-DD` (as `--today`). Without it, no
//! fixture draws an opt-in code. `tests/fixtures/config/` holds `tmd.toml`
//! files (TMD015) marked the same way, since TOML comments are `#` too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tmd::span::LineIndex;

fn files(dir: &str) -> Vec<PathBuf> {
    files_ending(dir, "tmd")
}

fn files_ending(dir: &str, extension: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

/// Expected (line, code) pairs, 1-based lines, with multiplicity.
fn expectations(text: &str) -> BTreeMap<(usize, String), usize> {
    let mut out = BTreeMap::new();
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        for (marker, target) in [("# expect-next:", line_no + 1), ("# expect:", line_no)] {
            if let Some(pos) = line.find(marker) {
                let codes = &line[pos + marker.len()..];
                for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    *out.entry((target, code.to_string())).or_insert(0) += 1;
                }
                break;
            }
        }
    }
    out
}

/// The opt-in checks a fixture enables: `# enable: CODE[, CODE]` lines.
fn enabled(text: &str) -> tmd::CompileOptions {
    let mut options = tmd::CompileOptions::default();
    for line in text.lines() {
        if let Some(codes) = line.trim().strip_prefix("# enable:") {
            for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                let rule = tmd::checks::rule(code).unwrap_or_else(|| panic!("unknown code {code}"));
                options.checks.enable.insert(rule.code);
            }
        }
        if let Some(date) = line.trim().strip_prefix("# today:") {
            let date = date.trim();
            options.today =
                Some(tmd::model::parse_date(date).unwrap_or_else(|| panic!("bad date {date}")));
        }
    }
    options
}

fn actual(text: &str) -> BTreeMap<(usize, String), usize> {
    let compilation = tmd::compile_with(text, &enabled(text));
    let index = LineIndex::new(&compilation.source);
    let mut out = BTreeMap::new();
    for d in &compilation.diagnostics {
        let line = index.line_col(&compilation.source, d.span.start).line;
        *out.entry((line, d.code.to_string())).or_insert(0) += 1;
    }
    out
}

/// The diagnostics of a `tmd.toml`, as `actual` gives a model's.
fn actual_config(text: &str) -> BTreeMap<(usize, String), usize> {
    let index = LineIndex::new(text);
    let mut out = BTreeMap::new();
    let diagnostics = if text.contains("[[rule]") {
        tmd::rules::format::parse(text, "fixture").err()
    } else {
        tmd::config::parse(text).err()
    };
    for d in diagnostics.unwrap_or_default() {
        let line = index.line_col(text, d.span.start).line;
        *out.entry((line, d.code.to_string())).or_insert(0) += 1;
    }
    out
}

#[test]
fn every_diagnostic_fixture_produces_exactly_its_expectations() {
    let mut failures = Vec::new();
    let mut codes_covered = std::collections::BTreeSet::new();
    let models = files("tests/fixtures/diagnostics")
        .into_iter()
        .map(|p| (p, false));
    let configs = files_ending("tests/fixtures/config", "toml")
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "valid.toml"))
        .map(|p| (p, true));
    // Project threat rule files (TMD016), marked the same way.
    let rule_files = files_ending("tests/fixtures/rules", "toml")
        .into_iter()
        .map(|p| (p, true));
    for (path, config) in models.chain(configs).chain(rule_files) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let expected = expectations(&text);
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:` marker",
            path.display()
        );
        let got = if config {
            actual_config(&text)
        } else {
            actual(&text)
        };
        codes_covered.extend(got.keys().map(|(_, c)| c.clone()));
        if expected != got {
            failures.push(format!(
                "{}\n  expected {:?}\n  got      {:?}",
                path.display(),
                expected,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures disagree:\n{}",
        failures.join("\n")
    );
    // TMD014 needs a file of 250,001 statements: tests/limits.rs makes one.
    codes_covered.insert("TMD014".to_string());
    for rule in tmd::checks::rules() {
        assert!(
            codes_covered.contains(rule.code),
            "no fixture produces {}",
            rule.code
        );
    }
}

#[test]
fn opt_in_codes_are_drawn_only_when_enabled() {
    for path in files("tests/fixtures/diagnostics") {
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        let c = tmd::compile(&text);
        for d in &c.diagnostics {
            assert!(
                !tmd::checks::OPT_IN.contains(&d.code),
                "{}: {} drawn without being enabled",
                path.display(),
                d.code
            );
        }
    }
}

#[test]
fn the_valid_config_fixture_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/valid.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let config = tmd::config::parse(&text).unwrap();
    assert_eq!(config.enable.len(), 2);
    assert_eq!(config.deny[0].value, "TMD106");
}

#[test]
fn valid_fixtures_have_no_diagnostics() {
    for path in files("tests/fixtures/valid") {
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        let compilation = tmd::compile(&text);
        assert!(
            compilation.diagnostics.is_empty(),
            "{}: {:#?}",
            path.display(),
            compilation.diagnostics
        );
        assert!(compilation.valid().is_some());
    }
}

#[test]
fn every_file_name_names_its_code() {
    for path in files("tests/fixtures/diagnostics") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let code = &name[..6];
        assert!(
            tmd::checks::rule(code).is_some(),
            "{name}: unknown code {code}"
        );
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        assert!(text.contains(code), "{name} does not expect its own code");
    }
}
