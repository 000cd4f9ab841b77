//! Invalid rule file: a project's threat rule file (`[rules] files` in
//! tmd.toml) that tmd cannot read.
//!
//! ## What it finds
//! A rule file that is not valid TOML, a key a rule does not take, a
//! condition tmd does not know, a value of the wrong type or outside its
//! set, a placeholder such as `{targt}` in a scenario, a required key left
//! out, a condition on flows in a rule for elements, or an ID given twice.
//! Each points at the very key or value in the rule file.
//!
//! ## Why it matters
//! A rule that does not read would be lost silently, and the suggestions
//! a team counts on would never come.
//!
//! ## Example
//! The file `team-rules.toml`, named in tmd.toml's `[rules] files`:
//! ```toml
//! [[rule]]
//! id = "admin-no-mfa"
//! title = "Admin console without MFA"
//! stride = "S"
//! applies_to = "process"
//! severity = "hgh"                  # not a band
//! when = { authenticats = true }    # not a condition
//! scenario = "Someone logs in to {targt}."
//! mitigation = "Require MFA."
//! ```
//!
//! ## How to fix
//! Use the keys, conditions and placeholders of docs/threat-library.md
//! (the hint gives the closest):
//! ```toml
//! [[rule]]
//! id = "admin-no-mfa"
//! title = "Admin console without MFA"
//! stride = "S"
//! applies_to = "process"
//! severity = "high"
//! when = { authenticates = true }
//! scenario = "Someone logs in to {target}."
//! mitigation = "Require MFA."
//! ```

use crate::diagnostic::Diagnostic;
use crate::emit::text::visible;
use crate::span::Span;

pub const CODE: &str = "TMD016";

const SEE: &str = "docs/threat-library.md describes the rule file format";

/// TOML that does not parse.
pub fn syntax(span: Span, message: &str) -> Diagnostic {
    let message = message.trim();
    let message = message.strip_suffix('.').unwrap_or(message);
    Diagnostic::error(
        CODE,
        span,
        format!("the rule file is not valid TOML: {message}"),
    )
    .with_label("here")
    .with_help(SEE)
}

/// A key the table does not take.
pub fn unknown_key(span: Span, key: &str, table: &str, closest: Option<String>) -> Diagnostic {
    let key = visible(key);
    let help = match closest {
        Some(c) => format!("did you mean `{c}`? {SEE}"),
        None => SEE.to_string(),
    };
    Diagnostic::error(CODE, span, format!("unknown key `{key}` in {table}"))
        .with_label("unknown key")
        .with_help(help)
}

/// A value of the wrong TOML type.
pub fn wrong_type(span: Span, key: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("`{key}` takes {expected}, not a {found}"),
    )
    .with_label(format!("a {found}"))
    .with_help(SEE)
}

/// A value outside its set.
pub fn bad_value(
    span: Span,
    key: &str,
    value: &str,
    expected: &str,
    closest: Option<String>,
) -> Diagnostic {
    let value = visible(value);
    let help = match closest {
        Some(c) => format!("did you mean `{c}`? `{key}` takes {expected}"),
        None => format!("`{key}` takes {expected}"),
    };
    Diagnostic::error(CODE, span, format!("`{value}` is not a valid `{key}`"))
        .with_label("invalid value")
        .with_help(help)
}

/// A required key left out.
pub fn missing(span: Span, key: &str) -> Diagnostic {
    Diagnostic::error(CODE, span, format!("this rule has no `{key}`"))
        .with_label(format!("`{key}` missing"))
        .with_help(format!("every rule gives `{key}`; {SEE}"))
}

/// An unknown placeholder in a scenario or mitigation.
pub fn bad_placeholder(span: Span, key: &str, name: &str, closest: Option<String>) -> Diagnostic {
    let name = visible(name);
    let help = match closest {
        Some(c) => format!("did you mean `{{{c}}}`? Write `{{{{` and `}}}}` for braces"),
        None => "write `{{` and `}}` for braces; docs/threat-library.md lists the placeholders"
            .to_string(),
    };
    Diagnostic::error(
        CODE,
        span,
        format!("`{key}` has an unknown placeholder `{{{name}}}`"),
    )
    .with_label("unknown placeholder")
    .with_help(help)
}

/// A condition on flows in a rule for elements, or the reverse.
pub fn condition_not_applicable(span: Span, key: &str, applies: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("the condition `{key}` is never a fact of what this rule applies to"),
    )
    .with_label("never true here")
    .with_secondary(applies, "what the rule applies to")
    .with_help("flow conditions need `applies_to = \"flow\"`, element conditions an element kind")
}

/// An ID given twice in one file.
pub fn duplicate(span: Span, id: &str, first: Span) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("the rule `{}` is defined twice", visible(id)),
    )
    .with_label("again here")
    .with_secondary(first, "first defined here")
    .with_help("give each rule its own ID")
}
