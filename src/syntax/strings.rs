//! Decoding string literals: escapes, and the characters a string may hold.

use crate::checks::{tmd011_control_character, tmd012_invalid_escape};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Decodes the body of a string literal (the text between the quotes),
/// which starts at byte `base` of the file. Bad escapes and control
/// characters are reported and replaced by U+FFFD.
pub fn decode(body: &str, base: usize, diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            if is_forbidden_control(c) {
                diagnostics.push(tmd011_control_character::raw(Span::new(base + i, base + i + c.len_utf8()), c));
                out.push('\u{FFFD}');
            } else {
                out.push(c);
            }
            continue;
        }
        let Some((j, e)) = chars.next() else {
            // The grammar never ends a body on a lone backslash; be safe anyway.
            diagnostics.push(tmd012_invalid_escape::diagnostic(Span::new(base + i, base + i + 1), "\\"));
            break;
        };
        let escape_end = j + e.len_utf8();
        match e {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'u' => {
                let rest = &body[escape_end..];
                match unicode_escape(rest) {
                    Some((value, used)) => {
                        let span = Span::new(base + i, base + escape_end + used);
                        for _ in 0..rest[..used].chars().count() {
                            chars.next();
                        }
                        match char::from_u32(value) {
                            // As an escape, even a tab is refused: write `\t`.
                            Some(ch) if ch.is_control() => {
                                diagnostics.push(tmd011_control_character::escaped(span, ch));
                                out.push('\u{FFFD}');
                            }
                            Some(ch) => out.push(ch),
                            None => {
                                diagnostics.push(tmd012_invalid_escape::diagnostic(span, &body[i..escape_end + used]));
                                out.push('\u{FFFD}');
                            }
                        }
                    }
                    None => {
                        // Point at `\u` and whatever of `{...}` was written.
                        let used = malformed_unicode_len(rest);
                        for _ in 0..rest[..used].chars().count() {
                            chars.next();
                        }
                        let span = Span::new(base + i, base + escape_end + used);
                        diagnostics.push(tmd012_invalid_escape::diagnostic(span, &body[i..escape_end + used]));
                        out.push('\u{FFFD}');
                    }
                }
            }
            other => {
                diagnostics.push(tmd012_invalid_escape::diagnostic(
                    Span::new(base + i, base + escape_end),
                    &format!("\\{other}"),
                ));
                out.push('\u{FFFD}');
            }
        }
    }
    out
}

/// Parses `{HEX}` (1 to 6 hex digits) at the start of `rest`; returns the
/// number and the bytes used.
fn unicode_escape(rest: &str) -> Option<(u32, usize)> {
    let inner = rest.strip_prefix('{')?;
    let close = inner.find('}')?;
    let digits = &inner[..close];
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let value = u32::from_str_radix(digits, 16).ok()?;
    Some((value, close + 2))
}

/// How much of a malformed `\u` escape to point at: up to and including a
/// `}` on the same token, or just `{`, or nothing.
fn malformed_unicode_len(rest: &str) -> usize {
    if let Some(inner) = rest.strip_prefix('{') {
        let end = inner
            .char_indices()
            .find(|&(_, c)| c == '}' || c == '"' || c.is_whitespace())
            .map_or(inner.len(), |(k, c)| if c == '}' { k + 1 } else { k });
        1 + end
    } else {
        0
    }
}

/// Control characters (Unicode category Cc) other than a tab.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// Bidirectional formatting controls, which can reorder text on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<&'static str>) {
        let mut diagnostics = Vec::new();
        let out = decode(body, 0, &mut diagnostics);
        (out, diagnostics.iter().map(|d| d.code).collect())
    }

    #[test]
    fn escapes_decode() {
        assert_eq!(run(r#"a\"b\\c\nd\te"#).0, "a\"b\\c\nd\te");
        assert_eq!(run(r"\u{1F600}!").0, "\u{1F600}!");
        assert_eq!(run(r"\u{e9}").0, "é");
    }

    #[test]
    fn bad_escapes_are_reported() {
        assert_eq!(run(r"\q").1, vec!["TMD012"]);
        assert_eq!(run(r"\u{110000}").1, vec!["TMD012"]);
        assert_eq!(run(r"\u{D800}").1, vec!["TMD012"]);
        assert_eq!(run(r"\u{}").1, vec!["TMD012"]);
        assert_eq!(run(r"\u1234").1, vec!["TMD012"]);
        assert_eq!(run(r"\u{1234567}").1, vec!["TMD012"]);
    }

    #[test]
    fn control_characters_are_reported() {
        assert_eq!(run("a\u{7}b").1, vec!["TMD011"]);
        assert_eq!(run(r"\u{7}").1, vec!["TMD011"]);
        assert_eq!(run("\u{85}").1, vec!["TMD011"]);
        assert!(run("a\tb").1.is_empty());
        assert_eq!(run(r"\u{9}").1, vec!["TMD011"]);
    }

    #[test]
    fn spans_point_at_the_escape() {
        let mut diagnostics = Vec::new();
        decode(r"ab\qc", 10, &mut diagnostics);
        assert_eq!(diagnostics[0].span, Span::new(12, 14));
    }
}
