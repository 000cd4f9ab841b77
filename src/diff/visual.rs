//! The visual diff (`tmd diff OLD NEW --svg OUT`): NEW's diagram with what
//! was added in green, what changed in amber, and what was removed drawn
//! as faded, dashed ghosts where it was.
//!
//! The picture is the diagram of a union model: NEW plus the elements,
//! boundaries and flows that exist only in OLD. A removed element goes in
//! its old boundary (NEW's boundary of that ID when it still exists, else
//! the old boundary, itself a ghost), so that the layout places it in
//! context; a removed flow joins its old endpoints by ID. Threats are
//! NEW's, plus the removed ones of a target left with none; a badge whose
//! threats changed gets a ring of its mark.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::{Change, Diff, Entry};
use crate::analysis::{self, Analysis};
use crate::emit::svg::{self, Mark, Marks, Rendered, SvgOptions};
use crate::model::{
    ActorId, AssetId, Boundary, BoundaryId, Element, ElementId, Flow, FlowId, Member, Model,
    Target, Threat, ThreatId,
};

/// The union model and the marks on its entries.
#[derive(Debug, Clone)]
pub struct Union {
    pub model: Model,
    pub analysis: Analysis,
    pub marks: Marks,
}

fn mark(change: Change) -> Mark {
    match change {
        Change::Added => Mark::Added,
        Change::Changed => Mark::Changed,
        Change::Removed => Mark::Removed,
    }
}

/// The change of NEW's entry `id` (added or changed; never removed).
fn new_side(entries: &[Entry], id: &str) -> Option<Mark> {
    entries
        .iter()
        .find(|e| e.id == id && e.change != Change::Removed)
        .map(|e| mark(e.change))
}

/// OLD's IDs of the removed entries.
fn removed(entries: &[Entry]) -> BTreeSet<&str> {
    entries
        .iter()
        .filter(|e| e.change == Change::Removed)
        .map(|e| e.id.as_str())
        .collect()
}

/// NEW plus what only OLD has, with the diff's marks.
pub fn union(old: &Model, new: &Model, diff: &Diff) -> Union {
    let mut model = new.clone();
    let mut marks = Marks {
        enabled: true,
        ..Marks::default()
    };
    for e in new.element_ids() {
        if let Some(m) = new_side(&diff.elements, &new[e].name) {
            marks.elements.insert(e, m);
        }
    }
    for b in new.boundary_ids() {
        if let Some(m) = new_side(&diff.boundaries, &new[b].name) {
            marks.boundaries.insert(b, m);
        }
    }
    for f in new.flow_ids() {
        if let Some(m) = new_side(&diff.flows, &new[f].name) {
            marks.flows.insert(f, m);
        }
    }

    // Boundaries of the union by ID: NEW's, then OLD's removed ones.
    let mut boundary_by_name: BTreeMap<String, BoundaryId> = new
        .boundary_ids()
        .map(|b| (new[b].name.clone(), b))
        .collect();
    let gone_boundaries = removed(&diff.boundaries);
    let mut added_boundaries = Vec::new();
    for b in old.boundary_ids() {
        let name = &old[b].name;
        if gone_boundaries.contains(name.as_str()) && !boundary_by_name.contains_key(name) {
            let id = BoundaryId::from_index(model.boundaries.len());
            model.boundaries.push(Boundary {
                members: Vec::new(),
                parent: None,
                ..old[b].clone()
            });
            boundary_by_name.insert(name.clone(), id);
            marks.boundaries.insert(id, Mark::Removed);
            added_boundaries.push((b, id));
        }
    }
    // Their parents, once every boundary of the union has an ID (OLD's
    // nesting has no cycle, and NEW's boundaries never point to ghosts).
    for &(old_b, id) in &added_boundaries {
        let parent = old[old_b]
            .parent
            .and_then(|p| boundary_by_name.get(&old[p].name).copied());
        if let Some(b) = model.boundaries.get_mut(id.index()) {
            b.parent = parent;
        }
        push_member(&mut model, parent, Member::Boundary(id));
    }

    // A ghost names OLD's assets; in the union they are NEW's of the same
    // name, and those only OLD had are left out (OLD's IDs index OLD's
    // tables, and OLD's levels may not be NEW's).
    let asset_by_name: BTreeMap<&str, AssetId> =
        new.asset_ids().map(|a| (new[a].name.as_str(), a)).collect();
    let assets = |ids: &[AssetId]| -> Vec<AssetId> {
        ids.iter()
            .filter_map(|&a| asset_by_name.get(old[a].name.as_str()).copied())
            .collect()
    };

    // Removed elements, in their old boundary.
    let mut element_by_name: BTreeMap<String, ElementId> = new
        .element_ids()
        .map(|e| (new[e].name.clone(), e))
        .collect();
    let gone_elements = removed(&diff.elements);
    for e in old.element_ids() {
        let el = &old[e];
        if !gone_elements.contains(el.name.as_str()) || element_by_name.contains_key(&el.name) {
            continue;
        }
        let boundary = el
            .boundary
            .and_then(|b| boundary_by_name.get(&old[b].name).copied());
        let id = ElementId::from_index(model.elements.len());
        model.elements.push(Element {
            boundary,
            assets: assets(&el.assets),
            ..el.clone()
        });
        model.graph.add_node(id);
        element_by_name.insert(el.name.clone(), id);
        marks.elements.insert(id, Mark::Removed);
        push_member(&mut model, boundary, Member::Element(id));
    }

    // Removed flows, between their old endpoints; a removed response
    // answers its request in the union (NEW's flow of that ID, or the
    // request's own ghost).
    let mut ghost_responses: Vec<(FlowId, String)> = Vec::new();
    let gone_flows = removed(&diff.flows);
    for f in old.flow_ids() {
        let flow = &old[f];
        if !gone_flows.contains(flow.name.as_str()) {
            continue;
        }
        let (Some(&source), Some(&target)) = (
            element_by_name.get(&old[flow.source].name),
            element_by_name.get(&old[flow.target].name),
        ) else {
            continue;
        };
        let id = FlowId::from_index(model.flows.len());
        model.flows.push(Flow {
            source,
            target,
            // Named again below, in the union's terms.
            response_to: None,
            assets: assets(&flow.assets),
            ..flow.clone()
        });
        if let Some(request) = flow.response_to {
            ghost_responses.push((id, old[request].name.clone()));
        }
        model.graph.add_edge(
            NodeIndex::new(source.index()),
            NodeIndex::new(target.index()),
            id,
        );
        marks.flows.insert(id, Mark::Removed);
    }

    let flow_ids: BTreeMap<String, FlowId> = model
        .flow_ids()
        .map(|f| (model[f].name.clone(), f))
        .collect();
    for (response, request) in ghost_responses {
        let request = flow_ids.get(&request).copied();
        let valid = request.is_some_and(|r| {
            let (q, a) = (&model[r], &model[response]);
            q.source == a.target && q.target == a.source
        });
        if let Some(flow) = model.flows.get_mut(response.index()) {
            if valid {
                flow.response_to = request;
            } else {
                // Drawn as a plain flow rather than as a pull.
                flow.initiator = crate::model::Endpoint::Source;
            }
        }
    }

    mark_threats(
        old,
        new,
        diff,
        &mut model,
        &mut marks,
        &element_by_name,
        &boundary_by_name,
    );

    let analysis = analysis::analyze(&model);
    Union {
        model,
        analysis,
        marks,
    }
}

/// Marks the badge of every element, boundary and flow whose threats
/// changed: added (every change an addition), removed (none of its
/// threats is left: the old ones are drawn, ghosted, so the badge shows
/// what went) or changed, with a tooltip line per threat.
fn mark_threats(
    old: &Model,
    new: &Model,
    diff: &Diff,
    model: &mut Model,
    marks: &mut Marks,
    element_by_name: &BTreeMap<String, ElementId>,
    boundary_by_name: &BTreeMap<String, BoundaryId>,
) {
    let flow_by_name: BTreeMap<&str, FlowId> = model
        .flow_ids()
        .map(|f| (model[f].name.as_str(), f))
        .collect();
    // OLD's target, found in the union by ID.
    let in_union = |t: Target| -> Option<Target> {
        match t {
            Target::Element(e) => element_by_name
                .get(&old[e].name)
                .map(|&e| Target::Element(e)),
            Target::Boundary(b) => boundary_by_name
                .get(&old[b].name)
                .map(|&b| Target::Boundary(b)),
            Target::Flow(f) => flow_by_name
                .get(old[f].name.as_str())
                .map(|&f| Target::Flow(f)),
        }
    };
    let mut changes: BTreeMap<Target, Vec<Change>> = BTreeMap::new();
    let mut ghosts: Vec<(ThreatId, Vec<Target>)> = Vec::new();
    for entry in &diff.threats {
        let targets: Vec<Target> = if entry.change == Change::Removed {
            let Some(t) = old.threat_ids().find(|&t| old[t].name == entry.id) else {
                continue;
            };
            let targets: Vec<Target> = old[t].targets.iter().filter_map(|&t| in_union(t)).collect();
            ghosts.push((t, targets.clone()));
            targets
        } else {
            match new.threats.iter().find(|t| t.name == entry.id) {
                Some(t) => t.targets.clone(),
                None => continue,
            }
        };
        for target in targets {
            changes.entry(target).or_default().push(entry.change);
            marks.badge_notes.entry(target).or_default().push(format!(
                "diff: threat {} {}",
                entry.id,
                entry.change.as_str()
            ));
        }
    }
    let has_new_threats = |target: Target| new.threats.iter().any(|t| t.is_on(target));
    for (&target, list) in &changes {
        let mark = if list.iter().all(|&c| c == Change::Added) {
            Mark::Added
        } else if !has_new_threats(target) {
            Mark::Removed
        } else {
            Mark::Changed
        };
        marks.badges.insert(target, mark);
    }
    // The removed threats of a target left with none, so that its badge
    // shows what went.
    for (t, targets) in ghosts {
        let targets: Vec<Target> = targets
            .into_iter()
            .filter(|&t| !has_new_threats(t))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let threat = &old[t];
        let actor = threat.actor.map(|old_actor| {
            let actor_name = &old[old_actor].name;
            match model.actor_ids().find(|&a| &model[a].name == actor_name) {
                Some(a) => a,
                None => {
                    model.actors.push(old[old_actor].clone());
                    ActorId::from_index(model.actors.len() - 1)
                }
            }
        });
        model.threats.push(Threat {
            targets,
            actor,
            ..threat.clone()
        });
    }
}

fn push_member(model: &mut Model, boundary: Option<BoundaryId>, member: Member) {
    match boundary.and_then(|b| model.boundaries.get_mut(b.index())) {
        Some(b) => b.members.push(member),
        None => model.top.push(member),
    }
}

/// The visual diff of OLD and NEW as an SVG document, titled with NEW's
/// title and the names of the two versions (`old_name`, `new_name`: as
/// shown to the user, e.g. file names).
pub fn svg(
    old: &Model,
    new: &Model,
    diff: &Diff,
    names: (&str, &str),
    options: &SvgOptions,
) -> Rendered {
    let mut u = union(old, new, diff);
    let (old_name, new_name) = names;
    let title = new.meta.title.as_deref().unwrap_or("Threat model");
    u.model.meta.title = Some(format!("{title}: changes from {old_name} to {new_name}"));
    svg::svg_marked(&u.model, &u.analysis, options, &u.marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> crate::Compilation {
        let c = crate::compile(text);
        assert!(c.valid().is_some(), "{:?}", c.diagnostics);
        c
    }

    #[test]
    fn nested_removed_boundaries_keep_their_nesting_and_members() {
        let old = compile(
            "boundary outer \"Outer\" {\n  boundary inner \"Inner\" {\n    process x \"X\"\n  }\n}\nboundary kept \"Kept\" {\n  boundary gone \"Gone\" {\n    store s \"S\"\n  }\n}\nexternal y \"Y\"\nflow y -> x \"a\"\nflow y -> s \"b\"\n",
        );
        let new = compile(
            "boundary kept \"Kept\" {\n  process z \"Z\"\n}\nexternal y \"Y\"\nflow y -> z \"c\"\n",
        );
        let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
        let d = crate::diff::diff(o, n);
        let u = union(o.0, n.0, &d);
        let m = &u.model;
        let bd = |name: &str| m.boundary_ids().find(|&b| m[b].name == name).unwrap();
        let el = |name: &str| m.element_ids().find(|&e| m[e].name == name).unwrap();
        assert_eq!(m[bd("inner")].parent, Some(bd("outer")));
        assert_eq!(m[bd("outer")].parent, None);
        assert_eq!(m[bd("gone")].parent, Some(bd("kept")));
        assert_eq!(m[el("x")].boundary, Some(bd("inner")));
        assert_eq!(m[el("s")].boundary, Some(bd("gone")));
        assert!(m[bd("kept")]
            .members
            .contains(&Member::Boundary(bd("gone"))));
        assert!(m.top.contains(&Member::Boundary(bd("outer"))));
        for name in ["outer", "inner", "gone"] {
            assert_eq!(u.marks.boundaries.get(&bd(name)), Some(&Mark::Removed));
        }
        assert_eq!(u.marks.boundaries.get(&bd("kept")), None);
        assert_eq!(u.marks.elements.get(&el("z")), Some(&Mark::Added));
        assert_eq!(u.marks.elements.get(&el("y")), None);
        // Flows: NEW's one added, OLD's two removed, joined to their endpoints.
        assert_eq!(m.flows.len(), 3);
        assert_eq!(m.graph.edge_count(), 3);
        assert_eq!(m.graph.node_count(), m.elements.len());
        let removed: Vec<(&str, &str)> = m
            .flow_ids()
            .filter(|f| u.marks.flows.get(f) == Some(&Mark::Removed))
            .map(|f| (m[m[f].source].name.as_str(), m[m[f].target].name.as_str()))
            .collect();
        assert_eq!(removed, [("y", "x"), ("y", "s")]);
        // The ghost flow into x crosses the ghost boundaries.
        let f = m.flow_ids().find(|&f| m[m[f].target].name == "x").unwrap();
        assert_eq!(u.analysis.flow(f).crossings.len(), 2);
        let svg = svg(o.0, n.0, &d, ("a", "b"), &SvgOptions::default()).svg;
        assert!(svg.contains(r#"data-tmd-id="inner" data-tmd-diff="removed""#));
    }

    /// Ghosts from OLD name OLD's assets: in the union they are NEW's
    /// assets of the same name, and an asset only OLD had is left out
    /// (an asset ID of OLD means nothing in NEW's tables).
    #[test]
    fn removed_entries_keep_their_assets_by_name() {
        let old = compile(
            "asset a { classification: public }\nasset gone { classification: restricted }\nasset b { classification: internal }\n\
process p\nstore s { assets: [gone, b] }\nflow p -> s { assets: [gone, b, a] }\nflow s -> p\n\
threat T on s { scenario: \"x\", stride: I, severity: low }\n",
        );
        let new = compile("asset b { classification: internal }\nprocess p\nprocess q\nflow p -> q\nflow q -> p\n");
        let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
        let d = crate::diff::diff(o, n);
        let u = union(o.0, n.0, &d);
        let m = &u.model;
        let names = |ids: &[crate::model::AssetId]| {
            ids.iter().map(|&a| m[a].name.as_str()).collect::<Vec<_>>()
        };
        let s = m.element_ids().find(|&e| m[e].name == "s").unwrap();
        assert_eq!(names(&m[s].assets), ["b"]);
        let f = m.flow_ids().find(|&f| m[f].name == "p->s").unwrap();
        assert_eq!(names(&m[f].assets), ["b"]);
        let svg = svg(o.0, n.0, &d, ("a", "b"), &SvgOptions::default()).svg;
        assert!(svg.contains("carries: b (internal)"), "{svg}");
    }
}
