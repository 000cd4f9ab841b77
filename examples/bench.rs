//! `make bench`: timing of tmd on the worked example and on generated
//! models of 10, 100, 1,000 and 5,000 elements (`tmd::testgen::Spec::bench`:
//! about 1.5 flows per element with some request/response pairs,
//! boundaries of about 20 elements nested two deep). For each it prints the
//! median time to compile and check the text, to write the DOT, and to
//! draw the SVG with the built-in renderer, separately; and, where Graphviz
//! is installed, the time `dot -Tsvg` takes on our DOT in the same run
//! (once, under a time limit, since it can fail or take minutes).
//!
//! `cargo run --release --example bench [-- SIZES...]`

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tmd::emit::svg::{svg, SvgOptions};
use tmd::testgen::{model, Spec};

const GRAPHVIZ_LIMIT: Duration = Duration::from_secs(120);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// `dot -Tsvg` on `source`: milliseconds, or why it gave no picture.
fn graphviz(source: &str) -> String {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return "not installed".into();
    };
    let start = Instant::now();
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(source.as_bytes());
    }
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let elapsed = ms(start);
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                return if status.success() {
                    format!("{elapsed:.0}")
                } else {
                    let first = err
                        .lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(40)
                        .collect::<String>();
                    format!("failed ({first})")
                };
            }
            Ok(None) if start.elapsed() > GRAPHVIZ_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return format!("> {} s, killed", GRAPHVIZ_LIMIT.as_secs());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return format!("error {e}"),
        }
    }
}

fn bench(name: &str, text: &str, runs: usize) {
    let (mut check, mut dot, mut draw) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let c = tmd::compile(text);
        check.push(ms(t));
        let Some((m, a)) = c.valid() else {
            eprintln!("{name}: the generated model has errors");
            return;
        };
        let t = Instant::now();
        let d = tmd::emit::dot::dot(m, a);
        dot.push(ms(t));
        let t = Instant::now();
        let r = svg(m, a, &SvgOptions::default());
        draw.push(ms(t));
        last = Some((
            m.elements.len(),
            m.flows.len(),
            m.boundaries.len(),
            d,
            r.warning,
        ));
    }
    let Some((e, f, b, d, warning)) = last else {
        return;
    };
    let gv = graphviz(&d);
    println!(
        "{name:>10} {e:>8} {f:>6} {b:>10} {:>10.2} {:>8.2} {:>9.2} {gv:>14}  {}",
        median(check),
        median(dot),
        median(draw),
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
        "{:>10} {:>8} {:>6} {:>10} {:>10} {:>8} {:>9} {:>14}  warning",
        "model", "elements", "flows", "boundaries", "check ms", "dot ms", "svg ms", "graphviz ms"
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
