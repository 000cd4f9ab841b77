//! Edge routing and the final coordinate transform.
//!
//! Routes are orthogonal. Within a row an edge runs straight along the
//! rank axis in its own column: the x of its dummy (which Brandes–Köpf
//! keeps apart from every other item) or of its own port on the side of
//! an end node that faces the edge's direction (ports are spread along
//! the side in the order of the edges' next columns). Where an edge
//! changes column it does so in the gap between two rows, on a track of
//! its own: [`plan`] gives every such jog a track, ordered so that jogs
//! cross only where their columns swap, and the gap grows to hold its
//! tracks ([`Plan::gaps`]). So no two edges share a line, and an edge
//! meets a box only where it enters or leaves it: gaps lie outside every
//! box that does not span both rows, rows hold items side by side, and the
//! ordering keeps an edge's dummies inside the boxes it passes through.
//! End points are clipped to the node outline. Edges reversed for ranking
//! are turned back.

use super::geom::{clip, clip_from, pt, round2};
use super::normalize::{Kind, LGraph};
use super::position::Rows;
use super::sanitize::Input;
use super::{Direction, EdgeRoute, Layout, Options, Point, Rect, Shape};

/// A layout in internal coordinates, before shifting and transposing.
pub(super) struct Internal {
    pub nodes: Vec<Rect>,
    pub clusters: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    /// Per input edge: the half gap of its pair (see [`Plan`]).
    pub pair_half: Vec<f64>,
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

/// Where every edge runs: the column of each item of its chain, and the
/// track of each jog between two rows.
pub(super) struct Plan {
    /// Per chain: the x of every item (ports for the end nodes).
    cols: Vec<Vec<f64>>,
    /// Per chain: for the step from item `i` to `i + 1`, the track of its
    /// jog in the gap below the upper item's rank, if it has one (a pair's
    /// jog: the first of its two tracks).
    jogs: Vec<Vec<Option<usize>>>,
    /// Per rank: how many tracks the gap below it holds.
    tracks: Vec<usize>,
    /// Distance between two tracks.
    step: f64,
    /// Per chain: how far each line of a pair runs from the chain's route
    /// (less than half the pair's gap where its ports are crowded).
    pair_half: Vec<f64>,
}

/// Widest spacing of the ports on one side of a node.
const PORT_STEP: f64 = 12.0;

/// Narrowest spacing of the ports on one side of a node: two flows that
/// meet a node side by side keep a gap a reader can see. A node with more
/// flows on one side than its side holds at this spacing is drawn wider
/// ([`make_room_for_ports`]).
const PORT_MIN: f64 = 5.0;

/// The middle part of a node's side that holds its ports.
fn port_share(shape: Shape) -> f64 {
    match shape {
        Shape::Ellipse => 0.45,
        Shape::Rect => 0.6,
    }
}

/// The edge ends on each side of every node, sorted by side: (node item,
/// below?) and the end ([`each_side`] walks them side by side).
fn port_sides(lg: &LGraph, xs: &[f64]) -> Vec<PortSide> {
    let mut sides: Vec<PortSide> = Vec::with_capacity(2 * lg.chains.len());
    for (i, chain) in lg.chains.iter().enumerate() {
        if chain.len() < 2 {
            continue;
        }
        let (s, t) = (chain[0], chain[chain.len() - 1]);
        if s == t {
            continue;
        }
        let (sn, tn) = (chain[1], chain[chain.len() - 2]);
        let x = |v: usize| xs.get(v).copied().unwrap_or(0.0);
        sides.push((
            (s, lg.items[sn].rank >= lg.items[s].rank),
            (x(sn), i, false),
        ));
        sides.push(((t, lg.items[tn].rank >= lg.items[t].rank), (x(tn), i, true)));
    }
    // By side, each side's ends in the order of the chains (a stable sort).
    sides.sort_by_key(|&(side, _)| side);
    sides
}

/// One edge end on a side of a node: (node item, whether the edge leaves
/// downwards), and the end.
type PortSide = ((usize, bool), PortEnd);

/// The ends of each side of [`port_sides`] in turn: the node item and
/// the side's ends.
fn each_side(sides: &[PortSide]) -> impl Iterator<Item = (usize, &[PortSide])> {
    sides
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| (group.first().map_or(0, |g| g.0 .0), group))
}

/// The slots each end of `list` takes on its side: two for a pair's end
/// (its two lines run either side of the port), one for any other.
fn slots(input: &Input, list: &[PortEnd]) -> Vec<f64> {
    list.iter().map(|e| slot(input, e)).collect()
}

/// The slots one end takes (see [`slots`]).
fn slot(input: &Input, end: &PortEnd) -> f64 {
    if input.edges.get(end.1).is_some_and(|e| e.paired) {
        2.0
    } else {
        1.0
    }
}

/// Widens every node whose busiest side has more edge ends than it holds
/// [`PORT_MIN`] apart, so that no two ends share a line.
pub(super) fn make_room_for_ports(input: &Input, lg: &mut LGraph) {
    let mut need: Vec<(usize, f64)> = Vec::new();
    let sides = port_sides(lg, &[]);
    for (v, side) in each_side(&sides) {
        let Some(item) = lg.items.get(v) else {
            continue;
        };
        let Kind::Node(n) = item.kind else {
            continue;
        };
        let Some(node) = input.nodes.get(n) else {
            continue;
        };
        let k: f64 = side.iter().map(|(_, e)| slot(input, e)).sum();
        let half = (k - 1.0) * PORT_MIN / 2.0 / port_share(node.shape);
        if half > item.left.max(item.right) {
            need.push((v, half));
        }
    }
    for (v, half) in need {
        let item = &mut lg.items[v];
        item.left = item.left.max(half);
        item.right = item.right.max(half);
    }
}

/// A jog smaller than this is drawn straight.
const JOG_MIN: f64 = 0.5;

impl Plan {
    /// The height each gap needs: its tracks `step` apart with a step to
    /// spare on either side.
    pub fn gaps(&self) -> Vec<f64> {
        self.tracks
            .iter()
            .map(|&t| {
                if t == 0 {
                    0.0
                } else {
                    (t + 1) as f64 * self.step
                }
            })
            .collect()
    }
}

/// Chooses ports, columns and tracks for every edge (see the module doc).
pub(super) fn plan(input: &Input, lg: &LGraph, xs: &[f64], opts: &Options) -> Plan {
    let step = opts.edge_sep * 2.0 / 3.0;
    let mut cols: Vec<Vec<f64>> = lg
        .chains
        .iter()
        .map(|c| c.iter().map(|&v| xs[v]).collect())
        .collect();
    let mut pair_half = vec![super::pairs::PAIR_GAP / 2.0; lg.chains.len()];
    assign_ports(input, lg, xs, &mut cols, &mut pair_half);
    // Jogs per gap: (chain, step index, upper x, lower x).
    let mut per_gap: Vec<Vec<(usize, usize, f64, f64)>> = vec![Vec::new(); lg.layers.len()];
    let mut jogs: Vec<Vec<Option<usize>>> = Vec::with_capacity(lg.chains.len());
    for (i, chain) in lg.chains.iter().enumerate() {
        jogs.push(vec![None; chain.len().saturating_sub(1)]);
        for k in 0..chain.len().saturating_sub(1) {
            let (u, v) = (chain[k], chain[k + 1]);
            let (ru, rv) = (lg.items[u].rank, lg.items[v].rank);
            let (a, b) = (cols[i][k], cols[i][k + 1]);
            if rv == ru + 1 && (a - b).abs() > JOG_MIN {
                per_gap[ru].push((i, k, a, b));
            }
        }
    }
    let mut tracks = vec![0usize; lg.layers.len()];
    for (r, list) in per_gap.iter().enumerate() {
        // A pair's jog takes two tracks and runs between them.
        let widths: Vec<usize> = list
            .iter()
            .map(|&(i, ..)| 1 + usize::from(input.edges.get(i).is_some_and(|e| e.paired)))
            .collect();
        let assigned = assign_tracks(list, &widths, step);
        tracks[r] = assigned
            .iter()
            .zip(&widths)
            .map(|(&t, &w)| t + w)
            .max()
            .unwrap_or(0);
        for (&(i, k, _, _), t) in list.iter().zip(assigned) {
            jogs[i][k] = Some(t);
        }
    }
    Plan {
        cols,
        jogs,
        tracks,
        step,
        pair_half,
    }
}

/// An edge end on one side of a node (keyed by node and "below?"): the
/// column of the edge's next item, the chain, and whether it is the last
/// item.
type PortEnd = (f64, usize, bool);

/// Gives every edge end its own point on the side of its node that faces
/// the edge (below for edges going down, above for edges coming from
/// above), in the order of the edges' next columns so that they do not
/// cross at the node; each as near the column of the edge's next item as
/// the side and the spacing allow, so that most edges run straight.
fn assign_ports(
    input: &Input,
    lg: &LGraph,
    xs: &[f64],
    cols: &mut [Vec<f64>],
    pair_half: &mut [f64],
) {
    let sides = port_sides(lg, xs);
    let mut list: Vec<PortEnd> = Vec::new();
    for (v, side) in each_side(&sides) {
        list.clear();
        list.extend(side.iter().map(|&(_, end)| end));
        let Kind::Node(n) = lg.items[v].kind else {
            continue;
        };
        let Some(node) = input.nodes.get(n) else {
            continue;
        };
        let share = port_share(node.shape);
        let width = lg.items[v].left + lg.items[v].right;
        let cx = xs[v];
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        // A pair's end takes two slots; its two lines run either side of
        // the port, at most a slot from each other.
        let slots = slots(input, &list);
        let k: f64 = slots.iter().sum();
        // A crowded side with a pair spreads its ports wider, up to most
        // of the side, so that they keep PORT_MIN apart.
        let most = match node.shape {
            Shape::Ellipse => 0.8,
            Shape::Rect => 0.9,
        };
        let spread = if slots.iter().any(|&w| w > 1.0) {
            (width * most / 2.0).min((k - 1.0) * PORT_MIN / 2.0)
        } else {
            0.0
        };
        let half = (width * share / 2.0).max(spread);
        let step = if k > 1.0 {
            PORT_STEP.min(2.0 * half / (k - 1.0))
        } else {
            PORT_STEP
        };
        for (e, &w) in list.iter().zip(&slots) {
            if w > 1.0 {
                if let Some(h) = pair_half.get_mut(e.1) {
                    *h = h.min(step / 2.0);
                }
            }
        }
        let sep = |j: usize| step * (slots[j - 1] + slots[j]) / 2.0;
        // An end whose flow runs straight on from the node's centre keeps
        // the centre: the side's ports may then reach further out, up to
        // most of the side, rather than push it aside (a jog of a few
        // pixels right at the node).
        let half = match list.iter().position(|e| (e.0 - cx).abs() < 0.5) {
            Some(c) if list.len() > 1 => {
                let before: f64 = (1..=c).map(sep).sum();
                let after: f64 = (c + 1..list.len()).map(sep).sum();
                let need = before.max(after);
                if need <= width * most / 2.0 {
                    half.max(need)
                } else {
                    half
                }
            }
            _ => half,
        };
        // Each port as near its edge's next column as the side and the
        // spacing allow: pushed right past its left neighbour, then back
        // left under its right neighbour and the end of the side.
        let (lo, hi) = (cx - half, cx + half);
        let mut room_after = vec![0.0; list.len()];
        for j in (0..list.len().saturating_sub(1)).rev() {
            room_after[j] = room_after[j + 1] + sep(j + 1);
        }
        // How far a pair's port keeps from the end of the side: its outer
        // line runs half a slot beyond it.
        let inset = |j: usize| (slots[j] - 1.0) * step / 2.0;
        let mut at: Vec<f64> = Vec::with_capacity(list.len());
        for (j, e) in list.iter().enumerate() {
            let min = at.last().map_or(lo + inset(j), |&p: &f64| p + sep(j));
            let max = hi - inset(j) - room_after[j];
            at.push(e.0.clamp(min, max.max(min)));
        }
        // A pair's outer line stays on the side: the last port keeps its
        // inset from the end of the part that holds ports at most, and the
        // others are pushed back under it.
        if let Some(last) = at.len().checked_sub(1) {
            at[last] = at[last].min(cx + width * most / 2.0 - inset(last));
        }
        for j in (0..at.len().saturating_sub(1)).rev() {
            at[j] = at[j].min(at[j + 1] - sep(j + 1));
        }
        for (&(_, i, last), &x) in list.iter().zip(&at) {
            if let Some(c) = cols.get_mut(i) {
                let idx = if last { c.len() - 1 } else { 0 };
                if let Some(slot) = c.get_mut(idx) {
                    *slot = x;
                }
            }
        }
    }
}

/// Tracks for the jogs of one gap, 0 nearest the upper row. Two jogs whose
/// spans come within `step` of each other get different tracks; the one
/// drawn above is the one that makes fewer crossings with the other
/// (a jog above another crosses it where its lower column falls in the
/// other's span, and where the other's upper column falls in its own),
/// chosen greedily where the preferences form a cycle. One preference is
/// kept even against crossings: a jog whose lower column comes within
/// [`PORT_MIN`] of another's upper column goes below that one, else the
/// two would run on one line between their tracks. Only where such jogs
/// pass their columns round does it give: two that swap columns keep the
/// soft preference, and a longer cycle is broken greedily. A jog takes
/// `widths[i]` tracks from the one it is given.
fn assign_tracks(jogs: &[(usize, usize, f64, f64)], widths: &[usize], step: f64) -> Vec<usize> {
    let n = jogs.len();
    // A pair's lines run either side of its columns: its span, and its
    // columns against another's span, count that much wider.
    let pad = |i: usize| {
        if widths.get(i).copied().unwrap_or(1) > 1 {
            super::pairs::PAIR_GAP / 2.0 + 2.0
        } else {
            0.0
        }
    };
    let span = |i: usize| {
        let (_, _, a, b) = jogs[i];
        (a.min(b) - pad(i), a.max(b) + pad(i))
    };
    let within = |x: f64, i: usize, x_pad: f64| {
        let (lo, hi) = span(i);
        x > lo - x_pad && x < hi + x_pad
    };
    // Conflicting pairs, found by a sweep over the spans sorted by start.
    let mut by_lo: Vec<usize> = (0..n).collect();
    by_lo.sort_by(|&i, &j| span(i).0.total_cmp(&span(j).0).then(i.cmp(&j)));
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); n];
    // above[i]: jogs that would rather be above i, with how much it saves.
    let mut pref_in: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut weight_in = vec![0usize; n];
    // below[i]: jogs that must be drawn below i; blockers[i]: how many
    // jogs i must be drawn below.
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut blockers = vec![0usize; n];
    for (x, &i) in by_lo.iter().enumerate() {
        let hi = span(i).1;
        for &j in &by_lo[x + 1..] {
            if span(j).0 >= hi + step {
                break;
            }
            near[i].push(j);
            near[j].push(i);
            let (_, _, ai, bi) = jogs[i];
            let (_, _, aj, bj) = jogs[j];
            let (pi, pj) = (pad(i), pad(j));
            // A pair is two lines: its crossings count twice.
            let w = widths.get(i).copied().unwrap_or(1) * widths.get(j).copied().unwrap_or(1);
            // Above the other, a jog runs in its lower column while the
            // other still runs in its upper one: where those two come
            // within a step, the two would share a line (worse than a
            // crossing, so it weighs two).
            let shared = |x: f64, y: f64| 2 * w * usize::from((x - y).abs() < step + pi + pj);
            let i_above = w * (usize::from(within(bi, j, pi)) + usize::from(within(aj, i, pj)))
                + shared(bi, aj);
            let j_above = w * (usize::from(within(bj, i, pj)) + usize::from(within(ai, j, pi)))
                + shared(bj, ai);
            // Where the two columns come within PORT_MIN, that order is
            // ruled out, unless both orders are.
            let meets = |x: f64, y: f64| (x - y).abs() < PORT_MIN + pi + pj;
            match (meets(bi, aj), meets(bj, ai)) {
                (true, false) => {
                    below[j].push(i);
                    blockers[i] += 1;
                }
                (false, true) => {
                    below[i].push(j);
                    blockers[j] += 1;
                }
                _ => {}
            }
            if i_above < j_above {
                pref_in[j].push((i, j_above - i_above));
                weight_in[j] += j_above - i_above;
            } else if j_above < i_above {
                pref_in[i].push((j, i_above - j_above));
                weight_in[i] += i_above - j_above;
            }
        }
    }
    // Greedy order: always the jog the fewest unplaced jogs want above,
    // among those no unplaced jog must be above (any, in a cycle).
    let mut out_pref: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (j, list) in pref_in.iter().enumerate() {
        for &(i, w) in list {
            out_pref[i].push((j, w));
        }
    }
    let mut ready: std::collections::BTreeSet<(usize, usize)> = (0..n)
        .filter(|&i| blockers[i] == 0)
        .map(|i| (weight_in[i], i))
        .collect();
    let mut placed = vec![false; n];
    let mut track = vec![0usize; n];
    // Only a cycle of jogs that must be below one another leaves none
    // ready while some are unplaced (rare: a scan is enough).
    let in_cycle = |placed: &[bool], weight_in: &[usize]| {
        (0..n)
            .filter(|&i| !placed[i])
            .map(|i| (weight_in[i], i))
            .min()
    };
    while let Some((_, i)) = ready.pop_first().or_else(|| in_cycle(&placed, &weight_in)) {
        placed[i] = true;
        track[i] = near[i]
            .iter()
            .filter(|&&j| placed[j] && j != i)
            .map(|&j| track[j] + widths.get(j).copied().unwrap_or(1))
            .max()
            .unwrap_or(0);
        for &(j, w) in &out_pref[i] {
            if !placed[j] {
                let was_ready = ready.remove(&(weight_in[j], j));
                weight_in[j] -= w;
                if was_ready {
                    ready.insert((weight_in[j], j));
                }
            }
        }
        for &j in &below[i] {
            blockers[j] = blockers[j].saturating_sub(1);
            if blockers[j] == 0 && !placed[j] {
                ready.insert((weight_in[j], j));
            }
        }
    }
    track
}

/// Builds node, cluster and edge geometry in internal coordinates.
pub(super) fn assemble(
    input: &Input,
    lg: &LGraph,
    rows: &Rows,
    xs: &[f64],
    reversed: &[bool],
    plan: &Plan,
    opts: &Options,
) -> Internal {
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
    let mut pair_half = vec![super::pairs::PAIR_GAP / 2.0; input.edge_count];
    for (i, e) in input.edges.iter().enumerate() {
        let chain = &lg.chains[i];
        let mut pts = polyline(lg, rows, plan, i, chain, e.paired);
        let label = chain.iter().find_map(|&v| match lg.items[v].kind {
            Kind::Label(ei) => Some(label_rect(input, lg, rows, xs, v, ei, opts)),
            _ => None,
        });
        let (s, t) = (chain[0], chain[chain.len() - 1]);
        clip_ends(&mut pts, input, &nodes, s, t);
        if reversed[i] {
            pts.reverse();
        }
        if let Some(slot) = edges.get_mut(e.id) {
            *slot = EdgeRoute { points: pts, label };
        }
        if let (Some(slot), Some(&h)) = (pair_half.get_mut(e.id), plan.pair_half.get(i)) {
            *slot = h;
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
        pair_half,
    }
}

/// The orthogonal polyline of chain `i`, from the centre row of its first
/// item to that of its last, with no collinear interior points.
fn polyline(
    lg: &LGraph,
    rows: &Rows,
    plan: &Plan,
    i: usize,
    chain: &[usize],
    paired: bool,
) -> Vec<Point> {
    let (Some(cols), Some(jogs)) = (plan.cols.get(i), plan.jogs.get(i)) else {
        return Vec::new();
    };
    let y = |v: usize| rows.center[lg.items[v].rank];
    let mut pts: Vec<Point> = Vec::with_capacity(chain.len() + 4);
    for (k, &v) in chain.iter().enumerate() {
        let x = cols.get(k).copied().unwrap_or(0.0);
        if k > 0 {
            if let Some(Some(t)) = jogs.get(k - 1) {
                let r = lg.items[chain[k - 1]].rank;
                let top = rows.row_bottom(r);
                let gap = rows.row_top(r + 1) - top;
                let n = plan.tracks.get(r).copied().unwrap_or(1).max(1) as f64;
                let mid = if paired { 0.5 } else { 0.0 };
                let ty = top + gap * (*t as f64 + 1.0 + mid) / (n + 1.0);
                let px = cols.get(k - 1).copied().unwrap_or(x);
                pts.push(pt(px, ty));
                pts.push(pt(x, ty));
            }
        }
        pts.push(pt(x, y(v)));
    }
    simplify(&mut pts);
    pts
}

/// Drops repeated points and interior points on a straight line.
fn simplify(pts: &mut Vec<Point>) {
    pts.dedup_by(|p, q| (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9);
    if pts.len() < 3 {
        return;
    }
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for &p in pts.iter() {
        while out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.x - a.x) * (p.y - b.y) - (b.y - a.y) * (p.x - b.x);
            let along = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() < 1e-6 && along >= 0.0 {
                out.pop();
            } else {
                break;
            }
        }
        out.push(p);
    }
    *pts = out;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::testgen::XorShift;

    /// Jogs of one gap with upper columns 12 apart (as the upper row keeps
    /// its items), lower columns 12 apart, and some lower columns within a
    /// pixel or two of an upper one.
    fn random_gap(rng: &mut XorShift, n: usize) -> Vec<(usize, usize, f64, f64)> {
        let mut upper: Vec<f64> = (0..n).map(|k| 12.0 * k as f64).collect();
        let mut lower: Vec<f64> = (0..n)
            .map(|k| {
                let off = if rng.chance(0.3) { 0.0 } else { 6.0 };
                12.0 * k as f64 + off + rng.below(5) as f64 * 0.5
            })
            .collect();
        for cols in [&mut upper, &mut lower] {
            for k in (1..n).rev() {
                cols.swap(k, rng.below(k + 1));
            }
        }
        (0..n).map(|i| (i, 0, upper[i], lower[i])).collect()
    }

    #[test]
    fn a_jog_never_runs_on_the_line_of_a_jog_drawn_below_it() {
        let step = 20.0 / 3.0;
        let mut checked = 0;
        for seed in 0..300 {
            let mut rng = XorShift::new(seed);
            let n = 3 + rng.below(10);
            let jogs: Vec<_> = random_gap(&mut rng, n)
                .into_iter()
                .filter(|&(_, _, a, b)| (a - b).abs() > JOG_MIN)
                .collect();
            let widths = vec![1; jogs.len()];
            let track = assign_tracks(&jogs, &widths, step);
            // "i must be below j": i's lower column meets j's upper one.
            let must_below = |i: usize, j: usize| {
                let ((_, _, ai, bi), (_, _, aj, bj)) = (jogs[i], jogs[j]);
                i != j && (bi - aj).abs() < PORT_MIN && (bj - ai).abs() >= PORT_MIN
            };
            if has_cycle(jogs.len(), must_below) {
                continue;
            }
            for (i, &(_, _, ai, bi)) in jogs.iter().enumerate() {
                for (j, &(_, _, aj, bj)) in jogs.iter().enumerate() {
                    let (lo_i, hi_i) = (ai.min(bi), ai.max(bi));
                    let (lo_j, hi_j) = (aj.min(bj), aj.max(bj));
                    let near = lo_j < hi_i + step && lo_i < hi_j + step;
                    if i == j || !near {
                        continue;
                    }
                    assert_ne!(track[i], track[j], "seed {seed}: near jogs {i}, {j}");
                    // Were i above j, i would run down its lower column
                    // from its track while j still runs in its upper one.
                    if must_below(i, j) {
                        assert!(
                            track[i] > track[j],
                            "seed {seed}: jog {i} above {j} shares its line: {jogs:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} pairs could share a line");
    }

    /// Whether the relation `edge` on `0..n` has a cycle (Kahn's method).
    fn has_cycle(n: usize, edge: impl Fn(usize, usize) -> bool) -> bool {
        let mut indegree: Vec<usize> = (0..n)
            .map(|j| (0..n).filter(|&i| edge(i, j)).count())
            .collect();
        let mut free: Vec<usize> = (0..n).filter(|&j| indegree[j] == 0).collect();
        let mut seen = 0;
        while let Some(i) = free.pop() {
            seen += 1;
            for (j, d) in indegree.iter_mut().enumerate() {
                if edge(i, j) {
                    *d -= 1;
                    if *d == 0 {
                        free.push(j);
                    }
                }
            }
        }
        seen < n
    }
}
