//! `updated` earlier than `created`.
//!
//! ## What it finds
//! A header whose `updated` date lies before its `created` date.
//!
//! ## Why it matters
//! The dates tell a reader how fresh the assessment is. One of them is
//! mistyped.
//!
//! ## Example
//! ```tmd
//! created 2023-02-27
//! updated 2022-02-26   # before it was created
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Correct the mistyped date; `updated` is the day of the last review:
//! ```tmd
//! created 2023-02-27
//! updated 2024-02-26
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{HeaderKey, StatementKind};

pub const CODE: &str = "TMD111";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let meta = &ctx.model.meta;
    let (Some(created), Some(updated)) = (meta.created, meta.updated) else {
        return;
    };
    if updated >= created {
        return;
    }
    let span = ctx
        .file
        .statements()
        .into_iter()
        .find_map(|s| match &s.kind {
            StatementKind::Header(h) if h.key == HeaderKey::Updated => Some(h.value.span()),
            _ => None,
        });
    if let Some(span) = span {
        out.push(
            Diagnostic::warning(
                CODE,
                span,
                format!("`updated` {updated} is earlier than `created` {created}"),
            )
            .with_label("before the creation date")
            .with_help("check both dates"),
        );
    }
}
