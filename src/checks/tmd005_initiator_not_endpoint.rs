//! Initiator not an endpoint: a flow's `initiator` names neither its source nor its target.
//!
//! ## What it finds
//! `initiator:` says which end of a flow opens the connection. It must be
//! the flow's SOURCE (the default) or its TARGET (a reversed-initiator
//! flow, where the receiver pulls the data).
//!
//! ## Why it matters
//! The initiator decides whether the flow is drawn and reported as
//! reversed. A third party cannot open a connection between two others.
//!
//! ## Example
//! ```tmd
//! process scheduler "Scheduler"
//! store queue "Job queue"
//! process worker "Worker"
//! flow scheduler -> queue "Job"
//! flow pull: queue -> worker "Job" { initiator: scheduler }   # must be `queue` or `worker`
//! flow worker -> scheduler "Result"
//! ```
//!
//! ## How to fix
//! Name the end of this flow that opens the connection: its target when the
//! receiver pulls the data, as a worker polls its queue. Leave `initiator`
//! out when the source pushes:
//! ```tmd
//! process scheduler "Scheduler"
//! store queue "Job queue"
//! process worker "Worker"
//! flow scheduler -> queue "Job"
//! flow pull: queue -> worker "Job" { initiator: worker }
//! flow worker -> scheduler "Result"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD005";

pub fn diagnostic(span: Span, name: &str, source: &str, target: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("initiator `{name}` is not an endpoint of this flow"))
        .with_label(format!("must be `{source}` or `{target}`"))
        .with_help(format!(
            "use `initiator: {target}` when `{target}` opens the connection and pulls the data; leave it out when `{source}` does"
        ))
}
