//! Horizontal placement after Brandes and Köpf ("Fast and Simple Horizontal
//! Coordinate Assignment", 2001), in the block-graph form dagre uses.
//!
//! Four alignments (aligning with upper or lower medians, sweeping from the
//! left or the right) are each compacted and then balanced by averaging the
//! two middle candidates per item. Where a chain forks at every step, every
//! alignment keeps it in line (see [`preferred`]). Segments of cluster
//! border chains have absolute priority: every segment crossing one is
//! marked as a conflict, so each border chain becomes a single block in
//! every alignment and thus one straight vertical line in the result.
//! Next come inner segments (both ends dummies), which keeps long edges
//! straight, except where an edge leaves its busier end's box (see
//! [`box_exits`]).
//!
//! Every alignment satisfies the separation constraints of each rank, and
//! taking order statistics per item preserves them, so the balanced result
//! does too. Two local passes follow, each within the room every item's
//! rank neighbours leave: [`refine`] moves items towards their neighbours
//! (an edge's dummy in line with one of its two neighbours, not half-way),
//! and [`straighten`] puts the dummies of each long edge in one column, so
//! that a bundle of edges running diagonally is not drawn as staircases.

use super::normalize::{Kind, LGraph};
use super::position::Rows;
use super::Options;

/// What the placement needs that does not depend on the spacing: each
/// item's place in its rank, and the block graph of each of the four
/// alignments. Made once per ordered graph ([`blocks`]) and kept with it,
/// so that the spacings [`super::balance`] tries only compact.
pub(super) struct Blocks {
    /// Each item's index in its rank.
    pos: Vec<usize>,
    /// Per alignment (upper medians then lower, each left then right),
    /// its block graph; None where even singleton blocks made a cycle
    /// (a bug guard: every item is then put at 0).
    sweeps: Vec<Option<Sweep>>,
}

/// The block graph of one alignment, ready to compact: each item's block,
/// per block its rank neighbours' blocks (in sweep order) with the item
/// whose separation applies, and the blocks in topological order.
struct Sweep {
    right: bool,
    root: Vec<usize>,
    /// Offsets into `succ`, per block.
    start: Vec<usize>,
    /// (neighbour's block, item whose `gap` separates them).
    succ: Vec<(usize, usize)>,
    topo: Vec<usize>,
}

/// The [`Blocks`] of `lg`: conflicts, preferred neighbours and the four
/// alignments. An alignment whose block graph turned out cyclic (a bug
/// guard) is replaced by singleton blocks.
pub(super) fn blocks(lg: &LGraph) -> Blocks {
    let n = lg.items.len();
    let mut pos = vec![0usize; n];
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let conflicts = mark_conflicts(lg, &pos);
    // Per item, the neighbour below and the one above that it prefers
    // (see [`preferred`]); the same for all four alignments.
    let prefers = Prefers {
        below: lg.down.iter().map(|l| preferred(lg, l, true)).collect(),
        above: lg.up.iter().map(|l| preferred(lg, l, false)).collect(),
    };
    let mut sweeps = Vec::with_capacity(4);
    for down in [false, true] {
        for right in [false, true] {
            let root = align(lg, &conflicts, &prefers, down, right);
            let s = sweep(lg, root, down, right).or_else(|| {
                let singletons = (0..n).collect();
                sweep(lg, singletons, false, right)
            });
            sweeps.push(s);
        }
    }
    Blocks { pos, sweeps }
}

/// Anchor x of every item, from the ordered graph's [`Blocks`].
pub(super) fn x_coords(lg: &LGraph, blocks: &Blocks, rows: &Rows, opts: &Options) -> Vec<f64> {
    let n = lg.items.len();
    let pos = &blocks.pos;
    // Per item, its separation from its right neighbour on its rank
    // (each is asked for many times below).
    let mut gap = vec![0.0f64; n];
    for layer in &lg.layers {
        for w in layer.windows(2) {
            gap[w[0]] = separation(lg, rows, opts, w[0], w[1]);
        }
    }
    let mut all: Vec<(Vec<f64>, bool)> = Vec::with_capacity(4);
    for (k, s) in blocks.sweeps.iter().enumerate() {
        let right = k % 2 == 1;
        let xs = match s {
            Some(s) => compact(lg, s, &gap),
            None => vec![0.0; n],
        };
        all.push((xs, right));
    }
    if n == 0 || all.len() < 4 {
        return vec![0.0; n];
    }
    let extent = |xs: &[f64]| {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for (v, &x) in xs.iter().enumerate() {
            lo = lo.min(x - lg.items[v].left);
            hi = hi.max(x + lg.items[v].right);
        }
        (lo, hi)
    };
    let anchors = |xs: &[f64]| {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let smallest = (0..all.len())
        .min_by(|&a, &b| {
            let (la, ha) = extent(&all[a].0);
            let (lb, hb) = extent(&all[b].0);
            (ha - la).total_cmp(&(hb - lb))
        })
        .unwrap_or(0);
    let (slo, shi) = anchors(&all[smallest].0);
    for (xs, right) in &mut all {
        let (lo, hi) = anchors(xs);
        let delta = if *right { shi - hi } else { slo - lo };
        xs.iter_mut().for_each(|x| *x += delta);
    }
    let mut x: Vec<f64> = (0..n)
        .map(|v| {
            let mut c = [all[0].0[v], all[1].0[v], all[2].0[v], all[3].0[v]];
            c.sort_by(f64::total_cmp);
            (c[1] + c[2]) / 2.0
        })
        .collect();
    refine(lg, &mut x, &gap, REFINE_PASSES);
    straighten(lg, pos, &mut x, &gap);
    x
}

/// Rounds of [`straighten`].
const STRAIGHTEN_ROUNDS: usize = 3;

/// Puts the dummies of each long edge in as few columns as their rank
/// neighbours leave room for, so the edge runs straight and bends a few
/// times instead of stepping aside on every rank (a staircase, which
/// balancing and refining draw where a bundle of edges runs diagonally).
///
/// Each dummy may stand anywhere between its rank neighbours (with their
/// separations); walking down the edge, a run of dummies can share a
/// column while those ranges overlap, and the longest such run is taken
/// each time (which gives the fewest columns). A run's column is, in this
/// order of preference: the column of the item above it (no bend there),
/// of the item below it, the one its first dummy is in, the middle of
/// the shared range, or (a range open on one side) the nearest to the
/// item below. Nodes and borders do not move, and every dummy stays
/// within its neighbours' separations, so order, boxes and gaps are kept.
fn straighten(lg: &LGraph, pos: &[usize], x: &mut [f64], gap: &[f64]) {
    let bounds = |x: &[f64], v: usize| room(&lg.layers[lg.items[v].rank], pos[v], x, gap);
    const EPS: f64 = 0.01;
    for _ in 0..STRAIGHTEN_ROUNDS {
        let mut changed = false;
        for chain in &lg.chains {
            let n = chain.len();
            if n < 4 || !chain[1..n - 1].iter().all(|&v| lg.items[v].kind.is_dummy()) {
                continue;
            }
            let mut k = 1;
            while k < n - 1 {
                // The longest run from k whose ranges overlap.
                let (mut lo, mut hi) = bounds(x, chain[k]);
                let mut j = k;
                while j + 1 < n - 1 {
                    let (l2, h2) = bounds(x, chain[j + 1]);
                    if l2.max(lo) > h2.min(hi) + EPS {
                        break;
                    }
                    lo = lo.max(l2);
                    hi = hi.min(h2);
                    j += 1;
                }
                let inside = |c: f64| lo - EPS <= c && c <= hi + EPS;
                let (above, below, first) = (x[chain[k - 1]], x[chain[j + 1]], x[chain[k]]);
                let col = if inside(above) {
                    Some(above)
                } else if inside(below) {
                    Some(below)
                } else if j > k && inside(first) {
                    Some(first)
                } else if j > k && lo.is_finite() && hi.is_finite() {
                    Some((lo + hi) / 2.0)
                } else if j > k && (lo.is_finite() || hi.is_finite()) {
                    // Open on one side (the edge passes everything on its
                    // rank): as near the item below as the run allows.
                    Some(below.max(lo).min(hi))
                } else {
                    None
                };
                if let Some(c) = col {
                    for &v in &chain[k..=j] {
                        if (x[v] - c).abs() > EPS {
                            x[v] = c;
                            changed = true;
                        }
                    }
                }
                k = j + 1;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The room the rank neighbours of `layer[i]` leave it: the lowest and
/// highest x it may take and keep its separation from both (unbounded on
/// a side without a neighbour; `gap`: each item's separation from its
/// right neighbour). Used by [`refine`] and [`straighten`].
fn room(layer: &[usize], i: usize, x: &[f64], gap: &[f64]) -> (f64, f64) {
    let v = layer[i];
    let lo = i
        .checked_sub(1)
        .map_or(f64::NEG_INFINITY, |j| x[layer[j]] + gap[layer[j]]);
    let hi = layer.get(i + 1).map_or(f64::INFINITY, |&w| x[w] - gap[v]);
    (lo, hi)
}

/// Passes of [`refine`] after balancing.
const REFINE_PASSES: usize = 12;

/// Local straightening: moves every non-border item towards the median x
/// of its neighbours (except a node a chain runs straight through), but
/// only within the room its rank neighbours leave,
/// so the order and all separations (hence all box guarantees) survive.
/// Pulls apart fans of dummies that balancing spread too wide.
fn refine(lg: &LGraph, x: &mut [f64], gap: &[f64], passes: usize) {
    let mut nb: Vec<f64> = Vec::new();
    for pass in 0..passes {
        let down = pass % 2 == 0;
        for k in 0..lg.layers.len() {
            let layer = &lg.layers[if down { k } else { lg.layers.len() - 1 - k }];
            for idx in 0..layer.len() {
                let i = if pass % 4 < 2 {
                    idx
                } else {
                    layer.len() - 1 - idx
                };
                let v = layer[i];
                if lg.items[v].kind.is_border() {
                    continue;
                }
                nb.clear();
                nb.extend(lg.up[v].iter().chain(&lg.down[v]).map(|&w| x[w]));
                if nb.is_empty() {
                    continue;
                }
                // A node that a chain runs straight through stays: moved
                // towards branches that all leave on one side, it would
                // bend the chain at every step into a staircase.
                let level = |w: &usize| (x[*w] - x[v]).abs() < 0.5;
                if !lg.items[v].kind.is_dummy()
                    && lg.up[v].iter().any(level)
                    && lg.down[v].iter().any(level)
                {
                    continue;
                }
                nb.sort_by(f64::total_cmp);
                let m = nb.len();
                let (lo, hi) = room(layer, i, x, gap);
                if lo > hi {
                    continue;
                }
                let target = if lg.items[v].kind.is_dummy() && m == 2 {
                    // A dummy between its edge's two neighbours goes in
                    // line with one of them (the nearer one that fits),
                    // not half-way: half-way steps, repeated down a long
                    // edge, draw it as a staircase.
                    let (a, b) = (nb[0].clamp(lo, hi), nb[1].clamp(lo, hi));
                    let miss = |t: f64, want: f64| (t - want).abs();
                    let fit_a = miss(a, nb[0]) < 0.5;
                    let fit_b = miss(b, nb[1]) < 0.5;
                    match (fit_a, fit_b) {
                        (true, true) => {
                            if miss(a, x[v]) <= miss(b, x[v]) {
                                a
                            } else {
                                b
                            }
                        }
                        (true, false) => a,
                        (false, true) => b,
                        (false, false) => {
                            if miss(a, nb[0]) <= miss(b, nb[1]) {
                                a
                            } else {
                                b
                            }
                        }
                    }
                } else {
                    (nb[(m - 1) / 2] + nb[m / 2]) / 2.0
                };
                x[v] = target.clamp(lo, hi);
            }
        }
    }
}

/// Minimum distance between the anchors of `a` and its right neighbour `b`.
pub(super) fn separation(lg: &LGraph, rows: &Rows, opts: &Options, a: usize, b: usize) -> f64 {
    let (ia, ib) = (&lg.items[a], &lg.items[b]);
    // Labels hang beside their edge and need no more room around them
    // than an edge does.
    let half = |k: Kind| match k {
        Kind::Dummy(_) | Kind::Label(_) => opts.edge_sep / 2.0,
        _ => opts.node_sep / 2.0,
    };
    let gap = match (ia.kind, ib.kind) {
        (Kind::Left(c), kb) => {
            let far = if matches!(kb, Kind::Right(_)) {
                opts.cluster_pad
            } else {
                0.0
            };
            opts.cluster_pad + rows.extra(c, ia.rank) + far
        }
        (_, Kind::Right(_)) => opts.cluster_pad,
        (ka, kb) => half(ka) + half(kb),
    };
    ia.right + gap + ib.left
}

/// Segments (upper, lower) that may not be used for alignment: those
/// crossing a border chain, then non-inner ones crossing an inner segment.
/// Sorted, without repeats.
fn mark_conflicts(lg: &LGraph, pos: &[usize]) -> Vec<(usize, usize)> {
    let border = |u: usize, v: usize| lg.items[u].kind.is_border() && lg.items[v].kind.is_border();
    let mut first = mark(lg, pos, &border);
    first.sort_unstable();
    let inner = |u: usize, v: usize| {
        border(u, v)
            || (lg.items[u].kind.is_dummy()
                && lg.items[v].kind.is_dummy()
                && first.binary_search(&(u, v)).is_err())
    };
    let mut out = mark(lg, pos, &inner);
    out.extend_from_slice(&first);
    box_exits(lg, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Edges at a node from which on its box may stretch around them.
const FAN: usize = 3;

/// Where an edge leaves the box of its upper end node (or enters the box of
/// its lower end node, when that node has more edges), its segment is never
/// aligned: the part of the edge inside that box then packs next to the
/// node instead of following the edge's far end, which would stretch the
/// box (a box holding one node with many flows would otherwise be as wide
/// as the fan of its flows). Only nodes with a few edges count: a lone
/// edge is better straight.
fn box_exits(lg: &LGraph, out: &mut Vec<(usize, usize)>) {
    for chain in &lg.chains {
        let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
            continue;
        };
        let (cu, cv) = (lg.items[first].cluster, lg.items[last].cluster);
        if cu == cv {
            continue;
        }
        // Cut at one end only, so that the rest of the edge still follows
        // the other end: at the busier node, whose box would stretch most.
        let deg = |v: usize| lg.up[v].len() + lg.down[v].len();
        if deg(first).max(deg(last)) < FAN {
            continue;
        }
        let cut = if deg(first) >= deg(last) {
            chain.windows(2).find(|w| lg.items[w[1]].cluster != cu)
        } else {
            chain
                .windows(2)
                .rev()
                .find(|w| lg.items[w[0]].cluster != cv)
        };
        if let Some(w) = cut {
            out.push((w[0], w[1]));
        }
    }
}

/// Marks every non-priority segment crossing a priority segment, assuming
/// priority segments do not cross one another (Brandes-Köpf, alg. 1).
fn mark(lg: &LGraph, pos: &[usize], prio: &dyn Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for r in 0..lg.layers.len().saturating_sub(1) {
        let (upper, lower) = (&lg.layers[r], &lg.layers[r + 1]);
        if upper.is_empty() {
            continue;
        }
        let (mut k0, mut scan) = (0usize, 0usize);
        for (l, &v) in lower.iter().enumerate() {
            let w = lg.up[v].iter().copied().find(|&u| prio(u, v));
            if w.is_none() && l + 1 != lower.len() {
                continue;
            }
            let k1 = w.map_or(upper.len() - 1, |u| pos[u]);
            for &x in &lower[scan..=l] {
                for &u in &lg.up[x] {
                    if !prio(u, x) && (pos[u] < k0 || pos[u] > k1) {
                        out.push((u, x));
                    }
                }
            }
            scan = l + 1;
            k0 = k1;
        }
    }
    out
}

/// Pairs of rank neighbours in sweep order (`down`: bottom rank first;
/// `right`: each rank right to left), the one swept first first.
fn sweep_pairs(lg: &LGraph, down: bool, right: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(lg.items.len());
    let mut add = |layer: &Vec<usize>| {
        if right {
            out.extend(layer.windows(2).rev().map(|w| (w[1], w[0])));
        } else {
            out.extend(layer.windows(2).map(|w| (w[0], w[1])));
        }
    };
    if down {
        lg.layers.iter().rev().for_each(&mut add);
    } else {
        lg.layers.iter().for_each(&mut add);
    }
    out
}

/// One Brandes-Köpf alignment: each item's block root (`down`: aligning
/// with lower medians, sweeping from the bottom rank; `right`: each rank
/// swept right to left).
fn align(
    lg: &LGraph,
    conflicts: &[(usize, usize)],
    prefers: &Prefers,
    down: bool,
    right: bool,
) -> Vec<usize> {
    let n = lg.items.len();
    let mut p = vec![0usize; n];
    for layer in &lg.layers {
        let m = layer.len();
        for (i, &v) in layer.iter().enumerate() {
            p[v] = if right { m - 1 - i } else { i };
        }
    }
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    // Each item's median neighbours on the side already swept, the one
    // there it prefers, and the one on the other side it prefers.
    let (toward, ahead, wants) = if down {
        (&lg.down, &prefers.below, &prefers.above)
    } else {
        (&lg.up, &prefers.above, &prefers.below)
    };
    let mut scratch = Vec::new();
    let med: Vec<Med> = toward
        .iter()
        .map(|l| medians(l, &p, &mut scratch))
        .collect();
    let ranks = lg.layers.len();
    for k in 1..ranks {
        let layer = &lg.layers[if down { ranks - 1 - k } else { k }];
        let m = layer.len();
        let mut last: Option<usize> = None;
        for i in 0..m {
            let v = layer[if right { m - 1 - i } else { i }];
            // The neighbour that carries a chain on is tried first.
            let first = ahead[v];
            let mut ws = [0usize; 3];
            let mut k = 0;
            for w in first
                .into_iter()
                .chain(med[v].get().iter().copied().filter(|&w| Some(w) != first))
            {
                ws[k] = w;
                k += 1;
            }
            for &w in &ws[..k] {
                // `w` is left to the neighbour it prefers, if that one
                // has `w` among its medians too and so may take it.
                let other = wants[w].is_some_and(|f| f != v && med[f].get().contains(&w));
                let key = if down { (v, w) } else { (w, v) };
                if align[v] == v
                    && !other
                    && last.is_none_or(|r| r < p[w])
                    && conflicts.binary_search(&key).is_err()
                {
                    align[w] = v;
                    root[v] = root[w];
                    align[v] = root[v];
                    last = Some(p[w]);
                }
            }
        }
    }
    root
}

/// Per item, the neighbour it prefers below and above (see [`preferred`]).
struct Prefers {
    below: Vec<Option<usize>>,
    above: Vec<Option<usize>>,
}

/// The median neighbours of an item: one, or two for an even count, in
/// rank order.
#[derive(Debug, Clone, Copy)]
struct Med {
    w: [usize; 2],
    n: usize,
}

impl Med {
    fn get(&self) -> &[usize] {
        &self.w[..self.n]
    }
}

/// The median neighbours of an item, given its neighbours on one side and
/// the position of every item in its rank (`scratch`: a buffer to sort in).
fn medians(list: &[usize], p: &[usize], scratch: &mut Vec<usize>) -> Med {
    scratch.clear();
    scratch.extend_from_slice(list);
    scratch.sort_by_key(|&w| p[w]);
    let d = scratch.len();
    match d {
        0 => Med { w: [0, 0], n: 0 },
        _ if d % 2 == 1 => Med {
            w: [scratch[d / 2], 0],
            n: 1,
        },
        _ => Med {
            w: [scratch[d / 2 - 1], scratch[d / 2]],
            n: 2,
        },
    }
}

/// Of an item's neighbours on one side (`down`: below), the one whose chain
/// forks again beyond it (its far end has two or more neighbours further
/// on), when it is the only one that does.
///
/// Brandes and Köpf align an item with a median neighbour, and with two
/// medians half the alignments take the left and half the right one, so
/// balancing centres the item over its branches (or over the middle one of
/// three). Where the chain branches at every step (a pipeline whose stages
/// each write a store), those offsets add up and the chain runs down a
/// diagonal staircase. So where one neighbour forks again, every
/// alignment keeps the chain in line through it (and its other neighbours
/// leave it to that one) and the other branches step aside; a fork whose
/// branches do not fork again is still centred over them. A dummy or label
/// stands for the real end of its edge.
fn preferred(lg: &LGraph, list: &[usize], down: bool) -> Option<usize> {
    let side = |v: usize| if down { &lg.down[v] } else { &lg.up[v] };
    let end = |w: usize| match lg.items[w].kind {
        Kind::Dummy(e) | Kind::Label(e) => {
            let chain = lg.chains.get(e)?;
            if down {
                chain.last().copied()
            } else {
                chain.first().copied()
            }
        }
        _ => Some(w),
    };
    if list.len() < 2 {
        return None;
    }
    let mut on = None;
    for &w in list {
        if side(end(w)?).len() >= 2 {
            if on.is_some_and(|o| o != w) {
                return None;
            }
            on = Some(w);
        }
    }
    on
}

/// The block graph of the alignment `root` swept as `down` and `right`
/// say: an edge from each item's block to its rank neighbour's (in sweep
/// order), per block in the order the ranks list them. None if it is
/// cyclic.
fn sweep(lg: &LGraph, root: Vec<usize>, down: bool, right: bool) -> Option<Sweep> {
    let n = lg.items.len();
    let pairs = sweep_pairs(lg, down, right);
    let mut indeg = vec![0usize; n];
    let mut start = vec![0usize; n + 1];
    for &(a, _) in &pairs {
        start[root[a] + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut fill = start.clone();
    let mut succ = vec![(0usize, 0usize); start[n]];
    for &(a, b) in &pairs {
        // Sweeping right to left, `b` is the one on the left, whose gap
        // separates the two.
        let g = if right { b } else { a };
        let k = &mut fill[root[a]];
        succ[*k] = (root[b], g);
        *k += 1;
        indeg[root[b]] += 1;
    }
    let mut topo: Vec<usize> = (0..n).filter(|&v| root[v] == v && indeg[v] == 0).collect();
    let mut head = 0;
    while let Some(&b) = topo.get(head) {
        head += 1;
        for &(c, _) in &succ[start[b]..start[b + 1]] {
            indeg[c] -= 1;
            if indeg[c] == 0 {
                topo.push(c);
            }
        }
    }
    let blocks = (0..n).filter(|&v| root[v] == v).count();
    if topo.len() != blocks {
        return None;
    }
    Some(Sweep {
        right,
        root,
        start,
        succ,
        topo,
    })
}

/// Places blocks as far left as their constraints allow (longest path over
/// the block graph), then pulls each block right towards its successors
/// (except right cluster borders, which would widen boxes). Mirrored back
/// for right-to-left sweeps. `gap`: each item's separation from its right
/// neighbour.
fn compact(lg: &LGraph, s: &Sweep, gap: &[f64]) -> Vec<f64> {
    let n = lg.items.len();
    let succ = |b: usize| &s.succ[s.start[b]..s.start[b + 1]];
    let mut x = vec![0.0f64; n];
    for &b in &s.topo {
        for &(c, g) in succ(b) {
            x[c] = x[c].max(x[b] + gap[g]);
        }
    }
    let right = s.right;
    let keep = |b: usize| match lg.items[b].kind {
        Kind::Right(_) => !right,
        Kind::Left(_) => right,
        _ => false,
    };
    for &b in s.topo.iter().rev() {
        if keep(b) {
            continue;
        }
        let m = succ(b)
            .iter()
            .map(|&(c, g)| x[c] - gap[g])
            .fold(f64::INFINITY, f64::min);
        if m.is_finite() {
            x[b] = x[b].max(m);
        }
    }
    let sign = if right { -1.0 } else { 1.0 };
    (0..n).map(|v| sign * x[s.root[v]]).collect()
}
