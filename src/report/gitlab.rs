//! The GitLab Code Quality form of `tmd check` (`--format gitlab`): the
//! JSON array GitLab reads from a job's `artifacts:reports:codequality`
//! and shows in the merge request widget and the changes tab.
//!
//! Each diagnostic is one issue: `description` (the message, and its help
//! after `help:`), `check_name` (the code, `TMD004`), `fingerprint`,
//! `severity`, and `location.path` with `location.lines.begin` (and
//! `end`). A file that could not be read is one issue too, with the check
//! name `unreadable`, on line 1.
//!
//! Severities: an error (a broken or wrong model, or a check denied in
//! `tmd.toml`) is `major`, a warning `minor`, an unreadable file `blocker`
//! (nothing in it was checked).
//!
//! The fingerprint is what GitLab compares between the base and the head
//! of a merge request to tell new issues from fixed ones, so it must not
//! change when lines are added above a problem: it is the SHA-256, in hex,
//! of the path, the code, the message, the flagged text (the span's
//! source) and the number of identical issues before this one in the file
//! (so two identical problems differ), separated by NUL bytes. No line
//! numbers, no offsets: the same problem keeps its fingerprint when the
//! file around it is edited, and the same files give the same report on
//! every run and every machine.
//!
//! Paths are the caller's business (`tmd check` makes them relative to
//! the repository root); this module only writes forward slashes and drops
//! a leading `./`.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::{FileReport, Unreadable};
use crate::diagnostic::{Diagnostic, Level};
use crate::span::LineIndex;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's severity of a diagnostic.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
    }
}

/// The whole run as one Code Quality report: the diagnostics of the files
/// that were read, one issue for each file that could not be.
/// `repo_path` turns a file's name, as given on the command line, into the
/// path GitLab knows it by (relative to the repository root).
pub fn gitlab(
    reports: &[FileReport<'_>],
    unreadable: &[Unreadable],
    repo_path: &dyn Fn(&str) -> String,
) -> String {
    let mut issues = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.source);
        let path = path(&repo_path(report.name));
        // How many identical issues came before, per (code, message, text).
        let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        for d in report.diagnostics {
            let text = flagged(report.source, d);
            let count = seen.entry((d.code, &d.message, text)).or_insert(0);
            issues.push(issue(&path, &index, report.source, d, text, *count));
            *count += 1;
        }
    }
    for u in unreadable {
        let path = path(&repo_path(&u.file));
        issues.push(Issue {
            description: one_line(&u.message),
            check_name: "unreadable".to_string(),
            fingerprint: fingerprint(&[&path, "unreadable", &u.message]),
            severity: "blocker",
            location: Location {
                path,
                lines: Lines { begin: 1, end: 1 },
            },
        });
    }
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// The source text a diagnostic points at (empty when its span is empty
/// or not on character boundaries).
fn flagged<'s>(source: &'s str, d: &Diagnostic) -> &'s str {
    source
        .get(d.span.start..d.span.end.max(d.span.start))
        .unwrap_or("")
}

fn issue(
    path: &str,
    index: &LineIndex,
    source: &str,
    d: &Diagnostic,
    text: &str,
    nth: usize,
) -> Issue {
    let begin = index.line_col(source, d.span.start).line;
    let end = index
        .line_col(source, d.span.end.max(d.span.start))
        .line
        .max(begin);
    let description = match &d.help {
        Some(help) => format!("{} (help: {help})", d.message),
        None => d.message.clone(),
    };
    let nth = nth.to_string();
    Issue {
        description: one_line(&description),
        check_name: d.code.to_string(),
        fingerprint: fingerprint(&[path, d.code, &d.message, text, &nth]),
        severity: severity(d.level),
        location: Location {
            path: path.to_string(),
            lines: Lines { begin, end },
        },
    }
}

/// SHA-256 in lowercase hex of the parts, each followed by a NUL byte (so
/// `ab`+`c` and `a`+`bc` differ).
fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path GitLab matches against the repository: relative, forward
/// slashes, without a leading `./`.
fn path(name: &str) -> String {
    let slashed = name.replace('\\', "/");
    let mut relative = slashed.as_str();
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest.trim_start_matches('/');
    }
    one_line(relative)
}

/// A message quotes user text (names): GitLab shows the description on
/// one line, so control characters become spaces and bidirectional
/// controls are spelled out.
fn one_line(text: &str) -> String {
    crate::emit::text::visible(text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn report(name: &str, text: &str) -> Value {
        let c = crate::compile(text);
        let report = FileReport {
            name,
            source: &c.source,
            diagnostics: &c.diagnostics,
        };
        serde_json::from_str(&gitlab(&[report], &[], &|n| n.to_string())).unwrap()
    }

    #[test]
    fn each_diagnostic_is_an_issue_with_its_line_and_severity() {
        let v = report("./models/m.tmd", "process a\nprocess a\n");
        let issues = v.as_array().unwrap();
        let dup = issues.iter().find(|i| i["check_name"] == "TMD002").unwrap();
        assert_eq!(dup["severity"], "major");
        assert_eq!(dup["location"]["path"], "models/m.tmd");
        assert_eq!(dup["location"]["lines"]["begin"], 2);
        assert_eq!(dup["location"]["lines"]["end"], 2);
        assert_eq!(dup["fingerprint"].as_str().unwrap().len(), 64);
        let warning = report("m.tmd", "external e \"x\" { bogus: 1 }\n");
        let w = warning
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["check_name"] == "TMD108")
            .unwrap();
        assert_eq!(w["severity"], "minor");
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = report("m.tmd", "process a\nprocess a\nprocess b\nprocess b\n");
        let b = report("m.tmd", "process a\nprocess a\nprocess b\nprocess b\n");
        assert_eq!(a, b);
        let prints: Vec<&str> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        let mut unique = prints.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(prints.len(), unique.len(), "{prints:?}");
        // Another file, same text: other fingerprints.
        let c = report("n.tmd", "process a\nprocess a\nprocess b\nprocess b\n");
        assert_ne!(a[0]["fingerprint"], c[0]["fingerprint"]);
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    #[test]
    fn fingerprints_survive_edits_above_the_problem() {
        let before = report("m.tmd", "process a\nprocess a\n");
        let after = report("m.tmd", "# a comment\n\nprocess b\nprocess a\nprocess a\n");
        let dup = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .find(|i| i["check_name"] == "TMD002")
                .cloned()
                .unwrap()
        };
        assert_eq!(dup(&before)["location"]["lines"]["begin"], 2);
        assert_eq!(dup(&after)["location"]["lines"]["begin"], 5);
        assert_eq!(dup(&before)["fingerprint"], dup(&after)["fingerprint"]);
    }

    #[test]
    fn unreadable_files_are_blockers() {
        let u = Unreadable {
            file: "gone.tmd".to_string(),
            message: "cannot read `gone.tmd`: no such file".to_string(),
        };
        let v: Value = serde_json::from_str(&gitlab(&[], &[u], &|n| n.to_string())).unwrap();
        assert_eq!(v[0]["check_name"], "unreadable");
        assert_eq!(v[0]["severity"], "blocker");
        assert_eq!(v[0]["location"]["lines"]["begin"], 1);
        assert_eq!(v[0]["location"]["path"], "gone.tmd");
    }

    #[test]
    fn descriptions_stay_on_one_line() {
        assert_eq!(one_line("a\nb\u{1b}c\u{202E}"), "a b c<U+202E>");
    }
}
