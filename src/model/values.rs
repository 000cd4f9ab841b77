//! The closed value sets of the language: STRIDE, the severity matrix,
//! remediation and status words, directions, the ratings of a data
//! asset's confidentiality, integrity and availability.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    TopDown,
    LeftRight,
    /// `direction auto` (since 0.2): the built-in layout draws both and
    /// keeps the one nearer a 4:3 landscape page ([`crate::layout::layout_auto`]).
    Auto,
}

impl Direction {
    pub fn parse(word: &str) -> Option<Direction> {
        match word {
            "top-down" => Some(Direction::TopDown),
            "left-right" => Some(Direction::LeftRight),
            "auto" => Some(Direction::Auto),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::TopDown => "top-down",
            Direction::LeftRight => "left-right",
            Direction::Auto => "auto",
        }
    }
}

/// A closed set of words: parse, print, list for hints.
pub trait Word: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const WHAT: &'static str;
    fn as_str(self) -> &'static str;
    fn parse(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == word)
    }
    fn choices() -> String {
        Self::ALL
            .iter()
            .map(|v| format!("`{}`", v.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! word_enum {
    ($name:ident, $what:literal, [$($variant:ident = $text:literal),+ $(,)?]) => {
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl Word for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WHAT: &'static str = $what;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    Ease,
    "ease",
    [
        Difficult = "difficult",
        Moderate = "moderate",
        Easy = "easy"
    ]
);
word_enum!(
    Impact,
    "impact",
    [Inconvenient = "inconvenient", Problematic = "problematic"]
);
word_enum!(
    Severity,
    "severity",
    [Low = "low", Medium = "medium", High = "high"]
);
word_enum!(
    Remediation,
    "remediation",
    [
        Fix = "fix",
        Workaround = "workaround",
        Monitoring = "monitoring"
    ]
);
word_enum!(
    Status,
    "status",
    [
        Open = "open",
        Investigating = "investigating",
        InProgress = "in-progress",
        Mitigated = "mitigated",
        Accepted = "accepted",
        Transferred = "transferred",
        FalsePositive = "false-positive"
    ]
);

impl Status {
    /// The statuses of language 0.1, which every filter and summary shows
    /// whether or not a threat has them; the others (language 0.2) are
    /// shown only where a threat has them, so that a 0.1 model's outputs
    /// stay as they were.
    pub const FIRST: [Status; 3] = [Status::Open, Status::Mitigated, Status::Accepted];

    /// Whether a threat of this status is open: nothing is in place yet
    /// (`open`, `investigating`, `in-progress`). The one rule for every
    /// count, colour and gate (with [`crate::model::Model::counts_as_open`],
    /// which also leaves out threats out of scope).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Open | Status::Investigating | Status::InProgress
        )
    }

    /// Whether the status needs a `justification` (an error without one):
    /// the risk went to someone else, or the threat does not apply.
    pub fn needs_justification(self) -> bool {
        matches!(self, Status::Transferred | Status::FalsePositive)
    }

    /// The status for people: `in progress`, `false positive`.
    pub fn describe(self) -> &'static str {
        match self {
            Status::InProgress => "in progress",
            Status::FalsePositive => "false positive",
            other => other.as_str(),
        }
    }

    /// As a heading or a table cell: `In progress`, `False positive`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::Investigating => "Investigating",
            Status::InProgress => "In progress",
            Status::Mitigated => "Mitigated",
            Status::Accepted => "Accepted",
            Status::Transferred => "Transferred",
            Status::FalsePositive => "False positive",
        }
    }
}

word_enum!(
    ControlStatus,
    "control status",
    [
        Planned = "planned",
        Implemented = "implemented",
        Verified = "verified"
    ]
);

impl ControlStatus {
    /// Whether the control is in place (`implemented` or `verified`).
    pub fn in_place(self) -> bool {
        matches!(self, ControlStatus::Implemented | ControlStatus::Verified)
    }
}

word_enum!(
    CiaRating,
    "rating",
    [Low = "low", Medium = "medium", High = "high"]
);

word_enum!(
    AssumptionStatus,
    "assumption status",
    [
        Unverified = "unverified",
        Verified = "verified",
        Wrong = "wrong"
    ]
);

word_enum!(
    BoundaryKindWord,
    "boundary kind",
    [
        Network = "network",
        CloudAccount = "cloud-account",
        Host = "host",
        Container = "container",
        Device = "device",
        Organisation = "organisation"
    ]
);

impl BoundaryKindWord {
    /// The kind in words, for tooltips and reports.
    pub fn describe(self) -> &'static str {
        match self {
            BoundaryKindWord::Network => "network",
            BoundaryKindWord::CloudAccount => "cloud account",
            BoundaryKindWord::Host => "host",
            BoundaryKindWord::Container => "container",
            BoundaryKindWord::Device => "device",
            BoundaryKindWord::Organisation => "organisation",
        }
    }
}

/// The primer's threat assessment matrix.
pub fn matrix(ease: Ease, impact: Impact) -> Severity {
    match (impact, ease) {
        (Impact::Problematic, Ease::Difficult) => Severity::Low,
        (Impact::Problematic, Ease::Moderate) => Severity::Medium,
        (Impact::Problematic, Ease::Easy) => Severity::High,
        (Impact::Inconvenient, Ease::Difficult) => Severity::Low,
        (Impact::Inconvenient, Ease::Moderate) => Severity::Low,
        (Impact::Inconvenient, Ease::Easy) => Severity::Medium,
    }
}

/// Where a threat's severity came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeveritySource {
    Matrix,
    Given,
}

impl SeveritySource {
    pub fn as_str(self) -> &'static str {
        match self {
            SeveritySource::Matrix => "matrix",
            SeveritySource::Given => "given",
        }
    }
}

/// A set of STRIDE letters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stride(u8);

impl Stride {
    /// The letters in canonical order.
    pub const LETTERS: [char; 6] = ['S', 'T', 'R', 'I', 'D', 'E'];
    pub const NAMES: [&'static str; 6] = [
        "Spoofing",
        "Tampering",
        "Repudiation",
        "Information disclosure",
        "Denial of service",
        "Elevation of privilege",
    ];
    pub const ALL: Stride = Stride(0b11_1111);
    pub const EMPTY: Stride = Stride(0);

    fn bit(letter: char) -> Option<u8> {
        Self::LETTERS
            .iter()
            .position(|&l| l == letter)
            .map(|i| 1 << i)
    }

    pub fn is_letter(letter: char) -> bool {
        Self::bit(letter).is_some()
    }

    pub fn from_letters(letters: &str) -> Stride {
        Stride(letters.chars().filter_map(Self::bit).fold(0, |a, b| a | b))
    }

    /// What a person probably meant by STRIDE written the wrong way:
    /// letters apart (`S, E`), in lower case (`se`), or as the names of
    /// the categories (`Spoofing`, `Denial of service, EoP`). `None` when
    /// some part means no STRIDE category. Used for hints only: the
    /// language takes letters written together (`SE`).
    pub fn from_loose(text: &str) -> Option<Stride> {
        let mut lower = text.to_lowercase();
        for (phrase, joined) in [
            ("information disclosure", "informationdisclosure"),
            ("denial of service", "denialofservice"),
            ("elevation of privileges", "elevationofprivilege"),
            ("elevation of privilege", "elevationofprivilege"),
        ] {
            lower = lower.replace(phrase, joined);
        }
        let mut set = Stride::EMPTY;
        let mut any = false;
        for token in lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            let letters = match token {
                "spoofing" | "spoof" => "S",
                "tampering" | "tamper" => "T",
                "repudiation" | "nonrepudiation" => "R",
                "informationdisclosure" | "disclosure" | "information" | "infodisclosure" => "I",
                "denialofservice" | "dos" | "denial" => "D",
                "elevationofprivilege" | "eop" | "elevation" | "privilegeescalation" => "E",
                letters
                    if letters
                        .chars()
                        .all(|c| Self::bit(c.to_ascii_uppercase()).is_some()) =>
                {
                    letters
                }
                _ => return None,
            };
            for c in letters.chars() {
                set.0 |= Self::bit(c.to_ascii_uppercase())?;
            }
            any = true;
        }
        any.then_some(set)
    }

    pub fn contains(self, letter: char) -> bool {
        Self::bit(letter).is_some_and(|b| self.0 & b != 0)
    }

    pub fn insert(&mut self, letter: char) {
        if let Some(b) = Self::bit(letter) {
            self.0 |= b;
        }
    }

    pub fn union(self, other: Stride) -> Stride {
        Stride(self.0 | other.0)
    }

    pub fn minus(self, other: Stride) -> Stride {
        Stride(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The letters present, in S-T-R-I-D-E order.
    pub fn letters(self) -> impl Iterator<Item = char> {
        Self::LETTERS.into_iter().filter(move |&l| self.contains(l))
    }

    /// Name of a STRIDE letter.
    pub fn name(letter: char) -> &'static str {
        Self::LETTERS
            .iter()
            .position(|&l| l == letter)
            .and_then(|i| Self::NAMES.get(i))
            .copied()
            .unwrap_or("")
    }
}

impl fmt::Display for Stride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for letter in self.letters() {
            write!(f, "{letter}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_is_the_primers() {
        assert_eq!(
            matrix(Ease::Moderate, Impact::Problematic),
            Severity::Medium
        );
        assert_eq!(matrix(Ease::Difficult, Impact::Inconvenient), Severity::Low);
        assert_eq!(matrix(Ease::Easy, Impact::Problematic), Severity::High);
        assert_eq!(matrix(Ease::Easy, Impact::Inconvenient), Severity::Medium);
    }

    #[test]
    fn stride_prints_in_canonical_order() {
        assert_eq!(Stride::from_letters("EDS").to_string(), "SDE");
        assert_eq!(Stride::ALL.to_string(), "STRIDE");
    }

    #[test]
    fn loose_stride_is_read_for_hints() {
        let loose = |t: &str| Stride::from_loose(t).map(|s| s.to_string());
        assert_eq!(loose("Spoofing").as_deref(), Some("S"));
        assert_eq!(loose("S, E").as_deref(), Some("SE"));
        assert_eq!(loose("se").as_deref(), Some("SE"));
        assert_eq!(loose("Denial of service, EoP").as_deref(), Some("DE"));
        assert_eq!(loose("Information Disclosure").as_deref(), Some("I"));
        assert_eq!(loose("[T, R]").as_deref(), Some("TR"));
        assert_eq!(loose("Spoofing, phishing"), None);
        assert_eq!(loose(""), None);
    }

    #[test]
    fn words_parse() {
        assert_eq!(Severity::parse("high"), Some(Severity::High));
        assert_eq!(Status::parse("closed"), None);
        assert!(Severity::Low < Severity::High);
    }
}
