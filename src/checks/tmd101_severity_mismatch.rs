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
    for threat in &ctx.model.threats {
        let (Some(matrix), Some(span), Some(ease), Some(impact)) = (
            threat.matrix_severity,
            threat.spans.severity,
            threat.ease,
            threat.impact,
        ) else {
            continue;
        };
        if matrix != threat.severity {
            out.push(
                Diagnostic::warning(
                    CODE,
                    span,
                    format!(
                        "severity `{}` of `{}` disagrees with the matrix: ease `{ease}` and impact `{impact}` give `{matrix}`",
                        threat.severity, threat.name
                    ),
                )
                .with_label(format!("the matrix gives `{matrix}`"))
                .with_help("the written severity stands; remove `severity` to use the matrix, or correct `ease` or `impact`"),
            );
        }
    }
}
