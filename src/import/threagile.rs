//! Threagile YAML → tmd (docs/interop.md has the mapping table).
//!
//! Technical assets become elements (their `type`), trust boundaries
//! become boundaries nested by `trust_boundaries_nested`, each
//! communication link becomes a flow from the asset that declares it (its
//! initiator) to its target, with a response flow for the data received;
//! a `readonly` link pulls, so it becomes one flow from the target to the
//! initiator with `initiator:` set: a reversed-initiator flow. Data assets
//! become assets classified on Threagile's own five confidentiality levels,
//! individual risk categories become one threat per identified risk, on
//! Threagile's risk scale (`risk threagile`), and `risk_tracking` (exact
//! IDs and `*` wildcards, exact first) gives their status and tracking.
//! Threagile's IDs are kebab-case: they become identifiers by `tmd import`'s
//! slug rule (`customer-client` → `customer_client`), the source ID kept as
//! `x_threagile_id`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{string, x_key, ImportError, Imported, Names, Writer};

/// Threagile's confidentiality levels, lowest first: the imported model's
/// classification levels.
const CONFIDENTIALITY: [&str; 5] = [
    "public",
    "internal",
    "restricted",
    "confidential",
    "strictly-confidential",
];
/// Threagile's criticality levels (integrity, availability), lowest first.
const CRITICALITY: [&str; 5] = [
    "archive",
    "operational",
    "important",
    "critical",
    "mission-critical",
];
const SEVERITIES: [&str; 5] = ["low", "medium", "elevated", "high", "critical"];
const LIKELIHOODS: [&str; 4] = ["unlikely", "likely", "very-likely", "frequent"];
const IMPACTS: [&str; 4] = ["low", "medium", "high", "very-high"];

/// The protocols Threagile counts as encrypted (`Protocol.IsEncrypted`).
const ENCRYPTED: [&str; 21] = [
    "https",
    "wss",
    "jdbc-encrypted",
    "odbc-encrypted",
    "nosql-access-protocol-encrypted",
    "sql-access-protocol-encrypted",
    "binary-encrypted",
    "text-encrypted",
    "ssh",
    "ssh-tunnel",
    "ftps",
    "sftp",
    "scp",
    "ldaps",
    "reverse-proxy-web-protocol-encrypted",
    "iiop-encrypted",
    "jrmp-encrypted",
    "smb-encrypted",
    "smtp-encrypted",
    "pop3-encrypted",
    "imap-encrypted",
];
/// Threagile's other protocols that leave the process: not encrypted.
const PLAIN: [&str; 25] = [
    "unknown-protocol",
    "http",
    "ws",
    "reverse-proxy-web-protocol",
    "mqtt",
    "jdbc",
    "odbc",
    "sql-access-protocol",
    "nosql-access-protocol",
    "binary",
    "text",
    "smtp",
    "pop3",
    "imap",
    "ftp",
    "ldap",
    "jms",
    "nfs",
    "smb",
    "nrpe",
    "xmpp",
    "iiop",
    "jrmp",
    "local-file-access",
    "in-process-library-call",
];

/// The top-level keys read; any other is listed as dropped.
const TOP_KEYS: [&str; 30] = [
    "threagile_version",
    "includes",
    "title",
    "author",
    "contributors",
    "date",
    "application_description",
    "business_overview",
    "technical_overview",
    "business_criticality",
    "management_summary_comment",
    "security_requirements",
    "questions",
    "abuse_cases",
    "tags_available",
    "data_assets",
    "technical_assets",
    "trust_boundaries",
    "shared_runtimes",
    "individual_risk_categories",
    "custom_risk_categories",
    "risk_tracking",
    "diagram_tweak_nodesep",
    "diagram_tweak_ranksep",
    "diagram_tweak_edge_layout",
    "diagram_tweak_suppress_edge_labels",
    "diagram_tweak_layout_left_to_right",
    "diagram_tweak_invisible_connections_between_assets",
    "diagram_tweak_same_rank_assets",
    "reports",
];

/// `$.key["name"]`: a path step for a mapping key, quoted as JSON.
fn step(path: &str, key: &str) -> String {
    let quoted = serde_json::to_string(key).unwrap_or_else(|_| "\"?\"".to_string());
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{quoted}]")
    }
}

/// The entries of the mapping at `key` (absent or null: none).
fn mapping<'a>(
    item: &'a Value,
    key: &str,
    path: &str,
) -> Result<Vec<(&'a str, &'a Value)>, ImportError> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => Ok(m.iter().map(|(k, v)| (k.as_str(), v)).collect()),
        Some(_) => Err(ImportError::new(step(path, key), "a mapping is expected")),
    }
}

/// A scalar as text (Threagile reads every scalar with `%v`); absent,
/// null or blank: none.
fn text(item: &Value, key: &str, path: &str) -> Result<Option<String>, ImportError> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim_end_matches('\n').to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(ImportError::new(step(path, key), "a string is expected")),
    }
}

fn flag(item: &Value, key: &str, path: &str) -> Result<Option<bool>, ImportError> {
    match item.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" || s == "false" => Ok(Some(s == "true")),
        Some(_) => Err(ImportError::new(
            step(path, key),
            "true or false is expected",
        )),
    }
}

/// A list of scalars (IDs, tags, formats), with the path of each.
fn ids(item: &Value, key: &str, path: &str) -> Result<Vec<(String, String)>, ImportError> {
    let at = step(path, key);
    match item.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => {
            let mut out = Vec::new();
            for (i, v) in list.iter().enumerate() {
                let p = format!("{at}[{i}]");
                let s = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Null => continue,
                    _ => return Err(ImportError::new(p, "a string is expected")),
                };
                if !out.iter().any(|(o, _)| *o == s) {
                    out.push((s, p));
                }
            }
            Ok(out)
        }
        Some(_) => Err(ImportError::new(at, "a list is expected")),
    }
}

/// A word from a closed list, or an error naming the list.
fn word(
    item: &Value,
    key: &str,
    path: &str,
    allowed: &[&str],
) -> Result<Option<String>, ImportError> {
    let Some(w) = text(item, key, path)? else {
        return Ok(None);
    };
    let w = w.trim().to_ascii_lowercase();
    if allowed.contains(&w.as_str()) {
        Ok(Some(w))
    } else {
        Err(ImportError::new(
            step(path, key),
            format!("`{w}` is not one of {}", allowed.join(", ")),
        ))
    }
}

/// A plain YAML value as a tmd value (string, bool, whole number, list
/// of those).
fn plain(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(string(s.trim_end_matches('\n'))),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(
            n.as_u64()
                .map_or_else(|| string(&n.to_string()), |n| n.to_string()),
        ),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    Value::Array(_) | Value::Object(_) | Value::Null => None,
                    other => plain(other),
                })
                .collect();
            parts.map(|p| format!("[{}]", p.join(", ")))
        }
        Value::Null | Value::Object(_) => None,
    }
}

/// The keys of `item` not in `known`, as `x_` entries (counted as kept);
/// what has no tmd value is dropped.
fn rest(w: &mut Writer, item: &Value, known: &[&str], what: &str, e: &mut Vec<String>) {
    let Some(m) = item.as_object() else { return };
    for (k, v) in m {
        if known.contains(&k.as_str()) || v.is_null() {
            continue;
        }
        if let Value::Array(a) = v {
            if a.is_empty() {
                continue;
            }
        }
        match plain(v) {
            Some(text) => {
                let key = x_key(k);
                if !e.iter().any(|l| l.starts_with(&format!("{key}:"))) {
                    e.push(format!("{key}: {text}"));
                    w.kept += 1;
                }
            }
            None => w.drop_fact(format!("{what}: `{k}` (not a plain value)")),
        }
    }
}

fn block(entries: &[String]) -> String {
    if entries.is_empty() {
        String::new()
    } else {
        format!(" {{ {} }}", entries.join(", "))
    }
}

/// A tmd list of strings.
fn string_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| string(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Text with HTML tags (`<b>`, `</i>`) removed; whether any were.
fn strip_tags(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut rest = s;
    let mut stripped = false;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let tag_end = after.find('>');
        let is_tag = tag_end.is_some_and(|end| {
            let inner = after[..end].trim_start_matches('/');
            inner.starts_with(|c: char| c.is_ascii_alphabetic())
                && inner.len() <= 10
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '/')
        });
        match (is_tag, tag_end) {
            (true, Some(end)) => {
                out.push_str(&rest[..open]);
                rest = &after[end + 1..];
                stripped = true;
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, stripped)
}

/// Threagile's ID of a communication link: the asset's ID, `>`, the
/// link's title in lower case with runs of other characters as `-`.
fn link_id(asset: &str, title: &str) -> String {
    let mut s = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    format!("{asset}>{}", s.trim_matches(|c| c == '-' || c == ' '))
}

/// Whether a risk-tracking key matches a risk's synthetic ID: `*` stands
/// for one or more characters other than `@`.
fn matches(pattern: &str, id: &str) -> bool {
    let p: Vec<&str> = pattern.split('@').collect();
    let i: Vec<&str> = id.split('@').collect();
    p.len() == i.len() && p.iter().zip(&i).all(|(p, i)| part_matches(p, i))
}

fn part_matches(p: &str, s: &str) -> bool {
    match p.find('*') {
        None => p == s,
        Some(star) => {
            let (head, tail) = (&p[..star], &p[star + 1..]);
            let Some(rest) = s.strip_prefix(head) else {
                return false;
            };
            // `*` takes at least one character.
            let mut starts: Vec<usize> = rest.char_indices().map(|(i, _)| i).skip(1).collect();
            starts.push(rest.len());
            !rest.is_empty() && starts.into_iter().any(|i| part_matches(tail, &rest[i..]))
        }
    }
}

fn rating_of(level: &str, levels: &[&str]) -> &'static str {
    match levels.iter().position(|l| *l == level) {
        Some(0 | 1) => "low",
        Some(2) => "medium",
        _ => "high",
    }
}

fn boundary_kind(t: &str) -> String {
    match t {
        "network-cloud-provider" => "cloud-account".to_string(),
        "execution-environment" => "host".to_string(),
        t if t.starts_with("network-") => "network".to_string(),
        t => string(t),
    }
}

fn stride_letter(s: &str) -> Option<char> {
    match s {
        "spoofing" => Some('S'),
        "tampering" => Some('T'),
        "repudiation" => Some('R'),
        "information-disclosure" => Some('I'),
        "denial-of-service" => Some('D'),
        "elevation-of-privilege" => Some('E'),
        _ => None,
    }
}

struct Element {
    id: String,
    line: String,
    boundary: Option<usize>,
}

struct Boundary {
    id: String,
    header: String,
    body: Vec<String>,
    parent: Option<usize>,
    elements: Vec<usize>,
}

struct Tracking {
    key: String,
    status: String,
    entries: Vec<String>,
    used: bool,
}

/// Imports a Threagile model (YAML text).
pub fn import(text: &str, source_name: &str) -> Result<Imported, ImportError> {
    let doc = super::yaml::parse(text)?;
    import_value(&doc, source_name)
}

/// Imports a Threagile model.
pub fn import_value(doc: &Value, source_name: &str) -> Result<Imported, ImportError> {
    if !doc.is_object() {
        return Err(ImportError::new(
            "$",
            "not a Threagile model (a YAML mapping is expected)",
        ));
    }
    let Some(version) = text(doc, "threagile_version", "$")? else {
        return Err(ImportError::new(
            "$.threagile_version",
            "not a Threagile model (no threagile_version)",
        ));
    };
    if !(version == "1" || version.starts_with("1.")) {
        return Err(ImportError::new(
            "$.threagile_version",
            format!("Threagile model version {version} is not supported (tmd reads 1.x)"),
        ));
    }
    let includes = ids(doc, "includes", "$")?;
    if let Some((first, p)) = includes.first() {
        return Err(ImportError::new(
            p.clone(),
            format!("the model includes `{first}`, which tmd import does not read (it reads only the file named): merge the files first"),
        ));
    }

    let mut w = Writer::default();
    let mut names = Names::default();

    // Header.
    if let Some(t) = text(doc, "title", "$")? {
        w.line(format!("title {}", string(&t)));
    }
    if let Some(author) = doc.get("author").filter(|a| !a.is_null()) {
        if let Some(n) = text(author, "name", "$.author")? {
            w.line(format!("author {}", string(&n)));
        }
        if let Some(h) = text(author, "homepage", "$.author")? {
            w.drop_fact(format!("the author's homepage ({h})"));
        }
    }
    if let Some(Value::Array(list)) = doc.get("contributors") {
        let mut people = Vec::new();
        for (i, c) in list.iter().enumerate() {
            if let Some(n) = text(c, "name", &format!("$.contributors[{i}]"))? {
                people.push(n);
            }
        }
        if !people.is_empty() {
            w.line(format!("contributors {}", string_list(&people)));
        }
    }
    if let Some(d) = text(doc, "date", "$")? {
        if crate::model::parse_date(&d).is_some() {
            w.line(format!("created {d}"));
        } else {
            w.drop_fact(format!("the date `{d}` (not a date)"));
        }
    }
    if flag(doc, "diagram_tweak_layout_left_to_right", "$")? == Some(true) {
        w.line("direction left-right");
    }
    w.line("risk threagile");
    w.line(format!("classification [{}]", CONFIDENTIALITY.join(", ")));
    w.line("sensitive confidential");
    w.line("");

    for key in [
        "management_summary_comment",
        "business_criticality",
        "application_description",
        "business_overview",
        "technical_overview",
    ] {
        if doc.get(key).is_some_and(|v| !v.is_null()) {
            w.drop_fact(format!("`{key}` (no place in a tmd model)"));
        }
    }
    for (key, what) in [
        ("questions", "question"),
        ("abuse_cases", "abuse case"),
        ("security_requirements", "security requirement"),
    ] {
        for (name, _) in mapping(doc, key, "$")? {
            w.drop_fact(format!("{what} `{name}`"));
        }
    }
    if !ids(doc, "tags_available", "$")?.is_empty() {
        w.drop_fact("`tags_available` (the tags themselves are kept as x_tags)");
    }
    if let Some(m) = doc.as_object() {
        for (k, v) in m {
            if v.is_null() {
                continue;
            }
            if k.starts_with("diagram_tweak_") || k == "reports" {
                if k != "diagram_tweak_layout_left_to_right" {
                    w.drop_fact(format!("`{k}` (diagram or report settings)"));
                }
            } else if !TOP_KEYS.contains(&k.as_str()) {
                w.drop_fact(format!("the top-level key `{k}`"));
            }
        }
    }

    // Data assets.
    let mut asset_ids: BTreeMap<String, String> = BTreeMap::new();
    for (name, a) in mapping(doc, "data_assets", "$")? {
        let path = step("$.data_assets", name);
        if !a.is_object() {
            return Err(ImportError::new(path, "a data asset is a mapping"));
        }
        let Some(id) = text(a, "id", &path)? else {
            return Err(ImportError::new(
                step(&path, "id"),
                "an id is required here",
            ));
        };
        if asset_ids.contains_key(&id) {
            return Err(ImportError::new(
                step(&path, "id"),
                format!("data asset `{id}` is declared twice"),
            ));
        }
        let (tmd_id, kept) = names.claim(&id, &id);
        let Some(c) = word(a, "confidentiality", &path, &CONFIDENTIALITY)? else {
            return Err(ImportError::new(
                step(&path, "confidentiality"),
                format!(
                    "a confidentiality is required here ({})",
                    CONFIDENTIALITY.join(", ")
                ),
            ));
        };
        let mut e = vec![
            format!("classification: {c}"),
            format!("confidentiality: {}", rating_of(&c, &CONFIDENTIALITY)),
        ];
        let mut exact = Vec::new();
        for key in ["integrity", "availability"] {
            if let Some(level) = word(a, key, &path, &CRITICALITY)? {
                e.push(format!("{key}: {}", rating_of(&level, &CRITICALITY)));
                exact.push(format!("x_threagile_{key}: {}", string(&level)));
            }
        }
        if let Some(d) = text(a, "description", &path)? {
            e.push(format!("description: {}", string(&d)));
        }
        if !kept {
            e.push(format!("x_threagile_id: {}", string(&id)));
            w.kept += 1;
        }
        w.kept += exact.len();
        e.extend(exact);
        rest(
            &mut w,
            a,
            &[
                "id",
                "confidentiality",
                "integrity",
                "availability",
                "description",
            ],
            "data asset",
            &mut e,
        );
        w.line(format!("asset {tmd_id} {}{}", string(name), block(&e)));
        asset_ids.insert(id, tmd_id);
    }
    if !asset_ids.is_empty() {
        w.line("");
    }
    let asset_list = |list: Vec<(String, String)>| -> Result<Vec<String>, ImportError> {
        let mut out = Vec::new();
        for (id, p) in list {
            let Some(t) = asset_ids.get(&id) else {
                return Err(ImportError::new(
                    p,
                    format!("no data asset has the id `{id}`"),
                ));
            };
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        Ok(out)
    };

    // Technical assets: IDs first (links and boundaries name them).
    let tech = mapping(doc, "technical_assets", "$")?;
    let mut tech_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut elements: Vec<Element> = Vec::new();
    for (name, t) in &tech {
        let path = step("$.technical_assets", name);
        if !t.is_object() {
            return Err(ImportError::new(path, "a technical asset is a mapping"));
        }
        let Some(id) = text(t, "id", &path)? else {
            return Err(ImportError::new(
                step(&path, "id"),
                "an id is required here",
            ));
        };
        if tech_ids.contains_key(&id) {
            return Err(ImportError::new(
                step(&path, "id"),
                format!("technical asset `{id}` is declared twice"),
            ));
        }
        let (tmd_id, _) = names.claim(&id, &id);
        tech_ids.insert(id, elements.len());
        elements.push(Element {
            id: tmd_id,
            line: String::new(),
            boundary: None,
        });
    }
    let element_of = |id: &str, p: &str| -> Result<usize, ImportError> {
        tech_ids
            .get(id)
            .copied()
            .ok_or_else(|| ImportError::new(p, format!("no technical asset has the id `{id}`")))
    };

    // Shared runtimes: kept on their assets.
    let mut runtimes_of: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut runtime_ids: BTreeSet<String> = BTreeSet::new();
    for (name, r) in mapping(doc, "shared_runtimes", "$")? {
        let path = step("$.shared_runtimes", name);
        let id = text(r, "id", &path)?.unwrap_or_else(|| name.to_string());
        for (a, p) in ids(r, "technical_assets_running", &path)? {
            let e = element_of(&a, &p)?;
            runtimes_of.entry(e).or_default().push(id.clone());
        }
        w.drop_fact(format!(
            "shared runtime `{name}`: kept as x_shared_runtimes on the assets it runs, its description and tags are not imported"
        ));
        runtime_ids.insert(id);
    }

    // Trust boundaries, their nesting and the assets inside.
    let mut boundaries: Vec<Boundary> = Vec::new();
    let mut boundary_ids: BTreeMap<String, usize> = BTreeMap::new();
    let tb = mapping(doc, "trust_boundaries", "$")?;
    for (name, b) in &tb {
        let path = step("$.trust_boundaries", name);
        if !b.is_object() {
            return Err(ImportError::new(path, "a trust boundary is a mapping"));
        }
        let Some(id) = text(b, "id", &path)? else {
            return Err(ImportError::new(
                step(&path, "id"),
                "an id is required here",
            ));
        };
        if boundary_ids.contains_key(&id) {
            return Err(ImportError::new(
                step(&path, "id"),
                format!("trust boundary `{id}` is declared twice"),
            ));
        }
        let (tmd_id, kept) = names.claim(&id, &id);
        let mut body = Vec::new();
        if let Some(t) = text(b, "type", &path)? {
            body.push(format!("kind: {}", boundary_kind(&t)));
            body.push(format!("x_threagile_type: {}", string(&t)));
            w.kept += 1;
        }
        if let Some(d) = text(b, "description", &path)? {
            body.push(format!("description: {}", string(&d)));
        }
        if !kept {
            body.push(format!("x_threagile_id: {}", string(&id)));
            w.kept += 1;
        }
        rest(
            &mut w,
            b,
            &[
                "id",
                "type",
                "description",
                "technical_assets_inside",
                "trust_boundaries_nested",
            ],
            "trust boundary",
            &mut body,
        );
        boundary_ids.insert(id, boundaries.len());
        boundaries.push(Boundary {
            id: tmd_id.clone(),
            header: format!("boundary {tmd_id} {} {{", string(name)),
            body,
            parent: None,
            elements: Vec::new(),
        });
    }
    for (index, (name, b)) in tb.iter().enumerate() {
        let path = step("$.trust_boundaries", name);
        for (child, p) in ids(b, "trust_boundaries_nested", &path)? {
            let Some(&c) = boundary_ids.get(&child) else {
                return Err(ImportError::new(
                    p,
                    format!("no trust boundary has the id `{child}`"),
                ));
            };
            if c == index {
                return Err(ImportError::new(
                    p,
                    format!("trust boundary `{child}` is nested in itself"),
                ));
            }
            let Some(cb) = boundaries.get_mut(c) else {
                continue;
            };
            if let Some(other) = cb.parent {
                let other = boundary_ids
                    .iter()
                    .find(|(_, &i)| i == other)
                    .map_or("?", |(k, _)| k.as_str());
                return Err(ImportError::new(
                    p,
                    format!("trust boundary `{child}` is already nested in `{other}`; a boundary has one parent"),
                ));
            }
            cb.parent = Some(index);
        }
    }
    for start in 0..boundaries.len() {
        let mut at = boundaries.get(start).and_then(|b| b.parent);
        let mut steps = 0;
        while let Some(p) = at {
            steps += 1;
            if p == start || steps > boundaries.len() {
                let name = tb.get(start).map_or("", |(n, _)| n);
                return Err(ImportError::new(
                    step(&step("$.trust_boundaries", name), "trust_boundaries_nested"),
                    "the trust boundaries' nesting forms a cycle",
                ));
            }
            at = boundaries.get(p).and_then(|b| b.parent);
        }
        if steps >= 64 {
            let name = tb.get(start).map_or("", |(n, _)| n);
            return Err(ImportError::new(
                step("$.trust_boundaries", name),
                "trust boundaries nest deeper than 64 levels (TMD013)",
            ));
        }
    }
    let is_ancestor = |a: usize, mut b: usize, bs: &[Boundary]| -> bool {
        let mut steps = 0;
        while let Some(p) = bs.get(b).and_then(|x| x.parent) {
            if p == a {
                return true;
            }
            b = p;
            steps += 1;
            if steps > bs.len() {
                break;
            }
        }
        false
    };
    for (index, (name, b)) in tb.iter().enumerate() {
        let path = step("$.trust_boundaries", name);
        for (a, p) in ids(b, "technical_assets_inside", &path)? {
            let e = element_of(&a, &p)?;
            let Some(el) = elements.get_mut(e) else {
                continue;
            };
            el.boundary = match el.boundary {
                None => Some(index),
                Some(prev) if is_ancestor(prev, index, &boundaries) => Some(index),
                Some(prev) if is_ancestor(index, prev, &boundaries) => Some(prev),
                Some(prev) => {
                    let other = tb.get(prev).map_or("", |(n, _)| n);
                    return Err(ImportError::new(
                        p,
                        format!("technical asset `{a}` is already inside trust boundary `{other}`, which does not nest with this one"),
                    ));
                }
            };
        }
    }

    // Elements.
    for (index, (name, t)) in tech.iter().enumerate() {
        let path = step("$.technical_assets", name);
        let kind = match word(
            t,
            "type",
            &path,
            &["external-entity", "process", "datastore"],
        )? {
            Some(k) if k == "external-entity" => "external",
            Some(k) if k == "datastore" => "store",
            Some(_) => "process",
            None => {
                return Err(ImportError::new(
                    step(&path, "type"),
                    "a type is required here (external-entity, process, datastore)",
                ))
            }
        };
        let id = text(t, "id", &path)?.unwrap_or_default();
        let tmd_id = elements
            .get(index)
            .map(|e| e.id.clone())
            .unwrap_or_default();
        let mut e = Vec::new();
        if let Some(d) = text(t, "description", &path)? {
            e.push(format!("description: {}", string(&d)));
        }
        let mut tech_words: Vec<String> = Vec::new();
        if let Some(t) = text(t, "technology", &path)? {
            tech_words.push(t);
        }
        for (t, _) in ids(t, "technologies", &path)? {
            if !tech_words.contains(&t) {
                tech_words.push(t);
            }
        }
        if !tech_words.is_empty() {
            e.push(format!("tech: {}", string(&tech_words.join(", "))));
        }
        if let Some(o) = text(t, "owner", &path)? {
            e.push(format!("owner: {}", string(&o)));
        }
        let justification = text(t, "justification_out_of_scope", &path)?;
        if flag(t, "out_of_scope", &path)? == Some(true) {
            e.push(format!(
                "out_of_scope: {}",
                justification.as_deref().map_or("true".to_string(), string)
            ));
        } else if let Some(j) = &justification {
            e.push(format!("x_justification_out_of_scope: {}", string(j)));
            w.kept += 1;
        }
        if let Some(i) = flag(t, "internet", &path)? {
            e.push(format!("internet_facing: {i}"));
        }
        if let Some(enc) = text(t, "encryption", &path)? {
            if kind == "store" {
                e.push(format!("encrypts_at_rest: {}", enc != "none"));
            }
            e.push(format!("x_encryption: {}", string(&enc)));
            w.kept += 1;
        }
        let mut held = asset_list(ids(t, "data_assets_processed", &path)?)?;
        let stored = asset_list(ids(t, "data_assets_stored", &path)?)?;
        for s in &stored {
            if !held.contains(s) {
                held.push(s.clone());
            }
        }
        if !held.is_empty() {
            e.push(format!("assets: [{}]", held.join(", ")));
        }
        if !stored.is_empty() && kind != "store" {
            e.push(format!("x_data_assets_stored: {}", string_list(&stored)));
            w.kept += 1;
        }
        if let Some(r) = runtimes_of.get(&index) {
            e.push(format!("x_shared_runtimes: {}", string_list(r)));
            w.kept += 1;
        }
        if tmd_id != id {
            e.push(format!("x_threagile_id: {}", string(&id)));
            w.kept += 1;
        }
        if t.get("diagram_tweak_order").is_some_and(|v| !v.is_null()) {
            w.drop_fact("`diagram_tweak_order` of technical assets (diagram settings)");
        }
        rest(
            &mut w,
            t,
            &[
                "id",
                "type",
                "description",
                "technology",
                "technologies",
                "owner",
                "out_of_scope",
                "justification_out_of_scope",
                "internet",
                "encryption",
                "data_assets_processed",
                "data_assets_stored",
                "communication_links",
                "diagram_tweak_order",
            ],
            "technical asset",
            &mut e,
        );
        if let Some(el) = elements.get_mut(index) {
            el.line = format!("{kind} {tmd_id} {}{}", string(name), block(&e));
        }
    }

    // Elements outside every boundary, then the boundaries from the roots.
    for el in elements.iter().filter(|e| e.boundary.is_none()) {
        w.line(el.line.clone());
    }
    for (i, el) in elements.iter().enumerate() {
        if let Some(b) = el.boundary.and_then(|b| boundaries.get_mut(b)) {
            b.elements.push(i);
        }
    }
    fn emit(w: &mut Writer, b: usize, bs: &[Boundary], els: &[Element], depth: usize) {
        let Some(boundary) = bs.get(b) else { return };
        if depth > 64 {
            return;
        }
        w.line(boundary.header.clone());
        for l in &boundary.body {
            w.line(l.clone());
        }
        for &e in &boundary.elements {
            if let Some(el) = els.get(e) {
                w.line(el.line.clone());
            }
        }
        for (c, child) in bs.iter().enumerate() {
            if child.parent == Some(b) {
                emit(w, c, bs, els, depth + 1);
            }
        }
        w.line("}");
    }
    for (b, boundary) in boundaries.iter().enumerate() {
        if boundary.parent.is_none() {
            emit(&mut w, b, &boundaries, &elements, 0);
        }
    }
    w.line("");

    // Communication links.
    let mut flow_of_link: BTreeMap<String, String> = BTreeMap::new();
    for (index, (name, t)) in tech.iter().enumerate() {
        let path = step("$.technical_assets", name);
        let asset_id = text(t, "id", &path)?.unwrap_or_default();
        let Some(source) = elements.get(index).map(|e| e.id.clone()) else {
            continue;
        };
        for (title, link) in mapping(t, "communication_links", &path)? {
            let lpath = step(&step(&path, "communication_links"), title);
            if !link.is_object() {
                return Err(ImportError::new(lpath, "a communication link is a mapping"));
            }
            let Some(target_id) = text(link, "target", &lpath)? else {
                return Err(ImportError::new(
                    step(&lpath, "target"),
                    "a target is required here",
                ));
            };
            let target = element_of(&target_id, &step(&lpath, "target"))?;
            let target = elements
                .get(target)
                .map(|e| e.id.clone())
                .unwrap_or_default();
            let tid = link_id(&asset_id, title);
            // The asset's slug and the title's, each whole (a long title
            // is cut by the slug rule, at 40 characters).
            let readable = format!(
                "{}_{}",
                super::slug(&asset_id).trim_matches('_'),
                super::slug(title).trim_matches('_')
            );
            let (flow_id, _) = names.claim(&readable, &readable);
            let mut common = Vec::new();
            let protocol = text(link, "protocol", &lpath)?;
            let vpn = flag(link, "vpn", &lpath)? == Some(true);
            if let Some(p) = &protocol {
                common.push(format!("protocol: {}", string(p)));
                let p = p.to_ascii_lowercase();
                if ENCRYPTED.contains(&p.as_str()) || vpn {
                    common.push("encrypted: true".to_string());
                } else if PLAIN.contains(&p.as_str())
                    && p != "in-process-library-call"
                    && p != "local-file-access"
                {
                    common.push("encrypted: false".to_string());
                }
            }
            let authn = text(link, "authentication", &lpath)?;
            if let Some(a) = &authn {
                common.push(format!("authenticated: {}", a != "none"));
            }
            let sent = asset_list(ids(link, "data_assets_sent", &lpath)?)?;
            let received = asset_list(ids(link, "data_assets_received", &lpath)?)?;
            let readonly = flag(link, "readonly", &lpath)? == Some(true);
            let mut own = Vec::new();
            if let Some(d) = text(link, "description", &lpath)? {
                own.push(format!("description: {}", string(&d)));
            }
            if let Some(a) = authn.filter(|a| a != "none") {
                own.push(format!("x_authentication: {}", string(&a)));
                w.kept += 1;
            }
            if let Some(a) = text(link, "authorization", &lpath)?.filter(|a| a != "none") {
                own.push(format!("x_authorization: {}", string(&a)));
                w.kept += 1;
            }
            for key in ["vpn", "ip_filtered"] {
                if flag(link, key, &lpath)? == Some(true) {
                    own.push(format!("x_{key}: true"));
                    w.kept += 1;
                }
            }
            own.push(format!("x_threagile_id: {}", string(&tid)));
            w.kept += 1;
            if link
                .get("diagram_tweak_weight")
                .is_some_and(|v| !v.is_null())
                || link
                    .get("diagram_tweak_constraint")
                    .is_some_and(|v| !v.is_null())
            {
                w.drop_fact("`diagram_tweak_weight` and `diagram_tweak_constraint` of communication links (diagram settings)");
            }
            rest(
                &mut w,
                link,
                &[
                    "target",
                    "description",
                    "protocol",
                    "authentication",
                    "authorization",
                    "vpn",
                    "ip_filtered",
                    "readonly",
                    "data_assets_sent",
                    "data_assets_received",
                    "diagram_tweak_weight",
                    "diagram_tweak_constraint",
                ],
                "communication link",
                &mut own,
            );
            let with_assets = |list: &[String]| -> Vec<String> {
                let mut e = common.clone();
                if !list.is_empty() {
                    e.push(format!("assets: [{}]", list.join(", ")));
                }
                e
            };
            if readonly && sent.is_empty() {
                // A pull: the data comes from the target, which the
                // initiator connects to, and nothing goes the other way.
                let mut e = with_assets(&received);
                e.push(format!("initiator: {source}"));
                e.extend(own);
                w.line(format!(
                    "flow {flow_id}: {target} -> {source} {}{}",
                    string(title),
                    block(&e)
                ));
            } else {
                let mut e = with_assets(&sent);
                if readonly {
                    // Read-only with a request: the request and its
                    // response, the response riding the request's
                    // connection.
                    e.push("x_readonly: true".to_string());
                    w.kept += 1;
                }
                e.extend(own);
                w.line(format!(
                    "flow {flow_id}: {source} -> {target} {}{}",
                    string(title),
                    block(&e)
                ));
                if !received.is_empty() {
                    let (resp, _) = names.claim(&format!("{flow_id}_response"), "");
                    let mut e = with_assets(&received);
                    e.push(format!("response_to: {flow_id}"));
                    w.line(format!(
                        "flow {resp}: {target} -> {source} {}{}",
                        string(&format!("{title} (response)")),
                        block(&e)
                    ));
                }
            }
            flow_of_link.insert(tid, flow_id);
        }
    }

    // Risk tracking.
    let mut tracking: Vec<Tracking> = Vec::new();
    for (key, t) in mapping(doc, "risk_tracking", "$")? {
        let path = step("$.risk_tracking", key);
        let status = word(
            t,
            "status",
            &path,
            &[
                "unchecked",
                "in-discussion",
                "accepted",
                "in-progress",
                "mitigated",
                "false-positive",
            ],
        )?
        .unwrap_or_else(|| "unchecked".to_string());
        let mut e = Vec::new();
        let justification = text(t, "justification", &path)?;
        match status.as_str() {
            "unchecked" => {}
            "in-discussion" => e.push("status: investigating".to_string()),
            s => e.push(format!("status: {s}")),
        }
        match (&justification, status.as_str()) {
            (Some(j), _) => e.push(format!("justification: {}", string(j))),
            (None, "false-positive") => e.push(format!(
                "justification: {}",
                string(
                    "(marked a false positive in Threagile's risk tracking, with no justification)"
                )
            )),
            _ => {}
        }
        if let Some(t) = text(t, "ticket", &path)? {
            e.push(format!("ticket: {}", string(&t)));
        }
        if let Some(c) = text(t, "checked_by", &path)? {
            e.push(format!("reviewed_by: {}", string(&c)));
        }
        if let Some(d) = text(t, "date", &path)? {
            if crate::model::parse_date(&d).is_some() {
                e.push(format!("reviewed_on: {d}"));
            } else {
                return Err(ImportError::new(
                    step(&path, "date"),
                    format!("`{d}` is not a date (YYYY-MM-DD)"),
                ));
            }
        }
        tracking.push(Tracking {
            key: key.trim().to_string(),
            status,
            entries: e,
            used: false,
        });
    }

    // Individual risk categories: one threat per identified risk.
    let mut categories = mapping(doc, "individual_risk_categories", "$")?;
    let custom = mapping(doc, "custom_risk_categories", "$")?;
    let custom_at = categories.len();
    categories.extend(custom);
    let mut html_stripped = false;
    for (n, (cname, c)) in categories.iter().enumerate() {
        let base = if n < custom_at {
            "$.individual_risk_categories"
        } else {
            "$.custom_risk_categories"
        };
        let path = step(base, cname);
        if !c.is_object() {
            return Err(ImportError::new(path, "a risk category is a mapping"));
        }
        let Some(cat_id) = text(c, "id", &path)? else {
            return Err(ImportError::new(
                step(&path, "id"),
                "an id is required here",
            ));
        };
        let risks = mapping(c, "risks_identified", &path)?;
        if risks.is_empty() {
            w.drop_fact(format!(
                "risk category `{cname}` ({cat_id}): no risk identified, nothing to import"
            ));
            continue;
        }
        let stride = match text(c, "stride", &path)? {
            None => None,
            Some(s) => Some(stride_letter(&s.to_ascii_lowercase()).ok_or_else(|| {
                ImportError::new(step(&path, "stride"), format!("`{s}` is not a STRIDE category (spoofing, tampering, repudiation, information-disclosure, denial-of-service, elevation-of-privilege)"))
            })?),
        };
        let description = text(c, "description", &path)?;
        let mitigation = text(c, "mitigation", &path)?;
        let mut cat_entries = vec![format!("x_category: {}", string(&cat_id))];
        cat_entries.push(format!("x_category_title: {}", string(cname)));
        if let Some(cwe) = text(c, "cwe", &path)? {
            if cwe != "0" {
                cat_entries.push(format!("x_cwe: {}", string(&format!("CWE-{cwe}"))));
            }
        }
        if let Some(i) = text(c, "impact", &path)? {
            cat_entries.push(format!("x_impact_description: {}", string(&i)));
        }
        let mut cat_rest = Vec::new();
        let mut scratch = Writer::default();
        rest(
            &mut scratch,
            c,
            &[
                "id",
                "description",
                "impact",
                "mitigation",
                "stride",
                "cwe",
                "risks_identified",
            ],
            "risk category",
            &mut cat_rest,
        );
        for fact in scratch.dropped {
            w.drop_fact(fact);
        }
        cat_entries.extend(
            cat_rest
                .into_iter()
                .filter(|l| !l.starts_with("x_model_failure_possible_reason: false")),
        );

        for (title, r) in risks {
            let rpath = step(&step(&path, "risks_identified"), title);
            if !r.is_object() {
                return Err(ImportError::new(rpath, "an identified risk is a mapping"));
            }
            let mut targets = Vec::new();
            let mut parts = vec![cat_id.clone()];
            let mut extra = Vec::new();
            if let Some(a) = text(r, "most_relevant_technical_asset", &rpath)? {
                let e = element_of(&a, &step(&rpath, "most_relevant_technical_asset"))?;
                if let Some(el) = elements.get(e) {
                    targets.push(el.id.clone());
                }
                parts.push(a);
            }
            if let Some(l) = text(r, "most_relevant_communication_link", &rpath)? {
                let Some(f) = flow_of_link.get(&l) else {
                    return Err(ImportError::new(
                        step(&rpath, "most_relevant_communication_link"),
                        format!("no communication link has the id `{l}`"),
                    ));
                };
                targets.push(f.clone());
                parts.push(l);
            }
            if let Some(b) = text(r, "most_relevant_trust_boundary", &rpath)? {
                let Some(bi) = boundary_ids.get(&b) else {
                    return Err(ImportError::new(
                        step(&rpath, "most_relevant_trust_boundary"),
                        format!("no trust boundary has the id `{b}`"),
                    ));
                };
                if let Some(bd) = boundaries.get(*bi) {
                    targets.push(bd.id.clone());
                }
                parts.push(b);
            }
            if let Some(s) = text(r, "most_relevant_shared_runtime", &rpath)? {
                if !runtime_ids.contains(&s) {
                    return Err(ImportError::new(
                        step(&rpath, "most_relevant_shared_runtime"),
                        format!("no shared runtime has the id `{s}`"),
                    ));
                }
                extra.push(format!("x_most_relevant_shared_runtime: {}", string(&s)));
                parts.push(s);
            }
            if let Some(d) = text(r, "most_relevant_data_asset", &rpath)? {
                let Some(tmd_asset) = asset_ids.get(&d) else {
                    return Err(ImportError::new(
                        step(&rpath, "most_relevant_data_asset"),
                        format!("no data asset has the id `{d}`"),
                    ));
                };
                extra.push(format!("x_most_relevant_data_asset: {}", string(tmd_asset)));
                parts.push(d);
            }
            let breach = ids(r, "data_breach_technical_assets", &rpath)?;
            let mut breach_ids = Vec::new();
            for (a, p) in breach {
                let e = element_of(&a, &p)?;
                if let Some(el) = elements.get(e) {
                    breach_ids.push(el.id.clone());
                }
            }
            if !breach_ids.is_empty() {
                extra.push(format!(
                    "x_data_breach_technical_assets: {}",
                    string_list(&breach_ids)
                ));
            }
            if let Some(p) = word(
                r,
                "data_breach_probability",
                &rpath,
                &["improbable", "possible", "probable"],
            )? {
                extra.push(format!("x_data_breach_probability: {}", string(&p)));
            }
            let synthetic = parts.join("@");
            let (tmd_id, _) = names.claim(&synthetic, &synthetic);
            let (clean_title, stripped) = strip_tags(title);
            html_stripped |= stripped;

            let mut e = Vec::new();
            e.push(format!(
                "scenario: {}",
                string(description.as_deref().unwrap_or(clean_title.as_str()))
            ));
            if let Some(s) = stride {
                e.push(format!("stride: {s}"));
            }
            let likelihood = word(r, "exploitation_likelihood", &rpath, &LIKELIHOODS)?;
            let impact = word(r, "exploitation_impact", &rpath, &IMPACTS)?;
            let severity = word(r, "severity", &rpath, &SEVERITIES)?;
            match (likelihood, impact) {
                (Some(l), Some(i)) => {
                    e.push(format!("likelihood: {l}"));
                    e.push(format!("impact: {i}"));
                }
                (l, i) => {
                    if severity.is_none() {
                        return Err(ImportError::new(
                            step(&rpath, "severity"),
                            "a severity, or an exploitation likelihood and impact, is required here",
                        ));
                    }
                    if let Some(l) = l {
                        extra.push(format!("x_exploitation_likelihood: {}", string(&l)));
                    }
                    if let Some(i) = i {
                        extra.push(format!("x_exploitation_impact: {}", string(&i)));
                    }
                }
            }
            if let Some(s) = &severity {
                e.push(format!("severity: {s}"));
            }
            if let Some(m) = &mitigation {
                e.push(format!("mitigation: {}", string(m)));
            }
            // Tracking: an exact ID first, else the first wildcard that
            // matches, in the file's order.
            let t = tracking
                .iter()
                .position(|t| t.key == synthetic)
                .or_else(|| {
                    tracking
                        .iter()
                        .position(|t| t.key.contains('*') && matches(&t.key, &synthetic))
                });
            if let Some(t) = t.and_then(|t| tracking.get_mut(t)) {
                e.extend(t.entries.iter().cloned());
                t.used = true;
            }
            extra.push(format!("x_threagile_id: {}", string(&synthetic)));
            w.kept += cat_entries.len() + extra.len();
            e.extend(cat_entries.iter().cloned());
            e.extend(extra);
            let mut known_r = vec![
                "severity",
                "exploitation_likelihood",
                "exploitation_impact",
                "data_breach_probability",
                "data_breach_technical_assets",
                "most_relevant_data_asset",
                "most_relevant_technical_asset",
                "most_relevant_communication_link",
                "most_relevant_trust_boundary",
                "most_relevant_shared_runtime",
            ];
            known_r.sort_unstable();
            rest(&mut w, r, &known_r, "identified risk", &mut e);
            let on = if targets.is_empty() {
                String::new()
            } else {
                format!(" on {}", targets.join(", "))
            };
            w.line(format!("threat {tmd_id} {}{on} {{", string(&clean_title)));
            for entry in e {
                w.line(format!("  {entry}"));
            }
            w.line("}");
        }
    }
    if html_stripped {
        w.drop_fact("HTML markup (<b>, <i>) in risk titles");
    }
    for t in tracking.iter().filter(|t| !t.used) {
        w.drop_fact(format!(
            "risk tracking `{}` ({}): no imported risk has that ID (the risks of Threagile's own rules are not imported)",
            t.key, t.status
        ));
    }
    w.finish(source_name, "Threagile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_ids_are_threagile_s() {
        assert_eq!(
            link_id("customer-client", "Customer Traffic"),
            "customer-client>customer-traffic"
        );
        assert_eq!(
            link_id("a", "Git-Repo Web-UI Access!"),
            "a>git-repo-web-ui-access"
        );
    }

    #[test]
    fn wildcards_match_one_id_part_each() {
        assert!(matches(
            "ldap-injection@*@ldap-auth-server@*",
            "ldap-injection@a@ldap-auth-server@b>c"
        ));
        assert!(matches("unencrypted-asset@*", "unencrypted-asset@db"));
        assert!(!matches("unencrypted-asset@*", "unencrypted-asset@db@x"));
        assert!(!matches("x@*", "x@"));
        assert!(matches("x@d*b", "x@db2b"));
        assert!(!matches("x@d*b", "x@db"));
    }

    #[test]
    fn html_tags_are_stripped_and_other_angles_kept() {
        assert_eq!(
            strip_tags("<b>Risk</b> at <b>DB</b>"),
            ("Risk at DB".to_string(), true)
        );
        assert_eq!(strip_tags("a < b > c"), ("a < b > c".to_string(), false));
        assert_eq!(strip_tags("<script>x"), ("x".to_string(), true));
    }
}
