//! The changed neighbourhood of a diff, as a Mermaid flowchart for the
//! pull-request comment (`tmd diff --format md`, `tmd diff --comment`).
//!
//! The picture is the visual diff's union model ([`super::visual::union`]:
//! NEW plus what only OLD had) seen through a focus view
//! ([`crate::view::apply`], depth 1) on everything the diff marks: added,
//! changed and removed elements, boundaries and flows, and the targets of
//! changed threats. So it shows the changes, their direct neighbours and
//! the boundaries around them; the rest of a big model is summarised at the
//! edge by the view's stand-ins, and the comment says how much was left
//! out. The marks follow the entries by ID into the view's own model.

use std::collections::{BTreeMap, BTreeSet};

use super::visual::union;
use super::Diff;
use crate::emit::svg::{Mark, Marks};
use crate::model::{BoundaryId, ElementId, Model, Target};
use crate::view;

/// Past this many characters the flowchart is not drawn: Mermaid refuses
/// a text over 50,000 characters by default (`maxTextSize`), and the
/// comment has other things to say.
pub const MAX_MERMAID: usize = 40_000;

/// A model of this many elements or fewer is drawn whole: the picture is
/// small anyway, and the context helps.
pub const WHOLE_UP_TO: usize = 12;

/// The changed neighbourhood, drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    /// The Mermaid flowchart (without the fence).
    pub mermaid: String,
    /// Elements drawn (stand-ins not counted) and in the union.
    pub elements: (usize, usize),
    /// Flows drawn (summaries not counted) and in the union.
    pub flows: (usize, usize),
}

impl Neighbourhood {
    /// Whether something of the model was left out of the picture.
    pub fn is_partial(&self) -> bool {
        self.elements.0 < self.elements.1 || self.flows.0 < self.flows.1
    }
}

/// What became of the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// Nothing drawn changed (only threats' fields, actors, assets, the
    /// header...).
    Unchanged,
    /// The neighbourhood is too big to draw in a comment.
    TooBig {
        elements: usize,
    },
    Drawn(Neighbourhood),
}

/// The changed neighbourhood as a model of its own, with the diff's marks
/// in that model's IDs.
#[derive(Debug, Clone)]
pub struct Marked {
    pub model: Model,
    pub analysis: crate::analysis::Analysis,
    pub marks: Marks,
    /// Elements drawn (stand-ins not counted) and in the union.
    pub elements: (usize, usize),
    /// Flows drawn (summaries not counted) and in the union.
    pub flows: (usize, usize),
}

/// The changed neighbourhood of `diff` (OLD to NEW).
pub fn neighbourhood(old: &Model, new: &Model, diff: &Diff) -> Picture {
    let Some(v) = marked(old, new, diff) else {
        return Picture::Unchanged;
    };
    let mermaid = crate::emit::mermaid::mermaid_marked(&v.model, &v.analysis, &v.marks);
    if mermaid.len() > MAX_MERMAID {
        return Picture::TooBig {
            elements: v.elements.0,
        };
    }
    Picture::Drawn(Neighbourhood {
        mermaid,
        elements: v.elements,
        flows: v.flows,
    })
}

/// The model [`neighbourhood`] draws; `None` when nothing drawn changed.
pub fn marked(old: &Model, new: &Model, diff: &Diff) -> Option<Marked> {
    let u = union(old, new, diff);
    let m = &u.model;
    // The changed elements: marked, with changed threats, or inside a
    // marked boundary.
    let inside = |e: ElementId, b: BoundaryId| {
        let mut at = m[e].boundary;
        let mut steps = 0;
        while let Some(c) = at {
            if c == b {
                return true;
            }
            steps += 1;
            if steps > m.boundaries.len() {
                break;
            }
            at = m[c].parent;
        }
        false
    };
    let marked_boundaries: Vec<BoundaryId> = m
        .boundary_ids()
        .filter(|b| {
            u.marks.boundaries.contains_key(b) || u.marks.badges.contains_key(&Target::Boundary(*b))
        })
        .collect();
    let mut keep: BTreeSet<ElementId> = m
        .element_ids()
        .filter(|&e| {
            u.marks.elements.contains_key(&e)
                || u.marks.badges.contains_key(&Target::Element(e))
                || marked_boundaries.iter().any(|&b| inside(e, b))
        })
        .collect();
    // Their direct neighbours.
    let changed = keep.clone();
    for f in m.flow_ids() {
        let flow = &m[f];
        if changed.contains(&flow.source) || changed.contains(&flow.target) {
            keep.insert(flow.source);
            keep.insert(flow.target);
        }
    }
    // The ends of changed flows (but not their neighbours).
    for f in m.flow_ids() {
        if u.marks.flows.contains_key(&f) || u.marks.badges.contains_key(&Target::Flow(f)) {
            keep.insert(m[f].source);
            keep.insert(m[f].target);
        }
    }
    let mut focus: Vec<String> = keep.iter().map(|&e| m[e].name.clone()).collect();
    // An empty boundary that changed has no element to show it by.
    for &b in &marked_boundaries {
        if !m.element_ids().any(|e| inside(e, b)) {
            focus.push(m[b].name.clone());
        }
    }
    if focus.is_empty() {
        return None;
    }
    let spec = view::Spec {
        focus,
        depth: Some(0),
        collapse: Vec::new(),
    };
    // Every name comes from the union itself, so the view cannot refuse
    // it; should it, the whole union is drawn instead.
    let view = if m.elements.len() <= WHOLE_UP_TO {
        None
    } else {
        view::apply(m, &spec).ok().flatten()
    };
    let (mut model, analysis) = match view {
        Some(v) => (v.model, v.analysis),
        None => (u.model.clone(), u.analysis.clone()),
    };
    // The marks, by ID, in the view's model.
    let by_name = |names: Vec<(&str, Mark)>| -> BTreeMap<String, Mark> {
        names
            .into_iter()
            .map(|(n, mark)| (n.to_string(), mark))
            .collect()
    };
    let elements = by_name(
        u.marks
            .elements
            .iter()
            .map(|(&e, &mark)| (m[e].name.as_str(), mark))
            .collect(),
    );
    let boundaries = by_name(
        u.marks
            .boundaries
            .iter()
            .map(|(&b, &mark)| (m[b].name.as_str(), mark))
            .collect(),
    );
    let flows = by_name(
        u.marks
            .flows
            .iter()
            .map(|(&f, &mark)| (m[f].name.as_str(), mark))
            .collect(),
    );
    let stand_ins = model.view.as_ref().map(|v| &v.stand_ins);
    let is_stand_in = |e| stand_ins.is_some_and(|s| s.contains_key(&e));
    let summaries = model.view.as_ref().map(|v| &v.summary_flows);
    let is_summary = |f| summaries.is_some_and(|s| s.contains(&f));
    let mut marks = Marks {
        enabled: true,
        ..Marks::default()
    };
    for e in model.element_ids() {
        if is_stand_in(e) {
            continue;
        }
        if let Some(&mark) = elements.get(&model[e].name) {
            marks.elements.insert(e, mark);
        } else if u
            .marks
            .badges
            .keys()
            .any(|t| matches!(t, Target::Element(x) if m[*x].name == model[e].name))
        {
            marks.badges.insert(Target::Element(e), Mark::Changed);
        }
    }
    for b in model.boundary_ids() {
        if let Some(&mark) = boundaries.get(&model[b].name) {
            marks.boundaries.insert(b, mark);
        }
    }
    for f in model.flow_ids() {
        if is_summary(f) {
            continue;
        }
        if let Some(&mark) = flows.get(&model[f].name) {
            marks.flows.insert(f, mark);
        } else if u
            .marks
            .badges
            .keys()
            .any(|t| matches!(t, Target::Flow(x) if m[*x].name == model[f].name))
        {
            marks.badges.insert(Target::Flow(f), Mark::Changed);
        }
    }
    let shown_elements = model.element_ids().filter(|&e| !is_stand_in(e)).count();
    let shown_flows = model.flow_ids().filter(|&f| !is_summary(f)).count();
    // The view's caption lists every name in focus: too long to say.
    if let Some(v) = &mut model.view {
        v.caption = format!(
            "The changed neighbourhood: {shown_elements} of {} elements, {shown_flows} of {} flows.",
            m.elements.len(),
            m.flows.len()
        );
    }
    Some(Marked {
        model,
        analysis,
        marks,
        elements: (shown_elements, m.elements.len()),
        flows: (shown_flows, m.flows.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(old: &str, new: &str) -> Picture {
        let (o, n) = (crate::compile(old), crate::compile(new));
        let (o, n) = (o.valid().unwrap(), n.valid().unwrap());
        let d = crate::diff::diff(o, n);
        neighbourhood(o.0, n.0, &d)
    }

    #[test]
    fn no_drawn_change_draws_nothing() {
        let m = "process a\nprocess b\nflow a -> b\n";
        assert_eq!(pair(m, m), Picture::Unchanged);
        // A header change is not in the picture.
        assert_eq!(pair(m, &format!("title \"T\"\n{m}")), Picture::Unchanged);
    }

    #[test]
    fn the_changes_and_their_neighbours_are_drawn_marked() {
        let mut old = String::from("boundary dc {\n  process a\n  store s\n}\n");
        let mut flows = String::from("flow a -> s\n");
        for i in 0..20 {
            old.push_str(&format!("process p{i}\n"));
            flows.push_str(&format!("flow p{i} -> a\n"));
        }
        flows.push_str("flow p0 -> p1\nflow p2 -> p3\n");
        let old_model = format!("{old}{flows}");
        let new_model =
            format!("{old}process added\n{flows}flow added -> s\n").replace("flow p2 -> p3\n", "");
        let Picture::Drawn(n) = pair(&old_model, &new_model) else {
            panic!("nothing drawn");
        };
        // The union has 23 elements; the neighbourhood of `added` and of
        // the removed p2 -> p3 keeps added, s, p2, p3 and stand-ins.
        assert_eq!(n.elements.1, 23);
        assert!(n.is_partial(), "{n:?}");
        assert!(n.elements.0 < 10, "{n:?}");
        assert!(n.mermaid.contains("classDef tmdAdded"), "{}", n.mermaid);
        assert!(n.mermaid.contains("<i>added</i>"), "{}", n.mermaid);
        assert!(n.mermaid.contains("<i>removed</i>"), "{}", n.mermaid);
        assert!(n.mermaid.contains("tmdMore"), "{}", n.mermaid);
        // The boundary around a drawn element is kept.
        assert!(n.mermaid.contains("subgraph"), "{}", n.mermaid);
    }
}
