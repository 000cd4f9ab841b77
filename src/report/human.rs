//! miette's graphical report.

use std::borrow::Cow;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::FileReport;
use crate::diagnostic::{Diagnostic, Level};
use crate::span::{clamp_to_char_boundary, LineIndex};

/// Adapts our diagnostic to miette's trait.
struct Adapter<'a> {
    d: &'a Diagnostic,
    source: &'a Window<'a>,
}

/// The lines of a file around one diagnostic's spans. miette scans its
/// source from the start for every span it shows; giving it only the lines
/// it needs keeps a report of thousands of diagnostics linear. A
/// diagnostic whose labels lie far apart (a duplicate and the first
/// declaration) gets one piece of text per cluster of labels, not every
/// line in between.
struct Window<'a> {
    name: &'a str,
    pieces: Vec<Piece<'a>>,
}

/// Whole lines of the file, from the start of a line, with characters
/// that would act on a terminal replaced (see [`terminal_safe`]).
struct Piece<'a> {
    text: Cow<'a, str>,
    /// Byte offset of `text` in the file.
    start: usize,
    /// 0-based line number of `text`'s first line.
    first_line: usize,
}

impl<'a> Window<'a> {
    /// Context lines kept around the spans (miette shows at most a few).
    const CONTEXT: usize = 4;

    fn around(name: &'a str, source: &'a str, index: &LineIndex, d: &Diagnostic) -> Window<'a> {
        let mut ranges: Vec<(usize, usize)> = std::iter::once(d.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .map(|s| {
                let first = index
                    .line_of(s.start.min(source.len()))
                    .saturating_sub(Self::CONTEXT);
                let last = index.line_of(s.end.max(s.start).min(source.len())) + Self::CONTEXT + 1;
                (first, last)
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (first, last) in ranges {
            match merged.last_mut() {
                Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        let pieces = merged
            .into_iter()
            .map(|(first_line, last_line)| {
                let start = index.line_start(first_line).min(source.len());
                let end = if last_line < index.line_count() {
                    index.line_start(last_line)
                } else {
                    source.len()
                };
                let start = clamp_to_char_boundary(source, start);
                let end = clamp_to_char_boundary(source, end.max(start));
                Piece {
                    text: terminal_safe(source.get(start..end).unwrap_or("")),
                    start,
                    first_line,
                }
            })
            .collect();
        Window { name, pieces }
    }
}

/// The source lines miette prints, made safe for a terminal: control
/// characters (but tabs and CRLF line ends) and bidirectional controls
/// are replaced by characters of the same UTF-8 length, so that every
/// byte offset still points where it did: a C0 control or DEL by `?`, a
/// C1 control by `¿`, a lone carriage return by `?`, a bidirectional
/// control by U+FFFD `�`. An escape sequence in a model (in a comment, or
/// in the string of a TMD011 error) can then neither drive the terminal
/// nor reorder the line shown.
fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_at = |i: usize, c: char| match c {
        '\t' | '\n' => false,
        '\r' => text.as_bytes().get(i + 1) != Some(&b'\n'),
        _ => c.is_control() || crate::syntax::strings::is_bidi_control(c),
    };
    if !text.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if !unsafe_at(i, c) {
            out.push(c);
            continue;
        }
        match c.len_utf8() {
            1 => out.push('?'),
            2 => out.push('¿'),
            3 => out.push('\u{FFFD}'),
            // No control character takes four bytes; keep lengths equal
            // whatever happens.
            n => out.extend(std::iter::repeat_n('?', n)),
        }
    }
    Cow::Owned(out)
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (lo, hi) = (span.offset(), span.offset() + span.len());
        let piece = self
            .pieces
            .iter()
            .find(|p| p.start <= lo && hi <= p.start + p.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((lo - piece.start).into(), span.len());
        let contents = piece.text.as_ref().read_span(&local, before, after)?;
        let span = SourceSpan::new(
            (contents.span().offset() + piece.start).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            contents.data(),
            span,
            contents.line() + piece.first_line,
            contents.column(),
            contents.line_count(),
        )))
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Adapter<'_> {}

fn span(s: crate::span::Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.len())
}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            (!self.d.label.is_empty()).then(|| self.d.label.clone()),
            span(self.d.span),
        );
        let secondary = self
            .d
            .secondary
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), span(l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// The diagnostic with the text miette prints (message, labels, hint)
/// safe for a terminal: messages may quote the model (the codes of a
/// `# tmd: allow` comment, a token), so a control character other than a
/// line break becomes U+FFFD and a bidirectional control `<U+202E>`.
fn message_safe(d: &Diagnostic) -> Diagnostic {
    fn clean(text: &str) -> String {
        crate::emit::text::visible(text)
            .chars()
            .map(|c| {
                if c.is_control() && c != '\n' {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect()
    }
    let mut d = d.clone();
    d.message = clean(&d.message);
    d.label = clean(&d.label);
    d.help = d.help.as_deref().map(clean);
    for l in &mut d.secondary {
        l.message = clean(&l.message);
    }
    d
}

/// Where textwrap may hyphenate a word: as usual, except inside a `code
/// span` (a word holding a backtick), so that `status: in-progress` is
/// never broken at its hyphen.
fn code_aware_splits(word: &str) -> Vec<usize> {
    if word.contains('`') {
        Vec::new()
    } else {
        textwrap::WordSplitter::HyphenSplitter.split_points(word)
    }
}

/// Width of the report when the caller knows no better (not a terminal,
/// no `COLUMNS`).
pub const DEFAULT_WIDTH: usize = 100;

/// Splits a line into the words textwrap may break between: at spaces, but
/// never inside a `code span`, so that a hint such as "silence this with
/// `# tmd: allow TMD106`" keeps the comment whole on one line, ready to
/// copy.
fn code_aware_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut prev_space = false;
    for (i, c) in line.char_indices() {
        if c != ' ' && prev_space && !in_code {
            words.push(textwrap::core::Word::from(line.get(start..i).unwrap_or("")));
            start = i;
        }
        if c == '`' {
            in_code = !in_code;
        }
        prev_space = c == ' ';
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(line.get(start..).unwrap_or("")));
    }
    Box::new(words.into_iter())
}

/// The graphical report of one file's diagnostics, errors first (then
/// warnings, each in source order); `color` for a terminal, wrapped at
/// `width` columns.
pub fn human(report: &FileReport<'_>, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width.max(40))
        .with_word_separator(textwrap::WordSeparator::Custom(code_aware_words))
        .with_word_splitter(textwrap::WordSplitter::Custom(code_aware_splits))
        .with_links(false);
    let index = LineIndex::new(report.source);
    // A file name is user input too (a file added by a pull request).
    let name: String = report
        .name
        .chars()
        .map(|c| {
            if c.is_control() || crate::syntax::strings::is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    let mut out = String::new();
    let errors = report.diagnostics.iter().filter(|d| d.is_error());
    let warnings = report.diagnostics.iter().filter(|d| !d.is_error());
    for d in errors.chain(warnings) {
        let d = &message_safe(d);
        let window = Window::around(&name, report.source, &index, d);
        let adapter = Adapter { d, source: &window };
        if handler.render_report(&mut out, &adapter).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                d.level.as_str(),
                d.code,
                d.message
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_far_apart_show_their_own_line_numbers() {
        let mut text = String::from("process a\n");
        for i in 0..3000 {
            text.push_str(&format!("# filler {i}\n"));
        }
        text.push_str("process a\n");
        let c = crate::compile(&text);
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        let out = human(&report, false, DEFAULT_WIDTH);
        assert!(out.contains("m.tmd:3002:9"), "{out}");
        assert!(out.contains(" 1 │ process a"), "{out}");
        assert!(out.contains("3002 │ process a"), "{out}");
    }

    #[test]
    fn thousands_of_duplicates_render_in_linear_time() {
        // Each duplicate points back at line 1: the report must not copy
        // the lines in between for each of them.
        let text = "external e\n".repeat(20_000);
        let c = crate::compile(&text);
        assert_eq!(
            c.diagnostics.iter().filter(|d| d.is_error()).count(),
            19_999
        );
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        let out = human(&report, false, DEFAULT_WIDTH);
        assert!(
            out.contains("m.tmd:20000:10"),
            "{}",
            &out[out.len() - 2000..]
        );
        assert!(out.contains("20000 │ external e"));
    }

    #[test]
    fn control_and_bidi_characters_never_reach_the_terminal() {
        let text = "# \u{1b}]0;owned\u{7} \u{202E}txt.exe\r\nexternal e \"a\u{1b}[2Jb\u{85}\"\r\n# lone\rcr\n";
        let c = crate::compile(text);
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        let out = human(&report, false, DEFAULT_WIDTH);
        assert!(out.contains("TMD011") || out.contains("TMD001"), "{out}");
        for bad in ['\u{1b}', '\u{7}', '\u{85}', '\u{202E}', '\r'] {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        assert_eq!(
            terminal_safe("a\u{1b}b\u{85}c\u{202E}d\r\ne\tf").as_ref(),
            "a?b¿c\u{FFFD}d\r\ne\tf"
        );
        assert_eq!(terminal_safe("a\u{85}b").len(), "a\u{85}b".len());
        assert!(matches!(terminal_safe("plain é\t\r\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_quoted_in_a_message_never_reach_the_terminal() {
        // Found by the `check` fuzz target: TMD112 quotes the codes of a
        // suppression comment, which may hold anything.
        let c = crate::compile("# tmd: allow TM\u{8}X, \u{1b}]0;t\u{7}, \u{202E}Y\n");
        assert!(c.diagnostics.iter().any(|d| d.code == "TMD112"));
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        let out = human(&report, false, DEFAULT_WIDTH);
        for bad in ['\u{8}', '\u{1b}', '\u{7}', '\u{202E}'] {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        assert!(out.contains("TM\u{FFFD}X"), "{out}");
    }

    #[test]
    fn a_span_at_the_end_of_the_file_renders() {
        let c = crate::compile("boundary b {\n  process p");
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        assert!(human(&report, false, DEFAULT_WIDTH).contains("TMD001"));
    }

    #[test]
    fn a_code_span_is_never_broken_at_a_hyphen() {
        let c = crate::compile(
            "process api\ncontrol C1\nthreat T1 on api { scenario: \"s\", severity: low, controls: [C1], status: mitigated }\n",
        );
        assert!(c.diagnostics.iter().any(|d| d.code == "TMD114"));
        let report = FileReport {
            name: "m.tmd",
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        for width in 40..100 {
            let out = human(&report, false, width);
            assert!(out.contains("`status: in-progress`"), "{width}: {out}");
        }
        // Outside a code span, a long hyphenated word may still break.
        assert_eq!(code_aware_splits("reversed-initiator"), vec![9]);
        assert!(code_aware_splits("`in-progress`").is_empty());
    }
}
