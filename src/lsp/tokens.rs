//! Semantic tokens: a lexer over the text (so that a buffer that does not
//! parse is still coloured), with IDs classed by what they name.

use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};

use super::complete::{HEADERS, STATEMENTS};
use super::index::{Index, Kind, Occurrence};
use crate::model::BUILTIN_ACTORS;
use crate::span::Span;

const KEYWORD: u32 = 0;
const NAMESPACE: u32 = 1;
const CLASS: u32 = 2;
const FUNCTION: u32 = 3;
const TYPE: u32 = 4;
const STRUCT: u32 = 5;
const VARIABLE: u32 = 6;
const PROPERTY: u32 = 7;
const STRING: u32 = 8;
const NUMBER: u32 = 9;
const COMMENT: u32 = 10;
const ENUM_MEMBER: u32 = 11;
const OPERATOR: u32 = 12;

const DECLARATION: u32 = 1;
const DEFAULT_LIBRARY: u32 = 2;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::CLASS,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::TYPE,
            SemanticTokenType::STRUCT,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::ENUM_MEMBER,
            SemanticTokenType::OPERATOR,
        ],
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

/// The token type of an ID of `kind`.
pub fn type_of(kind: Kind) -> u32 {
    match kind {
        Kind::Boundary => NAMESPACE,
        Kind::External | Kind::Process | Kind::Store => CLASS,
        Kind::Flow => FUNCTION,
        Kind::Actor => TYPE,
        Kind::Threat => STRUCT,
        Kind::Scale | Kind::Control | Kind::Asset | Kind::Assumption => VARIABLE,
    }
}

/// One token: line, UTF-16 start and length, type, modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub line: u32,
    pub start: u32,
    pub length: u32,
    pub kind: u32,
    pub modifiers: u32,
}

fn utf16(text: &str) -> u32 {
    text.chars().map(char::len_utf16).sum::<usize>() as u32
}

/// The tokens of `source` (the compiler's text; `column0` is the UTF-16
/// width of a byte-order mark on the first line).
pub fn tokens(source: &str, index: Option<&Index>, column0: u32) -> Vec<Token> {
    let mut out = Vec::new();
    let mut line_start = 0usize;
    for (line_no, line) in source.split('\n').enumerate() {
        lex_line(
            line,
            line_start,
            line_no as u32,
            if line_no == 0 { column0 } else { 0 },
            index,
            &mut out,
        );
        line_start += line.len() + 1;
    }
    out
}

fn lex_line(
    line: &str,
    base: usize,
    line_no: u32,
    column0: u32,
    index: Option<&Index>,
    out: &mut Vec<Token>,
) {
    let bytes = line.as_bytes();
    let mut push = |start: usize, end: usize, kind: u32, modifiers: u32| {
        let prefix = line.get(..start).unwrap_or("");
        let text = line.get(start..end).unwrap_or("");
        out.push(Token {
            line: line_no,
            start: column0 + utf16(prefix),
            length: utf16(text),
            kind,
            modifiers,
        });
    };
    let first = line.len() - line.trim_start().len();
    let mut i = 0;
    let mut previous_word = "";
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'#' => {
                push(i, line.trim_end_matches('\r').len().max(i), COMMENT, 0);
                return;
            }
            b'"' => {
                let mut j = i + 1;
                let mut escaped = false;
                while let Some(&c) = bytes.get(j) {
                    j += 1;
                    if escaped {
                        escaped = false;
                    } else if c == b'\\' {
                        escaped = true;
                    } else if c == b'"' {
                        break;
                    }
                }
                let j = crate::span::clamp_to_char_boundary(line, j);
                push(i, j, STRING, 0);
                i = j.max(i + 1);
            }
            b'-' if bytes.get(i + 1) == Some(&b'>') => {
                push(i, i + 2, OPERATOR, 0);
                i += 2;
            }
            b'0'..=b'9' => {
                let mut j = i;
                while bytes
                    .get(j)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
                {
                    j += 1;
                }
                push(i, j, NUMBER, 0);
                i = j;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i;
                while bytes
                    .get(j)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
                {
                    j += 1;
                }
                let word = line.get(i..j).unwrap_or("");
                // An ID has no `-`: cut it there to find it in the index.
                let id_end = word.find('-').map_or(j, |k| i + k);
                let span = Span::new(base + i, base + id_end);
                let colon_follows = line
                    .get(j..)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'));
                let occurrence = index.and_then(|ix| {
                    ix.at(span.start)
                        .filter(|o| ix.name_of(*o).is_some_and(|(_, s)| s == span))
                        .map(|o| (ix, o))
                });
                match occurrence {
                    Some((ix, Occurrence::Def(d))) => {
                        if let Some(def) = ix.defs.get(d) {
                            push(i, id_end, type_of(def.kind), DECLARATION);
                        }
                    }
                    Some((ix, Occurrence::Ref(r))) => {
                        let resolved = ix.refs.get(r).and_then(|r| ix.resolve(r));
                        match resolved {
                            Some(def) => push(i, id_end, type_of(def.kind), 0),
                            None if BUILTIN_ACTORS.iter().any(|(n, _)| *n == word) => {
                                push(i, id_end, TYPE, DEFAULT_LIBRARY)
                            }
                            None => push(i, id_end, VARIABLE, 0),
                        }
                    }
                    None => {
                        let statement = i == first
                            && !colon_follows
                            && (STATEMENTS.iter().any(|(k, _)| *k == word)
                                || HEADERS.contains(&word));
                        let kind = if statement
                            || (word == "on" && !previous_word.is_empty())
                            || word == "true"
                            || word == "false"
                        {
                            KEYWORD
                        } else if colon_follows {
                            PROPERTY
                        } else if BUILTIN_ACTORS.iter().any(|(n, _)| *n == word) {
                            TYPE
                        } else {
                            ENUM_MEMBER
                        };
                        let modifiers = if kind == TYPE { DEFAULT_LIBRARY } else { 0 };
                        push(i, j, kind, modifiers);
                    }
                }
                previous_word = word;
                i = j;
            }
            _ => {
                i += 1;
                // Skip the rest of a multi-byte character.
                while i < bytes.len() && !line.is_char_boundary(i) {
                    i += 1;
                }
            }
        }
    }
}

/// The tokens delta-encoded, as the protocol sends them.
pub fn encode(tokens: &[Token]) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0, 0);
    for t in tokens {
        let delta_line = t.line - line;
        let delta_start = if delta_line == 0 {
            t.start - start
        } else {
            t.start
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: t.length,
            token_type: t.kind,
            token_modifiers_bitset: t.modifiers,
        });
        line = t.line;
        start = t.start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_model_is_classed() {
        let text =
            "title \"M\"\nprocess api # the API\nstore db\nflow q: api -> db { encrypted: true }\n\
threat T1 on q { actor: apt, scenario: \"s\", severity: low, reviewed_on: 2025-01-02 }\n";
        let c = crate::compile(text);
        let ix = Index::build(c.file.as_ref().unwrap());
        let toks = tokens(text, Some(&ix), 0);
        let kinds: Vec<(String, u32, u32)> = toks
            .iter()
            .map(|t| {
                let line = text.lines().nth(t.line as usize).unwrap();
                let word: String = line
                    .chars()
                    .skip(t.start as usize)
                    .take(t.length as usize)
                    .collect();
                (word, t.kind, t.modifiers)
            })
            .collect();
        let has = |w: &str, k: u32, m: u32| {
            assert!(
                kinds.contains(&(w.to_string(), k, m)),
                "{w} {k} {m} in {kinds:?}"
            )
        };
        has("title", KEYWORD, 0);
        has("\"M\"", STRING, 0);
        has("api", CLASS, DECLARATION);
        has("# the API", COMMENT, 0);
        has("q", FUNCTION, DECLARATION);
        has("api", CLASS, 0);
        has("->", OPERATOR, 0);
        has("encrypted", PROPERTY, 0);
        has("true", KEYWORD, 0);
        has("on", KEYWORD, 0);
        has("q", FUNCTION, 0);
        has("apt", TYPE, DEFAULT_LIBRARY);
        has("low", ENUM_MEMBER, 0);
        has("2025-01-02", NUMBER, 0);
        has("T1", STRUCT, DECLARATION);
        // Sorted, so that the encoding never underflows.
        let encoded = encode(&toks);
        assert_eq!(encoded.len(), toks.len());
    }
}
