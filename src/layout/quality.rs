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
    /// Edge segments passing through a node that is not their endpoint.
    pub edges_through_nodes: usize,
    /// (edge, cluster) pairs where the edge crosses a box holding neither
    /// of its end points.
    pub edges_through_clusters: usize,
    /// Sum of polyline lengths.
    pub edge_length: f64,
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
        for ej in l.edges.iter().skip(i + 1) {
            for (a, b) in segs(&ei.points) {
                for (c, d) in segs(&ej.points) {
                    if segments_cross(a, b, c, d) {
                        q.crossings += 1;
                    }
                }
            }
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
        let mut inside = ancestors(g, g.nodes.get(ge.source).and_then(|n| n.cluster));
        inside.extend(ancestors(g, g.nodes.get(ge.target).and_then(|n| n.cluster)));
        for (c, r) in l.clusters.iter().enumerate() {
            if !inside.contains(&c) && segs(&e.points).any(|(a, b)| segment_hits_rect(a, b, r, 1.0))
            {
                q.edges_through_clusters += 1;
            }
        }
    }
    q
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
