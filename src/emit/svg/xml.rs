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
    escape_into(&mut out, text);
    out
}

/// Appends [`escape`] of `text` to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    // Runs of characters kept as they are are copied whole.
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let with = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\n' => "&#10;",
            '\r' => "&#13;",
            '\t' => "&#9;",
            c if xml_char(c) => continue,
            _ => "\u{FFFD}",
        };
        out.push_str(text.get(start..i).unwrap_or(""));
        out.push_str(with);
        start = i + c.len_utf8();
    }
    out.push_str(text.get(start..).unwrap_or(""));
}

/// A user string made visible (bidi controls shown) and escaped.
pub fn user(text: &str) -> String {
    escape(&visible(text))
}

/// Appends [`user`] of `text` to `out`.
pub fn user_into(out: &mut String, text: &str) {
    escape_into(out, &visible(text));
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

/// The decimal digit `d` (0 to 9).
fn digit(d: u64) -> char {
    char::from(b'0' + (d % 10) as u8)
}

/// Appends the decimal digits of `n` (without `fmt`, which is slow here).
fn push_digits(out: &mut String, n: u64) {
    let mut p = 1u64;
    while p <= n / 10 {
        p *= 10;
    }
    loop {
        out.push(digit(n / p));
        if p == 1 {
            break;
        }
        p /= 10;
    }
}

/// Appends [`num`] of `v` to `out`.
pub fn push_num(out: &mut String, v: f64) {
    // Integer arithmetic for every coordinate a drawing has: formatting a
    // float with a precision is the slow path of `fmt` (a third of the
    // time to write an SVG). The same text as the float path below.
    let hundredths = (v * 100.0).round();
    if hundredths.abs() < 1e15 {
        let n = hundredths as i64;
        if n == 0 {
            out.push('0');
            return;
        }
        let (whole, frac) = (n.unsigned_abs() / 100, n.unsigned_abs() % 100);
        if n < 0 {
            out.push('-');
        }
        push_digits(out, whole);
        if frac != 0 {
            out.push('.');
            out.push(digit(frac / 10));
            if frac % 10 != 0 {
                out.push(digit(frac % 10));
            }
        }
        return;
    }
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
    fn numbers_are_written_as_the_float_path_writes_them() {
        let float_path = |v: f64| {
            let r = (v * 100.0).round() / 100.0;
            let r = if r.is_finite() && r != 0.0 { r } else { 0.0 };
            let t = format!("{r:.2}");
            let t = t.trim_end_matches('0');
            t.trim_end_matches('.').to_string()
        };
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.004,
            -0.004,
            0.005,
            -0.005,
            1.0,
            -1.0,
            0.1,
            0.25,
            2.675,
            1.005,
            10.5,
            -10.5,
            99.999,
            123456.789,
            -0.01,
            1e9,
            f64::NAN,
            f64::INFINITY,
        ];
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x % 2_000_000_000) as f64 / 997.0 - 1_000_000.0);
        }
        for v in values {
            let mut out = String::new();
            push_num(&mut out, v);
            assert_eq!(out, float_path(v), "{v}");
        }
    }

    #[test]
    fn escapes_specials_and_controls() {
        assert_eq!(escape(r#"a&b<c>"d'e"#), "a&amp;b&lt;c&gt;&quot;d&#39;e");
        assert_eq!(escape("x\ny\tz"), "x&#10;y&#9;z");
        assert_eq!(escape("\u{1}\u{FFFE}ok"), "\u{FFFD}\u{FFFD}ok");
        assert_eq!(user("a\u{202E}b<"), "a&lt;U+202E&gt;b&lt;");
        assert_eq!(escape("é<ü\u{1F600}&"), "é&lt;ü\u{1F600}&amp;");
        let mut out = String::from("<t>");
        user_into(&mut out, "x\u{202E}>");
        escape_into(&mut out, "\u{0}");
        assert_eq!(out, "<t>x&lt;U+202E&gt;&gt;\u{FFFD}");
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
