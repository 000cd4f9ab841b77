//! Mitigated, but no control in place: a threat marked `mitigated` whose controls are all still planned.
//!
//! ## What it finds
//! A threat with `status: mitigated` that names controls
//! (`controls: [...]`), none of which is `implemented` or `verified`.
//! Threats that name no control are not checked this way: their
//! `mitigation` text says what is in place.
//!
//! ## Why it matters
//! `mitigated` says the risk is dealt with, and the threat stops counting
//! as open. If every control it rests on is only planned, nothing is in
//! place yet: the status claims more than the model knows, and the
//! threat drops out of the open counts and `--fail-on` too early.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Login"
//! flow api -> customer "Session"
//!
//! control C1 "Rate limiting on login" { status: planned, ticket: "SEC-12" }
//!
//! threat T1 "Credential stuffing" on api {
//!   scenario: "Replays leaked passwords against the login endpoint"
//!   stride: S
//!   severity: high
//!   controls: [C1]
//!   status: mitigated   # but C1 is only planned
//! }
//! ```
//!
//! ## How to fix
//! Say where things stand. While the control is being built, the threat
//! is `in-progress` (still open); once the control is in place, mark the
//! control `implemented` (or `verified`, once tested) and the threat
//! `mitigated`:
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Login"
//! flow api -> customer "Session"
//!
//! control C1 "Rate limiting on login" { status: implemented, ticket: "SEC-12" }
//!
//! threat T1 "Credential stuffing" on api {
//!   scenario: "Replays leaked passwords against the login endpoint"
//!   stride: S
//!   severity: high
//!   controls: [C1]
//!   status: mitigated
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Status;

pub const CODE: &str = "TMD114";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let model = ctx.model;
    for threat in &model.threats {
        if threat.status != Status::Mitigated
            || threat.controls.is_empty()
            || model.has_control_in_place(threat)
        {
            continue;
        }
        let span = threat.spans.status.unwrap_or(threat.spans.id);
        if threat
            .controls
            .iter()
            .any(|c| model.partial.controls.contains(c))
        {
            out.skip(CODE, span); // a control's status failed to lower
            continue;
        }
        let names: Vec<String> = threat
            .controls
            .iter()
            .map(|&c| format!("`{}`", model[c].name))
            .collect();
        let (them, are) = if names.len() == 1 {
            ("it", "is")
        } else {
            ("one", "are")
        };
        out.push(Diagnostic::warning(
            CODE,
            span,
            format!(
                "threat `{}` is mitigated, but none of its controls is in place",
                threat.name
            ),
        )
        .with_label(format!("{} {are} planned", names.join(", ")))
        .with_help(format!(
            "mark the control `status: implemented` once {them} is in place, or the threat `status: in-progress` until then"
        )));
    }
}
