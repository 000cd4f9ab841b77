//! What the changes mean for the system's exposure, as one list that every
//! format (text, Markdown, JSON, the summary line) reads: the kinds of
//! exposure change are one table ([`ExposureKind`]), and each change is an
//! [`Exposure`] of a kind, with its detail as [`Part`]s that each format
//! escapes its own way. Adding a kind here adds it to every format.
//!
//! Which protocols are encrypted ([`protocol_encryption`], documented in
//! `docs/review.md`) is the model's knowledge (`model::protocol`, which
//! TMD115 reads too); it is re-exported here.

use super::*;

pub use crate::model::protocol::{protocol_encryption, ENCRYPTED_PROTOCOLS, PLAIN_PROTOCOLS};

/// Whether a kind of change raises the exposure, lowers it, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Raises,
    Lowers,
    Neutral,
}

/// Every kind of exposure change, in the order the outputs list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExposureKind {
    /// A threat that counts as open in NEW and did not in OLD.
    NewOpenThreat,
    /// A threat that counted as open in OLD and does not in NEW.
    ThreatNoLongerOpen,
    /// A threat now accepted, transferred or a false positive (language
    /// 0.2): a decision not to fix, shown with who justified it.
    RiskDecision,
    SeverityRaised,
    SeverityLowered,
    /// A threat open in NEW whose mitigation went.
    MitigationRemoved,
    /// A threat open in NEW that gained a mitigation.
    MitigationAdded,
    StatusChanged,
    CrossingIntroduced,
    CrossingRemoved,
    /// A flow crossing a boundary in NEW that lost `encrypted: true`,
    /// `authenticated: true`, or went from an encrypted protocol to a
    /// plain one.
    ProtectionLost,
    ProtectionGained,
    NowReversed,
    NoLongerReversed,
    /// An element (or, once the language allows it, a flow) now out of
    /// scope: its threats no longer count.
    NowOutOfScope,
    BackInScope,
    GapsOpened,
    GapsClosed,
    /// A flow that carries sensitive data across a boundary that it did
    /// not carry across before (language 0.2).
    SensitiveDataCrossing,
    /// A flow that no longer carries some sensitive data across.
    SensitiveDataNoLongerCrossing,
}

impl ExposureKind {
    pub const ALL: [ExposureKind; 20] = [
        ExposureKind::NewOpenThreat,
        ExposureKind::ThreatNoLongerOpen,
        ExposureKind::RiskDecision,
        ExposureKind::SeverityRaised,
        ExposureKind::SeverityLowered,
        ExposureKind::MitigationRemoved,
        ExposureKind::MitigationAdded,
        ExposureKind::StatusChanged,
        ExposureKind::CrossingIntroduced,
        ExposureKind::CrossingRemoved,
        ExposureKind::ProtectionLost,
        ExposureKind::ProtectionGained,
        ExposureKind::NowReversed,
        ExposureKind::NoLongerReversed,
        ExposureKind::NowOutOfScope,
        ExposureKind::BackInScope,
        ExposureKind::GapsOpened,
        ExposureKind::GapsClosed,
        ExposureKind::SensitiveDataCrossing,
        ExposureKind::SensitiveDataNoLongerCrossing,
    ];

    /// The key in the JSON summary (`summary.exposure`).
    pub fn key(self) -> &'static str {
        match self {
            ExposureKind::NewOpenThreat => "new_open_threat",
            ExposureKind::ThreatNoLongerOpen => "threat_no_longer_open",
            ExposureKind::RiskDecision => "risk_decision",
            ExposureKind::SeverityRaised => "severity_raised",
            ExposureKind::SeverityLowered => "severity_lowered",
            ExposureKind::MitigationRemoved => "mitigation_removed",
            ExposureKind::MitigationAdded => "mitigation_added",
            ExposureKind::StatusChanged => "status_changed",
            ExposureKind::CrossingIntroduced => "crossing_introduced",
            ExposureKind::CrossingRemoved => "crossing_removed",
            ExposureKind::ProtectionLost => "protection_lost",
            ExposureKind::ProtectionGained => "protection_gained",
            ExposureKind::NowReversed => "now_reversed",
            ExposureKind::NoLongerReversed => "no_longer_reversed",
            ExposureKind::NowOutOfScope => "now_out_of_scope",
            ExposureKind::BackInScope => "back_in_scope",
            ExposureKind::GapsOpened => "stride_gaps_opened",
            ExposureKind::GapsClosed => "stride_gaps_closed",
            ExposureKind::SensitiveDataCrossing => "sensitive_data_crossing",
            ExposureKind::SensitiveDataNoLongerCrossing => "sensitive_data_no_longer_crossing",
        }
    }

    /// The label of a line under "Exposure" (lower case).
    pub fn label(self) -> &'static str {
        match self {
            ExposureKind::NewOpenThreat => "new open threat",
            ExposureKind::ThreatNoLongerOpen => "threat no longer open",
            ExposureKind::RiskDecision => "risk decision",
            ExposureKind::SeverityRaised => "severity raised",
            ExposureKind::SeverityLowered => "severity lowered",
            ExposureKind::MitigationRemoved => "mitigation removed",
            ExposureKind::MitigationAdded => "mitigation added",
            ExposureKind::StatusChanged => "status changed",
            ExposureKind::CrossingIntroduced => "crossing introduced",
            ExposureKind::CrossingRemoved => "crossing removed",
            ExposureKind::ProtectionLost => "protection lost",
            ExposureKind::ProtectionGained => "protection gained",
            ExposureKind::NowReversed => "now reversed-initiator",
            ExposureKind::NoLongerReversed => "no longer reversed-initiator",
            ExposureKind::NowOutOfScope => "now out of scope",
            ExposureKind::BackInScope => "back in scope",
            ExposureKind::GapsOpened => "STRIDE gaps opened",
            ExposureKind::GapsClosed => "STRIDE gaps closed",
            ExposureKind::SensitiveDataCrossing => "sensitive data now crosses",
            ExposureKind::SensitiveDataNoLongerCrossing => "sensitive data no longer crosses",
        }
    }

    pub fn effect(self) -> Effect {
        match self {
            ExposureKind::NewOpenThreat
            | ExposureKind::SeverityRaised
            | ExposureKind::MitigationRemoved
            | ExposureKind::CrossingIntroduced
            | ExposureKind::ProtectionLost
            | ExposureKind::NowOutOfScope
            | ExposureKind::GapsOpened
            | ExposureKind::SensitiveDataCrossing => Effect::Raises,
            ExposureKind::ThreatNoLongerOpen
            | ExposureKind::SeverityLowered
            | ExposureKind::MitigationAdded
            | ExposureKind::CrossingRemoved
            | ExposureKind::ProtectionGained
            | ExposureKind::BackInScope
            | ExposureKind::GapsClosed
            | ExposureKind::SensitiveDataNoLongerCrossing => Effect::Lowers,
            ExposureKind::StatusChanged
            | ExposureKind::RiskDecision
            | ExposureKind::NowReversed
            | ExposureKind::NoLongerReversed => Effect::Neutral,
        }
    }
}

/// A piece of an exposure line's detail; each format renders it its way.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// An identifier of the model (code in Markdown).
    Id(String),
    /// A user string (quoted).
    Text(String),
    /// tmd's own words and values (`high`, ` → `, `out of`).
    Plain(String),
    /// STRIDE letters (Markdown adds their names when there are few).
    Stride(Stride),
}

/// One exposure change: its kind, the label of its line (the kind's label,
/// with the severity for a new open threat) and its detail.
#[derive(Clone, Debug, PartialEq)]
pub struct Exposure {
    pub kind: ExposureKind,
    pub label: String,
    pub detail: Vec<Part>,
}

fn id(s: &str) -> Part {
    Part::Id(s.to_string())
}

fn text(s: &str) -> Part {
    Part::Text(s.to_string())
}

fn plain(s: impl Into<String>) -> Part {
    Part::Plain(s.into())
}

fn flow_note(change: Option<Change>) -> &'static str {
    match change {
        Some(Change::Added) => " (new flow)",
        Some(Change::Removed) => " (flow removed)",
        _ => "",
    }
}

fn crossing_parts(out: &mut Vec<Part>, list: &[CrossingRef]) {
    for (i, c) in list.iter().enumerate() {
        if i > 0 {
            out.push(plain(", "));
        }
        out.push(plain(format!("{} ", c.direction.preposition())));
        out.push(id(&c.boundary));
    }
}

fn bool_value(v: Option<bool>) -> String {
    v.map_or_else(|| "(none)".to_string(), |b| b.to_string())
}

fn protection_parts(p: &ProtectionChange, list: &[Protection]) -> Vec<Part> {
    let mut out = vec![id(&p.flow), plain(": ")];
    for (i, what) in list.iter().enumerate() {
        if i > 0 {
            out.push(plain(", "));
        }
        match what {
            Protection::Encrypted => out.push(plain(format!(
                "encrypted {} → {}",
                bool_value(p.old.encrypted),
                bool_value(p.new.encrypted)
            ))),
            Protection::Authenticated => out.push(plain(format!(
                "authenticated {} → {}",
                bool_value(p.old.authenticated),
                bool_value(p.new.authenticated)
            ))),
            Protection::Protocol => {
                out.push(plain("protocol "));
                match &p.old.protocol {
                    Some(s) => out.push(text(s)),
                    None => out.push(plain("(none)")),
                }
                out.push(plain(" → "));
                match &p.new.protocol {
                    Some(s) => out.push(text(s)),
                    None => out.push(plain("(none)")),
                }
            }
        }
    }
    if !p.crossings.is_empty() {
        out.push(plain("; crosses "));
        crossing_parts(&mut out, &p.crossings);
    }
    out
}

fn threat_parts(threat: &str, title: &str, target: &str) -> Vec<Part> {
    vec![
        id(threat),
        plain(" "),
        text(title),
        plain(" on "),
        id(target),
    ]
}

/// `T4 "Card testing" on api (medium): open → accepted; why "..."
/// (reviewed by R. Owner on 2025-01-15; expires 2025-12-31)`.
fn decision_parts(c: &DecisionChange) -> Vec<Part> {
    let mut d = threat_parts(&c.threat, &c.title, &c.target);
    match c.old {
        Some(old) => d.push(plain(format!(
            " ({}): {} → {}",
            c.severity,
            old.describe(),
            c.new.describe()
        ))),
        None => d.push(plain(format!(
            " ({}): new threat, {}",
            c.severity,
            c.new.describe()
        ))),
    }
    match &c.justification {
        Some(why) => {
            d.push(plain("; why: "));
            d.push(text(why));
        }
        None => d.push(plain("; no justification")),
    }
    let mut review = Vec::new();
    match (&c.reviewed_by, c.reviewed_on) {
        (Some(by), on) => {
            review.push(plain("reviewed by "));
            review.push(text(by));
            if let Some(on) = on {
                review.push(plain(format!(" on {on}")));
            }
        }
        (None, Some(on)) => review.push(plain(format!("reviewed on {on}"))),
        (None, None) => {}
    }
    if let Some(expires) = c.expires {
        if !review.is_empty() {
            review.push(plain("; "));
        }
        review.push(plain(format!("expires {expires}")));
    }
    if !review.is_empty() {
        d.push(plain(" ("));
        d.extend(review);
        d.push(plain(")"));
    }
    d
}

impl Diff {
    /// Every exposure change, kinds in the order of [`ExposureKind::ALL`],
    /// each kind's changes in NEW's declaration order (removed entries
    /// after, in OLD's), new open threats highest severity first.
    pub fn exposure(&self) -> Vec<Exposure> {
        let mut out = Vec::new();
        for kind in ExposureKind::ALL {
            let mut push = |label: String, detail: Vec<Part>| {
                out.push(Exposure {
                    kind,
                    label,
                    detail,
                })
            };
            let label = kind.label().to_string();
            match kind {
                ExposureKind::NewOpenThreat => {
                    for o in &self.opened {
                        let mut d = threat_parts(&o.threat, &o.title, &o.target);
                        d.push(plain(format!(" ({})", o.reason.describe())));
                        push(format!("new open {} threat", o.word), d);
                    }
                }
                ExposureKind::ThreatNoLongerOpen => {
                    for o in &self.closed {
                        let mut d = threat_parts(&o.threat, &o.title, &o.target);
                        d.push(plain(format!(" ({}, {})", o.word, o.reason.describe())));
                        push(label.clone(), d);
                    }
                }
                ExposureKind::RiskDecision => {
                    for c in &self.decisions {
                        push(c.label().to_string(), decision_parts(c));
                    }
                }
                ExposureKind::SeverityRaised | ExposureKind::SeverityLowered => {
                    let rose = kind == ExposureKind::SeverityRaised;
                    for s in self.severity.iter().filter(|s| s.rose() == rose) {
                        push(
                            label.clone(),
                            vec![
                                id(&s.threat),
                                plain(format!(" {} → {}", s.old_word, s.new_word)),
                            ],
                        );
                    }
                }
                ExposureKind::MitigationRemoved | ExposureKind::MitigationAdded => {
                    let removed = kind == ExposureKind::MitigationRemoved;
                    for m in self
                        .mitigation
                        .iter()
                        .filter(|m| m.new.is_none() == removed)
                    {
                        let mut d = threat_parts(&m.threat, &m.title, &m.target);
                        d.push(plain(format!(" ({})", m.word)));
                        match (&m.old, &m.new) {
                            (Some(old), None) => {
                                d.push(plain(": was "));
                                d.push(text(old));
                            }
                            (_, Some(new)) => {
                                d.push(plain(": "));
                                d.push(text(new));
                            }
                            (None, None) => {}
                        }
                        push(label.clone(), d);
                    }
                }
                ExposureKind::StatusChanged => {
                    // A decision not to fix has its own line, with why.
                    let decided: BTreeSet<&str> =
                        self.decisions.iter().map(|c| c.threat.as_str()).collect();
                    for s in self
                        .status
                        .iter()
                        .filter(|s| !decided.contains(s.threat.as_str()))
                    {
                        push(
                            label.clone(),
                            vec![id(&s.threat), plain(format!(" {} → {}", s.old, s.new))],
                        );
                    }
                }
                ExposureKind::CrossingIntroduced | ExposureKind::CrossingRemoved => {
                    let introduced = kind == ExposureKind::CrossingIntroduced;
                    for c in &self.crossings {
                        let list = if introduced {
                            &c.introduced
                        } else {
                            &c.removed
                        };
                        if list.is_empty() {
                            continue;
                        }
                        let mut d = vec![id(&c.flow), plain(": ")];
                        crossing_parts(&mut d, list);
                        d.push(plain(flow_note(c.flow_change)));
                        push(label.clone(), d);
                    }
                }
                ExposureKind::ProtectionLost | ExposureKind::ProtectionGained => {
                    let lost = kind == ExposureKind::ProtectionLost;
                    for p in &self.protection {
                        let list = if lost { &p.lost } else { &p.gained };
                        if !list.is_empty() {
                            push(label.clone(), protection_parts(p, list));
                        }
                    }
                }
                ExposureKind::NowReversed | ExposureKind::NoLongerReversed => {
                    let now = kind == ExposureKind::NowReversed;
                    for r in self.reversed.iter().filter(|r| r.reversed == now) {
                        push(
                            label.clone(),
                            vec![id(&r.flow), plain(flow_note(r.flow_change))],
                        );
                    }
                }
                ExposureKind::NowOutOfScope | ExposureKind::BackInScope => {
                    let now = kind == ExposureKind::NowOutOfScope;
                    for s in self.scope.iter().filter(|s| s.out_of_scope == now) {
                        let mut d = vec![id(&s.target), plain(format!(" ({}", s.kind))];
                        if let Some(label) = &s.label {
                            d.push(plain(" "));
                            d.push(text(label));
                        }
                        d.push(plain(")"));
                        push(label.clone(), d);
                    }
                }
                ExposureKind::SensitiveDataCrossing
                | ExposureKind::SensitiveDataNoLongerCrossing => {
                    let now = kind == ExposureKind::SensitiveDataCrossing;
                    for c in &self.sensitive {
                        let list = if now { &c.introduced } else { &c.removed };
                        if list.is_empty() {
                            continue;
                        }
                        let mut d = vec![id(&c.flow), plain(": ")];
                        for (i, r) in list.iter().enumerate() {
                            if i > 0 {
                                d.push(plain(", "));
                            }
                            d.push(id(&r.asset));
                            d.push(plain(format!(" ({})", r.level)));
                        }
                        if !c.crossings.is_empty() {
                            d.push(plain("; crosses "));
                            crossing_parts(&mut d, &c.crossings);
                        }
                        d.push(plain(flow_note(c.flow_change)));
                        push(label.clone(), d);
                    }
                }
                ExposureKind::GapsOpened | ExposureKind::GapsClosed => {
                    let opened = kind == ExposureKind::GapsOpened;
                    for g in &self.stride_gaps {
                        let letters = if opened { g.opened } else { g.closed };
                        if letters.is_empty() {
                            continue;
                        }
                        let mut d = vec![id(&g.element), plain(": "), Part::Stride(letters)];
                        if opened && g.element_change == Some(Change::Added) {
                            d.push(plain(" (new element)"));
                        }
                        push(label.clone(), d);
                    }
                }
            }
        }
        out
    }

    /// How many exposure changes of each kind, in table order.
    pub fn exposure_counts(&self) -> Vec<(ExposureKind, usize)> {
        let items = self.exposure();
        ExposureKind::ALL
            .iter()
            .map(|&k| (k, items.iter().filter(|i| i.kind == k).count()))
            .collect()
    }
}
