//! The model's warnings as the reports show them: code, the rule's short
//! title, message and place (line:column), taken from a [`Compilation`]
//! after suppression. The warnings that `# tmd: allow` silenced are kept
//! apart: the reports count them by code but do not list them (the
//! suppression, and the reason written next to it, is in the model).
//!
//! Messages are `visible()` here; each format escapes them.

use super::text::visible;
use crate::checks;
use crate::diagnostic::Diagnostic;
use crate::span::{LineIndex, Span};
use crate::Compilation;

/// One warning.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    /// The rule's short title: `Boundary crossing without a threat`.
    pub title: &'static str,
    pub message: String,
    pub span: Span,
    /// 1-based; the column counts characters.
    pub line: usize,
    pub column: usize,
}

/// The warnings of one model, and those it silenced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    /// In source order.
    pub warnings: Vec<Finding>,
    /// Silenced by `# tmd: allow`, in source order.
    pub silenced: Vec<Finding>,
    /// The threat library's rules on the model and where each stands
    /// (the reports' "Threat library" section); empty when the model does
    /// not take part in the library.
    pub library: Vec<super::library::LibraryRow>,
}

/// The part of a rule's summary before its colon.
fn title(code: &str) -> &'static str {
    checks::rules()
        .find(|r| r.code == code)
        .map(|r| {
            let s = r.summary();
            s.split_once(':').map_or(s, |(t, _)| t).trim()
        })
        .unwrap_or("")
}

fn finding(d: &Diagnostic, source: &str, index: &LineIndex) -> Finding {
    let at = index.line_col(source, d.span.start);
    Finding {
        code: d.code,
        title: title(d.code),
        message: visible(&d.message).into_owned(),
        span: d.span,
        line: at.line,
        column: at.column,
    }
}

impl Findings {
    /// The warnings of a compilation (errors are left out: a report is only
    /// made for a model without them).
    pub fn of(c: &Compilation) -> Findings {
        let index = LineIndex::new(&c.source);
        let warnings = c
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| finding(d, &c.source, &index))
            .collect();
        let silenced = c
            .suppressed
            .iter()
            .map(|d| finding(d, &c.source, &index))
            .collect();
        Findings {
            warnings,
            silenced,
            library: super::library::rows(c),
        }
    }

    /// Whether a warning of `code` was silenced at `span`.
    pub fn silenced_at(&self, code: &str, span: Span) -> bool {
        self.silenced
            .iter()
            .any(|f| f.code == code && f.span == span)
    }

    /// The warnings grouped by code, codes in order, each group in source
    /// order.
    pub fn by_code(&self) -> Vec<(&'static str, &'static str, Vec<&Finding>)> {
        group(&self.warnings)
    }

    /// How many warnings each code silenced, codes in order.
    /// "1 warning is" or "N warnings are" silenced, with the count per
    /// code; `None` when nothing is silenced. Both reports say it so.
    pub fn silenced_summary(&self) -> Option<(String, Vec<(&'static str, usize)>)> {
        let by_code = self.silenced_by_code();
        let total: usize = by_code.iter().map(|(_, n)| n).sum();
        match total {
            0 => None,
            1 => Some(("1 warning is".to_string(), by_code)),
            n => Some((format!("{n} warnings are"), by_code)),
        }
    }

    pub fn silenced_by_code(&self) -> Vec<(&'static str, usize)> {
        group(&self.silenced)
            .into_iter()
            .map(|(code, _, list)| (code, list.len()))
            .collect()
    }
}

fn group(list: &[Finding]) -> Vec<(&'static str, &'static str, Vec<&Finding>)> {
    let mut codes: Vec<&'static str> = list.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .map(|code| {
            let items: Vec<&Finding> = list.iter().filter(|f| f.code == code).collect();
            (code, title(code), items)
        })
        .collect()
}

/// A message split at its backquotes: `(text, false)` and `(code, true)`
/// pieces, so that a format can show `` `order_api` `` as code. An
/// unpaired backquote leaves the rest as text.
pub fn message_pieces(message: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some((before, after)) = rest.split_once('`') {
        let Some((code, tail)) = after.split_once('`') else {
            break;
        };
        if !before.is_empty() {
            out.push((before, false));
        }
        out.push((code, true));
        rest = tail;
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_at_backquotes() {
        assert_eq!(
            message_pieces("flow `a->b` crosses into `aws` with no threat"),
            vec![
                ("flow ", false),
                ("a->b", true),
                (" crosses into ", false),
                ("aws", true),
                (" with no threat", false)
            ]
        );
        assert_eq!(message_pieces("odd ` one"), vec![("odd ` one", false)]);
        assert_eq!(message_pieces("``"), vec![("", true)]);
    }

    #[test]
    fn warnings_and_silenced_ones_are_apart() {
        let c = crate::compile(
            "boundary b {\n  process p\n}\nexternal e\nflow e -> p # tmd: allow TMD106\nflow p -> e\n",
        );
        let f = Findings::of(&c);
        assert_eq!(f.silenced.len(), 1);
        assert_eq!(f.silenced[0].code, "TMD106");
        assert_eq!((f.silenced[0].line, f.silenced[0].column), (5, 6));
        let codes: Vec<&str> = f.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["TMD106"]);
        assert_eq!(f.warnings[0].line, 6);
        assert_eq!(f.warnings[0].title, "Boundary crossing without a threat");
        assert_eq!(f.silenced_by_code(), vec![("TMD106", 1)]);
    }
}
