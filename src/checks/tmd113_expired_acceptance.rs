//! Expired acceptance: an accepted threat whose `expires` date has passed.
//!
//! ## What it finds
//! A threat with `status: accepted` and an `expires` date before today.
//! An acceptance holds through its `expires` day and has expired from the
//! day after. "Today" is the system clock's date (UTC), or the date that
//! `--today DATE` or `SOURCE_DATE_EPOCH` gives; when tmd does not know
//! the date, this check stays silent. `expires` on a threat of any other
//! status is kept and shown, and checks nothing.
//!
//! ## Why it matters
//! An acceptance is a decision made for a time: the risk owner agreed to
//! live with the threat until a date, usually until a fix ships or the
//! next review. Once that date has passed nobody has accepted the risk
//! any more, so the threat is open again: `--fail-on` counts it as open
//! (the reports, which never read the date, still show it as accepted).
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
//!   status: accepted
//!   justification: "Fraud losses are below the cost of a CAPTCHA; the payment provider scores every order"
//!   reviewed_by: "R. Owner"
//!   expires: 2024-12-31   # the acceptance ran out
//! }
//! ```
//!
//! ## How to fix
//! Review the threat again. Renew the acceptance with a later `expires`
//! (and who renewed it, and when), or change its status: `in-progress`
//! while a fix is being built, `mitigated` once it is in place:
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
//!   reviewed_on: 2025-01-15
//!   expires: 2099-12-31
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD113";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let Some(today) = ctx.today else {
        return; // the date is not known
    };
    for threat in &ctx.model.threats {
        let (true, Some(expires)) = (
            threat.acceptance_expired(Some(today)),
            threat.tracking.expires,
        ) else {
            continue;
        };
        let span = threat.spans.expires.unwrap_or(threat.spans.id);
        out.push(
            Diagnostic::warning(
                CODE,
                span,
                format!(
                    "the acceptance of threat `{}` expired on {expires} (today is {today})",
                    threat.name
                ),
            )
            .with_label("expired")
            .with_help(
                "review the threat: renew the acceptance with a later `expires`, or change its `status`; until then `--fail-on` counts it as open",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::parse_date;

    const MODEL: &str = "process api\nthreat T1 on api { scenario: \"s\", severity: low, status: accepted, expires: 2025-01-31 }\n";

    fn codes(today: Option<&str>) -> Vec<&'static str> {
        let options = crate::CompileOptions {
            today: today.and_then(parse_date),
            ..crate::CompileOptions::default()
        };
        crate::compile_with(MODEL, &options)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|&c| c == super::CODE)
            .collect()
    }

    #[test]
    fn silent_when_the_date_is_unknown_and_on_the_expiry_day() {
        assert!(codes(None).is_empty());
        assert!(codes(Some("2025-01-31")).is_empty());
        assert_eq!(codes(Some("2025-02-01")), ["TMD113"]);
    }
}
