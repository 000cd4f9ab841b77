//! Counting edge crossings in a drawn diagram, whoever drew it.
//!
//! Edges are polylines (curves are flattened first). Two edges cross where
//! a segment of one passes from one side of a segment of the other to its
//! other side; an edge that only starts on another, or runs along it, does
//! not cross it, nor do two edges that meet at a point both pass through
//! (an end they share: two flows leaving the same node at the same point;
//! even a true crossing exactly at a vertex of both is taken as a meeting,
//! which real layouts make vanishingly rare).
//! Each crossing point counts once, so two curves that cross twice count 2.
//!
//! Inputs: [`plain_edges`] reads Graphviz `-Tplain` output (B-spline
//! control points), [`svg_path_polyline`] reads an SVG path's `d`
//! attribute (M/L/C/H/V, absolute or relative), [`graphviz_svg_edges`]
//! the edge paths of a Graphviz SVG. Our own SVG renderer can feed its
//! polylines straight to [`count_crossings`].

#![allow(dead_code)]

pub type Point = (f64, f64);
pub type Polyline = Vec<Point>;

/// Points per cubic Bézier segment when flattening.
pub const BEZIER_STEPS: usize = 8;

const EPS: f64 = 1e-9;

/// The number of crossings between different edges.
pub fn count_crossings(edges: &[Polyline]) -> usize {
    let boxes: Vec<Option<(f64, f64, f64, f64)>> = edges.iter().map(|e| bbox(e)).collect();
    let mut count = 0;
    for (i, a) in edges.iter().enumerate() {
        for (j, b) in edges.iter().enumerate().skip(i + 1) {
            let (Some(ba), Some(bb)) = (boxes[i], boxes[j]) else {
                continue;
            };
            if ba.2 < bb.0 || bb.2 < ba.0 || ba.3 < bb.1 || bb.3 < ba.1 {
                continue;
            }
            count += crossings_between(a, b);
        }
    }
    count
}

/// Crossings between two polylines.
pub fn crossings_between(a: &[Point], b: &[Point]) -> usize {
    let near = |p: Point, q: Point| (p.0 - q.0).abs() < 1e-6 && (p.1 - q.1).abs() < 1e-6;
    let mut points: Vec<Point> = Vec::new();
    for sa in a.windows(2) {
        for sb in b.windows(2) {
            let Some(p) = proper_intersection(sa[0], sa[1], sb[0], sb[1]) else {
                continue;
            };
            // Both pass through the same vertex (a shared end, or the same
            // port): they meet there, they do not cross.
            let meet = (near(p, sa[0]) || near(p, sa[1])) && (near(p, sb[0]) || near(p, sb[1]));
            // A crossing exactly at a vertex shows up in two adjacent
            // segments: count the point once.
            if !meet && !points.iter().any(|&q| near(p, q)) {
                points.push(p);
            }
        }
    }
    points.len()
}

fn bbox(p: &[Point]) -> Option<(f64, f64, f64, f64)> {
    let first = p.first()?;
    Some(p.iter().fold(
        (first.0, first.1, first.0, first.1),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    ))
}

fn cross(o: Point, p: Point, q: Point) -> f64 {
    (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0)
}

/// Where segments `ab` and `cd` cross, if each separates the other's ends.
/// An end lying exactly on the other segment counts as being on its left
/// (a symbolic perturbation), so a polyline that crosses through one of its
/// vertices crosses once, and a segment that only starts on another does
/// not cross it.
fn proper_intersection(a: Point, b: Point, c: Point, d: Point) -> Option<Point> {
    let side = |x: f64| x >= -EPS;
    let d1 = cross(c, d, a);
    let d2 = cross(c, d, b);
    let d3 = cross(a, b, c);
    let d4 = cross(a, b, d);
    if side(d1) == side(d2) || side(d3) == side(d4) {
        return None;
    }
    let t = if (d1 - d2).abs() < EPS {
        0.0
    } else {
        d1 / (d1 - d2)
    };
    Some((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
}

/// Flattens a piecewise cubic Bézier (`1 + 3k` control points, as Graphviz
/// writes them) into a polyline.
pub fn flatten_bezier(control: &[Point], steps: usize) -> Polyline {
    let Some(&start) = control.first() else {
        return Vec::new();
    };
    let mut out = vec![start];
    let mut p0 = start;
    for seg in control.get(1..).unwrap_or(&[]).chunks(3) {
        if let [p1, p2, p3] = *seg {
            for k in 1..=steps {
                let t = k as f64 / steps as f64;
                let u = 1.0 - t;
                let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                out.push((
                    w[0] * p0.0 + w[1] * p1.0 + w[2] * p2.0 + w[3] * p3.0,
                    w[0] * p0.1 + w[1] * p1.1 + w[2] * p2.1 + w[3] * p3.1,
                ));
            }
            p0 = p3;
        } else {
            out.extend_from_slice(seg);
        }
    }
    out
}

/// Splits a `-Tplain` line into words, keeping quoted strings whole.
fn plain_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ' ' {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => break,
                    c => word.push(c),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c == ' ' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}

/// The edges of Graphviz `-Tplain` output, flattened (in inches).
pub fn plain_edges(plain: &str) -> Vec<Polyline> {
    let mut edges = Vec::new();
    for line in plain.lines() {
        let words = plain_words(line);
        if words.first().map(String::as_str) != Some("edge") {
            continue;
        }
        let Some(n) = words.get(3).and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let coords: Vec<f64> = words
            .iter()
            .skip(4)
            .take(2 * n)
            .filter_map(|w| w.parse().ok())
            .collect();
        if coords.len() != 2 * n {
            continue;
        }
        let control: Vec<Point> = coords.chunks(2).map(|c| (c[0], c[1])).collect();
        edges.push(flatten_bezier(&control, BEZIER_STEPS));
    }
    edges
}

/// Numbers in an SVG path's data, in order.
fn numbers(d: &str) -> Vec<(char, Vec<f64>)> {
    let mut out: Vec<(char, Vec<f64>)> = Vec::new();
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut Vec<(char, Vec<f64>)>| {
        if !number.is_empty() {
            if let (Ok(v), Some(last)) = (number.parse::<f64>(), out.last_mut()) {
                last.1.push(v);
            }
            number.clear();
        }
    };
    for c in d.chars() {
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            flush(&mut number, &mut out);
            out.push((c, Vec::new()));
        } else if c == '-' && !number.is_empty() && !number.ends_with(['e', 'E']) {
            flush(&mut number, &mut out);
            number.push(c);
        } else if c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E' {
            if c == '.' && number.contains('.') && !number.contains(['e', 'E']) {
                flush(&mut number, &mut out);
            }
            number.push(c);
        } else {
            flush(&mut number, &mut out);
        }
    }
    flush(&mut number, &mut out);
    out
}

/// An SVG path (`M`, `L`, `H`, `V`, `C`, `Z`, absolute or relative) as a
/// polyline, curves flattened. Subpaths are joined.
pub fn svg_path_polyline(d: &str) -> Polyline {
    let mut out: Polyline = Vec::new();
    let mut cur: Point = (0.0, 0.0);
    let mut start: Point = (0.0, 0.0);
    for (cmd, args) in numbers(d) {
        let rel = cmd.is_ascii_lowercase();
        let base = |cur: Point| if rel { cur } else { (0.0, 0.0) };
        match cmd.to_ascii_uppercase() {
            'M' | 'L' => {
                for (i, p) in args.chunks_exact(2).enumerate() {
                    let b = base(cur);
                    cur = (b.0 + p[0], b.1 + p[1]);
                    if i == 0 && cmd.eq_ignore_ascii_case(&'M') {
                        start = cur;
                    }
                    out.push(cur);
                }
            }
            'H' => {
                for x in args {
                    cur = (if rel { cur.0 + x } else { x }, cur.1);
                    out.push(cur);
                }
            }
            'V' => {
                for y in args {
                    cur = (cur.0, if rel { cur.1 + y } else { y });
                    out.push(cur);
                }
            }
            'C' => {
                for c in args.chunks_exact(6) {
                    let b = base(cur);
                    let control = [
                        cur,
                        (b.0 + c[0], b.1 + c[1]),
                        (b.0 + c[2], b.1 + c[3]),
                        (b.0 + c[4], b.1 + c[5]),
                    ];
                    out.extend(flatten_bezier(&control, BEZIER_STEPS).into_iter().skip(1));
                    cur = control[3];
                }
            }
            'Z' => {
                cur = start;
                out.push(cur);
            }
            _ => {}
        }
    }
    out
}

/// The edge paths of a Graphviz SVG: every `<path>` from a group of class
/// `edge ...` up to the next node, edge or cluster group.
pub fn graphviz_svg_edges(svg: &str) -> Vec<Polyline> {
    let mut edges = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find(" class=\"edge") {
        rest = &rest[at + 1..];
        let end = [" class=\"edge", " class=\"node", " class=\"cluster"]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .unwrap_or(rest.len());
        for path in rest[..end].split("<path ").skip(1) {
            let attrs = format!(" {}", path.split('>').next().unwrap_or(""));
            if let Some(d) = attrs
                .split(" d=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            {
                edges.push(svg_path_polyline(d));
            }
        }
    }
    edges
}
