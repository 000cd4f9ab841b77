//! Drawing a fence's views and putting them where the fence was.
//!
//! The diagram is an HTML block: `<div class="tmd-figure tmd-scope-P">`,
//! a small style sheet, the SVG (cleaned and given the id prefix `P-` by
//! [`crate::emit::html::svg::sanitize`], as in the HTML report), `</div>`.
//! A CommonMark HTML block ends at a blank line, so the block holds none,
//! and every line starts at the container's margin. The table is the
//! `tmd table` Markdown. Every line after the first gets the fence's
//! container prefix (`> `, list indentation), so that the rendering stays
//! in the block quote or list item the fence was in.

use super::{Fence, Settings, View};
use crate::analysis::Analysis;
use crate::emit::html::svg::{sanitize, scope_class};
use crate::model::Model;

/// mdBook's light and dark theme classes (on `<html>`).
pub const MDBOOK_LIGHT: &[&str] = &["html.light", "html.rust"];
pub const MDBOOK_DARK: &[&str] = &["html.coal", "html.navy", "html.ayu"];

/// What a fence's rendering needs besides the model.
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// 1 for the first diagram of the page.
    pub diagram_number: usize,
    /// The model's text (for the `source` view).
    pub model_source: &'a str,
}

/// The lines of a fence's views, without container prefixes; an empty
/// string is a blank line between two views.
/// The diagram is drawn from `drawn` (a view of the model, or the model),
/// the table from the whole model.
pub fn views(
    (model, analysis): (&Model, &Analysis),
    drawn: (&Model, &Analysis),
    views: &[View],
    ctx: &Context<'_>,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for view in views {
        let part = match view {
            View::Diagram => diagram(drawn.0, drawn.1, ctx),
            View::Table => crate::emit::markdown::table(model, analysis)
                .lines()
                .map(str::to_string)
                .collect(),
            View::Source => source(ctx.model_source),
        };
        if part.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(part);
    }
    lines
}

/// The diagram as an HTML block with no blank line.
fn diagram(model: &Model, analysis: &Analysis, ctx: &Context<'_>) -> Vec<String> {
    let prefix = format!("{}{}-", ctx.settings.id_base, ctx.diagram_number);
    let rendered = crate::emit::svg::svg(model, analysis, &crate::emit::svg::SvgOptions::default());
    let Some(clean) = sanitize(&rendered.svg, &prefix) else {
        return Vec::new();
    };
    let scope = scope_class(&prefix);
    let mut lines = vec![format!("<div class=\"tmd-figure {scope}\">")];
    // Scaled down to the column, but not below half size: past that the
    // figure scrolls sideways instead of shrinking its text further.
    let min_width = svg_width(&clean).map_or(String::new(), |w| {
        format!(";min-width:{}px", (w / 2.0).round())
    });
    let mut css = format!(
        ".{scope}{{margin:1em 0;overflow-x:auto}}\n.{scope} svg{{display:block;max-width:100%;height:auto{min_width}}}\n"
    );
    if ctx.settings.mdbook_themes {
        css.push_str(&crate::emit::svg::scheme_css(
            &format!(".{scope} .tmd-diagram"),
            MDBOOK_LIGHT,
            MDBOOK_DARK,
        ));
    }
    lines.push("<style>".to_string());
    lines.extend(css.lines().map(str::to_string));
    lines.push("</style>".to_string());
    lines.extend(
        clean
            .lines()
            .map(str::trim_start)
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string),
    );
    lines.push("</div>".to_string());
    lines
}

/// The `width` of the SVG's root element, in px.
fn svg_width(svg: &str) -> Option<f64> {
    let root = svg.get(..svg.find('>')?)?;
    let at = root.find(" width=\"")? + 8;
    let rest = root.get(at..)?;
    rest.get(..rest.find('"')?)?.parse().ok()
}

/// The model's text in a code block whose fence is longer than any
/// backtick run inside it.
fn source(text: &str) -> Vec<String> {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let mut lines = vec![format!("{fence}text")];
    lines.extend(
        text.trim_end_matches(['\n', '\r'])
            .lines()
            .map(|l| l.trim_end_matches('\r').to_string()),
    );
    lines.push(fence);
    lines
}

/// The line said above a fence that could not be drawn (kept as written).
pub fn failed_notice() -> String {
    "**tmd:** the model below has errors and is not drawn; see the messages of the build.".into()
}

/// The line end the page uses at the fence.
fn line_end(page: &str, f: &Fence) -> &'static str {
    let rest = page.get(f.replace.start..).unwrap_or("");
    let crlf = match rest.find('\n') {
        Some(i) => rest.get(..i).is_some_and(|l| l.ends_with('\r')),
        None => page.contains("\r\n"),
    };
    if crlf {
        "\r\n"
    } else {
        "\n"
    }
}

/// The text that replaces `f.replace`: `lines` in the fence's container,
/// then (for a fence that failed) the fence as it was, from `original`.
/// A blank line keeps the rendering apart from text right before or after
/// the fence.
pub fn place(page: &str, f: &Fence, lines: &[String], original: Option<&str>) -> String {
    let eol = line_end(page, f);
    let blank = f.prefix.trim_end();
    let mut all: Vec<&str> = Vec::new();
    if f.text_before {
        all.push("");
    }
    all.extend(lines.iter().map(String::as_str));
    let mut out = String::new();
    for (i, line) in all.iter().enumerate() {
        if i > 0 {
            out.push_str(eol);
            if line.is_empty() {
                out.push_str(blank);
            } else {
                out.push_str(&f.prefix);
            }
        }
        out.push_str(line);
    }
    if let Some(page) = original {
        out.push_str(eol);
        out.push_str(&f.prefix);
        out.push_str(page.get(f.replace.clone()).unwrap_or(""));
    }
    if f.text_after {
        out.push_str(eol);
        out.push_str(blank);
    }
    out
}
