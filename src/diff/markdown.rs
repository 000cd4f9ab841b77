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

/// The diff as a pull-request comment.
pub fn markdown(diff: &Diff, old_name: &str, new_name: &str) -> String {
    let mut out = String::new();
    let highlights = highlights(diff, &|id| code(id));
    let headline = headline(diff);
    if diff.change_count() == 0 {
        let _ = writeln!(
            out,
            "**{headline}** (formatting and statement order are ignored)."
        );
    } else if highlights.is_empty() {
        let _ = writeln!(out, "**{headline}**: {}.", stats(diff).join(", "));
    } else {
        let _ = writeln!(out, "**{headline}**: {}.", highlights.join(", "));
    }
    let _ = writeln!(
        out,
        "\n<sub>{} → {}</sub>",
        md_text(old_name),
        md_text(new_name)
    );
    if diff.change_count() == 0 {
        return out;
    }

    // Counts.
    out.push_str("\n| | added | removed | changed |\n| --- | ---: | ---: | ---: |\n");
    let n = |x: usize| if x == 0 { String::new() } else { x.to_string() };
    for section in Section::ALL {
        let (a, r, c) = (
            diff.count(section, Change::Added),
            diff.count(section, Change::Removed),
            diff.count(section, Change::Changed),
        );
        if a + r + c > 0 {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                section.title(),
                n(a),
                n(r),
                n(c)
            );
        }
    }
    if !diff.header.is_empty() {
        let _ = writeln!(out, "| Header fields |  |  | {} |", diff.header.len());
    }

    exposure(&mut out, diff);

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
    if out.len() + details.len() > MAX_LEN {
        out.push_str(
            "\n*The details are too long for a comment; run `tmd diff` locally to see them.*\n",
        );
    } else {
        out.push_str(&details);
    }
    out
}

/// An exposure line's detail in Markdown.
fn parts(list: &[Part]) -> String {
    list.iter()
        .map(|part| match part {
            Part::Id(s) => code(s),
            Part::Text(s) => quoted(s),
            Part::Plain(s) => md_text(s),
            Part::Stride(letters) => self::letters(*letters),
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

fn exposure(out: &mut String, diff: &Diff) {
    // What raises the exposure in bold, so that it stands out in a review.
    let lines: Vec<String> = diff
        .exposure()
        .iter()
        .map(|e| {
            let label = capitalised(&e.label);
            match e.kind.effect() {
                Effect::Raises => format!("**{label}**: {}", parts(&e.detail)),
                _ => format!("{label}: {}", parts(&e.detail)),
            }
        })
        .collect();
    let counts_changed = diff.open_counts.iter().any(|(a, b)| a != b);
    if lines.is_empty() && !counts_changed {
        return;
    }
    out.push_str("\n#### Exposure\n\n");
    for line in &lines {
        let _ = writeln!(out, "- {line}");
    }
    if counts_changed {
        out.push_str("\n| open threats | high | medium | low |\n| --- | ---: | ---: | ---: |\n");
        for (label, after) in [("before", false), ("after", true)] {
            let cells: Vec<String> = SEVERITIES_DESC
                .iter()
                .map(|&s| {
                    let (a, b) = diff.open_count(s);
                    (if after { b } else { a }).to_string()
                })
                .collect();
            let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
        }
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
    fn ids_are_code_spans() {
        assert_eq!(code("a->b#2"), "`a->b#2`");
        assert_eq!(code("x`y"), "x\\`y");
    }
}
