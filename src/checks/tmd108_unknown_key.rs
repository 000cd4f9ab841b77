//! Unknown attribute key: a key the statement does not know.
//!
//! ## What it finds
//! An attribute or threat field that is not in the language's table for
//! that statement, such as `protocl` on a flow or `mitigations` on a
//! threat. Keys beginning with `x_` are yours and never draw this warning.
//! The hint gives the closest known key.
//!
//! ## Why it matters
//! A misspelt key is otherwise lost silently: `encrypt: true` would leave
//! the flow unencrypted in every report.
//!
//! ## Example
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Order" { protocl: "HTTPS" }   # did you mean `protocol`?
//! flow b -> a "Ack" { x_ticket: "SEC-12" }   # fine: a custom key
//! ```
//!
//! ## How to fix
//! Correct the spelling (the hint gives the closest known key), or, for a
//! key of your own, start it with `x_`:
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Order" { protocol: "HTTPS" }
//! flow b -> a "Ack" { x_ticket: "SEC-12" }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD108";

pub fn diagnostic(span: Span, key: &str, what: &str, closest: Option<String>) -> Diagnostic {
    let help = match closest {
        Some(c) => format!("did you mean `{c}`? Keys of your own start with `x_`"),
        None => "keys of your own start with `x_`".to_string(),
    };
    Diagnostic::warning(CODE, span, format!("unknown {what} `{key}`"))
        .with_label("unknown key")
        .with_help(help)
}
