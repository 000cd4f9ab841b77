//! `tmd export`: the resolved model and its analysis as JSON. The schema
//! is documented in `docs/json.md`; keys come in a fixed order, arrays in
//! declaration order.

use serde_json::{json, Map, Value};

use super::text::visible;
use crate::analysis::Analysis;
use crate::model::*;

fn s(text: &str) -> Value {
    Value::String(visible(text).into_owned())
}

fn opt(text: Option<&str>) -> Value {
    text.map_or(Value::Null, s)
}

fn severity(sev: Option<Severity>) -> Value {
    sev.map_or(Value::Null, |v| Value::String(v.as_str().to_string()))
}

pub fn attr_json(value: &AttrValue) -> Value {
    match value {
        AttrValue::Str(text) | AttrValue::Word(text) => s(text),
        AttrValue::Bool(b) => Value::Bool(*b),
        AttrValue::Int(digits) => match digits.parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(digits.clone()),
        },
        AttrValue::Date(d) => Value::String(d.to_string()),
        AttrValue::List(items) => Value::Array(items.iter().map(attr_json).collect()),
    }
}

fn attributes(attrs: &Attributes, skip: &[&str]) -> Value {
    let mut map = Map::new();
    for (key, value) in attrs {
        if !skip.contains(&key.as_str()) {
            map.insert(key.clone(), attr_json(value));
        }
    }
    Value::Object(map)
}

fn names<I: IntoIterator<Item = String>>(items: I) -> Value {
    Value::Array(items.into_iter().map(|n| s(&n)).collect())
}

/// A risk scale's definition: its axes with their levels (lowest first),
/// its severities with their bands (lowest first), and the table, row by
/// row, in the scale's words.
pub fn scale_json(scale: &Scale) -> Value {
    let axis = |a: &Axis| {
        json!({
            "name": s(&a.name),
            "levels": names(a.levels.iter().cloned()),
        })
    };
    let mut out = Map::new();
    out.insert("id".to_string(), s(&scale.name));
    out.insert("label".to_string(), s(&scale.label));
    out.insert("builtin".to_string(), Value::Bool(scale.builtin.is_some()));
    if let Some(d) = &scale.description {
        out.insert("description".to_string(), s(d));
    }
    out.insert("rows".to_string(), axis(&scale.rows));
    out.insert("columns".to_string(), axis(&scale.columns));
    out.insert(
        "severities".to_string(),
        Value::Array(
            scale
                .severities
                .iter()
                .map(|sev| json!({ "severity": s(&sev.word), "band": sev.band.as_str() }))
                .collect(),
        ),
    );
    out.insert(
        "table".to_string(),
        Value::Array(
            scale
                .table()
                .iter()
                .map(|row| names(row.iter().map(|&g| scale.word(g).to_string())))
                .collect(),
        ),
    );
    if !scale.attributes.is_empty() {
        out.insert("attributes".to_string(), attributes(&scale.attributes, &[]));
    }
    Value::Object(out)
}

/// The export as a JSON value.
pub fn export_value(model: &Model, analysis: &Analysis) -> Value {
    let mut meta = Map::new();
    let m = &model.meta;
    for (key, value) in [
        ("title", m.title.clone()),
        ("scope", m.scope.clone()),
        ("author", m.author.clone()),
        ("created", m.created.map(|d| d.to_string())),
        ("updated", m.updated.map(|d| d.to_string())),
        ("version", m.version.clone()),
    ] {
        if let Some(v) = value {
            meta.insert(key.to_string(), s(&v));
        }
    }
    meta.insert(
        "direction".to_string(),
        Value::String(m.direction().as_str().to_string()),
    );
    // Language 0.2 (schema 2), each only when given.
    for (key, list) in [
        ("reviewers", &m.reviewers),
        ("contributors", &m.contributors),
    ] {
        if !list.is_empty() {
            meta.insert(key.to_string(), names(list.iter().cloned()));
        }
    }
    if let Some(link) = &m.link {
        meta.insert("link".to_string(), s(link));
    }
    // Language 0.2: the risk scale in force, always (its definition is
    // `scale`, at the top).
    meta.insert("risk".to_string(), s(&model.scale.name));

    let flow_names = |ids: &[FlowId]| names(ids.iter().map(|&f| model[f].name.clone()));
    let asset_names = |ids: &[AssetId]| names(ids.iter().map(|&a| model[a].name.clone()));
    let threat_names = |ids: &[ThreatId]| names(ids.iter().map(|&t| model[t].name.clone()));

    let elements: Vec<Value> = model
        .element_ids()
        .map(|e| {
            let el = &model[e];
            let facts = analysis.element(e);
            json!({
                "id": s(&el.name),
                "kind": el.kind.as_str(),
                "label": s(&el.label),
                "attributes": attributes(&el.attributes, &[]),
                "boundary_path": names(facts.boundary_path.iter().map(|&b| model[b].name.clone())),
                "flows_in": flow_names(&facts.flows_in),
                "flows_out": flow_names(&facts.flows_out),
                "threats": threat_names(&facts.threats),
                "worst_severity": severity(facts.worst_open),
                "stride_gaps": facts.stride_gaps.to_string(),
                "assets": asset_names(&el.assets),
            })
        })
        .collect();

    let boundaries: Vec<Value> = model
        .boundary_ids()
        .map(|b| {
            let bd = &model[b];
            let facts = analysis.boundary(b);
            json!({
                "id": s(&bd.name),
                "label": s(&bd.label),
                "parent": bd.parent.map_or(Value::Null, |p| s(&model[p].name)),
                "kind": bd.kind.as_ref().map_or(Value::Null, |k| s(k.as_str())),
                "attributes": attributes(&bd.attributes, &[]),
                "threats": threat_names(&facts.threats),
                "worst_severity": severity(facts.worst_open),
                "crossing_assets": asset_names(&facts.crossing_assets),
            })
        })
        .collect();

    let flows: Vec<Value> = model
        .flow_ids()
        .map(|f| {
            let fl = &model[f];
            let facts = analysis.flow(f);
            let crossings: Vec<Value> = facts
                .crossings
                .iter()
                .map(|c| json!({ "boundary": s(&model[c.boundary].name), "direction": c.direction.as_str() }))
                .collect();
            json!({
                "id": s(&fl.name),
                "source": s(&model[fl.source].name),
                "target": s(&model[fl.target].name),
                "label": opt(fl.label.as_deref()),
                "attributes": attributes(&fl.attributes, &["initiator", "response_to"]),
                "initiator": s(&model[fl.initiator_element()].name),
                "reversed": facts.reversed,
                "response_to": fl.response_to.map_or(Value::Null, |r| s(&model[r].name)),
                "crossings": crossings,
                "threats": threat_names(&facts.threats),
                "worst_severity": severity(facts.worst_open),
                "assets": asset_names(&fl.assets),
            })
        })
        .collect();

    let actors: Vec<Value> = model
        .actors
        .iter()
        .map(|a| {
            json!({
                "id": s(&a.name),
                "label": s(&a.label),
                "builtin": a.builtin,
                "attributes": attributes(&a.attributes, &[]),
            })
        })
        .collect();

    let threats: Vec<Value> = model
        .threats
        .iter()
        .map(|t| {
            let scale = &model.scale;
            let rating = t
                .rating
                .map(|r| (scale.columns.level(r.column), scale.rows.level(r.row)));
            let (ease, impact) = super::table::primer_axes(scale, rating);
            json!({
                "id": s(&t.name),
                "title": s(&t.title),
                "target": t.target().map_or(Value::Null, |first| s(model.target_name(first))),
                "target_kind": t.target().map_or(Value::Null, |first| Value::from(model.target_kind(first))),
                "targets": t.targets.iter().map(|&x| s(model.target_name(x))).collect::<Vec<_>>(),
                "actor": t.actor.map_or(Value::Null, |a| s(&model[a].name)),
                "scenario": s(&t.scenario),
                "stride": t.stride.map_or(Value::Null, |st| Value::String(st.to_string())),
                "ease": ease,
                "impact": impact,
                "rating": super::table::rating_json(scale, rating),
                "severity": t.severity.as_str(),
                "scale_severity": s(scale.word(t.grade)),
                "severity_source": t.severity_source.as_str(),
                "mitigation": opt(t.mitigation.as_deref()),
                "remediation": t.remediation.map_or(Value::Null, |v| Value::String(v.as_str().into())),
                "status": t.status.as_str(),
                "out_of_scope": model.threat_out_of_scope(t),
                "attributes": attributes(&t.attributes, &[]),
                // Language 0.2: tracking facts (null when not given) and
                // the controls named.
                "justification": opt(t.tracking.justification.as_deref()),
                "owner": opt(t.tracking.owner.as_deref()),
                "ticket": opt(t.tracking.ticket.as_deref()),
                "reviewed_by": opt(t.tracking.reviewed_by.as_deref()),
                "reviewed_on": t.tracking.reviewed_on.map_or(Value::Null, |d| Value::String(d.to_string())),
                "expires": t.tracking.expires.map_or(Value::Null, |d| Value::String(d.to_string())),
                "controls": names(t.controls.iter().map(|&c| model[c].name.clone())),
            })
        })
        .collect();

    let controls: Vec<Value> = model
        .control_ids()
        .map(|c| {
            let control = &model[c];
            json!({
                "id": s(&control.name),
                "label": s(&control.label),
                "status": control.status.as_str(),
                "description": opt(control.description.as_deref()),
                "ticket": opt(control.ticket.as_deref()),
                "reduces": control.reduces,
                "attributes": attributes(&control.attributes, &[]),
                "threats": threat_names(&analysis.control(c).threats),
            })
        })
        .collect();

    let rating = |r: Option<CiaRating>| r.map_or(Value::Null, |r| Value::String(r.as_str().into()));
    let assets: Vec<Value> = model
        .asset_ids()
        .map(|a| {
            let asset = &model[a];
            let facts = analysis.asset(a);
            json!({
                "id": s(&asset.name),
                "label": s(&asset.label),
                "classification": s(model.classification_of(a)),
                "sensitive": model.is_sensitive(a),
                "confidentiality": rating(asset.confidentiality),
                "integrity": rating(asset.integrity),
                "availability": rating(asset.availability),
                "attributes": attributes(&asset.attributes, &[]),
                "flows": flow_names(&facts.flows),
                "elements": names(facts.elements.iter().map(|&e| model[e].name.clone())),
                "boundaries": names(facts.boundaries.iter().map(|&b| model[b].name.clone())),
            })
        })
        .collect();
    let classification = json!({
        "levels": names(model.classification.levels.iter().cloned()),
        "sensitive": model.classification.sensitive_level().map_or(Value::Null, s),
    });

    json!({
        "schema_version": 2,
        "meta": Value::Object(meta),
        "elements": elements,
        "boundaries": boundaries,
        "flows": flows,
        "actors": actors,
        "threats": threats,
        "assumptions": assumptions(model),
        "controls": controls,
        "classification": classification,
        "assets": assets,
        "scale": scale_json(&model.scale),
    })
}

/// Language 0.2: every assumption with what rests on it.
fn assumptions(model: &Model) -> Vec<Value> {
    model
        .assumptions
        .iter()
        .map(|a| {
            json!({
                "id": s(&a.name),
                "statement": s(&a.label),
                "status": a.status.as_str(),
                "owner": opt(a.owner.as_deref()),
                "description": opt(a.description.as_deref()),
                "for": names(a.dependents.iter().map(|&d| model.dependent_name(d).to_string())),
                "attributes": attributes(&a.attributes, &["status", "owner", "description"]),
            })
        })
        .collect()
}

/// The export as pretty-printed JSON text, ending in a line break.
pub fn export(model: &Model, analysis: &Analysis) -> String {
    let mut text = serde_json::to_string_pretty(&export_value(model, analysis)).unwrap_or_default();
    text.push('\n');
    text
}
