//! Network simplex ranking (Gansner, Koutsofios, North, Vo: "A technique
//! for drawing directed graphs", 1993): minimise `sum(weight * length)`
//! subject to `rank(v) - rank(u) >= minlen` for every edge.
//!
//! Start from a longest-path ranking, grow a spanning tree of tight edges
//! (shifting the tree when no tight edge leaves it), then repeatedly swap a
//! tree edge with a negative cut value for the non-tree edge of least slack
//! that reconnects the two halves. All traversals use explicit stacks.

use super::nesting::RankEdge;

/// Result of a ranking run.
#[derive(Debug, Clone)]
pub(super) struct Outcome {
    /// Ranks normalised to start at 0.
    pub ranks: Vec<i64>,
    /// False when the pivot budget ran out first (ranks are still feasible).
    pub optimal: bool,
}

/// Longest-path ranking (sources at rank 0). None if the graph has a cycle.
pub(super) fn longest_path(n: usize, edges: &[RankEdge]) -> Option<Vec<i64>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, e) in edges.iter().enumerate() {
        out[e.u].push(i);
        indeg[e.v] += 1;
    }
    let mut rank = vec![0i64; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut head = 0;
    while let Some(&u) = queue.get(head) {
        head += 1;
        for &ei in &out[u] {
            let e = edges[ei];
            rank[e.v] = rank[e.v].max(rank[u] + e.minlen);
            indeg[e.v] -= 1;
            if indeg[e.v] == 0 {
                queue.push(e.v);
            }
        }
    }
    (queue.len() == n).then_some(rank)
}

/// How many negative tree edges `leave_edge` inspects before settling for
/// the most negative one seen (as in dot).
const SEARCH_SIZE: usize = 30;

/// Runs network simplex on a connected DAG. None if the graph is cyclic or
/// disconnected (the caller then falls back to longest path).
pub(super) fn network_simplex(n: usize, edges: &[RankEdge], max_pivots: usize) -> Option<Outcome> {
    if n == 0 {
        return Some(Outcome {
            ranks: Vec::new(),
            optimal: true,
        });
    }
    let mut rank = longest_path(n, edges)?;
    let mut ns = Simplex::new(n, edges);
    if !ns.feasible_tree(&mut rank) {
        return None;
    }
    ns.dfs_range(0, usize::MAX, 1);
    ns.cut_values();
    let mut optimal = true;
    let mut pivots = 0;
    let mut search = 0;
    while let Some(leave) = ns.leave_edge(&mut search) {
        if pivots >= max_pivots {
            optimal = false;
            break;
        }
        let Some(enter) = ns.enter_edge(leave, &rank) else {
            break;
        };
        ns.pivot(leave, enter, &mut rank);
        pivots += 1;
    }
    let min = rank.iter().copied().min().unwrap_or(0);
    for r in &mut rank {
        *r -= min;
    }
    Some(Outcome {
        ranks: rank,
        optimal,
    })
}

/// Spanning-tree state with the low/lim numbering of Gansner et al.: the
/// subtree of `x` is exactly the nodes whose `lim` is in `low[x]..=lim[x]`.
struct Simplex<'a> {
    edges: &'a [RankEdge],
    adj: Vec<Vec<usize>>,
    tree_edge: Vec<bool>,
    tree_adj: Vec<Vec<usize>>,
    /// Tree edges in a stable list (for the cyclic leave-edge search).
    tree_list: Vec<usize>,
    tree_pos: Vec<usize>,
    /// Tree edge to the parent (usize::MAX at the tree root, node 0).
    par: Vec<usize>,
    low: Vec<usize>,
    lim: Vec<usize>,
    /// Node with a given lim (index 0 unused).
    by_lim: Vec<usize>,
    cut: Vec<i64>,
}

impl<'a> Simplex<'a> {
    fn new(n: usize, edges: &'a [RankEdge]) -> Self {
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, e) in edges.iter().enumerate() {
            adj[e.u].push(i);
            adj[e.v].push(i);
        }
        Simplex {
            edges,
            adj,
            tree_edge: vec![false; edges.len()],
            tree_adj: vec![Vec::new(); n],
            tree_list: Vec::with_capacity(n),
            tree_pos: vec![usize::MAX; edges.len()],
            par: vec![usize::MAX; n],
            low: vec![0; n],
            lim: vec![0; n],
            by_lim: vec![0; n + 1],
            cut: vec![0; edges.len()],
        }
    }

    fn slack(&self, rank: &[i64], e: usize) -> i64 {
        let e = self.edges[e];
        rank[e.v] - rank[e.u] - e.minlen
    }

    fn other(&self, e: usize, x: usize) -> usize {
        let e = self.edges[e];
        if e.u == x {
            e.v
        } else {
            e.u
        }
    }

    fn add_tree_edge(&mut self, e: usize) {
        self.tree_edge[e] = true;
        let RankEdge { u, v, .. } = self.edges[e];
        self.tree_adj[u].push(e);
        self.tree_adj[v].push(e);
        self.tree_pos[e] = self.tree_list.len();
        self.tree_list.push(e);
    }

    /// Grows a spanning tree of tight edges from node 0, shifting the tree
    /// towards the closest outside node whenever it gets stuck.
    fn feasible_tree(&mut self, rank: &mut [i64]) -> bool {
        let n = rank.len();
        let mut in_tree = vec![false; n];
        in_tree[0] = true;
        let mut size = 1;
        let mut stack = vec![0usize];
        loop {
            while let Some(x) = stack.pop() {
                for i in 0..self.adj[x].len() {
                    let e = self.adj[x][i];
                    let o = self.other(e, x);
                    if !in_tree[o] && self.slack(rank, e) == 0 {
                        in_tree[o] = true;
                        self.add_tree_edge(e);
                        size += 1;
                        stack.push(o);
                    }
                }
            }
            if size == n {
                return true;
            }
            let mut best: Option<(i64, usize)> = None;
            for (i, e) in self.edges.iter().enumerate() {
                if in_tree[e.u] != in_tree[e.v] {
                    let s = self.slack(rank, i);
                    if best.is_none_or(|(bs, _)| s < bs) {
                        best = Some((s, i));
                    }
                }
            }
            let Some((s, e)) = best else { return false };
            let delta = if in_tree[self.edges[e].u] { s } else { -s };
            for x in 0..n {
                if in_tree[x] {
                    rank[x] += delta;
                    stack.push(x);
                }
            }
        }
    }

    /// Renumbers the subtree hanging from `start` (entered through tree
    /// edge `par_edge`), giving lims from `low_start` in post-order.
    fn dfs_range(&mut self, start: usize, par_edge: usize, low_start: usize) {
        let mut counter = low_start;
        self.par[start] = par_edge;
        self.low[start] = counter;
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(top) = stack.last_mut() {
            let (x, i) = *top;
            if let Some(&e) = self.tree_adj[x].get(i) {
                top.1 += 1;
                if e != self.par[x] {
                    let o = self.other(e, x);
                    self.par[o] = e;
                    self.low[o] = counter;
                    stack.push((o, 0));
                }
            } else {
                self.lim[x] = counter;
                self.by_lim[counter] = x;
                counter += 1;
                stack.pop();
            }
        }
    }

    /// Cut value of every tree edge from scratch, children before parents.
    fn cut_values(&mut self) {
        for l in 1..self.by_lim.len() {
            let child = self.by_lim[l];
            let pe = self.par[child];
            if pe == usize::MAX {
                continue;
            }
            let child_is_tail = self.edges[pe].u == child;
            let mut cv = self.edges[pe].weight;
            for &e in &self.adj[child] {
                if e == pe {
                    continue;
                }
                let ed = self.edges[e];
                let points_to_head = (ed.u == child) == child_is_tail;
                cv += if points_to_head {
                    ed.weight
                } else {
                    -ed.weight
                };
                if self.tree_edge[e] {
                    // A tree edge other than the parent edge leads to a child.
                    cv += if points_to_head {
                        -self.cut[e]
                    } else {
                        self.cut[e]
                    };
                }
            }
            self.cut[pe] = cv;
        }
    }

    /// A tree edge with negative cut value: the most negative of the next
    /// `SEARCH_SIZE` found, searching cyclically from where we stopped.
    fn leave_edge(&self, search: &mut usize) -> Option<usize> {
        let m = self.tree_list.len();
        let mut best: Option<usize> = None;
        let mut found = 0;
        for k in 0..m {
            let i = (*search + k) % m;
            let e = self.tree_list[i];
            if self.cut[e] < 0 {
                if best.is_none_or(|b| self.cut[b] > self.cut[e]) {
                    best = Some(e);
                }
                found += 1;
                if found >= SEARCH_SIZE {
                    *search = i;
                    return best;
                }
            }
        }
        best
    }

    fn in_subtree(&self, x: usize, root: usize) -> bool {
        self.low[root] <= self.lim[x] && self.lim[x] <= self.lim[root]
    }

    /// The lower end of tree edge `e` (the root of the subtree it cuts off).
    fn lower_end(&self, e: usize) -> usize {
        let RankEdge { u, v, .. } = self.edges[e];
        if self.lim[u] < self.lim[v] {
            u
        } else {
            v
        }
    }

    /// Non-tree edge of least slack reconnecting the subtree cut off by
    /// `leave`, oriented the other way round. Only the subtree is scanned.
    fn enter_edge(&self, leave: usize, rank: &[i64]) -> Option<usize> {
        let sub = self.lower_end(leave);
        // Subtree holds the head of `leave`: look for edges leaving it.
        let outsearch = sub == self.edges[leave].v;
        let mut best: Option<(i64, usize)> = None;
        for l in self.low[sub]..=self.lim[sub] {
            let x = self.by_lim[l];
            for &e in &self.adj[x] {
                if self.tree_edge[e] {
                    continue;
                }
                let ed = self.edges[e];
                let (inside, outside) = if outsearch {
                    (ed.u, ed.v)
                } else {
                    (ed.v, ed.u)
                };
                if inside != x || self.in_subtree(outside, sub) {
                    continue;
                }
                let s = self.slack(rank, e);
                if best.is_none_or(|(bs, _)| s < bs) {
                    best = Some((s, e));
                    if s == 0 {
                        return Some(e);
                    }
                }
            }
        }
        best.map(|(_, e)| e)
    }

    /// Exchanges `leave` for `enter`: shifts the cut-off subtree to make
    /// `enter` tight, updates cut values along the tree cycle and renumbers
    /// the subtree of the cycle's top node.
    fn pivot(&mut self, leave: usize, enter: usize, rank: &mut [i64]) {
        let sub = self.lower_end(leave);
        let delta = self.slack(rank, enter);
        if delta != 0 {
            let shift = if sub == self.edges[leave].v {
                delta
            } else {
                -delta
            };
            for l in self.low[sub]..=self.lim[sub] {
                rank[self.by_lim[l]] += shift;
            }
        }
        let cv = self.cut[leave];
        let RankEdge { u, v, .. } = self.edges[enter];
        let lca = self.tree_update(u, v, cv, true);
        self.tree_update(v, u, cv, false);
        self.cut[enter] = -cv;
        self.cut[leave] = 0;
        // Exchange.
        self.tree_edge[leave] = false;
        for x in [self.edges[leave].u, self.edges[leave].v] {
            if let Some(i) = self.tree_adj[x].iter().position(|&e| e == leave) {
                self.tree_adj[x].swap_remove(i);
            }
        }
        self.tree_edge[enter] = true;
        self.tree_adj[u].push(enter);
        self.tree_adj[v].push(enter);
        let pos = self.tree_pos[leave];
        self.tree_list[pos] = enter;
        self.tree_pos[enter] = pos;
        self.dfs_range(lca, self.par[lca], self.low[lca]);
    }

    /// Walks from `v` up to the first ancestor whose subtree holds `w`,
    /// adding or subtracting `cv` on the way; returns that ancestor.
    fn tree_update(&mut self, mut v: usize, w: usize, cv: i64, dir: bool) -> usize {
        while !self.in_subtree(w, v) {
            let e = self.par[v];
            if e == usize::MAX {
                break;
            }
            let RankEdge { u: t, v: h, .. } = self.edges[e];
            let d = if v == t { dir } else { !dir };
            self.cut[e] += if d { cv } else { -cv };
            v = if self.lim[t] > self.lim[h] { t } else { h };
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(u: usize, v: usize, minlen: i64, weight: i64) -> RankEdge {
        RankEdge {
            u,
            v,
            minlen,
            weight,
        }
    }

    fn cost(edges: &[RankEdge], r: &[i64]) -> i64 {
        edges.iter().map(|e| e.weight * (r[e.v] - r[e.u])).sum()
    }

    #[test]
    fn pulls_short_edges_tight() {
        // 0 -> 1 -> 2 -> 3 and 0 -> 4 -> 3: longest path puts 4 at rank 1,
        // the optimum is anything with total length 6.
        let edges = vec![
            re(0, 1, 1, 1),
            re(1, 2, 1, 1),
            re(2, 3, 1, 1),
            re(0, 4, 1, 1),
            re(4, 3, 1, 1),
            re(5, 3, 1, 5),
            re(0, 5, 1, 0),
        ];
        let o = network_simplex(6, &edges, 100).unwrap();
        assert!(o.optimal);
        for e in &edges {
            assert!(o.ranks[e.v] - o.ranks[e.u] >= e.minlen);
        }
        assert_eq!(o.ranks[5], o.ranks[3] - 1);
        assert_eq!(cost(&edges, &o.ranks), 6 + 5);
    }

    #[test]
    fn incremental_cut_values_match_recomputation() {
        let mut rng = super::super::testgen::XorShift::new(7);
        for _ in 0..40 {
            let n = 30;
            let mut edges = Vec::new();
            for v in 1..n {
                // Connected DAG: an edge from a lower index to every node.
                edges.push(re(
                    rng.below(v),
                    v,
                    1 + rng.below(2) as i64,
                    1 + rng.below(3) as i64,
                ));
                if rng.chance(0.6) {
                    let u = rng.below(v);
                    edges.push(re(u, v, 1, rng.below(4) as i64));
                }
            }
            let mut rank = longest_path(n, &edges).unwrap();
            let mut ns = Simplex::new(n, &edges);
            assert!(ns.feasible_tree(&mut rank));
            ns.dfs_range(0, usize::MAX, 1);
            ns.cut_values();
            let mut search = 0;
            let mut pivots = 0;
            while let Some(leave) = ns.leave_edge(&mut search) {
                let enter = ns.enter_edge(leave, &rank).unwrap();
                ns.pivot(leave, enter, &mut rank);
                let incremental = ns.cut.clone();
                ns.cut_values();
                for (e, &inc) in incremental.iter().enumerate() {
                    if ns.tree_edge[e] {
                        assert_eq!(inc, ns.cut[e]);
                        assert_eq!(ns.slack(&rank, e), 0);
                    }
                    assert!(ns.slack(&rank, e) >= 0);
                }
                pivots += 1;
                assert!(pivots < 10_000);
            }
        }
    }

    #[test]
    fn cycle_is_rejected() {
        let edges = vec![re(0, 1, 1, 1), re(1, 0, 1, 1)];
        assert!(network_simplex(2, &edges, 10).is_none());
    }
}
