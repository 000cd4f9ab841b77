//! Every fuzz reproducer in tests/fixtures/fuzz/ goes through what the
//! fuzz targets check (fuzz/fuzz_targets/*.rs, the importers' included),
//! so that a crash once found stays fixed. Adding a reproducer is dropping
//! its file there.

use std::path::Path;

use tmd::report::{self, FileReport};

/// What the `import_*` targets check: every importer on the text, and an
/// import that succeeds compiles with no error.
fn check_imports(text: &str) {
    let imports = [
        tmd::import::otm::import(text, "fuzz.json"),
        tmd::import::otm::import(text, "fuzz.otm.yaml"),
        tmd::import::threagile::import(text, "fuzz.yaml"),
        tmd::import::threat_dragon::import(text, "fuzz.json"),
        tmd::import::dot::import(text, "fuzz.dot", &Default::default()),
    ];
    for (i, imported) in imports.into_iter().enumerate() {
        if let Ok(imported) = imported {
            let c = tmd::compile(&imported.text);
            assert!(c.valid().is_some(), "import {i} does not compile");
        }
    }
}

fn check_one(bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        check_imports(text);
    }
    let (old, new) = match bytes.iter().position(|&b| b == 0xFF) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &b""[..]),
    };
    let mut valid = Vec::new();
    for text in [bytes, old, new] {
        let Ok(text) = std::str::from_utf8(text) else {
            continue;
        };
        let parsed = tmd::syntax::parse(tmd::strip_bom(text));
        assert!(parsed.diagnostics.iter().all(|d| d.span.end <= text.len()));
        let c = tmd::compile(text);
        let r = FileReport {
            name: "fuzz.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        assert_eq!(report::short(&r).lines().count(), c.diagnostics.len());
        let json: serde_json::Value =
            serde_json::from_str(&report::json(std::slice::from_ref(&r), 1)).unwrap();
        assert_eq!(
            json["diagnostics"].as_array().unwrap().len(),
            c.diagnostics.len()
        );
        let _: serde_json::Value =
            serde_json::from_str(&report::sarif(std::slice::from_ref(&r))).unwrap();
        for ch in report::human(&r, false, report::DEFAULT_WIDTH).chars() {
            let shown = !ch.is_control() || matches!(ch, '\n' | '\t' | '\r');
            assert!(
                shown && !tmd::syntax::strings::is_bidi_control(ch),
                "U+{:04X} reaches the terminal",
                ch as u32
            );
        }
        if let (Some(file), false) = (c.file.as_ref(), c.has_errors()) {
            let formatted = tmd::fmt::format(file, &c.source);
            tmd::fmt::verify::verify(&c, &formatted).unwrap();
        }
        valid.push(c);
    }
    for c in &valid {
        if let Some(m) = c.valid() {
            assert!(tmd::diff::diff(m, m).is_empty());
            let _: serde_json::Value =
                serde_json::from_str(&tmd::emit::export::export(m.0, m.1)).unwrap();
            // The import targets: a model's own OTM and Threat Dragon
            // exports come back.
            let otm = tmd::emit::otm::otm(m.0);
            assert!(tmd::import::otm::import(&otm, "fuzz.otm.json").is_ok());
            let td = tmd::emit::threat_dragon::threat_dragon(m.0, m.1);
            assert!(tmd::import::threat_dragon::import(&td, "fuzz.td.json").is_ok());
            // The SVG, alone and inside the HTML report, is well-formed XML.
            let svg = tmd::emit::svg::svg(m.0, m.1, &Default::default()).svg;
            roxmltree::Document::parse(&svg).unwrap();
            let html =
                tmd::emit::html::html(m.0, m.1, &tmd::emit::findings::Findings::of(c), Some(&svg));
            let start = html.find("<svg").unwrap();
            let end = html.rfind("</svg>").unwrap() + "</svg>".len();
            roxmltree::Document::parse(&html[start..end]).unwrap();
        }
    }
    if let [_, a, b] = valid.as_slice() {
        if let (Some(a), Some(b)) = (a.valid(), b.valid()) {
            let d = tmd::diff::diff(a, b);
            assert_eq!(d.is_empty(), tmd::diff::diff(b, a).is_empty());
            let _ = tmd::diff::text(&d, "a", "b", true);
            let _ = tmd::diff::markdown(&d, "a", "b");
            let _: serde_json::Value =
                serde_json::from_str(&tmd::diff::json(&d, "a", "b")).unwrap();
        }
    }
}

#[test]
fn every_fuzz_reproducer_passes_the_fuzz_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        eprintln!("{}", path.display());
        check_one(&bytes);
        n += 1;
    }
    assert!(n >= 2);
}
