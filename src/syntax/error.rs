//! Turns pest's parse failure into one clear syntax error (TMD001): what was
//! expected, what was found, and for anything left unclosed, the opening
//! `"` or `{` it started at.

use pest::error::{ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::checks::tmd001_syntax;
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Words that begin a statement.
const STATEMENT_KEYWORDS: &[&str] = &[
    "title",
    "scope",
    "author",
    "created",
    "updated",
    "version",
    "direction",
    "external",
    "process",
    "store",
    "boundary",
    "flow",
    "actor",
    "threat",
];

/// Words that begin a statement of language 0.2 but are not reserved: an
/// identifier may still be one of them.
const CONTEXTUAL_STATEMENT_WORDS: &[&str] = &[
    "reviewers",
    "contributors",
    "link",
    "risk",
    "classification",
    "sensitive",
    "scale",
    "control",
    "asset",
    "assumption",
];

/// The keywords: the statement keywords, `on`, `true` and `false`.
pub fn is_keyword(word: &str) -> bool {
    is_statement_keyword(word) || matches!(word, "on" | "true" | "false")
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
    if positives
        .iter()
        .any(|r| matches!(r, Rule::ident | Rule::flow_name))
        && is_keyword(found_word)
    {
        return tmd001_syntax::diagnostic(
            span,
            format!("expected an identifier, found keyword `{found_word}`"),
            "a keyword cannot be an identifier",
        )
        .with_help(format!("rename it, for example `{found_word}_1`"));
    }
    if let Some(d) = stride_written_apart(source, pos) {
        return d;
    }
    if let Some(d) = misspelled_keyword(source, pos, &positives) {
        return d;
    }
    if let Some(d) = unquoted_text(source, pos, &positives) {
        return d;
    }
    let message = match expected {
        Some(expected) => format!("expected {expected}, found {found}"),
        None => format!("unexpected {found}"),
    };
    let label = match expected_list(&positives) {
        Some(expected) => format!("expected {expected}"),
        None => "not expected here".to_string(),
    };
    let d = tmd001_syntax::diagnostic(span, message, label);
    match source.get(pos..).and_then(|s| s.chars().next()) {
        Some('\'' | '‘' | '’' | '“' | '”' | '«' | '»') => {
            d.with_help("strings are written in straight double quotes: `\"...\"`")
        }
        _ => d,
    }
}

/// The line around `pos`: its start offset and its text (without the line
/// end).
fn line_at(source: &str, pos: usize) -> (usize, &str) {
    let start = source
        .get(..pos)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |n| n + 1);
    let line = source.get(start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    (start, line.strip_suffix('\r').unwrap_or(line))
}

/// `stride: S, E` or `stride: Spoofing, Tampering`: letters written apart
/// break the grammar at the comma; say how to write them.
fn stride_written_apart(source: &str, pos: usize) -> Option<Diagnostic> {
    let (line_start, line) = line_at(source, pos);
    let before = line.get(..pos.saturating_sub(line_start))?;
    // The last `stride:` before the error on this line.
    let mut key_end = None;
    let mut search = 0;
    while let Some(found) = before.get(search..).and_then(|s| s.find("stride")) {
        let at = search + found;
        let after = before.get(at + "stride".len()..).unwrap_or("");
        let starts_word = at == 0
            || before
                .get(..at)
                .and_then(|b| b.chars().last())
                .is_some_and(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        if starts_word && after.trim_start().starts_with(':') {
            let colon = at + "stride".len() + (after.len() - after.trim_start().len());
            key_end = Some(colon + 1);
        }
        search = at + 1;
    }
    let value_start = key_end?;
    // The value runs over comma-separated parts up to the next `key:`,
    // `}` or comment.
    let rest = line.get(value_start..)?;
    let rest = rest.split(['#', '}']).next().unwrap_or("");
    let mut end = 0;
    for (i, part) in rest.split(',').enumerate() {
        if part.contains(':') {
            break;
        }
        end = if i == 0 {
            part.len()
        } else {
            end + 1 + part.len()
        };
    }
    let value = rest.get(..end)?.trim_end().trim_end_matches(',').trim_end();
    let lead = rest.len() - rest.trim_start().len();
    let value = value.trim_start();
    if !(value.contains(',') || value.contains(' '))
        || pos > line_start + value_start + lead + value.len()
    {
        return None;
    }
    let meant = crate::model::Stride::from_loose(value)?;
    let start = line_start + value_start + lead;
    Some(tmd001_syntax::stride_apart(
        Span::new(start, start + value.len()),
        &truncate(value, 60),
        &meant.to_string(),
    ))
}

/// A word at the start of a line where a statement belongs, that is no
/// keyword: most likely a misspelt one (`proces`).
fn misspelled_keyword(source: &str, pos: usize, positives: &[Rule]) -> Option<Diagnostic> {
    let wants_statement = expected_list(positives).is_none()
        || positives.iter().any(|r| {
            matches!(
                r,
                Rule::statement
                    | Rule::stmt_line
                    | Rule::header_kw
                    | Rule::element_kind
                    | Rule::kw_flow
            )
        });
    let (line_start, line) = line_at(source, pos);
    let before = line.get(..pos - line_start).unwrap_or("");
    let at_start = before.trim().is_empty();
    // `proces api`: a line may start with `key:` (a boundary's attribute),
    // so the parser stops at the second word, wanting the `:`.
    let after_first_word = positives.contains(&Rule::colon)
        && !before.trim().is_empty()
        && before
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && before.ends_with(char::is_whitespace);
    let (pos, wants_statement) = if after_first_word {
        (
            line_start + (before.len() - before.trim_start().len()),
            true,
        )
    } else {
        (pos, wants_statement)
    };
    let word = word_at(source, pos);
    if !wants_statement || !(at_start || after_first_word) || word.is_empty() {
        return None;
    }
    let span = Span::new(pos, pos + word.len());
    // Keywords are short: allow one edit in three characters, at least one.
    let lower = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let closest = STATEMENT_KEYWORDS
        .iter()
        .chain(CONTEXTUAL_STATEMENT_WORDS)
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, k)| k);
    let shown = truncate(word, 40);
    Some(match closest {
        Some(keyword) => tmd001_syntax::diagnostic(
            span,
            format!("unknown statement `{shown}`"),
            "not a keyword",
        )
        .with_help(format!("did you mean `{keyword}`?")),
        None => tmd001_syntax::diagnostic(
            span,
            format!("`{shown}` does not start a statement"),
            "expected a keyword",
        )
        .with_help(format!(
            "a statement starts with one of {}",
            STATEMENT_KEYWORDS
                .iter()
                .chain(CONTEXTUAL_STATEMENT_WORDS)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    })
}

/// Several words where a string belongs (`process api Order API`, `title
/// Acme shop`): text with spaces must be quoted.
fn unquoted_text(source: &str, pos: usize, positives: &[Rule]) -> Option<Diagnostic> {
    let (line_start, line) = line_at(source, pos);
    let word = word_at(source, pos);
    if word.is_empty() || is_keyword(word) {
        return None;
    }
    let first = first_word(line);
    let header_text = matches!(first, "title" | "scope" | "author" | "version");
    let wants_string = positives.contains(&Rule::string);
    if !(wants_string || header_text) {
        return None;
    }
    // The text runs from the first unquoted word to `{`, a comment, or
    // (in a threat) ` on `.
    let start = if header_text && !wants_string {
        let after = line.trim_start().get(first.len()..).unwrap_or("");
        line_start + (line.len() - after.trim_start().len())
    } else {
        pos
    };
    let rest = line.get(start - line_start..)?;
    let mut text = rest.split(['{', '#', '"']).next().unwrap_or("");
    if first == "threat" {
        if let Some(on) = text.find(" on ") {
            text = text.get(..on).unwrap_or(text);
        }
    }
    let text = text.trim_end();
    if !text.contains(' ') {
        return None;
    }
    let what = if header_text {
        format!("`{first}`")
    } else {
        "a label".to_string()
    };
    Some(
        tmd001_syntax::diagnostic(
            Span::new(start, start + text.len()),
            format!("{what} with spaces must be quoted"),
            "text without quotes",
        )
        .with_help(format!("quote it: `\"{}\"`", truncate(text, 60))),
    )
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
                            return Some(tmd001_syntax::unclosed(
                                Span::new(open, open + 1),
                                "string",
                                None,
                            ));
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
                let opener = if first_word == "boundary" {
                    Opener::Boundary
                } else {
                    Opener::Block
                };
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
                '\n' | '\r' => {
                    return Some(tmd001_syntax::unclosed(
                        Span::new(error_pos, error_pos + 1),
                        "string",
                        None,
                    ))
                }
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
            return Some(tmd001_syntax::unclosed(
                Span::new(error_pos, error_pos + 1),
                "string",
                None,
            ));
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
        .get(
            source
                .get(..error_pos)
                .and_then(|s| s.rfind('\n'))
                .map_or(0, |n| n + 1)..error_pos,
        )
        .is_some_and(|before| before.trim().is_empty());
    let starts_statement =
        at_line_start && (is_keyword(word_at(source, error_pos)) || rest_of_line.is_empty());
    let here = Span::new(error_pos, error_pos + found_len(source, error_pos));
    if opener == Opener::List {
        let same_line = !source.get(open..error_pos).unwrap_or("").contains('\n');
        return (same_line && at_line_end)
            .then(|| tmd001_syntax::unclosed(Span::new(open, open + 1), "list", Some(here)));
    }
    let same_line = !source.get(open..error_pos).unwrap_or("").contains('\n');
    // A multi-line block whose `}` is missing, noticed at the next
    // statement: `threat T3 ...` read as a `key: value` entry.
    let line_start = source
        .get(..error_pos)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |n| n + 1);
    let line = source.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    let keyword = first_word(line);
    let after_keyword = line
        .trim_start()
        .get(keyword.len()..)
        .unwrap_or("")
        .trim_start();
    if !same_line && is_statement_keyword(keyword) && !after_keyword.starts_with(':') {
        let at = line_start + (line.len() - line.trim_start().len());
        let open_line_start = source
            .get(..open)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |n| n + 1);
        let owner = describe_block(source.get(open_line_start..open).unwrap_or(""));
        return Some(tmd001_syntax::unclosed_block(
            Span::new(open, open + 1),
            &owner,
            Some((
                Span::new(at, at + keyword.len()),
                format!("`{keyword}` starts a new statement: {owner} is still open here"),
            )),
        ));
    }
    if at_line_end || starts_statement {
        let what = if same_line { "inline block" } else { "block" };
        return Some(tmd001_syntax::unclosed(
            Span::new(open, open + 1),
            what,
            Some(here),
        ));
    }
    None
}

/// Words that begin a statement (not `on`, `true`, `false`).
fn is_statement_keyword(word: &str) -> bool {
    STATEMENT_KEYWORDS.contains(&word)
}

/// "the block of threat `T2`", from the text of a line before its `{`.
fn describe_block(line: &str) -> String {
    let text = line.split('"').next().unwrap_or("").trim();
    let mut words = text.split_whitespace();
    let keyword = words.next().unwrap_or("");
    let rest: String = words.collect::<Vec<_>>().join(" ");
    let name = match keyword {
        "flow" => match rest.split_once(':') {
            Some((id, _)) => id.trim().to_string(),
            None => rest,
        },
        _ => rest.split_whitespace().next().unwrap_or("").to_string(),
    };
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '-' | '>'))
            .take(60)
            .collect()
    };
    let (keyword, name) = (clean(keyword), clean(&name));
    match (keyword.is_empty(), name.trim().is_empty()) {
        (false, false) => format!("the block of {keyword} `{}`", name.trim()),
        (false, true) => format!("the block of this {keyword}"),
        _ => "this block".to_string(),
    }
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
            } else if c.is_control() || crate::syntax::strings::is_bidi_control(c) {
                format!("control character U+{:04X}", c as u32)
            } else if c == '`' {
                "a backtick".to_string()
            } else {
                // Shown as itself: `'`, not `\'`.
                format!("`{c}`")
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
            Rule::list
            | Rule::date
            | Rule::integer
            | Rule::boolean
            | Rule::word
            | Rule::value
            | Rule::scalar => "a value",
            Rule::comment
            | Rule::comment_line
            | Rule::EOI
            | Rule::blank_line
            | Rule::block_comment
            | Rule::block_blank => "end of line",
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
