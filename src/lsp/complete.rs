//! Completion in context, read from the text before the cursor, with the
//! IDs the text declares (`Index::scan`), so that it works on a buffer
//! that does not parse.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::index::{Index, Kind, Role};
use crate::model::{
    AssumptionStatus, BoundaryKindWord, CiaRating, ControlStatus, Remediation, Scale, Status, Word,
    BUILTIN_ACTORS,
};

/// The statements that open a line, with what they declare.
pub const STATEMENTS: &[(&str, &str)] = &[
    ("external", "an external entity: external ID \"Label\""),
    ("process", "a process: process ID \"Label\""),
    ("store", "a data store: store ID \"Label\""),
    (
        "boundary",
        "a trust boundary: boundary ID \"Label\" { ... }",
    ),
    ("flow", "a data flow: flow [ID:] SOURCE -> TARGET \"Label\""),
    ("actor", "a threat actor: actor ID \"Label\""),
    ("threat", "a threat: threat ID \"Title\" on TARGET { ... }"),
    ("control", "a control: control ID \"Label\" { status: ... }"),
    (
        "scale",
        "a risk scale: scale ID \"Label\" { rows: ..., columns: ... }",
    ),
    (
        "asset",
        "a data asset: asset ID \"Label\" { classification: ... }",
    ),
    (
        "assumption",
        "an assumption: assumption ID \"Statement\" { for: [...] }",
    ),
];

/// The header statements (top level only).
pub const HEADERS: &[&str] = &[
    "title",
    "scope",
    "author",
    "created",
    "updated",
    "version",
    "direction",
    "reviewers",
    "contributors",
    "link",
    "risk",
    "classification",
    "sensitive",
];

/// The keys of each block, by the keyword of its statement.
pub fn keys_of(statement: &str) -> &'static [&'static str] {
    match statement {
        "external" | "process" | "store" => &[
            "description",
            "tech",
            "owner",
            "out_of_scope",
            "assets",
            "internet_facing",
            "authenticates",
            "validates_input",
            "logs_security_events",
            "encrypts_at_rest",
            "holds_credentials",
            "third_party_code",
            "privileged",
        ],
        "flow" => &[
            "protocol",
            "encrypted",
            "authenticated",
            "data",
            "assets",
            "initiator",
            "response_to",
            "description",
            "out_of_scope",
        ],
        // With the two axes of the model's scale (`complete` adds them).
        "threat" => &[
            "actor",
            "scenario",
            "stride",
            "severity",
            "mitigation",
            "remediation",
            "status",
            "rule",
            "justification",
            "owner",
            "ticket",
            "reviewed_by",
            "reviewed_on",
            "expires",
            "controls",
        ],
        "actor" => &["description"],
        "control" => &["status", "description", "ticket", "reduces"],
        "asset" => &[
            "classification",
            "confidentiality",
            "integrity",
            "availability",
            "description",
        ],
        "assumption" => &["status", "owner", "for", "description"],
        "boundary" => &["kind", "description"],
        "scale" => &["rows", "columns", "severities", "bands", "description"],
        _ => &[],
    }
}

fn words<W: Word>() -> Vec<&'static str> {
    W::ALL.iter().map(|w| w.as_str()).collect()
}

/// The closed set of values of `key` in a block of `statement`.
pub fn values_of(statement: &str, key: &str) -> Vec<&'static str> {
    match (statement, key) {
        ("threat", "stride") => vec!["S", "T", "R", "I", "D", "E", "STRIDE"],
        ("scale", "bands") => vec!["low", "medium", "high"],
        ("threat", "remediation") => words::<Remediation>(),
        ("threat", "status") => words::<Status>(),
        ("control", "status") => words::<ControlStatus>(),
        ("assumption", "status") => words::<AssumptionStatus>(),
        ("asset", "confidentiality" | "integrity" | "availability") => words::<CiaRating>(),
        ("boundary", "kind") => words::<BoundaryKindWord>(),
        (_, "encrypted" | "authenticated" | "out_of_scope") => vec!["true", "false"],
        ("external" | "process" | "store", k) if crate::model::ElementProps::KEYS.contains(&k) => {
            vec!["true", "false"]
        }
        ("header", "direction") => vec!["top-down", "left-right", "auto"],
        ("header", "risk") => crate::config::BUILTIN_SCALES.to_vec(),
        _ => Vec::new(),
    }
}

/// What the cursor is in.
#[derive(Debug, PartialEq)]
enum Context {
    /// At the start of a statement (top level, or in a boundary's body).
    Statement {
        top: bool,
        in_boundary: bool,
    },
    /// At a key of a block of the statement.
    Key(String),
    /// At a value of a key of a block of the statement.
    Value(String, String),
    /// Where a flow's SOURCE or TARGET goes.
    Endpoint,
    /// Where a threat's target goes.
    Target,
    /// At a header's value.
    Header(String),
    Nothing,
}

/// The first word of a line, trimmed.
fn first_word(line: &str) -> &str {
    let line = line.trim_start();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    line.get(..end).unwrap_or("")
}

fn context(source: &str, offset: usize) -> Context {
    let offset = crate::span::clamp_to_char_boundary(source, offset);
    let before = source.get(..offset).unwrap_or("");
    // The open blocks: the keyword of the line each `{` is on.
    let mut open: Vec<String> = Vec::new();
    let mut line_start = 0;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, ch) in before.char_indices() {
        if ch == '\n' {
            line_start = i + 1;
            in_string = false;
            in_comment = false;
            continue;
        }
        if in_comment {
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
            continue;
        }
        match ch {
            '"' => in_string = true,
            '#' => in_comment = true,
            '{' => {
                let line = before.get(line_start..i).unwrap_or("");
                open.push(first_word(line).to_string());
            }
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    if in_string || in_comment {
        return Context::Nothing;
    }
    let line = before.get(line_start..).unwrap_or("");
    let typed = line
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .len();
    let head = line.get(..typed).unwrap_or("").trim_end();
    match open.last().map(String::as_str) {
        Some(block) if block != "boundary" => {
            let block = block.to_string();
            // Inside a block: the last `key:` of the entry, if any.
            let entry_start = head.rfind(['{', ',']).map_or(0, |i| i + 1);
            let entry = head.get(entry_start..).unwrap_or("");
            // In a list the last `,` is inside the value: look before `[`.
            let in_list = head.rfind('[') > head.rfind(']');
            let entry = if in_list {
                let start = head.get(..head.rfind('[').unwrap_or(0)).unwrap_or("");
                let from = start.rfind(['{', ',']).map_or(0, |i| i + 1);
                start.get(from..).unwrap_or("").to_string()
            } else {
                entry.to_string()
            };
            let entry = entry.trim();
            match entry.strip_suffix(':') {
                Some(key) if !key.trim().contains(' ') && !key.trim().is_empty() => {
                    Context::Value(block, key.trim().to_string())
                }
                _ if entry.is_empty() => Context::Key(block),
                _ => Context::Nothing,
            }
        }
        in_block => {
            let in_boundary = in_block.is_some();
            let keyword = first_word(line);
            if head.is_empty() {
                return Context::Statement {
                    top: !in_boundary,
                    in_boundary,
                };
            }
            match keyword {
                "flow" => {
                    let words: Vec<&str> = head.split_whitespace().collect();
                    // `flow`, `flow id:`, `flow a ->`, `flow id: a ->`
                    let at_source = words.len() == 1
                        || (words.len() == 2 && words.last().is_some_and(|w| w.ends_with(':')));
                    if at_source || head.ends_with("->") {
                        Context::Endpoint
                    } else {
                        Context::Nothing
                    }
                }
                "threat" => {
                    let after_on = head.ends_with(',') && head.contains(" on ");
                    if head.ends_with(" on") || head.ends_with("->") || after_on {
                        Context::Target
                    } else {
                        Context::Nothing
                    }
                }
                "kind" | "description" if in_boundary && head.ends_with(':') => {
                    Context::Value("boundary".to_string(), keyword.to_string())
                }
                key if !in_boundary && HEADERS.contains(&key) && head == key => {
                    Context::Header(key.to_string())
                }
                _ => Context::Nothing,
            }
        }
    }
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

/// The completion item kind of an ID.
pub fn id_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::External | Kind::Process | Kind::Store => CompletionItemKind::CLASS,
        Kind::Boundary => CompletionItemKind::MODULE,
        Kind::Flow => CompletionItemKind::EVENT,
        Kind::Actor => CompletionItemKind::INTERFACE,
        Kind::Threat => CompletionItemKind::STRUCT,
        Kind::Scale | Kind::Control | Kind::Asset | Kind::Assumption => {
            CompletionItemKind::VARIABLE
        }
    }
}

fn ids(index: Option<&Index>, role: Role) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    if role == Role::Actor {
        for (name, label) in BUILTIN_ACTORS {
            out.push(item(
                name,
                CompletionItemKind::INTERFACE,
                Some(format!("built-in actor: {label}")),
            ));
        }
    }
    for def in index.into_iter().flat_map(|i| &i.defs) {
        if role.accepts(def.kind) {
            let detail = match &def.label {
                Some(label) => format!("{} \"{}\"", def.kind.as_str(), label),
                None => def.kind.as_str().to_string(),
            };
            out.push(item(&def.name, id_kind(def.kind), Some(detail)));
        }
    }
    out
}

/// The completions at byte `offset` of `source`.
pub fn complete(
    source: &str,
    offset: usize,
    index: Option<&Index>,
    scale: &Scale,
) -> Vec<CompletionItem> {
    match context(source, offset) {
        Context::Statement { top, in_boundary } => {
            let mut out: Vec<CompletionItem> = STATEMENTS
                .iter()
                .map(|(kw, what)| item(kw, CompletionItemKind::KEYWORD, Some(what.to_string())))
                .collect();
            if top {
                out.extend(
                    HEADERS
                        .iter()
                        .map(|h| item(h, CompletionItemKind::KEYWORD, Some("header".to_string()))),
                );
            }
            if in_boundary {
                out.extend(keys_of("boundary").iter().map(|k| key_item(k)));
            }
            out
        }
        Context::Key(block) => {
            let mut out: Vec<CompletionItem> =
                keys_of(&block).iter().map(|k| key_item(k)).collect();
            if block == "threat" {
                // The scale's axes (`ease` and `impact` on the primer's).
                for axis in scale.axis_keys() {
                    out.push(key_item(axis));
                }
            }
            out
        }
        Context::Value(block, key) if block == "threat" && scale_values(scale, &key).is_some() => {
            scale_values(scale, &key)
                .unwrap_or_default()
                .into_iter()
                .map(|v| item(&v, CompletionItemKind::ENUM_MEMBER, Some(key.clone())))
                .collect()
        }
        Context::Value(block, key) => match Role::of_key(&key) {
            Some(role) => ids(index, role),
            None => values_of(&block, &key)
                .into_iter()
                .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, Some(key.clone())))
                .collect(),
        },
        Context::Endpoint => ids(index, Role::Endpoint),
        Context::Target => ids(index, Role::Target),
        Context::Header(key) if key == "risk" => {
            let mut out: Vec<CompletionItem> = values_of("header", "risk")
                .into_iter()
                .map(|v| {
                    item(
                        v,
                        CompletionItemKind::ENUM_MEMBER,
                        Some("built-in scale".into()),
                    )
                })
                .collect();
            out.extend(ids(index, Role::Risk));
            out
        }
        Context::Header(key) => values_of("header", &key)
            .into_iter()
            .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, Some(key.clone())))
            .collect(),
        Context::Nothing => Vec::new(),
    }
}

/// The words of `key` on the model's scale: an axis's levels, or its
/// severities.
fn scale_values(scale: &Scale, key: &str) -> Option<Vec<String>> {
    if key == "severity" {
        return Some(scale.severities.iter().map(|s| s.word.clone()).collect());
    }
    [&scale.columns, &scale.rows]
        .into_iter()
        .find(|axis| axis.name == key)
        .map(|axis| axis.levels.clone())
}

fn key_item(key: &str) -> CompletionItem {
    CompletionItem {
        insert_text: Some(format!("{key}: ")),
        ..item(key, CompletionItemKind::PROPERTY, Some("key".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(source: &str) -> Vec<String> {
        let at = source.find('|').unwrap();
        let text = source.replace('|', "");
        let index = Index::scan("external user \"User\"\nprocess api\nstore db\nflow q: user -> api\ncontrol waf\nboundary dc {\n}\n");
        complete(&text, at, Some(&index), &Scale::default())
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn completion_in_each_context() {
        assert!(labels("|").contains(&"threat".to_string()));
        assert!(labels("|").contains(&"title".to_string()));
        assert!(labels("boundary b {\n  |").contains(&"kind".to_string()));
        assert!(!labels("boundary b {\n  |").contains(&"title".to_string()));
        assert_eq!(labels("flow |"), ["user", "api", "db"]);
        assert_eq!(labels("flow x: user -> a|"), ["user", "api", "db"]);
        assert_eq!(labels("threat T on |"), ["user", "api", "db", "q", "dc"]);
        assert_eq!(
            labels("threat T on api, |"),
            ["user", "api", "db", "q", "dc"]
        );
        assert!(labels("threat T on api {\n  |").contains(&"scenario".to_string()));
        assert_eq!(
            labels("threat T on api { severity: |"),
            ["low", "medium", "high"]
        );
        assert_eq!(
            labels("threat T on api {\n  ease: m|"),
            ["difficult", "moderate", "easy"]
        );
        assert_eq!(labels("threat T on api { controls: [|"), ["waf"]);
        assert_eq!(labels("threat T on api { controls: [waf, |"), ["waf"]);
        assert!(labels("threat T on api { actor: |").contains(&"apt".to_string()));
        assert_eq!(
            labels("control c { status: |"),
            ["planned", "implemented", "verified"]
        );
        assert_eq!(labels("flow a -> b { initiator: |"), ["user", "api", "db"]);
        assert_eq!(labels("flow a -> b { response_to: |"), ["q"]);
        assert_eq!(labels("flow a -> b { encrypted: |"), ["true", "false"]);
        assert_eq!(labels("direction |"), ["top-down", "left-right", "auto"]);
        assert!(labels("title \"a |").is_empty());
        assert!(labels("# flow |").is_empty());
    }
}
