//! Threat without STRIDE letters: a threat that does not say what kind of threat it is.
//!
//! ## What it finds
//! A threat with no `stride:` field. Since language 0.2 the letters are
//! optional, so this check is off by default: a project turns it on in its
//! `tmd.toml` (`[checks] enable = ["TMD119"]`).
//!
//! ## Why it matters
//! The STRIDE letters are what the analysis works from: a threat without
//! them fills no STRIDE gap of its targets, so the report keeps asking for
//! threats that may already be written, and nobody can tell at a glance
//! which property of the system the threat is against.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Flood" on api {   # what kind?
//!   actor: external_attacker
//!   scenario: "A botnet floods the API with requests"
//!   severity: medium
//! }
//! ```
//!
//! ## How to fix
//! Give the letters of STRIDE the threat is about (spoofing, tampering,
//! repudiation, information disclosure, denial of service, elevation of
//! privilege), one or more:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Flood" on api {
//!   actor: external_attacker
//!   scenario: "A botnet floods the API with requests"
//!   stride: D
//!   severity: medium
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD119";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for threat in &ctx.model.threats {
        if threat.stride.is_none_or(|s| s.is_empty()) {
            out.push(
                Diagnostic::warning(
                    CODE,
                    threat.spans.id,
                    format!("threat `{}` has no STRIDE letters", threat.name),
                )
                .with_label("no `stride:` given")
                .with_help(
                    "add `stride: LETTERS`, one or more of S T R I D E (e.g. `stride: D` for denial of service)",
                ),
            );
        }
    }
}
