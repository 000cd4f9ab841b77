//! Requests and responses: two opposite edges between the same two nodes
//! are laid out as one edge and drawn as a close pair.
//!
//! [`find`] pairs an edge with the request it answers (`Edge::response_to`)
//! and then, in input order, every other edge with the first unpaired
//! opposite edge between the same two nodes. [`reduce`] drops the second
//! edge of each pair (the follower) from the graph the pipeline sees and
//! gives the first (the leader) one label block that holds both labels,
//! stacked, so ranking, ordering and routing treat the pair as one edge on
//! one route. [`expand`] gives both edges that route back, each moved by
//! half of [`PAIR_GAP`] to its own left (so the pair keeps a visible gap
//! and each end has its own port), with the ends clipped to the node
//! outlines again, and splits the label block into the two labels.

use super::geom::{clip_from, pt, round2};
use super::{Direction, Edge, EdgeRoute, Graph, Layout, Point, Rect};

/// Distance between the two lines of a pair.
pub const PAIR_GAP: f64 = 7.0;
/// Space between the two stacked labels of a pair.
const LABEL_SEP: f64 = 2.0;

/// A pair: the leader (laid out) and the follower (drawn beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pair {
    pub leader: usize,
    pub follower: usize,
}

fn usable(g: &Graph, e: &Edge) -> bool {
    e.source != e.target && e.source < g.nodes.len() && e.target < g.nodes.len()
}

fn opposite(a: &Edge, b: &Edge) -> bool {
    a.source == b.target && a.target == b.source
}

/// The pairs of `g`, by input order of their leaders.
pub(super) fn find(g: &Graph) -> Vec<Pair> {
    let n = g.edges.len();
    let mut partner: Vec<Option<usize>> = vec![None; n];
    // Marked responses first: each with its own request.
    for (i, e) in g.edges.iter().enumerate() {
        let Some(r) = e.response_to else { continue };
        let Some(req) = g.edges.get(r) else { continue };
        if r != i
            && usable(g, e)
            && opposite(e, req)
            && partner[i].is_none()
            && partner[r].is_none()
        {
            partner[i] = Some(r);
            partner[r] = Some(i);
        }
    }
    // Then any two opposite edges, in input order.
    let mut waiting: std::collections::BTreeMap<(usize, usize), std::collections::VecDeque<usize>> =
        std::collections::BTreeMap::new();
    for (i, e) in g.edges.iter().enumerate() {
        if partner[i].is_some() || !usable(g, e) {
            continue;
        }
        let found = waiting
            .get_mut(&(e.target, e.source))
            .and_then(|q| q.pop_front());
        match found {
            Some(j) => {
                partner[i] = Some(j);
                partner[j] = Some(i);
            }
            None => waiting
                .entry((e.source, e.target))
                .or_default()
                .push_back(i),
        }
    }
    partner
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match *p {
            Some(j) if i < j => Some(Pair {
                leader: i,
                follower: j,
            }),
            _ => None,
        })
        .collect()
}

/// Extra room on the edge's side of a pair's label block, so that the
/// line moved towards the label keeps its distance.
fn label_pad() -> f64 {
    (PAIR_GAP / 2.0).ceil()
}

fn stacked(a: &Edge, b: &Edge, dir: Direction) -> (f64, f64) {
    let has = |e: &Edge| e.label_width > 0.0 || e.label_height > 0.0;
    let (w, h) = match (has(a), has(b)) {
        (false, false) => return (0.0, 0.0),
        (true, false) => (a.label_width, a.label_height),
        (false, true) => (b.label_width, b.label_height),
        (true, true) => (
            a.label_width.max(b.label_width),
            a.label_height + LABEL_SEP + b.label_height,
        ),
    };
    // Top-down: the label is right of a vertical line; left-right: above
    // a horizontal one.
    match dir {
        Direction::TopDown => (w + label_pad(), h),
        Direction::LeftRight => (w, h + label_pad()),
    }
}

/// The graph without the followers, for every edge of `g` its index in
/// that graph (a follower: its leader's), and which of its edges are pairs.
pub(super) fn reduce(g: &Graph, pairs: &[Pair]) -> (Graph, Vec<usize>, Vec<bool>) {
    let mut follower_of: Vec<Option<usize>> = vec![None; g.edges.len()];
    let mut is_follower = vec![false; g.edges.len()];
    for p in pairs {
        follower_of[p.leader] = Some(p.follower);
        is_follower[p.follower] = true;
    }
    let mut edges: Vec<Edge> = Vec::with_capacity(g.edges.len());
    let mut map = vec![0usize; g.edges.len()];
    let mut paired: Vec<bool> = Vec::with_capacity(g.edges.len());
    for (i, e) in g.edges.iter().enumerate() {
        if is_follower[i] {
            continue;
        }
        map[i] = edges.len();
        let mut e = e.clone();
        if let Some(f) = follower_of[i].and_then(|f| g.edges.get(f)) {
            let (w, h) = stacked(&e, f, g.direction);
            e.label_width = w;
            e.label_height = h;
        }
        e.response_to = None;
        paired.push(follower_of[i].is_some());
        edges.push(e);
    }
    for p in pairs {
        map[p.follower] = map[p.leader];
    }
    (
        Graph {
            nodes: g.nodes.clone(),
            clusters: g.clusters.clone(),
            edges,
            direction: g.direction,
        },
        map,
        paired,
    )
}

/// Moves a polyline by `d` to the left of its direction (y grows down:
/// "left" of a line going down is +x), keeping corners square.
fn offset(pts: &[Point], d: f64) -> Vec<Point> {
    let n = pts.len();
    if n < 2 {
        return pts.to_vec();
    }
    let normal = |a: Point, b: Point| {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-9 {
            None
        } else {
            Some((dy / len, -dx / len))
        }
    };
    let segs: Vec<Option<(f64, f64)>> = (0..n - 1).map(|k| normal(pts[k], pts[k + 1])).collect();
    // A zero-length segment takes its neighbour's normal.
    let fallback = segs.iter().flatten().next().copied().unwrap_or((0.0, 0.0));
    let mut filled: Vec<(f64, f64)> = Vec::with_capacity(segs.len());
    for s in &segs {
        let prev = filled.last().copied().unwrap_or(fallback);
        filled.push(s.unwrap_or(prev));
    }
    (0..n)
        .map(|k| {
            let a = filled[k.saturating_sub(1).min(filled.len() - 1)];
            let b = filled[k.min(filled.len() - 1)];
            let dot = a.0 * b.0 + a.1 * b.1;
            let (mx, my) = if dot > -0.5 {
                ((a.0 + b.0) / (1.0 + dot), (a.1 + b.1) / (1.0 + dot))
            } else {
                b
            };
            pt(pts[k].x + mx * d, pts[k].y + my * d)
        })
        .collect()
}

/// Puts an end of a moved polyline back on its node's outline: along the
/// end segment, from the point of that line nearest the node's centre.
fn reclip(g: &Graph, lay: &Layout, node: usize, end: Point, next: Point) -> Point {
    let (Some(n), Some(r)) = (g.nodes.get(node), lay.nodes.get(node)) else {
        return end;
    };
    let (dx, dy) = (end.x - next.x, end.y - next.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-9 {
        return end;
    }
    let (ux, uy) = (dx / len, dy / len);
    let c = pt(r.x + r.width / 2.0, r.y + r.height / 2.0);
    let t = (c.x - end.x) * ux + (c.y - end.y) * uy;
    let q = pt(end.x + ux * t, end.y + uy * t);
    clip_from(n.shape, r, q, next)
}

fn pair_route(g: &Graph, lay: &Layout, pts: &[Point], s: usize, t: usize, d: f64) -> Vec<Point> {
    let mut out = offset(pts, d);
    let n = out.len();
    if n >= 2 {
        out[0] = reclip(g, lay, s, out[0], out[1]);
        out[n - 1] = reclip(g, lay, t, out[n - 1], out[n - 2]);
    }
    for p in &mut out {
        *p = pt(round2(p.x), round2(p.y));
    }
    out
}

/// The layout of `g` from the layout of its reduced graph.
pub(super) fn expand(
    g: &Graph,
    pairs: &[Pair],
    map: &[usize],
    half: &[f64],
    lay: Layout,
) -> Layout {
    let mut edges: Vec<EdgeRoute> = map
        .iter()
        .map(|&k| {
            lay.edges.get(k).cloned().unwrap_or(EdgeRoute {
                points: Vec::new(),
                label: None,
            })
        })
        .collect();
    for p in pairs {
        let (Some(le), Some(fe)) = (g.edges.get(p.leader), g.edges.get(p.follower)) else {
            continue;
        };
        let Some(route) = lay.edges.get(map[p.leader]) else {
            continue;
        };
        let d = half
            .get(map[p.leader])
            .copied()
            .unwrap_or(PAIR_GAP / 2.0)
            .min(PAIR_GAP / 2.0);
        let lead = pair_route(g, &lay, &route.points, le.source, le.target, d);
        let back: Vec<Point> = route.points.iter().rev().copied().collect();
        let follow = pair_route(g, &lay, &back, fe.source, fe.target, d);
        let (ll, fl) = match route.label {
            Some(r) => split_label(r, le, fe, g.direction),
            None => (None, None),
        };
        edges[p.leader] = EdgeRoute {
            points: lead,
            label: ll,
        };
        edges[p.follower] = EdgeRoute {
            points: follow,
            label: fl,
        };
    }
    Layout { edges, ..lay }
}

/// The leader's and the follower's labels inside the pair's label block.
fn split_label(r: Rect, a: &Edge, b: &Edge, dir: Direction) -> (Option<Rect>, Option<Rect>) {
    let has = |e: &Edge| e.label_width > 0.0 || e.label_height > 0.0;
    let (x0, y0) = match dir {
        Direction::TopDown => (r.x + label_pad(), r.y),
        Direction::LeftRight => (r.x, r.y),
    };
    let at = |e: &Edge, y: f64| Rect {
        x: round2(x0),
        y: round2(y),
        width: e.label_width,
        height: e.label_height,
    };
    match (has(a), has(b)) {
        (true, true) => (
            Some(at(a, y0)),
            Some(at(b, y0 + a.label_height + LABEL_SEP)),
        ),
        (true, false) => (Some(at(a, y0)), None),
        (false, true) => (None, Some(at(b, y0))),
        (false, false) => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_keeps_square_corners() {
        let p = [pt(0.0, 0.0), pt(0.0, 10.0), pt(10.0, 10.0)];
        let o = offset(&p, 2.0);
        // Going down, left is +x; going right, left is -y.
        assert_eq!(o[0], pt(2.0, 0.0));
        assert_eq!(o[1], pt(2.0, 8.0));
        assert_eq!(o[2], pt(10.0, 8.0));
    }
}
