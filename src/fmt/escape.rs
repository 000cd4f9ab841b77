//! Writing string literals back: the canonical escapes of a decoded value.
//!
//! `"`, `\`, a line break and a tab are written `\"`, `\\`, `\n`, `\t`.
//! Characters that a reviewer could not see are written `\u{HEX}` (upper-case
//! hex, no leading zeros), so that a diff shows them: bidirectional controls,
//! other format characters (zero-width space and joiners, soft hyphen, the
//! byte-order mark, tag characters, ...), spaces other than U+0020 (a
//! no-break space looks like a space), line and paragraph separators,
//! private-use and unassigned code points, and a combining mark at the very
//! start of a string (it would combine with the opening quote). Every other
//! character is written as itself.

use std::fmt::Write as _;

use crate::syntax::strings::is_bidi_control;

/// The literal, quotes included, that decodes to `value`.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_unicode_escape(c, i == 0) => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` is written as `\u{...}`; `first` when it opens the string.
pub fn needs_unicode_escape(c: char, first: bool) -> bool {
    if c == '\'' || c == ' ' {
        return false;
    }
    c.is_control() || is_bidi_control(c) || is_default_ignorable(c) || !rust_printable(c, first)
}

/// Rust's own judgement (the tables behind `str::escape_debug`): false for
/// unassigned and private-use code points, separators other than the
/// space, format characters, and grapheme extenders at the start of a string.
fn rust_printable(c: char, first: bool) -> bool {
    let mut buf = [0u8; 5];
    let text: &str = if first {
        c.encode_utf8(&mut buf)
    } else {
        // After an ordinary letter a combining mark is not escaped.
        let [head, tail @ ..] = &mut buf;
        *head = b'a';
        let len = c.encode_utf8(tail).len();
        match buf.get(..=len).map(std::str::from_utf8) {
            Some(Ok(s)) => s,
            _ => return false,
        }
    };
    !text.escape_debug().any(|e| e == '\\')
}

/// Unicode's Default_Ignorable_Code_Point (characters that render as
/// nothing), except the variation selectors, which emoji and CJK text use
/// and which do nothing on their own.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E00FF}'
            | '\u{E01F0}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::strings::decode;

    fn roundtrip(value: &str) {
        let quoted = quote(value);
        let body = &quoted[1..quoted.len() - 1];
        let mut diagnostics = Vec::new();
        assert_eq!(decode(body, 0, &mut diagnostics), value, "{quoted}");
        assert!(diagnostics.is_empty(), "{quoted}: {diagnostics:?}");
    }

    #[test]
    fn short_escapes() {
        assert_eq!(quote("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote("it's #1 {x: y}, ok"), r#""it's #1 {x: y}, ok""#);
    }

    #[test]
    fn visible_characters_stay_raw() {
        assert_eq!(quote("café ☕ 日本語 😀 Ω"), "\"café ☕ 日本語 😀 Ω\"");
        // A variation selector after an emoji, a combining accent after a letter.
        assert_eq!(quote("☁\u{FE0F} e\u{301}"), "\"☁\u{FE0F} e\u{301}\"");
    }

    #[test]
    fn invisible_characters_are_escaped() {
        assert_eq!(quote("a\u{202E}b"), r#""a\u{202E}b""#);
        assert_eq!(quote("\u{2066}x\u{2069}"), r#""\u{2066}x\u{2069}""#);
        assert_eq!(quote("zero\u{200B}width"), r#""zero\u{200B}width""#);
        assert_eq!(quote("no\u{A0}break"), r#""no\u{A0}break""#);
        assert_eq!(quote("soft\u{AD}hyphen"), r#""soft\u{AD}hyphen""#);
        assert_eq!(quote("\u{FEFF}bom"), r#""\u{FEFF}bom""#);
        assert_eq!(quote("line\u{2028}sep"), r#""line\u{2028}sep""#);
        assert_eq!(quote("filler\u{3164}"), r#""filler\u{3164}""#);
        assert_eq!(quote("tag\u{E0041}"), r#""tag\u{E0041}""#);
        assert_eq!(quote("private\u{E000}"), r#""private\u{E000}""#);
        // A combining mark with nothing before it.
        assert_eq!(quote("\u{301}x"), r#""\u{301}x""#);
    }

    #[test]
    fn every_quoted_value_decodes_to_itself() {
        for value in [
            "plain",
            "a\"b\\c\nd\te",
            "\u{202E}\u{200B}\u{A0}\u{FEFF}\u{E0041}\u{301}",
            "emoji 👨\u{200D}👩\u{200D}👧 ☁\u{FE0F}",
            "\\u{41} is not an escape once decoded",
            "\u{10FFFF}\u{E000}\u{FFFD}",
        ] {
            roundtrip(value);
        }
    }

    #[test]
    fn every_scalar_value_roundtrips() {
        let mut value = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if !c.is_control() || c == '\n' || c == '\t' {
                value.push(c);
            }
            if value.len() > 4000 {
                roundtrip(&value);
                value.clear();
            }
        }
        roundtrip(&value);
    }
}
