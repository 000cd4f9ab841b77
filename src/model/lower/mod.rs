//! Lowering: syntax tree to model. Declares every name in the one
//! namespace, resolves every reference, types every value, computes
//! severities. All errors of a file are collected; what fails to resolve
//! is left out of the model and recorded in `Partial`.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};

use super::*;
use crate::checks::{
    tmd002_duplicate, tmd003_unknown_reference, tmd004_invalid_value,
    tmd005_initiator_not_endpoint, tmd006_flow_reference, tmd007_missing_field,
    tmd008_duplicate_header, tmd009_self_flow, tmd010_given_twice, tmd108_unknown_key,
};
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{self, BoundaryDecl, Entry, Item, StatementKind, Value};

mod actor;
mod asset;
mod assumption;
mod boundary;
mod control;
mod element;
mod flow;
mod header;
mod response;
mod scale;
mod threat;
mod tracking;
mod values;

/// What a name in the namespace stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decl {
    Element(ElementId),
    Boundary(BoundaryId),
    Flow(Option<FlowId>),
    Actor(ActorId),
    Threat,
    Control(ControlId),
    /// A data asset; `None` until it is lowered, and for good when its
    /// declaration failed.
    Asset(Option<AssetId>),
    Assumption,
    /// A declared risk scale: its index among the scales that lowered,
    /// none when its declaration failed.
    Scale(Option<usize>),
}

impl Decl {
    fn kind_name(self, model: &Model) -> &'static str {
        match self {
            Decl::Element(e) => match model.elements.get(e.index()).map(|e| e.kind) {
                Some(ElementKind::External) => "an external entity",
                Some(ElementKind::Process) => "a process",
                Some(ElementKind::Store) => "a store",
                None => "an element",
            },
            Decl::Boundary(_) => "a boundary",
            Decl::Flow(_) => "a flow",
            Decl::Actor(_) => "an actor",
            Decl::Threat => "a threat",
            Decl::Control(_) => "a control",
            Decl::Asset(_) => "an asset",
            Decl::Assumption => "an assumption",
            Decl::Scale(_) => "a risk scale",
        }
    }
}

struct Lowering<'a> {
    /// The project's defaults for what the model does not declare.
    options: &'a LowerOptions,
    model: Model,
    names: BTreeMap<String, (Decl, Option<Span>)>,
    diagnostics: &'a mut Vec<Diagnostic>,
    header_seen: BTreeMap<&'static str, Span>,
    /// The flows from each source to each target, for threat targets
    /// written `A -> B` (filled once the flows are lowered).
    flows_by_ends: BTreeMap<(ElementId, ElementId), Vec<FlowId>>,
    /// Data assets and the classification, lowered once every
    /// declaration and header is known.
    assets: asset::Pending,
    /// Flows that name their request (`response_to`), resolved once every
    /// flow is lowered.
    pending_responses: Vec<response::PendingResponse>,
    /// The scales declared in the model that lowered, in order.
    scales: Vec<Scale>,
    /// The `risk` header's scale name, until the scale is chosen.
    risk: Option<(String, Span)>,
    /// The scale in force could not be had: threats' levels and
    /// severities are left unread.
    scale_failed: bool,
    /// What the other scales have, for hints (gathered once the scale in
    /// force is chosen).
    others: scale::OtherScales,
    /// Scales whose ID was taken already (TMD002): `risk` naming one
    /// meant it.
    undeclared_scales: std::collections::BTreeSet<String>,
}

/// Defaults a project gives (in `tmd.toml`) for what a model does not
/// declare itself. Empty: the language's own defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LowerOptions {
    /// The risk scale when the model has no `risk` header.
    pub risk: Option<String>,
    /// The classification levels, lowest first, when the model has no
    /// `classification` header.
    pub classification: Option<Vec<String>>,
    /// The level from which data is sensitive, when the model has no
    /// `sensitive` header.
    pub sensitive: Option<String>,
}

/// Lowers a parsed file to a model, reporting every resolution and value
/// error into `diagnostics`.
pub fn lower(file: &ast::File, diagnostics: &mut Vec<Diagnostic>) -> Model {
    lower_with(file, &LowerOptions::default(), diagnostics)
}

/// As `lower`, with a project's defaults.
pub fn lower_with(
    file: &ast::File,
    options: &LowerOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let mut lowering = Lowering {
        options,
        model: Model {
            meta: Meta::default(),
            elements: Vec::new(),
            boundaries: Vec::new(),
            flows: Vec::new(),
            actors: Vec::new(),
            threats: Vec::new(),
            controls: Vec::new(),
            assets: Vec::new(),
            classification: Classification::default(),
            assumptions: Vec::new(),
            scale: Scale::default(),
            graph: DiGraph::new(),
            top: Vec::new(),
            partial: Partial::default(),
            view: None,
        },
        names: BTreeMap::new(),
        diagnostics,
        header_seen: BTreeMap::new(),
        flows_by_ends: BTreeMap::new(),
        assets: asset::Pending::default(),
        pending_responses: Vec::new(),
        scales: Vec::new(),
        risk: None,
        scale_failed: false,
        others: scale::OtherScales::default(),
        undeclared_scales: std::collections::BTreeSet::new(),
    };
    for (name, label) in BUILTIN_ACTORS {
        let id = ActorId::from_index(lowering.model.actors.len());
        lowering.model.actors.push(Actor {
            name: name.to_string(),
            label: label.to_string(),
            description: None,
            builtin: true,
            attributes: Vec::new(),
            span: None,
        });
        lowering
            .names
            .insert(name.to_string(), (Decl::Actor(id), None));
    }

    // Pass 1: declarations, walking boundaries with an explicit stack.
    let mut flows: Vec<(&ast::Statement, &ast::FlowDecl, bool)> = Vec::new();
    let mut threats: Vec<(&ast::Statement, &ast::ThreatDecl)> = Vec::new();
    // (statement, declaration, whether its ID was declared)
    let mut assumptions: Vec<(&ast::Statement, &ast::Declaration, bool)> = Vec::new();
    // (statements, the boundary they are in, whether they are in a boundary
    // whose declaration failed and so stand somewhere unknown)
    let mut stack: Vec<(std::slice::Iter<'_, Item>, Option<BoundaryId>, bool)> =
        vec![(file.items.iter(), None, false)];
    while let Some((iter, parent, misplaced)) = stack.last_mut() {
        let (parent, misplaced) = (*parent, *misplaced);
        let Some(item) = iter.next() else {
            stack.pop();
            continue;
        };
        let Item::Statement(statement) = item else {
            continue;
        };
        match &statement.kind {
            StatementKind::Header(header) => lowering.header(header),
            StatementKind::Element(decl) => {
                if let Some(id) = lowering.element(statement, decl, parent) {
                    if misplaced {
                        lowering.model.partial.misplaced.insert(id);
                    }
                }
            }
            StatementKind::Boundary(decl) => {
                let id = lowering.boundary(statement, decl, parent);
                stack.push((decl.items.iter(), id.or(parent), misplaced || id.is_none()));
            }
            StatementKind::Flow(decl) => {
                let declared = decl
                    .id
                    .as_ref()
                    .is_none_or(|id| lowering.declare(id, Decl::Flow(None)));
                flows.push((statement, decl, declared));
            }
            StatementKind::Actor(decl) => {
                if !lowering.actor(decl) {
                    lowering.model.partial.dropped.push(statement.span);
                }
            }
            StatementKind::Threat(decl) => {
                lowering.declare(&decl.id, Decl::Threat);
                threats.push((statement, decl));
            }
            StatementKind::Declaration(decl) => match decl.kind {
                ast::DeclKind::Control => {
                    if !lowering.control(statement, decl) {
                        lowering.model.partial.dropped.push(statement.span);
                    }
                }
                ast::DeclKind::Asset => lowering.declare_asset(statement, decl),
                ast::DeclKind::Assumption => {
                    let declared = lowering.declare(&decl.id, Decl::Assumption);
                    assumptions.push((statement, decl, declared));
                }
                ast::DeclKind::Scale => lowering.scale_declaration(statement, decl),
            },
            // Lowered with the boundary whose body holds it.
            StatementKind::Attribute(_) => {}
        }
    }

    // The classification, the assets, and the elements' `assets:`, now
    // that every header and declaration is known.
    lowering.lower_assets();

    // Pass 2: flows, in declaration order.
    let mut implicit_counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (statement, decl, declared) in &flows {
        if *declared {
            lowering.flow(statement, decl, &mut implicit_counts);
        } else {
            // A duplicate ID: the flow is left out, so its endpoints' flows
            // are not all known.
            lowering.model.partial.dropped.push(statement.span);
            for end in [&decl.source, &decl.target] {
                if let Some((Decl::Element(e), _)) = lowering.names.get(&end.text) {
                    lowering.model.partial.elements.insert(*e);
                }
            }
        }
    }
    lowering.responses();
    for node in lowering.model.element_ids() {
        lowering.model.graph.add_node(node);
    }
    for (i, flow) in lowering.model.flows.iter().enumerate() {
        lowering.model.graph.add_edge(
            NodeIndex::new(flow.source.index()),
            NodeIndex::new(flow.target.index()),
            FlowId::from_index(i),
        );
    }

    // Pass 3: threats, rated on the scale in force.
    lowering.choose_scale();
    for (i, flow) in lowering.model.flows.iter().enumerate() {
        lowering
            .flows_by_ends
            .entry((flow.source, flow.target))
            .or_default()
            .push(FlowId::from_index(i));
    }
    for (statement, decl) in threats {
        lowering.threat(statement, decl);
    }

    // Pass 4: assumptions, which may name any threat.
    lowering.assumptions(&assumptions);

    lowering.model
}

impl Lowering<'_> {
    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Declares `name`; reports a duplicate and returns false when taken.
    pub(super) fn declare(&mut self, name: &ast::Name, decl: Decl) -> bool {
        if let Some((_, first)) = self.names.get(&name.text) {
            let d = tmd002_duplicate::diagnostic(&name.text, name.span, *first);
            self.error(d);
            return false;
        }
        self.names
            .insert(name.text.clone(), (decl, Some(name.span)));
        true
    }

    /// Resolves a name that must be an element. When it does not resolve
    /// but a declared element is close ("did you mean"), that element was
    /// most likely meant: it is recorded in `guessed`, so that warnings
    /// which follow from the typo are skipped for it.
    pub(super) fn resolve_element(
        &mut self,
        name: &ast::Name,
        role: &str,
        guessed: &mut Vec<ElementId>,
    ) -> Option<ElementId> {
        match self.names.get(&name.text) {
            Some((Decl::Element(id), _)) => Some(*id),
            Some((other, declared)) => {
                let kind = other.kind_name(&self.model);
                let d = tmd003_unknown_reference::wrong_kind(
                    name.span, role, &name.text, kind, *declared,
                );
                self.error(d);
                None
            }
            None => {
                let hint = self.closest(&name.text, |d| matches!(d, Decl::Element(_)));
                if let Some((Decl::Element(e), _)) = hint.as_ref().and_then(|h| self.names.get(h)) {
                    guessed.push(*e);
                }
                let d = tmd003_unknown_reference::unknown(name.span, role, &name.text, hint);
                self.error(d);
                None
            }
        }
    }

    pub(super) fn closest(&self, name: &str, accept: impl Fn(&Decl) -> bool) -> Option<String> {
        let candidates = self
            .names
            .iter()
            .filter(|(_, (d, _))| accept(d))
            .map(|(n, _)| n.as_str());
        closest_name(name, candidates)
    }
}

/// Known keys in table order, then `x_` keys by name.
fn sort_attributes(attributes: &mut Attributes, known: &[&str]) {
    attributes.sort_by(|(a, _), (b, _)| {
        let rank = |k: &str| known.iter().position(|x| *x == k).unwrap_or(known.len());
        (rank(a), a.as_str()).cmp(&(rank(b), b.as_str()))
    });
}

/// `YYYY-MM-DD` that exists in the Gregorian calendar.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || year == 0 || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day <= days).then_some(Date { year, month, day })
}

/// The candidate closest to `name`, if any is close enough to be a likely
/// typo. Ties go to the first in order.
pub fn closest_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&name.to_lowercase(), &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2023-02-30").is_none());
        assert!(parse_date("2023-13-01").is_none());
        assert!(parse_date("2000-02-29").is_some());
        assert!(parse_date("1900-02-29").is_none());
    }

    #[test]
    fn closest() {
        assert_eq!(
            closest_name("order_apl", ["order_api", "order_db"]),
            Some("order_api".into())
        );
        assert_eq!(closest_name("zzzzzz", ["order_api"]), None);
    }
}
