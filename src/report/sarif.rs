//! The SARIF 2.1.0 form of `tmd check`, for GitHub code scanning and other
//! SARIF viewers.
//!
//! One run; `tool.driver.rules` lists every diagnostic code with its
//! documentation (what `tmd explain` prints); each diagnostic is a result
//! pointing at its file, line and column, with its secondary labels as
//! related locations. Columns are counted in UTF-16 code units, SARIF's
//! default (`run.columnKind` says so explicitly), because that is what
//! viewers assume when they ignore `columnKind`.
//!
//! Everything in the log depends on the input only: no time stamps, no
//! absolute paths that were not given, no machine names.

use serde::Serialize;
use serde_json::{json, Value};

use super::{FileReport, Unreadable};
use crate::checks::{self, Rule};
use crate::diagnostic::{Diagnostic, Level};
use crate::span::{clamp_to_char_boundary, LineIndex, Span};

/// The schema the log declares (SchemaStore's copy of the OASIS schema).
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The whole run as one SARIF log, every file read. Results are plain
/// structs serialized straight to text: memory stays proportional to the
/// output, even for hundreds of thousands of diagnostics.
pub fn sarif(reports: &[FileReport<'_>]) -> String {
    sarif_with_unreadable(reports, &[])
}

/// The whole run as one SARIF log: the results of the files that were
/// read, and one invocation whose `executionSuccessful` says whether every
/// file could be; each file that could not is a tool execution
/// notification (level `error`, the message, the file as its location).
pub fn sarif_with_unreadable(reports: &[FileReport<'_>], unreadable: &[Unreadable]) -> String {
    let rules: Vec<Rule> = checks::rules().collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.source);
        let file = File {
            report,
            index: &index,
        };
        for d in report.diagnostics {
            results.push(result(&file, &rules, d));
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "tmd",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(rule).collect::<Vec<_>>(),
                }
            }),
            invocations: [Invocation {
                execution_successful: unreadable.is_empty(),
                tool_execution_notifications: unreadable.iter().map(notification).collect(),
            }],
            column_kind: "utf16CodeUnits",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Value,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Value>,
}

/// A file that could not be read, as a tool execution notification.
fn notification(u: &Unreadable) -> Value {
    json!({
        "level": "error",
        "message": { "text": message_text(&u.message) },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(&u.file) } }],
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// A rule's `reportingDescriptor`.
fn rule(rule: &Rule) -> Value {
    let summary = non_empty(rule.summary(), rule.code);
    let doc = non_empty(rule.doc.trim(), summary);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": summary },
        "fullDescription": { "text": what_it_finds(rule.doc).unwrap_or_else(|| summary.to_string()) },
        "help": {
            "text": format!("{} ({}): {doc}\n\nMore: tmd explain {}", rule.code, rule.name, rule.code),
            "markdown": format!("**{}** ({}): {doc}\n\nMore: `tmd explain {}`", rule.code, rule.name, rule.code),
        },
        "defaultConfiguration": { "level": level(rule.level), "enabled": !rule.opt_in },
        "properties": { "tags": ["threat-model"] },
    })
}

fn non_empty<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.trim().is_empty() {
        fallback
    } else {
        text
    }
}

/// The paragraph under `## What it finds`, on one line.
fn what_it_finds(doc: &str) -> Option<String> {
    let mut lines = doc.lines().skip_while(|l| l.trim() != "## What it finds");
    lines.next()?;
    let words: Vec<&str> = lines
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// One file being reported, with its line index.
struct File<'a> {
    report: &'a FileReport<'a>,
    index: &'a LineIndex,
}

impl File<'_> {
    /// A `physicalLocation` for `span`.
    fn location(&self, span: Span) -> PhysicalLocation {
        let source = self.report.source;
        let (start_line, start_column) = utf16_line_col(source, self.index, span.start);
        let (end_line, end_column) = utf16_line_col(source, self.index, span.end.max(span.start));
        PhysicalLocation {
            artifact_location: artifact_location(self.report.name),
            region: Region {
                start_line,
                start_column,
                end_line,
                end_column,
            },
        }
    }
}

fn result(file: &File<'_>, rules: &[Rule], d: &Diagnostic) -> SarifResult {
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    SarifResult {
        rule_id: d.code,
        rule_index: rules.iter().position(|r| r.code == d.code),
        level: level(d.level),
        message: Message {
            text: message_text(&text),
        },
        locations: [Location {
            id: None,
            physical_location: file.location(d.span),
            message: None,
        }],
        related_locations: d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| Location {
                id: Some(i),
                physical_location: file.location(label.span),
                message: Some(Message {
                    text: message_text(non_empty(&label.message, "related")),
                }),
            })
            .collect(),
    }
}

/// A plain-text SARIF message: braces doubled (SARIF 2.1.0 §3.11.5: a
/// lone `{0}` would be read as a placeholder) and square brackets and
/// backslashes escaped (§3.11.6: `[text](1)` would be read as a link).
/// A message may quote the model (a suppression comment's codes): control
/// characters but line breaks become U+FFFD, bidirectional controls
/// `<U+202E>`.
pub fn message_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in crate::emit::text::visible(text).chars() {
        match c {
            '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        out.push_str("(no message)");
    }
    out
}

/// 1-based line and 1-based column in UTF-16 code units of byte `offset`.
fn utf16_line_col(source: &str, index: &LineIndex, offset: usize) -> (usize, usize) {
    let offset = clamp_to_char_boundary(source, offset);
    let line = index.line_of(offset);
    let start = index.line_start(line).min(offset);
    let column = source
        .get(start..offset)
        .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>())
        + 1;
    (line + 1, column)
}

/// The `artifactLocation` of a file named on the command line: a relative
/// path stays relative to `%SRCROOT%` (the repository root for GitHub), an
/// absolute one becomes a `file://` URI, stdin has no URI.
fn artifact_location(name: &str) -> ArtifactLocation {
    let uri = |uri: String, base: Option<&'static str>| ArtifactLocation {
        uri: Some(uri),
        uri_base_id: base,
        description: None,
    };
    if name == "<stdin>" {
        return ArtifactLocation {
            uri: None,
            uri_base_id: None,
            description: Some(Message {
                text: "standard input".to_string(),
            }),
        };
    }
    let slashed: String;
    let name = if cfg!(windows) {
        slashed = name.replace('\\', "/");
        slashed.as_str()
    } else {
        name
    };
    let windows_drive =
        cfg!(windows) && matches!(name.as_bytes(), [d, b':', b'/', ..] if d.is_ascii_alphabetic());
    if name.starts_with('/') {
        uri(
            format!("file://{}", crate::emit::text::url_path(name)),
            None,
        )
    } else if let (true, Some(rest)) = (windows_drive, name.get(2..)) {
        // `C:/x` -> `file:///C:/x`: the drive letter and its colon stay.
        let drive = name.get(..2).unwrap_or_default();
        uri(
            format!("file:///{drive}{}", crate::emit::text::url_path(rest)),
            None,
        )
    } else {
        let mut relative = name;
        while let Some(rest) = relative.strip_prefix("./") {
            relative = rest.trim_start_matches('/');
        }
        uri(crate::emit::text::url_path(relative), Some("%SRCROOT%"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(name: &str, text: &str) -> Value {
        let c = crate::compile(text);
        let report = FileReport {
            name,
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        serde_json::from_str(&sarif(&[report])).unwrap()
    }

    #[test]
    fn columns_are_utf16_code_units() {
        // "😀" is one code point and two UTF-16 code units; "é" one of each.
        let text = "external e \"😀é\" { bogus: 1 }\n";
        let v = log("m.tmd", text);
        let results = v["runs"][0]["results"].as_array().unwrap();
        let result = results.iter().find(|r| r["ruleId"] == "TMD108").unwrap();
        let region = &result["locations"][0]["physicalLocation"]["region"];
        // `bogus` starts at character 19 (1-based), UTF-16 column 20.
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["startColumn"], 20);
        assert_eq!(region["endColumn"], 25);
        assert_eq!(v["runs"][0]["columnKind"], "utf16CodeUnits");
    }

    #[test]
    fn every_rule_is_listed_and_results_point_at_theirs() {
        let v = log("m.tmd", "process a\nprocess a\n");
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), checks::rules().count());
        let results = v["runs"][0]["results"].as_array().unwrap();
        let result = results.iter().find(|r| r["ruleId"] == "TMD002").unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "TMD002");
        assert_eq!(result["level"], "error");
        assert_eq!(rules[index]["defaultConfiguration"]["level"], "error");
        // The first declaration is a related location.
        let related = &result["relatedLocations"][0];
        assert_eq!(related["id"], 0);
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 1);
        assert!(rules[index]["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What it finds"));
    }

    fn artifact_location(name: &str) -> Value {
        serde_json::to_value(super::artifact_location(name)).unwrap()
    }

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(
            artifact_location("models/a b.tmd"),
            json!({"uri": "models/a%20b.tmd", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("./././m.tmd"),
            json!({"uri": "m.tmd", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("c:m#1?.tmd"),
            json!({"uri": "c%3Am%231%3F.tmd", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/srv/é.tmd"),
            json!({"uri": "file:///srv/%C3%A9.tmd"})
        );
        assert_eq!(
            artifact_location("<stdin>"),
            json!({"description": {"text": "standard input"}})
        );
    }

    #[test]
    fn messages_cannot_hold_placeholders_or_links() {
        assert_eq!(
            message_text("found `{` [x](0) a\\b"),
            "found `{{` \\[x\\](0) a\\\\b"
        );
        assert_eq!(message_text(""), "(no message)");
        assert_eq!(message_text("a\u{1b}b\u{202E}\nc"), "a\u{FFFD}b<U+202E>\nc");
    }
}
