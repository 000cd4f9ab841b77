//! The cluster forest and the nesting graph used for ranking.
//!
//! The nesting graph adds, per cluster `c`, a top border node `top(c)` and a
//! bottom border node `bottom(c)` with edges `top(c) -> member` and
//! `member -> bottom(c)` (a member is a node directly in `c`, or a child
//! cluster's top/bottom). Ranking it puts every cluster in a contiguous band
//! of ranks strictly between its top and bottom rank, nested bands strictly
//! inside their parent's band. Heavy weights keep the bands short. Top-level
//! boxes with flows between them softly wish to follow one another along
//! the ranks, and the sibling pairs a first ranking left nearly in sequence
//! strongly ([`sequence_wishes`], [`Wish`]); so do a top-level node and a
//! top-level box whose inner boxes it has flows with ([`outside_wishes`]).

/// Parent/children/depth of the (acyclic) cluster forest.
#[derive(Debug, Clone)]
pub(super) struct ClusterTree {
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    /// Top-level clusters.
    pub roots: Vec<usize>,
    /// Depth from 1 (top-level) downwards.
    pub depth: Vec<usize>,
    /// Nodes directly in each cluster.
    pub members: Vec<Vec<usize>>,
    /// Clusters with parents before children.
    pub topo: Vec<usize>,
}

impl ClusterTree {
    /// Builds the tree; `parent` must be acyclic and in range.
    pub fn new(parent: &[Option<usize>], node_cluster: &[Option<usize>]) -> Self {
        let n = parent.len();
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (c, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(c),
                None => roots.push(c),
            }
        }
        let mut members = vec![Vec::new(); n];
        for (v, c) in node_cluster.iter().enumerate() {
            if let Some(c) = c {
                members[*c].push(v);
            }
        }
        let mut depth = vec![1; n];
        let mut topo = Vec::with_capacity(n);
        let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            topo.push(c);
            for &k in children[c].iter().rev() {
                depth[k] = depth[c] + 1;
                stack.push(k);
            }
        }
        ClusterTree {
            parent: parent.to_vec(),
            children,
            roots,
            depth,
            members,
            topo,
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Depth of an optional cluster (0 for the top level).
    pub fn depth_of(&self, c: Option<usize>) -> usize {
        c.map_or(0, |c| self.depth[c])
    }

    /// Lowest common ancestor of two optional clusters (None = top level).
    pub fn lca(&self, a: Option<usize>, b: Option<usize>) -> Option<usize> {
        let (mut a, mut b) = (a, b);
        while self.depth_of(a) > self.depth_of(b) {
            a = a.and_then(|c| self.parent[c]);
        }
        while self.depth_of(b) > self.depth_of(a) {
            b = b.and_then(|c| self.parent[c]);
        }
        while a != b {
            a = a.and_then(|c| self.parent[c]);
            b = b.and_then(|c| self.parent[c]);
        }
        a
    }

    /// `c` and its ancestors strictly below `stop`, innermost first.
    pub fn chain_below(&self, c: Option<usize>, stop: Option<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        let mut x = c;
        while x != stop {
            match x {
                Some(k) => {
                    out.push(k);
                    x = self.parent[k];
                }
                None => break,
            }
        }
        out
    }
}

/// An edge of a graph to be ranked: `rank(v) - rank(u) >= minlen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RankEdge {
    pub u: usize,
    pub v: usize,
    pub minlen: i64,
    pub weight: i64,
}

/// Node numbering of the nesting graph: real nodes first, then per cluster
/// its top and bottom border, then the root.
#[derive(Debug, Clone, Copy)]
pub(super) struct NestIds {
    pub nodes: usize,
    pub clusters: usize,
    /// Helper nodes after the root (see [`Wish`]).
    pub aux: usize,
}

impl NestIds {
    pub fn top(&self, c: usize) -> usize {
        self.nodes + 2 * c
    }
    pub fn bottom(&self, c: usize) -> usize {
        self.nodes + 2 * c + 1
    }
    pub fn root(&self) -> usize {
        self.nodes + 2 * self.clusters
    }
    pub fn count(&self) -> usize {
        self.root() + 1 + self.aux
    }
}

/// Minimum rank span of an edge from a node in `cu` to a node in `cv`:
/// 2 (a rank for the label), and for an edge leaving or entering clusters
/// one rank per box side crossed plus two, so that the label can sit
/// between the boxes and the boxes need not share a rank.
pub(super) fn edge_minlen(tree: &ClusterTree, cu: Option<usize>, cv: Option<usize>) -> i64 {
    let lca = tree.depth_of(tree.lca(cu, cv));
    let crossed = tree.depth_of(cu) + tree.depth_of(cv) - 2 * lca;
    if crossed == 0 {
        2
    } else {
        crossed as i64 + 2
    }
}

/// Builds the nesting graph: merged real edges (`dir_edges`, already
/// oriented downwards) plus border and root edges, and the sequence
/// `wishes` (see [`Wish`]).
pub(super) fn nesting_graph(
    tree: &ClusterTree,
    node_cluster: &[Option<usize>],
    dir_edges: &[(usize, usize)],
    wishes: &[Wish],
) -> (NestIds, Vec<RankEdge>) {
    let mut ids = NestIds {
        nodes: node_cluster.len(),
        clusters: tree.len(),
        aux: 0,
    };
    let mut pairs: Vec<(usize, usize)> = dir_edges.to_vec();
    pairs.sort_unstable();
    let mut edges: Vec<RankEdge> = Vec::new();
    for (u, v) in pairs {
        match edges.last_mut() {
            Some(last) if last.u == u && last.v == v => last.weight += 1,
            _ => edges.push(RankEdge {
                u,
                v,
                minlen: edge_minlen(tree, node_cluster[u], node_cluster[v]),
                weight: 1,
            }),
        }
    }
    // Heavy enough that shortening a cluster band always wins.
    let heavy = edges.len() as i64 + 1;
    for c in 0..tree.len() {
        let (t, b) = (ids.top(c), ids.bottom(c));
        for &m in &tree.members[c] {
            edges.push(RankEdge {
                u: t,
                v: m,
                minlen: 1,
                weight: 2 * heavy,
            });
            edges.push(RankEdge {
                u: m,
                v: b,
                minlen: 1,
                weight: 2 * heavy,
            });
        }
        for &k in &tree.children[c] {
            edges.push(RankEdge {
                u: t,
                v: ids.top(k),
                minlen: 1,
                weight: heavy,
            });
            edges.push(RankEdge {
                u: ids.bottom(k),
                v: b,
                minlen: 1,
                weight: heavy,
            });
        }
        if tree.members[c].is_empty() && tree.children[c].is_empty() {
            edges.push(RankEdge {
                u: t,
                v: b,
                minlen: 1,
                weight: heavy,
            });
        }
    }
    // The root keeps the graph connected; weight 0 so it never pulls.
    let root = ids.root();
    for (v, c) in node_cluster.iter().enumerate() {
        if c.is_none() {
            edges.push(RankEdge {
                u: root,
                v,
                minlen: 1,
                weight: 0,
            });
        }
    }
    for &c in &tree.roots {
        edges.push(RankEdge {
            u: root,
            v: ids.top(c),
            minlen: 1,
            weight: 0,
        });
    }
    for w in wishes {
        let z = ids.count();
        ids.aux += 1;
        let start = match w.b {
            Step::Box(c) => ids.top(c),
            Step::Node(n) => n,
        };
        let end = match w.a {
            Step::Box(c) => ids.bottom(c),
            Step::Node(n) => n,
        };
        edges.push(RankEdge {
            u: start,
            v: z,
            minlen: 0,
            weight: w.weight,
        });
        edges.push(RankEdge {
            u: end,
            v: z,
            minlen: 1,
            weight: 0,
        });
    }
    (ids, edges)
}

/// How much each flow from a top-level box into another asks for the second
/// box to start after the first ends: more than the one rank it costs to
/// lengthen that flow, so a flow between zones that would otherwise put
/// them side by side across the ranks lengthens instead.
const SEQUENCE_WEIGHT: i64 = 2;

/// How much each flow between sibling boxes that a first ranking left
/// overlapping by a rank or two ([`super::rank`]) asks for them to follow
/// one another: far more than any one flow's length, so they do unless
/// that would stretch a great many flows.
const NEAR_SEQUENCE_WEIGHT: i64 = 100;

/// A soft wish that `b` starts after `a` ends (`top(b) > bottom(a)` for
/// sibling boxes; a node starts and ends on its own rank), so that the
/// boxes a flow passes through sit one after the other along the ranks, as
/// a reader follows the data, rather than one beside the other with the
/// flow turning back across the page. It costs
/// `weight * max(0, bottom(a) + 1 - top(b))`, written with a helper node
/// `z`: `z >= top(b)` at that weight and `z >= bottom(a) + 1` for free.
/// Being soft it never makes the ranking infeasible, whatever the flows
/// between boxes (both ways, or round a cycle of boxes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Wish {
    pub a: Step,
    pub b: Step,
    pub weight: i64,
}

/// One side of a [`Wish`]: a box (cluster) or a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Step {
    Box(usize),
    Node(usize),
}

/// The sequence wishes for the sibling box `pairs` of [`box_pairs`]
/// (`near[k]`: whether `pairs[k]` is near, see [`super::rank`]). Every
/// pair of top-level boxes gets one at [`SEQUENCE_WEIGHT`] per flow; the
/// near pairs (at any depth) at [`NEAR_SEQUENCE_WEIGHT`] per flow.
/// Nested boxes do not get the light wish: on generated models of 100
/// elements (one zone holding all the groups) it stacked the groups into
/// towers with half as many crossings again (g100s22 671 -> 1149). The
/// strong wish for the pairs that nearly follow one another already
/// cleared most passes through foreign boxes there instead.
pub(super) fn sequence_wishes(
    tree: &ClusterTree,
    pairs: &[(usize, usize, usize)],
    near: &[bool],
) -> Vec<Wish> {
    pairs
        .iter()
        .enumerate()
        .filter_map(|(k, &(a, b, flows))| {
            let per_flow = if near.get(k).copied().unwrap_or(false) {
                NEAR_SEQUENCE_WEIGHT
            } else if tree.parent[a].is_none() {
                SEQUENCE_WEIGHT
            } else {
                return None;
            };
            Some(Wish {
                a: Step::Box(a),
                b: Step::Box(b),
                weight: flows as i64 * per_flow,
            })
        })
        .collect()
}

/// Wishes between a node outside every box and a top-level box, for
/// each such pair where the node has flows with two or more of the box's
/// inner boxes: the node wishes to come after the box ends (flows into the
/// node, as ranked) or the box to start after the node (flows out of it),
/// at [`SEQUENCE_WEIGHT`] per flow. Beside the box on the same ranks,
/// such a node's flows into one inner box would have to cross the others
/// lying between it and the box's edge; past the box's end they leave it
/// beside them instead. A node with flows into one inner box only, or
/// into the box itself, gets no wish: nothing lies in its way there, and
/// on the samples the wish only made flows longer (telehealth's clinician
/// moved past its zone and two flows crossed).
pub(super) fn outside_wishes(
    tree: &ClusterTree,
    node_cluster: &[Option<usize>],
    dir_edges: &[(usize, usize)],
) -> Vec<Wish> {
    // Per flow between a loose node and a box: the node, the top-level box,
    // the inner box the flow reaches (if any) and whether it runs into the
    // box (as ranked).
    let mut links: Vec<(usize, usize, Option<usize>, bool)> = Vec::new();
    for &(u, v) in dir_edges {
        let (n, inside, into_box) = match (node_cluster[u], node_cluster[v]) {
            (None, Some(c)) => (u, c, true),
            (Some(c), None) => (v, c, false),
            _ => continue,
        };
        let chain = tree.chain_below(Some(inside), None);
        let Some(&top) = chain.last() else {
            continue;
        };
        let inner = chain.iter().rev().nth(1).copied();
        links.push((n, top, inner, into_box));
    }
    links.sort_unstable();
    let mut out: Vec<Wish> = Vec::new();
    for group in links.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let (n, top) = (Step::Node(group[0].0), Step::Box(group[0].1));
        let mut inner: Vec<usize> = group.iter().filter_map(|l| l.2).collect();
        inner.dedup();
        if inner.len() < 2 {
            continue;
        }
        let into = group.iter().filter(|l| l.3).count() as i64;
        let from = group.len() as i64 - into;
        for (a, b, flows) in [(top, n, from), (n, top, into)] {
            if flows > 0 {
                out.push(Wish {
                    a,
                    b,
                    weight: flows * SEQUENCE_WEIGHT,
                });
            }
        }
    }
    out
}

/// Sibling boxes `(a, b)` with flows from inside `a` into `b` (oriented as
/// ranked), and how many, in order of `a` then `b`.
pub(super) fn box_pairs(
    tree: &ClusterTree,
    node_cluster: &[Option<usize>],
    dir_edges: &[(usize, usize)],
) -> Vec<(usize, usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &(u, v) in dir_edges {
        let (cu, cv) = (node_cluster[u], node_cluster[v]);
        let lca = tree.lca(cu, cv);
        if let (Some(&a), Some(&b)) = (
            tree.chain_below(cu, lca).last(),
            tree.chain_below(cv, lca).last(),
        ) {
            pairs.push((a, b));
        }
    }
    pairs.sort_unstable();
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (a, b) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += 1,
            _ => out.push((a, b, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_lca() {
        // 0 <- 1 <- 2, 0 <- 3, 4 alone
        let parent = vec![None, Some(0), Some(1), Some(0), None];
        let t = ClusterTree::new(&parent, &[Some(2), Some(3), None]);
        assert_eq!(t.depth, vec![1, 2, 3, 2, 1]);
        assert_eq!(t.lca(Some(2), Some(3)), Some(0));
        assert_eq!(t.lca(Some(2), Some(4)), None);
        assert_eq!(t.lca(Some(2), None), None);
        assert_eq!(t.chain_below(Some(2), Some(0)), vec![2, 1]);
        assert_eq!(t.topo, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn top_level_boxes_with_flows_between_get_a_sequence_wish() {
        // Clusters 0 and 1 at the top, 2 inside 0; nodes 0 in 2, 1 in 1,
        // 2 in 0. Flows 0 -> 1 twice (boxes 0 and 1), 2 -> 0 (nested).
        let t = ClusterTree::new(&[None, None, Some(0)], &[Some(2), Some(1), Some(0)]);
        let nc = [Some(2), Some(1), Some(0)];
        let flows = [(0, 1), (0, 1), (2, 0)];
        let pairs = box_pairs(&t, &nc, &flows);
        assert_eq!(pairs, vec![(0, 1, 2)]);
        let wishes = sequence_wishes(&t, &pairs, &[false]);
        let (ids, e) = nesting_graph(&t, &nc, &flows, &wishes);
        assert_eq!(ids.aux, 1);
        let z = ids.root() + 1;
        assert_eq!(ids.count(), z + 1);
        let into: Vec<_> = e.iter().filter(|e| e.v == z).collect();
        assert_eq!(into.len(), 2);
        assert!(into
            .iter()
            .any(|e| e.u == ids.top(1) && e.minlen == 0 && e.weight == 2 * SEQUENCE_WEIGHT));
        assert!(into
            .iter()
            .any(|e| e.u == ids.bottom(0) && e.minlen == 1 && e.weight == 0));
    }

    #[test]
    fn near_pairs_get_the_strong_wish_at_any_depth() {
        // Clusters 0 and 1 inside 2; node 0 in 0, node 1 in 1.
        let t = ClusterTree::new(&[Some(2), Some(2), None], &[Some(0), Some(1)]);
        let nc = [Some(0), Some(1)];
        let pairs = box_pairs(&t, &nc, &[(0, 1)]);
        assert_eq!(pairs, vec![(0, 1, 1)]);
        assert!(
            sequence_wishes(&t, &pairs, &[false]).is_empty(),
            "nested boxes get no light wish"
        );
        let wishes = sequence_wishes(&t, &pairs, &[true]);
        let (ids, e) = nesting_graph(&t, &nc, &[(0, 1)], &wishes);
        assert_eq!(ids.aux, 1);
        let z = ids.root() + 1;
        assert!(e
            .iter()
            .any(|e| e.u == ids.top(1) && e.v == z && e.weight == NEAR_SEQUENCE_WEIGHT));
    }

    #[test]
    fn a_loose_node_wishes_past_a_box_only_when_it_reaches_two_inner_boxes() {
        // Cluster 0 at the top holding 1 and 2. Nodes: 0 in 1, 1 in 2, 2
        // directly in 0, 3 and 4 loose.
        let t = ClusterTree::new(&[None, Some(0), Some(0)], &[Some(1), Some(2), Some(0)]);
        let nc = [Some(1), Some(2), Some(0), None, None];
        // Node 3: fed by both inner boxes (twice by 0) and feeding box 1;
        // node 4: fed by inner box 1 and by the zone itself.
        let flows = [(0, 3), (0, 3), (1, 3), (3, 1), (1, 4), (2, 4)];
        let w = outside_wishes(&t, &nc, &flows);
        assert_eq!(
            w,
            vec![
                Wish {
                    a: Step::Box(0),
                    b: Step::Node(3),
                    weight: 3 * SEQUENCE_WEIGHT
                },
                Wish {
                    a: Step::Node(3),
                    b: Step::Box(0),
                    weight: SEQUENCE_WEIGHT
                },
            ]
        );
        let (ids, e) = nesting_graph(&t, &nc, &flows, &w);
        assert_eq!(ids.aux, 2);
        let z = ids.root() + 1;
        assert!(e.iter().any(|e| e.u == 3 && e.v == z && e.minlen == 0));
        assert!(e
            .iter()
            .any(|e| e.u == ids.bottom(0) && e.v == z && e.minlen == 1));
        assert!(e
            .iter()
            .any(|e| e.u == ids.top(0) && e.v == z + 1 && e.minlen == 0));
        assert!(e.iter().any(|e| e.u == 3 && e.v == z + 1 && e.minlen == 1));
    }

    #[test]
    fn parallel_edges_merge() {
        let t = ClusterTree::new(&[], &[None, None]);
        let (_, e) = nesting_graph(&t, &[None, None], &[(0, 1), (0, 1)], &[]);
        assert_eq!(e[0].weight, 2);
        assert_eq!(e.iter().filter(|e| e.u == 0 && e.v == 1).count(), 1);
    }
}
