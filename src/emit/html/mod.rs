//! HTML: the assessment report ([`html`], `tmd report --format html`) and
//! the threat table alone ([`table`], `tmd table --format html`).
//!
//! Each page is one self-contained file: inline CSS (light and dark, and
//! a print style sheet), one inline script (filters, and the links between
//! the diagram and the threats), the diagram as inline SVG. Nothing is
//! loaded from anywhere: a Content-Security-Policy forbids every load and
//! every script but the page's own (named by its hash). Every link is an
//! in-page `#...` link. Every user string is `visible()` and escaped.
//!
//! The diagram passed to [`html`] must come from tmd's own renderer (it
//! obeys the SVG contract in `docs/reports.md`); it is still cleaned by
//! [`svg::sanitize`], which also gives its ids the prefix `d1-` and
//! scopes its style sheet.

pub mod csp;
pub mod svg;

use std::fmt::Write as _;

use super::assessment::{self, Analysed, Assessment, Coverage, FlowRef, FlowView, Section};
use super::findings::{self, Finding, Findings};
use super::risk;
use super::table::{self, Bucket, Row, SeverityText, Summary, SEVERITIES};
use crate::analysis::Analysis;
use crate::model::*;

/// The report's style sheet (light, dark and print), shared with `tmd diff --html`.
pub(crate) const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");
/// `tmd serve`'s additions: the error overlay's style and the script that
/// follows the event stream.
const LIVE_STYLE: &str = include_str!("live.css");
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What `tmd serve` adds to a page (docs/editors.md, "Live preview"): a
/// second script, which listens to the server's event stream (so the
/// policy allows connections to the page's own origin), and the overlay
/// that shows the model's errors over the last good version.
#[derive(Clone, Copy, Debug)]
pub struct Live<'a> {
    /// The version of the model the page shows; the page reloads when
    /// the server announces another good one.
    pub version: &'a str,
    /// The diagnostics of the model as it is on disk now, when it has
    /// errors (plain text): shown over the page.
    pub error: Option<&'a str>,
}

/// The id prefix of the (only) diagram of a report.
pub const DIAGRAM_PREFIX: &str = "d1-";

/// Escapes text for HTML content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An escaped identifier with break opportunities after `_`, `>` and `.`
/// (`accounts_service->core_banking` may wrap in a narrow cell).
pub(crate) fn esc_breakable(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        out.push_str(&esc(c.encode_utf8(&mut [0; 4])));
        if matches!(c, '_' | '>' | '.') {
            out.push_str("<wbr>");
        }
    }
    out
}

/// Escaped text with line breaks kept as `<br>`.
fn esc_lines(text: &str) -> String {
    esc(text).replace('\n', "<br>")
}

fn cap(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A severity: its word on the model's scale, coloured by its band.
fn sev_badge(severity: Option<&SeverityText>) -> String {
    match severity {
        Some(s) => format!(
            "<span class=\"sev sev-{}\">{}</span>",
            s.band.as_str(),
            esc(&s.word)
        ),
        None => "<span class=\"sev sev-none\">none</span>".to_string(),
    }
}

/// A field the threat does not give.
const NOT_GIVEN_HTML: &str = "<span class=\"none\">not given</span>";
const NOT_GIVEN_HTML_CELL: &str = "<td><span class=\"none\">not given</span></td>";

fn stride_html(stride: Option<Stride>) -> String {
    let Some(stride) = stride else {
        return NOT_GIVEN_HTML.to_string();
    };
    let mut out = String::from("<span class=\"stride\">");
    for letter in stride.letters() {
        let _ = write!(
            out,
            "<abbr title=\"{}\">{letter}</abbr>",
            Stride::name(letter)
        );
    }
    out.push_str("</span>");
    out
}

/// The look a status borrows: the statuses of language 0.2 look like the
/// 0.1 status they count as (open, or closed without a fix), so that the
/// report's style is the same for every model.
fn status_look(status: Status) -> Status {
    match status {
        Status::Open | Status::Investigating | Status::InProgress => Status::Open,
        Status::Mitigated => Status::Mitigated,
        Status::Accepted | Status::Transferred | Status::FalsePositive => Status::Accepted,
    }
}

/// The status (and "out of scope"); with `facts`, its tracking facts
/// under it, as the threat table shows them (a section's short table
/// leaves them to the threat table).
fn status_html(row: &Row, facts: bool) -> String {
    let look = status_look(row.status);
    let class = if look == row.status {
        format!("st-{}", row.status.as_str())
    } else {
        format!("st-{} st-{}", row.status.as_str(), look.as_str())
    };
    let mut out = format!(
        "<span class=\"status {class}\">{}</span>",
        row.status.label()
    );
    if row.out_of_scope {
        out.push_str("<br><span class=\"status st-oos\">Out of scope</span>");
    }
    let facts = if facts {
        table::tracking_facts(&row.tracking)
    } else {
        Vec::new()
    };
    if !facts.is_empty() {
        out.push_str("<div class=\"t-attrs\">");
        for (name, value) in facts {
            let _ = write!(
                out,
                "<span class=\"attr\"><span class=\"k\">{name}</span> {}</span>",
                esc_lines(&value)
            );
        }
        out.push_str("</div>");
    }
    out
}

/// The controls a threat names, under its mitigation; linked to the
/// report's section on controls.
fn controls_html(row: &Row, links: Links) -> String {
    if row.controls.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"t-attrs\">");
    for c in &row.controls {
        let label = match links {
            Links::Report => format!(
                "<a href=\"#{}\">{}</a>",
                esc(&super::tracking::control_anchor(&c.id)),
                esc_lines(&c.label)
            ),
            Links::None => esc_lines(&c.label),
        };
        let _ = write!(
            out,
            "<span class=\"attr\"><span class=\"k\">control</span> {label} ({}, {})</span>",
            esc(&c.id),
            c.status
        );
    }
    out.push_str("</div>");
    out
}

fn row_attrs(row: &Row) -> String {
    format!(
        "data-severity=\"{}\" data-status=\"{}\" data-scope=\"{}\" data-target=\"{}\" data-targets=\"{}\"",
        row.severity.as_str(),
        row.status.as_str(),
        if row.out_of_scope { "out" } else { "in" },
        esc(row.first_target_id()),
        esc(&row.target_ids().join(" ")),
    )
}

/// Whether component cells link into report sections.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Links {
    None,
    Report,
}

fn threat_table(out: &mut String, model: &Model, rows: &[Row], links: Links) {
    out.push_str("<div class=\"table-wrap\"><table class=\"threats\">\n<thead><tr><th>ID</th><th>Threat</th><th>Component</th><th>Actor</th><th>STRIDE</th><th>Severity</th><th>Mitigation</th><th>Status</th></tr></thead>\n<tbody>\n");
    for row in rows {
        let anchor = assessment::threat_anchor(&row.id);
        let _ = write!(
            out,
            "<tr id=\"{}\" class=\"threat-row\" {}>",
            esc(&anchor),
            row_attrs(row)
        );
        let _ = write!(
            out,
            "<td><a href=\"#{}\">{}</a></td>",
            esc(&anchor),
            esc(&row.id)
        );
        let _ = write!(
            out,
            "<td><div class=\"t-title\">{}</div><div class=\"t-scenario\">{}</div>",
            esc_lines(&row.title),
            esc_lines(&row.scenario)
        );
        if !row.attributes.is_empty() {
            out.push_str("<div class=\"t-attrs\">");
            for (k, v) in &row.attributes {
                let _ = write!(
                    out,
                    "<span class=\"attr\"><span class=\"k\">{}</span> {}</span>",
                    esc(k),
                    esc(v)
                );
            }
            out.push_str("</div>");
        }
        out.push_str("</td>");
        out.push_str("<td class=\"component\">");
        if row.targets.is_empty() {
            let _ = write!(out, "<span class=\"none\">{}</span>", table::NO_TARGET);
        }
        for (i, target) in row.targets.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            let label = match links {
                Links::Report => format!(
                    "<a class=\"target-link\" href=\"#{}\" data-target=\"{}\" title=\"Show in the diagram\">{}</a>",
                    esc(&assessment::target_anchor(model, target.target)),
                    esc(&target.id),
                    esc_lines(&target.label)
                ),
                Links::None => esc_lines(&target.label),
            };
            out.push_str(&label);
            if let Some(detail) = &target.detail {
                let _ = write!(out, "<span class=\"detail\">{}</span>", esc(detail));
            }
            let _ = write!(out, " <span class=\"kind\">{}</span>", target.kind);
        }
        out.push_str("</td>");
        match (&row.actor_id, &row.actor_label) {
            (Some(id), Some(label)) => {
                let _ = write!(
                    out,
                    "<td><span title=\"{}\">{}</span></td>",
                    esc(id),
                    esc_lines(label)
                );
            }
            _ => out.push_str(NOT_GIVEN_HTML_CELL),
        }
        let _ = write!(out, "<td>{}</td>", stride_html(row.stride));
        let _ = write!(
            out,
            "<td>{}<div class=\"basis\">{}</div></td>",
            sev_badge(Some(&row.severity_text())),
            esc(&row.basis())
        );
        match &row.mitigation {
            Some(m) => {
                let _ = write!(out, "<td>{}", esc_lines(m));
            }
            None if !row.controls.is_empty() => out.push_str("<td>"),
            None => out.push_str("<td><span class=\"none\">None</span>"),
        }
        out.push_str(&controls_html(row, links));
        if let Some(r) = row.remediation {
            let _ = write!(
                out,
                "<div><span class=\"remediation\">{}</span></div>",
                r.as_str()
            );
        }
        out.push_str("</td>");
        let _ = writeln!(out, "<td>{}</td></tr>", status_html(row, true));
    }
    out.push_str("<tr id=\"no-match\" class=\"empty-row\" hidden><td colspan=\"8\">No threat matches the filters.</td></tr>\n");
    out.push_str("</tbody></table></div>\n");
}

fn filter_bar(out: &mut String, rows: &[Row], scale: &Scale) {
    out.push_str("<div class=\"filters\" role=\"search\" aria-label=\"Filter threats\">\n<fieldset><legend>Severity</legend>");
    // One chip a band; on a scale whose words are not the bands, the chip
    // says which words it holds.
    for s in SEVERITIES {
        let words = scale.words_in(s);
        if words.is_empty() {
            continue;
        }
        let text = if words == [s.as_str()] {
            cap(s.as_str())
        } else {
            format!("{} ({})", cap(s.as_str()), esc(&words.join(", ")))
        };
        let _ = write!(
            out,
            "<label class=\"chip\"><input type=\"checkbox\" data-filter=\"severity\" value=\"{0}\" data-label=\"{0} severity\" checked><span class=\"dot sev-{0}\"></span>{1}</label>",
            s.as_str(),
            text
        );
    }
    out.push_str("</fieldset>\n<fieldset><legend>Status</legend>");
    // The statuses of language 0.1 always, the others when a threat has
    // them.
    for s in Status::ALL
        .iter()
        .filter(|s| Status::FIRST.contains(s) || rows.iter().any(|r| r.status == **s))
    {
        let _ = write!(
            out,
            "<label class=\"chip\"><input type=\"checkbox\" data-filter=\"status\" value=\"{0}\" data-label=\"{1}\" checked>{2}</label>",
            s.as_str(),
            s.describe(),
            s.label()
        );
    }
    out.push_str("<label class=\"chip\"><input type=\"checkbox\" data-filter=\"scope\" value=\"out\" data-label=\"out of scope\" checked>Out of scope</label>");
    out.push_str("</fieldset>\n<input type=\"search\" id=\"filter-text\" placeholder=\"Search threats\" aria-label=\"Search threats\">");
    out.push_str("<button type=\"button\" id=\"filter-reset\">Reset</button>");
    let _ = writeln!(out, "<span class=\"filter-count\" id=\"filter-count\" aria-live=\"polite\">{} threats</span>\n</div>", rows.len());
    out.push_str("<p class=\"print-note\" id=\"print-note\"></p>\n");
}

fn page_start(out: &mut String, title: &str, live: Option<&Live>) {
    match live {
        Some(_) => page_head(out, title, &live_policy(), &[STYLE, LIVE_STYLE]),
        None => page_head(
            out,
            title,
            &csp::policy(&[csp::REPORT_SCRIPT_SHA256], false),
            &[STYLE],
        ),
    }
}

/// A page's start, up to its `<div class="page">`: `title` (escaped
/// here), the Content-Security-Policy `policy`, and the style sheets.
/// Shared with `tmd diff --html` ([`crate::diff::html`]).
pub(crate) fn page_head(out: &mut String, title: &str, policy: &str, styles: &[&str]) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"color-scheme\" content=\"light dark\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
<meta name=\"generator\" content=\"tmd\">\n<title>{}</title>\n",
        esc(policy),
        esc(title),
    );
    for style in styles {
        let _ = writeln!(out, "<style>\n{style}</style>");
    }
    out.push_str("</head>\n<body>\n<div class=\"page\">\n");
}

fn page_end(out: &mut String, footer: &str, live: Option<&Live>) {
    let _ = write!(out, "<footer>{footer}</footer>\n</div>\n");
    if let Some(live) = live {
        let _ = write!(
            out,
            "<div id=\"tmd-live\" class=\"tmd-live\" role=\"alert\" data-version=\"{}\"{}><p class=\"tmd-live-title\">The model has errors: this is its last good version</p><pre class=\"tmd-live-text\">{}</pre></div>\n<p id=\"tmd-live-offline\" class=\"tmd-live-offline\" hidden>tmd serve is not running: this page will not update</p>\n",
            esc(live.version),
            if live.error.is_some() { "" } else { " hidden" },
            esc(live.error.unwrap_or(""))
        );
    }
    let _ = writeln!(out, "<script>{SCRIPT}</script>");
    if live.is_some() {
        let _ = writeln!(out, "<script>{LIVE_SCRIPT}</script>");
    }
    out.push_str("</body>\n</html>\n");
}

/// A header link: an `<a>` only for `http(s)`, escaped; anything else is
/// text.
fn link_html(link: &str) -> String {
    if is_web_link(link) {
        format!(
            "<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
            esc(link)
        )
    } else {
        esc(link)
    }
}

fn header(out: &mut String, a: &Assessment, eyebrow: &str) {
    let h = &a.header;
    let _ = write!(
        out,
        "<header class=\"doc-header\">\n<p class=\"eyebrow\">{eyebrow}</p>\n<h1>{}</h1>\n",
        esc(&h.title)
    );
    let facts: Vec<(&str, String)> = [
        ("Scope", h.scope.as_deref().map(esc_lines)),
        ("Author", h.author.as_deref().map(esc)),
        ("Created", h.created.as_deref().map(esc)),
        ("Updated", h.updated.as_deref().map(esc)),
        ("Version", h.version.as_deref().map(esc)),
        (
            "Reviewers",
            (!h.reviewers.is_empty()).then(|| esc(&h.reviewers.join(", "))),
        ),
        (
            "Contributors",
            (!h.contributors.is_empty()).then(|| esc(&h.contributors.join(", "))),
        ),
        ("Link", h.link.as_deref().map(link_html)),
        ("Risk scale", h.risk.as_ref().map(scale_html)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    if !facts.is_empty() {
        out.push_str("<dl class=\"meta\">\n");
        for (k, v) in facts {
            let _ = writeln!(out, "<dt>{k}</dt><dd>{v}</dd>");
        }
        out.push_str("</dl>\n");
    }
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "<span class=\"yes\">yes</span>",
        Some(false) => "<span class=\"no\">no</span>",
        None => "<span class=\"muted\">—</span>",
    }
}

fn threat_links(ids: &[String]) -> String {
    if ids.is_empty() {
        return "<span class=\"muted\">—</span>".to_string();
    }
    ids.iter()
        .map(|id| {
            format!(
                "<a href=\"#{}\">{}</a>",
                esc(&assessment::threat_anchor(id)),
                esc(id)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn flow_name(f: &FlowView) -> String {
    let label = if f.has_section {
        format!("<a href=\"#{}\">{}</a>", esc(&f.anchor), esc(&f.label))
    } else {
        esc(&f.label)
    };
    format!("{label} <code>{}</code>", esc_breakable(&f.id))
}

fn element_link(label: &str, anchor: &str) -> String {
    format!("<a href=\"#{}\">{}</a>", esc(anchor), esc(label))
}

fn crossing_list(f: &FlowView) -> String {
    let items: String = f
        .crossings
        .iter()
        .map(|c| {
            let word = c.direction.preposition();
            format!(
                "<li><span class=\"dir\">{word}</span> {}</li>",
                esc(&c.boundary_label)
            )
        })
        .collect();
    format!("<ul class=\"crossings\">{items}</ul>")
}

fn summary(out: &mut String, a: &Assessment, model: &Model) {
    let s = &a.summary;
    let buckets = s.buckets();
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    let _ = writeln!(
        out,
        "<div class=\"card\"><div class=\"n\">{}</div><div class=\"l\">Threats</div></div>",
        s.total()
    );
    for &b in &buckets {
        let class = if b == Bucket::Open { " open" } else { "" };
        let _ = write!(
            out,
            "<div class=\"card{class}\"><div class=\"n\">{}</div><div class=\"l\">{}</div><div class=\"by\">",
            s.bucket_total(b),
            b.heading()
        );
        for level in s.levels() {
            let n = level.get(b);
            if n > 0 {
                let _ = write!(
                    out,
                    "<span><span class=\"dot sev-{}\"></span> {n} {}</span>",
                    level.band.as_str(),
                    esc(&level.word)
                );
            }
        }
        out.push_str("</div></div>\n");
    }
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<p class=\"facts-line\">{} elements, {} trust boundaries, {} flows ({} cross a boundary, {} reversed-initiator). {}.</p>",
        model.elements.len(),
        model.boundaries.len(),
        model.flows.len(),
        a.crossings.len(),
        a.reversed.len(),
        match a.findings.warnings.len() {
            0 => "No warnings".to_string(),
            1 => "<a href=\"#findings\">1 warning</a>".to_string(),
            n => format!("<a href=\"#findings\">{n} warnings</a>"),
        }
    );
    if let Some(sentence) = s.open_statuses_sentence() {
        let _ = writeln!(out, "<p class=\"facts-line\">{}</p>", esc(&sentence));
    }
    if let Some(sentence) = s.not_given_sentence() {
        let _ = writeln!(out, "<p class=\"facts-line\">{}</p>", esc(&sentence));
    }
    out.push_str("<div class=\"table-wrap summary-table\"><table>\n<thead><tr><th>Severity</th>");
    for &b in &buckets {
        let _ = write!(out, "<th class=\"num\">{}</th>", b.heading());
    }
    out.push_str("<th class=\"num\">Total</th></tr></thead>\n<tbody>\n");
    for level in s.levels() {
        let _ = write!(
            out,
            "<tr><th class=\"row-head\">{}</th>",
            sev_badge(Some(&SeverityText {
                band: level.band,
                word: level.word.clone()
            }))
        );
        for &b in &buckets {
            let _ = write!(out, "<td class=\"num\">{}</td>", level.get(b));
        }
        let _ = writeln!(
            out,
            "<td class=\"num\"><strong>{}</strong></td></tr>",
            level.total()
        );
    }
    out.push_str("<tr><th class=\"row-head\">Total</th>");
    for &b in &buckets {
        let _ = write!(
            out,
            "<td class=\"num\"><strong>{}</strong></td>",
            s.bucket_total(b)
        );
    }
    let _ = writeln!(
        out,
        "<td class=\"num\"><strong>{}</strong></td></tr>\n</tbody></table></div>",
        s.total()
    );
    out.push_str("<p class=\"lead\" style=\"margin-top:8px\">Threats on elements marked out of scope are counted as out of scope, whatever their status, and never as open.</p>\n");
    coverage_summary(out, a);
    out.push_str("</section>\n");
}

/// How much of the model was analysed: elements with no threat at all,
/// and per STRIDE letter the elements it applies to that have a threat of
/// that letter.
fn coverage_summary(out: &mut String, a: &Assessment) {
    let c = &a.coverage;
    out.push_str("<h3>Analysis coverage</h3>\n");
    if c.in_scope == 0 {
        out.push_str("<p class=\"lead\">No element is in scope.</p>\n");
        return;
    }
    if c.no_threat.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"coverage-line\">Each of the {} elements in scope has a threat.</p>",
            c.in_scope
        );
    } else {
        let names: Vec<String> = c
            .no_threat
            .iter()
            .map(|(label, anchor)| element_link(label, anchor))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"coverage-line\"><strong>{} of {}</strong> elements in scope have no threat at all: {}.</p>",
            c.no_threat.len(),
            c.in_scope,
            names.join(", ")
        );
    }
    out.push_str("<p class=\"lead\">Elements in scope with a threat of each STRIDE letter, of the elements the letter applies to:</p>\n<div class=\"table-wrap letter-table\"><table>\n<thead><tr>");
    for l in &c.letters {
        let _ = write!(
            out,
            "<th class=\"num\"><abbr title=\"{}\">{}</abbr></th>",
            Stride::name(l.letter),
            l.letter
        );
    }
    out.push_str("</tr></thead>\n<tbody><tr>");
    for l in &c.letters {
        if l.applies == 0 {
            out.push_str("<td class=\"num\"><span class=\"muted\">—</span></td>");
        } else {
            let class = if l.analysed == 0 { " cov-none" } else { "" };
            let _ = write!(
                out,
                "<td class=\"num{class}\">{} of {}</td>",
                l.analysed, l.applies
            );
        }
    }
    out.push_str("</tr></tbody></table></div>\n");
}

/// A warning's message: its backquoted names as code, the rest escaped.
fn message(text: &str) -> String {
    findings::message_pieces(text)
        .into_iter()
        .map(|(piece, is_code)| {
            if is_code {
                format!("<code>{}</code>", esc_breakable(piece))
            } else {
                esc(piece)
            }
        })
        .collect()
}

fn finding_rows(out: &mut String, list: &[&Finding], with_code: bool) {
    out.push_str("<div class=\"table-wrap\"><table class=\"findings\">\n<thead><tr>");
    if with_code {
        out.push_str("<th>Code</th>");
    }
    out.push_str("<th>Where</th><th>Warning</th></tr></thead>\n<tbody>\n");
    for f in list {
        out.push_str("<tr>");
        if with_code {
            let _ = write!(
                out,
                "<td><code title=\"{}\">{}</code></td>",
                esc(f.title),
                f.code
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"where\">line {}:{}</td><td>{}</td></tr>",
            f.line,
            f.column,
            message(&f.message)
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// Past this many warnings, they are grouped by code.
const GROUP_FROM: usize = 10;

/// The model's warnings, as `tmd check` prints them.
fn findings_section(out: &mut String, f: &Findings) {
    let _ = write!(
        out,
        "<section id=\"findings\">\n<h2>Findings<span class=\"count\">{}</span></h2>\n",
        f.warnings.len()
    );
    if f.warnings.is_empty() {
        out.push_str("<p class=\"lead\">No warnings: <code>tmd check</code> finds nothing to report in the model.</p>\n");
    } else {
        out.push_str("<p class=\"lead\">What <code>tmd check</code> reports on the model; <em>Where</em> is the line and column in the model file.</p>\n");
        if f.warnings.len() < GROUP_FROM {
            let list: Vec<&Finding> = f.warnings.iter().collect();
            finding_rows(out, &list, true);
        } else {
            for (code, title, list) in f.by_code() {
                let _ = writeln!(
                    out,
                    "<h3><code>{code}</code> {} <span class=\"count\">{}</span></h3>",
                    esc(title),
                    list.len()
                );
                finding_rows(out, &list, false);
            }
        }
    }
    if let Some((how_many, by_code)) = f.silenced_summary() {
        let codes: Vec<String> = by_code
            .iter()
            .map(|(code, n)| format!("<code>{code}</code> × {n}"))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"lead\">{} silenced in the model with <code># tmd: allow</code> (not listed; the reason is next to each suppression): {}.</p>",
            how_many,
            codes.join(", ")
        );
    }
    out.push_str("</section>\n");
}

/// A risk scale by its label and ID.
fn scale_html((label, name): &(Option<String>, String)) -> String {
    match label {
        Some(label) => format!("{} (<code>{}</code>)", esc(label), esc(name)),
        None => format!("<code>{}</code>", esc(name)),
    }
}

fn matrix(out: &mut String, a: &Assessment, model: &Model) {
    let m = risk::Matrix::of(&model.scale);
    out.push_str("<section id=\"severity-matrix\">\n<h2>Severity matrix</h2>\n");
    match risk::scale_name(&model.scale) {
        None => out.push_str("<p class=\"lead\">Severity is read from the ease of exploitation and the potential impact, unless a threat gives it.</p>\n"),
        Some(name) => {
            let _ = writeln!(
                out,
                "<p class=\"lead\">Threats are rated on the risk scale {}: severity is read from {}, unless a threat gives it.</p>",
                scale_html(&name),
                esc(&m.axes)
            );
        }
    }
    let _ = write!(
        out,
        "<div class=\"table-wrap matrix-table\"><table>\n<thead><tr><th>{} \\ {}</th>",
        esc(&m.corner.0),
        esc(&m.corner.1)
    );
    for c in &m.columns {
        let _ = write!(out, "<th style=\"text-align:center\">{}</th>", esc(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (level, cells) in &m.rows {
        let _ = write!(out, "<tr><th class=\"row-head\">{}</th>", esc(level));
        for (band, word) in cells {
            let _ = write!(out, "<td class=\"m-{}\">{}</td>", band.as_str(), esc(word));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    if let Some(bands) = &m.bands {
        let _ = writeln!(
            out,
            "<p>Bands (what <code>--fail-on</code>, the badge colours and the open counts read): {}</p>",
            esc(bands)
        );
    }
    let given = a
        .rows
        .iter()
        .filter(|r| r.severity_source == SeveritySource::Given)
        .count();
    if given > 0 {
        let _ = writeln!(
            out,
            "<p>{given} of {} threats {} severity instead of (or as well as) {}.</p>",
            a.rows.len(),
            if given == 1 {
                "gives its"
            } else {
                "give their"
            },
            esc(&m.axes)
        );
        if !a.overrides.is_empty() {
            out.push_str("<ul class=\"plain\">\n");
            for r in &a.overrides {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{}</a>: given {}; the matrix gives {} ({}).</li>",
                    esc(&assessment::threat_anchor(&r.id)),
                    esc(&r.id),
                    esc(&r.severity_word),
                    r.matrix_word.as_deref().map_or("—".to_string(), esc),
                    esc(&r.rating_text().unwrap_or_default())
                );
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</section>\n");
}

/// The diagram's section, with the SVG [`svg::sanitize`] gave.
fn diagram(out: &mut String, clean_svg: Option<&str>) {
    out.push_str("<section id=\"diagram\">\n<h2>Diagram</h2>\n");
    match clean_svg {
        Some(clean) => {
            let _ = write!(
                out,
                "<div class=\"diagram-tools\" role=\"toolbar\" aria-label=\"Diagram zoom\" hidden><button type=\"button\" data-zoom=\"out\" aria-label=\"Zoom out\" title=\"Zoom out (-)\">\u{2212}</button><span class=\"zoom-level\" aria-live=\"polite\">100%</span><button type=\"button\" data-zoom=\"in\" aria-label=\"Zoom in\" title=\"Zoom in (+)\">+</button><button type=\"button\" data-zoom=\"fit\" title=\"Fit to width (0)\">Fit width</button><button type=\"button\" data-zoom=\"one\" title=\"Actual size (1)\">1:1</button></div>\n<div class=\"diagram-frame {}\">\n{clean}\n</div>\n<p class=\"diagram-hint\">Click an element, boundary or flow to go to its threats and see its neighbours; click a component in the threat table to find it here. Zoom with the buttons, Ctrl + wheel or a pinch; drag or scroll to pan.</p>\n",
                svg::scope_class(DIAGRAM_PREFIX)
            );
        }
        None => out.push_str(
            "<p class=\"diagram-missing\">The diagram is not included in this report.</p>\n",
        ),
    }
    out.push_str("</section>\n");
}

fn crossings(out: &mut String, a: &Assessment) {
    let _ = write!(
        out,
        "<section id=\"boundary-crossings\">\n<h2>Boundary crossings<span class=\"count\">{}</span></h2>\n",
        a.crossings.len()
    );
    if a.crossings.is_empty() {
        out.push_str("<p class=\"lead\">No flow crosses a trust boundary.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"lead\">Every flow that crosses a trust boundary, with the boundaries in the order the data passes them.</p>\n");
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>Flow</th><th>From</th><th>To</th><th>Boundaries crossed</th><th>Protocol</th><th>Encrypted</th><th>Authenticated</th><th>Analysed by</th></tr></thead>\n<tbody>\n");
    for f in &a.crossings {
        let mut name = flow_name(f);
        if f.reversed {
            name.push_str(" <span class=\"tag tag-rev\" title=\"The receiver opens the connection\">reversed</span>");
        }
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            element_link(&f.source_label, &f.source_anchor),
            element_link(&f.target_label, &f.target_anchor),
            crossing_list(f),
            f.protocol.as_deref().map_or_else(|| "<span class=\"muted\">—</span>".to_string(), esc),
            yes_no(f.encrypted),
            yes_no(f.authenticated),
            analysed_cell(f)
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// Who analysed a crossing: a threat on the flow, on an endpoint, or
/// nobody (TMD106).
fn analysed_cell(f: &FlowView) -> String {
    match &f.analysed {
        Analysed::OnFlow => format!(
            "{} {}",
            Analysed::on_flow_words(f.threats.len()),
            threat_links(&f.threats)
        ),
        Analysed::OnEndpoints(ends) => {
            let parts: Vec<String> = ends
                .iter()
                .map(|e| {
                    format!(
                        "<a href=\"#{}\"><code>{}</code></a> ({})",
                        esc(&e.anchor),
                        esc_breakable(&e.id),
                        threat_links(&e.threats)
                    )
                })
                .collect();
            format!(
                "<span class=\"covered-by\">{}</span> {}",
                Analysed::covered_by_words(ends),
                parts.join(" and ")
            )
        }
        Analysed::NotAnalysed { silenced } => format!(
            "<span class=\"not-analysed\">not analysed</span> (<code>TMD106</code>{})",
            if *silenced {
                ", silenced in the model"
            } else {
                ""
            }
        ),
    }
}

fn reversed(out: &mut String, a: &Assessment) {
    let _ = write!(
        out,
        "<section id=\"reversed-initiator-flows\">\n<h2>Reversed-initiator flows<span class=\"count\">{}</span></h2>\n",
        a.reversed.len()
    );
    if a.reversed.is_empty() {
        out.push_str(
            "<p class=\"lead\">None: every flow is opened by its source.</p>\n</section>\n",
        );
        return;
    }
    out.push_str("<p class=\"lead\">Flows whose receiver opens the connection and pulls the data, as a worker pulls from a queue (drawn in red).</p>\n");
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>Flow</th><th>Data from</th><th>Data to</th><th>Opened by</th><th>Protocol</th><th>Threats</th></tr></thead>\n<tbody>\n");
    for f in &a.reversed {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            flow_name(f),
            element_link(&f.source_label, &f.source_anchor),
            element_link(&f.target_label, &f.target_anchor),
            esc(&f.initiator_label),
            f.protocol
                .as_deref()
                .map_or_else(|| "<span class=\"muted\">—</span>".to_string(), esc),
            threat_links(&f.threats)
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn flow_item(f: &FlowView, incoming: bool) -> String {
    let (arrow, peer, anchor) = if incoming {
        ("←", &f.source_label, &f.source_anchor)
    } else {
        ("→", &f.target_label, &f.target_anchor)
    };
    let mut li = format!(
        "<li><span class=\"arrow\">{arrow}</span>{} · {}",
        element_link(peer, anchor),
        flow_name(f)
    );
    let transport = f.transport();
    if !transport.is_empty() {
        let _ = write!(li, " <span class=\"transport\">{}</span>", esc(&transport));
    }
    li.push_str(&response_html(f));
    if !f.crossings.is_empty() || f.reversed || !f.threats.is_empty() {
        li.push_str("<br>");
    }
    if !f.crossings.is_empty() {
        let _ = write!(
            li,
            "<span class=\"tag tag-cross\">crosses: {}</span>",
            esc(&f.crossings_text())
        );
    }
    if f.reversed {
        let _ = write!(
            li,
            "<span class=\"tag tag-rev\">reversed: opened by {}</span>",
            esc(&f.initiator_label)
        );
    }
    if !f.threats.is_empty() {
        let _ = write!(li, " threats: {}", threat_links(&f.threats));
    }
    li.push_str("</li>");
    li
}

/// ` <span class="transport">response to <a ...>Place order</a>
/// <code>order</code></span>` for a response (language 0.2); nothing for
/// any other flow.
fn response_html(f: &FlowView) -> String {
    f.response_to.as_ref().map_or_else(String::new, |r| {
        format!(
            " <span class=\"transport\">response to {}</span>",
            request_html(r)
        )
    })
}

/// The request a response answers: its label (a link when it has a
/// section) and its ID.
fn request_html(r: &FlowRef) -> String {
    let label = if r.has_section {
        format!("<a href=\"#{}\">{}</a>", esc(&r.anchor), esc(&r.label))
    } else {
        esc(&r.label)
    };
    format!("{label} <code>{}</code>", esc_breakable(&r.id))
}

fn coverage_html(out: &mut String, coverage: &[Coverage]) {
    out.push_str("<h4>STRIDE coverage</h4>\n<div class=\"coverage\">");
    for c in coverage {
        let name = Stride::name(c.letter);
        if c.is_gap() {
            let _ = write!(
                out,
                "<span class=\"cov cov-gap\" title=\"{name}: not analysed\"><b>{}</b>not analysed</span>",
                c.letter
            );
        } else if c.applies {
            let _ = write!(
                out,
                "<span class=\"cov cov-covered\" title=\"{name}\"><b>{}</b><span>{}</span></span>",
                c.letter,
                threat_links(&c.threats)
            );
        } else if !c.threats.is_empty() {
            let _ = write!(
                out,
                "<span class=\"cov cov-extra\" title=\"{name}: not usual for this kind\"><b>{}</b><span>{}</span></span>",
                c.letter,
                threat_links(&c.threats)
            );
        } else {
            let _ = write!(
                out,
                "<span class=\"cov cov-na\" title=\"{name}: does not apply to this kind\"><b>{}</b>n/a</span>",
                c.letter
            );
        }
    }
    out.push_str("</div>\n");
}

fn section_threats(out: &mut String, rows: &[Row]) {
    out.push_str("<h4>Threats</h4>\n");
    if rows.is_empty() {
        out.push_str("<p class=\"none\">No threats on it.</p>\n");
        return;
    }
    out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr><th>ID</th><th>Threat</th><th>Actor</th><th>STRIDE</th><th>Severity</th><th>Status</th></tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = writeln!(
            out,
            "<tr class=\"section-threat\" {}><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            row_attrs(r),
            esc(&assessment::threat_anchor(&r.id)),
            esc(&r.id),
            esc_lines(&r.title),
            r.actor_label.as_deref().map_or(NOT_GIVEN_HTML.to_string(), esc),
            stride_html(r.stride),
            sev_badge(Some(&r.severity_text())),
            status_html(r, false)
        );
    }
    out.push_str("</tbody></table></div>\n");
}

fn section(out: &mut String, s: &Section, diagram: bool) {
    let oos = if s.out_of_scope { " oos" } else { "" };
    let _ = write!(
        out,
        "<article class=\"subject{oos}\" id=\"{}\" data-subject=\"{}\" data-kind=\"{}\" data-label=\"{}\">\n<div class=\"subject-head\"><h3>{}</h3><span class=\"kind\">{}</span><code>{}</code>",
        esc(&s.anchor),
        esc(&s.id),
        s.kind,
        esc(&s.label),
        esc_lines(&s.label),
        s.kind,
        esc(&s.id)
    );
    if s.out_of_scope {
        match &s.out_of_scope_reason {
            Some(reason) => {
                let _ = write!(
                    out,
                    "<span class=\"tag tag-oos\">out of scope: {}</span>",
                    esc(reason)
                );
            }
            None => out.push_str("<span class=\"tag tag-oos\">out of scope</span>"),
        }
    }
    out.push_str("<span class=\"spacer\"></span>");
    if !s.out_of_scope && (s.kind != "boundary" || !s.threats.is_empty()) {
        let _ = write!(
            out,
            "<span class=\"muted\" style=\"font-size:0.8rem\">worst open</span> {}",
            sev_badge(s.worst_open.as_ref())
        );
    }
    if diagram {
        let _ = write!(
            out,
            " <a class=\"target-link show-in-diagram\" href=\"#{}\" data-target=\"{}\">Show in diagram</a>",
            esc(&s.anchor),
            esc(&s.id)
        );
    }
    out.push_str("</div>\n<dl class=\"facts\">\n");
    match s.kind {
        "flow" => {
            if let Some(f) = s.flows.first() {
                let _ = writeln!(
                    out,
                    "<dt>From</dt><dd>{}</dd><dt>To</dt><dd>{}</dd>",
                    element_link(&f.source_label, &f.source_anchor),
                    element_link(&f.target_label, &f.target_anchor)
                );
                let transport = f.transport();
                if !transport.is_empty() {
                    let _ = writeln!(out, "<dt>Transport</dt><dd>{}</dd>", esc(&transport));
                }
                if let Some(r) = &f.response_to {
                    let _ = writeln!(out, "<dt>Response to</dt><dd>{}</dd>", request_html(r));
                }
                if !f.crossings.is_empty() {
                    let _ = writeln!(out, "<dt>Crosses</dt><dd>{}</dd>", crossing_list(f));
                }
                if f.reversed {
                    let _ = writeln!(
                        out,
                        "<dt>Initiator</dt><dd><span class=\"tag tag-rev\">reversed</span> opened by {}</dd>",
                        esc(&f.initiator_label)
                    );
                }
            }
        }
        _ => {
            let path = if s.boundary_path.is_empty() {
                let top = if s.kind == "boundary" {
                    "top level"
                } else {
                    "outside every boundary"
                };
                format!("<span class=\"muted\">{top}</span>")
            } else {
                esc(&s.boundary_path.join(" › "))
            };
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd>{path}</dd>",
                if s.kind == "boundary" {
                    "Inside"
                } else {
                    "Boundary"
                }
            );
        }
    }
    for (k, v) in &s.facts {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(&cap(k)), esc_lines(v));
    }
    super::assumptions::html_rests_on(out, &s.assumptions);
    if s.kind == "boundary" && !s.members.is_empty() {
        let members: Vec<String> = s
            .members
            .iter()
            .map(|(k, l)| format!("{} <span class=\"kind\">{}</span>", esc(l), esc(k)))
            .collect();
        let _ = writeln!(out, "<dt>Holds</dt><dd>{}</dd>", members.join(", "));
    }
    out.push_str("</dl>\n");
    if matches!(s.kind, "external" | "process" | "store") {
        out.push_str("<div class=\"flows\">\n");
        for (heading, flows, incoming) in [("in", &s.flows_in, true), ("out", &s.flows_out, false)]
        {
            out.push_str(&format!("<div><h4>Flows {heading}</h4>"));
            if flows.is_empty() {
                out.push_str("<p class=\"none\">None.</p>");
            } else {
                out.push_str("<ul>");
                for f in flows {
                    out.push_str(&flow_item(f, incoming));
                }
                out.push_str("</ul>");
            }
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
    }
    if s.kind == "boundary" {
        out.push_str("<h4>Flows crossing it</h4>");
        if s.flows.is_empty() {
            out.push_str("<p class=\"none\">None.</p>\n");
        } else {
            out.push_str("<ul class=\"flow-list\">");
            for f in &s.flows {
                let _ = write!(
                    out,
                    "<li>{} · {} → {} <span class=\"transport\">{}</span></li>",
                    flow_name(f),
                    element_link(&f.source_label, &f.source_anchor),
                    element_link(&f.target_label, &f.target_anchor),
                    esc(&f.crossings_text())
                );
            }
            out.push_str("</ul>\n");
        }
    }
    section_threats(out, &s.threats);
    if !s.coverage.is_empty() {
        coverage_html(out, &s.coverage);
    }
    out.push_str("</article>\n");
}

fn toc(out: &mut String, a: &Assessment, more: &str) {
    let _ = writeln!(
        out,
        "<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#summary\">Summary</a><a href=\"#findings\">Findings <span class=\"count\">{}</span></a><a href=\"#severity-matrix\">Severity matrix</a>\
<a href=\"#diagram\">Diagram</a><a href=\"#boundary-crossings\">Boundary crossings <span class=\"count\">{}</span></a>{}\
<a href=\"#reversed-initiator-flows\">Reversed-initiator flows <span class=\"count\">{}</span></a>\
<a href=\"#threats\">Threats <span class=\"count\">{}</span></a>{more}{}<a href=\"#elements\">Elements <span class=\"count\">{}</span></a>\
<a href=\"#trust-boundaries\">Trust boundaries <span class=\"count\">{}</span></a><a href=\"#flows-with-threats\">Flows with threats <span class=\"count\">{}</span></a></nav>",
        a.findings.warnings.len(),
        a.crossings.len(),
        super::data::count(a.data.as_ref()).map_or_else(String::new, |n| format!(
            "<a href=\"#data\">Data <span class=\"count\">{n}</span></a>"
        )),
        a.reversed.len(),
        a.rows.len(),
        // Language 0.2: a section only when the model has assumptions.
        if a.assumptions.is_empty() {
            String::new()
        } else {
            format!(
                "<a href=\"#assumptions\">Assumptions <span class=\"count\">{}</span></a>",
                a.assumptions.len()
            )
        },
        a.elements.len(),
        a.boundaries.len(),
        a.flows.len()
    );
}

const STRIDE_LEGEND: &str = "STRIDE: <b>S</b> spoofing · <b>T</b> tampering · <b>R</b> repudiation · <b>I</b> information disclosure · <b>D</b> denial of service · <b>E</b> elevation of privilege (hover a letter for its name).";

/// `tmd report --format html`: the whole assessment as one
/// self-contained page. `findings` are the model's warnings after
/// suppression ([`Findings::of`] a compilation). `diagram_svg` is the
/// diagram from tmd's renderer (see the module's documentation); without
/// one the report says that the diagram is not included.
pub fn html(
    model: &Model,
    analysis: &Analysis,
    findings: &Findings,
    diagram_svg: Option<&str>,
) -> String {
    html_of(
        model,
        &Assessment::new(model, analysis, findings),
        findings,
        diagram_svg,
    )
}

/// [`html`] from an assessment already made (`tmd build` makes one for
/// both reports).
pub fn html_of(
    model: &Model,
    a: &Assessment,
    findings: &Findings,
    diagram_svg: Option<&str>,
) -> String {
    report_page(model, a, findings, diagram_svg, None)
}

/// The report as `tmd serve` serves it: [`html`] with its [`Live`]
/// additions.
pub fn html_live(
    model: &Model,
    analysis: &Analysis,
    findings: &Findings,
    diagram_svg: Option<&str>,
    live: &Live,
) -> String {
    let a = Assessment::new(model, analysis, findings);
    report_page(model, &a, findings, diagram_svg, Some(live))
}

/// The Content-Security-Policy of the pages `tmd serve` serves (its
/// server sends it as a header too).
pub fn live_policy() -> String {
    csp::policy(&[csp::REPORT_SCRIPT_SHA256, csp::LIVE_SCRIPT_SHA256], true)
}

/// What `tmd serve` serves while no version of the model has compiled:
/// the errors, on a page that reloads once the model compiles.
pub fn live_error_page(name: &str, live: &Live) -> String {
    let name = super::text::visible(name);
    let mut out = String::new();
    page_start(&mut out, &format!("Live preview: {name}"), Some(live));
    let _ = write!(
        out,
        "<header class=\"doc-header\">\n<p class=\"eyebrow\">Live preview</p>\n<h1>{}</h1>\n<p class=\"lead\">No version of this model has compiled yet. Fix the errors below and the report appears here.</p>\n</header>\n",
        esc(&name)
    );
    page_end(&mut out, "Served by tmd serve.", Some(live));
    out
}

fn report_page(
    model: &Model,
    a: &Assessment,
    findings: &Findings,
    diagram_svg: Option<&str>,
    live: Option<&Live>,
) -> String {
    // Cleaned once, here: the diagram's section and the links to it both
    // depend on it.
    let clean_svg = diagram_svg.and_then(|s| svg::sanitize(s, DIAGRAM_PREFIX));
    let has_diagram = clean_svg.is_some();
    let mut out = String::new();
    page_start(
        &mut out,
        &format!("Threat assessment: {}", a.header.title),
        live,
    );
    header(&mut out, a, "Threat assessment");
    let tracking = &a.tracking;
    let contents = super::tracking::html_contents(tracking)
        + &super::library::html_contents(&findings.library);
    toc(&mut out, a, &contents);
    out.push_str("</header>\n");
    filter_bar(&mut out, &a.rows, &model.scale);
    out.push_str("<main>\n");
    summary(&mut out, a, model);
    findings_section(&mut out, &a.findings);
    matrix(&mut out, a, model);
    diagram(&mut out, clean_svg.as_deref());
    crossings(&mut out, a);
    super::data::html(&mut out, a.data.as_ref());
    reversed(&mut out, a);
    let _ = write!(
        out,
        "<section id=\"threats\">\n<h2>Threats<span class=\"count\">{}</span></h2>\n",
        a.rows.len()
    );
    if a.rows.is_empty() {
        out.push_str("<p class=\"lead\">No threats recorded.</p>\n");
    } else {
        let [column, row] = model.scale.axis_keys();
        let _ = writeln!(
            out,
            "<p class=\"lead\">Sorted by severity, then ID. Under each severity: how it was obtained ({} × {}, or given). Click a component to find it in the diagram.</p>",
            esc(column),
            esc(row)
        );
        threat_table(&mut out, model, &a.rows, Links::Report);
        let _ = writeln!(out, "<p class=\"cov-legend\">{STRIDE_LEGEND}</p>");
    }
    out.push_str("</section>\n");
    super::tracking::html(&mut out, tracking);
    super::library::html(&mut out, &findings.library);
    super::assumptions::html_section(&mut out, &a.assumptions);
    let groups: [(&str, &str, &[Section], &str); 3] = [
        ("elements", "Elements", &a.elements, "No elements."),
        (
            "trust-boundaries",
            "Trust boundaries",
            &a.boundaries,
            "No trust boundaries.",
        ),
        (
            "flows-with-threats",
            "Flows with threats",
            &a.flows,
            "No threat is on a flow.",
        ),
    ];
    for (id, title, sections, none) in groups {
        let _ = write!(
            out,
            "<section id=\"{id}\">\n<h2>{title}<span class=\"count\">{}</span></h2>\n",
            sections.len()
        );
        if sections.is_empty() {
            let _ = writeln!(out, "<p class=\"lead\">{none}</p>");
        }
        if id == "elements" && !sections.is_empty() {
            out.push_str("<p class=\"lead\">Each element with its place in the boundaries, its flows, its threats and its STRIDE coverage: the letters that apply to its kind and have no threat on it are <em>not analysed</em>.</p>\n");
        }
        for s in sections {
            section(&mut out, s, has_diagram);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");
    page_end(
        &mut out,
        "Generated by tmd from the threat model. Severity from the threat assessment matrix above.",
        live,
    );
    out
}

/// `tmd table --format html`: the threat table alone, as one
/// self-contained page with the filters.
pub fn table(model: &Model, _analysis: &Analysis) -> String {
    let rows = table::rows(model);
    let summary = Summary::of(&model.scale, &rows);
    let title = model.meta.title.as_deref().map_or_else(
        || "Threat model".to_string(),
        |t| super::text::visible(t).into_owned(),
    );
    let mut out = String::new();
    page_start(&mut out, &format!("Threats: {title}"), None);
    let _ = write!(
        out,
        "<header class=\"doc-header\">\n<p class=\"eyebrow\">Threat table</p>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n</header>\n",
        esc(&title),
        esc(&summary.sentence())
    );
    filter_bar(&mut out, &rows, &model.scale);
    out.push_str("<main>\n<section id=\"threats\">\n");
    if rows.is_empty() {
        out.push_str("<p class=\"lead\">No threats recorded.</p>\n");
    } else {
        threat_table(&mut out, model, &rows, Links::None);
        let _ = writeln!(out, "<p class=\"cov-legend\">{STRIDE_LEGEND}</p>");
    }
    out.push_str("</section>\n</main>\n");
    page_end(&mut out, "Generated by tmd from the threat model.", None);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn script_and_style_cannot_close_early() {
        assert!(!SCRIPT.contains("</"));
        assert!(!STYLE.contains("</"));
        assert!(!LIVE_SCRIPT.contains("</"));
        assert!(!LIVE_STYLE.contains("</"));
    }
}
