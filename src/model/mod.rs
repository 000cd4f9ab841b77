//! The resolved model: typed IDs instead of names, a petgraph graph of
//! elements and flows, the boundary tree, actors, and threats with their
//! severity. Built from the syntax tree by `lower`.

mod assets;
mod ids;
mod lower;
pub mod protocol;
pub mod scale;
pub mod values;

use std::collections::BTreeSet;
use std::ops::Index;

use petgraph::graph::DiGraph;

pub use crate::syntax::ast::ElementKind;
pub use assets::{Asset, Classification};
pub use ids::*;
pub use lower::{closest_name, lower, lower_with, parse_date, LowerOptions};
pub use scale::{Axis, BuiltinScale, Grade, Rating, Scale, ScaleSeverity};
pub use values::*;

use crate::span::Span;

/// The four actors every model has without declaring them.
pub const BUILTIN_ACTORS: [(&str, &str); 4] = [
    ("apt", "State-sponsored adversary (APT)"),
    ("external_attacker", "Opportunistic external attacker"),
    ("malicious_insider", "Malicious insider"),
    ("accidental_insider", "Accidental insider"),
];

/// The header statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub scope: Option<String>,
    pub author: Option<String>,
    pub created: Option<Date>,
    pub updated: Option<Date>,
    pub version: Option<String>,
    pub direction: Option<Direction>,
    /// Who reviewed the model (language 0.2); empty when not given.
    pub reviewers: Vec<String>,
    /// Who contributed to it (language 0.2); empty when not given.
    pub contributors: Vec<String>,
    /// The system's docs or repository (language 0.2), as written.
    pub link: Option<String>,
    /// The `classification` header's levels as written (language 0.2);
    /// the levels in force are [`Model::classification`].
    pub classification: Option<Vec<String>>,
    /// The `sensitive` header's level as written (language 0.2).
    pub sensitive: Option<String>,
}

/// Whether a link may be shown as a link: `http://` or `https://` (any
/// case). Anything else is shown as text.
pub fn is_web_link(link: &str) -> bool {
    let lower = link.get(..8).unwrap_or(link).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl Meta {
    /// The direction to draw in (top-down when not given).
    pub fn direction(&self) -> Direction {
        self.direction.unwrap_or(Direction::TopDown)
    }
}

/// A calendar date that exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Days since 1970-01-01 in the proleptic Gregorian calendar, so that
    /// dates can be subtracted (negative before 1970).
    pub fn day_number(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        // March-based year: the leap day is the last day of its year.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A typed attribute value as written.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    Str(String),
    Bool(bool),
    /// Digits as written (they may not fit a machine integer).
    Int(String),
    Date(Date),
    Word(String),
    List(Vec<AttrValue>),
}

/// Attributes in canonical order: the known keys of the statement in the
/// order of the language's table, then `x_` keys by name.
pub type Attributes = Vec<(String, AttrValue)>;

#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub name: String,
    pub kind: ElementKind,
    pub label: String,
    pub description: Option<String>,
    pub tech: Option<String>,
    pub owner: Option<String>,
    pub out_of_scope: bool,
    /// Why it is out of scope, when `out_of_scope` gives a reason
    /// (language 0.2).
    pub out_of_scope_reason: Option<String>,
    pub attributes: Attributes,
    /// The security properties written on it (language 0.2, read by the
    /// threat rules): each `None` when the model says nothing.
    pub props: ElementProps,
    /// The data assets it holds (a store) or handles (a process or an
    /// external entity), in the order written (language 0.2).
    pub assets: Vec<AssetId>,
    /// The innermost boundary holding it.
    pub boundary: Option<BoundaryId>,
    /// The identifier where it is declared.
    pub span: Span,
    /// The whole statement.
    pub statement: Span,
}

/// The typed security properties of an element (language 0.2): what the
/// threat rules (`src/rules`) read. `None` is silence: the model does not
/// say, which is not the same as `false`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ElementProps {
    pub internet_facing: Option<bool>,
    pub authenticates: Option<bool>,
    pub validates_input: Option<bool>,
    pub logs_security_events: Option<bool>,
    pub encrypts_at_rest: Option<bool>,
    pub holds_credentials: Option<bool>,
    pub third_party_code: Option<bool>,
    pub privileged: Option<bool>,
}

impl ElementProps {
    /// The keys, in the language's table order.
    pub const KEYS: [&'static str; 8] = [
        "internet_facing",
        "authenticates",
        "validates_input",
        "logs_security_events",
        "encrypts_at_rest",
        "holds_credentials",
        "third_party_code",
        "privileged",
    ];

    /// The property a key names, to read or set.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Option<bool>> {
        Some(match key {
            "internet_facing" => &mut self.internet_facing,
            "authenticates" => &mut self.authenticates,
            "validates_input" => &mut self.validates_input,
            "logs_security_events" => &mut self.logs_security_events,
            "encrypts_at_rest" => &mut self.encrypts_at_rest,
            "holds_credentials" => &mut self.holds_credentials,
            "third_party_code" => &mut self.third_party_code,
            "privileged" => &mut self.privileged,
            _ => return None,
        })
    }

    /// The value written for a key (`None`: silence, or not a property).
    pub fn get(&self, key: &str) -> Option<bool> {
        let mut copy = *self;
        copy.get_mut(key).and_then(|v| *v)
    }
}

/// A member of a boundary, in declaration order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Member {
    Element(ElementId),
    Boundary(BoundaryId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub name: String,
    pub label: String,
    pub parent: Option<BoundaryId>,
    /// Elements and boundaries declared directly inside it.
    pub members: Vec<Member>,
    /// What kind of zone it is (language 0.2).
    pub kind: Option<BoundaryKind>,
    pub description: Option<String>,
    /// `kind`, `description` and `x_` keys written in its body.
    pub attributes: Attributes,
    pub span: Span,
    pub statement: Span,
}

/// What kind of zone a boundary is: one of the usual kinds, or a kind of
/// the model's own, written as a string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BoundaryKind {
    Known(BoundaryKindWord),
    Custom(String),
}

impl BoundaryKind {
    /// How a reader says it: `cloud account`, or the custom text.
    pub fn describe(&self) -> &str {
        match self {
            BoundaryKind::Known(word) => word.describe(),
            BoundaryKind::Custom(text) => text,
        }
    }

    /// The word written in the model, or the custom text.
    pub fn as_str(&self) -> &str {
        match self {
            BoundaryKind::Known(word) => word.as_str(),
            BoundaryKind::Custom(text) => text,
        }
    }
}

/// Which end of a flow opens the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Source,
    Target,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// The written ID, or the implicit `SOURCE->TARGET` (`#2`, `#3`, ...).
    pub name: String,
    /// Whether the ID was written.
    pub explicit: bool,
    pub source: ElementId,
    pub target: ElementId,
    pub label: Option<String>,
    pub protocol: Option<String>,
    pub encrypted: Option<bool>,
    pub authenticated: Option<bool>,
    pub data: Vec<String>,
    /// Who opens the connection. For a response, the end that opened its
    /// request's connection.
    pub initiator: Endpoint,
    /// The request this flow answers (`response_to`, language 0.2): it
    /// goes the other way between the same two elements and rides the
    /// request's connection.
    pub response_to: Option<FlowId>,
    pub description: Option<String>,
    /// Drawn greyed; its threats are out of scope (language 0.2).
    pub out_of_scope: bool,
    pub out_of_scope_reason: Option<String>,
    /// The data assets it carries, in the order written (language 0.2).
    pub assets: Vec<AssetId>,
    pub attributes: Attributes,
    /// The written ID, or SOURCE when there is none.
    pub span: Span,
    pub statement: Span,
}

impl Flow {
    /// The receiver opens the connection and pulls the data. A response
    /// never is: its receiver opened the connection to send the request.
    pub fn is_reversed(&self) -> bool {
        self.initiator == Endpoint::Target && self.response_to.is_none()
    }

    pub fn initiator_element(&self) -> ElementId {
        match self.initiator {
            Endpoint::Source => self.source,
            Endpoint::Target => self.target,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub builtin: bool,
    pub attributes: Attributes,
    /// Where it is declared; none for a built-in actor.
    pub span: Option<Span>,
}

/// What a threat is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Element(ElementId),
    Boundary(BoundaryId),
    Flow(FlowId),
}

/// Spans of a threat's parts, for diagnostics.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatSpans {
    pub id: Span,
    pub statement: Span,
    /// Each STRIDE letter as written, with its span.
    pub stride_letters: Vec<(char, Span)>,
    pub severity: Option<Span>,
    /// The `status` value, when written.
    pub status: Option<Span>,
    /// The `expires` value, when written.
    pub expires: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Threat {
    pub name: String,
    pub title: String,
    /// What it is on, in the order written (language 0.2: several, or
    /// none yet). Every target counts it.
    pub targets: Vec<Target>,
    /// None when not given (language 0.2: real tools rarely record one).
    pub actor: Option<ActorId>,
    pub scenario: String,
    /// None when not given.
    pub stride: Option<Stride>,
    /// The levels given on the model's scale (`ease` and `impact` on the
    /// primer's), when both are given.
    pub rating: Option<Rating>,
    /// The band of its severity: what `--fail-on`, TMD107, badge colours
    /// and open counts read, the same on every scale.
    pub severity: Severity,
    /// Its severity on the model's scale (language 0.2): what a person
    /// reads (`critical`); on the primer's scale the word is the band.
    pub grade: Grade,
    pub severity_source: SeveritySource,
    /// What the scale's table gives, when both levels are given.
    pub matrix_grade: Option<Grade>,
    /// None when absent or blank.
    pub mitigation: Option<String>,
    pub remediation: Option<Remediation>,
    pub status: Status,
    /// Who decided what and when, for tracking (language 0.2).
    pub tracking: Tracking,
    /// The controls it names, in the order written (language 0.2).
    pub controls: Vec<ControlId>,
    /// The library rule it answers (`rule:`, language 0.2), as written.
    pub rule: Option<String>,
    /// `x_` keys.
    pub attributes: Attributes,
    pub spans: ThreatSpans,
}

/// A threat's tracking facts (language 0.2): each `None` when not given
/// (a blank string is not given).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tracking {
    /// Why the status is what it is; required for `transferred` and
    /// `false-positive`.
    pub justification: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Date>,
    pub ticket: Option<String>,
    pub owner: Option<String>,
    /// When an acceptance ends (read for `accepted` threats only).
    pub expires: Option<Date>,
}

impl Tracking {
    pub fn is_empty(&self) -> bool {
        *self == Tracking::default()
    }
}

impl Threat {
    /// Whether its status is open (`open`, `investigating`,
    /// `in-progress`), in scope or not. Counts use
    /// [`Model::counts_as_open`].
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Whether it is accepted and its acceptance expired before `today`
    /// (never when today is unknown). Read by TMD113 and by
    /// [`Model::counts_as_open_on`].
    pub fn acceptance_expired(&self, today: Option<Date>) -> bool {
        match (self.status, self.tracking.expires, today) {
            (Status::Accepted, Some(expires), Some(today)) => expires < today,
            _ => false,
        }
    }

    /// The first target (what `target` meant in language 0.1); none for a
    /// threat on no target yet.
    pub fn target(&self) -> Option<Target> {
        self.targets.first().copied()
    }

    pub fn is_on(&self, target: Target) -> bool {
        self.targets.contains(&target)
    }
}

/// A control (language 0.2): something that reduces a threat's risk,
/// declared once and named by the threats it works against.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    pub name: String,
    pub label: String,
    /// `planned` when not given: nothing claims it is in place.
    pub status: ControlStatus,
    pub description: Option<String>,
    pub ticket: Option<String>,
    /// How much of the risk it removes, in per cent (0 to 100).
    pub reduces: Option<u8>,
    /// The keys written, known ones in table order, then `x_` keys.
    pub attributes: Attributes,
    pub span: Span,
    pub statement: Span,
}

/// What rests on an assumption: a threat, or an element, a boundary or a
/// flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dependent {
    Threat(ThreatId),
    Target(Target),
}

/// A statement the analysis takes as true (language 0.2), with what rests
/// on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    pub name: String,
    /// The statement: the label, or the ID when none is written.
    pub label: String,
    pub status: AssumptionStatus,
    pub owner: Option<String>,
    pub description: Option<String>,
    /// What rests on it (`for`), in the order written.
    pub dependents: Vec<Dependent>,
    /// `status`, `owner`, `description` and `x_` keys as written (`for`
    /// is in `dependents`).
    pub attributes: Attributes,
    /// The identifier where it is declared.
    pub span: Span,
    pub statement: Span,
    /// The `status` value, when written.
    pub status_span: Option<Span>,
}

/// What lowering could not resolve in a file with errors. Each record
/// names the very thing that failed, so that checks skip only the warnings
/// that depend on it (and say so, see `checks::Sink::skip`); every other
/// warning of the file is still reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Partial {
    /// Elements that are an endpoint of a flow that failed to resolve:
    /// their flows are not all known.
    pub elements: BTreeSet<ElementId>,
    /// Elements declared inside a boundary whose own declaration failed:
    /// where they stand, and so which boundaries their flows cross, is not
    /// known.
    pub misplaced: BTreeSet<ElementId>,
    /// Boundaries that lost a member to an error: whether they are empty
    /// is not known.
    pub boundaries: BTreeSet<BoundaryId>,
    /// Targets that a threat which failed to lower was on, or may have
    /// been on: its own target when another of its fields failed, every
    /// flow between `A` and `B` when `A -> B` matched none or several.
    pub threat_targets: BTreeSet<Target>,
    /// Controls whose `status` failed to lower: whether they are in place
    /// is not known.
    pub controls: BTreeSet<ControlId>,
    /// Statements left out of the model because of an error: every warning
    /// they could have drawn is unknown.
    pub dropped: Vec<Span>,
    /// Elements and flows whose `assets:` names an asset that failed to
    /// resolve or to lower, or whose `assets:` value failed: which data
    /// they hold or carry is not all known.
    pub unresolved_assets: BTreeSet<Target>,
    /// What an assumption that failed to lower named, or most likely
    /// named, in its `for`: whether it rests on a wrong assumption is not
    /// known.
    pub dependents: BTreeSet<Dependent>,
}

/// A resolved threat model.
#[derive(Clone, Debug)]
pub struct Model {
    pub meta: Meta,
    pub elements: Vec<Element>,
    pub boundaries: Vec<Boundary>,
    pub flows: Vec<Flow>,
    /// Built-in actors first, then declared ones.
    pub actors: Vec<Actor>,
    pub threats: Vec<Threat>,
    /// Controls in declaration order (language 0.2).
    pub controls: Vec<Control>,
    /// Data assets in declaration order (language 0.2).
    pub assets: Vec<Asset>,
    /// The classification levels in force and the sensitive threshold:
    /// the model's headers, else the project's, else the defaults.
    pub classification: Classification,
    /// Language 0.2, in declaration order.
    pub assumptions: Vec<Assumption>,
    /// The risk scale in force (language 0.2): the `risk` header's, else
    /// the project's default, else the primer's.
    pub scale: Scale,
    /// Node `i` is element `i`; edge `i` is flow `i`.
    pub graph: DiGraph<ElementId, FlowId>,
    /// Elements and boundaries at top level, in declaration order.
    pub top: Vec<Member>,
    pub partial: Partial,
    /// Set on a view of a model (`--focus`, `--collapse`): what its
    /// stand-ins stand for. `None` for a model as written.
    pub view: Option<ViewNotes>,
}

/// What a view of a model (`crate::view`) drew instead of what it left
/// out, for the emitters to draw and say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewNotes {
    /// One sentence: what the view shows of the whole.
    pub caption: String,
    /// The elements that stand for something left out.
    pub stand_ins: std::collections::BTreeMap<ElementId, StandIn>,
    /// The flows that join a summary stand-in to its element.
    pub summary_flows: BTreeSet<FlowId>,
}

/// What a view's stand-in element stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum StandIn {
    /// A collapsed boundary, drawn as one box: how many elements and
    /// flows it holds.
    Collapsed {
        kind: Option<BoundaryKind>,
        elements: usize,
        flows: usize,
    },
    /// The flows a focus left out at one element of its edge: how many,
    /// to or from how many elements.
    More { flows: usize, elements: usize },
}

impl ViewNotes {
    pub fn stand_in(&self, element: ElementId) -> Option<&StandIn> {
        self.stand_ins.get(&element)
    }
}

impl Model {
    pub fn element_ids(&self) -> impl Iterator<Item = ElementId> {
        (0..self.elements.len()).map(ElementId::from_index)
    }

    pub fn boundary_ids(&self) -> impl Iterator<Item = BoundaryId> {
        (0..self.boundaries.len()).map(BoundaryId::from_index)
    }

    pub fn flow_ids(&self) -> impl Iterator<Item = FlowId> {
        (0..self.flows.len()).map(FlowId::from_index)
    }

    pub fn actor_ids(&self) -> impl Iterator<Item = ActorId> {
        (0..self.actors.len()).map(ActorId::from_index)
    }

    pub fn threat_ids(&self) -> impl Iterator<Item = ThreatId> {
        (0..self.threats.len()).map(ThreatId::from_index)
    }

    pub fn control_ids(&self) -> impl Iterator<Item = ControlId> {
        (0..self.controls.len()).map(ControlId::from_index)
    }

    /// Whether a threat has a mitigation: a `mitigation` text, or a
    /// control of any status (a planned control is a plan, as a
    /// mitigation text may be). TMD107 asks this.
    pub fn has_mitigation(&self, threat: &Threat) -> bool {
        threat.mitigation.is_some() || !threat.controls.is_empty()
    }

    /// Whether any of a threat's controls is in place (implemented or
    /// verified).
    pub fn has_control_in_place(&self, threat: &Threat) -> bool {
        threat.controls.iter().any(|&c| self[c].status.in_place())
    }

    pub fn assumption_ids(&self) -> impl Iterator<Item = AssumptionId> {
        (0..self.assumptions.len()).map(AssumptionId::from_index)
    }

    /// The ID of what rests on an assumption.
    pub fn dependent_name(&self, dependent: Dependent) -> &str {
        match dependent {
            Dependent::Threat(t) => &self[t].name,
            Dependent::Target(t) => self.target_name(t),
        }
    }

    /// `threat`, `external`, `process`, `store`, `boundary` or `flow`.
    pub fn dependent_kind(&self, dependent: Dependent) -> &'static str {
        match dependent {
            Dependent::Threat(_) => "threat",
            Dependent::Target(t) => self.target_kind(t),
        }
    }

    /// Where what rests on an assumption is declared (its ID).
    pub fn dependent_span(&self, dependent: Dependent) -> Span {
        match dependent {
            Dependent::Threat(t) => self[t].spans.id,
            Dependent::Target(Target::Element(e)) => self[e].span,
            Dependent::Target(Target::Boundary(b)) => self[b].span,
            Dependent::Target(Target::Flow(f)) => self[f].span,
        }
    }

    /// Boundaries holding `boundary`, outermost first, itself last.
    pub fn boundary_chain(&self, boundary: Option<BoundaryId>) -> Vec<BoundaryId> {
        let mut chain = Vec::new();
        let mut current = boundary;
        while let Some(b) = current {
            if chain.len() > self.boundaries.len() {
                break; // a cycle cannot be built by lowering; stay safe anyway
            }
            chain.push(b);
            current = self[b].parent;
        }
        chain.reverse();
        chain
    }

    /// Whether a target is marked `out_of_scope` (an element or, since
    /// language 0.2, a flow; a boundary never is).
    pub fn target_out_of_scope(&self, target: Target) -> bool {
        match target {
            Target::Element(e) => self[e].out_of_scope,
            Target::Flow(f) => self[f].out_of_scope,
            Target::Boundary(_) => false,
        }
    }

    /// Whether a threat is out of scope: it has targets and every one is
    /// marked `out_of_scope`. Such a threat is never open for counts and
    /// `--fail-on`. The one place that decides it.
    pub fn threat_out_of_scope(&self, threat: &Threat) -> bool {
        !threat.targets.is_empty() && threat.targets.iter().all(|&t| self.target_out_of_scope(t))
    }

    /// The name of a threat target.
    pub fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Element(e) => &self[e].name,
            Target::Boundary(b) => &self[b].name,
            Target::Flow(f) => &self[f].name,
        }
    }

    /// `external`, `process`, `store`, `boundary` or `flow`.
    pub fn target_kind(&self, target: Target) -> &'static str {
        match target {
            Target::Element(e) => self[e].kind.as_str(),
            Target::Boundary(_) => "boundary",
            Target::Flow(_) => "flow",
        }
    }

    /// Whether a threat counts as open: its status is open (`open`,
    /// `investigating`, `in-progress`; [`Status::is_open`]) and it is not
    /// out of scope ([`Model::threat_out_of_scope`]). Every count, colour
    /// and output of tmd uses this; it never depends on the date, so
    /// outputs do not either.
    pub fn counts_as_open(&self, threat: ThreatId) -> bool {
        let th = &self[threat];
        th.is_open() && !self.threat_out_of_scope(th)
    }

    /// A flow as a sentence names it: `Label (ID)`, or the ID when it has
    /// no label.
    pub fn flow_words(&self, flow: FlowId) -> String {
        let f = &self[flow];
        match &f.label {
            Some(label) => format!("{label} ({})", f.name),
            None => f.name.clone(),
        }
    }

    /// As [`Model::counts_as_open`], on a given day: an acceptance that
    /// expired before `today` is open again. Only gates that know the
    /// date use it (`--fail-on`); with `today` unknown it is
    /// `counts_as_open`.
    pub fn counts_as_open_on(&self, threat: ThreatId, today: Option<Date>) -> bool {
        let th = &self[threat];
        self.counts_as_open(threat)
            || (th.acceptance_expired(today) && !self.threat_out_of_scope(th))
    }

    /// A label for a target, for tables and diagrams.
    pub fn target_label(&self, target: Target) -> String {
        match target {
            Target::Element(e) => self[e].label.clone(),
            Target::Boundary(b) => self[b].label.clone(),
            Target::Flow(f) => {
                let flow = &self[f];
                flow.label.clone().unwrap_or_else(|| {
                    format!("{} → {}", self[flow.source].label, self[flow.target].label)
                })
            }
        }
    }
}

macro_rules! index {
    ($id:ty, $field:ident, $out:ty) => {
        impl Index<$id> for Model {
            type Output = $out;
            fn index(&self, id: $id) -> &$out {
                // IDs are made only by lowering this very model.
                #[allow(clippy::indexing_slicing)]
                &self.$field[id.index()]
            }
        }
    };
}

index!(ElementId, elements, Element);
index!(BoundaryId, boundaries, Boundary);
index!(FlowId, flows, Flow);
index!(ActorId, actors, Actor);
index!(ThreatId, threats, Threat);
index!(ControlId, controls, Control);
index!(AssetId, assets, Asset);
index!(AssumptionId, assumptions, Assumption);

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        let c = crate::compile(text);
        assert!(c.valid().is_some(), "{:?}", c.diagnostics);
        c.model.unwrap()
    }

    fn threat(m: &Model, name: &str) -> ThreatId {
        m.threat_ids().find(|&t| m[t].name == name).unwrap()
    }

    const STATUSES: &str = "process api\n\
threat T_open on api { scenario: \"s\", severity: high }\n\
threat T_inv on api { scenario: \"s\", severity: high, status: investigating }\n\
threat T_prog on api { scenario: \"s\", severity: high, status: in-progress }\n\
threat T_mit on api { scenario: \"s\", severity: high, status: mitigated }\n\
threat T_acc on api { scenario: \"s\", severity: high, status: accepted }\n\
threat T_tr on api { scenario: \"s\", severity: high, status: transferred, justification: \"j\" }\n\
threat T_fp on api { scenario: \"s\", severity: high, status: false-positive, justification: \"j\" }\n\
threat T_exp on api { scenario: \"s\", severity: high, status: accepted, expires: 2025-01-31 }\n\
external gone { out_of_scope: true }\n\
threat T_oos on gone { scenario: \"s\", severity: high, status: accepted, expires: 2025-01-31 }\n";

    #[test]
    fn open_statuses_count_as_open_and_the_others_do_not() {
        let m = model(STATUSES);
        let open: Vec<&str> = m
            .threat_ids()
            .filter(|&t| m.counts_as_open(t))
            .map(|t| m[t].name.as_str())
            .collect();
        assert_eq!(open, ["T_open", "T_inv", "T_prog"]);
    }

    #[test]
    fn an_expired_acceptance_is_open_again_on_a_known_day_only() {
        let m = model(STATUSES);
        let day = |d: &str| parse_date(d);
        let t = threat(&m, "T_exp");
        assert!(!m.counts_as_open(t));
        assert!(!m.counts_as_open_on(t, None));
        // Valid through its `expires` day, expired from the day after.
        assert!(!m.counts_as_open_on(t, day("2025-01-31")));
        assert!(m.counts_as_open_on(t, day("2025-02-01")));
        // Out of scope stays out of scope.
        assert!(!m.counts_as_open_on(threat(&m, "T_oos"), day("2025-02-01")));
        // An acceptance without an expiry never expires; other statuses
        // are as on any day.
        for name in ["T_acc", "T_mit", "T_tr", "T_fp"] {
            assert!(
                !m.counts_as_open_on(threat(&m, name), day("2099-01-01")),
                "{name}"
            );
        }
        for name in ["T_open", "T_inv", "T_prog"] {
            assert!(
                m.counts_as_open_on(threat(&m, name), day("2099-01-01")),
                "{name}"
            );
        }
    }

    #[test]
    fn a_control_of_any_status_is_a_mitigation_and_only_implemented_or_verified_are_in_place() {
        let m = model(
            "process api\ncontrol P { status: planned }\ncontrol I { status: implemented }\n\
control V { status: verified }\ncontrol D\n\
threat T_p on api { scenario: \"s\", severity: high, controls: [P, D] }\n\
threat T_i on api { scenario: \"s\", severity: high, controls: [P, I] }\n\
threat T_v on api { scenario: \"s\", severity: high, controls: [V] }\n\
threat T_none on api { scenario: \"s\", severity: high, status: mitigated, mitigation: \"m\" }\n",
        );
        let d = m.controls.iter().find(|c| c.name == "D").unwrap();
        assert_eq!(d.status, ControlStatus::Planned);
        for (name, mitigation, in_place) in [
            ("T_p", true, false),
            ("T_i", true, true),
            ("T_v", true, true),
            ("T_none", true, false),
        ] {
            let th = &m[threat(&m, name)];
            assert_eq!(m.has_mitigation(th), mitigation, "{name}");
            assert_eq!(m.has_control_in_place(th), in_place, "{name}");
        }
    }
}
