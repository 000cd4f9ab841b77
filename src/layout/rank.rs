//! Rank assignment on the nesting graph.
//!
//! Real edges (oriented by [`super::acyclic`]) need length >= 2 so that the
//! middle rank can hold the label dummy. Network simplex minimises the total
//! weighted length; when its pivot budget is exhausted the feasible
//! intermediate ranking is kept. If simplex is impossible (never for valid
//! input) longest path is used. Where sibling boxes with flows from one
//! into the other come out overlapping by a rank or two, the graph is
//! ranked again with a strong wish that they follow one another. Cluster
//! tops are finally tightened onto their content.

use super::nesting::{
    box_pairs, nesting_graph, outside_wishes, sequence_wishes, ClusterTree, NestIds, Wish,
};
use super::sanitize::Input;
use super::simplex::{longest_path, network_simplex};
use super::Options;

/// Ranks of real nodes and of cluster border rows, starting at 0.
#[derive(Debug, Clone)]
pub(super) struct Ranking {
    pub node: Vec<usize>,
    pub top: Vec<usize>,
    pub bottom: Vec<usize>,
    /// Per node: the labels of its edges sit on the rank next to it rather
    /// than midway (set for the nodes [`super::fold`] moved into rows, so
    /// that a label stays by its node, not among the nodes of a nearer
    /// row).
    pub near: Vec<bool>,
    /// The first order follows edges up from the lowest rank rather than
    /// down from the highest (set when [`super::fold`] moved sources into
    /// rows above their targets: followed from the target, the rows
    /// interleave).
    pub climb: bool,
    /// Per node: the run of a fold into columns it is in (0 unfolded). The
    /// first order takes the runs one after the other, so that the nodes
    /// of one run start together on their side of the next.
    pub run: Vec<usize>,
}

/// Sibling boxes overlapping by at most this many ranks where flows run
/// from one into the other are ranked again to follow one another (see
/// [`rank`]).
const NEAR_OVERLAP: i64 = 2;

/// Work units (nodes + edges) times pivots we are ready to spend.
const PIVOT_WORK: usize = 400_000_000;

pub(super) fn rank(
    input: &Input,
    tree: &ClusterTree,
    reversed: &[bool],
    opts: &Options,
    notes: &mut Vec<String>,
) -> Ranking {
    let dir: Vec<(usize, usize)> = input
        .edges
        .iter()
        .zip(reversed)
        .map(|(e, &r)| e.oriented(r))
        .collect();
    let pairs = box_pairs(tree, &input.node_cluster, &dir);
    let mut first_notes = Vec::new();
    // Both rankings keep the wishes of elements outside every box.
    let outside = outside_wishes(tree, &input.node_cluster, &dir);
    let wishes = |near: &[bool]| [sequence_wishes(tree, &pairs, near), outside.clone()].concat();
    let (ids, raw) = solve(input, tree, &dir, &wishes(&[]), opts, &mut first_notes);
    // Sibling boxes (at any depth) that the ranking left sharing a rank or
    // two where flows run from one into the other: ranked again with a
    // strong wish that they follow one another. A box that grew by a rank
    // then pushes its sibling along instead of beside it.
    let near: Vec<bool> = pairs
        .iter()
        .map(|&(a, b, _)| {
            let overlap = raw[ids.bottom(a)] + 1 - raw[ids.top(b)];
            (1..=NEAR_OVERLAP).contains(&overlap)
        })
        .collect();
    let (ids, raw) = if near.contains(&true) {
        solve(input, tree, &dir, &wishes(&near), opts, notes)
    } else {
        notes.append(&mut first_notes);
        (ids, raw)
    };
    let mut top: Vec<i64> = (0..tree.len()).map(|c| raw[ids.top(c)]).collect();
    let bottom: Vec<i64> = (0..tree.len()).map(|c| raw[ids.bottom(c)]).collect();
    let node: Vec<i64> = raw[..input.node_count()].to_vec();
    // Tighten tops (children first) so no cluster has empty rows on top.
    for &c in tree.topo.iter().rev() {
        let inner = tree.members[c]
            .iter()
            .map(|&v| node[v])
            .chain(tree.children[c].iter().map(|&k| top[k]))
            .min()
            .unwrap_or(bottom[c]);
        top[c] = inner - 1;
    }
    let min = node.iter().chain(top.iter()).copied().min().unwrap_or(0);
    let norm = |r: i64| (r - min).max(0) as usize;
    Ranking {
        near: vec![false; node.len()],
        climb: false,
        run: vec![0; node.len()],
        node: node.into_iter().map(norm).collect(),
        top: top.into_iter().map(norm).collect(),
        bottom: bottom.into_iter().map(norm).collect(),
    }
}

/// Ranks the nesting graph with the sequence `wishes` (between sibling
/// boxes, and between elements outside every box and top-level boxes):
/// its ids and raw ranks.
fn solve(
    input: &Input,
    tree: &ClusterTree,
    dir: &[(usize, usize)],
    wishes: &[Wish],
    opts: &Options,
    notes: &mut Vec<String>,
) -> (NestIds, Vec<i64>) {
    let (ids, edges) = nesting_graph(tree, &input.node_cluster, dir, wishes);
    let n = ids.count();
    let size = n + edges.len();
    let budget = opts.max_simplex_pivots.min(PIVOT_WORK / size.max(1));
    let raw: Vec<i64> = match network_simplex(n, &edges, budget) {
        Some(o) => {
            if !o.optimal {
                notes.push(format!(
                    "ranking stopped after {budget} simplex pivots (not optimal)"
                ));
            }
            o.ranks
        }
        None => {
            notes.push("ranking fell back to longest path".to_string());
            longest_path(n, &edges).unwrap_or_else(|| vec![0; n])
        }
    };
    (ids, raw)
}
