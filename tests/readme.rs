//! README.md says what tmd does: its sample output is what tmd prints, and
//! every command it lists exists.

use std::path::Path;
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The ```text block after `marker`.
fn block_after(text: &str, marker: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in README.md"));
    let rest = &text[at..];
    let open = rest.find("```text\n").unwrap() + "```text\n".len();
    let close = rest[open..].find("\n```").unwrap();
    format!("{}\n", &rest[open..open + close])
}

#[test]
fn the_readme_check_output_is_what_tmd_prints() {
    let expected = block_after(&readme(), "`tmd check samples/acme-ecommerce.tmd` prints");
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "samples/acme-ecommerce.tmd"])
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stderr).unwrap();
    let printed: String = printed.lines().map(|l| format!("{l}\n")).collect();
    assert_eq!(
        printed, expected,
        "README.md's sample output is out of date"
    );
}

#[test]
fn every_command_the_readme_lists_exists() {
    let text = readme();
    let mut seen = 0;
    for line in text.lines().filter(|l| l.starts_with("| `tmd ")) {
        let command = line["| `tmd ".len()..]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
            .args([command, "--help"])
            .output()
            .unwrap();
        assert!(out.status.success(), "`tmd {command} --help` failed");
        seen += 1;
    }
    assert!(seen >= 10, "the README's command table was not found");
}
