//! Syntax error: a token of the wrong shape, or a missing one.
//!
//! ## What it finds
//! Text that does not follow the grammar of the language: a missing `->`,
//! a keyword where an identifier belongs, a string or block left
//! unclosed, a `}` with nothing to close, a `flow` inside a boundary (a
//! boundary holds only element declarations and boundaries), or a lone
//! carriage return.
//!
//! ## Why it matters
//! Nothing after a syntax error can be read with confidence, so `tmd`
//! reports the first one and stops there; it does not guess at the rest.
//! Values of the right shape but a wrong meaning (a bad date, a bad STRIDE
//! letter) are not syntax errors: all of them are reported together.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process order_api "Order API"
//! flow customer order_api "Place order"   # `->` is missing
//! flow order_api -> customer "Confirmation"
//! ```
//!
//! ## How to fix
//! Write what the grammar expects where the error points: the message says
//! what was expected and what was found (an unclosed string or block is
//! reported at its opening). Here, the arrow between the two endpoints:
//! ```tmd
//! external customer "Customer"
//! process order_api "Order API"
//! flow customer -> order_api "Place order"
//! flow order_api -> customer "Confirmation"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD001";

pub fn diagnostic(span: Span, message: impl Into<String>, label: impl Into<String>) -> Diagnostic {
    Diagnostic::error(CODE, span, message).with_label(label)
}

/// A string or block opened at `open` and never closed.
pub fn unclosed(open: Span, what: &str, found: Option<Span>) -> Diagnostic {
    let (message, help) = match what {
        "string" => (
            "unclosed string".to_string(),
            "close the string with `\"` on the same line; write a line break as `\\n`",
        ),
        "list" => (
            "unclosed list".to_string(),
            "close the list with `]`: a list stays on one line",
        ),
        "inline block" => (
            "unclosed block".to_string(),
            "a one-line block closes with `}` on the same line; for a block over several lines, end the line right after `{` and put one entry on each line",
        ),
        "boundary" => (
            "unclosed boundary".to_string(),
            "close the boundary with `}` on a line of its own",
        ),
        _ => (
            "unclosed block".to_string(),
            "close the block with `}`: on the same line for a one-line block, on a line of its own otherwise",
        ),
    };
    let mut d = Diagnostic::error(CODE, open, message)
        .with_label(format!(
            "this {} is never closed",
            match what {
                "string" => "`\"`",
                "list" => "`[`",
                _ => "`{`",
            }
        ))
        .with_help(help);
    if let Some(found) = found {
        let close = if what == "list" { "`]`" } else { "`}`" };
        d = d.with_secondary(found, format!("expected {close} before this"));
    }
    d
}

/// A multi-line block (a boundary's body, a threat's body, an attribute
/// block) that was never closed. `owner` names it ("boundary `aws`");
/// `noticed` is where the parser found a statement that cannot stand
/// inside it, with a label saying what that is.
pub fn unclosed_block(open: Span, owner: &str, noticed: Option<(Span, String)>) -> Diagnostic {
    let mut d = Diagnostic::error(
        CODE,
        open,
        format!("{owner} is never closed: missing `}}`?"),
    )
    .with_label("this `{` is never closed")
    .with_help(format!("add `}}` on a line of its own where {owner} ends"));
    if let Some((span, label)) = noticed {
        d = d.with_secondary(span, label);
    }
    d
}

/// STRIDE letters written apart (`stride: S, E`).
pub fn stride_apart(span: Span, found: &str, meant: &str) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("STRIDE letters are written together, found `{found}`"),
    )
    .with_label(format!("write `{meant}`"))
    .with_help(format!(
        "write the letters together, without commas or spaces: `stride: {meant}`"
    ))
}

pub fn unexpected_close(span: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        "unexpected `}`: there is no open boundary to close",
    )
    .with_label("nothing to close")
}

pub fn not_in_boundary(span: Span, keyword: &str) -> Diagnostic {
    Diagnostic::error(CODE, Span::new(span.start, span.start + keyword.len()), format!("`{keyword}` cannot stand inside a boundary"))
        .with_label("not allowed here")
        .with_help("a boundary holds only `external`, `process`, `store` and `boundary` declarations and its own attributes (`kind:`, `description:`); move this statement to the top level")
}

/// `key: value` on a line of its own outside any boundary.
pub fn attribute_outside_block(span: Span, key: &str) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("`{key}:` stands outside any block"),
    )
    .with_label("not inside `{ }`")
    .with_help("attributes go inside the `{ }` of the element, flow, actor, threat or declaration they describe; a line of its own is taken only in a boundary's body (`kind:`, `description:`)")
}

pub fn lone_carriage_return(span: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, "carriage return without a line feed")
        .with_label("lone `\\r`")
        .with_help("end lines with `\\n` or `\\r\\n`")
}

pub fn internal(span: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        "internal error: the parse tree has an unexpected shape",
    )
    .with_label("here")
    .with_help("this is a bug in tmd; please report it with this file")
}
