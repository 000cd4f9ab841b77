//! The manual of every diagnostic code (what `tmd explain CODE` prints: the
//! `//!` doc of `src/checks/tmdNNN_*.rs`) cannot lie about its examples.
//!
//! Every code's doc has an `## Example` section and a `## How to fix`
//! section. Every ```` ```tmd ```` block is a complete model, and where it
//! stands says what it must do:
//!
//! - under `## Example`, it draws that code and no other;
//! - under `## How to fix`, it compiles with no diagnostic at all, and is
//!   already formatted (`tmd fmt` leaves it as it is).
//!
//! A ```` ```tmd ```` block anywhere else fails the test, so a block is
//! always one of the two. Blocks in ```` ```text ```` are not checked: the
//! codes in [`SKETCHED`] show their bad example that way, because a
//! complete one is too big to print (their fixtures prove the code).
//!
//! An opt-in check's examples are compiled with it enabled. The codes in
//! [`CONFIG`] are about `tmd.toml`: their examples are ```` ```toml ````
//! blocks, read by `tmd::config::parse`, under the same two rules.

use std::collections::BTreeSet;

use tmd::markdown::fence;

/// Codes whose bad example is a sketch in a ```` ```text ```` block: a
/// complete model would be 65 nested boundaries (TMD013) or 250,001
/// statements (TMD014). `tests/fixtures/diagnostics/tmd013_*.tmd` and
/// `tests/limits.rs` hold the real thing.
const SKETCHED: &[&str] = &["TMD013", "TMD014"];

/// Codes about the project configuration, whose examples are `tmd.toml`.
const CONFIG: &[&str] = &["TMD015", "TMD016"];

/// What a TOML example of a code's manual gives: tmd.toml's diagnostics,
/// or a rule file's (TMD016).
fn parse_toml(code: &str, text: &str) -> Result<(), Vec<tmd::diagnostic::Diagnostic>> {
    if code == "TMD016" {
        tmd::rules::format::parse(text, "example").map(|_| ())
    } else {
        tmd::config::parse(text).map(|_| ())
    }
}

/// The `## ` section each ```` ```toml ```` block of `doc` stands in, with
/// its text.
fn toml_blocks(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = "(none)".to_string();
    let mut block: Option<String> = None;
    for line in doc.lines() {
        match &mut block {
            Some(text) if line.trim() == "```" => {
                out.push((section.clone(), std::mem::take(text)));
                block = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None if line.trim() == "```toml" => block = Some(String::new()),
            None => {
                if let Some(title) = line.strip_prefix("## ") {
                    section = title.trim().to_string();
                }
            }
        }
    }
    out
}

#[test]
fn config_codes_show_toml_that_draws_them_and_toml_that_does_not() {
    for code in CONFIG {
        let rule = tmd::checks::rule(code).unwrap();
        let blocks = toml_blocks(rule.doc);
        let bad: Vec<&String> = blocks
            .iter()
            .filter(|(s, _)| s == "Example")
            .map(|(_, t)| t)
            .collect();
        let fixes: Vec<&String> = blocks
            .iter()
            .filter(|(s, _)| s == "How to fix")
            .map(|(_, t)| t)
            .collect();
        assert!(!bad.is_empty() && !fixes.is_empty(), "{code}: {blocks:?}");
        for text in bad {
            let errors = parse_toml(code, text).unwrap_err();
            assert!(errors.iter().all(|d| d.code == *code), "{code}: {errors:?}");
        }
        for text in fixes {
            assert!(
                parse_toml(code, text).is_ok(),
                "{code}: the fix fails:\n{text}"
            );
        }
        for (section, _) in &blocks {
            assert!(
                section == "Example" || section == "How to fix",
                "{code}: under {section}"
            );
        }
    }
}

/// The `## ` section each ```` ```tmd ```` fence of `doc` stands in, with
/// the fence's model text.
fn blocks(doc: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = doc.lines().collect();
    fence::scan(doc)
        .into_iter()
        .map(|f| {
            let section = lines
                .iter()
                .take(f.line)
                .rev()
                .find_map(|l| l.strip_prefix("## "))
                .unwrap_or("(none)")
                .trim()
                .to_string();
            let mut text = f.content;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            (section, text)
        })
        .collect()
}

/// What the rule's examples compile with: an opt-in check enabled.
fn options(rule: &tmd::checks::Rule) -> tmd::CompileOptions {
    // A known date, so that a check on dates (TMD113) can fire.
    let mut options = tmd::CompileOptions {
        today: tmd::model::parse_date("2025-06-01"),
        ..tmd::CompileOptions::default()
    };
    if rule.opt_in {
        options.checks.enable.insert(rule.code);
    }
    options
}

fn codes(text: &str, rule: &tmd::checks::Rule) -> BTreeSet<&'static str> {
    tmd::compile_with(text, &options(rule))
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn every_code_says_how_to_fix_it() {
    let mut missing = Vec::new();
    for rule in tmd::checks::rules() {
        let fixes = blocks(rule.doc)
            .into_iter()
            .filter(|(s, _)| s == "How to fix")
            .count();
        let fixes = if CONFIG.contains(&rule.code) {
            toml_blocks(rule.doc)
                .into_iter()
                .filter(|(s, _)| s == "How to fix")
                .count()
        } else {
            fixes
        };
        if !rule.doc.contains("\n## How to fix\n") || fixes == 0 {
            missing.push(rule.code);
        }
    }
    assert!(
        missing.is_empty(),
        "no `## How to fix` section with a ```tmd block: {missing:?}"
    );
}

#[test]
fn every_bad_example_draws_its_code_and_only_it() {
    let mut failures = Vec::new();
    for rule in tmd::checks::rules() {
        let bad: Vec<String> = blocks(rule.doc)
            .into_iter()
            .filter(|(s, _)| s == "Example")
            .map(|(_, t)| t)
            .collect();
        if bad.is_empty() && !SKETCHED.contains(&rule.code) && !CONFIG.contains(&rule.code) {
            failures.push(format!("{}: no ```tmd block under `## Example`", rule.code));
        }
        for text in bad {
            let got = codes(&text, &rule);
            if got != BTreeSet::from([rule.code]) {
                failures.push(format!(
                    "{}: the example draws {got:?}, not only {}:\n{text}",
                    rule.code, rule.code
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_fix_compiles_clean_and_is_formatted() {
    let mut failures = Vec::new();
    for rule in tmd::checks::rules() {
        for (_, text) in blocks(rule.doc)
            .into_iter()
            .filter(|(s, _)| s == "How to fix")
        {
            let c = tmd::compile_with(&text, &options(&rule));
            if !c.diagnostics.is_empty() {
                let got: Vec<String> = c
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                failures.push(format!("{}: the fix draws {got:?}:\n{text}", rule.code));
                continue;
            }
            let Some(file) = &c.file else { continue };
            let formatted = tmd::fmt::format(file, &text);
            if formatted != text {
                failures.push(format!(
                    "{}: the fix is not formatted; `tmd fmt` writes:\n{formatted}",
                    rule.code
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn tmd_blocks_stand_only_under_example_or_how_to_fix() {
    let mut stray = Vec::new();
    for rule in tmd::checks::rules() {
        for (section, _) in blocks(rule.doc) {
            if section != "Example" && section != "How to fix" {
                stray.push(format!("{} under `## {section}`", rule.code));
            }
        }
    }
    assert!(stray.is_empty(), "{stray:?}");
}
