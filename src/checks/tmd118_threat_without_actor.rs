//! Threat without an actor: a threat that does not say who carries it out.
//!
//! ## What it finds
//! A threat with no `actor:` field. Since language 0.2 the actor is
//! optional, so this check is off by default: a project turns it on in its
//! `tmd.toml` (`[checks] enable = ["TMD118"]`), for instance once every
//! imported threat has been reviewed.
//!
//! ## Why it matters
//! Who would do it decides how likely a threat is and which controls
//! stop it: an anonymous attacker on the internet and a malicious insider
//! call for different defences. A threat with no actor is hard to judge and
//! easy to wave away.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Session hijack" on api {   # who?
//!   scenario: "A stolen session cookie is replayed"
//!   stride: S
//!   severity: medium
//! }
//! ```
//!
//! ## How to fix
//! Name the actor: one of the built-in ones (`apt`, `external_attacker`,
//! `malicious_insider`, `accidental_insider`) or one you declare with
//! `actor`:
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Session hijack" on api {
//!   actor: external_attacker
//!   scenario: "A stolen session cookie is replayed"
//!   stride: S
//!   severity: medium
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD118";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let builtin: Vec<&str> = crate::model::BUILTIN_ACTORS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    for threat in &ctx.model.threats {
        if threat.actor.is_none() {
            out.push(
                Diagnostic::warning(
                    CODE,
                    threat.spans.id,
                    format!("threat `{}` has no actor", threat.name),
                )
                .with_label("no `actor:` given")
                .with_help(format!(
                    "add `actor: ID`: a built-in actor ({}) or one declared with `actor`",
                    builtin.join(", ")
                )),
            );
        }
    }
}
