//! Turns pest's parse failure into one clear syntax error (TMD001): what was
//! expected, what was found, and for anything left unclosed, the opening
//! `"` or `{` it started at.

use pest::error::{ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::checks::tmd001_syntax;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

const KEYWORDS: &[&str] = &[
    "title", "scope", "author", "created", "updated", "version", "direction", "external", "process", "store",
    "boundary", "flow", "actor", "threat", "on", "true", "false",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// The diagnostic for a failed parse of `source`.
pub fn syntax_error(source: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let pos = crate::span::clamp_to_char_boundary(source, pos);
    if let Some(unclosed) = find_unclosed(source, pos) {
        return unclosed;
    }
    let positives: Vec<Rule> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let found = describe_found(source, pos);
    let found_word = word_at(source, pos);
    let expected = expected_list(&positives);
    let span = Span::new(pos, pos + found_len(source, pos));
    if positives.iter().any(|r| matches!(r, Rule::ident | Rule::flow_name)) && is_keyword(found_word) {
        return tmd001_syntax::diagnostic(
            span,
            format!("expected an identifier, found keyword `{found_word}`"),
            "a keyword cannot be an identifier",
        )
        .with_help(format!("rename it, for example `{found_word}_1`"));
    }
    let message = match expected {
        Some(expected) => format!("expected {expected}, found {found}"),
        None => format!("unexpected {found}"),
    };
    let label = match expected_list(&positives) {
        Some(expected) => format!("expected {expected}"),
        None => "not expected here".to_string(),
    };
    tmd001_syntax::diagnostic(span, message, label)
}

/// Looks for a string or attribute block that is still open where the
/// parse failed; that is the error to report, at its opening character.
fn find_unclosed(source: &str, error_pos: usize) -> Option<Diagnostic> {
    let bytes = source.as_bytes();
    // (offset of `{` or `[`, what it opens)
    let mut stack: Vec<(usize, Opener)> = Vec::new();
    let mut line_start = 0;
    let mut i = 0;
    while i < error_pos.min(bytes.len()) {
        match bytes.get(i).copied().unwrap_or(b'\n') {
            b'\n' => {
                line_start = i + 1;
                i += 1;
            }
            b'#' => {
                while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                    i += 1;
                }
            }
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i).copied() {
                        None | Some(b'\n') | Some(b'\r') => {
                            return Some(tmd001_syntax::unclosed(Span::new(open, open + 1), "string", None));
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
            }
            b'{' => {
                let first_word = source.get(line_start..i).map(first_word).unwrap_or("");
                let opener = if first_word == "boundary" { Opener::Boundary } else { Opener::Block };
                stack.push((i, opener));
                i += 1;
            }
            b'[' => {
                stack.push((i, Opener::List));
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    if bytes.get(error_pos) == Some(&b'"') {
        let rest = source.get(error_pos + 1..).unwrap_or("");
        let mut escaped = false;
        for c in rest.chars() {
            match c {
                '\n' | '\r' => return Some(tmd001_syntax::unclosed(Span::new(error_pos, error_pos + 1), "string", None)),
                '"' if !escaped => break,
                '\\' if !escaped => {
                    escaped = true;
                    continue;
                }
                _ => {}
            }
            escaped = false;
        }
        if !rest.contains('"') {
            return Some(tmd001_syntax::unclosed(Span::new(error_pos, error_pos + 1), "string", None));
        }
    }
    let &(open, opener) = stack.last()?;
    if opener == Opener::Boundary {
        return None;
    }
    // The block is open where the parse failed: report it when the failure
    // is at the end of a line or at a token that starts a new statement.
    let rest = source.get(error_pos..).unwrap_or("");
    let rest_of_line = rest.split('\n').next().unwrap_or("").trim();
    let at_line_end = rest_of_line.is_empty() || rest_of_line.starts_with('#');
    let at_line_start = source
        .get(source.get(..error_pos).and_then(|s| s.rfind('\n')).map_or(0, |n| n + 1)..error_pos)
        .is_some_and(|before| before.trim().is_empty());
    let starts_statement = at_line_start && (is_keyword(word_at(source, error_pos)) || rest_of_line.is_empty());
    let here = Span::new(error_pos, error_pos + found_len(source, error_pos));
    if opener == Opener::List {
        let same_line = !source.get(open..error_pos).unwrap_or("").contains('\n');
        return (same_line && at_line_end).then(|| tmd001_syntax::unclosed(Span::new(open, open + 1), "list", Some(here)));
    }
    if at_line_end || starts_statement {
        let same_line = !source.get(open..error_pos).unwrap_or("").contains('\n');
        let what = if same_line { "inline block" } else { "block" };
        return Some(tmd001_syntax::unclosed(Span::new(open, open + 1), what, Some(here)));
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Opener {
    Boundary,
    Block,
    List,
}

fn first_word(line: &str) -> &str {
    line.trim_start()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
}

fn word_at(source: &str, pos: usize) -> &str {
    let rest = source.get(pos..).unwrap_or("");
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..end).unwrap_or("")
}

/// Bytes of the token at `pos`, for the span: a word, or one character.
fn found_len(source: &str, pos: usize) -> usize {
    let word = word_at(source, pos);
    if !word.is_empty() {
        return word.len();
    }
    match source.get(pos..).and_then(|s| s.chars().next()) {
        Some('\n') | Some('\r') | None => 0,
        Some(c) => c.len_utf8(),
    }
}

fn describe_found(source: &str, pos: usize) -> String {
    let rest = source.get(pos..).unwrap_or("");
    match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n') | Some('\r') => "end of line".to_string(),
        Some(c) => {
            let word = word_at(source, pos);
            if !word.is_empty() {
                if is_keyword(word) {
                    format!("keyword `{word}`")
                } else {
                    format!("`{}`", truncate(word, 40))
                }
            } else if c == '"' {
                "a string".to_string()
            } else if c.is_control() {
                format!("control character U+{:04X}", c as u32)
            } else {
                format!("`{}`", c.escape_debug())
            }
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// "a statement", "an identifier or `->`", ... from pest's positives.
fn expected_list(positives: &[Rule]) -> Option<String> {
    let mut names: Vec<&'static str> = Vec::new();
    for rule in positives {
        let name = match rule {
            Rule::header_kw
            | Rule::element_kind
            | Rule::kw_boundary
            | Rule::kw_flow
            | Rule::kw_actor
            | Rule::kw_threat
            | Rule::statement
            | Rule::stmt_line
            | Rule::header
            | Rule::element
            | Rule::boundary_open
            | Rule::flow
            | Rule::actor
            | Rule::threat
            | Rule::block_close => "a statement",
            Rule::ident | Rule::flow_name => "an identifier",
            Rule::target => "a threat target",
            Rule::kw_on => "`on`",
            Rule::string | Rule::string_body => "a string",
            Rule::block | Rule::open_brace => "`{`",
            Rule::close_brace => "`}`",
            Rule::entry | Rule::entry_line | Rule::key => "a `key: value` entry",
            Rule::colon => "`:`",
            Rule::arrow => "`->`",
            Rule::list | Rule::date | Rule::integer | Rule::boolean | Rule::word | Rule::value | Rule::scalar => {
                "a value"
            }
            Rule::comment | Rule::comment_line | Rule::EOI | Rule::blank_line | Rule::block_comment | Rule::block_blank => {
                "end of line"
            }
            _ => continue,
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        [init @ .., last] => Some(format!("{} or {}", init.join(", "), last)),
    }
}
