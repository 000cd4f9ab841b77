//! Risk scales (language 0.2): two axes with ordered levels, ordered
//! severities each mapped to a band, and the table that gives the
//! severity of every pair of levels. The primer's ease × impact matrix is
//! the default; OWASP Risk Rating and Threagile's are built in; a model
//! may declare its own (`scale ID { ... }`, lowered in
//! `lower/scale.rs`) and choose one with `risk ID`.
//!
//! The band (`Severity`: low, medium, high) is what reasoning across
//! models uses (`--fail-on`, TMD107, badge colours, open counts, the
//! diff's "severity raised"); the scale's own word (`critical`, `note`)
//! is what a person reads.

use std::collections::BTreeMap;

use super::{Attributes, Ease, Impact, Severity, Word};
use crate::span::Span;

/// A severity on a model's scale: an index into [`Scale::severities`],
/// lowest first, so that grades compare as the scale orders them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grade(pub(crate) usize);

impl Grade {
    pub fn index(self) -> usize {
        self.0
    }
}

/// One axis of a scale: its name (the threat key that gives it) and its
/// levels, lowest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    pub name: String,
    pub levels: Vec<String>,
    /// Each level's place, so that a threat's level is looked up, not
    /// scanned for (a scale may be as big as its file).
    index: BTreeMap<String, usize>,
}

impl Axis {
    /// An axis from its name and levels (distinct; lowering checks it).
    pub(crate) fn new(name: String, levels: Vec<String>) -> Axis {
        let index = levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        Axis {
            name,
            levels,
            index,
        }
    }

    fn fixed(name: &str, levels: &[&str]) -> Axis {
        Axis::new(
            name.to_string(),
            levels.iter().map(|l| l.to_string()).collect(),
        )
    }

    pub fn level(&self, index: usize) -> &str {
        self.levels.get(index).map_or("", String::as_str)
    }

    pub fn position(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }
}

/// A severity of a scale and the band it counts in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleSeverity {
    pub word: String,
    pub band: Severity,
}

/// The levels a threat gives on its model's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rating {
    /// A level of [`Scale::rows`].
    pub row: usize,
    /// A level of [`Scale::columns`].
    pub column: usize,
}

/// The scales tmd knows without a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BuiltinScale {
    Primer,
    Owasp,
    Threagile,
}

impl BuiltinScale {
    pub const ALL: [BuiltinScale; 3] = [
        BuiltinScale::Primer,
        BuiltinScale::Owasp,
        BuiltinScale::Threagile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BuiltinScale::Primer => "primer",
            BuiltinScale::Owasp => "owasp",
            BuiltinScale::Threagile => "threagile",
        }
    }

    pub fn parse(word: &str) -> Option<BuiltinScale> {
        BuiltinScale::ALL.into_iter().find(|b| b.as_str() == word)
    }

    /// The scale's definition.
    pub fn scale(self) -> Scale {
        match self {
            BuiltinScale::Primer => primer(),
            BuiltinScale::Owasp => owasp(),
            BuiltinScale::Threagile => threagile(),
        }
    }
}

/// A risk scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    /// `primer`, `owasp`, `threagile`, or the ID of a declared scale.
    pub name: String,
    pub label: String,
    /// None for a scale declared in the model.
    pub builtin: Option<BuiltinScale>,
    pub description: Option<String>,
    /// The axis down the table. Threats give its level under its name.
    pub rows: Axis,
    /// The axis across the table.
    pub columns: Axis,
    /// Lowest first; every band at least the one before.
    pub severities: Vec<ScaleSeverity>,
    /// `table[row][column]`, every row as long as `columns.levels`.
    table: Vec<Vec<Grade>>,
    /// Each severity's grade, by word.
    grades: BTreeMap<String, Grade>,
    /// `x_` keys of a declared scale.
    pub attributes: Attributes,
    /// The ID where a declared scale is declared.
    pub span: Option<Span>,
}

impl Default for Scale {
    fn default() -> Scale {
        primer()
    }
}

impl Scale {
    /// A scale from its parts. `table` must be `rows × columns` of grades
    /// of `severities` (lowering checks it; anything else is read as the
    /// lowest severity).
    pub(crate) fn new(
        name: &str,
        label: &str,
        rows: Axis,
        columns: Axis,
        severities: Vec<ScaleSeverity>,
        table: Vec<Vec<Grade>>,
    ) -> Scale {
        let grades = severities
            .iter()
            .enumerate()
            .map(|(i, s)| (s.word.clone(), Grade(i)))
            .collect();
        Scale {
            name: name.to_string(),
            label: label.to_string(),
            builtin: None,
            description: None,
            rows,
            columns,
            severities,
            table,
            grades,
            attributes: Vec::new(),
            span: None,
        }
    }

    /// Whether this is the primer's scale, the default: its words are the
    /// bands, and every output reads as in language 0.1.
    pub fn is_primer(&self) -> bool {
        self.builtin == Some(BuiltinScale::Primer)
    }

    /// The severity the table gives for a pair of levels.
    pub fn grade(&self, rating: Rating) -> Grade {
        self.table
            .get(rating.row)
            .and_then(|r| r.get(rating.column))
            .copied()
            .unwrap_or(Grade(0))
    }

    /// The table, row by row (rows lowest first).
    pub fn table(&self) -> &[Vec<Grade>] {
        &self.table
    }

    /// The word of a severity.
    pub fn word(&self, grade: Grade) -> &str {
        self.severities.get(grade.0).map_or("", |s| s.word.as_str())
    }

    /// The band a severity counts in.
    pub fn band(&self, grade: Grade) -> Severity {
        self.severities
            .get(grade.0)
            .map_or(Severity::Low, |s| s.band)
    }

    pub fn grade_of(&self, word: &str) -> Option<Grade> {
        self.grades.get(word).copied()
    }

    /// Every severity, highest first.
    pub fn grades_desc(&self) -> impl Iterator<Item = Grade> + '_ {
        (0..self.severities.len()).rev().map(Grade)
    }

    /// The severities of a band, highest first.
    pub fn words_in(&self, band: Severity) -> Vec<&str> {
        self.severities
            .iter()
            .rev()
            .filter(|s| s.band == band)
            .map(|s| s.word.as_str())
            .collect()
    }

    /// The threat keys of the two axes, in reading order (the column's
    /// first: `ease` then `impact`, `likelihood` then `impact`).
    pub fn axis_keys(&self) -> [&str; 2] {
        [self.columns.name.as_str(), self.rows.name.as_str()]
    }

    /// How a rating reads: `moderate × problematic` (column × row).
    pub fn rating_text(&self, rating: Rating) -> String {
        format!(
            "{} × {}",
            self.columns.level(rating.column),
            self.rows.level(rating.row)
        )
    }

    /// Whether two scales order severities alike (the same words, in the
    /// same order, in the same bands), so that a severity of one compares
    /// with a severity of the other. Their tables may differ.
    pub fn same_severities(&self, other: &Scale) -> bool {
        self.severities == other.severities
    }

    /// Its axes, for the diff: `impact [minor, major] × likelihood
    /// [rare, likely]`.
    pub fn axes_text(&self) -> String {
        format!(
            "{} [{}] × {} [{}]",
            self.rows.name,
            self.rows.levels.join(", "),
            self.columns.name,
            self.columns.levels.join(", "),
        )
    }

    /// Its severities with their bands, for the diff: `low (low), critical
    /// (high)`.
    pub fn severities_text(&self) -> String {
        let words: Vec<String> = self
            .severities
            .iter()
            .map(|s| format!("{} ({})", s.word, s.band))
            .collect();
        words.join(", ")
    }

    /// Each level of the rows with its row of severities, for the diff:
    /// (`major`, `low medium high`).
    pub fn rows_text(&self) -> Vec<(String, String)> {
        self.rows
            .levels
            .iter()
            .zip(&self.table)
            .map(|(level, row)| {
                let words: Vec<&str> = row.iter().map(|&g| self.word(g)).collect();
                (level.clone(), words.join(" "))
            })
            .collect()
    }

    /// Whether the scale says what every severity word means as a band
    /// without naming it: the primer's, whose words are the bands.
    pub fn words_are_bands(&self) -> bool {
        self.severities.len() == 3 && self.severities.iter().all(|s| s.word == s.band.as_str())
    }
}

fn severities(words: &[(&str, Severity)]) -> Vec<ScaleSeverity> {
    words
        .iter()
        .map(|&(word, band)| ScaleSeverity {
            word: word.to_string(),
            band,
        })
        .collect()
}

fn builtin(mut scale: Scale, which: BuiltinScale) -> Scale {
    scale.builtin = Some(which);
    scale
}

/// The primer's threat assessment matrix: ease across, impact down.
fn primer() -> Scale {
    let severities = severities(&[
        ("low", Severity::Low),
        ("medium", Severity::Medium),
        ("high", Severity::High),
    ]);
    let grade = |s: Severity| match s {
        Severity::Low => Grade(0),
        Severity::Medium => Grade(1),
        Severity::High => Grade(2),
    };
    let table = Impact::ALL
        .iter()
        .map(|&i| {
            Ease::ALL
                .iter()
                .map(|&e| grade(super::matrix(e, i)))
                .collect()
        })
        .collect();
    builtin(
        Scale::new(
            "primer",
            "Primer (ease × impact)",
            Axis::fixed("impact", &["inconvenient", "problematic"]),
            Axis::fixed("ease", &["difficult", "moderate", "easy"]),
            severities,
            table,
        ),
        BuiltinScale::Primer,
    )
}

/// The OWASP Risk Rating Methodology's overall risk severity: likelihood
/// across, impact down, each low/medium/high.
fn owasp() -> Scale {
    let severities = severities(&[
        ("note", Severity::Low),
        ("low", Severity::Low),
        ("medium", Severity::Medium),
        ("high", Severity::High),
        ("critical", Severity::High),
    ]);
    let (note, low, medium, high, critical) = (Grade(0), Grade(1), Grade(2), Grade(3), Grade(4));
    let table = vec![
        vec![note, low, medium],
        vec![low, medium, high],
        vec![medium, high, critical],
    ];
    builtin(
        Scale::new(
            "owasp",
            "OWASP Risk Rating",
            Axis::fixed("impact", &["low", "medium", "high"]),
            Axis::fixed("likelihood", &["low", "medium", "high"]),
            severities,
            table,
        ),
        BuiltinScale::Owasp,
    )
}

/// Threagile's: exploitation likelihood across and impact down, four
/// levels each, to five severities. Threagile multiplies the levels'
/// weights (1 to 4) and cuts the product at 1, 3, 8 and 12; the table
/// below is that rule written out.
fn threagile() -> Scale {
    let severities = severities(&[
        ("low", Severity::Low),
        ("medium", Severity::Medium),
        ("elevated", Severity::Medium),
        ("high", Severity::High),
        ("critical", Severity::High),
    ]);
    let (low, medium, elevated, high, critical) =
        (Grade(0), Grade(1), Grade(2), Grade(3), Grade(4));
    let table = vec![
        vec![low, medium, medium, elevated],
        vec![medium, elevated, elevated, elevated],
        vec![medium, elevated, high, high],
        vec![elevated, elevated, high, critical],
    ];
    builtin(
        Scale::new(
            "threagile",
            "Threagile",
            Axis::fixed("impact", &["low", "medium", "high", "very-high"]),
            Axis::fixed(
                "likelihood",
                &["unlikely", "likely", "very-likely", "frequent"],
            ),
            severities,
            table,
        ),
        BuiltinScale::Threagile,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(scale: &Scale, column: &str, row: &str) -> String {
        let rating = Rating {
            row: scale.rows.position(row).unwrap(),
            column: scale.columns.position(column).unwrap(),
        };
        scale.word(scale.grade(rating)).to_string()
    }

    #[test]
    fn primer_is_the_matrix() {
        let p = BuiltinScale::Primer.scale();
        for e in Ease::ALL {
            for i in Impact::ALL {
                assert_eq!(
                    at(&p, e.as_str(), i.as_str()),
                    super::super::matrix(*e, *i).as_str()
                );
            }
        }
        assert!(p.words_are_bands() && p.is_primer());
        assert_eq!(p.axis_keys(), ["ease", "impact"]);
    }

    #[test]
    fn owasp_overall_risk_severity() {
        let o = BuiltinScale::Owasp.scale();
        assert_eq!(at(&o, "low", "low"), "note");
        assert_eq!(at(&o, "high", "low"), "medium");
        assert_eq!(at(&o, "low", "high"), "medium");
        assert_eq!(at(&o, "medium", "medium"), "medium");
        assert_eq!(at(&o, "high", "high"), "critical");
        assert_eq!(at(&o, "medium", "high"), "high");
        assert_eq!(o.band(o.grade_of("critical").unwrap()), Severity::High);
        assert_eq!(o.band(o.grade_of("note").unwrap()), Severity::Low);
        assert!(!o.words_are_bands());
    }

    /// Threagile's rule: the product of the weights, cut at 1, 3, 8, 12.
    #[test]
    fn threagile_is_its_product_rule() {
        let t = BuiltinScale::Threagile.scale();
        for (li, l) in t.columns.levels.iter().enumerate() {
            for (ii, i) in t.rows.levels.iter().enumerate() {
                let product = (li + 1) * (ii + 1);
                let expected = match product {
                    0..=1 => "low",
                    2..=3 => "medium",
                    4..=8 => "elevated",
                    9..=12 => "high",
                    _ => "critical",
                };
                assert_eq!(at(&t, l, i), expected, "{l} × {i}");
            }
        }
    }

    #[test]
    fn bands_never_fall() {
        for b in BuiltinScale::ALL {
            let s = b.scale();
            assert!(s.severities.windows(2).all(|w| w[0].band <= w[1].band));
            assert_eq!(s.table().len(), s.rows.levels.len());
            assert!(s.table().iter().all(|r| r.len() == s.columns.levels.len()));
        }
    }
}
