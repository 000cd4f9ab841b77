//! The VS Code extension in `editors/vscode` (VS Code itself cannot be
//! installed here, so these are its checks):
//!
//! - the TextMate grammar tokenizes every sample, every valid fixture and
//!   `test/edge-cases.tmd` exactly as the reviewed goldens in
//!   `test/golden/` say (vscode-textmate on vscode-oniguruma, as VS Code
//!   runs it), and a coloured rendering of two of them is photographed in
//!   headless Chromium (`target/tmp/vscode/grammar.png`: look at it after
//!   a grammar change);
//! - `extension.js`, under a stand-in for VS Code's API, starts `tmd lsp`
//!   and opens the live preview from the real `tmd serve`;
//! - `@vscode/vsce` packages the extension into a `.vsix` holding the
//!   manifest, grammar, language configuration, script and the language
//!   client, and nothing of the tests.
//!
//! Needs Node.js and `editors/vscode/setup.sh` (npm ci); without them
//! the tests say SKIPPED (tests/support/skip.rs) and pass. Bless the
//! goldens with `node editors/vscode/test/tokenize.mjs --bless FILE...`
//! and review the diff.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ext_dir() -> PathBuf {
    common::root().join("editors/vscode")
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vscode");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether node and the extension's npm packages are there (else SKIPPED).
fn ready() -> bool {
    if !support::skip::runs("node", &["--version"]) {
        support::skip::skipped("`node` not found (Node.js 20 or later)");
        return false;
    }
    if !ext_dir().join("node_modules/vscode-textmate").exists() {
        support::skip::skipped(
            "the extension's npm packages are not installed (run editors/vscode/setup.sh)",
        );
        return false;
    }
    true
}

fn node(args: &[&std::ffi::OsStr]) -> Output {
    Command::new("node")
        .args(args)
        .current_dir(ext_dir())
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What the grammar is tested on: the samples, the valid fixtures, and
/// the extension's own edge cases.
fn grammar_inputs() -> Vec<PathBuf> {
    let root = common::root();
    let mut files = Vec::new();
    for dir in ["samples", "tests/fixtures/valid"] {
        let mut here: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
            .collect();
        here.sort();
        files.extend(here);
    }
    files.push(ext_dir().join("test/edge-cases.tmd"));
    files
}

#[test]
fn grammar_tokenizes_every_sample_as_its_golden() {
    let inputs = grammar_inputs();
    // One golden per input, and none left over from a file gone.
    let mut goldens: Vec<String> = std::fs::read_dir(ext_dir().join("test/golden"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    goldens.sort();
    let mut wanted: Vec<String> = inputs
        .iter()
        .map(|p| format!("{}.tokens", p.file_name().unwrap().to_string_lossy()))
        .collect();
    wanted.sort();
    assert_eq!(goldens, wanted, "editors/vscode/test/golden/");
    if !ready() {
        return;
    }
    let html = out_dir().join("grammar.html");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "test/tokenize.mjs".as_ref(),
        "--html".as_ref(),
        html.as_os_str(),
    ];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    let out = node(&args);
    assert!(out.status.success(), "{}", said(&out));

    // The colours, photographed: the edge cases and the worked example.
    let two = out_dir().join("grammar-two.html");
    let edge = ext_dir().join("test/edge-cases.tmd");
    let acme = common::root().join("samples/acme-ecommerce.tmd");
    let out = node(&[
        "test/tokenize.mjs".as_ref(),
        "--html".as_ref(),
        two.as_os_str(),
        edge.as_os_str(),
        acme.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", said(&out));
    let browser = common::root().join("tests/browser");
    if !browser.join("node_modules/playwright-core").exists() {
        support::skip::skipped(
            "no screenshot of the grammar: playwright-core is not installed (tests/browser/setup.sh)",
        );
        return;
    }
    let png = out_dir().join("grammar.png");
    let _ = std::fs::remove_file(&png);
    let out = Command::new("node")
        .arg(browser.join("screenshot.mjs"))
        .arg(&two)
        .arg(&png)
        .args(["1100", "1300"])
        .current_dir(&browser)
        .output()
        .unwrap();
    match out.status.code() {
        Some(0) => assert!(std::fs::metadata(&png).unwrap().len() > 10_000),
        Some(3) => support::skip::skipped(said(&out).trim()),
        _ => panic!("screenshot failed: {}", said(&out)),
    }
}

#[test]
fn extension_starts_the_server_and_opens_the_live_preview() {
    if !ready() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let model = tmp.path().join("m.tmd");
    std::fs::copy(common::root().join("samples/acme-ecommerce.tmd"), &model).unwrap();
    let tmd = PathBuf::from(env!("CARGO_BIN_EXE_tmd"));
    let out = node(&[
        "test/preview.cjs".as_ref(),
        tmd.as_os_str(),
        model.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", said(&out));
}

/// The names in a zip file, from its central directory (a `.vsix` is a
/// zip; no zip crate for one test).
fn zip_names(data: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 0;
    while i + 46 <= data.len() {
        if data[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            let le = |at: usize| u16::from_le_bytes([data[at], data[at + 1]]) as usize;
            let (name_len, extra, comment) = (le(i + 28), le(i + 30), le(i + 32));
            names.push(String::from_utf8_lossy(&data[i + 46..i + 46 + name_len]).into_owned());
            i += 46 + name_len + extra + comment;
        } else {
            i += 1;
        }
    }
    names
}

#[test]
fn extension_packages_into_a_vsix() {
    if !ready() {
        return;
    }
    let vsix = out_dir().join("tmd.vsix");
    let _ = std::fs::remove_file(&vsix);
    let vsce = ext_dir().join("node_modules/@vscode/vsce/vsce");
    let out = Command::new("node")
        .arg(&vsce)
        .args([
            "package",
            "--skip-license",
            "--allow-missing-repository",
            "--out",
        ])
        .arg(&vsix)
        .current_dir(ext_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));
    let names = zip_names(&std::fs::read(&vsix).unwrap());
    for want in [
        "extension.vsixmanifest",
        "extension/package.json",
        "extension/extension.js",
        "extension/language-configuration.json",
        "extension/syntaxes/tmd.tmLanguage.json",
        "extension/node_modules/vscode-languageclient/node.js",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    for unwanted in [
        "extension/test/",
        "extension/node_modules/vscode-textmate/",
        "extension/node_modules/@vscode/vsce/",
        "extension/setup.sh",
    ] {
        assert!(
            !names.iter().any(|n| n.starts_with(unwanted)),
            "{unwanted} is packaged"
        );
    }
    // The manifest names files that are there.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ext_dir().join("package.json")).unwrap())
            .unwrap();
    let rel = |p: &serde_json::Value| Path::new(p.as_str().unwrap()).to_path_buf();
    for path in [
        rel(&manifest["main"]),
        rel(&manifest["contributes"]["grammars"][0]["path"]),
        rel(&manifest["contributes"]["languages"][0]["configuration"]),
    ] {
        assert!(ext_dir().join(&path).exists(), "{}", path.display());
    }
    assert_eq!(
        manifest["contributes"]["languages"][0]["extensions"],
        serde_json::json!([".tmd"])
    );
}
