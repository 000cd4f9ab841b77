//! Cycle breaking, cluster by cluster.
//!
//! Every edge belongs to the level of the lowest cluster holding both its
//! end points (the top level when none does); at that level it joins two
//! *items*: the child nodes and child clusters that hold its ends. Each
//! level's item graph is made acyclic on its own, so an edge between two
//! boxes never points against the other edges between them and the boxes
//! stay compact bands of ranks.
//!
//! At each level, arcs are accepted greedily unless they would close a
//! cycle, in this order: arcs leaving the item discovered first by a
//! breadth-first search from the first node (then from the next unvisited
//! node, and so on) come first, ties by input order. So the drawing flows
//! away from the first declared node, and of a request/response pair the
//! edge declared first keeps its direction. A rejected arc is reversed;
//! it is implied by the accepted ones, so the result is acyclic. On very
//! large levels the search budget runs out and the remaining arcs follow a
//! topological order of the accepted ones.

use std::collections::BTreeMap;

use super::nesting::ClusterTree;
use super::sanitize::IEdge;

/// Reachability visits allowed per level before falling back to a
/// topological order.
const BUDGET: usize = 4_000_000;

/// `reversed[i]` tells whether `edges[i]` must point the other way for the
/// graph to be acyclic.
pub(super) fn reversed_edges(
    n: usize,
    edges: &[IEdge],
    node_cluster: &[Option<usize>],
    tree: &ClusterTree,
) -> Vec<bool> {
    let discovery = bfs_order(n, edges);
    // Per level: local item numbering and the arcs.
    #[derive(Default)]
    struct Level {
        items: BTreeMap<Item, usize>,
        /// (source item, target item, edge index)
        arcs: Vec<(usize, usize, usize)>,
        first: Vec<usize>,
    }
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Item {
        Node(usize),
        Cluster(usize),
    }
    let cluster_of = |v: usize| node_cluster.get(v).copied().flatten();
    let item_at = |v: usize, level: Option<usize>| -> Item {
        let c = cluster_of(v);
        if c == level {
            Item::Node(v)
        } else {
            tree.chain_below(c, level)
                .last()
                .map_or(Item::Node(v), |&k| Item::Cluster(k))
        }
    };
    let mut levels: BTreeMap<Option<usize>, Level> = BTreeMap::new();
    for (i, e) in edges.iter().enumerate() {
        if e.src == e.dst || e.src >= n || e.dst >= n {
            continue;
        }
        let level = tree.lca(cluster_of(e.src), cluster_of(e.dst));
        let (a, b) = (item_at(e.src, level), item_at(e.dst, level));
        let lv = levels.entry(level).or_default();
        let mut local = |it: Item, v: usize| {
            let next = lv.items.len();
            let k = *lv.items.entry(it).or_insert(next);
            if k == lv.first.len() {
                lv.first.push(usize::MAX);
            }
            if let Some(f) = lv.first.get_mut(k) {
                *f = (*f).min(discovery[v]);
            }
            k
        };
        let (ka, kb) = (local(a, e.src), local(b, e.dst));
        lv.arcs.push((ka, kb, i));
    }
    let mut reversed = vec![false; edges.len()];
    for lv in levels.values() {
        let k = lv.items.len();
        // An item's discovery time is the earliest of the nodes it holds
        // that this level's edges touch.
        let first = &lv.first;
        let mut order: Vec<usize> = (0..lv.arcs.len()).collect();
        order.sort_by_key(|&a| {
            let (s, _, i) = lv.arcs[a];
            (first[s], i)
        });
        let rev = break_level(k, &lv.arcs, &order, first);
        for (a, r) in rev.into_iter().enumerate() {
            if r {
                reversed[lv.arcs[a].2] = true;
            }
        }
    }
    reversed
}

/// Breadth-first discovery time of every node, from node 0, then from the
/// first node not yet reached, and so on.
fn bfs_order(n: usize, edges: &[IEdge]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if e.src < n && e.dst < n {
            out[e.src].push(e.dst);
        }
    }
    let mut time = vec![usize::MAX; n];
    let mut t = 0;
    let mut queue = std::collections::VecDeque::new();
    for start in 0..n {
        if time[start] != usize::MAX {
            continue;
        }
        time[start] = t;
        t += 1;
        queue.push_back(start);
        while let Some(v) = queue.pop_front() {
            for &w in &out[v] {
                if time[w] == usize::MAX {
                    time[w] = t;
                    t += 1;
                    queue.push_back(w);
                }
            }
        }
    }
    time
}

/// Accepts arcs in `order` unless they close a cycle; returns which arcs
/// are reversed. `rank` breaks ties in the fallback topological order.
fn break_level(
    k: usize,
    arcs: &[(usize, usize, usize)],
    order: &[usize],
    rank: &[usize],
) -> Vec<bool> {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut reversed = vec![false; arcs.len()];
    let mut stamp = vec![0usize; k];
    let mut epoch = 0usize;
    let mut budget = BUDGET;
    let mut stack: Vec<usize> = Vec::new();
    let mut rest = order.len();
    for (pos, &a) in order.iter().enumerate() {
        let (s, t, _) = arcs[a];
        if s == t {
            continue;
        }
        // Does t already reach s?
        epoch += 1;
        stack.clear();
        stack.push(t);
        stamp[t] = epoch;
        let mut found = false;
        while let Some(v) = stack.pop() {
            if v == s {
                found = true;
                break;
            }
            budget = budget.saturating_sub(1 + adj[v].len());
            for &w in &adj[v] {
                if stamp[w] != epoch {
                    stamp[w] = epoch;
                    stack.push(w);
                }
            }
        }
        if found {
            reversed[a] = true;
        } else {
            adj[s].push(t);
        }
        if budget == 0 {
            rest = pos + 1;
            break;
        }
    }
    if rest < order.len() {
        // Out of budget: orient the remaining arcs along a topological
        // order of the accepted ones (Kahn, ties by rank).
        let mut indeg = vec![0usize; k];
        for list in &adj {
            for &w in list {
                indeg[w] += 1;
            }
        }
        let mut ready: std::collections::BTreeSet<(usize, usize)> = (0..k)
            .filter(|&v| indeg[v] == 0)
            .map(|v| (rank.get(v).copied().unwrap_or(usize::MAX), v))
            .collect();
        let mut position = vec![0usize; k];
        let mut p = 0;
        while let Some((_, v)) = ready.pop_first() {
            position[v] = p;
            p += 1;
            for &w in &adj[v] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    ready.insert((rank.get(w).copied().unwrap_or(usize::MAX), w));
                }
            }
        }
        for &a in &order[rest..] {
            let (s, t, _) = arcs[a];
            reversed[a] = position[s] > position[t];
        }
    }
    reversed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(n: usize, edges: &[IEdge]) -> Vec<bool> {
        let none = vec![None; n];
        reversed_edges(n, edges, &none, &ClusterTree::new(&[], &none))
    }

    fn e(src: usize, dst: usize) -> IEdge {
        IEdge {
            id: 0,
            src,
            dst,
            lw: 0.0,
            lh: 0.0,
            paired: false,
        }
    }

    #[test]
    fn request_response_pair() {
        let r = flat(2, &[e(0, 1), e(1, 0), e(0, 1)]);
        assert_eq!(r, vec![false, true, false]);
    }

    #[test]
    fn result_is_acyclic() {
        let edges = vec![e(0, 1), e(1, 2), e(2, 0), e(2, 3), e(3, 1), e(3, 3)];
        let r = flat(4, &edges);
        // Kahn's algorithm must consume every node.
        let mut indeg = [0; 4];
        let mut adj = vec![Vec::new(); 4];
        for (i, ed) in edges.iter().enumerate() {
            if ed.src == ed.dst {
                continue;
            }
            let (a, b) = if r[i] {
                (ed.dst, ed.src)
            } else {
                (ed.src, ed.dst)
            };
            adj[a].push(b);
            indeg[b] += 1;
        }
        let mut q: Vec<usize> = (0..4).filter(|&v| indeg[v] == 0).collect();
        let mut seen = 0;
        while let Some(v) = q.pop() {
            seen += 1;
            for &w in &adj[v] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    q.push(w);
                }
            }
        }
        assert_eq!(seen, 4);
    }

    #[test]
    fn a_dag_keeps_every_edge() {
        let edges = vec![e(0, 1), e(2, 3), e(3, 1), e(0, 2)];
        assert_eq!(flat(4, &edges), vec![false; 4]);
    }

    #[test]
    fn edges_between_two_boxes_point_one_way() {
        // Nodes 0, 1 in cluster 0; nodes 2, 3 in cluster 1. The first
        // inter-box edge found from node 0 goes 0 -> 1 box-wise; the edge
        // from box 1 back to box 0 is reversed although on its own (3 -> 0
        // with no path 0 -> 3... through node edges) a node-level search
        // would keep it.
        let clusters = vec![Some(0), Some(0), Some(1), Some(1)];
        let tree = ClusterTree::new(&[None, None], &clusters);
        let edges = vec![e(0, 2), e(3, 1), e(1, 0)];
        let r = reversed_edges(4, &edges, &clusters, &tree);
        assert_eq!(r, vec![false, true, false]);
        // Without the boxes nothing needs reversing.
        assert_eq!(flat(4, &edges), vec![false; 3]);
    }

    #[test]
    fn flows_away_from_the_first_node() {
        // 0 -> 1 -> 2 -> 0: the edge back to the start is the one reversed.
        let r = flat(3, &[e(1, 2), e(2, 0), e(0, 1)]);
        assert_eq!(r, vec![false, true, false]);
    }
}
