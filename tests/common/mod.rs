//! Helpers shared by the report tests: the samples, and a plain grid
//! diagram that obeys the renderer's SVG contract (`docs/svg.md`), so that
//! the reports' snapshots do not change when the layout does.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use tmd::model::Model;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (stem, text) of every sample, by name.
pub fn samples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

pub fn compile(text: &str) -> tmd::Compilation {
    let c = tmd::compile(text);
    assert!(c.valid().is_some(), "model has errors: {:?}", c.diagnostics);
    c
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plain diagram obeying the contract: elements on a grid, boundaries
/// as labelled frames in a row below, flows as straight lines. Deterministic.
pub fn grid_svg(model: &Model) -> String {
    let (w, h, cols) = (180.0, 56.0, 4usize);
    let pos = |i: usize| {
        (
            20.0 + (i % cols) as f64 * (w + 40.0),
            20.0 + (i / cols) as f64 * (h + 50.0),
        )
    };
    let rows = model.elements.len().div_ceil(cols).max(1);
    let by = 20.0 + rows as f64 * (h + 50.0);
    let height = by + 30.0 + model.boundaries.len().div_ceil(cols) as f64 * 50.0;
    let width = 20.0 + cols as f64 * (w + 40.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n\
<style>.tmd-element rect {{ fill: #fff; stroke: #333 }} .tmd-flow line {{ stroke: #555 }} #el-none {{ fill: red }}</style>\n\
<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n"
    );
    for (i, b) in model.boundary_ids().enumerate() {
        let (x, _) = pos(i);
        let y = by + (i / cols) as f64 * 50.0;
        let _ = writeln!(
            out,
            "<g class=\"tmd-boundary\" id=\"bd-{0}\" data-tmd-id=\"{0}\"><title>{1}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"36\" fill=\"none\" stroke=\"#c62828\" stroke-dasharray=\"6 4\"/><text x=\"{tx}\" y=\"{ty}\">{1}</text></g>",
            model[b].name,
            xml(&model[b].label),
            tx = x + 8.0,
            ty = y + 22.0
        );
    }
    for f in model.flow_ids() {
        let flow = &model[f];
        let (x1, y1) = pos(flow.source.index());
        let (x2, y2) = pos(flow.target.index());
        let _ = writeln!(
            out,
            "<g class=\"tmd-flow\" data-tmd-id=\"{}\" data-tmd-source=\"{}\" data-tmd-target=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" marker-end=\"url(#arrow)\"/></g>",
            xml(&flow.name),
            model[flow.source].name,
            model[flow.target].name,
            x1 + w / 2.0,
            y1 + h / 2.0,
            x2 + w / 2.0,
            y2 + h / 2.0
        );
    }
    for e in model.element_ids() {
        let el = &model[e];
        let (x, y) = pos(e.index());
        let _ = writeln!(
            out,
            "<g class=\"tmd-element tmd-{0}\" id=\"el-{1}\" data-tmd-id=\"{1}\"><title>{2}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\"/><text x=\"{tx}\" y=\"{ty}\">{2}</text></g>",
            el.kind.as_str(),
            el.name,
            xml(&el.label),
            rx = if el.kind.as_str() == "process" { 24 } else { 2 },
            tx = x + 10.0,
            ty = y + 32.0
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Every `.tmd` of the samples and the diagnostics, messages and valid
/// fixtures, sorted: what the no-panic tests feed the compiler and the
/// language server.
pub fn corpus() -> Vec<PathBuf> {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "samples",
        "tests/fixtures/diagnostics",
        "tests/fixtures/messages",
        "tests/fixtures/valid",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "tmd") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The mobile-banking sample taking part in the threat library: its first
/// open suggestion added as a threat (as `tmd suggest --write` adds it)
/// and another rule dismissed model-wide, with a reason that needs
/// escaping. Its report has a "Threat library" section. With the new
/// threat's ID.
pub fn library_model() -> (String, String) {
    let (_, text) = samples()
        .into_iter()
        .find(|(stem, _)| stem == "mobile-banking")
        .unwrap();
    let c = compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let library = &c.rules.library;
    let (_, all) = tmd::rules::for_file(c.file.as_ref().unwrap(), model, analysis, library);
    let open: Vec<&tmd::rules::Suggestion> = all
        .iter()
        .filter(|s| s.state == tmd::rules::State::Open)
        .collect();
    let first = open[0];
    let other = open
        .iter()
        .find(|s| s.rule != first.rule)
        .map(|s| library.rules()[s.rule].id.clone())
        .unwrap();
    let added = tmd::rules::write::blocks(model, library, &[first]);
    let text = tmd::rules::write::add(&c, &tmd::CompileOptions::default(), &added).unwrap();
    (
        format!(
            "{text}\n# tmd: dismiss {other} everywhere: decided in <b>review</b> | not *ours*\n"
        ),
        added[0].id.clone(),
    )
}
