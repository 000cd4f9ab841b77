//! Deterministic random models, as `.tmd` source text: a tool for tests
//! and benchmarks (the SVG quality tests, `examples/bench.rs`, and
//! comparisons with Graphviz). Generating text rather than a model means
//! the parser and the checks run too, as they do for users.
//!
//! Every generated model compiles without errors (it may draw warnings:
//! flows between stores, processes with only inputs, unthreatened
//! crossings, ...). Same seed and spec, same text.
//!
//! ```
//! let text = tmd::testgen::model(7, &tmd::testgen::Spec::bench(100));
//! let c = tmd::compile(&text);
//! assert!(c.valid().is_some());
//! assert_eq!(c.model.map(|m| m.elements.len()), Some(100));
//! ```

use std::fmt::Write as _;

use crate::model::{BoundaryKindWord, Word};

pub use crate::layout::testgen::XorShift;

/// The shape of a generated model.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Number of elements (external entities, processes, stores).
    pub elements: usize,
    /// Flows per element, request/response replies included.
    pub flows_per_element: f64,
    /// Probability that a flow gets a reply flow the other way.
    pub pair_chance: f64,
    /// Average number of elements per boundary (0: no boundaries).
    pub boundary_size: usize,
    /// Deepest boundary nesting (1: boundaries are never nested).
    pub max_depth: usize,
    /// Probability that an element stands outside every boundary.
    pub outside_chance: f64,
    /// Probability that a flow goes to any element rather than a nearby
    /// one (nearby elements mostly share a boundary).
    pub far_chance: f64,
    /// Probability that a flow's receiver opens the connection.
    pub reversed_chance: f64,
    /// Probability that an element or a flow gets a threat.
    pub threat_chance: f64,
    /// Probability that an element is out of scope.
    pub out_of_scope_chance: f64,
    /// Labels with markup characters, quotes, non-Latin scripts, emoji,
    /// combining marks, bidi controls and overlong words.
    pub nasty_text: bool,
    /// `left-right`, `top-down`, or none (the default, top-down).
    pub direction: Option<&'static str>,
    /// Data assets to declare (language 0.2), carried by some flows and
    /// held by some elements. Drawn from a random stream of their own, so
    /// that a model's other statements are the same with or without them.
    pub assets: usize,
}

impl Spec {
    /// The benchmark shape: about 1.5 flows per element with some
    /// request/response pairs, boundaries of about 20 elements nested two
    /// deep, left to right.
    pub fn bench(elements: usize) -> Spec {
        Spec {
            elements,
            flows_per_element: 1.5,
            pair_chance: 0.25,
            boundary_size: 20,
            max_depth: 2,
            outside_chance: 0.1,
            far_chance: 0.03,
            reversed_chance: 0.05,
            threat_chance: 0.15,
            out_of_scope_chance: 0.02,
            nasty_text: false,
            direction: Some("left-right"),
            assets: 0,
        }
    }

    /// A varied small model for property tests, its shape drawn from
    /// `seed` too.
    pub fn random(seed: u64, elements: usize) -> Spec {
        let mut rng = XorShift::new(seed ^ 0x7e57_9e11);
        Spec {
            elements,
            flows_per_element: rng.range(0.6, 2.2),
            pair_chance: rng.range(0.0, 0.5),
            boundary_size: rng.below(9),
            max_depth: 1 + rng.below(4),
            outside_chance: rng.range(0.0, 0.5),
            far_chance: rng.range(0.0, 0.4),
            reversed_chance: rng.range(0.0, 0.3),
            threat_chance: rng.range(0.0, 0.6),
            out_of_scope_chance: rng.range(0.0, 0.2),
            nasty_text: rng.chance(0.5),
            direction: match rng.below(3) {
                0 => Some("left-right"),
                1 => Some("top-down"),
                _ => None,
            },
            assets: rng.below(4),
        }
    }
}

const WORDS: &[&str] = &[
    "order",
    "payment",
    "customer",
    "token",
    "session",
    "report",
    "invoice",
    "event",
    "queue",
    "cache",
    "audit",
    "log",
    "account",
    "profile",
    "billing",
    "search",
    "index",
    "image",
    "upload",
    "export",
    "import",
    "config",
    "secret",
    "metrics",
    "alert",
    "backup",
    "ledger",
    "catalog",
    "shipment",
    "identity",
    "gateway",
    "worker",
    "scheduler",
    "notification",
    "analytics",
];

const NASTY: &[&str] = &[
    "R&D",
    "<script>",
    "a > b",
    "\\\"quoted\\\"",
    "it's",
    "Zürich",
    "naïve",
    "e\\u{301}",
    "東京",
    "データ",
    "Москва",
    "😀",
    "👩\\u{200D}💻",
    "\\u{202E}evil",
    "&amp;",
    "]]>",
    "https://example.com/a/very/long/path/that/never/ends/at/all",
    "Supercalifragilisticexpialidocious-but-even-longer",
    "x\\\\y",
    "--",
    "#2",
    "a->b",
];

const PROTOCOLS: &[&str] = &["HTTPS", "gRPC", "AMQP", "SQL/TLS", "SFTP", "HTTP", "Kafka"];

fn pick<'a>(rng: &mut XorShift, items: &[&'a str]) -> &'a str {
    items.get(rng.below(items.len())).copied().unwrap_or("x")
}

/// A label: a few words, capitalised, sometimes long or nasty. The result
/// is the inside of a `.tmd` string (already escaped).
fn label(rng: &mut XorShift, spec: &Spec, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let mut words: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let w = if spec.nasty_text && rng.chance(0.2) {
            pick(rng, NASTY).to_string()
        } else {
            pick(rng, WORDS).to_string()
        };
        words.push(if i == 0 {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            w
        });
    }
    words.join(" ")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    External,
    Process,
    Store,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::External => "external",
            Kind::Process => "process",
            Kind::Store => "store",
        }
    }

    /// STRIDE letters that apply to the kind.
    fn letters(self) -> &'static str {
        match self {
            Kind::External => "SR",
            Kind::Process => "STRIDE",
            Kind::Store => "TRID",
        }
    }
}

struct Boundary {
    parent: Option<usize>,
    depth: usize,
    label: String,
}

/// A random valid model as `.tmd` text.
pub fn model(seed: u64, spec: &Spec) -> String {
    let mut rng = XorShift::new(seed);
    let n = spec.elements;
    let mut out = String::new();
    let _ = writeln!(out, "# Generated by tmd::testgen (seed {seed}).");
    let _ = writeln!(out, "title \"Generated model {seed}\"");
    let _ = writeln!(out, "author \"tmd testgen\"");
    let _ = writeln!(out, "created 2024-01-{:02}", 1 + rng.below(28));
    if let Some(d) = spec.direction {
        let _ = writeln!(out, "direction {d}");
    }
    out.push('\n');
    // Data assets, from a stream of their own.
    let mut arng = XorShift::new(seed ^ 0xa55e_7d47);
    for k in 0..spec.assets {
        let level = pick(
            &mut arng,
            &["public", "internal", "confidential", "restricted"],
        );
        let _ = writeln!(out, "asset d{k} \"Data {k}\" {{ classification: {level} }}");
    }
    let asset_ref = |arng: &mut XorShift, chance: f64| -> Option<String> {
        (spec.assets > 0 && arng.chance(chance))
            .then(|| format!("assets: [d{}]", arng.below(spec.assets)))
    };

    // Boundaries: about one per `boundary_size` elements, nested at random.
    let nb = if spec.boundary_size == 0 {
        0
    } else {
        n.div_ceil(spec.boundary_size)
    };
    let mut boundaries: Vec<Boundary> = Vec::with_capacity(nb);
    for b in 0..nb {
        let parent = if b > 0 && rng.chance(0.5) {
            let p = rng.below(b);
            boundaries
                .get(p)
                .filter(|pb| pb.depth < spec.max_depth)
                .map(|_| p)
        } else {
            None
        };
        let depth = parent
            .and_then(|p| boundaries.get(p))
            .map_or(1, |pb| pb.depth + 1);
        let text = label(&mut rng, spec, 1, 3);
        boundaries.push(Boundary {
            parent,
            depth,
            label: text,
        });
    }
    // Elements: contiguous blocks per boundary, some outside.
    let mut kinds = Vec::with_capacity(n);
    let mut home: Vec<Option<usize>> = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    let mut extras = Vec::with_capacity(n);
    for i in 0..n {
        kinds.push(match rng.below(4) {
            0 => Kind::External,
            1 => Kind::Store,
            _ => Kind::Process,
        });
        home.push(if nb > 0 && !rng.chance(spec.outside_chance) {
            Some((i / spec.boundary_size.max(1)).min(nb - 1))
        } else {
            None
        });
        labels.push(label(&mut rng, spec, 1, 4));
        let mut attrs = Vec::new();
        if rng.chance(0.3) {
            attrs.push(format!("tech: \"{}\"", pick(&mut rng, PROTOCOLS)));
        }
        if rng.chance(spec.out_of_scope_chance) {
            attrs.push("out_of_scope: true".to_string());
        }
        attrs.extend(asset_ref(&mut arng, 0.3));
        extras.push(attrs);
    }
    let element_line = |out: &mut String, i: usize, indent: usize| {
        let (Some(kind), Some(text), Some(attrs)) = (kinds.get(i), labels.get(i), extras.get(i))
        else {
            return;
        };
        let pad = "  ".repeat(indent);
        let _ = write!(out, "{pad}{} e{i} \"{text}\"", kind.word());
        if !attrs.is_empty() {
            let _ = write!(out, " {{ {} }}", attrs.join(", "));
        }
        out.push('\n');
    };
    // Declaration order: walk the boundary forest, elements of each
    // boundary first, then its child boundaries.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nb];
    let mut roots = Vec::new();
    for (b, bd) in boundaries.iter().enumerate() {
        match bd.parent.and_then(|p| children.get_mut(p)) {
            Some(list) => list.push(b),
            None => roots.push(b),
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); nb];
    for (i, h) in home.iter().enumerate() {
        match h.and_then(|b| members.get_mut(b)) {
            Some(list) => list.push(i),
            None => element_line(&mut out, i, 0),
        }
    }
    // Iterative walk: (boundary, opening?) pairs.
    let mut stack: Vec<(usize, bool)> = roots.iter().rev().map(|&b| (b, true)).collect();
    while let Some((b, opening)) = stack.pop() {
        let depth = boundaries.get(b).map_or(1, |bd| bd.depth);
        let pad = "  ".repeat(depth - 1);
        if !opening {
            let _ = writeln!(out, "{pad}}}");
            continue;
        }
        let text = boundaries.get(b).map_or("", |bd| bd.label.as_str());
        let _ = writeln!(out, "{pad}boundary b{b} \"{text}\" {{");
        // Language 0.2: every third boundary says what kind it is (no draw
        // of the generator, so that a seed still makes the same shapes).
        if b % 3 == 0 {
            let kinds = BoundaryKindWord::ALL;
            if let Some(kind) = kinds.get((b / 3) % kinds.len()) {
                let _ = writeln!(out, "{pad}  kind: {}", kind.as_str());
            }
        }
        for &i in members.get(b).map_or(&[][..], Vec::as_slice) {
            element_line(&mut out, i, depth);
        }
        stack.push((b, false));
        for &k in children.get(b).map_or(&[][..], Vec::as_slice).iter().rev() {
            stack.push((k, true));
        }
    }
    out.push('\n');

    // Flows, mostly between nearby elements.
    let mut threats: Vec<(String, &'static str)> = Vec::new();
    let mut explicit = 0usize;
    if n >= 2 {
        let m = (n as f64 * spec.flows_per_element).round() as usize;
        let block = spec.boundary_size.max(4);
        let mut made = 0;
        let mut guard = 0;
        while made < m && guard < 20 * m + 100 {
            guard += 1;
            let s = rng.below(n);
            let t = if rng.chance(spec.far_chance) {
                rng.below(n)
            } else {
                ((s / block) * block + rng.below(block)).min(n - 1)
            };
            if s == t {
                continue;
            }
            // Returns the flow's written ID, if any. A reply to a request
            // with an ID says so (language 0.2: `response_to`).
            let mut write_flow = |out: &mut String,
                                  rng: &mut XorShift,
                                  s: usize,
                                  t: usize,
                                  reply: Option<Option<String>>|
             -> Option<String> {
                let threatened = rng.chance(spec.threat_chance);
                let written = (threatened || rng.chance(0.2)).then(|| {
                    explicit += 1;
                    format!("f{explicit}")
                });
                let id = written
                    .as_ref()
                    .map_or_else(String::new, |w| format!("{w}: "));
                let request = reply.clone().flatten();
                let reply = reply.is_some();
                let mut text = label(rng, spec, 1, 4);
                if reply {
                    text.push_str(" (reply)");
                }
                let _ = write!(out, "flow {id}e{s} -> e{t} \"{text}\"");
                let mut attrs = Vec::new();
                if rng.chance(0.6) {
                    attrs.push(format!("protocol: \"{}\"", pick(rng, PROTOCOLS)));
                }
                if !reply && rng.chance(spec.reversed_chance) {
                    attrs.push(format!("initiator: e{t}"));
                }
                if let Some(request) = &request {
                    attrs.push(format!("response_to: {request}"));
                }
                if let Some(assets) = asset_ref(&mut arng, 0.4) {
                    attrs.push(assets);
                    if arng.chance(0.5) {
                        attrs.push("encrypted: true".to_string());
                    }
                }
                if !attrs.is_empty() {
                    let _ = write!(out, " {{ {} }}", attrs.join(", "));
                }
                out.push('\n');
                if threatened {
                    threats.push((format!("f{explicit}"), "TID"));
                }
                written
            };
            let request = write_flow(&mut out, &mut rng, s, t, None);
            made += 1;
            if rng.chance(spec.pair_chance) && made < m {
                write_flow(&mut out, &mut rng, t, s, Some(request));
                made += 1;
            }
        }
    }
    for (i, kind) in kinds.iter().enumerate() {
        if rng.chance(spec.threat_chance) {
            threats.push((format!("e{i}"), kind.letters()));
        }
    }
    for b in 0..nb {
        if rng.chance(spec.threat_chance / 2.0) {
            threats.push((format!("b{b}"), "STRIDE"));
        }
    }
    if !threats.is_empty() {
        out.push('\n');
    }
    for (k, (target, letters)) in threats.iter().enumerate() {
        let letter = letters.chars().nth(rng.below(letters.len())).unwrap_or('T');
        let severity = pick(&mut rng, &["low", "medium", "high"]);
        let status = pick(&mut rng, &["open", "open", "mitigated", "accepted"]);
        let title = label(&mut rng, spec, 2, 5);
        let _ = writeln!(out, "threat T{} \"{title}\" on {target} {{", k + 1);
        let _ = writeln!(out, "  actor: external_attacker");
        let _ = writeln!(out, "  scenario: \"{}\"", label(&mut rng, spec, 4, 10));
        let _ = writeln!(out, "  stride: {letter}");
        let _ = writeln!(out, "  severity: {severity}");
        let _ = writeln!(out, "  mitigation: \"{}\"", label(&mut rng, spec, 2, 6));
        let _ = writeln!(out, "  status: {status}");
        let _ = writeln!(out, "}}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_models_compile_without_errors() {
        for seed in 0..40 {
            let n = 1 + (seed as usize * 7) % 60;
            let text = model(seed, &Spec::random(seed, n));
            let c = crate::compile(&text);
            let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "seed {seed}: {errors:?}\n{text}");
            assert_eq!(c.model.map(|m| m.elements.len()), Some(n));
        }
    }

    #[test]
    fn same_seed_same_text() {
        let spec = Spec::bench(200);
        assert_eq!(model(3, &spec), model(3, &spec));
        assert_ne!(model(3, &spec), model(4, &spec));
    }

    /// Assets come from a stream of their own: the model's shape is the
    /// same with or without them, and they reach flows and elements.
    #[test]
    fn assets_leave_the_shape_alone() {
        let spec = Spec {
            assets: 3,
            ..Spec::bench(60)
        };
        let with = crate::compile(&model(5, &spec));
        let without = crate::compile(&model(5, &Spec::bench(60)));
        assert!(!with.has_errors(), "{:?}", with.diagnostics);
        let (a, b) = (with.model.unwrap(), without.model.unwrap());
        assert_eq!(a.assets.len(), 3);
        assert_eq!(a.flows.len(), b.flows.len());
        assert_eq!(a.threats.len(), b.threats.len());
        assert!(a.flows.iter().any(|f| !f.assets.is_empty()));
        assert!(a.elements.iter().any(|e| !e.assets.is_empty()));
    }

    #[test]
    fn bench_shape() {
        let c = crate::compile(&model(1, &Spec::bench(1000)));
        let m = c.model.expect("model");
        assert_eq!(m.elements.len(), 1000);
        assert_eq!(m.boundaries.len(), 50);
        assert!(m.boundaries.iter().any(|b| b.parent.is_some()));
        assert!((1400..=1600).contains(&m.flows.len()), "{}", m.flows.len());
        // Language 0.2: replies to named requests say so, and some
        // boundaries say what kind they are.
        assert!(m.flows.iter().any(|f| f.response_to.is_some()));
        assert!(m.boundaries.iter().any(|b| b.kind.is_some()));
    }
}
