//! OTM (Open Threat Model, JSON or YAML) → tmd. The mapping is the reverse of
//! `emit::otm` (docs/interop.md): a document that tmd wrote carries tmd's
//! own facts in `attributes` and comes back as the same model; any other
//! OTM document is read by its standard fields, and what has no place in
//! tmd is kept as `x_` keys on its item or listed as dropped.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{string, x_key, ImportError, Imported, Names, Writer};

/// The OTM versions read: 0.1.x and 0.2.x.
fn version_ok(version: &str) -> bool {
    version.starts_with("0.1") || version.starts_with("0.2")
}

fn str_at<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str)
}

fn required<'a>(item: &'a Value, key: &str, path: &str) -> Result<&'a str, ImportError> {
    str_at(item, key)
        .ok_or_else(|| ImportError::new(format!("{path}.{key}"), "a string is required here"))
}

fn list<'a>(doc: &'a Value, key: &str) -> Result<&'a [Value], ImportError> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ImportError::new(format!("$.{key}"), "an array is expected")),
    }
}

fn attrs(item: &Value) -> Map<String, Value> {
    item.get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A JSON value as a tmd value, when it has one (string, bool, whole
/// number, list of those).
fn value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(string(s)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => n
            .as_u64()
            .map(|n| n.to_string())
            .or_else(|| Some(string(&n.to_string()))),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    Value::Array(_) | Value::Object(_) | Value::Null => None,
                    other => value(other),
                })
                .collect();
            parts.map(|p| format!("[{}]", p.join(", ")))
        }
        Value::Null | Value::Object(_) => None,
    }
}

/// The tmd keys an element may carry back from tmd's own attributes.
const ELEMENT_KEYS: [&str; 3] = ["tech", "owner", "out_of_scope"];
const FLOW_KEYS: [&str; 5] = [
    "protocol",
    "encrypted",
    "authenticated",
    "data",
    "out_of_scope",
];

/// `key: value` entries from an item's attributes: tmd's own keys as they
/// are, `x_` keys as they are, anything else as an `x_` key (counted as
/// kept), and what has no tmd value dropped.
fn entries(
    w: &mut Writer,
    attributes: &Map<String, Value>,
    own: &[&str],
    skip: &[&str],
    what: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (key, v) in attributes {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let Some(text) = value(v) else {
            if !v.is_null() {
                w.drop_fact(format!("{what}: attribute `{key}` (not a plain value)"));
            }
            continue;
        };
        let key = if own.contains(&key.as_str())
            || (key.starts_with("x_") && super::is_identifier(key))
        {
            key.clone()
        } else {
            w.kept += 1;
            x_key(key)
        };
        if seen.insert(key.clone()) {
            out.push(format!("{key}: {text}"));
        }
    }
    out
}

fn block(entries: &[String]) -> String {
    if entries.is_empty() {
        String::new()
    } else {
        format!(" {{ {} }}", entries.join(", "))
    }
}

/// Kinds of elements from OTM component types (tmd's own, then words).
fn element_kind(kind: &str) -> &'static str {
    let k = kind.to_ascii_lowercase();
    match k.as_str() {
        "external" | "process" | "store" => match k.as_str() {
            "external" => "external",
            "store" => "store",
            _ => "process",
        },
        _ if [
            "database", "db", "store", "storage", "bucket", "queue", "cache", "s3", "sql", "table",
            "file",
        ]
        .iter()
        .any(|w| k.contains(w)) =>
        {
            "store"
        }
        _ if [
            "client", "user", "browser", "external", "actor", "third", "partner", "saas",
        ]
        .iter()
        .any(|w| k.contains(w)) =>
        {
            "external"
        }
        _ => "process",
    }
}

const BOUNDARY_KINDS: [&str; 6] = [
    "network",
    "cloud-account",
    "host",
    "container",
    "device",
    "organisation",
];

/// A STRIDE letter from an OTM category.
fn stride_letter(category: &str) -> Option<char> {
    let c = category.trim().to_ascii_lowercase();
    match c.as_str() {
        "s" | "spoofing" => Some('S'),
        "t" | "tampering" => Some('T'),
        "r" | "repudiation" => Some('R'),
        "i" | "information disclosure" | "information-disclosure" => Some('I'),
        "d" | "denial of service" | "denial-of-service" => Some('D'),
        // Microsoft's Threat Modeling Tool says "Elevation of Privileges"
        // (startleft's OTM from MTMT models keeps its words).
        "e"
        | "elevation of privilege"
        | "elevation-of-privilege"
        | "elevation of privileges"
        | "elevation-of-privileges" => Some('E'),
        _ => None,
    }
}

/// An OTM state as a word: tools write `MITIGATED`, `Not Applicable` or
/// `not_applicable` for the schema's `mitigated` and `not-applicable`.
fn state_word(state: &str) -> String {
    state.trim().to_ascii_lowercase().replace([' ', '_'], "-")
}

/// The threat-instance states OTM names; any other (startleft writes
/// `AutoGenerated` for Microsoft Threat Modeling Tool's threats) reads as
/// open and is kept as `x_otm_state`.
const THREAT_STATES: [&str; 6] = [
    "exposed",
    "expose",
    "partly-mitigated",
    "mitigated",
    "accepted",
    "not-applicable",
];

/// A band from OTM's 0..100 risk.
fn band(likelihood: Option<f64>, impact: f64) -> &'static str {
    let score = (likelihood.unwrap_or(impact) + impact) / 2.0;
    if score >= 67.0 {
        "high"
    } else if score >= 34.0 {
        "medium"
    } else {
        "low"
    }
}

/// A CIA rating from OTM's 0..100.
fn rating(n: f64) -> Option<&'static str> {
    if n <= 0.0 {
        None
    } else if n <= 33.0 {
        Some("low")
    } else if n <= 67.0 {
        Some("medium")
    } else {
        Some("high")
    }
}

struct Zone {
    id: String,
    label: String,
    parent: Option<usize>,
    entries: Vec<String>,
    /// Element lines inside it.
    members: Vec<String>,
}

/// Imports an OTM document, JSON or YAML: YAML when the source's name
/// ends in `.yaml` or `.yml`, JSON when it ends in `.json`, and otherwise
/// (stdin, other names) YAML unless the text starts with `{` or `[`.
pub fn import(text: &str, source_name: &str) -> Result<Imported, ImportError> {
    let name = source_name.to_ascii_lowercase();
    let yaml = if name.ends_with(".yaml") || name.ends_with(".yml") {
        true
    } else if name.ends_with(".json") {
        false
    } else {
        super::yaml::looks_like_yaml(text)
    };
    let doc: Value = if yaml {
        super::yaml::parse(text)?
    } else {
        serde_json::from_str(text).map_err(|e| ImportError::new("$", format!("not JSON: {e}")))?
    };
    import_value(&doc, source_name)
}

/// Imports an OTM document.
pub fn import_value(doc: &Value, source_name: &str) -> Result<Imported, ImportError> {
    if !doc.is_object() {
        return Err(ImportError::new(
            "$",
            "not an OTM document (a JSON object is expected)",
        ));
    }
    let version = required(doc, "otmVersion", "$")
        .map_err(|_| ImportError::new("$.otmVersion", "not an OTM document (no otmVersion)"))?;
    if !version_ok(version) {
        return Err(ImportError::new(
            "$.otmVersion",
            format!("OTM version {version} is not supported (tmd reads 0.1 and 0.2)"),
        ));
    }
    let project = doc
        .get("project")
        .filter(|p| p.is_object())
        .ok_or_else(|| ImportError::new("$.project", "an object is required here"))?;
    let project_attrs = attrs(project);
    let ours = project_attrs.get("generator").and_then(Value::as_str) == Some("tmd");

    let mut w = Writer::default();
    let mut names = Names::default();
    let mut scale_lost = false;
    let mut class_levels: Vec<String> = ["public", "internal", "confidential", "restricted"]
        .iter()
        .map(|l| l.to_string())
        .collect();

    // Header.
    let title = required(project, "name", "$.project")?;
    // tmd's export names an untitled model "tmd model" (id tmd-model).
    if !(ours && title == "tmd model" && str_at(project, "id") == Some("tmd-model")) {
        w.line(format!("title {}", string(title)));
    }
    if let Some(d) = str_at(project, "description") {
        w.line(format!("scope {}", string(d)));
    }
    if let Some(o) = str_at(project, "owner") {
        w.line(format!("author {}", string(o)));
    }
    if ours {
        for key in ["created", "updated"] {
            if let Some(d) = project_attrs.get(key).and_then(Value::as_str) {
                if crate::model::parse_date(d).is_some() {
                    w.line(format!("{key} {d}"));
                }
            }
        }
        if let Some(v) = project_attrs.get("version").and_then(Value::as_str) {
            w.line(format!("version {}", string(v)));
        }
        if let Some(d) = project_attrs.get("direction").and_then(Value::as_str) {
            if d == "left-right" || d == "top-down" {
                w.line(format!("direction {d}"));
            }
        }
        for key in ["reviewers", "contributors"] {
            if let Some(v) = project_attrs
                .get(key)
                .filter(|v| v.is_array())
                .and_then(value)
            {
                w.line(format!("{key} {v}"));
            }
        }
        if let Some(Value::Array(levels)) = project_attrs.get("classification") {
            let words: Vec<String> = levels
                .iter()
                .filter_map(Value::as_str)
                .filter(|l| {
                    !l.is_empty()
                        && l.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                })
                .map(str::to_string)
                .collect();
            if !words.is_empty() && words.len() == levels.len() {
                w.line(format!("classification [{}]", words.join(", ")));
                class_levels = words;
            }
        }
        if let Some(l) = project_attrs.get("sensitive").and_then(Value::as_str) {
            if class_levels.iter().any(|c| c == l) {
                w.line(format!("sensitive {l}"));
            }
        }
        if let Some(l) = project_attrs.get("link").and_then(Value::as_str) {
            w.line(format!("link {}", string(l)));
        }
        if let Some(r) = project_attrs.get("risk").and_then(Value::as_str) {
            if crate::model::BuiltinScale::parse(r).is_some() && r != "primer" {
                w.line(format!("risk {r}"));
            } else if r != "primer" {
                scale_lost = true;
                w.drop_fact(format!(
                    "the declared risk scale `{r}` (its definition is not in OTM): severities are its bands, the words are kept as x_severity"
                ));
            }
        }
    } else {
        for (key, _) in &project_attrs {
            w.drop_fact(format!("project attribute `{key}`"));
        }
    }
    if let Some(ownerc) = str_at(project, "ownerContact") {
        w.drop_fact(format!("project owner contact {ownerc}"));
    }
    if !list(doc, "representations")?.is_empty() {
        w.drop_fact("representations (diagram sizes and positions)".to_string());
    }
    w.line("");

    // Declared actors (tmd's own documents).
    let mut actors: BTreeMap<String, String> = BTreeMap::new();
    if ours {
        if let Some(Value::Array(list)) = project_attrs.get("actors") {
            for (i, a) in list.iter().enumerate() {
                let path = format!("$.project.attributes.actors[{i}]");
                let id = required(a, "id", &path)?;
                let (tmd_id, _) = names.claim(id, id);
                let label = str_at(a, "label").unwrap_or(id);
                let entries = entries(&mut w, &attrs(a), &["description"], &[], "actor");
                w.line(format!(
                    "actor {tmd_id} {}{}",
                    string(label),
                    block(&entries)
                ));
                actors.insert(id.to_string(), tmd_id);
            }
        }
    }
    for builtin in [
        "apt",
        "external_attacker",
        "malicious_insider",
        "accidental_insider",
    ] {
        actors.insert(builtin.to_string(), builtin.to_string());
    }

    // Assets.
    let mut asset_ids: BTreeMap<String, String> = BTreeMap::new();
    for (i, a) in list(doc, "assets")?.iter().enumerate() {
        let path = format!("$.assets[{i}]");
        let id = required(a, "id", &path)?;
        let name = required(a, "name", &path)?;
        let (tmd_id, kept) = names.claim(id, name);
        let at = attrs(a);
        let mut e = Vec::new();
        let risk = a.get("risk");
        let number = |k: &str| risk.and_then(|r| r.get(k)).and_then(Value::as_f64);
        let class = at
            .get("classification")
            .and_then(Value::as_str)
            .filter(|c| class_levels.iter().any(|l| l == c))
            .map(str::to_string)
            .unwrap_or_else(|| {
                // The level at the confidentiality's place on the list.
                let c = number("confidentiality").unwrap_or(0.0).clamp(0.0, 100.0);
                let n = class_levels.len().max(1);
                let i = ((c / 100.0) * n as f64).floor() as usize;
                class_levels
                    .get(i.min(n - 1))
                    .cloned()
                    .unwrap_or_else(|| "public".to_string())
            });
        e.push(format!("classification: {class}"));
        for key in ["confidentiality", "integrity", "availability"] {
            let word = at
                .get(key)
                .and_then(Value::as_str)
                .filter(|w| ["low", "medium", "high"].contains(w))
                .or_else(|| number(key).and_then(rating));
            if let Some(word) = word {
                e.push(format!("{key}: {word}"));
            }
        }
        if let Some(d) = str_at(a, "description") {
            e.push(format!("description: {}", string(d)));
        }
        if let Some(c) = risk.and_then(|r| str_at(r, "comment")) {
            e.push(format!("x_risk_comment: {}", string(c)));
            w.kept += 1;
        }
        if !kept {
            e.push(format!("x_otm_id: {}", string(id)));
            w.kept += 1;
        }
        e.extend(entries(
            &mut w,
            &at,
            &[],
            &[
                "classification",
                "confidentiality",
                "integrity",
                "availability",
            ],
            "asset",
        ));
        w.line(format!("asset {tmd_id} {}{}", string(name), block(&e)));
        asset_ids.insert(id.to_string(), tmd_id);
    }

    // Trust zones → boundaries (parents resolved, cycles refused).
    let zone_items = list(doc, "trustZones")?;
    let mut zones: Vec<Zone> = Vec::new();
    let mut zone_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut outside: Option<String> = None;
    for (i, z) in zone_items.iter().enumerate() {
        let path = format!("$.trustZones[{i}]");
        let id = required(z, "id", &path)?;
        let name = required(z, "name", &path)?;
        let at = attrs(z);
        if ours && at.get("tmd").and_then(Value::as_str) == Some("outside") {
            outside = Some(id.to_string());
            continue;
        }
        if zone_index.contains_key(id) {
            return Err(ImportError::new(
                format!("{path}.id"),
                format!("trust zone `{id}` is declared twice"),
            ));
        }
        let (tmd_id, kept) = names.claim(id, name);
        let mut e = Vec::new();
        if let Some(t) = str_at(z, "type") {
            if BOUNDARY_KINDS.contains(&t) {
                e.push(format!("kind: {t}"));
            } else {
                e.push(format!("kind: {}", string(t)));
            }
        }
        if let Some(d) = str_at(z, "description") {
            e.push(format!("description: {}", string(d)));
        }
        if let Some(r) = z
            .get("risk")
            .and_then(|r| r.get("trustRating"))
            .and_then(Value::as_f64)
        {
            if !(ours && r == 50.0) {
                e.push(format!(
                    "x_trust_rating: {}",
                    z.get("risk")
                        .and_then(|k| k.get("trustRating"))
                        .and_then(value)
                        .unwrap_or_else(|| string(&r.to_string()))
                ));
                w.kept += 1;
            }
        }
        if !kept {
            e.push(format!("x_otm_id: {}", string(id)));
            w.kept += 1;
        }
        e.extend(entries(&mut w, &at, &[], &[], "trust zone"));
        zone_index.insert(id.to_string(), zones.len());
        zones.push(Zone {
            id: tmd_id,
            label: name.to_string(),
            parent: None,
            entries: e,
            members: Vec::new(),
        });
    }
    let mut zone_parent_ids: Vec<Option<String>> = Vec::new();
    for (i, z) in zone_items.iter().enumerate() {
        let id = str_at(z, "id").unwrap_or("");
        if !zone_index.contains_key(id) {
            continue;
        }
        let parent = z
            .get("parent")
            .and_then(|p| p.get("trustZone"))
            .and_then(Value::as_str);
        if let Some(p) = parent {
            if !zone_index.contains_key(p) && outside.as_deref() != Some(p) {
                return Err(ImportError::new(
                    format!("$.trustZones[{i}].parent.trustZone"),
                    format!("no trust zone `{p}`"),
                ));
            }
        }
        zone_parent_ids.push(parent.map(str::to_string));
    }
    for (index, parent) in zone_parent_ids.iter().enumerate() {
        if let (Some(p), Some(zone)) = (parent, zones.get_mut(index)) {
            zone.parent = zone_index.get(p).copied();
        }
    }
    // A cycle in parents: walk up from each zone at most zones.len() steps.
    for start in 0..zones.len() {
        let mut at = zones.get(start).and_then(|z| z.parent);
        let mut steps = 0;
        while let Some(p) = at {
            steps += 1;
            if p == start || steps > zones.len() {
                return Err(ImportError::new(
                    format!("$.trustZones[{start}].parent"),
                    "the trust zones' parents form a cycle",
                ));
            }
            at = zones.get(p).and_then(|z| z.parent);
        }
        if steps >= 64 {
            return Err(ImportError::new(
                format!("$.trustZones[{start}].parent"),
                "trust zones nest deeper than 64 levels (TMD013)",
            ));
        }
    }

    // Components → elements (in their zone: a component inside a component
    // goes in that component's zone).
    let comp_items = list(doc, "components")?;
    let mut comp_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut comp_zone: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let mut comp_parent: BTreeMap<String, String> = BTreeMap::new();
    for (i, c) in comp_items.iter().enumerate() {
        let path = format!("$.components[{i}]");
        let id = required(c, "id", &path)?;
        if comp_ids.contains_key(id) {
            return Err(ImportError::new(
                format!("{path}.id"),
                format!("component `{id}` is declared twice"),
            ));
        }
        let name = required(c, "name", &path)?;
        let (tmd_id, _) = names.claim(id, name);
        comp_ids.insert(id.to_string(), tmd_id);
        let parent = c.get("parent");
        if let Some(z) = parent
            .and_then(|p| p.get("trustZone"))
            .and_then(Value::as_str)
        {
            if outside.as_deref() == Some(z) {
                comp_zone.insert(id.to_string(), None);
            } else {
                let Some(&zi) = zone_index.get(z) else {
                    return Err(ImportError::new(
                        format!("{path}.parent.trustZone"),
                        format!("no trust zone `{z}`"),
                    ));
                };
                comp_zone.insert(id.to_string(), Some(zi));
            }
        } else if let Some(p) = parent
            .and_then(|p| p.get("component"))
            .and_then(Value::as_str)
        {
            comp_parent.insert(id.to_string(), p.to_string());
        } else {
            comp_zone.insert(id.to_string(), None);
        }
    }
    // Components inside components: the zone of the nearest ancestor with one.
    for (i, c) in comp_items.iter().enumerate() {
        let id = str_at(c, "id").unwrap_or("");
        let mut at = id.to_string();
        let mut steps = 0;
        while let Some(p) = comp_parent.get(&at) {
            if !comp_ids.contains_key(p) {
                return Err(ImportError::new(
                    format!("$.components[{i}].parent.component"),
                    format!("no component `{p}`"),
                ));
            }
            steps += 1;
            if steps > comp_items.len() {
                return Err(ImportError::new(
                    format!("$.components[{i}].parent"),
                    "the components' parents form a cycle",
                ));
            }
            at = p.clone();
        }
        let zone = comp_zone.get(&at).copied().flatten();
        comp_zone.insert(id.to_string(), zone);
    }

    // Threat instances and the mitigations they name.
    let mut targets_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut states_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut controls_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut control_state: BTreeMap<String, String> = BTreeMap::new();
    let mut note_instances = |item: &Value, target: &str, path: &str| -> Result<(), ImportError> {
        let Some(Value::Array(list)) = item.get("threats") else {
            return Ok(());
        };
        for (j, inst) in list.iter().enumerate() {
            let p = format!("{path}.threats[{j}]");
            let t = required(inst, "threat", &p)?;
            targets_of
                .entry(t.to_string())
                .or_default()
                .push(target.to_string());
            if let Some(s) = str_at(inst, "state") {
                states_of
                    .entry(t.to_string())
                    .or_default()
                    .push(state_word(s));
            }
            if let Some(Value::Array(ms)) = inst.get("mitigations") {
                for m in ms {
                    if let Some(mid) = str_at(m, "mitigation") {
                        let names = controls_of.entry(t.to_string()).or_default();
                        if !names.iter().any(|n| n == mid) {
                            names.push(mid.to_string());
                        }
                        // Implemented anywhere: implemented.
                        if let Some(s) = str_at(m, "state") {
                            let known = control_state.entry(mid.to_string()).or_default();
                            if known != "implemented" {
                                *known = state_word(s);
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    };
    for (i, c) in comp_items.iter().enumerate() {
        let id = str_at(c, "id").unwrap_or("");
        let tmd_id = comp_ids.get(id).cloned().unwrap_or_default();
        note_instances(c, &tmd_id, &format!("$.components[{i}]"))?;
    }

    for (i, c) in comp_items.iter().enumerate() {
        let path = format!("$.components[{i}]");
        let id = str_at(c, "id").unwrap_or("");
        let name = str_at(c, "name").unwrap_or("");
        let tmd_id = comp_ids.get(id).cloned().unwrap_or_default();
        let kind_word = str_at(c, "type").unwrap_or("process");
        let kind = element_kind(kind_word);
        let mut e = Vec::new();
        if let Some(d) = str_at(c, "description") {
            e.push(format!("description: {}", string(d)));
        }
        if !(ours && ["external", "process", "store"].contains(&kind_word)) {
            e.push(format!("x_otm_type: {}", string(kind_word)));
            w.kept += 1;
        }
        if tmd_id != id {
            e.push(format!("x_otm_id: {}", string(id)));
            w.kept += 1;
        }
        if let Some(p) = comp_parent.get(id) {
            e.push(format!(
                "x_parent_component: {}",
                string(comp_ids.get(p).map_or(p.as_str(), String::as_str))
            ));
            w.kept += 1;
        }
        if let Some(Value::Array(tags)) = c.get("tags") {
            if !tags.is_empty() {
                if let Some(v) = value(&Value::Array(
                    tags.iter().filter(|t| t.is_string()).cloned().collect(),
                )) {
                    e.push(format!("x_tags: {v}"));
                    w.kept += 1;
                }
            }
        }
        let mut held = Vec::new();
        if let Some(a) = c.get("assets") {
            for key in ["processed", "stored"] {
                if let Some(Value::Array(ids)) = a.get(key) {
                    for (j, aid) in ids.iter().enumerate() {
                        let Some(aid) = aid.as_str() else { continue };
                        let Some(tmd_a) = asset_ids.get(aid) else {
                            return Err(ImportError::new(
                                format!("{path}.assets.{key}[{j}]"),
                                format!("no asset `{aid}`"),
                            ));
                        };
                        if !held.contains(tmd_a) {
                            held.push(tmd_a.clone());
                        }
                    }
                }
            }
        }
        if !held.is_empty() {
            e.push(format!("assets: [{}]", held.join(", ")));
        }
        if c.get("representations")
            .is_some_and(|r| r.as_array().is_some_and(|a| !a.is_empty()))
        {
            w.drop_fact("components' representations (positions and sizes)".to_string());
        }
        let own: &[&str] = if ours { &ELEMENT_KEYS } else { &[] };
        e.extend(entries(
            &mut w,
            &attrs(c),
            own,
            &["description", "assets"],
            "component",
        ));
        let line = format!("{kind} {tmd_id} {}{}", string(name), block(&e));
        match comp_zone
            .get(id)
            .copied()
            .flatten()
            .and_then(|z| zones.get_mut(z))
        {
            Some(zone) => zone.members.push(line),
            None => w.line(line),
        }
    }

    // Boundaries, nested (children after their parent's members).
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); zones.len()];
    let mut roots = Vec::new();
    for (i, z) in zones.iter().enumerate() {
        match z.parent.and_then(|p| children.get_mut(p)) {
            Some(list) => list.push(i),
            None => roots.push(i),
        }
    }
    enum Step {
        Open(usize),
        Close,
    }
    let mut stack: Vec<Step> = roots.iter().rev().map(|&r| Step::Open(r)).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close => w.line("}"),
            Step::Open(i) => {
                let Some(z) = zones.get(i) else { continue };
                w.line(format!("boundary {} {} {{", z.id, string(&z.label)));
                for e in &z.entries {
                    w.line(e.clone());
                }
                for m in &z.members {
                    w.line(m.clone());
                }
                stack.push(Step::Close);
                if let Some(kids) = children.get(i) {
                    for &k in kids.iter().rev() {
                        stack.push(Step::Open(k));
                    }
                }
            }
        }
    }
    w.line("");

    // Dataflows → flows (bidirectional: a request and its response).
    let flow_items = list(doc, "dataflows")?;
    // Pairs with more than one flow: those flows need IDs, since a threat
    // cannot name them as `a -> b`.
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in flow_items {
        if let (Some(a), Some(b)) = (str_at(f, "source"), str_at(f, "destination")) {
            *pairs.entry((a.to_string(), b.to_string())).or_default() += 1;
        }
    }
    let mut flow_ref: BTreeMap<String, String> = BTreeMap::new();
    let mut flow_lines = Vec::new();
    for (i, f) in flow_items.iter().enumerate() {
        let path = format!("$.dataflows[{i}]");
        let id = required(f, "id", &path)?;
        let src = required(f, "source", &path)?;
        let dst = required(f, "destination", &path)?;
        let Some(s) = comp_ids.get(src) else {
            return Err(ImportError::new(
                format!("{path}.source"),
                format!("no component `{src}`"),
            ));
        };
        let Some(d) = comp_ids.get(dst) else {
            return Err(ImportError::new(
                format!("{path}.destination"),
                format!("no component `{dst}`"),
            ));
        };
        if s == d {
            w.drop_fact(format!(
                "dataflow `{id}` from `{src}` to itself (tmd has no such flow)"
            ));
            continue;
        }
        let name = str_at(f, "name").unwrap_or("");
        let at = attrs(f);
        let shared = pairs
            .get(&(src.to_string(), dst.to_string()))
            .is_some_and(|&n| n > 1);
        let implicit = ours && !shared && at.get("named").and_then(Value::as_bool) != Some(true);
        let tmd_id = if implicit {
            None
        } else {
            let (fid, _) = names.claim(id, name);
            Some(fid)
        };
        let mut e = Vec::new();
        if let Some(desc) = str_at(f, "description") {
            e.push(format!("description: {}", string(desc)));
        }
        if let Some(ref fid) = tmd_id {
            if fid != id {
                e.push(format!("x_otm_id: {}", string(id)));
                w.kept += 1;
            }
        }
        if let Some(Value::Array(ids)) = f.get("assets") {
            let mut carried = Vec::new();
            for (j, aid) in ids.iter().enumerate() {
                let Some(aid) = aid.as_str() else { continue };
                let Some(tmd_a) = asset_ids.get(aid) else {
                    return Err(ImportError::new(
                        format!("{path}.assets[{j}]"),
                        format!("no asset `{aid}`"),
                    ));
                };
                if !carried.contains(tmd_a) {
                    carried.push(tmd_a.clone());
                }
            }
            if !carried.is_empty() {
                e.push(format!("assets: [{}]", carried.join(", ")));
            }
        }
        if ours {
            if at.get("initiator").and_then(Value::as_str) == Some(dst) {
                e.push(format!("initiator: {d}"));
            }
            if let Some(r) = at.get("response_to").and_then(Value::as_str) {
                flow_lines.push((i, None, Some(r.to_string())));
            }
        }
        if let Some(Value::Array(tags)) = f.get("tags") {
            if let Some(v) = value(&Value::Array(
                tags.iter().filter(|t| t.is_string()).cloned().collect(),
            )) {
                if !tags.is_empty() {
                    e.push(format!("x_tags: {v}"));
                    w.kept += 1;
                }
            }
        }
        let own: &[&str] = if ours { &FLOW_KEYS } else { &[] };
        e.extend(entries(
            &mut w,
            &at,
            own,
            &["description", "initiator", "response_to", "named"],
            "dataflow",
        ));
        let reference = match &tmd_id {
            Some(fid) => fid.clone(),
            None => format!("{s} -> {d}"),
        };
        flow_ref.insert(id.to_string(), reference.clone());
        note_instances(f, &reference, &path)?;
        let bidirectional = f.get("bidirectional").and_then(Value::as_bool) == Some(true);
        let label = if name.is_empty() {
            String::new()
        } else {
            format!(" {}", string(name))
        };
        let (head, request_id) = match &tmd_id {
            Some(fid) => (format!("flow {fid}: {s} -> {d}{label}"), Some(fid.clone())),
            None if bidirectional => {
                let (fid, _) = names.claim(id, name);
                flow_ref.insert(id.to_string(), fid.clone());
                (format!("flow {fid}: {s} -> {d}{label}"), Some(fid))
            }
            None => (format!("flow {s} -> {d}{label}"), None),
        };
        flow_lines.push((i, Some(format!("{head}{}", block(&e))), None));
        if bidirectional {
            if let Some(req) = request_id {
                let reply = if name.is_empty() {
                    String::new()
                } else {
                    format!(" {}", string(&format!("{name} (response)")))
                };
                flow_lines.push((
                    i,
                    Some(format!("flow {d} -> {s}{reply} {{ response_to: {req} }}")),
                    None,
                ));
            }
        }
    }
    // response_to of tmd's own documents: attach to the flow line of that index.
    let mut lines_out: Vec<String> = Vec::new();
    let mut response: BTreeMap<usize, String> = BTreeMap::new();
    for (i, _, r) in &flow_lines {
        if let Some(r) = r {
            response.insert(*i, r.clone());
        }
    }
    for (i, line, _) in flow_lines {
        let Some(mut line) = line else { continue };
        if let Some(r) = response.get(&i) {
            let Some(req) = flow_ref.get(r) else {
                return Err(ImportError::new(
                    format!("$.dataflows[{i}].attributes.response_to"),
                    format!("no dataflow `{r}`"),
                ));
            };
            let entry = format!("response_to: {req}");
            line = if let Some(stripped) = line.strip_suffix(" }") {
                format!("{stripped}, {entry} }}")
            } else {
                format!("{line} {{ {entry} }}")
            };
        }
        lines_out.push(line);
    }
    for l in lines_out {
        w.line(l);
    }
    w.line("");

    // Mitigations → controls.
    let mut control_ids: BTreeMap<String, String> = BTreeMap::new();
    for (i, m) in list(doc, "mitigations")?.iter().enumerate() {
        let path = format!("$.mitigations[{i}]");
        let id = required(m, "id", &path)?;
        let name = required(m, "name", &path)?;
        let (tmd_id, kept) = names.claim(id, name);
        let at = attrs(m);
        let status = at
            .get("status")
            .and_then(Value::as_str)
            .filter(|s| ["planned", "implemented", "verified"].contains(s))
            .unwrap_or(match control_state.get(id).map(String::as_str) {
                Some("implemented") => "implemented",
                _ => "planned",
            });
        let mut e = vec![format!("status: {status}")];
        if let Some(d) = str_at(m, "description") {
            e.push(format!("description: {}", string(d)));
        }
        if let Some(r) = m.get("riskReduction").and_then(Value::as_f64) {
            if r > 0.0 {
                e.push(format!("reduces: {}", r.round().clamp(0.0, 100.0) as u64));
            }
        }
        if !kept {
            e.push(format!("x_otm_id: {}", string(id)));
            w.kept += 1;
        }
        let own: &[&str] = if ours { &["ticket"] } else { &[] };
        e.extend(entries(&mut w, &at, own, &["status"], "mitigation"));
        w.line(format!("control {tmd_id} {}{}", string(name), block(&e)));
        control_ids.insert(id.to_string(), tmd_id);
    }
    w.line("");

    // Threats.
    for (i, t) in list(doc, "threats")?.iter().enumerate() {
        let path = format!("$.threats[{i}]");
        let id = required(t, "id", &path)?;
        let name = required(t, "name", &path)?;
        let (tmd_id, kept) = names.claim(id, name);
        let at = attrs(t);
        let targets: Vec<String> =
            if let (true, Some(Value::Array(list))) = (ours, at.get("targets")) {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(|n| {
                        flow_ref
                            .get(n)
                            .cloned()
                            .or_else(|| comp_ids.get(n).cloned())
                            .or_else(|| {
                                zone_index
                                    .get(n)
                                    .and_then(|&z| zones.get(z))
                                    .map(|z| z.id.clone())
                            })
                            .unwrap_or_else(|| n.to_string())
                    })
                    .collect()
            } else {
                let mut list = targets_of.get(id).cloned().unwrap_or_default();
                list.dedup();
                list
            };
        let mut e = Vec::new();
        let scenario = str_at(t, "description")
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(name);
        e.push(format!("scenario: {}", string(scenario)));
        if let Some(a) = at
            .get("actor")
            .and_then(Value::as_str)
            .and_then(|a| actors.get(a))
        {
            e.push(format!("actor: {a}"));
        }
        let mut letters = String::new();
        let mut other = Vec::new();
        if let Some(Value::Array(cats)) = t.get("categories") {
            for c in cats.iter().filter_map(Value::as_str) {
                match stride_letter(c) {
                    Some(l) if !letters.contains(l) => letters.push(l),
                    Some(_) => {}
                    None => other.push(Value::String(c.to_string())),
                }
            }
        }
        let mut ordered: String = "STRIDE".chars().filter(|c| letters.contains(*c)).collect();
        if ours {
            if let Some(s) = at.get("stride").and_then(Value::as_str) {
                ordered = s.to_string();
            }
        }
        if !ordered.is_empty() {
            e.push(format!("stride: {ordered}"));
        }
        if !other.is_empty() {
            if let Some(v) = value(&Value::Array(other)) {
                e.push(format!("x_categories: {v}"));
                w.kept += 1;
            }
        }
        // Severity: tmd's own words, else from OTM's risk.
        let risk = t.get("risk");
        let likelihood = risk
            .and_then(|r| r.get("likelihood"))
            .and_then(Value::as_f64);
        let impact = risk
            .and_then(|r| r.get("impact"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let band_word = at
            .get("band")
            .and_then(Value::as_str)
            .filter(|b| ["low", "medium", "high"].contains(b));
        match (ours, at.get("severity").and_then(Value::as_str)) {
            (true, Some(sev)) if scale_lost => {
                e.push(format!(
                    "severity: {}",
                    band_word.unwrap_or_else(|| band(likelihood, impact))
                ));
                e.push(format!("x_severity: {}", string(sev)));
                w.kept += 1;
            }
            (true, Some(sev)) => {
                let axes: Vec<(&String, &Value)> = at
                    .iter()
                    .filter(|(k, _)| {
                        ![
                            "severity",
                            "band",
                            "status",
                            "actor",
                            "stride",
                            "mitigation",
                            "remediation",
                            "targets",
                            "severity_given",
                            "justification",
                            "owner",
                            "ticket",
                            "reviewed_by",
                            "reviewed_on",
                            "expires",
                        ]
                        .contains(&k.as_str())
                            && !k.starts_with("x_")
                    })
                    .collect();
                let mut axis_entries = Vec::new();
                for (k, v) in axes {
                    if let Some(word) = v.as_str() {
                        if super::is_identifier(k)
                            || k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        {
                            axis_entries.push(format!("{k}: {word}"));
                        }
                    }
                }
                if axis_entries.len() == 2 {
                    e.extend(axis_entries);
                    if at.get("severity_given").and_then(Value::as_bool) == Some(true) {
                        e.push(format!("severity: {sev}"));
                    }
                } else {
                    e.push(format!("severity: {sev}"));
                }
            }
            _ => {
                e.push(format!("severity: {}", band(likelihood, impact)));
                if let Some(r) = risk {
                    for (k, key) in [
                        ("likelihood", "x_otm_likelihood"),
                        ("impact", "x_otm_impact"),
                    ] {
                        if let Some(v) = r.get(k).filter(|v| v.is_number()).and_then(value) {
                            e.push(format!("{key}: {v}"));
                            w.kept += 1;
                        }
                    }
                    for k in ["likelihoodComment", "impactComment"] {
                        if let Some(c) = str_at(r, k) {
                            e.push(format!("{}: {}", x_key(k), string(c)));
                            w.kept += 1;
                        }
                    }
                }
            }
        }
        if let Some(m) = at
            .get("mitigation")
            .and_then(Value::as_str)
            .filter(|_| ours)
        {
            e.push(format!("mitigation: {}", string(m)));
        }
        if let Some(r) = at
            .get("remediation")
            .and_then(Value::as_str)
            .filter(|r| ours && ["fix", "workaround", "monitoring"].contains(r))
        {
            e.push(format!("remediation: {r}"));
        }
        // Status.
        let statuses = [
            "open",
            "investigating",
            "in-progress",
            "mitigated",
            "accepted",
            "transferred",
            "false-positive",
        ];
        let status = match at
            .get("status")
            .and_then(Value::as_str)
            .filter(|s| ours && statuses.contains(s))
        {
            Some(s) => s.to_string(),
            None => {
                let states = states_of.get(id).cloned().unwrap_or_default();
                if states
                    .iter()
                    .any(|s| s == "exposed" || s == "expose" || s == "partly-mitigated")
                    || states.is_empty()
                {
                    "open".to_string()
                } else if states.iter().all(|s| s == "mitigated") {
                    "mitigated".to_string()
                } else if states.iter().all(|s| s == "not-applicable") {
                    "false-positive".to_string()
                } else if states
                    .iter()
                    .all(|s| s == "mitigated" || s == "accepted" || s == "not-applicable")
                {
                    "accepted".to_string()
                } else {
                    "open".to_string()
                }
            }
        };
        if status != "open" {
            e.push(format!("status: {status}"));
        }
        if !ours {
            let mut other: Vec<&String> = Vec::new();
            for s in states_of.get(id).into_iter().flatten() {
                if !THREAT_STATES.contains(&s.as_str()) && !other.contains(&s) {
                    other.push(s);
                }
            }
            if !other.is_empty() && !e.iter().any(|l| l.starts_with("x_otm_state:")) {
                w.kept += 1;
                let words: Vec<String> = other.iter().map(|s| string(s)).collect();
                e.push(format!("x_otm_state: [{}]", words.join(", ")));
            }
        }
        let mut has_justification = false;
        if ours {
            for key in ["justification", "owner", "ticket", "reviewed_by"] {
                if let Some(v) = at.get(key).and_then(Value::as_str) {
                    e.push(format!("{key}: {}", string(v)));
                    has_justification |= key == "justification";
                }
            }
            for key in ["reviewed_on", "expires"] {
                if let Some(v) = at
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|d| crate::model::parse_date(d).is_some())
                {
                    e.push(format!("{key}: {v}"));
                }
            }
        }
        if (status == "false-positive" || status == "transferred") && !has_justification {
            e.push(format!(
                "justification: {}",
                string("State not-applicable in the OTM source")
            ));
        }
        if let Some(ms) = controls_of.get(id) {
            let named: Vec<String> = ms
                .iter()
                .filter_map(|m| control_ids.get(m).cloned())
                .collect();
            if !named.is_empty() {
                e.push(format!("controls: [{}]", named.join(", ")));
            }
        }
        if let Some(Value::Array(cwes)) = t.get("cwes") {
            let cwes: Vec<Value> = cwes.iter().filter(|c| c.is_string()).cloned().collect();
            let already = at.contains_key("x_cwe");
            match cwes.as_slice() {
                [] => {}
                [one] if !already => {
                    e.push(format!("x_cwe: {}", value(one).unwrap_or_default()));
                    if !ours {
                        w.kept += 1;
                    }
                }
                _ if !already => {
                    if let Some(v) = value(&Value::Array(cwes)) {
                        e.push(format!("x_cwe: {v}"));
                        w.kept += 1;
                    }
                }
                _ => {}
            }
        }
        if !kept {
            e.push(format!("x_otm_id: {}", string(id)));
            w.kept += 1;
        }
        if let Some(Value::Array(tags)) = t.get("tags") {
            if let Some(v) = value(&Value::Array(
                tags.iter().filter(|t| t.is_string()).cloned().collect(),
            ))
            .filter(|_| !tags.is_empty())
            {
                e.push(format!("x_tags: {v}"));
                w.kept += 1;
            }
        }
        if ours {
            for (k, v) in &at {
                if k.starts_with("x_") && super::is_identifier(k) {
                    if let Some(text) = value(v) {
                        e.push(format!("{k}: {text}"));
                    }
                }
            }
        } else {
            e.extend(entries(&mut w, &at, &[], &[], "threat"));
        }
        let on = if targets.is_empty() {
            String::new()
        } else {
            format!(" on {}", targets.join(", "))
        };
        w.line(format!("threat {tmd_id} {}{on} {{", string(name)));
        for entry in e {
            w.line(format!("  {entry}"));
        }
        w.line("}");
    }

    w.finish(source_name, "OTM")
}
