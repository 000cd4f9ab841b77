//! Element with no flows: an element that no data flows to or from.
//!
//! ## What it finds
//! An external entity, process or store that is neither the source nor
//! the target of any flow. (Such an element draws no other data-flow
//! warning.)
//!
//! ## Why it matters
//! An element no data reaches plays no part in a data-flow diagram: the
//! flows to it are missing, or it is left over from an earlier design.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! store old_cache "Legacy cache"   # nothing reads or writes it
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Add the flows that reach the element, or delete it if it is gone:
//! ```tmd
//! external user "User"
//! process api "API"
//! store cache "Page cache"
//! flow user -> api "Request"
//! flow api -> cache "Rendered page"
//! flow cache -> api "Cached page"
//! flow api -> user "Response"
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;

pub const CODE: &str = "TMD103";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for e in ctx.model.element_ids() {
        let facts = ctx.analysis.element(e);
        if facts.flows_in.is_empty() && facts.flows_out.is_empty() {
            let element = &ctx.model[e];
            if ctx.model.partial.elements.contains(&e) {
                out.skip(CODE, element.span); // a flow of it failed to resolve
                continue;
            }
            out.push(
                Diagnostic::warning(
                    CODE,
                    element.span,
                    format!("`{}` has no flows", element.name),
                )
                .with_label("no data flows to or from it")
                .with_help("add the flows that reach it, or remove it"),
            );
        }
    }
}
