//! Rule files: TOML text in, [`Rule`]s or TMD016 diagnostics (with spans
//! into the file) out. The format is docs/threat-library.md's.

use std::borrow::Cow;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::facts::{self, Ty};
use super::{Condition, Example, FlagTest, Kind, Rule, Test, PLACEHOLDERS};
use crate::checks::tmd016_invalid_rule_file as tmd016;
use crate::diagnostic::Diagnostic;
use crate::model::{closest_name, Severity, Stride};
use crate::span::Span;

type Key<'i> = Spanned<Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

/// The keys of a rule, in the order the format lists them.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "stride",
    "applies_to",
    "severity",
    "sensitive_severity",
    "when",
    "scenario",
    "mitigation",
    "references",
    "example",
];

const EXAMPLE_KEYS: &[&str] = &["target", "fires", "quiet"];

fn span(range: std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

/// Reads a rule file. `origin` says where it comes from (shown by
/// `tmd explain` and the library's page). Every problem of the file is
/// reported in one run, sorted by position.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Rule>, Vec<Diagnostic>> {
    let table = match crate::config::toml_document(text) {
        Ok(table) => table,
        Err((at, message)) => return Err(vec![tmd016::syntax(at, &message)]),
    };
    let mut reader = Reader {
        origin,
        rules: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (key, value) in table.get_ref().iter() {
        if key.get_ref() != "rule" {
            let closest = closest_name(key.get_ref(), ["rule"]);
            reader.diagnostics.push(tmd016::unknown_key(
                span(key.span()),
                key.get_ref(),
                "a rule file",
                closest,
            ));
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            reader.wrong_type("rule", value, "an array of tables (`[[rule]]`)");
            continue;
        };
        for item in items.iter() {
            reader.rule(item);
        }
    }
    // An ID is given once in a file.
    let mut seen: Vec<(String, Span)> = Vec::new();
    for rule in &reader.rules {
        match seen.iter().find(|(id, _)| *id == rule.id) {
            Some((_, first)) => reader
                .diagnostics
                .push(tmd016::duplicate(rule.span, &rule.id, *first)),
            None => seen.push((rule.id.clone(), rule.span)),
        }
    }
    if reader.diagnostics.is_empty() {
        Ok(reader.rules)
    } else {
        crate::diagnostic::sort(&mut reader.diagnostics);
        Err(reader.diagnostics)
    }
}

/// Whether an ID is a word: a letter, then letters, digits and `-`.
pub fn is_rule_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

struct Reader<'o> {
    origin: &'o str,
    rules: Vec<Rule>,
    diagnostics: Vec<Diagnostic>,
}

fn found(value: &Value<'_>) -> &'static str {
    match value.get_ref() {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "float",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "date-time",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "table",
    }
}

impl Reader<'_> {
    fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str) {
        self.diagnostics.push(tmd016::wrong_type(
            span(value.span()),
            key,
            expected,
            found(value),
        ));
    }

    fn string(&mut self, key: &str, value: &Value<'_>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A string, or an array of strings.
    fn strings(&mut self, key: &str, value: &Value<'_>) -> Option<Vec<(String, Span)>> {
        match value.get_ref() {
            DeValue::String(s) => Some(vec![(s.to_string(), span(value.span()))]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    out.push((self.string(key, item)?, span(item.span())));
                }
                Some(out)
            }
            _ => {
                self.wrong_type(key, value, "a string or an array of strings");
                None
            }
        }
    }

    fn severity(&mut self, key: &str, value: &Value<'_>) -> Option<Severity> {
        let word = self.string(key, value)?;
        match word.as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            other => {
                let closest = closest_name(other, ["low", "medium", "high"]);
                self.diagnostics.push(tmd016::bad_value(
                    span(value.span()),
                    key,
                    other,
                    "`\"low\"`, `\"medium\"` or `\"high\"` (a band, shown on each model's scale)",
                    closest,
                ));
                None
            }
        }
    }

    fn rule(&mut self, item: &Value<'_>) {
        let DeValue::Table(table) = item.get_ref() else {
            self.wrong_type("rule", item, "a table (`[[rule]]`)");
            return;
        };
        let before = self.diagnostics.len();
        let mut id = None;
        let mut title = None;
        let mut stride = None;
        let mut applies = None;
        let mut severity = None;
        let mut sensitive_severity = None;
        let mut when = Vec::new();
        let mut scenario = None;
        let mut mitigation = None;
        let mut references = Vec::new();
        let mut example = None;
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            match name {
                "id" => {
                    if let Some(text) = self.string(name, value) {
                        if is_rule_id(&text) && !text.to_ascii_uppercase().starts_with("TMD") {
                            id = Some((text, span(value.span())));
                        } else {
                            self.diagnostics.push(tmd016::bad_value(
                                span(value.span()),
                                name,
                                &text,
                                "a word of letters, digits and `-`, starting with a letter and not with `TMD` (codes are diagnostics')",
                                None,
                            ));
                        }
                    }
                }
                "title" => title = self.string(name, value),
                "stride" => {
                    if let Some(text) = self.string(name, value) {
                        let mut chars = text.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) if Stride::is_letter(c.to_ascii_uppercase()) => {
                                stride = Some(c.to_ascii_uppercase());
                            }
                            _ => self.diagnostics.push(tmd016::bad_value(
                                span(value.span()),
                                name,
                                &text,
                                "one STRIDE letter: `S`, `T`, `R`, `I`, `D` or `E`",
                                None,
                            )),
                        }
                    }
                }
                "applies_to" => {
                    let Some(words) = self.strings(name, value) else {
                        continue;
                    };
                    let mut kinds = Vec::new();
                    for (word, at) in words {
                        match Kind::parse(&word) {
                            Some(k) => kinds.push(k),
                            None => {
                                let closest = closest_name(&word, Kind::WORDS);
                                self.diagnostics.push(tmd016::bad_value(
                                    at,
                                    name,
                                    &word,
                                    "`flow`, `external`, `process`, `store` or `boundary`",
                                    closest,
                                ));
                            }
                        }
                    }
                    applies = Some((kinds, span(value.span())));
                }
                "severity" => severity = self.severity(name, value),
                "sensitive_severity" => sensitive_severity = self.severity(name, value),
                "when" => {
                    let DeValue::Table(conditions) = value.get_ref() else {
                        self.wrong_type(name, value, "a table of conditions");
                        continue;
                    };
                    self.conditions("", conditions, &mut when);
                }
                "scenario" | "mitigation" => {
                    let Some(text) = self.string(name, value) else {
                        continue;
                    };
                    self.placeholders(name, &text, value);
                    if name == "scenario" {
                        scenario = Some(text);
                    } else {
                        mitigation = Some(text);
                    }
                }
                "references" => {
                    if let Some(list) = self.strings(name, value) {
                        references = list.into_iter().map(|(s, _)| s).collect();
                    }
                }
                "example" => example = self.example(value),
                other => {
                    let closest = closest_name(other, RULE_KEYS.iter().copied());
                    self.diagnostics.push(tmd016::unknown_key(
                        span(key.span()),
                        other,
                        "a rule",
                        closest,
                    ));
                }
            }
        }
        let at = span(item.span());
        let at = Span::new(at.start, at.start.saturating_add(1).min(at.end));
        for (key, missing) in [
            ("id", id.is_none()),
            ("title", title.is_none()),
            ("stride", stride.is_none()),
            ("applies_to", applies.is_none()),
            ("severity", severity.is_none()),
            ("scenario", scenario.is_none()),
            ("mitigation", mitigation.is_none()),
        ] {
            // A key written with a bad value has its own diagnostic.
            if missing && !table.iter().any(|(k, _)| k.get_ref() == key) {
                self.diagnostics.push(tmd016::missing(at, key));
            }
        }
        if let Some((kinds, at)) = &applies {
            for c in &when {
                if let Some((on, _)) = facts::lookup(&c.key) {
                    let fits = kinds
                        .iter()
                        .any(|k| (*k == Kind::Flow) == (on == facts::On::Flow));
                    if !fits {
                        self.diagnostics
                            .push(tmd016::condition_not_applicable(c.span, &c.key, *at));
                    }
                }
            }
        }
        if self.diagnostics.len() > before {
            return;
        }
        let (
            Some((id, id_span)),
            Some(title),
            Some(stride),
            Some((applies_to, _)),
            Some(severity),
            Some(scenario),
            Some(mitigation),
        ) = (id, title, stride, applies, severity, scenario, mitigation)
        else {
            return;
        };
        self.rules.push(Rule {
            id,
            title,
            stride,
            applies_to,
            severity,
            sensitive_severity,
            when,
            scenario,
            mitigation,
            references,
            example,
            origin: self.origin.to_string(),
            span: id_span,
        });
    }

    /// The conditions of a `when` table; dotted keys (`target.privileged`)
    /// arrive as nested tables and are joined again.
    fn conditions(&mut self, prefix: &str, table: &DeTable<'_>, out: &mut Vec<Condition>) {
        for (key, value) in table.iter() {
            let name = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            if let (DeValue::Table(inner), true) = (value.get_ref(), prefix.is_empty()) {
                self.conditions(&name, inner, out);
                continue;
            }
            self.condition(&name, key, value, out);
        }
    }

    fn condition(
        &mut self,
        name: &str,
        key: &Key<'_>,
        value: &Value<'_>,
        out: &mut Vec<Condition>,
    ) {
        let Some((_, ty)) = facts::lookup(name) else {
            let names = facts::names();
            let closest = closest_name(name, names.iter().map(String::as_str));
            self.diagnostics.push(tmd016::unknown_key(
                span(key.span()),
                name,
                "`when`",
                closest,
            ));
            return;
        };
        let test = match ty {
            Ty::Flag => match value.get_ref() {
                DeValue::Boolean(true) => Test::Flag(FlagTest::Yes),
                DeValue::Boolean(false) => Test::Flag(FlagTest::No),
                DeValue::String(s) => match FlagTest::parse(s) {
                    Some(t) => Test::Flag(t),
                    None => {
                        let closest = closest_name(s, FlagTest::WORDS);
                        self.diagnostics.push(tmd016::bad_value(
                            span(value.span()),
                            name,
                            s,
                            "`true`, `false`, `\"unknown\"`, `\"not-true\"` or `\"not-false\"`",
                            closest,
                        ));
                        return;
                    }
                },
                _ => {
                    self.wrong_type(
                        name,
                        value,
                        "`true`, `false` or a string such as `\"not-true\"`",
                    );
                    return;
                }
            },
            Ty::Count => match value.get_ref() {
                DeValue::Integer(i) => match i.as_str().parse::<usize>() {
                    Ok(n) if i.radix() == 10 => Test::AtLeast(n),
                    _ => {
                        self.diagnostics.push(tmd016::bad_value(
                            span(value.span()),
                            name,
                            i.as_str(),
                            "a whole number, 0 or more (the least it must be)",
                            None,
                        ));
                        return;
                    }
                },
                _ => {
                    self.wrong_type(name, value, "an integer");
                    return;
                }
            },
            Ty::Words => {
                let Some(words) = self.strings(name, value) else {
                    return;
                };
                Test::AnyOf(
                    words
                        .into_iter()
                        .map(|(w, _)| w.to_ascii_lowercase())
                        .collect(),
                )
            }
        };
        out.push(Condition {
            key: name.to_string(),
            test,
            span: span(key.span()),
        });
    }

    /// `{name}` placeholders of a text: each must be known; `{{` and `}}`
    /// are braces.
    fn placeholders(&mut self, key: &str, text: &str, value: &Value<'_>) {
        if let Err(bad) = super::text::check(text) {
            let closest = closest_name(&bad, PLACEHOLDERS.iter().copied());
            self.diagnostics.push(tmd016::bad_placeholder(
                span(value.span()),
                key,
                &bad,
                closest,
            ));
        }
    }

    fn example(&mut self, value: &Value<'_>) -> Option<Example> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(
                "example",
                value,
                "a table with `target`, `fires` and `quiet`",
            );
            return None;
        };
        let (mut target, mut fires, mut quiet) = (None, None, None);
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            match name {
                "target" => target = self.string(name, value),
                "fires" => fires = self.string(name, value),
                "quiet" => quiet = self.string(name, value),
                other => {
                    let closest = closest_name(other, EXAMPLE_KEYS.iter().copied());
                    self.diagnostics.push(tmd016::unknown_key(
                        span(key.span()),
                        other,
                        "`example`",
                        closest,
                    ));
                }
            }
        }
        let at = span(value.span());
        let at = Span::new(at.start, at.start.saturating_add(1).min(at.end));
        match (target, fires, quiet) {
            (Some(target), Some(fires), Some(quiet)) => Some(Example {
                target,
                fires,
                quiet,
            }),
            (t, f, _) => {
                let key = if t.is_none() {
                    "example.target"
                } else if f.is_none() {
                    "example.fires"
                } else {
                    "example.quiet"
                };
                self.diagnostics.push(tmd016::missing(at, key));
                None
            }
        }
    }
}
