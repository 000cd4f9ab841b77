//! Accepted without a justification (off by default): an accepted threat that does not say why.
//!
//! ## What it finds
//! A threat with `status: accepted` and no `justification` (or a blank
//! one). This check is off by default: `accepted` exists since language
//! 0.1, when there was no `justification`, so it would fire on models
//! that were clean. Turn it on for your project to require one.
//! (`transferred` and `false-positive`, new in 0.2, always need a
//! justification: error TMD007.)
//!
//! ## Why it matters
//! Accepting a risk is a decision someone with the authority made, for
//! reasons. Without them a later reader cannot tell a considered
//! acceptance from a threat somebody closed to make a report look
//! better, and cannot tell whether the reasons still hold.
//!
//! ## Example
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order"
//! flow api -> customer "Confirmation"
//!
//! threat T1 "Card testing" on api {
//!   scenario: "Bots try stolen card numbers with small orders"
//!   stride: S
//!   severity: medium
//!   status: accepted   # says nothing about why
//! }
//! ```
//!
//! ## How to fix
//! Say who accepted the risk and why, and until when:
//! ```tmd
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order"
//! flow api -> customer "Confirmation"
//!
//! threat T1 "Card testing" on api {
//!   scenario: "Bots try stolen card numbers with small orders"
//!   stride: S
//!   severity: medium
//!   status: accepted
//!   justification: "Fraud losses are below the cost of a CAPTCHA; the payment provider scores every order"
//!   reviewed_by: "R. Owner"
//!   expires: 2099-12-31
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Status;

pub const CODE: &str = "TMD120";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for threat in &ctx.model.threats {
        if threat.status != Status::Accepted || threat.tracking.justification.is_some() {
            continue;
        }
        let span = threat.spans.status.unwrap_or(threat.spans.id);
        out.push(
            Diagnostic::warning(
                CODE,
                span,
                format!("accepted threat `{}` has no justification", threat.name),
            )
            .with_label("accepted, but why?")
            .with_help("say who accepted the risk and why in `justification: \"...\"`"),
        );
    }
}

#[cfg(test)]
mod tests {
    const MODEL: &str =
        "process api\nthreat T1 on api { scenario: \"s\", severity: low, status: accepted }\n";

    fn fires(enable: &[&str]) -> bool {
        let options = crate::CompileOptions {
            enable: enable.iter().map(|c| c.to_string()).collect(),
            ..crate::CompileOptions::default()
        };
        crate::compile_with(MODEL, &options)
            .diagnostics
            .iter()
            .any(|d| d.code == super::CODE)
    }

    #[test]
    fn off_by_default_on_when_enabled() {
        assert!(crate::checks::is_opt_in(super::CODE));
        assert!(!fires(&[]));
        assert!(!fires(&["TMD113"]));
        assert!(fires(&[super::CODE]));
    }
}
