//! `tmd fmt`: prints a syntax tree back in the one canonical layout.
//!
//! A pure function of the tree (and of the source's line ends): it never
//! reorders statements or entries, never drops a comment, and never changes
//! what the file means. The layout rules are documented in `docs/fmt.md`;
//! in short:
//!
//! - two spaces of indentation a level; one space between tokens, `->` and
//!   `,` surrounded as in `a -> b`, `{ k: v, k2: v2 }`;
//! - nothing is aligned: one space after a keyword, after a `:`, and
//!   before an end-of-line comment. Adding a key or a statement changes
//!   only its own line, so review diffs stay small;
//! - runs of blank lines collapse to one; none at the start or end of the
//!   file or of a block;
//! - an attribute block stays on one line when the line fits in
//!   [`MAX_WIDTH`] columns and the block holds no comment and no blank
//!   line; otherwise one entry a line. Threat bodies are always one entry
//!   a line;
//! - STRIDE letters in S-T-R-I-D-E order; strings re-escaped canonically
//!   (see [`escape`]);
//! - a comment's trailing white space is dropped;
//! - the file ends in one line end; line ends are `\n`, or `\r\n` when the
//!   source's first line end is `\r\n`.

pub mod escape;
pub mod verify;

use crate::model::values::Stride;
use unicode_width::UnicodeWidthStr;

use crate::syntax::ast::{
    Block, BlockItem, Comment, DeclKind, File, Item, Statement, StatementKind, Str, ThreatTarget,
    Value,
};

/// What a block is, for its layout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Attributes: on one line when they fit.
    Attributes,
    /// A threat's body: one entry a line, STRIDE letters in order.
    Threat,
    /// A `scale`'s block: one entry a line, so that its table reads row
    /// by row.
    Table,
}

pub use escape::quote;

/// The widest a one-line attribute block's line may be, in display columns
/// (a CJK character or an emoji counts two, a combining mark none).
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

/// One output line.
#[derive(Debug)]
struct Line {
    level: usize,
    /// Empty for a blank line or a comment alone on its line.
    code: String,
    /// The comment's text after `#`.
    comment: Option<String>,
}

#[derive(Default)]
struct Printer {
    lines: Vec<Line>,
}

impl Printer {
    fn push(&mut self, level: usize, code: String, comment: Option<&Comment>) {
        self.lines.push(Line {
            level,
            code,
            comment: comment.map(comment_text),
        });
    }

    fn blank(&mut self) {
        self.lines.push(Line {
            level: 0,
            code: String::new(),
            comment: None,
        });
    }

    /// The items of the file or of a boundary's body.
    fn items(&mut self, items: &[Item], level: usize) {
        let mut started = false;
        let mut blank = false;
        for item in items {
            match item {
                Item::Blank => blank = started,
                Item::Comment(c) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    self.push(level, String::new(), Some(c));
                    started = true;
                }
                Item::Statement(s) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    self.statement(s, level);
                    started = true;
                }
            }
        }
    }

    fn statement(&mut self, s: &Statement, level: usize) {
        let comment = s.comment.as_ref();
        match &s.kind {
            StatementKind::Header(h) => {
                let code = format!("{} {}", h.key.as_str(), value(&h.value, false));
                self.push(level, code, comment);
            }
            StatementKind::Element(e) => {
                let head = format!(
                    "{} {}{}",
                    e.kind.as_str(),
                    e.id.text,
                    label(e.label.as_ref())
                );
                self.with_block(
                    level,
                    head,
                    e.attributes.as_ref(),
                    comment,
                    Body::Attributes,
                );
            }
            StatementKind::Boundary(b) => {
                let head = format!("boundary {}{}", b.id.text, label(b.label.as_ref()));
                let empty = b.items.iter().all(|i| matches!(i, Item::Blank));
                if empty && b.close_comment.is_none() {
                    self.push(level, format!("{head} {{}}"), comment);
                    return;
                }
                self.push(level, format!("{head} {{"), comment);
                self.items(&b.items, level + 1);
                self.push(level, "}".to_string(), b.close_comment.as_ref());
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
                self.with_block(
                    level,
                    head,
                    f.attributes.as_ref(),
                    comment,
                    Body::Attributes,
                );
            }
            StatementKind::Actor(a) => {
                let head = format!("actor {}{}", a.id.text, label(a.label.as_ref()));
                self.with_block(
                    level,
                    head,
                    a.attributes.as_ref(),
                    comment,
                    Body::Attributes,
                );
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
                self.with_block(level, head, Some(&t.body), comment, Body::Threat);
            }
            StatementKind::Declaration(d) => {
                let head = format!(
                    "{} {}{}",
                    d.kind.as_str(),
                    d.id.text,
                    label(d.label.as_ref())
                );
                let body = match d.kind {
                    DeclKind::Scale => Body::Table,
                    _ => Body::Attributes,
                };
                self.with_block(level, head, d.attributes.as_ref(), comment, body);
            }
            StatementKind::Attribute(e) => {
                let code = format!("{}: {}", e.key.text, value(&e.value, false));
                self.push(level, code, comment);
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
        body: Body,
    ) {
        let threat = body == Body::Threat;
        let Some(block) = block else {
            self.push(level, head, comment);
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
            self.push(level, format!("{head} {{}}"), first_comment);
            return;
        }
        let multiline = body != Body::Attributes
            || has_comment
            || has_inner_blank(&block.items)
            || close_comment.is_some();
        if !multiline {
            let entries: Vec<String> = block
                .entries()
                .map(|e| format!("{}: {}", e.key.text, value(&e.value, false)))
                .collect();
            let line = format!("{head} {{ {} }}", entries.join(", "));
            if level * INDENT + line.width() <= MAX_WIDTH {
                self.push(level, line, first_comment);
                return;
            }
        }
        self.push(level, format!("{head} {{"), first_comment);
        self.block_body(block, level + 1, threat);
        self.push(level, "}".to_string(), close_comment);
    }

    /// The lines of a multi-line block: one entry a line, `key: value`.
    fn block_body(&mut self, block: &Block, level: usize, threat: bool) {
        let mut started = false;
        let mut blank = false;
        for item in &block.items {
            match item {
                BlockItem::Blank => blank = started,
                BlockItem::Comment(c) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    self.push(level, String::new(), Some(c));
                    started = true;
                }
                BlockItem::Entry(e) => {
                    if std::mem::take(&mut blank) {
                        self.blank();
                    }
                    let stride = threat && e.key.text == "stride";
                    let code = format!("{}: {}", e.key.text, value(&e.value, stride));
                    self.push(level, code, e.comment.as_ref());
                    started = true;
                }
            }
        }
    }

    /// Joins the lines; an end-of-line comment is one space after its code.
    fn finish(self, newline: &str) -> String {
        let mut out = String::new();
        for line in &self.lines {
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
                    out.push_str(" #");
                    out.push_str(comment);
                }
            }
            out.push_str(newline);
        }
        out
    }
}

/// A comment's text after `#`, without trailing white space.
fn comment_text(comment: &Comment) -> String {
    comment.text.trim_end_matches([' ', '\t']).to_string()
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
