//! Unused suppression: a `# tmd: allow CODE` comment that silenced nothing.
//!
//! ## What it finds
//! A suppression comment (at the end of a statement's first line, or
//! alone on the line above a statement) naming a code that the statement
//! does not draw, or a suppression attached to no statement at all.
//!
//! ## Why it matters
//! Stale suppressions hide future warnings for no reason and mislead the
//! reader into thinking a problem exists. Remove them once the cause is
//! fixed.
//!
//! ## Example
//! ```tmd
//! external user "User"   # tmd: allow TMD103
//! process api "API"
//! flow user -> api "Request"   # `user` has flows: nothing to silence
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Delete the suppression, or correct its code if it meant another warning
//! of the same statement:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD112";

pub fn diagnostic(span: Span, code: &str, attached: bool) -> Diagnostic {
    let (message, help) = if attached {
        (
            format!("suppression of `{code}` silenced nothing"),
            "remove it: the statement does not draw this warning".to_string(),
        )
    } else {
        (
            format!("suppression of `{code}` is not attached to a statement"),
            "put `# tmd: allow CODE` at the end of the statement's first line, or alone on the line just above it".to_string(),
        )
    };
    Diagnostic::warning(CODE, span, message)
        .with_label("unused suppression")
        .with_help(help)
}
