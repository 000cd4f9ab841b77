//! The SVG renderer's contract and quality bars, checked on the SVG itself
//! (parsed with roxmltree) for every sample and for generated models:
//! members inside their boundary boxes and non-members outside, sibling
//! boxes apart, elements apart, every label inside its shape (measured
//! with the renderer's font metrics), flow labels clear of elements,
//! everything inside the viewBox, ids unique and escaped, output
//! deterministic. Also a snapshot of the worked example and the layout's
//! crossing counts per sample (`cargo test --test svg_quality -- --nocapture`).

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};
use tmd::emit::svg::metrics::{text_width, ASCENT, DESCENT};
use tmd::emit::svg::{quality, svg, SvgOptions};
use tmd::model::{ElementKind, Model};
use tmd::testgen::{self, Spec};

#[derive(Debug, Clone, Copy, PartialEq)]
struct R {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl R {
    fn overlaps(&self, o: &R, tol: f64) -> bool {
        self.x0 < o.x1 - tol && o.x0 < self.x1 - tol && self.y0 < o.y1 - tol && o.y0 < self.y1 - tol
    }
    fn inside(&self, o: &R, tol: f64) -> bool {
        self.x0 >= o.x0 - tol
            && self.y0 >= o.y0 - tol
            && self.x1 <= o.x1 + tol
            && self.y1 <= o.y1 + tol
    }
}

fn num(n: Node, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("{attr} missing on {:?}", n.tag_name()))
        .parse()
        .unwrap_or_else(|_| panic!("{attr} not a number"))
}

fn has_class(n: Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|k| k == class))
}

fn rect_of(n: Node) -> R {
    match n.tag_name().name() {
        "rect" => {
            let (x, y) = (num(n, "x"), num(n, "y"));
            R {
                x0: x,
                y0: y,
                x1: x + num(n, "width"),
                y1: y + num(n, "height"),
            }
        }
        "ellipse" => {
            let (cx, cy, rx, ry) = (num(n, "cx"), num(n, "cy"), num(n, "rx"), num(n, "ry"));
            R {
                x0: cx - rx,
                y0: cy - ry,
                x1: cx + rx,
                y1: cy + ry,
            }
        }
        other => panic!("no box for <{other}>"),
    }
}

/// One line of text: its ink box from the font metrics.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    r: R,
}

fn lines_of(text: Node) -> Vec<Line> {
    let size = num(text, "font-size");
    let bold = text.attribute("font-weight") == Some("bold");
    assert_eq!(text.attribute("text-anchor"), Some("middle"));
    text.children()
        .filter(|c| c.has_tag_name("tspan"))
        .map(|t| {
            let s: String = t.text().unwrap_or("").to_string();
            let (x, y) = (num(t, "x"), num(t, "y"));
            let w = text_width(&s, size, bold);
            Line {
                text: s,
                r: R {
                    x0: x - w / 2.0,
                    y0: y - ASCENT * size,
                    x1: x + w / 2.0,
                    y1: y + DESCENT * size,
                },
            }
        })
        .collect()
}

/// Every point of a path's data (M, L, Q, H, Z commands).
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    let mut cur = (0.0, 0.0);
    let mut cmd = ' ';
    let mut nums: Vec<f64> = Vec::new();
    let flush =
        |cmd: char, nums: &mut Vec<f64>, pts: &mut Vec<(f64, f64)>, cur: &mut (f64, f64)| {
            match cmd {
                'M' | 'L' | 'Q' => {
                    for pair in nums.chunks(2) {
                        if let [x, y] = pair {
                            *cur = (*x, *y);
                            pts.push(*cur);
                        }
                    }
                }
                'H' => {
                    for x in nums.iter() {
                        *cur = (*x, cur.1);
                        pts.push(*cur);
                    }
                }
                _ => {}
            }
            nums.clear();
        };
    let mut token = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() || c == ',' || c == ' ' {
            if !token.is_empty() {
                nums.push(token.parse().expect("number in path"));
                token.clear();
            }
            if c.is_ascii_alphabetic() {
                flush(cmd, &mut nums, &mut pts, &mut cur);
                cmd = c;
            }
        } else {
            token.push(c);
        }
    }
    flush(cmd, &mut nums, &mut pts, &mut cur);
    pts
}

struct Element {
    kind: String,
    shape: R,
    ellipse: bool,
    lines: Vec<Line>,
    badge: Option<R>,
}

struct Boundary {
    r: R,
    lines: Vec<Line>,
    badge: Option<R>,
}

struct Flow {
    id: String,
    source: String,
    target: String,
    reversed: bool,
    crossing: bool,
    points: Vec<(f64, f64)>,
    label: Option<R>,
    lines: Vec<Line>,
    badge: Option<R>,
}

struct Parsed {
    width: f64,
    height: f64,
    elements: BTreeMap<String, Element>,
    boundaries: BTreeMap<String, Boundary>,
    flows: Vec<Flow>,
    /// Every rectangle, ellipse and path point drawn.
    extent: Vec<R>,
    ids: Vec<String>,
}

fn child_with_class<'a, 'i>(n: Node<'a, 'i>, class: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| has_class(*c, class))
}

fn badge_of(n: Node) -> Option<R> {
    child_with_class(n, "tmd-badge").map(|b| {
        let r = rect_of(
            b.children()
                .find(|c| c.has_tag_name("rect"))
                .expect("badge rect"),
        );
        // The badge text lies inside its pill.
        for t in b.children().filter(|c| c.has_tag_name("text")) {
            for l in lines_of(t) {
                assert!(l.r.inside(&r, 0.6), "badge text {:?} outside {r:?}", l.text);
            }
        }
        r
    })
}

fn parse(svg_text: &str) -> Parsed {
    let doc = Document::parse(svg_text).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().expect("viewBox number"))
        .collect();
    assert_eq!(vb.len(), 4);
    assert_eq!((vb[0], vb[1]), (0.0, 0.0));
    assert_eq!(num(root, "width"), vb[2]);
    assert_eq!(num(root, "height"), vb[3]);
    let mut p = Parsed {
        width: vb[2],
        height: vb[3],
        elements: BTreeMap::new(),
        boundaries: BTreeMap::new(),
        flows: Vec::new(),
        extent: Vec::new(),
        ids: Vec::new(),
    };
    for n in root.descendants() {
        if let Some(id) = n.attribute("id") {
            p.ids.push(id.to_string());
        }
        // Self-contained: nothing refers outside the document.
        for a in n.attributes() {
            assert!(
                !a.name().contains("href") && !a.value().contains("url("),
                "external reference {}={}",
                a.name(),
                a.value()
            );
        }
        assert!(
            !matches!(
                n.tag_name().name(),
                "script" | "image" | "foreignObject" | "use"
            ),
            "unexpected <{}>",
            n.tag_name().name()
        );
        match n.tag_name().name() {
            "rect" | "ellipse" => p.extent.push(rect_of(n)),
            "circle" => {
                let (cx, cy, r) = (num(n, "cx"), num(n, "cy"), num(n, "r"));
                p.extent.push(R {
                    x0: cx - r,
                    y0: cy - r,
                    x1: cx + r,
                    y1: cy + r,
                });
            }
            "path" => {
                for (x, y) in path_points(n.attribute("d").unwrap_or("")) {
                    p.extent.push(R {
                        x0: x,
                        y0: y,
                        x1: x,
                        y1: y,
                    });
                }
            }
            "text" => {
                for l in lines_of(n) {
                    p.extent.push(l.r);
                }
            }
            _ => {}
        }
        if n.has_tag_name("g") && has_class(n, "tmd-element") {
            let id = n.attribute("data-tmd-id").expect("data-tmd-id").to_string();
            let kind = ["external", "process", "store"]
                .into_iter()
                .find(|k| has_class(n, &format!("tmd-{k}")))
                .expect("kind class")
                .to_string();
            let shape_node = child_with_class(n, "tmd-shape").expect("shape");
            let lines = child_with_class(n, "tmd-label").map_or_else(Vec::new, lines_of);
            assert!(
                n.children().any(|c| c.has_tag_name("title")),
                "element {id} has a <title>"
            );
            p.elements.insert(
                id,
                Element {
                    kind,
                    shape: rect_of(shape_node),
                    ellipse: shape_node.has_tag_name("ellipse"),
                    lines,
                    badge: badge_of(n),
                },
            );
        }
        if n.has_tag_name("g") && has_class(n, "tmd-boundary") {
            let id = n.attribute("data-tmd-id").expect("data-tmd-id").to_string();
            let rects: Vec<Node> = n.children().filter(|c| c.has_tag_name("rect")).collect();
            assert_eq!(rects.len(), 1, "boundary {id} holds one <rect>");
            // Language 0.2: a usual kind is named and styled by its class; a
            // kind of the model's own is only `custom` (no user text in an
            // attribute).
            if let Some(kind) = n.attribute("data-tmd-kind") {
                let usual = [
                    "network",
                    "cloud-account",
                    "host",
                    "container",
                    "device",
                    "organisation",
                ];
                assert!(
                    usual.contains(&kind) || kind == "custom",
                    "boundary {id}: data-tmd-kind {kind}"
                );
                assert_eq!(
                    has_class(n, &format!("tmd-kind-{kind}")),
                    kind != "custom",
                    "boundary {id}: class of kind {kind}"
                );
            }
            let lines = child_with_class(n, "tmd-boundary-label").map_or_else(Vec::new, lines_of);
            p.boundaries.insert(
                id,
                Boundary {
                    r: rect_of(rects[0]),
                    lines,
                    badge: badge_of(n),
                },
            );
        }
        if n.has_tag_name("g") && has_class(n, "tmd-flow") {
            let attr = |a: &str| n.attribute(a).unwrap_or_else(|| panic!("{a}")).to_string();
            let line = child_with_class(n, "tmd-line");
            let label = child_with_class(n, "tmd-label-box").map(rect_of);
            let reversed = n.attribute("data-tmd-reversed") == Some("true");
            let crossing = n.attribute("data-tmd-crossing") == Some("true");
            assert_eq!(reversed, has_class(n, "tmd-reversed"));
            assert_eq!(crossing, has_class(n, "tmd-crossing"));
            p.flows.push(Flow {
                id: attr("data-tmd-id"),
                source: attr("data-tmd-source"),
                target: attr("data-tmd-target"),
                reversed,
                crossing,
                points: line.map_or_else(Vec::new, |l| path_points(l.attribute("d").unwrap_or(""))),
                label,
                lines: child_with_class(n, "tmd-flow-label").map_or_else(Vec::new, lines_of),
                badge: badge_of(n),
            });
        }
    }
    p
}

/// Is the whole box inside the ellipse inscribed in `e`?
fn in_ellipse(r: &R, e: &R) -> bool {
    let (cx, cy) = ((e.x0 + e.x1) / 2.0, (e.y0 + e.y1) / 2.0);
    let (a, b) = ((e.x1 - e.x0) / 2.0, (e.y1 - e.y0) / 2.0);
    [(r.x0, r.y0), (r.x1, r.y0), (r.x0, r.y1), (r.x1, r.y1)]
        .iter()
        .all(|&(x, y)| ((x - cx) / a).powi(2) + ((y - cy) / b).powi(2) <= 1.0 + 1e-3)
}

/// Checks the whole contract of one rendered model; returns the parse.
fn check(model: &Model, analysis: &tmd::analysis::Analysis, svg_text: &str, what: &str) -> Parsed {
    let p = parse(svg_text);
    let view = R {
        x0: 0.0,
        y0: 0.0,
        x1: p.width,
        y1: p.height,
    };
    for r in &p.extent {
        assert!(r.inside(&view, 0.01), "{what}: {r:?} outside the viewBox");
    }
    let ids: BTreeSet<&String> = p.ids.iter().collect();
    assert_eq!(ids.len(), p.ids.len(), "{what}: duplicate ids");

    // Every element, boundary and flow is there once.
    assert_eq!(p.elements.len(), model.elements.len(), "{what}: elements");
    assert_eq!(
        p.boundaries.len(),
        model.boundaries.len(),
        "{what}: boundaries"
    );
    assert_eq!(p.flows.len(), model.flows.len(), "{what}: flows");
    for (f, flow) in p.flows.iter().zip(&model.flows) {
        assert_eq!(f.id, flow.name);
        assert_eq!(f.source, model[flow.source].name);
        assert_eq!(f.target, model[flow.target].name);
        let fid = model
            .flow_ids()
            .find(|&x| model[x].name == flow.name)
            .expect("flow");
        let facts = analysis.flow(fid);
        assert_eq!(f.reversed, facts.reversed, "{what}: {} reversed", f.id);
        assert_eq!(
            f.crossing,
            !facts.crossings.is_empty(),
            "{what}: {} crossing",
            f.id
        );
        assert!(f.points.len() >= 2, "{what}: flow {} has a line", f.id);
    }

    // Boundaries: members inside, non-members outside, siblings apart.
    for e in model.element_ids() {
        let el = &model[e];
        let pe = &p.elements[&el.name];
        assert_eq!(pe.kind, el.kind.as_str());
        let chain = model.boundary_chain(el.boundary);
        for b in model.boundary_ids() {
            let pb = &p.boundaries[&model[b].name];
            if chain.contains(&b) {
                assert!(
                    pe.shape.inside(&pb.r, 0.01),
                    "{what}: {} not inside {}",
                    el.name,
                    model[b].name
                );
            } else {
                assert!(
                    !pe.shape.overlaps(&pb.r, 0.01),
                    "{what}: {} overlaps foreign boundary {}",
                    el.name,
                    model[b].name
                );
            }
        }
    }
    for a in model.boundary_ids() {
        for b in model.boundary_ids().filter(|&b| b > a) {
            let (pa, pb) = (&p.boundaries[&model[a].name], &p.boundaries[&model[b].name]);
            let (ca, cb) = (model.boundary_chain(Some(a)), model.boundary_chain(Some(b)));
            if cb.contains(&a) {
                assert!(pb.r.inside(&pa.r, 0.01), "{what}: nested box sticks out");
            } else if ca.contains(&b) {
                assert!(pa.r.inside(&pb.r, 0.01), "{what}: nested box sticks out");
            } else {
                assert!(
                    !pa.r.overlaps(&pb.r, 0.01),
                    "{what}: boxes {} and {} overlap",
                    model[a].name,
                    model[b].name
                );
            }
        }
    }
    // Boundary labels: inside their box, clear of elements and of the
    // boxes nested in it.
    for (name, pb) in &p.boundaries {
        let parts: Vec<R> = pb.lines.iter().map(|l| l.r).chain(pb.badge).collect();
        for r in &parts {
            assert!(r.inside(&pb.r, 0.01), "{what}: label of {name} sticks out");
            for (en, pe) in &p.elements {
                assert!(
                    !r.overlaps(&pe.shape, 0.01),
                    "{what}: label of {name} covers {en}"
                );
            }
        }
    }

    // Elements apart; labels and badges inside the shapes.
    let els: Vec<(&String, &Element)> = p.elements.iter().collect();
    for (i, (na, a)) in els.iter().enumerate() {
        for (nb, b) in els.iter().skip(i + 1) {
            assert!(
                !a.shape.overlaps(&b.shape, 0.01),
                "{what}: {na} overlaps {nb}"
            );
        }
        let parts: Vec<(String, R)> = a
            .lines
            .iter()
            .map(|l| (l.text.clone(), l.r))
            .chain(a.badge.map(|r| ("badge".to_string(), r)))
            .collect();
        for (text, r) in &parts {
            let ok = if a.ellipse {
                in_ellipse(r, &a.shape)
            } else {
                r.inside(&a.shape, 0.01)
            };
            assert!(
                ok,
                "{what}: {text:?} does not fit in {na} ({:?} in {:?})",
                r, a.shape
            );
        }
        for l in &a.lines {
            if let Some(b) = a.badge {
                assert!(
                    !l.r.overlaps(&b, 0.01),
                    "{what}: badge covers the label of {na}"
                );
            }
        }
    }

    // Flow labels: text and badge inside the label box, the box clear of
    // every element and of the other flow labels.
    let labelled: Vec<&Flow> = p.flows.iter().filter(|f| f.label.is_some()).collect();
    for (i, f) in labelled.iter().enumerate() {
        let Some(lb) = f.label else { continue };
        for l in &f.lines {
            assert!(
                l.r.inside(&lb, 0.01),
                "{what}: {:?} outside its label box",
                l.text
            );
            if let Some(b) = f.badge {
                assert!(!l.r.overlaps(&b, 0.01), "{what}: badge covers flow label");
            }
        }
        if let Some(b) = f.badge {
            assert!(b.inside(&lb, 0.01));
        }
        for (en, pe) in &p.elements {
            assert!(
                !lb.overlaps(&pe.shape, 0.01),
                "{what}: label of {} covers {en}",
                f.id
            );
        }
        for g in labelled.iter().skip(i + 1) {
            if let Some(gb) = g.label {
                assert!(
                    !lb.overlaps(&gb, 0.01),
                    "{what}: labels of {} and {} overlap",
                    f.id,
                    g.id
                );
            }
        }
    }
    p
}

fn render(text: &str, options: &SvgOptions) -> (String, Model, tmd::analysis::Analysis) {
    let c = tmd::compile(text);
    let (m, a) = c
        .valid()
        .unwrap_or_else(|| panic!("valid model: {:?}", c.diagnostics));
    let r = svg(m, a, options);
    (r.svg, m.clone(), a.clone())
}

fn samples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir("samples")
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    let shared = std::path::PathBuf::from("/work/shared/models/threagile-demo.tmd");
    if shared.exists() {
        paths.push(shared);
    }
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("readable sample");
        out.push((p.display().to_string(), text));
    }
    out
}

#[test]
fn samples_meet_the_contract() {
    let samples = samples();
    assert!(samples.len() >= 3);
    for (name, text) in samples {
        let (s, m, a) = render(&text, &SvgOptions::default());
        check(&m, &a, &s, &name);
        let (s2, _, _) = render(&text, &SvgOptions::default());
        assert_eq!(s, s2, "{name}: deterministic");
        let q = quality(&m, &a, &SvgOptions::default());
        println!(
            "{name}: {} elements, {} flows: crossings {}, edges through elements {}, edges through foreign boundaries {}, size {}x{}",
            m.elements.len(),
            m.flows.len(),
            q.crossings,
            q.edges_through_nodes,
            q.edges_through_clusters,
            q.width,
            q.height
        );
        assert_eq!(
            q.edges_through_nodes, 0,
            "{name}: an edge runs through an element"
        );
        assert_clear(&name, &q);
        // Crossing pairs no higher than before the routes were orthogonal
        // (layoutq's figures for the old layout).
        let ceiling = CROSSING_CEILINGS
            .iter()
            .find(|(n, _)| name.ends_with(&format!("{n}.tmd")))
            .map(|&(_, c)| c);
        if let Some(c) = ceiling {
            assert!(
                q.crossing_pairs <= c,
                "{name}: {} crossing pairs, more than {c}",
                q.crossing_pairs
            );
        }
    }
}

/// Crossing pairs of each sample with the layout before issue 12, the
/// ceiling the layout must stay under.
const CROSSING_CEILINGS: &[(&str, usize)] = &[
    ("acme-ecommerce", 0),
    // 51 before its request/response pairs were drawn as double lines
    // (see threagile-demo below).
    ("mobile-banking", 63),
    // 81 before its pairs were drawn as double lines (as above).
    ("saas-cicd", 87),
    // 0 before its pairs were drawn as double lines (as above).
    ("telehealth", 2),
    // 16 before requests and responses were drawn as pairs: its 17 pairs
    // are now 17 double lines, and where two pairs cross that is four
    // crossing pairs of flows (issue 12 item 3 wants 16 back).
    ("threagile-demo", 25),
];

/// Every flow on its own track (at most 0.5 % of the line length shared
/// with another flow) and none through a boundary that holds neither end.
fn assert_clear(what: &str, q: &tmd::layout::Quality) {
    assert!(
        q.shared_length <= 0.005 * q.edge_length,
        "{what}: {:.1} of {:.1} px of flow line on another flow's track",
        q.shared_length,
        q.edge_length
    );
    assert_eq!(
        q.edges_through_clusters, 0,
        "{what}: a flow passes through a boundary that holds neither of its ends"
    );
}

/// A random model shaped like those of layoutq's generator: nested
/// boundaries of about 8 elements, far flows, replies.
fn layoutq_like(seed: u64, elements: usize) -> Spec {
    let mut spec = Spec::random(seed, elements);
    spec.boundary_size = 8;
    spec.max_depth = 2;
    spec.far_chance = 0.2;
    spec
}

/// Generated models of 50 and 100 elements (as layoutq's generator makes
/// them: nested boundaries, far flows, replies), in both directions: every
/// flow on its own track, and flows through foreign boundaries kept down
/// (at most one (flow, boundary) pair for ten flows, where these models
/// have 0 to 6 per hundred: the layout lets a flow cut a box rather than
/// take many crossings to go round it; on the samples there are none).
#[test]
fn generated_models_keep_flows_apart() {
    for seed in [3u64, 7, 11] {
        for n in [50usize, 100] {
            let mut spec = layoutq_like(seed, n);
            spec.direction = Some(if seed % 2 == 0 {
                "top-down"
            } else {
                "left-right"
            });
            let text = testgen::model(seed, &spec);
            let (_, m, a) = render(&text, &SvgOptions::default());
            let q = quality(&m, &a, &SvgOptions::default());
            let what = format!("seed {seed}, {n} elements");
            println!(
                "{what}: {} flows, crossing pairs {}, shared {:.1}/{:.1}, through boundaries {}",
                m.flows.len(),
                q.crossing_pairs,
                q.shared_length,
                q.edge_length,
                q.edges_through_clusters
            );
            assert!(
                q.shared_length <= 0.005 * q.edge_length,
                "{what}: {:.1} of {:.1} px shared",
                q.shared_length,
                q.edge_length
            );
            assert!(
                q.edges_through_clusters * 10 <= m.flows.len(),
                "{what}: {} flows through foreign boundaries",
                q.edges_through_clusters
            );
        }
    }
}

/// Content aspect ratio (width over height, without the layout's margin)
/// of a drawing's quality figures.
fn content_aspect(q: &tmd::layout::Quality) -> f64 {
    let m = tmd::layout::Options::default().margin;
    (q.width - 2.0 * m) / (q.height - 2.0 * m)
}

/// Issue 12 item 4: from 10 elements a drawing's aspect ratio lies within
/// 1:3 and 3:1, on the samples, layoutq's shared model, and generated
/// models of 10 to 100 elements in both directions and `direction auto`
/// (which must also pick a direction at least as near 4:3 as the two it
/// chooses from, unless it avoids clearly more crossings).
#[test]
fn drawings_from_ten_elements_keep_their_shape() {
    let bound = tmd::layout::MAX_ASPECT;
    let within = |what: &str, q: &tmd::layout::Quality| {
        let r = content_aspect(q);
        println!("{what}: aspect {r:.2}, crossing pairs {}", q.crossing_pairs);
        assert!(
            (1.0 / bound..=bound).contains(&r),
            "{what}: aspect {r:.2} outside 1:{bound} .. {bound}:1"
        );
    };
    for (name, text) in samples() {
        let (_, m, a) = render(&text, &SvgOptions::default());
        if m.elements.len() >= 10 {
            within(&name, &quality(&m, &a, &SvgOptions::default()));
        }
    }
    // Shapes that spacing cannot balance: a chain (folded into columns),
    // a chain through a boundary per step, and one wide rank of stores or
    // of clients (wrapped into rows).
    for direction in ["top-down", "left-right"] {
        let mut chain = format!("direction {direction}\n");
        let mut zones = chain.clone();
        let mut fan = format!("direction {direction}\nprocess hub \"Hub\"\n");
        let mut clients = fan.clone();
        for i in 0..20 {
            chain += &format!("process p{i} \"Step {i}\"\n");
            zones += &format!("boundary z{i} \"Zone {i}\" {{\n  process p{i} \"Step {i}\"\n}}\n");
            fan += &format!("store s{i} \"Store {i}\"\nflow hub -> s{i} \"write {i}\"\n");
            clients += &format!("external c{i} \"Client {i}\"\nflow c{i} -> hub \"call {i}\"\n");
            if i > 0 {
                let flow = format!("flow p{} -> p{i} \"next\"\n", i - 1);
                chain += &flow;
                zones += &flow;
            }
        }
        for (what, text) in [
            ("chain", chain),
            ("zones", zones),
            ("fan", fan),
            ("clients", clients),
        ] {
            let (_, m, a) = render(&text, &SvgOptions::default());
            within(
                &format!("{what}, {direction}"),
                &quality(&m, &a, &SvgOptions::default()),
            );
        }
    }
    // The models `make bench` draws (the one of 10 elements was a 6:1
    // strip before folding).
    for n in [10usize, 20, 50, 100] {
        let text = testgen::model(42, &Spec::bench(n));
        let (_, m, a) = render(&text, &SvgOptions::default());
        within(
            &format!("bench {n}"),
            &quality(&m, &a, &SvgOptions::default()),
        );
    }
    for seed in [1u64, 2, 3] {
        for n in [10usize, 20, 50, 100] {
            for direction in ["top-down", "left-right", "auto"] {
                let mut spec = Spec::bench(n);
                spec.boundary_size = 8;
                spec.far_chance = 0.2;
                spec.direction = Some(direction);
                let text = testgen::model(seed, &spec);
                let (_, m, a) = render(&text, &SvgOptions::default());
                let what = format!("seed {seed}, {n} elements, {direction}");
                within(&what, &quality(&m, &a, &SvgOptions::default()));
            }
        }
    }
}

#[test]
fn generated_models_meet_the_contract() {
    for seed in 0..60u64 {
        let n = 1 + (seed as usize * 13) % 45;
        let text = testgen::model(seed, &Spec::random(seed, n));
        let (s, m, a) = render(&text, &SvgOptions::default());
        check(&m, &a, &s, &format!("seed {seed}"));
    }
}

#[test]
fn bench_shaped_model_meets_the_contract() {
    let text = testgen::model(11, &Spec::bench(120));
    let (s, m, a) = render(&text, &SvgOptions::default());
    check(&m, &a, &s, "bench 120");
}

#[test]
fn prefixed_diagrams_do_not_collide() {
    let text = &samples()[0].1;
    let a = render(
        text,
        &SvgOptions {
            id_prefix: Some("d1".into()),
            ..SvgOptions::default()
        },
    )
    .0;
    let b = render(
        text,
        &SvgOptions {
            id_prefix: Some("d2".into()),
            ..SvgOptions::default()
        },
    )
    .0;
    let ids = |s: &str| -> BTreeSet<String> { parse(s).ids.into_iter().collect() };
    let (ia, ib) = (ids(&a), ids(&b));
    assert!(!ia.is_empty());
    assert!(ia.is_disjoint(&ib));
    assert!(ia.iter().all(|i| i.starts_with("d1-")));
    // CSS rules are scoped under the diagram's own class.
    let doc = Document::parse(&a).expect("xml");
    let root = doc.root_element();
    assert!(has_class(root, "tmd-diagram") && has_class(root, "tmd-diagram-d1"));
    let style = root
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .expect("style");
    for rule in style
        .lines()
        .filter(|l| l.contains('{') && !l.starts_with('@'))
    {
        assert!(
            rule.trim_start().starts_with(".tmd-diagram-d1"),
            "unscoped rule {rule}"
        );
    }
    assert!(style.contains("prefers-color-scheme: dark"));
}

#[test]
fn hostile_text_is_escaped() {
    let text = r#"title "<script>alert(1)</script> & \"x\""
scope "]]> <!-- -->"
direction left-right
external a "<b>&amp;</b> 'q' \"d\"" { description: "</title><script>" }
process p "e\u{301}\u{202E}rtl 東京 😀"
boundary z "<g onload=x>" {
  store s "a->b#2"
}
flow a -> p "x<y & y>z" { protocol: "\"><svg onload=alert(1)>" }
flow p -> s "ok"
flow p -> s "again"
threat T1 "<i>t</i>" on a -> p {
  actor: external_attacker
  scenario: "</desc>"
  stride: T
  severity: high
  mitigation: "none & none"
}
"#;
    let (s, m, a) = render(text, &SvgOptions::default());
    let p = check(&m, &a, &s, "hostile");
    assert!(!s.contains("<script"));
    assert!(!s.contains("<b>"));
    assert!(!s.contains("<g onload"));
    assert!(!s.contains("<svg onload"));
    assert!(s.contains("&lt;U+202E&gt;"), "bidi control shown");
    assert!(!s.contains('\u{202E}'));
    // Implicit flow ids with -> and # survive as attribute values.
    let ids: Vec<&str> = p.flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["a->p", "p->s", "p->s#2"]);
    let doc = Document::parse(&s).expect("xml");
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("title");
    assert_eq!(title, "<script>alert(1)</script> & \"x\"");
}

#[test]
fn worked_example_snapshot() {
    let text = std::fs::read_to_string("samples/acme-ecommerce.tmd").expect("acme");
    let (s, m, a) = render(&text, &SvgOptions::default());
    check(&m, &a, &s, "acme");
    // The worked example's facts, as drawn.
    let p = parse(&s);
    let pull = p
        .flows
        .iter()
        .find(|f| f.id == "pull_order")
        .expect("pull_order");
    assert!(pull.reversed && pull.crossing);
    let place = p
        .flows
        .iter()
        .find(|f| f.id == "customer->order_api")
        .expect("flow");
    assert!(place.crossing && !place.reversed);
    assert_eq!(
        place
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>(),
        vec!["Place order (HTTPS)"]
    );
    assert!(p.elements["order_api"].badge.is_some());
    assert_eq!(p.elements["customer"].kind, ElementKind::External.as_str());
    insta::assert_snapshot!("acme_svg", s);
}

/// Views (`--focus`, `--collapse`) are models too: every view of every
/// sample meets the SVG contract, passes through no element, and keeps
/// flows on their own tracks. The bound is 1 % of line length here, not
/// the 0.5 % of whole models: a few views put two opposite flows between
/// one pair of elements next to each other for a short stretch (0.8 % at
/// worst today), which the request/response pairing of the layout is to
/// mend.
#[test]
fn views_meet_the_contract() {
    use tmd::view::{apply, Spec as ViewSpec};
    let mut failed = Vec::new();
    for (name, text) in samples() {
        let c = tmd::compile(&text);
        let (m, _) = c.valid().expect("valid sample");
        let mut specs: Vec<ViewSpec> = Vec::new();
        for e in &m.elements {
            specs.push(ViewSpec {
                focus: vec![e.name.clone()],
                ..ViewSpec::default()
            });
        }
        for b in &m.boundaries {
            specs.push(ViewSpec {
                collapse: vec![b.name.clone()],
                ..ViewSpec::default()
            });
        }
        for spec in specs {
            let what = format!("{name} {spec:?}");
            let v = apply(m, &spec)
                .expect("a view")
                .expect("not the whole model");
            let s = svg(&v.model, &v.analysis, &SvgOptions::default()).svg;
            check(&v.model, &v.analysis, &s, &what);
            let q = quality(&v.model, &v.analysis, &SvgOptions::default());
            assert_eq!(
                q.edges_through_nodes, 0,
                "{what}: an edge runs through an element"
            );
            if q.shared_length > 0.005 * q.edge_length {
                failed.push(format!(
                    "{what}: {:.1} of {:.1} px shared",
                    q.shared_length, q.edge_length
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// A focus on one element of a 300-element model draws a small, readable
/// picture of its neighbourhood.
#[test]
fn a_focus_on_a_big_model_is_small() {
    use tmd::view::{apply, Spec as ViewSpec};
    let text = testgen::model(5, &Spec::random(5, 300));
    let c = tmd::compile(&text);
    let (m, _) = c.valid().expect("valid model");
    let degree = |e: tmd::model::ElementId| {
        m.flows
            .iter()
            .filter(|f| f.source == e || f.target == e)
            .count()
    };
    let busiest = m
        .element_ids()
        .max_by_key(|&e| (degree(e), std::cmp::Reverse(e)))
        .expect("elements");
    let spec = ViewSpec {
        focus: vec![m[busiest].name.clone()],
        ..ViewSpec::default()
    };
    let v = apply(m, &spec).expect("a view").expect("a view");
    assert!(
        v.model.elements.len() * 4 < m.elements.len(),
        "{} elements",
        v.model.elements.len()
    );
    let s = svg(&v.model, &v.analysis, &SvgOptions::default()).svg;
    check(&v.model, &v.analysis, &s, "focus on a 300-element model");
    assert!(
        s.contains("View: focus on"),
        "the caption says it is a view"
    );
}

/// Distance from `p` to the polyline `pts`.
fn to_polyline(p: (f64, f64), pts: &[(f64, f64)]) -> f64 {
    pts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (vx, vy) = (b.0 - a.0, b.1 - a.1);
            let len2 = vx * vx + vy * vy;
            let t = if len2 < 1e-12 {
                0.0
            } else {
                (((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2).clamp(0.0, 1.0)
            };
            ((p.0 - a.0 - vx * t).powi(2) + (p.1 - a.1 - vy * t).powi(2)).sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Points every pixel or so along a polyline.
fn samples_along(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let n = len.ceil().max(1.0) as usize;
        for i in 0..n {
            let t = (i as f64 + 0.5) / n as f64;
            out.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
        }
    }
    out
}

/// Gap between two rectangles (0 when they touch or overlap).
fn rect_gap(a: &R, b: &R) -> f64 {
    let dx = (b.x0 - a.x1).max(a.x0 - b.x1).max(0.0);
    let dy = (b.y0 - a.y1).max(a.y0 - b.y1).max(0.0);
    dx.max(dy)
}

/// The request/response pairs of a drawing (two opposite flows between
/// the same two elements, and no other flow between them): each runs
/// beside the other all along, a visible gap apart, never on it, and
/// their labels sit together. Returns how many pairs it checked. Unless
/// `all`, two opposite flows that run far apart somewhere are let be: the
/// layout draws a pair as two flows where the pair would cost crossings
/// or boundary passes.
fn check_pairs(p: &Parsed, what: &str, all: bool) -> usize {
    let mut between: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in p.flows.iter().enumerate() {
        let key = if f.source <= f.target {
            (f.source.clone(), f.target.clone())
        } else {
            (f.target.clone(), f.source.clone())
        };
        between.entry(key).or_default().push(i);
    }
    let mut checked = 0;
    for list in between.values() {
        let [i, j] = list[..] else { continue };
        let (a, b) = (&p.flows[i], &p.flows[j]);
        if a.source != b.target || a.points.len() < 2 || b.points.len() < 2 {
            continue;
        }
        checked += 1;
        let (mut near, mut far) = (f64::INFINITY, 0.0f64);
        let along = samples_along(&a.points);
        // The other line stops short of this one's source for its
        // arrowhead: how far apart they run is measured away from the ends.
        let end = 20.min(along.len() / 2);
        for (k, &q) in along.iter().enumerate() {
            let d = to_polyline(q, &b.points);
            near = near.min(d);
            if k >= end && k + end < along.len() {
                far = far.max(d);
            }
        }
        if !all && far > 10.0 {
            checked -= 1;
            continue;
        }
        assert!(
            near >= 3.0,
            "{what}: {} and {} come {near:.2} px close",
            a.id,
            b.id
        );
        assert!(
            far <= 10.0,
            "{what}: {} and {} run {far:.2} px apart somewhere",
            a.id,
            b.id
        );
        if let (Some(la), Some(lb)) = (&a.label, &b.label) {
            let gap = rect_gap(la, lb);
            assert!(
                gap <= 4.0,
                "{what}: the labels of {} and {} are {gap:.1} px apart",
                a.id,
                b.id
            );
        }
    }
    checked
}

#[test]
fn requests_and_responses_are_drawn_as_close_pairs() {
    let mut total = 0;
    for (name, text) in samples() {
        let (s, m, a) = render(&text, &SvgOptions::default());
        let p = check(&m, &a, &s, &name);
        let n = check_pairs(&p, &name, true);
        println!("{name}: {n} pairs");
        total += n;
    }
    assert!(total >= 10, "the samples hold pairs: {total}");
    // Generated models are denser: where pairs would cost crossings they
    // are drawn apart; the rest are checked.
    let mut generated = 0;
    for seed in [1u64, 2, 3, 4, 5, 6] {
        for n in [12usize, 50, 100] {
            let mut spec = Spec::random(seed, n);
            spec.pair_chance = 0.5;
            spec.direction = Some(if seed % 2 == 0 {
                "top-down"
            } else {
                "left-right"
            });
            let text = testgen::model(seed, &spec);
            let (s, m, a) = render(&text, &SvgOptions::default());
            let what = format!("seed {seed}, {n} elements");
            let p = parse(&s);
            generated += check_pairs(&p, &what, false);
            let _ = (m, a);
        }
    }
    assert!(generated >= 10, "generated models hold pairs: {generated}");
    // Marked responses, one of them declared before its request.
    let text = "process web \"Web\"\n\
        process api \"API\"\n\
        store db \"DB\"\n\
        flow q: web -> api \"Account query\"\n\
        flow api -> web \"Balances\" { response_to: q }\n\
        flow db -> api \"Rows\" { response_to: r }\n\
        flow r: api -> db \"Select\"\n";
    let c = tmd::compile(text);
    if let Some((m, a)) = c.valid() {
        let s = svg(m, a, &SvgOptions::default()).svg;
        let p = check(m, a, &s, "marked");
        assert_eq!(check_pairs(&p, "marked", true), 2);
    } else {
        panic!("valid model: {:?}", c.diagnostics);
    }
}

/// The content box of a drawing: its elements, boundaries, routes and
/// flow labels (as layoutq's stability measure takes it).
fn content_box(g: &tmd::emit::svg::Geometry) -> (f64, f64, f64, f64) {
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut add = |x: f64, y: f64| {
        b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    };
    let rects = g
        .elements
        .iter()
        .chain(&g.boundaries)
        .chain(g.flows.iter().filter_map(|f| f.1.as_ref()));
    for r in rects {
        add(r.x, r.y);
        add(r.x + r.width, r.y + r.height);
    }
    for p in g.flows.iter().flat_map(|f| &f.0) {
        add(p.x, p.y);
    }
    b
}

/// A valid model's elements and the geometry of its diagram.
fn drawn(text: &str) -> (Model, tmd::emit::svg::Geometry) {
    let c = tmd::compile(text);
    let (m, a) = c
        .valid()
        .unwrap_or_else(|| panic!("valid model: {:?}", c.diagnostics));
    (m.clone(), tmd::emit::svg::geometry(m, a))
}

/// How far the elements common to two drawings move between them, on
/// average, as a share of the first drawing's diagonal; both drawings
/// aligned by the top-left corner of their content.
fn moved((ma, ga): &(Model, tmd::emit::svg::Geometry), b: &str) -> f64 {
    let (mb, gb) = drawn(b);
    let (ca, cb) = (content_box(ga), content_box(&gb));
    let diag = (ca.2 - ca.0).hypot(ca.3 - ca.1);
    let at: BTreeMap<&str, usize> = mb
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let mut sum = 0.0;
    let mut n = 0usize;
    for (i, e) in ma.elements.iter().enumerate() {
        let Some(&j) = at.get(e.name.as_str()) else {
            continue;
        };
        let (ra, rb) = (&ga.elements[i], &gb.elements[j]);
        let xa = ra.x + ra.width / 2.0 - ca.0;
        let ya = ra.y + ra.height / 2.0 - ca.1;
        let xb = rb.x + rb.width / 2.0 - cb.0;
        let yb = rb.y + rb.height / 2.0 - cb.1;
        sum += (xa - xb).hypot(ya - yb);
        n += 1;
    }
    sum / n.max(1) as f64 / diag
}

/// layoutq's "add" edit: a process in the innermost boundary with the
/// most elements of its own, fed by that boundary's first element with an
/// outgoing flow and feeding that flow's target.
fn add_a_step(text: &str) -> Option<String> {
    let m = tmd::compile(text).valid()?.0.clone();
    let inner: BTreeSet<usize> = m
        .boundaries
        .iter()
        .filter_map(|b| b.parent.map(|p| p.index()))
        .collect();
    let own = |b: usize| {
        m.elements
            .iter()
            .filter(|e| e.boundary.map(|x| x.index()) == Some(b))
            .count()
    };
    let leaf = |b: &usize| !inner.contains(b);
    let pick = |only_leaves: bool| {
        (0..m.boundaries.len())
            .filter(|b| own(*b) > 0 && (!only_leaves || leaf(b)))
            .max_by_key(|&b| (own(b), std::cmp::Reverse(b)))
    };
    let b = pick(true).or_else(|| pick(false))?;
    let mine = |i: usize| m.elements[i].boundary.map(|x| x.index()) == Some(b);
    let first_out = (0..m.elements.len())
        .filter(|&i| mine(i))
        .find_map(|i| m.flows.iter().find(|f| f.source.index() == i));
    let (from, to) = match first_out {
        Some(f) => (f.source.index(), f.target.index()),
        None => {
            let from = (0..m.elements.len()).find(|&i| mine(i))?;
            (from, (0..m.elements.len()).find(|&i| i != from)?)
        }
    };
    let (from, to) = (&m.elements[from].name, &m.elements[to].name);
    let st = m.boundaries[b].statement;
    let open = st.start + text[st.start..st.end].find('{')? + 1;
    let mut out = String::with_capacity(text.len() + 200);
    out.push_str(&text[..open]);
    out.push_str("\n  process stab_added \"Added process\"");
    out.push_str(&text[open..]);
    out.push_str(&format!(
        "\nflow stab_in: {from} -> stab_added \"Added input\"\nflow stab_out: stab_added -> {to} \"Added output\"\n"
    ));
    Some(out)
}

/// layoutq's "remove" edit: the middle one of the flows whose removal
/// leaves a valid model.
fn remove_a_flow(text: &str) -> Option<String> {
    let m = tmd::compile(text).valid()?.0.clone();
    let cands: Vec<String> = m
        .flows
        .iter()
        .filter_map(|f| {
            let st = f.statement;
            let mut out = String::from(&text[..st.start]);
            out.push_str(&text[st.end..]);
            tmd::compile(&out).valid().is_some().then_some(out)
        })
        .collect();
    cands.get(cands.len() / 2).cloned()
}

/// Issue 12 item 5: after adding a process with two flows, or removing a
/// flow, the other elements move on average no further (as a share of the
/// diagonal) than they did when this test was written. The aim is 0.05;
/// where a sample is above it, the bound is today's figure, so the test
/// catches a layout change that makes small edits move more.
#[test]
fn small_edits_move_little() {
    // (sample, add, remove): today's figures, rounded up. Since the
    // ordering keeps long flows round sibling boxes in every sweep, the
    // moves are lower in all (the samples' ten figures sum to 0.83, were
    // 1.02; saas-cicd's add 0.269 -> 0.053), but mobile-banking's add rose
    // from 0.141 to 0.184: its app subnet settles in another order (and to
    // 0.190 with the transpose step, order::transpose). Since the sweeps
    // also start from the declared order and keep the better of the two
    // (order::Start), the ten sum to 0.80 (were 0.84): mobile-banking's
    // add 0.190 -> 0.130, threagile-demo's 0.014/0.050 -> 0.029/0.052 (an
    // edited model ends better from the other start than the model does).
    // Since top-level boxes with flows between them wish to follow one
    // another along the ranks (nesting::sequence_wishes), 0.65: saas-cicd's
    // remove 0.271 -> 0.121 (the drawing no longer turns into its mirror
    // image), acme's remove 0.089 -> 0.036, but acme's add 0.095 -> 0.119
    // (the warehouse stays right of the cloud, one rank further) and
    // threagile-demo's 0.029/0.052 -> 0.043/0.082. Since sibling boxes at
    // any depth that the ranking leaves overlapping by a rank or two are
    // ranked again to follow one another (rank::rank), 0.55:
    // mobile-banking's add 0.140 -> 0.080 (the data subnet stays after the
    // app subnet that grew), threagile-demo's remove 0.082 -> 0.036.
    let bounds: &[(&str, f64, f64)] = &[
        ("acme-ecommerce", 0.12, 0.04),
        ("mobile-banking", 0.09, 0.01),
        ("saas-cicd", 0.06, 0.13),
        ("telehealth", 0.06, 0.01),
        ("threagile-demo", 0.05, 0.04),
    ];
    let check = |name: &str, text: &str, add_bound: f64, remove_bound: f64| {
        let added = add_a_step(text).unwrap_or_else(|| panic!("{name}: the add edit applies"));
        let removed =
            remove_a_flow(text).unwrap_or_else(|| panic!("{name}: the remove edit applies"));
        let before = drawn(text);
        let (a, r) = (moved(&before, &added), moved(&before, &removed));
        println!("{name}: moved after an added step {a:.3}, after a removed flow {r:.3}");
        assert!(
            a <= add_bound,
            "{name}: an added step moves the rest {a:.3} > {add_bound}"
        );
        assert!(
            r <= remove_bound,
            "{name}: a removed flow moves the rest {r:.3} > {remove_bound}"
        );
    };
    for (name, text) in samples() {
        if let Some(&(_, add_bound, remove_bound)) = bounds
            .iter()
            .find(|(stem, _, _)| name.ends_with(&format!("{stem}.tmd")))
        {
            check(&name, &text, add_bound, remove_bound);
        }
    }
    // Generated models shaped like layoutq's (nested boundaries, far
    // flows, replies): (seed, elements, add, remove), today's figures
    // rounded up. Before the sweeps kept long flows round sibling boxes
    // the bounds were 0.27/0.23, 0.39/0.41, 0.11/0.01, 0.05/0.08 and
    // 0.03/0.02 (summing to 1.60). Since a flow leaves its box early
    // rather than change column in a sibling's band (normalize::
    // switch_gaps) these five sum to 1.26 (they were 1.03: seed 7 with 50
    // elements 0.064/0.186 -> 0.244/0.234, with 100 0.002/0.002 ->
    // 0.004/0.068), while on layoutq's own models, seeds 1-10 with 50 and
    // 100 elements, the sum fell from 2.69 to 2.46 (seed 7 with 100:
    // 0.085/0.031 -> 0.017/0.020): the ordering is chaotic under edits,
    // and this test catches a change that makes it worse across the board.
    // With the transpose step after the sweeps they sum to 0.97 (layoutq's
    // twenty: 2.54), and since only the edges that would cut a sibling box
    // leave their own early (`layout::ordered`), 0.90. With two starts for
    // the sweeps, 0.82 (seed 7 with 50: 0.08/0.19 -> 0.008/0.015; seed 3
    // with 50 removing 0.19 -> 0.29, seed 11 adding 0.09 -> 0.13). Since
    // a sibling box that a flow must cut through may trade places with its
    // neighbour (order::clear_cuts), 1.05: seed 7 with 100 elements
    // 0.012/0.002 -> 0.121/0.118 (its model clears a cut by a trade that
    // the edited models do not make), seed 3 with 100 removing 0.085 ->
    // 0.093; on layoutq's own twenty the mean add fell 0.056 -> 0.050, and
    // the passes through foreign boxes on 37 generated models 252 -> 185.
    // With top-level boxes following one another (nesting::sequence_wishes)
    // 0.62: seed 3 with 50 removing 0.29 -> 0.012, seed 7 with 100
    // 0.121/0.118 -> 0.016/0.001, but seed 7 with 50 0.01/0.02 ->
    // 0.047/0.144 and seed 11 with 50 adding 0.13 -> 0.16. With sibling
    // boxes that nearly follow one another ranked again to do so, 0.52:
    // seed 7 with 50 0.047/0.144 -> 0.008/0.061, seed 3 with 100 removing
    // 0.025 -> 0.052; on layoutq's own twenty the mean add rose 0.045 ->
    // 0.057 and remove 0.053 -> 0.064 (whether a pair is near is a yes or
    // no that an edit can flip), while the crossings of 22 generated models
    // of 100 elements fell 16 % and their passes through foreign boxes
    // from 47 to 18.
    let generated: &[(u64, usize, f64, f64)] = &[
        (3, 50, 0.20, 0.02),
        (7, 50, 0.01, 0.07),
        (11, 50, 0.17, 0.01),
        (3, 100, 0.02, 0.06),
        (7, 100, 0.02, 0.01),
    ];
    for &(seed, n, add_bound, remove_bound) in generated {
        let text = testgen::model(seed, &layoutq_like(seed, n));
        check(
            &format!("seed {seed}, {n} elements"),
            &text,
            add_bound,
            remove_bound,
        );
    }
}

/// A generated model whose drawing crossing reduction found as the mirror
/// image of the drawings of its two edited versions: since the order is
/// turned to lean with the declared order (layout::orient), the groups
/// stay where they were and the elements move little (before: 0.42 and
/// 0.43 of the diagonal).
#[test]
fn a_drawing_does_not_turn_over() {
    let text = std::fs::read_to_string("tests/fixtures/layout/turned-over.tmd")
        .expect("tests/fixtures/layout/turned-over.tmd");
    let before = drawn(&text);
    for (what, edited) in [
        ("an added step", add_a_step(&text)),
        ("a removed flow", remove_a_flow(&text)),
    ] {
        let edited = edited.unwrap_or_else(|| panic!("the {what} edit applies"));
        let m = moved(&before, &edited);
        println!("turned-over: moved after {what} {m:.3}");
        assert!(m <= 0.12, "after {what} the elements move {m:.3}");
    }
}
