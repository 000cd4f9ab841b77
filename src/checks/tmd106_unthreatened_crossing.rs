//! Boundary crossing without a threat: a flow crosses a trust boundary and no threat covers it.
//!
//! ## What it finds
//! A flow that crosses one or more trust boundaries with no threat (of
//! any status) on the flow itself or on either of its endpoints. Threats
//! on a crossed boundary do not count: they are about the zone, not this
//! flow. One warning per flow.
//!
//! ## Why it matters
//! Trust boundaries are where attackers get in. A crossing that nobody
//! has analysed is the most likely place for a missed threat.
//!
//! ## Example
//! ```tmd
//! boundary warehouse "Warehouse" {
//!   process wms "WMS"
//! }
//! external courier "Courier"
//! flow wms -> courier "Shipping label"   # crosses out of `warehouse`, no threat
//! flow courier -> wms "Pickup scan"
//! ```
//!
//! ## How to fix
//! Analyse the crossing and write down what you find: a threat on the flow,
//! or on one of its endpoints (one threat on an endpoint covers all its
//! flows), even one whose status is `accepted`:
//! ```tmd
//! boundary warehouse "Warehouse" {
//!   process wms "WMS"
//! }
//! external courier "Courier"
//! flow wms -> courier "Shipping label"
//! flow courier -> wms "Pickup scan"
//!
//! threat T1 "Fake courier" on courier {
//!   actor: external_attacker
//!   scenario: "Someone posing as the courier collects the parcels"
//!   stride: S
//!   severity: medium
//!   mitigation: "Pickups are booked; the driver's badge is scanned"
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Target;

pub const CODE: &str = "TMD106";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let partial = &ctx.model.partial;
    for f in ctx.model.flow_ids() {
        let flow = &ctx.model[f];
        if partial.misplaced.contains(&flow.source) || partial.misplaced.contains(&flow.target) {
            out.skip(CODE, flow.span); // which boundaries it crosses is not known
            continue;
        }
        let facts = ctx.analysis.flow(f);
        if facts.crossings.is_empty() {
            continue;
        }
        let targets = [
            Target::Flow(f),
            Target::Element(flow.source),
            Target::Element(flow.target),
        ];
        if targets
            .iter()
            .any(|&t| !ctx.analysis.threats_on(t).is_empty())
        {
            continue;
        }
        if targets.iter().any(|t| partial.threat_targets.contains(t)) {
            out.skip(CODE, flow.span); // a threat meant for it failed to lower
            continue;
        }
        let crossed: Vec<String> = facts
            .crossings
            .iter()
            .map(|c| {
                format!(
                    "{} `{}`",
                    c.direction.preposition(),
                    ctx.model[c.boundary].name
                )
            })
            .collect();
        out.push(
            Diagnostic::warning(
                CODE,
                flow.span,
                format!("flow `{}` crosses {} with no threat on it or its endpoints", flow.name, crossed.join(" and ")),
            )
            .with_label("crosses a trust boundary")
            .with_help(format!(
                "add a threat on `{}` (or on `{}` or `{}`), or silence this with `# tmd: allow {CODE}` and say why",
                if flow.explicit { flow.name.clone() } else { format!("{} -> {}", ctx.model[flow.source].name, ctx.model[flow.target].name) },
                ctx.model[flow.source].name,
                ctx.model[flow.target].name
            )),
        );
    }
}
