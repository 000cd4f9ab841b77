//! `make bench-build`: the whole `tmd build` of the worked example (a
//! process that reads, checks and writes all six outputs) beside Graphviz
//! drawing the same model from our DOT (`dot -Tsvg`, one output), in one
//! run, the two alternating so that the machine's load falls on both alike.
//! Prints, for each, the median and quartiles of the wall-clock time and
//! the median CPU time (user + system, from `getrusage`: on a loaded
//! machine the wall clock of a short process is mostly time spent waiting
//! for a core), and how many times faster tmd is by both. tmd is timed
//! three ways: a rebuild whose outputs are unchanged (left as they are,
//! with a new modification time), a build into an empty folder, and a
//! build over older outputs that differ (six files replaced by a rename:
//! on ext4 each rename starts writing the new file out).
//!
//! `cargo run --release --example bench_build -- [TMD_BINARY [RUNS [MODEL]]]`
//! (default `target/release/tmd`, 50 runs, `samples/acme-ecommerce.tmd`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn quartiles(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v.get(i).copied().unwrap_or(0.0)
    };
    (at(0.25), at(0.5), at(0.75))
}

/// User + system CPU time of every child waited for so far, in ms.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

/// Runs `cmd`: its wall time and its CPU time in milliseconds. Stops the
/// bench on a failure (a bench of a failing command measures nothing).
fn time(cmd: &mut Command) -> (f64, f64) {
    let cpu = children_cpu();
    let start = Instant::now();
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let elapsed = start.elapsed().as_secs_f64() * 1e3;
    let cpu = children_cpu() - cpu;
    match status {
        Ok(s) if s.code() == Some(0) => (elapsed, cpu),
        Ok(s) => {
            eprintln!("{cmd:?} failed: {s}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("cannot run {cmd:?}: {e}");
            std::process::exit(2);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tmd = PathBuf::from(args.first().map_or("target/release/tmd", String::as_str));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(50);
    let model = PathBuf::from(
        args.get(2)
            .map_or("samples/acme-ecommerce.tmd", String::as_str),
    );
    if !tmd.exists() {
        eprintln!(
            "no tmd binary at {} (cargo build --release first)",
            tmd.display()
        );
        std::process::exit(2);
    }
    let text = std::fs::read_to_string(&model).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", model.display());
        std::process::exit(2)
    });
    let compilation = tmd::compile(&text);
    let Some((m, analysis)) = compilation.valid() else {
        eprintln!("{} has errors", model.display());
        std::process::exit(2);
    };
    let dir = std::env::temp_dir().join(format!("tmd-bench-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(2);
    }
    let dot_file = dir.join("model.dot");
    if let Err(e) = std::fs::write(&dot_file, tmd::emit::dot::dot(m, analysis)) {
        eprintln!("cannot write {}: {e}", dot_file.display());
        std::process::exit(2);
    }
    let out = dir.join("out");
    let svg = dir.join("graphviz.svg");
    let build = |out: &Path| {
        let mut c = Command::new(&tmd);
        c.arg("build").arg(&model).arg("-o").arg(out);
        c
    };
    let graphviz = || {
        let mut c = Command::new("dot");
        c.arg("-Tsvg").arg(&dot_file).arg("-o").arg(&svg);
        c
    };
    if Command::new("dot").arg("-V").output().is_err() {
        eprintln!("Graphviz `dot` is not installed: nothing to compare with");
        std::process::exit(2);
    }
    // Warm the caches (binaries, the model, the folder), then alternate.
    time(&mut build(&out));
    time(&mut graphviz());
    let outputs: Vec<PathBuf> = std::fs::read_dir(&out)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let mut samples: [(Vec<f64>, Vec<f64>); 4] = Default::default();
    for _ in 0..runs {
        for (mode, sample) in samples.iter_mut().enumerate() {
            // Set up outside the timing: an empty folder, or older outputs.
            match mode {
                1 => {
                    let _ = std::fs::remove_dir_all(&out);
                }
                2 => {
                    for path in &outputs {
                        let _ = std::fs::write(path, "older\n");
                    }
                }
                _ => {}
            }
            let (wall, cpu) = if mode == 3 {
                time(&mut graphviz())
            } else {
                time(&mut build(&out))
            };
            sample.0.push(wall);
            sample.1.push(cpu);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let [same, fresh, changed, dot] =
        samples.map(|(wall, cpu)| (quartiles(wall), quartiles(cpu).1));
    println!(
        "{} ({} elements, {} flows, {} threats), {runs} runs each, alternating:",
        model.display(),
        m.elements.len(),
        m.flows.len(),
        m.threats.len()
    );
    println!(
        "  whole process                              wall clock: median (quartiles)   CPU: median"
    );
    let row = |name: &str, ((q1, m, q3), cpu): ((f64, f64, f64), f64)| {
        println!("  {name:<42} {m:7.2} ms ({q1:.2}-{q3:.2}) {cpu:13.2} ms");
    };
    row("dot -Tsvg (1 output)", dot);
    row("tmd build (6 outputs), outputs unchanged", same);
    row("tmd build (6 outputs), into an empty folder", fresh);
    row("tmd build (6 outputs), replacing older ones", changed);
    let ((_, dot_wall, _), dot_cpu) = dot;
    for (name, ((_, wall, _), cpu)) in [
        ("outputs unchanged", same),
        ("into an empty folder", fresh),
        ("replacing older ones", changed),
    ] {
        println!(
            "  tmd build ({name}) is {:.1}x faster than dot -Tsvg alone by the wall clock, {:.1}x by CPU time",
            dot_wall / wall,
            dot_cpu / cpu
        );
    }
}
