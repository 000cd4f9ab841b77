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

/// What a name in the namespace stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decl {
    Element(ElementId),
    Boundary(BoundaryId),
    Flow(Option<FlowId>),
    Actor(ActorId),
    Threat,
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
        }
    }
}

struct Lowering<'a> {
    model: Model,
    names: BTreeMap<String, (Decl, Option<Span>)>,
    diagnostics: &'a mut Vec<Diagnostic>,
    header_seen: BTreeMap<&'static str, Span>,
    /// The flows from each source to each target, for threat targets
    /// written `A -> B` (filled once the flows are lowered).
    flows_by_ends: BTreeMap<(ElementId, ElementId), Vec<FlowId>>,
}

/// Lowers a parsed file to a model, reporting every resolution and value
/// error into `diagnostics`.
pub fn lower(file: &ast::File, diagnostics: &mut Vec<Diagnostic>) -> Model {
    let mut lowering = Lowering {
        model: Model {
            meta: Meta::default(),
            elements: Vec::new(),
            boundaries: Vec::new(),
            flows: Vec::new(),
            actors: Vec::new(),
            threats: Vec::new(),
            graph: DiGraph::new(),
            top: Vec::new(),
            partial: Partial::default(),
        },
        names: BTreeMap::new(),
        diagnostics,
        header_seen: BTreeMap::new(),
        flows_by_ends: BTreeMap::new(),
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
        }
    }

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

    // Pass 3: threats.
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

    lowering.model
}

impl Lowering<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Declares `name`; reports a duplicate and returns false when taken.
    fn declare(&mut self, name: &ast::Name, decl: Decl) -> bool {
        if let Some((_, first)) = self.names.get(&name.text) {
            let d = tmd002_duplicate::diagnostic(&name.text, name.span, *first);
            self.error(d);
            return false;
        }
        self.names
            .insert(name.text.clone(), (decl, Some(name.span)));
        true
    }

    fn header(&mut self, header: &ast::Header) {
        let key = header.key.as_str();
        if let Some(first) = self.header_seen.get(key) {
            let d = tmd008_duplicate_header::diagnostic(key, header.key_span, *first);
            self.error(d);
            return;
        }
        self.header_seen.insert(key, header.key_span);
        let value = &header.value;
        match header.key {
            ast::HeaderKey::Title => self.model.meta.title = self.string(key, value),
            ast::HeaderKey::Scope => self.model.meta.scope = self.string(key, value),
            ast::HeaderKey::Author => self.model.meta.author = self.string(key, value),
            ast::HeaderKey::Version => self.model.meta.version = self.string(key, value),
            ast::HeaderKey::Created => self.model.meta.created = self.date(key, value),
            ast::HeaderKey::Updated => self.model.meta.updated = self.date(key, value),
            ast::HeaderKey::Direction => {
                self.model.meta.direction = match value {
                    Value::Word(word, span) => match Direction::parse(word) {
                        Some(d) => Some(d),
                        None => {
                            let d = tmd004_invalid_value::bad_word(
                                *span,
                                key,
                                word,
                                "`top-down`, `left-right`",
                            );
                            self.error(d);
                            None
                        }
                    },
                    other => {
                        let d = tmd004_invalid_value::wrong_type(
                            other.span(),
                            key,
                            "`top-down` or `left-right`",
                            other,
                        );
                        self.error(d);
                        None
                    }
                }
            }
        }
    }

    fn element(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::ElementDecl,
        parent: Option<BoundaryId>,
    ) -> Option<ElementId> {
        let id = ElementId::from_index(self.model.elements.len());
        if !self.declare(&decl.id, Decl::Element(id)) {
            self.model.partial.dropped.push(statement.span);
            if let Some(b) = parent {
                self.model.partial.boundaries.insert(b);
            }
            return None;
        }
        let mut element = Element {
            name: decl.id.text.clone(),
            kind: decl.kind,
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            description: None,
            tech: None,
            owner: None,
            out_of_scope: false,
            attributes: Vec::new(),
            boundary: parent,
            span: decl.id.span,
            statement: statement.span,
        };
        const KEYS: &[&str] = &["description", "tech", "owner", "out_of_scope"];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "element attribute") {
            let key = entry.key.text.as_str();
            match key {
                "description" => element.description = self.string(key, &entry.value),
                "tech" => element.tech = self.string(key, &entry.value),
                "owner" => element.owner = self.string(key, &entry.value),
                "out_of_scope" => {
                    element.out_of_scope = self.boolean(key, &entry.value).unwrap_or(false)
                }
                _ => {}
            }
            self.keep_attribute(&mut element.attributes, entry);
        }
        sort_attributes(&mut element.attributes, KEYS);
        match parent {
            Some(b) => self.boundary_mut(b).members.push(Member::Element(id)),
            None => self.model.top.push(Member::Element(id)),
        }
        self.model.elements.push(element);
        Some(id)
    }

    fn boundary_mut(&mut self, id: BoundaryId) -> &mut Boundary {
        #[allow(clippy::indexing_slicing)] // made by this lowering
        &mut self.model.boundaries[id.index()]
    }

    fn boundary(
        &mut self,
        statement: &ast::Statement,
        decl: &BoundaryDecl,
        parent: Option<BoundaryId>,
    ) -> Option<BoundaryId> {
        let id = BoundaryId::from_index(self.model.boundaries.len());
        if !self.declare(&decl.id, Decl::Boundary(id)) {
            self.model.partial.dropped.push(statement.span);
            return None;
        }
        self.model.boundaries.push(Boundary {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            parent,
            members: Vec::new(),
            span: decl.id.span,
            statement: statement.span,
        });
        match parent {
            Some(p) => self.boundary_mut(p).members.push(Member::Boundary(id)),
            None => self.model.top.push(Member::Boundary(id)),
        }
        Some(id)
    }

    /// Lowers an actor; false when its declaration failed.
    fn actor(&mut self, decl: &ast::ActorDecl) -> bool {
        let id = ActorId::from_index(self.model.actors.len());
        if !self.declare(&decl.id, Decl::Actor(id)) {
            return false;
        }
        let mut actor = Actor {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            description: None,
            builtin: false,
            attributes: Vec::new(),
            span: Some(decl.id.span),
        };
        const KEYS: &[&str] = &["description"];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "actor attribute") {
            if entry.key.text == "description" {
                actor.description = self.string("description", &entry.value);
            }
            self.keep_attribute(&mut actor.attributes, entry);
        }
        sort_attributes(&mut actor.attributes, KEYS);
        self.model.actors.push(actor);
        true
    }

    /// Resolves a name that must be an element. When it does not resolve
    /// but a declared element is close ("did you mean"), that element was
    /// most likely meant: it is recorded in `guessed`, so that warnings
    /// which follow from the typo are skipped for it.
    fn resolve_element(
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

    fn closest(&self, name: &str, accept: impl Fn(&Decl) -> bool) -> Option<String> {
        let candidates = self
            .names
            .iter()
            .filter(|(_, (d, _))| accept(d))
            .map(|(n, _)| n.as_str());
        closest_name(name, candidates)
    }

    fn flow(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::FlowDecl,
        implicit_counts: &mut BTreeMap<(String, String), usize>,
    ) {
        let name = match &decl.id {
            Some(id) => id.text.clone(),
            None => {
                let count = implicit_counts
                    .entry((decl.source.text.clone(), decl.target.text.clone()))
                    .or_insert(0);
                *count += 1;
                if *count == 1 {
                    format!("{}->{}", decl.source.text, decl.target.text)
                } else {
                    format!("{}->{}#{}", decl.source.text, decl.target.text, count)
                }
            }
        };
        let mut guessed = Vec::new();
        let source = self.resolve_element(&decl.source, "flow source", &mut guessed);
        let target = self.resolve_element(&decl.target, "flow target", &mut guessed);
        self.model.partial.elements.extend(guessed);
        let mut flow = Flow {
            name,
            explicit: decl.id.is_some(),
            source: source.unwrap_or(ElementId(0)),
            target: target.unwrap_or(ElementId(0)),
            label: decl.label.as_ref().map(|l| l.value.clone()),
            protocol: None,
            encrypted: None,
            authenticated: None,
            data: Vec::new(),
            initiator: Endpoint::Source,
            description: None,
            attributes: Vec::new(),
            span: decl.id.as_ref().map_or(decl.source.span, |id| id.span),
            statement: statement.span,
        };
        const KEYS: &[&str] = &[
            "protocol",
            "encrypted",
            "authenticated",
            "data",
            "initiator",
            "description",
        ];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "flow attribute") {
            let key = entry.key.text.as_str();
            let keep = match key {
                "protocol" => {
                    flow.protocol = self.string(key, &entry.value);
                    flow.protocol.is_some()
                }
                "description" => {
                    flow.description = self.string(key, &entry.value);
                    flow.description.is_some()
                }
                "encrypted" => {
                    flow.encrypted = self.boolean(key, &entry.value);
                    flow.encrypted.is_some()
                }
                "authenticated" => {
                    flow.authenticated = self.boolean(key, &entry.value);
                    flow.authenticated.is_some()
                }
                "data" => match self.string_list(key, &entry.value) {
                    Some(list) => {
                        flow.data = list;
                        true
                    }
                    None => false,
                },
                "initiator" => match self.initiator(&entry.value, decl) {
                    Some(endpoint) => {
                        flow.initiator = endpoint;
                        true
                    }
                    None => false,
                },
                _ => true,
            };
            if keep {
                self.keep_attribute(&mut flow.attributes, entry);
            }
        }
        sort_attributes(&mut flow.attributes, KEYS);
        let (Some(source), Some(target)) = (source, target) else {
            self.model.partial.elements.extend(source);
            self.model.partial.elements.extend(target);
            self.model.partial.dropped.push(statement.span);
            return;
        };
        if source == target {
            let d = tmd009_self_flow::diagnostic(
                decl.source.span.to(decl.target.span),
                &decl.source.text,
            );
            self.error(d);
            self.model.partial.elements.insert(source);
            self.model.partial.dropped.push(statement.span);
            return;
        }
        let id = FlowId::from_index(self.model.flows.len());
        if let Some(written) = &decl.id {
            if let Some((Decl::Flow(slot @ None), Some(span))) = self.names.get_mut(&written.text) {
                if *span == written.span {
                    *slot = Some(id);
                }
            }
        }
        self.model.flows.push(flow);
    }

    fn initiator(&mut self, value: &Value, decl: &ast::FlowDecl) -> Option<Endpoint> {
        let (word, span) = match value {
            Value::Word(word, span) => (word, *span),
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "initiator",
                    "an identifier",
                    other,
                );
                self.error(d);
                return None;
            }
        };
        if word == &decl.source.text {
            return Some(Endpoint::Source);
        }
        if word == &decl.target.text {
            return Some(Endpoint::Target);
        }
        match self.names.get(word.as_str()) {
            Some(_) => {
                let d = tmd005_initiator_not_endpoint::diagnostic(
                    span,
                    word,
                    &decl.source.text,
                    &decl.target.text,
                );
                self.error(d);
            }
            None => {
                let hint =
                    closest_name(word, [decl.source.text.as_str(), decl.target.text.as_str()]);
                let d = tmd003_unknown_reference::unknown(span, "initiator", word, hint);
                self.error(d);
            }
        }
        None
    }

    fn threat(&mut self, statement: &ast::Statement, decl: &ast::ThreatDecl) {
        let target = self.threat_target(&decl.target);
        let mut failed = false;
        let mut actor = None;
        let mut scenario = None;
        let mut stride = None;
        let mut stride_letters = Vec::new();
        let mut ease = None;
        let mut impact = None;
        let mut severity = None;
        let mut severity_span = None;
        let mut mitigation = None;
        let mut remediation = None;
        let mut status = Status::Open;
        let mut present: Vec<&str> = Vec::new();
        let mut attributes = Vec::new();
        const KEYS: &[&str] = &[
            "actor",
            "scenario",
            "stride",
            "ease",
            "impact",
            "severity",
            "mitigation",
            "remediation",
            "status",
        ];
        for entry in self.entries(Some(&decl.body), KEYS, "threat field") {
            let key = entry.key.text.as_str();
            if let Some(known) = KEYS.iter().find(|k| **k == key) {
                present.push(known);
            }
            let value = &entry.value;
            match key {
                "actor" => {
                    actor = self.threat_actor(value);
                    failed |= actor.is_none();
                }
                "scenario" => {
                    scenario = self.string(key, value);
                    failed |= scenario.is_none();
                }
                "stride" => {
                    stride = self.stride(value, &mut stride_letters);
                    failed |= stride.is_none();
                }
                "ease" => {
                    ease = self.word::<Ease>(value);
                    failed |= ease.is_none();
                }
                "impact" => {
                    impact = self.word::<Impact>(value);
                    failed |= impact.is_none();
                }
                "severity" => {
                    severity = self.word::<Severity>(value);
                    severity_span = Some(value.span());
                    failed |= severity.is_none();
                }
                "mitigation" => {
                    mitigation = self.string(key, value);
                    failed |= mitigation.is_none();
                }
                "remediation" => {
                    remediation = self.word::<Remediation>(value);
                    failed |= remediation.is_none();
                }
                "status" => match self.word::<Status>(value) {
                    Some(s) => status = s,
                    None => failed = true,
                },
                _ => self.keep_attribute(&mut attributes, entry),
            }
        }
        sort_attributes(&mut attributes, &[]);
        // Required fields.
        let has = |k: &str| present.contains(&k);
        for field in ["actor", "scenario", "stride"] {
            if !has(field) {
                let d = tmd007_missing_field::diagnostic(decl.id.span, &decl.id.text, field, None);
                self.error(d);
                failed = true;
            }
        }
        match (has("ease"), has("impact")) {
            (true, false) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "impact",
                    Some("`ease` and `impact` come as a pair"),
                );
                self.error(d);
                failed = true;
            }
            (false, true) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "ease",
                    Some("`ease` and `impact` come as a pair"),
                );
                self.error(d);
                failed = true;
            }
            (false, false) if !has("severity") => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "severity",
                    Some("give `ease` and `impact` (the severity is computed from them), or `severity`"),
                );
                self.error(d);
                failed = true;
            }
            _ => {}
        }
        let matrix_severity = match (ease, impact) {
            (Some(e), Some(i)) => Some(matrix(e, i)),
            _ => None,
        };
        let (severity, severity_source) = match (severity, matrix_severity) {
            (Some(given), _) => (Some(given), SeveritySource::Given),
            (None, computed) => (computed, SeveritySource::Matrix),
        };
        let Some(target) = target else {
            self.model.partial.dropped.push(statement.span);
            return;
        };
        let (Some(actor), Some(scenario), Some(stride), Some(severity), false) =
            (actor, scenario, stride, severity, failed)
        else {
            self.model.partial.dropped.push(statement.span);
            self.model.partial.threat_targets.insert(target);
            return;
        };
        self.model.threats.push(Threat {
            name: decl.id.text.clone(),
            title: decl
                .title
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |t| t.value.clone()),
            target,
            actor,
            scenario,
            stride,
            ease,
            impact,
            severity,
            severity_source,
            matrix_severity,
            mitigation: mitigation.filter(|m| !m.trim().is_empty()),
            remediation,
            status,
            attributes,
            spans: ThreatSpans {
                id: decl.id.span,
                statement: statement.span,
                stride_letters,
                severity: severity_span,
            },
        });
    }

    fn threat_target(&mut self, target: &ast::ThreatTarget) -> Option<Target> {
        match target {
            ast::ThreatTarget::Name(name) => match self.names.get(&name.text) {
                Some((Decl::Element(e), _)) => Some(Target::Element(*e)),
                Some((Decl::Boundary(b), _)) => Some(Target::Boundary(*b)),
                Some((Decl::Flow(Some(f)), _)) => Some(Target::Flow(*f)),
                Some((Decl::Flow(None), _)) => {
                    // The flow exists but failed to resolve; its error is reported.
                    None
                }
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d = tmd003_unknown_reference::wrong_kind(
                        name.span,
                        "threat target",
                        &name.text,
                        kind,
                        *declared,
                    );
                    self.error(d);
                    None
                }
                None => {
                    let hint = self.closest(&name.text, |d| {
                        matches!(d, Decl::Element(_) | Decl::Boundary(_) | Decl::Flow(_))
                    });
                    // The name it most likely meant: warnings about that
                    // target follow from the typo.
                    let meant = match hint.as_ref().and_then(|h| self.names.get(h)) {
                        Some((Decl::Element(e), _)) => Some(Target::Element(*e)),
                        Some((Decl::Boundary(b), _)) => Some(Target::Boundary(*b)),
                        Some((Decl::Flow(Some(f)), _)) => Some(Target::Flow(*f)),
                        _ => None,
                    };
                    self.model.partial.threat_targets.extend(meant);
                    let d = tmd003_unknown_reference::unknown(
                        name.span,
                        "threat target",
                        &name.text,
                        hint,
                    );
                    self.error(d);
                    None
                }
            },
            ast::ThreatTarget::Flow { source, target } => {
                let (mut guess_s, mut guess_t) = (Vec::new(), Vec::new());
                let s = self.resolve_element(source, "flow source", &mut guess_s);
                let t = self.resolve_element(target, "flow target", &mut guess_t);
                if s.is_none() || t.is_none() {
                    // A misspelt end: the threat was most likely meant for a
                    // flow between the ends it names or most likely meant.
                    if let (Some(a), Some(b)) = (
                        s.or(guess_s.first().copied()),
                        t.or(guess_t.first().copied()),
                    ) {
                        let meant: Vec<FlowId> = [(a, b), (b, a)]
                            .iter()
                            .filter_map(|ends| self.flows_by_ends.get(ends))
                            .flatten()
                            .copied()
                            .collect();
                        self.model
                            .partial
                            .threat_targets
                            .extend(meant.into_iter().map(Target::Flow));
                    }
                }
                let (Some(s), Some(t)) = (s, t) else {
                    return None;
                };
                let matches: &[FlowId] = self.flows_by_ends.get(&(s, t)).map_or(&[], Vec::as_slice);
                match matches {
                    [one] => Some(Target::Flow(*one)),
                    [] => {
                        // The threat was meant for a flow between these two:
                        // the one the other way round, if any.
                        let candidates =
                            self.flows_by_ends.get(&(t, s)).cloned().unwrap_or_default();
                        self.model
                            .partial
                            .threat_targets
                            .extend(candidates.into_iter().map(Target::Flow));
                        let reverse = self.flows_by_ends.contains_key(&(t, s));
                        let d = tmd006_flow_reference::none(
                            source.span.to(target.span),
                            &source.text,
                            &target.text,
                            reverse,
                        );
                        self.error(d);
                        None
                    }
                    several => {
                        self.model
                            .partial
                            .threat_targets
                            .extend(several.iter().copied().map(Target::Flow));
                        let others: Vec<(Span, String)> = several
                            .iter()
                            .map(|&f| (self.model[f].span, self.model[f].name.clone()))
                            .collect();
                        let d = tmd006_flow_reference::several(
                            source.span.to(target.span),
                            &source.text,
                            &target.text,
                            &others,
                        );
                        self.error(d);
                        None
                    }
                }
            }
        }
    }

    fn threat_actor(&mut self, value: &Value) -> Option<ActorId> {
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "actor",
                "an actor identifier",
                value,
            );
            self.error(d);
            return None;
        };
        match self.names.get(word.as_str()) {
            Some((Decl::Actor(a), _)) => Some(*a),
            Some((other, declared)) => {
                let kind = other.kind_name(&self.model);
                let d = tmd003_unknown_reference::wrong_kind(*span, "actor", word, kind, *declared);
                self.error(d);
                None
            }
            None => {
                let hint = self.closest(word, |d| matches!(d, Decl::Actor(_)));
                let d = tmd003_unknown_reference::unknown(*span, "actor", word, hint);
                self.error(d);
                None
            }
        }
    }

    fn stride(&mut self, value: &Value, letters: &mut Vec<(char, Span)>) -> Option<Stride> {
        // Written the wrong way but with a clear meaning: one error that
        // says how to write it.
        let loose = match value {
            Value::Str(s) => Some(s.value.clone()),
            Value::List(items, _) => {
                let words: Option<Vec<String>> = items
                    .iter()
                    .map(|v| match v {
                        Value::Word(w, _) => Some(w.clone()),
                        Value::Str(s) => Some(s.value.clone()),
                        _ => None,
                    })
                    .collect();
                words.map(|w| format!("[{}]", w.join(", ")))
            }
            Value::Word(w, _) if w.chars().filter(|&c| !Stride::is_letter(c)).count() > 1 => {
                Some(w.clone())
            }
            _ => None,
        };
        if let Some(text) = loose {
            let d = match Stride::from_loose(&text) {
                Some(meant) => {
                    let shown: String = text.chars().take(60).collect();
                    tmd004_invalid_value::stride_written_apart(value.span(), &shown, meant)
                }
                None => match value {
                    Value::Word(w, span) => tmd004_invalid_value::stride_word(*span, w),
                    _ => tmd004_invalid_value::wrong_type(
                        value.span(),
                        "stride",
                        "STRIDE letters such as `DE`",
                        value,
                    ),
                },
            };
            self.error(d);
            return None;
        }
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "stride",
                "STRIDE letters such as `DE`",
                value,
            );
            self.error(d);
            return None;
        };
        let mut set = Stride::EMPTY;
        let mut ok = true;
        let mut first: BTreeMap<char, Span> = BTreeMap::new();
        for (i, c) in word.char_indices() {
            let letter_span = Span::new(span.start + i, span.start + i + c.len_utf8());
            if !Stride::is_letter(c) {
                let d = tmd004_invalid_value::stride_letter(letter_span, c);
                self.error(d);
                ok = false;
                continue;
            }
            if let Some(earlier) = first.get(&c) {
                let d = tmd010_given_twice::letter(letter_span, c, *earlier);
                self.error(d);
                ok = false;
                continue;
            }
            first.insert(c, letter_span);
            set.insert(c);
            letters.push((c, letter_span));
        }
        ok.then_some(set)
    }

    fn word<W: Word>(&mut self, value: &Value) -> Option<W> {
        match value {
            Value::Word(word, span) => match W::parse(word) {
                Some(w) => Some(w),
                None => {
                    let d = tmd004_invalid_value::bad_word(*span, W::WHAT, word, &W::choices());
                    self.error(d);
                    None
                }
            },
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    W::WHAT,
                    &format!("one of {}", W::choices()),
                    other,
                );
                self.error(d);
                None
            }
        }
    }

    /// The entries of a block with duplicates and unknown keys reported
    /// (and left out).
    fn entries<'b>(
        &mut self,
        block: Option<&'b ast::Block>,
        known: &[&str],
        what: &str,
    ) -> Vec<&'b Entry> {
        let Some(block) = block else {
            return Vec::new();
        };
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut out = Vec::new();
        for entry in block.entries() {
            let key = entry.key.text.as_str();
            if let Some(first) = seen.get(key) {
                let d = tmd010_given_twice::key(entry.key.span, key, *first);
                self.error(d);
                continue;
            }
            seen.insert(key, entry.key.span);
            if known.contains(&key) || key.starts_with("x_") {
                out.push(entry);
            } else {
                let hint = closest_name(key, known.iter().copied());
                let d = tmd108_unknown_key::diagnostic(entry.key.span, key, what, hint);
                self.error(d);
            }
        }
        out
    }

    /// Keeps an entry in an attribute list when its value is well formed.
    fn keep_attribute(&mut self, attributes: &mut Attributes, entry: &Entry) {
        if let Some(value) = self.attr_value(&entry.key.text, &entry.value) {
            attributes.push((entry.key.text.clone(), value));
        }
    }

    fn attr_value(&mut self, key: &str, value: &Value) -> Option<AttrValue> {
        Some(match value {
            Value::Str(s) => AttrValue::Str(s.value.clone()),
            Value::Bool(b, _) => AttrValue::Bool(*b),
            Value::Int(digits, _) => AttrValue::Int(digits.clone()),
            Value::Date(..) => AttrValue::Date(self.date(key, value)?),
            Value::Word(word, _) => AttrValue::Word(word.clone()),
            Value::List(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.attr_value(key, item)?);
                }
                AttrValue::List(out)
            }
        })
    }

    fn string(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::Str(s) => Some(s.value.clone()),
            other => {
                let d = tmd004_invalid_value::wrong_type(other.span(), key, "a string", other);
                self.error(d);
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b, _) => Some(*b),
            other => {
                let d =
                    tmd004_invalid_value::wrong_type(other.span(), key, "`true` or `false`", other);
                self.error(d);
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, value: &Value) -> Option<Vec<String>> {
        let Value::List(items, _) = value else {
            let d = tmd004_invalid_value::wrong_type(value.span(), key, "a list of strings", value);
            self.error(d);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item {
                Value::Str(s) => out.push(s.value.clone()),
                other => {
                    let d = tmd004_invalid_value::wrong_type(other.span(), key, "a string", other);
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn date(&mut self, key: &str, value: &Value) -> Option<Date> {
        match value {
            Value::Date(text, span) => match parse_date(text) {
                Some(date) => Some(date),
                None => {
                    let d = tmd004_invalid_value::bad_date(*span, text);
                    self.error(d);
                    None
                }
            },
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    key,
                    "a date (`YYYY-MM-DD`)",
                    other,
                );
                self.error(d);
                None
            }
        }
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
