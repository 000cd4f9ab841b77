//! XML escaping, identifier validation and number formatting.

use std::fmt::Write as _;

use crate::emit::text::visible;

/// Can `c` appear in an XML 1.0 document at all?
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for element content and attribute values alike: the five
/// XML specials become entities, line ends and tabs character references
/// (so attribute values keep them), and characters XML cannot carry
/// U+FFFD. Apply [`visible`] first for user text ([`user`] does both).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// A user string made visible (bidi controls shown) and escaped.
pub fn user(text: &str) -> String {
    escape(&visible(text))
}

/// A token safe in an `id`, a class name and a CSS selector: ASCII letters,
/// digits, `-` and `_`, starting with a letter. Anything else becomes `_`,
/// and a leading non-letter gets a `d` in front.
pub fn token(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'd');
    }
    out
}

/// A coordinate rounded to 0.01 and printed without trailing zeros
/// (`-0` prints as `0`, non-finite values as `0`).
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends [`num`] of `v` to `out`.
pub fn push_num(out: &mut String, v: f64) {
    let r = (v * 100.0).round() / 100.0;
    let r = if r.is_finite() && r != 0.0 { r } else { 0.0 };
    let start = out.len();
    let _ = write!(out, "{r:.2}");
    while out.ends_with('0') && out.len() > start {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_and_controls() {
        assert_eq!(escape(r#"a&b<c>"d'e"#), "a&amp;b&lt;c&gt;&quot;d&#39;e");
        assert_eq!(escape("x\ny\tz"), "x&#10;y&#9;z");
        assert_eq!(escape("\u{1}\u{FFFE}ok"), "\u{FFFD}\u{FFFD}ok");
        assert_eq!(user("a\u{202E}b<"), "a&lt;U+202E&gt;b&lt;");
    }

    #[test]
    fn tokens_are_safe() {
        assert_eq!(token("d1"), "d1");
        assert_eq!(token("my page"), "my_page");
        assert_eq!(token("1x"), "d1x");
        assert_eq!(token(""), "d");
        assert_eq!(token("\"></style><script>"), "d____style__script_");
    }

    #[test]
    fn numbers_are_rounded_and_trimmed() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.2345), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(10.0), "10");
        assert_eq!(num(-2.499), "-2.5");
    }
}
