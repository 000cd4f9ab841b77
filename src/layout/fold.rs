//! Folding: the ranking of a drawing that spacing cannot balance.
//!
//! [`super::balance`] first widens the gaps of a drawing whose aspect
//! ratio is out of bounds. That cannot help a chain drawn along its length
//! (its short side has no gaps) nor one rank holding nearly every node (its
//! long side has one gap). For those the ranking is changed before the
//! nodes are ordered:
//!
//! - [`Fold::Columns`]: the ranks are cut into runs that are set side by
//!   side. Each run after the first starts again at the top of the
//!   innermost box the cut passes through (at the top of the drawing when
//!   it passes through none), and the edges that cross a cut run back up,
//!   drawn like the edges of a cycle.
//! - [`Fold::Rows`]: the sinks of the widest rank are spread over rows
//!   below it, its sources over rows above it; the edges of the farther
//!   rows pass between the nodes of the nearer ones.
//!
//! Every edge keeps at least its minimum span (a rank for its label, one
//! per box side it crosses) and every box is re-fitted around what it
//! holds, so the later phases see an ordinary ranking. A fold that cannot
//! keep that is not made.

use super::nesting::{edge_minlen, ClusterTree};
use super::rank::Ranking;
use super::sanitize::Input;

/// How a ranking is folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fold {
    /// As ranked.
    None,
    /// The ranks in this many runs side by side.
    Columns(usize),
    /// The widest rank's sinks and sources in this many rows.
    Rows(usize),
}

/// Folds `ranking` (and turns the edges in `reversed` that now point the
/// other way). Returns whether it did; otherwise nothing is changed.
pub(super) fn apply(
    input: &Input,
    tree: &ClusterTree,
    reversed: &mut [bool],
    ranking: &mut Ranking,
    fold: Fold,
) -> bool {
    let folded = match fold {
        Fold::None => return false,
        Fold::Columns(k) => columns(input, tree, reversed, ranking, k),
        Fold::Rows(m) => rows(input, reversed, ranking, m).map(|n| {
            let runs = vec![0; n.len()];
            (n, runs)
        }),
    };
    let Some((node, run)) = folded else {
        return false;
    };
    let Some(flip) = orientation(input, tree, reversed, &node) else {
        return false;
    };
    let (top, bottom) = bands(tree, ranking, &node);
    // The nodes moved into rows, and which way each went.
    let into_rows = matches!(fold, Fold::Rows(_));
    let moved: Vec<std::cmp::Ordering> = node
        .iter()
        .zip(&ranking.node)
        .map(|(&new, &old)| new.cmp(&(old as i64)))
        .collect();
    let count = |way: std::cmp::Ordering| moved.iter().filter(|&&m| m == way).count();
    ranking.near = moved.iter().map(|m| into_rows && m.is_ne()).collect();
    // Sources moved up: the rows interleave when ordered from below.
    ranking.climb =
        into_rows && count(std::cmp::Ordering::Less) > count(std::cmp::Ordering::Greater);
    let min = node.iter().chain(&top).copied().min().unwrap_or(0);
    let norm = |r: i64| (r - min).max(0) as usize;
    ranking.node = node.into_iter().map(norm).collect();
    ranking.run = run;
    ranking.top = top.into_iter().map(norm).collect();
    ranking.bottom = bottom.into_iter().map(norm).collect();
    for (r, f) in reversed.iter_mut().zip(flip) {
        *r ^= f;
    }
    true
}

/// Upper and lower end of edge `i` as currently oriented.
fn ends(input: &Input, reversed: &[bool], i: usize) -> Option<(usize, usize)> {
    let e = input.edges.get(i)?;
    Some(e.oriented(reversed.get(i).copied().unwrap_or(false)))
}

/// Whether edge `i` must turn round under the new ranks `node`: `None` if
/// some edge would be shorter than its minimum span either way.
fn orientation(
    input: &Input,
    tree: &ClusterTree,
    reversed: &[bool],
    node: &[i64],
) -> Option<Vec<bool>> {
    (0..input.edges.len())
        .map(|i| {
            let (u, v) = ends(input, reversed, i)?;
            let min = edge_minlen(tree, input.node_cluster[u], input.node_cluster[v]);
            let d = node[v] - node[u];
            if d >= min {
                Some(false)
            } else if -d >= min {
                Some(true)
            } else {
                None
            }
        })
        .collect()
}

/// Box bands fitted around the new ranks: one rank above and below what
/// each box holds, children first. An empty box keeps its place relative
/// to its old top (it has nothing to follow).
fn bands(tree: &ClusterTree, ranking: &Ranking, node: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let mut top: Vec<i64> = ranking.top.iter().map(|&r| r as i64).collect();
    let mut bottom: Vec<i64> = ranking.bottom.iter().map(|&r| r as i64).collect();
    for &c in tree.topo.iter().rev() {
        let inner = || {
            tree.members[c]
                .iter()
                .map(|&v| (node[v], node[v]))
                .chain(tree.children[c].iter().map(|&k| (top[k], bottom[k])))
        };
        let lo = inner().map(|p| p.0).min();
        let hi = inner().map(|p| p.1).max();
        if let (Some(lo), Some(hi)) = (lo, hi) {
            top[c] = lo - 1;
            bottom[c] = hi + 1;
        }
    }
    (top, bottom)
}

/// Columns: cut the ranks into `k` runs of about equal length, each cut
/// where the fewest edges cross it (then through the fewest boxes, before
/// a rank that holds a node, nearest the even split), and start each run again at the top
/// of the innermost box the cut passes through, lower where an edge
/// between runs would otherwise be too short.
fn columns(
    input: &Input,
    tree: &ClusterTree,
    reversed: &[bool],
    ranking: &Ranking,
    k: usize,
) -> Option<(Vec<i64>, Vec<usize>)> {
    let len = ranking
        .node
        .iter()
        .chain(&ranking.bottom)
        .max()
        .map_or(0, |&r| r + 1);
    if k < 2 || len < 2 * k {
        return None;
    }
    // How many edges cross the cut before rank `c`.
    let mut delta = vec![0i64; len + 1];
    for i in 0..input.edges.len() {
        let (u, v) = ends(input, reversed, i)?;
        let (a, b) = (ranking.node[u], ranking.node[v]);
        let (a, b) = (a.min(b), a.max(b));
        delta[a + 1] += 1;
        delta[b + 1] -= 1;
    }
    let mut crossing = vec![0i64; len + 1];
    let mut run = 0;
    for (c, d) in delta.iter().enumerate() {
        run += d;
        crossing[c] = run;
    }
    let mut holds_node = vec![false; len];
    for &r in &ranking.node {
        holds_node[r] = true;
    }
    // The boxes a cut before rank `c` passes through (their bands hold
    // both sides of it), and the innermost of them.
    let around =
        |c: usize| (0..tree.len()).filter(move |&b| ranking.top[b] < c && ranking.bottom[b] >= c);
    let innermost = |c: usize| around(c).max_by_key(|&b| (tree.depth[b], b));
    // Runs after the first start again below the top of the box the cuts
    // pass through (estimated by the box around the middle rank): the
    // even split gives each run the same height with that start.
    let restart = innermost(len / 2).map_or(0, |c| ranking.top[c] + 1);
    let height = (len + (k - 1) * restart).div_ceil(k);
    let step = height.saturating_sub(restart).max(1);
    let mut cuts: Vec<usize> = vec![0];
    let half = (step / 2).max(1);
    for j in 1..k {
        let ideal = (height + (j - 1) * step).min(len - 1);
        let prev = cuts.last().copied().unwrap_or(0);
        let lo = ideal.saturating_sub(half).max(prev + 2);
        let hi = (ideal + half).min(len - 1);
        let best = (lo..=hi).min_by_key(|&c| {
            let boxes = around(c).count();
            (crossing[c], boxes, !holds_node[c], c.abs_diff(ideal))
        })?;
        cuts.push(best);
    }
    let run_of = |r: usize| cuts.partition_point(|&c| c <= r) - 1;
    // New rank of old rank `r`, given the starts of the runs so far.
    let place = |starts: &[i64], r: usize| -> i64 {
        let j = run_of(r);
        r as i64 - cuts[j] as i64 + starts.get(j).copied().unwrap_or(0)
    };
    let mut starts: Vec<i64> = vec![0];
    let run: Vec<usize> = ranking.node.iter().map(|&r| run_of(r)).collect();
    let mut node: Vec<i64> = ranking.node.iter().map(|&r| r as i64).collect();
    for j in 1..k {
        let cut = cuts[j];
        // The innermost box whose band holds both sides of the cut and
        // that starts early enough for the run to move up.
        let mut inner = innermost(cut);
        let top_of =
            |starts: &[i64], c: Option<usize>| c.map_or(0, |c| place(starts, ranking.top[c]) + 1);
        while inner.is_some() && top_of(&starts, inner) >= cut as i64 {
            inner = inner.and_then(|c| tree.parent[c]);
        }
        let mut start = top_of(&starts, inner);
        if start >= cut as i64 {
            // The run would not move up.
            return None;
        }
        // A run that must start lower than its cut is still tried (it
        // only lengthens the drawing, and is then not kept), within bounds.
        let end = cuts.get(j + 1).copied().unwrap_or(len);
        let limit = start.max(cut as i64) + (end - cut) as i64 + 8;
        loop {
            starts.push(start);
            for (v, r) in node.iter_mut().enumerate() {
                if run[v] == j {
                    *r = place(&starts, ranking.node[v]);
                }
            }
            // Every edge between this run and an earlier one long enough
            // one way or the other.
            let fits = (0..input.edges.len()).all(|i| {
                let Some((u, v)) = ends(input, reversed, i) else {
                    return false;
                };
                let (ju, jv) = (run[u], run[v]);
                if ju.max(jv) != j || ju == jv {
                    return true;
                }
                let min = edge_minlen(tree, input.node_cluster[u], input.node_cluster[v]);
                (node[v] - node[u]).abs() >= min
            });
            if fits {
                break;
            }
            starts.pop();
            start += 1;
            if start > limit {
                return None;
            }
        }
    }
    Some((node, run))
}

/// Rows: the widest rank's sinks go `2 t` ranks down and its sources `2 t`
/// ranks up, for row `t` of `m`; the rank's other nodes stay in row 0.
/// The movable nodes are dealt out in turn in declaration order (row 0
/// takes fewer where it holds fixed nodes), so that the edges to the
/// farther rows pass between the nodes of the nearer ones.
fn rows(input: &Input, reversed: &[bool], ranking: &Ranking, m: usize) -> Option<Vec<i64>> {
    if m < 2 {
        return None;
    }
    let n = input.node_count();
    let len = ranking.node.iter().max().map_or(0, |&r| r + 1);
    let mut width = vec![0usize; len];
    for &r in &ranking.node {
        width[r] += 1;
    }
    let (wide, &count) = width
        .iter()
        .enumerate()
        .max_by_key(|&(r, &w)| (w, std::cmp::Reverse(r)))?;
    let per_row = count.div_ceil(m);
    let (mut has_up, mut has_down) = (vec![false; n], vec![false; n]);
    for i in 0..input.edges.len() {
        let (u, v) = ends(input, reversed, i)?;
        has_down[u] = true;
        has_up[v] = true;
    }
    let on_rank: Vec<usize> = (0..n).filter(|&v| ranking.node[v] == wide).collect();
    let fixed = on_rank
        .iter()
        .filter(|&&v| has_up[v] && has_down[v])
        .count();
    let mut node: Vec<i64> = ranking.node.iter().map(|&r| r as i64).collect();
    // Places left per row; row 0 holds the fixed nodes already.
    let mut room: Vec<usize> = (0..m).map(|_| per_row).collect();
    room[0] = per_row.saturating_sub(fixed);
    let mut row = 0usize;
    let mut moved = 0usize;
    for &v in &on_rank {
        if has_up[v] && has_down[v] {
            continue;
        }
        // The next row in turn with room left, farthest first.
        let Some(t) = (0..m).map(|i| m - 1 - (row + i) % m).find(|&t| room[t] > 0) else {
            break;
        };
        room[t] -= 1;
        row = m - t;
        if t > 0 {
            moved += 1;
            let t = t as i64;
            node[v] += if has_down[v] { -2 * t } else { 2 * t };
        }
    }
    (moved > 0).then_some(node)
}
