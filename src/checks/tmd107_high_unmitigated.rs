//! Open high threat without mitigation: a threat of `high` severity, status `open`, with no mitigation.
//!
//! ## What it finds
//! A threat whose severity is `high` (written or from the matrix), whose
//! status is `open` (the default), and whose `mitigation` is absent or
//! blank. On another risk scale than the primer's, every severity in the
//! high band counts (`high` and `critical` on `risk owasp`).
//!
//! ## Why it matters
//! High-severity threats are the ones a review must act on. An open one
//! with no mitigation written down has no plan at all.
//!
//! ## Example
//! ```tmd
//! process api "API"
//! store queue "Order queue"
//! flow api -> queue "Order"
//! flow queue -> api "Status"
//!
//! threat T9 "Queue poisoning" on queue {
//!   actor: external_attacker
//!   scenario: "Writes forged orders straight into the queue"
//!   stride: T
//!   ease: easy
//!   impact: problematic   # high, and nothing planned
//! }
//! ```
//!
//! ## How to fix
//! Write the mitigation that is in place or planned. If the risk is taken
//! knowingly, say so with `status: accepted` (and why, in the mitigation or
//! a comment):
//! ```tmd
//! process api "API"
//! store queue "Order queue"
//! flow api -> queue "Order"
//! flow queue -> api "Status"
//!
//! threat T9 "Queue poisoning" on queue {
//!   actor: external_attacker
//!   scenario: "Writes forged orders straight into the queue"
//!   stride: T
//!   ease: easy
//!   impact: problematic
//!   mitigation: "Only the API's role may write to the queue; orders are signed"
//!   remediation: fix
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Severity;

pub const CODE: &str = "TMD107";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let scale = &ctx.model.scale;
    for threat in &ctx.model.threats {
        if threat.is_open() && threat.severity == Severity::High && threat.mitigation.is_none() {
            // On a scale whose words are not the bands, say which word.
            let word = scale.word(threat.grade);
            let label = if word == Severity::High.as_str() {
                "high, open, no mitigation".to_string()
            } else {
                format!("`{word}` (band high), open, no mitigation")
            };
            out.push(
                Diagnostic::warning(CODE, threat.spans.id, format!("open high-severity threat `{}` has no mitigation", threat.name))
                    .with_label(label)
                    .with_help("write the planned or existing control in `mitigation: \"...\"`, or set `status: accepted` if the risk is accepted"),
            );
        }
    }
}
