//! Finding the ```` ```tmd ```` fences of a Markdown page, exactly as a
//! CommonMark reader (pulldown-cmark, the parser mdBook uses) sees them:
//! inside block quotes and list items, with `~~~` or longer backtick runs,
//! indented by up to three spaces, unclosed (running to the end of their
//! container), and never inside another code block (a longer fence that
//! only shows an example).
//!
//! For each fence this module gives the byte range to replace, the
//! model text inside it (container prefixes removed), and where each of its
//! lines starts in the page, so that a diagnostic in the model can point
//! at the page's own line and column.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// One ```` ```tmd ```` fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The bytes of the page the rendering replaces: from the first fence
    /// character to the end of the closing fence (or of the last line of an
    /// unclosed fence), line ends excluded.
    pub replace: Range<usize>,
    /// The info string after the fence characters, and where it is.
    pub info: String,
    pub info_start: usize,
    /// 0-based line of the opening fence in the page.
    pub line: usize,
    /// The model text: the fence's lines with their container prefixes
    /// removed, joined by `\n`.
    pub content: String,
    /// For each line of `content`: its byte offset in `content` and in the
    /// page.
    pub lines: Vec<(usize, usize)>,
    /// What the page writes before the fence on its first line (`> `,
    /// `- `, spaces).
    pub first_prefix: String,
    /// The prefix every further line of the rendering needs to stay in the
    /// same container: `first_prefix` with list markers turned to spaces.
    pub prefix: String,
    /// Whether the line before the fence (in the same container) holds
    /// text, and whether the line after it does: the rendering then adds a
    /// blank line so that it does not run into a paragraph.
    pub text_before: bool,
    pub text_after: bool,
    /// Whether the fence has its closing line.
    pub closed: bool,
}

impl Fence {
    /// The page offset of a byte offset into `content` (clamped to the
    /// content's lines).
    pub fn page_offset(&self, offset: usize) -> usize {
        let i = self
            .lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        match self.lines.get(i) {
            Some(&(start, page)) => page + (offset - start.min(offset)),
            None => self.info_start,
        }
    }
}

/// Whether an info string is ours: its first word is exactly `tmd`.
pub fn is_tmd(info: &str) -> bool {
    info.split_whitespace().next() == Some("tmd")
}

/// Line starts of `text` (byte offsets).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// The line holding `offset`, 0-based.
fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// The bytes of line `line` without its line end.
fn body(text: &str, starts: &[usize], line: usize) -> Range<usize> {
    let start = starts.get(line).copied().unwrap_or(text.len());
    let mut end = starts
        .get(line + 1)
        .map_or(text.len(), |&next| next.saturating_sub(1));
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    start..end.max(start)
}

/// Whether a line (less its container markers) is blank.
fn is_blank(line: &str) -> bool {
    line.trim_matches(|c: char| c == '>' || c.is_whitespace())
        .is_empty()
}

/// Whether a line (less block-quote markers) opens a list item.
fn starts_list_item(line: &str) -> bool {
    let t = line.trim_start_matches(['>', ' ', '\t']);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let rest = t.get(digits..).unwrap_or("");
    let marker = if digits > 0 {
        digits <= 9 && (rest.starts_with('.') || rest.starts_with(')'))
    } else {
        rest.starts_with(['-', '*', '+'])
    };
    let after = rest.get(1..).unwrap_or("");
    marker && (after.is_empty() || after.starts_with([' ', '\t']))
}

/// The continuation prefix of a first-line prefix: `>` kept, every other
/// character (list markers, their digits) a space; tabs kept.
fn continuation(first: &str) -> String {
    first
        .chars()
        .map(|c| match c {
            '>' | '\t' => c,
            _ => ' ',
        })
        .collect()
}

/// Every ```` ```tmd ```` fence of `page`, in order.
pub fn scan(page: &str) -> Vec<Fence> {
    let starts = line_starts(page);
    let mut fences = Vec::new();
    // The fenced block being read: its range and the ranges of its text.
    let mut open: Option<(Range<usize>, Vec<Range<usize>>)> = None;
    let parser = Parser::new_ext(page, Options::all()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_tmd(&info) => {
                open = Some((range, Vec::new()));
            }
            Event::Text(_) => {
                if let Some((_, texts)) = open.as_mut() {
                    texts.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((block, texts)) = open.take() {
                    if let Some(fence) = build(page, &starts, block, &texts) {
                        fences.push(fence);
                    }
                }
            }
            _ => {}
        }
    }
    fences
}

fn build(
    page: &str,
    starts: &[usize],
    block: Range<usize>,
    texts: &[Range<usize>],
) -> Option<Fence> {
    let first_line = line_of(starts, block.start);
    let line_start = starts.get(first_line).copied()?;
    let first_prefix = page.get(line_start..block.start)?.to_string();
    let opening = page.get(body(page, starts, first_line))?;
    let opening_rest = opening.get(block.start - line_start..)?;
    let fence_char = opening_rest.chars().next()?;
    let run = opening_rest
        .chars()
        .take_while(|&c| c == fence_char)
        .count();
    let after_run = opening_rest.get(run..)?;
    let info = after_run.trim().to_string();
    let info_start = block.start + run + (after_run.len() - after_run.trim_start().len());

    // The block's last line, line end excluded.
    let mut end = block.end;
    while end > block.start && matches!(page.as_bytes().get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    let last_line = line_of(starts, end.saturating_sub(1).max(block.start));
    let covered = |r: &Range<usize>| texts.iter().any(|t| t.start < r.end && r.start < t.end);
    let last_body = body(page, starts, last_line);
    let closed = last_line > first_line && !covered(&last_body) && {
        let text = page
            .get(last_body.clone())
            .unwrap_or("")
            .trim_start_matches(['>', ' ', '\t'])
            .trim_end();
        let n = text.chars().take_while(|&c| c == fence_char).count();
        n >= run && n == text.chars().count()
    };
    let content_lines = if closed {
        first_line + 1..last_line
    } else {
        first_line + 1..last_line + 1
    };

    let mut content = String::new();
    let mut lines = Vec::new();
    for line in content_lines {
        let b = body(page, starts, line);
        // The part of the line inside the block's text events.
        let parts = texts
            .iter()
            .map(|t| (t.start.max(b.start), t.end.min(b.end)))
            .filter(|(s, e)| s < e);
        let (from, to) = parts.fold((b.end, b.start), |(f, t), (s, e)| (f.min(s), t.max(e)));
        let (from, to) = if from < to {
            (from, to)
        } else {
            (b.end, b.end)
        };
        if !lines.is_empty() {
            content.push('\n');
        }
        lines.push((content.len(), from));
        content.push_str(page.get(from..to).unwrap_or(""));
    }
    if lines.is_empty() {
        lines.push((0, body(page, starts, first_line).end));
    }

    let prefix = continuation(&first_prefix);
    let text_before = first_prefix == prefix
        && first_line > 0
        && !is_blank(page.get(body(page, starts, first_line - 1)).unwrap_or(""));
    let next = page.get(body(page, starts, last_line + 1)).unwrap_or("");
    // A list item that follows outside the fence's container (the next
    // item of its list) ends whatever the rendering ends with: no blank line
    // then, which would loosen the list.
    let next_item =
        !prefix.is_empty() && !next.starts_with(prefix.as_str()) && starts_list_item(next);
    let text_after = starts.len() > last_line + 1 && !is_blank(next) && !next_item;
    Some(Fence {
        replace: block.start..end,
        info,
        info_start,
        line: first_line,
        content,
        lines,
        first_prefix,
        prefix,
        text_before,
        text_after,
        closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(page: &str) -> Fence {
        let fences = scan(page);
        assert_eq!(fences.len(), 1, "{fences:#?}");
        fences.into_iter().next().unwrap()
    }

    #[test]
    fn plain_fence() {
        let page = "# T\n\n```tmd table\nprocess a\nstore b\n```\nafter\n";
        let f = one(page);
        assert_eq!(
            &page[f.replace.clone()],
            "```tmd table\nprocess a\nstore b\n```"
        );
        assert_eq!(f.info, "tmd table");
        assert_eq!(&page[f.info_start..f.info_start + 3], "tmd");
        assert_eq!(f.line, 2);
        assert_eq!(f.content, "process a\nstore b");
        assert_eq!(f.lines, vec![(0, 18), (10, 28)]);
        assert!(f.closed && !f.text_before && f.text_after);
        assert_eq!(f.page_offset(12), 30);
    }

    #[test]
    fn crlf_lines_map_to_the_page() {
        let page = "x\r\n\r\n```tmd\r\nprocess a\r\n  store b\r\n```\r\n";
        let f = one(page);
        assert_eq!(f.content, "process a\n  store b");
        assert_eq!(
            &page[f.replace.clone()],
            "```tmd\r\nprocess a\r\n  store b\r\n```"
        );
        let at = f.page_offset(f.content.find("store").unwrap());
        assert_eq!(&page[at..at + 5], "store");
    }

    #[test]
    fn containers() {
        let page = "> ```tmd\n> process b\n>\n>   store c\n> ```\n";
        let f = one(page);
        assert_eq!(f.content, "process b\n\n  store c");
        assert_eq!((f.first_prefix.as_str(), f.prefix.as_str()), ("> ", "> "));
        let page = "- item\n\n  ~~~tmd x\n  p\n   q\n  ~~~\n- next\n";
        let f = one(page);
        assert_eq!(f.content, "p\n q");
        assert_eq!(f.prefix, "  ");
        let f = one("1. ```tmd\n   z\n   ```\n");
        assert_eq!((f.first_prefix.as_str(), f.prefix.as_str()), ("1. ", "   "));
        assert_eq!(f.content, "z");
        let f = one("> - ```tmd\n>   z\n>   ```\n");
        assert_eq!(f.prefix, ">   ");
        assert_eq!(f.content, "z");
    }

    #[test]
    fn unclosed_fences_run_to_the_end_of_their_container() {
        let f = one("```tmd\nprocess a\n\nstore b\n\n\n");
        assert!(!f.closed);
        assert_eq!(f.content, "process a\n\nstore b");
        let page = "> ```tmd\n> x\nlazy\n";
        let f = one(page);
        assert!(!f.closed);
        assert_eq!(f.content, "x");
        assert_eq!(&page[f.replace.clone()], "```tmd\n> x");
        let f = one("```tmd\nlast");
        assert_eq!(f.content, "last");
        let f = one("```tmd");
        assert_eq!(f.content, "");
    }

    #[test]
    fn only_our_fences() {
        for page in [
            "```tmdx\na\n```\n",
            "```tmd-foo\na\n```\n",
            "```rust\na\n```\n",
            "    ```tmd\n    indented code\n",
            "````markdown\n```tmd\nprocess a\n```\n````\n",
            "~~~~\n```tmd\nprocess a\n```\n~~~~\n",
            "`` ```tmd `` inline\n",
        ] {
            assert!(scan(page).is_empty(), "{page:?}");
        }
        let f = one("````tmd\n```\nprocess a\n````\n");
        assert_eq!(f.content, "```\nprocess a");
        assert!(f.closed);
    }

    #[test]
    fn closing_fence_rules() {
        // A shorter run or the other character does not close.
        let f = one("````tmd\na\n```\n~~~~\nb\n````\nc\n");
        assert_eq!(f.content, "a\n```\n~~~~\nb");
        // Trailing spaces after the closing fence are allowed.
        let page = "  ```tmd\n   a\n  b\n  ```  \nnext\n";
        let f = one(page);
        assert_eq!(f.content, " a\nb");
        assert!(f.closed && f.text_after);
    }

    #[test]
    fn text_around() {
        let f = one("para\n```tmd\na\n```\n");
        assert!(f.text_before && !f.text_after);
        let f = one("- para\n- ```tmd\n  a\n  ```\n- next\n");
        assert!(!f.text_before && !f.text_after);
        let f = one("- ```tmd\n  a\n  ```\n  - nested\n");
        assert!(f.text_after);
        let f = one("- ```tmd\n  a\n  ```\nlazy\n");
        assert!(f.text_after);
        assert!(starts_list_item("10. x") && starts_list_item("> * x") && starts_list_item("-"));
        assert!(!starts_list_item("-x") && !starts_list_item("1234567890. x"));
    }
}
