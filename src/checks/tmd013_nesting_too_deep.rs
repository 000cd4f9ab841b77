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
//! ```tmd
//! boundary b1 {
//!   boundary b2 {
//!     # ... 63 more levels ...
//!   }
//! }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD013";

pub fn diagnostic(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("boundaries nest more than {limit} levels deep"))
        .with_label("too deep")
        .with_help(format!("flatten the boundaries; at most {limit} levels are allowed"))
}
