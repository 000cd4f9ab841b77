//! Collects the documentation of every check (the `//!` comment at the top
//! of `src/checks/tmdNNN_name.rs`) into a table that `tmd explain` prints,
//! so that a check's docs live in one place: its own file. Also hashes the
//! HTML pages' scripts for their Content-Security-Policy
//! (`src/emit/html/csp.rs`): they are constant, and hashing them at every
//! run was a twentieth of a `tmd build`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// The scripts of the HTML pages: (constant name, file).
const SCRIPTS: &[(&str, &str)] = &[
    ("REPORT_SCRIPT", "src/emit/html/script.js"),
    ("LIVE_SCRIPT", "src/emit/html/live.js"),
    ("DIFF_SCRIPT", "src/diff/html.js"),
];

/// `OUT_DIR/script_hashes.rs`: per script, its SHA-256 in standard base64
/// with padding, as CSP's `'sha256-...'` source names it.
fn script_hashes() {
    let mut out = String::new();
    for (name, file) in SCRIPTS {
        println!("cargo:rerun-if-changed={file}");
        let text = fs::read(file).expect("a script of the HTML pages");
        let hash = STANDARD.encode(Sha256::digest(&text));
        writeln!(out, "/// The SHA-256 of `{file}`, in base64.").expect("write to string");
        writeln!(out, "pub const {name}_SHA256: &str = {hash:?};").expect("write to string");
    }
    let dest =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("script_hashes.rs");
    fs::write(dest, out).expect("write script_hashes.rs");
}

fn main() {
    script_hashes();
    println!("cargo:rerun-if-changed=src/checks");
    let mut rules: Vec<(String, String, String)> = Vec::new();
    let entries = fs::read_dir("src/checks").expect("src/checks exists");
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Some(rest) = stem.strip_prefix("tmd") else {
            continue;
        };
        let Some((digits, name)) = rest.split_once('_') else {
            continue;
        };
        if digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("readable check file");
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        rules.push((
            format!("TMD{digits}"),
            name.replace('_', "-"),
            doc.join("\n"),
        ));
    }
    rules.sort();
    let mut out = String::from("/// Every check's code, name and documentation, by code.\npub static DOCS: &[(&str, &str, &str)] = &[\n");
    for (code, name, doc) in &rules {
        writeln!(out, "    ({code:?}, {name:?}, {doc:?}),").expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_docs.rs");
    fs::write(dest, out).expect("write rule_docs.rs");
}
