//! Flow reference matches no flow or several: a threat target `A -> B` that is not exactly one flow.
//!
//! ## What it finds
//! A threat written `on A -> B` must name exactly one flow from A to B
//! (direction counts). It finds none (perhaps the flow runs B -> A) or
//! several (give the flows IDs and name one).
//!
//! ## Why it matters
//! A threat on the wrong flow, or on a guess among several, misleads the
//! reader of the threat table and of the diagram.
//!
//! ## Example
//! ```tmd
//! process api "API"
//! store db "Database"
//! flow api -> db "Write"
//! flow api -> db "Audit"
//! flow db -> api "Read"
//!
//! threat T1 "Tampered write" on api -> db {   # which of the two flows?
//!   actor: external_attacker
//!   scenario: "Alters an order on its way to the database"
//!   stride: T
//!   severity: medium
//! }
//! ```
//!
//! ## How to fix
//! Give the flow an ID and put the threat on it (`on write`); with no match,
//! check the direction (`on db -> api` is another flow):
//! ```tmd
//! process api "API"
//! store db "Database"
//! flow write: api -> db "Write"
//! flow audit: api -> db "Audit"
//! flow db -> api "Read"
//!
//! threat T1 "Tampered write" on write {
//!   actor: external_attacker
//!   scenario: "Alters an order on its way to the database"
//!   stride: T
//!   severity: medium
//! }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD006";

pub fn none(span: Span, source: &str, target: &str, reverse_exists: bool) -> Diagnostic {
    let d = Diagnostic::error(CODE, span, format!("no flow from `{source}` to `{target}`"))
        .with_label("matches no flow");
    if reverse_exists {
        d.with_help(format!(
            "there is a flow `{target} -> {source}`: direction counts"
        ))
    } else {
        d.with_help("declare the flow, or point the threat at an element or flow ID")
    }
}

/// At most this many of the matching flows are labelled, so that a
/// reference matching thousands stays one short diagnostic.
pub const MAX_LABELS: usize = 8;

pub fn several(span: Span, source: &str, target: &str, flows: &[(Span, String)]) -> Diagnostic {
    let help = "give the flows IDs (`flow ID: SOURCE -> TARGET`) and name one in the threat";
    let help = if flows.len() > MAX_LABELS {
        format!("{help} (the first {MAX_LABELS} are shown)")
    } else {
        help.to_string()
    };
    let mut d = Diagnostic::error(
        CODE,
        span,
        format!("`{source} -> {target}` matches {} flows", flows.len()),
    )
    .with_label("ambiguous")
    .with_help(help);
    for (at, name) in flows.iter().take(MAX_LABELS) {
        d = d.with_secondary(*at, format!("flow `{name}`"));
    }
    d
}
