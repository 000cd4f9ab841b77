//! Data assets (language 0.2): declared data with a classification on an
//! ordered list of levels, optionally rated for confidentiality,
//! integrity and availability; the threshold from which data is
//! sensitive; and the model's questions about them (is this asset
//! sensitive, which of these is the most sensitive).

use std::cmp::Ordering;

use super::*;

/// A declared data asset: `asset ID "Name" { classification: ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    pub name: String,
    /// The label, or the ID when none is written.
    pub label: String,
    /// Its level: an index into [`Classification::levels`].
    pub classification: usize,
    pub confidentiality: Option<CiaRating>,
    pub integrity: Option<CiaRating>,
    pub availability: Option<CiaRating>,
    pub description: Option<String>,
    /// `description` and `x_` keys.
    pub attributes: Attributes,
    /// The identifier where it is declared.
    pub span: Span,
    pub statement: Span,
}

/// The classification levels in force and the sensitivity threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// Lowest first.
    pub levels: Vec<String>,
    /// The lowest sensitive level (an index into `levels`); `None` when it
    /// is not known because a header failed to lower (then no check
    /// decides what is sensitive).
    pub sensitive: Option<usize>,
}

impl Default for Classification {
    fn default() -> Classification {
        let levels = Classification::DEFAULT_LEVELS.map(str::to_string).to_vec();
        Classification {
            sensitive: Some(Classification::default_threshold(levels.len())),
            levels,
        }
    }
}

impl Classification {
    /// The levels when neither the model nor the project declares any.
    pub const DEFAULT_LEVELS: [&'static str; 4] =
        ["public", "internal", "confidential", "restricted"];

    /// The threshold when none is given: the upper half of the levels,
    /// the middle one included for an odd count (the level at position
    /// `n / 2`, counting from 0). For the default list that is
    /// `confidential`.
    pub fn default_threshold(levels: usize) -> usize {
        levels / 2
    }

    /// The name of the sensitive threshold, when known.
    pub fn sensitive_level(&self) -> Option<&str> {
        self.sensitive
            .and_then(|i| self.levels.get(i))
            .map(String::as_str)
    }

    /// Whether a level is at or above the threshold (false when the
    /// threshold is not known).
    pub fn is_sensitive(&self, level: usize) -> bool {
        self.sensitive.is_some_and(|s| level >= s)
    }

    /// The name of a level (empty for an index out of range, which
    /// lowering never makes).
    pub fn level(&self, level: usize) -> &str {
        self.levels.get(level).map_or("", String::as_str)
    }

    /// The classification a project gives in `tmd.toml` (levels lowest
    /// first, and the sensitive threshold), checked: a list of at least one
    /// level, each a value word (letters, digits, `_`, `-`, starting with a
    /// letter or `_`), none twice, and a threshold that is one of them (of
    /// the built-in levels when the project gives none). The error says
    /// what is wrong, for the configuration's own diagnostic.
    pub fn from_project(
        levels: Option<&[String]>,
        sensitive: Option<&str>,
    ) -> Result<Classification, String> {
        let levels: Vec<String> = match levels {
            Some(list) => {
                if list.is_empty() {
                    return Err("`classification` needs at least one level".to_string());
                }
                for (i, level) in list.iter().enumerate() {
                    if !is_level_word(level) {
                        return Err(format!(
                            "`{level}` is not a classification level: a level is a word of letters, digits, `_` and `-`"
                        ));
                    }
                    if list.get(..i).is_some_and(|before| before.contains(level)) {
                        return Err(format!("classification level `{level}` is given twice"));
                    }
                }
                list.to_vec()
            }
            None => Classification::default().levels,
        };
        let sensitive = match sensitive {
            Some(word) => match levels.iter().position(|l| l == word) {
                Some(i) => i,
                None => {
                    let choices: Vec<String> = levels.iter().map(|l| format!("`{l}`")).collect();
                    return Err(format!(
                        "`sensitive` must be one of the classification levels {}, found `{word}`",
                        choices.join(", ")
                    ));
                }
            },
            None => Classification::default_threshold(levels.len()),
        };
        Ok(Classification {
            levels,
            sensitive: Some(sensitive),
        })
    }
}

/// A word as the grammar reads one: `[A-Za-z_][A-Za-z0-9_-]*`.
fn is_level_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Model {
    pub fn asset_ids(&self) -> impl Iterator<Item = AssetId> {
        (0..self.assets.len()).map(AssetId::from_index)
    }

    /// Whether an asset is at or above the sensitive threshold.
    pub fn is_sensitive(&self, asset: AssetId) -> bool {
        self.classification.is_sensitive(self[asset].classification)
    }

    /// The name of an asset's classification level.
    pub fn classification_of(&self, asset: AssetId) -> &str {
        self.classification.level(self[asset].classification)
    }

    /// Most sensitive first: the higher classification, then the higher
    /// confidentiality rating (none lowest), then the one declared first.
    pub fn sensitivity_cmp(&self, a: AssetId, b: AssetId) -> Ordering {
        let key = |x: AssetId| (self[x].classification, self[x].confidentiality);
        key(b).cmp(&key(a)).then(a.cmp(&b))
    }

    /// The most sensitive of some assets ([`Model::sensitivity_cmp`]).
    pub fn most_sensitive(&self, assets: impl IntoIterator<Item = AssetId>) -> Option<AssetId> {
        assets
            .into_iter()
            .min_by(|&a, &b| self.sensitivity_cmp(a, b))
    }

    /// Sorts assets most sensitive first and removes repeats.
    pub fn sort_by_sensitivity(&self, assets: &mut Vec<AssetId>) {
        assets.sort_by(|&a, &b| self.sensitivity_cmp(a, b));
        assets.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_threshold_is_confidential() {
        let c = Classification::default();
        assert_eq!(c.sensitive_level(), Some("confidential"));
        assert!(!c.is_sensitive(1));
        assert!(c.is_sensitive(2) && c.is_sensitive(3));
    }

    #[test]
    fn the_rule_takes_the_upper_half() {
        assert_eq!(Classification::default_threshold(1), 0);
        assert_eq!(Classification::default_threshold(2), 1);
        assert_eq!(Classification::default_threshold(3), 1);
        assert_eq!(Classification::default_threshold(5), 2);
    }

    #[test]
    fn project_classifications_are_checked() {
        let levels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok =
            Classification::from_project(Some(&levels(&["open", "tlp-amber", "secret"])), None)
                .unwrap();
        assert_eq!(ok.sensitive_level(), Some("tlp-amber"));
        let own = Classification::from_project(None, Some("restricted")).unwrap();
        assert_eq!(own.sensitive, Some(3));
        assert!(Classification::from_project(Some(&[]), None).is_err());
        assert!(Classification::from_project(Some(&levels(&["a", "a"])), None).is_err());
        assert!(Classification::from_project(Some(&levels(&["a b"])), None).is_err());
        assert!(Classification::from_project(None, Some("secret"))
            .unwrap_err()
            .contains("`public`, `internal`, `confidential`, `restricted`"));
    }
}
