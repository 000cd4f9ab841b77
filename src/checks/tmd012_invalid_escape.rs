//! Invalid escape: a backslash sequence that is not one of the language's escapes.
//!
//! ## What it finds
//! In a string, `\` must be followed by `"`, `\`, `n`, `t`, or
//! `u{HEX}` with 1 to 6 hex digits naming a Unicode scalar value (not a
//! surrogate, at most 10FFFF). Anything else is an error pointing at the
//! escape.
//!
//! ## Why it matters
//! A mistyped escape would otherwise change the text silently (`\d` in a
//! Windows path, `\u1234` without braces).
//!
//! ## Example
//! ```tmd
//! external admin "Admin"
//! process app "App"
//! store logs "C:\logs"   # `\l` is not an escape
//! flow admin -> app "Settings"
//! flow app -> logs "Write"
//! ```
//!
//! ## How to fix
//! Double a backslash that stands for itself (`\\`), and write a code point
//! with braces (`\u{e9}`):
//! ```tmd
//! external admin "Admin"
//! process app "App"
//! store logs "C:\\logs"
//! flow admin -> app "Settings"
//! flow app -> logs "Write"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD012";

pub fn diagnostic(span: Span, escape: &str) -> Diagnostic {
    let help = if escape.starts_with("\\u") {
        "write a Unicode escape as `\\u{1F600}`: 1 to 6 hex digits in braces, a Unicode scalar value"
    } else {
        "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{...}`; write a backslash as `\\\\`"
    };
    Diagnostic::error(CODE, span, format!("invalid escape `{escape}`"))
        .with_label("not an escape")
        .with_help(help)
}
