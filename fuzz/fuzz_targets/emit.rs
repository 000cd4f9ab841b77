//! Every emitter on any model that compiles. Emitters are pure functions
//! from a model and its analysis to text; each is listed once in
//! `EMITTERS` with a check of its output's shape, and must give the same
//! bytes twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmd::analysis::Analysis;
use tmd::emit::findings::Findings;
use tmd::model::Model;

type Emit = fn(&Model, &Analysis) -> String;
/// The reports also take the model's warnings.
type Report = fn(&Model, &Analysis, &Findings) -> String;
type Check = fn(&str);

fn json(out: &str) {
    let _: serde_json::Value = serde_json::from_str(out).expect("valid JSON");
}

/// Well-formed XML with no element or attribute that could run code.
fn xml(out: &str) {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(out, options).expect("well-formed SVG");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !matches!(name, "script" | "foreignObject" | "iframe" | "a"),
            "element {name}"
        );
        for a in node.attributes() {
            assert!(!a.name().starts_with("on"), "handler {}", a.name());
            if a.name() == "href" {
                assert!(a.value().starts_with('#'), "href {}", a.value());
            }
        }
    }
}

/// The report's own script and nothing else.
fn html(out: &str) {
    assert!(out.matches("<script").count() <= 1, "a second script");
    assert_eq!(
        out.matches("<script").count(),
        out.matches("</script>").count()
    );
    assert!(!out.contains("<iframe"), "iframe");
    for attr in ["href=\"", "src=\"", "action=\""] {
        for (at, _) in out.match_indices(attr) {
            let value = &out[at + attr.len()..];
            assert!(
                value.starts_with('#') || value.starts_with("https://"),
                "{attr}{}",
                value.chars().take(30).collect::<String>()
            );
        }
    }
    if let Some(at) = out.find("<svg") {
        let end = out.rfind("</svg>").expect("closed SVG") + "</svg>".len();
        xml(&out[at..end]);
    }
}

/// Every Markdown table row has its header's number of unescaped `|`.
fn markdown(out: &str) {
    let pipes = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
        }
        n
    };
    let mut header = None;
    for line in out.lines() {
        if line.starts_with('|') {
            let n = pipes(line);
            assert_eq!(
                *header.get_or_insert(n),
                n,
                "row of another shape: {line:?}"
            );
        } else {
            header = None;
        }
    }
}

/// RFC 4180 rows of one width; no cell a spreadsheet would run.
fn csv(out: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.trim_start_matches('\u{FEFF}').as_bytes());
    for record in reader.records() {
        let record = record.expect("CSV of one width");
        for cell in record.iter() {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(cell.parse::<f64>().is_ok(), "live formula {cell:?}");
            }
        }
    }
}

/// Quoted strings close and the graph closes (`//` comment lines aside).
fn dot(out: &str) {
    let mut quoted = false;
    let mut escaped = false;
    let mut text = String::new();
    for line in out.split_inclusive('\n') {
        if quoted || !line.trim_start().starts_with("//") {
            text.push_str(line);
        }
    }
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '\n' | '\r' if quoted => panic!("raw line break in a DOT string"),
            _ => {}
        }
    }
    assert!(!quoted, "unclosed DOT string");
    assert!(out.trim_end().ends_with('}'));
}

fn diff_with_itself(model: &Model, analysis: &Analysis) -> String {
    let d = tmd::diff::diff((model, analysis), (model, analysis));
    assert!(d.is_empty());
    tmd::diff::json(&d, "a", "a")
}

fn svg(model: &Model, analysis: &Analysis) -> String {
    tmd::emit::svg::svg(model, analysis, &Default::default()).svg
}

fn csv_table(model: &Model, analysis: &Analysis) -> String {
    tmd::emit::csv::table(model, analysis, true)
}

fn report_md(model: &Model, analysis: &Analysis, findings: &Findings) -> String {
    tmd::emit::markdown::report(model, analysis, findings, Some("model.svg"))
}

fn report_html(model: &Model, analysis: &Analysis, findings: &Findings) -> String {
    tmd::emit::html::html(model, analysis, findings, Some(&svg(model, analysis)))
}

const EMITTERS: &[(&str, Emit, Check)] = &[
    ("export", tmd::emit::export::export, json),
    ("diff-self", diff_with_itself, json),
    ("svg", svg, xml),
    ("dot", tmd::emit::dot::dot, dot),
    ("table-md", tmd::emit::markdown::table, markdown),
    ("table-csv", csv_table, csv),
    ("table-json", tmd::emit::table::json, json),
    ("table-html", tmd::emit::html::table, html),
];

const REPORTS: &[(&str, Report, Check)] = &[
    ("report-md", report_md, markdown),
    ("report-html", report_html, html),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = tmd::compile(text);
    let Some((model, analysis)) = c.valid() else {
        return;
    };
    for (name, emit, check) in EMITTERS {
        let out = emit(model, analysis);
        check(&out);
        assert_eq!(out, emit(model, analysis), "{name} is not deterministic");
    }
    let findings = Findings::of(&c);
    for (name, emit, check) in REPORTS {
        let out = emit(model, analysis, &findings);
        check(&out);
        assert_eq!(
            out,
            emit(model, analysis, &findings),
            "{name} is not deterministic"
        );
    }
});
