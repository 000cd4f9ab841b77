//! A change in a real git repository, as a pull or merge request sees it:
//! a base commit and two pushes (tests/github_action.rs, tests/gitlab_ci.rs).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn commit(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

pub const SHOP: &str = r#"title "Shop"

external customer "Customer"

boundary cloud "Cloud" {
  process api "API"
  store db "Database"
}

flow customer -> api "Order" { protocol: "HTTPS", encrypted: true }
flow api -> db "Store order"

threat S1 "Replayed order" on customer -> api {
  scenario: "A captured order request is sent again"
  stride: T
  ease: difficult
  impact: inconvenient
  mitigation: "Idempotency keys"
  status: mitigated
}
"#;

/// An open high threat with no mitigation (a warning, TMD107).
pub const PAY: &str = r#"title "Payments"

external bank "Bank"

boundary cloud "Cloud" {
  process pay "Payments"
}

flow bank -> pay "Callback" { protocol: "HTTPS", encrypted: true }
flow pay -> bank "Charge" { protocol: "HTTPS", encrypted: true }

threat P1 "Forged callback" on bank -> pay {
  scenario: "An attacker forges the bank's callback"
  stride: T
  ease: easy
  impact: problematic
}

threat P2 "Tampered charge" on pay -> bank {
  scenario: "The charge is altered in transit"
  stride: T
  ease: difficult
  impact: inconvenient
  mitigation: "TLS"
  status: mitigated
}
"#;

pub struct Repo {
    pub dir: PathBuf,
    pub base: String,
    pub head1: String,
    pub head2: String,
}

/// base: shop.tmd, a vendored model, a text file. head1 (first push):
/// shop.tmd gains a flow, legacy/old.tmd is added broken, the vendored
/// model changes (left out by `paths`). head2 (second push): legacy/old.tmd
/// is fixed (and has an open high threat).
pub fn repository(name: &str) -> Repo {
    let dir = std::env::temp_dir().join(format!("tmd-action-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir, "shop.tmd", SHOP);
    write(
        &dir,
        "vendor/theirs.tmd",
        "title \"Theirs\"\nprocess p \"P\"\n",
    );
    write(&dir, "README.txt", "models\n");
    let base = commit(&dir, "base");
    git(&dir, &["checkout", "-q", "-b", "feature"]);
    write(
        &dir,
        "shop.tmd",
        &SHOP.replace(
            "flow api -> db \"Store order\"\n",
            "flow api -> db \"Store order\"\nflow db -> api \"Read order\"\n",
        ),
    );
    write(
        &dir,
        "legacy/old.tmd",
        "title \"Old\"\nprocess a \"A\"\nprocess a \"A again\"\nflow a -> nowhere \"x\"\n",
    );
    write(
        &dir,
        "vendor/theirs.tmd",
        "title \"Theirs\"\nprocess p \"P\"\nprocess p \"dup\"\n",
    );
    let head1 = commit(&dir, "first push");
    write(&dir, "legacy/old.tmd", PAY);
    let head2 = commit(&dir, "second push");
    Repo {
        dir,
        base,
        head1,
        head2,
    }
}
