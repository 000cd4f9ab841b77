//! Vertical placement. Every rank is a row as tall as its tallest item;
//! rows are `rank_sep / 2` apart (real nodes are two ranks apart because of
//! the label rank, so they end up `rank_sep` apart). A cluster's box runs
//! from its top row (tall enough for the label in top-down layouts) to its
//! bottom row; the rows the label overlaps reserve its width next to the
//! box's left border (used by [`super::bk`]).

use super::normalize::LGraph;
use super::sanitize::Input;
use super::{Direction, Options};

/// Row geometry and cluster box extents in internal coordinates.
#[derive(Debug, Clone)]
pub(super) struct Rows {
    pub center: Vec<f64>,
    pub height: Vec<f64>,
    pub box_top: Vec<f64>,
    pub box_bottom: Vec<f64>,
    /// Label rectangle offset/size per cluster: (width, height) internal.
    pub label: Vec<(f64, f64)>,
    /// Last rank whose row overlaps the cluster label (label reserved up to
    /// and including it).
    pub label_last: Vec<usize>,
}

impl Rows {
    /// Extra room to reserve after the left border of `c` on rank `r`.
    pub fn extra(&self, c: usize, r: usize) -> f64 {
        match self.label.get(c) {
            Some(&(w, h)) if (w > 0.0 || h > 0.0) && r <= self.label_last[c] => w,
            _ => 0.0,
        }
    }

    pub fn row_top(&self, r: usize) -> f64 {
        self.center[r] - self.height[r] / 2.0
    }

    pub fn row_bottom(&self, r: usize) -> f64 {
        self.center[r] + self.height[r] / 2.0
    }
}

/// Computes the rows and cluster box tops/bottoms. `gaps[r]`, where
/// given, is the height the gap below rank `r` needs (for the tracks of
/// the edges that change column there); it is never less than
/// `rank_sep / 2`.
pub(super) fn rows(lg: &LGraph, input: &Input, opts: &Options, gaps: &[f64]) -> Rows {
    let nr = lg.layers.len();
    let nc = lg.top.len();
    let pad = opts.cluster_pad;
    let gap = opts.rank_sep / 2.0;
    let td = input.direction == Direction::TopDown;
    let label = input.cluster_label.clone();
    // Height the top border row needs.
    let top_h: Vec<f64> = label
        .iter()
        .map(|&(_, h)| if td && h > 0.0 { h + pad } else { pad })
        .collect();

    let mut height = vec![0.0f64; nr];
    for (r, layer) in lg.layers.iter().enumerate() {
        for &v in layer {
            height[r] = height[r].max(lg.items[v].height);
        }
    }
    // Items inside a cluster on its top or bottom row (edges entering or
    // leaving it) need the box to reach around them.
    let mut inner_top = vec![0.0f64; nc];
    let mut inner_bottom = vec![0.0f64; nc];
    for it in &lg.items {
        if let (Some(c), false) = (it.cluster, it.kind.is_border()) {
            if it.rank == lg.top[c] {
                inner_top[c] = inner_top[c].max(it.height + pad);
            }
            if it.rank == lg.bottom[c] {
                inner_bottom[c] = inner_bottom[c].max(it.height + pad);
            }
        }
    }
    let top_h: Vec<f64> = top_h
        .iter()
        .zip(&inner_top)
        .map(|(a, b)| a.max(*b))
        .collect();
    let bottom_h: Vec<f64> = inner_bottom.iter().map(|b| b.max(pad)).collect();
    let mut tops_at = vec![Vec::new(); nr];
    let mut bottoms_at = vec![Vec::new(); nr];
    for c in 0..nc {
        height[lg.top[c]] = height[lg.top[c]].max(top_h[c]);
        height[lg.bottom[c]] = height[lg.bottom[c]].max(bottom_h[c]);
        tops_at[lg.top[c]].push(c);
        bottoms_at[lg.bottom[c]].push(c);
    }

    let mut center = vec![0.0f64; nr];
    let mut box_top = vec![0.0f64; nc];
    let mut box_bottom = vec![0.0f64; nc];
    let mut prev: Option<usize> = None;
    for r in 0..nr {
        if lg.layers[r].is_empty() {
            center[r] = prev.map_or(0.0, |p| center[p] + height[p] / 2.0);
            continue;
        }
        let mut y = match prev {
            None => height[r] / 2.0,
            Some(p) => {
                let g = gaps.get(p).copied().unwrap_or(0.0).max(gap);
                center[p] + height[p] / 2.0 + g + height[r] / 2.0
            }
        };
        // The box must be tall enough for its label (matters left-right).
        for &c in &bottoms_at[r] {
            let need = box_top[c] + label[c].1 + pad - bottom_h[c] / 2.0;
            y = y.max(need);
        }
        center[r] = y;
        for &c in &tops_at[r] {
            box_top[c] = y - top_h[c] / 2.0;
        }
        for &c in &bottoms_at[r] {
            box_bottom[c] = y + bottom_h[c] / 2.0;
        }
        prev = Some(r);
    }

    let mut label_last = vec![0usize; nc];
    for c in 0..nc {
        let (lo, hi) = (box_top[c] + pad / 2.0, box_top[c] + pad / 2.0 + label[c].1);
        label_last[c] = lg.top[c];
        for r in lg.top[c]..=lg.bottom[c] {
            let (a, b) = (center[r] - height[r] / 2.0, center[r] + height[r] / 2.0);
            if a < hi && b > lo {
                label_last[c] = r;
            }
        }
    }
    Rows {
        center,
        height,
        box_top,
        box_bottom,
        label,
        label_last,
    }
}
