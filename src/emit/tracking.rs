//! The assessment report's sections on status tracking and controls
//! (language 0.2), shared by its Markdown and HTML forms:
//!
//! - **Status and review**: each threat whose status is not plainly `open`
//!   or that records tracking facts, with its status, why (the
//!   justification), who reviewed it and when, its owner and ticket, and
//!   when an acceptance expires;
//! - **Controls**: each control with its status, how much it reduces the
//!   risk, its ticket and description, and the threats that name it.
//!
//! A section is shown only when the model has something for it (a status
//! or a fact of language 0.2; a control), so that a 0.1 model's report
//! reads as it did. Every user string is `visible()`; the formats escape.

use std::fmt::Write as _;

use super::assessment;
use super::html::esc;
use super::markdown::{code, escape};
use super::table::Row;
use super::text::visible;
use crate::analysis::Analysis;
use crate::model::*;

/// The in-page anchor of a control's row in the report.
pub fn control_anchor(id: &str) -> String {
    format!("ct-{}", assessment::fragment(id))
}

/// One threat in "Status and review".
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub out_of_scope: bool,
    pub tracking: Tracking,
}

impl Decision {
    /// `R. Owner, 2025-01-15`, either alone, or none.
    pub fn reviewed(&self) -> Option<String> {
        let t = &self.tracking;
        match (&t.reviewed_by, t.reviewed_on) {
            (Some(by), Some(on)) => Some(format!("{by}, {on}")),
            (Some(by), None) => Some(by.clone()),
            (None, Some(on)) => Some(on.to_string()),
            (None, None) => None,
        }
    }
}

/// One control, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlView {
    pub id: String,
    pub label: String,
    pub status: ControlStatus,
    pub description: Option<String>,
    pub ticket: Option<String>,
    pub reduces: Option<u8>,
    /// The threats that name it: ID and status, declaration order.
    pub threats: Vec<(String, Status)>,
}

/// What the two sections show.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackingView {
    /// Empty when no threat has a status or fact of language 0.2.
    pub decisions: Vec<Decision>,
    pub controls: Vec<ControlView>,
}

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// Whether a status is one language 0.2 added.
fn is_new(status: Status) -> bool {
    !Status::FIRST.contains(&status)
}

impl TrackingView {
    /// From the model and the sorted threat table.
    pub fn new(model: &Model, analysis: &Analysis, rows: &[Row]) -> TrackingView {
        let used = rows
            .iter()
            .any(|r| is_new(r.status) || !r.tracking.is_empty());
        let decisions = if used {
            rows.iter()
                .filter(|r| r.status != Status::Open || !r.tracking.is_empty())
                .map(|r| Decision {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    severity: r.severity,
                    status: r.status,
                    out_of_scope: r.out_of_scope,
                    tracking: r.tracking.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let controls = model
            .control_ids()
            .map(|c| {
                let control = &model[c];
                ControlView {
                    id: v(&control.name),
                    label: v(&control.label),
                    status: control.status,
                    description: control.description.as_deref().map(v),
                    ticket: control.ticket.as_deref().map(v),
                    reduces: control.reduces,
                    threats: analysis
                        .control(c)
                        .threats
                        .iter()
                        .map(|&t| (v(&model[t].name), model[t].status))
                        .collect(),
                }
            })
            .collect();
        TrackingView {
            decisions,
            controls,
        }
    }

    /// `3 controls: 1 verified, 1 implemented, 1 planned.`
    pub fn controls_sentence(&self) -> String {
        let n = self.controls.len();
        let mut parts = Vec::new();
        for status in [
            ControlStatus::Verified,
            ControlStatus::Implemented,
            ControlStatus::Planned,
        ] {
            let k = self.controls.iter().filter(|c| c.status == status).count();
            if k > 0 {
                parts.push(format!("{k} {status}"));
            }
        }
        let noun = if n == 1 { "control" } else { "controls" };
        format!("{n} {noun}: {}.", parts.join(", "))
    }
}

/// `reduces the risk by 60%`, for a cell: `60%`.
fn reduces_text(reduces: Option<u8>) -> Option<String> {
    reduces.map(|r| format!("{r}%"))
}

const NOT_GIVEN: &str = "—";

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

fn md_threat_link(id: &str) -> String {
    format!("[{}](#{})", escape(id), assessment::threat_anchor(id))
}

fn md_opt(value: Option<&str>) -> String {
    value.map_or_else(|| NOT_GIVEN.to_string(), escape)
}

/// Entries for the report's "Contents" line: the sections shown.
pub fn markdown_contents(view: &TrackingView) -> String {
    let mut out = String::new();
    if !view.decisions.is_empty() {
        out.push_str(" · [Status and review](#status-and-review)");
    }
    if !view.controls.is_empty() {
        out.push_str(" · [Controls](#controls)");
    }
    out
}

/// The two sections in Markdown, each when shown.
pub fn markdown(out: &mut String, view: &TrackingView) {
    if !view.decisions.is_empty() {
        out.push_str("## Status and review\n\n");
        out.push_str(
            "Each threat whose status is not open, or that records who reviewed it: why it has its status, \
who reviewed it and when. An expired acceptance counts as open again for `tmd build --fail-on`.\n\n",
        );
        out.push_str(
            "| Threat | Severity | Status | Why | Reviewed | Owner | Ticket | Expires |\n",
        );
        out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for d in &view.decisions {
            let mut status = d.status.describe().to_string();
            if d.out_of_scope {
                status.push_str(" (out of scope)");
            }
            let _ = writeln!(
                out,
                "| {} {} | {} | {status} | {} | {} | {} | {} | {} |",
                md_threat_link(&d.id),
                escape(&d.title),
                d.severity,
                md_opt(d.tracking.justification.as_deref()),
                md_opt(d.reviewed().as_deref()),
                md_opt(d.tracking.owner.as_deref()),
                md_opt(d.tracking.ticket.as_deref()),
                d.tracking
                    .expires
                    .map_or_else(|| NOT_GIVEN.to_string(), |e| e.to_string()),
            );
        }
        out.push('\n');
    }
    if !view.controls.is_empty() {
        out.push_str("## Controls\n\n");
        out.push_str(&view.controls_sentence());
        out.push_str(
            " A control is in place when it is implemented or verified; a threat marked mitigated \
whose controls are all planned draws TMD114. *Reduces*: how much of the risk the control removes.\n\n",
        );
        out.push_str("| Control | Status | Reduces | Ticket | Threats | Description |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for c in &view.controls {
            let threats = if c.threats.is_empty() {
                "*no threat names it*".to_string()
            } else {
                c.threats
                    .iter()
                    .map(|(id, status)| format!("{} ({})", md_threat_link(id), status.describe()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| <a id=\"{}\"></a>{} ({}) | {} | {} | {} | {threats} | {} |",
                control_anchor(&c.id),
                escape(&c.label),
                code(&c.id),
                c.status,
                reduces_text(c.reduces).unwrap_or_else(|| NOT_GIVEN.to_string()),
                md_opt(c.ticket.as_deref()),
                md_opt(c.description.as_deref()),
            );
        }
        out.push('\n');
    }
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

fn html_threat_link(id: &str) -> String {
    format!(
        "<a href=\"#{}\">{}</a>",
        esc(&assessment::threat_anchor(id)),
        esc(id)
    )
}

fn html_opt(value: Option<&str>) -> String {
    value.map_or_else(
        || format!("<span class=\"muted\">{NOT_GIVEN}</span>"),
        |v| esc(v).replace('\n', "<br>"),
    )
}

/// Links for the report's table of contents: the sections shown.
pub fn html_contents(view: &TrackingView) -> String {
    let mut out = String::new();
    if !view.decisions.is_empty() {
        let _ = write!(
            out,
            "<a href=\"#status-and-review\">Status and review <span class=\"count\">{}</span></a>",
            view.decisions.len()
        );
    }
    if !view.controls.is_empty() {
        let _ = write!(
            out,
            "<a href=\"#controls\">Controls <span class=\"count\">{}</span></a>",
            view.controls.len()
        );
    }
    out
}

/// The two sections in HTML, each when shown.
pub fn html(out: &mut String, view: &TrackingView) {
    if !view.decisions.is_empty() {
        let _ = write!(
            out,
            "<section id=\"status-and-review\">\n<h2>Status and review<span class=\"count\">{}</span></h2>\n",
            view.decisions.len()
        );
        out.push_str("<p class=\"lead\">Each threat whose status is not open, or that records who reviewed it: why it has its status, who reviewed it and when. An expired acceptance counts as open again for <code>tmd build --fail-on</code>.</p>\n");
        out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>Threat</th><th>Severity</th><th>Status</th><th>Why</th><th>Reviewed</th><th>Owner</th><th>Ticket</th><th>Expires</th></tr></thead>\n<tbody>\n");
        for d in &view.decisions {
            let sev = d.severity.as_str();
            let mut status = esc(d.status.label());
            if d.out_of_scope {
                status.push_str(" <span class=\"muted\">(out of scope)</span>");
            }
            let _ = writeln!(
                out,
                "<tr><td>{} {}</td><td><span class=\"sev sev-{sev}\">{sev}</span></td><td>{status}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_threat_link(&d.id),
                esc(&d.title),
                html_opt(d.tracking.justification.as_deref()),
                html_opt(d.reviewed().as_deref()),
                html_opt(d.tracking.owner.as_deref()),
                html_opt(d.tracking.ticket.as_deref()),
                html_opt(d.tracking.expires.map(|e| e.to_string()).as_deref()),
            );
        }
        out.push_str("</tbody></table></div>\n</section>\n");
    }
    if !view.controls.is_empty() {
        let _ = write!(
            out,
            "<section id=\"controls\">\n<h2>Controls<span class=\"count\">{}</span></h2>\n",
            view.controls.len()
        );
        let _ = writeln!(
            out,
            "<p class=\"lead\">{} A control is in place when it is implemented or verified; a threat marked mitigated whose controls are all planned draws TMD114. <em>Reduces</em>: how much of the risk the control removes.</p>",
            esc(&view.controls_sentence())
        );
        out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>Control</th><th>Status</th><th>Reduces</th><th>Ticket</th><th>Threats</th><th>Description</th></tr></thead>\n<tbody>\n");
        for c in &view.controls {
            let threats = if c.threats.is_empty() {
                "<span class=\"muted\">no threat names it</span>".to_string()
            } else {
                c.threats
                    .iter()
                    .map(|(id, status)| format!("{} ({})", html_threat_link(id), status.describe()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "<tr id=\"{}\"><td>{} <span class=\"kind\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{threats}</td><td>{}</td></tr>",
                esc(&control_anchor(&c.id)),
                esc(&c.label),
                esc(&c.id),
                c.status,
                html_opt(reduces_text(c.reduces).as_deref()),
                html_opt(c.ticket.as_deref()),
                html_opt(c.description.as_deref()),
            );
        }
        out.push_str("</tbody></table></div>\n</section>\n");
    }
}
