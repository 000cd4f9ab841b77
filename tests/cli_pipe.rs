//! A closed stdout (or stderr) is the end of the job, not a crash:
//! `tmd diff A B | head -c1`, `tmd check a.tmd 2>&1 | head`, git's
//! external diff driver behind a pager the user quits. For every command
//! that prints, the real binary runs three ways beside a reader that reads
//! everything: a reader that reads one byte and closes the pipe (outputs
//! larger than a pipe's buffer, so the command is still writing), a pipe
//! already closed, and stdout and stderr both on a closed pipe. No panic,
//! no message, and the exit status the full run gives (README.md, "Exit
//! status").

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};

use serde_json::json;
use tmd::testgen::{model, Spec};

/// Bigger than any pipe buffer (64 KiB on Linux) by a wide margin.
const LARGE: usize = 96 * 1024;

struct Case {
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// The full stdout is larger than a pipe's buffer.
    large: bool,
}

fn case(args: &[&str]) -> Case {
    Case {
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: None,
        large: true,
    }
}

impl Case {
    fn small(mut self) -> Case {
        self.large = false;
        self
    }

    fn stdin(mut self, bytes: Vec<u8>) -> Case {
        self.stdin = Some(bytes);
        self
    }

    fn name(&self) -> String {
        format!("tmd {}", self.args.join(" "))
    }

    fn command(&self, dir: &Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tmd"));
        c.args(&self.args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        c
    }

    /// Feeds stdin on a thread (the command may stop reading it).
    fn feed(&self, child: &mut Child) -> Option<std::thread::JoinHandle<()>> {
        let mut pipe = child.stdin.take()?;
        let bytes = self.stdin.clone().unwrap_or_default();
        Some(std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        }))
    }

    fn full(&self, dir: &Path) -> Output {
        let mut child = self
            .command(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feeder = self.feed(&mut child);
        let out = child.wait_with_output().unwrap();
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        out
    }

    /// Reads one byte of stdout, closes it, and waits.
    fn read_one_byte(&self, dir: &Path) -> (ExitStatus, Vec<u8>) {
        let mut child = self
            .command(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feeder = self.feed(&mut child);
        let mut stderr = child.stderr.take().unwrap();
        let drain = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stderr.read_to_end(&mut bytes).unwrap();
            bytes
        });
        let mut stdout = child.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        let _ = stdout.read(&mut byte);
        drop(stdout);
        let status = child.wait().unwrap();
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        (status, drain.join().unwrap())
    }

    /// Stdout on a pipe whose reader is gone before the command starts.
    fn stdout_closed(&self, dir: &Path) -> (ExitStatus, Vec<u8>) {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = self
            .command(dir)
            .stdout(writer)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feeder = self.feed(&mut child);
        let out = child.wait_with_output().unwrap();
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        (out.status, out.stderr)
    }

    /// `2>&1 | head -c0`: stdout and stderr on one closed pipe.
    fn both_closed(&self, dir: &Path) -> ExitStatus {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = self
            .command(dir)
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .spawn()
            .unwrap();
        let feeder = self.feed(&mut child);
        let status = child.wait().unwrap();
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        status
    }

    /// Stderr closed, stdout read in full: the output is still whole.
    fn stderr_closed(&self, dir: &Path) -> Output {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = self
            .command(dir)
            .stdout(Stdio::piped())
            .stderr(writer)
            .spawn()
            .unwrap();
        let feeder = self.feed(&mut child);
        let out = child.wait_with_output().unwrap();
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        out
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_all(cases: &[Case], dir: &Path) {
    for c in cases {
        let name = c.name();
        let full = c.full(dir);
        assert_ne!(
            full.status.code(),
            Some(101),
            "{name}: {}",
            text(&full.stderr)
        );
        assert!(
            !text(&full.stderr).contains("panicked"),
            "{name}: {}",
            text(&full.stderr)
        );
        if c.large {
            assert!(
                full.stdout.len() > LARGE,
                "{name}: only {} bytes on stdout, not enough to fill a pipe",
                full.stdout.len()
            );
        }
        let (status, stderr) = c.read_one_byte(dir);
        assert_eq!(
            status.code(),
            full.status.code(),
            "{name} | head -c1: {}",
            text(&stderr)
        );
        assert_eq!(
            text(&stderr),
            text(&full.stderr),
            "{name} | head -c1: stderr differs from a full run"
        );
        let (status, stderr) = c.stdout_closed(dir);
        assert_eq!(
            status.code(),
            full.status.code(),
            "{name} >closed pipe: {}",
            text(&stderr)
        );
        assert_eq!(
            text(&stderr),
            text(&full.stderr),
            "{name} >closed pipe: stderr differs from a full run"
        );
        let status = c.both_closed(dir);
        assert_eq!(status.code(), full.status.code(), "{name} 2>&1 >closed");
        let out = c.stderr_closed(dir);
        assert_eq!(out.status.code(), full.status.code(), "{name} 2>closed");
        assert!(
            out.stdout == full.stdout,
            "{name} 2>closed: stdout differs from a full run"
        );
    }
}

/// A folder with generated models: `a.tmd` and `b.tmd` (1,200 elements,
/// different seeds), `s.tmd` (300 elements, for the commands that draw),
/// `messy.tmd` (`a.tmd` indented wrong), `page.md` (a fence drawing
/// `s.tmd`'s text).
fn models() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("tmd-pipe")
        .tempdir()
        .unwrap();
    let dir = tmp.path().to_path_buf();
    let a = model(1, &Spec::bench(1200));
    let s = model(3, &Spec::bench(300));
    std::fs::write(dir.join("a.tmd"), &a).unwrap();
    std::fs::write(dir.join("b.tmd"), model(2, &Spec::bench(1200))).unwrap();
    std::fs::write(dir.join("s.tmd"), &s).unwrap();
    let messy: String = a.lines().map(|l| format!("   {l}\n")).collect();
    std::fs::write(dir.join("messy.tmd"), messy).unwrap();
    std::fs::write(dir.join("page.md"), page(&s)).unwrap();
    (tmp, dir)
}

fn page(model: &str) -> String {
    format!("# Design\n\n```tmd\n{model}```\n\nThe end.\n")
}

fn book(dir: &Path, model: &str) -> Vec<u8> {
    let context = json!({
        "root": dir.display().to_string(),
        "config": {"book": {"title": "T", "src": "src"}, "preprocessor": {"tmd": {}}},
        "renderer": "html",
        "mdbook_version": "0.4.40",
    });
    let chapter = json!({"Chapter": {
        "name": "Design", "content": page(model), "number": [1], "sub_items": [],
        "path": "design.md", "source_path": "design.md", "parent_names": [],
    }});
    serde_json::to_vec(&json!([context, {"items": [chapter]}])).unwrap()
}

#[test]
fn check_and_diff_stop_quietly_on_a_closed_pipe() {
    let (_tmp, dir) = models();
    let cases = [
        case(&["check", "--format", "short", "a.tmd", "b.tmd"]),
        case(&["check", "--format", "json", "a.tmd", "b.tmd"]),
        case(&["check", "--format", "sarif", "a.tmd"]),
        // Human diagnostics go to stderr; stdout is empty.
        case(&["check", "a.tmd"]).small(),
        case(&["diff", "a.tmd", "b.tmd"]),
        // A pull-request comment stays under GitHub's size limit.
        case(&["diff", "--format", "md", "a.tmd", "b.tmd"]).small(),
        case(&["diff", "--format", "json", "a.tmd", "b.tmd"]),
        // As git's external diff driver (git's pager quits early).
        case(&[
            "diff",
            "--git-external",
            "--",
            "m.tmd",
            "a.tmd",
            "1111111",
            "100644",
            "b.tmd",
            "2222222",
            "100644",
        ]),
    ];
    run_all(&cases, &dir);
}

#[test]
fn emitting_commands_stop_quietly_on_a_closed_pipe() {
    let (_tmp, dir) = models();
    let cases = [
        case(&["export", "a.tmd"]),
        case(&["render", "s.tmd"]),
        case(&["render", "--format", "dot", "a.tmd"]),
        case(&["table", "a.tmd"]),
        case(&["table", "--format", "csv", "a.tmd"]),
        case(&["table", "--format", "json", "a.tmd"]),
        case(&["table", "--format", "html", "a.tmd"]),
        case(&["report", "a.tmd"]),
        case(&["report", "--format", "html", "s.tmd"]),
        // Writes files; its summary and diagnostics are on stderr.
        case(&["build", "s.tmd", "-o", "out"]).small(),
    ];
    run_all(&cases, &dir);
}

#[test]
fn text_commands_stop_quietly_on_a_closed_pipe() {
    let (_tmp, dir) = models();
    let messy = std::fs::read(dir.join("messy.tmd")).unwrap();
    let s = std::fs::read_to_string(dir.join("s.tmd")).unwrap();
    let cases = [
        case(&["fmt", "--check", "messy.tmd"]),
        case(&["fmt", "--check", "messy.tmd", "a.tmd"]),
        case(&["fmt", "-"]).stdin(messy.clone()),
        case(&["fmt", "--check", "-"]).stdin(messy),
        case(&["md", "page.md"]),
        case(&["md", "-"]).stdin(page(&s).into_bytes()),
        case(&["mdbook"]).stdin(book(&dir, &s)),
        case(&["explain", "--list"]).small(),
        case(&["explain", "TMD106"]).small(),
        case(&["completions", "bash"]).small(),
        case(&["completions", "zsh"]).small(),
        case(&["--help"]).small(),
        case(&["check", "--help"]).small(),
        case(&["--version"]).small(),
    ];
    run_all(&cases, &dir);
}

/// Nothing in src/cli prints but its output layer (src/cli/print.rs):
/// a `println!` that panics on a closed pipe cannot come back.
#[test]
fn only_the_output_layer_touches_stdout_and_stderr() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/main.rs"), root.join("src/bin/mdbook-tmd.rs")];
    for entry in std::fs::read_dir(root.join("src/cli")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let forbidden = [
        "print!(",
        "println!(",
        "eprint!(",
        "eprintln!(",
        "dbg!(",
        "io::stdout(",
        "io::stderr(",
        "e.print(",
    ];
    let mut found = Vec::new();
    for file in files {
        if file.ends_with("print.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for (n, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for f in forbidden {
                // `eprint!(` contains `print!(`: report the line once.
                if code.contains(f) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "print through src/cli/print.rs instead:\n{}",
        found.join("\n")
    );
}
