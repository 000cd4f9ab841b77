//! Printing diagnostics: miette's graphical report for people, one line
//! each for editors and grep, JSON for machines, SARIF for code scanning,
//! GitLab's Code Quality report for merge requests.

mod gitlab;
mod human;
mod json;
mod sarif;

pub use gitlab::gitlab;
pub use human::{human, DEFAULT_WIDTH};
pub use json::{json, json_with_unreadable, JsonDiagnostic};
pub use sarif::{sarif, sarif_with_unreadable};

use crate::diagnostic::Diagnostic;
use crate::span::LineIndex;

/// One file's diagnostics, ready to print.
pub struct FileReport<'a> {
    /// The name shown to the user (`-` is shown as `<stdin>`).
    pub name: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// A file named on the command line that could not be read: it has no
/// diagnostics, only this message (`cannot read `x.tmd`: no such file`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unreadable {
    /// The name as given (`<stdin>` for `-`).
    pub file: String,
    pub message: String,
}

/// `file:line:col: severity[CODE]: message`, one a line.
pub fn short(report: &FileReport<'_>) -> String {
    let index = LineIndex::new(report.source);
    // A file name is user input too (a file added by a pull request).
    let name = one_line(&crate::emit::text::visible(report.name));
    let mut out = String::new();
    for d in report.diagnostics {
        let at = index.line_col(report.source, d.span.start);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            name,
            at.line,
            at.column,
            d.level.as_str(),
            d.code,
            one_line(&d.message)
        ));
    }
    out
}

/// Messages hold user text (names); keep a diagnostic on one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
