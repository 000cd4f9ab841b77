//! Invalid project configuration: a `tmd.toml` that tmd cannot take as it is.
//!
//! ## What it finds
//! A problem in the project configuration file, `tmd.toml` (see
//! `docs/config.md`): TOML that does not parse; a key tmd does not know
//! (`fail-on` for `fail_on`, `[check]` for `[checks]`), with the closest
//! known key; a value of the wrong type (`fail_on = 3`) or outside its set
//! (`fail_on = "hihg"`); a check code that does not exist (`TMD181`), or
//! that names an error (errors always run); a code listed twice, or both
//! enabled and disabled, or both denied and disabled.
//!
//! The diagnostic points into `tmd.toml`. The models under a configuration
//! with errors are not checked (nor drawn, nor reported): what they mean
//! depends on it.
//!
//! ## Why it matters
//! A configuration decides which checks run and what fails a build. A
//! misspelt key ignored in silence would turn a check off, or let a high
//! threat through CI, without anyone noticing.
//!
//! ## Example
//! ```toml
//! fail-on = "high"        # the key is fail_on
//!
//! [checks]
//! enable = ["TMD181"]     # no such check: TMD118?
//! ```
//!
//! ## How to fix
//! Write the keys and codes the hint names (`tmd explain --list` lists
//! every code):
//! ```toml
//! fail_on = "high"
//!
//! [checks]
//! enable = ["TMD118"]
//! ```

use crate::diagnostic::Diagnostic;
use crate::emit::text::visible;
use crate::span::Span;

pub const CODE: &str = "TMD015";

/// TOML that does not parse.
pub fn syntax(span: Span, message: &str) -> Diagnostic {
    let message = message.trim();
    let message = message.strip_suffix('.').unwrap_or(message);
    Diagnostic::error(CODE, span, format!("tmd.toml is not valid TOML: {message}"))
        .with_label("here")
        .with_help("see docs/config.md for the keys tmd.toml takes, with an example")
}

/// A key the table does not know.
pub fn unknown_key(span: Span, key: &str, table: &str, closest: Option<String>) -> Diagnostic {
    // Keys, values and codes are the file's text: bidi controls shown.
    let key = visible(key);
    let help = match closest {
        Some(c) => format!("did you mean `{c}`?"),
        None => "see docs/config.md for the keys tmd.toml takes".to_string(),
    };
    Diagnostic::error(CODE, span, format!("unknown key `{key}` in {table}"))
        .with_label("unknown key")
        .with_help(help)
}

/// A value of the wrong TOML type.
pub fn wrong_type(span: Span, key: &str, expected: &str, found: &str) -> Diagnostic {
    let kind = expected.split(':').next().unwrap_or(expected);
    Diagnostic::error(
        CODE,
        span,
        format!("`{key}` takes {kind}, not {}", with_article(found)),
    )
    .with_label(format!("{found}, expected {kind}"))
    .with_help(format!("write {expected}; docs/config.md has an example"))
}

fn with_article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// A value outside its set (or not a word).
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

/// A check code that does not exist.
pub fn unknown_check(span: Span, code: &str, closest: Option<String>) -> Diagnostic {
    let code = visible(code);
    let help = match closest {
        Some(c) => format!("did you mean `{c}`? `tmd explain --list` lists every code"),
        None => "`tmd explain --list` lists every code".to_string(),
    };
    Diagnostic::error(CODE, span, format!("unknown check `{code}`"))
        .with_label("no such code")
        .with_help(help)
}

/// An error's code in `enable`, `disable` or `deny`.
pub fn error_code(span: Span, code: &str, list: &str) -> Diagnostic {
    Diagnostic::error(
        CODE,
        span,
        format!("`{code}` is an error, and errors always run: it cannot be in `{list}`"),
    )
    .with_label("an error's code")
    .with_help("only warnings (TMD1xx) can be enabled, disabled or denied")
}

/// A code listed twice in one list, or in two lists that contradict.
pub fn listed_twice(
    span: Span,
    code: &str,
    list: &str,
    first: Span,
    first_list: &str,
) -> Diagnostic {
    let code = visible(code);
    let (message, help) = if list == first_list {
        (
            format!("`{code}` is listed twice in `{list}`"),
            "remove one of them".to_string(),
        )
    } else {
        (
            format!("`{code}` is both in `{first_list}` and in `{list}`"),
            format!("a check cannot be in both `{first_list}` and `{list}`: keep the one you mean"),
        )
    };
    Diagnostic::error(CODE, span, message)
        .with_label("again")
        .with_secondary(first, "first here")
        .with_help(help)
}
