//! Invalid value: a value of the right shape with a wrong meaning or type.
//!
//! ## What it finds
//! A date that does not exist (`2023-02-30`); a letter that is not one of
//! S T R I D E; an `ease`, `impact`, `severity`, `remediation`, `status` or
//! `direction` word outside its set; an attribute or header value of the
//! wrong type (`encrypted: "yes"`, `data: "order"` instead of a list).
//! Since language 0.2: a control's `status` outside its set, a number out
//! of its range (a control's `reduces` above 100), an asset's `classification` that is not one of the
//! levels in force, a `confidentiality`, `integrity` or `availability`
//! outside `low`, `medium`, `high`, a `classification` header that is not
//! a list of level words (or is empty), a `sensitive` header that names no
//! level, a quoted string in `assets:`.
//! Since language 0.2 also: a boundary `kind` word outside its set (a kind
//! of your own is a string), an assumption `status` outside its set, and a
//! `response_to` that cannot be: the flow itself, a flow that is itself a
//! response, a request between other elements or in the same direction,
//! or an `initiator:` on the response that is not the end that opens the
//! request.
//! Since language 0.2, on another risk scale than the primer's: a level of
//! one of its axes or a severity that is not in its words (the hint names
//! the closest word, or the scale that has it); and in a `scale`
//! declaration, a part that is there but wrong: an axis name a threat
//! cannot use (a threat field, a key of the scale, both axes alike), a
//! level of the rows that cannot be a key (`very-high`), a row of the
//! wrong length or with a word that is not a severity, `bands` of the
//! wrong length, a band that is not `low`, `medium` or `high`, or one
//! lower than the band before it.
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

/// A boundary `kind` word outside the usual kinds: a misspelling, or a
/// kind of the model's own written without quotes.
pub fn bad_boundary_kind(span: Span, word: &str, choices: &str) -> Diagnostic {
    let mut d = bad_word(span, "boundary kind", word, choices);
    let own = format!("a kind of your own is a string: `kind: \"{word}\"`");
    d.help = Some(match d.help.take() {
        Some(help) => format!("{help}; {own}"),
        None => own,
    });
    d
}

/// A severity or an axis level that is not one of the model's scale;
/// `note` says which other scales have the word, for the hint.
pub fn scale_word(
    span: Span,
    what: &str,
    word: &str,
    choices: &str,
    note: Option<String>,
) -> Diagnostic {
    let d = bad_word(span, what, word, choices);
    match note {
        Some(note) => {
            let help = d.help.clone().unwrap_or_default();
            d.with_help(format!("{help}; {note}"))
        }
        None => d,
    }
}

/// An item of a `scale`'s list that is not a word (language 0.2).
pub fn scale_item(span: Span, key: &str, found: &Value) -> Diagnostic {
    let d = Diagnostic::error(
        CODE,
        span,
        format!("`{key}` lists words, found {}", found.describe()),
    )
    .with_label("expected a word");
    match found {
        Value::Str(s) => d.with_help(format!(
            "levels, severities and bands are words, written without quotes: `{}`",
            s.value
        )),
        _ => d.with_help("levels, severities and bands are words, such as `low` or `very-likely`"),
    }
}

/// A part of a `scale` declaration that is there but wrong: a name that
/// cannot name an axis or a row, a row or `bands` of the wrong length, a
/// band lower than the one before (language 0.2).
pub fn scale(span: Span, message: String, label: &str, help: String) -> Diagnostic {
    Diagnostic::error(CODE, span, message)
        .with_label(label.to_string())
        .with_help(help)
}

pub fn wrong_type(span: Span, key: &str, expected: &str, found: &Value) -> Diagnostic {
    let mut d = Diagnostic::error(
        CODE,
        span,
        format!("`{key}` must be {expected}, found {}", found.describe()),
    )
    .with_label(format!("expected {expected}"));
    if let (Value::Word(w, _), "a string") = (found, expected) {
        d = d.with_help(format!("strings are quoted: `\"{w}\"`"));
    }
    if let (Value::Str(s), true) = (found, expected.contains("`true`")) {
        if s.value == "true" || s.value == "false" || s.value == "yes" || s.value == "no" {
            d = d.with_help("write `true` or `false` without quotes");
        }
    }
    d
}

/// A number outside the range its key takes (`reduces: 150`).
pub fn out_of_range(span: Span, key: &str, digits: &str, expected: &str) -> Diagnostic {
    let shown: String = digits.chars().take(12).collect();
    let more = if digits.chars().count() > 12 {
        "…"
    } else {
        ""
    };
    Diagnostic::error(
        CODE,
        span,
        format!("`{key}` must be {expected}, found `{shown}{more}`"),
    )
    .with_label("out of range")
    .with_help(format!("`{key}` is {expected}"))
}

/// A list that must hold at least one `what` (the `classification`
/// header's levels).
pub fn empty_list(span: Span, key: &str, what: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{key}` needs at least one {what}"))
        .with_label("empty list")
        .with_help(format!(
            "list the {what}s, or leave `{key}` out for the default"
        ))
}

pub fn bad_date(span: Span, text: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{text}` is not a real date"))
        .with_label("no such day")
        .with_help("dates are `YYYY-MM-DD` with a month 01-12 and a day that exists in that month")
}

/// A `stride` value that is not letters written together, but whose
/// meaning is clear (`Spoofing`, `"S, E"`, `[S, E]`, `se`): one error for
/// the whole value, with the letters to write.
pub fn stride_written_apart(span: Span, found: &str, meant: Stride) -> Diagnostic {
    let names: Vec<String> = meant
        .letters()
        .map(|l| format!("`{l}` for {}", Stride::name(l).to_lowercase()))
        .collect();
    Diagnostic::error(
        CODE,
        span,
        format!("`stride` is written as STRIDE letters together, found `{found}`"),
    )
    .with_label(format!("write `{meant}`"))
    .with_help(format!(
        "write the letters together, without quotes, commas or spaces: `stride: {meant}` ({})",
        names.join(", ")
    ))
}

/// A `stride` word with several characters that are not STRIDE letters.
pub fn stride_word(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("`{word}` is not a set of STRIDE letters"))
        .with_label("not letters from S T R I D E")
        .with_help("STRIDE letters are S (spoofing), T (tampering), R (repudiation), I (information disclosure), D (denial of service), E (elevation of privilege), written together: `stride: TID`")
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

/// `response_to` names the flow itself.
pub fn response_to_itself(span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("flow `{name}` cannot be the response to itself"),
    )
    .with_label("its own ID")
    .with_help("`response_to` names the request this flow answers")
}

/// `response_to` names a flow that is itself a response.
pub fn response_to_response(
    span: Span,
    request: &str,
    its_request: &str,
    declared: Span,
) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("`{request}` is itself a response (to `{its_request}`), not a request"),
    )
    .with_label("a response")
    .with_secondary(declared, format!("`{request}` is declared here"))
    .with_help(format!(
        "a response answers a request, not another response: a message that answers `{request}` is a request of its own (on the connection `{its_request}` opened): leave out `response_to`"
    ))
}

/// A response that does not go the other way between its request's ends.
pub fn response_wrong_way(
    span: Span,
    request: &str,
    (from, to): (&str, &str),
    declared: Span,
) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("`{request}` goes from `{from}` to `{to}`, so a response to it goes from `{to}` to `{from}`"),
    )
    .with_label(format!("not from `{to}` to `{from}`"))
    .with_secondary(declared, format!("`{request}` is declared here"))
    .with_help(format!(
        "a response goes back along its request: `flow {to} -> {from} ... {{ response_to: {request} }}`; a flow between other elements is not its response (leave out `response_to`)"
    ))
}

/// An `initiator:` on a response that is not its request's.
pub fn response_initiator(span: Span, request: &str, opener: &str, declared: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("a response rides its request's connection, and `{opener}` opens `{request}`"),
    )
    .with_label(format!("not `{opener}`"))
    .with_secondary(declared, format!("`{request}` is declared here"))
    .with_help(format!(
        "leave out `initiator` (a response's is its request's), or write `initiator: {opener}`"
    ))
}
