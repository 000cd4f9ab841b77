//! Severity disagrees with the matrix: a written `severity` differs from what `ease` x `impact` gives.
//!
//! ## What it finds
//! A threat that gives `ease`, `impact` and `severity`, where the primer's
//! matrix maps ease and impact to another severity:
//!
//! | impact \ ease | difficult | moderate | easy |
//! | --- | --- | --- | --- |
//! | problematic | low | medium | high |
//! | inconvenient | low | low | medium |
//!
//! The written severity stands.
//!
//! On another risk scale than the primer's (`risk owasp`, `risk
//! threagile`, or a `scale` the model declares), the matrix is that
//! scale's table and the axes are its own: `severity: critical` with
//! `likelihood: low` and `impact: high` draws TMD101 on `risk owasp`,
//! whose table gives `medium`.
//!
//! ## Why it matters
//! Either the assessment of ease or impact is off, or the severity was
//! raised or lowered by hand for a reason that deserves a comment. A
//! reviewer should see which.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Session hijack" on api {
//!   actor: external_attacker
//!   scenario: "Steals a session cookie on an open Wi-Fi"
//!   stride: S
//!   ease: moderate
//!   impact: problematic
//!   severity: high   # the matrix gives medium
//!   mitigation: "HSTS and Secure cookies"
//! }
//! ```
//!
//! ## How to fix
//! Leave `severity` out and let the matrix decide, or correct `ease` or
//! `impact` if one of them is off:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Session hijack" on api {
//!   actor: external_attacker
//!   scenario: "Steals a session cookie on an open Wi-Fi"
//!   stride: S
//!   ease: moderate
//!   impact: problematic
//!   mitigation: "HSTS and Secure cookies"
//! }
//! ```
//! Where the override is deliberate, say why and silence the warning on the
//! threat's first line:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! # Raised by hand: a hijacked session can read stored card data.
//! # tmd: allow TMD101
//! threat T1 "Session hijack" on api {
//!   actor: external_attacker
//!   scenario: "Steals a session cookie on an open Wi-Fi"
//!   stride: S
//!   ease: moderate
//!   impact: problematic
//!   severity: high
//!   mitigation: "HSTS and Secure cookies"
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD101";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let scale = &ctx.model.scale;
    let [column_axis, row_axis] = scale.axis_keys();
    for threat in &ctx.model.threats {
        let (Some(matrix), Some(span), Some(rating)) =
            (threat.matrix_grade, threat.spans.severity, threat.rating)
        else {
            continue;
        };
        if matrix != threat.grade {
            let (given, computed) = (scale.word(threat.grade), scale.word(matrix));
            out.push(
                Diagnostic::warning(
                    CODE,
                    span,
                    format!(
                        "severity `{given}` of `{}` disagrees with the matrix: {column_axis} `{}` and {row_axis} `{}` give `{computed}`",
                        threat.name,
                        scale.columns.level(rating.column),
                        scale.rows.level(rating.row),
                    ),
                )
                .with_label(format!("the matrix gives `{computed}`"))
                .with_help(format!("the written severity stands; remove `severity` to use the matrix, or correct `{column_axis}` or `{row_axis}`")),
            );
        }
    }
}
