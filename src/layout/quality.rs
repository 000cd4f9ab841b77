//! Measuring a layout: aesthetic counts ([`quality`]) and hard-rule
//! violations ([`check`]) used by the tests and examples.

use super::geom::{
    outline_distance, rect_inside, rects_overlap, segment_hits_rect, segments_cross,
};
use super::{Graph, Layout, Options, Point, Rect};

/// Aesthetic measures of a layout (lower is better).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// Proper crossings between segments of different edges.
    pub crossings: usize,
    /// Pairs of edges that cross at least once away from a node both end
    /// at (more than [`END_ZONE`] from it), as layoutq counts them.
    pub crossing_pairs: usize,
    /// Edge segments passing through a node that is not their endpoint.
    pub edges_through_nodes: usize,
    /// (edge, cluster) pairs where the edge crosses a box holding neither
    /// of its end points.
    pub edges_through_clusters: usize,
    /// Sum of polyline lengths.
    pub edge_length: f64,
    /// Length of edge running on another edge's track: within
    /// [`TRACK_TOL`] of it and parallel to it (within 10 degrees), except
    /// within [`END_ZONE`] of a node both edges end at. Two edges drawn
    /// on one line cannot be told apart.
    pub shared_length: f64,
    /// Interior polyline points.
    pub bends: usize,
    pub width: f64,
    pub height: f64,
}

fn ancestors(g: &Graph, c: Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut x = c;
    while let Some(k) = x {
        if out.contains(&k) || k >= g.clusters.len() {
            break;
        }
        out.push(k);
        x = g.clusters[k].parent;
    }
    out
}

fn segs(points: &[Point]) -> impl Iterator<Item = (Point, Point)> + '_ {
    points.windows(2).map(|w| (w[0], w[1]))
}

/// How many cluster boxes holding neither of its end points edge `i`
/// runs through.
pub(super) fn foreign_clusters(g: &Graph, l: &Layout, i: usize) -> usize {
    let (Some(ge), Some(e)) = (g.edges.get(i), l.edges.get(i)) else {
        return 0;
    };
    let mut inside = ancestors(g, g.nodes.get(ge.source).and_then(|n| n.cluster));
    inside.extend(ancestors(g, g.nodes.get(ge.target).and_then(|n| n.cluster)));
    l.clusters
        .iter()
        .enumerate()
        .filter(|(c, r)| {
            !inside.contains(c) && segs(&e.points).any(|(a, b)| segment_hits_rect(a, b, r, 1.0))
        })
        .count()
}

/// A segment of an edge: the edge's index and the two ends.
type EdgeSeg = (usize, Point, Point);

/// Up to this many segments, [`crossing_pairs`] tries every pair.
const ONE_CELL_SEGMENTS: usize = 64;

/// Pairs of edges that cross away from a node both end at, as
/// [`Quality::crossing_pairs`] counts them; only segments that share a
/// cell of a coarse grid are compared.
pub(super) fn crossing_pairs(g: &Graph, l: &Layout) -> usize {
    // Cells of at least 64 px, and not more than about 100 000 over the
    // drawing.
    let area = (l.width.max(0.0) * l.height.max(0.0)).min(1e18);
    let size = (area / 1e5).sqrt().max(64.0);
    // A small drawing is one cell: every pair of its segments is tried,
    // which is quicker than filing them. (Two segments that cross share
    // the cell of their crossing point, so the pairs found are the same.)
    let segments: usize = l
        .edges
        .iter()
        .map(|e| e.points.len().saturating_sub(1))
        .sum();
    let one_cell = segments <= ONE_CELL_SEGMENTS;
    let cell = |v: f64| {
        if one_cell {
            0
        } else {
            (v / size).floor() as i64
        }
    };
    let mut grid: std::collections::BTreeMap<(i64, i64), Vec<EdgeSeg>> =
        std::collections::BTreeMap::new();
    for (i, e) in l.edges.iter().enumerate() {
        for (a, b) in segs(&e.points) {
            if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
                continue;
            }
            for cx in cell(a.x.min(b.x))..=cell(a.x.max(b.x)) {
                for cy in cell(a.y.min(b.y))..=cell(a.y.max(b.y)) {
                    grid.entry((cx, cy)).or_default().push((i, a, b));
                }
            }
        }
    }
    let mut found: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    for list in grid.values() {
        for (k, &(i, a, b)) in list.iter().enumerate() {
            for &(j, c, d) in &list[k + 1..] {
                let key = (i.min(j), i.max(j));
                if i == j || found.contains(&key) || !segments_cross(a, b, c, d) {
                    continue;
                }
                let zones = common_ends(g, l, key.0, key.1);
                if crossing_point(a, b, c, d).is_some_and(|p| !zones.iter().any(|z| in_zone(z, p)))
                {
                    found.insert(key);
                }
            }
        }
    }
    found.len()
}

/// Counts crossings and obstructions. Quadratic; meant for tests and
/// examples, not for the hot path.
pub fn quality(g: &Graph, l: &Layout) -> Quality {
    let mut q = Quality {
        width: l.width,
        height: l.height,
        ..Quality::default()
    };
    for e in &l.edges {
        q.bends += e.points.len().saturating_sub(2);
        q.edge_length += segs(&e.points)
            .map(|(a, b)| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt())
            .sum::<f64>();
    }
    for (i, ei) in l.edges.iter().enumerate() {
        for (j, ej) in l.edges.iter().enumerate().skip(i + 1) {
            let zones = common_ends(g, l, i, j);
            let mut pair = false;
            for (a, b) in segs(&ei.points) {
                for (c, d) in segs(&ej.points) {
                    if segments_cross(a, b, c, d) {
                        q.crossings += 1;
                        if !pair {
                            pair = crossing_point(a, b, c, d)
                                .is_some_and(|p| !zones.iter().any(|z| in_zone(z, p)));
                        }
                    }
                }
            }
            q.crossing_pairs += usize::from(pair);
        }
    }
    for (i, ei) in l.edges.iter().enumerate() {
        for (a, b) in segs(&ei.points) {
            let (xlo, xhi) = (a.x.min(b.x) - TRACK_TOL, a.x.max(b.x) + TRACK_TOL);
            let (ylo, yhi) = (a.y.min(b.y) - TRACK_TOL, a.y.max(b.y) + TRACK_TOL);
            // The longest stretch of this segment shared with any other
            // edge (not the sum, so that three edges on one line count
            // each line once per edge).
            let mut most = 0.0f64;
            for (j, ej) in l.edges.iter().enumerate() {
                if j == i {
                    continue;
                }
                let zones = common_ends(g, l, i, j);
                for (c, d) in segs(&ej.points) {
                    if c.x.max(d.x) < xlo
                        || c.x.min(d.x) > xhi
                        || c.y.max(d.y) < ylo
                        || c.y.min(d.y) > yhi
                    {
                        continue;
                    }
                    most = most.max(shared_part(a, b, c, d, &zones));
                }
            }
            q.shared_length += most;
        }
    }
    for (i, e) in l.edges.iter().enumerate() {
        let Some(ge) = g.edges.get(i) else { continue };
        for (v, r) in l.nodes.iter().enumerate() {
            if v == ge.source || v == ge.target {
                continue;
            }
            q.edges_through_nodes += segs(&e.points)
                .filter(|(a, b)| segment_hits_rect(*a, *b, r, 1.0))
                .count();
        }
        q.edges_through_clusters += foreign_clusters(g, l, i);
    }
    q
}

/// Two edges this close and parallel run on one track.
pub const TRACK_TOL: f64 = 1.5;
/// Near a node both edges end at, edges may meet.
pub const END_ZONE: f64 = 8.0;

/// The boxes of the nodes edges `i` and `j` both end at.
fn common_ends(g: &Graph, l: &Layout, i: usize, j: usize) -> Vec<Rect> {
    let ends = |k: usize| g.edges.get(k).map(|e| [e.source, e.target]);
    match (ends(i), ends(j)) {
        (Some(x), Some(y)) => x
            .iter()
            .filter(|v| y.contains(v))
            .filter_map(|&v| l.nodes.get(v).copied())
            .collect(),
        _ => Vec::new(),
    }
}

/// Is `p` within [`END_ZONE`] of box `z`?
fn in_zone(z: &Rect, p: Point) -> bool {
    p.x >= z.x - END_ZONE
        && p.x <= z.x + z.width + END_ZONE
        && p.y >= z.y - END_ZONE
        && p.y <= z.y + z.height + END_ZONE
}

/// Where segments `(a, b)` and `(c, d)` meet, if they do.
fn crossing_point(a: Point, b: Point, c: Point, d: Point) -> Option<Point> {
    let (rx, ry) = (b.x - a.x, b.y - a.y);
    let (sx, sy) = (d.x - c.x, d.y - c.y);
    let den = rx * sy - ry * sx;
    if den.abs() < 1e-12 {
        return None;
    }
    let t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
    let u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(Point {
        x: a.x + rx * t,
        y: a.y + ry * t,
    })
}

/// Length of `(a, b)` that runs within [`TRACK_TOL`] of, and parallel to,
/// `(c, d)`, outside the rectangles of `zones`.
fn shared_part(a: Point, b: Point, c: Point, d: Point, zones: &[Rect]) -> f64 {
    let (ux, uy) = (b.x - a.x, b.y - a.y);
    let len = (ux * ux + uy * uy).sqrt();
    let (vx, vy) = (d.x - c.x, d.y - c.y);
    let len2 = (vx * vx + vy * vy).sqrt();
    if len < 1e-9 || len2 < 1e-9 {
        return 0.0;
    }
    let (ux, uy) = (ux / len, uy / len);
    // Parallel within 10 degrees.
    if ((ux * vy - uy * vx) / len2).abs() > 10f64.to_radians().sin() {
        return 0.0;
    }
    // Sample `(a, b)` every pixel or so; count the samples near `(c, d)`.
    let steps = (len / 1.0).ceil().max(1.0) as usize;
    let mut near = 0usize;
    for i in 0..steps {
        let t = (i as f64 + 0.5) / steps as f64;
        let p = Point {
            x: a.x + (b.x - a.x) * t,
            y: a.y + (b.y - a.y) * t,
        };
        let s = (((p.x - c.x) * vx + (p.y - c.y) * vy) / (len2 * len2)).clamp(0.0, 1.0);
        let (qx, qy) = (c.x + vx * s, c.y + vy * s);
        let dist = ((p.x - qx).powi(2) + (p.y - qy).powi(2)).sqrt();
        if dist <= TRACK_TOL && !zones.iter().any(|z| in_zone(z, p)) {
            near += 1;
        }
    }
    len * near as f64 / steps as f64
}

/// Where the layout draws the label of cluster `c`.
pub fn cluster_label_rect(g: &Graph, l: &Layout, opts: &Options, c: usize) -> Option<Rect> {
    let (cl, b) = (g.clusters.get(c)?, l.clusters.get(c)?);
    Some(Rect {
        x: b.x + opts.cluster_pad / 2.0,
        y: b.y + opts.cluster_pad / 2.0,
        width: cl.label_width,
        height: cl.label_height,
    })
}

/// Hard rules every layout of valid input must satisfy; returns one line
/// per violation (empty when all is well).
pub fn check(g: &Graph, l: &Layout, opts: &Options) -> Vec<String> {
    let mut bad = Vec::new();
    let tol = 0.05;
    if l.nodes.len() != g.nodes.len()
        || l.clusters.len() != g.clusters.len()
        || l.edges.len() != g.edges.len()
    {
        bad.push("output sizes differ from input".to_string());
        return bad;
    }
    let in_bounds = |x: f64, y: f64| {
        x.is_finite() && y.is_finite() && x >= 0.0 && y >= 0.0 && x <= l.width && y <= l.height
    };
    let rect_ok = |r: &Rect| in_bounds(r.x, r.y) && in_bounds(r.x + r.width, r.y + r.height);
    for (i, r) in l.nodes.iter().enumerate() {
        if !rect_ok(r) {
            bad.push(format!("node {i} out of bounds: {r:?}"));
        }
    }
    for (i, r) in l.clusters.iter().enumerate() {
        if !rect_ok(r) {
            bad.push(format!("cluster {i} out of bounds"));
        }
    }
    for (i, e) in l.edges.iter().enumerate() {
        if e.points.iter().any(|p| !in_bounds(p.x, p.y))
            || e.label.as_ref().is_some_and(|r| !rect_ok(r))
        {
            bad.push(format!("edge {i} out of bounds"));
        }
    }
    // Membership: inside every ancestor box, outside all other boxes.
    for (v, n) in g.nodes.iter().enumerate() {
        let anc = ancestors(g, n.cluster);
        for (c, b) in l.clusters.iter().enumerate() {
            if anc.contains(&c) {
                if !rect_inside(&l.nodes[v], b, 1.0) {
                    bad.push(format!("node {v} not inside cluster {c}"));
                }
            } else if rects_overlap(&l.nodes[v], b, tol) {
                bad.push(format!("node {v} overlaps foreign cluster {c}"));
            }
        }
    }
    for c in 0..g.clusters.len() {
        let anc_c = ancestors(g, Some(c));
        for d in c + 1..g.clusters.len() {
            let anc_d = ancestors(g, Some(d));
            let (bc, bd) = (&l.clusters[c], &l.clusters[d]);
            if anc_d.contains(&c) {
                if !rect_inside(bd, bc, 1.0) {
                    bad.push(format!("cluster {d} not strictly inside {c}"));
                }
            } else if anc_c.contains(&d) {
                if !rect_inside(bc, bd, 1.0) {
                    bad.push(format!("cluster {c} not strictly inside {d}"));
                }
            } else if rects_overlap(bc, bd, tol) {
                bad.push(format!("clusters {c} and {d} overlap"));
            }
        }
    }
    for i in 0..l.nodes.len() {
        for j in i + 1..l.nodes.len() {
            if rects_overlap(&l.nodes[i], &l.nodes[j], tol) {
                bad.push(format!("nodes {i} and {j} overlap"));
            }
        }
    }
    // Labels: edge labels and cluster labels.
    let mut labels: Vec<(String, Rect, Option<usize>)> = Vec::new();
    for (i, e) in l.edges.iter().enumerate() {
        if let Some(r) = e.label {
            labels.push((format!("edge {i} label"), r, None));
        }
    }
    for c in 0..g.clusters.len() {
        if let Some(r) = cluster_label_rect(g, l, opts, c) {
            if r.width > 0.0 || r.height > 0.0 {
                if !rect_inside(&r, &l.clusters[c], 0.0) {
                    bad.push(format!("cluster {c} label sticks out"));
                }
                labels.push((format!("cluster {c} label"), r, Some(c)));
            }
        }
    }
    for (i, (name, r, owner)) in labels.iter().enumerate() {
        for (v, nr) in l.nodes.iter().enumerate() {
            if rects_overlap(r, nr, tol) {
                bad.push(format!("{name} overlaps node {v}"));
            }
        }
        for (other, r2, _) in labels.iter().skip(i + 1) {
            if rects_overlap(r, r2, tol) {
                bad.push(format!("{name} overlaps {other}"));
            }
        }
        if let Some(c) = owner {
            for (d, b) in l.clusters.iter().enumerate() {
                if d != *c && !ancestors(g, Some(*c)).contains(&d) && rects_overlap(r, b, tol) {
                    bad.push(format!("{name} overlaps cluster {d}"));
                }
            }
        }
    }
    // Routes start and end on the outlines.
    for (i, e) in g.edges.iter().enumerate() {
        let route = &l.edges[i];
        if e.source == e.target || e.source >= g.nodes.len() || e.target >= g.nodes.len() {
            continue;
        }
        let (Some(first), Some(last)) = (route.points.first(), route.points.last()) else {
            bad.push(format!("edge {i} has no route"));
            continue;
        };
        if route.points.len() < 2 {
            bad.push(format!("edge {i} has a single point"));
            continue;
        }
        let (s, t) = (&g.nodes[e.source], &g.nodes[e.target]);
        if outline_distance(s.shape, &l.nodes[e.source], *first) > 0.5 {
            bad.push(format!("edge {i} does not start on its source outline"));
        }
        if outline_distance(t.shape, &l.nodes[e.target], *last) > 0.5 {
            bad.push(format!("edge {i} does not end on its target outline"));
        }
        let has_label = e.label_width > 0.0 || e.label_height > 0.0;
        if has_label != route.label.is_some() {
            bad.push(format!("edge {i} label presence is wrong"));
        }
    }
    bad
}
