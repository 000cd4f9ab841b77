//! Views of a big model (`--focus`, `--depth`, `--collapse`): a smaller
//! model for the diagram, made from a valid one after analysis.
//!
//! A view is itself a [`Model`], so that every emitter draws it as it
//! draws any model; what it leaves out is said by stand-in elements,
//! recorded in [`Model::view`]:
//! - `--collapse B` draws boundary `B` as one box named like it. Every
//!   flow between its inside and the rest attaches to the box and keeps
//!   its ID, label and threats; threats on what is inside move to the
//!   box; the flows inside are counted on it.
//! - `--focus ID` keeps the elements within `--depth` flows (default 1) of
//!   `ID` (an element, a boundary: everything in it, or a flow: both
//!   ends), with the boundaries around them. Each kept element that has
//!   flows to elements left out gets one summary stand-in ("5 more flows
//!   to 3 elements") joined to it by one dotted flow, the way most of
//!   the left-out flows go.
//!
//! Collapsing comes first, so a focus on an element inside a collapsed
//! boundary focuses on the box. The view is deterministic: its order is
//! the model's declaration order.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::graph::DiGraph;

use crate::analysis::{self, Analysis};
use crate::model::{
    closest_name, BoundaryId, Dependent, Element, ElementId, ElementKind, Flow, FlowId, Member,
    Model, Partial, StandIn, Target, Threat, ViewNotes,
};

/// The depth a focus keeps when none is given.
pub const DEFAULT_DEPTH: usize = 1;

/// What to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// IDs of elements, boundaries or flows to centre on; empty for the
    /// whole model.
    pub focus: Vec<String>,
    /// How many flows away from the focus to keep (default 1).
    pub depth: Option<usize>,
    /// IDs of boundaries to draw as one box each.
    pub collapse: Vec<String>,
}

impl Spec {
    /// Whether the view is the whole model.
    pub fn is_whole(&self) -> bool {
        self.focus.is_empty() && self.collapse.is_empty()
    }

    pub fn depth(&self) -> usize {
        self.depth.unwrap_or(DEFAULT_DEPTH)
    }
}

/// A view that cannot be made: an option names nothing it can take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// `focus`, `collapse` or `depth`.
    pub option: &'static str,
    /// The value given.
    pub value: String,
    /// Why it cannot be drawn.
    pub why: String,
}

impl Error {
    /// As a fence option says it: "`focus=wbe`: ...".
    pub fn fence_message(&self) -> String {
        format!("`{}={}`: {}", self.option, self.value, self.why)
    }
}

impl std::fmt::Display for Error {
    /// As the command line says it: "--focus wbe: ...".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "--{} {}: {}", self.option, self.value, self.why)
    }
}

/// A view: the smaller model and its analysis.
#[derive(Clone, Debug)]
pub struct View {
    pub model: Model,
    pub analysis: Analysis,
}

/// What an element of the model becomes in the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Element(ElementId),
    Collapsed(BoundaryId),
}

/// The view `spec` asks for, or `None` for the whole model. `--depth`
/// without `--focus` is refused (it would silently do nothing).
pub fn apply(model: &Model, spec: &Spec) -> Result<Option<View>, Error> {
    if spec.is_whole() {
        if spec.depth.is_some() {
            return Err(Error {
                option: "depth",
                value: spec.depth().to_string(),
                why: "needs a focus: it says how far from the focus to draw".into(),
            });
        }
        return Ok(None);
    }
    let builder = Builder::new(model, spec)?;
    let model = builder.build();
    let analysis = analysis::analyze(&model);
    Ok(Some(View { model, analysis }))
}

/// Every name in the model's one namespace.
fn names(model: &Model) -> BTreeSet<&str> {
    let mut all = BTreeSet::new();
    all.extend(model.elements.iter().map(|e| e.name.as_str()));
    all.extend(model.boundaries.iter().map(|b| b.name.as_str()));
    all.extend(model.flows.iter().map(|f| f.name.as_str()));
    all.extend(model.threats.iter().map(|t| t.name.as_str()));
    all.extend(model.actors.iter().map(|a| a.name.as_str()));
    all.extend(model.controls.iter().map(|c| c.name.as_str()));
    all.extend(model.assets.iter().map(|a| a.name.as_str()));
    all.extend(model.assumptions.iter().map(|a| a.name.as_str()));
    all
}

fn unknown(option: &'static str, name: &str, takes: &str, candidates: Vec<&str>) -> Error {
    let hint = closest_name(name, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Error {
        option,
        value: name.to_string(),
        why: format!("the model has no {takes} `{name}`{hint}"),
    }
}

struct Builder<'m> {
    model: &'m Model,
    spec: &'m Spec,
    /// Per boundary: the outermost collapsed boundary holding it (itself
    /// included), if any.
    collapsed_root: Vec<Option<BoundaryId>>,
    /// The collapsed boundaries, in the order named.
    collapsed: Vec<BoundaryId>,
    /// Per element: what it becomes.
    node_of: Vec<Node>,
    /// What the view keeps.
    kept: BTreeSet<Node>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model, spec: &'m Spec) -> Result<Builder<'m>, Error> {
        let by_name = |name: &str| model.boundaries.iter().position(|b| b.name == name);
        let mut collapsed = Vec::new();
        for name in &spec.collapse {
            match by_name(name) {
                Some(i) => {
                    let b = BoundaryId::from_index(i);
                    if !collapsed.contains(&b) {
                        collapsed.push(b);
                    }
                }
                None if model.elements.iter().any(|e| &e.name == name) => {
                    return Err(Error {
                        option: "collapse",
                        value: name.clone(),
                        why: format!(
                            "`{name}` is an element; collapse takes a boundary (focus takes an element)"
                        ),
                    })
                }
                None => {
                    return Err(unknown(
                        "collapse",
                        name,
                        "boundary",
                        model.boundaries.iter().map(|b| b.name.as_str()).collect(),
                    ))
                }
            }
        }
        let set: BTreeSet<BoundaryId> = collapsed.iter().copied().collect();
        // Parents come before children in declaration order, so one pass
        // in index order sees each parent's answer first; walk up anyway
        // (nesting is capped at 64) so the answer does not rest on that.
        let collapsed_root: Vec<Option<BoundaryId>> = model
            .boundary_ids()
            .map(|b| {
                let mut outer = None;
                let mut at = Some(b);
                while let Some(c) = at {
                    if set.contains(&c) {
                        outer = Some(c);
                    }
                    at = model[c].parent;
                }
                outer
            })
            .collect();
        let node_of: Vec<Node> = model
            .element_ids()
            .map(|e| {
                match model[e]
                    .boundary
                    .and_then(|b| collapsed_root.get(b.index()).copied().flatten())
                {
                    Some(root) => Node::Collapsed(root),
                    None => Node::Element(e),
                }
            })
            .collect();
        let mut builder = Builder {
            model,
            spec,
            collapsed_root,
            collapsed,
            node_of,
            kept: BTreeSet::new(),
        };
        builder.kept = builder.keep()?;
        Ok(builder)
    }

    fn node(&self, e: ElementId) -> Node {
        self.node_of
            .get(e.index())
            .copied()
            .unwrap_or(Node::Element(e))
    }

    fn root_of(&self, b: BoundaryId) -> Option<BoundaryId> {
        self.collapsed_root.get(b.index()).copied().flatten()
    }

    /// The nodes the focus keeps: all of them without a focus.
    fn keep(&self) -> Result<BTreeSet<Node>, Error> {
        let model = self.model;
        let all: BTreeSet<Node> = model.element_ids().map(|e| self.node(e)).collect();
        if self.spec.focus.is_empty() {
            return Ok(all);
        }
        let mut seeds: BTreeSet<Node> = BTreeSet::new();
        for name in &self.spec.focus {
            if let Some(i) = model.elements.iter().position(|e| &e.name == name) {
                seeds.insert(self.node(ElementId::from_index(i)));
            } else if let Some(i) = model.boundaries.iter().position(|b| &b.name == name) {
                let b = BoundaryId::from_index(i);
                if let Some(root) = self.root_of(b) {
                    seeds.insert(Node::Collapsed(root));
                } else {
                    let inside = model.element_ids().filter(|&e| self.within(e, b));
                    seeds.extend(inside.map(|e| self.node(e)));
                }
            } else if let Some(f) = model.flows.iter().find(|f| &f.name == name) {
                seeds.insert(self.node(f.source));
                seeds.insert(self.node(f.target));
            } else {
                let mut candidates: Vec<&str> =
                    model.elements.iter().map(|e| e.name.as_str()).collect();
                candidates.extend(model.boundaries.iter().map(|b| b.name.as_str()));
                candidates.extend(model.flows.iter().map(|f| f.name.as_str()));
                return Err(unknown(
                    "focus",
                    name,
                    "element, boundary or flow",
                    candidates,
                ));
            }
        }
        // Breadth first over flows, either way, up to the depth.
        let mut next: BTreeMap<Node, BTreeSet<Node>> = BTreeMap::new();
        for f in &model.flows {
            let (a, b) = (self.node(f.source), self.node(f.target));
            if a != b {
                next.entry(a).or_default().insert(b);
                next.entry(b).or_default().insert(a);
            }
        }
        let depth = self.spec.depth();
        let mut kept = seeds.clone();
        let mut queue: VecDeque<(Node, usize)> = seeds.into_iter().map(|n| (n, 0)).collect();
        while let Some((n, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            for &m in next.get(&n).into_iter().flatten() {
                if kept.insert(m) {
                    queue.push_back((m, d + 1));
                }
            }
        }
        Ok(kept)
    }

    /// Whether element `e` is inside boundary `b`, at any depth.
    fn within(&self, e: ElementId, b: BoundaryId) -> bool {
        let mut at = self.model[e].boundary;
        while let Some(c) = at {
            if c == b {
                return true;
            }
            at = self.model[c].parent;
        }
        false
    }

    fn build(&self) -> Model {
        let model = self.model;
        let mut taken: BTreeSet<String> = names(model).into_iter().map(str::to_string).collect();

        // Boundaries: those around a kept node, less the collapsed ones
        // and what they hold.
        let mut keep_boundary = vec![false; model.boundaries.len()];
        let mark_up = |from: Option<BoundaryId>, keep: &mut Vec<bool>| {
            let mut at = from;
            while let Some(b) = at {
                if let Some(slot) = keep.get_mut(b.index()) {
                    if *slot {
                        break;
                    }
                    *slot = true;
                }
                at = model[b].parent;
            }
        };
        for &n in &self.kept {
            let around = match n {
                Node::Element(e) => model[e].boundary,
                Node::Collapsed(b) => model[b].parent,
            };
            mark_up(around, &mut keep_boundary);
        }
        let mut boundary_map: Vec<Option<BoundaryId>> = vec![None; model.boundaries.len()];
        let mut boundaries = Vec::new();
        for b in model.boundary_ids() {
            if keep_boundary.get(b.index()).copied().unwrap_or(false) && self.root_of(b).is_none() {
                if let Some(slot) = boundary_map.get_mut(b.index()) {
                    *slot = Some(BoundaryId::from_index(boundaries.len()));
                }
                boundaries.push(model[b].clone());
            }
        }
        let new_boundary =
            |b: Option<BoundaryId>| b.and_then(|b| boundary_map.get(b.index()).copied().flatten());

        // Elements: the kept ones and the collapsed boxes, in the order
        // of the first element each stands for.
        let mut elements: Vec<Element> = Vec::new();
        let mut element_of: BTreeMap<Node, ElementId> = BTreeMap::new();
        let mut stand_ins: BTreeMap<ElementId, StandIn> = BTreeMap::new();
        let mut inner_flows: BTreeMap<BoundaryId, usize> = BTreeMap::new();
        let mut inner_elements: BTreeMap<BoundaryId, usize> = BTreeMap::new();
        for f in &model.flows {
            if let (Node::Collapsed(a), Node::Collapsed(b)) =
                (self.node(f.source), self.node(f.target))
            {
                if a == b {
                    *inner_flows.entry(a).or_default() += 1;
                }
            }
        }
        for e in model.element_ids() {
            if let Node::Collapsed(b) = self.node(e) {
                *inner_elements.entry(b).or_default() += 1;
            }
        }
        for e in model.element_ids() {
            let n = self.node(e);
            if !self.kept.contains(&n) || element_of.contains_key(&n) {
                continue;
            }
            let id = ElementId::from_index(elements.len());
            element_of.insert(n, id);
            match n {
                Node::Element(e) => {
                    let mut el = model[e].clone();
                    el.boundary = new_boundary(el.boundary);
                    elements.push(el);
                }
                Node::Collapsed(b) => {
                    let bd = &model[b];
                    let mut assets = Vec::new();
                    for inner in model.element_ids().filter(|&i| self.node(i) == n) {
                        for &a in &model[inner].assets {
                            if !assets.contains(&a) {
                                assets.push(a);
                            }
                        }
                    }
                    elements.push(Element {
                        name: bd.name.clone(),
                        kind: ElementKind::External,
                        label: bd.label.clone(),
                        description: bd.description.clone(),
                        tech: None,
                        owner: None,
                        out_of_scope: false,
                        out_of_scope_reason: None,
                        attributes: Vec::new(),
                        props: Default::default(),
                        assets,
                        boundary: new_boundary(bd.parent),
                        span: bd.span,
                        statement: bd.statement,
                    });
                    stand_ins.insert(
                        id,
                        StandIn::Collapsed {
                            kind: bd.kind.clone(),
                            elements: inner_elements.get(&b).copied().unwrap_or(0),
                            flows: inner_flows.get(&b).copied().unwrap_or(0),
                        },
                    );
                }
            }
        }

        // Flows: those with both ends kept; the others are counted at the
        // kept end.
        let mut flows: Vec<Flow> = Vec::new();
        let mut flow_map: Vec<Option<FlowId>> = vec![None; model.flows.len()];
        // Per kept node: flows left out going out, coming in, and the
        // nodes they lead to.
        let mut left_out: BTreeMap<Node, (usize, usize, BTreeSet<Node>)> = BTreeMap::new();
        for f in model.flow_ids() {
            let flow = &model[f];
            let (a, b) = (self.node(flow.source), self.node(flow.target));
            if a == b && matches!(a, Node::Collapsed(_)) {
                continue;
            }
            match (element_of.get(&a), element_of.get(&b)) {
                (Some(&s), Some(&t)) => {
                    if let Some(slot) = flow_map.get_mut(f.index()) {
                        *slot = Some(FlowId::from_index(flows.len()));
                    }
                    let mut copy = flow.clone();
                    copy.source = s;
                    copy.target = t;
                    flows.push(copy);
                }
                (Some(_), None) => {
                    let entry = left_out.entry(a).or_default();
                    entry.0 += 1;
                    entry.2.insert(b);
                }
                (None, Some(_)) => {
                    let entry = left_out.entry(b).or_default();
                    entry.1 += 1;
                    entry.2.insert(a);
                }
                (None, None) => {}
            }
        }
        for flow in &mut flows {
            flow.response_to = flow
                .response_to
                .and_then(|r| flow_map.get(r.index()).copied().flatten());
        }

        // Summary stand-ins, each next to its element, in its boundary.
        let mut summary_flows = BTreeSet::new();
        let mut more: Vec<(ElementId, ElementId)> = Vec::new();
        for (n, (out, inward, others)) in &left_out {
            let Some(&anchor) = element_of.get(n) else {
                continue;
            };
            let Some((anchor_name, boundary, span, statement)) = elements
                .get(anchor.index())
                .map(|el| (el.name.clone(), el.boundary, el.span, el.statement))
            else {
                continue;
            };
            let name = fresh(&mut taken, &format!("{anchor_name}-more"));
            let total = out + inward;
            let label = format!(
                "{total} more {} {} {} {}",
                plural(total, "flow", "flows"),
                match (out, inward) {
                    (0, _) => "from",
                    (_, 0) => "to",
                    _ => "with",
                },
                others.len(),
                plural(others.len(), "element", "elements")
            );
            let id = ElementId::from_index(elements.len());
            let stand_in_name = name.clone();
            elements.push(Element {
                name,
                kind: ElementKind::External,
                label,
                description: None,
                tech: None,
                owner: None,
                out_of_scope: false,
                out_of_scope_reason: None,
                attributes: Vec::new(),
                props: Default::default(),
                assets: Vec::new(),
                boundary,
                span,
                statement,
            });
            stand_ins.insert(
                id,
                StandIn::More {
                    flows: total,
                    elements: others.len(),
                },
            );
            more.push((anchor, id));
            // One dotted flow, the way most of the left-out flows go: two
            // would only draw a pair of lines to one box.
            {
                let (from, to) = if out >= inward {
                    (anchor, id)
                } else {
                    (id, anchor)
                };
                let (a, b) = if from == anchor {
                    (anchor_name.as_str(), stand_in_name.as_str())
                } else {
                    (stand_in_name.as_str(), anchor_name.as_str())
                };
                let name = fresh(&mut taken, &format!("{a}->{b}"));
                summary_flows.insert(FlowId::from_index(flows.len()));
                flows.push(Flow {
                    name,
                    explicit: false,
                    source: from,
                    target: to,
                    label: None,
                    protocol: None,
                    encrypted: None,
                    authenticated: None,
                    data: Vec::new(),
                    initiator: crate::model::Endpoint::Source,
                    response_to: None,
                    description: None,
                    out_of_scope: false,
                    out_of_scope_reason: None,
                    assets: Vec::new(),
                    attributes: Vec::new(),
                    span,
                    statement,
                });
            }
        }

        // Members and the top level, in the model's order; a collapsed
        // box where its boundary was; summaries right after their element.
        let place = |member: Member| -> Option<Member> {
            match member {
                Member::Element(e) => match self.node(e) {
                    n @ Node::Element(_) => element_of.get(&n).map(|&id| Member::Element(id)),
                    Node::Collapsed(_) => None,
                },
                Member::Boundary(b) => {
                    if self.collapsed.contains(&b) && self.root_of(b) == Some(b) {
                        element_of
                            .get(&Node::Collapsed(b))
                            .map(|&id| Member::Element(id))
                    } else {
                        new_boundary(Some(b)).map(Member::Boundary)
                    }
                }
            }
        };
        let with_summaries = |members: Vec<Member>| -> Vec<Member> {
            let mut out = Vec::new();
            for m in members {
                out.push(m);
                if let Member::Element(e) = m {
                    out.extend(
                        more.iter()
                            .filter(|(a, _)| *a == e)
                            .map(|&(_, s)| Member::Element(s)),
                    );
                }
            }
            out
        };
        let top = with_summaries(model.top.iter().filter_map(|&m| place(m)).collect());
        for b in model.boundary_ids() {
            if let Some(nb) = new_boundary(Some(b)) {
                let members = model[b].members.iter().filter_map(|&m| place(m)).collect();
                let parent = new_boundary(model[b].parent);
                if let Some(slot) = boundaries.get_mut(nb.index()) {
                    slot.members = with_summaries(members);
                    slot.parent = parent;
                }
            }
        }

        // Threats on what is shown (what a collapsed box holds counts as
        // the box).
        let target_in_view = |t: Target| -> Option<Target> {
            match t {
                Target::Element(e) => element_of.get(&self.node(e)).map(|&id| Target::Element(id)),
                Target::Boundary(b) => match self.root_of(b) {
                    Some(root) => element_of
                        .get(&Node::Collapsed(root))
                        .map(|&id| Target::Element(id)),
                    None => new_boundary(Some(b)).map(Target::Boundary),
                },
                Target::Flow(f) => {
                    let flow = &model[f];
                    match (self.node(flow.source), self.node(flow.target)) {
                        (n @ Node::Collapsed(a), Node::Collapsed(b)) if a == b => {
                            element_of.get(&n).map(|&id| Target::Element(id))
                        }
                        _ => flow_map.get(f.index()).copied().flatten().map(Target::Flow),
                    }
                }
            }
        };
        let mut threats: Vec<Threat> = Vec::new();
        let mut threat_map = vec![None; model.threats.len()];
        for t in model.threat_ids() {
            let threat = &model[t];
            let mut targets: Vec<Target> = Vec::new();
            for &target in &threat.targets {
                if let Some(v) = target_in_view(target) {
                    if !targets.contains(&v) {
                        targets.push(v);
                    }
                }
            }
            if targets.is_empty() && !threat.targets.is_empty() {
                continue;
            }
            if let Some(slot) = threat_map.get_mut(t.index()) {
                *slot = Some(crate::model::ThreatId::from_index(threats.len()));
            }
            let mut copy = threat.clone();
            copy.targets = targets;
            threats.push(copy);
        }
        let mut assumptions = model.assumptions.clone();
        for a in &mut assumptions {
            let mut dependents = Vec::new();
            for &d in &a.dependents {
                let v = match d {
                    Dependent::Threat(t) => threat_map
                        .get(t.index())
                        .copied()
                        .flatten()
                        .map(Dependent::Threat),
                    Dependent::Target(t) => target_in_view(t).map(Dependent::Target),
                };
                if let Some(v) = v {
                    if !dependents.contains(&v) {
                        dependents.push(v);
                    }
                }
            }
            a.dependents = dependents;
        }

        let mut graph = DiGraph::new();
        let nodes: Vec<_> = (0..elements.len())
            .map(|i| graph.add_node(ElementId::from_index(i)))
            .collect();
        for (i, f) in flows.iter().enumerate() {
            if let (Some(&s), Some(&t)) = (nodes.get(f.source.index()), nodes.get(f.target.index()))
            {
                graph.add_edge(s, t, FlowId::from_index(i));
            }
        }

        // What the drawing covers: elements drawn or inside a drawn box,
        // flows drawn or inside one.
        let covered_elements = model
            .element_ids()
            .filter(|&e| self.kept.contains(&self.node(e)))
            .count();
        let covered_flows = model
            .flows
            .iter()
            .filter(|f| {
                let (a, b) = (self.node(f.source), self.node(f.target));
                self.kept.contains(&a) && self.kept.contains(&b)
            })
            .count();
        let caption = self.caption(covered_elements, covered_flows);
        Model {
            meta: model.meta.clone(),
            elements,
            boundaries,
            flows,
            actors: model.actors.clone(),
            threats,
            controls: model.controls.clone(),
            assets: model.assets.clone(),
            classification: model.classification.clone(),
            assumptions,
            scale: model.scale.clone(),
            graph,
            top,
            partial: Partial::default(),
            view: Some(ViewNotes {
                caption,
                stand_ins,
                summary_flows,
            }),
        }
    }

    /// "Focus on api (depth 1), boundary cloud collapsed: 6 of 23
    /// elements, 9 of 41 flows."
    fn caption(&self, shown_elements: usize, shown_flows: usize) -> String {
        let model = self.model;
        let mut parts = Vec::new();
        if !self.spec.focus.is_empty() {
            parts.push(format!(
                "focus on {} (depth {})",
                self.spec.focus.join(", "),
                self.spec.depth()
            ));
        }
        if !self.collapsed.is_empty() {
            let names: Vec<&str> = self
                .collapsed
                .iter()
                .map(|&b| model[b].name.as_str())
                .collect();
            parts.push(format!(
                "{} {} collapsed",
                plural(names.len(), "boundary", "boundaries"),
                names.join(", ")
            ));
        }
        let mut text = String::from("View: ");
        text.push_str(&parts.join("; "));
        text.push_str(&format!(
            ". Shows {shown_elements} of {} elements and {} of {} flows.",
            model.elements.len(),
            shown_flows,
            model.flows.len()
        ));
        text
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `base`, or `base-2`, `base-3`, ... : the first that no name takes.
fn fresh(taken: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}
