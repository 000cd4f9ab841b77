//! The project configuration, `tmd.toml` (docs/config.md): its text in, a
//! [`Config`] or TMD015 diagnostics (spans into the text) out.
//!
//! Pure, like the rest of the library: finding the file (walking up from a
//! model's folder to the project root), the command-line overrides and
//! where each value came from are the CLI's (`src/cli/config.rs`).
//!
//! ```toml
//! fail_on = "high"                 # the lowest open severity that fails check and build
//! risk = "owasp"                   # the risk scale of models without a `risk` header
//! classification = ["public", "internal", "confidential", "restricted"]
//! sensitive = "confidential"
//!
//! [checks]
//! enable = ["TMD118"]              # opt-in warnings to run
//! disable = ["TMD105"]             # warnings not to run
//! deny = ["TMD106"]                # warnings that fail check and build
//! ```

use std::collections::BTreeSet;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::checks::{self, tmd015_invalid_config as tmd015};
use crate::diagnostic::Diagnostic;
use crate::model::{closest_name, LowerOptions, Severity};
use crate::span::Span;

/// The file's name.
pub const FILE_NAME: &str = "tmd.toml";

/// The risk scales a project can choose by name: the built-in ones. (A
/// custom scale is declared in a model, which then names it in its own
/// `risk` header.)
pub const BUILTIN_SCALES: &[&str] = &["primer", "owasp", "threagile"];

/// The top-level keys, in the order docs/config.md lists them.
const KEYS: &[&str] = &[
    "fail_on",
    "risk",
    "classification",
    "sensitive",
    "checks",
    "rules",
];

/// The keys of `[rules]`.
const RULE_KEYS: &[&str] = &["files", "disable", "warn_from"];

/// The keys of `[checks]`.
const CHECK_KEYS: &[&str] = &["enable", "disable", "deny"];

/// A value with the span of its text in `tmd.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub span: Span,
}

/// What a `tmd.toml` says. Every field is optional: what is not given is
/// the default (the language's, or the command line's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The lowest severity band of an open, in-scope threat that fails
    /// `tmd check` and `tmd build` (`--fail-on` wins over it).
    pub fail_on: Option<Setting<Severity>>,
    /// The risk scale of models with no `risk` header.
    pub risk: Option<Setting<String>>,
    /// The classification levels, lowest first, of models with no
    /// `classification` header.
    pub classification: Option<Setting<Vec<String>>>,
    /// The level from which data is sensitive, for models with no
    /// `sensitive` header.
    pub sensitive: Option<Setting<String>>,
    /// `[checks] enable`: opt-in warnings to run.
    pub enable: Vec<Setting<&'static str>>,
    /// `[checks] disable`: warnings not to run.
    pub disable: Vec<Setting<&'static str>>,
    /// `[checks] deny`: warnings that fail `tmd check` and `tmd build`
    /// (reported there as errors). A denied warning runs, opt-in or not.
    pub deny: Vec<Setting<&'static str>>,
    /// `[rules] files`: the project's threat rule files, relative to the
    /// tmd.toml, inside the project.
    pub rule_files: Vec<Setting<String>>,
    /// `[rules] disable`: built-in rules turned off.
    pub rules_disable: Vec<Setting<String>>,
    /// `[rules] warn_from`: the band from which TMD122 reports an open
    /// suggestion.
    pub rules_warn_from: Option<Setting<Severity>>,
}

impl Config {
    /// The defaults it gives the lowering.
    pub fn lower_options(&self) -> LowerOptions {
        LowerOptions {
            risk: self.risk.as_ref().map(|s| s.value.clone()),
            classification: self.classification.as_ref().map(|s| s.value.clone()),
            sensitive: self.sensitive.as_ref().map(|s| s.value.clone()),
        }
    }

    /// The warnings that run: the default set, plus `enable` and `deny`,
    /// less `disable`.
    pub fn selection(&self) -> checks::Selection {
        checks::Selection {
            enable: self
                .enable
                .iter()
                .chain(&self.deny)
                .map(|s| s.value)
                .collect(),
            disable: self.disable.iter().map(|s| s.value).collect(),
        }
    }

    /// The codes of `deny`.
    pub fn denied(&self) -> BTreeSet<&'static str> {
        self.deny.iter().map(|s| s.value).collect()
    }
}

/// Reads a `tmd.toml`. Every problem of the file is reported in one run,
/// sorted by position.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let table = match toml_document(text) {
        Ok(table) => table,
        Err((span, message)) => return Err(vec![tmd015::syntax(span, &message)]),
    };
    let mut reader = Reader {
        config: Config::default(),
        diagnostics: Vec::new(),
    };
    for (key, value) in table.get_ref().iter() {
        reader.top(key, value);
    }
    reader.cross_checks();
    if reader.diagnostics.is_empty() {
        Ok(reader.config)
    } else {
        crate::diagnostic::sort(&mut reader.diagnostics);
        Err(reader.diagnostics)
    }
}

fn span(range: std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

/// Parses a TOML document with the spans of its keys and values, for the
/// two TOML files tmd reads (`tmd.toml` and rule files); a syntax error
/// comes back with its span (clamped to the text) and TOML's message.
pub(crate) fn toml_document(text: &str) -> Result<Spanned<DeTable<'_>>, (Span, String)> {
    DeTable::parse(text).map_err(|e| {
        let span = e
            .span()
            .map(|r| Span::new(r.start.min(text.len()), r.end.min(text.len())))
            .unwrap_or_else(|| Span::new(0, 0));
        (span, e.message().to_string())
    })
}

/// Whether `text` is a word as the language writes values: a letter or
/// `_`, then letters, digits, `_` and `-`.
fn is_word(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

struct Reader {
    config: Config,
    diagnostics: Vec<Diagnostic>,
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

impl Reader {
    /// A severity word (`fail_on`, `[rules] warn_from`): `low`, `medium` or
    /// `high`, with the closest one suggested for anything else.
    fn severity(&mut self, name: &str, value: &Value<'_>) -> Option<Setting<Severity>> {
        let words = "`\"low\"`, `\"medium\"` or `\"high\"`";
        let word = self.string(name, value, &format!("a string: {words}"))?;
        let severity = match word.as_str() {
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            other => {
                let closest = closest_name(other, ["low", "medium", "high"]);
                self.diagnostics.push(tmd015::bad_value(
                    span(value.span()),
                    name,
                    other,
                    words,
                    closest,
                ));
                return None;
            }
        };
        Some(Setting {
            value: severity,
            span: span(value.span()),
        })
    }

    fn top(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let name: &str = key.get_ref();
        match name {
            "fail_on" => {
                if let Some(setting) = self.severity(name, value) {
                    self.config.fail_on = Some(setting);
                }
            }
            "risk" => {
                let Some(word) = self.string(name, value, "a string: the name of a risk scale")
                else {
                    return;
                };
                if !BUILTIN_SCALES.contains(&word.as_str()) {
                    let closest = closest_name(&word, BUILTIN_SCALES.iter().copied());
                    let expected = format!(
                        "the name of a built-in scale ({}); a custom scale is declared in a model and named in its own `risk` header",
                        quoted_list(BUILTIN_SCALES)
                    );
                    self.diagnostics.push(tmd015::bad_value(
                        span(value.span()),
                        name,
                        &word,
                        &expected,
                        closest,
                    ));
                    return;
                }
                self.config.risk = Some(Setting {
                    value: word,
                    span: span(value.span()),
                });
            }
            "classification" => {
                let Some(items) =
                    self.array(name, value, "a list of classification levels, lowest first")
                else {
                    return;
                };
                let mut levels: Vec<String> = Vec::new();
                let mut spans: Vec<Span> = Vec::new();
                let mut ok = true;
                for item in items {
                    let Some(level) = self.word_in_list(name, item) else {
                        ok = false;
                        continue;
                    };
                    if let Some(i) = levels.iter().position(|l| *l == level) {
                        let first = spans.get(i).copied().unwrap_or_default();
                        self.diagnostics.push(tmd015::listed_twice(
                            span(item.span()),
                            &level,
                            name,
                            first,
                            name,
                        ));
                        ok = false;
                        continue;
                    }
                    levels.push(level);
                    spans.push(span(item.span()));
                }
                if levels.is_empty() && ok {
                    self.diagnostics.push(tmd015::wrong_type(
                        span(value.span()),
                        name,
                        "a list of classification levels, lowest first",
                        "empty array",
                    ));
                    return;
                }
                if ok {
                    self.config.classification = Some(Setting {
                        value: levels,
                        span: span(value.span()),
                    });
                }
            }
            "sensitive" => {
                let expected = "a string: a classification level such as `\"confidential\"`";
                let Some(word) = self.string(name, value, expected) else {
                    return;
                };
                if !is_word(&word) {
                    self.diagnostics.push(tmd015::bad_value(
                        span(value.span()),
                        name,
                        &word,
                        "a classification level: a word such as `\"confidential\"`",
                        None,
                    ));
                    return;
                }
                self.config.sensitive = Some(Setting {
                    value: word,
                    span: span(value.span()),
                });
            }
            "rules" => {
                let DeValue::Table(table) = value.get_ref() else {
                    self.wrong_type(name, value, "a table (`[rules]`)");
                    return;
                };
                for (key, value) in table.iter() {
                    self.rules_key(key, value);
                }
            }
            "checks" => {
                let DeValue::Table(table) = value.get_ref() else {
                    self.wrong_type(name, value, "a table (`[checks]`)");
                    return;
                };
                for (key, value) in table.iter() {
                    self.check_list(key, value);
                }
            }
            other => {
                let closest = closest_name(other, KEYS.iter().copied());
                self.diagnostics.push(tmd015::unknown_key(
                    span(key.span()),
                    other,
                    "tmd.toml",
                    closest,
                ));
            }
        }
    }

    /// `[rules] files | disable | warn_from`.
    fn rules_key(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let name: &str = key.get_ref();
        match name {
            "files" | "disable" => {
                let Some(items) = self.array(name, value, "a list of strings") else {
                    return;
                };
                for item in items {
                    let Some(text) = self.string(name, item, "a string") else {
                        continue;
                    };
                    let setting = Setting {
                        value: text.clone(),
                        span: span(item.span()),
                    };
                    if name == "files" {
                        self.config.rule_files.push(setting);
                    } else if crate::rules::Library::is_builtin(&text) {
                        self.config.rules_disable.push(setting);
                    } else {
                        let builtin = crate::rules::Library::builtin();
                        let closest =
                            closest_name(&text, builtin.rules().iter().map(|r| r.id.as_str()));
                        self.diagnostics.push(tmd015::bad_value(
                            span(item.span()),
                            name,
                            &text,
                            "the IDs of built-in rules (docs/threat-library.md)",
                            closest,
                        ));
                    }
                }
            }
            "warn_from" => {
                if let Some(setting) = self.severity(name, value) {
                    self.config.rules_warn_from = Some(setting);
                }
            }
            other => {
                let closest = closest_name(other, RULE_KEYS.iter().copied());
                self.diagnostics.push(tmd015::unknown_key(
                    span(key.span()),
                    other,
                    "[rules]",
                    closest,
                ));
            }
        }
    }

    /// `[checks] enable | disable | deny`.
    fn check_list(&mut self, key: &Key<'_>, value: &Value<'_>) {
        let name: &str = key.get_ref();
        if !CHECK_KEYS.contains(&name) {
            let closest = closest_name(name, CHECK_KEYS.iter().copied());
            self.diagnostics.push(tmd015::unknown_key(
                span(key.span()),
                name,
                "[checks]",
                closest,
            ));
            return;
        }
        let Some(items) = self.array(
            name,
            value,
            "a list of warning codes such as `[\"TMD118\"]`",
        ) else {
            return;
        };
        let mut codes: Vec<Setting<&'static str>> = Vec::new();
        for item in items {
            let Some(text) = self.string(
                name,
                item,
                "a string: a warning's code such as `\"TMD118\"`",
            ) else {
                continue;
            };
            let item_span = span(item.span());
            let Some(rule) = checks::rule(&text).filter(|_| !text.trim().is_empty()) else {
                let closest = closest_check(&text);
                self.diagnostics
                    .push(tmd015::unknown_check(item_span, &text, closest));
                continue;
            };
            if rule.level == crate::diagnostic::Level::Error {
                self.diagnostics
                    .push(tmd015::error_code(item_span, rule.code, name));
                continue;
            }
            if let Some(first) = codes.iter().find(|s| s.value == rule.code) {
                self.diagnostics.push(tmd015::listed_twice(
                    item_span, rule.code, name, first.span, name,
                ));
                continue;
            }
            codes.push(Setting {
                value: rule.code,
                span: item_span,
            });
        }
        match name {
            "enable" => self.config.enable = codes,
            "disable" => self.config.disable = codes,
            _ => self.config.deny = codes,
        }
    }

    /// What one key says against another: a code both enabled (or denied)
    /// and disabled; `sensitive` outside the configuration's own
    /// classification.
    fn cross_checks(&mut self) {
        for (list, codes) in [("enable", &self.config.enable), ("deny", &self.config.deny)] {
            for code in codes {
                if let Some(d) = self.config.disable.iter().find(|d| d.value == code.value) {
                    let (first, first_list, later, later_list) = if d.span.start < code.span.start {
                        (d.span, "disable", code.span, list)
                    } else {
                        (code.span, list, d.span, "disable")
                    };
                    self.diagnostics.push(tmd015::listed_twice(
                        later, code.value, later_list, first, first_list,
                    ));
                }
            }
        }
        if let (Some(levels), Some(sensitive)) =
            (&self.config.classification, &self.config.sensitive)
        {
            if !levels.value.contains(&sensitive.value) {
                let closest =
                    closest_name(&sensitive.value, levels.value.iter().map(String::as_str));
                let expected = format!(
                    "one of the levels of `classification` ({})",
                    quoted_list(&levels.value)
                );
                self.diagnostics.push(tmd015::bad_value(
                    sensitive.span,
                    "sensitive",
                    &sensitive.value,
                    &expected,
                    closest,
                ));
            }
        }
    }

    /// A string value; reports any other type.
    fn string(&mut self, key: &str, value: &Value<'_>, expected: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(key, value, expected);
                None
            }
        }
    }

    /// One level of a list of words.
    fn word_in_list(&mut self, key: &str, item: &Value<'_>) -> Option<String> {
        let word = self.string(
            key,
            item,
            "a string: a classification level such as `\"internal\"`",
        )?;
        if is_word(&word) {
            return Some(word);
        }
        self.diagnostics.push(tmd015::bad_value(
            span(item.span()),
            key,
            &word,
            "words: a letter or `_`, then letters, digits, `_` or `-`",
            None,
        ));
        None
    }

    fn array<'v, 'i>(
        &mut self,
        key: &str,
        value: &'v Value<'i>,
        expected: &str,
    ) -> Option<&'v [Value<'i>]> {
        match value.get_ref() {
            DeValue::Array(items) => Some(items),
            _ => {
                self.wrong_type(key, value, expected);
                None
            }
        }
    }

    fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str) {
        let found = match value.get_ref() {
            DeValue::String(_) => "string",
            DeValue::Integer(_) => "integer",
            DeValue::Float(_) => "float",
            DeValue::Boolean(_) => "boolean",
            DeValue::Datetime(_) => "date-time",
            DeValue::Array(_) => "array",
            DeValue::Table(_) => "table",
        };
        self.diagnostics
            .push(tmd015::wrong_type(span(value.span()), key, expected, found));
    }
}

/// The code or name closest to `text`. Among codes as close, one with the
/// same characters (two digits swapped: `TMD181` for `TMD118`) first.
fn closest_check(text: &str) -> Option<String> {
    let upper = text.trim().to_ascii_uppercase();
    let sorted = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c.sort_unstable();
        c
    };
    let anagrams = checks::rules()
        .map(|r| r.code)
        .filter(|code| sorted(code) == sorted(&upper));
    let codes = checks::rules().map(|r| r.code);
    closest_name(&upper, anagrams)
        .filter(|c| strsim::damerau_levenshtein(c, &upper) == 1)
        .or_else(|| closest_name(&upper, codes))
        .or_else(|| closest_name(text, checks::rules().map(|r| r.name)))
}

/// `"a"`, `"b"` or `"c"`.
fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("`\"{}\"`", s.as_ref()))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scales_a_project_can_name_are_the_built_in_ones() {
        let builtin: Vec<&str> = crate::model::BuiltinScale::ALL
            .iter()
            .map(|b| b.as_str())
            .collect();
        assert_eq!(BUILTIN_SCALES, builtin.as_slice());
    }

    fn errors(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .iter()
            .map(|d| {
                format!(
                    "{}..{} {} | {}",
                    d.span.start,
                    d.span.end,
                    d.message,
                    d.help.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn a_full_configuration() {
        let text = "fail_on = \"medium\"\nrisk = \"owasp\"\nclassification = [\"public\", \"secret\"]\nsensitive = \"secret\"\n[checks]\nenable = [\"TMD118\", \"threat-without-stride\"]\ndisable = [\"tmd105\"]\ndeny = [\"TMD106\"]\n";
        let c = parse(text).unwrap();
        assert_eq!(c.fail_on.as_ref().unwrap().value, Severity::Medium);
        let at = c.fail_on.as_ref().unwrap().span;
        assert_eq!(&text[at.start..at.end], "\"medium\"");
        assert_eq!(
            c.lower_options(),
            LowerOptions {
                risk: Some("owasp".into()),
                classification: Some(vec!["public".into(), "secret".into()]),
                sensitive: Some("secret".into()),
            }
        );
        let s = c.selection();
        assert!(s.runs("TMD118") && s.runs("TMD119") && s.runs("TMD106"));
        assert!(!s.runs("TMD105"));
        assert_eq!(c.denied(), BTreeSet::from(["TMD106"]));
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_say_what_was_meant() {
        let e = errors("fail-on = \"high\"\n[check]\nenable = []\n[checks]\nenabel = []\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].contains("unknown key `fail-on` in tmd.toml | did you mean `fail_on`?"),
            "{e:?}"
        );
        assert!(
            e[1].contains("unknown key `check` in tmd.toml | did you mean `checks`?"),
            "{e:?}"
        );
        assert!(
            e[2].contains("unknown key `enabel` in [checks] | did you mean `enable`?"),
            "{e:?}"
        );
        assert!(e[0].starts_with("0..7 "), "{e:?}");
    }

    #[test]
    fn wrong_types_and_values() {
        let e = errors("fail_on = 3\nrisk = \"owsap\"\nsensitive = [\"x\"]\nchecks = 1\n");
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].contains("`fail_on` takes a string, not an integer"),
            "{e:?}"
        );
        assert!(
            e[1].contains("`owsap` is not a valid `risk` | did you mean `owasp`?"),
            "{e:?}"
        );
        assert!(
            e[2].contains("`sensitive` takes a string, not an array"),
            "{e:?}"
        );
        assert!(e[3].contains("`checks` takes a table"), "{e:?}");
        let e = errors("fail_on = \"hihg\"\nclassification = []\n");
        assert!(e[0].contains("did you mean `high`?"), "{e:?}");
        assert!(e[1].contains("not an empty array"), "{e:?}");
        let e = errors("[rules]\nwarn_from = \"meduim\"\n");
        assert!(
            e[0].contains("`meduim` is not a valid `warn_from` | did you mean `medium`?"),
            "{e:?}"
        );
        assert!(e[0].starts_with("20..28 "), "{e:?}");
        let e = errors("classification = [\"a\", \"b c\", \"a\"]\nsensitive = \"c\"\n");
        assert!(
            e[0].contains("`b c` is not a valid `classification`"),
            "{e:?}"
        );
        assert!(
            e[1].contains("`a` is listed twice in `classification`"),
            "{e:?}"
        );
        let e = errors("classification = [\"public\", \"secret\"]\nsensitive = \"secrte\"\n");
        assert!(e[0].contains("did you mean `secret`?"), "{e:?}");
    }

    #[test]
    fn codes_are_checked() {
        let e = errors(
            "[checks]\nenable = [\"TMD181\", \"TMD003\", 7, \"TMD118\", \"TMD118\"]\ndisable = [\"TMD118\"]\ndeny = [\"TMD015\"]\n",
        );
        assert_eq!(e.len(), 6, "{e:?}");
        assert!(
            e[0].contains("unknown check `TMD181` | did you mean `TMD118`?"),
            "{e:?}"
        );
        assert!(e[1].contains("`TMD003` is an error"), "{e:?}");
        assert!(e[2].contains("takes a string, not an integer"), "{e:?}");
        assert!(
            e[3].contains("`TMD118` is listed twice in `enable`"),
            "{e:?}"
        );
        assert!(
            e[4].contains("`TMD118` is both in `enable` and in `disable`"),
            "{e:?}"
        );
        assert!(e[5].contains("`TMD015` is an error"), "{e:?}");
    }

    #[test]
    fn the_files_text_is_shown_safely() {
        let e = errors("\"a\\u202eb\" = 1\n[checks]\nenable = [\"x\\u202ey\"]\n");
        assert!(e[0].contains("unknown key `a<U+202E>b`"), "{e:?}");
        assert!(e[1].contains("unknown check `x<U+202E>y`"), "{e:?}");
    }

    #[test]
    fn every_prefix_and_every_byte_dropped_is_handled() {
        let text = "fail_on = \"high\"\nrisk = \"owasp\"\nclassification = [\"a\", \"b\"]\nsensitive = \"b\"\n[checks]\nenable = [\"TMD118\"]\ndisable = [\"TMD105\"]\ndeny = [\"TMD106\"]\n";
        assert!(parse(text).is_ok());
        for end in 0..=text.len() {
            let cut = &text[..end];
            if let Err(ds) = parse(cut) {
                assert!(ds
                    .iter()
                    .all(|d| d.span.end <= cut.len() && d.code == "TMD015"));
            }
            let dropped = format!("{}{}", &text[..end], &text[(end + 1).min(text.len())..]);
            if let Err(ds) = parse(&dropped) {
                assert!(ds.iter().all(|d| d.span.end <= dropped.len()));
            }
        }
    }

    #[test]
    fn bad_toml_is_one_error_inside_the_text() {
        for text in [
            "fail_on = \n",
            "[checks\n",
            "a = [[[[[[[[",
            "x = \"\u{7}\"",
            "= 1",
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.len(), 1, "{text:?}: {e:?}");
            assert!(e[0].span.end <= text.len());
            assert!(e[0].message.starts_with("tmd.toml is not valid TOML"));
        }
        // Deep nesting is refused by the parser's limit, not the stack.
        let deep = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
    }
}
