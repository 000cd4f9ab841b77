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
//! flow api -> api "Retry"   # model the queue or worker it goes through instead
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD009";

pub fn diagnostic(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("flow from `{name}` to itself"))
        .with_label("source and target are the same")
        .with_help("a flow connects two different elements; check the names, or model what the data passes through")
}
