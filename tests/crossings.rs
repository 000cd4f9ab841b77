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
//! included) and the edge crossings of its layout.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::crossings::*;

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
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
            .collect();
    files.sort();
    if let Ok(extra) = std::env::var("TMD_MEASURE") {
        files.extend(extra.split_whitespace().map(PathBuf::from));
    }
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
