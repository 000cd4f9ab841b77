//! Lowering risk scales (language 0.2): `scale` declarations, and the
//! `risk` header (or the project's default) that chooses the scale the
//! threats are rated on.
//!
//! ```text
//! scale corp "Corporate risk matrix" {
//!   rows: impact
//!   columns: likelihood
//!   impact: [minor, major, catastrophic]
//!   likelihood: [rare, possible, likely]
//!   severities: [low, medium, high, critical]
//!   bands: [low, medium, high, high]
//!   minor: [low, low, medium]
//!   major: [low, medium, high]
//!   catastrophic: [high, high, critical]
//! }
//! ```

use std::collections::BTreeSet;

use super::*;

/// The keys of a `scale` block besides its two axis names and the levels
/// of its rows.
const FIXED_KEYS: &[&str] = &["rows", "columns", "severities", "bands", "description"];

/// How a scale is written, for the hints of a missing part.
const SHAPE: &str = "a scale names its axes (`rows: impact`, `columns: likelihood`), lists each axis's levels lowest first (`impact: [minor, major]`), its severities lowest first (`severities: [low, medium, high]`) and the band of each (`bands: [low, medium, high]`), and gives one row of severities per level of the rows axis (`major: [medium, high]`)";

/// A word as written, with its span.
type Written = (String, Span);

impl Lowering<'_> {
    /// `scale ID ["Label"] { ... }`: declared in the namespace, checked
    /// whole; a scale with any error is left out (and `risk` naming it
    /// rates no threat).
    pub(super) fn scale_declaration(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::Declaration,
    ) {
        let name = &decl.id;
        if BuiltinScale::parse(&name.text).is_some() {
            let d = tmd002_duplicate::builtin_scale(&name.text, name.span);
            self.error(d);
            self.model.partial.dropped.push(statement.span);
            return;
        }
        if !self.declare(name, Decl::Scale(None)) {
            // `risk` naming it means this scale: its error is reported.
            self.undeclared_scales.insert(name.text.clone());
            self.model.partial.dropped.push(statement.span);
            return;
        }
        match self.scale_body(decl) {
            Some(scale) => {
                let index = self.scales.len();
                self.scales.push(scale);
                self.names.insert(
                    name.text.clone(),
                    (Decl::Scale(Some(index)), Some(name.span)),
                );
            }
            None => self.model.partial.dropped.push(statement.span),
        }
    }

    fn scale_body(&mut self, decl: &ast::Declaration) -> Option<Scale> {
        let id = &decl.id;
        let Some(block) = decl.attributes.as_ref() else {
            let d = tmd007_missing_field::scale(id.span, &id.text, "rows", SHAPE);
            self.error(d);
            return None;
        };
        // Every key once; which keys are known depends on the axes.
        let mut by_key: BTreeMap<&str, &Entry> = BTreeMap::new();
        let mut entries: Vec<&Entry> = Vec::new();
        for entry in block.entries() {
            let key = entry.key.text.as_str();
            if let Some(first) = by_key.get(key) {
                let d = tmd010_given_twice::key(entry.key.span, key, first.key.span);
                self.error(d);
                continue;
            }
            by_key.insert(key, entry);
            entries.push(entry);
        }
        let find = |key: &str| by_key.get(key).copied();
        let mut ok = true;

        // The axes.
        let rows_name = self.axis_name(id, find("rows"), "rows", "down the table");
        let columns_name = self.axis_name(id, find("columns"), "columns", "across the table");
        if let (Some(r), Some(c)) = (&rows_name, &columns_name) {
            if r.0 == c.0 {
                let d = tmd004_invalid_value::scale(
                    c.1,
                    format!("both axes of scale `{}` are named `{}`", id.text, c.0),
                    "the same name as `rows`",
                    "the two axes need two names: threats give a level of each under its name"
                        .to_string(),
                );
                self.error(d);
                return None;
            }
        }
        let (Some((rows_name, _)), Some((columns_name, _))) = (rows_name, columns_name) else {
            return None;
        };
        let rows = self.axis_levels(id, find(&rows_name), &rows_name, true, &columns_name);
        let columns = self.axis_levels(id, find(&columns_name), &columns_name, false, &rows_name);

        // The severities and their bands.
        let severities = match find("severities") {
            Some(entry) => self.word_list(&entry.value, "severities"),
            None => {
                let d = tmd007_missing_field::scale(id.span, &id.text, "severities", SHAPE);
                self.error(d);
                None
            }
        };
        let bands = match (find("bands"), &severities) {
            (Some(entry), Some(severities)) => self.bands(&entry.value, severities),
            (Some(_), None) => None,
            (None, _) => {
                let d = tmd007_missing_field::scale(
                    id.span,
                    &id.text,
                    "bands",
                    "`bands: [...]` gives the band (`low`, `medium` or `high`) of every severity, in the order of `severities`: it is what `--fail-on`, the badge colours and the open counts read",
                );
                self.error(d);
                None
            }
        };

        // Known keys, now that the axes are known: anything else is a typo.
        let mut known: Vec<&str> = FIXED_KEYS.to_vec();
        known.push(&rows_name);
        known.push(&columns_name);
        let row_levels: BTreeSet<&str> = rows.iter().flatten().map(|(l, _)| l.as_str()).collect();
        // The hint looks among the rows' levels too, when there are few.
        let mut candidates = known.clone();
        if row_levels.len() <= 64 {
            candidates.extend(row_levels.iter().copied());
        }
        let mut description = None;
        let mut attributes = Vec::new();
        for entry in &entries {
            let key = entry.key.text.as_str();
            if known.contains(&key) || row_levels.contains(key) {
                if key == "description" {
                    description = self.string(key, &entry.value);
                    ok &= description.is_some();
                }
            } else if key.starts_with("x_") {
                self.keep_attribute(&mut attributes, entry);
            } else if rows.is_some() {
                // Without the rows' levels, which keys are rows is unknown.
                let hint = closest_name(key, candidates.iter().copied());
                let d = tmd108_unknown_key::diagnostic(entry.key.span, key, "scale key", hint);
                self.error(d);
            }
        }
        sort_attributes(&mut attributes, &[]);

        // The table: a row of severities for every level of the rows, one
        // for each level of the columns.
        let (Some(rows), Some(columns)) = (rows, columns) else {
            return None;
        };
        let severity_index: BTreeMap<&str, usize> = severities
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, (w, _))| (w.as_str(), i))
            .collect();
        let choices = severities
            .as_ref()
            .map(|severities| values::word_choices(severities.iter().map(|(w, _)| w.as_str())));
        let column_list = values::word_choices(columns.iter().map(|(c, _)| c.as_str()));
        let mut table = Vec::with_capacity(rows.len());
        for (level, _) in &rows {
            let Some(entry) = find(level) else {
                let d = tmd007_missing_field::scale(
                    id.span,
                    &id.text,
                    level,
                    &format!(
                        "every level of `{rows_name}` gives its row: `{level}: [...]`, one severity for each level of `{columns_name}` ({column_list})"
                    ),
                );
                self.error(d);
                ok = false;
                continue;
            };
            // Severities repeat along a row.
            let Some(words) = self.word_list_any(&entry.value, level) else {
                ok = false;
                continue;
            };
            if words.len() != columns.len() {
                let d = tmd004_invalid_value::scale(
                    entry.value.span(),
                    format!(
                        "row `{level}` of scale `{}` gives {} for the {} of `{columns_name}`",
                        id.text,
                        count(words.len(), "severity", "severities"),
                        count(columns.len(), "level", "levels"),
                    ),
                    &format!("{} expected", count(columns.len(), "severity", "severities")),
                    format!(
                        "one severity for each level of `{columns_name}`, in its order: {column_list}"
                    ),
                );
                self.error(d);
                ok = false;
            }
            let Some(choices) = &choices else {
                continue;
            };
            let mut row = Vec::with_capacity(words.len());
            for (word, span) in &words {
                match severity_index.get(word.as_str()) {
                    Some(&i) => row.push(Grade(i)),
                    None => {
                        let d = tmd004_invalid_value::bad_word(*span, "severity", word, choices);
                        self.error(d);
                        ok = false;
                    }
                }
            }
            table.push(row);
        }
        let (Some(severities), Some(bands)) = (severities, bands) else {
            return None;
        };
        if !ok {
            return None;
        }
        let axis = |name: String, levels: Vec<Written>| {
            Axis::new(name, levels.into_iter().map(|(l, _)| l).collect())
        };
        let mut scale = Scale::new(
            &id.text,
            decl.label
                .as_ref()
                .map_or(id.text.as_str(), |l| l.value.as_str()),
            axis(rows_name, rows),
            axis(columns_name, columns),
            severities
                .into_iter()
                .zip(bands)
                .map(|((word, _), band)| ScaleSeverity { word, band })
                .collect(),
            table,
        );
        scale.description = description;
        scale.attributes = attributes;
        scale.span = Some(id.span);
        Some(scale)
    }

    /// `rows: NAME` or `columns: NAME`: a name a threat can use as a key.
    fn axis_name(
        &mut self,
        id: &ast::Name,
        entry: Option<&Entry>,
        key: &str,
        where_: &str,
    ) -> Option<Written> {
        let Some(entry) = entry else {
            let d = tmd007_missing_field::scale(
                id.span,
                &id.text,
                key,
                &format!("`{key}: NAME` names the axis {where_}; {SHAPE}"),
            );
            self.error(d);
            return None;
        };
        let Value::Word(word, span) = &entry.value else {
            let d = tmd004_invalid_value::wrong_type(
                entry.value.span(),
                key,
                "the name of an axis, such as `impact`",
                &entry.value,
            );
            self.error(d);
            return None;
        };
        let why = if !is_key(word) {
            Some("threats give its level under its name, and a key holds only letters, digits and `_`".to_string())
        } else if word.starts_with("x_") {
            Some("keys that start with `x_` are the model's own".to_string())
        } else if super::threat::FIELDS.contains(&word.as_str())
            || super::tracking::TRACKING_KEYS.contains(&word.as_str())
        {
            Some(format!("`{word}` is a threat field already; threats give an axis's level under the axis's name"))
        } else if FIXED_KEYS.contains(&word.as_str()) {
            Some(format!("`{word}` is a key of the scale itself; the axis's levels are listed under its name"))
        } else {
            None
        };
        if let Some(why) = why {
            let d = tmd004_invalid_value::scale(
                *span,
                format!("`{word}` cannot name an axis"),
                "not usable as an axis name",
                why,
            );
            self.error(d);
            return None;
        }
        Some((word.clone(), *span))
    }

    /// The levels of an axis, lowest first. The rows' levels are keys of
    /// the block (each gives its row), so they must be usable as keys.
    fn axis_levels(
        &mut self,
        id: &ast::Name,
        entry: Option<&Entry>,
        axis: &str,
        rows: bool,
        other_axis: &str,
    ) -> Option<Vec<Written>> {
        let Some(entry) = entry else {
            let d = tmd007_missing_field::scale(
                id.span,
                &id.text,
                axis,
                &format!("`{axis}: [...]` lists the levels of the axis, lowest first"),
            );
            self.error(d);
            return None;
        };
        let levels = self.word_list(&entry.value, axis)?;
        if !rows {
            return Some(levels);
        }
        let mut ok = true;
        for (level, span) in &levels {
            let why = if !is_key(level) {
                Some(format!("each level of `{axis}` gives its row as `{level}: [...]`, and a key holds only letters, digits and `_`: write `{}`", level.replace('-', "_")))
            } else if level.starts_with("x_") {
                Some("keys that start with `x_` are the model's own".to_string())
            } else if FIXED_KEYS.contains(&level.as_str()) || level == axis || level == other_axis {
                Some(format!("each level of `{axis}` gives its row as `{level}: [...]`, and `{level}` is a key of the scale already"))
            } else {
                None
            };
            if let Some(why) = why {
                let d = tmd004_invalid_value::scale(
                    *span,
                    format!("`{level}` cannot be a level of the rows axis `{axis}`"),
                    "not usable as a row",
                    why,
                );
                self.error(d);
                ok = false;
            }
        }
        ok.then_some(levels)
    }

    /// A list of words, none twice, at least one.
    fn word_list(&mut self, value: &Value, key: &str) -> Option<Vec<Written>> {
        let Value::List(items, list_span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                key,
                "a list of words, such as `[low, medium, high]`",
                value,
            );
            self.error(d);
            return None;
        };
        if items.is_empty() {
            let d = tmd004_invalid_value::scale(
                *list_span,
                format!("`{key}` lists nothing"),
                "empty",
                "list at least one word".to_string(),
            );
            self.error(d);
            return None;
        }
        let mut out: Vec<Written> = Vec::with_capacity(items.len());
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut ok = true;
        for item in items {
            match item {
                Value::Word(word, span) => match seen.get(word.as_str()) {
                    Some(first) => {
                        let d = tmd010_given_twice::word(*span, key, word, *first);
                        self.error(d);
                        ok = false;
                    }
                    None => {
                        seen.insert(word, *span);
                        out.push((word.clone(), *span));
                    }
                },
                other => {
                    let d = tmd004_invalid_value::scale_item(other.span(), key, other);
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// `bands: [...]`: one band a severity, never falling.
    fn bands(&mut self, value: &Value, severities: &[Written]) -> Option<Vec<Severity>> {
        let words = self.word_list_any(value, "bands")?;
        let mut bands = Vec::with_capacity(words.len());
        let mut ok = true;
        for (word, span) in &words {
            match Severity::parse(word) {
                Some(b) => bands.push((b, *span)),
                None => {
                    let d =
                        tmd004_invalid_value::bad_word(*span, "band", word, &Severity::choices());
                    self.error(d);
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        if bands.len() != severities.len() {
            let d = tmd004_invalid_value::scale(
                value.span(),
                format!(
                    "`bands` gives {} for {}",
                    count(bands.len(), "band", "bands"),
                    count(severities.len(), "severity", "severities")
                ),
                &format!("{} expected", count(severities.len(), "band", "bands")),
                format!(
                    "one band (`low`, `medium` or `high`) for each severity, in the order of `severities`: {}",
                    values::word_choices(severities.iter().map(|(s, _)| s.as_str()))
                ),
            );
            self.error(d);
            return None;
        }
        for (i, pair) in bands.windows(2).enumerate() {
            if let ([(before, _), (band, span)], Some((lower, _)), Some((higher, _))) =
                (pair, severities.get(i), severities.get(i + 1))
            {
                if band < before {
                    let d = tmd004_invalid_value::scale(
                        *span,
                        format!("severity `{higher}` is in a lower band than `{lower}`"),
                        &format!("`{band}` after `{before}`"),
                        "severities are listed lowest first, so each band is at least the one before: a higher severity never counts as less".to_string(),
                    );
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then(|| bands.into_iter().map(|(b, _)| b).collect())
    }

    /// A list of words, repeats allowed (bands and rows repeat).
    fn word_list_any(&mut self, value: &Value, key: &str) -> Option<Vec<Written>> {
        let Value::List(items, _) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                key,
                "a list of words, such as `[low, medium, high]`",
                value,
            );
            self.error(d);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item {
                Value::Word(word, span) => out.push((word.clone(), *span)),
                other => {
                    let d = tmd004_invalid_value::scale_item(other.span(), key, other);
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// `risk NAME`: recorded; chosen once every scale is declared.
    pub(super) fn risk_header(&mut self, value: &Value) {
        match value {
            Value::Word(word, span) => self.risk = Some((word.clone(), *span)),
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "risk",
                    "the name of a risk scale (`primer`, `owasp`, `threagile` or a declared `scale`)",
                    other,
                );
                self.error(d);
                self.scale_failed = true;
            }
        }
    }

    /// The scale the threats are rated on: the `risk` header's, else the
    /// project's default, else the primer's. When it cannot be had, the
    /// threats' levels and severities are left unread (and the threats
    /// out of the model) rather than misread.
    pub(super) fn choose_scale(&mut self) {
        self.scale_in_force();
        self.others = self.other_scales();
    }

    fn scale_in_force(&mut self) {
        let (name, span, role) = match self.risk.take() {
            Some((name, span)) => (name, span, "risk scale"),
            None => match &self.options.risk {
                // The project's default has no place in this file.
                Some(name) => (
                    name.clone(),
                    Span::new(0, 0),
                    "risk scale (the project's default)",
                ),
                None => return,
            },
        };
        if self.scale_failed {
            return;
        }
        if let Some(builtin) = BuiltinScale::parse(&name) {
            self.model.scale = builtin.scale();
            return;
        }
        if self.undeclared_scales.contains(&name) {
            self.scale_failed = true;
            return;
        }
        match self.names.get(&name) {
            Some((Decl::Scale(Some(i)), _)) => {
                if let Some(scale) = self.scales.get(*i) {
                    self.model.scale = scale.clone();
                }
            }
            // Its declaration failed, and said why.
            Some((Decl::Scale(None), _)) => self.scale_failed = true,
            Some((other, declared)) => {
                let kind = other.kind_name(&self.model);
                let d = tmd003_unknown_reference::wrong_kind(span, role, &name, kind, *declared);
                self.error(d);
                self.scale_failed = true;
            }
            None => {
                let declared: Vec<String> = self
                    .names
                    .iter()
                    .filter(|(_, (d, _))| matches!(d, Decl::Scale(_)))
                    .map(|(n, _)| n.clone())
                    .collect();
                let candidates = BuiltinScale::ALL
                    .iter()
                    .map(|b| b.as_str())
                    .chain(declared.iter().map(String::as_str));
                let hint = closest_name(&name, candidates)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                let d = tmd003_unknown_reference::unknown(span, role, &name, None).with_help(
                    format!(
                        "{hint}the scales are `primer` (the default), `owasp`, `threagile` and those the model declares with `scale`"
                    ),
                );
                self.error(d);
                self.scale_failed = true;
            }
        }
    }

    /// What the scales other than the one in force have, gathered once
    /// for the hints of every threat (a model may declare many scales).
    fn other_scales(&self) -> OtherScales {
        let mut out = OtherScales::default();
        let builtin: Vec<Scale> = BuiltinScale::ALL.iter().map(|b| b.scale()).collect();
        for scale in builtin.iter().chain(&self.scales) {
            let axes = [&scale.columns, &scale.rows];
            out.every_axis.extend(axes.iter().map(|a| a.name.clone()));
            if scale.name == self.model.scale.name && !self.scale_failed {
                continue;
            }
            let name = &scale.name;
            for axis in axes {
                out.axes
                    .entry(axis.name.clone())
                    .or_insert_with(|| name.clone());
                for level in &axis.levels {
                    add(&mut out.levels, (axis.name.clone(), level.clone()), name);
                }
            }
            for severity in &scale.severities {
                add(&mut out.severities, severity.word.clone(), name);
            }
        }
        out
    }
}

/// What the scales other than the one in force have, for hints: the
/// first few scales that have each axis, level and severity.
#[derive(Debug, Default)]
pub(super) struct OtherScales {
    /// An axis name, and the first other scale that has it.
    pub(super) axes: BTreeMap<String, String>,
    /// An axis and one of its levels, and the other scales that have both.
    pub(super) levels: BTreeMap<(String, String), Vec<String>>,
    /// A severity word, and the other scales that have it.
    pub(super) severities: BTreeMap<String, Vec<String>>,
    /// The axis names of every scale, the one in force too: when it
    /// failed, threats may give any of them, and they are left unread.
    pub(super) every_axis: BTreeSet<String>,
}

/// How many scales a hint names at most.
const HINT_SCALES: usize = 3;

fn add<K: Ord>(map: &mut BTreeMap<K, Vec<String>>, key: K, scale: &str) {
    let names = map.entry(key).or_default();
    if names.len() < HINT_SCALES {
        names.push(scale.to_string());
    }
}

/// "the `owasp` and `threagile` scales (`risk owasp` in the header
/// chooses it)", for a hint.
pub(super) fn scales_phrase(names: &[String]) -> Option<String> {
    let first = names.first()?;
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let list = match quoted.as_slice() {
        [one] => format!("the {one} scale"),
        [init @ .., last] => format!("the {} and {last} scales", init.join(", ")),
        [] => return None,
    };
    Some(format!("{list} (`risk {first}` in the header chooses it)"))
}

/// Whether a word can be written as a key (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_key(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `1 severity`, `3 severities`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
