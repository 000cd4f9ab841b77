//! Duplicate identifier: a name declared twice.
//!
//! ## What it finds
//! Two declarations of the same identifier. Elements, boundaries, flows,
//! actors, threats and the four built-in actors (`apt`,
//! `external_attacker`, `malicious_insider`, `accidental_insider`) share
//! one namespace, so a store and a threat may not both be called `db`.
//! A declared risk scale (language 0.2) is in it too, and may not take the
//! name of a built-in scale (`primer`, `owasp`, `threagile`).
//!
//! ## Why it matters
//! Every reference (a flow's endpoint, a threat's target) must name one
//! thing. With two declarations it would be a guess which one was meant.
//! The first declaration is kept; the later one is reported.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process orders "Order service"
//! store orders "Order DB"   # `orders` is already the process
//! flow customer -> orders "Order"
//! flow orders -> customer "Confirmation"
//! ```
//!
//! ## How to fix
//! Give each thing a name of its own, and point the references that meant
//! the second one at its new name:
//! ```tmd
//! external customer "Customer"
//! process orders "Order service"
//! store order_db "Order DB"
//! flow customer -> orders "Order"
//! flow orders -> order_db "Save order"
//! flow orders -> customer "Confirmation"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD002";

/// `first` is `None` for a built-in actor.
pub fn diagnostic(name: &str, span: Span, first: Option<Span>) -> Diagnostic {
    let d = Diagnostic::error(CODE, span, format!("`{name}` is declared twice"))
        .with_label("declared again here");
    match first {
        Some(first) => d.with_secondary(first, "first declared here"),
        None => d.with_help(format!(
            "`{name}` is a built-in actor; it needs no declaration, or pick another name"
        )),
    }
}

/// A declared scale named like a built-in one (`primer`, `owasp`,
/// `threagile`): `risk NAME` would mean the built-in.
pub fn builtin_scale(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{name}` is declared twice"))
        .with_label("declared again here")
        .with_help(format!(
            "`{name}` is a built-in risk scale; `risk {name}` chooses it without a declaration, or give your scale another name"
        ))
}
