//! Given twice: an attribute key, threat field, STRIDE letter, threat
//! target or control repeated.
//!
//! ## What it finds
//! The same key twice in one attribute block or threat body, the same
//! letter twice in a `stride:` value (`stride: DD`), the same target
//! twice in a threat's `on` list (`on api, api`), and since language 0.2
//! the same control twice in a threat's `controls` (`controls: [C1, C1]`),
//! the same asset twice in `assets:`, the same level twice in the
//! `classification` header, the same name twice in an assumption's `for`
//! (`for: [T1, T1]`), and in a `scale` declaration a level listed twice for
//! one axis or a severity listed twice.
//!
//! ## Why it matters
//! Two values for one key contradict each other; tmd does not pick one
//! silently. The first is kept, the second reported.
//!
//! ## Example
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Sync" { encrypted: true, encrypted: false }
//! flow b -> a "Ack"
//! ```
//! The same goes for a threat field given twice, and for `stride: DD`.
//!
//! ## How to fix
//! Keep the one value that is true, and delete the other:
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Sync" { encrypted: true }
//! flow b -> a "Ack"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD010";

pub fn key(span: Span, key: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{key}` is given twice"))
        .with_label("given again here")
        .with_secondary(first, "first given here")
}

/// A name or word twice in one list (`assets: [card, card]`, a
/// classification level).
pub fn item(span: Span, what: &str, name: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("{what} `{name}` is given twice"))
        .with_label("again")
        .with_secondary(first, "first here")
}

pub fn letter(span: Span, letter: char, first: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("STRIDE letter `{letter}` is given twice"),
    )
    .with_label("again")
    .with_secondary(first, "first here")
}

pub fn target(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("threat target `{name}` is given twice"))
        .with_label("again")
        .with_secondary(first, "first here")
}

/// A control named twice in one threat's `controls`.
pub fn control(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("control `{name}` is given twice"))
        .with_label("again")
        .with_secondary(first, "first here")
}

/// A name given twice in a list of names (`for: [T1, T1]`).
pub fn in_list(span: Span, name: &str, key: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{name}` is given twice in `{key}`"))
        .with_label("again")
        .with_secondary(first, "first here")
}

/// A level of a scale's axis, or one of its severities, listed twice.
pub fn word(span: Span, key: &str, word: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{word}` is listed twice in `{key}`"))
        .with_label("again")
        .with_secondary(first, "first here")
        .with_help("every level of an axis, and every severity of a scale, is listed once")
}
