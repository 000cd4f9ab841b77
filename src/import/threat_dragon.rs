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
    let reviewer = text(detail, "reviewer");
    if !reviewer.trim().is_empty() {
        w.line(format!("reviewers [{}]", string(reviewer)));
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
            let (id, _) = names.claim(&cell_id, &label);
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

    // Flows.
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
        let (id, _) = names.claim(cell_id, &base);
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
        let label = if name.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", string(&name))
        };
        w.line(format!(
            "flow {id}: {source} -> {target}{label}{}",
            block(&e)
        ));
        if flag(data, "isBidirectional") {
            // Threat Dragon draws one line with two arrows; tmd has a
            // flow each way, the second answering the first.
            let (back, _) = names.claim("", &format!("{id} back"));
            let mut b = vec![format!("response_to: {id}")];
            b.extend(e.iter().filter(|x| !x.starts_with("description")).cloned());
            w.line(format!(
                "flow {back}: {target} -> {source}{label}{}",
                block(&b)
            ));
        }
        if let Some(Value::Array(t)) = data.get("threats") {
            pending.push(PendingThreats {
                target: id,
                threats: t,
                path: format!("{path}.data.threats"),
            });
        }
    }

    // Threats.
    for p in &pending {
        for (k, threat) in p.threats.iter().enumerate() {
            let path = format!("{}[{k}]", p.path);
            if !threat.is_object() {
                return Err(ImportError::new(path, "a threat is a JSON object"));
            }
            let title = text(threat, "title");
            let label = if title.trim().is_empty() {
                "threat"
            } else {
                title
            };
            let (id, _) = names.claim(text(threat, "id"), label);
            let mut e = Vec::new();
            let description = text(threat, "description");
            e.push(format!(
                "scenario: {}",
                string(if description.trim().is_empty() {
                    label
                } else {
                    description
                })
            ));
            let severity = text(threat, "severity");
            match severity.trim().to_ascii_lowercase().as_str() {
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
            match stride_letter(kind) {
                Some(letter) if model_type.is_empty() || model_type == "STRIDE" => {
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
            if !mitigation.trim().is_empty() {
                e.push(format!("mitigation: {}", string(mitigation)));
            }
            let status = text(threat, "status");
            match status.trim().to_ascii_lowercase().as_str() {
                "" | "open" => {}
                "mitigated" => e.push("status: mitigated".to_string()),
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
            if let Some(n) = threat.get("number").and_then(Value::as_u64) {
                w.kept += 1;
                e.push(format!("x_td_number: {n}"));
            }
            w.line(format!(
                "threat {id} {} on {}{}",
                string(label),
                p.target,
                block(&e)
            ));
        }
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
