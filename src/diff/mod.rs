//! `tmd diff`: a semantic diff of two versions of a model, keyed by IDs.
//!
//! [`diff`] compares two valid models (and their analyses) and returns a
//! [`Diff`]: per element, boundary, flow, actor and threat ID whether it was
//! added, removed or changed, with field-level changes (old value, new
//! value); header changes; and what the changes mean for the system's
//! exposure, derived from the two analyses: boundary crossings introduced
//! and removed, flows that became or stopped being reversed-initiator,
//! severity and status changes, threats newly open (and no longer open) at
//! each severity, mitigations removed from open threats, crossing flows
//! that lost encryption or authentication, elements moved out of scope,
//! STRIDE gaps opened or closed per element, and (language 0.2) sensitive
//! data that now crosses a boundary on a flow, or no longer does. The kinds of exposure
//! change are one table ([`ExposureKind`]) that every format reads.
//!
//! Only semantic values are compared: spans, comments, blank lines,
//! formatting and the order of statements never make a change. Implicit
//! flow IDs (`a->b`, `a->b#2`) depend on declaration order, so flows
//! without a written ID are matched by their endpoints and content, not by
//! their ordinal.
//!
//! The emitters ([`text`], [`markdown`], [`json`]) are pure functions from
//! a [`Diff`] to text.

pub mod comment;
mod exposure;
pub mod html;
mod json;
mod markdown;
pub mod neighbourhood;
mod text;
mod tracking;
pub mod visual;

use std::collections::{BTreeMap, BTreeSet};

pub use exposure::{
    protocol_encryption, Effect, Exposure, ExposureKind, Part, ENCRYPTED_PROTOCOLS, PLAIN_PROTOCOLS,
};
pub use json::{json, json_value};
pub use markdown::{markdown, markdown_with, parts as markdown_parts, Context, Cut, Parts};
pub use text::text;
pub use tracking::DecisionChange;

use crate::analysis::{self, Analysis};
use crate::model::*;

/// What happened to an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }

    /// `+`, `-` or `~`.
    pub fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }
}

/// A semantic value of a field.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A user string (label, description, scenario...).
    Text(String),
    /// An identifier of the model (an element, boundary, flow or actor).
    Id(String),
    /// A word from a closed set or a bare word (`high`, `process`, `DE`).
    Word(String),
    Bool(bool),
    /// Digits as written.
    Int(String),
    Date(Date),
    List(Vec<Value>),
}

impl Value {
    fn from_attr(value: &AttrValue) -> Value {
        match value {
            AttrValue::Str(s) => Value::Text(s.clone()),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Int(d) => Value::Int(d.clone()),
            AttrValue::Date(d) => Value::Date(*d),
            AttrValue::Word(w) => Value::Word(w.clone()),
            AttrValue::List(items) => Value::List(items.iter().map(Value::from_attr).collect()),
        }
    }

    /// A total order used only to compare lists as sets.
    fn sort_key(&self) -> String {
        format!("{self:?}")
    }
}

/// One field that differs: `old` is `None` when the field was absent (or
/// the entry added), `new` when it is now absent (or the entry removed).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// One element, boundary, flow, actor or threat that was added, removed or
/// changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The ID in NEW (in OLD for a removed entry).
    pub id: String,
    /// The ID in OLD when it differs: a flow whose implicit ID shifted, or
    /// that was given an ID (or lost it) with the same endpoints.
    pub old_id: Option<String>,
    pub change: Change,
    /// `external`, `process`, `store` (NEW's kind for a changed element),
    /// `boundary`, `flow`, `actor` or `threat`.
    pub kind: &'static str,
    /// For a changed entry, the fields that differ; for an added or removed
    /// one, every field it has (with the other side `None`).
    pub fields: Vec<FieldChange>,
}

impl Entry {
    /// The value of a field on the side that has it (NEW first).
    pub fn value(&self, field: &str) -> Option<&Value> {
        let f = self.fields.iter().find(|f| f.field == field)?;
        f.new.as_ref().or(f.old.as_ref())
    }
}

/// A boundary crossed in a direction, by boundary ID.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrossingRef {
    pub boundary: String,
    pub direction: analysis::Direction,
}

/// How a flow's boundary crossings changed.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossingChange {
    pub flow: String,
    /// What happened to the flow itself; `None` when only its endpoints'
    /// boundaries moved.
    pub flow_change: Option<Change>,
    /// Crossings in NEW that OLD did not have, in the order the data passes them.
    pub introduced: Vec<CrossingRef>,
    /// Crossings in OLD that NEW does not have.
    pub removed: Vec<CrossingRef>,
}

/// A flow that became, or stopped being, reversed-initiator (or a
/// reversed-initiator flow that was added or removed).
#[derive(Clone, Debug, PartialEq)]
pub struct ReversedChange {
    pub flow: String,
    pub flow_change: Option<Change>,
    /// Whether it is reversed-initiator now (false for a removed flow).
    pub reversed: bool,
}

/// A threat whose severity rose or fell. Both models with the same
/// severities (the same scale, its table edited or not): their order
/// decides; on scales with other severities, the bands do (a change of
/// words within one band is then no exposure change, only a changed
/// field).
#[derive(Clone, Debug, PartialEq)]
pub struct SeverityChange {
    pub threat: String,
    /// The bands.
    pub old: Severity,
    pub new: Severity,
    /// The words on each model's scale.
    pub old_word: String,
    pub new_word: String,
    pub rose: bool,
}

impl SeverityChange {
    pub fn rose(&self) -> bool {
        self.rose
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub threat: String,
    pub old: Status,
    pub new: Status,
}

/// Why a threat is newly open, or no longer open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpenReason {
    /// A new threat, open.
    Added,
    /// Its status went back to open.
    Reopened,
    /// Its element (or flow) is no longer out of scope.
    InScope,
    /// The threat was removed.
    Removed,
    /// Its status went to one that is not open (mitigated, accepted,
    /// transferred, false-positive).
    Status(Status),
    /// Its element (or flow) is now out of scope.
    OutOfScope,
}

impl OpenReason {
    pub fn as_str(self) -> &'static str {
        match self {
            OpenReason::Added => "added",
            OpenReason::Reopened => "reopened",
            OpenReason::InScope => "in_scope",
            OpenReason::Removed => "removed",
            OpenReason::Status(Status::Mitigated) => "mitigated",
            OpenReason::Status(Status::Accepted) => "accepted",
            OpenReason::Status(Status::Transferred) => "transferred",
            OpenReason::Status(Status::FalsePositive) => "false_positive",
            OpenReason::Status(Status::Open | Status::Investigating | Status::InProgress) => {
                "reopened"
            }
            OpenReason::OutOfScope => "out_of_scope",
        }
    }

    /// For people: "added", "reopened", "back in scope", ...
    pub fn describe(self) -> &'static str {
        match self {
            OpenReason::InScope => "back in scope",
            OpenReason::Status(Status::FalsePositive) => "false positive",
            OpenReason::OutOfScope => "now out of scope",
            other => other.as_str(),
        }
    }
}

/// A threat that became open, or stopped being open (counting only threats
/// that count: open and not on an out-of-scope element).
#[derive(Clone, Debug, PartialEq)]
pub struct OpenThreat {
    pub threat: String,
    pub title: String,
    pub target: String,
    /// The band of its severity in NEW (in OLD when it is no longer open).
    pub severity: Severity,
    /// That severity in the words of its model's scale.
    pub word: String,
    /// And its place in that scale's order.
    pub grade: Grade,
    pub reason: OpenReason,
}

/// STRIDE letters that became gaps (no threat of that letter on the
/// element) or stopped being gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct GapChange {
    pub element: String,
    pub element_change: Option<Change>,
    pub opened: Stride,
    pub closed: Stride,
}

/// What protects a flow's data in transit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protection {
    /// `encrypted: true`.
    Encrypted,
    /// `authenticated: true`.
    Authenticated,
    /// An encrypted protocol ([`protocol_encryption`]).
    Protocol,
}

impl Protection {
    pub fn as_str(self) -> &'static str {
        match self {
            Protection::Encrypted => "encrypted",
            Protection::Authenticated => "authenticated",
            Protection::Protocol => "protocol",
        }
    }
}

/// A flow's transport as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transport {
    pub protocol: Option<String>,
    pub encrypted: Option<bool>,
    pub authenticated: Option<bool>,
}

impl Transport {
    fn of(flow: &Flow) -> Transport {
        Transport {
            protocol: flow.protocol.clone(),
            encrypted: flow.encrypted,
            authenticated: flow.authenticated,
        }
    }

    /// What protects the data: the flags given as true, and an encrypted
    /// protocol.
    fn protections(&self) -> Vec<Protection> {
        let mut out = Vec::new();
        if self.encrypted == Some(true) {
            out.push(Protection::Encrypted);
        }
        if self.authenticated == Some(true) {
            out.push(Protection::Authenticated);
        }
        if self.protocol.as_deref().and_then(protocol_encryption) == Some(true) {
            out.push(Protection::Protocol);
        }
        out
    }
}

/// A flow that crosses a boundary in NEW and lost (or gained) protection:
/// `encrypted: true`, `authenticated: true`, or an encrypted protocol that
/// became a plain one (a protocol tmd cannot classify, or none, loses
/// nothing and gains nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct ProtectionChange {
    pub flow: String,
    pub flow_change: Option<Change>,
    pub lost: Vec<Protection>,
    pub gained: Vec<Protection>,
    pub old: Transport,
    pub new: Transport,
    /// The boundaries it crosses in NEW, in the order the data passes them.
    pub crossings: Vec<CrossingRef>,
}

/// An element that went out of scope (its threats stop counting) or came
/// back in.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeChange {
    pub target: String,
    /// `external`, `process`, `store` (NEW's kind).
    pub kind: &'static str,
    pub label: Option<String>,
    /// Whether it is out of scope now.
    pub out_of_scope: bool,
}

/// A threat that counts as open in NEW whose mitigation was removed (or
/// was written where there was none).
#[derive(Clone, Debug, PartialEq)]
pub struct MitigationChange {
    pub threat: String,
    pub title: String,
    pub target: String,
    /// The band of its severity in NEW.
    pub severity: Severity,
    /// That severity in the words of NEW's scale.
    pub word: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An asset that is sensitive in its model, by name, with its level.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SensitiveRef {
    pub asset: String,
    pub level: String,
}

/// A flow that now carries sensitive data across a boundary that it did
/// not carry across before (a new flow, an asset added to it or newly
/// sensitive, a flow that now crosses), or the other way round.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitiveCrossingChange {
    pub flow: String,
    pub flow_change: Option<Change>,
    /// Sensitive assets it now carries across, most sensitive first.
    pub introduced: Vec<SensitiveRef>,
    /// Sensitive assets it no longer carries across (OLD's levels).
    pub removed: Vec<SensitiveRef>,
    /// The boundaries it crosses (in NEW; in OLD for a flow that no
    /// longer crosses), in the order the data passes them.
    pub crossings: Vec<CrossingRef>,
}

/// The semantic difference between two models.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    pub header: Vec<FieldChange>,
    pub elements: Vec<Entry>,
    pub boundaries: Vec<Entry>,
    pub flows: Vec<Entry>,
    pub actors: Vec<Entry>,
    pub threats: Vec<Entry>,
    /// Controls (language 0.2).
    pub controls: Vec<Entry>,
    /// Data assets (language 0.2).
    pub assets: Vec<Entry>,
    /// Language 0.2.
    pub assumptions: Vec<Entry>,
    pub crossings: Vec<CrossingChange>,
    pub reversed: Vec<ReversedChange>,
    pub severity: Vec<SeverityChange>,
    pub status: Vec<StatusChange>,
    /// Threats open in NEW that were not open in OLD, highest severity first.
    pub opened: Vec<OpenThreat>,
    /// Threats open in OLD that are not open in NEW, highest severity first.
    pub closed: Vec<OpenThreat>,
    /// Open threats (in scope) per severity, low, medium, high: OLD, NEW.
    pub open_counts: [(usize, usize); 3],
    pub stride_gaps: Vec<GapChange>,
    /// Crossing flows that lost or gained protection, NEW's order.
    pub protection: Vec<ProtectionChange>,
    /// Elements now out of scope or back in scope, NEW's order.
    pub scope: Vec<ScopeChange>,
    /// Mitigations removed from (or added to) threats open in NEW.
    pub mitigation: Vec<MitigationChange>,
    /// Threats whose status went to accepted, transferred or
    /// false-positive (or that were added so), with who justified it.
    pub decisions: Vec<DecisionChange>,
    /// Flows that carry sensitive data across a boundary that they did
    /// not before, or no longer do (NEW's order, then removed flows).
    pub sensitive: Vec<SensitiveCrossingChange>,
}

/// The kinds of entries, for iterating in a fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Elements,
    Boundaries,
    Flows,
    Actors,
    Threats,
    /// Language 0.2.
    Controls,
    Assets,
    Assumptions,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Elements,
        Section::Boundaries,
        Section::Flows,
        Section::Actors,
        Section::Threats,
        Section::Controls,
        Section::Assets,
        Section::Assumptions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Elements => "elements",
            Section::Boundaries => "boundaries",
            Section::Flows => "flows",
            Section::Actors => "actors",
            Section::Threats => "threats",
            Section::Controls => "controls",
            Section::Assets => "assets",
            Section::Assumptions => "assumptions",
        }
    }

    /// Capitalised, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Section::Elements => "Elements",
            Section::Boundaries => "Boundaries",
            Section::Flows => "Flows",
            Section::Actors => "Actors",
            Section::Threats => "Threats",
            Section::Controls => "Controls",
            Section::Assets => "Assets",
            Section::Assumptions => "Assumptions",
        }
    }

    /// Singular noun.
    pub fn noun(self) -> &'static str {
        match self {
            Section::Elements => "element",
            Section::Boundaries => "boundary",
            Section::Flows => "flow",
            Section::Actors => "actor",
            Section::Threats => "threat",
            Section::Controls => "control",
            Section::Assets => "asset",
            Section::Assumptions => "assumption",
        }
    }
}

/// Severities from high to low.
pub const SEVERITIES_DESC: [Severity; 3] = [Severity::High, Severity::Medium, Severity::Low];

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Low => 0,
        Severity::Medium => 1,
        Severity::High => 2,
    }
}

impl Diff {
    /// Whether anything semantic changed.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && Section::ALL.iter().all(|&s| self.entries(s).is_empty())
            && self.crossings.is_empty()
            && self.reversed.is_empty()
            && self.severity.is_empty()
            && self.status.is_empty()
            && self.opened.is_empty()
            && self.closed.is_empty()
            && self.stride_gaps.is_empty()
            && self.protection.is_empty()
            && self.scope.is_empty()
            && self.mitigation.is_empty()
            && self.decisions.is_empty()
            && self.sensitive.is_empty()
    }

    pub fn entries(&self, section: Section) -> &[Entry] {
        match section {
            Section::Elements => &self.elements,
            Section::Boundaries => &self.boundaries,
            Section::Flows => &self.flows,
            Section::Actors => &self.actors,
            Section::Threats => &self.threats,
            Section::Controls => &self.controls,
            Section::Assets => &self.assets,
            Section::Assumptions => &self.assumptions,
        }
    }

    /// Header fields changed plus entries added, removed or changed.
    pub fn change_count(&self) -> usize {
        self.header.len()
            + Section::ALL
                .iter()
                .map(|&s| self.entries(s).len())
                .sum::<usize>()
    }

    /// How many entries of a section had a change.
    pub fn count(&self, section: Section, change: Change) -> usize {
        self.entries(section)
            .iter()
            .filter(|e| e.change == change)
            .count()
    }

    /// What happened to an element in NEW or OLD, by ID (`None`: unchanged
    /// or unknown). For the visual diff.
    pub fn element_change(&self, id: &str) -> Option<Change> {
        find_change(&self.elements, id)
    }

    pub fn boundary_change(&self, id: &str) -> Option<Change> {
        find_change(&self.boundaries, id)
    }

    /// By NEW's flow ID (or OLD's for a removed flow).
    pub fn flow_change(&self, id: &str) -> Option<Change> {
        find_change(&self.flows, id)
    }

    pub fn threat_change(&self, id: &str) -> Option<Change> {
        find_change(&self.threats, id)
    }

    /// Open threats (in scope) at a severity, in OLD and in NEW.
    pub fn open_count(&self, severity: Severity) -> (usize, usize) {
        self.open_counts
            .get(sev_index(severity))
            .copied()
            .unwrap_or((0, 0))
    }
}

fn find_change(entries: &[Entry], id: &str) -> Option<Change> {
    // A removed entry may share its ID with an added or matched one (implicit
    // flow IDs shift); the entry of NEW wins.
    let mut found = None;
    for e in entries.iter().filter(|e| e.id == id) {
        if e.change != Change::Removed {
            return Some(e.change);
        }
        found = Some(e.change);
    }
    found
}

// ---------------------------------------------------------------------------
// Field snapshots
// ---------------------------------------------------------------------------

/// The semantic fields of one entry, in canonical order, absent fields left out.
type Fields = Vec<(String, Value)>;

const ELEMENT_FIELDS: &[&str] = &[
    "kind",
    "label",
    "boundary",
    "description",
    "tech",
    "owner",
    "out_of_scope",
    "assets",
];
const BOUNDARY_FIELDS: &[&str] = &["label", "parent", "kind", "description"];
const FLOW_FIELDS: &[&str] = &[
    "source",
    "target",
    "label",
    "initiator",
    "response_to",
    "protocol",
    "encrypted",
    "authenticated",
    "data",
    "assets",
    "description",
];
const ACTOR_FIELDS: &[&str] = &["label", "description"];
const ASSUMPTION_FIELDS: &[&str] = &["statement", "status", "owner", "for", "description"];
const THREAT_FIELDS: &[&str] = &[
    "title",
    "target",
    "actor",
    "scenario",
    "stride",
    "ease",
    "impact",
    "severity",
    "mitigation",
    "remediation",
    "status",
    "justification",
    "owner",
    "ticket",
    "reviewed_by",
    "reviewed_on",
    "expires",
    "controls",
];
const HEADER_FIELDS: &[&str] = &[
    "title",
    "scope",
    "author",
    "created",
    "updated",
    "version",
    "direction",
    "classification",
    "sensitive",
];
const ASSET_FIELDS: &[&str] = &[
    "label",
    "classification",
    "confidentiality",
    "integrity",
    "availability",
    "description",
];

fn push_attributes(fields: &mut Fields, attributes: &Attributes, skip: &[&str]) {
    for (key, value) in attributes {
        if !skip.contains(&key.as_str()) {
            fields.push((key.clone(), Value::from_attr(value)));
        }
    }
}

fn txt(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn id(s: &str) -> Value {
    Value::Id(s.to_string())
}

fn word(s: &str) -> Value {
    Value::Word(s.to_string())
}

fn element_fields(m: &Model, e: ElementId) -> Fields {
    let el = &m[e];
    let mut f = vec![
        ("kind".to_string(), word(el.kind.as_str())),
        ("label".to_string(), txt(&el.label)),
    ];
    if let Some(b) = el.boundary {
        f.push(("boundary".to_string(), id(&m[b].name)));
    }
    // `out_of_scope: false` written or not is the same thing.
    push_attributes(&mut f, &el.attributes, &["out_of_scope"]);
    f.push(("out_of_scope".to_string(), Value::Bool(el.out_of_scope)));
    push_assets(&mut f, m, &el.assets);
    f
}

/// `assets` (language 0.2), when there are any: asset IDs, compared as a
/// set ([`same`]).
fn push_assets(fields: &mut Fields, m: &Model, assets: &[AssetId]) {
    if !assets.is_empty() {
        let ids = assets.iter().map(|&a| id(&m[a].name)).collect();
        fields.push(("assets".to_string(), Value::List(ids)));
    }
}

fn asset_fields(m: &Model, a: AssetId) -> Fields {
    let asset = &m[a];
    let mut f = vec![
        ("label".to_string(), txt(&asset.label)),
        ("classification".to_string(), word(m.classification_of(a))),
    ];
    for (key, rating) in [
        ("confidentiality", asset.confidentiality),
        ("integrity", asset.integrity),
        ("availability", asset.availability),
    ] {
        if let Some(r) = rating {
            f.push((key.to_string(), word(r.as_str())));
        }
    }
    push_attributes(&mut f, &asset.attributes, &[]);
    f
}

fn boundary_fields(m: &Model, b: BoundaryId) -> Fields {
    let bd = &m[b];
    let mut f = vec![("label".to_string(), txt(&bd.label))];
    if let Some(p) = bd.parent {
        f.push(("parent".to_string(), id(&m[p].name)));
    }
    // Language 0.2: `kind` (a word, or a string of the model's own),
    // `description`, `x_` keys.
    push_attributes(&mut f, &bd.attributes, &[]);
    f
}

fn flow_fields(m: &Model, fl: FlowId) -> Fields {
    let flow = &m[fl];
    let mut f = vec![
        ("source".to_string(), id(&m[flow.source].name)),
        ("target".to_string(), id(&m[flow.target].name)),
    ];
    if let Some(label) = &flow.label {
        f.push(("label".to_string(), txt(label)));
    }
    // Compared as the element that opens the connection: `initiator: SOURCE`
    // written or not is the same thing.
    f.push((
        "initiator".to_string(),
        id(&m[flow.initiator_element()].name),
    ));
    // A request always has a written ID, the same on both sides.
    if let Some(request) = flow.response_to {
        f.push(("response_to".to_string(), id(&m[request].name)));
    }
    push_attributes(&mut f, &flow.attributes, &["initiator", "response_to"]);
    push_assets(&mut f, m, &flow.assets);
    f
}

fn actor_fields(m: &Model, a: ActorId) -> Fields {
    let actor = &m[a];
    let mut f = vec![("label".to_string(), txt(&actor.label))];
    push_attributes(&mut f, &actor.attributes, &[]);
    f
}

/// `flow_name` names a flow target in NEW's terms (so that a flow matched
/// under another ID is the same target).
fn threat_fields(m: &Model, t: ThreatId, flow_name: &dyn Fn(FlowId) -> String) -> Fields {
    let th = &m[t];
    let mut targets: Vec<Value> = th
        .targets
        .iter()
        .map(|&t| match t {
            Target::Flow(f) => id(&flow_name(f)),
            other => id(m.target_name(other)),
        })
        .collect();
    let mut f = vec![("title".to_string(), txt(&th.title))];
    // One target as in language 0.1; several as a list; none: no field.
    match targets.len() {
        0 => {}
        1 => f.push(("target".to_string(), targets.remove(0))),
        _ => f.push(("target".to_string(), Value::List(targets))),
    }
    if let Some(a) = th.actor {
        f.push(("actor".to_string(), id(&m[a].name)));
    }
    f.push(("scenario".to_string(), txt(&th.scenario)));
    if let Some(s) = th.stride {
        f.push(("stride".to_string(), word(&s.to_string())));
    }
    // The levels under the scale's axis names (`ease` and `impact` on the
    // primer's), the severity in its words.
    if let Some(r) = th.rating {
        let scale = &m.scale;
        f.push((
            scale.columns.name.clone(),
            word(scale.columns.level(r.column)),
        ));
        f.push((scale.rows.name.clone(), word(scale.rows.level(r.row))));
    }
    f.push(("severity".to_string(), word(m.scale.word(th.grade))));
    if let Some(mit) = &th.mitigation {
        f.push(("mitigation".to_string(), txt(mit)));
    }
    if let Some(r) = th.remediation {
        f.push(("remediation".to_string(), word(r.as_str())));
    }
    f.push(("status".to_string(), word(th.status.as_str())));
    tracking::threat_fields(&mut f, m, th);
    push_attributes(&mut f, &th.attributes, &[]);
    f
}

/// `flow_name` names a flow in NEW's terms, as for threats.
fn assumption_fields(m: &Model, a: AssumptionId, flow_name: &dyn Fn(FlowId) -> String) -> Fields {
    let assumption = &m[a];
    let mut f = vec![
        ("statement".to_string(), txt(&assumption.label)),
        // Unverified when not given: writing the default is no change.
        ("status".to_string(), word(assumption.status.as_str())),
    ];
    if let Some(owner) = &assumption.owner {
        f.push(("owner".to_string(), txt(owner)));
    }
    if !assumption.dependents.is_empty() {
        let names = assumption
            .dependents
            .iter()
            .map(|&d| match d {
                Dependent::Target(Target::Flow(fl)) => id(&flow_name(fl)),
                other => id(m.dependent_name(other)),
            })
            .collect();
        f.push(("for".to_string(), Value::List(names)));
    }
    push_attributes(&mut f, &assumption.attributes, &["status", "owner"]);
    f
}

fn header_fields(model: &Model) -> Fields {
    let meta = &model.meta;
    let mut f = Vec::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            f.push((k.to_string(), v));
        }
    };
    put("title", meta.title.as_deref().map(txt));
    put("scope", meta.scope.as_deref().map(txt));
    put("author", meta.author.as_deref().map(txt));
    put("created", meta.created.map(Value::Date));
    put("updated", meta.updated.map(Value::Date));
    put("version", meta.version.as_deref().map(txt));
    // Top-down when not given: writing the default is no change.
    put("direction", Some(word(meta.direction().as_str())));
    let list = |items: &[String]| {
        (!items.is_empty()).then(|| Value::List(items.iter().map(|i| txt(i)).collect()))
    };
    put("reviewers", list(&meta.reviewers));
    put("contributors", list(&meta.contributors));
    put("link", meta.link.as_deref().map(txt));
    // As the model declares them (language 0.2); what they do to the
    // assets shows as sensitive data that now crosses, or no longer does.
    put(
        "classification",
        meta.classification
            .as_ref()
            .map(|levels| Value::List(levels.iter().map(|l| word(l)).collect())),
    );
    put("sensitive", meta.sensitive.as_deref().map(word));
    // The risk scale: none for the primer's (the default); a declared
    // one's axes, severities and rows, so that an edited table shows.
    let scale = &model.scale;
    put("risk", (!scale.is_primer()).then(|| word(&scale.name)));
    if scale.builtin.is_none() {
        put("scale axes", Some(txt(&scale.axes_text())));
        put("scale severities", Some(txt(&scale.severities_text())));
        for (level, row) in scale.rows_text() {
            put(&format!("scale row {level}"), Some(txt(&row)));
        }
    }
    f
}

fn get<'a>(fields: &'a Fields, key: &str) -> Option<&'a Value> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Whether two values of a field mean the same. `data`, `assets` and an
/// assumption's `for` are sets of items.
fn same(key: &str, a: Option<&Value>, b: Option<&Value>) -> bool {
    match (key, a, b) {
        ("data" | "assets" | "for", Some(Value::List(x)), Some(Value::List(y))) => {
            let mut x: Vec<String> = x.iter().map(Value::sort_key).collect();
            let mut y: Vec<String> = y.iter().map(Value::sort_key).collect();
            x.sort();
            y.sort();
            x.dedup();
            y.dedup();
            x == y
        }
        _ => a == b,
    }
}

/// The fields that differ, known fields in `order`, then others (`x_`
/// keys) by name.
fn compare(old: &Fields, new: &Fields, order: &[&str]) -> Vec<FieldChange> {
    let rank = |k: &str| order.iter().position(|x| *x == k).unwrap_or(order.len());
    let mut keys: Vec<&str> = old.iter().chain(new).map(|(k, _)| k.as_str()).collect();
    keys.sort_by(|a, b| (rank(a), *a).cmp(&(rank(b), *b)));
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (get(old, k), get(new, k));
            (!same(k, o, n)).then(|| FieldChange {
                field: k.to_string(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

fn one_sided(fields: Fields, added: bool) -> Vec<FieldChange> {
    fields
        .into_iter()
        .map(|(field, v)| {
            let (old, new) = if added {
                (None, Some(v))
            } else {
                (Some(v), None)
            };
            FieldChange { field, old, new }
        })
        .collect()
}

/// Implicit flow IDs hold `->`, which no written identifier can.
fn is_implicit(id: &str) -> bool {
    id.contains("->")
}

/// One side of a comparison: ID, kind and fields.
struct Side {
    id: String,
    kind: &'static str,
    fields: Fields,
}

/// Entries for NEW's items in order (each with its matched OLD item, if
/// any), then OLD's unmatched items in order.
fn entries(matched: Vec<(Side, Option<Side>)>, removed: Vec<Side>, order: &[&str]) -> Vec<Entry> {
    let mut out = Vec::new();
    for (new, old) in matched {
        match old {
            Some(old) => {
                let fields = compare(&old.fields, &new.fields, order);
                // An implicit flow ID that shifted (`a->b#2` to `a->b`) is
                // no change by itself; a written ID that appeared or went is.
                let renamed = old.id != new.id && !(is_implicit(&old.id) && is_implicit(&new.id));
                if !fields.is_empty() || renamed {
                    out.push(Entry {
                        old_id: (old.id != new.id).then_some(old.id),
                        id: new.id,
                        change: Change::Changed,
                        kind: new.kind,
                        fields,
                    });
                }
            }
            None => out.push(Entry {
                id: new.id,
                old_id: None,
                change: Change::Added,
                kind: new.kind,
                fields: one_sided(new.fields, true),
            }),
        }
    }
    for old in removed {
        out.push(Entry {
            id: old.id,
            old_id: None,
            change: Change::Removed,
            kind: old.kind,
            fields: one_sided(old.fields, false),
        });
    }
    out
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/// Which OLD index each NEW index is matched with, and back.
struct Matching {
    new_to_old: Vec<Option<usize>>,
    old_to_new: Vec<Option<usize>>,
}

impl Matching {
    fn new(old_len: usize, new_len: usize) -> Matching {
        Matching {
            new_to_old: vec![None; new_len],
            old_to_new: vec![None; old_len],
        }
    }

    fn pair(&mut self, old: usize, new: usize) {
        if let (Some(n), Some(o)) = (self.new_to_old.get_mut(new), self.old_to_new.get_mut(old)) {
            *n = Some(old);
            *o = Some(new);
        }
    }

    fn old_of(&self, new: usize) -> Option<usize> {
        self.new_to_old.get(new).copied().flatten()
    }

    fn new_of(&self, old: usize) -> Option<usize> {
        self.old_to_new.get(old).copied().flatten()
    }

    fn by_name<'a>(
        old: impl Iterator<Item = &'a str>,
        new: impl Iterator<Item = &'a str>,
        old_len: usize,
        new_len: usize,
    ) -> Matching {
        let mut m = Matching::new(old_len, new_len);
        let index: BTreeMap<&str, usize> = old.enumerate().map(|(i, n)| (n, i)).collect();
        for (i, name) in new.enumerate() {
            if let Some(&o) = index.get(name) {
                m.pair(o, i);
            }
        }
        m
    }
}

/// Flows: written IDs by name; flows without an ID by endpoints, identical
/// content first, then in declaration order; then a flow that gained or
/// lost its ID, when its endpoints leave no doubt.
fn match_flows(old: &Model, new: &Model) -> Matching {
    let mut m = Matching::new(old.flows.len(), new.flows.len());
    let old_explicit: BTreeMap<&str, usize> = old
        .flows
        .iter()
        .enumerate()
        .filter(|(_, f)| f.explicit)
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    for (i, f) in new.flows.iter().enumerate().filter(|(_, f)| f.explicit) {
        if let Some(&o) = old_explicit.get(f.name.as_str()) {
            m.pair(o, i);
        }
    }
    let ends =
        |model: &Model, f: &Flow| (model[f.source].name.clone(), model[f.target].name.clone());
    let mut old_groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in old.flows.iter().enumerate().filter(|(_, f)| !f.explicit) {
        old_groups.entry(ends(old, f)).or_default().push(i);
    }
    let mut new_groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in new.flows.iter().enumerate().filter(|(_, f)| !f.explicit) {
        new_groups.entry(ends(new, f)).or_default().push(i);
    }
    for (key, news) in &new_groups {
        let Some(olds) = old_groups.get(key) else {
            continue;
        };
        // Identical content first (a reordering), then the rest in order.
        for &n in news {
            let nf = flow_fields(new, FlowId::from_index(n));
            let hit = olds.iter().copied().find(|&o| {
                m.new_of(o).is_none()
                    && compare(&flow_fields(old, FlowId::from_index(o)), &nf, FLOW_FIELDS)
                        .is_empty()
            });
            if let Some(o) = hit {
                m.pair(o, n);
            }
        }
        let free_old: Vec<usize> = olds
            .iter()
            .copied()
            .filter(|&o| m.new_of(o).is_none())
            .collect();
        let mut free_old = free_old.into_iter();
        for &n in news {
            if m.old_of(n).is_none() {
                match free_old.next() {
                    Some(o) => m.pair(o, n),
                    None => break,
                }
            }
        }
    }
    // A flow given an ID (or losing it): one unmatched flow on each side
    // with the same endpoints, at least one of them without a written ID.
    let mut old_free: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in old.flows.iter().enumerate() {
        if m.new_of(i).is_none() {
            old_free.entry(ends(old, f)).or_default().push(i);
        }
    }
    let mut new_free: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in new.flows.iter().enumerate() {
        if m.old_of(i).is_none() {
            new_free.entry(ends(new, f)).or_default().push(i);
        }
    }
    for (key, news) in &new_free {
        if let (Some(olds), [n]) = (old_free.get(key), news.as_slice()) {
            if let [o] = olds.as_slice() {
                let either_implicit = old.flows.get(*o).is_some_and(|f| !f.explicit)
                    || new.flows.get(*n).is_some_and(|f| !f.explicit);
                if either_implicit {
                    m.pair(*o, *n);
                }
            }
        }
    }
    m
}

// ---------------------------------------------------------------------------
// The diff
// ---------------------------------------------------------------------------

/// A threat counts as open: open, and not on an out-of-scope element.
fn counted_open(m: &Model, t: ThreatId) -> bool {
    m.counts_as_open(t)
}

/// The sensitive assets a flow carries across a boundary, most sensitive
/// first; none when it crosses none.
fn sensitive_across(m: &Model, a: &Analysis, f: FlowId) -> Vec<SensitiveRef> {
    if a.flow(f).crossings.is_empty() {
        return Vec::new();
    }
    let mut assets: Vec<AssetId> = m[f]
        .assets
        .iter()
        .copied()
        .filter(|&x| m.is_sensitive(x))
        .collect();
    m.sort_by_sensitivity(&mut assets);
    assets
        .into_iter()
        .map(|x| SensitiveRef {
            asset: m[x].name.clone(),
            level: m.classification_of(x).to_string(),
        })
        .collect()
}

fn crossing_refs(m: &Model, a: &Analysis, f: FlowId) -> Vec<CrossingRef> {
    a.flow(f)
        .crossings
        .iter()
        .map(|c| CrossingRef {
            boundary: m[c.boundary].name.clone(),
            direction: c.direction,
        })
        .collect()
}

/// Compares two valid models. Deterministic: entries follow NEW's
/// declaration order, then removed ones in OLD's order.
pub fn diff(old: (&Model, &Analysis), new: (&Model, &Analysis)) -> Diff {
    let ((om, oa), (nm, na)) = (old, new);
    let mut d = Diff {
        header: compare(&header_fields(om), &header_fields(nm), HEADER_FIELDS),
        ..Diff::default()
    };

    // Elements.
    let em = Matching::by_name(
        om.elements.iter().map(|e| e.name.as_str()),
        nm.elements.iter().map(|e| e.name.as_str()),
        om.elements.len(),
        nm.elements.len(),
    );
    let element_side = |m: &Model, e: ElementId| Side {
        id: m[e].name.clone(),
        kind: m[e].kind.as_str(),
        fields: element_fields(m, e),
    };
    d.elements = entries(
        nm.element_ids()
            .map(|e| {
                (
                    element_side(nm, e),
                    em.old_of(e.index())
                        .map(|o| element_side(om, ElementId::from_index(o))),
                )
            })
            .collect(),
        om.element_ids()
            .filter(|e| em.new_of(e.index()).is_none())
            .map(|e| element_side(om, e))
            .collect(),
        ELEMENT_FIELDS,
    );

    // Boundaries.
    let bm = Matching::by_name(
        om.boundaries.iter().map(|b| b.name.as_str()),
        nm.boundaries.iter().map(|b| b.name.as_str()),
        om.boundaries.len(),
        nm.boundaries.len(),
    );
    let boundary_side = |m: &Model, b: BoundaryId| Side {
        id: m[b].name.clone(),
        kind: "boundary",
        fields: boundary_fields(m, b),
    };
    d.boundaries = entries(
        nm.boundary_ids()
            .map(|b| {
                (
                    boundary_side(nm, b),
                    bm.old_of(b.index())
                        .map(|o| boundary_side(om, BoundaryId::from_index(o))),
                )
            })
            .collect(),
        om.boundary_ids()
            .filter(|b| bm.new_of(b.index()).is_none())
            .map(|b| boundary_side(om, b))
            .collect(),
        BOUNDARY_FIELDS,
    );

    // Flows.
    let fm = match_flows(om, nm);
    let flow_side = |m: &Model, f: FlowId| Side {
        id: m[f].name.clone(),
        kind: "flow",
        fields: flow_fields(m, f),
    };
    d.flows = entries(
        nm.flow_ids()
            .map(|f| {
                (
                    flow_side(nm, f),
                    fm.old_of(f.index())
                        .map(|o| flow_side(om, FlowId::from_index(o))),
                )
            })
            .collect(),
        om.flow_ids()
            .filter(|f| fm.new_of(f.index()).is_none())
            .map(|f| flow_side(om, f))
            .collect(),
        FLOW_FIELDS,
    );

    // Actors (the built-in ones never change).
    let am = Matching::by_name(
        om.actors.iter().map(|a| a.name.as_str()),
        nm.actors.iter().map(|a| a.name.as_str()),
        om.actors.len(),
        nm.actors.len(),
    );
    let actor_side = |m: &Model, a: ActorId| Side {
        id: m[a].name.clone(),
        kind: "actor",
        fields: actor_fields(m, a),
    };
    d.actors = entries(
        nm.actor_ids()
            .filter(|&a| !nm[a].builtin)
            .map(|a| {
                (
                    actor_side(nm, a),
                    am.old_of(a.index())
                        .map(|o| actor_side(om, ActorId::from_index(o))),
                )
            })
            .collect(),
        om.actor_ids()
            .filter(|&a| !om[a].builtin && am.new_of(a.index()).is_none())
            .map(|a| actor_side(om, a))
            .collect(),
        ACTOR_FIELDS,
    );

    // Threats; a flow target is named in NEW's terms.
    let tm = Matching::by_name(
        om.threats.iter().map(|t| t.name.as_str()),
        nm.threats.iter().map(|t| t.name.as_str()),
        om.threats.len(),
        nm.threats.len(),
    );
    let old_flow_name = |f: FlowId| match fm.new_of(f.index()) {
        Some(n) => nm[FlowId::from_index(n)].name.clone(),
        None => om[f].name.clone(),
    };
    let new_flow_name = |f: FlowId| nm[f].name.clone();
    let threat_side = |m: &Model, t: ThreatId, names: &dyn Fn(FlowId) -> String| Side {
        id: m[t].name.clone(),
        kind: "threat",
        fields: threat_fields(m, t, names),
    };
    // The axes of both scales where `ease` and `impact` stand.
    let mut threat_order: Vec<&str> = Vec::with_capacity(THREAT_FIELDS.len() + 4);
    for field in THREAT_FIELDS {
        if *field == "ease" {
            for axis in nm.scale.axis_keys().into_iter().chain(om.scale.axis_keys()) {
                if !threat_order.contains(&axis) {
                    threat_order.push(axis);
                }
            }
        } else if *field != "impact" {
            threat_order.push(field);
        }
    }
    d.threats = entries(
        nm.threat_ids()
            .map(|t| {
                (
                    threat_side(nm, t, &new_flow_name),
                    tm.old_of(t.index())
                        .map(|o| threat_side(om, ThreatId::from_index(o), &old_flow_name)),
                )
            })
            .collect(),
        om.threat_ids()
            .filter(|t| tm.new_of(t.index()).is_none())
            .map(|t| threat_side(om, t, &old_flow_name))
            .collect(),
        &threat_order,
    );

    // Controls, and the threats' status decisions (language 0.2).
    d.controls = tracking::controls(om, nm);
    d.decisions = tracking::decisions(om, nm, &tm, &new_flow_name);
    // Data assets (language 0.2).
    let asm = Matching::by_name(
        om.assets.iter().map(|a| a.name.as_str()),
        nm.assets.iter().map(|a| a.name.as_str()),
        om.assets.len(),
        nm.assets.len(),
    );
    let asset_side = |m: &Model, a: AssetId| Side {
        id: m[a].name.clone(),
        kind: "asset",
        fields: asset_fields(m, a),
    };
    d.assets = entries(
        nm.asset_ids()
            .map(|a| {
                (
                    asset_side(nm, a),
                    asm.old_of(a.index())
                        .map(|o| asset_side(om, AssetId::from_index(o))),
                )
            })
            .collect(),
        om.asset_ids()
            .filter(|a| asm.new_of(a.index()).is_none())
            .map(|a| asset_side(om, a))
            .collect(),
        ASSET_FIELDS,
    );

    // Assumptions (language 0.2); a flow they rest on is named in NEW's
    // terms.
    let asm = Matching::by_name(
        om.assumptions.iter().map(|a| a.name.as_str()),
        nm.assumptions.iter().map(|a| a.name.as_str()),
        om.assumptions.len(),
        nm.assumptions.len(),
    );
    let assumption_side = |m: &Model, a: AssumptionId, names: &dyn Fn(FlowId) -> String| Side {
        id: m[a].name.clone(),
        kind: "assumption",
        fields: assumption_fields(m, a, names),
    };
    d.assumptions = entries(
        nm.assumption_ids()
            .map(|a| {
                (
                    assumption_side(nm, a, &new_flow_name),
                    asm.old_of(a.index())
                        .map(|o| assumption_side(om, AssumptionId::from_index(o), &old_flow_name)),
                )
            })
            .collect(),
        om.assumption_ids()
            .filter(|a| asm.new_of(a.index()).is_none())
            .map(|a| assumption_side(om, a, &old_flow_name))
            .collect(),
        ASSUMPTION_FIELDS,
    );

    // Crossings and reversed-initiator flows.
    let flow_entry = |id: &str| find_change(&d.flows, id).filter(|c| *c != Change::Removed);
    for f in nm.flow_ids() {
        let new_refs = crossing_refs(nm, na, f);
        let old_flow = fm.old_of(f.index()).map(FlowId::from_index);
        let old_refs = old_flow
            .map(|o| crossing_refs(om, oa, o))
            .unwrap_or_default();
        let introduced: Vec<CrossingRef> = new_refs
            .iter()
            .filter(|c| !old_refs.contains(c))
            .cloned()
            .collect();
        let removed: Vec<CrossingRef> = old_refs
            .iter()
            .filter(|c| !new_refs.contains(c))
            .cloned()
            .collect();
        let name = &nm[f].name;
        let change = if old_flow.is_some() {
            flow_entry(name)
        } else {
            Some(Change::Added)
        };
        if !introduced.is_empty() || !removed.is_empty() {
            d.crossings.push(CrossingChange {
                flow: name.clone(),
                flow_change: change,
                introduced,
                removed,
            });
        }
        if let Some(o) = old_flow.filter(|_| !new_refs.is_empty()) {
            let (old_t, new_t) = (Transport::of(&om[o]), Transport::of(&nm[f]));
            let (was, is) = (old_t.protections(), new_t.protections());
            let lost: Vec<Protection> = was.iter().filter(|p| !is.contains(p)).copied().collect();
            let gained: Vec<Protection> = is.iter().filter(|p| !was.contains(p)).copied().collect();
            // A protocol loses its protection only to a known plain one.
            let plain_now = new_t.protocol.as_deref().and_then(protocol_encryption) == Some(false);
            let plain_before =
                old_t.protocol.as_deref().and_then(protocol_encryption) == Some(false);
            let keep = |p: &&Protection, plain: bool| **p != Protection::Protocol || plain;
            let lost: Vec<Protection> = lost
                .iter()
                .filter(|p| keep(p, plain_now))
                .copied()
                .collect();
            let gained: Vec<Protection> = gained
                .iter()
                .filter(|p| keep(p, plain_before))
                .copied()
                .collect();
            if !lost.is_empty() || !gained.is_empty() {
                d.protection.push(ProtectionChange {
                    flow: name.clone(),
                    flow_change: change,
                    lost,
                    gained,
                    old: old_t,
                    new: new_t,
                    crossings: new_refs.clone(),
                });
            }
        }
        let now = na.flow(f).reversed;
        let before = old_flow.is_some_and(|o| oa.flow(o).reversed);
        if now != before {
            d.reversed.push(ReversedChange {
                flow: name.clone(),
                flow_change: change,
                reversed: now,
            });
        }
    }
    for f in nm.flow_ids() {
        let old_flow = fm.old_of(f.index()).map(FlowId::from_index);
        let now = sensitive_across(nm, na, f);
        let before = old_flow
            .map(|o| sensitive_across(om, oa, o))
            .unwrap_or_default();
        let introduced: Vec<SensitiveRef> = now
            .iter()
            .filter(|r| !before.iter().any(|b| b.asset == r.asset))
            .cloned()
            .collect();
        let removed: Vec<SensitiveRef> = before
            .iter()
            .filter(|r| !now.iter().any(|b| b.asset == r.asset))
            .cloned()
            .collect();
        if !introduced.is_empty() || !removed.is_empty() {
            let name = &nm[f].name;
            let crossings = match (crossing_refs(nm, na, f), old_flow) {
                (now, Some(o)) if now.is_empty() => crossing_refs(om, oa, o),
                (now, _) => now,
            };
            d.sensitive.push(SensitiveCrossingChange {
                flow: name.clone(),
                flow_change: if old_flow.is_some() {
                    flow_entry(name)
                } else {
                    Some(Change::Added)
                },
                introduced,
                removed,
                crossings,
            });
        }
    }
    for f in om.flow_ids().filter(|f| fm.new_of(f.index()).is_none()) {
        let before = sensitive_across(om, oa, f);
        if !before.is_empty() {
            d.sensitive.push(SensitiveCrossingChange {
                flow: om[f].name.clone(),
                flow_change: Some(Change::Removed),
                introduced: Vec::new(),
                removed: before,
                crossings: crossing_refs(om, oa, f),
            });
        }
    }
    for f in om.flow_ids().filter(|f| fm.new_of(f.index()).is_none()) {
        let removed = crossing_refs(om, oa, f);
        if !removed.is_empty() {
            d.crossings.push(CrossingChange {
                flow: om[f].name.clone(),
                flow_change: Some(Change::Removed),
                introduced: Vec::new(),
                removed,
            });
        }
        if oa.flow(f).reversed {
            d.reversed.push(ReversedChange {
                flow: om[f].name.clone(),
                flow_change: Some(Change::Removed),
                reversed: false,
            });
        }
    }

    // Severity, status, open threats. Severities compare in the scale's
    // order when both models have the same ones, else by band.
    let same_severities = om.scale.same_severities(&nm.scale);
    for t in nm.threat_ids() {
        let th = &nm[t];
        let old_t = tm.old_of(t.index()).map(ThreatId::from_index);
        if let Some(o) = old_t {
            let oth = &om[o];
            let moved = if same_severities {
                th.grade.cmp(&oth.grade)
            } else {
                th.severity.cmp(&oth.severity)
            };
            if moved != std::cmp::Ordering::Equal {
                d.severity.push(SeverityChange {
                    threat: th.name.clone(),
                    old: oth.severity,
                    new: th.severity,
                    old_word: om.scale.word(oth.grade).to_string(),
                    new_word: nm.scale.word(th.grade).to_string(),
                    rose: moved == std::cmp::Ordering::Greater,
                });
            }
            if oth.status != th.status {
                d.status.push(StatusChange {
                    threat: th.name.clone(),
                    old: oth.status,
                    new: th.status,
                });
            }
            // A blank mitigation is none (lowering makes it None).
            if oth.mitigation.is_some() != th.mitigation.is_some() && counted_open(nm, t) {
                d.mitigation.push(MitigationChange {
                    threat: th.name.clone(),
                    title: th.title.clone(),
                    target: targets_text(nm, t, &|f| nm[f].name.clone()),
                    severity: th.severity,
                    word: nm.scale.word(th.grade).to_string(),
                    old: oth.mitigation.clone(),
                    new: th.mitigation.clone(),
                });
            }
        }
        let open_now = counted_open(nm, t);
        let open_before = old_t.is_some_and(|o| counted_open(om, o));
        let reason = match old_t {
            None => OpenReason::Added,
            Some(o) if !om[o].is_open() => OpenReason::Reopened,
            Some(_) => OpenReason::InScope,
        };
        if open_now && !open_before {
            d.opened.push(OpenThreat {
                threat: th.name.clone(),
                title: th.title.clone(),
                target: targets_text(nm, t, &|f| nm[f].name.clone()),
                severity: th.severity,
                word: nm.scale.word(th.grade).to_string(),
                grade: th.grade,
                reason,
            });
        }
        if let Some(o) = old_t {
            if open_before && !open_now {
                let reason = if th.is_open() {
                    OpenReason::OutOfScope
                } else {
                    OpenReason::Status(th.status)
                };
                d.closed.push(OpenThreat {
                    threat: om[o].name.clone(),
                    title: om[o].title.clone(),
                    target: old_flow_target_name(om, o, &old_flow_name),
                    severity: om[o].severity,
                    word: om.scale.word(om[o].grade).to_string(),
                    grade: om[o].grade,
                    reason,
                });
            }
        }
    }
    for t in om.threat_ids().filter(|t| tm.new_of(t.index()).is_none()) {
        if counted_open(om, t) {
            d.closed.push(OpenThreat {
                threat: om[t].name.clone(),
                title: om[t].title.clone(),
                target: old_flow_target_name(om, t, &old_flow_name),
                severity: om[t].severity,
                word: om.scale.word(om[t].grade).to_string(),
                grade: om[t].grade,
                reason: OpenReason::Removed,
            });
        }
    }
    // Highest severity first (opened threats are all NEW's, closed ones all
    // OLD's: each list is on one scale); stable, so declaration order
    // within one.
    d.opened
        .sort_by_key(|o| std::cmp::Reverse((o.severity, o.grade)));
    d.closed
        .sort_by_key(|o| std::cmp::Reverse((o.severity, o.grade)));
    for (m, side) in [(om, 0), (nm, 1)] {
        for t in m.threat_ids().filter(|&t| counted_open(m, t)) {
            if let Some(slot) = d.open_counts.get_mut(sev_index(m[t].severity)) {
                if side == 0 {
                    slot.0 += 1;
                } else {
                    slot.1 += 1;
                }
            }
        }
    }

    // STRIDE gaps, and scope.
    for e in nm.element_ids() {
        let now = na.element(e).stride_gaps;
        let old_e = em.old_of(e.index()).map(ElementId::from_index);
        if let Some(o) = old_e {
            if om[o].out_of_scope != nm[e].out_of_scope {
                d.scope.push(ScopeChange {
                    target: nm[e].name.clone(),
                    kind: nm[e].kind.as_str(),
                    label: Some(nm[e].label.clone()),
                    out_of_scope: nm[e].out_of_scope,
                });
            }
        }
        let before = old_e.map_or(Stride::EMPTY, |o| oa.element(o).stride_gaps);
        let (opened, closed) = (now.minus(before), before.minus(now));
        if !opened.is_empty() || !closed.is_empty() {
            d.stride_gaps.push(GapChange {
                element: nm[e].name.clone(),
                element_change: if old_e.is_some() {
                    element_change_of(&d.elements, &nm[e].name)
                } else {
                    Some(Change::Added)
                },
                opened,
                closed,
            });
        }
    }
    d
}

fn old_flow_target_name(
    om: &Model,
    t: ThreatId,
    old_flow_name: &dyn Fn(FlowId) -> String,
) -> String {
    targets_text(om, t, old_flow_name)
}

/// A threat's targets as one line: `api`, `cdn_a, cdn_b`, or `no target
/// yet`.
fn targets_text(m: &Model, t: ThreatId, flow_name: &dyn Fn(FlowId) -> String) -> String {
    let names: Vec<String> = m[t]
        .targets
        .iter()
        .map(|&target| match target {
            Target::Flow(f) => flow_name(f),
            other => m.target_name(other).to_string(),
        })
        .collect();
    if names.is_empty() {
        "no target yet".to_string()
    } else {
        names.join(", ")
    }
}

fn element_change_of(entries: &[Entry], id: &str) -> Option<Change> {
    find_change(entries, id).filter(|c| *c != Change::Removed)
}

/// Boundaries that flows now cross (or no longer cross), each with the
/// number of flows, in order of first mention.
pub fn boundaries_crossed(diff: &Diff, introduced: bool) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for c in &diff.crossings {
        let list = if introduced {
            &c.introduced
        } else {
            &c.removed
        };
        // A flow counts once per boundary, whatever the direction.
        let mut seen = BTreeSet::new();
        for r in list {
            if seen.insert(r.boundary.as_str()) {
                match out.iter_mut().find(|(b, _)| *b == r.boundary) {
                    Some((_, n)) => *n += 1,
                    None => out.push((r.boundary.clone(), 1)),
                }
            }
        }
    }
    out
}

/// `1 flow`, `2 flows`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "encryption", "authentication", "encryption and authentication".
fn protection_words(changes: &[&ProtectionChange], lost: bool) -> String {
    let list = |p: &&ProtectionChange| {
        if lost {
            p.lost.clone()
        } else {
            p.gained.clone()
        }
    };
    let all: Vec<Protection> = changes.iter().flat_map(list).collect();
    let encryption = all
        .iter()
        .any(|p| matches!(p, Protection::Encrypted | Protection::Protocol));
    let authentication = all.contains(&Protection::Authenticated);
    match (encryption, authentication) {
        (true, true) => "encryption and authentication".to_string(),
        (false, true) => "authentication".to_string(),
        _ => "encryption".to_string(),
    }
}

/// The boundaries flows now cross (or no longer cross), as a phrase.
fn crossing_highlight(
    diff: &Diff,
    introduced: bool,
    code: &dyn Fn(&str) -> String,
) -> Option<String> {
    const MAX_BOUNDARIES: usize = 4;
    let (verb_one, verb_many) = if introduced {
        ("now crosses", "now cross")
    } else {
        ("no longer crosses", "no longer cross")
    };
    let crossed = boundaries_crossed(diff, introduced);
    match crossed.as_slice() {
        [] => None,
        // One boundary: how many flows cross it.
        [(boundary, n)] => {
            let verb = if *n == 1 { verb_one } else { verb_many };
            Some(format!(
                "{} {verb} {}",
                plural(*n, "flow", "flows"),
                code(boundary)
            ))
        }
        // Several: how many flows, and which boundaries.
        several => {
            let flows = diff
                .crossings
                .iter()
                .filter(|c| {
                    !(if introduced {
                        &c.introduced
                    } else {
                        &c.removed
                    })
                    .is_empty()
                })
                .count();
            let verb = if flows == 1 { verb_one } else { verb_many };
            let mut names: Vec<String> = several
                .iter()
                .take(MAX_BOUNDARIES)
                .map(|(b, _)| code(b))
                .collect();
            if several.len() > MAX_BOUNDARIES {
                names.push(plural(
                    several.len() - MAX_BOUNDARIES,
                    "more boundary",
                    "more boundaries",
                ));
            }
            let list = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} and {last}", rest.join(", "))
                }
                _ => names.join(""),
            };
            Some(format!("{} {verb} {list}", plural(flows, "flow", "flows")))
        }
    }
}

/// What a reviewer should see first, as short phrases ("1 new open high
/// threat", "1 flow now crosses `aws`"), one or more per kind of exposure
/// change in the order of [`ExposureKind::ALL`]; `code` formats an ID for
/// the output. Empty when nothing in the exposure changed.
pub fn highlights(diff: &Diff, code: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, n) in diff.exposure_counts() {
        if n == 0 {
            continue;
        }
        match kind {
            ExposureKind::NewOpenThreat => {
                // By the words of NEW's scale, highest first (the list is
                // sorted so).
                let mut words: Vec<(&str, usize)> = Vec::new();
                for o in &diff.opened {
                    match words.iter_mut().find(|(w, _)| *w == o.word) {
                        Some((_, n)) => *n += 1,
                        None => words.push((&o.word, 1)),
                    }
                }
                for (word, n) in words {
                    out.push(plural(
                        n,
                        &format!("new open {word} threat"),
                        &format!("new open {word} threats"),
                    ));
                }
            }
            ExposureKind::ThreatNoLongerOpen => {
                out.push(format!("{} no longer open", plural(n, "threat", "threats")))
            }
            ExposureKind::RiskDecision => {
                for (label, one, many) in [
                    ("risk accepted", "risk accepted", "risks accepted"),
                    ("risk transferred", "risk transferred", "risks transferred"),
                    (
                        "marked false positive",
                        "threat marked false positive",
                        "threats marked false positive",
                    ),
                ] {
                    let n = diff.decisions.iter().filter(|c| c.label() == label).count();
                    if n > 0 {
                        out.push(plural(n, one, many));
                    }
                }
            }
            ExposureKind::SeverityRaised => {
                out.push(format!("{} raised", plural(n, "severity", "severities")))
            }
            ExposureKind::SeverityLowered => {
                out.push(format!("{} lowered", plural(n, "severity", "severities")))
            }
            ExposureKind::MitigationRemoved => out.push(plural(
                n,
                "mitigation removed from an open threat",
                "mitigations removed from open threats",
            )),
            ExposureKind::MitigationAdded => out.push(plural(
                n,
                "mitigation added to an open threat",
                "mitigations added to open threats",
            )),
            // Shown by the threats newly open or no longer open.
            ExposureKind::StatusChanged => {}
            ExposureKind::CrossingIntroduced | ExposureKind::CrossingRemoved => {
                out.extend(crossing_highlight(
                    diff,
                    kind == ExposureKind::CrossingIntroduced,
                    code,
                ));
            }
            ExposureKind::ProtectionLost | ExposureKind::ProtectionGained => {
                let lost = kind == ExposureKind::ProtectionLost;
                let flows: Vec<&ProtectionChange> = diff
                    .protection
                    .iter()
                    .filter(|p| !(if lost { &p.lost } else { &p.gained }).is_empty())
                    .collect();
                out.push(format!(
                    "{} {} {}",
                    plural(flows.len(), "crossing flow", "crossing flows"),
                    if lost { "lost" } else { "gained" },
                    protection_words(&flows, lost)
                ));
            }
            ExposureKind::NowReversed => out.push(format!(
                "{} now reversed-initiator",
                plural(n, "flow", "flows")
            )),
            ExposureKind::NoLongerReversed => out.push(format!(
                "{} no longer reversed-initiator",
                plural(n, "flow", "flows")
            )),
            ExposureKind::NowOutOfScope | ExposureKind::BackInScope => {
                let now = kind == ExposureKind::NowOutOfScope;
                let changes = diff.scope.iter().filter(|s| s.out_of_scope == now);
                let flows = changes.clone().filter(|s| s.kind == "flow").count();
                let what = match (n - flows, flows) {
                    (_, 0) => plural(n, "element", "elements"),
                    (0, _) => plural(n, "flow", "flows"),
                    _ => plural(n, "entry", "entries"),
                };
                let state = if now {
                    "now out of scope"
                } else {
                    "back in scope"
                };
                out.push(format!("{what} {state}"));
            }
            ExposureKind::GapsOpened => out.push(format!(
                "STRIDE gaps opened on {}",
                plural(n, "element", "elements")
            )),
            ExposureKind::GapsClosed => out.push(format!(
                "STRIDE gaps closed on {}",
                plural(n, "element", "elements")
            )),
            ExposureKind::SensitiveDataCrossing => out.push(format!(
                "{} now {} sensitive data across a boundary",
                plural(n, "flow", "flows"),
                if n == 1 { "carries" } else { "carry" }
            )),
            ExposureKind::SensitiveDataNoLongerCrossing => out.push(format!(
                "{} no longer {} some sensitive data across a boundary",
                plural(n, "flow", "flows"),
                if n == 1 { "carries" } else { "carry" }
            )),
        }
    }
    out
}

/// Counts per section: "2 elements added, 1 flow changed, header changed".
pub fn stats(diff: &Diff) -> Vec<String> {
    let mut out = Vec::new();
    for section in Section::ALL {
        for change in [Change::Added, Change::Removed, Change::Changed] {
            let n = diff.count(section, change);
            if n > 0 {
                let noun = plural(n, section.noun(), section.as_str());
                out.push(format!("{noun} {}", change.as_str()));
            }
        }
    }
    if !diff.header.is_empty() {
        out.push(format!(
            "{} changed",
            plural(diff.header.len(), "header field", "header fields")
        ));
    }
    out
}

/// "3 changes to the threat model" (or "No change to the threat model").
pub fn headline(diff: &Diff) -> String {
    match diff.change_count() {
        0 => "No change to the threat model".to_string(),
        n => format!("{} to the threat model", plural(n, "change", "changes")),
    }
}

#[cfg(test)]
mod tests;
