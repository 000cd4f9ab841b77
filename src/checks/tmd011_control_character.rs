//! Control character in a string: an invisible control character, raw or as `\u{...}`.
//!
//! ## What it finds
//! A C0 or C1 control character (U+0000-U+001F, U+007F-U+009F) other than
//! a raw tab inside a string literal, whether typed raw or written as a
//! `\u{...}` escape. Line breaks are written `\n`, tabs `\t`.
//!
//! ## Why it matters
//! Control characters are invisible in an editor and in review, can break
//! or spoof the outputs (terminals, CSV, XML refuses most of them), and
//! have no place in a label or a scenario.
//!
//! ## Example
//! ```tmd
//! external user "User\u{7}"   # BEL
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Delete the character. For a line break in a label write `\n`, for a tab
//! `\t`:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD011";

pub fn raw(span: Span, c: char) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("control character U+{:04X} in a string", c as u32),
    )
    .with_label("control character")
    .with_help("remove it; write a line break as `\\n` and a tab as `\\t`")
}

pub fn escaped(span: Span, c: char) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("escape for control character U+{:04X}", c as u32),
    )
    .with_label("control character")
    .with_help(
        "strings may not hold control characters; write a line break as `\\n` and a tab as `\\t`",
    )
}
