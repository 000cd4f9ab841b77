//! Duplicate identifier: a name declared twice.
//!
//! ## What it finds
//! Two declarations of the same identifier. Elements, boundaries, flows,
//! actors, threats and the four built-in actors (`apt`,
//! `external_attacker`, `malicious_insider`, `accidental_insider`) share
//! one namespace, so a store and a threat may not both be called `db`.
//!
//! ## Why it matters
//! Every reference (a flow's endpoint, a threat's target) must name one
//! thing. With two declarations it would be a guess which one was meant.
//! The first declaration is kept; the later one is reported.
//!
//! ## Example
//! ```tmd
//! store orders "Order DB"
//! process orders "Order service"   # `orders` is already a store
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD002";

/// `first` is `None` for a built-in actor.
pub fn diagnostic(name: &str, span: Span, first: Option<Span>) -> Diagnostic {
    let d = Diagnostic::error(CODE, span, format!("`{name}` is declared twice")).with_label("declared again here");
    match first {
        Some(first) => d.with_secondary(first, "first declared here"),
        None => d.with_help(format!("`{name}` is a built-in actor; it needs no declaration, or pick another name")),
    }
}
