//! Tests that need a tool the machine may not have (Graphviz, mdbook,
//! Chromium, node, python's jsonschema, git, patch) skip through here, and
//! only through here, so that a skip is never silent: the line
//! `SKIPPED: <test>: <why>` goes straight to the terminal, past the test
//! harness's capture (which swallows `println!` and `eprintln!` of a
//! passing test), and shows in plain `cargo test` output.
//!
//! With `TMD_REQUIRE_TOOLS=1` in the environment a skip is a failure
//! instead: for a machine that is meant to have every tool.
//!
//! README.md ("Tests that need other tools") lists the tools and the tests.

#![allow(dead_code)]

use std::io::Write;
use std::process::Command;

/// Says that the running test skipped part or all of its work, and why.
pub fn skipped(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let line = format!("SKIPPED: {test}: {why}\n");
    if std::env::var_os("TMD_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{line}(TMD_REQUIRE_TOOLS is set: a skip is a failure)");
    }
    // Once per process, however often a helper asks.
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut said) = SAID.lock() {
        if said.contains(&line) {
            return;
        }
        said.push(line.clone());
    }
    // Not `eprintln!`: the harness captures it for a passing test.
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(line.as_bytes());
    let _ = stderr.flush();
}

/// Whether `program args` runs and exits 0 (e.g. `dot -V`).
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether `program` runs (probed with `args`); when it does not, says
/// SKIPPED with `hint` (how to install it).
pub fn have(program: &str, args: &[&str], hint: &str) -> bool {
    let ok = runs(program, args);
    if !ok {
        skipped(&format!("`{program}` not found on PATH ({hint})"));
    }
    ok
}

/// Graphviz `dot`.
pub fn graphviz() -> bool {
    have("dot", &["-V"], "apt-get install graphviz")
}
