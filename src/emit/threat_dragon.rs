//! `tmd export --format threat-dragon`: an OWASP Threat Dragon version 2
//! model (docs/interop.md). One diagram, drawn where tmd's own SVG draws
//! it: the positions and sizes come from the built-in layout
//! ([`super::svg::geometry`]), so the model opens in Threat Dragon looking
//! like tmd's picture. Elements are actors, processes and stores;
//! boundaries are trust boundary boxes (nesting is geometry in Threat
//! Dragon, and tmd's layout draws a boundary around what it holds); flows
//! are edges with their label, protocol and flags; threats sit in the
//! cells they are on.
//!
//! What Threat Dragon has no field for rides along in a `tmd` object in a
//! cell's `data` (and in a threat): each value typed (`"text"`, `true`,
//! `{"word": "fix"}`, `{"date": "2026-01-31"}`, `{"int": "3"}`, lists),
//! so that `tmd import threat-dragon` gives the same model back. Threat
//! Dragon keeps a cell's `data` as it finds it. Strings pass through
//! `visible()` as in every output.

use serde_json::{json, Map, Value};

use super::svg::geometry;
use super::text::visible;
use crate::analysis::Analysis;
use crate::layout::Rect;
use crate::model::*;

/// The Threat Dragon version the document claims (the schema's).
pub const VERSION: &str = "2.3.0";

fn s(text: &str) -> Value {
    Value::String(visible(text).into_owned())
}

/// A tmd value, typed, for the `tmd` object.
pub fn carry(value: &AttrValue) -> Value {
    match value {
        AttrValue::Str(text) => s(text),
        AttrValue::Bool(b) => Value::Bool(*b),
        AttrValue::Int(digits) => json!({ "int": digits }),
        AttrValue::Date(d) => json!({ "date": d.to_string() }),
        AttrValue::Word(w) => json!({ "word": w }),
        AttrValue::List(items) => Value::Array(items.iter().map(carry).collect()),
    }
}

/// The carried attributes of an item, less those with a Threat Dragon field.
fn carried(attributes: &Attributes, native: &[&str]) -> Map<String, Value> {
    attributes
        .iter()
        .filter(|(k, _)| !native.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), carry(v)))
        .collect()
}

/// A value written as a word when it is one, else as a string.
fn word_or_string(text: &str) -> Value {
    let mut chars = text.chars();
    let word = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && text != "true"
        && text != "false";
    if word {
        json!({ "word": text })
    } else {
        s(text)
    }
}

fn asset_list(model: &Model, assets: &[AssetId]) -> Value {
    Value::Array(
        assets
            .iter()
            .map(|&a| json!({ "word": model[a].name }))
            .collect(),
    )
}

/// A cell's id: the tmd ID, with `-cell` after an ID of one character
/// (Threat Dragon's schema wants two at least; a `-` is in no tmd ID, so
/// this names no other cell).
fn cell_id(name: &str) -> Value {
    if name.chars().count() >= 2 {
        s(name)
    } else {
        s(&format!("{name}-cell"))
    }
}

/// The tmd ID in the `tmd` object, when the cell's id is not it.
fn short_id(extra: &mut Map<String, Value>, name: &str) {
    if name.chars().count() < 2 {
        extra.insert("id".into(), s(name));
    }
}

fn round(n: f64) -> Value {
    let r = (n * 10.0).round() / 10.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

fn position(r: &Rect) -> Value {
    json!({ "x": round(r.x), "y": round(r.y) })
}

fn size(r: &Rect) -> Value {
    // The schema's minimum is 10.
    json!({ "width": round(r.width.max(10.0)), "height": round(r.height.max(10.0)) })
}

/// The Threat Dragon severity of a band.
fn severity(band: Severity) -> &'static str {
    match band {
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
    }
}

/// The Threat Dragon status of a tmd status (the exact one is carried).
fn status(status: Status) -> &'static str {
    match status {
        Status::Open | Status::Investigating | Status::InProgress => "Open",
        Status::Mitigated => "Mitigated",
        Status::Accepted => "Accepted",
        Status::Transferred => "Transferred",
        Status::FalsePositive => "NotApplicable",
    }
}

/// The Threat Dragon threat type of a STRIDE letter, as Threat Dragon
/// writes it.
pub fn threat_type(letter: char) -> &'static str {
    Stride::LETTERS
        .iter()
        .position(|&l| l == letter)
        .and_then(|i| Stride::NAMES.get(i))
        .copied()
        .unwrap_or("")
}

fn threat_json(model: &Model, t: ThreatId) -> Value {
    let threat = &model[t];
    let scale = &model.scale;
    let letters: Vec<char> = threat
        .stride
        .map(|s| s.letters().collect())
        .unwrap_or_default();
    let mut extra = carried(&threat.attributes, &[]);
    if letters.len() > 1 {
        let word: String = letters.iter().collect();
        extra.insert("stride".into(), json!({ "word": word }));
    }
    if !matches!(
        threat.status,
        Status::Open | Status::Mitigated | Status::Accepted | Status::Transferred
    ) {
        extra.insert("status".into(), json!({ "word": threat.status.as_str() }));
    }
    if scale.is_primer() {
        if let Some(r) = threat.rating {
            let [column, row] = scale.axis_keys();
            extra.insert(
                column.to_string(),
                json!({ "word": scale.columns.level(r.column) }),
            );
            extra.insert(row.to_string(), json!({ "word": scale.rows.level(r.row) }));
            if threat.severity_source == SeveritySource::Given {
                extra.insert("severity_given".into(), Value::Bool(true));
            }
        }
    }
    if let Some(actor) = threat.actor {
        extra.insert("actor".into(), json!({ "word": model[actor].name }));
    }
    if let Some(r) = threat.remediation {
        extra.insert("remediation".into(), json!({ "word": r.as_str() }));
    }
    let tracking = &threat.tracking;
    for (key, value) in [
        ("justification", &tracking.justification),
        ("owner", &tracking.owner),
        ("ticket", &tracking.ticket),
        ("reviewed_by", &tracking.reviewed_by),
    ] {
        if let Some(v) = value {
            extra.insert(key.into(), s(v));
        }
    }
    for (key, value) in [
        ("reviewed_on", tracking.reviewed_on),
        ("expires", tracking.expires),
    ] {
        if let Some(d) = value {
            extra.insert(key.into(), json!({ "date": d.to_string() }));
        }
    }
    if threat.targets.len() > 1 {
        // The order written (each cell holds the threat).
        let names = threat.targets.iter().map(|&t| match t {
            Target::Element(e) => s(&model[e].name),
            Target::Boundary(b) => s(&model[b].name),
            Target::Flow(f) => s(&model[f].name),
        });
        extra.insert("targets".into(), Value::Array(names.collect()));
    }
    if !threat.controls.is_empty() {
        extra.insert(
            "controls".into(),
            Value::Array(
                threat
                    .controls
                    .iter()
                    .map(|&c| json!({ "word": model[c].name }))
                    .collect(),
            ),
        );
    }
    let mut out = json!({
        "id": s(&threat.name),
        "title": s(&threat.title),
        "status": status(threat.status),
        "severity": severity(threat.severity),
        "type": letters.first().map_or("", |&l| threat_type(l)),
        "description": s(&threat.scenario),
        "mitigation": s(threat.mitigation.as_deref().unwrap_or("")),
        "modelType": "STRIDE",
        "number": t.index() + 1,
        "score": "",
    });
    if !extra.is_empty() {
        if let Some(o) = out.as_object_mut() {
            o.insert("tmd".into(), Value::Object(extra));
        }
    }
    out
}

fn threats_on(model: &Model, list: &[ThreatId]) -> (Value, bool) {
    let open = list.iter().any(|&t| model.counts_as_open(t));
    (
        Value::Array(list.iter().map(|&t| threat_json(model, t)).collect()),
        open,
    )
}

fn with_tmd(mut data: Value, extra: Map<String, Value>) -> Value {
    if !extra.is_empty() {
        if let Some(o) = data.as_object_mut() {
            o.insert("tmd".into(), Value::Object(extra));
        }
    }
    data
}

fn body(dashed: bool) -> Value {
    json!({
        "stroke": if dashed { "red" } else { "#333333" },
        "strokeWidth": if dashed { 2.5 } else { 1.5 },
        "strokeDasharray": if dashed { "10 5" } else { "" },
    })
}

/// The Threat Dragon model of `model`, as pretty JSON.
pub fn threat_dragon(model: &Model, analysis: &Analysis) -> String {
    let value = threat_dragon_value(model, analysis);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

pub fn threat_dragon_value(model: &Model, analysis: &Analysis) -> Value {
    let geo = geometry(model, analysis);
    let zero = Rect {
        x: 0.0,
        y: 0.0,
        width: 10.0,
        height: 10.0,
    };

    let mut on_element: Vec<Vec<ThreatId>> = vec![Vec::new(); model.elements.len()];
    let mut on_boundary: Vec<Vec<ThreatId>> = vec![Vec::new(); model.boundaries.len()];
    let mut on_flow: Vec<Vec<ThreatId>> = vec![Vec::new(); model.flows.len()];
    for t in model.threat_ids() {
        for &target in &model[t].targets {
            let list = match target {
                Target::Element(e) => on_element.get_mut(e.index()),
                Target::Boundary(b) => on_boundary.get_mut(b.index()),
                Target::Flow(f) => on_flow.get_mut(f.index()),
            };
            if let Some(list) = list {
                list.push(t);
            }
        }
    }

    let mut cells = Vec::new();
    // Boundaries first, under everything (the outermost lowest).
    for b in model.boundary_ids() {
        let bd = &model[b];
        let r = geo.boundaries.get(b.index()).copied().unwrap_or(zero);
        let depth = analysis.boundary(b).path.len() as i64;
        let (threats, open) = threats_on(model, on_boundary.get(b.index()).map_or(&[], |v| v));
        let mut extra = carried(&bd.attributes, &["description"]);
        short_id(&mut extra, &bd.name);
        if let Some(kind) = &bd.kind {
            extra.insert("kind".into(), word_or_string(kind.as_str()));
        }
        let data = json!({
            "type": "tm.BoundaryBox",
            "name": s(&bd.label),
            "description": s(bd.description.as_deref().unwrap_or("")),
            "isTrustBoundary": true,
            "hasOpenThreats": open,
            "threats": threats,
        });
        cells.push(json!({
            "id": cell_id(&bd.name),
            "shape": "trust-boundary-box",
            "position": position(&r),
            "size": size(&r),
            "attrs": { "label": { "text": s(&bd.label) } },
            "visible": true,
            "zIndex": depth - 100,
            "data": with_tmd(data, extra),
        }));
    }
    for e in model.element_ids() {
        let el = &model[e];
        let r = geo.elements.get(e.index()).copied().unwrap_or(zero);
        let (threats, open) = threats_on(model, on_element.get(e.index()).map_or(&[], |v| v));
        let (shape, kind) = match el.kind {
            ElementKind::External => ("actor", "tm.Actor"),
            ElementKind::Process => ("process", "tm.Process"),
            ElementKind::Store => ("store", "tm.Store"),
        };
        let mut extra = carried(&el.attributes, &["description", "out_of_scope"]);
        short_id(&mut extra, &el.name);
        if !el.assets.is_empty() {
            extra.insert("assets".into(), asset_list(model, &el.assets));
        }
        let data = json!({
            "type": kind,
            "name": s(&el.label),
            "description": s(el.description.as_deref().unwrap_or("")),
            "outOfScope": el.out_of_scope,
            "reasonOutOfScope": s(el.out_of_scope_reason.as_deref().unwrap_or("")),
            "isTrustBoundary": false,
            "hasOpenThreats": open,
            "threats": threats,
        });
        let attrs = if el.kind == ElementKind::Store {
            json!({
                "text": { "text": s(&el.label) },
                "topLine": body(open),
                "bottomLine": body(open),
            })
        } else {
            json!({ "text": { "text": s(&el.label) }, "body": body(open) })
        };
        cells.push(json!({
            "id": cell_id(&el.name),
            "shape": shape,
            "position": position(&r),
            "size": size(&r),
            "attrs": attrs,
            "visible": true,
            "zIndex": 1,
            "data": with_tmd(data, extra),
        }));
    }
    for f in model.flow_ids() {
        let fl = &model[f];
        let (threats, open) = threats_on(model, on_flow.get(f.index()).map_or(&[], |v| v));
        let native = [
            "description",
            "out_of_scope",
            "protocol",
            "encrypted",
            "response_to",
        ];
        let mut extra = carried(&fl.attributes, &native);
        short_id(&mut extra, &fl.name);
        if fl.encrypted == Some(false) {
            extra.insert("encrypted".into(), Value::Bool(false));
        }
        if !fl.assets.is_empty() {
            extra.insert("assets".into(), asset_list(model, &fl.assets));
        }
        if !fl.explicit {
            extra.insert("implicit".into(), Value::Bool(true));
        }
        if let Some(request) = fl.response_to {
            extra.insert("response_to".into(), cell_id(&model[request].name));
        }
        let label = fl.label.as_deref().unwrap_or("");
        let data = json!({
            "type": "tm.Flow",
            "name": s(label),
            "description": s(fl.description.as_deref().unwrap_or("")),
            "outOfScope": fl.out_of_scope,
            "reasonOutOfScope": s(fl.out_of_scope_reason.as_deref().unwrap_or("")),
            "protocol": s(fl.protocol.as_deref().unwrap_or("")),
            "isEncrypted": fl.encrypted == Some(true),
            "isPublicNetwork": false,
            "isBidirectional": false,
            "isTrustBoundary": false,
            "hasOpenThreats": open,
            "threats": threats,
        });
        let (points, _) = geo.flows.get(f.index()).cloned().unwrap_or_default();
        // The route's inner points; its ends are on the cells' outlines,
        // where Threat Dragon attaches the edge itself.
        let vertices: Vec<Value> = points
            .iter()
            .skip(1)
            .take(points.len().saturating_sub(2))
            .map(|p| json!({ "x": round(p.x), "y": round(p.y) }))
            .collect();
        let mut cell = json!({
            "id": cell_id(&fl.name),
            "shape": "flow",
            "attrs": {
                "line": {
                    "stroke": if open { "red" } else { "#333333" },
                    "strokeWidth": if open { 2.5 } else { 1.5 },
                    "targetMarker": { "name": "block" },
                    "sourceMarker": { "name": "" },
                    "strokeDasharray": "",
                },
            },
            "labels": [{
                "markup": [
                    { "tagName": "ellipse", "selector": "labelBody" },
                    { "tagName": "text", "selector": "labelText" },
                ],
                "attrs": {
                    "labelText": {
                        "text": s(label),
                        "textAnchor": "middle",
                        "textVerticalAnchor": "middle",
                    },
                    "labelBody": {
                        "ref": "labelText",
                        "refRx": "50%",
                        "refRy": "60%",
                        "fill": "#fff",
                        "strokeWidth": 0,
                    },
                },
                "position": { "distance": 0.5, "args": { "keepGradient": true, "ensureLegibility": true } },
            }],
            "connector": "normal",
            "router": { "name": "normal" },
            "visible": true,
            "zIndex": 10,
            "source": { "cell": cell_id(&model[fl.source].name) },
            "target": { "cell": cell_id(&model[fl.target].name) },
            "data": with_tmd(data, extra),
        });
        if !vertices.is_empty() {
            if let Some(o) = cell.as_object_mut() {
                o.insert("vertices".into(), Value::Array(vertices));
            }
        }
        cells.push(cell);
    }

    let meta = &model.meta;
    let title = meta.title.as_deref().unwrap_or("tmd model");
    let mut summary = Map::new();
    summary.insert("title".into(), s(title));
    summary.insert("owner".into(), s(meta.author.as_deref().unwrap_or("")));
    summary.insert("description".into(), s(meta.scope.as_deref().unwrap_or("")));
    summary.insert("id".into(), json!(0));
    let contributors: Vec<Value> = meta
        .contributors
        .iter()
        .map(|c| json!({ "name": s(c) }))
        .collect();
    let mut detail = json!({
        "contributors": contributors,
        "diagrams": [{
            "id": 0,
            "title": s(title),
            "diagramType": "STRIDE",
            "placeholder": "New STRIDE diagram description",
            "thumbnail": "./public/content/images/thumbnail.stride.jpg",
            "version": VERSION,
            "description": s(meta.scope.as_deref().unwrap_or("")),
            "cells": cells,
        }],
        "diagramTop": 1,
        "reviewer": s(&meta.reviewers.join(", ")),
        "threatTop": model.threats.len(),
    });
    if let Some(o) = detail.as_object_mut() {
        o.insert("tmd".into(), Value::Object(model_facts(model)));
    }
    json!({
        "version": VERSION,
        "summary": Value::Object(summary),
        "detail": detail,
    })
}

/// What the model says beyond its diagram, carried in `detail.tmd`: the
/// headers Threat Dragon has no field for, the reviewers as a list (it
/// has one reviewer), declared actors, data assets and controls. Not
/// carried: risk scales, assumptions.
fn model_facts(model: &Model) -> Map<String, Value> {
    let meta = &model.meta;
    let mut out = Map::new();
    out.insert("generator".into(), json!("tmd"));
    let mut headers = Map::new();
    if let Some(d) = meta.created {
        headers.insert("created".into(), json!({ "date": d.to_string() }));
    }
    if let Some(d) = meta.updated {
        headers.insert("updated".into(), json!({ "date": d.to_string() }));
    }
    if let Some(v) = &meta.version {
        headers.insert("version".into(), s(v));
    }
    if let Some(d) = meta.direction {
        headers.insert("direction".into(), json!({ "word": d.as_str() }));
    }
    if meta.reviewers.len() > 1 {
        headers.insert(
            "reviewers".into(),
            Value::Array(meta.reviewers.iter().map(|r| s(r)).collect()),
        );
    }
    if let Some(link) = &meta.link {
        headers.insert("link".into(), s(link));
    }
    if let Some(levels) = &meta.classification {
        headers.insert(
            "classification".into(),
            Value::Array(levels.iter().map(|l| json!({ "word": l })).collect()),
        );
    }
    if let Some(level) = &meta.sensitive {
        headers.insert("sensitive".into(), json!({ "word": level }));
    }
    if !headers.is_empty() {
        out.insert("headers".into(), Value::Object(headers));
    }
    let decl = |id: &str, label: &str, keys: Map<String, Value>| json!({ "id": s(id), "label": s(label), "keys": keys });
    let actors: Vec<Value> = model
        .actors
        .iter()
        .filter(|a| !a.builtin)
        .map(|a| {
            let mut keys = carried(&a.attributes, &["description"]);
            if let Some(d) = &a.description {
                keys.insert("description".into(), s(d));
            }
            decl(&a.name, &a.label, keys)
        })
        .collect();
    if !actors.is_empty() {
        out.insert("actors".into(), Value::Array(actors));
    }
    let levels = &model.classification.levels;
    let assets: Vec<Value> = model
        .assets
        .iter()
        .map(|a| {
            let mut keys = carried(
                &a.attributes,
                &[
                    "description",
                    "classification",
                    "confidentiality",
                    "integrity",
                    "availability",
                ],
            );
            if let Some(d) = &a.description {
                keys.insert("description".into(), s(d));
            }
            if let Some(level) = levels.get(a.classification) {
                keys.insert("classification".into(), json!({ "word": level }));
            }
            for (key, rating) in [
                ("confidentiality", a.confidentiality),
                ("integrity", a.integrity),
                ("availability", a.availability),
            ] {
                if let Some(r) = rating {
                    keys.insert(key.into(), json!({ "word": r.as_str() }));
                }
            }
            decl(&a.name, &a.label, keys)
        })
        .collect();
    if !assets.is_empty() {
        out.insert("assets".into(), Value::Array(assets));
    }
    let controls: Vec<Value> = model
        .controls
        .iter()
        .map(|c| {
            let mut keys = carried(
                &c.attributes,
                &["status", "description", "ticket", "reduces"],
            );
            keys.insert("status".into(), json!({ "word": c.status.as_str() }));
            if let Some(d) = &c.description {
                keys.insert("description".into(), s(d));
            }
            if let Some(t) = &c.ticket {
                keys.insert("ticket".into(), s(t));
            }
            if let Some(r) = c.reduces {
                keys.insert("reduces".into(), json!({ "int": r.to_string() }));
            }
            decl(&c.name, &c.label, keys)
        })
        .collect();
    if !controls.is_empty() {
        out.insert("controls".into(), Value::Array(controls));
    }
    out
}
