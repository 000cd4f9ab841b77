//! The diff as JSON (`"schema_version": 1`). The schema is documented in
//! `docs/review.md`; keys come in a fixed order, every key is always
//! present (null when it has no value), arrays follow NEW's declaration
//! order, then removed entries in OLD's order.

use serde_json::{json, Map, Value as J};

use super::*;
use crate::emit::text::visible;

fn s(text: &str) -> J {
    J::String(visible(text).into_owned())
}

fn value(v: Option<&Value>) -> J {
    match v {
        None => J::Null,
        Some(Value::Text(t) | Value::Id(t) | Value::Word(t)) => s(t),
        Some(Value::Bool(b)) => J::Bool(*b),
        Some(Value::Int(digits)) => match digits.parse::<u64>() {
            Ok(n) => J::from(n),
            Err(_) => J::String(digits.clone()),
        },
        Some(Value::Date(d)) => J::String(d.to_string()),
        Some(Value::List(items)) => J::Array(items.iter().map(|i| value(Some(i))).collect()),
    }
}

fn fields(list: &[FieldChange]) -> J {
    J::Array(
        list.iter()
            .map(|f| json!({ "field": s(&f.field), "old": value(f.old.as_ref()), "new": value(f.new.as_ref()) }))
            .collect(),
    )
}

fn change(c: Option<Change>) -> J {
    c.map_or(J::Null, |c| J::String(c.as_str().to_string()))
}

fn crossings(list: &[CrossingRef]) -> J {
    J::Array(
        list.iter()
            .map(|c| json!({ "boundary": s(&c.boundary), "direction": c.direction.as_str() }))
            .collect(),
    )
}

fn sensitive_refs(list: &[SensitiveRef]) -> J {
    J::Array(
        list.iter()
            .map(|r| json!({ "asset": s(&r.asset), "classification": s(&r.level) }))
            .collect(),
    )
}

fn transport(t: &Transport) -> J {
    json!({
        "protocol": t.protocol.as_deref().map_or(J::Null, s),
        "encrypted": t.encrypted,
        "authenticated": t.authenticated,
    })
}

fn open_threat(o: &OpenThreat) -> J {
    json!({
        "threat": s(&o.threat),
        "title": s(&o.title),
        "target": s(&o.target),
        "reason": o.reason.as_str(),
        "scale_severity": s(&o.word),
    })
}

/// The diff as a JSON value.
pub fn json_value(diff: &Diff, old_name: &str, new_name: &str) -> J {
    let mut summary = Map::new();
    summary.insert("changes".into(), J::from(diff.change_count()));
    summary.insert(
        "highlights".into(),
        J::Array(
            highlights(diff, &|id| visible(id).into_owned())
                .into_iter()
                .map(J::String)
                .collect(),
        ),
    );
    // One count per kind of exposure change, every kind always present.
    let mut exposure_counts = Map::new();
    for (kind, n) in diff.exposure_counts() {
        exposure_counts.insert(kind.key().into(), J::from(n));
    }
    summary.insert("exposure".into(), J::Object(exposure_counts));
    summary.insert("header".into(), J::from(diff.header.len()));
    for section in Section::ALL {
        summary.insert(
            section.as_str().into(),
            json!({
                "added": diff.count(section, Change::Added),
                "removed": diff.count(section, Change::Removed),
                "changed": diff.count(section, Change::Changed),
            }),
        );
    }

    let mut top = Map::new();
    top.insert("schema_version".into(), J::from(1));
    top.insert("old".into(), s(old_name));
    top.insert("new".into(), s(new_name));
    top.insert("changed".into(), J::Bool(!diff.is_empty()));
    top.insert("summary".into(), J::Object(summary));
    top.insert("header".into(), fields(&diff.header));
    for section in Section::ALL {
        let entries: Vec<J> = diff
            .entries(section)
            .iter()
            .map(|e| {
                json!({
                    "id": s(&e.id),
                    "old_id": e.old_id.as_deref().map_or(J::Null, s),
                    "change": e.change.as_str(),
                    "kind": e.kind,
                    "fields": fields(&e.fields),
                })
            })
            .collect();
        top.insert(section.as_str().into(), J::Array(entries));
    }

    let mut open = Map::new();
    for sev in SEVERITIES_DESC {
        let (before, after) = diff.open_count(sev);
        open.insert(
            sev.as_str().into(),
            json!({
                "before": before,
                "after": after,
                "opened": diff.opened.iter().filter(|o| o.severity == sev).map(open_threat).collect::<Vec<_>>(),
                "closed": diff.closed.iter().filter(|o| o.severity == sev).map(open_threat).collect::<Vec<_>>(),
            }),
        );
    }
    let exposure = json!({
        "crossings": diff.crossings.iter().map(|c| json!({
            "flow": s(&c.flow),
            "flow_change": change(c.flow_change),
            "introduced": crossings(&c.introduced),
            "removed": crossings(&c.removed),
        })).collect::<Vec<_>>(),
        "reversed": diff.reversed.iter().map(|r| json!({
            "flow": s(&r.flow),
            "flow_change": change(r.flow_change),
            "reversed": r.reversed,
        })).collect::<Vec<_>>(),
        "severity": diff.severity.iter().map(|c| json!({
            "threat": s(&c.threat),
            "old": c.old.as_str(),
            "new": c.new.as_str(),
            "direction": if c.rose() { "up" } else { "down" },
            "old_scale_severity": s(&c.old_word),
            "new_scale_severity": s(&c.new_word),
        })).collect::<Vec<_>>(),
        "status": diff.status.iter().map(|c| json!({
            "threat": s(&c.threat),
            "old": c.old.as_str(),
            "new": c.new.as_str(),
        })).collect::<Vec<_>>(),
        "open_threats": J::Object(open),
        "stride_gaps": diff.stride_gaps.iter().map(|g| json!({
            "element": s(&g.element),
            "element_change": change(g.element_change),
            "opened": g.opened.to_string(),
            "closed": g.closed.to_string(),
        })).collect::<Vec<_>>(),
        "protection": diff.protection.iter().map(|p| json!({
            "flow": s(&p.flow),
            "flow_change": change(p.flow_change),
            "lost": p.lost.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            "gained": p.gained.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            "old": transport(&p.old),
            "new": transport(&p.new),
            "crossings": crossings(&p.crossings),
        })).collect::<Vec<_>>(),
        "scope": diff.scope.iter().map(|c| json!({
            "target": s(&c.target),
            "kind": c.kind,
            "label": c.label.as_deref().map_or(J::Null, s),
            "out_of_scope": c.out_of_scope,
        })).collect::<Vec<_>>(),
        "mitigation": diff.mitigation.iter().map(|m| json!({
            "threat": s(&m.threat),
            "title": s(&m.title),
            "target": s(&m.target),
            "severity": m.severity.as_str(),
            "scale_severity": s(&m.word),
            "old": m.old.as_deref().map_or(J::Null, s),
            "new": m.new.as_deref().map_or(J::Null, s),
        })).collect::<Vec<_>>(),
        "decisions": diff.decisions.iter().map(|c| json!({
            "threat": s(&c.threat),
            "title": s(&c.title),
            "target": s(&c.target),
            "severity": c.severity.as_str(),
            "old": c.old.map(Status::as_str),
            "new": c.new.as_str(),
            "justification": c.justification.as_deref().map_or(J::Null, s),
            "reviewed_by": c.reviewed_by.as_deref().map_or(J::Null, s),
            "reviewed_on": c.reviewed_on.map(|d| d.to_string()),
            "expires": c.expires.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "sensitive": diff.sensitive.iter().map(|c| json!({
            "flow": s(&c.flow),
            "flow_change": change(c.flow_change),
            "introduced": sensitive_refs(&c.introduced),
            "removed": sensitive_refs(&c.removed),
            "crossings": crossings(&c.crossings),
        })).collect::<Vec<_>>(),
    });
    top.insert("exposure".into(), exposure);
    J::Object(top)
}

/// The diff as pretty-printed JSON, ending in a line break.
pub fn json(diff: &Diff, old_name: &str, new_name: &str) -> String {
    let mut text =
        serde_json::to_string_pretty(&json_value(diff, old_name, new_name)).unwrap_or_default();
    text.push('\n');
    text
}
