//! `tmd table --format csv`: the threat table as RFC 4180 CSV (comma
//! separated, fields quoted when needed, `""` inside quotes, CRLF line
//! ends), written by the `csv` crate.
//!
//! A cell that a spreadsheet would run as a formula (one starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised by a
//! leading `'`, which spreadsheets show as text. Reading the file back,
//! a cell starting with `'` followed by one of those characters had the
//! `'` added by tmd.

use std::borrow::Cow;

use super::table::{self, Row};
use crate::analysis::Analysis;
use crate::model::*;

/// The fixed columns, in order; the tracking columns any threat uses
/// follow, then the threats' `x_` keys, sorted. `Ease` and `Impact` are
/// the primer's axes: on another risk scale they are named after its axes
/// (`Likelihood`, `Impact`), and a `Band` column follows `Severity` (which
/// holds the scale's word) unless the scale's words are the bands.
pub const COLUMNS: [&str; 18] = [
    "ID",
    "Title",
    "Component",
    "Component kind",
    "Component ID",
    "Actor",
    "Actor ID",
    "Scenario",
    "STRIDE",
    "STRIDE names",
    "Severity",
    "Severity source",
    "Ease",
    "Impact",
    "Mitigation",
    "Remediation",
    "Status",
    "Out of scope",
];

/// The columns of language 0.2's tracking facts and controls, after the
/// fixed ones and before the `x_` keys: each only when a threat has a
/// value for it, so that a 0.1 model's table keeps its columns.
const TRACKING_COLUMNS: [&str; 7] = [
    "Controls",
    "Justification",
    "Owner",
    "Ticket",
    "Reviewed by",
    "Reviewed on",
    "Expires",
];

/// The cell of a tracking column: controls as `label (ID, status)` joined
/// with `; `.
fn tracking_cell(row: &Row, column: &str) -> String {
    let t = &row.tracking;
    match column {
        "Controls" => row
            .controls
            .iter()
            .map(|c| c.text())
            .collect::<Vec<_>>()
            .join("; "),
        "Justification" => t.justification.clone().unwrap_or_default(),
        "Owner" => t.owner.clone().unwrap_or_default(),
        "Ticket" => t.ticket.clone().unwrap_or_default(),
        "Reviewed by" => t.reviewed_by.clone().unwrap_or_default(),
        "Reviewed on" => t.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        "Expires" => t.expires.map(|d| d.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The tracking columns some threat has a value for.
fn tracking_columns(rows: &[Row]) -> Vec<&'static str> {
    TRACKING_COLUMNS
        .into_iter()
        .filter(|c| rows.iter().any(|r| !tracking_cell(r, c).is_empty()))
        .collect()
}

/// Prefixes `'` to a cell a spreadsheet would evaluate.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Undoes [`neutralise`] (for tools reading tmd's CSV back).
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if matches!(
                rest.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r')
            ) =>
        {
            rest
        }
        _ => cell,
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join("; ")
}

/// The header row for a model rated on `scale`.
fn header(scale: &Scale, tracking: &[&str], keys: &[String]) -> Vec<String> {
    let axis = |name: &str| {
        let mut chars = name.chars();
        let text: String = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        text.replace('_', " ")
    };
    let mut out = Vec::with_capacity(COLUMNS.len() + 1 + tracking.len() + keys.len());
    for column in COLUMNS {
        match column {
            "Ease" => out.push(axis(&scale.columns.name)),
            "Impact" => out.push(axis(&scale.rows.name)),
            "Severity" if !scale.words_are_bands() => {
                out.push(column.to_string());
                out.push("Band".to_string());
            }
            other => out.push(other.to_string()),
        }
    }
    out.extend(tracking.iter().map(|c| c.to_string()));
    out.extend(keys.iter().cloned());
    out
}

fn cells(row: &Row, tracking: &[&str], keys: &[String], band: bool) -> Vec<String> {
    let word = |w: Option<&'static str>| w.unwrap_or("").to_string();
    let (column, level) = row
        .rating
        .clone()
        .map_or((String::new(), String::new()), |(c, r)| (c, r));
    let mut out = vec![
        row.id.clone(),
        row.title.clone(),
        // Several targets: joined with `; ` in the same order in each
        // column; none: `no target yet` and empty kind and ID.
        if row.targets.is_empty() {
            table::NO_TARGET.to_string()
        } else {
            join(row.targets.iter().map(|t| t.label.as_str()))
        },
        join(row.targets.iter().map(|t| t.kind)),
        join(row.targets.iter().map(|t| t.id.as_str())),
        row.actor_label.clone().unwrap_or_default(),
        row.actor_id.clone().unwrap_or_default(),
        row.scenario.clone(),
        row.stride.map(|s| s.to_string()).unwrap_or_default(),
        row.stride_set()
            .letters()
            .map(Stride::name)
            .collect::<Vec<_>>()
            .join(", "),
        row.severity_word.clone(),
        row.severity_source.as_str().to_string(),
        column,
        level,
        row.mitigation.clone().unwrap_or_default(),
        word(row.remediation.map(Remediation::as_str)),
        row.status.as_str().to_string(),
        if row.out_of_scope { "yes" } else { "no" }.to_string(),
    ];
    if band {
        // After `Severity`, as in the header.
        let at = COLUMNS
            .iter()
            .position(|c| *c == "Severity")
            .map_or(0, |i| i + 1);
        out.insert(at, row.severity.as_str().to_string());
    }
    out.extend(tracking.iter().map(|c| tracking_cell(row, c)));
    for key in keys {
        let value = row
            .attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone());
        out.push(value.unwrap_or_default());
    }
    out
}

/// The table as CSV text. With `bom`, a UTF-8 byte-order mark comes
/// first, so that spreadsheet programs read the file as UTF-8.
pub fn table(model: &Model, _analysis: &Analysis, bom: bool) -> String {
    let rows = table::rows(model);
    let keys = table::attribute_keys(&rows);
    let tracking = tracking_columns(&rows);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let band = !model.scale.words_are_bands();
    let mut records = vec![header(&model.scale, &tracking, &keys)];
    records.extend(rows.iter().map(|r| cells(r, &tracking, &keys, band)));
    for record in &records {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(record.iter().map(|c| neutralise(c).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    let mut text = if bom {
        String::from("\u{FEFF}")
    } else {
        String::new()
    };
    text.push_str(&String::from_utf8_lossy(&bytes));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let n = neutralise(cell);
            assert!(n.starts_with('\''), "{cell:?}");
            assert_eq!(unneutralise(&n), cell);
        }
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise("'quoted"), "'quoted");
        assert_eq!(unneutralise("'quoted"), "'quoted");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn quotes_commas_and_line_breaks() {
        let c = crate::compile(
            "process p\nthreat T1 \"a, \\\"b\\\"\" on p { actor: apt, scenario: \"=cmd|' /C calc'!A0\\nnext\", stride: T, severity: low, mitigation: \"-\" }\n",
        );
        let (model, analysis) = c.valid().unwrap();
        let text = table(model, analysis, false);
        let mut lines = text.split("\r\n");
        assert!(lines.next().unwrap().starts_with("ID,Title,Component,"));
        let row = text.split_once("\r\n").unwrap().1;
        assert!(row.starts_with("T1,\"a, \"\"b\"\"\",p,process,p,"), "{row}");
        assert!(row.contains("\"'=cmd|' /C calc'!A0\nnext\""), "{row}");
        assert!(row.contains(",'-,"), "{row}");
        assert!(text.ends_with("\r\n"));
        assert!(table(model, analysis, true).starts_with('\u{FEFF}'));
    }
}
