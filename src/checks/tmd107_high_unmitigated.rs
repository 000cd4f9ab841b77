//! Open high threat without mitigation: a threat of `high` severity, status `open`, with no mitigation.
//!
//! ## What it finds
//! A threat whose severity is `high` (written or from the matrix), whose
//! status is open (`open`, the default, or since language 0.2
//! `investigating` or `in-progress`), whose `mitigation` is absent or
//! blank, and that names no control. A control of any status counts, as a
//! mitigation text does: a planned control is a plan (TMD114 catches a
//! `mitigated` threat whose controls are all still planned). On another
//! risk scale than the primer's, every severity in the high band counts
//! (`high` and `critical` on `risk owasp`).
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
//! Write the mitigation that is in place or planned (or name its
//! `controls`). If the risk is taken knowingly, say so with
//! `status: accepted` and why, in `justification`:
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
        if threat.is_open()
            && threat.severity == Severity::High
            && !ctx.model.has_mitigation(threat)
        {
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
