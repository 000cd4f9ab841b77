//! `tmd export --format otm`: the model as an Open Threat Model document
//! (OTM 0.2.0, iriusrisk/OpenThreatModel), for IriusRisk and the tools
//! that read OTM. The mapping is in docs/interop.md.
//!
//! OTM has trust zones, components, dataflows, threats (with categories
//! and a likelihood × impact risk in 0..100), mitigations and assets.
//! What OTM has no field for is kept in the `attributes` object every OTM
//! item has, under the tmd keys it came from (`tech`, `protocol`,
//! `initiator`, `severity`, ...), so that a reader that knows tmd loses
//! nothing and one that does not still sees the facts.
//!
//! Conventions for what OTM requires and tmd does not have:
//! - every component needs a parent: elements outside every boundary go in
//!   a trust zone `tmd-outside` (`attributes.tmd: "outside"`);
//! - a trust zone needs a trust rating: tmd has none and writes 50;
//! - an asset needs confidentiality, integrity and availability numbers:
//!   `low` 33, `medium` 67, `high` 100, and 0 when not given;
//! - threats on boundaries, or on no target yet, are listed in `threats`
//!   and their targets in the threat's `attributes.targets`, since OTM
//!   attaches threats only to components and dataflows.

use serde_json::{json, Map, Value};

use super::export::attr_json;
use super::text::visible;
use crate::model::*;

/// The trust zone that holds the elements outside every boundary.
pub const OUTSIDE: &str = "tmd-outside";
/// The trust rating written for every trust zone.
pub const TRUST_RATING: u32 = 50;

fn s(text: &str) -> Value {
    Value::String(visible(text).into_owned())
}

/// The model's attributes (as written, `x_` keys included), less `skip`,
/// plus `extra`.
fn attrs(attributes: &Attributes, skip: &[&str], extra: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (key, value) in attributes {
        if !skip.contains(&key.as_str()) {
            map.insert(key.clone(), attr_json(value));
        }
    }
    for (key, value) in extra {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

/// A level's place on a 0..100 scale: the highest level is 100.
fn percent(index: usize, levels: usize) -> u64 {
    let levels = levels.max(1) as u64;
    (100 * (index as u64 + 1) + levels / 2) / levels
}

/// A CIA rating as an OTM number.
fn cia(rating: Option<CiaRating>) -> u64 {
    match rating {
        None => 0,
        Some(CiaRating::Low) => 33,
        Some(CiaRating::Medium) => 67,
        Some(CiaRating::High) => 100,
    }
}

/// The OTM state of a threat with this status.
pub fn threat_state(status: Status) -> &'static str {
    match status {
        Status::Open | Status::Investigating | Status::InProgress => "exposed",
        Status::Mitigated => "mitigated",
        Status::Accepted | Status::Transferred => "accepted",
        Status::FalsePositive => "not-applicable",
    }
}

/// The OTM state of a control.
pub fn mitigation_state(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Planned => "recommended",
        ControlStatus::Implemented | ControlStatus::Verified => "implemented",
    }
}

/// A STRIDE letter as the category word OTM documents use.
pub fn category(letter: char) -> &'static str {
    match letter {
        'S' => "Spoofing",
        'T' => "Tampering",
        'R' => "Repudiation",
        'I' => "Information Disclosure",
        'D' => "Denial of Service",
        _ => "Elevation of Privilege",
    }
}

/// The project ID: the title in lower case, runs of anything else as `-`.
fn project_id(title: Option<&str>) -> String {
    let mut id = String::new();
    for c in title.unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "tmd-model".to_string()
    } else {
        id
    }
}

fn target_name(model: &Model, target: Target) -> String {
    match target {
        Target::Element(e) => model[e].name.clone(),
        Target::Boundary(b) => model[b].name.clone(),
        Target::Flow(f) => model[f].name.clone(),
    }
}

/// A threat instance on a component or dataflow.
fn instance(model: &Model, t: ThreatId) -> Value {
    let threat = &model[t];
    let mitigations: Vec<Value> = threat
        .controls
        .iter()
        .map(|&c| {
            json!({
                "mitigation": s(&model[c].name),
                "state": mitigation_state(model[c].status),
            })
        })
        .collect();
    json!({
        "threat": s(&threat.name),
        "state": threat_state(threat.status),
        "mitigations": mitigations,
    })
}

/// The OTM document of a valid model, as pretty JSON with a final newline.
pub fn otm(model: &Model) -> String {
    let value = otm_value(model);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The OTM document in YAML (`tmd export --format otm-yaml`): the same
/// document as [`otm`], key for key, in block style. Every string value is
/// double-quoted with JSON's escapes (which YAML's double-quoted style
/// shares), plus `\u` escapes for what YAML may not hold raw or reads as
/// a line break (DEL and the C1 controls, U+2028, U+2029, U+FEFF, U+FFFE,
/// U+FFFF), so that no reader, YAML
/// 1.1 or 1.2, takes `yes`, `on`, `2024-01-02` or `12:30` for anything but
/// a string. Keys are plain when they are ASCII words, quoted otherwise.
pub fn otm_yaml(model: &Model) -> String {
    let mut out = String::new();
    yaml_block(&otm_value(model), 0, &mut out);
    out
}

fn yaml_string(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn yaml_key(k: &str) -> String {
    let plain = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain
        && !["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
            .contains(&k.to_ascii_lowercase().as_str())
    {
        k.to_string()
    } else {
        yaml_string(k)
    }
}

/// A scalar, or an empty collection, on the line it starts.
fn yaml_inline(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(yaml_string(s)),
        Value::Array(a) if a.is_empty() => Some("[]".to_string()),
        Value::Object(m) if m.is_empty() => Some("{}".to_string()),
        _ => None,
    }
}

/// A non-empty mapping or sequence as lines at `indent`; the first line's
/// indentation is left to the caller when `out` does not end a line.
fn yaml_block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let mut first = true;
    let mut lead = |out: &mut String| {
        if !(first && !out.is_empty() && !out.ends_with('\n')) {
            out.push_str(&pad);
        }
        first = false;
    };
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                lead(out);
                out.push_str(&yaml_key(k));
                out.push(':');
                match yaml_inline(item) {
                    Some(text) => {
                        out.push(' ');
                        out.push_str(&text);
                        out.push('\n');
                    }
                    None => {
                        out.push('\n');
                        yaml_block(item, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(a) => {
            for item in a {
                lead(out);
                out.push_str("- ");
                match yaml_inline(item) {
                    Some(text) => {
                        out.push_str(&text);
                        out.push('\n');
                    }
                    None => yaml_block(item, indent + 2, out),
                }
            }
        }
        other => {
            lead(out);
            out.push_str(&yaml_inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// The OTM document as a JSON value.
pub fn otm_value(model: &Model) -> Value {
    let meta = &model.meta;
    let mut project_attrs = Map::new();
    project_attrs.insert("generator".into(), json!("tmd"));
    if let Some(created) = meta.created {
        project_attrs.insert("created".into(), json!(created.to_string()));
    }
    if let Some(updated) = meta.updated {
        project_attrs.insert("updated".into(), json!(updated.to_string()));
    }
    if let Some(version) = &meta.version {
        project_attrs.insert("version".into(), s(version));
    }
    if let Some(direction) = meta.direction {
        project_attrs.insert("direction".into(), json!(direction.as_str()));
    }
    if !meta.reviewers.is_empty() {
        project_attrs.insert(
            "reviewers".into(),
            Value::Array(meta.reviewers.iter().map(|r| s(r)).collect()),
        );
    }
    if !meta.contributors.is_empty() {
        project_attrs.insert(
            "contributors".into(),
            Value::Array(meta.contributors.iter().map(|r| s(r)).collect()),
        );
    }
    if let Some(link) = &meta.link {
        project_attrs.insert("link".into(), s(link));
    }
    project_attrs.insert("risk".into(), s(&model.scale.name));
    if let Some(levels) = &meta.classification {
        project_attrs.insert(
            "classification".into(),
            Value::Array(levels.iter().map(|l| s(l)).collect()),
        );
    }
    if let Some(sensitive) = &meta.sensitive {
        project_attrs.insert("sensitive".into(), s(sensitive));
    }
    let declared: Vec<Value> = model
        .actors
        .iter()
        .filter(|a| !a.builtin)
        .map(|a| {
            json!({
                "id": s(&a.name),
                "label": s(&a.label),
                "attributes": attrs(&a.attributes, &[], vec![]),
            })
        })
        .collect();
    if !declared.is_empty() {
        project_attrs.insert("actors".into(), Value::Array(declared));
    }
    let mut project = Map::new();
    project.insert(
        "name".into(),
        s(meta.title.as_deref().unwrap_or("tmd model")),
    );
    project.insert("id".into(), json!(project_id(meta.title.as_deref())));
    if let Some(scope) = &meta.scope {
        project.insert("description".into(), s(scope));
    }
    if let Some(author) = &meta.author {
        project.insert("owner".into(), s(author));
    }
    project.insert("attributes".into(), Value::Object(project_attrs));

    let levels = &model.classification.levels;
    let assets: Vec<Value> = model
        .assets
        .iter()
        .map(|a| {
            let level = levels.get(a.classification).map_or("", String::as_str);
            let mut extra = vec![("classification", s(level))];
            for (key, rating) in [
                ("confidentiality", a.confidentiality),
                ("integrity", a.integrity),
                ("availability", a.availability),
            ] {
                if let Some(r) = rating {
                    extra.push((key, json!(r.as_str())));
                }
            }
            json!({
                "name": s(&a.label),
                "id": s(&a.name),
                "description": a.description.as_deref().map_or(Value::Null, s),
                "risk": {
                    "confidentiality": cia(a.confidentiality),
                    "integrity": cia(a.integrity),
                    "availability": cia(a.availability),
                },
                "attributes": attrs(&a.attributes, &["description"], extra),
            })
        })
        .collect();

    let mut trust_zones: Vec<Value> = model
        .boundaries
        .iter()
        .map(|b| {
            let mut zone = Map::new();
            zone.insert("id".into(), s(&b.name));
            zone.insert("name".into(), s(&b.label));
            if let Some(kind) = &b.kind {
                zone.insert("type".into(), s(kind.as_str()));
            }
            zone.insert(
                "description".into(),
                b.description.as_deref().map_or(Value::Null, s),
            );
            zone.insert("risk".into(), json!({ "trustRating": TRUST_RATING }));
            if let Some(parent) = b.parent {
                zone.insert(
                    "parent".into(),
                    json!({ "trustZone": s(&model[parent].name) }),
                );
            }
            zone.insert(
                "attributes".into(),
                attrs(&b.attributes, &["kind", "description"], vec![]),
            );
            Value::Object(zone)
        })
        .collect();
    if model.elements.iter().any(|e| e.boundary.is_none()) {
        trust_zones.push(json!({
            "id": OUTSIDE,
            "name": "Outside every boundary",
            "description": "Elements that the tmd model puts outside every trust boundary",
            "risk": { "trustRating": TRUST_RATING },
            "attributes": { "tmd": "outside" },
        }));
    }

    // Threats on each element and flow, in declaration order.
    let mut on_element: Vec<Vec<ThreatId>> = vec![Vec::new(); model.elements.len()];
    let mut on_flow: Vec<Vec<ThreatId>> = vec![Vec::new(); model.flows.len()];
    for t in model.threat_ids() {
        for &target in &model[t].targets {
            match target {
                Target::Element(e) => {
                    if let Some(list) = on_element.get_mut(e.index()) {
                        list.push(t);
                    }
                }
                Target::Flow(f) => {
                    if let Some(list) = on_flow.get_mut(f.index()) {
                        list.push(t);
                    }
                }
                Target::Boundary(_) => {}
            }
        }
    }

    let components: Vec<Value> = model
        .element_ids()
        .map(|e| {
            let el = &model[e];
            let parent = el
                .boundary
                .map_or_else(|| json!(OUTSIDE), |b| s(&model[b].name));
            let asset_names: Vec<Value> = el.assets.iter().map(|&a| s(&model[a].name)).collect();
            let assets = if asset_names.is_empty() {
                Value::Null
            } else if el.kind == ElementKind::Store {
                json!({ "processed": [], "stored": asset_names })
            } else {
                json!({ "processed": asset_names, "stored": [] })
            };
            let threats: Vec<Value> = on_element
                .get(e.index())
                .map(|list| list.iter().map(|&t| instance(model, t)).collect())
                .unwrap_or_default();
            json!({
                "id": s(&el.name),
                "name": s(&el.label),
                "type": el.kind.as_str(),
                "description": el.description.as_deref().map_or(Value::Null, s),
                "parent": { "trustZone": parent },
                "assets": assets,
                "threats": threats,
                "attributes": attrs(&el.attributes, &["description", "assets"], vec![]),
            })
        })
        .collect();

    let dataflows: Vec<Value> = model
        .flow_ids()
        .map(|f| {
            let fl = &model[f];
            let threats: Vec<Value> = on_flow
                .get(f.index())
                .map(|list| list.iter().map(|&t| instance(model, t)).collect())
                .unwrap_or_default();
            let mut extra = Vec::new();
            if fl.explicit {
                extra.push(("named", Value::Bool(true)));
            }
            if fl.is_reversed() {
                extra.push(("initiator", s(&model[fl.target].name)));
            }
            if let Some(request) = fl.response_to {
                extra.push(("response_to", s(&model[request].name)));
            }
            json!({
                "id": s(&fl.name),
                "name": s(fl.label.as_deref().unwrap_or("")),
                "description": fl.description.as_deref().map_or(Value::Null, s),
                "bidirectional": false,
                "source": s(&model[fl.source].name),
                "destination": s(&model[fl.target].name),
                "assets": fl.assets.iter().map(|&a| s(&model[a].name)).collect::<Vec<_>>(),
                "threats": threats,
                "attributes": attrs(
                    &fl.attributes,
                    &["description", "assets", "initiator", "response_to"],
                    extra,
                ),
            })
        })
        .collect();

    let scale = &model.scale;
    let threats: Vec<Value> = model
        .threats
        .iter()
        .map(|t| {
            let (likelihood, impact) = match t.rating {
                Some(r) => (
                    json!(percent(r.column, scale.columns.levels.len())),
                    percent(r.row, scale.rows.levels.len()),
                ),
                None => (
                    Value::Null,
                    percent(t.grade.index(), scale.severities.len()),
                ),
            };
            let mut extra = vec![("severity", s(scale.word(t.grade)))];
            if !scale.is_primer() {
                // Its band (low, medium, high), for readers without the scale.
                extra.push(("band", json!(t.severity.as_str())));
            }
            if let Some(r) = t.rating {
                let [column_key, row_key] = scale.axis_keys();
                extra.push((column_key, s(scale.columns.level(r.column))));
                extra.push((row_key, s(scale.rows.level(r.row))));
                if t.severity_source == SeveritySource::Given {
                    extra.push(("severity_given", Value::Bool(true)));
                }
            }
            extra.push(("status", json!(t.status.as_str())));
            if let Some(actor) = t.actor {
                extra.push(("actor", s(&model[actor].name)));
            }
            if let Some(stride) = t.stride {
                extra.push(("stride", json!(stride.to_string())));
            }
            if let Some(m) = &t.mitigation {
                extra.push(("mitigation", s(m)));
            }
            if let Some(r) = t.remediation {
                extra.push(("remediation", json!(r.as_str())));
            }
            let tracking = &t.tracking;
            for (key, value) in [
                ("justification", &tracking.justification),
                ("owner", &tracking.owner),
                ("ticket", &tracking.ticket),
                ("reviewed_by", &tracking.reviewed_by),
            ] {
                if let Some(v) = value {
                    extra.push((key, s(v)));
                }
            }
            for (key, value) in [
                ("reviewed_on", tracking.reviewed_on),
                ("expires", tracking.expires),
            ] {
                if let Some(d) = value {
                    extra.push((key, json!(d.to_string())));
                }
            }
            extra.push((
                "targets",
                Value::Array(
                    t.targets
                        .iter()
                        .map(|&target| s(&target_name(model, target)))
                        .collect(),
                ),
            ));
            let categories: Vec<Value> = t
                .stride
                .map(|st| st.letters().map(|c| json!(category(c))).collect())
                .unwrap_or_default();
            let cwes: Vec<Value> = t
                .attributes
                .iter()
                .filter(|(k, _)| k == "x_cwe")
                .map(|(_, v)| attr_json(v))
                .collect();
            json!({
                "id": s(&t.name),
                "name": s(&t.title),
                "description": s(&t.scenario),
                "categories": categories,
                "cwes": cwes,
                "risk": { "likelihood": likelihood, "impact": impact },
                "attributes": attrs(
                    &t.attributes,
                    &[
                        "scenario", "actor", "stride", "severity", "mitigation", "status",
                        "controls",
                    ],
                    extra,
                ),
            })
        })
        .collect();

    let mitigations: Vec<Value> = model
        .controls
        .iter()
        .map(|c| {
            json!({
                "id": s(&c.name),
                "name": s(&c.label),
                "description": c.description.as_deref().map_or(Value::Null, s),
                "riskReduction": c.reduces.unwrap_or(0),
                "attributes": attrs(
                    &c.attributes,
                    &["description", "reduces", "ticket"],
                    match &c.ticket {
                        Some(ticket) => vec![("status", json!(c.status.as_str())), ("ticket", s(ticket))],
                        None => vec![("status", json!(c.status.as_str()))],
                    },
                ),
            })
        })
        .collect();

    json!({
        "otmVersion": "0.2.0",
        "project": Value::Object(project),
        "assets": assets,
        "trustZones": trust_zones,
        "components": components,
        "dataflows": dataflows,
        "threats": threats,
        "mitigations": mitigations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_spread_over_a_hundred() {
        assert_eq!(percent(0, 3), 33);
        assert_eq!(percent(1, 3), 67);
        assert_eq!(percent(2, 3), 100);
        assert_eq!(percent(0, 2), 50);
    }

    #[test]
    fn project_ids_are_slugs() {
        assert_eq!(project_id(Some("Acme e-Commerce")), "acme-e-commerce");
        assert_eq!(project_id(Some("  ")), "tmd-model");
        assert_eq!(project_id(None), "tmd-model");
    }
}
