//! Crossing count between adjacent ranks as an inversion count with a
//! Fenwick tree: O(E log V) instead of comparing every pair of segments.

use super::normalize::LGraph;

#[derive(Default)]
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    /// Empties the tree and sizes it for `n` values, keeping its memory.
    fn reset(&mut self, n: usize) {
        self.tree.clear();
        self.tree.resize(n + 1, 0);
    }

    fn add(&mut self, i: usize) {
        let mut i = i + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// Number of inserted values <= i.
    fn prefix(&self, i: usize) -> u64 {
        let mut i = (i + 1).min(self.tree.len().saturating_sub(1));
        let mut s = 0;
        while i > 0 {
            s += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        s
    }
}

/// Total number of segment crossings for the positions `pos` (index of each
/// item in its layer). Border chains count too, so an edge crossing a box
/// side costs like any other crossing.
pub(super) fn count(lg: &LGraph, pos: &[usize]) -> u64 {
    let mut scratch = Scratch::default();
    (0..lg.layers.len().saturating_sub(1))
        .map(|r| between(lg, pos, r, &mut scratch))
        .sum()
}

/// Segment crossings between rank `r` and rank `r + 1` (for the checks of
/// debug builds).
#[cfg(debug_assertions)]
pub(super) fn count_between(lg: &LGraph, pos: &[usize], r: usize) -> u64 {
    between(lg, pos, r, &mut Scratch::default())
}

/// The memory [`between`] works in, kept from one pair of ranks to the
/// next.
#[derive(Default)]
struct Scratch {
    ends: Vec<usize>,
    fw: Fenwick,
}

fn between(lg: &LGraph, pos: &[usize], r: usize, scratch: &mut Scratch) -> u64 {
    let (Some(upper), Some(lower)) = (lg.layers.get(r), lg.layers.get(r + 1)) else {
        return 0;
    };
    let Scratch { ends, fw } = scratch;
    fw.reset(lower.len());
    let mut total = 0u64;
    let mut inserted = 0u64;
    for &u in upper {
        ends.clear();
        ends.extend(lg.down[u].iter().map(|&w| pos[w]));
        ends.sort_unstable();
        for &p in ends.iter() {
            total += inserted - fw.prefix(p);
        }
        for &p in ends.iter() {
            fw.add(p);
            inserted += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenwick_prefix() {
        let mut f = Fenwick::default();
        f.reset(5);
        for i in [0, 2, 2, 4] {
            f.add(i);
        }
        assert_eq!(f.prefix(0), 1);
        assert_eq!(f.prefix(2), 3);
        assert_eq!(f.prefix(4), 4);
    }
}
