//! The layered graph: every item sits on exactly one rank and every segment
//! joins adjacent ranks.
//!
//! Items are real nodes, edge dummies (one per rank an edge passes; the one
//! on the middle rank carries the label), and left/right border dummies per
//! cluster and rank of its band, chained vertically. A dummy belongs to the
//! innermost cluster whose band holds its rank on the way from the source's
//! cluster up to the common ancestor and down to the target's cluster, so
//! edges leave a box through its bottom and enter through its top.

use super::nesting::ClusterTree;
use super::rank::Ranking;
use super::sanitize::Input;
use super::{Direction, Options};

/// What an item stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Real node (input index).
    Node(usize),
    /// Plain edge dummy (index into `Input::edges`).
    Dummy(usize),
    /// Edge dummy carrying the label (index into `Input::edges`).
    Label(usize),
    /// Left border of a cluster on one rank.
    Left(usize),
    /// Right border of a cluster on one rank.
    Right(usize),
}

impl Kind {
    pub fn is_border(self) -> bool {
        matches!(self, Kind::Left(_) | Kind::Right(_))
    }
    pub fn is_dummy(self) -> bool {
        matches!(self, Kind::Dummy(_) | Kind::Label(_))
    }
}

/// One item of the layered graph. Horizontal extent is `left` to the left
/// of its anchor x and `right` to the right (labels hang on one side).
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub kind: Kind,
    pub rank: usize,
    pub left: f64,
    pub right: f64,
    pub height: f64,
    /// Innermost cluster; for borders the cluster they bound.
    pub cluster: Option<usize>,
}

/// An item's neighbours on one side: most items (the dummies of long
/// edges, most nodes) have one or two, kept inline without an allocation
/// (a layered graph has a few per element, and is built several times
/// per drawing).
pub(super) type Adj = smallvec::SmallVec<[usize; 2]>;

/// The layered graph plus the bookkeeping later phases need.
#[derive(Debug, Clone)]
pub(super) struct LGraph {
    pub items: Vec<Item>,
    /// Items per rank, left to right.
    pub layers: Vec<Vec<usize>>,
    /// Neighbours on the rank above / below (with multiplicity).
    pub up: Vec<Adj>,
    pub down: Vec<Adj>,
    /// Per `Input::edges` index: items from the upper end to the lower end.
    pub chains: Vec<Vec<usize>>,
    /// Band of every cluster (top and bottom rank, inclusive).
    pub top: Vec<usize>,
    pub bottom: Vec<usize>,
    /// Border items per cluster, indexed by `rank - top`.
    pub lefts: Vec<Vec<usize>>,
    pub rights: Vec<Vec<usize>>,
    /// The first order follows edges upwards (see [`Ranking::climb`]).
    pub climb: bool,
    /// Per input node: its fold run (see [`Ranking::run`]).
    pub run: Vec<usize>,
}

impl LGraph {
    fn push(&mut self, item: Item) -> usize {
        let id = self.items.len();
        let r = item.rank;
        if self.layers.len() <= r {
            self.layers.resize(r + 1, Vec::new());
        }
        self.layers[r].push(id);
        self.items.push(item);
        self.up.push(Adj::new());
        self.down.push(Adj::new());
        id
    }

    fn link(&mut self, a: usize, b: usize) {
        self.down[a].push(b);
        self.up[b].push(a);
    }

    /// Whether the band of cluster `c` holds both ranks `a` and `b`.
    pub fn spans(&self, c: usize, a: usize, b: usize) -> bool {
        self.top[c] <= a.min(b) && self.bottom[c] >= a.max(b)
    }

    /// Left border item of `c` on rank `r`, if `r` is in its band.
    pub fn left_at(&self, c: usize, r: usize) -> Option<usize> {
        let off = r.checked_sub(self.top[c])?;
        self.lefts[c].get(off).copied()
    }

    /// Right border item of `c` on rank `r`, if `r` is in its band.
    pub fn right_at(&self, c: usize, r: usize) -> Option<usize> {
        let off = r.checked_sub(self.top[c])?;
        self.rights[c].get(off).copied()
    }
}

/// Builds the layered graph from the ranking. An edge `i` with
/// `early[i]` leaves its source's boxes (and enters its target's) in the
/// gap that the fewest sibling boxes span (see [`switch_gaps`]); the
/// others at the boxes' last (first) row.
pub(super) fn build(
    input: &Input,
    tree: &ClusterTree,
    reversed: &[bool],
    ranking: &Ranking,
    opts: &Options,
    early: &[bool],
) -> LGraph {
    // Items per rank, counted first so that no list grows as it fills.
    let mut per_rank: Vec<usize> = Vec::new();
    let mut count = |r: usize, k: usize| {
        if per_rank.len() <= r {
            per_rank.resize(r + 1, 0);
        }
        per_rank[r] += k;
    };
    for &r in &ranking.node {
        count(r, 1);
    }
    for c in 0..tree.len() {
        for r in ranking.top[c]..=ranking.bottom[c] {
            count(r, 2);
        }
    }
    for (i, e) in input.edges.iter().enumerate() {
        let (u, v) = e.oriented(reversed[i]);
        if let (Some(&ru), Some(&rv)) = (ranking.node.get(u), ranking.node.get(v)) {
            for r in ru + 1..rv {
                count(r, 1);
            }
        }
    }
    let total: usize = per_rank.iter().sum();
    let band = |c: usize| (ranking.bottom[c] + 1).saturating_sub(ranking.top[c]);
    let mut lg = LGraph {
        items: Vec::with_capacity(total),
        layers: per_rank.iter().map(|&k| Vec::with_capacity(k)).collect(),
        up: Vec::with_capacity(total),
        down: Vec::with_capacity(total),
        chains: Vec::with_capacity(input.edges.len()),
        top: ranking.top.clone(),
        bottom: ranking.bottom.clone(),
        lefts: (0..tree.len())
            .map(|c| Vec::with_capacity(band(c)))
            .collect(),
        rights: (0..tree.len())
            .map(|c| Vec::with_capacity(band(c)))
            .collect(),
        climb: ranking.climb,
        run: ranking.run.clone(),
    };
    for (v, n) in input.nodes.iter().enumerate() {
        lg.push(Item {
            kind: Kind::Node(v),
            rank: ranking.node[v],
            left: n.w / 2.0,
            right: n.w / 2.0,
            height: n.h,
            cluster: input.node_cluster[v],
        });
    }
    for c in 0..tree.len() {
        for r in lg.top[c]..=lg.bottom[c] {
            for right in [false, true] {
                let kind = if right { Kind::Right(c) } else { Kind::Left(c) };
                let id = lg.push(Item {
                    kind,
                    rank: r,
                    left: 0.0,
                    right: 0.0,
                    height: 0.0,
                    cluster: Some(c),
                });
                let list = if right {
                    &mut lg.rights[c]
                } else {
                    &mut lg.lefts[c]
                };
                list.push(id);
                if let Some(&prev) = list.len().checked_sub(2).and_then(|i| list.get(i)) {
                    lg.link(prev, id);
                }
            }
        }
    }
    let lr = input.direction == Direction::LeftRight;
    let spanning = spanning_children(tree, &lg);
    for (i, e) in input.edges.iter().enumerate() {
        let (u, v) = e.oriented(reversed[i]);
        let (ru, rv) = (ranking.node[u], ranking.node[v]);
        let mut chain = Vec::with_capacity(rv.saturating_sub(ru) + 1);
        chain.push(u);
        if rv > ru + 1 {
            let (cu, cv) = (input.node_cluster[u], input.node_cluster[v]);
            let lca = tree.lca(cu, cv);
            let up_path = tree.chain_below(cu, lca);
            let down_path = tree.chain_below(cv, lca);
            let early = early.get(i).copied().unwrap_or(false);
            let (exit, entry) =
                switch_gaps(&lg, &spanning, lca, &up_path, &down_path, (ru, rv), early);
            let clusters: Vec<Option<usize>> = (ru + 1..rv)
                .map(|r| {
                    let up = up_path.iter().find(|&&c| r <= lg.bottom[c] && r <= exit);
                    up.or_else(|| down_path.iter().find(|&&c| r >= lg.top[c] && r > entry))
                        .copied()
                        .or(lca)
                })
                .collect();
            // The label goes on the outermost rank, nearest the middle
            // (or nearest the end whose labels stay near it).
            let near = |x: usize| ranking.near.get(x).copied().unwrap_or(false);
            let aim2 = if near(v) {
                2 * rv
            } else if near(u) {
                2 * ru
            } else {
                ru + rv
            };
            let label_rank = (ru + 1..rv)
                .zip(&clusters)
                .min_by_key(|&(r, &c)| (tree.depth_of(c), (2 * r).abs_diff(aim2), r))
                .map_or(ru + 1, |(r, _)| r);
            for (r, &cluster) in (ru + 1..rv).zip(&clusters) {
                let labelled = r == label_rank && e.has_label();
                let (kind, left, right, height) = if labelled {
                    let side = opts.label_gap + e.lw;
                    if lr {
                        (Kind::Label(i), side, 0.0, e.lh)
                    } else {
                        (Kind::Label(i), 0.0, side, e.lh)
                    }
                } else if e.paired {
                    let half = super::pairs::PAIR_GAP / 2.0;
                    (Kind::Dummy(i), half, half, 0.0)
                } else {
                    (Kind::Dummy(i), 0.0, 0.0, 0.0)
                };
                let id = lg.push(Item {
                    kind,
                    rank: r,
                    left,
                    right,
                    height,
                    cluster,
                });
                chain.push(id);
            }
        }
        chain.push(v);
        if rv > ru {
            // A pair is two lines: it weighs twice in crossings and
            // barycentres.
            for w in chain.windows(2) {
                lg.link(w[0], w[1]);
                if e.paired {
                    lg.link(w[0], w[1]);
                }
            }
        }
        lg.chains.push(chain);
    }
    super::route::make_room_for_ports(input, &mut lg);
    lg
}

/// Per parent (index 0 for the top level, `c + 1` for cluster `c`): for
/// every rank `g`, how many of its child clusters span both `g` and
/// `g + 1`, so that an edge changing column in the gap below `g` would
/// have to cross them if they lay in its way.
fn spanning_children(tree: &ClusterTree, lg: &LGraph) -> Vec<Vec<u32>> {
    let ranks = lg.layers.len();
    let mut out = vec![Vec::new(); tree.len() + 1];
    for c in 0..tree.len() {
        let p = tree.parent[c].map_or(0, |p| p + 1);
        let list = &mut out[p];
        if list.is_empty() {
            list.resize(ranks, 0);
        }
        for g in lg.top[c]..lg.bottom[c] {
            if let Some(n) = list.get_mut(g) {
                *n += 1;
            }
        }
    }
    out
}

/// The gaps (a gap is named by the rank above it) in which an edge from
/// rank `ru` to rank `rv` leaves the boxes around its source and enters
/// those around its target: its dummies down to the first stay in the
/// source's boxes, those after the second are in the target's.
///
/// Where the band of the outermost box around the source overlaps that of
/// the outermost box around the target, the edge leaves the one and
/// enters the other sideways, in one gap between rows: it picks the gap
/// that the fewest sibling boxes span (the later one on a tie), since a
/// box spanning that gap may lie between the two. Otherwise it leaves at
/// the source box's bottom and enters at the target box's top; if
/// `early`, not where a sibling box spans that gap (its band begins on
/// the row where the source's box ends, say) and an earlier exit (a later
/// entry) has fewer: an edge changing column in a sibling's band runs
/// through it where the sibling lies in its way (which only the ordering
/// tells, see [`super::order::cut_siblings`]).
fn switch_gaps(
    lg: &LGraph,
    spanning: &[Vec<u32>],
    lca: Option<usize>,
    up_path: &[usize],
    down_path: &[usize],
    (ru, rv): (usize, usize),
    early: bool,
) -> (usize, usize) {
    let (outer_up, outer_down) = (up_path.last().copied(), down_path.last().copied());
    let counts = &spanning[lca.map_or(0, |c| c + 1)];
    let spanned = |g: usize| counts.get(g).copied().unwrap_or(0);
    let spans_gap =
        |c: Option<usize>, g: usize| c.is_some_and(|c| lg.top[c] <= g && g < lg.bottom[c]);
    // Sibling boxes spanning gap `g`, not counting the edge's own.
    let foreign = |g: usize| {
        let own = u32::from(spans_gap(outer_up, g)) + u32::from(spans_gap(outer_down, g));
        spanned(g).saturating_sub(own)
    };
    let last = rv - 1;
    let up_hi = outer_up.map(|c| last.min(lg.bottom[c]));
    let down_lo = outer_down.map(|c| ru.max(lg.top[c].saturating_sub(1)));
    if let (Some(hi), Some(lo)) = (up_hi, down_lo) {
        if lo < hi {
            let g = fewest(lo, hi, true, spanned);
            return (g, g);
        }
    }
    let exit = up_hi.map(|hi| {
        if early {
            fewest(ru, hi, true, foreign)
        } else {
            hi
        }
    });
    let entry = down_lo.map_or(0, |lo| {
        let lo = lo.max(exit.unwrap_or(0));
        if early {
            fewest(lo, last, false, foreign)
        } else {
            lo
        }
    });
    (exit.unwrap_or(usize::MAX), entry)
}

/// The gap in `lo..=hi` of least `cost`, the later (`late`) or the
/// earlier one on a tie.
fn fewest(lo: usize, hi: usize, late: bool, cost: impl Fn(usize) -> u32) -> usize {
    let mut best = if late { hi } else { lo };
    for g in lo..=hi {
        let (c, b) = (cost(g), cost(best));
        if c < b || (late && c == b) {
            best = g;
        }
    }
    best
}
