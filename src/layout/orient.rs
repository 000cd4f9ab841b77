//! Which way round an ordered graph is drawn.
//!
//! A mirror image of an order (every rank reversed) has the same
//! crossings, and the sweeps of [`super::order`] can land on either image:
//! one flow more or less can turn the whole drawing over, which moves every
//! element although nothing changed its place in the structure. So the
//! order is turned, where it leans clearly against the declared order, to
//! agree with it. Of two elements on one rank, the one whose unit is
//! declared first should come first; their units are the elements
//! themselves or the boxes holding them, just below the innermost box that
//! holds both. The pairs are counted per depth of that box: sibling boxes
//! keep one order on every rank, so a level of boxes side by side leans
//! wholly one way, while the elements inside a box, which a small edit can
//! shuffle, lean weakly. The clearest level decides ([`turns`]).

use super::nesting::ClusterTree;
use super::normalize::{Kind, LGraph};

/// Per rank, pairs further apart than this among the rank's elements are
/// not compared, so the count stays linear in the elements on very wide
/// ranks.
const WINDOW: usize = 400;

/// Reverses every rank of `lg` where its order leans clearly against
/// the declared order (see [`turns`]); `node_cluster` is each input
/// node's innermost box.
pub(super) fn orient(lg: &mut LGraph, tree: &ClusterTree, node_cluster: &[Option<usize>]) {
    if turns(&lean(lg, tree, node_cluster)) {
        mirror(lg);
    }
}

/// A level leans clearly when at least this share of its pairs, net,
/// lean one way (agreeing minus disagreeing, over all): 9 in 10.
const CLEAR_SHARE: f64 = 0.8;

/// ... and when its net count of pairs is at least this many times the
/// square root of its pairs, as far from an even split as chance alone
/// would seldom take it (a fair coin per pair, about once in 40 times):
/// four pairs at the least.
const CLEAR_SCORE: f64 = 2.0;

/// Whether an order with these leans should be turned: of the levels of
/// nesting that lean clearly, the clearest (the greatest share of its
/// pairs, net; on a tie the level with more pairs, then the outer one)
/// decides. Sibling boxes keep one order on all ranks, so a level of
/// boxes side by side leans wholly one way; the elements inside the
/// boxes lean weakly, their order shuffled by crossing reduction, and
/// a small edit can tip them, so they seldom decide. With no clear lean
/// the order stays as the sweeps made it.
fn turns(levels: &[Lean]) -> bool {
    let share = |l: &Lean| l.net as f64 / l.pairs.max(1) as f64;
    let clear = |l: &&Lean| {
        let n = l.pairs.max(1) as f64;
        share(l).abs() >= CLEAR_SHARE && l.net.unsigned_abs() as f64 >= CLEAR_SCORE * n.sqrt()
    };
    let mut best: Option<&Lean> = None;
    for l in levels.iter().filter(clear) {
        let better = match best {
            None => true,
            Some(b) => {
                let (s, t) = (share(l).abs(), share(b).abs());
                s > t || (s == t && l.pairs > b.pairs)
            }
        };
        if better {
            best = Some(l);
        }
    }
    best.is_some_and(|b| b.net < 0)
}

/// How the pairs of elements on one rank whose innermost common box lies
/// at one depth are ordered: `net` is those in declared order minus those
/// against it, of `pairs`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Lean {
    net: i64,
    pairs: i64,
}

/// The lean of the order per depth of the pairs' innermost common box
/// (0: none, the top level).
fn lean(lg: &LGraph, tree: &ClusterTree, node_cluster: &[Option<usize>]) -> Vec<Lean> {
    // Boxes from the top level down to the innermost, per node.
    let paths: Vec<Vec<usize>> = node_cluster
        .iter()
        .map(|&c| {
            let mut p = tree.chain_below(c, None);
            p.reverse();
            p
        })
        .collect();
    // A box is declared where its first element is.
    let mut key = vec![usize::MAX; tree.len()];
    for (n, p) in paths.iter().enumerate() {
        for &c in p {
            if let Some(k) = key.get_mut(c) {
                *k = (*k).min(n);
            }
        }
    }
    let unit = |n: usize, d: usize| -> usize {
        match paths.get(n).and_then(|p| p.get(d)) {
            Some(&c) => key.get(c).copied().unwrap_or(n),
            None => n,
        }
    };
    let mut by_depth: Vec<Lean> = Vec::new();
    for layer in &lg.layers {
        let nodes: Vec<usize> = layer
            .iter()
            .filter_map(|&v| match lg.items.get(v).map(|it| it.kind) {
                Some(Kind::Node(n)) if n < paths.len() => Some(n),
                _ => None,
            })
            .collect();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in nodes.iter().skip(i + 1).take(WINDOW) {
                let (pa, pb) = (&paths[a], &paths[b]);
                let d = pa.iter().zip(pb).take_while(|(x, y)| x == y).count();
                let (ka, kb) = (unit(a, d), unit(b, d));
                if by_depth.len() <= d {
                    by_depth.resize(d + 1, Lean::default());
                }
                by_depth[d].pairs += 1;
                by_depth[d].net += match ka.cmp(&kb) {
                    std::cmp::Ordering::Less => 1,
                    std::cmp::Ordering::Greater => -1,
                    std::cmp::Ordering::Equal => 0,
                };
            }
        }
    }
    by_depth
}

/// Reverses every rank, keeping each box's left border on its left.
fn mirror(lg: &mut LGraph) {
    for r in 0..lg.layers.len() {
        let mut layer = std::mem::take(&mut lg.layers[r]);
        layer.reverse();
        let mut at = std::collections::BTreeMap::new();
        for (i, &v) in layer.iter().enumerate() {
            at.insert(v, i);
        }
        for i in 0..layer.len() {
            let v = layer[i];
            if let Some(Kind::Left(c)) = lg.items.get(v).map(|it| it.kind) {
                let right = lg.right_at(c, r).and_then(|w| at.get(&w).copied());
                if let Some(j) = right.filter(|&j| j < i) {
                    layer.swap(i, j);
                }
            }
        }
        lg.layers[r] = layer;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fold, order, ranked, sanitize, testgen, Graph, Options};
    use super::*;

    /// `testgen::random_graph(seed, n)` layered and ordered, with its
    /// cluster tree and each node's innermost box.
    fn ordered(seed: u64, n: usize) -> (LGraph, ClusterTree, Vec<Option<usize>>) {
        ordered_graph(&testgen::random_graph(seed, n))
    }

    /// `g` layered and ordered, with its cluster tree and each node's
    /// innermost box.
    fn ordered_graph(g: &Graph) -> (LGraph, ClusterTree, Vec<Option<usize>>) {
        let mut notes = Vec::new();
        let opts = sanitize::options(&Options::default(), &mut notes);
        let input = sanitize::sanitize(g, &[], &mut notes);
        let tree = ClusterTree::new(&input.cluster_parent, &input.node_cluster);
        let (reversed, ranking) = ranked(&input, &tree, &opts, fold::Fold::None, &mut notes);
        let mut lg = super::super::normalize::build(&input, &tree, &reversed, &ranking, &opts, &[]);
        order::order(&mut lg, &tree, &opts, &mut notes, true);
        (lg, tree, input.node_cluster)
    }

    /// Every box is framed on each rank of its band by its left border
    /// on the left and its right border on the right, with all it holds
    /// and nothing else between them.
    fn assert_framed(lg: &LGraph, tree: &ClusterTree) {
        let within = |v: usize, c: usize| {
            let mut k = lg.items[v].cluster;
            while let Some(x) = k {
                if x == c {
                    return true;
                }
                k = tree.parent[x];
            }
            false
        };
        for c in 0..tree.len() {
            for (r, layer) in lg.layers.iter().enumerate() {
                let (Some(l), Some(rt)) = (lg.left_at(c, r), lg.right_at(c, r)) else {
                    continue;
                };
                let at = |w: usize| layer.iter().position(|&v| v == w);
                let (Some(i), Some(j)) = (at(l), at(rt)) else {
                    panic!("box {c} has no borders on rank {r}");
                };
                assert!(i < j, "box {c} on rank {r}: right border before left");
                for (k, &v) in layer.iter().enumerate() {
                    assert_eq!(
                        within(v, c),
                        i <= k && k <= j,
                        "rank {r}, box {c}, item {v}"
                    );
                }
            }
        }
    }

    /// The mirror image keeps the boxes whole and the crossings, and
    /// mirrored twice is the order itself.
    #[test]
    fn the_mirror_image_keeps_boxes_and_crossings() {
        for seed in 0..6 {
            let (lg, tree, _) = ordered(seed, 60);
            assert_framed(&lg, &tree);
            let mut m = lg.clone();
            mirror(&mut m);
            assert_framed(&m, &tree);
            assert_ne!(m.layers, lg.layers);
            assert_eq!(order::crossings_now(&m), order::crossings_now(&lg));
            mirror(&mut m);
            assert_eq!(m.layers, lg.layers);
        }
    }

    /// An order and its mirror image come out the same way round where
    /// the lean is clear, and as they were where it is not.
    #[test]
    fn an_order_and_its_mirror_image_come_out_alike() {
        let mut decided = 0;
        for seed in 0..20 {
            let (lg, tree, nc) = ordered(seed, 60);
            let (mut a, mut b) = (lg.clone(), lg.clone());
            mirror(&mut b);
            let levels = lean(&lg, &tree, &nc);
            orient(&mut a, &tree, &nc);
            orient(&mut b, &tree, &nc);
            let mut m = levels.clone();
            for l in &mut m {
                l.net = -l.net;
            }
            if turns(&levels) || turns(&m) {
                decided += 1;
                assert_eq!(a.layers, b.layers, "seed {seed}");
                assert!(!turns(&lean(&a, &tree, &nc)), "seed {seed}");
            } else {
                assert_eq!(a.layers, lg.layers, "seed {seed}");
                assert_ne!(b.layers, lg.layers, "seed {seed}");
            }
        }
        assert!(decided > 0);
    }

    /// Two boxes side by side, fed by one source: the box declared first
    /// is drawn first even where the order had it second.
    #[test]
    fn the_box_declared_first_comes_first() {
        use super::super::{Cluster, Direction, Edge, Node, Shape};
        let node = |cluster| Node {
            width: 60.0,
            height: 30.0,
            shape: Shape::Rect,
            cluster,
        };
        let edge = |source, target| Edge {
            source,
            target,
            label_width: 0.0,
            label_height: 0.0,
            response_to: None,
        };
        let cluster = Cluster {
            parent: None,
            label_width: 40.0,
            label_height: 14.0,
        };
        // 0 feeds a chain of five in box 0 (nodes 1-5) and one in box 1
        // (nodes 6-10): five pairs on five ranks, enough to decide.
        let mut nodes = vec![node(None)];
        let mut edges = Vec::new();
        for b in 0..2 {
            for k in 0..5 {
                let v = 1 + 5 * b + k;
                nodes.push(node(Some(b)));
                edges.push(edge(if k == 0 { 0 } else { v - 1 }, v));
            }
        }
        let g = Graph {
            nodes,
            clusters: vec![cluster.clone(), cluster],
            edges,
            direction: Direction::TopDown,
        };
        let (lg, tree, nc) = ordered_graph(&g);
        let first = |lg: &LGraph| {
            lg.layers
                .iter()
                .flatten()
                .find_map(|&v| match lg.items[v].kind {
                    Kind::Node(n) if n > 0 => Some(n),
                    _ => None,
                })
        };
        for turn in [false, true] {
            let mut l = lg.clone();
            if turn {
                mirror(&mut l);
            }
            orient(&mut l, &tree, &nc);
            assert_eq!(first(&l), Some(1), "mirrored first: {turn}");
            assert_eq!(lean(&l, &tree, &nc)[0], Lean { net: 5, pairs: 5 });
        }
    }

    /// The clearest level decides, and only if it is clear.
    #[test]
    fn the_clearest_level_decides() {
        let l = |net, pairs| Lean { net, pairs };
        // Boxes side by side against the declared order, their elements
        // mostly with it: the boxes decide.
        assert!(turns(&[l(0, 0), l(-22, 22), l(40, 214)]));
        // Three pairs, all against, are not enough alone...
        assert!(!turns(&[l(-3, 3)]));
        // ... four are.
        assert!(turns(&[l(-4, 4)]));
        // Many pairs leaning one way, but not clearly: left as it is.
        assert!(!turns(&[l(-32, 100), l(39, 189), l(-188, 2060)]));
        assert!(!turns(&[l(-238, 358)]));
        // Two clear levels: the clearer decides...
        assert!(turns(&[l(-18, 18), l(130, 147)]));
        // ... and on a tie the one with more pairs.
        assert!(turns(&[l(12, 12), l(-36, 36)]));
        assert!(!turns(&[]));
    }
}
