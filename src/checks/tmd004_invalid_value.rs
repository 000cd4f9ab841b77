//! Invalid value: a value of the right shape with a wrong meaning or type.
//!
//! ## What it finds
//! A date that does not exist (`2023-02-30`); a letter that is not one of
//! S T R I D E; an `ease`, `impact`, `severity`, `remediation`, `status` or
//! `direction` word outside its set; an attribute or header value of the
//! wrong type (`encrypted: "yes"`, `data: "order"` instead of a list).
//!
//! ## Why it matters
//! These values decide severities, colours and checks. A wrong one cannot
//! be silently ignored or guessed at. Every such error in a file is
//! reported in one run.
//!
//! ## Example
//! ```tmd
//! created 2023-02-30   # February has no 30th
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order" { encrypted: "yes" }   # a string, not a bool
//! flow api -> customer "Confirmation"
//! ```
//!
//! ## How to fix
//! Write a value from the set the message lists, of the type the key takes
//! (`docs/language.md` has the table of every key): a real date, `true` or
//! `false` unquoted:
//! ```tmd
//! created 2023-02-28
//! external customer "Customer"
//! process api "API"
//! flow customer -> api "Order" { encrypted: true }
//! flow api -> customer "Confirmation"
//! ```

use crate::diagnostic::Diagnostic;
use crate::model::Stride;
use crate::span::Span;
use crate::syntax::ast::Value;

pub const CODE: &str = "TMD004";

pub fn bad_word(span: Span, what: &str, word: &str, choices: &str) -> Diagnostic {
    let words = choices.split('`').skip(1).step_by(2);
    let closest = crate::model::closest_name(word, words);
    let help = match closest {
        Some(c) => format!("did you mean `{c}`? `{what}` is one of {choices}"),
        None => format!("`{what}` is one of {choices}"),
    };
    Diagnostic::error(CODE, span, format!("invalid {what} `{word}`"))
        .with_label(format!("not a valid {what}"))
        .with_help(help)
}

pub fn wrong_type(span: Span, key: &str, expected: &str, found: &Value) -> Diagnostic {
    let mut d = Diagnostic::error(
        CODE,
        span,
        format!("`{key}` must be {expected}, found {}", found.describe()),
    )
    .with_label(format!("expected {expected}"));
    if let (Value::Str(s), true) = (found, expected.contains("`true`")) {
        if s.value == "true" || s.value == "false" || s.value == "yes" || s.value == "no" {
            d = d.with_help("write `true` or `false` without quotes");
        }
    }
    d
}

pub fn bad_date(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{text}` is not a real date"))
        .with_label("no such day")
        .with_help("dates are `YYYY-MM-DD` with a month 01-12 and a day that exists in that month")
}

pub fn stride_letter(span: Span, letter: char) -> Diagnostic {
    let help = if Stride::is_letter(letter.to_ascii_uppercase()) {
        format!(
            "STRIDE letters are upper case: `{}`",
            letter.to_ascii_uppercase()
        )
    } else {
        "STRIDE letters are S (spoofing), T (tampering), R (repudiation), I (information disclosure), D (denial of service), E (elevation of privilege)".to_string()
    };
    Diagnostic::error(CODE, span, format!("`{letter}` is not a STRIDE letter"))
        .with_label("not one of S T R I D E")
        .with_help(help)
}
