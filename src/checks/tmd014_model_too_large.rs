//! Model too large: more than 250,000 statements in one file.
//!
//! ## What it finds
//! A file with more than 250,000 statements (declarations of elements,
//! boundaries, flows, actors and threats, and header lines; comments and
//! blank lines do not count). The limit is fixed; the largest real
//! models have a few thousand.
//!
//! ## Why it matters
//! The limit keeps every phase of tmd (checks, layout, diagrams, reports,
//! diff) bounded in time and memory on hostile input, such as a generated
//! file in a pull request. Like a syntax error, it stops the file: nothing
//! after it is reported. Split a model that big into several files, one per
//! system.
//!
//! ## Example
//! ```text
//! flow f1: a -> b
//! flow f2: a -> b
//! # ... 249,999 more statements ...
//! ```
//!
//! ## How to fix
//! Split the model into one file per system, each a size a reviewer can
//! read; where one system talks to another, model the other as an
//! `external`:
//! ```tmd
//! # payments.tmd: one system of the estate; the shop has a file of its own.
//! title "Payments"
//! external shop "Web shop"
//! process payments "Payment service"
//! flow shop -> payments "Charge"
//! flow payments -> shop "Receipt"
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD014";

pub fn diagnostic(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("the model has more than {limit} statements"),
    )
    .with_label("one too many")
    .with_help(format!(
        "split the model into several files; at most {limit} statements are allowed in one"
    ))
}
