//! Running a script of `tests/browser` with node, under a watchdog: a hung
//! browser must not hang the test suite. Shared by the browser tests.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Whether Chromium (`$TMD_CHROMIUM` or Debian's) and playwright-core are
/// there; when not, says SKIPPED (tests/support/skip.rs) and false.
pub fn browser_ready(browser_dir: &Path) -> bool {
    let chromium =
        std::env::var("TMD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        super::skip::skipped(&format!(
            "no Chromium at {chromium} (tests/browser/setup.sh installs it: apt-get install chromium; npm ci)"
        ));
        return false;
    }
    if !browser_dir.join("node_modules/playwright-core").exists() {
        super::skip::skipped(
            "playwright-core is not installed (run tests/browser/setup.sh, or npm ci in tests/browser)",
        );
        return false;
    }
    true
}

/// `node SCRIPT ARGS...` in `browser_dir`, its output captured; killed,
/// and the test failed, after `limit`. None, after saying SKIPPED, when
/// node cannot be run.
pub fn run(browser_dir: &Path, script: &str, args: &[&OsStr], limit: Duration) -> Option<Output> {
    let child = Command::new("node")
        .arg(browser_dir.join(script))
        .args(args)
        .current_dir(browser_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => {
            super::skip::skipped(&format!(
                "cannot run `node` ({e}; tests/browser/setup.sh installs it)"
            ));
            return None;
        }
    };
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(output) => Some(output.unwrap()),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("{script} took more than {} seconds", limit.as_secs());
        }
    }
}

/// The verdict of a script that exits 0 when every check passed, 3 (after
/// `SKIPPED: NAME: why`) when a tool is missing, anything else on a
/// failure: its last line goes to the terminal, a skip is said, a failure
/// fails the test with the whole output.
pub fn verdict(output: &Output, name: &str) {
    use std::io::Write as _;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    match output.status.code() {
        Some(0) => {
            let _ = writeln!(
                std::io::stderr(),
                "{name}: {}",
                stdout.lines().last().unwrap_or("")
            );
        }
        Some(3) => super::skip::skipped(
            stdout
                .trim()
                .trim_start_matches(&format!("SKIPPED: {name}: ")),
        ),
        _ => panic!("{name}: checks failed:\n{stdout}\n{stderr}"),
    }
}
