//! The reports' Assumptions section (language 0.2), in Markdown and HTML:
//! every assumption with its status, owner and what rests on it, the
//! unverified ones first, then the wrong ones, then the verified ones
//! (declaration order within each). A model without assumptions has no
//! such section, so a 0.1 model's report reads as it did.

use std::fmt::Write as _;

use super::assessment::{fragment, target_anchor};
use super::text::visible;
use super::{html, markdown};
use crate::analysis::Analysis;
use crate::model::*;

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// The in-page anchor of an assumption's row.
pub fn anchor(id: &str) -> String {
    format!("as-{}", fragment(id))
}

/// Something that rests on an assumption, as the reports name it.
#[derive(Clone, Debug, PartialEq)]
pub struct DependentView {
    /// `threat`, `external`, `process`, `store`, `boundary` or `flow`.
    pub kind: &'static str,
    pub id: String,
    /// The threat's ID, the element's, boundary's or flow's label.
    pub label: String,
    /// Where it is in the report, when it has a place there (a flow has
    /// one only when threats are on it).
    pub anchor: Option<String>,
}

/// An assumption as the reports show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionView {
    pub id: String,
    pub anchor: String,
    pub statement: String,
    pub status: AssumptionStatus,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub dependents: Vec<DependentView>,
}

/// Unverified first, then wrong, then verified.
fn rank(status: AssumptionStatus) -> u8 {
    match status {
        AssumptionStatus::Unverified => 0,
        AssumptionStatus::Wrong => 1,
        AssumptionStatus::Verified => 2,
    }
}

/// The model's assumptions in report order.
pub fn views(model: &Model, analysis: &Analysis) -> Vec<AssumptionView> {
    let mut out: Vec<AssumptionView> = model
        .assumptions
        .iter()
        .map(|a| AssumptionView {
            id: v(&a.name),
            anchor: anchor(&a.name),
            statement: v(&a.label),
            status: a.status,
            owner: a.owner.as_deref().map(v),
            description: a.description.as_deref().map(v),
            dependents: a
                .dependents
                .iter()
                .map(|&d| dependent_view(model, analysis, d))
                .collect(),
        })
        .collect();
    // Stable: declaration order within a status.
    out.sort_by_key(|a| rank(a.status));
    out
}

fn dependent_view(model: &Model, analysis: &Analysis, d: Dependent) -> DependentView {
    match d {
        Dependent::Threat(t) => DependentView {
            kind: "threat",
            id: v(&model[t].name),
            label: v(&model[t].name),
            anchor: Some(super::assessment::threat_anchor(&model[t].name)),
        },
        Dependent::Target(target) => DependentView {
            kind: model.target_kind(target),
            id: v(model.target_name(target)),
            label: v(&model.target_label(target)),
            anchor: match target {
                Target::Flow(f) if analysis.flow(f).threats.is_empty() => None,
                _ => Some(target_anchor(model, target)),
            },
        },
    }
}

/// `2 unverified, 1 wrong, 1 verified` (in report order), leaving out
/// the statuses no assumption has.
fn counts(list: &[AssumptionView]) -> String {
    let mut statuses = AssumptionStatus::ALL.to_vec();
    statuses.sort_by_key(|&s| rank(s));
    let parts: Vec<String> = statuses
        .into_iter()
        .map(|s| (s, list.iter().filter(|a| a.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    parts.join(", ")
}

/// The sentence under the heading.
fn lead(list: &[AssumptionView]) -> String {
    let what = if list.len() == 1 {
        "1 assumption".to_string()
    } else {
        format!("{} assumptions", list.len())
    };
    format!(
        "What the analysis takes as true, with what rests on each ({what}: {}); unverified first. \
Whatever rests on an assumption marked wrong draws a warning (TMD117).",
        counts(list)
    )
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

fn dependent_md(d: &DependentView) -> String {
    let label = markdown::escape(&d.label);
    match (&d.anchor, d.kind) {
        (Some(a), "flow") => format!("flow [{label}](#{a}) ({})", markdown::code(&d.id)),
        (None, "flow") => format!("flow {label} ({})", markdown::code(&d.id)),
        (Some(a), kind) => format!("{kind} [{label}](#{a})"),
        (None, kind) => format!("{kind} {label}"),
    }
}

fn status_md(status: AssumptionStatus) -> String {
    match status {
        AssumptionStatus::Verified => status.as_str().to_string(),
        _ => format!("**{}**", status.as_str()),
    }
}

/// `## Assumptions`, when the model has any.
pub fn markdown_section(out: &mut String, list: &[AssumptionView]) {
    if list.is_empty() {
        return;
    }
    out.push_str("## Assumptions\n\n");
    out.push_str(&markdown::escape(&lead(list)));
    out.push_str("\n\n| ID | Assumption | Status | Owner | Rests on it |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for a in list {
        let mut statement = markdown::escape(&a.statement);
        if let Some(d) = &a.description {
            let _ = write!(statement, "<br>*{}*", markdown::escape(d));
        }
        let dependents = if a.dependents.is_empty() {
            "nothing".to_string()
        } else {
            a.dependents
                .iter()
                .map(dependent_md)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| <a id=\"{}\"></a>{} | {statement} | {} | {} | {dependents} |",
            a.anchor,
            markdown::code(&a.id),
            status_md(a.status),
            a.owner
                .as_deref()
                .map_or_else(|| "—".to_string(), markdown::escape),
        );
    }
    out.push('\n');
}

/// `**Rests on:** [A1](#as-A1) (unverified).` in a section, when it rests
/// on any assumption.
pub fn markdown_rests_on(out: &mut String, rests: &[(String, AssumptionStatus)]) {
    if rests.is_empty() {
        return;
    }
    let list: Vec<String> = rests
        .iter()
        .map(|(id, status)| {
            format!(
                "[{}](#{}) ({})",
                markdown::escape(id),
                anchor(id),
                status.as_str()
            )
        })
        .collect();
    let _ = writeln!(out, "**Rests on:** {}.\n", list.join(", "));
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

fn dependent_html(d: &DependentView) -> String {
    let label = html::esc(&d.label);
    let linked = match &d.anchor {
        Some(a) => format!("<a href=\"#{}\">{label}</a>", html::esc(a)),
        None => label,
    };
    if d.kind == "flow" {
        format!("flow {linked} <code>{}</code>", html::esc(&d.id))
    } else {
        format!("{} {linked}", d.kind)
    }
}

/// A status as the threat statuses are drawn: unverified like an open
/// threat, verified like a mitigated one, wrong in red.
fn status_html(status: AssumptionStatus) -> String {
    let class = match status {
        AssumptionStatus::Unverified => "status st-open",
        AssumptionStatus::Verified => "status st-mitigated",
        AssumptionStatus::Wrong => "status no",
    };
    let word = status.as_str();
    let mut chars = word.chars();
    let cap: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("<span class=\"{class}\">{cap}</span>")
}

/// `<section id="assumptions">`, when the model has any.
pub fn html_section(out: &mut String, list: &[AssumptionView]) {
    if list.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"assumptions\">\n<h2>Assumptions<span class=\"count\">{}</span></h2>\n<p class=\"lead\">{}</p>\n",
        list.len(),
        html::esc(&lead(list))
    );
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>ID</th><th>Assumption</th><th>Status</th><th>Owner</th><th>Rests on it</th></tr></thead>\n<tbody>\n");
    for a in list {
        let mut statement = html::esc(&a.statement);
        if let Some(d) = &a.description {
            let _ = write!(statement, "<div class=\"muted\">{}</div>", html::esc(d));
        }
        let dependents = if a.dependents.is_empty() {
            "<span class=\"none\">nothing</span>".to_string()
        } else {
            a.dependents
                .iter()
                .map(dependent_html)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td><code>{}</code></td><td>{statement}</td><td>{}</td><td>{}</td><td>{dependents}</td></tr>",
            html::esc(&a.anchor),
            html::esc(&a.id),
            status_html(a.status),
            a.owner.as_deref().map_or_else(
                || "<span class=\"muted\">—</span>".to_string(),
                html::esc
            ),
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// `<dt>Rests on</dt>` in a section's facts, when it rests on any
/// assumption.
pub fn html_rests_on(out: &mut String, rests: &[(String, AssumptionStatus)]) {
    if rests.is_empty() {
        return;
    }
    let list: Vec<String> = rests
        .iter()
        .map(|(id, status)| {
            format!(
                "<a href=\"#{}\">{}</a> ({})",
                html::esc(&anchor(id)),
                html::esc(id),
                status.as_str()
            )
        })
        .collect();
    let _ = writeln!(out, "<dt>Rests on</dt><dd>{}</dd>", list.join(", "));
}
