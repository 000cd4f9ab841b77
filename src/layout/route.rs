//! Edge routing and the final coordinate transform.
//!
//! An edge is the polyline through its dummies. Where the straight segment
//! between two ranks would cut through a node or label in either row, it
//! instead runs vertically in its own column to the row boundary and
//! crosses the (empty) gap between rows diagonally. End points are clipped
//! to the node outline. Edges reversed for ranking are turned back.

use super::geom::{clip, clip_from, pt, round2, segment_hits_rect};
use super::normalize::{Kind, LGraph};
use super::position::Rows;
use super::sanitize::Input;
use super::{Direction, EdgeRoute, Layout, Options, Point, Rect, Shape};

/// A layout in internal coordinates, before shifting and transposing.
pub(super) struct Internal {
    pub nodes: Vec<Rect>,
    pub clusters: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
}

fn item_rect(lg: &LGraph, rows: &Rows, xs: &[f64], v: usize) -> Rect {
    let it = &lg.items[v];
    Rect {
        x: xs[v] - it.left,
        y: rows.center[it.rank] - it.height / 2.0,
        width: it.left + it.right,
        height: it.height,
    }
}

/// Rectangle of a label dummy's label, in internal coordinates.
fn label_rect(
    input: &Input,
    lg: &LGraph,
    rows: &Rows,
    xs: &[f64],
    v: usize,
    e: usize,
    opts: &Options,
) -> Rect {
    let it = &lg.items[v];
    let (lw, lh) = input.edges.get(e).map_or((0.0, 0.0), |e| (e.lw, e.lh));
    let x = if input.direction == Direction::LeftRight {
        xs[v] - opts.label_gap - lw
    } else {
        xs[v] + opts.label_gap
    };
    Rect {
        x,
        y: rows.center[it.rank] - lh / 2.0,
        width: lw,
        height: lh,
    }
}

/// Obstacle area of an item (nodes: their box; label dummies: the label).
fn obstacle(
    input: &Input,
    lg: &LGraph,
    rows: &Rows,
    xs: &[f64],
    v: usize,
    opts: &Options,
) -> Option<Rect> {
    match lg.items[v].kind {
        Kind::Node(_) => Some(item_rect(lg, rows, xs, v)),
        Kind::Label(e) => Some(label_rect(input, lg, rows, xs, v, e, opts)),
        _ => None,
    }
}

/// Does segment p-q hit an obstacle on the rank of `v` other than `v`?
/// Walks outwards from `v` in the direction of the segment.
#[allow(clippy::too_many_arguments)]
fn blocked(
    input: &Input,
    lg: &LGraph,
    rows: &Rows,
    xs: &[f64],
    pos: &[usize],
    v: usize,
    p: Point,
    q: Point,
    opts: &Options,
) -> bool {
    let layer = &lg.layers[lg.items[v].rank];
    let (lo, hi) = (p.x.min(q.x), p.x.max(q.x));
    let i = pos[v];
    let check = |w: usize| {
        obstacle(input, lg, rows, xs, w, opts).is_some_and(|r| segment_hits_rect(p, q, &r, 0.5))
    };
    for &w in layer[i + 1..].iter() {
        if xs[w] - lg.items[w].left > hi {
            break;
        }
        if check(w) {
            return true;
        }
    }
    for &w in layer[..i].iter().rev() {
        if xs[w] + lg.items[w].right < lo {
            break;
        }
        if check(w) {
            return true;
        }
    }
    false
}

/// Builds node, cluster and edge geometry in internal coordinates.
pub(super) fn assemble(
    input: &Input,
    lg: &LGraph,
    rows: &Rows,
    xs: &[f64],
    reversed: &[bool],
    opts: &Options,
) -> Internal {
    let mut pos = vec![0usize; lg.items.len()];
    for layer in &lg.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let nodes: Vec<Rect> = (0..input.node_count())
        .map(|v| item_rect(lg, rows, xs, v))
        .collect();
    let clusters: Vec<Rect> = (0..lg.top.len())
        .map(|c| {
            let l = lg.lefts[c].first().map_or(0.0, |&v| xs[v]);
            let r = lg.rights[c].first().map_or(0.0, |&v| xs[v]);
            Rect {
                x: l,
                y: rows.box_top[c],
                width: (r - l).max(0.0),
                height: (rows.box_bottom[c] - rows.box_top[c]).max(0.0),
            }
        })
        .collect();
    let mut edges = vec![
        EdgeRoute {
            points: Vec::new(),
            label: None,
        };
        input.edge_count
    ];
    let ctx = Ctx {
        input,
        lg,
        rows,
        xs,
        pos: &pos,
        opts,
    };
    // Polylines from node centre to node centre, then spread over ports.
    let mut polys: Vec<Vec<Point>> = lg.chains.iter().map(|c| ctx.polyline(c)).collect();
    let ends: Vec<(usize, usize)> = lg.chains.iter().map(|c| (c[0], c[c.len() - 1])).collect();
    ctx.spread_ports(&mut polys, &ends, &nodes);
    for (i, e) in input.edges.iter().enumerate() {
        let chain = &lg.chains[i];
        let mut pts = std::mem::take(&mut polys[i]);
        let label = chain.iter().find_map(|&v| match lg.items[v].kind {
            Kind::Label(ei) => Some(label_rect(input, lg, rows, xs, v, ei, opts)),
            _ => None,
        });
        let (s, t) = ends[i];
        clip_ends(&mut pts, input, &nodes, s, t);
        if reversed[i] {
            pts.reverse();
        }
        if let Some(slot) = edges.get_mut(e.id) {
            *slot = EdgeRoute { points: pts, label };
        }
    }
    for &(id, v) in &input.loops {
        if let (Some(r), Some(slot)) = (nodes.get(v), edges.get_mut(id)) {
            slot.points = self_loop(input, v, r, opts);
        }
    }
    Internal {
        nodes,
        clusters,
        edges,
    }
}

/// Everything routing needs to look at.
struct Ctx<'a> {
    input: &'a Input,
    lg: &'a LGraph,
    rows: &'a Rows,
    xs: &'a [f64],
    pos: &'a [usize],
    opts: &'a Options,
}

/// How many ranks a straight shortcut may span.
const LOOKAHEAD: usize = 16;

impl Ctx<'_> {
    fn center(&self, v: usize) -> Point {
        pt(self.xs[v], self.rows.center[self.lg.items[v].rank])
    }

    /// Half the extent, along the rank axis, of the label that item `v`
    /// carries (0 for anything but a label dummy).
    fn label_half(&self, v: usize) -> f64 {
        match self.lg.items[v].kind {
            Kind::Label(e) => self.input.edges.get(e).map_or(0.0, |e| e.lh / 2.0),
            _ => 0.0,
        }
    }

    /// Where an edge enters item `v`: its centre, or for a label dummy the
    /// start of the straight stretch that runs alongside the label (so the
    /// label sits beside its edge and the edge never cuts through it).
    fn entry(&self, v: usize) -> Point {
        let c = self.center(v);
        pt(c.x, c.y - self.label_half(v))
    }

    /// Where an edge leaves item `v` (see [`Ctx::entry`]).
    fn exit(&self, v: usize) -> Point {
        let c = self.center(v);
        pt(c.x, c.y + self.label_half(v))
    }

    /// Free horizontal interval around item `v` on its rank.
    fn slot(&self, v: usize) -> (f64, f64) {
        let layer = &self.lg.layers[self.lg.items[v].rank];
        let i = self.pos[v];
        let keep = self.opts.edge_sep.min(8.0) / 2.0;
        let lo = i
            .checked_sub(1)
            .and_then(|j| layer.get(j))
            .map_or(f64::NEG_INFINITY, |&w| {
                self.xs[w] + self.lg.items[w].right + keep
            });
        let hi = layer.get(i + 1).map_or(f64::INFINITY, |&w| {
            self.xs[w] - self.lg.items[w].left - keep
        });
        (lo, hi)
    }

    /// Can the chain go straight from `chain[i]` to `chain[j]`, passing
    /// every skipped dummy's rank within that dummy's free slot?
    fn shortcut_ok(&self, chain: &[usize], i: usize, j: usize) -> bool {
        let (p, q) = (self.exit(chain[i]), self.entry(chain[j]));
        let dy = q.y - p.y;
        if dy <= 0.0 {
            return false;
        }
        for &v in &chain[i + 1..j] {
            if matches!(self.lg.items[v].kind, Kind::Label(_)) {
                return false;
            }
            let r = self.lg.items[v].rank;
            let at = |y: f64| p.x + (q.x - p.x) * (y - p.y) / dy;
            let (a, b) = (at(self.rows.row_top(r)), at(self.rows.row_bottom(r)));
            let (lo, hi) = self.slot(v);
            if a.min(b) <= lo || a.max(b) >= hi {
                return false;
            }
        }
        !blocked(
            self.input, self.lg, self.rows, self.xs, self.pos, chain[i], p, q, self.opts,
        ) && !blocked(
            self.input, self.lg, self.rows, self.xs, self.pos, chain[j], p, q, self.opts,
        )
    }

    /// Polyline through the chain (node centres at both ends): straight
    /// shortcuts where they keep to the free slots, otherwise one segment
    /// per rank, bent at row boundaries when a straight one would cut an
    /// obstacle.
    fn polyline(&self, chain: &[usize]) -> Vec<Point> {
        let Some(&first) = chain.first() else {
            return Vec::new();
        };
        let mut pts = vec![self.center(first)];
        let last = chain.len() - 1;
        let mut i = 0;
        while i < last {
            let mut best = i + 1;
            let mut j = i + 2;
            while j <= last && j - i <= LOOKAHEAD && self.shortcut_ok(chain, i, j) {
                best = j;
                j += 1;
            }
            let (u, v) = (chain[i], chain[best]);
            let (a, b) = (self.exit(u), self.entry(v));
            if best == i + 1 {
                let (ru, rv) = (self.lg.items[u].rank, self.lg.items[v].rank);
                let (input, lg, rows, xs, pos, opts) =
                    (self.input, self.lg, self.rows, self.xs, self.pos, self.opts);
                if rv == ru + 1 {
                    // Bend into the (empty) gap between the rows where the
                    // straight segment would cut an obstacle. Each bend
                    // changes the segment, so re-check the other end.
                    let below = pt(a.x, rows.row_bottom(ru));
                    let above = pt(b.x, rows.row_top(rv));
                    let mut bend_v = blocked(input, lg, rows, xs, pos, v, a, b, opts);
                    let tgt = if bend_v { above } else { b };
                    let bend_u = blocked(input, lg, rows, xs, pos, u, a, tgt, opts);
                    if bend_u && !bend_v {
                        bend_v = blocked(input, lg, rows, xs, pos, v, below, b, opts);
                    }
                    if bend_u {
                        pts.push(below);
                    }
                    if bend_v {
                        pts.push(above);
                    }
                }
            }
            pts.push(b);
            if self.label_half(v) > 0.0 {
                pts.push(self.exit(v));
            }
            i = best;
        }
        pts
    }
}

/// An edge end at a node side (keyed by node and "below?"): the x of the
/// neighbouring polyline point, the edge, and whether it is the last point.
type PortEnd = (f64, usize, bool);

/// Widest spacing of the ports on one side of a node.
const PORT_STEP: f64 = 12.0;

impl Ctx<'_> {
    /// Does the segment from `p` (inside node `v`) to `q` cut a node or a
    /// label other than those of edge `e` and its end nodes?
    fn port_blocked(&self, v: usize, e: usize, ends: (usize, usize), p: Point, q: Point) -> bool {
        let (lo, hi) = (p.y.min(q.y), p.y.max(q.y));
        let (xlo, xhi) = (p.x.min(q.x), p.x.max(q.x));
        let r0 = self.lg.items[v].rank;
        let check_rank = |r: usize| {
            // Items of a rank occupy disjoint intervals in order: look only
            // at those overlapping the segment's horizontal extent.
            let layer = &self.lg.layers[r];
            let start = layer.partition_point(|&w| self.xs[w] + self.lg.items[w].right < xlo);
            layer[start..]
                .iter()
                .take_while(|&&w| self.xs[w] - self.lg.items[w].left <= xhi)
                .any(|&w| {
                    if w == ends.0 || w == ends.1 {
                        return false;
                    }
                    if matches!(self.lg.items[w].kind, Kind::Label(x) if x == e) {
                        return false;
                    }
                    obstacle(self.input, self.lg, self.rows, self.xs, w, self.opts)
                        .is_some_and(|r| segment_hits_rect(p, q, &r, 0.5))
                })
        };
        let in_band = |r: usize| self.rows.row_bottom(r) >= lo && self.rows.row_top(r) <= hi;
        let down = (r0..self.lg.layers.len()).take_while(|&r| in_band(r));
        let up = (0..r0).rev().take_while(|&r| in_band(r));
        down.chain(up).any(check_rank)
    }

    /// Where several edges meet a node on the same side (above or below
    /// it), moves their end points apart along the node, in the order of
    /// their neighbouring points, so that they do not all converge on the
    /// centre and their arrowheads do not pile up. An end whose moved
    /// segment would cut another node or a label stays at the centre.
    /// The end points stay inside the node, to be clipped afterwards.
    fn spread_ports(&self, polys: &mut [Vec<Point>], ends: &[(usize, usize)], nodes: &[Rect]) {
        let mut sides: std::collections::BTreeMap<(usize, bool), Vec<PortEnd>> =
            std::collections::BTreeMap::new();
        for (i, pts) in polys.iter().enumerate() {
            let (Some(&(s, t)), true) = (ends.get(i), pts.len() >= 2) else {
                continue;
            };
            if s == t {
                continue;
            }
            let last = pts.len() - 1;
            let (a, an) = (pts[0], pts[1]);
            let (b, bn) = (pts[last], pts[last - 1]);
            sides
                .entry((s, an.y >= a.y))
                .or_default()
                .push((an.x, i, false));
            sides
                .entry((t, bn.y >= b.y))
                .or_default()
                .push((bn.x, i, true));
        }
        for ((v, _), mut list) in sides {
            if list.len() < 2 {
                continue;
            }
            let Some(r) = nodes.get(v) else { continue };
            let share = match self.input.nodes.get(v).map(|n| n.shape) {
                Some(Shape::Ellipse) => 0.45,
                _ => 0.6,
            };
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let k = list.len() as f64;
            let step = PORT_STEP.min(r.width * share / (k - 1.0));
            let cx = r.x + r.width / 2.0;
            for (j, &(_, i, last)) in list.iter().enumerate() {
                let off = (j as f64 - (k - 1.0) / 2.0) * step;
                let (Some(pts), Some(&pair)) = (polys.get_mut(i), ends.get(i)) else {
                    continue;
                };
                let (idx, nb) = if last {
                    (pts.len() - 1, pts.len() - 2)
                } else {
                    (0, 1)
                };
                let (Some(&p), Some(&q)) = (pts.get(idx), pts.get(nb)) else {
                    continue;
                };
                let moved = pt(cx + off, p.y);
                if !self.port_blocked(v, i, pair, moved, q) {
                    if let Some(slot) = pts.get_mut(idx) {
                        *slot = moved;
                    }
                }
            }
        }
    }
}

/// Replaces the first and last point (points inside the end nodes) by
/// where the polyline leaves the node outlines.
fn clip_ends(pts: &mut Vec<Point>, input: &Input, nodes: &[Rect], s: usize, t: usize) {
    if pts.len() < 2 {
        return;
    }
    let (sr, tr) = (nodes[s], nodes[t]);
    let (sn, tn) = (&input.nodes[s], &input.nodes[t]);
    let a = clip_from(sn.shape, &sr, pts[0], pts[1]);
    let last = pts.len() - 1;
    let b = clip_from(tn.shape, &tr, pts[last], pts[last - 1]);
    pts[0] = a;
    pts[last] = b;
    pts.dedup_by(|p, q| (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9);
}

/// A small rectangular loop on the right side of the node.
fn self_loop(input: &Input, v: usize, r: &Rect, opts: &Options) -> Vec<Point> {
    let c = pt(r.x + r.width / 2.0, r.y + r.height / 2.0);
    let dy = r.height / 4.0;
    let out = opts.node_sep / 3.0;
    let shape = input.nodes[v].shape;
    let a = clip(
        shape,
        c,
        r.width,
        r.height,
        pt(c.x + r.width, c.y - dy * 2.0),
    );
    let b = clip(
        shape,
        c,
        r.width,
        r.height,
        pt(c.x + r.width, c.y + dy * 2.0),
    );
    let x = r.x + r.width + out;
    vec![a, pt(x, a.y), pt(x, b.y), b]
}

/// Shifts everything to start at the margin, transposes left-right
/// layouts and rounds to 0.01.
pub(super) fn finish(l: Internal, dir: Direction, opts: &Options) -> Layout {
    let mut lo = (f64::INFINITY, f64::INFINITY);
    let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut see = |x: f64, y: f64| {
        lo = (lo.0.min(x), lo.1.min(y));
        hi = (hi.0.max(x), hi.1.max(y));
    };
    for r in l.nodes.iter().chain(&l.clusters) {
        see(r.x, r.y);
        see(r.x + r.width, r.y + r.height);
    }
    for e in &l.edges {
        for p in &e.points {
            see(p.x, p.y);
        }
        if let Some(r) = &e.label {
            see(r.x, r.y);
            see(r.x + r.width, r.y + r.height);
        }
    }
    if !lo.0.is_finite() {
        lo = (0.0, 0.0);
        hi = (0.0, 0.0);
    }
    let m = opts.margin;
    let lr = dir == Direction::LeftRight;
    let tp = |x: f64, y: f64| {
        let (x, y) = (x - lo.0 + m, y - lo.1 + m);
        if lr {
            (round2(y), round2(x))
        } else {
            (round2(x), round2(y))
        }
    };
    let tr = |r: &Rect| {
        let (x, y) = tp(r.x, r.y);
        let (w, h) = if lr {
            (r.height, r.width)
        } else {
            (r.width, r.height)
        };
        Rect {
            x,
            y,
            width: round2(w),
            height: round2(h),
        }
    };
    let (w, h) = (hi.0 - lo.0 + 2.0 * m, hi.1 - lo.1 + 2.0 * m);
    let (width, height) = if lr { (h, w) } else { (w, h) };
    Layout {
        width: round2(width.max(2.0 * m)),
        height: round2(height.max(2.0 * m)),
        nodes: l.nodes.iter().map(tr).collect(),
        clusters: l.clusters.iter().map(tr).collect(),
        edges: l
            .edges
            .iter()
            .map(|e| EdgeRoute {
                points: e
                    .points
                    .iter()
                    .map(|p| {
                        let (x, y) = tp(p.x, p.y);
                        Point { x, y }
                    })
                    .collect(),
                label: e.label.as_ref().map(tr),
            })
            .collect(),
        degraded: None,
    }
}
