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
//! Both are compiled with a known date (for TMD113) and, for a check that
//! is off by default, with that check on.
//!
//! A ```` ```tmd ```` block anywhere else fails the test, so a block is
//! always one of the two. Blocks in ```` ```text ```` are not checked: the
//! codes in [`SKETCHED`] show their bad example that way, because a
//! complete one is too big to print (their fixtures prove the code).

use std::collections::BTreeSet;

use tmd::markdown::fence;

/// Codes whose bad example is a sketch in a ```` ```text ```` block: a
/// complete model would be 65 nested boundaries (TMD013) or 250,001
/// statements (TMD014). `tests/fixtures/diagnostics/tmd013_*.tmd` and
/// `tests/limits.rs` hold the real thing.
const SKETCHED: &[&str] = &["TMD013", "TMD014"];

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

/// How a manual's examples are compiled: with a known date (so that a
/// check on dates, TMD113, can fire) and, for a check that is off by
/// default, with that check on.
fn options(code: &str) -> tmd::CompileOptions {
    tmd::CompileOptions {
        today: tmd::model::parse_date("2025-06-01"),
        enable: if tmd::checks::is_opt_in(code) {
            vec![code.to_string()]
        } else {
            Vec::new()
        },
        ..tmd::CompileOptions::default()
    }
}

fn codes(code: &str, text: &str) -> BTreeSet<&'static str> {
    tmd::compile_with(text, &options(code))
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
        if bad.is_empty() && !SKETCHED.contains(&rule.code) {
            failures.push(format!("{}: no ```tmd block under `## Example`", rule.code));
        }
        for text in bad {
            let got = codes(rule.code, &text);
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
            let c = tmd::compile_with(&text, &options(rule.code));
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
