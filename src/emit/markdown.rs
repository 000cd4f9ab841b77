//! Markdown: the threat table (`tmd table --format md`) and the
//! assessment report (`tmd report --format md`), in GitHub-flavoured
//! Markdown.
//!
//! Every user string goes through [`escape`]: Markdown punctuation that
//! could start emphasis, a link, code or a table cell is backslash-escaped,
//! `<`, `>` and `&` become entities (no raw HTML reaches a renderer), and
//! line breaks become `<br>` so that a cell stays on its row. The only raw
//! HTML is ours: `<a id="...">` anchors with identifier-safe ids, and
//! `<br>`.

use std::fmt::Write as _;

use super::assessment::{self, Analysed, Assessment, Coverage, FlowView, Section};
use super::findings::{self, Finding, Findings};
use super::risk;
use super::table::{self, Row};
use super::text::url_path;
use crate::analysis::Analysis;
use crate::model::*;

/// Escapes a user string for Markdown text and table cells.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                // Inside a word `_` never emphasises; escape it elsewhere.
                let before = i
                    .checked_sub(1)
                    .and_then(|j| chars.get(j))
                    .is_some_and(|p| p.is_alphanumeric());
                let after = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !(before && after) {
                    out.push('\\');
                }
                out.push('_');
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An identifier as inline code when that is safe, escaped text otherwise.
pub fn code(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '>' | '#' | '.'))
    {
        format!("`{name}`")
    } else {
        escape(name)
    }
}

fn cap(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn anchor(id: &str) -> String {
    // Anchors are built by `assessment::fragment`: identifier-safe.
    format!("<a id=\"{id}\"></a>")
}

/// Whether the table's cells link into the report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Links {
    None,
    Report,
}

fn component_cell(row: &Row, model: &Model, links: Links) -> String {
    if row.targets.is_empty() {
        return format!("*{}*", table::NO_TARGET);
    }
    let cells: Vec<String> = row
        .targets
        .iter()
        .map(|target| {
            let label = escape(&target.label);
            let label = match links {
                Links::Report => format!(
                    "[{label}](#{})",
                    assessment::target_anchor(model, target.target)
                ),
                Links::None => label,
            };
            match &target.detail {
                Some(detail) => format!("{label} ({}: {})", target.kind, escape(detail)),
                None => format!("{label} ({})", target.kind),
            }
        })
        .collect();
    cells.join("<br>")
}

/// The mitigation text and the controls a threat names (language 0.2),
/// or *none*.
fn mitigation_cell(row: &Row) -> String {
    let mut parts: Vec<String> = row.mitigation.as_deref().map(escape).into_iter().collect();
    if !row.controls.is_empty() {
        let controls: Vec<String> = row
            .controls
            .iter()
            .map(|c| format!("{} ({}, {})", escape(&c.label), code(&c.id), c.status))
            .collect();
        parts.push(format!("Controls: {}", controls.join(", ")));
    }
    if parts.is_empty() {
        "*none*".to_string()
    } else {
        parts.join("<br>")
    }
}

/// The status, then its tracking facts (language 0.2) one a line.
fn status_cell(row: &Row) -> String {
    let mut cell = row.status_text();
    for (name, value) in table::tracking_facts(&row.tracking) {
        let _ = write!(cell, "<br>*{name}:* {}", escape(&value));
    }
    cell
}

/// A field the threat does not give, in a table cell.
const NOT_GIVEN_MD: &str = "*not given*";

fn stride_md(stride: Option<Stride>) -> String {
    stride.map_or(NOT_GIVEN_MD.to_string(), |s| s.to_string())
}

fn threat_table(out: &mut String, model: &Model, rows: &[Row], links: Links) {
    // The threats' own `x_` keys get a column when any threat has one.
    let extra = rows.iter().any(|r| !r.attributes.is_empty());
    out.push_str(
        "| ID | Title | Component | Actor | Scenario | STRIDE | Severity | Basis | Mitigation | Remediation | Status |",
    );
    out.push_str(if extra { " Attributes |\n" } else { "\n" });
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    out.push_str(if extra { " --- |\n" } else { "\n" });
    for row in rows {
        let id = match links {
            Links::Report => format!(
                "{}{}",
                anchor(&assessment::threat_anchor(&row.id)),
                escape(&row.id)
            ),
            Links::None => escape(&row.id),
        };
        let _ = write!(
            out,
            "| {id} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&row.title),
            component_cell(row, model, links),
            row.actor_label
                .as_deref()
                .map_or(NOT_GIVEN_MD.to_string(), escape),
            escape(&row.scenario),
            stride_md(row.stride),
            cap(&escape(&row.severity_word)),
            escape(&row.basis()),
            mitigation_cell(row),
            row.remediation.map_or("—", |r| r.as_str()),
            status_cell(row),
        );
        if extra {
            let attrs: Vec<String> = row
                .attributes
                .iter()
                .map(|(k, v)| format!("{}: {}", escape(k), escape(v)))
                .collect();
            let _ = write!(out, " {} |", attrs.join("<br>"));
        }
        out.push('\n');
    }
}

const STRIDE_LEGEND: &str =
    "STRIDE: S spoofing, T tampering, R repudiation, I information disclosure, \
D denial of service, E elevation of privilege.";

/// `tmd table --format md`: the threat table alone, to paste into a pull
/// request or a document.
pub fn table(model: &Model, _analysis: &Analysis) -> String {
    let rows = table::rows(model);
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("*No threats recorded.*\n");
        return out;
    }
    threat_table(&mut out, model, &rows, Links::None);
    out.push('\n');
    out.push_str(STRIDE_LEGEND);
    out.push('\n');
    out
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "—",
    }
}

fn flow_link(flow: &FlowView) -> String {
    let name = format!("{} ({})", escape(&flow.label), code(&flow.id));
    if flow.has_section {
        format!(
            "[{}](#{}) ({})",
            escape(&flow.label),
            flow.anchor,
            code(&flow.id)
        )
    } else {
        name
    }
}

fn threat_links(ids: &[String]) -> String {
    if ids.is_empty() {
        return "—".to_string();
    }
    ids.iter()
        .map(|id| format!("[{}](#{})", escape(id), assessment::threat_anchor(id)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header link: a Markdown link only for `http(s)` with nothing that
/// could end the destination early (spaces, `<`, `>`, parentheses);
/// anything else is plain escaped text.
fn link_md(link: &str) -> String {
    let clean = !link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '(' | ')' | '\\'));
    if is_web_link(link) && clean {
        format!("[{}](<{link}>)", escape(link))
    } else {
        escape(link)
    }
}

fn header(out: &mut String, a: &Assessment, more_contents: &str) {
    let h = &a.header;
    let _ = writeln!(out, "# Threat assessment: {}\n", escape(&h.title));
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(s) = &h.scope {
        facts.push(("Scope", escape(s)));
    }
    if let Some(s) = &h.author {
        facts.push(("Author", escape(s)));
    }
    if let Some(s) = &h.created {
        facts.push(("Created", s.clone()));
    }
    if let Some(s) = &h.updated {
        facts.push(("Updated", s.clone()));
    }
    if let Some(s) = &h.version {
        facts.push(("Version", escape(s)));
    }
    let people = |list: &[String]| {
        list.iter()
            .map(|p| escape(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !h.reviewers.is_empty() {
        facts.push(("Reviewers", people(&h.reviewers)));
    }
    if !h.contributors.is_empty() {
        facts.push(("Contributors", people(&h.contributors)));
    }
    if let Some(link) = &h.link {
        facts.push(("Link", link_md(link)));
    }
    if let Some(risk) = &h.risk {
        facts.push(("Risk scale", scale_md(risk)));
    }
    if !facts.is_empty() {
        for (k, val) in facts {
            let _ = writeln!(out, "- **{k}:** {val}");
        }
        out.push('\n');
    }
    let data = if a.data.is_some() {
        "[Data](#data) · "
    } else {
        ""
    };
    // Language 0.2: a section only when the model has assumptions.
    let assumptions = if a.assumptions.is_empty() {
        ""
    } else {
        " · [Assumptions](#assumptions)"
    };
    let _ = write!(
        out,
        "Contents: [Summary](#summary) · [Findings](#findings) · [Severity matrix](#severity-matrix) · [Diagram](#diagram) · \
[Boundary crossings](#boundary-crossings) · {data}[Reversed-initiator flows](#reversed-initiator-flows) · \
[Threats](#threats)",
    );
    out.push_str(more_contents);
    out.push_str(assumptions);
    out.push_str(
        " · [Elements](#elements) · [Trust boundaries](#trust-boundaries) · \
[Flows with threats](#flows-with-threats)\n\n",
    );
}

fn summary(out: &mut String, a: &Assessment, model: &Model) {
    out.push_str("## Summary\n\n");
    let buckets = a.summary.buckets();
    out.push_str(&a.summary.sentence());
    // Flows can be out of scope since language 0.2; a 0.1 report reads as
    // it did.
    let what = if model.flows.iter().any(|f| f.out_of_scope) {
        "elements and flows"
    } else {
        "elements"
    };
    let _ = write!(
        out,
        " Threats on out-of-scope {what} are counted as out of scope, whatever their status, \
and never as open.\n\n",
    );
    if let Some(sentence) = a.summary.open_statuses_sentence() {
        out.push_str(&sentence);
        out.push_str("\n\n");
    }
    if let Some(sentence) = a.summary.not_given_sentence() {
        out.push_str(&sentence);
        out.push_str("\n\n");
    }
    out.push_str("| Severity |");
    for &b in &buckets {
        let _ = write!(out, " {} |", b.heading());
    }
    out.push_str(" Total |\n| --- |");
    for _ in &buckets {
        out.push_str(" ---: |");
    }
    out.push_str(" ---: |\n");
    for level in a.summary.levels() {
        let _ = write!(out, "| {} |", cap(&escape(&level.word)));
        for &b in &buckets {
            let _ = write!(out, " {} |", level.get(b));
        }
        let _ = writeln!(out, " {} |", level.total());
    }
    out.push_str("| **Total** |");
    for &b in &buckets {
        let _ = write!(out, " **{}** |", a.summary.bucket_total(b));
    }
    let _ = writeln!(out, " **{}** |\n", a.summary.total());
    coverage_summary(out, a);
}

/// How much of the model was analysed: elements with no threat at all,
/// and per STRIDE letter the elements it applies to that have a threat of
/// that letter.
fn coverage_summary(out: &mut String, a: &Assessment) {
    let c = &a.coverage;
    out.push_str("**Analysis coverage** (elements in scope). ");
    if c.in_scope == 0 {
        out.push_str("No element is in scope.\n\n");
        return;
    }
    if c.no_threat.is_empty() {
        let _ = writeln!(out, "Each of the {} elements has a threat.", c.in_scope);
    } else {
        let names: Vec<String> = c
            .no_threat
            .iter()
            .map(|(label, anchor)| format!("[{}](#{anchor})", escape(label)))
            .collect();
        let _ = writeln!(
            out,
            "{} of {} elements have no threat at all: {}.",
            c.no_threat.len(),
            c.in_scope,
            names.join(", ")
        );
    }
    out.push_str(
        "\nElements with a threat of each STRIDE letter, of the elements the letter applies to:\n\n",
    );
    let head: Vec<String> = c
        .letters
        .iter()
        .map(|l| format!("{} {}", l.letter, Stride::name(l.letter)))
        .collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", " ---: |".repeat(c.letters.len()));
    let cells: Vec<String> = c
        .letters
        .iter()
        .map(|l| {
            if l.applies == 0 {
                "—".to_string()
            } else {
                format!("{} of {}", l.analysed, l.applies)
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |\n", cells.join(" | "));
}

/// A warning's message: its backquoted names as code, the rest escaped.
fn message(text: &str) -> String {
    findings::message_pieces(text)
        .into_iter()
        .map(|(piece, is_code)| if is_code { code(piece) } else { escape(piece) })
        .collect()
}

fn finding_rows(out: &mut String, list: &[&Finding], with_code: bool) {
    if with_code {
        out.push_str("| Code | Where | Warning |\n| --- | --- | --- |\n");
    } else {
        out.push_str("| Where | Warning |\n| --- | --- |\n");
    }
    for f in list {
        let place = format!("line {}:{}", f.line, f.column);
        if with_code {
            let _ = writeln!(out, "| {} | {place} | {} |", f.code, message(&f.message));
        } else {
            let _ = writeln!(out, "| {place} | {} |", message(&f.message));
        }
    }
    out.push('\n');
}

/// Past this many warnings, they are grouped by code.
const GROUP_FROM: usize = 10;

/// The model's warnings (what `tmd check` prints), so that crossings
/// nobody analysed and open high threats without a mitigation reach the
/// readers of the report.
fn findings_section(out: &mut String, f: &Findings) {
    out.push_str("## Findings\n\n");
    if f.warnings.is_empty() {
        out.push_str("No warnings: `tmd check` finds nothing to report in the model.\n\n");
    } else {
        let _ = writeln!(
            out,
            "`tmd check` reports {} on the model; *Where* is the line and column in the model file.\n",
            if f.warnings.len() == 1 {
                "1 warning".to_string()
            } else {
                format!("{} warnings", f.warnings.len())
            }
        );
        if f.warnings.len() < GROUP_FROM {
            let list: Vec<&Finding> = f.warnings.iter().collect();
            finding_rows(out, &list, true);
        } else {
            for (code, title, list) in f.by_code() {
                let _ = writeln!(out, "### {code}: {} ({})\n", escape(title), list.len());
                finding_rows(out, &list, false);
            }
        }
    }
    if let Some((how_many, by_code)) = f.silenced_summary() {
        let codes: Vec<String> = by_code
            .iter()
            .map(|(code, n)| format!("{code} × {n}"))
            .collect();
        let _ = writeln!(
            out,
            "{} silenced in the model with `# tmd: allow` (not listed; the reason is next to each suppression): {}.\n",
            how_many,
            codes.join(", ")
        );
    }
}

/// A risk scale by its label and ID: `Corporate matrix (`corp`)`.
fn scale_md((label, name): &(Option<String>, String)) -> String {
    match label {
        Some(label) => format!("{} ({})", escape(label), code(name)),
        None => code(name),
    }
}

fn matrix(out: &mut String, a: &Assessment, model: &Model) {
    let m = risk::Matrix::of(&model.scale);
    out.push_str("## Severity matrix\n\n");
    match risk::scale_name(&model.scale) {
        None => out.push_str(
            "Severity is read from ease of exploitation and potential impact, unless a threat gives it.\n\n",
        ),
        Some(name) => {
            let _ = writeln!(
                out,
                "Threats are rated on the risk scale {}: severity is read from {}, unless a threat gives it.\n",
                scale_md(&name),
                escape(&m.axes)
            );
        }
    }
    let _ = write!(
        out,
        "| {} \\ {} |",
        escape(&m.corner.0),
        escape(&m.corner.1)
    );
    for c in &m.columns {
        let _ = write!(out, " {} |", escape(c));
    }
    out.push_str("\n| --- |");
    for _ in &m.columns {
        out.push_str(" --- |");
    }
    out.push('\n');
    for (level, cells) in &m.rows {
        let _ = write!(out, "| **{}** |", escape(level));
        for (_, word) in cells {
            let _ = write!(out, " {} |", escape(word));
        }
        out.push('\n');
    }
    out.push('\n');
    if let Some(bands) = &m.bands {
        let _ = writeln!(
            out,
            "Bands (what `--fail-on`, the badge colours and the open counts read): {}\n",
            escape(bands)
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
            "{given} of {} threats {} severity instead of (or as well as) {}.",
            a.rows.len(),
            if given == 1 {
                "gives its"
            } else {
                "give their"
            },
            escape(&m.axes)
        );
        for r in &a.overrides {
            let _ = writeln!(
                out,
                "- [{}](#{}): given {}; the matrix gives {}.",
                escape(&r.id),
                assessment::threat_anchor(&r.id),
                escape(&r.severity_word),
                r.matrix_word.as_deref().map_or("—".to_string(), escape)
            );
        }
        out.push('\n');
    }
}

fn diagram(out: &mut String, link: Option<&str>) {
    out.push_str("## Diagram\n\n");
    match link {
        Some(path) => {
            let _ = writeln!(out, "![Data-flow diagram]({})\n", url_path(path));
        }
        None => out.push_str(
            "*The diagram is not included in this report.* Render it with `tmd render MODEL -o diagram.svg` and link it with `tmd report MODEL --diagram diagram.svg`, or run `tmd build`, which does both.\n\n",
        ),
    }
}

fn crossings(out: &mut String, a: &Assessment) {
    out.push_str("## Boundary crossings\n\n");
    if a.crossings.is_empty() {
        out.push_str("*No flow crosses a trust boundary.*\n\n");
        return;
    }
    out.push_str(
        "Each flow that crosses a trust boundary, with the boundaries in the order the data passes them.\n\n",
    );
    out.push_str("| Flow | From | To | Boundaries crossed | Protocol | Encrypted | Authenticated | Analysed by |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for f in &a.crossings {
        let mut flow = flow_link(f);
        if f.reversed {
            flow.push_str(" ⇄");
        }
        let _ = writeln!(
            out,
            "| {flow} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&f.source_label),
            escape(&f.target_label),
            escape(&f.crossings_text()),
            f.protocol
                .as_deref()
                .map_or_else(|| "—".to_string(), escape),
            yes_no(f.encrypted),
            yes_no(f.authenticated),
            analysed_cell(f),
        );
    }
    if a.crossings.iter().any(|f| f.reversed) {
        out.push_str("\n⇄ reversed initiator: the receiver opens the connection.\n");
    }
    out.push('\n');
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
                        "[{}](#{}) ({})",
                        code(&e.id),
                        e.anchor,
                        threat_links(&e.threats)
                    )
                })
                .collect();
            format!(
                "{} {}",
                Analysed::covered_by_words(ends),
                parts.join(" and ")
            )
        }
        Analysed::NotAnalysed { silenced: false } => "**not analysed** (TMD106)".to_string(),
        Analysed::NotAnalysed { silenced: true } => {
            "**not analysed** (TMD106, silenced in the model)".to_string()
        }
    }
}

fn reversed(out: &mut String, a: &Assessment) {
    out.push_str("## Reversed-initiator flows\n\n");
    if a.reversed.is_empty() {
        out.push_str("*None: every flow is opened by its source.*\n\n");
        return;
    }
    out.push_str(
        "Flows whose receiver opens the connection and pulls the data (drawn in red).\n\n",
    );
    out.push_str("| Flow | Data from | Data to | Opened by | Protocol | Threats |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for f in &a.reversed {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            flow_link(f),
            escape(&f.source_label),
            escape(&f.target_label),
            escape(&f.initiator_label),
            f.protocol
                .as_deref()
                .map_or_else(|| "—".to_string(), escape),
            threat_links(&f.threats),
        );
    }
    out.push('\n');
}

fn flow_line(f: &FlowView, incoming: bool) -> String {
    let (arrow, peer) = if incoming {
        ("←", &f.source_label)
    } else {
        ("→", &f.target_label)
    };
    let peer_anchor = if incoming {
        &f.source_anchor
    } else {
        &f.target_anchor
    };
    let mut line = format!(
        "- {arrow} [{}](#{peer_anchor}): {}",
        escape(peer),
        flow_link(f)
    );
    let transport = f.transport();
    if !transport.is_empty() {
        let _ = write!(line, " · {}", escape(&transport));
    }
    line.push_str(&response_md(f));
    if !f.crossings.is_empty() {
        let _ = write!(line, " · **crosses** {}", escape(&f.crossings_text()));
    }
    if f.reversed {
        let _ = write!(
            line,
            " · **reversed initiator** (opened by {})",
            escape(&f.initiator_label)
        );
    }
    if !f.threats.is_empty() {
        let _ = write!(line, " · threats: {}", threat_links(&f.threats));
    }
    line
}

/// ` · response to [Place order](#fl-order) (`order`)` for a response
/// (language 0.2); nothing for any other flow.
fn response_md(f: &FlowView) -> String {
    let Some(r) = &f.response_to else {
        return String::new();
    };
    let label = if r.has_section {
        format!("[{}](#{})", escape(&r.label), r.anchor)
    } else {
        escape(&r.label)
    };
    format!(" · response to {label} ({})", code(&r.id))
}

fn coverage_line(coverage: &[Coverage]) -> String {
    let covered: Vec<String> = coverage
        .iter()
        .filter(|c| c.applies && !c.threats.is_empty())
        .map(|c| format!("{} ({})", c.letter, threat_links(&c.threats)))
        .collect();
    let gaps: Vec<String> = coverage
        .iter()
        .filter(|c| c.is_gap())
        .map(|c| c.letter.to_string())
        .collect();
    let mut parts = Vec::new();
    if !covered.is_empty() {
        parts.push(format!("analysed {}", covered.join(", ")));
    }
    if !gaps.is_empty() {
        parts.push(format!("**not analysed: {}**", gaps.join(", ")));
    }
    let extra: Vec<String> = coverage
        .iter()
        .filter(|c| !c.applies && !c.threats.is_empty())
        .map(|c| c.letter.to_string())
        .collect();
    if !extra.is_empty() {
        parts.push(format!(
            "also {} (not usual for this kind)",
            extra.join(", ")
        ));
    }
    format!("**STRIDE coverage:** {}.", parts.join("; "))
}

fn section_threats(out: &mut String, rows: &[Row]) {
    if rows.is_empty() {
        out.push_str("No threats on it.\n\n");
        return;
    }
    out.push_str("| ID | Threat | STRIDE | Severity | Status | Mitigation |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            escape(&r.id),
            assessment::threat_anchor(&r.id),
            escape(&r.title),
            stride_md(r.stride),
            cap(&escape(&r.severity_word)),
            r.status_text(),
            mitigation_cell(r),
        );
    }
    out.push('\n');
}

fn section(out: &mut String, s: &Section) {
    let _ = writeln!(out, "### {}{}\n", anchor(&s.anchor), escape(&s.label));
    let mut line = format!("{} {}", cap(s.kind), code(&s.id));
    if s.out_of_scope {
        line.push_str(" · **out of scope**");
        if let Some(reason) = &s.out_of_scope_reason {
            let _ = write!(line, ": {}", escape(reason));
        }
    }
    match s.kind {
        "flow" => {}
        "boundary" if s.boundary_path.is_empty() => line.push_str(" · top level"),
        _ if s.boundary_path.is_empty() => line.push_str(" · outside every boundary"),
        _ => {
            let _ = write!(line, " · inside {}", escape(&s.boundary_path.join(" › ")));
        }
    }
    if !s.out_of_scope {
        let worst = s
            .worst_open
            .as_ref()
            .map_or_else(|| "none".to_string(), |w| cap(&escape(&w.word)));
        let _ = write!(line, " · worst open severity: {worst}");
    }
    out.push_str(&line);
    out.push_str("\n\n");
    for (k, val) in &s.facts {
        let _ = writeln!(out, "- {}: {}", escape(k), escape(val));
    }
    if !s.facts.is_empty() {
        out.push('\n');
    }
    super::assumptions::markdown_rests_on(out, &s.assumptions);
    if let Some(f) = s.flows.first().filter(|_| s.kind == "flow") {
        let mut line = format!(
            "From [{}](#{}) to [{}](#{})",
            escape(&f.source_label),
            f.source_anchor,
            escape(&f.target_label),
            f.target_anchor
        );
        let transport = f.transport();
        if !transport.is_empty() {
            let _ = write!(line, " · {}", escape(&transport));
        }
        line.push_str(&response_md(f));
        if !f.crossings.is_empty() {
            let _ = write!(line, " · **crosses** {}", escape(&f.crossings_text()));
        }
        if f.reversed {
            let _ = write!(
                line,
                " · **reversed initiator** (opened by {})",
                escape(&f.initiator_label)
            );
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    if s.kind == "boundary" {
        if !s.members.is_empty() {
            let members: Vec<String> = s
                .members
                .iter()
                .map(|(k, l)| format!("{} ({k})", escape(l)))
                .collect();
            let _ = writeln!(out, "**Holds:** {}.\n", members.join(", "));
        }
        if s.flows.is_empty() {
            out.push_str("**Flows crossing it:** none.\n\n");
        } else {
            out.push_str("**Flows crossing it:**\n\n");
            for f in &s.flows {
                let _ = writeln!(
                    out,
                    "- {}: {} → {} · {}",
                    flow_link(f),
                    escape(&f.source_label),
                    escape(&f.target_label),
                    escape(&f.crossings_text())
                );
            }
            out.push('\n');
        }
    }
    if !s.flows_in.is_empty()
        || !s.flows_out.is_empty()
        || matches!(s.kind, "external" | "process" | "store")
    {
        for (heading, flows, incoming) in [("in", &s.flows_in, true), ("out", &s.flows_out, false)]
        {
            if flows.is_empty() {
                out.push_str(&format!("**Flows {heading}:** none.\n\n"));
                continue;
            }
            out.push_str(&format!("**Flows {heading}:**\n\n"));
            for f in flows {
                out.push_str(&flow_line(f, incoming));
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out.push_str("**Threats:**");
    if s.threats.is_empty() {
        out.push_str(" none.\n\n");
    } else {
        out.push_str("\n\n");
        section_threats(out, &s.threats);
    }
    if !s.coverage.is_empty() {
        out.push_str(&coverage_line(&s.coverage));
        out.push_str("\n\n");
    }
}

/// `tmd report --format md`: the whole assessment. `findings` are the
/// model's warnings after suppression ([`Findings::of`] a compilation).
/// `diagram_link` is a relative path or URL of the diagram image, when
/// there is one (it is percent-encoded into the link, never read).
pub fn report(
    model: &Model,
    analysis: &Analysis,
    findings: &Findings,
    diagram_link: Option<&str>,
) -> String {
    report_of(
        model,
        &Assessment::new(model, analysis, findings),
        findings,
        diagram_link,
    )
}

/// [`report`] from an assessment already made (`tmd build` makes one for
/// both reports).
pub fn report_of(
    model: &Model,
    a: &Assessment,
    findings: &Findings,
    diagram_link: Option<&str>,
) -> String {
    let tracking = &a.tracking;
    let mut out = String::new();
    let contents = super::tracking::markdown_contents(tracking)
        + &super::library::markdown_contents(&findings.library);
    header(&mut out, a, &contents);
    summary(&mut out, a, model);
    findings_section(&mut out, &a.findings);
    matrix(&mut out, a, model);
    diagram(&mut out, diagram_link);
    crossings(&mut out, a);
    super::data::markdown(&mut out, a.data.as_ref());
    reversed(&mut out, a);
    out.push_str("## Threats\n\n");
    if a.rows.is_empty() {
        out.push_str("*No threats recorded.*\n\n");
    } else {
        let [column, row] = model.scale.axis_keys();
        let _ = writeln!(
            out,
            "Sorted by severity, then ID. Basis: how the severity was obtained ({} × {}, or given).\n",
            escape(column),
            escape(row)
        );
        threat_table(&mut out, model, &a.rows, Links::Report);
        out.push('\n');
        out.push_str(STRIDE_LEGEND);
        out.push_str("\n\n");
    }
    super::tracking::markdown(&mut out, tracking);
    super::library::markdown(&mut out, &findings.library);
    super::assumptions::markdown_section(&mut out, &a.assumptions);
    out.push_str("## Elements\n\n");
    if a.elements.is_empty() {
        out.push_str("*No elements.*\n\n");
    }
    for s in &a.elements {
        section(&mut out, s);
    }
    out.push_str("## Trust boundaries\n\n");
    if a.boundaries.is_empty() {
        out.push_str("*No trust boundaries.*\n\n");
    }
    for s in &a.boundaries {
        section(&mut out, s);
    }
    out.push_str("## Flows with threats\n\n");
    if a.flows.is_empty() {
        out.push_str("*No threat is on a flow.*\n\n");
    }
    for s in &a.flows {
        section(&mut out, s);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("`x`"), "\\`x\\`");
        assert_eq!(escape("line\nbreak"), "line<br>break");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(escape("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(escape("order_api _em_"), "order_api \\_em\\_");
        assert_eq!(escape("a & b"), "a &amp; b");
        assert_eq!(escape("**bold**"), "\\*\\*bold\\*\\*");
    }

    #[test]
    fn code_only_for_safe_names() {
        assert_eq!(code("a->b#2"), "`a->b#2`");
        assert_eq!(code("a`b"), "a\\`b");
    }

    #[test]
    fn urls_are_relative_and_encoded() {
        assert_eq!(url_path("out/model.svg"), "out/model.svg");
        assert_eq!(url_path("javascript:alert(1)"), "javascript%3Aalert%281%29");
        assert_eq!(url_path("a b.svg"), "a%20b.svg");
    }
}
