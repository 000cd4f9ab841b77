//! Every emitter on any model that compiles. Emitters are pure functions
//! from a model and its analysis to text; each is listed once in
//! `EMITTERS` with a check of its output's shape. When an emitter lands
//! (SVG, DOT, Markdown and HTML reports, CSV), it is one more line here.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmd::analysis::Analysis;
use tmd::model::Model;

type Emit = fn(&Model, &Analysis) -> String;
type Check = fn(&str);

fn json(out: &str) {
    let _: serde_json::Value = serde_json::from_str(out).expect("valid JSON");
}

fn diff_with_itself(model: &Model, analysis: &Analysis) -> String {
    let d = tmd::diff::diff((model, analysis), (model, analysis));
    assert!(d.is_empty());
    tmd::diff::json(&d, "a", "a")
}

const EMITTERS: &[(&str, Emit, Check)] = &[
    ("export", tmd::emit::export::export, json),
    ("diff-self", diff_with_itself, json),
    // ("svg", tmd::emit::svg::svg, xml),
    // ("dot", tmd::emit::dot::dot, dot),
    // ("table-md", ..., markdown_table),
    // ("csv", ..., csv),
    // ("html", ..., html),
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
});
