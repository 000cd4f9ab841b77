//! The diff as Markdown, written to be posted as a pull-request comment:
//! the summary line first, then counts, the exposure changes, and the
//! details per section in collapsible `<details>` blocks. Every user string
//! is escaped for GitHub-flavoured Markdown.

use std::fmt::Write as _;

use super::*;
use crate::emit::text::visible;

/// A comment must stay under GitHub's 65,536 characters; past this size
/// the details blocks are left out (the summary and exposure stay).
const MAX_LEN: usize = 60_000;

/// A user string as inline Markdown text: Markdown punctuation escaped,
/// `<`, `>` and `&` as entities (no HTML gets through), line breaks as
/// `<br>`, `@` kept from mentioning anyone, bidi controls made visible.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A zero-width space after `@` keeps GitHub from notifying a
            // user or team named in a model.
            '@' => out.push_str("@&#8203;"),
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An ID in a code span. IDs are `[A-Za-z0-9_]` (implicit flow IDs add
/// `->` and `#`), safe in a code span; anything else falls back to text.
pub fn code(id: &str) -> String {
    let safe = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '>' | '#'));
    if safe {
        format!("`{id}`")
    } else {
        md_text(id)
    }
}

fn value(v: Option<&Value>) -> String {
    match v {
        None => "—".to_string(),
        Some(Value::Text(s)) if s.is_empty() => "*(empty)*".to_string(),
        Some(Value::Text(s)) => md_text(s),
        Some(Value::Id(s)) => code(s),
        Some(Value::Word(s) | Value::Int(s)) => md_text(s),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::List(items)) if items.is_empty() => "*(empty list)*".to_string(),
        Some(Value::List(items)) => items
            .iter()
            .map(|i| value(Some(i)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A field's value; an absent `boundary` or `parent` is the top level.
fn field_value(field: &str, v: Option<&Value>) -> String {
    match (field, v) {
        ("boundary" | "parent", None) => "*top level*".to_string(),
        _ => value(v),
    }
}

fn quoted(s: &str) -> String {
    format!("“{}”", md_text(s))
}

/// How the parts shared by the comment and the HTML visual diff (the
/// verdict, the counts and the exposure table) are written: [`Md`] here,
/// HTML in `tmd diff --html` ([`super::html`]). The facts are gathered
/// once, in [`summary`]; each format only spells them.
pub(crate) trait Markup {
    /// An identifier of the model.
    fn id(&self, id: &str) -> String;
    /// A user string.
    fn text(&self, s: &str) -> String;
    /// tmd's own words and values inside a detail (escaped all the same).
    fn plain(&self, s: &str) -> String;
    /// tmd's own label of an exposure line.
    fn label(&self, s: &str) -> String;
    /// tmd's own words, in bold.
    fn strong(&self, s: &str) -> String;
    /// A user string in quotes.
    fn quoted(&self, s: &str) -> String {
        format!("“{}”", self.text(s))
    }
}

/// GitHub-flavoured Markdown.
pub(crate) struct Md;

impl Markup for Md {
    fn id(&self, id: &str) -> String {
        code(id)
    }
    fn text(&self, s: &str) -> String {
        md_text(s)
    }
    fn plain(&self, s: &str) -> String {
        md_text(s)
    }
    fn label(&self, s: &str) -> String {
        s.to_string()
    }
    fn strong(&self, s: &str) -> String {
        format!("**{s}**")
    }
    fn quoted(&self, s: &str) -> String {
        quoted(s)
    }
}

/// The facts at the top of a diff, spelled by a [`Markup`]: the verdict
/// line, the counts per section, the exposure table's rows (effect
/// symbol, label, where) and the open threats before and after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub verdict: String,
    pub changed: bool,
    /// Per section with changes: its title and the numbers added,
    /// removed and changed; then the header's fields as `Header fields`.
    pub counts: Vec<(&'static str, usize, usize, usize)>,
    /// The exposure table: `▲` raises, `▼` lowers, empty for neither.
    pub exposure: Vec<[String; 3]>,
    /// Whether the exposure section is shown (rows, or counts of open
    /// threats that changed).
    pub exposure_shown: bool,
    /// Open threats per severity (high, medium, low), before and after,
    /// when they changed.
    pub open: Option<[[usize; 3]; 2]>,
}

/// The facts of [`Summary`], spelled by `m`.
pub(crate) fn summary(diff: &Diff, context: &Context, m: &dyn Markup) -> Summary {
    let mut highlights = highlights(diff, &|id| m.id(id));
    let (expiry, expiry_rows) = acceptances(context, m);
    highlights.extend(expiry);
    let headline = headline(diff);
    let changed = diff.change_count() > 0;
    let verdict = if !changed {
        let tail = if highlights.is_empty() {
            String::new()
        } else {
            format!("; {}", highlights.join(", "))
        };
        format!(
            "{} (formatting and statement order are ignored){tail}.",
            m.strong(&headline)
        )
    } else if highlights.is_empty() {
        format!("{}: {}.", m.strong(&headline), stats(diff).join(", "))
    } else {
        format!("{}: {}.", m.strong(&headline), highlights.join(", "))
    };
    if !changed {
        return Summary {
            verdict,
            changed,
            exposure_shown: !expiry_rows.is_empty(),
            exposure: expiry_rows,
            ..Summary::default()
        };
    }
    let mut counts = Vec::new();
    for section in Section::ALL {
        let (a, r, c) = (
            diff.count(section, Change::Added),
            diff.count(section, Change::Removed),
            diff.count(section, Change::Changed),
        );
        if a + r + c > 0 {
            counts.push((section.title(), a, r, c));
        }
    }
    if !diff.header.is_empty() {
        counts.push(("Header fields", 0, 0, diff.header.len()));
    }
    // What raises the exposure first in its column and in bold, so that it
    // stands out in a review.
    let mut exposure: Vec<[String; 3]> = diff
        .exposure()
        .iter()
        .map(|e| {
            let label = capitalised(&e.label);
            let detail = detail_text(&e.detail, m);
            match e.kind.effect() {
                Effect::Raises => ["▲".to_string(), m.strong(&label), detail],
                Effect::Lowers => ["▼".to_string(), m.label(&label), detail],
                Effect::Neutral => [String::new(), m.label(&label), detail],
            }
        })
        .collect();
    exposure.extend(expiry_rows);
    let open = diff.open_counts.iter().any(|(a, b)| a != b).then(|| {
        let side = |after: bool| {
            SEVERITIES_DESC.map(|s| {
                let (a, b) = diff.open_count(s);
                if after {
                    b
                } else {
                    a
                }
            })
        };
        [side(false), side(true)]
    });
    Summary {
        verdict,
        changed,
        exposure_shown: !exposure.is_empty() || open.is_some(),
        exposure,
        open,
        counts,
    }
}

/// What a comment can say beyond the diff itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// OLD and NEW, for the picture of the changed neighbourhood.
    pub models: Option<(&'a Model, &'a Model)>,
    /// The day the comment is written, for acceptances that have expired
    /// or expire within [`EXPIRING_DAYS`] days in NEW.
    pub today: Option<Date>,
}

/// An acceptance that ends within this many days is "expiring".
pub const EXPIRING_DAYS: i64 = 30;

/// A diff's comment in parts, so that a comment on several models can cut
/// the same parts of each to fit GitHub's size limit: the details first,
/// then the pictures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// One line: the headline and what matters most.
    pub verdict: String,
    /// Whether anything changed.
    pub changed: bool,
    /// The versions compared, counts, the exposure table.
    pub body: String,
    /// The changed neighbourhood (a Mermaid fence and its caption), or a
    /// line saying why there is none.
    pub picture: String,
    /// The fields of every change, folded in `<details>` blocks.
    pub details: String,
}

/// How much of a comment is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cut {
    Nothing,
    Details,
    Pictures,
    /// Only the verdicts are left.
    Bodies,
}

impl Parts {
    /// The parts as Markdown, with what `cut` leaves out said where it
    /// would have been.
    pub fn write(&self, cut: Cut) -> String {
        let mut out = format!("{}\n", self.verdict);
        if cut >= Cut::Bodies {
            if self.changed {
                out.push_str(
                    "\n*The rest is too long for a comment; run `tmd diff` locally to see it.*\n",
                );
            }
            return out;
        }
        out.push_str(&self.body);
        if !self.picture.is_empty() {
            if cut >= Cut::Pictures {
                out.push_str("\n*The diagram is left out to keep the comment under GitHub's size limit; `tmd diff --svg` draws it.*\n");
            } else {
                out.push_str(&self.picture);
            }
        }
        if !self.details.is_empty() {
            if cut >= Cut::Details {
                out.push_str(
                    "\n*The details are too long for a comment; run `tmd diff` locally to see them.*\n",
                );
            } else {
                out.push_str(&self.details);
            }
        }
        out
    }

    /// The parts as Markdown in at most `limit` bytes: the details left
    /// out first, then the picture, then the body's last lines (the rows
    /// of its tables, least important last), each cut said.
    pub fn fit(&self, limit: usize) -> String {
        for cut in [Cut::Nothing, Cut::Details, Cut::Pictures] {
            let out = self.write(cut);
            if out.len() <= limit {
                return out;
            }
        }
        let note = |n: usize| {
            format!(
                "\n*{} more {} left out to keep the comment under GitHub's size limit; run `tmd diff` locally to see them.*\n",
                n,
                if n == 1 { "line is" } else { "lines are" }
            )
        };
        let mut shorter = Parts {
            picture: String::new(),
            details: String::new(),
            ..self.clone()
        };
        let lines: Vec<&str> = self.body.lines().collect();
        let room = limit.saturating_sub(self.verdict.len() + note(lines.len()).len() + 1);
        let mut kept = 0;
        let mut size = 0;
        for line in &lines {
            if size + line.len() + 1 > room {
                break;
            }
            size += line.len() + 1;
            kept += 1;
        }
        let mut body: String = lines.iter().take(kept).map(|l| format!("{l}\n")).collect();
        body.push_str(&note(lines.len() - kept));
        shorter.body = body;
        shorter.write(Cut::Pictures)
    }
}

/// The diff as a pull-request comment (no picture: see [`markdown_with`]).
pub fn markdown(diff: &Diff, old_name: &str, new_name: &str) -> String {
    markdown_with(diff, old_name, new_name, &Context::default())
}

/// The diff as a pull-request comment, with the changed neighbourhood
/// drawn when `context` has the models.
pub fn markdown_with(diff: &Diff, old_name: &str, new_name: &str, context: &Context) -> String {
    parts(diff, old_name, new_name, context).fit(MAX_LEN)
}

/// Acceptances of NEW that have expired or expire soon, as verdict
/// phrases and exposure rows.
fn acceptances(context: &Context, m: &dyn Markup) -> (Vec<String>, Vec<[String; 3]>) {
    let (Some((_, new)), Some(today)) = (context.models, context.today) else {
        return (Vec::new(), Vec::new());
    };
    let mut expired = 0;
    let mut expiring = 0;
    let mut rows = Vec::new();
    for t in new.threat_ids() {
        let th = &new[t];
        let (Status::Accepted, Some(expires)) = (th.status, th.tracking.expires) else {
            continue;
        };
        if new.threat_out_of_scope(th) {
            continue;
        }
        let left = expires.day_number() - today.day_number();
        if left < 0 {
            expired += 1;
            rows.push([
                "▲".to_string(),
                m.strong("Acceptance expired"),
                format!("{} expired on {expires}", m.id(&th.name)),
            ]);
        } else if left <= EXPIRING_DAYS {
            expiring += 1;
            rows.push([
                String::new(),
                m.label("Acceptance expiring"),
                format!(
                    "{} expires on {expires} ({})",
                    m.id(&th.name),
                    plural(left as usize, "day left", "days left")
                ),
            ]);
        }
    }
    let mut phrases = Vec::new();
    if expired > 0 {
        phrases.push(plural(expired, "acceptance expired", "acceptances expired"));
    }
    if expiring > 0 {
        phrases.push(format!(
            "{} within {EXPIRING_DAYS} days",
            plural(expiring, "acceptance expiring", "acceptances expiring")
        ));
    }
    (phrases, rows)
}

/// The diff's comment in parts.
pub fn parts(diff: &Diff, old_name: &str, new_name: &str, context: &Context) -> Parts {
    let Summary {
        verdict,
        changed,
        counts,
        exposure,
        exposure_shown,
        open,
    } = summary(diff, context, &Md);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n<sub>{} → {}</sub>",
        md_text(old_name),
        md_text(new_name)
    );
    if !changed {
        if exposure_shown {
            exposure_table(&mut out, &exposure);
        }
        return Parts {
            verdict,
            changed,
            body: out,
            ..Parts::default()
        };
    }

    // Counts.
    out.push_str("\n| | added | removed | changed |\n| --- | ---: | ---: | ---: |\n");
    let n = |x: usize| if x == 0 { String::new() } else { x.to_string() };
    for (title, a, r, c) in counts {
        let _ = writeln!(out, "| {title} | {} | {} | {} |", n(a), n(r), n(c));
    }

    if exposure_shown {
        exposure_table(&mut out, &exposure);
        if let Some(open) = open {
            out.push_str(
                "\n| open threats | high | medium | low |\n| --- | ---: | ---: | ---: |\n",
            );
            for (label, cells) in ["before", "after"].into_iter().zip(open) {
                let cells: Vec<String> = cells.iter().map(usize::to_string).collect();
                let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
            }
        }
    }

    let picture = match context.models {
        Some((old, new)) => picture(old, new, diff),
        None => String::new(),
    };

    let mut details = String::new();
    if !diff.header.is_empty() {
        let _ = write!(
            details,
            "\n<details>\n<summary><b>Header</b>: {}</summary>\n\n| field | before | after |\n| --- | --- | --- |\n",
            plural(diff.header.len(), "field changed", "fields changed")
        );
        for f in &diff.header {
            let _ = writeln!(
                details,
                "| {} | {} | {} |",
                f.field,
                value(f.old.as_ref()),
                value(f.new.as_ref())
            );
        }
        details.push_str("\n</details>\n");
    }
    for section in Section::ALL {
        let entries = diff.entries(section);
        if entries.is_empty() {
            continue;
        }
        let counts: Vec<String> = [Change::Added, Change::Removed, Change::Changed]
            .into_iter()
            .filter_map(|c| {
                let k = diff.count(section, c);
                (k > 0).then(|| format!("{k} {}", c.as_str()))
            })
            .collect();
        let _ = write!(
            details,
            "\n<details>\n<summary><b>{}</b>: {}</summary>\n\n| {} | change | field | before | after |\n| --- | --- | --- | --- | --- |\n",
            section.title(),
            counts.join(", "),
            section.noun()
        );
        for e in entries {
            let mut first = true;
            let row =
                |details: &mut String, field: &str, old: String, new: String, first: &mut bool| {
                    let (id, change) = if *first {
                        let was = e
                            .old_id
                            .as_deref()
                            .map(|o| format!(" (was {})", code(o)))
                            .unwrap_or_default();
                        (format!("{}{was}", code(&e.id)), e.change.as_str())
                    } else {
                        (String::new(), "")
                    };
                    *first = false;
                    let _ = writeln!(details, "| {id} | {change} | {field} | {old} | {new} |");
                };
            let shown = e.fields.iter().filter(|f| {
                // An added or removed element that is in scope: no need to say so.
                e.change == Change::Changed
                    || !(f.field == "out_of_scope"
                        && f.old.as_ref().or(f.new.as_ref()) == Some(&Value::Bool(false)))
            });
            for f in shown {
                let (old, new) = match e.change {
                    Change::Changed => (
                        field_value(&f.field, f.old.as_ref()),
                        field_value(&f.field, f.new.as_ref()),
                    ),
                    Change::Added => (String::new(), value(f.new.as_ref())),
                    Change::Removed => (value(f.old.as_ref()), String::new()),
                };
                row(&mut details, &md_text(&f.field), old, new, &mut first);
            }
            if first {
                // Matched under another ID with nothing else changed.
                row(
                    &mut details,
                    "id",
                    code(e.old_id.as_deref().unwrap_or("")),
                    code(&e.id),
                    &mut first,
                );
            }
        }
        details.push_str("\n</details>\n");
    }
    Parts {
        verdict,
        changed,
        body: out,
        picture,
        details,
    }
}

/// The changed neighbourhood as a Mermaid fence with a caption.
fn picture(old: &Model, new: &Model, diff: &Diff) -> String {
    use super::neighbourhood::{neighbourhood, Picture};
    match neighbourhood(old, new, diff) {
        Picture::Unchanged => "\n*No change to the diagram.*\n".to_string(),
        Picture::TooBig { elements } => format!(
            "\n*The changed neighbourhood ({}) is too big to draw in a comment; `tmd diff --svg` draws it.*\n",
            plural(elements, "element", "elements")
        ),
        Picture::Drawn(n) => {
            let mut out = String::from("\n#### Changed neighbourhood\n\n```mermaid\n");
            out.push_str(&n.mermaid);
            out.push_str("```\n\n<sub>");
            if n.is_partial() {
                let _ = write!(
                    out,
                    "The changes and their direct neighbours: {} of {} and {} of {}; a dotted box stands for the flows left out. ",
                    n.elements.0,
                    plural(n.elements.1, "element", "elements"),
                    n.flows.0,
                    plural(n.flows.1, "flow", "flows"),
                );
            }
            out.push_str("Green: added, amber: changed, grey and dashed: removed; red arrows: reversed-initiator flows.</sub>\n");
            out
        }
    }
}
/// An exposure line's detail, spelled by `m`.
fn detail_text(list: &[Part], m: &dyn Markup) -> String {
    list.iter()
        .map(|part| match part {
            Part::Id(s) => m.id(s),
            Part::Text(s) => m.quoted(s),
            Part::Plain(s) => m.plain(s),
            Part::Stride(letters) => m.plain(&self::letters(*letters)),
        })
        .collect()
}

/// "Severity raised": the label with a capital.
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The exposure changes as a table: ▲ raises the exposure, ▼ lowers it.
fn exposure_table(out: &mut String, rows: &[[String; 3]]) {
    out.push_str("\n#### Exposure\n\n");
    if rows.is_empty() {
        return;
    }
    out.push_str("| | change | where |\n| --- | --- | --- |\n");
    for [effect, label, detail] in rows {
        let _ = writeln!(out, "| {effect} | {label} | {detail} |");
    }
}

/// A few letters with their names ("S (Spoofing), T (Tampering)"); more
/// than two as letters only ("S T R I D E").
fn letters(stride: Stride) -> String {
    if stride.letters().count() > 2 {
        return stride
            .letters()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ");
    }
    stride
        .letters()
        .map(|l| format!("{l} ({})", Stride::name(l)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(md_text("a|b"), "a\\|b");
        assert_eq!(md_text("<script>"), "&lt;script&gt;");
        assert_eq!(md_text("`x`"), "\\`x\\`");
        assert_eq!(md_text("one\ntwo"), "one<br>two");
        assert_eq!(md_text("@team"), "@&#8203;team");
        assert_eq!(md_text("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(md_text("a\u{202E}b"), "a&lt;U+202E&gt;b");
        assert_eq!(md_text("$x$ **b**"), "\\$x\\$ \\*\\*b\\*\\*");
    }

    #[test]
    fn a_body_too_long_is_cut_at_a_line_and_says_so() {
        let parts = Parts {
            verdict: "**v**".into(),
            changed: true,
            body: (0..5000).map(|i| format!("| row {i} |\n")).collect(),
            picture: "\n```mermaid\nx\n```\n".into(),
            details: "d".repeat(100),
        };
        let out = parts.fit(10_000);
        assert!(out.len() <= 10_000, "{}", out.len());
        assert!(out.starts_with("**v**\n| row 0 |\n"), "{out}");
        assert!(out.contains("more lines are left out"), "{out}");
        assert!(!out.contains("mermaid") && !out.contains("ddd"));
        // Every line kept is whole.
        assert!(out
            .lines()
            .all(|l| !l.starts_with("| row") || l.ends_with(" |")));
    }

    #[test]
    fn ids_are_code_spans() {
        assert_eq!(code("a->b#2"), "`a->b#2`");
        assert_eq!(code("x`y"), "x\\`y");
    }
}
