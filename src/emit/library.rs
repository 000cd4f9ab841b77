//! The assessment report's "Threat library" section, shared by its
//! Markdown and HTML forms: every rule of the threat library that applies
//! to the model (docs/threat-library.md), grouped by target, with where it
//! stands: covered by which threats, dismissed and why, or still open.
//!
//! The section is shown when the model takes part in the library: a threat
//! links a rule (`rule:`), a comment dismisses a suggestion (`# tmd:
//! dismiss`), or the project adds rule files or turns rules off
//! (`tmd.toml` `[rules]`). A model that does none of these reads as it did;
//! `tmd suggest` lists what the library proposes for it. Every user string
//! is `visible()`; the formats escape.

use std::fmt::Write as _;

use super::assessment;
use super::html::esc;
use super::markdown::{code, escape};
use super::text::visible;
use crate::model::Severity;
use crate::rules::{self, Library, State};
use crate::Compilation;

/// Where a rule stands on its target.
#[derive(Clone, Debug, PartialEq)]
pub enum Standing {
    /// The IDs of the threats that cover it.
    Covered(Vec<String>),
    /// The dismissal's reason.
    Dismissed(String),
    Open,
}

/// One rule on one target.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryRow {
    /// `process` `Order API` (`api`): kind, label, ID.
    pub target_kind: &'static str,
    pub target_id: String,
    pub rule: String,
    pub title: String,
    pub stride: char,
    pub band: Severity,
    /// On the model's scale.
    pub severity: String,
    pub standing: Standing,
}

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// The rows for a compilation without errors, in target order (elements,
/// flows, boundaries; each in declaration order) and library order; empty
/// when the model does not take part in the library.
pub fn rows(c: &Compilation) -> Vec<LibraryRow> {
    let (Some((model, analysis)), Some(file)) = (c.valid(), c.file.as_ref()) else {
        return Vec::new();
    };
    let library = &c.rules.library;
    let (dismissals, suggestions) = rules::for_file(file, model, analysis, library);
    let linked = model.threats.iter().any(|t| t.rule.is_some());
    let configured = *library != Library::default();
    if !linked && dismissals.is_empty() && !configured {
        return Vec::new();
    }
    suggestions
        .iter()
        .filter_map(|s| {
            let rule = library.rules().get(s.rule)?;
            let standing = match &s.state {
                State::Open => Standing::Open,
                State::Covered(threats) => {
                    Standing::Covered(threats.iter().map(|&t| v(&model[t].name)).collect())
                }
                State::Dismissed { reason, .. } => Standing::Dismissed(v(reason)),
            };
            Some(LibraryRow {
                target_kind: model.target_kind(s.target),
                target_id: v(model.target_name(s.target)),
                rule: v(&rule.id),
                title: v(&rule.title),
                stride: rule.stride,
                band: s.band,
                severity: v(model.scale.word(s.grade)),
                standing,
            })
        })
        .collect()
}

/// `12 suggestions: 5 covered, 2 dismissed, 5 open.`
pub fn sentence(rows: &[LibraryRow]) -> String {
    let count = |f: fn(&Standing) -> bool| rows.iter().filter(|r| f(&r.standing)).count();
    let covered = count(|s| matches!(s, Standing::Covered(_)));
    let dismissed = count(|s| matches!(s, Standing::Dismissed(_)));
    let open = count(|s| matches!(s, Standing::Open));
    let noun = if rows.len() == 1 {
        "suggestion"
    } else {
        "suggestions"
    };
    format!(
        "{} {noun}: {covered} covered, {dismissed} dismissed, {open} open.",
        rows.len()
    )
}

const LEAD: &str = "Each rule of the threat library that fires on the model, by target: \
covered by a threat (one that links the rule, or names its STRIDE letter on the same target), \
dismissed with a reason, or open. `tmd suggest` lists the open ones as threats to add; \
`tmd explain RULE` describes a rule.";

/// Rows of one target: consecutive rows with the same target.
fn groups(rows: &[LibraryRow]) -> Vec<&[LibraryRow]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        let split = match (rows.get(i), rows.get(start)) {
            (Some(a), Some(b)) => a.target_id != b.target_id || a.target_kind != b.target_kind,
            _ => true,
        };
        if split {
            if let Some(group) = rows.get(start..i) {
                if !group.is_empty() {
                    out.push(group);
                }
            }
            start = i;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// The entry for the report's "Contents" line, when shown.
pub fn markdown_contents(rows: &[LibraryRow]) -> String {
    if rows.is_empty() {
        String::new()
    } else {
        " · [Threat library](#threat-library)".into()
    }
}

fn md_standing(standing: &Standing) -> String {
    match standing {
        Standing::Covered(ids) => {
            let links: Vec<String> = ids
                .iter()
                .map(|id| format!("[{}](#{})", escape(id), assessment::threat_anchor(id)))
                .collect();
            format!("covered by {}", links.join(", "))
        }
        Standing::Dismissed(reason) => format!("dismissed: {}", escape(reason)),
        Standing::Open => "**open**".into(),
    }
}

/// The section in Markdown, when shown: one table, the target named on
/// the first row of its group.
pub fn markdown(out: &mut String, rows: &[LibraryRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("## Threat library\n\n");
    let _ = writeln!(out, "{} {LEAD}\n", sentence(rows));
    out.push_str("| Target | Rule | STRIDE | Severity | Standing |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for group in groups(rows) {
        for (i, r) in group.iter().enumerate() {
            let target = if i == 0 {
                format!("{} {}", r.target_kind, code(&r.target_id))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {target} | {} ({}) | {} | {} | {} |",
                escape(&r.title),
                code(&r.rule),
                r.stride,
                escape(&r.severity),
                md_standing(&r.standing),
            );
        }
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

/// The link for the report's table of contents, when shown.
pub fn html_contents(rows: &[LibraryRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "<a href=\"#threat-library\">Threat library <span class=\"count\">{}</span></a>",
        rows.len()
    )
}

fn html_standing(standing: &Standing) -> String {
    match standing {
        Standing::Covered(ids) => {
            let links: Vec<String> = ids
                .iter()
                .map(|id| {
                    format!(
                        "<a href=\"#{}\">{}</a>",
                        esc(&assessment::threat_anchor(id)),
                        esc(id)
                    )
                })
                .collect();
            format!("covered by {}", links.join(", "))
        }
        Standing::Dismissed(reason) => format!(
            "dismissed: <span class=\"reason\">{}</span>",
            esc(reason).replace('\n', "<br>")
        ),
        Standing::Open => "<strong>open</strong>".into(),
    }
}

/// The lead in HTML: back-quoted words become code.
fn lead_html() -> String {
    let mut out = String::new();
    for (i, part) in LEAD.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// The section in HTML, when shown: one table, a target's rows under a
/// row that names it.
pub fn html(out: &mut String, rows: &[LibraryRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"threat-library\">\n<h2>Threat library<span class=\"count\">{}</span></h2>\n",
        rows.len()
    );
    let _ = writeln!(
        out,
        "<p class=\"lead\">{} {}</p>",
        esc(&sentence(rows)),
        lead_html()
    );
    out.push_str("<div class=\"table-wrap\"><table class=\"library\">\n<thead><tr><th>Rule</th><th>STRIDE</th><th>Severity</th><th>Standing</th></tr></thead>\n");
    for group in groups(rows) {
        let Some(first) = group.first() else {
            continue;
        };
        let _ = writeln!(
            out,
            "<tbody><tr class=\"group\"><th colspan=\"4\" scope=\"rowgroup\">{} <code>{}</code></th></tr>",
            esc(first.target_kind),
            esc(&first.target_id)
        );
        for r in group {
            let band = r.band.as_str();
            let _ = writeln!(
                out,
                "<tr><td>{} <code>{}</code></td><td>{}</td><td><span class=\"sev sev-{band}\">{}</span></td><td>{}</td></tr>",
                esc(&r.title),
                esc(&r.rule),
                r.stride,
                esc(&r.severity),
                html_standing(&r.standing),
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "external user \"User\"\nboundary dc \"DC\" {\n  # tmd: dismiss tamper-input-not-validated: input is <checked> | by the | framework\n  process api \"API\"\n}\nflow f1: user -> api \"Request\" { protocol: \"HTTP\" }\nthreat T1 \"Sniffed\" on f1 {\n  scenario: \"x\"\n  stride: I\n  severity: high\n  rule: \"disclose-unencrypted-crossing\"\n}\n";

    #[test]
    fn rows_say_covered_dismissed_and_open_and_formats_escape() {
        let c = crate::compile(MODEL);
        let rows = rows(&c);
        assert!(rows
            .iter()
            .any(|r| r.standing == Standing::Covered(vec!["T1".into()])));
        assert!(rows
            .iter()
            .any(|r| matches!(&r.standing, Standing::Dismissed(why) if why.contains("<checked>"))));
        assert!(rows.iter().any(|r| r.standing == Standing::Open));
        let mut md = String::new();
        markdown(&mut md, &rows);
        assert!(
            md.contains("dismissed: input is &lt;checked&gt; \\| by the \\| framework"),
            "{md}"
        );
        assert!(md.contains("covered by [T1](#th-T1)"), "{md}");
        let mut page = String::new();
        html(&mut page, &rows);
        assert!(
            page.contains("input is &lt;checked&gt; | by the | framework"),
            "{page}"
        );
        assert!(!page.contains("<checked>"));
    }

    #[test]
    fn not_shown_for_a_model_that_does_not_use_the_library() {
        let c = crate::compile("external user\nprocess api\nflow user -> api\n");
        assert!(rows(&c).is_empty());
    }
}
