//! The diff for a terminal: a headline, counts per section (like
//! `git diff --stat`), the exposure changes, then the details per entry.
//! Colour only when asked (the CLI asks on a terminal without NO_COLOR).

use std::fmt::Write as _;

use super::*;
use crate::emit::text::visible;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, s: &str) -> String {
        if self.color {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn change(&self, change: Change) -> &'static str {
        match change {
            Change::Added => GREEN,
            Change::Removed => RED,
            Change::Changed => YELLOW,
        }
    }
}

/// A user string for a terminal: bidi controls made visible, control
/// characters escaped, quoted.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in visible(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An identifier or word (never holds a control character, but stay safe).
fn plain(s: &str) -> String {
    visible(s)
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn value(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(Value::Text(s)) => quote(s),
        Some(Value::Id(s) | Value::Word(s) | Value::Int(s)) => plain(s),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::List(items)) => {
            let items: Vec<String> = items.iter().map(|i| value(Some(i))).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A field's value; an absent `boundary` or `parent` is the top level.
fn field_value(field: &str, v: Option<&Value>) -> String {
    match (field, v) {
        ("boundary" | "parent", None) => "(top level)".to_string(),
        _ => value(v),
    }
}

/// One line describing an added or removed entry.
pub(super) fn summary(entry: &Entry) -> String {
    let get = |f: &str| entry.value(f);
    let mut out = plain(&entry.id);
    match entry.kind {
        "flow" => {
            let (source, target) = (value(get("source")), value(get("target")));
            if entry.id != format!("{source}->{target}")
                && !entry.id.starts_with(&format!("{source}->{target}#"))
            {
                let _ = write!(out, ": {source} -> {target}");
            }
            if let Some(label) = get("label") {
                let _ = write!(out, " {}", value(Some(label)));
            }
            let initiator = value(get("initiator"));
            // A response rides its request's connection (language 0.2).
            if let Some(request) = get("response_to") {
                let _ = write!(out, " (response to {})", value(Some(request)));
            } else if initiator != source {
                let _ = write!(out, " (reversed-initiator: {initiator} opens it)");
            }
        }
        "assumption" => {
            let _ = write!(
                out,
                ": {}, {}",
                value(get("statement")),
                value(get("status"))
            );
        }
        "threat" => {
            let _ = write!(
                out,
                ": {} on {} [{}], {}, {}",
                value(get("title")),
                value(get("target")),
                value(get("stride")),
                value(get("severity")),
                value(get("status"))
            );
        }
        "asset" => {
            let _ = write!(
                out,
                ": asset {} ({})",
                value(get("label")),
                value(get("classification"))
            );
        }
        kind => {
            let _ = write!(out, ": {kind} {}", value(get("label")));
            let place = get("boundary").or(get("parent"));
            if let Some(p) = place {
                let _ = write!(out, " in {}", value(Some(p)));
            }
            if matches!(get("out_of_scope"), Some(Value::Bool(true))) {
                out.push_str(" (out of scope)");
            }
        }
    }
    out
}

/// The diff as text for a terminal; `color` adds ANSI colours.
pub fn text(diff: &Diff, old_name: &str, new_name: &str, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.paint(
            BOLD,
            &format!("tmd diff {} {}", plain(old_name), plain(new_name))
        )
    );
    let highlights = highlights(diff, &|id| plain(id));
    let headline = headline(diff);
    if diff.change_count() == 0 {
        let _ = writeln!(
            out,
            "{headline} (formatting and statement order are ignored)"
        );
    } else if highlights.is_empty() {
        let _ = writeln!(out, "{headline}: {}", stats(diff).join(", "));
    } else {
        let _ = writeln!(out, "{headline}: {}", highlights.join(", "));
    }
    if diff.change_count() == 0 {
        return out;
    }

    // --stat
    out.push('\n');
    for section in Section::ALL {
        let parts: Vec<String> = [Change::Added, Change::Removed, Change::Changed]
            .into_iter()
            .filter_map(|c| {
                let n = diff.count(section, c);
                (n > 0).then(|| p.paint(p.change(c), &format!("{n} {}", c.as_str())))
            })
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, " {:<11} {}", section.as_str(), parts.join(", "));
        }
    }
    if !diff.header.is_empty() {
        let _ = writeln!(
            out,
            " {:<11} {}",
            "header",
            p.paint(YELLOW, &format!("{} changed", diff.header.len()))
        );
    }

    exposure(&mut out, diff, &p);

    if !diff.header.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(BOLD, "Header:"));
        for f in &diff.header {
            let _ = writeln!(
                out,
                "  {} {}: {} → {}",
                p.paint(YELLOW, "~"),
                f.field,
                value(f.old.as_ref()),
                value(f.new.as_ref())
            );
        }
    }
    for section in Section::ALL {
        let entries = diff.entries(section);
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", p.paint(BOLD, &format!("{}:", section.title())));
        for e in entries {
            let sign = p.paint(p.change(e.change), &e.change.sign().to_string());
            match e.change {
                Change::Added | Change::Removed => {
                    let _ = writeln!(out, "  {sign} {}", summary(e));
                }
                Change::Changed => {
                    let was = e
                        .old_id
                        .as_deref()
                        .map(|o| format!(" (was {})", plain(o)))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  {sign} {}{was}", plain(&e.id));
                    for f in &e.fields {
                        let _ = writeln!(
                            out,
                            "      {}: {} → {}",
                            f.field,
                            field_value(&f.field, f.old.as_ref()),
                            field_value(&f.field, f.new.as_ref())
                        );
                    }
                }
            }
        }
    }
    out
}

/// An exposure line's detail for a terminal.
fn parts(list: &[Part]) -> String {
    list.iter()
        .map(|part| match part {
            Part::Id(s) => plain(s),
            Part::Text(s) => quote(s),
            Part::Plain(s) => plain(s),
            Part::Stride(letters) => letters.to_string(),
        })
        .collect()
}

fn exposure(out: &mut String, diff: &Diff, p: &Painter) {
    let lines: Vec<(String, String)> = diff
        .exposure()
        .iter()
        .map(|e| {
            let style = match e.kind.effect() {
                Effect::Raises => RED,
                Effect::Lowers => GREEN,
                Effect::Neutral => CYAN,
            };
            (p.paint(style, &e.label), parts(&e.detail))
        })
        .collect();
    let counts_changed = diff.open_counts.iter().any(|(a, b)| a != b);
    if lines.is_empty() && !counts_changed {
        return;
    }
    let _ = writeln!(out, "\n{}", p.paint(BOLD, "Exposure:"));
    // Pad on the visible width, not on the escape codes.
    let width = lines
        .iter()
        .map(|(w, _)| strip(w).chars().count())
        .max()
        .unwrap_or(0);
    for (what, detail) in &lines {
        let pad = width.saturating_sub(strip(what).chars().count());
        let _ = writeln!(out, "  {what}{}  {detail}", " ".repeat(pad));
    }
    if counts_changed {
        let counts: Vec<String> = SEVERITIES_DESC
            .iter()
            .map(|&s| {
                let (a, b) = diff.open_count(s);
                if a == b {
                    format!("{s} {b}")
                } else {
                    format!("{s} {a} → {b}")
                }
            })
            .collect();
        let _ = writeln!(out, "  open threats: {}", counts.join(", "));
    }
}

/// Removes ANSI colour codes (ours only) to measure a width.
fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
