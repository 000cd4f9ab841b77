//! miette's graphical report.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::FileReport;
use crate::diagnostic::{Diagnostic, Level};

/// Adapts our diagnostic to miette's trait.
struct Adapter<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<String>,
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
        self.d.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
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

/// The graphical report of one file's diagnostics; `color` for a terminal.
pub fn human(report: &FileReport<'_>, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let source = NamedSource::new(report.name, report.source.to_string());
    let mut out = String::new();
    for d in report.diagnostics {
        let adapter = Adapter { d, source: &source };
        if handler.render_report(&mut out, &adapter).is_err() {
            out.push_str(&format!("{}[{}]: {}\n", d.level.as_str(), d.code, d.message));
        }
        out.push('\n');
    }
    out
}
