//! Timing of the SVG renderer on generated models:
//! `cargo run --release --example bench_render [-- SIZES...]`.
//!
//! For the worked example and for models of 10, 100, 1,000 and 5,000
//! elements (`tmd::testgen::Spec::bench`: about 1.5 flows per element with
//! some request/response pairs, boundaries of about 20 elements nested two
//! deep), prints the median time to compile the text (`tmd::compile`) and
//! to render the SVG (`tmd::emit::svg::svg`), separately.

use std::time::Instant;

use tmd::emit::svg::{svg, SvgOptions};
use tmd::testgen::{model, Spec};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn bench(name: &str, text: &str, runs: usize) {
    let mut compile_ms = Vec::with_capacity(runs);
    let mut svg_ms = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let c = tmd::compile(text);
        compile_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let Some((m, a)) = c.valid() else {
            eprintln!("{name}: the generated model has errors");
            return;
        };
        let t = Instant::now();
        let r = svg(m, a, &SvgOptions::default());
        svg_ms.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some((
            m.elements.len(),
            m.flows.len(),
            m.boundaries.len(),
            r.svg.len(),
            r.warning,
        ));
    }
    let Some((e, f, b, bytes, warning)) = last else {
        return;
    };
    println!(
        "{name:>10} {e:>8} {f:>6} {b:>10} {:>11.2} {:>8.2} {:>9}  {}",
        median(compile_ms),
        median(svg_ms),
        bytes / 1024,
        warning.unwrap_or_default()
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 100, 1000, 5000]
    } else {
        sizes
    };
    println!(
        "{:>10} {:>8} {:>6} {:>10} {:>11} {:>8} {:>9}  warning",
        "model", "elements", "flows", "boundaries", "compile ms", "svg ms", "svg KiB"
    );
    bench("acme", include_str!("../samples/acme-ecommerce.tmd"), 51);
    for n in sizes {
        let text = model(42, &Spec::bench(n));
        let runs = match n {
            0..=100 => 21,
            101..=1000 => 5,
            _ => 3,
        };
        bench(&format!("gen-{n}"), &text, runs);
    }
}
