//! Which way a flow goes in trust.
//!
//! tmd reads trust from nesting: an element is as trusted as the number of
//! boundaries around it (outside every boundary: 0, the open world). A
//! flow goes **towards more trust** when it enters at least one boundary
//! and ends at least as deep as it started: from the open world into any
//! zone, from a zone into one nested in it, and between sibling zones
//! (tmd cannot tell which of two peers is the more trusted, so a rule
//! about entering a trusted zone holds both ways). It goes **towards less
//! trust** when it leaves a boundary and ends less deep than it started.
//! Boundary kinds do not change the order; rules that care about kinds
//! say so with `into_kind` and `out_of_kind`.

use crate::analysis::{Analysis, Crossing, Direction};
use crate::model::{ElementId, Flow};

fn depth(analysis: &Analysis, e: ElementId) -> usize {
    analysis
        .elements
        .get(e.index())
        .map_or(0, |f| f.boundary_path.len())
}

/// The flow enters a boundary and ends at least as trusted as it started.
pub fn towards_more(analysis: &Analysis, flow: &Flow, crossings: &[Crossing]) -> bool {
    crossings.iter().any(|c| c.direction == Direction::In)
        && depth(analysis, flow.target) >= depth(analysis, flow.source)
}

/// The flow leaves a boundary and ends less trusted than it started.
pub fn towards_less(analysis: &Analysis, flow: &Flow, crossings: &[Crossing]) -> bool {
    crossings.iter().any(|c| c.direction == Direction::Out)
        && depth(analysis, flow.target) < depth(analysis, flow.source)
}
