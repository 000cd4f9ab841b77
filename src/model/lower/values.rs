//! Typed values of blocks: entries (duplicates and unknown keys), strings,
//! booleans, lists, dates, value words, `x_` attributes.

use super::*;

/// The most words a hint lists (a declared scale may have thousands).
const HINT_WORDS: usize = 64;

/// Words as a hint lists them: `` `low`, `medium`, `high` ``, the first
/// [`HINT_WORDS`] of them.
pub(super) fn word_choices<'w>(words: impl Iterator<Item = &'w str>) -> String {
    let mut out: Vec<String> = words
        .take(HINT_WORDS + 1)
        .map(|w| format!("`{w}`"))
        .collect();
    if out.len() > HINT_WORDS {
        out.truncate(HINT_WORDS);
        out.push("...".to_string());
    }
    out.join(", ")
}

impl Lowering<'_> {
    pub(super) fn word<W: Word>(&mut self, value: &Value) -> Option<W> {
        match value {
            Value::Word(word, span) => match W::parse(word) {
                Some(w) => Some(w),
                None => {
                    let d = tmd004_invalid_value::bad_word(*span, W::WHAT, word, &W::choices());
                    self.error(d);
                    None
                }
            },
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    W::WHAT,
                    &format!("one of {}", W::choices()),
                    other,
                );
                self.error(d);
                None
            }
        }
    }

    /// The entries of a block with duplicates and unknown keys reported
    /// (and left out).
    pub(super) fn entries<'b>(
        &mut self,
        block: Option<&'b ast::Block>,
        known: &[&str],
        what: &str,
    ) -> Vec<&'b Entry> {
        match block {
            Some(block) => self.checked_entries(block.entries(), known, what),
            None => Vec::new(),
        }
    }

    /// As `entries`, for entries gathered elsewhere (a boundary's body).
    pub(super) fn checked_entries<'b>(
        &mut self,
        written: impl Iterator<Item = &'b Entry>,
        known: &[&str],
        what: &str,
    ) -> Vec<&'b Entry> {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut out = Vec::new();
        for entry in written {
            let key = entry.key.text.as_str();
            if let Some(first) = seen.get(key) {
                let d = tmd010_given_twice::key(entry.key.span, key, *first);
                self.error(d);
                continue;
            }
            seen.insert(key, entry.key.span);
            if known.contains(&key) || key.starts_with("x_") {
                out.push(entry);
            } else {
                let hint = closest_name(key, known.iter().copied());
                let d = tmd108_unknown_key::diagnostic(entry.key.span, key, what, hint);
                self.error(d);
            }
        }
        out
    }

    /// Keeps an entry in an attribute list when its value is well formed.
    pub(super) fn keep_attribute(&mut self, attributes: &mut Attributes, entry: &Entry) {
        if let Some(value) = self.attr_value(&entry.key.text, &entry.value) {
            attributes.push((entry.key.text.clone(), value));
        }
    }

    pub(super) fn attr_value(&mut self, key: &str, value: &Value) -> Option<AttrValue> {
        Some(match value {
            Value::Str(s) => AttrValue::Str(s.value.clone()),
            Value::Bool(b, _) => AttrValue::Bool(*b),
            Value::Int(digits, _) => AttrValue::Int(digits.clone()),
            Value::Date(..) => AttrValue::Date(self.date(key, value)?),
            Value::Word(word, _) => AttrValue::Word(word.clone()),
            Value::List(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.attr_value(key, item)?);
                }
                AttrValue::List(out)
            }
        })
    }

    pub(super) fn string(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::Str(s) => Some(s.value.clone()),
            other => {
                let d = tmd004_invalid_value::wrong_type(other.span(), key, "a string", other);
                self.error(d);
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, key: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b, _) => Some(*b),
            other => {
                let d =
                    tmd004_invalid_value::wrong_type(other.span(), key, "`true` or `false`", other);
                self.error(d);
                None
            }
        }
    }

    /// `out_of_scope`: `true`/`false`, or (language 0.2) a reason, which
    /// means `true`. A blank reason is no reason.
    pub(super) fn out_of_scope(
        &mut self,
        key: &str,
        value: &Value,
    ) -> Option<(bool, Option<String>)> {
        match value {
            Value::Bool(b, _) => Some((*b, None)),
            Value::Str(s) => Some((true, Some(s.value.clone()).filter(|r| !r.trim().is_empty()))),
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    key,
                    "`true`, `false` or a reason string",
                    other,
                );
                self.error(d);
                None
            }
        }
    }

    pub(super) fn string_list(&mut self, key: &str, value: &Value) -> Option<Vec<String>> {
        let Value::List(items, _) = value else {
            let d = tmd004_invalid_value::wrong_type(value.span(), key, "a list of strings", value);
            self.error(d);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item {
                Value::Str(s) => out.push(s.value.clone()),
                other => {
                    let d = tmd004_invalid_value::wrong_type(other.span(), key, "a string", other);
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    pub(super) fn date(&mut self, key: &str, value: &Value) -> Option<Date> {
        match value {
            Value::Date(text, span) => match parse_date(text) {
                Some(date) => Some(date),
                None => {
                    let d = tmd004_invalid_value::bad_date(*span, text);
                    self.error(d);
                    None
                }
            },
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    key,
                    "a date (`YYYY-MM-DD`)",
                    other,
                );
                self.error(d);
                None
            }
        }
    }
}
