//! Given twice: an attribute key, threat field, STRIDE letter or threat
//! target repeated.
//!
//! ## What it finds
//! The same key twice in one attribute block or threat body, the same
//! letter twice in a `stride:` value (`stride: DD`), the same target
//! twice in a threat's `on` list (`on api, api`), or (language 0.2) the
//! same name twice in an assumption's `for` (`for: [T1, T1]`).
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

/// A name given twice in a list of names (`for: [T1, T1]`).
pub fn in_list(span: Span, name: &str, key: &str, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{name}` is given twice in `{key}`"))
        .with_label("again")
        .with_secondary(first, "first here")
}
