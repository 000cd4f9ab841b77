//! `tmd watch` on the real binary: it builds, rebuilds on an edit of the
//! model and of its tmd.toml, keeps the last good outputs on an error and
//! says so, and builds again once the model is fixed. Waits are watchdogs
//! (10 s), not timings.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    stderr: Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    /// Waits until a line of stderr holds `needle`; gives what was read.
    fn said(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut all = String::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(100)) {
                all.push_str(&line);
                all.push('\n');
                if line.contains(needle) {
                    return all;
                }
            }
        }
        panic!("no `{needle}` within 10 s; stderr:\n{all}");
    }
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} within 10 s");
}

fn start(dir: &Path) -> Watch {
    start_with(dir, &[])
}

fn start_with(dir: &Path, extra: &[&str]) -> Watch {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["watch", "m.tmd", "-o", "out", "--today", "2025-01-01"])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Watch { child, stderr: rx }
}

const MODEL: &str = "process api \"API\"\nstore db \"DB\"\nflow api -> db\nflow db -> api\n";

#[test]
fn watch_rebuilds_on_change_keeps_the_last_good_outputs_and_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    std::fs::write(dir.join("m.tmd"), MODEL).unwrap();
    let w = start(dir);
    w.said("tmd watch: built (round 1)");
    let svg = dir.join("out/m.svg");
    let first = std::fs::read_to_string(&svg).unwrap();
    assert!(first.contains("el-api"));

    // An edit: the outputs follow.
    std::fs::write(
        dir.join("m.tmd"),
        format!("{MODEL}external user \"User\"\nflow user -> api\n"),
    )
    .unwrap();
    w.said("built (round 2)");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("el-user"));
    let good = std::fs::read_to_string(&svg).unwrap();

    // A broken model: diagnostics, the last good outputs kept, and said.
    std::fs::write(dir.join("m.tmd"), format!("{MODEL}flow api -> nowhere\n")).unwrap();
    let said = w.said("keeps the outputs of its last good build");
    assert!(said.contains("TMD003"), "{said}");
    assert_eq!(std::fs::read_to_string(&svg).unwrap(), good);

    // Fixed: built again.
    std::fs::write(dir.join("m.tmd"), MODEL).unwrap();
    w.said("built (round 4)");
    wait_for("the diagram without `user`", || {
        std::fs::read_to_string(&svg).is_ok_and(|s| !s.contains("el-user"))
    });

    // The project's tmd.toml counts, and an edit of it rebuilds: an
    // invalid one is an error (nothing rewritten), a valid one builds.
    std::fs::write(dir.join("tmd.toml"), "fail_on = \"hihg\"\n").unwrap();
    let said = w.said("keeps the outputs of its last good build");
    assert!(said.contains("TMD015"), "{said}");
    std::fs::write(dir.join("tmd.toml"), "[checks]\ndisable = [\"TMD103\"]\n").unwrap();
    w.said("built (round 6)");
}

/// `--config FILE` is watched like a found tmd.toml: editing it rebuilds.
#[test]
fn watch_rebuilds_when_the_config_file_named_by_the_flag_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    std::fs::create_dir(dir.join("policy")).unwrap();
    std::fs::write(dir.join("m.tmd"), MODEL).unwrap();
    std::fs::write(dir.join("policy/strict.toml"), "[checks]\n").unwrap();
    let w = start_with(dir, &["--config", "policy/strict.toml"]);
    w.said("tmd watch: built (round 1)");
    std::fs::write(dir.join("policy/strict.toml"), "fail_on = \"hihg\"\n").unwrap();
    let said = w.said("keeps the outputs of its last good build");
    assert!(said.contains("TMD015"), "{said}");
}
