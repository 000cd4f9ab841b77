//! `tmd render --format mermaid`: the diagram as a Mermaid flowchart, the
//! one diagram language GitHub renders inside Markdown.
//!
//! External entities are rectangles, processes stadiums, stores
//! cylinders; trust boundaries are nested subgraphs with a dashed red
//! border; flows that cross a boundary are thick (`==>`), reversed-initiator
//! flows red, out-of-scope elements and flows grey and dashed. The threat
//! IDs on an element, boundary or flow are written in its label, and an
//! element's border takes the colour of the worst open severity of its
//! threats (the badge colours of the other diagrams).
//!
//! Mermaid is a known injection path: its text goes through a directive
//! scanner (`%%{...}%%` anywhere in the source), an entity pass, Markdown
//! for backquoted strings, and HTML labels. So no user string reaches the
//! output as written: [`text`] keeps letters, digits, spaces and a few
//! inert punctuation marks, and writes every other character as a Mermaid
//! entity code (`#35;` for `#`), which Mermaid turns into an HTML character
//! reference, shown as text. Node and subgraph IDs are made here (`e0`,
//! `b0`, by declaration order), never taken from the model, so that no
//! identifier can be a Mermaid keyword (`end`, `click`, `style`, ...).
//! docs/mermaid.md documents the output and the Mermaid versions it needs.

use std::fmt::Write as _;

use super::dot::{severity_colour, GREY, NONE_OPEN, RED};
use super::svg::{Mark, Marks};
use super::text::visible;
use crate::analysis::Analysis;
use crate::model::*;

/// Boundaries nest at most this deep in a valid model (TMD013); deeper
/// ones are drawn flat rather than recursed into.
const MAX_DEPTH: usize = 64;

/// A user string as the text of a Mermaid label, which tmd always writes
/// as a Markdown string (`` "`...`" ``, Mermaid 10.1 and later), the one
/// kind of label every Mermaid release since reads the same way.
///
/// Mermaid reads a label several times: its parser (a `"` ends the
/// string, a backquote the Markdown), a scan for directives (`%%{...}%%`
/// anywhere in the source), a rewrite of `style`/`classDef` lines around
/// `:` and `;`, entity codes (`#35;`, decoded after Markdown), Markdown
/// (`*` and `_` for emphasis, a leading `#`, `-`, `1.` ...), KaTeX
/// (`$$...$$`) and Font Awesome icons (`fa:fa-...`), and the result is
/// HTML. So:
///
/// - letters and digits (of any script), spaces, `,`, `/` and `?` stay;
/// - `"`, `` ` ``, `#`, `%`, `;`, `&`, `<` and `>` become entity codes
///   (`#34;`): the parser, the directive scan and Markdown never see them,
///   and `&`, `<` and `>` reach the HTML as `&amp;`, `&lt;`, `&gt;`;
/// - every other ASCII punctuation mark gets a Markdown backslash escape
///   (`\*`), so Markdown shows it as itself;
/// - `:` and `$` become entity codes followed by U+2060 WORD JOINER
///   (invisible), so that no label becomes an icon (`fa:fa-car`) or a
///   formula (`$$x$$`): Mermaid looks for both after decoding; a word
///   joiner also stands before `°` and after `¶`, so that no label spells
///   Mermaid's own placeholders for entity codes (`ﬂ°`, `¶ß`);
/// - any other character that is not a letter or digit (symbols, marks,
///   invisible characters) becomes an entity code;
/// - a line feed becomes `<br>`, a tab a space; bidirectional controls
///   are first made visible (`<U+202E>`).
pub fn text(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            ' ' | ',' | '/' | '?' => out.push(c),
            '"' | '`' | '#' | '%' | ';' | '&' | '<' | '>' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            ':' => out.push_str("#58;\u{2060}"),
            '$' => out.push_str("#36;\u{2060}"),
            // Mermaid's own placeholders for entity codes are `ﬂ°`, `ﬂ°°`
            // and `¶ß`, decoded once more at the end: never let a label
            // spell them.
            '°' => out.push_str("\u{2060}#176;"),
            '¶' => out.push_str("#182;\u{2060}"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_alphanumeric() && !c.is_control() => out.push(c),
            c => {
                let _ = write!(out, "#{};", u32::from(c));
            }
        }
    }
    out
}

/// The Mermaid ID of an element (`e` and its index).
fn element_id(e: ElementId) -> String {
    format!("e{}", e.index())
}

/// The Mermaid ID of a boundary (`b` and its index).
fn boundary_id(b: BoundaryId) -> String {
    format!("b{}", b.index())
}

/// The Mermaid ID of the `n`th invisible group (`g` and its number).
fn group_id(n: usize) -> String {
    format!("g{n}")
}

/// Threat IDs, comma separated, escaped.
fn threat_ids(model: &Model, threats: &[ThreatId]) -> String {
    threats
        .iter()
        .map(|&t| text(&model[t].name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The class naming a worst open severity (`sevhigh`, ..., `sevnone`).
fn severity_class(worst_open: Option<Severity>) -> String {
    match worst_open {
        Some(s) => format!("sev{}", s.as_str()),
        None => "sevnone".to_string(),
    }
}

/// The Mermaid flowchart of a valid model.
pub fn mermaid(model: &Model, analysis: &Analysis) -> String {
    mermaid_marked(model, analysis, &Marks::default())
}

/// The Mermaid flowchart of a valid model with the marks of a diff
/// (`tmd diff --format md`): added entries green, changed amber, removed
/// grey and dashed, each also named in its label (`added`, `changed`,
/// `removed`), so that the picture does not rely on colour alone.
pub fn mermaid_marked(model: &Model, analysis: &Analysis, marks: &Marks) -> String {
    let mut out = String::new();
    out.push_str(
        "%% Data-flow diagram generated by tmd from the model; edit the model, not this file.\n",
    );
    let direction = match model.meta.direction() {
        Direction::LeftRight => "LR",
        Direction::TopDown => "TB",
    };
    // No title: front matter would be YAML, a caption node would float in
    // the layout. The page that holds the diagram has the model's title.
    if let Some(view) = &model.view {
        // The caption names IDs the model has (letters, digits, `_`,
        // `-`, `>`, `#`) and numbers: nothing Mermaid reads in a comment.
        let caption: String = view
            .caption
            .chars()
            .filter(|c| !matches!(c, '{' | '}' | '%' | '\n' | '\r'))
            .collect();
        let _ = writeln!(out, "%% {caption}");
    }
    let _ = writeln!(out, "flowchart {direction}");

    let mut lines = Lines {
        out: &mut out,
        depth: 1,
        marks,
    };
    let mut drawn = vec![false; model.elements.len()];
    let mut boundary_drawn = vec![false; model.boundaries.len()];
    let mut groups = 0usize;
    for member in &model.top {
        if let Member::Element(e) = member {
            element(&mut lines, model, analysis, *e, &mut drawn);
        }
    }
    let top: Vec<BoundaryId> = model
        .top
        .iter()
        .filter_map(|m| match m {
            Member::Boundary(b) => Some(*b),
            Member::Element(_) => None,
        })
        .collect();
    boundaries(
        &mut lines,
        model,
        analysis,
        top,
        &mut drawn,
        &mut boundary_drawn,
        &mut groups,
    );
    // Lowering puts every element in `top` or in a boundary; stay safe.
    for e in model.element_ids() {
        element(&mut lines, model, analysis, e, &mut drawn);
    }

    // Flows, in declaration order: link N is the flow with index N.
    let mut red = Vec::new();
    let mut grey = Vec::new();
    for f in model.flow_ids() {
        let flow = &model[f];
        let facts = analysis.flow(f);
        let arrow = if facts.crossings.is_empty() {
            "-->"
        } else {
            "==>"
        };
        let mut label = super::dot::flow_text(flow).map(|t| text(&t));
        if !facts.threats.is_empty() {
            let ids = format!("\\[{}\\]", threat_ids(model, &facts.threats));
            label = Some(match label {
                Some(l) => format!("{l} {ids}"),
                None => ids,
            });
        }
        let flow_mark = match marks.flows.get(&f) {
            Some(mark) => Some(mark_word(*mark)),
            None if marks.badges.contains_key(&Target::Flow(f)) => Some("threats changed"),
            None => None,
        };
        if let Some(mark) = flow_mark {
            let word = format!("<i>{mark}</i>");
            label = Some(match label {
                Some(l) => format!("{l} {word}"),
                None => word,
            });
        }
        if flow.out_of_scope {
            grey.push(f.index());
        } else if facts.reversed {
            red.push(f.index());
        }
        let link = match label {
            Some(l) => format!("{arrow}|\"`{l}`\"|"),
            None => arrow.to_string(),
        };
        lines.line(&format!(
            "{} {link} {}",
            element_id(flow.source),
            element_id(flow.target)
        ));
    }

    // Styles: fixed class names, colours from the other diagrams.
    lines.line(&format!(
        "classDef tmdBoundary fill:none,stroke:{RED},stroke-width:1.5px,stroke-dasharray:6 4,color:{RED}"
    ));
    for (class, colour) in [
        ("sevhigh", severity_colour(Some(Severity::High))),
        ("sevmedium", severity_colour(Some(Severity::Medium))),
        ("sevlow", severity_colour(Some(Severity::Low))),
        ("sevnone", NONE_OPEN),
    ] {
        lines.line(&format!(
            "classDef {class} stroke:{colour},stroke-width:3px"
        ));
    }
    lines.line(&format!(
        "classDef tmdOutOfScope fill:#f5f5f5,stroke:{GREY},stroke-dasharray:4 3,color:{GREY}"
    ));
    lines.line("classDef tmdGroup fill:none,stroke:none");
    let boundary_ids: Vec<String> = model.boundary_ids().map(boundary_id).collect();
    for chunk in boundary_ids.chunks(50) {
        lines.line(&format!("class {} tmdBoundary", chunk.join(",")));
    }
    let group_ids: Vec<String> = (0..groups).map(group_id).collect();
    for chunk in group_ids.chunks(50) {
        lines.line(&format!("class {} tmdGroup", chunk.join(",")));
    }
    // Severity classes first, out of scope last: grey wins, as elsewhere.
    let mut by_class: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for e in model.element_ids() {
        let facts = analysis.element(e);
        if !facts.threats.is_empty() {
            by_class
                .entry(severity_class(facts.worst_open))
                .or_default()
                .push(element_id(e));
        }
    }
    for (class, ids) in &by_class {
        for chunk in ids.chunks(50) {
            lines.line(&format!("class {} {class}", chunk.join(",")));
        }
    }
    let out_of_scope: Vec<String> = model
        .element_ids()
        .filter(|&e| model[e].out_of_scope)
        .map(element_id)
        .collect();
    for chunk in out_of_scope.chunks(50) {
        lines.line(&format!("class {} tmdOutOfScope", chunk.join(",")));
    }
    for chunk in red.chunks(50) {
        let ids: Vec<String> = chunk.iter().map(usize::to_string).collect();
        lines.line(&format!(
            "linkStyle {} stroke:{RED},color:{RED}",
            ids.join(",")
        ));
    }
    for chunk in grey.chunks(50) {
        let ids: Vec<String> = chunk.iter().map(usize::to_string).collect();
        lines.line(&format!(
            "linkStyle {} stroke:{GREY},stroke-dasharray:4 3,color:{GREY}",
            ids.join(",")
        ));
    }
    if let Some(view) = &model.view {
        view_styles(&mut lines, view);
    }
    if marks.enabled {
        diff_styles(&mut lines, model, analysis, marks);
    }
    out
}

/// The word a mark adds to a label.
fn mark_word(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "added",
        Mark::Changed => "changed",
        Mark::Removed => "removed",
    }
}

/// A diff's marks as classes and link styles, after every other style so
/// that they win: an element whose threats changed, but not the element
/// itself, is drawn as changed. A reversed-initiator flow stays red (its
/// label names its mark), and so does an out-of-scope one stay grey.
fn diff_styles(lines: &mut Lines, model: &Model, analysis: &Analysis, marks: &Marks) {
    let classes = [
        (
            Mark::Added,
            "tmdAdded",
            "fill:#dafbe1,stroke:#1a7f37,stroke-width:3px,color:#1a7f37",
        ),
        (
            Mark::Changed,
            "tmdChanged",
            "fill:#fff8c5,stroke:#9a6700,stroke-width:3px,color:#7d4e00",
        ),
        (
            Mark::Removed,
            "tmdRemoved",
            "fill:#f6f8fa,stroke:#8c959f,stroke-width:2px,stroke-dasharray:4 3,color:#6e7781",
        ),
    ];
    for (mark, class, style) in classes {
        let mut ids: Vec<String> = model
            .element_ids()
            .filter(|e| {
                marks.elements.get(e) == Some(&mark)
                    || (!marks.elements.contains_key(e)
                        && mark == Mark::Changed
                        && marks.badges.contains_key(&Target::Element(*e)))
            })
            .map(element_id)
            .collect();
        ids.extend(
            model
                .boundary_ids()
                .filter(|b| marks.boundaries.get(b) == Some(&mark))
                .map(boundary_id),
        );
        let links: Vec<String> = model
            .flow_ids()
            .filter(|&f| {
                (marks.flows.get(&f) == Some(&mark)
                    || (!marks.flows.contains_key(&f)
                        && mark == Mark::Changed
                        && marks.badges.contains_key(&Target::Flow(f))))
                    && !analysis.flow(f).reversed
                    && !model[f].out_of_scope
            })
            .map(|f| f.index().to_string())
            .collect();
        if ids.is_empty() && links.is_empty() {
            continue;
        }
        lines.line(&format!("classDef {class} {style}"));
        for chunk in ids.chunks(50) {
            lines.line(&format!("class {} {class}", chunk.join(",")));
        }
        let (colour, dash) = match mark {
            Mark::Added => ("#1a7f37", ""),
            Mark::Changed => ("#9a6700", ""),
            Mark::Removed => ("#8c959f", ",stroke-dasharray:4 3"),
        };
        for chunk in links.chunks(50) {
            lines.line(&format!(
                "linkStyle {} stroke:{colour},stroke-width:3px,color:{colour}{dash}",
                chunk.join(",")
            ));
        }
    }
}

/// A view's stand-ins (`--focus`, `--collapse`): a collapsed boundary in
/// the boundary's red dashes, a summary of left-out flows and its flow
/// grey and dotted, as in the SVG.
fn view_styles(lines: &mut Lines, view: &ViewNotes) {
    lines.line(&format!(
        "classDef tmdCollapsed fill:#fff5f5,stroke:{RED},stroke-width:2px,stroke-dasharray:6 4,color:{RED}"
    ));
    lines.line(&format!(
        "classDef tmdMore fill:#fafafa,stroke:{GREY},stroke-dasharray:2 3,color:{GREY}"
    ));
    for (class, want) in [("tmdCollapsed", true), ("tmdMore", false)] {
        let ids: Vec<String> = view
            .stand_ins
            .iter()
            .filter(|(_, s)| matches!(s, StandIn::Collapsed { .. }) == want)
            .map(|(&e, _)| element_id(e))
            .collect();
        for chunk in ids.chunks(50) {
            lines.line(&format!("class {} {class}", chunk.join(",")));
        }
    }
    let links: Vec<String> = view
        .summary_flows
        .iter()
        .map(|f| f.index().to_string())
        .collect();
    for chunk in links.chunks(50) {
        lines.line(&format!(
            "linkStyle {} stroke:{GREY},stroke-dasharray:2 3",
            chunk.join(",")
        ));
    }
}

struct Lines<'a> {
    out: &'a mut String,
    depth: usize,
    /// A diff's marks (none outside `tmd diff`).
    marks: &'a Marks,
}

impl Lines<'_> {
    fn line(&mut self, line: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(line);
        self.out.push('\n');
    }
}

/// An element's node: its shape, its label (with "out of scope" and its
/// threat IDs under it).
fn element(
    lines: &mut Lines,
    model: &Model,
    analysis: &Analysis,
    e: ElementId,
    drawn: &mut [bool],
) {
    match drawn.get_mut(e.index()) {
        Some(done) if !*done => *done = true,
        _ => return,
    }
    let el = &model[e];
    let facts = analysis.element(e);
    let mut label = text(&el.label);
    if el.out_of_scope {
        label.push_str("<br><i>out of scope</i>");
    }
    if !facts.threats.is_empty() {
        let _ = write!(label, "<br>\\[{}\\]", threat_ids(model, &facts.threats));
    }
    match lines.marks.elements.get(&e) {
        Some(mark) => {
            let _ = write!(label, "<br><i>{}</i>", mark_word(*mark));
        }
        None if lines.marks.badges.contains_key(&Target::Element(e)) => {
            label.push_str("<br><i>threats changed</i>");
        }
        None => {}
    }
    let (open, close) = match el.kind {
        ElementKind::External => ("[", "]"),
        ElementKind::Process => ("([", "])"),
        ElementKind::Store => ("[(", ")]"),
    };
    lines.line(&format!("{}{open}\"`{label}`\"{close}", element_id(e)));
}

/// Sibling boundaries (the top level's, or one boundary's) as subgraphs,
/// nested boundaries as nested subgraphs. Iterative, with an explicit
/// stack; deeper than [`MAX_DEPTH`] the nesting stops and inner members
/// are drawn in the deepest subgraph.
///
/// No subgraph holds more than two subgraphs: three or more siblings are
/// split in halves, each half of two or more in an invisible group
/// subgraph (`g0`, class `tmdGroup`, no border, no title). Mermaid lays
/// flowcharts out with dagre, whose crossing reduction keeps sibling
/// subgraphs in an order it records rank after rank; with three or more
/// siblings it can record a cycle (A before B, B before C, C before A),
/// and then drops the three from every rank they share: Mermaid 11.4.1
/// fails with "Cannot set properties of undefined (setting 'order')"
/// (docs/mermaid.md). Two siblings cannot form such a cycle.
fn boundaries(
    lines: &mut Lines,
    model: &Model,
    analysis: &Analysis,
    siblings: Vec<BoundaryId>,
    drawn: &mut [bool],
    boundary_drawn: &mut [bool],
    groups: &mut usize,
) {
    enum Step {
        /// Sibling boundaries to draw, grouped two by two.
        Siblings(Vec<BoundaryId>),
        /// An invisible group around sibling boundaries.
        Group(Vec<BoundaryId>),
        Open(BoundaryId),
        /// The end of a subgraph: a boundary's (`true`) or a group's.
        Close(bool),
    }
    let mut stack = vec![Step::Siblings(siblings)];
    let mut depth = 0usize;
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(boundary) => {
                if boundary {
                    depth = depth.saturating_sub(1);
                }
                lines.depth = lines.depth.saturating_sub(1);
                lines.line("end");
            }
            Step::Siblings(list) => {
                if list.len() <= 2 {
                    stack.extend(list.into_iter().rev().map(Step::Open));
                } else {
                    let mut first = list;
                    let second = first.split_off(first.len().div_ceil(2));
                    for half in [second, first] {
                        match half.as_slice() {
                            [one] => stack.push(Step::Open(*one)),
                            _ => stack.push(Step::Group(half)),
                        }
                    }
                }
            }
            Step::Group(list) => {
                lines.line(&format!("subgraph {}[\" \"]", group_id(*groups)));
                *groups += 1;
                lines.depth += 1;
                stack.push(Step::Close(false));
                stack.push(Step::Siblings(list));
            }
            Step::Open(b) => {
                match boundary_drawn.get_mut(b.index()) {
                    Some(seen) if !*seen => *seen = true,
                    _ => continue,
                }
                let bd = &model[b];
                let inner: Vec<BoundaryId> = bd
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        Member::Boundary(inner) => Some(*inner),
                        Member::Element(_) => None,
                    })
                    .collect();
                if depth >= MAX_DEPTH {
                    for member in &bd.members {
                        if let Member::Element(e) = member {
                            element(lines, model, analysis, *e, drawn);
                        }
                    }
                    stack.extend(inner.into_iter().rev().map(Step::Open));
                    continue;
                }
                depth += 1;
                let facts = analysis.boundary(b);
                let mut label = text(&bd.label);
                if !facts.threats.is_empty() {
                    let _ = write!(label, " \\[{}\\]", threat_ids(model, &facts.threats));
                }
                if let Some(mark) = lines.marks.boundaries.get(&b) {
                    let _ = write!(label, " <i>{}</i>", mark_word(*mark));
                }
                lines.line(&format!("subgraph {}[\"`{label}`\"]", boundary_id(b)));
                lines.depth += 1;
                if bd.members.is_empty() {
                    // Mermaid draws an empty subgraph as a bare title.
                    lines.line(&format!(
                        "{}_empty[\"`\\(empty\\)`\"]:::tmdOutOfScope",
                        boundary_id(b)
                    ));
                }
                for member in &bd.members {
                    if let Member::Element(e) = member {
                        element(lines, model, analysis, *e, drawn);
                    }
                }
                stack.push(Step::Close(true));
                stack.push(Step::Siblings(inner));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest number of subgraphs any subgraph (or the top level)
    /// of a Mermaid flowchart holds directly.
    fn most_sibling_subgraphs(mermaid: &str) -> usize {
        let mut counts = vec![0usize];
        let mut most = 0;
        for line in mermaid.lines().map(str::trim) {
            if line.starts_with("subgraph ") {
                if let Some(n) = counts.last_mut() {
                    *n += 1;
                    most = most.max(*n);
                }
                counts.push(0);
            } else if line == "end" {
                counts.pop();
            }
        }
        assert_eq!(counts.len(), 1, "subgraph and end balance");
        most
    }

    /// Mermaid's layout (dagre) drops whole subgraphs from a rank when
    /// three or more sibling subgraphs are ordered inconsistently, and
    /// Mermaid 11.4.1 then fails ("Cannot set properties of undefined
    /// (setting 'order')"): no subgraph may hold more than two.
    #[test]
    fn no_subgraph_holds_more_than_two_subgraphs() {
        let mut text = String::from("title \"t\"\nexternal user \"User\"\n");
        for i in 0..7 {
            text.push_str(&format!(
                "boundary b{i} \"B{i}\" {{\n  process p{i} \"P{i}\"\n"
            ));
            if i == 3 {
                for j in 0..5 {
                    text.push_str(&format!(
                        "  boundary n{j} \"N{j}\" {{\n    store s{j} \"S{j}\"\n  }}\n"
                    ));
                }
            }
            text.push_str("}\n");
            text.push_str(&format!("flow user -> p{i}\nflow p{i} -> user\n"));
        }
        for j in 0..5 {
            text.push_str(&format!("flow p3 -> s{j}\n"));
        }
        let c = crate::compile(&text);
        let (model, analysis) = c.valid().expect("valid model");
        let out = mermaid(model, analysis);
        assert_eq!(most_sibling_subgraphs(&out), 2, "{out}");
        // Every boundary is still drawn, once, with its members.
        assert_eq!(model.boundaries.len(), 12);
        for b in model.boundary_ids() {
            let line = format!("subgraph {}[", boundary_id(b));
            assert_eq!(out.matches(&line).count(), 1, "{out}");
        }
    }

    #[test]
    fn text_escapes_everything_mermaid_reads() {
        assert_eq!(text("Order API, v2"), "Order API, v2");
        assert_eq!(text("(v2.1)"), r"\(v2\.1\)");
        assert_eq!(text("*a* _b_ ~c~"), r"\*a\* \_b\_ \~c\~");
        assert_eq!(text("- x"), r"\- x");
        assert_eq!(text("a\"b"), "a#34;b");
        assert_eq!(
            text("%%{init: {}}%%"),
            "#37;#37;\\{init#58;\u{2060} \\{\\}\\}#37;#37;"
        );
        assert_eq!(
            text("<b>x</b>"),
            r"#60;b#62;x#60;\/b#62;".replace(r"\/", "/")
        );
        assert_eq!(text("#quot;"), "#35;quot#59;");
        assert_eq!(text("`md`"), "#96;md#96;");
        assert_eq!(text("a\nb"), "a<br>b");
        assert_eq!(text("a]b[c|d"), r"a\]b\[c\|d");
        assert_eq!(text("\u{202E}x"), r"#60;U\+202E#62;x");
        assert_eq!(
            text("$$x$$"),
            "#36;\u{2060}#36;\u{2060}x#36;\u{2060}#36;\u{2060}"
        );
        assert_eq!(text("ﬂ°lt¶ß"), "ﬂ\u{2060}#176;lt#182;\u{2060}ß");
        assert_eq!(text("Zürich 東京 →"), "Zürich 東京 #8594;");
    }

    #[test]
    fn a_view_styles_its_stand_ins_and_says_what_it_shows() {
        let c = crate::compile(
            "boundary cloud {\n  process web\n  store db\n}\nexternal user\nexternal other\nflow user -> web\nflow web -> db\nflow other -> user\n",
        );
        let (m, _) = c.valid().unwrap();
        let spec = crate::view::Spec {
            focus: vec!["web".into()],
            collapse: vec!["cloud".into()],
            ..Default::default()
        };
        let v = crate::view::apply(m, &spec).unwrap().unwrap();
        let out = mermaid(&v.model, &v.analysis);
        assert!(
            out.contains("%% View: focus on web (depth 1); boundary cloud collapsed."),
            "{out}"
        );
        assert!(out.contains("class e0 tmdCollapsed"), "{out}");
        assert!(out.contains("tmdMore"), "{out}");
        assert!(out.contains("linkStyle 1 stroke:"), "{out}");
        // A model as written has none of it.
        let whole = mermaid(m, c.valid().unwrap().1);
        assert!(!whole.contains("tmdCollapsed") && !whole.contains("View:"));
    }
}
