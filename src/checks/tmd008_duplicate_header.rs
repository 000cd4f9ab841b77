//! Header given twice: a header statement (`title`, `created`, ...) appears more than once.
//!
//! ## What it finds
//! Each of `title`, `scope`, `author`, `created`, `updated`, `version` and
//! `direction` may be given at most once per model.
//!
//! ## Why it matters
//! Two titles or two creation dates contradict each other; tmd does not
//! pick one silently.
//!
//! ## Example
//! ```tmd
//! title "Shop"
//! title "Shop v2"   # given twice
//! external customer "Customer"
//! process shop "Shop"
//! flow customer -> shop "Order"
//! flow shop -> customer "Receipt"
//! ```
//!
//! ## How to fix
//! Keep one of them. A new revision of the same model is `version`, not a
//! second title:
//! ```tmd
//! title "Shop"
//! version "2"
//! external customer "Customer"
//! process shop "Shop"
//! flow customer -> shop "Order"
//! flow shop -> customer "Receipt"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD008";

pub fn diagnostic(key: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{key}` is given twice"))
        .with_label("given again here")
        .with_secondary(first, "first given here")
}
