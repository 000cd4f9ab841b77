//! Compile (parse, resolve, analyse, check, with a date and every opt-in
//! check) and every report format of
//! `tmd check`: no panic, and each format keeps its shape whatever the
//! input (one line per diagnostic in `short`, valid JSON and SARIF).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmd::report::{self, FileReport};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A known date and every opt-in check, so that the checks on dates
    // (TMD113) and the ones off by default run too.
    let options = tmd::CompileOptions {
        today: tmd::model::parse_date("2025-06-01"),
        checks: tmd::checks::Selection {
            enable: tmd::checks::OPT_IN.iter().copied().collect(),
            ..Default::default()
        },
        ..tmd::CompileOptions::default()
    };
    let c = tmd::compile_with(text, &options);
    for d in &c.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= c.source.len(),
            "{d:?}"
        );
        for l in &d.secondary {
            assert!(
                l.span.start <= l.span.end && l.span.end <= c.source.len(),
                "{d:?}"
            );
        }
    }
    let r = FileReport {
        name: "fuzz.tmd",
        source: &c.source,
        diagnostics: &c.diagnostics,
    };
    let short = report::short(&r);
    assert_eq!(short.lines().count(), c.diagnostics.len(), "{short:?}");
    assert_eq!(
        short.matches('\n').count(),
        c.diagnostics.len(),
        "{short:?}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&report::json(std::slice::from_ref(&r), 1)).expect("check JSON");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(c.diagnostics.len())
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&report::sarif(std::slice::from_ref(&r))).expect("SARIF");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(c.diagnostics.len())
    );
    // The graphical report is costly on big inputs; it is fuzzed on the
    // sizes a person writes.
    if data.len() <= 4096 {
        let human = report::human(&r, false, report::DEFAULT_WIDTH);
        // Nothing from the model drives the terminal or reorders a line.
        for c in human.chars() {
            assert!(
                !(c.is_control() && c != '\n' && c != '\t' && c != '\r')
                    && !tmd::syntax::strings::is_bidi_control(c),
                "U+{:04X} reaches the terminal",
                c as u32
            );
        }
    }
});
