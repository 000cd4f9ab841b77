//! `tmd import`: models from other tools, written as tmd text. One file a
//! format (`otm.rs`, `threat_dragon.rs`, `threagile.rs`; YAML read by
//! `yaml.rs`); this module holds what they share: identifiers
//! (the source's own where they are valid tmd identifiers, else stable
//! slugs of the names, deduplicated in source order), tmd string literals,
//! the facts kept as `x_` keys and the facts dropped, and the last step:
//! the text is compiled (no error allowed) and formatted by `tmd fmt`
//! before anyone writes it. Pure: text in, text out; `src/cli/import.rs`
//! reads and writes. docs/interop.md has the mapping tables.

pub mod dot;
pub mod otm;
pub mod threagile;
pub mod threat_dragon;
pub mod yaml;

use std::collections::BTreeSet;
use std::fmt;

/// What went wrong, and where in the source (`$.components[3].parent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// A JSONPath-like location in the source document.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

impl ImportError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// An imported model: formatted tmd text, with what was kept and dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    /// Facts kept as `x_` keys.
    pub kept: usize,
    /// Facts with no place in tmd, listed in the header comment too.
    pub dropped: Vec<String>,
}

/// Words that cannot be identifiers, and the built-in actors' IDs.
const RESERVED: [&str; 22] = [
    "title",
    "scope",
    "author",
    "created",
    "updated",
    "version",
    "direction",
    "external",
    "process",
    "store",
    "boundary",
    "flow",
    "actor",
    "threat",
    "on",
    "true",
    "false",
    "apt",
    "external_attacker",
    "malicious_insider",
    "accidental_insider",
    "risk",
];

/// Whether `s` is a tmd identifier that is not a keyword.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s)
}

/// A slug of `name`: ASCII letters and digits in lower case, runs of
/// anything else as one `_`; `item` when nothing is left; `_` before a
/// leading digit.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "item".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&out.as_str()) {
        format!("_{out}")
    } else {
        out
    }
}

/// The one namespace of the model being written.
#[derive(Default)]
pub struct Names {
    used: BTreeSet<String>,
}

impl Names {
    /// The ID for an item whose source ID is `source` and whose name is
    /// `name`: the source ID when it is a free identifier, else a slug of
    /// the name (of the source ID when the name is blank), `_2`, `_3`...
    /// when taken. The bool says whether the source ID was kept.
    pub fn claim(&mut self, source: &str, name: &str) -> (String, bool) {
        if is_identifier(source) && self.used.insert(source.to_string()) {
            return (source.to_string(), true);
        }
        let base = if name.trim().is_empty() {
            slug(source)
        } else {
            slug(name)
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        (id, false)
    }
}

/// A tmd string literal of `text`: control characters (which tmd refuses,
/// TMD011) are replaced by U+FFFD; everything else is escaped by the
/// formatter's own rules.
pub fn string(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    crate::fmt::quote(&cleaned)
}

/// An `x_` key from a source key: `x_` and its slug.
pub fn x_key(key: &str) -> String {
    let s = slug(key);
    format!("x_{}", s.trim_start_matches('_'))
}

/// The lines of a tmd model being written, and the tallies.
#[derive(Default)]
pub struct Writer {
    pub lines: Vec<String>,
    pub kept: usize,
    pub dropped: Vec<String>,
}

impl Writer {
    pub fn line(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    /// Notes a dropped fact (deduplicated, in the order first met).
    pub fn drop_fact(&mut self, fact: impl Into<String>) {
        let fact = fact.into();
        if !self.dropped.contains(&fact) {
            self.dropped.push(fact);
        }
    }

    /// Compiles and formats the text, with a header comment naming the
    /// source and the format and listing what was dropped. Refused (with
    /// the compiler's first error) when the text does not compile: an
    /// importer bug, never written.
    pub fn finish(self, source_name: &str, format: &str) -> Result<Imported, ImportError> {
        let mut text = String::new();
        let name: String = source_name
            .chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect();
        text.push_str(&format!(
            "# Imported from {name} ({format}) by tmd import.\n"
        ));
        if !self.dropped.is_empty() {
            text.push_str("# Facts of the source with no place in tmd, not imported:\n");
            for fact in &self.dropped {
                let fact: String = fact
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                text.push_str(&format!("# - {fact}\n"));
            }
        }
        text.push('\n');
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        let compiled = crate::compile(&text);
        if let Some(error) = compiled.diagnostics.iter().find(|d| d.is_error()) {
            return Err(ImportError::new(
                "$",
                format!(
                    "the imported model does not compile ({}: {}); nothing written",
                    error.code, error.message
                ),
            ));
        }
        let Some(file) = compiled.file.as_ref() else {
            return Err(ImportError::new("$", "the imported model does not parse"));
        };
        Ok(Imported {
            text: crate::fmt::format(file, &compiled.source),
            kept: self.kept,
            dropped: self.dropped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_or_slugged_and_deduplicated() {
        let mut names = Names::default();
        assert_eq!(names.claim("web_app", "Web App"), ("web_app".into(), true));
        assert_eq!(
            names.claim("web_app", "Web App"),
            ("web_app_2".into(), false)
        );
        assert_eq!(
            names.claim("f0ba7722-39b6", "Internet"),
            ("internet".into(), false)
        );
        assert_eq!(names.claim("x-1", "  "), ("x_1".into(), false));
        assert_eq!(names.claim("flow", "flow"), ("_flow".into(), false));
        assert_eq!(slug("3 tier"), "_3_tier");
        assert_eq!(slug("Ünïcode!"), "n_code");
        assert_eq!(x_key("trustRating"), "x_trustrating");
    }

    #[test]
    fn strings_drop_control_characters() {
        assert_eq!(string("a\"b\u{7}"), "\"a\\\"b\u{FFFD}\"");
    }
}
