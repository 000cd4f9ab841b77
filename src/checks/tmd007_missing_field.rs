//! Missing threat field: a required field of a threat is not given.
//!
//! ## What it finds
//! Every threat needs a `scenario` and a severity:
//! `ease` and `impact` together (the severity is then computed from the
//! matrix), or `severity`, or all three. `ease` without `impact` (or the
//! reverse) is missing its pair. (`actor` and `stride` are optional since
//! language 0.2: the table shows them as not given.) Since language 0.2,
//! a data asset needs its `classification`. On another risk scale
//! (language 0.2) the pair is that scale's two axes (`likelihood` and
//! `impact`).
//!
//! A `scale` declaration needs its `rows` and `columns`, the levels of
//! each axis, its `severities`, their `bands`, and a row for every level
//! of its rows axis: a missing part is this error too, pointing at the
//! scale's ID.
//!
//! ## Why it matters
//! A threat without a scenario or a severity cannot be ranked or
//! reviewed, and the threat table would have holes.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process login "Login"
//! flow user -> login "Password"
//! flow login -> user "Session"
//!
//! threat T1 "Brute force" on login {
//!   actor: external_attacker
//!   scenario: "Password guessing against the login endpoint"
//!   stride: S
//!   ease: easy   # `impact` is missing
//! }
//! ```
//!
//! ## How to fix
//! Add the field the message names. For the severity, give `ease` and
//! `impact` (the matrix computes it) or `severity` alone:
//! ```tmd
//! external user "User"
//! process login "Login"
//! flow user -> login "Password"
//! flow login -> user "Session"
//!
//! threat T1 "Brute force" on login {
//!   actor: external_attacker
//!   scenario: "Password guessing against the login endpoint"
//!   stride: S
//!   ease: easy
//!   impact: problematic
//!   mitigation: "Lockout after five failures; second factor for staff"
//! }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD007";

/// A required field of a declaration of language 0.2 (an asset's
/// `classification`).
pub fn declaration(span: Span, kind: &str, id: &str, field: &str, help: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("{kind} `{id}` is missing `{field}`"))
        .with_label(format!("no `{field}`"))
        .with_help(help.to_string())
}

pub fn diagnostic(span: Span, threat: &str, field: &str, help: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("threat `{threat}` is missing `{field}`"),
    )
    .with_label(format!("no `{field}`"))
    .with_help(help.map_or_else(
        || format!("add `{field}: ...` to the threat's body"),
        str::to_string,
    ))
}

/// A required part of a `scale` declaration is not given (language 0.2).
pub fn scale(span: Span, scale: &str, field: &str, help: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("scale `{scale}` is missing `{field}`"))
        .with_label(format!("no `{field}`"))
        .with_help(help.to_string())
}
