//! Unknown reference: a name that is not declared, or not of the kind needed.
//!
//! ## What it finds
//! A flow endpoint, a threat target, a threat's `actor`, a flow's
//! `initiator`, or (language 0.2) a threat's `controls` or a name in
//! `assets:` that names nothing
//! declared in the model, or that names something of the wrong kind (a
//! flow to a boundary, an `actor:` that is an element, `assets:` naming a
//! store). Since language 0.2 also a flow's `response_to` (which must
//! name a flow with an ID), a name in an assumption's `for` (a threat, an
//! element, a flow or a boundary), and the scale a `risk` header names (a
//! built-in one or a declared `scale`). The hint gives the closest
//! declared name.
//!
//! ## Why it matters
//! A typo in a reference would otherwise silently drop a flow from the
//! diagram or a threat from its component.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process order_api "Order API"
//! store order_db "Orders"
//! flow customer -> order_api "Order"
//! flow order_api -> orders_db "Store order"   # did you mean `order_db`?
//! flow order_db -> order_api "Order history"
//! flow order_api -> customer "Confirmation"
//! ```
//!
//! ## How to fix
//! Use the name that is declared (the hint gives the closest one), or
//! declare the missing thing. A flow joins elements, a threat's `actor:`
//! names an actor:
//! ```tmd
//! external customer "Customer"
//! process order_api "Order API"
//! store order_db "Orders"
//! flow customer -> order_api "Order"
//! flow order_api -> order_db "Store order"
//! flow order_db -> order_api "Order history"
//! flow order_api -> customer "Confirmation"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD003";

pub fn unknown(span: Span, role: &str, name: &str, closest: Option<String>) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("unknown {role} `{name}`"))
        .with_label("not declared")
        .with_help_opt(closest.map(|c| format!("did you mean `{c}`?")))
}

pub fn wrong_kind(
    span: Span,
    role: &str,
    name: &str,
    found: &str,
    declared: Option<Span>,
) -> Diagnostic {
    let needs = match role {
        "actor" => "an actor",
        "asset" => "an asset",
        "threat target" => "an element, a boundary or a flow",
        "control" => "a control",
        "`for` entry" => "a threat, an element, a flow or a boundary",
        "request flow" => "a flow with an ID",
        "risk scale" => "a risk scale (`primer`, `owasp`, `threagile` or a declared `scale`)",
        _ => "an element (external, process or store)",
    };
    let d = Diagnostic::error(
        CODE,
        span,
        format!("unknown {role} `{name}`: `{name}` is {found}"),
    )
    .with_label(format!("{found}, not {needs}"))
    .with_help(match role {
        "control" => {
            "`controls:` names controls, declared with `control ID \"Name\" { status: ... }`"
                .to_string()
        }
        "asset" => "`assets:` names data assets, declared with `asset ID \"Name\" { classification: LEVEL }`; free text goes in `data:`".to_string(),
        _ => format!("a {role} must be {needs}"),
    });
    match declared {
        Some(at) => d.with_secondary(at, format!("`{name}` is declared here")),
        None => d,
    }
}
