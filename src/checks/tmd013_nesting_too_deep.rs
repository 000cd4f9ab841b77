//! Nesting too deep: boundaries nested more than 64 levels.
//!
//! ## What it finds
//! A boundary opened inside 64 others. The limit is fixed; no real system
//! has trust zones nested that deep.
//!
//! ## Why it matters
//! The limit keeps every phase of tmd bounded on hostile input. Like a
//! syntax error, it stops the file: nothing after it is reported.
//!
//! ## Example
//! ```text
//! boundary b1 {
//!   boundary b2 {
//!     # ... 63 more levels ...
//!   }
//! }
//! ```
//!
//! ## How to fix
//! Nest a boundary only where the inner zone trusts less than the one around
//! it. Real systems need a handful of levels (the internet, a cloud account,
//! a network, a subnet); a generated model that nests this deep has a bug:
//! ```tmd
//! boundary aws "AWS account" {
//!   boundary vpc "VPC" {
//!     boundary app_subnet "App subnet" {
//!       process api "API"
//!     }
//!   }
//! }
//! external user "User"
//! flow user -> api "Request"
//! flow api -> user "Response"
//!
//! threat T1 "Credential stuffing" on api {
//!   actor: external_attacker
//!   scenario: "Replays leaked passwords against the login"
//!   stride: S
//!   severity: medium
//!   mitigation: "Rate limiting and breached-password checks"
//! }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD013";

pub fn diagnostic(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("boundaries nest more than {limit} levels deep"),
    )
    .with_label("too deep")
    .with_help(format!(
        "flatten the boundaries; at most {limit} levels are allowed"
    ))
}
