//! The tree-sitter grammar in `editors/tree-sitter-tmd`, with the real
//! tree-sitter CLI (built from crates.io: `cargo install tree-sitter-cli
//! --locked --version 0.27.1`) in a scratch copy of the grammar:
//!
//! - `tree-sitter generate` (which runs `grammar.js` under Node.js) gives
//!   exactly the committed `src/` (editors build the parser from it);
//! - the corpus in `test/corpus/` holds the current samples and valid
//!   fixtures (`test/corpus.mjs --check`), and `tree-sitter test` passes
//!   (the corpus trees and the highlight assertions of `test/highlight/`);
//! - every `.tmd` of the repository that tmd's own parser accepts parses
//!   with no ERROR or MISSING node.
//!
//! Without the CLI or Node.js the test says SKIPPED (tests/support/skip.rs).

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn grammar_dir() -> PathBuf {
    common::root().join("editors/tree-sitter-tmd")
}

fn said(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        if name == "node_modules" || name == "build" {
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Every `.tmd` under `dir`, recursively.
fn tmd_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            tmd_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "tmd") {
            out.push(path);
        }
    }
}

#[test]
fn tree_sitter_grammar_generates_tests_and_parses_every_model() {
    if !support::skip::have(
        "tree-sitter",
        &["--version"],
        "cargo install tree-sitter-cli --locked --version 0.27.1",
    ) {
        return;
    }
    if !support::skip::have("node", &["--version"], "Node.js runs grammar.js") {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("tree-sitter-tmd");
    copy_dir(&grammar_dir(), &copy);
    let libdir = scratch.path().join("lib");
    std::fs::create_dir_all(&libdir).unwrap();
    let ts = |args: &[&str]| {
        Command::new("tree-sitter")
            .args(args)
            .current_dir(&copy)
            .env("TREE_SITTER_LIBDIR", &libdir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };

    // The committed parser is what the grammar generates.
    let out = ts(&["generate"]);
    assert!(out.status.success(), "tree-sitter generate: {}", said(&out));
    for file in ["src/parser.c", "src/grammar.json", "src/node-types.json"] {
        let fresh = std::fs::read_to_string(copy.join(file)).unwrap();
        let committed = std::fs::read_to_string(grammar_dir().join(file)).unwrap();
        assert!(
            fresh == committed,
            "editors/tree-sitter-tmd/{file} is stale: run `tree-sitter generate` there and commit src/"
        );
    }

    // The corpus holds the current samples and fixtures, and passes.
    let check = Command::new("node")
        .args(["test/corpus.mjs", "--check"])
        .current_dir(grammar_dir())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "the corpus is stale (run `node test/corpus.mjs`, then `tree-sitter test --update`, and review): {}",
        said(&check)
    );
    let out = ts(&["test"]);
    assert!(out.status.success(), "tree-sitter test: {}", said(&out));
    let text = said(&out);
    assert!(text.contains("successful parses: "), "{text}");
    assert!(text.contains("success percentage: 100"), "{text}");

    // Every model tmd's parser accepts parses cleanly here too.
    let root = common::root();
    let mut files = Vec::new();
    for dir in ["samples", "tests", "docs", "editors"] {
        tmd_files(&root.join(dir), &mut files);
    }
    files.sort();
    // A NUL character is the end of input to tree-sitter's lexer (tmd
    // reads it, then refuses it: TMD011); such a file is left out.
    let accepted: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| {
            std::fs::read(p)
                .ok()
                .filter(|b| !b.contains(&0))
                .and_then(|b| String::from_utf8(b).ok())
                .is_some_and(|text| tmd::compile(&text).file.is_some())
        })
        .collect();
    assert!(accepted.len() > 50, "{}", accepted.len());
    let mut args: Vec<&std::ffi::OsStr> = vec!["parse".as_ref(), "--quiet".as_ref()];
    args.extend(accepted.iter().map(|p| p.as_os_str()));
    let out = Command::new("tree-sitter")
        .args(&args)
        .current_dir(&copy)
        .env("TREE_SITTER_LIBDIR", &libdir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = said(&out);
    let failures: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("(ERROR") || l.contains("(MISSING"))
        .collect();
    assert!(
        out.status.success() && failures.is_empty(),
        "files tmd accepts that tree-sitter does not:\n{}\n{text}",
        failures.join("\n")
    );
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "tree-sitter: {} models tmd accepts all parse cleanly\n",
            accepted.len()
        )
        .as_bytes(),
    );
}
