//! Crossing reduction with the compound rule.
//!
//! Each rank is sorted by barycentre (mean normalised position of the
//! neighbours on the rank just swept), recursively by cluster: a child
//! cluster is one unit whose barycentre is the mean of its members', framed
//! by its left and right border items, so members stay contiguous.
//!
//! Additionally every cluster keeps one left-to-right order of its child
//! clusters on *all* ranks (`gorder`): on each rank the unit barycentres are
//! made monotone in that order (pool-adjacent-violators) before merging them
//! with the loose items. This is what lets every cluster be a rectangle that
//! never overlaps a sibling. Between sweeps the order is re-derived from the
//! mean barycentre each child wanted. Ties fall back to the previous
//! position, so the result is deterministic and stable under small edits.
//! The best ordering seen (fewest crossings) is kept. Up to 500 nodes the
//! sweeps run twice, from two first orders ([`Start`]: depth first along
//! the edges, and as declared), and the order with fewer crossings is
//! kept.
//!
//! A long edge may not pass a sibling box on one side on a rank and on the
//! other side on the next: its line would cut through the box. Within a
//! sweep, each dummy is kept on the side of every box (spanning both ranks)
//! that its neighbour on the swept rank is on; after each sweep,
//! `keep_sides` settles the other direction, and the crossings are counted
//! on that order, so the best kept is one that goes round the boxes.

use super::crossings;
use super::nesting::ClusterTree;
use super::normalize::{Kind, LGraph};
use super::Options;

/// Orders every rank of `lg` in place: sweeps from the depth-first
/// start, and with `both` also from the declared one, keeping the order
/// with fewer crossings (the depth-first one on a tie).
pub(super) fn order(
    lg: &mut LGraph,
    tree: &ClusterTree,
    opts: &Options,
    notes: &mut Vec<String>,
    both: bool,
) {
    let mut st = State::new(lg, tree);
    st.initial(lg, tree, Start::DepthFirst);
    improve(lg, tree, st, opts, notes);
    let first = crossings_now(lg);
    // The other start must do strictly better to be kept.
    if !both || first == 0 {
        return;
    }
    let first = (first, lg.layers.clone());
    let mut st = State::new(lg, tree);
    st.initial(lg, tree, Start::Declared);
    improve(lg, tree, st, opts, &mut Vec::new());
    if crossings_now(lg) >= first.0 {
        lg.layers = first.1;
    }
}

/// Orders every rank of `lg` in place, starting from its current order
/// (which must keep clusters contiguous, as [`transfer`] does): the
/// result has no more crossings than the start.
pub(super) fn refine(lg: &mut LGraph, tree: &ClusterTree, opts: &Options) {
    let mut st = State::at(lg, tree);
    let start = (crossings::count(lg, &st.pos), lg.layers.clone());
    st.settle(lg, tree);
    improve(lg, tree, st, opts, &mut Vec::new());
    if crossings_now(lg) > start.0 {
        lg.layers = start.1;
    }
}

/// Crossings of the current order of `lg`.
pub(super) fn crossings_now(lg: &LGraph) -> u64 {
    crossings::count(lg, &positions(lg))
}

/// Every item's index in its rank, in the current order of `lg`.
fn positions(lg: &LGraph) -> Vec<usize> {
    let mut pos = vec![0usize; lg.items.len()];
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Sweeps from `st`'s order, keeping the best seen.
fn improve(
    lg: &mut LGraph,
    tree: &ClusterTree,
    mut st: State,
    opts: &Options,
    notes: &mut Vec<String>,
) {
    let mut sweeps = opts.max_order_sweeps;
    if lg.items.len() > opts.effort_items {
        sweeps = sweeps.min(4);
        notes.push(format!(
            "{} layered items: crossing reduction limited to {sweeps} sweeps",
            lg.items.len()
        ));
    }
    let mut best = crossings::count(lg, &st.pos);
    let mut best_layers = lg.layers.clone();
    let mut since_best = 0;
    for it in 0..sweeps {
        if best == 0 || since_best >= 4 {
            break;
        }
        st.sweep(lg, tree, it % 2 == 0);
        st.update_gorder(tree);
        let mut c = crossings::count(lg, &st.pos);
        // Counted as it will be drawn, round the boxes it must pass, where
        // it may come out best (going round seldom saves crossings, and
        // costs time on big graphs).
        if c < best + best * SIDE_SLACK / 100 {
            let added = keep_sides(lg, tree);
            for r in 0..lg.layers.len() {
                st.set_pos(lg, r);
            }
            // The moves count what they add exactly (checked in debug
            // builds), so the ranks need no count again.
            c = c.saturating_add_signed(added);
            debug_assert_eq!(c, crossings::count(lg, &st.pos));
        }
        if c < best {
            best = c;
            best_layers.clone_from(&lg.layers);
            since_best = 0;
        } else {
            since_best += 1;
        }
    }
    lg.layers = best_layers;
    keep_sides(lg, tree);
    transpose(lg);
}

/// Passes of [`transpose`] at most.
const TRANSPOSE_PASSES: usize = 8;

/// Swaps two neighbours on a rank, loose items of one cluster, wherever
/// that removes crossings (Graphviz's transpose step), pass after pass
/// until one swaps nothing. Neighbours pass nothing else, so boxes stay
/// whole and every flow stays on its side of each box.
fn transpose(lg: &mut LGraph) {
    let mut pos = positions(lg);
    for _ in 0..TRANSPOSE_PASSES {
        let mut swapped = false;
        for r in 0..lg.layers.len() {
            for i in 1..lg.layers[r].len() {
                let (v, w) = (lg.layers[r][i - 1], lg.layers[r][i]);
                let (iv, iw) = (&lg.items[v], &lg.items[w]);
                if iv.cluster != iw.cluster || iv.kind.is_border() || iw.kind.is_border() {
                    continue;
                }
                if swap_delta(lg, &pos, v, &[w]) < 0 {
                    lg.layers[r].swap(i - 1, i);
                    pos[v] = i;
                    pos[w] = i - 1;
                    swapped = true;
                }
            }
        }
        if !swapped {
            break;
        }
    }
}

/// Orders every rank of `lg` as the same items are ordered in `full`, a
/// layered graph of the same nodes, clusters and ranking with more edges
/// (`full_edge[i]`: the chain of `full` that edge `i` of `lg` follows).
/// Items without a counterpart go last.
pub(super) fn transfer(full: &LGraph, full_edge: &[Option<usize>], lg: &mut LGraph) {
    let mut fpos = vec![usize::MAX; full.items.len()];
    for layer in &full.layers {
        for (i, &v) in layer.iter().enumerate() {
            fpos[v] = i;
        }
    }
    let mut key = vec![usize::MAX; lg.items.len()];
    let mut same = |a: usize, b: usize| {
        if let (Some(k), Some(&p)) = (key.get_mut(a), fpos.get(b)) {
            *k = p;
        }
    };
    for (v, it) in lg.items.iter().enumerate() {
        if let Kind::Node(n) = it.kind {
            same(v, n);
        }
    }
    for (mine, theirs) in [(&lg.lefts, &full.lefts), (&lg.rights, &full.rights)] {
        for (a, b) in mine.iter().zip(theirs) {
            for (&x, &y) in a.iter().zip(b) {
                same(x, y);
            }
        }
    }
    for (i, chain) in lg.chains.iter().enumerate() {
        let Some(fc) = full_edge
            .get(i)
            .copied()
            .flatten()
            .and_then(|j| full.chains.get(j))
        else {
            continue;
        };
        if fc.len() == chain.len() {
            for (&x, &y) in chain.iter().zip(fc) {
                same(x, y);
            }
        }
    }
    for layer in &mut lg.layers {
        layer.sort_by_key(|&v| (key[v], v));
    }
}

/// Side of item `v` relative to the box of cluster `c` on the item's rank
/// (-1 left, 1 right, 0 inside or absent).
fn side(lg: &LGraph, pos: &[usize], c: usize, v: usize) -> i8 {
    let r = lg.items[v].rank;
    let (Some(l), Some(rt)) = (lg.left_at(c, r), lg.right_at(c, r)) else {
        return 0;
    };
    if pos[v] < pos[l] {
        -1
    } else if pos[v] > pos[rt] {
        1
    } else {
        0
    }
}

/// Whether `u` and `v` (on adjacent ranks) lie on opposite sides of box
/// `c`, outside it on both: an edge between them cuts through the box
/// where the box spans both ranks.
fn opposite_sides(lg: &LGraph, pos: &[usize], c: usize, u: usize, v: usize) -> bool {
    side(lg, pos, c, u) * side(lg, pos, c, v) < 0
}

/// Per edge (chain): whether it changes column across a box that holds
/// neither of the two items it runs between, passing the box on one side
/// on a rank and on the other side on the next, where the box spans both.
/// (An edge leaving its box by the box's last row, where a sibling's band
/// begins, does that when the sibling lies in its way.)
pub(super) fn cut_siblings(lg: &LGraph, tree: &ClusterTree) -> Vec<bool> {
    let mut cut = vec![false; lg.chains.len()];
    for (i, _) in cuts(lg, tree) {
        cut[i] = true;
    }
    cut
}

/// Every (chain, box) where the chain cuts through the box (see
/// [`cut_siblings`]), once per pair, in chain order.
fn cuts(lg: &LGraph, tree: &ClusterTree) -> Vec<(usize, usize)> {
    let pos = positions(lg);
    let holds = |c: usize, v: usize| tree.lca(Some(c), lg.items[v].cluster) == Some(c);
    let mut out = Vec::new();
    for (i, chain) in lg.chains.iter().enumerate() {
        let start = out.len();
        for w in chain.windows(2) {
            let (u, v) = (w[0], w[1]);
            let (ru, rv) = (lg.items[u].rank, lg.items[v].rank);
            for c in 0..lg.top.len() {
                if lg.spans(c, ru, rv)
                    && !holds(c, u)
                    && !holds(c, v)
                    && opposite_sides(lg, &pos, c, u, v)
                    && !out[start..].contains(&(i, c))
                {
                    out.push((i, c));
                }
            }
        }
    }
    out
}

/// Swaps [`clear_cuts`] tries at most (each orders the graph again).
const CLEAR_TRIALS: usize = 16;

/// Items times trades that [`clear_cuts`] may spend: each trade orders
/// the graph again, in time about linear in its items, so a big graph gets
/// fewer (at least 2; 300 generated elements, some 7,000 items, get 4 and
/// take about a third longer to lay out than without).
const CLEAR_ITEMS: usize = 30_000;

/// Sweeps after each move of [`clear_cuts`] at most (the move starts from
/// an order already swept).
const CLEAR_SWEEPS: usize = 8;

/// The crossings a swap in [`clear_cuts`] may add, in percent of the
/// order's.
const CLEAR_SLACK: u64 = 3;

/// An edge between two sibling boxes, on adjacent ranks, with a third
/// sibling between them that spans both ranks, cuts through the third:
/// no order of the items within the sibling order can avoid it. Swaps a
/// cut box with a sibling next to it (on every rank both hold, as one
/// block each), sweeps again from there with the two pinned in their new
/// order, and keeps the result wherever it leaves fewer cuts and adds at
/// most [`CLEAR_SLACK`] % crossings (often it removes some: the sweeps
/// start afresh). At most [`CLEAR_TRIALS`] swaps are tried, fewer on big
/// graphs ([`CLEAR_ITEMS`]).
pub(super) fn clear_cuts(lg: &mut LGraph, tree: &ClusterTree, opts: &Options) {
    if lg.run.iter().any(|&r| r > 0) {
        return;
    }
    let mut found = cuts(lg, tree);
    if found.is_empty() {
        return;
    }
    let mut cross = crossings_now(lg);
    let mut pins: Vec<(usize, usize)> = Vec::new();
    let most = (CLEAR_ITEMS / lg.items.len().max(1)).clamp(2, CLEAR_TRIALS);
    let quick = Options {
        max_order_sweeps: opts.max_order_sweeps.min(CLEAR_SWEEPS),
        ..opts.clone()
    };
    let mut trials = 0;
    while !found.is_empty() && trials < most {
        let mut boxes: Vec<usize> = found.iter().map(|&(_, c)| c).collect();
        boxes.sort_unstable();
        boxes.dedup();
        let mut better = None;
        'search: for &c in &boxes {
            for s in siblings_beside(lg, tree, c) {
                if trials == most {
                    break 'search;
                }
                trials += 1;
                let mut trial = lg.clone();
                let first = swap_boxes(&mut trial, c, s);
                let mut st = State::at(&trial, tree);
                st.pins.clone_from(&pins);
                st.pins.push(first);
                st.settle(&mut trial, tree);
                improve(&mut trial, tree, st, &quick, &mut Vec::new());
                let k = cuts(&trial, tree);
                let x = crossings_now(&trial);
                if k.len() < found.len() && x <= cross + cross * CLEAR_SLACK / 100 {
                    better = Some((trial, k, x, first));
                    break 'search;
                }
            }
        }
        let Some((trial, k, x, first)) = better else {
            break;
        };
        pins.push(first);
        *lg = trial;
        found = k;
        cross = x;
    }
}

/// The siblings of box `c` that are next to it on some rank, with no
/// other sibling between on any rank both hold (so that the two can trade
/// places and every pair of siblings keeps one order on all ranks).
fn siblings_beside(lg: &LGraph, tree: &ClusterTree, c: usize) -> Vec<usize> {
    let sibs: &[usize] = match tree.parent[c] {
        Some(p) => &tree.children[p],
        None => &tree.roots,
    };
    let pos = positions(lg);
    let mut out = Vec::new();
    for &s in sibs {
        if s == c {
            continue;
        }
        let (lo, hi) = (lg.top[c].max(lg.top[s]), lg.bottom[c].min(lg.bottom[s]));
        if lo > hi {
            continue;
        }
        let clear = (lo..=hi).all(|r| {
            let (Some(cl), Some(sl)) = (lg.left_at(c, r), lg.left_at(s, r)) else {
                return false;
            };
            let (a, b) = if pos[cl] < pos[sl] { (c, s) } else { (s, c) };
            let (Some(ar), Some(bl)) = (lg.right_at(a, r), lg.left_at(b, r)) else {
                return false;
            };
            sibs.iter().all(|&o| {
                o == c
                    || o == s
                    || lg
                        .left_at(o, r)
                        .is_none_or(|ol| pos[ol] < pos[ar] || pos[ol] > pos[bl])
            })
        });
        if clear {
            out.push(s);
        }
    }
    out
}

/// Trades the places of sibling boxes `a` and `b` on every rank both
/// hold: each moves as one block (borders and all it holds), and what lies
/// between them stays. Returns the two in their new order.
fn swap_boxes(lg: &mut LGraph, a: usize, b: usize) -> (usize, usize) {
    let (lo, hi) = (lg.top[a].max(lg.top[b]), lg.bottom[a].min(lg.bottom[b]));
    let mut now = (a, b);
    for r in lo..=hi {
        let layer = &lg.layers[r];
        let at = |v: Option<usize>| v.and_then(|v| layer.iter().position(|&w| w == v));
        let (Some(al), Some(ar), Some(bl), Some(br)) = (
            at(lg.left_at(a, r)),
            at(lg.right_at(a, r)),
            at(lg.left_at(b, r)),
            at(lg.right_at(b, r)),
        ) else {
            continue;
        };
        let ((fl, fr), (sl, sr)) = if al < bl {
            now = (b, a);
            ((al, ar), (bl, br))
        } else {
            now = (a, b);
            ((bl, br), (al, ar))
        };
        if fr >= sl {
            continue;
        }
        let mut next = Vec::with_capacity(layer.len());
        next.extend_from_slice(&layer[..fl]);
        next.extend_from_slice(&layer[sl..=sr]);
        next.extend_from_slice(&layer[fr + 1..sl]);
        next.extend_from_slice(&layer[fl..=fr]);
        next.extend_from_slice(&layer[sr + 1..]);
        lg.layers[r] = next;
    }
    now
}

/// An edge that passes a sibling box on one side on a rank and on the
/// other side on the next would have to cut through the box. Walking
/// every edge down (then, from its lower end, up), moves each dummy to the
/// side of the box its neighbour is on, just outside the box, wherever the
/// box spans both ranks: the edge then changes sides where the box ends.
/// Returns the crossings the moves kept add (negative: remove).
fn keep_sides(lg: &mut LGraph, tree: &ClusterTree) -> i64 {
    let mut pos = positions(lg);
    let mut added = 0i64;
    // The chain walked, copied out of `lg` (which the moves change) into
    // one buffer for all.
    let mut chain: Vec<usize> = Vec::new();
    for i in 0..lg.chains.len() {
        chain.clear();
        chain.extend_from_slice(&lg.chains[i]);
        let chain = &chain;
        let n = chain.len();
        if n < 3 {
            continue;
        }
        // Either down from the upper end, then up from the lower end, or
        // the other way round: whichever costs fewer crossings. Each move
        // knows what it changes (see [`align_side`]), so neither way needs
        // a count of whole ranks.
        let run = |lg: &mut LGraph,
                   pos: &mut [usize],
                   down_first: bool,
                   moves: &mut Vec<(usize, usize, usize)>|
         -> i64 {
            let down = 1..n - 1;
            let passes: [bool; 2] = if down_first {
                [true, false]
            } else {
                [false, true]
            };
            let mut delta = 0i64;
            for d in passes {
                if d {
                    for k in down.clone() {
                        delta += align_side(lg, tree, pos, chain[k - 1], chain[k], moves);
                    }
                } else {
                    for k in down.clone().rev() {
                        delta += align_side(lg, tree, pos, chain[k + 1], chain[k], moves);
                    }
                }
            }
            delta
        };
        let mut moves: Vec<(usize, usize, usize)> = Vec::new();
        let down_first = run(lg, &mut pos, true, &mut moves);
        if moves.is_empty() {
            continue;
        }
        undo(lg, &mut pos, &moves);
        let mut other = Vec::new();
        let up_first = run(lg, &mut pos, false, &mut other);
        let (best, best_moves) = if up_first <= down_first {
            (up_first, other)
        } else {
            undo(lg, &mut pos, &other);
            redo(lg, &mut pos, &moves);
            (down_first, moves)
        };
        // The moves' own accounting agrees with a count of the ranks they
        // touched (checked in debug builds, so the tests check it).
        #[cfg(debug_assertions)]
        {
            let mut touched: Vec<usize> = best_moves
                .iter()
                .flat_map(|&(r, _, _)| [r.saturating_sub(1), r])
                .collect();
            touched.sort_unstable();
            touched.dedup();
            let local = |lg: &LGraph, pos: &[usize]| {
                touched
                    .iter()
                    .map(|&r| crossings::count_between(lg, pos, r) as i64)
                    .sum::<i64>()
            };
            let after = local(lg, &pos);
            undo(lg, &mut pos, &best_moves);
            let before = local(lg, &pos);
            redo(lg, &mut pos, &best_moves);
            debug_assert_eq!(
                after - before,
                best,
                "crossings added by moving round boxes"
            );
        }
        // Going round a box is worth some crossings: a line through a box
        // that holds neither end reads as if it belonged there (the box
        // sides it no longer cuts count as two each), but not any number.
        if best > SIDE_BUDGET * best_moves.len() as i64 {
            undo(lg, &mut pos, &best_moves);
        } else {
            added += best;
        }
    }
    added
}

/// How much worse than the best (percent) a sweep's order may be and
/// still be counted after going round the boxes.
const SIDE_SLACK: u64 = 5;

/// Crossings a moved dummy may add and still go round a box.
const SIDE_BUDGET: i64 = 10;

/// Takes back `moves` (rank, from, to), last first.
fn undo(lg: &mut LGraph, pos: &mut [usize], moves: &[(usize, usize, usize)]) {
    for &(r, from, to) in moves.iter().rev() {
        shift(&mut lg.layers[r], pos, to, from);
    }
}

/// Makes `moves` (rank, from, to) again, in order, as [`align_side`] made
/// them: the inverse of [`undo`].
fn redo(lg: &mut LGraph, pos: &mut [usize], moves: &[(usize, usize, usize)]) {
    for &(r, from, to) in moves {
        shift(&mut lg.layers[r], pos, from, to);
    }
}

/// Moves the item at index `from` of `layer` to index `to` (of the layer
/// without it), and updates the positions of that layer's items.
fn shift(layer: &mut Vec<usize>, pos: &mut [usize], from: usize, to: usize) {
    let v = layer.remove(from);
    layer.insert(to, v);
    // Only the items between the two places moved.
    for i in from.min(to)..=from.max(to) {
        if let Some(&w) = layer.get(i) {
            pos[w] = i;
        }
    }
}

/// Moves dummy `v` to the side of every box in its own cluster that `u`
/// (on the adjacent rank) is on, where the box spans both ranks and holds
/// neither; `v` stays in its cluster.
fn align_side(
    lg: &mut LGraph,
    tree: &ClusterTree,
    pos: &mut [usize],
    u: usize,
    v: usize,
    moves: &mut Vec<(usize, usize, usize)>,
) -> i64 {
    let (iu, iv) = (&lg.items[u], &lg.items[v]);
    if !iv.kind.is_dummy() {
        return 0;
    }
    let mut delta = 0i64;
    let (ru, rv) = (iu.rank, iv.rank);
    let kids: &[usize] = match iv.cluster {
        Some(p) => &tree.children[p],
        None => &tree.roots,
    };
    // Each move settles one box for good; a bounded number of rounds.
    for _ in 0..=kids.len() {
        let wrong = kids
            .iter()
            .copied()
            .find(|&c| lg.spans(c, ru, rv) && opposite_sides(lg, pos, c, u, v));
        let Some(c) = wrong else { return delta };
        let want = side(lg, pos, c, u);
        let (Some(l), Some(r)) = (
            lg.left_at(c, rv),
            rv.checked_sub(lg.top[c])
                .and_then(|o| lg.rights[c].get(o).copied()),
        ) else {
            return delta;
        };
        // Where `v` goes, as an index of the rank without it: just left
        // of the box's left border, or just right of its right border.
        let from = pos[v];
        let without = |p: usize| if p > from { p - 1 } else { p };
        let at = if want < 0 {
            without(pos[l])
        } else {
            without(pos[r]) + 1
        };
        // The items `v` passes on the way.
        let layer = &lg.layers[rv];
        let passed: &[usize] = if at >= from {
            layer.get(from + 1..at + 1)
        } else {
            layer.get(at..from)
        }
        .unwrap_or(&[]);
        delta += swap_delta(lg, pos, v, passed);
        shift(&mut lg.layers[rv], pos, from, at);
        moves.push((rv, from, at));
    }
    delta
}

/// How many crossings moving `v` past each of `passed` (items of its rank)
/// adds, from the positions before the move: only the segments of `v` and
/// of the items it passes change order, each pair of them towards one
/// adjacent rank swapping between crossing and not crossing.
fn swap_delta(lg: &LGraph, pos: &[usize], v: usize, passed: &[usize]) -> i64 {
    // Ordering's discriminants are Less = -1, Equal = 0, Greater = 1.
    let sign = |a: usize, b: usize| a.cmp(&b) as i64;
    let mut delta = 0i64;
    for &w in passed {
        let s = sign(pos[v], pos[w]);
        for (nv, nw) in [(&lg.up[v], &lg.up[w]), (&lg.down[v], &lg.down[w])] {
            for &a in nv {
                for &b in nw {
                    delta += s * sign(pos[a], pos[b]);
                }
            }
        }
    }
    delta
}

/// A cluster already arranged on the current rank.
struct Unit {
    cluster: usize,
    seq: Vec<usize>,
    sum: f64,
    cnt: f64,
    /// Used when the unit holds nothing but its borders on this rank.
    fallback: f64,
    first_pos: usize,
}

/// Where the sweeps start from. Neither is better on every graph: on
/// layoutq's generated models of 50 to 300 elements (seeds 1-10) each
/// ends with fewer crossings on about half of them, so [`order`] tries
/// both on graphs of up to 500 nodes (`REORDER_NODES` in `layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// Depth first along the edges from the real nodes of the first rank
    /// (in declaration order), so that what is joined starts close.
    DepthFirst,
    /// Every rank in declaration order (an edge's dummies between its ends'
    /// places), so that what the author wrote together starts together.
    Declared,
}

/// Per rank: the items depth first from the real nodes (by rank, then
/// index; to climb, from the last rank up), the runs of a fold one after
/// the other; then the items not reached.
fn depth_first_layers(lg: &LGraph) -> Vec<Vec<usize>> {
    let n = lg.items.len();
    let mut seen = vec![false; n];
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); lg.layers.len()];
    let mut starts: Vec<usize> = (0..n)
        .filter(|&v| matches!(lg.items[v].kind, Kind::Node(_)))
        .collect();
    if lg.climb {
        starts.sort_by_key(|&v| (run_of(lg, v), std::cmp::Reverse(lg.items[v].rank), v));
    } else {
        starts.sort_by_key(|&v| (run_of(lg, v), lg.items[v].rank, v));
    }
    let mut stack = Vec::new();
    for s in starts {
        stack.push(s);
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[lg.items[v].rank].push(v);
            let next = if lg.climb { &lg.up[v] } else { &lg.down[v] };
            for &w in next.iter().rev() {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    for v in 0..n {
        if !seen[v] {
            layers[lg.items[v].rank].push(v);
        }
    }
    layers
}

/// Per rank: the items by their place in the source, the runs of a fold
/// one after the other. A real node's place is its declaration index; an
/// edge's dummies lie evenly between the places of its two ends; borders
/// come last (`settle` puts them round their clusters).
fn declared_layers(lg: &LGraph) -> Vec<Vec<usize>> {
    let n = lg.items.len();
    let count = lg.run.len().max(1) as f64;
    let mut place = vec![f64::INFINITY; n];
    for (v, it) in lg.items.iter().enumerate() {
        if let Kind::Node(k) = it.kind {
            place[v] = run_of(lg, v) as f64 + k as f64 / count;
        }
    }
    for chain in &lg.chains {
        let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
            continue;
        };
        let (pa, pb) = (place[a], place[b]);
        let steps = chain.len().saturating_sub(1).max(1) as f64;
        for (i, &v) in chain.iter().enumerate() {
            if lg.items[v].kind.is_dummy() {
                place[v] = pa + (pb - pa) * i as f64 / steps;
            }
        }
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); lg.layers.len()];
    for (v, it) in lg.items.iter().enumerate() {
        if let Some(layer) = layers.get_mut(it.rank) {
            layer.push(v);
        }
    }
    for layer in &mut layers {
        layer.sort_by(|&a, &b| place[a].total_cmp(&place[b]).then(a.cmp(&b)));
    }
    layers
}

/// The fold run of item `v` (0 for all but real nodes).
fn run_of(lg: &LGraph, v: usize) -> usize {
    match lg.items[v].kind {
        Kind::Node(n) => lg.run.get(n).copied().unwrap_or(0),
        _ => 0,
    }
}

struct State {
    pos: Vec<usize>,
    key: Vec<f64>,
    /// Per cluster: rank of the cluster among its siblings.
    gorder: Vec<usize>,
    /// Clusters present on each rank, deepest first.
    present: Vec<Vec<usize>>,
    /// Per slot (0 = top level, c + 1 = cluster c): loose items.
    direct: Vec<Vec<usize>>,
    units: Vec<Vec<Unit>>,
    /// Per cluster: sum and count of unit barycentres in the last sweep.
    acc: Vec<(f64, f64)>,
    /// The direction of the sweep under way (down: keys from the rank
    /// above), if any: a dummy then keeps the side of every sibling box its
    /// neighbour on that rank is on.
    sweeping: Option<bool>,
    /// Sibling boxes `(a, b)` that keep `a` before `b` whatever their
    /// barycentres want ([`clear_cuts`]).
    pins: Vec<(usize, usize)>,
}

impl State {
    fn new(lg: &LGraph, tree: &ClusterTree) -> Self {
        let mut present = vec![Vec::new(); lg.layers.len()];
        for c in 0..tree.len() {
            for r in lg.top[c]..=lg.bottom[c] {
                if let Some(p) = present.get_mut(r) {
                    p.push(c);
                }
            }
        }
        for p in &mut present {
            p.sort_by_key(|&c| (std::cmp::Reverse(tree.depth[c]), c));
        }
        let mut gorder = vec![0; tree.len()];
        for (i, &c) in tree.roots.iter().enumerate() {
            gorder[c] = i;
        }
        for ch in &tree.children {
            for (i, &c) in ch.iter().enumerate() {
                gorder[c] = i;
            }
        }
        let mut units = Vec::with_capacity(tree.len() + 1);
        units.resize_with(tree.len() + 1, Vec::new);
        State {
            pos: vec![0; lg.items.len()],
            key: vec![0.0; lg.items.len()],
            gorder,
            present,
            direct: vec![Vec::new(); tree.len() + 1],
            units,
            acc: vec![(0.0, 0.0); tree.len()],
            sweeping: None,
            pins: Vec::new(),
        }
    }

    /// A state at the current order of `lg` (which must keep clusters
    /// contiguous).
    fn at(lg: &LGraph, tree: &ClusterTree) -> Self {
        let mut st = State::new(lg, tree);
        for r in 0..lg.layers.len() {
            st.set_pos(lg, r);
        }
        st
    }

    fn set_pos(&mut self, lg: &LGraph, r: usize) {
        for (i, &v) in lg.layers[r].iter().enumerate() {
            self.pos[v] = i;
        }
    }

    /// The first order, as `start` says, made cluster-contiguous by
    /// sorting on those positions.
    fn initial(&mut self, lg: &mut LGraph, tree: &ClusterTree, start: Start) {
        lg.layers = match start {
            Start::DepthFirst => depth_first_layers(lg),
            Start::Declared => declared_layers(lg),
        };
        for r in 0..lg.layers.len() {
            self.set_pos(lg, r);
        }
        self.settle(lg, tree);
    }

    /// Makes the current order cluster-contiguous (sorting on the current
    /// positions) and the sibling order of clusters agree with it.
    fn settle(&mut self, lg: &mut LGraph, tree: &ClusterTree) {
        for pass in 0..2 {
            for r in 0..lg.layers.len() {
                let len = lg.layers[r].len().max(1) as f64;
                for &v in &lg.layers[r] {
                    self.key[v] = (self.pos[v] as f64 + 0.5) / len;
                }
                self.arrange(lg, tree, r);
            }
            if pass == 0 {
                self.update_gorder(tree);
            }
        }
    }

    /// One sweep downwards (keys from the rank above) or upwards.
    fn sweep(&mut self, lg: &mut LGraph, tree: &ClusterTree, down: bool) {
        let nr = lg.layers.len();
        if nr < 2 {
            return;
        }
        // The first rank has nothing to sweep from, but it must still be
        // re-sorted: the sibling order of clusters may have changed.
        let first = if down { 0 } else { nr - 1 };
        let len = lg.layers[first].len().max(1) as f64;
        for &v in &lg.layers[first] {
            self.key[v] = (self.pos[v] as f64 + 0.5) / len;
        }
        self.arrange(lg, tree, first);
        self.sweeping = Some(down);
        let ranks: Vec<usize> = if down {
            (1..nr).collect()
        } else {
            (0..nr - 1).rev().collect()
        };
        for r in ranks {
            let adj_len = lg.layers[if down { r - 1 } else { r + 1 }].len().max(1) as f64;
            let len = lg.layers[r].len().max(1) as f64;
            for &v in &lg.layers[r] {
                let nb = if down { &lg.up[v] } else { &lg.down[v] };
                self.key[v] = if nb.is_empty() {
                    (self.pos[v] as f64 + 0.5) / len
                } else {
                    let s: f64 = nb.iter().map(|&w| self.pos[w] as f64 + 0.5).sum();
                    s / nb.len() as f64 / adj_len
                };
            }
            self.arrange(lg, tree, r);
        }
        self.sweeping = None;
    }

    /// Re-sorts every cluster's children by the mean barycentre they had.
    fn update_gorder(&mut self, tree: &ClusterTree) {
        let mean = |s: &Self, c: usize| {
            let (sum, cnt) = s.acc[c];
            if cnt > 0.0 {
                sum / cnt
            } else {
                0.5
            }
        };
        let mut lists: Vec<&Vec<usize>> = vec![&tree.roots];
        lists.extend(tree.children.iter());
        for list in lists {
            let mut sorted = list.clone();
            sorted.sort_by(|&a, &b| {
                mean(self, a)
                    .total_cmp(&mean(self, b))
                    .then(self.gorder[a].cmp(&self.gorder[b]))
            });
            for &(a, b) in &self.pins {
                let (Some(ia), Some(ib)) = (
                    sorted.iter().position(|&c| c == a),
                    sorted.iter().position(|&c| c == b),
                ) else {
                    continue;
                };
                if ib < ia {
                    sorted.remove(ia);
                    sorted.insert(ib, a);
                }
            }
            for (i, &c) in sorted.iter().enumerate() {
                self.gorder[c] = i;
            }
        }
        self.acc.iter_mut().for_each(|a| *a = (0.0, 0.0));
    }

    /// Sorts rank `r` by `key`, cluster by cluster, innermost first.
    fn arrange(&mut self, lg: &mut LGraph, tree: &ClusterTree, r: usize) {
        let len = lg.layers[r].len().max(1) as f64;
        let here = |c: usize| lg.top[c] <= r && r <= lg.bottom[c];
        for &v in &lg.layers[r] {
            let it = &lg.items[v];
            if !it.kind.is_border() {
                // Every item lies in its cluster's band; the check only
                // guards against items leaking into another rank.
                let s = it.cluster.filter(|&c| here(c)).map_or(0, |c| c + 1);
                self.direct[s].push(v);
            }
        }
        let present = std::mem::take(&mut self.present[r]);
        for &c in &present {
            let items = std::mem::take(&mut self.direct[c + 1]);
            let units = std::mem::take(&mut self.units[c + 1]);
            let parent_slot = tree.parent[c].filter(|&p| here(p)).map_or(0, |p| p + 1);
            let (Some(l), Some(rb)) = (lg.left_at(c, r), lg.rights[c].get(r - lg.top[c]).copied())
            else {
                self.direct[parent_slot].extend(items);
                self.units[parent_slot].extend(units);
                continue;
            };
            let (mut mid, sum, cnt) = self.merge(lg, items, units);
            let mut seq = Vec::with_capacity(mid.len() + 2);
            seq.push(l);
            seq.append(&mut mid);
            seq.push(rb);
            // Its memory serves the box's items on the next rank.
            self.direct[c + 1] = mid;
            let fallback = (self.pos[l] as f64 + 0.5) / len;
            let bary = if cnt > 0.0 { sum / cnt } else { fallback };
            self.acc[c].0 += bary;
            self.acc[c].1 += 1.0;
            self.units[parent_slot].push(Unit {
                cluster: c,
                seq,
                sum,
                cnt,
                fallback,
                first_pos: self.pos[l],
            });
        }
        self.present[r] = present;
        let items = std::mem::take(&mut self.direct[0]);
        let units = std::mem::take(&mut self.units[0]);
        let (layer, _, _) = self.merge(lg, items, units);
        let mut old = std::mem::replace(&mut lg.layers[r], layer);
        // Its memory serves the loose items of the next rank.
        old.clear();
        self.direct[0] = old;
        self.set_pos(lg, r);
    }

    /// Merges loose items (sorted by key) with child units (kept in
    /// `gorder`, keys made monotone). Returns the sequence and the key sum
    /// and count of everything in it.
    fn merge(
        &self,
        lg: &LGraph,
        mut items: Vec<usize>,
        mut units: Vec<Unit>,
    ) -> (Vec<usize>, f64, f64) {
        let (key, pos) = (&self.key, &self.pos);
        items.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(pos[a].cmp(&pos[b])));
        units.sort_by_key(|u| self.gorder[u.cluster]);
        // Only loose items (a box holding no box on this rank): in key
        // order.
        if units.is_empty() {
            let sum: f64 = items.iter().map(|&v| key[v]).sum();
            let cnt = items.len() as f64;
            return (items, sum, cnt);
        }
        // The units' keys made monotone, to slot the loose items among
        // them (none to slot: not needed).
        let adj = if items.is_empty() {
            Vec::new()
        } else {
            let vals: Vec<(f64, f64)> = units
                .iter()
                .map(|u| {
                    if u.cnt > 0.0 {
                        (u.sum / u.cnt, u.cnt)
                    } else {
                        (u.fallback, 0.5)
                    }
                })
                .collect();
            isotonic(&vals)
        };
        let mut sum: f64 = items.iter().map(|&v| key[v]).sum();
        let mut cnt = items.len() as f64;
        // Per item: how many units go before it, by key, then within what
        // the sides of its neighbour allow.
        let mut slotted: Vec<(usize, usize)> = items
            .iter()
            .map(|&v| {
                let by_key = units
                    .iter()
                    .zip(&adj)
                    .take_while(|(u, k)| {
                        !key[v].total_cmp(k).then(pos[v].cmp(&u.first_pos)).is_lt()
                    })
                    .count();
                let (lo, hi) = self.side_bounds(lg, v, &units);
                (by_key.clamp(lo, hi.max(lo)), v)
            })
            .collect();
        // Stable: items keep their key order within a slot.
        slotted.sort_by_key(|&(g, _)| g);
        let total = items.len() + units.iter().map(|u| u.seq.len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        let mut it = slotted.into_iter().peekable();
        for (j, u) in units.into_iter().enumerate() {
            while let Some((_, v)) = it.next_if(|&(g, _)| g <= j) {
                out.push(v);
            }
            sum += u.sum;
            cnt += u.cnt;
            out.extend(u.seq);
        }
        out.extend(it.map(|(_, v)| v));
        (out, sum, cnt)
    }

    /// The range of unit slots dummy `v` may take during a sweep: after
    /// every unit whose box its neighbour on the swept rank passes on the
    /// right, before every one it passes on the left (boxes that span
    /// both ranks). Without a sweep, or for other items, any slot.
    fn side_bounds(&self, lg: &LGraph, v: usize, units: &[Unit]) -> (usize, usize) {
        let all = (0, units.len());
        let Some(down) = self.sweeping else {
            return all;
        };
        if !lg.items[v].kind.is_dummy() {
            return all;
        }
        let nb = if down { &lg.up[v] } else { &lg.down[v] };
        let [u] = nb.as_slice() else {
            return all;
        };
        let (ru, rv) = (lg.items[*u].rank, lg.items[v].rank);
        let (mut lo, mut hi) = all;
        for (j, unit) in units.iter().enumerate() {
            let c = unit.cluster;
            if !lg.spans(c, ru, rv) {
                continue;
            }
            match side(lg, &self.pos, c, *u) {
                s if s < 0 => hi = hi.min(j),
                s if s > 0 => lo = lo.max(j + 1),
                _ => {}
            }
        }
        if lo > hi {
            all
        } else {
            (lo, hi)
        }
    }
}

/// Weighted isotonic regression (pool adjacent violators): the closest
/// non-decreasing sequence to `vals` (value, weight).
fn isotonic(vals: &[(f64, f64)]) -> Vec<f64> {
    // Blocks of (mean, weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(vals.len());
    for &(v, w) in vals {
        let mut cur = (v, w.max(1e-9), 1usize);
        while let Some(&(pm, pw, pl)) = blocks.last() {
            if pm <= cur.0 {
                break;
            }
            blocks.pop();
            let w = pw + cur.1;
            cur = ((pm * pw + cur.0 * cur.1) / w, w, pl + cur.2);
        }
        blocks.push(cur);
    }
    let mut out = Vec::with_capacity(vals.len());
    for (m, _, l) in blocks {
        out.extend(std::iter::repeat_n(m, l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layered graph of `testgen::random_graph(seed, n)`, ordered.
    fn ordered(seed: u64, n: usize) -> LGraph {
        let (mut lg, tree, opts) = layered(seed, n);
        order(&mut lg, &tree, &opts, &mut Vec::new(), true);
        lg
    }

    /// The layered graph of `testgen::random_graph(seed, n)`, not ordered.
    fn layered(seed: u64, n: usize) -> (LGraph, ClusterTree, Options) {
        let mut notes = Vec::new();
        let g = super::super::testgen::random_graph(seed, n);
        let opts = super::super::sanitize::options(&Options::default(), &mut notes);
        let input = super::super::sanitize::sanitize(&g, &[], &mut notes);
        let tree = ClusterTree::new(&input.cluster_parent, &input.node_cluster);
        let fold = super::super::fold::Fold::None;
        let (reversed, ranking) = super::super::ranked(&input, &tree, &opts, fold, &mut notes);
        let lg = super::super::normalize::build(&input, &tree, &reversed, &ranking, &opts, &[]);
        (lg, tree, opts)
    }

    /// The declared start holds every item once, on its own rank, real
    /// nodes in declaration order and an edge's dummies between its ends.
    #[test]
    fn declared_start_follows_the_source() {
        for seed in 0..4 {
            let (lg, _, _) = layered(seed, 50);
            let lg = LGraph {
                layers: declared_layers(&lg),
                ..lg
            };
            let mut seen = vec![0; lg.items.len()];
            for (r, layer) in lg.layers.iter().enumerate() {
                let mut last_node = None;
                for &v in layer {
                    seen[v] += 1;
                    assert_eq!(lg.items[v].rank, r);
                    if let Kind::Node(k) = lg.items[v].kind {
                        assert!(
                            last_node < Some(k),
                            "rank {r}: node {k} after {last_node:?}"
                        );
                        last_node = Some(k);
                    }
                }
            }
            assert!(seen.iter().all(|&c| c == 1));
            let pos = positions(&lg);
            // A dummy's place lies between its ends': on its rank, it is
            // after every real node declared before both ends.
            for chain in &lg.chains {
                let (Some(&a), Some(&b)) = (chain.first(), chain.last()) else {
                    continue;
                };
                let (Kind::Node(ka), Kind::Node(kb)) = (lg.items[a].kind, lg.items[b].kind) else {
                    continue;
                };
                for &d in chain.iter().filter(|&&d| lg.items[d].kind.is_dummy()) {
                    for &w in &lg.layers[lg.items[d].rank] {
                        if let Kind::Node(k) = lg.items[w].kind {
                            if k < ka.min(kb) {
                                assert!(pos[w] < pos[d]);
                            }
                            if k > ka.max(kb) {
                                assert!(pos[w] > pos[d]);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Ordering from both starts never ends with more crossings than from
    /// the depth-first one alone, and on some graphs with fewer.
    #[test]
    fn two_starts_keep_the_better_order() {
        let mut fewer = 0;
        for seed in 0..8 {
            let (lg, tree, opts) = layered(seed, 80);
            let (mut one, mut two) = (lg.clone(), lg);
            order(&mut one, &tree, &opts, &mut Vec::new(), false);
            order(&mut two, &tree, &opts, &mut Vec::new(), true);
            let (c1, c2) = (crossings_now(&one), crossings_now(&two));
            assert!(c2 <= c1, "seed {seed}: {c2} > {c1}");
            fewer += usize::from(c2 < c1);
        }
        assert!(fewer > 0);
    }

    /// Every box is one block on every rank (its borders round all it
    /// holds and nothing else), and sibling boxes keep one order on all
    /// the ranks they share.
    fn assert_boxes_whole(lg: &LGraph, tree: &ClusterTree, what: &str) {
        let pos = positions(lg);
        let inside = |c: usize, v: usize| {
            let it = &lg.items[v];
            tree.lca(Some(c), it.cluster) == Some(c)
                && !(it.kind.is_border() && it.cluster == Some(c))
        };
        for c in 0..lg.top.len() {
            for r in lg.top[c]..=lg.bottom[c] {
                let (Some(l), Some(rt)) = (lg.left_at(c, r), lg.right_at(c, r)) else {
                    continue;
                };
                for &v in &lg.layers[r] {
                    let between = pos[l] < pos[v] && pos[v] < pos[rt];
                    if v != l && v != rt {
                        assert_eq!(between, inside(c, v), "{what}: box {c}, rank {r}, item {v}");
                    }
                }
            }
        }
        let mut lists: Vec<&Vec<usize>> = vec![&tree.roots];
        lists.extend(tree.children.iter());
        for sibs in lists {
            for &a in sibs {
                for &b in sibs {
                    let sides: Vec<bool> = (lg.top[a].max(lg.top[b])
                        ..=lg.bottom[a].min(lg.bottom[b]))
                        .filter_map(|r| Some(pos[lg.left_at(a, r)?] < pos[lg.left_at(b, r)?]))
                        .collect();
                    assert!(
                        sides.windows(2).all(|w| w[0] == w[1]),
                        "{what}: boxes {a} and {b}"
                    );
                }
            }
        }
    }

    /// Clearing cuts never leaves more of them, adds at most the slack of
    /// crossings, keeps every item once and every box whole; on some
    /// graphs it clears cuts.
    #[test]
    fn clear_cuts_trades_sibling_boxes() {
        let mut cleared = 0;
        for seed in 0..40 {
            let (mut lg, tree, opts) = layered(seed, 80);
            order(&mut lg, &tree, &opts, &mut Vec::new(), true);
            let before = (cuts(&lg, &tree).len(), crossings_now(&lg));
            if before.0 == 0 {
                continue;
            }
            let mut items: Vec<Vec<usize>> = lg.layers.clone();
            clear_cuts(&mut lg, &tree, &opts);
            let after = (cuts(&lg, &tree).len(), crossings_now(&lg));
            assert!(after.0 <= before.0, "seed {seed}: {before:?} -> {after:?}");
            assert!(
                after.1 * 100 <= before.1 * (100 + CLEAR_SLACK),
                "seed {seed}: {before:?} -> {after:?}"
            );
            let mut now = lg.layers.clone();
            for l in items.iter_mut().chain(now.iter_mut()) {
                l.sort_unstable();
            }
            assert_eq!(items, now, "seed {seed}: the same items on each rank");
            assert_boxes_whole(&lg, &tree, &format!("seed {seed}"));
            cleared += usize::from(after.0 < before.0);
        }
        assert!(cleared > 0, "no graph had a cut cleared");
    }

    /// Two sibling boxes trade places as blocks, whatever lies between
    /// them staying, and the boxes stay whole.
    #[test]
    fn swap_boxes_moves_blocks() {
        let mut swapped = 0;
        for seed in 0..20 {
            let lg = ordered(seed, 60);
            let tree = layered(seed, 60).1;
            for c in 0..lg.top.len() {
                for s in siblings_beside(&lg, &tree, c) {
                    let mut t = lg.clone();
                    let (first, second) = swap_boxes(&mut t, c, s);
                    assert_boxes_whole(&t, &tree, &format!("seed {seed}, {c} <-> {s}"));
                    let pos = positions(&t);
                    for r in lg.top[c].max(lg.top[s])..=lg.bottom[c].min(lg.bottom[s]) {
                        if let (Some(a), Some(b)) = (t.left_at(first, r), t.left_at(second, r)) {
                            assert!(pos[a] < pos[b]);
                        }
                    }
                    swapped += 1;
                }
            }
        }
        assert!(swapped > 0);
    }

    /// Transpose only swaps loose neighbours of one cluster, never adds a
    /// crossing, and undoes swaps that cost crossings.
    #[test]
    fn transpose_removes_crossings_and_keeps_boxes() {
        let mut fewer = 0;
        for seed in 0..6 {
            let mut lg = ordered(seed, 60);
            // Spoil the order: swap every other pair of loose neighbours
            // of one cluster.
            for r in 0..lg.layers.len() {
                let mut i = 1;
                while i < lg.layers[r].len() {
                    let (v, w) = (lg.layers[r][i - 1], lg.layers[r][i]);
                    let (iv, iw) = (&lg.items[v], &lg.items[w]);
                    if iv.cluster == iw.cluster && !iv.kind.is_border() && !iw.kind.is_border() {
                        lg.layers[r].swap(i - 1, i);
                        i += 1;
                    }
                    i += 1;
                }
            }
            let spoilt = lg.layers.clone();
            let before = crossings_now(&lg);
            transpose(&mut lg);
            let after = crossings_now(&lg);
            assert!(after <= before, "seed {seed}: {before} -> {after}");
            fewer += usize::from(after < before);
            for (r, (old, new)) in spoilt.iter().zip(&lg.layers).enumerate() {
                // Every item keeps its cluster's place: the borders and
                // the cluster of each position are as they were.
                let shape = |l: &[usize]| -> Vec<(Option<usize>, bool)> {
                    l.iter()
                        .map(|&v| (lg.items[v].cluster, lg.items[v].kind.is_border()))
                        .collect()
                };
                assert_eq!(shape(old), shape(new), "seed {seed} rank {r}");
                let borders = |l: &[usize]| -> Vec<usize> {
                    l.iter()
                        .copied()
                        .filter(|&v| lg.items[v].kind.is_border())
                        .collect()
                };
                assert_eq!(borders(old), borders(new), "seed {seed} rank {r}");
            }
        }
        assert!(
            fewer >= 5,
            "transpose mended only {fewer} of 6 spoilt orders"
        );
    }

    #[test]
    fn isotonic_pools_violators() {
        let r = isotonic(&[(0.1, 1.0), (0.5, 1.0), (0.3, 1.0), (0.9, 2.0)]);
        assert_eq!(r.len(), 4);
        assert!((r[1] - 0.4).abs() < 1e-12 && (r[2] - 0.4).abs() < 1e-12);
        assert!(r.windows(2).all(|w| w[0] <= w[1]));
    }
}
