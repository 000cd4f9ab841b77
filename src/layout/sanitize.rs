//! Input validation. Everything after this phase may index freely: node,
//! cluster and edge indices are in range, the cluster forest has no cycles,
//! sizes are finite and non-negative. Sizes are transposed for left-right
//! layouts so later phases only think top-down.

use super::{Direction, Graph, Options, Shape};

/// A node in internal (top-down) coordinates.
#[derive(Debug, Clone)]
pub(super) struct INode {
    pub w: f64,
    pub h: f64,
    pub shape: Shape,
}

/// A valid edge between two distinct nodes; `id` is its input index.
#[derive(Debug, Clone)]
pub(super) struct IEdge {
    pub id: usize,
    pub src: usize,
    pub dst: usize,
    /// Label size in internal coordinates (0x0: no label).
    pub lw: f64,
    pub lh: f64,
    /// Drawn as a request/response pair: two lines on this edge's route,
    /// so it needs room for both.
    pub paired: bool,
}

impl IEdge {
    pub fn has_label(&self) -> bool {
        self.lw > 0.0 || self.lh > 0.0
    }

    /// Upper and lower end as laid out: the other way round if `reversed`.
    pub fn oriented(&self, reversed: bool) -> (usize, usize) {
        if reversed {
            (self.dst, self.src)
        } else {
            (self.src, self.dst)
        }
    }
}

/// The repaired input.
#[derive(Debug, Clone)]
pub(super) struct Input {
    pub nodes: Vec<INode>,
    pub node_cluster: Vec<Option<usize>>,
    pub cluster_parent: Vec<Option<usize>>,
    /// Cluster label size in internal coordinates.
    pub cluster_label: Vec<(f64, f64)>,
    pub edges: Vec<IEdge>,
    /// Input indices of self-loops (drawn as small loops).
    pub loops: Vec<(usize, usize)>,
    pub edge_count: usize,
    pub direction: Direction,
}

impl Input {
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

fn size(v: f64, bad: &mut bool) -> f64 {
    if v.is_finite() && v >= 0.0 {
        v.min(1e7)
    } else {
        *bad = true;
        0.0
    }
}

/// Replaces unusable option values by defaults.
pub(super) fn options(o: &Options, notes: &mut Vec<String>) -> Options {
    let d = Options::default();
    let mut bad = false;
    let mut fix = |v: f64, dv: f64| {
        if v.is_finite() && (0.0..=1e6).contains(&v) {
            v
        } else {
            bad = true;
            dv
        }
    };
    let out = Options {
        node_sep: fix(o.node_sep, d.node_sep),
        rank_sep: fix(o.rank_sep, d.rank_sep),
        cluster_pad: fix(o.cluster_pad, d.cluster_pad),
        edge_sep: fix(o.edge_sep, d.edge_sep),
        label_gap: fix(o.label_gap, d.label_gap),
        margin: fix(o.margin, d.margin),
        max_order_sweeps: o.max_order_sweeps,
        max_simplex_pivots: o.max_simplex_pivots,
        effort_items: o.effort_items,
    };
    if bad {
        notes.push("invalid option values replaced by defaults".to_string());
    }
    out
}

/// Validates and transposes the input.
pub(super) fn sanitize(g: &Graph, paired: &[bool], notes: &mut Vec<String>) -> Input {
    let lr = g.direction == Direction::LeftRight;
    let nc = g.clusters.len();
    let mut bad_size = false;
    let mut bad_ref = 0usize;

    let mut nodes = Vec::with_capacity(g.nodes.len());
    let mut node_cluster = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        let (w, h) = (size(n.width, &mut bad_size), size(n.height, &mut bad_size));
        let (w, h) = if lr { (h, w) } else { (w, h) };
        nodes.push(INode {
            w,
            h,
            shape: n.shape,
        });
        node_cluster.push(match n.cluster {
            Some(c) if c < nc => Some(c),
            Some(_) => {
                bad_ref += 1;
                None
            }
            None => None,
        });
    }

    let mut cluster_parent: Vec<Option<usize>> = Vec::with_capacity(nc);
    let mut cluster_label = Vec::with_capacity(nc);
    for c in &g.clusters {
        cluster_parent.push(match c.parent {
            Some(p) if p < nc => Some(p),
            Some(_) => {
                bad_ref += 1;
                None
            }
            None => None,
        });
        let (w, h) = (
            size(c.label_width, &mut bad_size),
            size(c.label_height, &mut bad_size),
        );
        cluster_label.push(if lr { (h, w) } else { (w, h) });
    }
    let cycles = break_parent_cycles(&mut cluster_parent);

    let mut edges = Vec::with_capacity(g.edges.len());
    let mut loops = Vec::new();
    for (id, e) in g.edges.iter().enumerate() {
        if e.source >= nodes.len() || e.target >= nodes.len() {
            bad_ref += 1;
            continue;
        }
        let (w, h) = (
            size(e.label_width, &mut bad_size),
            size(e.label_height, &mut bad_size),
        );
        let (lw, lh) = if lr { (h, w) } else { (w, h) };
        if e.source == e.target {
            loops.push((id, e.source));
            continue;
        }
        edges.push(IEdge {
            id,
            src: e.source,
            dst: e.target,
            lw,
            lh,
            paired: paired.get(id).copied().unwrap_or(false),
        });
    }

    if bad_ref > 0 {
        notes.push(format!("{bad_ref} out-of-range index(es) ignored"));
    }
    if cycles > 0 {
        notes.push(format!("{cycles} cluster parent cycle(s) broken"));
    }
    if bad_size {
        notes.push("non-finite or negative sizes treated as 0".to_string());
    }
    Input {
        nodes,
        node_cluster,
        cluster_parent,
        cluster_label,
        edges,
        loops,
        edge_count: g.edges.len(),
        direction: g.direction,
    }
}

/// Cuts parent links that close a cycle; returns how many were cut.
fn break_parent_cycles(parent: &mut [Option<usize>]) -> usize {
    // 0 = unseen, 1 = on the current walk, 2 = known to reach a root.
    let mut state = vec![0u8; parent.len()];
    let mut cut = 0;
    let mut walk = Vec::new();
    for start in 0..parent.len() {
        walk.clear();
        let mut x = start;
        loop {
            if state[x] != 0 {
                break;
            }
            state[x] = 1;
            walk.push(x);
            match parent[x] {
                None => break,
                Some(p) if state[p] == 1 => {
                    parent[x] = None;
                    cut += 1;
                    break;
                }
                Some(p) => x = p,
            }
        }
        for &w in &walk {
            state[w] = 2;
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_broken() {
        let mut p = vec![Some(1), Some(2), Some(0), None, Some(3)];
        assert_eq!(break_parent_cycles(&mut p), 1);
        assert_eq!(p[3], None);
        assert_eq!(p[4], Some(3));
        // Every cluster now reaches a root.
        for s in 0..p.len() {
            let mut x = s;
            let mut steps = 0;
            while let Some(q) = p[x] {
                x = q;
                steps += 1;
                assert!(steps <= p.len());
            }
        }
    }

    #[test]
    fn self_parent_is_cut() {
        let mut p = vec![Some(0)];
        assert_eq!(break_parent_cycles(&mut p), 1);
        assert_eq!(p[0], None);
    }
}
