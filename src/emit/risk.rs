//! The model's risk scale as the reports show it (language 0.2): the
//! matrix of the scale in force, which words count in which band, and the
//! sentences around them. Shared by the Markdown and HTML reports, which
//! only escape and lay it out. On the primer's scale (the default) every
//! text is the one language 0.1 printed.

use super::text::visible;
use crate::model::{Scale, Severity};

/// The severity matrix of a scale, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// The axes' names, capitalised, for the corner (`Impact \ Ease`):
    /// the rows', then the columns'.
    pub corner: (String, String),
    /// The column axis's levels, lowest first, capitalised.
    pub columns: Vec<String>,
    /// The row axis's levels, highest first (capitalised), each with its
    /// row of severities: (band, word).
    pub rows: Vec<(String, Vec<(Severity, String)>)>,
    /// Which words count in which band, when the words are not the
    /// bands themselves.
    pub bands: Option<String>,
    /// `ease and impact`: what a threat gives instead of a severity.
    pub axes: String,
}

/// A word with a capital.
pub fn cap(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn v(s: &str) -> String {
    visible(s).into_owned()
}

impl Matrix {
    pub fn of(scale: &Scale) -> Matrix {
        Matrix {
            corner: (cap(&v(&scale.rows.name)), cap(&v(&scale.columns.name))),
            columns: scale.columns.levels.iter().map(|l| cap(&v(l))).collect(),
            rows: scale
                .rows
                .levels
                .iter()
                .zip(scale.table())
                .rev()
                .map(|(level, row)| {
                    (
                        cap(&v(level)),
                        row.iter()
                            .map(|&g| (scale.band(g), cap(&v(scale.word(g)))))
                            .collect(),
                    )
                })
                .collect(),
            bands: (!scale.words_are_bands()).then(|| bands_sentence(scale)),
            axes: format!("{} and {}", v(&scale.columns.name), v(&scale.rows.name)),
        }
    }
}

/// `critical and high count as high; elevated and medium as medium; low
/// as low.`
pub fn bands_sentence(scale: &Scale) -> String {
    let parts: Vec<String> = [Severity::High, Severity::Medium, Severity::Low]
        .iter()
        .filter_map(|&band| {
            let words: Vec<String> = scale.words_in(band).iter().map(|w| v(w)).collect();
            let list = match words.as_slice() {
                [] => return None,
                [one] => one.clone(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
            };
            Some(format!("{list} as {band}"))
        })
        .collect();
    format!("{}.", parts.join("; "))
}

/// The scale in force as the reports name it, unless it is the primer's:
/// its label (none when it is only its ID) and its ID.
pub fn scale_name(scale: &Scale) -> Option<(Option<String>, String)> {
    (!scale.is_primer()).then(|| {
        let (label, name) = (v(&scale.label), v(&scale.name));
        ((label != name).then_some(label), name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BuiltinScale;

    #[test]
    fn the_primer_reads_as_before() {
        let m = Matrix::of(&BuiltinScale::Primer.scale());
        assert_eq!(m.corner, ("Impact".to_string(), "Ease".to_string()));
        assert_eq!(m.columns, ["Difficult", "Moderate", "Easy"]);
        assert_eq!(m.rows[0].0, "Problematic");
        assert_eq!(m.rows[0].1[2], (Severity::High, "High".to_string()));
        assert_eq!(m.bands, None);
        assert_eq!(m.axes, "ease and impact");
        assert_eq!(scale_name(&BuiltinScale::Primer.scale()), None);
    }

    #[test]
    fn other_scales_say_their_bands() {
        let t = BuiltinScale::Threagile.scale();
        assert_eq!(
            bands_sentence(&t),
            "critical and high as high; elevated and medium as medium; low as low."
        );
        assert_eq!(
            scale_name(&t),
            Some((Some("Threagile".to_string()), "threagile".to_string()))
        );
        let m = Matrix::of(&t);
        assert_eq!(m.rows[0].0, "Very-high");
        assert_eq!(m.rows[0].1[3].1, "Critical");
    }
}
