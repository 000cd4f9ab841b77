//! Deterministic random models for tests, benchmarks and the SVG dump
//! (xorshift64*, no dependencies).

use super::{Cluster, Direction, Edge, Graph, Node, Shape};

/// xorshift64* generator.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// Shape of a generated model.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    pub nodes: usize,
    /// Average number of nodes per cluster.
    pub cluster_size: usize,
    /// Maximum cluster nesting depth (1 = no nesting).
    pub max_depth: usize,
    /// Edges per node.
    pub edges_per_node: f64,
    /// Probability that an edge gets a response edge the other way.
    pub pair_chance: f64,
    /// Probability that an edge has a label.
    pub label_chance: f64,
    /// Probability that an edge goes to a uniformly random node instead
    /// of a nearby one (by index; nearby nodes share clusters).
    pub far_chance: f64,
    pub direction: Direction,
}

/// Random model for property tests: sizes, clusters (some empty, some
/// holding only clusters) nested up to 3 deep, random direction.
pub fn random_graph(seed: u64, n: usize) -> Graph {
    let mut rng = XorShift::new(seed ^ 0x5eed);
    let spec = ModelSpec {
        nodes: n,
        cluster_size: 3 + rng.below(10),
        max_depth: 1 + rng.below(3),
        edges_per_node: rng.range(0.8, 2.0),
        pair_chance: 0.3,
        label_chance: 0.6,
        far_chance: 0.3,
        direction: if rng.chance(0.5) {
            Direction::TopDown
        } else {
            Direction::LeftRight
        },
    };
    model(seed, &spec)
}

/// A DFD-like model: nodes mostly in clusters, edges mostly local, some
/// request/response pairs, labels of varied size.
pub fn model(seed: u64, spec: &ModelSpec) -> Graph {
    let mut rng = XorShift::new(seed);
    let n = spec.nodes;
    let nclusters = n / spec.cluster_size.max(1) + usize::from(rng.chance(0.5));
    let mut clusters: Vec<Cluster> = Vec::with_capacity(nclusters);
    let mut depth: Vec<usize> = Vec::with_capacity(nclusters);
    for c in 0..nclusters {
        let parent = if c > 0 && rng.chance(0.5) {
            let p = rng.below(c);
            (depth[p] < spec.max_depth).then_some(p)
        } else {
            None
        };
        depth.push(parent.map_or(1, |p| depth[p] + 1));
        clusters.push(Cluster {
            parent,
            label_width: rng.range(40.0, 140.0).round(),
            label_height: 14.0,
        });
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let cluster = if nclusters > 0 && rng.chance(0.85) {
            // Mostly contiguous blocks so that clusters have internal flows.
            let c = if rng.chance(0.8) {
                (i / spec.cluster_size.max(1)).min(nclusters - 1)
            } else {
                rng.below(nclusters)
            };
            Some(c)
        } else {
            None
        };
        let ellipse = rng.chance(0.4);
        nodes.push(Node {
            width: rng.range(60.0, 160.0).round(),
            height: if ellipse {
                44.0
            } else {
                rng.range(30.0, 56.0).round()
            },
            shape: if ellipse { Shape::Ellipse } else { Shape::Rect },
            cluster,
        });
    }
    let mut edges = Vec::new();
    if n >= 2 {
        let m = (n as f64 * spec.edges_per_node).round() as usize;
        while edges.len() < m {
            let s = rng.below(n);
            let block = spec.cluster_size.max(2);
            let t = if rng.chance(spec.far_chance) {
                rng.below(n)
            } else if rng.chance(0.85) {
                // Same block of nodes, i.e. mostly the same cluster.
                ((s / block) * block + rng.below(block)).min(n - 1)
            } else {
                // A node of a neighbouring block.
                let off = rng.below(6 * block) as i64 - 3 * block as i64;
                (s as i64 + off).rem_euclid(n as i64) as usize
            };
            if s == t {
                continue;
            }
            let label = |rng: &mut XorShift| {
                if rng.chance(spec.label_chance) {
                    (rng.range(30.0, 110.0).round(), 14.0)
                } else {
                    (0.0, 0.0)
                }
            };
            let (lw, lh) = label(&mut rng);
            edges.push(Edge {
                source: s,
                target: t,
                label_width: lw,
                label_height: lh,
                response_to: None,
            });
            if rng.chance(spec.pair_chance) {
                let (lw, lh) = label(&mut rng);
                edges.push(Edge {
                    source: t,
                    target: s,
                    label_width: lw,
                    label_height: lh,
                    response_to: None,
                });
            }
        }
    }
    Graph {
        nodes,
        clusters,
        edges,
        direction: spec.direction,
    }
}

/// The worked example of the spec (Acme e-commerce), left to right.
pub fn acme() -> Graph {
    let node = |w: f64, shape, cluster| Node {
        width: w,
        height: 44.0,
        shape,
        cluster,
    };
    let edge = |s, t, lw: f64| Edge {
        source: s,
        target: t,
        label_width: lw,
        label_height: if lw > 0.0 { 14.0 } else { 0.0 },
        response_to: None,
    };
    Graph {
        nodes: vec![
            node(90.0, Shape::Rect, None),        // 0 Customer
            node(170.0, Shape::Ellipse, Some(0)), // 1 Order API
            node(160.0, Shape::Rect, Some(0)),    // 2 Fulfillment queue
            node(170.0, Shape::Rect, Some(0)),    // 3 Order Database
            node(270.0, Shape::Ellipse, Some(1)), // 4 Warehouse Mgmt
            node(70.0, Shape::Rect, None),        // 5 Courier
        ],
        clusters: vec![
            Cluster {
                parent: None,
                label_width: 64.0,
                label_height: 14.0,
            },
            Cluster {
                parent: None,
                label_width: 70.0,
                label_height: 14.0,
            },
        ],
        edges: vec![
            edge(0, 1, 112.0),
            edge(1, 2, 72.0),
            edge(1, 3, 72.0),
            edge(2, 4, 110.0),
            edge(4, 5, 82.0),
        ],
        direction: Direction::LeftRight,
    }
}
