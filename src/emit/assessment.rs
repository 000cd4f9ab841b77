//! The threat assessment report's content, shared by its Markdown and
//! HTML forms: header, summary (with the STRIDE coverage per letter), the
//! model's warnings, crossings (and who analysed them), reversed-initiator
//! flows, the threat table and one section per element (and per boundary,
//! and per flow that has threats). Every user string is already
//! `visible()`; the formats only escape.

use super::assumptions::AssumptionView;
use super::findings::Findings;
use super::table::{self, Row, SeverityText, Summary};
use super::text::visible;
use crate::analysis::{applicable, Analysis, Direction};
use crate::model::*;

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// A name usable in an HTML `id` and a URL fragment: identifiers as they
/// are; an implicit flow ID `a->b#2` becomes `a.b.2` (identifiers never
/// hold a `.`, so this cannot collide).
pub fn fragment(name: &str) -> String {
    name.replace("->", ".")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '.'
            }
        })
        .collect()
}

/// The in-page anchor of a threat target's section.
pub fn target_anchor(model: &Model, target: Target) -> String {
    match target {
        Target::Element(e) => format!("el-{}", fragment(&model[e].name)),
        Target::Boundary(b) => format!("bd-{}", fragment(&model[b].name)),
        Target::Flow(f) => format!("fl-{}", fragment(&model[f].name)),
    }
}

/// The in-page anchor of a threat's row in the threat table.
pub fn threat_anchor(id: &str) -> String {
    format!("th-{}", fragment(id))
}

/// The report's header.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    pub title: String,
    pub scope: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub version: Option<String>,
    /// Language 0.2: empty when not given.
    pub reviewers: Vec<String>,
    pub contributors: Vec<String>,
    /// The link as written (shown as a link only when `is_web_link`).
    pub link: Option<String>,
    /// The risk scale, unless it is the primer's (the default): its label
    /// (when it has one) and its ID.
    pub risk: Option<(Option<String>, String)>,
}

/// A boundary a flow crosses, in the order the data passes it.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossingText {
    pub boundary_id: String,
    pub boundary_label: String,
    pub direction: Direction,
}

impl CrossingText {
    /// `out of AWS cloud`, `into Warehouse`.
    pub fn text(&self) -> String {
        match self.direction {
            Direction::Out => format!("out of {}", self.boundary_label),
            Direction::In => format!("into {}", self.boundary_label),
        }
    }
}

/// An endpoint of a flow with the threats on it.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointThreats {
    pub id: String,
    pub label: String,
    pub anchor: String,
    /// Threat IDs, sorted like the table.
    pub threats: Vec<String>,
}

/// Who analysed a flow that crosses a boundary (what TMD106 looks at).
#[derive(Clone, Debug, PartialEq)]
pub enum Analysed {
    /// Threats on the flow itself (in [`FlowView::threats`]).
    OnFlow,
    /// No threat on the flow; threats on one endpoint or both.
    OnEndpoints(Vec<EndpointThreats>),
    /// No threat on the flow or its endpoints: TMD106, unless the model
    /// silenced it (`# tmd: allow TMD106`).
    NotAnalysed { silenced: bool },
}

impl Analysed {
    /// The words before the links of an [`Analysed::OnFlow`] cell.
    pub fn on_flow_words(threats: usize) -> &'static str {
        if threats == 1 {
            "threat on the flow:"
        } else {
            "threats on the flow:"
        }
    }

    /// The words before the endpoints of an [`Analysed::OnEndpoints`]
    /// cell: "covered by a threat on endpoint", "covered by threats on
    /// endpoints", ...
    pub fn covered_by_words(ends: &[EndpointThreats]) -> String {
        let many = ends.len() > 1 || ends.iter().any(|e| e.threats.len() > 1);
        format!(
            "covered by {} on {}",
            if many { "threats" } else { "a threat" },
            if ends.len() > 1 {
                "endpoints"
            } else {
                "endpoint"
            }
        )
    }
}

/// A flow as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowView {
    pub flow: FlowId,
    pub id: String,
    /// The written label, or `Source → Target`.
    pub label: String,
    pub source_id: String,
    pub source_label: String,
    pub target_id: String,
    pub target_label: String,
    pub anchor: String,
    pub source_anchor: String,
    pub target_anchor: String,
    pub protocol: Option<String>,
    pub encrypted: Option<bool>,
    pub authenticated: Option<bool>,
    pub data: Vec<String>,
    pub crossings: Vec<CrossingText>,
    pub reversed: bool,
    /// Label of the element that opens the connection.
    pub initiator_label: String,
    /// Threat IDs on the flow, sorted like the table.
    pub threats: Vec<String>,
    pub worst_open: Option<Severity>,
    /// Whether the flow has a section of its own (it has threats).
    pub has_section: bool,
    pub analysed: Analysed,
    /// The request it answers (`response_to`, language 0.2).
    pub response_to: Option<FlowRef>,
}

/// A flow named from another place of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRef {
    pub id: String,
    /// The written label, or `Source → Target`.
    pub label: String,
    pub anchor: String,
    /// Whether the flow has a section of its own (it has threats).
    pub has_section: bool,
}

impl FlowView {
    /// `HTTPS, encrypted, authenticated`, or `not encrypted`: the
    /// transport facts that were given, as one phrase.
    pub fn transport(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.protocol {
            parts.push(p.clone());
        }
        match self.encrypted {
            Some(true) => parts.push("encrypted".to_string()),
            Some(false) => parts.push("not encrypted".to_string()),
            None => {}
        }
        match self.authenticated {
            Some(true) => parts.push("authenticated".to_string()),
            Some(false) => parts.push("not authenticated".to_string()),
            None => {}
        }
        parts.join(", ")
    }

    pub fn crossings_text(&self) -> String {
        self.crossings
            .iter()
            .map(CrossingText::text)
            .collect::<Vec<_>>()
            .join(", then ")
    }
}

fn analysed(model: &Model, analysis: &Analysis, findings: &Findings, f: FlowId) -> Analysed {
    let flow = &model[f];
    if !analysis.flow(f).threats.is_empty() {
        return Analysed::OnFlow;
    }
    let mut ends = vec![flow.source];
    if flow.target != flow.source {
        ends.push(flow.target);
    }
    let covered: Vec<EndpointThreats> = ends
        .into_iter()
        .filter(|&e| !analysis.element(e).threats.is_empty())
        .map(|e| EndpointThreats {
            id: v(&model[e].name),
            label: v(&model[e].label),
            anchor: target_anchor(model, Target::Element(e)),
            threats: table::rows_of(model, analysis.element(e).threats.iter().copied())
                .into_iter()
                .map(|r| r.id)
                .collect(),
        })
        .collect();
    if covered.is_empty() {
        Analysed::NotAnalysed {
            silenced: findings
                .silenced_at(crate::checks::tmd106_unthreatened_crossing::CODE, flow.span),
        }
    } else {
        Analysed::OnEndpoints(covered)
    }
}

fn flow_view(model: &Model, analysis: &Analysis, findings: &Findings, f: FlowId) -> FlowView {
    let flow = &model[f];
    let facts = analysis.flow(f);
    let (source, target) = (&model[flow.source], &model[flow.target]);
    FlowView {
        flow: f,
        id: v(&flow.name),
        label: v(&model.target_label(Target::Flow(f))),
        source_id: v(&source.name),
        source_label: v(&source.label),
        target_id: v(&target.name),
        target_label: v(&target.label),
        anchor: target_anchor(model, Target::Flow(f)),
        source_anchor: target_anchor(model, Target::Element(flow.source)),
        target_anchor: target_anchor(model, Target::Element(flow.target)),
        protocol: flow.protocol.as_deref().map(v),
        encrypted: flow.encrypted,
        authenticated: flow.authenticated,
        data: flow.data.iter().map(|d| v(d)).collect(),
        crossings: facts
            .crossings
            .iter()
            .map(|c| CrossingText {
                boundary_id: v(&model[c.boundary].name),
                boundary_label: v(&model[c.boundary].label),
                direction: c.direction,
            })
            .collect(),
        reversed: facts.reversed,
        initiator_label: v(&model[flow.initiator_element()].label),
        threats: table::rows_of(model, facts.threats.iter().copied())
            .into_iter()
            .map(|r| r.id)
            .collect(),
        worst_open: facts.worst_open,
        has_section: !facts.threats.is_empty(),
        analysed: analysed(model, analysis, findings, f),
        response_to: flow.response_to.map(|r| FlowRef {
            id: v(&model[r].name),
            label: v(&model.target_label(Target::Flow(r))),
            anchor: target_anchor(model, Target::Flow(r)),
            has_section: !analysis.flow(r).threats.is_empty(),
        }),
    }
}

/// One STRIDE letter of a section's coverage.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub letter: char,
    /// Whether the letter applies to the kind (STRIDE per element).
    pub applies: bool,
    /// Threats on the subject itself with this letter.
    pub threats: Vec<String>,
}

impl Coverage {
    /// Applies and has no threat: not analysed.
    pub fn is_gap(&self) -> bool {
        self.applies && self.threats.is_empty()
    }
}

/// What a section is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Element(ElementId),
    Boundary(BoundaryId),
    Flow(FlowId),
}

/// One section of the annotated report.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub subject: Subject,
    /// In-page anchor: `el-ID`, `bd-ID`, `fl-ID`.
    pub anchor: String,
    /// The model name (`data-tmd-id` in the diagram).
    pub id: String,
    pub label: String,
    /// `external`, `process`, `store`, `boundary` or `flow`.
    pub kind: &'static str,
    pub out_of_scope: bool,
    /// Why, when `out_of_scope` gives a reason (language 0.2).
    pub out_of_scope_reason: Option<String>,
    /// Labels of the boundaries around it, outermost first.
    pub boundary_path: Vec<String>,
    /// `tech`, `owner`, `description`, `x_` keys ...: (key, text).
    pub facts: Vec<(String, String)>,
    pub flows_in: Vec<FlowView>,
    pub flows_out: Vec<FlowView>,
    /// For a boundary: the flows that cross it. For a flow: itself.
    pub flows: Vec<FlowView>,
    /// For a boundary: labels of what it holds directly.
    pub members: Vec<(String, String)>,
    pub threats: Vec<Row>,
    /// The highest severity of its open threats, in the scale's words.
    pub worst_open: Option<SeverityText>,
    /// Empty for a boundary (every letter applies to one).
    pub coverage: Vec<Coverage>,
    /// The assumptions it rests on (language 0.2): (ID, status).
    pub assumptions: Vec<(String, AssumptionStatus)>,
}

impl Section {
    /// The letters not analysed, in S-T-R-I-D-E order.
    pub fn gaps(&self) -> String {
        self.coverage
            .iter()
            .filter(|c| c.is_gap())
            .map(|c| c.letter)
            .collect()
    }
}

fn coverage(kind: &str, threats: &[Row]) -> Vec<Coverage> {
    let applies = applicable(kind);
    Stride::LETTERS
        .iter()
        .map(|&letter| Coverage {
            letter,
            applies: applies.contains(letter),
            threats: threats
                .iter()
                .filter(|r| r.stride_set().contains(letter))
                .map(|r| r.id.clone())
                .collect(),
        })
        .collect()
}

/// The assumptions something rests on, for its section.
fn rests_on(model: &Model, analysis: &Analysis, d: Dependent) -> Vec<(String, AssumptionStatus)> {
    analysis
        .assumptions_of(d)
        .iter()
        .map(|&a| (v(&model[a].name), model[a].status))
        .collect()
}

fn attribute_facts(attrs: &Attributes, skip: &[&str]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, val)| (v(k), table::attr_text(val)))
        .collect()
}

/// The assets an element holds or a flow carries, as one fact:
/// `Card data (restricted), Orders (internal)`; none without any.
fn asset_fact(model: &Model, assets: &[AssetId]) -> Option<(String, String)> {
    if assets.is_empty() {
        return None;
    }
    let names: Vec<String> = assets
        .iter()
        .map(|&a| format!("{} ({})", v(&model[a].label), v(model.classification_of(a))))
        .collect();
    Some(("assets".to_string(), names.join(", ")))
}

fn element_section(
    model: &Model,
    analysis: &Analysis,
    findings: &Findings,
    e: ElementId,
) -> Section {
    let el = &model[e];
    let facts = analysis.element(e);
    let threats = table::rows_of(model, facts.threats.iter().copied());
    Section {
        subject: Subject::Element(e),
        anchor: target_anchor(model, Target::Element(e)),
        id: v(&el.name),
        label: v(&el.label),
        kind: el.kind.as_str(),
        out_of_scope: el.out_of_scope,
        out_of_scope_reason: el.out_of_scope_reason.as_deref().map(v),
        boundary_path: facts
            .boundary_path
            .iter()
            .map(|&b| v(&model[b].label))
            .collect(),
        facts: asset_fact(model, &el.assets)
            .into_iter()
            .chain(attribute_facts(&el.attributes, &["out_of_scope"]))
            .collect(),
        flows_in: facts
            .flows_in
            .iter()
            .map(|&f| flow_view(model, analysis, findings, f))
            .collect(),
        flows_out: facts
            .flows_out
            .iter()
            .map(|&f| flow_view(model, analysis, findings, f))
            .collect(),
        flows: Vec::new(),
        members: Vec::new(),
        coverage: coverage(el.kind.as_str(), &threats),
        assumptions: rests_on(model, analysis, Dependent::Target(Target::Element(e))),
        worst_open: table::worst_open(&threats),
        threats,
    }
}

/// A boundary's kind (in words: `cloud account`), description and `x_`
/// keys (language 0.2).
fn boundary_facts(bd: &Boundary) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if let Some(kind) = &bd.kind {
        facts.push(("kind".to_string(), v(kind.describe())));
    }
    facts.extend(attribute_facts(&bd.attributes, &["kind"]));
    facts
}

fn boundary_section(
    model: &Model,
    analysis: &Analysis,
    findings: &Findings,
    b: BoundaryId,
) -> Section {
    let bd = &model[b];
    let facts = analysis.boundary(b);
    let threats = table::rows_of(model, facts.threats.iter().copied());
    let mut path = facts.path.clone();
    path.pop();
    let members = bd
        .members
        .iter()
        .map(|m| match *m {
            Member::Element(e) => (model[e].kind.as_str().to_string(), v(&model[e].label)),
            Member::Boundary(inner) => ("boundary".to_string(), v(&model[inner].label)),
        })
        .collect();
    Section {
        subject: Subject::Boundary(b),
        anchor: target_anchor(model, Target::Boundary(b)),
        id: v(&bd.name),
        label: v(&bd.label),
        kind: "boundary",
        out_of_scope: false,
        out_of_scope_reason: None,
        boundary_path: path.iter().map(|&p| v(&model[p].label)).collect(),
        facts: boundary_facts(bd),
        flows_in: Vec::new(),
        flows_out: Vec::new(),
        flows: facts
            .crossing_flows
            .iter()
            .map(|&f| flow_view(model, analysis, findings, f))
            .collect(),
        members,
        coverage: Vec::new(),
        assumptions: rests_on(model, analysis, Dependent::Target(Target::Boundary(b))),
        worst_open: table::worst_open(&threats),
        threats,
    }
}

fn flow_section(model: &Model, analysis: &Analysis, findings: &Findings, f: FlowId) -> Section {
    let flow = &model[f];
    let facts = analysis.flow(f);
    let threats = table::rows_of(model, facts.threats.iter().copied());
    let view = flow_view(model, analysis, findings, f);
    let mut own = Vec::new();
    if let Some(d) = &flow.description {
        own.push(("description".to_string(), v(d)));
    }
    if !view.data.is_empty() {
        own.push(("data".to_string(), view.data.join(", ")));
    }
    own.extend(asset_fact(model, &flow.assets));
    own.extend(attribute_facts(
        &flow.attributes,
        &[
            "protocol",
            "encrypted",
            "authenticated",
            "data",
            "initiator",
            "description",
            "out_of_scope",
        ],
    ));
    Section {
        subject: Subject::Flow(f),
        anchor: view.anchor.clone(),
        id: view.id.clone(),
        label: view.label.clone(),
        kind: "flow",
        out_of_scope: flow.out_of_scope,
        out_of_scope_reason: flow.out_of_scope_reason.as_deref().map(v),
        boundary_path: Vec::new(),
        facts: own,
        flows_in: Vec::new(),
        flows_out: Vec::new(),
        flows: vec![view],
        members: Vec::new(),
        coverage: coverage("flow", &threats),
        assumptions: rests_on(model, analysis, Dependent::Target(Target::Flow(f))),
        worst_open: table::worst_open(&threats),
        threats,
    }
}

/// One STRIDE letter over the elements in scope.
#[derive(Clone, Debug, PartialEq)]
pub struct LetterCoverage {
    pub letter: char,
    /// Elements in scope whose kind the letter applies to.
    pub applies: usize,
    /// Of those, the ones with a threat (any status) of that letter.
    pub analysed: usize,
}

/// How much of the model was analysed: a figure that changes as threats
/// are written (every model has STRIDE letters left on some element, so
/// "elements with a gap" says nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageSummary {
    /// Elements not marked out of scope.
    pub in_scope: usize,
    /// Elements in scope with no threat at all: (label, anchor).
    pub no_threat: Vec<(String, String)>,
    /// S, T, R, I, D, E in order.
    pub letters: Vec<LetterCoverage>,
}

impl CoverageSummary {
    fn of(elements: &[Section]) -> CoverageSummary {
        let in_scope: Vec<&Section> = elements.iter().filter(|s| !s.out_of_scope).collect();
        CoverageSummary {
            in_scope: in_scope.len(),
            no_threat: in_scope
                .iter()
                .filter(|s| s.threats.is_empty())
                .map(|s| (s.label.clone(), s.anchor.clone()))
                .collect(),
            letters: Stride::LETTERS
                .iter()
                .map(|&letter| {
                    let cells = in_scope
                        .iter()
                        .filter_map(|s| s.coverage.iter().find(|c| c.letter == letter))
                        .filter(|c| c.applies);
                    LetterCoverage {
                        letter,
                        applies: cells.clone().count(),
                        analysed: cells.filter(|c| !c.threats.is_empty()).count(),
                    }
                })
                .collect(),
        }
    }
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub header: Header,
    pub rows: Vec<Row>,
    pub summary: Summary,
    /// Threats whose severity was given and differs from the matrix.
    pub overrides: Vec<Row>,
    /// Flows that cross at least one boundary, declaration order.
    pub crossings: Vec<FlowView>,
    pub reversed: Vec<FlowView>,
    pub elements: Vec<Section>,
    pub boundaries: Vec<Section>,
    /// Flows that have threats.
    pub flows: Vec<Section>,
    pub coverage: CoverageSummary,
    /// The model's warnings (after suppression) and those it silenced.
    pub findings: Findings,
    /// Language 0.2, in report order (unverified first).
    pub assumptions: Vec<AssumptionView>,
    /// The section on data assets (language 0.2); none without assets.
    pub data: Option<super::data::Data>,
    /// The tracking sections (decisions and their history), from `rows`.
    pub tracking: super::tracking::TrackingView,
}

impl Assessment {
    pub fn new(model: &Model, analysis: &Analysis, findings: &Findings) -> Assessment {
        let m = &model.meta;
        let header = Header {
            title: m
                .title
                .as_deref()
                .map_or_else(|| "Threat model".to_string(), v),
            scope: m.scope.as_deref().map(v),
            author: m.author.as_deref().map(v),
            created: m.created.map(|d| d.to_string()),
            updated: m.updated.map(|d| d.to_string()),
            version: m.version.as_deref().map(v),
            reviewers: m.reviewers.iter().map(|r| v(r)).collect(),
            contributors: m.contributors.iter().map(|c| v(c)).collect(),
            link: m.link.as_deref().map(v),
            risk: super::risk::scale_name(&model.scale),
        };
        let rows = table::rows(model);
        let summary = Summary::of(&model.scale, &rows);
        let overrides = rows
            .iter()
            .filter(|r| {
                r.severity_source == SeveritySource::Given
                    && r.matrix_word
                        .as_ref()
                        .is_some_and(|m| *m != r.severity_word)
            })
            .cloned()
            .collect();
        let crossings: Vec<FlowView> = model
            .flow_ids()
            .filter(|&f| !analysis.flow(f).crossings.is_empty())
            .map(|f| flow_view(model, analysis, findings, f))
            .collect();
        let data = super::data::Data::of(model, analysis, &crossings);
        let reversed = model
            .flow_ids()
            .filter(|&f| analysis.flow(f).reversed)
            .map(|f| flow_view(model, analysis, findings, f))
            .collect();
        let elements: Vec<Section> = model
            .element_ids()
            .map(|e| element_section(model, analysis, findings, e))
            .collect();
        Assessment {
            tracking: super::tracking::TrackingView::new(model, analysis, &rows),
            header,
            rows,
            summary,
            overrides,
            crossings,
            reversed,
            coverage: CoverageSummary::of(&elements),
            findings: findings.clone(),
            assumptions: super::assumptions::views(model, analysis),
            data,
            elements,
            boundaries: model
                .boundary_ids()
                .map(|b| boundary_section(model, analysis, findings, b))
                .collect(),
            flows: model
                .flow_ids()
                .filter(|&f| !analysis.flow(f).threats.is_empty())
                .map(|f| flow_section(model, analysis, findings, f))
                .collect(),
        }
    }

    /// Every section in report order: elements, boundaries, flows.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.elements
            .iter()
            .chain(&self.boundaries)
            .chain(&self.flows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_unique_and_safe() {
        assert_eq!(fragment("order_api"), "order_api");
        assert_eq!(fragment("a->b"), "a.b");
        assert_eq!(fragment("a->b#2"), "a.b.2");
    }

    #[test]
    fn acme_assessment() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/acme-ecommerce.tmd"
        ))
        .unwrap();
        let c = crate::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let a = Assessment::new(model, analysis, &Findings::of(&c));
        assert_eq!(a.header.title, "Acme e-Commerce");
        assert_eq!(a.crossings.len(), 3);
        let pull = a.crossings.iter().find(|f| f.id == "pull_order").unwrap();
        assert_eq!(
            pull.crossings_text(),
            "out of AWS cloud, then into Warehouse"
        );
        assert!(pull.reversed);
        assert_eq!(pull.initiator_label, "Warehouse Management System");
        assert_eq!(a.reversed.len(), 1);
        let api = a.elements.iter().find(|s| s.id == "order_api").unwrap();
        assert_eq!(api.gaps(), "STRI");
        assert_eq!(api.boundary_path, vec!["AWS cloud"]);
        assert_eq!(api.worst_open, None);
        let customer = a.elements.iter().find(|s| s.id == "customer").unwrap();
        assert_eq!(customer.gaps(), "SR");
        assert_eq!(a.flows.len(), 1);
        assert_eq!(a.flows[0].gaps(), "ID");
        assert_eq!(
            a.flows[0]
                .worst_open
                .as_ref()
                .map(|w| (w.band, w.word.as_str())),
            Some((Severity::High, "high"))
        );

        // Who analysed each crossing.
        assert_eq!(pull.analysed, Analysed::OnFlow);
        let order = a
            .crossings
            .iter()
            .find(|f| f.id == "customer->order_api")
            .unwrap();
        match &order.analysed {
            Analysed::OnEndpoints(ends) => {
                assert_eq!(ends.len(), 1);
                assert_eq!(
                    (ends[0].id.as_str(), ends[0].threats.clone()),
                    ("order_api", vec!["T1".to_string()])
                );
            }
            other => panic!("{other:?}"),
        }
        let label = a.crossings.iter().find(|f| f.id == "wms->courier").unwrap();
        assert_eq!(label.analysed, Analysed::NotAnalysed { silenced: false });

        // The coverage figure.
        let cov = &a.coverage;
        assert_eq!(cov.in_scope, 6);
        let none: Vec<&str> = cov.no_threat.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            none,
            [
                "Customer",
                "Fulfillment queue",
                "Warehouse Management System",
                "Courier"
            ]
        );
        let letters: Vec<(char, usize, usize)> = cov
            .letters
            .iter()
            .map(|l| (l.letter, l.analysed, l.applies))
            .collect();
        assert_eq!(
            letters,
            [
                ('S', 0, 4),
                ('T', 0, 4),
                ('R', 0, 6),
                ('I', 0, 4),
                ('D', 2, 4),
                ('E', 1, 2)
            ]
        );
        assert_eq!(a.findings.warnings.len(), 1, "TMD106 on wms -> courier");
    }

    #[test]
    fn a_silenced_crossing_says_so() {
        let c = crate::compile(
            "boundary b {\n  process p\n}\nexternal e { out_of_scope: true }\n# health check, no data\n# tmd: allow TMD106\nflow e -> p\n",
        );
        let (model, analysis) = c.valid().unwrap();
        let a = Assessment::new(model, analysis, &Findings::of(&c));
        assert_eq!(
            a.crossings[0].analysed,
            Analysed::NotAnalysed { silenced: true }
        );
        assert_eq!(a.coverage.in_scope, 1, "out of scope elements are left out");
        assert!(a.findings.warnings.iter().all(|w| w.code != "TMD106"));
        assert_eq!(a.findings.silenced.len(), 1);
    }
}
