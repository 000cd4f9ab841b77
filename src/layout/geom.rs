//! Small geometry helpers: outline clipping, segment tests, rounding.

use super::{Point, Rect, Shape};

pub(super) fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}

/// Where the ray from the centre of a `w` x `h` shape at `c` towards `p`
/// leaves the outline. A zero-length direction points down.
pub(super) fn clip(shape: Shape, c: Point, w: f64, h: f64, p: Point) -> Point {
    let (mut dx, mut dy) = (p.x - c.x, p.y - c.y);
    if dx.abs() < 1e-12 && dy.abs() < 1e-12 {
        dx = 0.0;
        dy = 1.0;
    }
    let (a, b) = (w / 2.0, h / 2.0);
    let t = match shape {
        Shape::Rect => {
            let tx = if dx.abs() > 1e-12 {
                a / dx.abs()
            } else {
                f64::INFINITY
            };
            let ty = if dy.abs() > 1e-12 {
                b / dy.abs()
            } else {
                f64::INFINITY
            };
            tx.min(ty)
        }
        Shape::Ellipse => {
            if a <= 0.0 || b <= 0.0 {
                0.0
            } else {
                1.0 / ((dx / a).powi(2) + (dy / b).powi(2)).sqrt()
            }
        }
    };
    let t = if t.is_finite() { t } else { 0.0 };
    pt(c.x + dx * t, c.y + dy * t)
}

/// Where the ray from `q` (inside the shape filling `r`) towards `p`
/// leaves the outline. Falls back to [`clip`] from the centre when `q` is
/// not inside or `p` equals `q`.
pub(super) fn clip_from(shape: Shape, r: &Rect, q: Point, p: Point) -> Point {
    let c = pt(r.x + r.width / 2.0, r.y + r.height / 2.0);
    let (a, b) = (r.width / 2.0, r.height / 2.0);
    let (dx, dy) = (p.x - q.x, p.y - q.y);
    let (ux, uy) = (q.x - c.x, q.y - c.y);
    let inside = match shape {
        Shape::Rect => ux.abs() <= a && uy.abs() <= b,
        Shape::Ellipse => a > 0.0 && b > 0.0 && (ux / a).powi(2) + (uy / b).powi(2) <= 1.0,
    };
    if !inside || (dx.abs() < 1e-12 && dy.abs() < 1e-12) {
        return clip(shape, c, r.width, r.height, p);
    }
    let t = match shape {
        Shape::Rect => {
            let axis = |d: f64, u: f64, half: f64| {
                if d > 1e-12 {
                    (half - u) / d
                } else if d < -1e-12 {
                    (-half - u) / d
                } else {
                    f64::INFINITY
                }
            };
            axis(dx, ux, a).min(axis(dy, uy, b))
        }
        Shape::Ellipse => {
            let qa = (dx / a).powi(2) + (dy / b).powi(2);
            let qb = 2.0 * (ux * dx / (a * a) + uy * dy / (b * b));
            let qc = (ux / a).powi(2) + (uy / b).powi(2) - 1.0;
            let disc = (qb * qb - 4.0 * qa * qc).max(0.0);
            (-qb + disc.sqrt()) / (2.0 * qa)
        }
    };
    if !t.is_finite() {
        return clip(shape, c, r.width, r.height, p);
    }
    pt(q.x + dx * t, q.y + dy * t)
}

/// Distance from `p` to the outline of the shape (0 on it).
pub(super) fn outline_distance(shape: Shape, r: &Rect, p: Point) -> f64 {
    let c = pt(r.x + r.width / 2.0, r.y + r.height / 2.0);
    let q = clip(shape, c, r.width, r.height, p);
    // Radial distance: exact on the outline, close to it nearby.
    ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt()
}

/// Does segment `p`-`q` pass through the interior of `r` shrunk by `eps`?
pub(super) fn segment_hits_rect(p: Point, q: Point, r: &Rect, eps: f64) -> bool {
    let (x0, y0) = (r.x + eps, r.y + eps);
    let (x1, y1) = (r.x + r.width - eps, r.y + r.height - eps);
    if x1 <= x0 || y1 <= y0 {
        return false;
    }
    // Liang-Barsky clipping.
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (pk, qk) in [
        (-dx, p.x - x0),
        (dx, x1 - p.x),
        (-dy, p.y - y0),
        (dy, y1 - p.y),
    ] {
        if pk.abs() < 1e-12 {
            if qk < 0.0 {
                return false;
            }
        } else {
            let t = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

/// Do segments `a`-`b` and `c`-`d` cross properly (not just touch)?
pub(super) fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let orient =
        |p: Point, q: Point, r: Point| (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    let eps = 1e-9;
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    ((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps))
        && ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps))
}

/// Do two rectangles overlap by more than `eps`?
pub(super) fn rects_overlap(a: &Rect, b: &Rect, eps: f64) -> bool {
    a.x + a.width - eps > b.x
        && b.x + b.width - eps > a.x
        && a.y + a.height - eps > b.y
        && b.y + b.height - eps > a.y
}

/// Is `inner` inside `outer` with at least `margin` to spare?
pub(super) fn rect_inside(inner: &Rect, outer: &Rect, margin: f64) -> bool {
    inner.x >= outer.x + margin
        && inner.y >= outer.y + margin
        && inner.x + inner.width <= outer.x + outer.width - margin
        && inner.y + inner.height <= outer.y + outer.height - margin
}

/// Rounds to 0.01 and clears negative zero.
pub(super) fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_rect_and_ellipse() {
        let c = pt(0.0, 0.0);
        let p = clip(Shape::Rect, c, 20.0, 10.0, pt(100.0, 0.0));
        assert!((p.x - 10.0).abs() < 1e-9 && p.y.abs() < 1e-9);
        let p = clip(Shape::Rect, c, 20.0, 10.0, pt(0.0, 50.0));
        assert!((p.y - 5.0).abs() < 1e-9);
        let p = clip(Shape::Ellipse, c, 20.0, 10.0, pt(30.0, 30.0));
        assert!(((p.x / 10.0).powi(2) + (p.y / 5.0).powi(2) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn clip_from_an_inner_point() {
        let r = Rect {
            x: -10.0,
            y: -5.0,
            width: 20.0,
            height: 10.0,
        };
        let p = clip_from(Shape::Rect, &r, pt(4.0, 0.0), pt(4.0, 50.0));
        assert!((p.x - 4.0).abs() < 1e-9 && (p.y - 5.0).abs() < 1e-9);
        let p = clip_from(Shape::Ellipse, &r, pt(4.0, 0.0), pt(30.0, 30.0));
        assert!(outline_distance(Shape::Ellipse, &r, p) < 1e-6);
        assert!(p.x > 4.0 && p.y > 0.0);
        // Not inside: from the centre.
        let p = clip_from(Shape::Rect, &r, pt(40.0, 0.0), pt(100.0, 0.0));
        assert!((p.x - 10.0).abs() < 1e-9);
    }

    #[test]
    fn segment_rect() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        assert!(segment_hits_rect(pt(-5.0, 5.0), pt(15.0, 5.0), &r, 0.1));
        assert!(!segment_hits_rect(pt(-5.0, 15.0), pt(15.0, 15.0), &r, 0.1));
        assert!(!segment_hits_rect(pt(10.0, 0.0), pt(20.0, -10.0), &r, 0.1));
    }

    #[test]
    fn crossing_segments() {
        assert!(segments_cross(
            pt(0.0, 0.0),
            pt(10.0, 10.0),
            pt(0.0, 10.0),
            pt(10.0, 0.0)
        ));
        assert!(!segments_cross(
            pt(0.0, 0.0),
            pt(10.0, 10.0),
            pt(10.0, 10.0),
            pt(20.0, 0.0)
        ));
    }
}
