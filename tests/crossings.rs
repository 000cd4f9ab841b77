//! The crossing counter (`tests/support/crossings.rs`), checked on shapes
//! with known answers, and a measurement of Graphviz on our DOT:
//!
//! ```text
//! cargo test --release --test crossings -- --ignored --nocapture
//! TMD_MEASURE="a.tmd b.tmd" cargo test --release --test crossings -- --ignored --nocapture
//! ```
//!
//! prints, for every sample (and the models named in `TMD_MEASURE`), the
//! size of the model, the time `dot -Tsvg` takes (best of 5, process start
//! included) and the edge crossings of its layout; then where Graphviz put
//! the text (`tests/support/dot_labels.rs`): flow labels across a
//! boundary's line, flows through a boundary's title, labels on nodes and on
//! labels, for tmd's DOT and for the two other ways DOT could say it
//! (`xlabel` for flow labels, boundary titles at the left).

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::crossings::*;
use support::dot_labels::{measure, TextPlacement};

#[test]
fn an_x_crosses_once() {
    let a = vec![(0.0, 0.0), (2.0, 2.0)];
    let b = vec![(0.0, 2.0), (2.0, 0.0)];
    assert_eq!(count_crossings(&[a, b]), 1);
}

#[test]
fn parallel_touching_and_shared_ends_do_not_cross() {
    let a = vec![(0.0, 0.0), (2.0, 0.0)];
    let parallel = vec![(0.0, -1.0), (2.0, -1.0)];
    let touching = vec![(1.0, 0.0), (1.0, 3.0)]; // starts on a
    let overlapping = vec![(1.0, 0.0), (3.0, 0.0)];
    assert_eq!(
        count_crossings(&[a.clone(), parallel, touching, overlapping]),
        0
    );
    // A star: edges leaving one node.
    let star: Vec<Polyline> = (0..6)
        .map(|i| {
            let t = i as f64;
            vec![(0.0, 0.0), (t.cos() * 5.0, t.sin() * 5.0)]
        })
        .collect();
    assert_eq!(count_crossings(&star), 0);
}

#[test]
fn curves_crossing_twice_count_twice() {
    let line = vec![(0.0, 0.0), (10.0, 0.0)];
    // Crosses the line at t = 0.5, exactly a vertex of the flattened curve.
    let s_curve = flatten_bezier(&[(0.0, -1.0), (3.0, -1.0), (7.0, 1.0), (10.0, 1.0)], 16);
    assert_eq!(count_crossings(&[line.clone(), s_curve]), 1);
    let wave = flatten_bezier(&[(0.0, -1.0), (3.0, 4.0), (7.0, -4.0), (10.0, 1.0)], 16);
    assert_eq!(count_crossings(&[line.clone(), wave]), 3);
    let arch = vec![(1.0, -1.0), (3.0, 1.0), (7.0, 1.0), (9.0, -1.0)];
    assert_eq!(count_crossings(&[line, arch]), 2);
}

#[test]
fn a_crossing_at_a_vertex_counts_once() {
    let a = vec![(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)];
    let b = vec![(0.0, 2.0), (2.0, 0.0)];
    assert_eq!(count_crossings(&[a, b]), 1);
}

#[test]
fn svg_paths_and_plain_output_parse() {
    let p = svg_path_polyline("M0,0 L10,0 l0,5 H0 v-5 Z");
    assert_eq!(
        p,
        vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 5.0),
            (0.0, 5.0),
            (0.0, 0.0),
            (0.0, 0.0)
        ]
    );
    let c = svg_path_polyline("M0,0C0,10 10,10 10,0");
    assert_eq!(c.len(), 1 + BEZIER_STEPS);
    assert_eq!(c.last(), Some(&(10.0, 0.0)));
    let c = svg_path_polyline("M1-2c1.5e1,0,0-3.5,1,1");
    assert_eq!(c.first(), Some(&(1.0, -2.0)));
    assert_eq!(c.last(), Some(&(2.0, -1.0)));
    let plain = "graph 1 2 2\nnode a 0.5 0.5 1 0.5 a solid box black lightgrey\n\
                 edge a \"b c\" 4 0 0 1 1 2 2 3 3 \"label\" 1 1 solid black\nedge b a 4 0 3 1 2 2 1 3 0.5 solid black\nstop\n";
    let edges = plain_edges(plain);
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0].len(), 1 + BEZIER_STEPS);
    assert_eq!(count_crossings(&edges), 1);
}

#[test]
fn graphviz_svg_edges_are_found() {
    let svg = r#"<g id="el&#45;a" class="node tmd-element"><path d="M0,0 L1,1"/></g>
<g id="fl&#45;0" class="edge tmd-flow"><title>a&#45;&gt;b</title><g id="a_fl&#45;0"><a><path fill="none" d="M0,0C1,1 2,2 3,3"/><polygon points="1,1"/></a></g></g>
<g id="fl&#45;1" class="edge tmd-flow"><path d="M0,3C1,2 2,1 3,0.5"/></g>
<g id="bd&#45;x" class="cluster tmd-boundary"><path d="M0,0 L9,9"/></g>"#;
    let edges = graphviz_svg_edges(svg);
    assert_eq!(edges.len(), 2);
    assert_eq!(count_crossings(&edges), 1);
}

/// The samples, then the models named in `TMD_MEASURE`.
fn measured_models() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    files.sort();
    if let Ok(extra) = std::env::var("TMD_MEASURE") {
        files.extend(extra.split_whitespace().map(PathBuf::from));
    }
    files
}

fn graphviz_installed() -> bool {
    support::skip::graphviz()
}

fn run_dot(format: &str, input: &str) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let owned = input.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(owned.as_bytes()));
    let out = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    feeder.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "dot warned: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, elapsed)
}

#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn measure_graphviz_time_and_crossings() {
    if !graphviz_installed() {
        return;
    }
    let files = measured_models();
    println!(
        "\n{:<28} {:>8} {:>6} {:>10} {:>9} {:>9} {:>10} {:>9}",
        "model",
        "elements",
        "flows",
        "boundaries",
        "dot -Tsvg",
        "emit DOT",
        "crossings",
        "svg check"
    );
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let compilation = tmd::compile(&source);
        let (model, analysis) = compilation.valid().expect("a valid model");
        let started = Instant::now();
        let dot = tmd::emit::dot::dot(model, analysis);
        let emit = started.elapsed();
        let best = (0..5).map(|_| run_dot("svg", &dot).1).min().unwrap();
        let (plain, _) = run_dot("plain", &dot);
        let crossings = count_crossings(&plain_edges(&String::from_utf8(plain).unwrap()));
        let (svg, _) = run_dot("svg", &dot);
        let from_svg = count_crossings(&graphviz_svg_edges(&String::from_utf8(svg).unwrap()));
        println!(
            "{:<28} {:>8} {:>6} {:>10} {:>7.0}ms {:>7.2}ms {:>10} {:>9}",
            path.file_stem().unwrap().to_string_lossy(),
            model.elements.len(),
            model.flows.len(),
            model.boundaries.len(),
            best.as_secs_f64() * 1000.0,
            emit.as_secs_f64() * 1000.0,
            crossings,
            from_svg
        );
    }
}

/// A hand-made `dot -Tjson` drawing with one of each thing the text
/// measurement counts: a boundary (0,0)-(100,100) titled at the top, a node
/// inside it, a flow whose label straddles the boundary's right line and
/// whose line runs through the title, and a second label on top of the node
/// and of the first label.
#[test]
fn text_placement_counts_known_answers() {
    let json = r#"{
      "objects": [
        {"name": "cluster_zone", "bb": "0,0,100,100",
         "_ldraw_": [{"op": "F", "size": 10, "face": "x"},
                     {"op": "T", "pt": [50, 90], "align": "c", "width": 30, "text": "Zone"}]},
        {"name": "cluster:frame", "bb": "-50,-50,300,300"},
        {"name": "a", "pos": "40,40",
         "_draw_": [{"op": "e", "rect": [40, 40, 10, 10]},
                    {"op": "p", "points": [[30, 30], [50, 30], [50, 56], [30, 56]]}]}
      ],
      "edges": [
        {"tail": 0, "head": 0,
         "_draw_": [{"op": "b", "points": [[50, 150], [50, 120], [50, 100], [50, 60]]}],
         "_ldraw_": [{"op": "F", "size": 10, "face": "x"},
                     {"op": "T", "pt": [100, 60], "align": "c", "width": 40, "text": "across"}]},
        {"tail": 0, "head": 0,
         "_draw_": [{"op": "L", "points": [[200, 0], [200, 10]]}],
         "_ldraw_": [{"op": "T", "pt": [45, 55], "align": "l", "width": 60, "text": "on top"}]}
      ]
    }"#;
    let m = measure(json).unwrap();
    assert_eq!(
        m,
        TextPlacement {
            // "across" (80..120) straddles x = 100; "on top" (45..105) too.
            labels_on_boundary_lines: 2,
            flows_through_titles: 1,
            labels_on_nodes: 1,
            labels_on_labels: 1,
        }
    );
    // Moved inside, away from the line, the title, the node and the other
    // label, nothing is counted.
    let inside = json
        .replace("[100, 60]", "[75, 20]")
        .replace("[45, 55]", "[200, 200]")
        .replace("[50, 100], [50, 60]", "[70, 100], [70, 60]")
        .replace("[50, 150], [50, 120]", "[70, 150], [70, 120]");
    assert_eq!(measure(&inside).unwrap(), TextPlacement::default());
}

/// The same DOT with every flow's `label` written as `xlabel` (placed after
/// the layout instead of taking room in it), or with boundary titles at the
/// left instead of the centre.
fn dot_variant(dot: &str, variant: &str) -> String {
    let mut out = String::new();
    for line in dot.lines() {
        let t = line.trim_start();
        let changed = match variant {
            "xlabel" if t.starts_with('"') && t.contains("\" -> \"") => {
                line.replacen(" label=<", " xlabel=<", 1)
            }
            "xlabel" if t.starts_with("graph [") => {
                line.replacen(" mclimit=4", " mclimit=4 forcelabels=true", 1)
            }
            "left titles" if t == "labeljust=c" => line.replacen("labeljust=c", "labeljust=l", 1),
            _ => line.to_string(),
        };
        out.push_str(&changed);
        out.push('\n');
    }
    out
}

#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn measure_graphviz_text_placement() {
    if !graphviz_installed() {
        return;
    }
    let files = measured_models();
    println!(
        "\nlabels across a boundary line / flows through a boundary title / labels on nodes / labels on labels"
    );
    println!(
        "{:<28} {:>16} {:>16} {:>16}",
        "model", "tmd's DOT", "xlabel", "left titles"
    );
    let mut totals = [TextPlacement::default(); 3];
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let compilation = tmd::compile(&source);
        let (model, analysis) = compilation.valid().expect("a valid model");
        let dot = tmd::emit::dot::dot(model, analysis);
        let mut cells = Vec::new();
        for (i, variant) in ["tmd", "xlabel", "left titles"].into_iter().enumerate() {
            let (json, _) = run_dot("json", &dot_variant(&dot, variant));
            let m = measure(&String::from_utf8(json).unwrap()).unwrap();
            let t = &mut totals[i];
            t.labels_on_boundary_lines += m.labels_on_boundary_lines;
            t.flows_through_titles += m.flows_through_titles;
            t.labels_on_nodes += m.labels_on_nodes;
            t.labels_on_labels += m.labels_on_labels;
            cells.push(cell(&m));
        }
        println!(
            "{:<28} {:>16} {:>16} {:>16}",
            path.file_stem().unwrap().to_string_lossy(),
            cells[0],
            cells[1],
            cells[2]
        );
    }
    println!(
        "{:<28} {:>16} {:>16} {:>16}",
        "total",
        cell(&totals[0]),
        cell(&totals[1]),
        cell(&totals[2])
    );
}

fn cell(m: &TextPlacement) -> String {
    format!(
        "{}/{}/{}/{}",
        m.labels_on_boundary_lines, m.flows_through_titles, m.labels_on_nodes, m.labels_on_labels
    )
}
