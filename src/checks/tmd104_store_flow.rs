//! Flow breaks data-flow rules: store to store, or directly between an external entity and a store.
//!
//! ## What it finds
//! A flow from a store to a store, from an external entity to a store, or
//! from a store to an external entity. In a data-flow diagram data reaches
//! and leaves a store only through a process.
//!
//! ## Why it matters
//! Stores do not act; some code moves the data. Leaving that process out
//! hides the component that must be threat-modelled (replication job,
//! export script, the database's own API).
//!
//! ## Example
//! ```tmd
//! external analyst "Analyst"
//! store warehouse "Data warehouse"
//! flow warehouse -> analyst "Report"   # through which process?
//! ```
//!
//! ## How to fix
//! Model the process that moves the data (the reporting service, the
//! replication job, the database's own API), with a flow to it and a flow
//! from it:
//! ```tmd
//! external analyst "Analyst"
//! process bi "Reporting service"
//! store warehouse "Data warehouse"
//! flow warehouse -> bi "Query results"
//! flow bi -> analyst "Report"
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::ElementKind;

pub const CODE: &str = "TMD104";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for flow in &ctx.model.flows {
        let source = &ctx.model[flow.source];
        let target = &ctx.model[flow.target];
        let what = match (source.kind, target.kind) {
            (ElementKind::Store, ElementKind::Store) => "from a store to a store",
            (ElementKind::External, ElementKind::Store) => {
                "from an external entity straight to a store"
            }
            (ElementKind::Store, ElementKind::External) => {
                "from a store straight to an external entity"
            }
            _ => continue,
        };
        out.push(
            Diagnostic::warning(CODE, flow.span, format!("flow `{}` runs {what}", flow.name))
                .with_label("no process between them")
                .with_help("data reaches and leaves a store only through a process; add the process that moves it"),
        );
    }
}
