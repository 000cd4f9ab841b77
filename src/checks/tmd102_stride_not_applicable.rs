//! STRIDE letter does not apply: a threat's letter does not fit its target's kind.
//!
//! ## What it finds
//! STRIDE per element: an external entity can be spoofed or repudiate
//! (S R); a process is open to all six (S T R I D E); a store to
//! tampering, repudiation, disclosure and denial of service (T R I D); a
//! flow to tampering, disclosure and denial of service (T I D). A threat
//! on a boundary may use any letter.
//!
//! ## Why it matters
//! A letter outside its target's set usually means the threat sits on the
//! wrong element (the flow rather than the store, the process rather than
//! the external entity) or the letter is wrong.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process api "Order API"
//! flow place_order: customer -> api "Order"
//! flow api -> customer "Confirmation"
//!
//! threat T3 "Disowned order" on place_order {   # a flow cannot repudiate
//!   actor: external_attacker
//!   scenario: "A customer denies placing an order, and nothing proves otherwise"
//!   stride: R
//!   severity: medium
//! }
//! ```
//!
//! ## How to fix
//! Put the threat on the element it is about, or pick the letter that fits
//! the target. Repudiation is about who keeps the record: the process:
//! ```tmd
//! external customer "Customer"
//! process api "Order API"
//! flow place_order: customer -> api "Order"
//! flow api -> customer "Confirmation"
//!
//! threat T3 "Disowned order" on api {
//!   actor: external_attacker
//!   scenario: "A customer denies placing an order, and nothing proves otherwise"
//!   stride: R
//!   severity: medium
//!   mitigation: "Signed order receipts, kept for a year"
//! }
//! ```

use super::Context;
use crate::analysis::applicable;
use crate::diagnostic::Diagnostic;
use crate::model::Stride;

pub const CODE: &str = "TMD102";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    // Checked per target: a letter may fit one target and not another.
    for threat in &ctx.model.threats {
        for &target in &threat.targets {
            check_target(ctx, threat, target, out);
        }
    }
}

fn check_target(
    ctx: &Context<'_>,
    threat: &crate::model::Threat,
    target: crate::model::Target,
    out: &mut super::Sink,
) {
    {
        let kind = ctx.model.target_kind(target);
        let allowed = applicable(kind);
        for &(letter, span) in &threat.spans.stride_letters {
            if !allowed.contains(letter) {
                out.push(
                    Diagnostic::warning(
                        CODE,
                        span,
                        format!(
                            "STRIDE `{letter}` ({}) does not apply to {} `{}`",
                            Stride::name(letter),
                            article(kind),
                            ctx.model.target_name(target)
                        ),
                    )
                    .with_label(format!("not in {allowed} for {}", with_article(kind)))
                    .with_help(format!(
                        "the letters that apply to {} are {allowed}",
                        with_article(kind)
                    )),
                );
            }
        }
    }
}

fn article(kind: &str) -> String {
    match kind {
        "external" => "external entity".to_string(),
        other => other.to_string(),
    }
}

/// The kind with its article, for a phrase: `an external entity`, `a
/// process`.
fn with_article(kind: &str) -> String {
    let noun = article(kind);
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::with_article;

    #[test]
    fn kinds_take_their_article() {
        assert_eq!(with_article("external"), "an external entity");
        assert_eq!(with_article("process"), "a process");
        assert_eq!(with_article("store"), "a store");
        assert_eq!(with_article("flow"), "a flow");
    }
}
