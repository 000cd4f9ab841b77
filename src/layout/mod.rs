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
mod fold;
mod geom;
mod nesting;
mod normalize;
mod order;
mod orient;
mod pairs;
mod position;
mod quality;
mod rank;
mod route;
mod sanitize;
mod simplex;
pub mod testgen;

use fold::Fold;

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

/// Above this many edges every edge is drawn on its own route, without
/// pairs: the check that pairs make the drawing no worse lays the graph
/// out three to six times, which would more than double the time of a big
/// model (measured: 100 generated elements, 148 flows, 13 ms -> 47 ms;
/// 1,000 elements 1.3 s -> 5.7 s), and on big tangled models the check
/// mostly falls back to single routes anyway. Hand-written models (the
/// samples, the shared models) stay well below.
const PAIR_CHECK_EDGES: usize = 120;

/// Lays out `g`. Never panics; malformed input gives a degraded layout.
///
/// From [`BALANCE_FROM_NODES`] nodes the drawing's aspect ratio is kept
/// within [`MAX_ASPECT`]: by spacing where that can do it (see
/// [`balance`]), otherwise by folding the ranks (see [`fold_to_shape`]).
pub fn layout(g: &Graph, opts: &Options) -> Layout {
    let memo = &mut Memo::default();
    let first = layout_folded(g, opts, Fold::None, memo);
    if g.nodes.len() < BALANCE_FROM_NODES {
        return first;
    }
    let spaced = balance(g, opts, first, Fold::None, memo);
    fold_to_shape(g, opts, spaced, memo)
}

/// The orientation and ordering of each graph [`layout_edges`] has laid
/// out during one [`layout`], with the notes they made and the
/// placement's alignments ([`bk::Blocks`]), so that the drawings
/// [`balance`] tries with other spacing reuse them: none of these
/// depends on the spacing (`node_sep`, `rank_sep`), only the coordinates
/// and routes after them do. Looked up by the edges, the pairing and the
/// fold; a handful of entries, searched in order. Also which pairs each
/// fold draws ([`layout_folded`]).
#[derive(Default)]
struct Memo {
    entries: Vec<(MemoKey, Ordered)>,
    /// Per fold, the graph's ranking and ordering with every edge on its
    /// own route ([`Plain`]).
    plain: Vec<Plain>,
    /// Per fold, the pairs [`choose_pairs`] drew (None: every edge on its
    /// own route).
    chosen: Vec<(Fold, Option<Vec<pairs::Pair>>)>,
}

/// A [`Memo`] entry: which edges point the other way, the ordered layered
/// graph, and the notes made on the way.
struct Ordered {
    reversed: Vec<bool>,
    lg: normalize::LGraph,
    /// The placement's alignments of `lg` (they do not depend on the
    /// spacing either).
    blocks: bk::Blocks,
    notes: Vec<String>,
}

/// The graph ranked and ordered with every edge on its own route, before
/// [`orient::orient`], with the notes made on the way: the drawing
/// without pairs is this one oriented, and the drawing with pairs is
/// ordered starting from it ([`order_edges`]), so the two share it.
struct Plain {
    fold: Fold,
    /// The edges it was made from, by input index, source and target (the
    /// graph's nodes and clusters, and the edges' labels, are the same
    /// throughout one [`layout`]).
    edges: Vec<(usize, usize, usize)>,
    reversed: Vec<bool>,
    ranking: rank::Ranking,
    lg: normalize::LGraph,
    /// Which edges leave or enter their boxes early ([`ordered`]).
    early: Vec<bool>,
    notes: Vec<String>,
}

/// The index in `plains` of the [`Plain`] ordering of `input` (the
/// sanitized graph, no edge paired) under `fold`, if made.
fn find_plain(plains: &[Plain], input: &sanitize::Input, fold: Fold) -> Option<usize> {
    plains.iter().position(|p| {
        p.fold == fold
            && p.edges.len() == input.edges.len()
            && p.edges
                .iter()
                .zip(&input.edges)
                .all(|(&k, e)| k == (e.id, e.src, e.dst))
    })
}

/// The [`Plain`] ordering of `input` under `fold`, with the notes made.
fn make_plain(
    input: &sanitize::Input,
    tree: &nesting::ClusterTree,
    opts: &Options,
    fold: Fold,
) -> Plain {
    let mut notes = Vec::new();
    let (reversed, ranking) = ranked(input, tree, opts, fold, &mut notes);
    let (lg, early) = ordered(input, tree, &reversed, &ranking, opts, &mut notes);
    Plain {
        fold,
        edges: input.edges.iter().map(|e| (e.id, e.src, e.dst)).collect(),
        reversed,
        ranking,
        lg,
        early,
        notes,
    }
}

/// What a [`Memo`] entry was ordered from, besides the graph's nodes and
/// clusters (the same throughout one [`layout`]).
#[derive(PartialEq)]
struct MemoKey {
    fold: Fold,
    edges: Vec<(usize, usize)>,
    paired: Vec<bool>,
    original: Option<Vec<usize>>,
}

/// One pass of the pipeline with the given spacing, unfolded and
/// unbalanced (for tests).
#[cfg(test)]
fn layout_once(g: &Graph, opts: &Options) -> Layout {
    layout_folded(g, opts, Fold::None, &mut Memo::default())
}

/// One pass of the pipeline with the given spacing and the ranking folded
/// as `fold` asks. Request/response pairs are drawn as close pairs unless
/// that drawing has more crossing pairs or more passes through foreign
/// boxes than the one with every edge on its own route ([`choose_pairs`]).
/// The choice is made once per fold, at the first spacing, and kept in
/// `memo` for the other spacings [`balance`] tries: spacing moves the
/// lines, not the order that decides what crosses.
fn layout_folded(g: &Graph, opts: &Options, fold: Fold, memo: &mut Memo) -> Layout {
    let pairs = pairs::find(g);
    if pairs.is_empty() || g.edges.len() > PAIR_CHECK_EDGES {
        return layout_edges(g, &[], None, opts, fold, memo).0;
    }
    let chosen = memo
        .chosen
        .iter()
        .find(|(f, _)| *f == fold)
        .map(|(_, c)| c.clone());
    match chosen {
        Some(Some(kept)) => layout_pairs(g, &kept, opts, fold, memo),
        Some(None) => layout_edges(g, &[], None, opts, fold, memo).0,
        None => {
            let (lay, kept) = choose_pairs(g, &pairs, opts, fold, memo);
            memo.chosen.push((fold, kept));
            lay
        }
    }
}

/// Lays out `g` with its `pairs` drawn as close pairs where that makes
/// the drawing no worse than the one with every edge on its own route:
/// no more crossing pairs, no more passes through foreign boxes. Returns
/// the layout and the pairs it draws (None: every edge on its own route).
fn choose_pairs(
    g: &Graph,
    pairs: &[pairs::Pair],
    opts: &Options,
    fold: Fold,
    memo: &mut Memo,
) -> (Layout, Option<Vec<pairs::Pair>>) {
    let through = |l: &Layout, e: usize| quality::foreign_clusters(g, l, e);
    let score = |l: &Layout| {
        let passes: usize = (0..g.edges.len()).map(|e| through(l, e)).sum();
        (passes, quality::crossing_pairs(g, l))
    };
    let lay = layout_pairs(g, pairs, opts, fold, memo);
    let paired = score(&lay);
    // Nothing crosses and nothing passes a foreign box: the drawing
    // without pairs cannot do better.
    if paired == (0, 0) {
        return (lay, Some(pairs.to_vec()));
    }
    // Each edge on its own route, as without pairs: the drawing a pair
    // must not make worse.
    let single = layout_edges(g, &[], None, opts, fold, memo).0;
    let bound = score(&single);
    let fits = |s: (usize, usize)| s.0 <= bound.0 && s.1 <= bound.1;
    if fits(paired) {
        return (lay, Some(pairs.to_vec()));
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
        let fewer = layout_pairs(g, &keep, opts, fold, memo);
        if fits(score(&fewer)) {
            return (fewer, Some(keep));
        }
    }
    (single, None)
}

/// Lays out `g` with the edges of each of `pairs` drawn as a close pair.
fn layout_pairs(
    g: &Graph,
    pairs: &[pairs::Pair],
    opts: &Options,
    fold: Fold,
    memo: &mut Memo,
) -> Layout {
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
    let (lay, half) = layout_edges(&reduced, &paired, Some((g, &original)), opts, fold, memo);
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
    fold: Fold,
    memo: &mut Memo,
) -> (Layout, Vec<f64>) {
    let mut notes: Vec<String> = Vec::new();
    let opts = sanitize::options(opts, &mut notes);
    let input = sanitize::sanitize(g, paired, &mut notes);
    let tree = nesting::ClusterTree::new(&input.cluster_parent, &input.node_cluster);
    let key = MemoKey {
        fold,
        edges: g.edges.iter().map(|e| (e.source, e.target)).collect(),
        paired: paired.to_vec(),
        original: full.map(|(_, o)| o.to_vec()),
    };
    // Ordered once per graph, pairing and fold; laid out from the memo
    // (not a copy of it) every time.
    let at = match memo.entries.iter().position(|(k, _)| *k == key) {
        Some(i) => {
            notes.extend(memo.entries[i].1.notes.iter().cloned());
            i
        }
        None => {
            let mut made = Vec::new();
            let (reversed, lg) =
                order_edges(&input, &tree, full, &opts, fold, &mut memo.plain, &mut made);
            notes.extend(made.iter().cloned());
            let blocks = bk::blocks(&lg);
            memo.entries.push((
                key,
                Ordered {
                    reversed,
                    lg,
                    blocks,
                    notes: made,
                },
            ));
            memo.entries.len() - 1
        }
    };
    let Ordered {
        reversed,
        lg,
        blocks,
        ..
    } = &memo.entries[at].1;
    let rows = position::rows(lg, &input, &opts, &[]);
    let xs = bk::x_coords(lg, blocks, &rows, &opts);
    // The gaps between rows grow to hold the tracks of the edges that
    // change column there; x does not depend on them.
    let plan = route::plan(&input, lg, &xs, &opts);
    let rows = position::rows(lg, &input, &opts, &plan.gaps());
    let internal = route::assemble(&input, lg, &rows, &xs, reversed, &plan, &opts);
    let half = internal.pair_half.clone();
    let mut out = route::finish(internal, g.direction, &opts);
    if !notes.is_empty() {
        out.degraded = Some(notes.join("; "));
    }
    (out, half)
}

/// The orientation and the ordered layered graph of [`layout_edges`]: the
/// part of the pipeline that does not depend on the spacing. The
/// [`Plain`] ordering it starts from is taken from (or kept in) `plains`.
fn order_edges(
    input: &sanitize::Input,
    tree: &nesting::ClusterTree,
    full: Option<(&Graph, &[usize])>,
    opts: &Options,
    fold: Fold,
    plains: &mut Vec<Plain>,
    notes: &mut Vec<String>,
) -> (Vec<bool>, normalize::LGraph) {
    match full {
        None => {
            // Made by the drawing with pairs before (copied), or made here
            // (and not kept: the drawing with pairs, where there is one, is
            // made first).
            let (reversed, mut lg) = match find_plain(plains, input, fold) {
                Some(i) => {
                    let p = &plains[i];
                    notes.extend(p.notes.iter().cloned());
                    (p.reversed.clone(), p.lg.clone())
                }
                None => {
                    let p = make_plain(input, tree, opts, fold);
                    notes.extend(p.notes);
                    (p.reversed, p.lg)
                }
            };
            orient::orient(&mut lg, tree, &input.node_cluster);
            (reversed, lg)
        }
        Some((fg, original)) => {
            // The same nodes and clusters: only the edges differ, so the
            // sanitizer's notes are the ones already taken.
            let finput = sanitize::sanitize(fg, &[], &mut Vec::new());
            let at = match find_plain(plains, &finput, fold) {
                Some(i) => i,
                None => {
                    plains.push(make_plain(&finput, tree, opts, fold));
                    plains.len() - 1
                }
            };
            let p = &plains[at];
            notes.extend(p.notes.iter().cloned());
            let (frev, ranking, flg, fearly) = (&p.reversed, &p.ranking, &p.lg, &p.early);
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
            let early: Vec<bool> = full_edge
                .iter()
                .map(|j| j.and_then(|j| fearly.get(j).copied()).unwrap_or(false))
                .collect();
            let mut lg = normalize::build(input, tree, &reversed, ranking, opts, &early);
            let mut own = lg.clone();
            order::transfer(flg, &full_edge, &mut lg);
            // Then sweeps from there, a pair counting as its two edges.
            order::refine(&mut lg, tree, opts);
            // The graph's own ordering may find fewer crossings still
            // (where there are any).
            let both = finput.node_count() <= REORDER_NODES;
            let now = order::crossings_now(&lg);
            if now > 0 {
                order::order(&mut own, tree, opts, &mut Vec::new(), both);
                if order::crossings_now(&own) < now {
                    lg = own;
                }
            }
            if both {
                order::clear_cuts(&mut lg, tree, opts);
            }
            orient::orient(&mut lg, tree, &input.node_cluster);
            (reversed, lg)
        }
    }
}

/// Above this many nodes [`ordered`] orders once, from one start: a
/// second ordering would take the SVG of the bench's 1,000 elements from
/// about 50 to 80 ms.
const REORDER_NODES: usize = 500;

/// The layered graph of `input`, ordered, and which edges leave or enter
/// their boxes early. Every edge first leaves its source's boxes by their
/// last row and enters its target's by their first; the edges that then
/// cut through a sibling box (one whose band begins on the row where
/// theirs ends, lying in their way) are made to leave (enter) in a gap
/// that no sibling spans, and the graph is ordered again: kept if fewer
/// edges cut a sibling. So an edge leaves its box sideways only where a
/// sibling is in its way. The cuts left, sibling boxes may trade places
/// to clear ([`order::clear_cuts`]). (Up to [`REORDER_NODES`] nodes.)
fn ordered(
    input: &sanitize::Input,
    tree: &nesting::ClusterTree,
    reversed: &[bool],
    ranking: &rank::Ranking,
    opts: &Options,
    notes: &mut Vec<String>,
) -> (normalize::LGraph, Vec<bool>) {
    let plain = vec![false; input.edges.len()];
    let mut lg = normalize::build(input, tree, reversed, ranking, opts, &plain);
    let small = input.node_count() <= REORDER_NODES;
    order::order(&mut lg, tree, opts, notes, small);
    if !small {
        return (lg, plain);
    }
    let cut = order::cut_siblings(&lg, tree);
    let count = |c: &[bool]| c.iter().filter(|&&x| x).count();
    let n = count(&cut);
    if n == 0 {
        return (lg, plain);
    }
    let mut again = normalize::build(input, tree, reversed, ranking, opts, &cut);
    order::order(&mut again, tree, opts, &mut Vec::new(), true);
    let (mut lg, early) = if count(&order::cut_siblings(&again, tree)) < n {
        (again, cut)
    } else {
        (lg, plain)
    };
    order::clear_cuts(&mut lg, tree, opts);
    (lg, early)
}

/// Which edges of `input` point the other way, and the ranking, folded
/// as `fold` asks.
fn ranked(
    input: &sanitize::Input,
    tree: &nesting::ClusterTree,
    opts: &Options,
    fold: Fold,
    notes: &mut Vec<String>,
) -> (Vec<bool>, rank::Ranking) {
    let mut reversed =
        acyclic::reversed_edges(input.node_count(), &input.edges, &input.node_cluster, tree);
    let mut ranking = rank::rank(input, tree, &reversed, opts, notes);
    fold::apply(input, tree, &mut reversed, &mut ranking, fold);
    (reversed, ranking)
}

/// Graphs of at least this many nodes get their aspect ratio balanced.
/// Smaller ones are drawn as laid out: a handful of nodes reads at any
/// shape, and their pictures stay as they were.
pub const BALANCE_FROM_NODES: usize = 10;

/// The longest side of a balanced drawing's content (without the margin)
/// is at most this many times its shortest side.
pub const MAX_ASPECT: f64 = 3.0;

/// The ratio [`balance`] steers for when it must correct one: inside
/// [`MAX_ASPECT`] by a margin, so that what is drawn around the layout
/// (labels of boundaries, rounding) does not push it back out.
const BALANCE_AIM: f64 = 2.7;

/// A balanced drawing is accepted once its ratio is at most this.
const BALANCE_ACCEPT: f64 = 2.85;

/// Spacing is never raised beyond this many times the given one.
const BALANCE_MAX_SPREAD: f64 = 8.0;

/// Layouts tried at most while balancing, after the first.
const BALANCE_TRIES: usize = 6;

/// The content extents of a layout along and across its ranks (along is
/// the reading direction), without the margin.
fn extents(direction: Direction, l: &Layout, margin: f64) -> (f64, f64) {
    let w = l.width - 2.0 * margin;
    let h = l.height - 2.0 * margin;
    match direction {
        Direction::TopDown => (h, w),
        Direction::LeftRight => (w, h),
    }
}

/// Keeps the aspect ratio of `first` (the layout of `g` with `opts`)
/// within [`MAX_ASPECT`] by spacing alone, so the order of nodes, and with
/// it the crossings, stays the same:
///
/// - a drawing too long in its reading direction (a left-right strip, a
///   top-down tower) gets more room between the nodes of a rank
///   (`node_sep`), which widens it across the ranks;
/// - a drawing too wide across its ranks gets more room between ranks
///   (`rank_sep`), which lengthens it along them.
///
/// The spacing is found by the secant method on the short side's length
/// (close to linear in the spacing, once it is wider than the tracks the
/// gaps hold; until then it is doubled), aiming at [`BALANCE_AIM`], within
/// [`BALANCE_MAX_SPREAD`] times the given spacing and [`BALANCE_TRIES`]
/// layouts. Spacing cannot help where the short side has no gaps to grow
/// (a plain chain drawn along its length, nodes all in one rank): the
/// drawing nearest the bound is kept. The short side grows at most in
/// proportion to the spacing (measured on every try so far: 0.21 to 0.91
/// of that on the samples, tests and generated models), so the tries stop
/// where even the largest spacing could not bring the ratio within
/// [`MAX_ASPECT`]: [`fold_to_shape`] folds such a drawing anyway.
fn balance(g: &Graph, opts: &Options, first: Layout, fold: Fold, memo: &mut Memo) -> Layout {
    let base = sanitize::options(opts, &mut Vec::new());
    let (along, across) = extents(g.direction, &first, base.margin);
    if along <= 0.0 || across <= 0.0 {
        return first;
    }
    // Which spacing grows the short side, and how to read a layout's
    // (short, long) sides.
    let grow_across = if along > MAX_ASPECT * across {
        true
    } else if across > MAX_ASPECT * along {
        false
    } else {
        return first;
    };
    let sides = |l: &Layout| {
        let (a, c) = extents(g.direction, l, base.margin);
        if grow_across {
            (c, a)
        } else {
            (a, c)
        }
    };
    let ratio = |l: &Layout| {
        let (short, long) = sides(l);
        if short > 0.0 {
            long / short
        } else {
            f64::INFINITY
        }
    };
    let spacing0 = if grow_across {
        base.node_sep
    } else {
        base.rank_sep
    }
    .max(1.0);
    let cap = spacing0 * BALANCE_MAX_SPREAD;
    let (short0, long0) = sides(&first);
    // First guess: the short side proportional to the spacing (it grows
    // less than that, so the guess falls short and the secant goes on).
    let mut prev = (spacing0, short0);
    let mut next = (spacing0 * long0 / (BALANCE_AIM * short0)).min(cap);
    let mut best_ratio = ratio(&first);
    let mut best = first;
    let mut long_now = long0;
    for _ in 0..BALANCE_TRIES {
        if next <= prev.0 {
            break;
        }
        // The short side grows at most in proportion to the spacing (the
        // nodes and labels across it do not grow at all): where even the
        // largest spacing could not bring the drawing within bounds, no
        // try can, and folding is left to do it.
        if long_now > MAX_ASPECT * prev.1 * (cap / prev.0) {
            break;
        }
        // The caller's options (a repaired one still says so in
        // `degraded`), with the one spacing changed.
        let mut o = opts.clone();
        if grow_across {
            o.node_sep = next;
        } else {
            o.rank_sep = next;
        }
        let l = layout_folded(g, &o, fold, memo);
        let r = ratio(&l);
        let (short, long) = sides(&l);
        if r < best_ratio {
            best_ratio = r;
            best = l;
        }
        if best_ratio <= BALANCE_ACCEPT {
            break;
        }
        let slope = (short - prev.1) / (next - prev.0);
        prev = (next, short);
        long_now = long;
        next = if slope.is_finite() && slope > 1e-6 {
            next + (long / BALANCE_AIM - short) / slope
        } else {
            // Nothing grew: the gaps are wider than the spacing already
            // (they hold the tracks of many flows). Double it.
            next * 2.0
        }
        .min(cap);
    }
    best
}

/// Folded layouts tried at most, with ever more columns or rows.
const FOLD_TRIES: usize = 3;

/// Folds a drawing that spacing could not bring within [`MAX_ASPECT`]
/// (`spaced`, the best [`balance`] found): one too long along its ranks
/// into columns set side by side, one too wide across them into rows (see
/// [`fold`]). The number of columns or rows starts at the one that the
/// ratio says should do (folding in `k` divides the ratio by about `k`
/// squared) and grows, by what the last try left, while the drawing is
/// still out of bounds. A fold that leaves the drawing out of bounds is
/// spaced as [`balance`] spaces an unfolded one, so that few columns or
/// rows do where spacing can finish the work (a fan of 20 stores in two
/// rows rather than four staggered ones). The first drawing within
/// [`BALANCE_ACCEPT`] is kept, otherwise the one nearest.
fn fold_to_shape(g: &Graph, opts: &Options, spaced: Layout, memo: &mut Memo) -> Layout {
    let margin = sanitize::options(opts, &mut Vec::new()).margin;
    let ratio = |l: &Layout| {
        let (along, across) = extents(g.direction, l, margin);
        if along <= 0.0 || across <= 0.0 {
            return (f64::INFINITY, along >= across);
        }
        (along.max(across) / along.min(across), along >= across)
    };
    let (r0, long) = ratio(&spaced);
    if r0 <= MAX_ASPECT || !r0.is_finite() {
        return spaced;
    }
    let mut count = ((r0 / BALANCE_AIM).sqrt().ceil() as usize).max(2);
    let mut best = (r0, spaced);
    for _ in 0..FOLD_TRIES {
        let fold = if long {
            Fold::Columns(count)
        } else {
            Fold::Rows(count)
        };
        // Spaced where it is still out of bounds (`balance` returns a
        // drawing within them as it is).
        let l = balance(g, opts, layout_folded(g, opts, fold, memo), fold, memo);
        let r = ratio(&l).0;
        if r < best.0 {
            best = (r, l);
        }
        if best.0 <= BALANCE_ACCEPT {
            break;
        }
        // Columns shorten the long side and widen the short one; rows
        // mostly lengthen the short side (the edges to the farther rows
        // keep their room across).
        let grow = if long {
            (r / BALANCE_AIM).sqrt()
        } else {
            r / BALANCE_AIM
        };
        let next = (count as f64 * grow).ceil();
        count = if next.is_finite() && next < (g.nodes.len() as f64) {
            (next as usize).max(count + 1)
        } else {
            count + 1
        };
    }
    best.1
}

/// Page shape `direction auto` aims for: 4:3 landscape.
pub const PAGE_ASPECT: f64 = 4.0 / 3.0;

/// Lays out `g` both top-down and left-right (its own `direction` is
/// ignored) and keeps the one that reads better: the one with clearly
/// fewer crossing pairs (the other has more than [`AUTO_CROSSING_SLACK`]
/// times as many, plus two), otherwise the one whose aspect ratio is
/// nearer [`PAGE_ASPECT`] on a logarithmic scale, that is by the factor
/// between them (so 2:1 and 1:1.125 are equally far from 4:3, a factor
/// of 1.5); on a tie, top-down. Returns
/// the direction kept with its layout. Deterministic: both layouts are.
pub fn layout_auto(g: &Graph, opts: &Options) -> (Direction, Layout) {
    let mut td = g.clone();
    td.direction = Direction::TopDown;
    let mut lr = g.clone();
    lr.direction = Direction::LeftRight;
    let (a, b) = (layout(&td, opts), layout(&lr, opts));
    if auto_prefers_second(&td, &a, &lr, &b) {
        (Direction::LeftRight, b)
    } else {
        (Direction::TopDown, a)
    }
}

/// How many times as many crossing pairs (plus two) one direction of
/// `direction auto` must have for the other to win whatever its shape.
pub const AUTO_CROSSING_SLACK: f64 = 1.25;

/// `direction auto`'s choice between layout `a` of graph `ga` and `b` of
/// `gb` (the same graph in the two directions): true for `b`.
fn auto_prefers_second(ga: &Graph, a: &Layout, gb: &Graph, b: &Layout) -> bool {
    let ca = quality(ga, a).crossing_pairs as f64;
    let cb = quality(gb, b).crossing_pairs as f64;
    if ca > cb * AUTO_CROSSING_SLACK + 2.0 {
        return true;
    }
    if cb > ca * AUTO_CROSSING_SLACK + 2.0 {
        return false;
    }
    page_distance(b) < page_distance(a)
}

/// How far a drawing's aspect ratio is from [`PAGE_ASPECT`], as a factor
/// (1 on it, 2 for twice as wide or twice as tall; infinite for an empty
/// drawing). A ratio rather than the logarithm's distance, which orders
/// drawings the same: `ln` is the binary's only use of libm, and loading
/// libm costs every `tmd` process at start.
fn page_distance(l: &Layout) -> f64 {
    if l.width <= 0.0 || l.height <= 0.0 {
        return f64::INFINITY;
    }
    let x = l.width / l.height / PAGE_ASPECT;
    x.max(1.0 / x)
}

#[cfg(test)]
mod tests;
