//! `tmd fmt`: prints a syntax tree back in the one canonical layout.
//!
//! A pure function of the tree (and of the source's line ends): it never
//! reorders statements or entries, never drops a comment, and never changes
//! what the file means. The layout rules are documented in `docs/fmt.md`;
//! in short:
//!
//! - two spaces of indentation a level; one space between tokens, `->` and
//!   `,` surrounded as in `a -> b`, `{ k: v, k2: v2 }`;
//! - runs of blank lines collapse to one; none at the start or end of the
//!   file or of a block;
//! - consecutive header statements align their values (`direction` does
//!   not widen the column); consecutive element declarations align their
//!   identifiers after the kind keyword (`store   db`);
//! - an attribute block stays on one line when the line fits in
//!   [`MAX_WIDTH`] columns and the block holds no comment and no blank
//!   line; otherwise one entry a line, values aligned. Threat bodies are
//!   always one entry a line;
//! - STRIDE letters in S-T-R-I-D-E order; strings re-escaped canonically
//!   (see [`escape`]);
//! - end-of-line comments on consecutive lines of one block align;
//!   a comment's trailing white space is dropped;
//! - the file ends in one line end; line ends are `\n`, or `\r\n` when the
//!   source's first line end is `\r\n`.

pub mod escape;
pub mod verify;

use crate::model::values::Stride;
use crate::syntax::ast::{
    Block, BlockItem, Comment, File, HeaderKey, Item, Statement, StatementKind, Str, ThreatTarget,
    Value,
};

pub use escape::quote;

/// The widest a one-line attribute block's line may be, in characters.
pub const MAX_WIDTH: usize = 100;

/// Two spaces a level.
const INDENT: usize = 2;

/// Formats `file`, the tree parsed from `source`.
pub fn format(file: &File, source: &str) -> String {
    let mut printer = Printer::default();
    printer.items(&file.items, 0);
    let newline = if first_line_end_is_crlf(source) {
        "\r\n"
    } else {
        "\n"
    };
    printer.finish(newline)
}

fn first_line_end_is_crlf(source: &str) -> bool {
    source
        .find('\n')
        .is_some_and(|i| i > 0 && source.as_bytes().get(i - 1) == Some(&b'\r'))
}

/// One output line before end-of-line comments are aligned.
#[derive(Debug)]
struct Line {
    level: usize,
    /// Empty for a blank line or a comment alone on its line.
    code: String,
    /// The comment's text after `#`.
    comment: Option<String>,
    /// Lines next to each other with the same run align their comments.
    run: usize,
}

#[derive(Default)]
struct Printer {
    lines: Vec<Line>,
    runs: usize,
}

/// What a column of a run of statements is aligned on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Header,
    Element,
}

impl Printer {
    fn new_run(&mut self) -> usize {
        self.runs += 1;
        self.runs
    }

    fn push(&mut self, level: usize, code: String, comment: Option<&Comment>, run: usize) {
        self.lines.push(Line {
            level,
            code,
            comment: comment.map(comment_text),
            run,
        });
    }

    fn blank(&mut self) {
        let run = self.new_run();
        self.lines.push(Line {
            level: 0,
            code: String::new(),
            comment: None,
            run,
        });
    }

    /// The items of the file or of a boundary's body.
    fn items(&mut self, items: &[Item], level: usize) {
        let widths = column_widths(items);
        let mut started = false;
        let mut blank = false;
        let mut run = self.new_run();
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Blank => blank = started,
                Item::Comment(c) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    let own = self.new_run();
                    self.push(level, String::new(), Some(c), own);
                    run = self.new_run();
                    started = true;
                }
                Item::Statement(s) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                        run = self.new_run();
                    }
                    let before = self.lines.len();
                    let width = widths.get(i).copied().unwrap_or(0);
                    self.statement(s, level, width, run);
                    // Only one-line statements with a comment continue a run.
                    let one_line_with_comment = self.lines.len() == before + 1
                        && self.lines.last().is_some_and(|l| l.comment.is_some());
                    if !one_line_with_comment {
                        run = self.new_run();
                    }
                    started = true;
                }
            }
        }
    }

    fn statement(&mut self, s: &Statement, level: usize, width: usize, run: usize) {
        let comment = s.comment.as_ref();
        match &s.kind {
            StatementKind::Header(h) => {
                let code = format!("{:<width$} {}", h.key.as_str(), value(&h.value, false));
                self.push(level, code, comment, run);
            }
            StatementKind::Element(e) => {
                let head = format!(
                    "{:<width$} {}{}",
                    e.kind.as_str(),
                    e.id.text,
                    label(e.label.as_ref())
                );
                self.with_block(level, head, e.attributes.as_ref(), comment, false, run);
            }
            StatementKind::Boundary(b) => {
                let head = format!("boundary {}{}", b.id.text, label(b.label.as_ref()));
                let empty = b.items.iter().all(|i| matches!(i, Item::Blank));
                if empty && b.close_comment.is_none() {
                    self.push(level, format!("{head} {{}}"), comment, run);
                    return;
                }
                let own = self.new_run();
                self.push(level, format!("{head} {{"), comment, own);
                self.items(&b.items, level + 1);
                let own = self.new_run();
                self.push(level, "}".to_string(), b.close_comment.as_ref(), own);
            }
            StatementKind::Flow(f) => {
                let id =
                    f.id.as_ref()
                        .map(|id| format!("{}: ", id.text))
                        .unwrap_or_default();
                let head = format!(
                    "flow {id}{} -> {}{}",
                    f.source.text,
                    f.target.text,
                    label(f.label.as_ref())
                );
                self.with_block(level, head, f.attributes.as_ref(), comment, false, run);
            }
            StatementKind::Actor(a) => {
                let head = format!("actor {}{}", a.id.text, label(a.label.as_ref()));
                self.with_block(level, head, a.attributes.as_ref(), comment, false, run);
            }
            StatementKind::Threat(t) => {
                let targets: Vec<String> = t
                    .targets
                    .iter()
                    .map(|target| match target {
                        ThreatTarget::Name(name) => name.text.clone(),
                        ThreatTarget::Flow { source, target } => {
                            format!("{} -> {}", source.text, target.text)
                        }
                    })
                    .collect();
                let on = if targets.is_empty() {
                    String::new()
                } else {
                    format!(" on {}", targets.join(", "))
                };
                let head = format!("threat {}{}{on}", t.id.text, label(t.title.as_ref()));
                self.with_block(level, head, Some(&t.body), comment, true, run);
            }
        }
    }

    /// A statement that may end in a block. `comment` is the statement's
    /// own: after the block's `}` (which, for a one-line block, is the end
    /// of the first line).
    fn with_block(
        &mut self,
        level: usize,
        head: String,
        block: Option<&Block>,
        comment: Option<&Comment>,
        threat: bool,
        run: usize,
    ) {
        let Some(block) = block else {
            self.push(level, head, comment, run);
            return;
        };
        // The comment on the statement's first line stays there, so that a
        // `# tmd: allow` keeps applying to the statement; one after a
        // multi-line block's `}` stays after it.
        let (first_comment, close_comment) = if block.multiline {
            (block.open_comment.as_ref(), comment)
        } else {
            (comment, None)
        };
        let has_comment = block.open_comment.is_some()
            || block.items.iter().any(|i| match i {
                BlockItem::Comment(_) => true,
                BlockItem::Entry(e) => e.comment.is_some(),
                BlockItem::Blank => false,
            });
        let has_entries = block.entries().next().is_some();
        if !threat && !has_comment && !has_entries && close_comment.is_none() {
            self.push(level, format!("{head} {{}}"), first_comment, run);
            return;
        }
        let multiline =
            threat || has_comment || has_inner_blank(&block.items) || close_comment.is_some();
        if !multiline {
            let entries: Vec<String> = block
                .entries()
                .map(|e| format!("{}: {}", e.key.text, value(&e.value, false)))
                .collect();
            let line = format!("{head} {{ {} }}", entries.join(", "));
            if level * INDENT + line.chars().count() <= MAX_WIDTH {
                self.push(level, line, first_comment, run);
                return;
            }
        }
        let own = self.new_run();
        self.push(level, format!("{head} {{"), first_comment, own);
        self.block_body(block, level + 1, threat);
        let own = self.new_run();
        self.push(level, "}".to_string(), close_comment, own);
    }

    /// The lines of a multi-line block: one entry a line, values aligned.
    fn block_body(&mut self, block: &Block, level: usize, threat: bool) {
        let key_width = block
            .entries()
            .map(|e| e.key.text.chars().count() + 1)
            .max()
            .unwrap_or(0);
        let mut started = false;
        let mut blank = false;
        let mut run = self.new_run();
        for item in &block.items {
            match item {
                BlockItem::Blank => blank = started,
                BlockItem::Comment(c) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    let own = self.new_run();
                    self.push(level, String::new(), Some(c), own);
                    run = self.new_run();
                    started = true;
                }
                BlockItem::Entry(e) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                        run = self.new_run();
                    }
                    let stride = threat && e.key.text == "stride";
                    let key = format!("{}:", e.key.text);
                    let code = format!("{key:<key_width$} {}", value(&e.value, stride));
                    self.push(level, code, e.comment.as_ref(), run);
                    if e.comment.is_none() {
                        run = self.new_run();
                    }
                    started = true;
                }
            }
        }
    }

    /// Aligns end-of-line comments and joins the lines.
    fn finish(self, newline: &str) -> String {
        let mut widths = vec![0usize; self.lines.len()];
        let mut start = 0;
        while start < self.lines.len() {
            let aligned = |l: &Line| l.comment.is_some() && !l.code.is_empty();
            let Some(first) = self.lines.get(start) else {
                break;
            };
            if !aligned(first) {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while self
                .lines
                .get(end)
                .is_some_and(|l| aligned(l) && l.run == first.run)
            {
                end += 1;
            }
            let width = self
                .lines
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .map(code_width)
                .max()
                .unwrap_or(0);
            for w in widths.iter_mut().take(end).skip(start) {
                *w = width;
            }
            start = end;
        }
        let mut out = String::new();
        for (line, width) in self.lines.iter().zip(widths) {
            let indent = " ".repeat(line.level * INDENT);
            match (&line.code, &line.comment) {
                (code, None) if code.is_empty() => {}
                (code, None) => {
                    out.push_str(&indent);
                    out.push_str(code);
                }
                (code, Some(comment)) if code.is_empty() => {
                    out.push_str(&indent);
                    out.push('#');
                    out.push_str(comment);
                }
                (code, Some(comment)) => {
                    out.push_str(&indent);
                    out.push_str(code);
                    let pad = width.saturating_sub(code_width(line)) + 1;
                    out.push_str(&" ".repeat(pad));
                    out.push('#');
                    out.push_str(comment);
                }
            }
            out.push_str(newline);
        }
        out
    }
}

fn code_width(line: &Line) -> usize {
    line.level * INDENT + line.code.chars().count()
}

/// A comment's text after `#`, without trailing white space.
fn comment_text(comment: &Comment) -> String {
    comment.text.trim_end_matches([' ', '\t']).to_string()
}

/// Per item, the width its keyword is padded to: header keywords across a
/// run of header statements (`direction` takes part but does not widen the
/// column), element kinds across a run of element declarations. A run is
/// broken by a blank line or a statement of another sort; comment lines do
/// not break it.
fn column_widths(items: &[Item]) -> Vec<usize> {
    let mut widths = vec![0usize; items.len()];
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut column = None;
    let close = |run: &mut Vec<(usize, usize)>, widths: &mut Vec<usize>| {
        let width = run.iter().map(|&(_, w)| w).max().unwrap_or(0);
        for (i, _) in run.drain(..) {
            if let Some(w) = widths.get_mut(i) {
                *w = width;
            }
        }
    };
    for (i, item) in items.iter().enumerate() {
        let this = match item {
            Item::Comment(_) => continue,
            Item::Blank => None,
            Item::Statement(s) => match &s.kind {
                StatementKind::Header(h) => {
                    let w = if h.key == HeaderKey::Direction {
                        0
                    } else {
                        h.key.as_str().len()
                    };
                    Some((Column::Header, w))
                }
                StatementKind::Element(e) => Some((Column::Element, e.kind.as_str().len())),
                _ => None,
            },
        };
        if this.map(|t| t.0) != column {
            close(&mut run, &mut widths);
        }
        column = this.map(|t| t.0);
        if let Some((_, w)) = this {
            run.push((i, w));
        }
    }
    close(&mut run, &mut widths);
    widths
}

/// A blank line between two other items of a block.
fn has_inner_blank(items: &[BlockItem]) -> bool {
    let first = items.iter().position(|i| !matches!(i, BlockItem::Blank));
    let last = items.iter().rposition(|i| !matches!(i, BlockItem::Blank));
    match (first, last) {
        (Some(f), Some(l)) => items
            .get(f..l)
            .is_some_and(|inner| inner.iter().any(|i| matches!(i, BlockItem::Blank))),
        _ => false,
    }
}

fn label(label: Option<&Str>) -> String {
    label
        .map(|s| format!(" {}", quote(&s.value)))
        .unwrap_or_default()
}

/// A value in canonical form; `stride` puts STRIDE letters in order.
fn value(v: &Value, stride: bool) -> String {
    match v {
        Value::Str(s) => quote(&s.value),
        Value::Bool(b, _) => b.to_string(),
        Value::Int(digits, _) | Value::Date(digits, _) => digits.clone(),
        Value::Word(word, _) if stride => stride_order(word),
        Value::Word(word, _) => word.clone(),
        Value::List(items, _) => {
            let items: Vec<String> = items.iter().map(|i| value(i, false)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// STRIDE letters in S-T-R-I-D-E order, when the word is a set of them
/// (each letter once); anything else as written.
fn stride_order(word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    let valid = letters.iter().all(|&c| Stride::is_letter(c))
        && letters
            .iter()
            .enumerate()
            .all(|(i, c)| !letters.get(..i).is_some_and(|before| before.contains(c)));
    if !valid {
        return word.to_string();
    }
    Stride::LETTERS
        .iter()
        .filter(|l| letters.contains(l))
        .collect()
}

#[cfg(test)]
mod tests;
