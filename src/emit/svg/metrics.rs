//! Text measurement and wrapping with the advance widths of DejaVu Sans,
//! the first font of the stack the SVG names ([`FONT_STACK`]). Its metrics
//! are close to Verdana's, the next in the stack; the later fallbacks
//! (Helvetica, Arial) are narrower, so text measured here fits them too.
//!
//! Characters outside the embedded table get a per-category width: CJK
//! and other wide characters one em, emoji 1.3 em, combining marks and
//! zero-width characters nothing, anything else 0.7 em (wider than an
//! average DejaVu glyph, so that unknown text errs on the roomy side).
//! Kerning is ignored, which also errs on the roomy side.

use super::font_widths::{BOLD, REGULAR, UNITS_PER_EM};

/// The `font-family` the SVG names.
pub const FONT_STACK: &str = r#""DejaVu Sans", Verdana, "Helvetica Neue", Arial, sans-serif"#;

/// Ascent above the baseline, in em (DejaVu Sans `hhea`).
pub const ASCENT: f64 = 1901.0 / 2048.0;
/// Descent below the baseline, in em.
pub const DESCENT: f64 = 483.0 / 2048.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.25;

fn table_width(table: &[(u32, &[u16])], cp: u32) -> Option<u16> {
    table.iter().find_map(|&(start, widths)| {
        let offset = cp.checked_sub(start)?;
        let w = *widths.get(usize::try_from(offset).ok()?)?;
        (w > 0).then_some(w)
    })
}

fn is_zero_width(cp: u32) -> bool {
    matches!(cp,
        0x0300..=0x036F   // combining diacritical marks
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200B..=0x200F // zero-width space, joiners, marks
        | 0x2028..=0x202E
        | 0x2060..=0x206F
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F // variation selectors
        | 0xFE20..=0xFE2F
        | 0xFEFF
        | 0xE0000..=0xE01EF)
        || cp < 0x20
        || (0x7F..0xA0).contains(&cp)
}

fn is_emoji(cp: u32) -> bool {
    matches!(cp, 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1FAFF)
}

fn is_wide(cp: u32) -> bool {
    matches!(cp,
        0x1100..=0x115F   // Hangul Jamo
        | 0x2E80..=0x303E // CJK radicals, punctuation
        | 0x3041..=0x33FF // kana, CJK compatibility
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xA000..=0xA4CF // Yi
        | 0xAC00..=0xD7A3 // Hangul syllables
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Advance width of `c` in em.
pub fn char_em(c: char, bold: bool) -> f64 {
    let cp = u32::from(c);
    let table = if bold { BOLD } else { REGULAR };
    if let Some(w) = table_width(table, cp) {
        return f64::from(w) / UNITS_PER_EM;
    }
    if is_zero_width(cp) {
        0.0
    } else if is_emoji(cp) {
        1.3
    } else if is_wide(cp) {
        1.0
    } else {
        0.7
    }
}

/// Width of `text` in px at `size` px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    text.chars().map(|c| char_em(c, bold)).sum::<f64>() * size
}

/// A text style: size in px and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub fn width(self, text: &str) -> f64 {
        text_width(text, self.size, self.bold)
    }

    pub fn line_height(self) -> f64 {
        self.size * LINE_HEIGHT
    }
}

/// Characters after which an overlong word may be broken.
fn soft_break_after(c: char) -> bool {
    matches!(
        c,
        '-' | '/' | '\\' | '_' | '.' | ',' | ':' | ';' | '@' | '?' | '&' | '=' | '+' | '|' | ')'
    )
}

/// Splits one word wider than `max` into pieces no wider than `max`,
/// preferring to cut after punctuation; a single character wider than
/// `max` stands alone. Zero-width characters (combining marks) stay with
/// the character before them.
fn break_word(word: &str, font: Font, max: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut width = 0.0;
    // Byte offset in `current` just after the last soft break, and the
    // width up to it.
    let mut soft: Option<(usize, f64)> = None;
    for c in word.chars() {
        let w = font.width(c.encode_utf8(&mut [0; 4]));
        if w > 0.0 && width + w > max && !current.is_empty() {
            match soft {
                Some((at, upto)) if at < current.len() => {
                    let rest = current.split_off(at);
                    pieces.push(std::mem::replace(&mut current, rest));
                    width -= upto;
                }
                _ => {
                    pieces.push(std::mem::take(&mut current));
                    width = 0.0;
                }
            }
            soft = None;
        }
        current.push(c);
        width += w;
        if soft_break_after(c) {
            soft = Some((current.len(), width));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Wraps `text` at spaces into lines no wider than `max` px (words wider
/// than `max` are broken). A line feed in the text forces a break; runs of
/// white space count as one space; blank lines are dropped.
pub fn wrap(text: &str, font: Font, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let space = font.width(" ");
    for paragraph in text.split(['\n', '\r']) {
        let mut line = String::new();
        let mut width = 0.0;
        for word in paragraph.split([' ', '\t']).filter(|w| !w.is_empty()) {
            let ww = font.width(word);
            if ww > max {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut pieces = break_word(word, font, max);
                let last = pieces.pop().unwrap_or_default();
                lines.append(&mut pieces);
                width = font.width(&last);
                line = last;
            } else if line.is_empty() {
                line.push_str(word);
                width = ww;
            } else if width + space + ww <= max {
                line.push(' ');
                line.push_str(word);
                width += space + ww;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
                width = ww;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Font = Font {
        size: 12.0,
        bold: false,
    };

    #[test]
    fn widths_come_from_the_table() {
        // DejaVu Sans: 'a' is 1255 units, 'M' 1767, space 651.
        assert!((char_em('a', false) - 1255.0 / 2048.0).abs() < 1e-9);
        assert!((text_width("M a", 10.0, false) - (1767.0 + 651.0 + 1255.0) / 204.8).abs() < 1e-9);
        assert!(char_em('M', true) > char_em('M', false));
        assert!(char_em('é', false) > 0.5);
        assert!(char_em('→', false) > 0.5);
    }

    #[test]
    fn fallback_categories() {
        assert_eq!(char_em('\u{301}', false), 0.0);
        assert_eq!(char_em('\u{200B}', false), 0.0);
        assert_eq!(char_em('漢', false), 1.0);
        assert_eq!(char_em('😀', false), 1.3);
        assert_eq!(char_em('ก', false), 0.7);
    }

    #[test]
    fn wraps_at_spaces() {
        let lines = wrap("Warehouse Management System", F, 180.0);
        assert_eq!(lines, vec!["Warehouse Management", "System"]);
        for l in &lines {
            assert!(F.width(l) <= 180.0);
        }
        assert_eq!(wrap("  a   b ", F, 180.0), vec!["a b"]);
        assert_eq!(wrap("one\ntwo", F, 180.0), vec!["one", "two"]);
        assert!(wrap("", F, 180.0).is_empty());
    }

    #[test]
    fn breaks_overlong_words() {
        let url = "https://example.com/a/very/long/path/that/does/not/fit/anywhere/at/all";
        let lines = wrap(url, F, 120.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), url);
        for l in &lines {
            assert!(F.width(l) <= 120.0, "{l}");
        }
        // Preferably after punctuation.
        assert!(lines
            .iter()
            .take(lines.len() - 1)
            .all(|l| l.ends_with(['/', '.'])));
        let solid = "x".repeat(100);
        let lines = wrap(&solid, F, 50.0);
        assert_eq!(lines.concat(), solid);
        assert!(lines.iter().all(|l| F.width(l) <= 50.0));
        // A combining mark stays with its letter.
        let lines = wrap(&"e\u{301}".repeat(30), F, 40.0);
        assert!(lines.iter().all(|l| !l.starts_with('\u{301}')));
        // A character wider than the limit stands alone.
        assert_eq!(wrap("WW", F, 5.0), vec!["W", "W"]);
    }
}
