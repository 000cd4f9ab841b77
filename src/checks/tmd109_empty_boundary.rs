//! Empty boundary: a trust boundary that declares nothing.
//!
//! ## What it finds
//! A `boundary` whose braces hold no element and no boundary. (A boundary
//! holding only boundaries is not empty.)
//!
//! ## Why it matters
//! A trust boundary with nothing in it separates nothing: its members
//! were declared elsewhere by mistake, or it is left over.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! boundary dmz "DMZ" {}
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Declare the members inside the boundary's braces (a crossing then needs
//! a threat: TMD106), or delete the boundary:
//! ```tmd
//! external user "User"
//! boundary dmz "DMZ" {
//!   process api "API"
//! }
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Request flood" on api {
//!   actor: external_attacker
//!   scenario: "Floods the API from the internet until it stops answering"
//!   stride: D
//!   severity: medium
//!   mitigation: "Rate limiting at the load balancer"
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD109";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for b in ctx.model.boundary_ids() {
        let boundary = &ctx.model[b];
        if boundary.members.is_empty() && ctx.model.partial.boundaries.contains(&b) {
            out.skip(CODE, boundary.span); // a member's declaration failed
        } else if boundary.members.is_empty() {
            out.push(
                Diagnostic::warning(
                    CODE,
                    boundary.span,
                    format!("boundary `{}` is empty", boundary.name),
                )
                .with_label("declares nothing")
                .with_help(
                    "declare the elements that live inside it between its braces, or remove it",
                ),
            );
        }
    }
}
