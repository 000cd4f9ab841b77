//! Determinism: the same input gives byte-identical output, run after run
//! and process after process (a HashMap's order, a time stamp, a random
//! ID or an absolute path would show here). Every command that writes
//! something runs 20 times on every sample and hostile model.
//!
//! A command that writes files gets `{out}`, a fresh folder for each run,
//! which `outputs_of` reads back file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const RUNS: usize = 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn models() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["samples", "tests/hostile"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "tmd") {
                out.push(path.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The commands to repeat on `model`, each as its arguments (`{}` is the
/// model) and whether the model comes on stdin.
fn commands() -> Vec<(Vec<&'static str>, bool)> {
    vec![
        (vec!["check", "--format", "json", "{}"], false),
        (vec!["check", "--format", "short", "{}"], false),
        (vec!["check", "--format", "sarif", "{}"], false),
        (vec!["check", "--color", "never", "{}"], false),
        (vec!["check", "--color", "always", "{}"], false),
        (vec!["export", "{}"], false),
        (vec!["fmt", "-"], true),
        (vec!["fmt", "--check", "--color", "never", "{}"], false),
        (vec!["diff", "{}", "{}"], false),
        (vec!["diff", "--format", "md", "/dev/null", "{}"], false),
        (vec!["diff", "--format", "json", "{}", "/dev/null"], false),
        (
            vec![
                "diff",
                "--format",
                "text",
                "--color",
                "always",
                "/dev/null",
                "{}",
            ],
            false,
        ),
        (vec!["render", "{}"], false),
        (vec!["render", "--format", "dot", "{}"], false),
        (vec!["table", "--format", "md", "{}"], false),
        (vec!["table", "--format", "csv", "{}"], false),
        (vec!["table", "--format", "json", "{}"], false),
        (vec!["table", "--format", "html", "{}"], false),
        (vec!["report", "--format", "md", "{}"], false),
        (vec!["report", "--format", "html", "{}"], false),
        (
            vec!["diff", "/dev/null", "{}", "--svg", "{out}/diff.svg"],
            false,
        ),
        (vec!["build", "{}", "-o", "{out}"], false),
    ]
}

/// Everything a run wrote: stdout, stderr, the exit status and the files
/// it wrote into `{out}` (a new folder each time).
fn outputs_of(args: &[String], stdin: Option<&Path>) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    let args: Vec<String> = args.iter().map(|a| a.replace("{out}", &folder)).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(&args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(match stdin {
            Some(path) => Stdio::from(std::fs::File::open(path).unwrap()),
            None => Stdio::null(),
        })
        .output()
        .unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        "status".to_string(),
        format!("{:?}", out.status.code()).into_bytes(),
    );
    // Messages may name the folder; it differs from run to run.
    let unfolded = |bytes: Vec<u8>| {
        String::from_utf8_lossy(&bytes)
            .replace(&folder, "{out}")
            .into_bytes()
    };
    files.insert("stdout".to_string(), unfolded(out.stdout));
    files.insert("stderr".to_string(), unfolded(out.stderr));
    let mut written: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    written.sort();
    for path in written {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(format!("file {name}"), std::fs::read(&path).unwrap());
    }
    files
}

/// Whether `RUNS` runs of `tmd ARGS` all write the same.
fn same_every_run(args: &[String], stdin: Option<&Path>) -> bool {
    let first = outputs_of(args, stdin);
    (1..RUNS).all(|_| outputs_of(args, stdin) == first)
}

#[test]
fn every_output_is_byte_identical_across_runs_and_processes() {
    let mut cases = Vec::new();
    for model in models() {
        for (template, stdin) in commands() {
            let args: Vec<String> = template.iter().map(|a| a.replace("{}", &model)).collect();
            cases.push((args, stdin.then(|| root().join(&model))));
        }
    }
    all_the_same(&cases);
}

/// Fails naming every command of `cases` (arguments, stdin) whose runs
/// differ. The cases run on as many threads as the machine has cores (the
/// runs of one case one after the other): this test starts thousands of
/// processes, and on a CI machine of two cores it took four minutes alone.
fn all_the_same(cases: &[(Vec<String>, Option<PathBuf>)]) {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut differing: Vec<(usize, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((args, stdin)) = cases.get(i) else {
                            break found;
                        };
                        if !same_every_run(args, stdin.as_deref()) {
                            found.push((i, format!("tmd {}", args.join(" "))));
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    differing.sort();
    let differing: Vec<String> = differing.into_iter().map(|(_, d)| d).collect();
    assert!(
        differing.is_empty(),
        "not deterministic:\n{}",
        differing.join("\n")
    );
}

/// `tmd md` on every fixture page (diagrams, tables, errors), to stdout
/// and into a folder.
#[test]
fn markdown_pages_are_byte_identical_across_runs() {
    let mut pages: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/md"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    pages.sort();
    assert!(pages.len() >= 3);
    let mut cases = Vec::new();
    for page in &pages {
        for template in [
            vec!["md", "--color", "always", "{}"],
            vec!["md", "--on-error", "warn", "{}", "-o", "{out}"],
        ] {
            let args: Vec<String> = template.iter().map(|a| a.replace("{}", page)).collect();
            cases.push((args, None));
        }
    }
    all_the_same(&cases);
}

/// In one process too: compiling and emitting again gives the same bytes
/// (no state kept between calls).
#[test]
fn emitters_are_pure() {
    for model in models() {
        let text = std::fs::read_to_string(root().join(&model)).unwrap();
        let render = || {
            let c = tmd::compile(&text);
            let report = tmd::report::FileReport {
                name: &model,
                source: &c.source,
                diagnostics: &c.diagnostics,
            };
            let mut out = vec![
                tmd::report::json(std::slice::from_ref(&report), 1),
                tmd::report::sarif(std::slice::from_ref(&report)),
                tmd::report::short(&report),
                tmd::report::human(&report, true, tmd::report::DEFAULT_WIDTH),
            ];
            if let Some((m, a)) = c.valid() {
                let d = tmd::diff::diff((m, a), (m, a));
                out.push(tmd::emit::export::export(m, a));
                let svg = tmd::emit::svg::svg(m, a, &Default::default()).svg;
                out.push(tmd::emit::html::html(
                    m,
                    a,
                    &tmd::emit::findings::Findings::of(&c),
                    Some(&svg),
                ));
                out.push(svg);
                out.push(tmd::emit::dot::dot(m, a));
                out.push(tmd::emit::markdown::table(m, a));
                out.push(tmd::emit::markdown::report(
                    m,
                    a,
                    &tmd::emit::findings::Findings::of(&c),
                    Some("m.svg"),
                ));
                out.push(tmd::emit::csv::table(m, a, true));
                out.push(tmd::emit::table::json(m, a));
                out.push(tmd::diff::json(&d, "a", "b"));
                out.extend(c.file.as_ref().map(|f| tmd::fmt::format(f, &c.source)));
            }
            out
        };
        let first = render();
        for _ in 1..RUNS {
            assert!(render() == first, "{model}");
        }
    }
}
