//! Lowering data assets (language 0.2): the `classification` and
//! `sensitive` headers, `asset` declarations, and the `assets:` key of
//! elements and flows.
//!
//! Headers may stand anywhere at top level and names are declared in any
//! order, so the first pass only declares each asset and keeps what it
//! needs; [`Lowering::lower_assets`] runs once every header and
//! declaration is known: the classification in force, then the assets
//! (whose `classification:` names one of its levels), then the elements'
//! `assets:`. Flows, lowered after it, resolve their `assets:` directly.

use super::*;

/// What the first pass keeps for [`Lowering::lower_assets`].
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// The `classification` header's value.
    classification: Option<Value>,
    /// The `sensitive` header's value.
    sensitive: Option<Value>,
    /// Asset declarations whose name was declared: the statement's span,
    /// the declaration.
    declarations: Vec<(Span, ast::Declaration)>,
    /// Each element's `assets:` value.
    pub(super) elements: Vec<(ElementId, Value)>,
}

/// The keys of an asset's block, in the language's order.
const KEYS: &[&str] = &[
    "classification",
    "confidentiality",
    "integrity",
    "availability",
    "description",
];

impl Lowering<'_> {
    /// A `classification` or `sensitive` header (already known not to be
    /// given twice), kept until every header is known.
    pub(super) fn classification_header(&mut self, header: &ast::Header) {
        let slot = match header.key {
            ast::HeaderKey::Classification => &mut self.assets.classification,
            _ => &mut self.assets.sensitive,
        };
        *slot = Some(header.value.clone());
    }

    /// Declares an asset's name; lowered by [`Lowering::lower_assets`].
    pub(super) fn declare_asset(&mut self, statement: &ast::Statement, decl: &ast::Declaration) {
        if self.declare(&decl.id, Decl::Asset(None)) {
            self.assets
                .declarations
                .push((statement.span, decl.clone()));
        } else {
            self.model.partial.dropped.push(statement.span);
        }
    }

    /// The classification in force, then every asset, then the elements'
    /// `assets:`.
    pub(super) fn lower_assets(&mut self) {
        let levels_known = self.lower_classification();
        for (statement, decl) in std::mem::take(&mut self.assets.declarations) {
            self.asset(statement, &decl, levels_known);
        }
        for (element, value) in std::mem::take(&mut self.assets.elements) {
            let (assets, known) = self.asset_refs(&value);
            if let Some(el) = self.model.elements.get_mut(element.index()) {
                el.assets = assets;
            }
            if !known {
                self.model
                    .partial
                    .unresolved_assets
                    .insert(Target::Element(element));
            }
        }
    }

    /// Sets the levels and the threshold in force: the model's headers,
    /// else the project's defaults (`LowerOptions`), else the built-in
    /// ones. The project's `sensitive` names a level of the project's (or
    /// the built-in) list, so it applies only when the model does not
    /// declare its own. Returns false when the `classification` header
    /// failed, so that no asset's level can be told.
    fn lower_classification(&mut self) -> bool {
        let project = Classification::from_project(
            self.options.classification.as_deref(),
            self.options.sensitive.as_deref(),
        )
        // A project's values are checked where they are read (`tmd.toml`);
        // were they wrong, the built-in ones apply.
        .unwrap_or_default();
        let declared = self.assets.classification.take();
        let (levels, own, levels_known) = match &declared {
            Some(value) => match self.classification_levels(value) {
                Some(levels) => (levels, true, true),
                None => (project.levels.clone(), true, false),
            },
            None => (project.levels.clone(), false, true),
        };
        self.model.meta.classification = declared.is_some().then(|| levels.clone());
        let sensitive = match self.assets.sensitive.take() {
            Some(Value::Word(word, span)) => {
                self.model.meta.sensitive = Some(word.clone());
                match levels.iter().position(|l| *l == word) {
                    Some(i) => Some(i),
                    None => {
                        // Against a list that failed, nobody can tell.
                        if levels_known {
                            let d = tmd004_invalid_value::bad_word(
                                span,
                                "sensitive level",
                                &word,
                                &choices(&levels),
                            );
                            self.error(d);
                        }
                        None
                    }
                }
            }
            Some(other) => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "sensitive",
                    "a classification level",
                    &other,
                );
                self.error(d);
                None
            }
            None if own => Some(Classification::default_threshold(levels.len())),
            None => project.sensitive,
        };
        self.model.classification = Classification {
            levels,
            sensitive: sensitive.filter(|_| levels_known),
        };
        levels_known
    }

    /// The `classification` header's levels: a list of words, at least
    /// one, none twice.
    fn classification_levels(&mut self, value: &Value) -> Option<Vec<String>> {
        const WHAT: &str = "a list of levels, lowest first";
        let Value::List(items, span) = value else {
            let d = tmd004_invalid_value::wrong_type(value.span(), "classification", WHAT, value)
                .with_help("write the levels lowest first: `classification [public, internal, confidential, restricted]`");
            self.error(d);
            return None;
        };
        if items.is_empty() {
            let d = tmd004_invalid_value::empty_list(*span, "classification", "level");
            self.error(d);
            return None;
        }
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut ok = true;
        for item in items {
            match item {
                Value::Word(word, at) => {
                    if let Some(first) = seen.get(word.as_str()) {
                        let d = tmd010_given_twice::item(*at, "classification level", word, *first);
                        self.error(d);
                        ok = false;
                    } else {
                        seen.insert(word, *at);
                        out.push(word.clone());
                    }
                }
                other => {
                    let mut d = tmd004_invalid_value::wrong_type(
                        other.span(),
                        "classification",
                        "a level (a word)",
                        other,
                    );
                    if let Value::Str(s) = other {
                        d = d.with_help(format!(
                            "levels are words, written without quotes: `{}`",
                            s.value
                        ));
                    }
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Lowers one asset declaration (its name is declared). An asset
    /// without a level it can be given is left out of the model; the
    /// names that refer to it resolve to nothing, silently.
    fn asset(&mut self, statement: Span, decl: &ast::Declaration, levels_known: bool) {
        let mut asset = Asset {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            classification: 0,
            confidentiality: None,
            integrity: None,
            availability: None,
            description: None,
            attributes: Vec::new(),
            span: decl.id.span,
            statement,
        };
        let mut level = None;
        let mut given = false;
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "asset attribute") {
            let key = entry.key.text.as_str();
            match key {
                "classification" => {
                    given = true;
                    level = self.level(&entry.value, levels_known);
                    continue;
                }
                "confidentiality" => asset.confidentiality = self.rating(key, &entry.value),
                "integrity" => asset.integrity = self.rating(key, &entry.value),
                "availability" => asset.availability = self.rating(key, &entry.value),
                "description" => asset.description = self.string(key, &entry.value),
                _ => {}
            }
            if !matches!(key, "confidentiality" | "integrity" | "availability") {
                self.keep_attribute(&mut asset.attributes, entry);
            }
        }
        sort_attributes(&mut asset.attributes, KEYS);
        if !given {
            let levels = choices(&self.model.classification.levels);
            let d = tmd007_missing_field::declaration(
                decl.id.span,
                "asset",
                &decl.id.text,
                "classification",
                &format!("add `classification: LEVEL`, one of {levels} (lowest first)"),
            );
            self.error(d);
        }
        let Some(level) = level else {
            self.model.partial.dropped.push(statement);
            return;
        };
        asset.classification = level;
        let id = AssetId::from_index(self.model.assets.len());
        if let Some((Decl::Asset(slot @ None), Some(span))) = self.names.get_mut(&decl.id.text) {
            if *span == decl.id.span {
                *slot = Some(id);
            }
        }
        self.model.assets.push(asset);
    }

    /// An asset's `classification:`: one of the levels in force.
    fn level(&mut self, value: &Value, levels_known: bool) -> Option<usize> {
        match value {
            Value::Word(word, span) => {
                let levels = &self.model.classification.levels;
                let found = levels.iter().position(|l| l == word);
                if found.is_none() && levels_known {
                    let d = tmd004_invalid_value::bad_word(
                        *span,
                        "classification",
                        word,
                        &choices(levels),
                    );
                    self.error(d);
                }
                found
            }
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "classification",
                    "a classification level (a word)",
                    other,
                );
                self.error(d);
                None
            }
        }
    }

    /// `confidentiality`, `integrity` or `availability`: low, medium or
    /// high.
    fn rating(&mut self, key: &str, value: &Value) -> Option<CiaRating> {
        match value {
            Value::Word(word, span) => {
                let rating = CiaRating::parse(word);
                if rating.is_none() {
                    let d = tmd004_invalid_value::bad_word(*span, key, word, &CiaRating::choices());
                    self.error(d);
                }
                rating
            }
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    key,
                    &format!("one of {}", CiaRating::choices()),
                    other,
                );
                self.error(d);
                None
            }
        }
    }

    /// An `assets:` value: a list of asset IDs. Returns the assets that
    /// resolved (each once, in the order written) and whether every name
    /// did; an unknown name or one of another kind is TMD003, a name
    /// given twice TMD010, a value of the wrong type TMD004.
    pub(super) fn asset_refs(&mut self, value: &Value) -> (Vec<AssetId>, bool) {
        let Value::List(items, _) = value else {
            let mut d = tmd004_invalid_value::wrong_type(
                value.span(),
                "assets",
                "a list of asset IDs",
                value,
            );
            d = match value {
                Value::Word(word, _) => d.with_help(format!("write a list: `assets: [{word}]`")),
                Value::Str(_) => d.with_help(
                    "`assets` names declared assets by their IDs, without quotes; free text goes in `data:`",
                ),
                _ => d,
            };
            self.error(d);
            return (Vec::new(), false);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut known = true;
        for item in items {
            let (word, span) = match item {
                Value::Word(word, span) => (word, *span),
                other => {
                    let mut d = tmd004_invalid_value::wrong_type(
                        other.span(),
                        "assets",
                        "an asset ID",
                        other,
                    );
                    if let Value::Str(_) = other {
                        d = d.with_help(
                            "`assets` names declared assets by their IDs, without quotes; free text goes in `data:`",
                        );
                    }
                    self.error(d);
                    known = false;
                    continue;
                }
            };
            if let Some(first) = seen.get(word.as_str()) {
                let d = tmd010_given_twice::item(span, "asset", word, *first);
                self.error(d);
                continue;
            }
            seen.insert(word, span);
            match self.names.get(word.as_str()) {
                Some((Decl::Asset(Some(id)), _)) => out.push(*id),
                // Declared, but its declaration failed: already reported.
                Some((Decl::Asset(None), _)) => known = false,
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d =
                        tmd003_unknown_reference::wrong_kind(span, "asset", word, kind, *declared);
                    self.error(d);
                    known = false;
                }
                None => {
                    let hint = self.closest(word, |d| matches!(d, Decl::Asset(_)));
                    let d = tmd003_unknown_reference::unknown(span, "asset", word, hint);
                    self.error(d);
                    known = false;
                }
            }
        }
        (out, known)
    }
}

/// Levels as a message lists them: `` `public`, `internal` ``.
fn choices(levels: &[String]) -> String {
    levels
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use crate::model::{LowerOptions, Model};
    use crate::{compile_with, CompileOptions};

    fn model(text: &str, lower: LowerOptions) -> Model {
        let c = compile_with(
            text,
            &CompileOptions {
                lower,
                ..Default::default()
            },
        );
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
        c.model.unwrap()
    }

    fn project(levels: &[&str], sensitive: Option<&str>) -> LowerOptions {
        LowerOptions {
            classification: Some(levels.iter().map(|l| l.to_string()).collect()),
            sensitive: sensitive.map(str::to_string),
            ..LowerOptions::default()
        }
    }

    #[test]
    fn headers_may_come_after_the_assets_that_use_them() {
        let m = model(
            "asset a { classification: amber }\nclassification [green, amber, red]\nsensitive red\n",
            LowerOptions::default(),
        );
        assert_eq!(m.classification.levels, ["green", "amber", "red"]);
        assert_eq!(m.classification.sensitive_level(), Some("red"));
        assert_eq!(m.classification_of(m.asset_ids().next().unwrap()), "amber");
        assert!(!m.is_sensitive(m.asset_ids().next().unwrap()));
        assert_eq!(
            m.meta.classification.as_deref(),
            Some(&["green".to_string(), "amber".into(), "red".into()][..])
        );
        assert_eq!(m.meta.sensitive.as_deref(), Some("red"));
    }

    #[test]
    fn the_project_gives_the_defaults() {
        let text = "asset a { classification: tlp-amber }\n";
        let m = model(
            text,
            project(&["tlp-clear", "tlp-green", "tlp-amber", "tlp-red"], None),
        );
        assert_eq!(m.classification.sensitive_level(), Some("tlp-amber"));
        assert!(m.meta.classification.is_none(), "not declared in the model");
        let m = model(
            text,
            project(
                &["tlp-clear", "tlp-green", "tlp-amber", "tlp-red"],
                Some("tlp-red"),
            ),
        );
        assert_eq!(m.classification.sensitive_level(), Some("tlp-red"));
        // The project's threshold alone, on the built-in levels.
        let m = model(
            "asset a { classification: internal }\n",
            LowerOptions {
                sensitive: Some("internal".into()),
                ..LowerOptions::default()
            },
        );
        assert!(m.is_sensitive(m.asset_ids().next().unwrap()));
    }

    #[test]
    fn a_model_with_its_own_levels_keeps_its_own_threshold() {
        // The project's `sensitive` names a level of the project's list: a
        // model that declares its own list takes the rule, or its header.
        let lower = project(&["open", "closed"], Some("open"));
        let m = model("classification [low, mid, high]\n", lower.clone());
        assert_eq!(m.classification.sensitive_level(), Some("mid"));
        let m = model(
            "classification [low, mid, high]\nsensitive high\n",
            lower.clone(),
        );
        assert_eq!(m.classification.sensitive_level(), Some("high"));
        // A model that declares only `sensitive` uses the project's levels.
        let m = model("sensitive closed\n", lower);
        assert_eq!(m.classification.levels, ["open", "closed"]);
        assert_eq!(m.classification.sensitive_level(), Some("closed"));
    }

    #[test]
    fn a_wrong_project_classification_falls_back_to_the_built_in_one() {
        let m = model(
            "asset a { classification: restricted }\n",
            project(&[], None),
        );
        assert_eq!(m.classification, crate::model::Classification::default());
    }
}
