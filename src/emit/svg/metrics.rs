//! Text measurement and wrapping with the advance widths of DejaVu Sans,
//! the first font of the stack the SVG names ([`FONT_STACK`]). Its metrics
//! are close to Verdana's, the next in the stack; the later fallbacks
//! (Helvetica, Arial) are narrower, so text measured here fits them too.
//!
//! Text is measured and wrapped by grapheme cluster (what a reader sees as
//! one character: a letter with its combining marks, an emoji ZWJ sequence,
//! a flag), never split inside one (`unicode-segmentation`). Characters
//! outside the embedded table take a width from their Unicode properties:
//! zero-width characters and combining marks nothing, wide (CJK, Hangul,
//! full-width) characters one em (`unicode-width`), an emoji, or an emoji
//! sequence however many code points it holds, 1.3 em
//! (`unicode-properties`), anything else 0.7 em (wider than an average
//! DejaVu glyph, so that unknown text errs on the roomy side). Kerning is
//! ignored, which also errs on the roomy side.

use unicode_properties::UnicodeEmoji;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::font_widths::{BOLD, REGULAR, UNITS_PER_EM};

/// The `font-family` the SVG names.
pub const FONT_STACK: &str = r#""DejaVu Sans", Verdana, "Helvetica Neue", Arial, sans-serif"#;

/// Ascent above the baseline, in em (DejaVu Sans `hhea`).
pub const ASCENT: f64 = 1901.0 / 2048.0;
/// Descent below the baseline, in em.
pub const DESCENT: f64 = 483.0 / 2048.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.25;

/// An emoji glyph (colour emoji fonts draw them about 1.3 em wide).
const EMOJI_EM: f64 = 1.3;
/// A wide (East Asian) glyph.
const WIDE_EM: f64 = 1.0;
/// Any other glyph DejaVu Sans lacks.
const OTHER_EM: f64 = 0.7;

fn table_width(table: &[(u32, &[u16])], cp: u32) -> Option<u16> {
    table.iter().find_map(|&(start, widths)| {
        let offset = cp.checked_sub(start)?;
        let w = *widths.get(usize::try_from(offset).ok()?)?;
        (w > 0).then_some(w)
    })
}

/// Advance width of `c` alone in em.
pub fn char_em(c: char, bold: bool) -> f64 {
    let table = if bold { BOLD } else { REGULAR };
    if let Some(w) = table_width(table, u32::from(c)) {
        return f64::from(w) / UNITS_PER_EM;
    }
    match c.width() {
        None | Some(0) => 0.0,
        Some(1) => OTHER_EM,
        Some(_) if c.is_emoji_char() => EMOJI_EM,
        Some(_) => WIDE_EM,
    }
}

/// Advance width of one grapheme cluster in em. A cluster that Unicode
/// shows as one emoji (a ZWJ sequence, a flag, a skin tone, a keycap, an
/// emoji presentation selector) is one emoji wide; any other cluster is as
/// wide as its characters (combining marks add nothing).
fn grapheme_em(g: &str, bold: bool) -> f64 {
    let mut chars = g.chars();
    let (Some(first), Some(_)) = (chars.next(), chars.next()) else {
        return g.chars().map(|c| char_em(c, bold)).sum();
    };
    if first.is_emoji_char() && g.width() == 2 {
        EMOJI_EM
    } else {
        g.chars().map(|c| char_em(c, bold)).sum()
    }
}

/// Width of `text` in px at `size` px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = if text.is_ascii() {
        text.chars().map(|c| char_em(c, bold)).sum()
    } else {
        text.graphemes(true).map(|g| grapheme_em(g, bold)).sum()
    };
    em * size
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

/// Grapheme clusters after which an overlong word may be broken.
fn soft_break_after(g: &str) -> bool {
    matches!(
        g,
        "-" | "/" | "\\" | "_" | "." | "," | ":" | ";" | "@" | "?" | "&" | "=" | "+" | "|" | ")"
    )
}

/// Splits one word wider than `max` into pieces no wider than `max`,
/// preferring to cut after punctuation, and only between grapheme
/// clusters; a single cluster wider than `max` stands alone.
fn break_word(word: &str, font: Font, max: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut width = 0.0;
    // Byte offset in `current` just after the last soft break, and the
    // width up to it.
    let mut soft: Option<(usize, f64)> = None;
    for g in word.graphemes(true) {
        let w = font.width(g);
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
        current.push_str(g);
        width += w;
        if soft_break_after(g) {
            soft = Some((current.len(), width));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// The words of one line of text: runs of grapheme clusters between
/// spaces and tabs. A space that carries a combining mark is one cluster
/// with it, not a separator, so no word starts with a bare mark.
fn words(paragraph: &str) -> impl Iterator<Item = &str> {
    // In ASCII text every character is a cluster of its own: the words are
    // found without segmenting.
    let ascii = paragraph.is_ascii();
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        if ascii {
            let blank = |c: char| c == ' ' || c == '\t';
            let start = rest.find(|c: char| !blank(c))?;
            let tail = rest.get(start..).unwrap_or("");
            let end = tail.find(blank).unwrap_or(tail.len());
            rest = tail.get(end..).unwrap_or("");
            return tail.get(..end);
        }
        let mut start = None;
        for (i, g) in rest.grapheme_indices(true) {
            let blank = g == " " || g == "\t";
            match (start, blank) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    let word = rest.get(s..i);
                    rest = rest.get(i..).unwrap_or("");
                    return word;
                }
                _ => {}
            }
        }
        let word = start.and_then(|s| rest.get(s..));
        rest = "";
        word
    })
}

/// Wraps `text` at spaces into lines no wider than `max` px; a word wider
/// than `max` is broken between grapheme clusters. A line feed in the text
/// forces a break; runs of white space count as one space; blank lines are
/// dropped.
pub fn wrap(text: &str, font: Font, max: f64) -> Vec<String> {
    wrap_with(text, font, max, true)
}

/// Like [`wrap`], but a word is never broken: a word wider than `max`
/// stands alone on a line wider than `max`. For identifiers (threat IDs
/// in badges), where a piece of an ID would read as another ID.
pub fn wrap_words(text: &str, font: Font, max: f64) -> Vec<String> {
    wrap_with(text, font, max, false)
}

fn wrap_with(text: &str, font: Font, max: f64, break_long: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let space = font.width(" ");
    for paragraph in text.split(['\n', '\r']) {
        let mut line = String::new();
        let mut width = 0.0;
        for word in words(paragraph) {
            let ww = font.width(word);
            if ww > max && break_long {
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

    /// Labels made of multi-character grapheme clusters: combining marks,
    /// emoji ZWJ sequences, flags, skin tones, keycaps, Hangul jamo,
    /// Devanagari, and a space carrying a combining mark.
    const CLUSTERED: &[&str] = &[
        "e\u{301}a\u{308}o\u{302}\u{323}",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
        "\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EF}\u{1F1F5}",
        "\u{1F44D}\u{1F3FD}\u{1F469}\u{1F3FF}\u{200D}\u{1F4BB}",
        "1\u{FE0F}\u{20E3}#\u{FE0F}\u{20E3}",
        "\u{1100}\u{1161}\u{11A8}\u{1102}\u{1165}",
        "\u{928}\u{92E}\u{938}\u{94D}\u{924}\u{947}",
        "a \u{301}b",
    ];

    /// The grapheme clusters of `text` other than spaces, in order.
    fn clusters(text: &str) -> Vec<&str> {
        use unicode_segmentation::UnicodeSegmentation;
        text.graphemes(true).filter(|g| *g != " ").collect()
    }

    #[test]
    fn wrapping_never_splits_a_grapheme_cluster() {
        for unit in CLUSTERED {
            for text in [unit.repeat(12), [*unit; 8].join(" ")] {
                for max in [1.0, 10.0, 25.0, 40.0, 70.0, 130.0] {
                    let lines = wrap(&text, F, max);
                    let got: Vec<&str> = lines.iter().flat_map(|l| clusters(l)).collect();
                    assert_eq!(got, clusters(&text), "{text:?} at {max}: {lines:?}");
                }
            }
        }
    }

    #[test]
    fn cjk_is_wide_and_an_emoji_sequence_is_one_glyph() {
        let em = |t: &str| text_width(t, 1.0, false);
        // CJK ideographs, kana, Hangul and full-width forms: one em each.
        assert!((em("漢字") - 2.0).abs() < 1e-9);
        assert!((em("かな") - 2.0).abs() < 1e-9);
        assert!((em("한국어") - 3.0).abs() < 1e-9);
        assert!((em("ＡＢ") - 2.0).abs() < 1e-9);
        // A CJK label is wider than the same number of Latin letters.
        assert!(em("漢字漢字") > em("abcd"));
        // One emoji, however many code points it is made of.
        let one = em("\u{1F600}");
        assert!(one > 1.0);
        for seq in [
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
            "\u{1F1EB}\u{1F1F7}",
            "\u{1F44D}\u{1F3FD}",
            "\u{2764}\u{FE0F}",
            "1\u{FE0F}\u{20E3}",
        ] {
            assert!((em(seq) - one).abs() < 1e-9, "{seq:?}: {}", em(seq));
        }
        // Combining marks and zero-width characters add nothing.
        assert!((em("e\u{301}\u{323}") - em("e")).abs() < 1e-9);
        assert_eq!(em("\u{200B}\u{2060}\u{FEFF}"), 0.0);
    }

    #[test]
    fn ascii_words_are_the_clusters_between_blanks() {
        // The ASCII path gives what segmenting gives: the same text with a
        // non-ASCII character after it takes the cluster path.
        for text in ["", "  ", "a", " a  b\tc ", "\t\tx-y, z;  w\t", "one two"] {
            let ascii: Vec<&str> = words(text).collect();
            let marked = format!("{text} \u{e9}");
            let mut clusters: Vec<&str> = words(&marked).collect();
            assert_eq!(clusters.pop(), Some("\u{e9}"), "{text:?}");
            assert_eq!(ascii, clusters, "{text:?}");
        }
    }

    #[test]
    fn words_are_kept_whole_when_asked() {
        let ids = "T-VERY-LONG-THREAT-IDENTIFIER-0001, T2, T-ANOTHER-RATHER-LONG-ID";
        let lines = wrap_words(ids, F, 60.0);
        assert_eq!(
            lines,
            vec![
                "T-VERY-LONG-THREAT-IDENTIFIER-0001,",
                "T2,",
                "T-ANOTHER-RATHER-LONG-ID"
            ]
        );
        assert_eq!(wrap_words("T1, T2, T3", F, 200.0), vec!["T1, T2, T3"]);
    }
}
