//! Positions: the client counts lines and UTF-16 code units (the LSP
//! default), the compiler byte offsets into the text less its byte-order
//! mark. One value converts both ways for one text.

use lsp_types::{Position, Range};

use crate::span::{clamp_to_char_boundary, LineIndex, Span};

/// A document's text with its line starts, for position conversions.
#[derive(Clone, Debug)]
pub struct Text {
    /// As the client holds it (a byte-order mark included).
    pub text: String,
    lines: LineIndex,
    /// The length of the byte-order mark the compiler removed (0 or 3).
    bom: usize,
}

impl Text {
    pub fn new(text: String) -> Text {
        let lines = LineIndex::new(&text);
        let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        Text { text, lines, bom }
    }

    /// The byte offset in the text the compiler saw (no byte-order mark)
    /// of a client position; a position past a line's end or the text's
    /// end is clamped.
    pub fn offset(&self, position: Position) -> usize {
        self.raw_offset(position).saturating_sub(self.bom)
    }

    fn raw_offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let end = self
            .text
            .get(start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.text.len(), |n| start + n);
        let mut units = 0u32;
        let line_text = self.text.get(start..end).unwrap_or("");
        for (i, ch) in line_text.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += ch.len_utf16() as u32;
        }
        end
    }

    /// The client position of a compiler byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let raw = clamp_to_char_boundary(&self.text, offset.saturating_add(self.bom));
        let line = self.lines.line_of(raw);
        let start = self.lines.line_start(line).min(raw);
        let character = self
            .text
            .get(start..raw)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>());
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The range covering the whole text.
    pub fn whole(&self) -> Range {
        Range::new(
            Position::new(0, 0),
            self.position(self.text.len().saturating_sub(self.bom)),
        )
    }

    /// The compiler's text (the byte-order mark removed).
    pub fn source(&self) -> &str {
        self.text.get(self.bom..).unwrap_or("")
    }
}

/// Applies one content change (a range, or the whole text) to `text`.
pub fn apply_change(text: &Text, range: Option<Range>, new: &str) -> String {
    match range {
        None => new.to_string(),
        Some(range) => {
            let start = text.raw_offset(range.start);
            let end = text.raw_offset(range.end).max(start);
            let mut out = String::with_capacity(text.text.len() + new.len());
            out.push_str(text.text.get(..start).unwrap_or(""));
            out.push_str(new);
            out.push_str(text.text.get(end..).unwrap_or(""));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_both_ways() {
        // "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units.
        let t = Text::new("ab\né😀x\n".to_string());
        assert_eq!(t.offset(Position::new(1, 0)), 3);
        assert_eq!(t.offset(Position::new(1, 1)), 5);
        assert_eq!(t.offset(Position::new(1, 3)), 9);
        assert_eq!(t.position(9), Position::new(1, 3));
        assert_eq!(t.offset(Position::new(1, 99)), 10);
        assert_eq!(t.offset(Position::new(9, 0)), t.text.len());
    }

    #[test]
    fn the_byte_order_mark_is_not_in_compiler_offsets() {
        let t = Text::new("\u{FEFF}process a\n".to_string());
        assert_eq!(t.source(), "process a\n");
        assert_eq!(t.offset(Position::new(0, 1)), 0);
        assert_eq!(t.position(0), Position::new(0, 1));
    }

    #[test]
    fn a_change_replaces_its_range() {
        let t = Text::new("process a\nprocess b\n".to_string());
        let range = Range::new(Position::new(1, 8), Position::new(1, 9));
        assert_eq!(
            apply_change(&t, Some(range), "zz"),
            "process a\nprocess zz\n"
        );
        // A reversed or out-of-range change does not panic.
        let range = Range::new(Position::new(5, 8), Position::new(0, 0));
        let _ = apply_change(&t, Some(range), "x");
    }
}
