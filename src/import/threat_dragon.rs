//! OWASP Threat Dragon (version 2 JSON) → tmd. Threat Dragon keeps a
//! model as diagrams of drawn cells: actors, processes and stores with a
//! position and a size, trust boundaries drawn as boxes or as curves,
//! flows between cells, and threats inside the cells they are on. tmd has
//! no coordinates, so nesting comes from the geometry: an element or a
//! box belongs to the smallest box that holds its centre (docs/interop.md
//! gives the rule and what is a guess). Lenient: `null` stands for an
//! empty string or `false` wherever Threat Dragon writes one.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{string, ImportError, Imported, Names, Writer};

static NULL: Value = Value::Null;

/// A rectangle: x, y of the top-left corner, width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    fn holds_point(&self, (px, py): (f64, f64)) -> bool {
        px >= self.x && px <= self.x + self.w && py >= self.y && py <= self.y + self.h
    }
    fn holds(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }
    fn area(&self) -> f64 {
        self.w * self.h
    }
}

/// A string field; `null`, absent or not a string reads as "".
fn text<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A boolean field; `null`, absent or not a boolean reads as false.
fn flag(item: &Value, key: &str) -> bool {
    item.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn number(item: &Value, key: &str) -> Option<f64> {
    item.get(key)
        .and_then(Value::as_f64)
        .filter(|n| n.is_finite())
}

/// The rectangle of a cell (`position` and `size`), when it has one.
fn rect(cell: &Value) -> Option<Rect> {
    let p = cell.get("position")?;
    let s = cell.get("size")?;
    let r = Rect {
        x: number(p, "x")?,
        y: number(p, "y")?,
        w: number(s, "width")?,
        h: number(s, "height")?,
    };
    (r.w >= 0.0 && r.h >= 0.0).then_some(r)
}

/// The name of a cell: `data.name`, else the drawn label.
fn cell_name(cell: &Value, data: &Value) -> String {
    let name = text(data, "name");
    if !name.trim().is_empty() {
        return name.to_string();
    }
    let drawn = cell
        .get("attrs")
        .and_then(|a| a.get("label"))
        .map(|l| text(l, "text"))
        .unwrap_or("");
    if !drawn.trim().is_empty() {
        return drawn.to_string();
    }
    // A line's label (flows, boundary curves).
    cell.get("labels")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|l| l.get("attrs"))
        .and_then(|a| a.get("labelText"))
        .map(|l| text(l, "text"))
        .unwrap_or("")
        .to_string()
}

/// The STRIDE letter of a Threat Dragon threat type.
fn stride_letter(kind: &str) -> Option<char> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "spoofing" => Some('S'),
        "tampering" => Some('T'),
        "repudiation" => Some('R'),
        "information disclosure" => Some('I'),
        "denial of service" => Some('D'),
        "elevation of privilege" => Some('E'),
        _ => None,
    }
}

/// The fields Threat Dragon derives or draws, read for nothing.
const DERIVED: [&str; 6] = [
    "type",
    "name",
    "description",
    "hasOpenThreats",
    "threats",
    "isTrustBoundary",
];

/// Data fields of an element or flow that tmd has its own key for.
const MAPPED: [&str; 5] = [
    "outOfScope",
    "reasonOutOfScope",
    "protocol",
    "isEncrypted",
    "isBidirectional",
];

/// Entries for the other data fields of a cell: `x_` keys for those set
/// (true, a non-empty string, a number), nothing for the unset ones.
fn extra_entries(data: &Value, w: &mut Writer, flow: bool) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = data.as_object() else {
        return out;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        if DERIVED.contains(&key.as_str()) || MAPPED.contains(&key.as_str()) {
            continue;
        }
        // `isEncrypted` maps on flows; on a store it is its own fact.
        let value = match map.get(key) {
            Some(Value::Bool(true)) => "true".to_string(),
            Some(Value::String(s)) if !s.trim().is_empty() => string(s),
            Some(Value::Number(n)) => string(&n.to_string()),
            _ => continue,
        };
        w.kept += 1;
        out.push(format!("{}: {value}", td_key(key)));
    }
    if !flow && flag(data, "isEncrypted") {
        w.kept += 1;
        out.push(format!("{}: true", td_key("isEncrypted")));
    }
    out.sort();
    out
}

/// The `x_` key of a Threat Dragon field: `x_td_` and its words in snake
/// case (`storesCredentials` → `x_td_stores_credentials`).
fn td_key(key: &str) -> String {
    let mut out = String::from("x_td_");
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

/// The keys a cell's `tmd` object (written by `tmd export --format
/// threat-dragon`) may give back, by kind of item; `x_` keys always.
const ELEMENT_CARRY: &[&str] = &[
    "tech",
    "owner",
    "assets",
    "internet_facing",
    "authenticates",
    "validates_input",
    "logs_security_events",
    "encrypts_at_rest",
    "holds_credentials",
    "third_party_code",
    "privileged",
];
const BOUNDARY_CARRY: &[&str] = &["kind"];
const FLOW_CARRY: &[&str] = &["encrypted", "authenticated", "data", "assets"];
const THREAT_CARRY: &[&str] = &[
    "actor",
    "stride",
    "status",
    "remediation",
    "rule",
    "ease",
    "impact",
    "controls",
    "justification",
    "owner",
    "ticket",
    "reviewed_by",
    "reviewed_on",
    "expires",
];
/// The texts Threat Dragon (in English) puts in a new threat's description
/// and mitigation until someone writes their own: not facts about the
/// threat, so not imported (a scenario falls back to the title).
const PLACEHOLDER_DESCRIPTION: &str = "Provide a description for this threat";
const PLACEHOLDER_MITIGATION: &str =
    "Provide remediation for this threat or a reason if status is N/A";
const PLACEHOLDERS_DROPPED: &str =
    "Threat Dragon's placeholder texts in threats (\"Provide a description for this threat\", \"Provide remediation for this threat or a reason if status is N/A\")";

const ACTOR_CARRY: &[&str] = &["description"];
const ASSET_CARRY: &[&str] = &[
    "classification",
    "confidentiality",
    "integrity",
    "availability",
    "description",
];
const CONTROL_CARRY: &[&str] = &["status", "description", "ticket", "reduces"];
const HEADER_CARRY: &[&str] = &[
    "created",
    "updated",
    "version",
    "direction",
    "reviewers",
    "link",
    "classification",
    "sensitive",
];

fn is_word(w: &str) -> bool {
    let mut chars = w.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A typed value of a `tmd` object as tmd text: a string, `true` or
/// `false`, `{"word": ...}`, `{"date": ...}`, `{"int": ...}`, or a list of
/// those; None for anything else (a word that is not one, say).
fn tmd_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(string(s)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| if i.is_array() { None } else { tmd_value(i) })
                .collect();
            parts.map(|p| format!("[{}]", p.join(", ")))
        }
        Value::Object(o) if o.len() == 1 => {
            if let Some(w) = o.get("word").and_then(Value::as_str) {
                (is_word(w) && w != "true" && w != "false").then(|| w.to_string())
            } else if let Some(d) = o.get("date").and_then(Value::as_str) {
                is_date(d).then(|| d.to_string())
            } else if let Some(n) = o.get("int").and_then(Value::as_str) {
                (!n.is_empty()
                    && n.len() <= 20
                    && n.bytes().all(|c| c.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0')))
                .then(|| n.to_string())
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `key: value` entries from an item's `tmd` object: the keys `allowed`
/// (less those in `skip`, which the caller reads) and `x_` keys. A key
/// that is neither, or a value that is not a tmd value, is dropped and
/// listed.
fn tmd_entries(
    item: &Value,
    allowed: &[&str],
    skip: &[&str],
    what: &str,
    w: &mut Writer,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = item.get("tmd").and_then(Value::as_object) else {
        return out;
    };
    for (key, v) in map {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let ok_key =
            allowed.contains(&key.as_str()) || (key.starts_with("x_") && super::is_identifier(key));
        match (ok_key, tmd_value(v)) {
            (true, Some(text)) => out.push(format!("{key}: {text}")),
            _ => w.drop_fact(format!(
                "{what}: tmd fact `{key}` (not a tmd key and value)"
            )),
        }
    }
    out
}

/// The tmd ID a cell's `tmd` object gives, when its id cannot be it.
fn carried_id(data: &Value) -> Option<&str> {
    data.get("tmd")
        .and_then(|t| t.get("id"))
        .and_then(Value::as_str)
        .filter(|id| super::is_identifier(id))
}

/// A word of an item's `tmd` object.
fn tmd_word<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get("tmd")
        .and_then(|t| t.get(key))
        .and_then(|v| v.get("word"))
        .and_then(Value::as_str)
        .filter(|w| is_word(w))
}

fn block(entries: &[String]) -> String {
    if entries.is_empty() {
        String::new()
    } else {
        format!(" {{ {} }}", entries.join(", "))
    }
}

/// `out_of_scope` from `outOfScope` and `reasonOutOfScope`.
fn out_of_scope(data: &Value) -> Option<String> {
    if !flag(data, "outOfScope") {
        return None;
    }
    let reason = text(data, "reasonOutOfScope");
    Some(if reason.trim().is_empty() {
        "out_of_scope: true".to_string()
    } else {
        format!("out_of_scope: {}", string(reason))
    })
}

/// A box boundary or an element, placed by geometry.
struct Node {
    /// The tmd ID.
    id: String,
    /// Its line (element) or its opening (boundary).
    line: String,
    /// Lines inside a boundary (its keys).
    keys: Vec<String>,
    rect: Option<Rect>,
    boundary: bool,
    parent: Option<usize>,
}

/// A cell's threats, waiting for their target's tmd ID.
struct PendingThreats<'a> {
    target: String,
    threats: &'a [Value],
    path: String,
}

pub fn import(text: &str, source_name: &str) -> Result<Imported, ImportError> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| ImportError::new("$", format!("not JSON: {e}")))?;
    import_value(&doc, source_name)
}

pub fn import_value(doc: &Value, source_name: &str) -> Result<Imported, ImportError> {
    if !doc.is_object() {
        return Err(ImportError::new(
            "$",
            "a Threat Dragon model is a JSON object",
        ));
    }
    let version = text(doc, "version");
    let detail = doc.get("detail").filter(|d| d.is_object()).ok_or_else(|| {
        ImportError::new(
            "$.detail",
            "an object is required here: this is not a Threat Dragon model",
        )
    })?;
    let diagrams = match detail.get("diagrams") {
        Some(Value::Array(d)) => d.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return Err(ImportError::new(
                "$.detail.diagrams",
                "an array is expected",
            ))
        }
    };
    if version.starts_with('1')
        || diagrams
            .iter()
            .any(|d| d.get("diagramJson").is_some() && d.get("cells").is_none())
    {
        return Err(ImportError::new(
            "$.version",
            "a Threat Dragon version 1 model: open it in Threat Dragon 2 and save it, then import that",
        ));
    }
    if !version.is_empty() && !version.starts_with('2') {
        return Err(ImportError::new(
            "$.version",
            format!("Threat Dragon model version {version}; tmd reads version 2"),
        ));
    }

    let mut w = Writer::default();
    let mut names = Names::default();
    let summary = doc.get("summary").cloned().unwrap_or(Value::Null);
    let title = text(&summary, "title");
    w.line(format!(
        "title {}",
        string(if title.trim().is_empty() {
            "Imported Threat Dragon model"
        } else {
            title
        })
    ));
    let description = text(&summary, "description");
    if !description.trim().is_empty() {
        w.line(format!("scope {}", string(description)));
    }
    let owner = text(&summary, "owner");
    if !owner.trim().is_empty() {
        w.line(format!("author {}", string(owner)));
    }
    // What tmd's own export carries in `detail.tmd`.
    let carried = detail.get("tmd").filter(|t| t.is_object()).unwrap_or(&NULL);
    let headers = carried.get("headers").unwrap_or(&NULL);
    let ours = carried.get("generator").and_then(Value::as_str) == Some("tmd");
    let reviewer = text(detail, "reviewer");
    if let Some(list) = headers.get("reviewers").and_then(tmd_value) {
        w.line(format!("reviewers {list}"));
    } else if !reviewer.trim().is_empty() {
        w.line(format!("reviewers [{}]", string(reviewer)));
    }
    if let Some(map) = headers.as_object() {
        for (key, v) in map {
            if key == "reviewers" {
                continue;
            }
            match (HEADER_CARRY.contains(&key.as_str()), tmd_value(v)) {
                (true, Some(value)) => w.line(format!("{key} {value}")),
                _ => w.drop_fact(format!("tmd header `{key}` (not a tmd header and value)")),
            }
        }
    }
    let contributors: Vec<String> = detail
        .get("contributors")
        .and_then(Value::as_array)
        .map(|c| {
            c.iter()
                .map(|p| match p {
                    Value::String(s) => s.as_str(),
                    other => text(other, "name"),
                })
                .filter(|n| !n.trim().is_empty())
                .map(string)
                .collect()
        })
        .unwrap_or_default();
    if !contributors.is_empty() {
        w.line(format!("contributors [{}]", contributors.join(", ")));
    }
    w.line("");
    for (key, keyword, allowed) in [
        ("actors", "actor", ACTOR_CARRY),
        ("assets", "asset", ASSET_CARRY),
        ("controls", "control", CONTROL_CARRY),
    ] {
        let Some(list) = carried.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, decl) in list.iter().enumerate() {
            let id = text(decl, "id");
            if !super::is_identifier(id) {
                w.drop_fact(format!(
                    "{keyword} at $.detail.tmd.{key}[{i}]: not a tmd identifier"
                ));
                continue;
            }
            let (id, _) = names.claim(id, id);
            let keys = Value::Object(
                [(
                    "tmd".to_string(),
                    decl.get("keys").cloned().unwrap_or(Value::Null),
                )]
                .into_iter()
                .collect(),
            );
            let e = tmd_entries(&keys, allowed, &[], &format!("{keyword} `{id}`"), &mut w);
            let label = text(decl, "label");
            let label = if label.trim().is_empty() {
                String::new()
            } else {
                format!(" {}", string(label))
            };
            w.line(format!("{keyword} {id}{label}{}", block(&e)));
        }
    }
    if diagrams.len() > 1 {
        w.drop_fact(format!(
            "the split into {} diagrams (their cells are one model here)",
            diagrams.len()
        ));
    }

    // Cells: nodes (elements, box boundaries) first, flows after.
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_cell: BTreeMap<String, String> = BTreeMap::new();
    let mut pending: Vec<PendingThreats> = Vec::new();
    let mut flows: Vec<(String, &Value)> = Vec::new();
    for (d, diagram) in diagrams.iter().enumerate() {
        let cells = match diagram.get("cells") {
            Some(Value::Array(c)) => c.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => {
                return Err(ImportError::new(
                    format!("$.detail.diagrams[{d}].cells"),
                    "an array is expected",
                ))
            }
        };
        for (c, cell) in cells.iter().enumerate() {
            let path = format!("$.detail.diagrams[{d}].cells[{c}]");
            if !cell.is_object() {
                return Err(ImportError::new(path, "a cell is a JSON object"));
            }
            let cell_id = match cell.get("id") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ => return Err(ImportError::new(format!("{path}.id"), "a cell needs an id")),
            };
            let data = cell.get("data").unwrap_or(&NULL);
            let shape = text(cell, "shape");
            let kind = match shape {
                "actor" => Some("external"),
                "process" => Some("process"),
                "store" => Some("store"),
                "trust-boundary-box" | "trust-boundary-curve" | "trust-boundary" => {
                    Some("boundary")
                }
                "flow" => {
                    flows.push((path.clone(), cell));
                    None
                }
                "td-text-block" => {
                    let t = cell_name(cell, data);
                    if !t.trim().is_empty() {
                        w.drop_fact(format!("text block: {}", t.trim()));
                    }
                    None
                }
                other => {
                    w.drop_fact(format!("cell of shape `{other}` ({cell_id})"));
                    None
                }
            };
            let Some(kind) = kind else { continue };
            let name = cell_name(cell, data);
            let fallback = if kind == "boundary" {
                "Trust boundary"
            } else {
                "Element"
            };
            let label = if name.trim().is_empty() {
                fallback.to_string()
            } else {
                name.clone()
            };
            let (id, _) = names.claim(carried_id(data).unwrap_or(&cell_id), &label);
            by_cell.insert(cell_id.clone(), id.clone());
            let desc = text(data, "description");
            if kind == "boundary" {
                let mut keys = Vec::new();
                if !desc.trim().is_empty() {
                    keys.push(format!("description: {}", string(desc)));
                }
                let curve = shape != "trust-boundary-box";
                if curve {
                    w.drop_fact(format!(
                        "the line of trust boundary curve `{id}`: a curve holds nothing, so `{id}` is an empty boundary; move into it what lies behind the line"
                    ));
                    w.kept += 1;
                    keys.push("x_td_curve: true".to_string());
                }
                keys.extend(tmd_entries(
                    data,
                    BOUNDARY_CARRY,
                    &["id"],
                    &format!("boundary `{id}`"),
                    &mut w,
                ));
                nodes.push(Node {
                    line: format!("boundary {id} {} {{", string(&label)),
                    id: id.clone(),
                    keys,
                    rect: if curve { None } else { rect(cell) },
                    boundary: true,
                    parent: None,
                });
            } else {
                let mut e = Vec::new();
                if !desc.trim().is_empty() {
                    e.push(format!("description: {}", string(desc)));
                }
                e.extend(out_of_scope(data));
                e.extend(extra_entries(data, &mut w, false));
                e.extend(tmd_entries(
                    data,
                    ELEMENT_CARRY,
                    &["id"],
                    &format!("element `{id}`"),
                    &mut w,
                ));
                let r = rect(cell);
                if r.is_none() {
                    w.drop_fact(format!(
                        "the place of `{id}`: it has no position and size, so it is in no boundary"
                    ));
                }
                nodes.push(Node {
                    line: format!("{kind} {id} {}{}", string(&label), block(&e)),
                    id: id.clone(),
                    keys: Vec::new(),
                    rect: r,
                    boundary: false,
                    parent: None,
                });
            }
            if let Some(Value::Array(t)) = data.get("threats") {
                pending.push(PendingThreats {
                    target: id,
                    threats: t,
                    path: format!("{path}.data.threats"),
                });
            }
        }
    }

    // Nesting: the smallest box (strictly larger than the node, for a
    // box) that holds the node's centre.
    let boxes: Vec<(usize, Rect)> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.boundary)
        .filter_map(|(i, n)| n.rect.map(|r| (i, r)))
        .collect();
    for i in 0..nodes.len() {
        let Some(r) = nodes.get(i).and_then(|n| n.rect) else {
            continue;
        };
        let is_box = nodes.get(i).is_some_and(|n| n.boundary);
        let centre = r.centre();
        let parent = boxes
            .iter()
            .filter(|(j, b)| *j != i && b.holds_point(centre) && (!is_box || b.area() > r.area()))
            .min_by(|(ja, a), (jb, b)| a.area().total_cmp(&b.area()).then(ja.cmp(jb)));
        if let Some((j, b)) = parent {
            if !b.holds(&r) {
                let (inner, outer) = (
                    nodes.get(i).map(|n| n.id.clone()).unwrap_or_default(),
                    nodes.get(*j).map(|n| n.id.clone()).unwrap_or_default(),
                );
                w.drop_fact(format!(
                    "the exact place of `{inner}`: it straddles the border of `{outer}`, and is put inside it because its centre is (a guess)"
                ));
            }
            if let Some(n) = nodes.get_mut(i) {
                n.parent = Some(*j);
            }
        }
    }

    // Boundaries with their members, depth first, without recursion.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut top = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        match n.parent.and_then(|p| children.get_mut(p)) {
            Some(c) => c.push(i),
            None => top.push(i),
        }
    }
    enum Step {
        Node(usize),
        Close,
    }
    // Elements first, then boundaries, at each level.
    let order = |list: &[usize]| -> Vec<usize> {
        let mut v: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| nodes.get(i).is_some_and(|n| !n.boundary))
            .collect();
        v.extend(
            list.iter()
                .copied()
                .filter(|&i| nodes.get(i).is_some_and(|n| n.boundary)),
        );
        v
    };
    let mut stack: Vec<Step> = order(&top).into_iter().rev().map(Step::Node).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close => w.line("}"),
            Step::Node(i) => {
                let Some(n) = nodes.get(i) else { continue };
                w.line(n.line.clone());
                if n.boundary {
                    for k in &n.keys {
                        w.line(k.clone());
                    }
                    stack.push(Step::Close);
                    if let Some(c) = children.get(i) {
                        stack.extend(order(c).into_iter().rev().map(Step::Node));
                    }
                }
            }
        }
    }

    // Flows: how many share each pair of ends (an implicit flow is named
    // by its ends, so only a flow alone on its pair can be one), then each
    // flow's line, written once every flow's ID is known (`response_to`).
    let mut pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (_, cell) in &flows {
        let end = |key: &str| {
            cell.get(key)
                .and_then(|e| e.get("cell"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        *pairs.entry((end("source"), end("target"))).or_default() += 1;
    }
    let mut flow_ids: BTreeMap<String, String> = BTreeMap::new();
    // (the line without its block, its entries, the cell its response_to names)
    let mut flow_lines: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    for (path, cell) in &flows {
        let data = cell.get("data").unwrap_or(&NULL);
        let end = |key: &str| -> Result<Option<String>, ImportError> {
            let Some(end) = cell.get(key) else {
                return Ok(None);
            };
            match end.get("cell").and_then(Value::as_str) {
                None => Ok(None),
                Some(c) => match by_cell.get(c) {
                    Some(id) => Ok(Some(id.clone())),
                    None => Err(ImportError::new(
                        format!("{path}.{key}.cell"),
                        format!("no actor, process, store or boundary has the id `{c}`"),
                    )),
                },
            }
        };
        let name = cell_name(cell, data);
        let (Some(source), Some(target)) = (end("source")?, end("target")?) else {
            w.drop_fact(format!(
                "flow{}{}: one of its ends is a loose point, not an element",
                if name.trim().is_empty() { "" } else { " " },
                name.trim()
            ));
            // Its threats have nothing to be on: named, not lost silently.
            if let Some(Value::Array(t)) = data.get("threats") {
                for threat in t {
                    w.drop_fact(format!(
                        "threat \"{}\" on that flow",
                        text(threat, "title").trim()
                    ));
                }
            }
            continue;
        };
        let cell_id = text(cell, "id");
        let base = if name.trim().is_empty() {
            format!("{source} to {target}")
        } else {
            name.clone()
        };
        let pair = (
            text(cell.get("source").unwrap_or(&NULL), "cell").to_string(),
            text(cell.get("target").unwrap_or(&NULL), "cell").to_string(),
        );
        let carried = data.get("tmd").unwrap_or(&NULL);
        let implicit = carried.get("implicit").and_then(Value::as_bool) == Some(true)
            && pairs.get(&pair) == Some(&1)
            && !flag(data, "isBidirectional");
        let (id, head) = if implicit {
            let id = format!("{source} -> {target}");
            (id.clone(), format!("flow {id}"))
        } else {
            let (id, _) = names.claim(carried_id(data).unwrap_or(cell_id), &base);
            (id.clone(), format!("flow {id}: {source} -> {target}"))
        };
        flow_ids.insert(cell_id.to_string(), id.clone());
        let mut e = Vec::new();
        let protocol = text(data, "protocol");
        if !protocol.trim().is_empty() {
            e.push(format!("protocol: {}", string(protocol)));
        }
        if flag(data, "isEncrypted") {
            e.push("encrypted: true".to_string());
        }
        let desc = text(data, "description");
        if !desc.trim().is_empty() {
            e.push(format!("description: {}", string(desc)));
        }
        e.extend(out_of_scope(data));
        e.extend(extra_entries(data, &mut w, true));
        let what = format!("flow `{id}`");
        e.extend(tmd_entries(
            data,
            FLOW_CARRY,
            &["id", "implicit", "response_to", "initiator"],
            &what,
            &mut w,
        ));
        if let Some(initiator) = tmd_word(data, "initiator") {
            match by_cell.get(initiator) {
                Some(i) => e.push(format!("initiator: {i}")),
                None => w.drop_fact(format!("{what}: initiator `{initiator}`, not an element")),
            }
        }
        let response = carried
            .get("response_to")
            .and_then(Value::as_str)
            .map(str::to_string);
        let label = if name.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", string(&name))
        };
        flow_lines.push((format!("{head}{label}"), e.clone(), response));
        if flag(data, "isBidirectional") {
            // Threat Dragon draws one line with two arrows; tmd has a
            // flow each way, the second answering the first.
            let (back, _) = names.claim("", &format!("{id} back"));
            let mut b = vec![format!("response_to: {id}")];
            b.extend(e.iter().filter(|x| !x.starts_with("description")).cloned());
            flow_lines.push((format!("flow {back}: {target} -> {source}{label}"), b, None));
        }
        if let Some(Value::Array(t)) = data.get("threats") {
            pending.push(PendingThreats {
                target: id,
                threats: t,
                path: format!("{path}.data.threats"),
            });
        }
    }

    for (head, mut e, response) in flow_lines {
        if let Some(request) = response {
            match flow_ids.get(&request) {
                Some(r) if super::is_identifier(r) => e.insert(0, format!("response_to: {r}")),
                _ => w.drop_fact(format!("{head}: response_to `{request}`, not a named flow")),
            }
        }
        w.line(format!("{head}{}", block(&e)));
    }

    // Threats. The same threat (its id and title) in several cells is one
    // threat on several targets: tmd's export writes a threat on two
    // targets so, and Threat Dragon keeps it.
    let mut merged: Vec<(&Value, String, Vec<String>)> = Vec::new();
    let mut by_threat: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for p in &pending {
        for (k, threat) in p.threats.iter().enumerate() {
            let path = format!("{}[{k}]", p.path);
            if !threat.is_object() {
                return Err(ImportError::new(path, "a threat is a JSON object"));
            }
            let key = (text(threat, "id"), text(threat, "title"));
            match by_threat.get(&key) {
                Some(&i) if !key.0.is_empty() => {
                    if let Some(m) = merged.get_mut(i) {
                        if !m.2.contains(&p.target) {
                            m.2.push(p.target.clone());
                        }
                    }
                }
                _ => {
                    by_threat.insert(key, merged.len());
                    merged.push((threat, path, vec![p.target.clone()]));
                }
            }
        }
    }
    for (threat, _path, targets) in &mut merged {
        let threat = *threat;
        // The order tmd wrote the targets in, when it says.
        if let Some(order) = threat
            .get("tmd")
            .and_then(|t| t.get("targets"))
            .and_then(Value::as_array)
        {
            let order: Vec<String> = order
                .iter()
                .filter_map(Value::as_str)
                .map(|s| s.replace(' ', ""))
                .collect();
            targets.sort_by_key(|t| {
                order
                    .iter()
                    .position(|o| *o == t.replace(' ', ""))
                    .unwrap_or(usize::MAX)
            });
        }
        let title = text(threat, "title");
        let label = if title.trim().is_empty() {
            "threat"
        } else {
            title
        };
        let (id, _) = names.claim(text(threat, "id"), label);
        let what = format!("threat `{id}`");
        let carried = threat.get("tmd").unwrap_or(&NULL);
        let mut e = Vec::new();
        let mut description = text(threat, "description");
        if description.trim() == PLACEHOLDER_DESCRIPTION {
            description = "";
            w.drop_fact(PLACEHOLDERS_DROPPED);
        }
        e.push(format!(
            "scenario: {}",
            string(if description.trim().is_empty() {
                label
            } else {
                description
            })
        ));
        // Levels carried from tmd rate the threat; a severity beside them
        // only when it was written so.
        let levels = carried.get("ease").is_some() && carried.get("impact").is_some();
        let severity_given = carried.get("severity_given").and_then(Value::as_bool) == Some(true);
        let severity = text(threat, "severity");
        match severity.trim().to_ascii_lowercase().as_str() {
            _ if levels && !severity_given => {}
            s @ ("high" | "medium" | "low") => e.push(format!("severity: {s}")),
            "critical" => {
                e.push("severity: high".to_string());
                w.kept += 1;
                e.push(format!("x_td_severity: {}", string(severity)));
            }
            _ => {
                // tmd needs a rating; Threat Dragon's "TBD" has none.
                e.push("severity: medium".to_string());
                w.kept += 1;
                e.push(format!(
                    "x_td_severity: {}",
                    string(if severity.trim().is_empty() {
                        "none"
                    } else {
                        severity
                    })
                ));
                w.drop_fact(
                    "unrated threats (severity TBD or none): rated medium, the Threat Dragon value kept as x_td_severity",
                );
            }
        }
        let kind = text(threat, "type");
        let model_type = text(threat, "modelType");
        let letters = tmd_word(threat, "stride")
            .filter(|w| w.chars().all(|c| "STRIDE".contains(c)))
            .map(str::to_string);
        match (letters, stride_letter(kind)) {
            (Some(letters), _) => e.push(format!("stride: {letters}")),
            (None, Some(letter)) if model_type.is_empty() || model_type == "STRIDE" => {
                e.push(format!("stride: {letter}"));
            }
            _ => {
                if !kind.trim().is_empty() {
                    w.kept += 1;
                    e.push(format!("x_td_type: {}", string(kind)));
                }
                if !model_type.trim().is_empty() {
                    w.kept += 1;
                    e.push(format!("x_td_model_type: {}", string(model_type)));
                }
            }
        }
        let mitigation = text(threat, "mitigation");
        if mitigation.trim() == PLACEHOLDER_MITIGATION {
            w.drop_fact(PLACEHOLDERS_DROPPED);
        } else if !mitigation.trim().is_empty() {
            e.push(format!("mitigation: {}", string(mitigation)));
        }
        let status = text(threat, "status");
        if let Some(exact) = tmd_word(threat, "status") {
            e.push(format!("status: {exact}"));
        } else {
            match status.trim().to_ascii_lowercase().as_str() {
                "" | "open" => {}
                "mitigated" => e.push("status: mitigated".to_string()),
                "accepted" => e.push("status: accepted".to_string()),
                "transferred" => e.push("status: transferred".to_string()),
                "notapplicable" | "not applicable" | "n/a" | "na" => {
                    e.push("status: false-positive".to_string());
                    e.push(format!(
                        "justification: {}",
                        string("Not applicable (Threat Dragon status)")
                    ));
                }
                _ => {
                    w.kept += 1;
                    e.push(format!("x_td_status: {}", string(status)));
                }
            }
        }
        if let Some(score) = threat.get("score") {
            let s = match score {
                Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            if let Some(s) = s {
                w.kept += 1;
                e.push(format!("x_td_score: {}", string(&s)));
            }
        }
        // tmd's export numbers its threats in order: not a fact to keep.
        if let (false, Some(n)) = (ours, threat.get("number").and_then(Value::as_u64)) {
            w.kept += 1;
            e.push(format!("x_td_number: {n}"));
        }
        e.extend(tmd_entries(
            threat,
            THREAT_CARRY,
            &["stride", "status", "severity_given", "targets"],
            &what,
            &mut w,
        ));
        w.line(format!(
            "threat {id} {} on {}{}",
            string(label),
            targets.join(", "),
            block(&e)
        ));
    }

    w.finish(source_name, "Threat Dragon v2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_the_smallest_box_holding_the_centre() {
        let doc = serde_json::json!({
            "version": "2.3.0",
            "summary": { "title": "Geo", "owner": null, "description": null },
            "detail": { "contributors": [], "reviewer": null, "diagrams": [{ "cells": [
                { "id": "outer", "shape": "trust-boundary-box", "position": {"x": 0, "y": 0},
                  "size": {"width": 500, "height": 500}, "attrs": {"label": {"text": "Outer"}}, "data": {} },
                { "id": "inner", "shape": "trust-boundary-box", "position": {"x": 50, "y": 50},
                  "size": {"width": 200, "height": 200}, "attrs": {"label": {"text": "Inner"}}, "data": {} },
                { "id": "p1", "shape": "process", "position": {"x": 100, "y": 100},
                  "size": {"width": 60, "height": 60}, "data": { "name": "In inner", "threats": null } },
                { "id": "p2", "shape": "process", "position": {"x": 300, "y": 300},
                  "size": {"width": 60, "height": 60}, "data": { "name": "In outer" } },
                { "id": "p3", "shape": "actor", "position": {"x": 200, "y": 100},
                  "size": {"width": 60, "height": 60}, "data": { "name": "Straddles" } },
                { "id": "f", "shape": "flow", "source": {"cell": "p1"}, "target": {"x": 3, "y": 4},
                  "data": { "name": "loose" } }
            ]}]}
        });
        let out = import_value(&doc, "geo.json").expect("imports");
        let text = out.text;
        let inner = text.find("boundary inner").expect("inner");
        let outer = text.find("boundary outer").expect("outer");
        assert!(outer < inner, "{text}");
        // p1 in inner in outer; p2 and p3 in outer.
        let p1 = text.find("\n    process p1 ").expect("p1");
        assert!(p1 > inner, "{text}");
        assert!(text.contains("\n  process p2 "), "{text}");
        assert!(text.contains("\n    external p3 "), "{text}");
        assert!(
            out.dropped
                .iter()
                .any(|d| d.contains("straddles the border of `inner`")),
            "{:?}",
            out.dropped
        );
        assert!(out.dropped.iter().any(|d| d.contains("loose point")));
    }

    #[test]
    fn bad_documents_are_refused_with_their_path() {
        let e = import("[1]", "x").expect_err("not an object");
        assert_eq!(e.path, "$");
        let e = import(r#"{"version": "1.6.1", "detail": {"diagrams": []}}"#, "x").expect_err("v1");
        assert_eq!(e.path, "$.version");
        let e = import(
            r#"{"version": "2.3.0", "detail": {"diagrams": [{"cells": [{"shape": "actor"}]}]}}"#,
            "x",
        )
        .expect_err("no id");
        assert_eq!(e.path, "$.detail.diagrams[0].cells[0].id");
        let e = import(
            r#"{"version": "2.3.0", "detail": {"diagrams": [{"cells": [
                {"id": "f", "shape": "flow", "source": {"cell": "a"}, "target": {"cell": "b"}}]}]}}"#,
            "x",
        )
        .expect_err("dangling");
        assert_eq!(e.path, "$.detail.diagrams[0].cells[0].source.cell");
    }
}
