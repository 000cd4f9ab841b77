//! Compound layered ("Sugiyama") layout for data-flow diagrams with nested
//! trust boundaries, after Sander and Forster as popularised by dagre.
//!
//! The pipeline works in top-down internal coordinates (for
//! [`Direction::LeftRight`] every size is transposed on the way in and every
//! coordinate on the way out):
//!
//! 1. [`sanitize`]: validate the input; out-of-range indices and non-finite
//!    sizes are repaired and reported through `Layout::degraded`.
//! 2. [`acyclic`]: reverse a deterministic set of edges (DFS back edges).
//! 3. [`nesting`] + [`rank`]: rank the nesting graph (border top/bottom node
//!    per cluster) with network simplex so every cluster occupies a
//!    contiguous band of ranks; every edge spans at least two ranks so its
//!    label gets a rank of its own.
//! 4. [`normalize`]: split edges into dummy chains and add left/right border
//!    dummies per cluster and rank.
//! 5. [`order`]: barycentre sweeps with the compound rule (clusters are
//!    contiguous units, and sibling clusters keep one left-to-right order on
//!    every rank so their boxes can be rectangles).
//! 6. [`position`] + [`bk`]: row heights give y; Brandes-Köpf gives x, with
//!    each cluster border chain forced into a single block.
//! 7. [`route`]: orthogonal routes: each edge in its own column within a
//!    row and on its own track where it changes column between rows (the
//!    gaps grow to hold their tracks), ends at their own ports, clipped to
//!    the node outline.

// Dense index arithmetic over arrays this module sizes itself: every node,
// edge and rank index is made here, after `sanitize` has repaired the
// caller's out-of-range indices, so indexing stays (and reads as the
// algorithms are written). Everything else in the crate denies it; the
// layout is exercised by the `emit` fuzz target and tests/svg_quality.rs.
#![allow(clippy::indexing_slicing)]

mod acyclic;
mod bk;
mod crossings;
mod geom;
mod nesting;
mod normalize;
mod order;
mod pairs;
mod position;
mod quality;
mod rank;
mod route;
mod sanitize;
mod simplex;
pub mod testgen;

pub use quality::{check, cluster_label_rect, quality, Quality};

/// Main reading direction of the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    TopDown,
    LeftRight,
}

/// Outline of a node; edge end points are clipped to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rect,
    Ellipse,
}

/// A node to place. `cluster` is the innermost cluster holding it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub width: f64,
    pub height: f64,
    pub shape: Shape,
    pub cluster: Option<usize>,
}

/// A cluster (trust boundary). Its label is drawn at the top-left inside
/// the box; the layout reserves room for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub parent: Option<usize>,
    pub label_width: f64,
    pub label_height: f64,
}

/// A directed edge; a label size of 0x0 means no label.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub label_width: f64,
    pub label_height: f64,
    /// The edge this one answers (a response to its request): the two are
    /// drawn as a close pair along one route. Two opposite edges between
    /// the same nodes are paired without it too.
    pub response_to: Option<usize>,
}

/// The whole input.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub clusters: Vec<Cluster>,
    pub edges: Vec<Edge>,
    pub direction: Direction,
}

/// Spacing and effort settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Gap between neighbouring nodes in a rank (and between boxes).
    pub node_sep: f64,
    /// Gap between the rows of two ranks holding real nodes.
    pub rank_sep: f64,
    /// Padding between a cluster box and its content.
    pub cluster_pad: f64,
    /// Gap between edges running side by side.
    pub edge_sep: f64,
    /// Gap between an edge and its label.
    pub label_gap: f64,
    /// Empty border around the drawing.
    pub margin: f64,
    /// Upper bound on crossing-reduction sweeps.
    pub max_order_sweeps: usize,
    /// Network simplex pivots allowed before settling for the current
    /// (feasible but not optimal) ranking.
    pub max_simplex_pivots: usize,
    /// Above this many layered items (nodes plus dummies) the ordering and
    /// ranking effort is reduced and `degraded` says so.
    pub effort_items: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            node_sep: 30.0,
            rank_sep: 40.0,
            cluster_pad: 14.0,
            edge_sep: 12.0,
            label_gap: 4.0,
            margin: 16.0,
            max_order_sweeps: 24,
            max_simplex_pivots: 20_000,
            effort_items: 40_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Polyline from the source outline to the target outline (source first),
/// and where the edge label goes.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRoute {
    pub points: Vec<Point>,
    pub label: Option<Rect>,
}

/// Result: rectangles for nodes and clusters (indexed like the input) and
/// edge routes (indexed like the input edges).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Rect>,
    pub clusters: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    /// Why the layout is worse than usual (bad input, size limits), if it is.
    pub degraded: Option<String>,
}

/// Above this many edges, pairs are drawn without checking them against
/// the drawing with every edge on its own route (the check lays the graph
/// out up to three times and compares every two edges).
const PAIR_CHECK_EDGES: usize = 2_000;

/// Lays out `g`. Never panics; malformed input gives a degraded layout.
pub fn layout(g: &Graph, opts: &Options) -> Layout {
    let pairs = pairs::find(g);
    if pairs.is_empty() {
        return layout_edges(g, &[], None, opts).0;
    }
    if g.edges.len() > PAIR_CHECK_EDGES {
        return layout_pairs(g, &pairs, opts);
    }
    // Each edge on its own route, as without pairs: the drawing a pair
    // must not make worse.
    let single = layout_edges(g, &[], None, opts).0;
    let through = |l: &Layout, e: usize| quality::foreign_clusters(g, l, e);
    let score = |l: &Layout| {
        let passes: usize = (0..g.edges.len()).map(|e| through(l, e)).sum();
        (passes, quality::crossing_pairs(g, l))
    };
    let bound = score(&single);
    let fits = |l: &Layout| {
        let s = score(l);
        s.0 <= bound.0 && s.1 <= bound.1
    };
    let lay = layout_pairs(g, &pairs, opts);
    if fits(&lay) {
        return lay;
    }
    // Some pair costs crossings or runs through a boundary holding
    // neither end (two lines go where one would have had to). First the
    // pairs that pass such a boundary are drawn as two edges; if that is
    // still worse, every pair is.
    let keep: Vec<pairs::Pair> = pairs
        .iter()
        .filter(|p| through(&lay, p.leader) == 0 && through(&lay, p.follower) == 0)
        .copied()
        .collect();
    if !keep.is_empty() && keep.len() < pairs.len() {
        let fewer = layout_pairs(g, &keep, opts);
        if fits(&fewer) {
            return fewer;
        }
    }
    single
}

/// Lays out `g` with the edges of each of `pairs` drawn as a close pair.
fn layout_pairs(g: &Graph, pairs: &[pairs::Pair], opts: &Options) -> Layout {
    let (reduced, map, paired) = pairs::reduce(g, pairs);
    // Per edge of the reduced graph, its index in `g`.
    let mut original = vec![0usize; reduced.edges.len()];
    let mut follower = vec![false; g.edges.len()];
    for p in pairs {
        if let Some(f) = follower.get_mut(p.follower) {
            *f = true;
        }
    }
    for (i, &k) in map.iter().enumerate() {
        if !follower[i] {
            if let Some(slot) = original.get_mut(k) {
                *slot = i;
            }
        }
    }
    let (lay, half) = layout_edges(&reduced, &paired, Some((g, &original)), opts);
    pairs::expand(g, pairs, &map, &half, lay)
}

/// The pipeline, every edge on its own route; `paired` edges (by index,
/// missing: false) get room for two lines. With `full` (the graph with
/// both edges of every pair, and per edge of `g` its index there), the
/// edges are oriented, ranked and ordered as in the full graph, so a pair
/// sits where its two edges would and weighs twice wherever they would
/// cross others. Also gives, per edge, the half gap of its pair's two
/// lines.
fn layout_edges(
    g: &Graph,
    paired: &[bool],
    full: Option<(&Graph, &[usize])>,
    opts: &Options,
) -> (Layout, Vec<f64>) {
    let mut notes: Vec<String> = Vec::new();
    let opts = sanitize::options(opts, &mut notes);
    let input = sanitize::sanitize(g, paired, &mut notes);
    let tree = nesting::ClusterTree::new(&input.cluster_parent, &input.node_cluster);
    let (reversed, lg) = match full {
        None => {
            let reversed = acyclic::reversed_edges(
                input.node_count(),
                &input.edges,
                &input.node_cluster,
                &tree,
            );
            let ranking = rank::rank(&input, &tree, &reversed, &opts, &mut notes);
            let mut lg = normalize::build(&input, &tree, &reversed, &ranking, &opts);
            order::order(&mut lg, &tree, &opts, &mut notes);
            (reversed, lg)
        }
        Some((fg, original)) => {
            // The same nodes and clusters: only the edges differ, so the
            // sanitizer's notes are the ones already taken.
            let finput = sanitize::sanitize(fg, &[], &mut Vec::new());
            let frev = acyclic::reversed_edges(
                finput.node_count(),
                &finput.edges,
                &finput.node_cluster,
                &tree,
            );
            let ranking = rank::rank(&finput, &tree, &frev, &opts, &mut notes);
            let mut flg = normalize::build(&finput, &tree, &frev, &ranking, &opts);
            order::order(&mut flg, &tree, &opts, &mut notes);
            // Per edge of `fg`: its index among the full input's edges.
            let mut at = vec![None; fg.edges.len()];
            for (j, e) in finput.edges.iter().enumerate() {
                if let Some(slot) = at.get_mut(e.id) {
                    *slot = Some(j);
                }
            }
            let full_edge: Vec<Option<usize>> = input
                .edges
                .iter()
                .map(|e| {
                    original
                        .get(e.id)
                        .and_then(|&o| at.get(o).copied().flatten())
                })
                .collect();
            let reversed: Vec<bool> = full_edge
                .iter()
                .map(|j| j.and_then(|j| frev.get(j).copied()).unwrap_or(false))
                .collect();
            let mut lg = normalize::build(&input, &tree, &reversed, &ranking, &opts);
            let mut own = lg.clone();
            order::transfer(&flg, &full_edge, &mut lg);
            // Then sweeps from there, a pair counting as its two edges.
            order::refine(&mut lg, &tree, &opts);
            // The graph's own ordering may find fewer crossings still.
            order::order(&mut own, &tree, &opts, &mut Vec::new());
            if order::crossings_now(&own) < order::crossings_now(&lg) {
                lg = own;
            }
            (reversed, lg)
        }
    };
    let rows = position::rows(&lg, &input, &opts, &[]);
    let xs = bk::x_coords(&lg, &rows, &opts);
    // The gaps between rows grow to hold the tracks of the edges that
    // change column there; x does not depend on them.
    let plan = route::plan(&input, &lg, &xs, &opts);
    let rows = position::rows(&lg, &input, &opts, &plan.gaps());
    let internal = route::assemble(&input, &lg, &rows, &xs, &reversed, &plan, &opts);
    let half = internal.pair_half.clone();
    let mut out = route::finish(internal, g.direction, &opts);
    if !notes.is_empty() {
        out.degraded = Some(notes.join("; "));
    }
    (out, half)
}

#[cfg(test)]
mod tests;
