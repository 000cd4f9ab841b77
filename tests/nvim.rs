//! Neovim's built-in LSP client against `tmd lsp`, headless (Debian's
//! `neovim`, 0.7): the configuration is the one docs/editors.md gives for
//! Neovim 0.7 to 0.9, read from the page (so the page says what is
//! tested), and `tests/nvim/check.lua` drives it on a copy of the worked
//! example: filetype, attach, diagnostics as you type, hover, definition,
//! references, completion, formatting, outline. Without `nvim` the test
//! says SKIPPED (tests/support/skip.rs).

mod common;
mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

/// The Lua block that follows the marker line in docs/editors.md.
fn documented_config() -> String {
    let page = std::fs::read_to_string(common::root().join("docs/editors.md")).unwrap();
    let marker = "<!-- tested by tests/nvim.rs -->";
    let after = &page[page.find(marker).expect("the marker in docs/editors.md") + marker.len()..];
    let start = after.find("```lua\n").unwrap() + "```lua\n".len();
    let end = after[start..].find("```").unwrap();
    after[start..start + end].to_string()
}

#[test]
fn neovim_drives_tmd_lsp_with_the_documented_configuration() {
    let config = documented_config();
    assert!(config.contains("\"tmd\", \"lsp\""), "{config}");
    if !support::skip::have("nvim", &["--version"], "apt-get install neovim") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    std::fs::write(tmp.path().join("init.lua"), &config).unwrap();
    std::fs::copy(
        common::root().join("samples/acme-ecommerce.tmd"),
        tmp.path().join("m.tmd"),
    )
    .unwrap();
    let result = tmp.path().join("result.txt");
    // `tmd` on PATH is the binary under test.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_tmd"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let check = common::root().join("tests/nvim/check.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "-i", "NONE", "-u", "init.lua", "m.tmd", "-c"])
        .arg(format!("luafile {}", check.display()))
        .current_dir(tmp.path())
        .env("PATH", path)
        .env("TMD_NVIM_RESULT", &result)
        .env("XDG_CONFIG_HOME", tmp.path().join("config"))
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A watchdog: a hung editor must not hang the suite.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim ran for more than 2 minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let said = std::fs::read_to_string(&result).unwrap_or_else(|_| "no result written".to_string());
    assert_eq!(said.trim(), "ok", "Neovim's checks failed:\n{said}");
}
