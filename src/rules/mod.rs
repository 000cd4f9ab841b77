//! The threat rule library (docs/threat-library.md): rules as data (TOML
//! files, the built-in ones in `rules/` inside the binary), their
//! declarative conditions over the model and its analysis, and the
//! suggestions they make for one model, each open, covered by a threat or
//! dismissed with a reason. Pure: text and model in, rules and suggestions
//! out. Sits between `analysis` and `checks` in the pipeline.

pub mod dismiss;
pub mod doc;
pub mod facts;
pub mod format;
pub mod text;
pub mod trust;
pub mod write;

use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::span::Span;
use crate::syntax::ast::File;

pub use dismiss::{Dismissal, Scope};
pub use facts::{Fact, Facts};

/// The built-in rule files: (name, text).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "rules/spoofing.toml",
        include_str!("../../rules/spoofing.toml"),
    ),
    (
        "rules/tampering.toml",
        include_str!("../../rules/tampering.toml"),
    ),
    (
        "rules/repudiation.toml",
        include_str!("../../rules/repudiation.toml"),
    ),
    (
        "rules/information-disclosure.toml",
        include_str!("../../rules/information-disclosure.toml"),
    ),
    (
        "rules/denial-of-service.toml",
        include_str!("../../rules/denial-of-service.toml"),
    ),
    (
        "rules/elevation-of-privilege.toml",
        include_str!("../../rules/elevation-of-privilege.toml"),
    ),
];

/// The placeholders a scenario or mitigation may use.
pub const PLACEHOLDERS: &[&str] = &[
    "target",
    "source",
    "destination",
    "initiator",
    "crossed",
    "boundary",
    "data",
    "from",
    "protocol",
];

/// What a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Flow,
    External,
    Process,
    Store,
    Boundary,
}

impl Kind {
    pub const WORDS: [&'static str; 5] = ["flow", "external", "process", "store", "boundary"];

    /// What its facts are facts of.
    pub fn on(self) -> facts::On {
        match self {
            Kind::Flow => facts::On::Flow,
            Kind::Boundary => facts::On::Boundary,
            _ => facts::On::Element,
        }
    }

    pub fn parse(word: &str) -> Option<Kind> {
        Some(match word {
            "flow" => Kind::Flow,
            "external" => Kind::External,
            "process" => Kind::Process,
            "store" => Kind::Store,
            "boundary" => Kind::Boundary,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::External => "external",
            Kind::Process => "process",
            Kind::Store => "store",
            Kind::Boundary => "boundary",
        }
    }

    fn of_element(kind: ElementKind) -> Kind {
        match kind {
            ElementKind::External => Kind::External,
            ElementKind::Process => Kind::Process,
            ElementKind::Store => Kind::Store,
        }
    }
}

/// How a flag condition reads a yes/no/unknown fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlagTest {
    /// `true`: stated yes.
    Yes,
    /// `false`: stated no (silence does not match).
    No,
    /// `"unknown"`: not stated.
    Unknown,
    /// `"not-true"`: no, or not stated (silence means no).
    NotYes,
    /// `"not-false"`: yes, or not stated.
    NotNo,
}

impl FlagTest {
    pub const WORDS: [&'static str; 3] = ["unknown", "not-true", "not-false"];

    fn parse(word: &str) -> Option<FlagTest> {
        Some(match word {
            "unknown" => FlagTest::Unknown,
            "not-true" => FlagTest::NotYes,
            "not-false" => FlagTest::NotNo,
            _ => return None,
        })
    }

    fn matches(self, value: Option<bool>) -> bool {
        match self {
            FlagTest::Yes => value == Some(true),
            FlagTest::No => value == Some(false),
            FlagTest::Unknown => value.is_none(),
            FlagTest::NotYes => value != Some(true),
            FlagTest::NotNo => value != Some(false),
        }
    }

    /// As the rule file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagTest::Yes => "true",
            FlagTest::No => "false",
            FlagTest::Unknown => "\"unknown\"",
            FlagTest::NotYes => "\"not-true\"",
            FlagTest::NotNo => "\"not-false\"",
        }
    }
}

/// The test of one condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Test {
    Flag(FlagTest),
    AtLeast(usize),
    AnyOf(Vec<String>),
}

/// One condition of a rule: a fact and its test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub key: String,
    pub test: Test,
    /// The key in its rule file.
    pub span: Span,
}

impl Condition {
    fn matches(&self, facts: &Facts) -> bool {
        match (&self.test, facts.get(&self.key)) {
            (Test::Flag(t), Some(Fact::Flag(v))) => t.matches(*v),
            (Test::AtLeast(n), Some(Fact::Count(c))) => c >= n,
            (Test::AnyOf(words), Some(Fact::Words(have))) => {
                have.iter().any(|h| words.iter().any(|w| w == h))
            }
            _ => false,
        }
    }

    /// As the rule file writes it: `authenticated = "not-true"`.
    pub fn written(&self) -> String {
        let value = match &self.test {
            Test::Flag(t) => t.as_str().to_string(),
            Test::AtLeast(n) => n.to_string(),
            Test::AnyOf(words) => format!(
                "[{}]",
                words
                    .iter()
                    .map(|w| format!("{w:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        format!("{} = {value}", self.key)
    }
}

/// A rule's examples: a model where it fires on `target`, one where it
/// must not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub target: String,
    pub fires: String,
    pub quiet: String,
}

/// One rule of the library.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    /// One STRIDE letter.
    pub stride: char,
    pub applies_to: Vec<Kind>,
    /// The band proposed.
    pub severity: Severity,
    /// The band proposed where sensitive data is involved.
    pub sensitive_severity: Option<Severity>,
    pub when: Vec<Condition>,
    pub scenario: String,
    pub mitigation: String,
    /// CAPEC, CWE and ASVS numbers.
    pub references: Vec<String>,
    pub example: Option<Example>,
    /// The file it comes from.
    pub origin: String,
    /// Its ID in that file.
    pub span: Span,
}

/// The rules in force: the built-in ones less those turned off, then a
/// project's own. Cheap to clone.
#[derive(Clone, Debug, PartialEq)]
pub struct Library {
    rules: Arc<[Rule]>,
}

/// The rules of [`BUILTIN_FILES`] as read by [`format::parse`], in JSON
/// ([`builtin_json`]; `TMD_BLESS_LIBRARY=1 cargo test --test rules`
/// writes it with the library's page, and tests check it is what the
/// files say). Reading the TOML at every start was a quarter of a
/// `tmd build` of the worked example (about 5 M instructions); this is
/// about a tenth of that.
pub const BUILTIN_JSON: &str = include_str!("builtin.json");

/// The built-in rules read from their TOML files.
pub fn builtin_from_toml() -> Vec<Rule> {
    let mut rules = Vec::new();
    for (name, text) in BUILTIN_FILES {
        // The built-in files are tested to parse (tests in this module);
        // a broken one would only lose its rules, never panic.
        if let Ok(parsed) = format::parse(text, name) {
            rules.extend(parsed);
        }
    }
    rules
}

/// What `src/rules/builtin.json` holds: [`builtin_from_toml`] in JSON, one
/// rule a line, so that a change to a rule shows as one changed line.
pub fn builtin_json() -> String {
    let lines: Vec<String> = builtin_from_toml()
        .iter()
        .filter_map(|rule| serde_json::to_string(rule).ok())
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

static BUILTIN: LazyLock<Library> = LazyLock::new(|| {
    // The JSON is tested to match the files; were it ever unreadable,
    // the files are read instead.
    let rules =
        serde_json::from_str::<Vec<Rule>>(BUILTIN_JSON).unwrap_or_else(|_| builtin_from_toml());
    Library {
        rules: rules.into(),
    }
});

impl Default for Library {
    fn default() -> Library {
        BUILTIN.clone()
    }
}

/// What the checks need of the library: the rules in force, and the band
/// from which TMD122 (opt-in) reports an open suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub library: Library,
    pub warn_from: Severity,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            library: Library::default(),
            warn_from: Severity::High,
        }
    }
}

/// A project rule file that does not read: its name, its text and the
/// diagnostics.
#[derive(Debug)]
pub struct FileErrors {
    pub name: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Library {
    /// The built-in library.
    pub fn builtin() -> Library {
        Library::default()
    }

    /// The built-in library read from its TOML files, as
    /// [`Library::builtin`] must be (for the generated files and tests).
    pub fn from_toml() -> Library {
        Library {
            rules: builtin_from_toml().into(),
        }
    }

    /// The built-in rules less `disable`, plus the rules of each project
    /// file `(name, text)`. A project rule with a built-in rule's ID
    /// replaces it.
    pub fn with(
        disable: &[String],
        files: &[(String, String)],
    ) -> Result<Library, Vec<FileErrors>> {
        let mut rules: Vec<Rule> = BUILTIN
            .rules
            .iter()
            .filter(|r| !disable.contains(&r.id))
            .cloned()
            .collect();
        let mut errors = Vec::new();
        for (name, text) in files {
            match format::parse(text, name) {
                Ok(parsed) => {
                    for rule in parsed {
                        rules.retain(|r| r.id != rule.id);
                        rules.push(rule);
                    }
                }
                Err(diagnostics) => errors.push(FileErrors {
                    name: name.clone(),
                    text: text.clone(),
                    diagnostics,
                }),
            }
        }
        if errors.is_empty() {
            Ok(Library {
                rules: rules.into(),
            })
        } else {
            Err(errors)
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Whether a built-in rule has this ID (for `disable` in tmd.toml).
    pub fn is_builtin(id: &str) -> bool {
        BUILTIN.get(id).is_some()
    }
}

/// Where a suggestion stands.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    Open,
    /// The threats that cover it.
    Covered(Vec<ThreatId>),
    /// A dismissal's reason, and where it is written.
    Dismissed {
        reason: String,
        comment: Span,
    },
}

/// A threat the library proposes for one target.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// Index into [`Library::rules`].
    pub rule: usize,
    pub target: Target,
    pub band: Severity,
    /// On the model's scale.
    pub grade: Grade,
    pub scenario: String,
    pub mitigation: String,
    /// Why it fired: each condition with the fact it matched.
    pub why: Vec<String>,
    pub state: State,
}

/// The severity of a band on a scale: its lowest word in that band, else
/// the highest below it, else the lowest.
pub fn grade_of_band(scale: &Scale, band: Severity) -> Grade {
    let n = scale.severities.len();
    (0..n)
        .find(|&i| scale.severities.get(i).is_some_and(|s| s.band == band))
        .or_else(|| {
            (0..n)
                .rev()
                .find(|&i| scale.severities.get(i).is_some_and(|s| s.band < band))
        })
        .map_or(Grade(0), Grade)
}

fn fact_text(fact: Option<&Fact>) -> String {
    match fact {
        Some(Fact::Flag(Some(true))) => "yes".into(),
        Some(Fact::Flag(Some(false))) => "no".into(),
        Some(Fact::Flag(None)) => "not stated".into(),
        Some(Fact::Count(n)) => n.to_string(),
        Some(Fact::Words(w)) if w.is_empty() => "none".into(),
        Some(Fact::Words(w)) => w.join(", "),
        None => "unknown".into(),
    }
}

/// The text of a list: `A`, `A and B`, `A, B and C`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn quoted(label: &str) -> String {
    format!("\u{201c}{label}\u{201d}")
}

/// The placeholders' values for one target.
fn placeholder(model: &Model, analysis: &Analysis, target: Target, name: &str) -> String {
    let boundary_of = |e: ElementId| {
        model[e].boundary.map_or_else(
            || "outside every boundary".to_string(),
            |b| quoted(&model[b].label),
        )
    };
    let crossed_of = |f: FlowId| {
        let crossings = analysis
            .flows
            .get(f.index())
            .map(|x| x.crossings.as_slice())
            .unwrap_or_default();
        let parts: Vec<String> = crossings
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c.direction.preposition(),
                    quoted(&model[c.boundary].label)
                )
            })
            .collect();
        if parts.is_empty() {
            "no trust boundary".to_string()
        } else {
            and_list(&parts)
        }
    };
    let data_of = |assets: &[AssetId], data: &[String]| -> Option<String> {
        if !assets.is_empty() {
            let names: Vec<String> = assets.iter().map(|&a| quoted(&model[a].label)).collect();
            Some(and_list(&names))
        } else if !data.is_empty() {
            let names: Vec<String> = data.iter().map(|d| quoted(d)).collect();
            Some(and_list(&names))
        } else {
            None
        }
    };
    match target {
        Target::Flow(f) => {
            let flow = &model[f];
            match name {
                "target" => flow.label.as_deref().map_or_else(
                    || {
                        format!(
                            "the flow from {} to {}",
                            quoted(&model[flow.source].label),
                            quoted(&model[flow.target].label)
                        )
                    },
                    |l| {
                        format!(
                            "{} ({} → {})",
                            quoted(l),
                            model[flow.source].label,
                            model[flow.target].label
                        )
                    },
                ),
                "source" | "from" => quoted(&model[flow.source].label),
                "destination" => quoted(&model[flow.target].label),
                "initiator" => quoted(&model[flow.initiator_element()].label),
                "crossed" => crossed_of(f),
                "boundary" => boundary_of(flow.target),
                "data" => data_of(&flow.assets, &flow.data).unwrap_or_else(|| "its data".into()),
                "protocol" => flow
                    .protocol
                    .as_deref()
                    .map_or_else(|| "its protocol".into(), quoted),
                _ => String::new(),
            }
        }
        Target::Element(e) => {
            let element = &model[e];
            let facts = analysis.elements.get(e.index());
            let flows_in = facts.map(|x| x.flows_in.as_slice()).unwrap_or_default();
            let flows_out = facts.map(|x| x.flows_out.as_slice()).unwrap_or_default();
            let crosses = |f: &FlowId| {
                analysis
                    .flows
                    .get(f.index())
                    .is_some_and(|x| !x.crossings.is_empty())
            };
            match name {
                "target" | "destination" | "initiator" => quoted(&element.label),
                "source" | "from" => {
                    let mut senders: Vec<ElementId> = flows_in
                        .iter()
                        .filter(|f| crosses(f))
                        .map(|&f| model[f].source)
                        .collect();
                    if senders.is_empty() {
                        senders = flows_in.iter().map(|&f| model[f].source).collect();
                    }
                    senders.sort();
                    senders.dedup();
                    let names: Vec<String> =
                        senders.iter().map(|&s| quoted(&model[s].label)).collect();
                    if names.is_empty() {
                        "its callers".into()
                    } else {
                        and_list(&names)
                    }
                }
                "crossed" => {
                    let mut boundaries: Vec<BoundaryId> = flows_in
                        .iter()
                        .chain(flows_out)
                        .filter_map(|f| analysis.flows.get(f.index()))
                        .flat_map(|x| x.crossings.iter().map(|c| c.boundary))
                        .collect();
                    boundaries.sort();
                    boundaries.dedup();
                    let names: Vec<String> = boundaries
                        .iter()
                        .map(|&b| quoted(&model[b].label))
                        .collect();
                    match names.len() {
                        0 => "no trust boundary".into(),
                        1 => format!("the boundary {}", and_list(&names)),
                        _ => format!("the boundaries {}", and_list(&names)),
                    }
                }
                "boundary" => boundary_of(e),
                "data" => {
                    let mut assets = element.assets.clone();
                    if assets.is_empty() {
                        assets = flows_in
                            .iter()
                            .flat_map(|&f| model[f].assets.clone())
                            .collect();
                        assets.sort();
                        assets.dedup();
                    }
                    data_of(&assets, &[]).unwrap_or_else(|| "its data".into())
                }
                "protocol" => "its protocols".into(),
                _ => String::new(),
            }
        }
        Target::Boundary(b) => {
            let facts = analysis.boundaries.get(b.index());
            let flows = facts
                .map(|x| x.crossing_flows.as_slice())
                .unwrap_or_default();
            match name {
                "target" | "crossed" => quoted(&model[b].label),
                "boundary" => model[b].parent.map_or_else(
                    || "outside every boundary".to_string(),
                    |p| quoted(&model[p].label),
                ),
                "data" => {
                    let assets = facts.map(|x| x.crossing_assets.clone()).unwrap_or_default();
                    data_of(&assets, &[]).unwrap_or_else(|| "the data crossing it".into())
                }
                "source" | "from" | "destination" | "initiator" => {
                    let mut ends: Vec<ElementId> = flows.iter().map(|&f| model[f].source).collect();
                    ends.sort();
                    ends.dedup();
                    let names: Vec<String> = ends
                        .iter()
                        .take(4)
                        .map(|&e| quoted(&model[e].label))
                        .collect();
                    if names.is_empty() {
                        "its members".into()
                    } else {
                        and_list(&names)
                    }
                }
                "protocol" => "its protocols".into(),
                _ => String::new(),
            }
        }
    }
}

/// The target's facts, and whether sensitive data is involved.
fn facts_of(model: &Model, analysis: &Analysis, target: Target) -> Option<(Kind, Facts, bool)> {
    match target {
        Target::Element(e) => {
            if model[e].out_of_scope {
                return None;
            }
            let facts = facts::of_element(model, analysis, e);
            let sensitive = facts.get("holds_sensitive") == Some(&Fact::Flag(Some(true)));
            Some((Kind::of_element(model[e].kind), facts, sensitive))
        }
        Target::Flow(f) => {
            let flow = &model[f];
            if flow.out_of_scope
                || (model[flow.source].out_of_scope && model[flow.target].out_of_scope)
            {
                return None;
            }
            let facts = facts::of_flow(model, analysis, f);
            let sensitive = facts.get("carries_sensitive") == Some(&Fact::Flag(Some(true)));
            Some((Kind::Flow, facts, sensitive))
        }
        Target::Boundary(b) => {
            let facts = facts::of_boundary(model, analysis, b);
            let sensitive = facts.get("crossed_by_sensitive") == Some(&Fact::Flag(Some(true)));
            Some((Kind::Boundary, facts, sensitive))
        }
    }
}

/// Every suggestion of the library for the model, open, covered or
/// dismissed, in target order (elements, then flows) and rule order.
pub fn suggest(
    model: &Model,
    analysis: &Analysis,
    library: &Library,
    dismissals: &[Dismissal],
) -> Vec<Suggestion> {
    let targets = model
        .element_ids()
        .map(Target::Element)
        .chain(model.flow_ids().map(Target::Flow))
        .chain(model.boundary_ids().map(Target::Boundary));
    let mut out = Vec::new();
    for target in targets {
        let Some((kind, facts, sensitive)) = facts_of(model, analysis, target) else {
            continue;
        };
        let threats: &[ThreatId] = match target {
            Target::Element(e) => analysis
                .elements
                .get(e.index())
                .map(|x| x.threats.as_slice()),
            Target::Flow(f) => analysis.flows.get(f.index()).map(|x| x.threats.as_slice()),
            Target::Boundary(b) => analysis
                .boundaries
                .get(b.index())
                .map(|x| x.threats.as_slice()),
        }
        .unwrap_or_default();
        for (index, rule) in library.rules().iter().enumerate() {
            if !rule.applies_to.contains(&kind) || !rule.when.iter().all(|c| c.matches(&facts)) {
                continue;
            }
            let band = match rule.sensitive_severity {
                Some(s) if sensitive => s,
                _ => rule.severity,
            };
            let fill =
                |text: &str| text::fill(text, |name| placeholder(model, analysis, target, name));
            let why = rule
                .when
                .iter()
                .map(|c| format!("{}: {}", c.key, fact_text(facts.get(&c.key))))
                .collect();
            let covering: Vec<ThreatId> = threats
                .iter()
                .copied()
                .filter(|&t| covers(&model[t], rule))
                .collect();
            let dismissed = dismissals.iter().find(|d| {
                d.rule == rule.id
                    && d.reason.is_some()
                    && (d.scope == Scope::Everywhere || d.scope == Scope::Target(target))
            });
            let state = match (covering.is_empty(), dismissed) {
                (false, _) => State::Covered(covering),
                (true, Some(d)) => State::Dismissed {
                    reason: d.reason.clone().unwrap_or_default(),
                    comment: d.comment,
                },
                (true, None) => State::Open,
            };
            out.push(Suggestion {
                rule: index,
                target,
                band,
                grade: grade_of_band(&model.scale, band),
                scenario: fill(&rule.scenario),
                mitigation: fill(&rule.mitigation),
                why,
                state,
            });
        }
    }
    out
}

/// Whether a threat (on the suggestion's target) covers a rule: it links
/// the rule with `rule:`, or links none and names the rule's STRIDE letter.
pub fn covers(threat: &Threat, rule: &Rule) -> bool {
    match &threat.rule {
        Some(id) => *id == rule.id,
        None => threat.stride.is_some_and(|s| s.contains(rule.stride)),
    }
}

/// The dismissals of a file that take effect on nothing: an unknown rule,
/// no reason, written on no element, flow or boundary, or a rule that does not fire
/// there. Each with why.
pub fn unused_dismissals<'d>(
    dismissals: &'d [Dismissal],
    library: &Library,
    suggestions: &[Suggestion],
) -> Vec<(&'d Dismissal, Unused)> {
    let mut out = Vec::new();
    for d in dismissals {
        let why = if library.get(&d.rule).is_none() {
            Some(Unused::UnknownRule)
        } else if d.reason.is_none() {
            Some(Unused::NoReason)
        } else if d.scope == Scope::Nowhere {
            Some(Unused::NoTarget)
        } else {
            let fires = suggestions.iter().any(|s| {
                library.rules().get(s.rule).is_some_and(|r| r.id == d.rule)
                    && (d.scope == Scope::Everywhere || d.scope == Scope::Target(s.target))
            });
            (!fires).then_some(Unused::NoMatch)
        };
        if let Some(why) = why {
            out.push((d, why));
        }
    }
    out
}

/// Why a dismissal takes effect on nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unused {
    UnknownRule,
    NoReason,
    NoTarget,
    NoMatch,
}

/// The suggestions of a compiled file with its dismissals.
pub fn for_file(
    file: &File,
    model: &Model,
    analysis: &Analysis,
    library: &Library,
) -> (Vec<Dismissal>, Vec<Suggestion>) {
    let dismissals = dismiss::collect(file, model);
    let suggestions = suggest(model, analysis, library, &dismissals);
    (dismissals, suggestions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        for (name, text) in BUILTIN_FILES {
            if let Err(errors) = format::parse(text, name) {
                panic!("{name}: {errors:#?}");
            }
        }
        assert!(Library::builtin().rules().len() >= 60);
    }

    /// The library the binary loads is the one the files say: rerun
    /// `TMD_BLESS_LIBRARY=1 cargo test --test rules` after editing a file
    /// under `rules/`.
    #[test]
    fn builtin_json_matches_the_files() {
        let loaded: Vec<Rule> = match serde_json::from_str(BUILTIN_JSON) {
            Ok(rules) => rules,
            Err(e) => panic!("src/rules/builtin.json does not read ({e}): run `TMD_BLESS_LIBRARY=1 cargo test --test rules`"),
        };
        let read = builtin_from_toml();
        assert!(
            loaded == read,
            "src/rules/builtin.json is not what rules/*.toml say: run `TMD_BLESS_LIBRARY=1 cargo test --test rules`"
        );
        assert_eq!(Library::builtin().rules(), &read[..]);
    }
}
