//! Determinism: the same input gives byte-identical output, run after run
//! and process after process (a HashMap's order, a time stamp, a random
//! ID or an absolute path would show here). Every command that writes
//! something runs 20 times on every sample and hostile model.
//!
//! When a command lands (`tmd render`, `tmd table`, `tmd build`), it is
//! one more line in `commands`; `build` writes a directory, which
//! `outputs_of` reads back file by file.

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
        // (vec!["render", "{}"], false),
        // (vec!["table", "--format", "csv", "{}"], false),
    ]
}

/// Everything a run wrote: stdout, stderr and the exit status.
fn outputs_of(args: &[String], stdin: Option<&Path>) -> BTreeMap<String, Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
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
    files.insert("stdout".to_string(), out.stdout);
    files.insert("stderr".to_string(), out.stderr);
    files
}

#[test]
fn every_output_is_byte_identical_across_runs_and_processes() {
    let mut differing = Vec::new();
    for model in models() {
        for (template, stdin) in commands() {
            let args: Vec<String> = template.iter().map(|a| a.replace("{}", &model)).collect();
            let stdin_path: Option<PathBuf> = stdin.then(|| root().join(&model));
            let first = outputs_of(&args, stdin_path.as_deref());
            for _ in 1..RUNS {
                if outputs_of(&args, stdin_path.as_deref()) != first {
                    differing.push(format!("tmd {}", args.join(" ")));
                    break;
                }
            }
        }
    }
    assert!(
        differing.is_empty(),
        "not deterministic:\n{}",
        differing.join("\n")
    );
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
                tmd::report::human(&report, true),
            ];
            if let Some((m, a)) = c.valid() {
                let d = tmd::diff::diff((m, a), (m, a));
                out.push(tmd::emit::export::export(m, a));
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
