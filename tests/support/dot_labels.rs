//! Where Graphviz put the text of a drawing, read from `dot -Tjson`: flow
//! labels lying across a boundary's line, flows drawn through a boundary's
//! title, and flow labels on top of a node or of another label. The figures
//! behind "Labels and boundary titles" in docs/dot.md
//! (`cargo test --release --test crossings -- --ignored --nocapture`).

#![allow(dead_code)]

use serde_json::Value;

/// A box: left, bottom, right, top (Graphviz's y grows upwards).
pub type Boxed = [f64; 4];

/// The counts for one drawing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TextPlacement {
    /// (flow label, boundary) pairs where the label lies partly inside and
    /// partly outside the boundary: across its line.
    pub labels_on_boundary_lines: usize,
    /// (flow, boundary) pairs where the flow's line runs through the
    /// boundary's title.
    pub flows_through_titles: usize,
    /// (flow label, node) pairs that overlap.
    pub labels_on_nodes: usize,
    /// Pairs of flow labels that overlap.
    pub labels_on_labels: usize,
}

/// The box around one `_draw_`/`_ldraw_` list of xdot operations: text by
/// its width and font size, shapes by their points.
pub fn drawing_box(ops: Option<&Value>) -> Option<Boxed> {
    let mut b: Option<Boxed> = None;
    let mut grow = |x0: f64, y0: f64, x1: f64, y1: f64| {
        b = Some(match b {
            None => [x0, y0, x1, y1],
            Some(o) => [o[0].min(x0), o[1].min(y0), o[2].max(x1), o[3].max(y1)],
        });
    };
    let mut size = 10.0;
    for op in ops?.as_array()? {
        match op["op"].as_str() {
            Some("F") => size = op["size"].as_f64().unwrap_or(size),
            Some("T") => {
                let (x, y) = (op["pt"][0].as_f64()?, op["pt"][1].as_f64()?);
                let w = op["width"].as_f64()?;
                let left = match op["align"].as_str() {
                    Some("l") => x,
                    Some("r") => x - w,
                    _ => x - w / 2.0,
                };
                grow(left, y - size * 0.25, left + w, y + size * 0.85);
            }
            Some("p" | "P" | "L" | "b" | "B") => {
                for p in op["points"].as_array()? {
                    let (x, y) = (p[0].as_f64()?, p[1].as_f64()?);
                    grow(x, y, x, y);
                }
            }
            _ => {}
        }
    }
    b
}

/// The points along a flow's line (Béziers sampled at 8 steps a segment).
pub fn line_points(ops: Option<&Value>) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let Some(ops) = ops.and_then(Value::as_array) else {
        return out;
    };
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let points: Vec<(f64, f64)> = op["points"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                    .collect()
            })
            .unwrap_or_default();
        match kind {
            "b" | "B" => {
                for c in (0..points.len().saturating_sub(3)).step_by(3) {
                    let [p0, p1, p2, p3] = [points[c], points[c + 1], points[c + 2], points[c + 3]];
                    for k in 0..=8 {
                        let t = k as f64 / 8.0;
                        let m = 1.0 - t;
                        let at = |a: f64, b: f64, c: f64, d: f64| {
                            m * m * m * a
                                + 3.0 * m * m * t * b
                                + 3.0 * m * t * t * c
                                + t * t * t * d
                        };
                        out.push((at(p0.0, p1.0, p2.0, p3.0), at(p0.1, p1.1, p2.1, p3.1)));
                    }
                }
            }
            "L" => out.extend(points),
            _ => {}
        }
    }
    out
}

fn overlap(a: &Boxed, b: &Boxed, tol: f64) -> bool {
    a[0] < b[2] - tol && b[0] < a[2] - tol && a[1] < b[3] - tol && b[1] < a[3] - tol
}

fn within(a: &Boxed, b: &Boxed, tol: f64) -> bool {
    a[0] >= b[0] - tol && a[2] <= b[2] + tol && a[1] >= b[1] - tol && a[3] <= b[3] + tol
}

/// The counts for one `dot -Tjson` document. Boundaries are the clusters
/// named `cluster_ID` (tmd's; the frame that holds the legend is not one).
pub fn measure(json: &str) -> Result<TextPlacement, String> {
    let g: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let empty = Vec::new();
    let objects = g["objects"].as_array().unwrap_or(&empty);
    let mut boundaries: Vec<(Boxed, Option<Boxed>)> = Vec::new();
    let mut nodes: Vec<Boxed> = Vec::new();
    for o in objects {
        let name = o["name"].as_str().unwrap_or("");
        if let Some(id) = name.strip_prefix("cluster_") {
            if id.is_empty() {
                continue;
            }
            let bb: Vec<f64> = o["bb"]
                .as_str()
                .ok_or("a cluster without bb")?
                .split(',')
                .filter_map(|v| v.parse().ok())
                .collect();
            let [x0, y0, x1, y1] = bb[..] else {
                return Err(format!("cluster {name}: bb {bb:?}"));
            };
            boundaries.push(([x0, y0, x1, y1], drawing_box(o.get("_ldraw_"))));
        } else if o.get("nodes").is_none() && o.get("pos").is_some() {
            if let Some(b) = drawing_box(o.get("_draw_")) {
                nodes.push(b);
            }
        }
    }
    let mut labels = Vec::new();
    let mut lines = Vec::new();
    for e in g["edges"].as_array().unwrap_or(&empty) {
        if let Some(b) = drawing_box(e.get("_ldraw_")).or(drawing_box(e.get("_xldraw_"))) {
            labels.push(b);
        }
        lines.push(line_points(e.get("_draw_")));
    }
    let mut m = TextPlacement::default();
    for l in &labels {
        for (bb, _) in &boundaries {
            if overlap(l, bb, 0.5) && !within(l, bb, 0.5) {
                m.labels_on_boundary_lines += 1;
            }
        }
        m.labels_on_nodes += nodes.iter().filter(|n| overlap(l, n, 0.5)).count();
    }
    for (i, a) in labels.iter().enumerate() {
        m.labels_on_labels += labels[i + 1..]
            .iter()
            .filter(|b| overlap(a, b, 0.5))
            .count();
    }
    for line in &lines {
        for (_, title) in &boundaries {
            let Some(t) = title else { continue };
            if line
                .iter()
                .any(|&(x, y)| t[0] < x && x < t[2] && t[1] < y && y < t[3])
            {
                m.flows_through_titles += 1;
            }
        }
    }
    Ok(m)
}
