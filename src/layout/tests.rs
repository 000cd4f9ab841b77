//! End-to-end tests: hard rules on hand-made and random graphs,
//! determinism, malformed input.

use super::testgen::{acme, random_graph};
use super::*;

fn node(cluster: Option<usize>) -> Node {
    Node {
        width: 80.0,
        height: 40.0,
        shape: Shape::Rect,
        cluster,
    }
}

fn edge(s: usize, t: usize, label: bool) -> Edge {
    Edge {
        source: s,
        target: t,
        label_width: if label { 50.0 } else { 0.0 },
        label_height: if label { 14.0 } else { 0.0 },
        response_to: None,
    }
}

fn cluster(parent: Option<usize>) -> Cluster {
    Cluster {
        parent,
        label_width: 60.0,
        label_height: 14.0,
    }
}

fn assert_good(g: &Graph) -> Layout {
    let opts = Options::default();
    let l = layout(g, &opts);
    let bad = check(g, &l, &opts);
    assert!(bad.is_empty(), "violations: {bad:#?}");
    l
}

#[test]
fn empty_graph() {
    let g = Graph {
        nodes: vec![],
        clusters: vec![],
        edges: vec![],
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    assert!(l.width > 0.0 && l.degraded.is_none());
}

#[test]
fn request_response_pair_is_separated() {
    let g = Graph {
        nodes: vec![node(None), node(None)],
        clusters: vec![],
        edges: vec![edge(0, 1, true), edge(1, 0, true), edge(0, 1, false)],
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    // Each edge in its own direction, none on top of another.
    let a = &l.edges[0].points;
    let b = &l.edges[1].points;
    assert!(a[0].y < a[a.len() - 1].y);
    assert!(b[0].y > b[b.len() - 1].y);
    assert_ne!(a[1], b[b.len() - 2]);
    assert_eq!(quality(&g, &l).crossings, 0);
}

#[test]
fn clusters_empty_and_cluster_only() {
    let g = Graph {
        nodes: vec![node(None), node(Some(2)), node(Some(2))],
        clusters: vec![
            cluster(None),
            cluster(None),
            cluster(Some(1)),
            cluster(Some(1)),
        ],
        edges: vec![edge(0, 1, true), edge(1, 2, false)],
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    assert!(l.clusters[0].width >= 60.0);
}

#[test]
fn acme_both_directions() {
    let mut g = acme();
    assert_good(&g);
    g.direction = Direction::TopDown;
    assert_good(&g);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 64;
    let clusters: Vec<Cluster> = (0..depth)
        .map(|c| cluster(if c == 0 { None } else { Some(c - 1) }))
        .collect();
    let nodes = vec![node(Some(depth - 1)), node(Some(depth / 2)), node(None)];
    let g = Graph {
        nodes,
        clusters,
        edges: vec![edge(0, 1, true), edge(1, 2, true), edge(2, 0, false)],
        direction: Direction::LeftRight,
    };
    assert_good(&g);
}

#[test]
fn malformed_input_degrades() {
    let g = Graph {
        nodes: vec![
            node(Some(7)),
            Node {
                width: f64::NAN,
                height: -3.0,
                shape: Shape::Ellipse,
                cluster: Some(0),
            },
            node(Some(1)),
        ],
        clusters: vec![cluster(Some(1)), cluster(Some(0)), cluster(Some(99))],
        edges: vec![
            edge(0, 5, false),
            edge(9, 1, true),
            edge(1, 1, false),
            edge(0, 2, true),
        ],
        direction: Direction::TopDown,
    };
    let l = layout(&g, &Options::default());
    assert!(l.degraded.is_some());
    assert_eq!(l.edges.len(), 4);
    assert!(l.edges[0].points.is_empty() && l.edges[1].points.is_empty());
    assert!(!l.edges[2].points.is_empty(), "self-loop gets a small loop");
    assert!(l.nodes.iter().all(|r| r.x.is_finite() && r.width >= 0.0));
}

#[test]
fn bad_options_degrade() {
    let g = acme();
    let opts = Options {
        node_sep: f64::INFINITY,
        rank_sep: -1.0,
        ..Options::default()
    };
    let l = layout(&g, &opts);
    assert!(l.degraded.is_some());
    assert!(check(&g, &l, &Options::default()).is_empty());
}

#[test]
fn random_graphs_satisfy_rules() {
    for &n in &[5usize, 9, 16, 30, 60, 120, 200] {
        for seed in 0..16u64 {
            let g = random_graph(seed * 7919 + n as u64, n);
            let opts = Options::default();
            let l = layout(&g, &opts);
            let bad = check(&g, &l, &opts);
            assert!(bad.is_empty(), "seed {seed} n {n}: {bad:#?}");
            assert!(l.degraded.is_none(), "seed {seed} n {n}: {:?}", l.degraded);
        }
    }
}

#[test]
fn random_graphs_keep_every_edge_on_its_own_track() {
    // Orthogonal routes: within a row an edge keeps its own column, and
    // between rows it changes column on a track of its own, below any jog
    // that leaves the column it moves into (seed 4, 200 nodes, left-right
    // shared 854 px when that was only a preference).
    for (seed, n, direction, g, l) in random_layouts_both_ways(&[16, 60, 200], 6) {
        let q = quality(&g, &l);
        assert!(
            q.shared_length == 0.0,
            "seed {seed} n {n} {direction:?}: {:.1} of {:.1} px shared",
            q.shared_length,
            q.edge_length
        );
    }
}

/// The random graph of each size and seed, laid out top-down and
/// left-right: (seed, size, direction, graph, layout).
fn random_layouts_both_ways(
    sizes: &[usize],
    seeds: u64,
) -> Vec<(u64, usize, Direction, Graph, Layout)> {
    let mut out = Vec::new();
    for &n in sizes {
        for seed in 0..seeds {
            let g = random_graph(seed * 7919 + n as u64, n);
            for direction in [Direction::TopDown, Direction::LeftRight] {
                let g = Graph {
                    direction,
                    ..g.clone()
                };
                let l = layout(&g, &Options::default());
                out.push((seed, n, direction, g, l));
            }
        }
    }
    out
}

#[test]
fn large_random_graphs_satisfy_rules() {
    for seed in 0..6u64 {
        let g = random_graph(seed * 7919 + 300, 300);
        let opts = Options::default();
        let l = layout(&g, &opts);
        let bad = check(&g, &l, &opts);
        assert!(bad.is_empty(), "seed {seed}: {bad:#?}");
    }
}

#[test]
fn deterministic() {
    for seed in 0..5u64 {
        let g = random_graph(seed, 80);
        let a = layout(&g, &Options::default());
        let b = layout(&g.clone(), &Options::default());
        assert_eq!(a, b);
    }
}

#[test]
fn coordinates_are_rounded() {
    let g = random_graph(3, 40);
    let l = layout(&g, &Options::default());
    let ok = |v: f64| ((v * 100.0).round() - v * 100.0).abs() < 1e-6;
    for r in l.nodes.iter().chain(&l.clusters) {
        assert!(ok(r.x) && ok(r.y) && ok(r.width) && ok(r.height));
    }
    for e in &l.edges {
        assert!(e.points.iter().all(|p| ok(p.x) && ok(p.y)));
    }
}

#[test]
fn print_quality() {
    let opts = Options::default();
    for (name, g) in [
        ("acme", acme()),
        ("random-60", random_graph(1, 60)),
        ("random-200", random_graph(2, 200)),
    ] {
        let l = layout(&g, &opts);
        println!("{name}: {:?}", quality(&g, &l));
    }
}

#[test]
fn a_box_stays_narrow_around_a_fan_of_edges() {
    // One node in a box with flows to eight nodes outside: the box hugs
    // the node instead of spanning the fan.
    let mut nodes = vec![node(Some(0))];
    nodes.extend((0..8).map(|_| node(None)));
    let g = Graph {
        nodes,
        clusters: vec![cluster(None)],
        edges: (1..9).map(|t| edge(0, t, false)).collect(),
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    let fan = l.nodes[8].x + l.nodes[8].width - l.nodes[1].x;
    assert!(fan > 600.0, "{fan}");
    assert!(l.clusters[0].width < 250.0, "box {:?}", l.clusters[0]);
}

#[test]
fn edges_into_one_side_get_their_own_ports() {
    // Three edges between the same two nodes run side by side a few pixels
    // apart; where they meet node 1 their ends are spread along the node
    // rather than converging on its centre.
    let g = Graph {
        nodes: vec![node(None), node(None)],
        clusters: vec![],
        edges: vec![edge(0, 1, false), edge(0, 1, false), edge(1, 0, false)],
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    let top = l.nodes[1].y;
    let mut xs: Vec<f64> = l
        .edges
        .iter()
        .flat_map(|e| [e.points.first(), e.points.last()])
        .flatten()
        .filter(|p| (p.y - top).abs() < 0.5)
        .map(|p| p.x)
        .collect();
    assert_eq!(xs.len(), 3);
    xs.sort_by(f64::total_cmp);
    // The opposite edge is drawn as a pair with the first: its two lines
    // keep the pair's gap, every other end its port's distance.
    for w in xs.windows(2) {
        assert!(
            w[1] - w[0] >= pairs::PAIR_GAP - 0.01,
            "ends too close: {xs:?}"
        );
    }
}

#[test]
fn grid_crossing_count_matches_the_quadratic_one() {
    // The pair check's crossing count (through a grid of cells) is the
    // one quality() reports.
    for seed in 0..6 {
        let g = random_graph(seed * 31 + 5, 60);
        let l = layout(&g, &Options::default());
        assert_eq!(
            quality::crossing_pairs(&g, &l),
            quality(&g, &l).crossing_pairs,
            "seed {seed}"
        );
    }
}

#[test]
fn pairs_never_cost_crossings_or_boundary_passes() {
    // With pairs, no more crossing pairs and no more passes through
    // foreign boundaries than with every edge on its own route.
    for seed in 0..6 {
        let g = random_graph(seed * 17 + 3, 50);
        let opts = Options::default();
        let with = quality(&g, &layout(&g, &opts));
        let single = quality(
            &g,
            &layout_edges(&g, &[], None, &opts, Fold::None, &mut Memo::default()).0,
        );
        assert!(with.crossing_pairs <= single.crossing_pairs, "seed {seed}");
        assert!(
            with.edges_through_clusters <= single.edges_through_clusters,
            "seed {seed}"
        );
    }
}

/// A hub with more flows on one side than its side holds at the normal
/// spacing: it is drawn wider, so every flow meets it at its own point a
/// visible gap from the next, and no two flows share a line.
#[test]
fn a_busy_node_grows_so_its_flows_keep_apart() {
    for direction in [Direction::TopDown, Direction::LeftRight] {
        let n = 40;
        let mut nodes = vec![node(None)];
        nodes.extend((0..n).map(|_| node(None)));
        let edges = (1..=n).map(|t| edge(0, t, false)).collect();
        let g = Graph {
            nodes,
            clusters: vec![],
            edges,
            direction,
        };
        let l = assert_good(&g);
        let q = quality(&g, &l);
        assert_eq!(q.shared_length, 0.0, "{direction:?}");
        // The ends at the hub, along its side.
        let mut at: Vec<f64> = l
            .edges
            .iter()
            .filter_map(|e| e.points.first())
            .map(|p| match direction {
                Direction::TopDown => p.x,
                Direction::LeftRight => p.y,
            })
            .collect();
        at.sort_by(f64::total_cmp);
        let closest = at.windows(2).map(|w| w[1] - w[0]).fold(f64::MAX, f64::min);
        assert!(closest >= 4.9, "{direction:?}: ends {closest} px apart");
        let hub = l.nodes[0];
        let side = match direction {
            Direction::TopDown => hub.width,
            Direction::LeftRight => hub.height,
        };
        assert!(side > 80.0, "{direction:?}: the hub kept its width");
    }
}

/// `layout_auto` keeps the direction whose drawing is nearer 4:3
/// landscape (when neither has clearly fewer crossings), lays out as
/// `layout` does in that direction, and prefers top-down on a tie.
#[test]
fn auto_direction_picks_the_shape_nearer_the_page() {
    let opts = Options::default();
    let far = |l: &Layout| ((l.width / l.height).ln() - PAGE_ASPECT.ln()).abs();
    // A chain: one direction gives a tall strip, the other a wide one.
    let chain = Graph {
        nodes: (0..6).map(|_| node(None)).collect(),
        clusters: vec![],
        edges: (0..5).map(|i| edge(i, i + 1, true)).collect(),
        direction: Direction::TopDown,
    };
    // A fan: one node to many, wide top-down, tall left-right.
    let fan = Graph {
        nodes: (0..9).map(|_| node(None)).collect(),
        clusters: vec![],
        edges: (1..9).map(|i| edge(0, i, true)).collect(),
        direction: Direction::LeftRight,
    };
    for g in [&chain, &fan, &acme()] {
        let (d, l) = layout_auto(g, &opts);
        let mut td = g.clone();
        td.direction = Direction::TopDown;
        let mut lr = g.clone();
        lr.direction = Direction::LeftRight;
        let (a, b) = (layout(&td, &opts), layout(&lr, &opts));
        let (ca, cb) = (
            quality(&td, &a).crossing_pairs,
            quality(&lr, &b).crossing_pairs,
        );
        let want = if far(&b) < far(&a) {
            Direction::LeftRight
        } else {
            Direction::TopDown
        };
        // These graphs draw about as many crossings either way: the shape
        // decides.
        assert!(ca.abs_diff(cb) <= 2, "{ca} / {cb} crossing pairs");
        assert_eq!(d, want);
        assert_eq!(l, if d == Direction::TopDown { a } else { b });
        // Deterministic, whatever the graph's own direction.
        assert_eq!(layout_auto(&td, &opts), layout_auto(&lr, &opts));
    }
    // A tie (one square node: both drawings alike) is top-down.
    let square = Graph {
        nodes: vec![Node {
            width: 40.0,
            height: 40.0,
            shape: Shape::Rect,
            cluster: None,
        }],
        clusters: vec![],
        edges: vec![],
        direction: Direction::LeftRight,
    };
    assert_eq!(layout_auto(&square, &opts).0, Direction::TopDown);
    // An empty graph too.
    let empty = Graph {
        nodes: vec![],
        clusters: vec![],
        edges: vec![],
        direction: Direction::LeftRight,
    };
    assert_eq!(layout_auto(&empty, &opts).0, Direction::TopDown);
}

/// A chain of fans drawn left-right is a strip far wider than 3:1 as laid
/// out with the default spacing; from 10 nodes the layout spreads each
/// rank until the strip is within 3:1, with the same crossings. Below 10
/// nodes nothing changes.
#[test]
fn long_drawings_are_balanced_by_spacing() {
    let opts = Options::default();
    // Ranks of one and three nodes: 0 -> {1, 2, 3} -> 4 -> {5, 6, 7} ...
    let mut edges = Vec::new();
    let mut hub = 0;
    for _ in 0..4 {
        let next = hub + 4;
        for v in hub + 1..next {
            edges.extend([edge(hub, v, true), edge(v, next, false)]);
        }
        hub = next;
    }
    let nodes = hub;
    let g = Graph {
        nodes: (0..=nodes).map(|_| node(None)).collect(),
        clusters: vec![],
        edges,
        direction: Direction::LeftRight,
    };
    let margin = opts.margin;
    let ratio = |l: &Layout| (l.width - 2.0 * margin) / (l.height - 2.0 * margin);
    let plain = layout_once(&g, &opts);
    assert!(ratio(&plain) > MAX_ASPECT, "the test needs a strip");
    let l = assert_good(&g);
    assert!(ratio(&l) <= MAX_ASPECT, "{}", ratio(&l));
    assert!(ratio(&l) >= 1.0, "{}", ratio(&l));
    assert_eq!(
        quality(&g, &l).crossing_pairs,
        quality(&g, &plain).crossing_pairs
    );
    // The same graph top-down is a tower, balanced the same way.
    let mut td = g.clone();
    td.direction = Direction::TopDown;
    let t = assert_good(&td);
    assert!(1.0 / ratio(&t) <= MAX_ASPECT, "{}", ratio(&t));
    // Nine nodes are left as they are.
    let small = Graph {
        nodes: g.nodes[..9].to_vec(),
        clusters: vec![],
        edges: g
            .edges
            .iter()
            .filter(|e| e.source < 9 && e.target < 9)
            .cloned()
            .collect(),
        direction: Direction::LeftRight,
    };
    assert_eq!(layout(&small, &opts), layout_once(&small, &opts));
    // A wide fan (one rank of many nodes) gets more room between ranks.
    let fan = Graph {
        nodes: (0..16).map(|_| node(None)).collect(),
        clusters: vec![],
        edges: (1..16).map(|i| edge(0, i, false)).collect(),
        direction: Direction::TopDown,
    };
    let plain = layout_once(&fan, &opts);
    let l = assert_good(&fan);
    if ratio(&plain) > MAX_ASPECT {
        assert!(ratio(&l) < ratio(&plain), "{}", ratio(&l));
    }
}

/// Content aspect ratio, long side over short side.
fn skew(l: &Layout) -> f64 {
    let m = Options::default().margin;
    let (w, h) = (l.width - 2.0 * m, l.height - 2.0 * m);
    w.max(h) / w.min(h)
}

/// A chain has no gaps for spacing to widen: from 10 nodes it is folded
/// into columns (rows when drawn left-right) within 3:1, in a box or not,
/// without crossings and with every node still in its box.
#[test]
fn long_chains_fold_into_columns() {
    for n in [12usize, 20, 40] {
        for boxed in [false, true] {
            for direction in [Direction::TopDown, Direction::LeftRight] {
                let what = format!("chain of {n}, boxed {boxed}, {direction:?}");
                // Node 0 stays outside the box, the rest is inside.
                let g = Graph {
                    nodes: (0..n)
                        .map(|v| node((boxed && v > 0).then_some(0)))
                        .collect(),
                    clusters: if boxed { vec![cluster(None)] } else { vec![] },
                    edges: (1..n).map(|v| edge(v - 1, v, true)).collect(),
                    direction,
                };
                let opts = Options::default();
                let plain = layout_once(&g, &opts);
                assert!(skew(&plain) > MAX_ASPECT, "{what}: the test needs a tower");
                let l = assert_good(&g);
                assert!(skew(&l) <= MAX_ASPECT, "{what}: {:.2}", skew(&l));
                assert_eq!(quality(&g, &l).crossing_pairs, 0, "{what}");
                assert_eq!(quality(&g, &l).edges_through_clusters, 0, "{what}");
            }
        }
    }
}

/// One rank holding every node but one: its sinks (or sources) are dealt
/// out over rows, within 3:1 and without crossings.
#[test]
fn wide_ranks_wrap_into_rows() {
    for n in [16usize, 24, 40] {
        for sources in [false, true] {
            let what = format!("{n} leaves, sources {sources}");
            let g = Graph {
                nodes: (0..=n).map(|_| node(None)).collect(),
                clusters: vec![],
                edges: (1..=n)
                    .map(|v| {
                        if sources {
                            edge(v, 0, true)
                        } else {
                            edge(0, v, true)
                        }
                    })
                    .collect(),
                direction: Direction::TopDown,
            };
            let opts = Options::default();
            let plain = layout_once(&g, &opts);
            assert!(
                skew(&plain) > MAX_ASPECT,
                "{what}: the test needs a wide rank"
            );
            let l = assert_good(&g);
            assert!(skew(&l) <= MAX_ASPECT, "{what}: {:.2}", skew(&l));
            assert_eq!(quality(&g, &l).crossing_pairs, 0, "{what}");
        }
    }
}

/// A fold keeps every edge at least its minimum span and every box around
/// what it holds, or is not made: a cycle through three nested boxes.
#[test]
fn folds_keep_the_ranking_valid() {
    let mut nodes: Vec<Node> = Vec::new();
    for v in 0..30 {
        nodes.push(node(Some(v % 3)));
    }
    let mut edges: Vec<Edge> = (1..30).map(|v| edge(v - 1, v, v % 2 == 0)).collect();
    edges.push(edge(29, 0, true));
    let g = Graph {
        nodes,
        clusters: vec![cluster(None), cluster(Some(0)), cluster(Some(1))],
        edges,
        direction: Direction::TopDown,
    };
    for k in 2..6 {
        for fold in [Fold::Columns(k), Fold::Rows(k)] {
            let l = layout_folded(&g, &Options::default(), fold, &mut Memo::default());
            let bad = check(&g, &l, &Options::default());
            assert!(bad.is_empty(), "{fold:?}: {bad:#?}");
        }
    }
}

/// Any fold of any graph keeps the layout contract (no overlaps, every
/// node in its box, boxes nested and apart, routes from outline to
/// outline), whether the fold is made or refused: random graphs with
/// nested boxes, cycles, pairs and far edges, folded every way.
#[test]
fn folds_of_random_graphs_keep_the_contract() {
    let opts = Options::default();
    let (mut tried, mut made) = (0, 0);
    for seed in 0..24u64 {
        let n = 8 + (seed as usize * 7) % 40;
        let g = random_graph(seed * 104_729 + 17, n);
        let plain = layout_once(&g, &opts);
        for fold in [
            Fold::Columns(2),
            Fold::Columns(3),
            Fold::Columns(5),
            Fold::Rows(2),
            Fold::Rows(4),
        ] {
            let l = layout_folded(&g, &opts, fold, &mut Memo::default());
            let bad = check(&g, &l, &opts);
            assert!(bad.is_empty(), "seed {seed}, {n} nodes, {fold:?}: {bad:#?}");
            tried += 1;
            made += usize::from(l != plain);
        }
    }
    // Many folds are made, so the test does not pass on refusals alone
    // (a fold into columns is refused where the edges between two runs
    // leave no start at which each is long enough: 72 of 120 are made).
    println!("{made} of {tried} folds made");
    assert!(made * 3 >= tried, "{made} of {tried} folds made");
}

/// The longest run of sideways moves in one direction along a route (in
/// a top-down drawing, moves right or moves left): a flow that steps aside
/// a little at every row shows as a long run, a staircase.
fn longest_staircase(route: &[Point], direction: Direction) -> usize {
    let across = |p: &Point| match direction {
        Direction::TopDown => (p.x, p.y),
        Direction::LeftRight => (p.y, p.x),
    };
    let (mut best, mut run, mut last) = (0usize, 0usize, 0i8);
    for w in route.windows(2) {
        let ((a0, b0), (a1, b1)) = (across(&w[0]), across(&w[1]));
        if (b1 - b0).abs() > 0.5 && (a1 - a0).abs() <= 0.5 {
            continue; // along the reading direction
        }
        let step = if a1 > a0 + 0.5 {
            1
        } else if a1 < a0 - 0.5 {
            -1
        } else {
            continue;
        };
        run = if step == last { run + 1 } else { 1 };
        last = step;
        best = best.max(run);
    }
    best
}

/// Long flows keep one column as far as they can: none steps aside on
/// row after row like a staircase. On these graphs the longest run of
/// sideways moves the same way was up to 29 before `bk::straighten`, and
/// is at most 6 with it: a request/response pair across the whole of a
/// 200-node drawing that winds round six boxes, in steps of 70 to 4,600
/// px (since an edge that would cut a sibling box leaves its own box
/// early, `mod.rs` `ordered`; it was 5 before).
#[test]
fn long_flows_bend_rather_than_step_down_a_staircase() {
    for (seed, n, direction, _, l) in random_layouts_both_ways(&[60, 200], 4) {
        let worst = l
            .edges
            .iter()
            .map(|e| longest_staircase(&e.points, direction))
            .max()
            .unwrap_or(0);
        assert!(
            worst <= 6,
            "seed {seed} n {n} {direction:?}: {worst} sideways moves the same way in a row"
        );
    }
}

/// A pipeline: a chain of stages that each write a store of their own (or
/// two, or read one and write one, or write one that a report reads). Two
/// of Brandes and Köpf's alignments keep the stages in one column and two
/// step them aside at every branch; their balanced mean was a diagonal
/// staircase as wide as the chain is long. The stages now run in line (a
/// fold may break the column where it starts a new run), both directions.
#[test]
fn a_pipeline_with_a_store_per_stage_keeps_its_stages_in_line() {
    for n in [5usize, 8, 16, 24] {
        for shape in ["write", "write two", "read and write", "write a report"] {
            for direction in [Direction::TopDown, Direction::LeftRight] {
                // Not yet: from 16 stages that read and write, left-right,
                // folded into two rows, the first row's stores all sit
                // below its stages and step down (see docs/svg.md).
                if n >= 16 && shape == "read and write" && direction == Direction::LeftRight {
                    continue;
                }
                let what = format!("{n} stages that {shape}, {direction:?}");
                let mut nodes: Vec<Node> = (0..n).map(|_| node(None)).collect();
                let mut edges: Vec<Edge> = (1..n).map(|v| edge(v - 1, v, true)).collect();
                let mut add = |nodes: &mut Vec<Node>, s: usize, t: Option<usize>| {
                    nodes.push(node(None));
                    let k = nodes.len() - 1;
                    match t {
                        Some(t) => edges.push(edge(k, t, true)),
                        None => edges.push(edge(s, k, true)),
                    }
                    k
                };
                for v in 0..n {
                    match shape {
                        "write" => {
                            add(&mut nodes, v, None);
                        }
                        "write two" => {
                            add(&mut nodes, v, None);
                            add(&mut nodes, v, None);
                        }
                        "read and write" => {
                            add(&mut nodes, v, None);
                            add(&mut nodes, 0, Some(v));
                        }
                        _ => {
                            let store = add(&mut nodes, v, None);
                            add(&mut nodes, store, None);
                        }
                    }
                }
                let g = Graph {
                    nodes,
                    clusters: vec![],
                    edges,
                    direction,
                };
                let l = assert_good(&g);
                // The centre of each stage on the axis across the flow.
                let across = |v: usize| {
                    let r = &l.nodes[v];
                    match direction {
                        Direction::LeftRight => r.y + r.height / 2.0,
                        _ => r.x + r.width / 2.0,
                    }
                };
                // A staircase steps the same way at every stage; in line,
                // only the first and the last fork (centred over their
                // branches) and a fold's new run step aside.
                let mut streak = 0;
                let mut longest = 0;
                let mut way = 0.0;
                for v in 1..n {
                    let d = across(v) - across(v - 1);
                    let s = if d.abs() < 1.0 { 0.0 } else { d.signum() };
                    streak = if s != 0.0 && s == way {
                        streak + 1
                    } else {
                        usize::from(s != 0.0)
                    };
                    way = s;
                    longest = longest.max(streak);
                }
                assert!(
                    longest <= 3,
                    "{what}: {longest} steps the same way in a row"
                );
            }
        }
    }
}

/// A flow that runs straight on from a node's centre leaves from the
/// centre, even where the node's other flows on that side crowd its ports:
/// they reach further out along the side instead of pushing it aside into
/// a jog of a few pixels right at the node.
#[test]
fn a_flow_in_line_with_its_node_leaves_from_the_centre() {
    let n = 8;
    let mut edges: Vec<Edge> = (1..n).map(|v| edge(v - 1, v, true)).collect();
    for v in 0..n {
        edges.push(edge(v, n + 2 * v, true));
        edges.push(edge(v, n + 2 * v + 1, true));
    }
    let g = Graph {
        // Ellipses: the middle of their side that holds ports is short.
        nodes: (0..3 * n)
            .map(|_| Node {
                shape: Shape::Ellipse,
                ..node(None)
            })
            .collect(),
        clusters: vec![],
        edges,
        direction: Direction::TopDown,
    };
    let l = assert_good(&g);
    let centre = |v: usize| l.nodes[v].x + l.nodes[v].width / 2.0;
    let mut straight = 0;
    for v in 1..n - 1 {
        let points = &l.edges[v].points;
        // The flow from stage v to stage v + 1, where they are in line.
        if (centre(v + 1) - centre(v)).abs() < 0.5 {
            straight += 1;
            assert!(
                points.iter().all(|p| (p.x - centre(v)).abs() < 0.5),
                "stage {v}: {points:?} leaves the centre {}",
                centre(v)
            );
        }
    }
    assert!(straight >= n - 3, "only {straight} stages in line");
}

/// A long edge keeps to one side of every sibling box that spans the
/// ranks it passes: the sweeps keep the side its neighbour on the swept
/// rank is on, and the crossings of each order are counted as drawn,
/// round the boxes. On these random graphs with nested boxes, when only
/// the best order was made to go round (where that cost at most 3
/// crossings a move), 440 edges passed through foreign boxes and there
/// were 9,141 crossings; then 366 and 9,051; and since an edge leaves
/// its box early rather than change column in the band of a sibling that
/// begins on the row where its box ends (`normalize::switch_gaps`), 304
/// and 8,506 (8,306 with the transpose step after the sweeps; 8,411 since
/// only the edges that would cut a sibling leave early, `mod.rs`
/// `ordered`, which keeps hand-drawn models as they were; 122 and 6,970
/// now, after `clear_cuts`, the sequence wishes and the steps since). The rest
/// have no way round in the order of their boxes (an
/// edge leaves a box on one side of a sibling and its other end is on the
/// other side, within the sibling's ranks): the sibling order itself
/// would have to change.
#[test]
fn long_edges_go_round_sibling_boxes() {
    let (mut through, mut crossings) = (0, 0);
    for (seed, n, direction, g, l) in random_layouts_both_ways(&[60, 200], 4) {
        let q = quality(&g, &l);
        println!(
            "seed {seed} n {n} {direction:?}: {} crossings, {} through boxes",
            q.crossings, q.edges_through_clusters
        );
        through += q.edges_through_clusters;
        crossings += q.crossings;
    }
    println!("in all: {through} through boxes, {crossings} crossings");
    assert!(through <= 135, "{through} edges through foreign boxes");
    assert!(crossings <= 7300, "{crossings} crossings");
}

/// The primer's example with a step added inside the first of two boxes
/// (`clusters`, both holding flows' ends): 0 customer; in box 0: 1 api,
/// 2 store, 3 queue, 4 added step; in box 1: 5 warehouse; 6 courier. The
/// store the step feeds ends box 0 a rank later than the queue that feeds
/// box 1. Laid out left to right, box 1 must start right of box 0's end.
fn assert_second_box_follows(clusters: Vec<Cluster>) {
    let g = Graph {
        nodes: vec![
            node(None),
            node(Some(0)),
            node(Some(0)),
            node(Some(0)),
            node(Some(0)),
            node(Some(1)),
            node(None),
        ],
        clusters,
        edges: vec![
            edge(0, 1, true),
            edge(1, 2, true),
            edge(1, 3, true),
            edge(1, 4, true),
            edge(4, 2, true),
            edge(3, 5, true),
            edge(5, 6, true),
        ],
        direction: Direction::LeftRight,
    };
    let l = assert_good(&g);
    let (a, b) = (&l.clusters[0], &l.clusters[1]);
    assert!(
        b.x >= a.x + a.width,
        "the second box starts left of the first one's end: {a:?} {b:?}"
    );
}

/// Ranked for shortest flows alone, the second zone shares a rank with
/// the first and drops below it; the wish that zones follow one another
/// keeps it after the first, as without the step.
#[test]
fn top_level_zones_follow_one_another_along_the_flow() {
    assert_second_box_follows(vec![cluster(None), cluster(None)]);
}

/// A node outside every box with flows from two inner boxes of a zone:
/// 0 source; in zone 0, box 1: 1 -> 2 -> 3 -> 4; box 2: 5 -> 6 -> 7 -> 8;
/// 9 the sink, fed by 1 and 5, the first of each chain. Ranked for short
/// flows alone, the sink shares ranks with the zone and sits above or
/// below it, so the flow from the farther box cuts through the nearer one.
/// Its wish to come after the zone ends puts it right of the zone, where
/// both flows leave beside the boxes.
#[test]
fn a_loose_node_fed_by_two_inner_boxes_comes_after_their_zone() {
    let mut nodes = vec![node(None)];
    nodes.extend((0..4).map(|_| node(Some(1))));
    nodes.extend((0..4).map(|_| node(Some(2))));
    nodes.push(node(None));
    let mut edges = vec![edge(0, 1, true), edge(0, 5, true)];
    for k in [1, 2, 3, 5, 6, 7] {
        edges.push(edge(k, k + 1, true));
    }
    edges.extend([edge(1, 9, true), edge(5, 9, true)]);
    let g = Graph {
        nodes,
        clusters: vec![cluster(None), cluster(Some(0)), cluster(Some(0))],
        edges,
        direction: Direction::LeftRight,
    };
    let l = assert_good(&g);
    let (zone, sink) = (&l.clusters[0], &l.nodes[9]);
    assert!(
        sink.x >= zone.x + zone.width,
        "the sink is not right of the zone: {zone:?} {sink:?}"
    );
    let q = quality(&g, &l);
    assert_eq!(q.edges_through_clusters, 0, "a flow runs through a box");
}

/// The memo that lets [`balance`] reuse an ordering rests on the ordering
/// not depending on the spacing: a layout at other spacing drawn from a
/// memo filled at the default one is the layout drawn from scratch.
#[test]
fn an_ordering_reused_at_other_spacing_draws_as_one_made_there() {
    for seed in 0..12u64 {
        for &n in &[12usize, 40, 90] {
            let g = random_graph(seed * 104_729 + n as u64, n);
            let memo = &mut Memo::default();
            let _ = layout_folded(&g, &Options::default(), Fold::None, memo);
            assert!(!memo.entries.is_empty());
            let spaced = Options {
                node_sep: 61.0,
                rank_sep: 97.0,
                ..Options::default()
            };
            assert_eq!(
                layout_folded(&g, &spaced, Fold::None, memo),
                layout_folded(&g, &spaced, Fold::None, &mut Memo::default()),
                "seed {seed} n {n}"
            );
        }
    }
}

/// [`balance`] stops trying spacings where even the largest could not
/// bring a drawing within bounds, on the grounds that a side grows at most
/// in proportion to the spacing across it (what does not grow with the
/// spacing, the nodes and labels, only makes it grow less). Checked on
/// random graphs, both spacings, at two and eight times the default.
#[test]
fn a_side_grows_at_most_in_proportion_to_its_spacing() {
    let base = Options::default();
    for seed in 0..10u64 {
        for &n in &[12usize, 40, 90] {
            let g = random_graph(seed * 7_919 + n as u64, n);
            let memo = &mut Memo::default();
            let plain = layout_folded(&g, &base, Fold::None, memo);
            let (along0, across0) = extents(g.direction, &plain, base.margin);
            for k in [2.0, 8.0] {
                let wide = Options {
                    node_sep: base.node_sep * k,
                    ..base.clone()
                };
                let l = layout_folded(&g, &wide, Fold::None, memo);
                let across = extents(g.direction, &l, base.margin).1;
                assert!(
                    across <= k * across0 + 0.5,
                    "seed {seed} n {n} node_sep x{k}"
                );
                let long = Options {
                    rank_sep: base.rank_sep * k,
                    ..base.clone()
                };
                let l = layout_folded(&g, &long, Fold::None, memo);
                let along = extents(g.direction, &l, base.margin).0;
                assert!(along <= k * along0 + 0.5, "seed {seed} n {n} rank_sep x{k}");
            }
        }
    }
}

/// The same inside a zone (cluster 2): two nested boxes that the first
/// ranking leaves sharing a rank (the first grew by a step) are ranked
/// again to follow one another, as they would without the step.
#[test]
fn nested_boxes_left_nearly_in_sequence_are_ranked_to_follow() {
    assert_second_box_follows(vec![cluster(Some(2)), cluster(Some(2)), cluster(None)]);
}
