//! The JSON form of `tmd check`.

use serde::Serialize;

use super::{FileReport, Unreadable};
use crate::span::LineIndex;

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
    unreadable: &'a [Unreadable],
}

/// The whole run as one JSON object, every file read.
pub fn json(reports: &[FileReport<'_>], files: usize) -> String {
    json_with_unreadable(reports, files, &[])
}

/// The whole run as one JSON object: the diagnostics of the `files` that
/// were read, and an entry for each file that could not be.
pub fn json_with_unreadable(
    reports: &[FileReport<'_>],
    files: usize,
    unreadable: &[Unreadable],
) -> String {
    let mut diagnostics = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.source);
        for d in report.diagnostics {
            let start = index.line_col(report.source, d.span.start);
            let end = index.line_col(report.source, d.span.end);
            diagnostics.push(JsonDiagnostic {
                code: d.code,
                severity: d.level.as_str(),
                message: d.message.clone(),
                file: report.name.to_string(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                help: d.help.clone(),
            });
        }
    }
    let errors = diagnostics.iter().filter(|d| d.severity == "error").count();
    let out = JsonReport {
        schema_version: 1,
        files,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics,
        unreadable,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
