//! The visual diff for people (`tmd diff OLD NEW --html OUT`): one
//! self-contained page to upload as a CI artefact.
//!
//! It holds the verdict and the exposure table (the facts of
//! [`super::markdown::summary`], spelled in HTML), three views of the
//! change, and the text diff folded:
//!
//! - **side by side**: OLD's own diagram and NEW's own, each with what
//!   changed marked (removed and changed in OLD's, added and changed in
//!   NEW's);
//! - **overlay**: the union picture of [`super::visual`] twice, once as
//!   OLD (added entries hidden, removed ones drawn plainly) and once as
//!   NEW (removed entries hidden), stacked in one place with a slider
//!   between them; both share one layout, so the slider shows exactly
//!   what moved in and out;
//! - **changes**: the union picture as `--svg` draws it.
//!
//! A mark is a colour and a word: every marked element, boundary and flow
//! has `[added]`, `[changed]` or `[removed]` after its label, and the
//! page's legend says what each means.
//!
//! Without JavaScript every view is shown, one after the other; the
//! script (named by its hash in the page's Content-Security-Policy, as
//! the report's) shows one at a time, switched by real buttons with
//! `aria-pressed`, and moves the overlay's slider. The report's style
//! sheet gives light and dark colours and the print style; the page adds
//! its own rules. Every diagram is cleaned by
//! [`crate::emit::html::svg::sanitize`] with its own id prefix, and every
//! user string is escaped.

use std::fmt::Write as _;

use super::markdown::{summary, Markup, Summary};
use super::{visual, Change, Context, Diff, Entry};
use crate::analysis::Analysis;
use crate::emit::html::{csp, esc, svg as clean, STYLE};
use crate::emit::svg::{self, Mark, Marks, SvgOptions};
use crate::emit::text::visible;
use crate::model::Model;

const DIFF_STYLE: &str = include_str!("html.css");
const SCRIPT: &str = include_str!("html.js");

/// HTML for the shared parts of a diff.
struct Html;

impl Markup for Html {
    fn id(&self, id: &str) -> String {
        format!("<code>{}</code>", esc(&visible(id)))
    }
    fn text(&self, s: &str) -> String {
        esc(&visible(s)).replace('\n', "<br>")
    }
    fn plain(&self, s: &str) -> String {
        esc(s)
    }
    fn label(&self, s: &str) -> String {
        esc(s)
    }
    fn strong(&self, s: &str) -> String {
        format!("<strong>{}</strong>", esc(s))
    }
}

/// A written page and what the layout said on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub html: String,
    /// The layout's warnings (a very large model), each once.
    pub warnings: Vec<String>,
}

/// The word a mark adds to a label.
fn word(mark: Mark) -> &'static str {
    match mark {
        Mark::Added => "[added]",
        Mark::Changed => "[changed]",
        Mark::Removed => "[removed]",
    }
}

/// Every marked element, boundary and flow of `model` says its mark in
/// its label, so that the picture does not rely on colour alone.
fn label_marks(model: &mut Model, marks: &Marks) {
    for (&e, &m) in &marks.elements {
        if let Some(el) = model.elements.get_mut(e.index()) {
            el.label = format!("{} {}", el.label, word(m));
        }
    }
    for (&b, &m) in &marks.boundaries {
        if let Some(bd) = model.boundaries.get_mut(b.index()) {
            bd.label = format!("{} {}", bd.label, word(m));
        }
    }
    for (&f, &m) in &marks.flows {
        if let Some(fl) = model.flows.get_mut(f.index()) {
            fl.label = Some(match fl.label.take() {
                Some(label) if !label.is_empty() => format!("{label} {}", word(m)),
                _ => word(m).to_string(),
            });
        }
    }
}

/// The mark of a side's entry: OLD's removed and changed entries (by
/// their ID in OLD), or NEW's added and changed ones.
fn side_mark(entries: &[Entry], name: &str, old_side: bool) -> Option<Mark> {
    entries.iter().find_map(|e| {
        let id = if old_side {
            e.old_id.as_deref().unwrap_or(&e.id)
        } else {
            &e.id
        };
        if id != name {
            return None;
        }
        match (e.change, old_side) {
            (Change::Changed, _) => Some(Mark::Changed),
            (Change::Removed, true) => Some(Mark::Removed),
            (Change::Added, false) => Some(Mark::Added),
            _ => None,
        }
    })
}

/// The marks of one side's own diagram.
fn side_marks(model: &Model, diff: &Diff, old_side: bool) -> Marks {
    let mut marks = Marks {
        enabled: true,
        ..Marks::default()
    };
    for e in model.element_ids() {
        if let Some(m) = side_mark(&diff.elements, &model[e].name, old_side) {
            marks.elements.insert(e, m);
        }
    }
    for b in model.boundary_ids() {
        if let Some(m) = side_mark(&diff.boundaries, &model[b].name, old_side) {
            marks.boundaries.insert(b, m);
        }
    }
    for f in model.flow_ids() {
        if let Some(m) = side_mark(&diff.flows, &model[f].name, old_side) {
            marks.flows.insert(f, m);
        }
    }
    marks
}

/// A model drawn with its marks named in its labels, titled `title`.
fn draw(
    model: &Model,
    analysis: &Analysis,
    marks: &Marks,
    title: String,
    options: &SvgOptions,
    warnings: &mut Vec<String>,
) -> String {
    let mut model = model.clone();
    label_marks(&mut model, marks);
    model.meta.title = Some(title);
    let rendered = svg::svg_marked(&model, analysis, options, marks);
    if let Some(w) = rendered.warning {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    rendered.svg
}

/// Whether a diagram is much wider than tall (its root's `width` and
/// `height`): two of them side by side would be too small to read.
fn is_wide(svg_text: &str) -> bool {
    let root = svg_text.split('>').next().unwrap_or("");
    let number = |name: &str| -> Option<f64> {
        let start = root.find(&format!(" {name}=\""))? + name.len() + 3;
        root[start..].split('"').next()?.parse().ok()
    };
    match (number("width"), number("height")) {
        (Some(w), Some(h)) if h > 0.0 => w > 1.25 * h,
        _ => false,
    }
}

/// A diagram cleaned for the page under `prefix`, in its scoped frame.
fn frame(out: &mut String, svg_text: &str, prefix: &str, class: &str) {
    let scope = clean::scope_class(prefix);
    match clean::sanitize(svg_text, prefix) {
        Some(svg_clean) => {
            let _ = write!(
                out,
                "<div class=\"diff-frame {class} {scope}\">\n{svg_clean}\n</div>\n"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p class=\"diagram-missing {class}\">The diagram could not be drawn.</p>"
            );
        }
    }
}

/// The page of the diff of OLD and NEW (`names`: as shown to the user,
/// e.g. file names or `REV:PATH`). `context` gives the day for
/// acceptances expiring, as in the Markdown comment.
pub fn html(
    old: (&Model, &Analysis),
    new: (&Model, &Analysis),
    diff: &Diff,
    names: (&str, &str),
    context: &Context,
    options: &SvgOptions,
) -> Page {
    let (old_name, new_name) = names;
    let title = new.0.meta.title.as_deref().unwrap_or("Threat model");
    let mut warnings = Vec::new();
    let before = draw(
        old.0,
        old.1,
        &side_marks(old.0, diff, true),
        format!(
            "{}: before ({old_name})",
            old.0.meta.title.as_deref().unwrap_or("Threat model")
        ),
        options,
        &mut warnings,
    );
    let after = draw(
        new.0,
        new.1,
        &side_marks(new.0, diff, false),
        format!("{title}: after ({new_name})"),
        options,
        &mut warnings,
    );
    let union = visual::union(old.0, new.0, diff);
    let changes = draw(
        &union.model,
        &union.analysis,
        &union.marks,
        format!("{title}: changes from {old_name} to {new_name}"),
        options,
        &mut warnings,
    );

    let Summary {
        verdict,
        changed,
        counts,
        exposure,
        exposure_shown,
        open,
    } = summary(diff, context, &Html);

    let page_title = format!("{title}: changes from {old_name} to {new_name}");
    let mut out = String::new();
    crate::emit::html::page_head(
        &mut out,
        &visible(&page_title),
        &csp::policy(&[csp::DIFF_SCRIPT_SHA256], false),
        &[STYLE, DIFF_STYLE],
    );
    let _ = write!(
        out,
        "<header class=\"doc-header\">\n<p class=\"eyebrow\">Threat model change</p>\n<h1>{}</h1>\n<p class=\"versions\"><span class=\"version\">{}</span> → <span class=\"version\">{}</span></p>\n<p class=\"verdict\" id=\"verdict\">{verdict}</p>\n</header>\n<main>\n",
        esc(&visible(title)),
        esc(&visible(old_name)),
        esc(&visible(new_name)),
    );

    // The counts and the exposure table.
    if changed || exposure_shown {
        out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
        if !counts.is_empty() {
            out.push_str("<div class=\"table-wrap\"><table class=\"counts\">\n<thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">added</th><th scope=\"col\" class=\"num\">removed</th><th scope=\"col\" class=\"num\">changed</th></tr></thead>\n<tbody>\n");
            let n = |x: usize| if x == 0 { String::new() } else { x.to_string() };
            for (section, a, r, c) in &counts {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(section),
                    n(*a),
                    n(*r),
                    n(*c)
                );
            }
            out.push_str("</tbody>\n</table></div>\n");
        }
        if exposure_shown {
            out.push_str("<h3 id=\"exposure\">Exposure</h3>\n");
            if !exposure.is_empty() {
                out.push_str("<div class=\"table-wrap\"><table class=\"exposure\">\n<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">effect</span></th><th scope=\"col\">change</th><th scope=\"col\">where</th></tr></thead>\n<tbody>\n");
                for [effect, label, detail] in &exposure {
                    let (class, said) = match effect.as_str() {
                        "▲" => ("raises", "raises the exposure"),
                        "▼" => ("lowers", "lowers the exposure"),
                        _ => ("neutral", ""),
                    };
                    let _ = writeln!(
                        out,
                        "<tr class=\"{class}\"><td class=\"effect\"{}>{}</td><td>{label}</td><td>{detail}</td></tr>",
                        if said.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{said}\"")
                        },
                        if said.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "<span aria-hidden=\"true\">{effect}</span><span class=\"visually-hidden\">{said}</span>"
                            )
                        }
                    );
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
            if let Some(open) = open {
                out.push_str("<div class=\"table-wrap\"><table class=\"open-counts\">\n<thead><tr><th scope=\"col\">open threats</th><th scope=\"col\" class=\"num\">high</th><th scope=\"col\" class=\"num\">medium</th><th scope=\"col\" class=\"num\">low</th></tr></thead>\n<tbody>\n");
                for (label, cells) in ["before", "after"].into_iter().zip(open) {
                    let _ = write!(out, "<tr><th scope=\"row\">{label}</th>");
                    for c in cells {
                        let _ = write!(out, "<td class=\"num\">{c}</td>");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table></div>\n");
            }
            out.push_str("<p class=\"lead\">▲ raises the exposure, ▼ lowers it.</p>\n");
        }
        out.push_str("</section>\n");
    }

    // The pictures.
    out.push_str("<section id=\"pictures\">\n<h2>Pictures</h2>\n");
    out.push_str("<ul class=\"diff-legend\" aria-label=\"Legend\">\n\
<li><span class=\"swatch swatch-added\" aria-hidden=\"true\"></span><strong>[added]</strong> only in NEW: green</li>\n\
<li><span class=\"swatch swatch-changed\" aria-hidden=\"true\"></span><strong>[changed]</strong> in both, with changes: amber</li>\n\
<li><span class=\"swatch swatch-removed\" aria-hidden=\"true\"></span><strong>[removed]</strong> only in OLD: grey, dashed, faded</li>\n\
<li>A threat badge with a coloured ring: its threats changed (the ring's colour says how).</li>\n</ul>\n");
    out.push_str("<div class=\"view-switch\" role=\"group\" aria-label=\"View\" hidden>\
<button type=\"button\" data-view-button=\"side\" aria-pressed=\"true\" aria-controls=\"side\">Side by side</button>\
<button type=\"button\" data-view-button=\"overlay\" aria-pressed=\"false\" aria-controls=\"overlay\">Before/after slider</button>\
<button type=\"button\" data-view-button=\"changes\" aria-pressed=\"false\" aria-controls=\"changes\">Changes</button>\
</div>\n");

    // Side by side; wide diagrams one above the other, at a readable size.
    let wide = [&before, &after].iter().any(|s| is_wide(s));
    let _ = write!(
        out,
        "<section class=\"view\" id=\"side\" data-view=\"side\" aria-label=\"Side by side\">\n<h3 class=\"view-title\">Side by side</h3>\n<div class=\"side{}\">\n<figure>\n<figcaption>Before: <span class=\"version\">{}</span></figcaption>\n",
        if wide { " wide" } else { "" },
        esc(&visible(old_name))
    );
    frame(&mut out, &before, "b1-", "before");
    let _ = write!(
        out,
        "</figure>\n<figure>\n<figcaption>After: <span class=\"version\">{}</span></figcaption>\n",
        esc(&visible(new_name))
    );
    frame(&mut out, &after, "a1-", "after");
    out.push_str("</figure>\n</div>\n</section>\n");

    // The overlay: the union's layout as OLD and as NEW.
    out.push_str("<section class=\"view\" id=\"overlay\" data-view=\"overlay\" aria-label=\"Before/after slider\">\n<h3 class=\"view-title\">Before/after slider</h3>\n\
<p class=\"lead\">One layout for both versions: left of the line is before, right of it after. Move the slider with the mouse or the arrow keys.</p>\n\
<div class=\"slider\" hidden><label for=\"overlay-position\">Before</label><input type=\"range\" id=\"overlay-position\" min=\"0\" max=\"100\" step=\"1\" value=\"50\" aria-valuetext=\"50% before, 50% after\"><span aria-hidden=\"true\">After</span><output id=\"overlay-value\" for=\"overlay-position\">50% before, 50% after</output></div>\n\
<div class=\"overlay\" id=\"overlay-stack\">\n<figure class=\"layer layer-before\">\n<figcaption>Before</figcaption>\n");
    frame(&mut out, &changes, "o1-", "as-before");
    out.push_str("</figure>\n<figure class=\"layer layer-after\" id=\"overlay-after\">\n<figcaption>After</figcaption>\n");
    frame(&mut out, &changes, "o2-", "as-after");
    out.push_str("</figure>\n<div class=\"overlay-line\" id=\"overlay-line\" aria-hidden=\"true\"></div>\n</div>\n</section>\n");

    // The union, as `--svg` draws it.
    out.push_str("<section class=\"view\" id=\"changes\" data-view=\"changes\" aria-label=\"Changes\">\n<h3 class=\"view-title\">Changes</h3>\n<p class=\"lead\">NEW's diagram with what was added, what changed, and what was removed where it was.</p>\n<figure>\n");
    frame(&mut out, &changes, "u1-", "union");
    out.push_str("</figure>\n</section>\n</section>\n");

    // The details: the text diff, folded.
    let text = super::text(diff, old_name, new_name, false);
    let _ = write!(
        out,
        "<section id=\"details\">\n<h2>Details</h2>\n<details>\n<summary>Every change, field by field ({})</summary>\n<pre class=\"text-diff\">{}</pre>\n</details>\n</section>\n</main>\n",
        super::plural(text.lines().count(), "line", "lines"),
        esc(&text)
    );
    let _ = write!(
        out,
        "<footer>Generated by tmd diff from {} and {}.</footer>\n</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        esc(&visible(old_name)),
        esc(&visible(new_name))
    );
    Page {
        html: out,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> crate::Compilation {
        let c = crate::compile(text);
        assert!(c.valid().is_some(), "{:?}", c.diagnostics);
        c
    }

    fn page(old: &str, new: &str) -> String {
        let (old, new) = (compile(old), compile(new));
        let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
        let d = crate::diff::diff(o, n);
        html(
            o,
            n,
            &d,
            ("old <a>.tmd", "new & \"b\".tmd"),
            &Context {
                models: Some((o.0, n.0)),
                today: None,
            },
            &SvgOptions::default(),
        )
        .html
    }

    #[test]
    fn marks_are_words_in_the_labels_of_each_side() {
        let html = page(
            "process a \"A\"\nprocess gone \"Gone\"\nflow a -> gone \"x\"\n",
            "process a \"A2\"\nprocess b \"B\"\nflow a -> b\n",
        );
        // OLD's picture: a changed, gone removed; NEW's: a changed, b added.
        let side = &html[html.find("id=\"side\"").unwrap()..html.find("id=\"overlay\"").unwrap()];
        let (before, after) = side.split_at(side.find("After:").unwrap());
        assert!(before.contains("Gone [removed]") && before.contains("A [changed]"));
        assert!(!before.contains("[added]"));
        assert!(after.contains("B [added]") && after.contains("A2 [changed]"));
        assert!(!after.contains("[removed]"));
        // The added flow without a label is named by its mark alone.
        assert!(after.contains(">[added]<"), "{after}");
        // Five diagrams, each with its own prefix.
        for p in ["b1-", "a1-", "o1-", "o2-", "u1-"] {
            assert!(html.contains(&clean::scope_class(p)), "{p}");
        }
    }

    #[test]
    fn wide_diagrams_are_stacked() {
        assert!(is_wide(
            r#"<svg xmlns="x" class="c" width="900" height="300" viewBox="0 0 900 300">"#
        ));
        assert!(!is_wide(r#"<svg xmlns="x" width="300" height="300">"#));
        assert!(!is_wide("<svg>"));
    }

    #[test]
    fn names_are_escaped_and_the_policy_names_the_script() {
        let html = page("process a\n", "process a \"</script><b>x</b>\"\n");
        assert!(html.contains("old &lt;a&gt;.tmd"));
        assert!(html.contains("new &amp; &quot;b&quot;.tmd"));
        assert!(!html.contains("<b>x</b>"));
        assert_eq!(html.matches("<script>").count(), 1);
        assert_eq!(html.matches("</script>").count(), 1);
        let policy = csp::policy(&[csp::DIFF_SCRIPT_SHA256], false);
        assert!(html.contains(&esc(&policy)));
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(scripts.contains("'sha256-") && !scripts.contains("unsafe"));
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
    }

    #[test]
    fn the_verdict_is_the_comments() {
        let old = "process a\nprocess b\nflow a -> b\n";
        let new = "boundary z {\n  process b\n}\nprocess a\nflow a -> b\n";
        let html = page(old, new);
        let (o, n) = (compile(old), compile(new));
        let d = crate::diff::diff(o.valid().unwrap(), n.valid().unwrap());
        let md = crate::diff::markdown(&d, "x", "y");
        // The same words, bold in Markdown and strong in HTML.
        let first = md.lines().next().unwrap().replace("**", "");
        let verdict = html
            .split("id=\"verdict\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap()
            .replace("<strong>", "")
            .replace("</strong>", "")
            .replace("<code>", "`")
            .replace("</code>", "`");
        assert_eq!(verdict, first);
        assert!(html.contains("class=\"raises\""), "{html}");
    }
}
