//! Rests on a wrong assumption: a threat, element, flow or boundary rests on an assumption marked wrong.
//!
//! ## What it finds
//! Everything named in the `for` of an `assumption` whose `status` is
//! `wrong`: a threat, an element, a flow or a boundary. The warning stands
//! where that thing is declared (so `# tmd: allow TMD117` goes there), and
//! points at the assumption's `status`. Unverified and verified
//! assumptions draw nothing, nor does a wrong one whose `for` is empty.
//!
//! ## Why it matters
//! An assumption is a hypothesis the analysis builds on: "only the VPN
//! reaches the admin tool", "the payment service rejects a replayed
//! token". When a test shows it wrong, every rating and every "no threat
//! needed here" that rested on it is in doubt until someone looks again.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order"
//! flow api -> customer "Receipt"
//!
//! threat T1 "Order forged" on api {
//!   scenario: "A forged order is accepted"
//!   stride: T
//!   severity: low
//! }
//!
//! assumption A1 "Orders are signed by the client" { status: wrong, for: [T1] }
//! ```
//!
//! ## How to fix
//! Look at what rested on the assumption again without it (here the
//! threat is rated again and mitigated), then take it out of the
//! assumption's `for`. Keep the wrong assumption as a record of what was
//! found:
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order"
//! flow api -> customer "Receipt"
//!
//! threat T1 "Order forged" on api {
//!   scenario: "A forged order is accepted"
//!   stride: T
//!   severity: medium
//!   mitigation: "The API checks the order's signature"
//! }
//!
//! assumption A1 "Orders are signed by the client" { status: wrong, for: [] }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::AssumptionStatus;

pub const CODE: &str = "TMD117";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let model = ctx.model;
    for assumption in &model.assumptions {
        if assumption.status != AssumptionStatus::Wrong {
            continue;
        }
        for &dependent in &assumption.dependents {
            let kind = model.dependent_kind(dependent);
            let name = model.dependent_name(dependent);
            let mut d = Diagnostic::warning(
                CODE,
                model.dependent_span(dependent),
                format!(
                    "{kind} `{name}` rests on assumption `{}`, which is marked wrong",
                    assumption.name
                ),
            )
            .with_label("rests on a wrong assumption")
            .with_help(format!(
                "look at `{name}` again without the assumption, then take it out of `{}`'s `for`",
                assumption.name
            ));
            d = d.with_secondary(
                assumption.status_span.unwrap_or(assumption.span),
                "marked wrong here",
            );
            out.push(d);
        }
    }
    // An assumption that failed to lower: whether these rest on a wrong
    // one is not known.
    for &dependent in &model.partial.dependents {
        out.skip(CODE, model.dependent_span(dependent));
    }
}
