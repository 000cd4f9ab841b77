//! Flow to itself: a flow whose source and target are the same element.
//!
//! ## What it finds
//! `flow a -> a`. In a data-flow diagram, data moving inside one element
//! is not a flow.
//!
//! ## Why it matters
//! Such a flow crosses nothing and says nothing a reviewer can check;
//! usually one of the names is a typo.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> api "Retry"   # data that never leaves `api`
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Model what the data goes through (a queue, a worker, a cache), or fix
//! the endpoint that was mistyped:
//! ```tmd
//! external user "User"
//! process api "API"
//! store retry_queue "Retry queue"
//! flow user -> api "Request"
//! flow api -> retry_queue "Failed job"
//! flow retry_queue -> api "Retry"
//! flow api -> user "Response"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD009";

pub fn diagnostic(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("flow from `{name}` to itself"))
        .with_label("source and target are the same")
        .with_help("a flow connects two different elements; check the names, or model what the data passes through")
}
