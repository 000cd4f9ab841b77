//! Process with inputs but no outputs, or outputs but no inputs.
//!
//! ## What it finds
//! A process that only receives data (a "black hole") or only sends data
//! it never received (a "miracle").
//!
//! ## Why it matters
//! Processes transform data: what comes in goes somewhere, and what goes
//! out came from somewhere. A one-way process usually means a flow is
//! missing, often the response or the store it reads from, and those
//! missing flows are often where the threats are.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"   # api never answers nor stores anything
//! ```
//!
//! ## How to fix
//! Add the missing flow: the response, or the store the process writes to
//! (or, for a process with outputs only, the store it reads from):
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::ElementKind;

pub const CODE: &str = "TMD105";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for e in ctx.model.element_ids() {
        let element = &ctx.model[e];
        if element.kind != ElementKind::Process {
            continue;
        }
        if ctx.model.partial.elements.contains(&e) {
            out.skip(CODE, element.span); // a flow of it failed to resolve
            continue;
        }
        let facts = ctx.analysis.element(e);
        let (message, label) = match (facts.flows_in.is_empty(), facts.flows_out.is_empty()) {
            (false, true) => (
                "has inputs but no outputs",
                "data goes in and never comes out",
            ),
            (true, false) => (
                "has outputs but no inputs",
                "data comes out that never went in",
            ),
            _ => continue,
        };
        out.push(
            Diagnostic::warning(CODE, element.span, format!("process `{}` {message}", element.name))
                .with_label(label)
                .with_help("add the missing flow (a response, a store it reads or writes), or check the flow directions"),
        );
    }
}
