//! The HTML reports in a real browser: writes the report of every sample
//! (with the built-in diagram) and the HTML threat table of one, plus the
//! report, table and SVG of every hostile model, then runs
//! `tests/browser/check.mjs` in headless Chromium, which finds every
//! element and threat, clicks one of each, tries the filters, and takes
//! light, dark and print screenshots (into
//! `target/tmp/browser-reports/screenshots`, or `$TMD_BROWSER_OUT`).
//!
//! Needs Debian's `chromium` and `npm ci` in `tests/browser`
//! (`tests/browser/setup.sh` installs both). Without them the test says
//! SKIPPED on the terminal (tests/support/skip.rs) and passes.

mod common;
mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

fn loud(message: &str) {
    support::skip::skipped(message);
}

fn out_dir() -> PathBuf {
    match std::env::var_os("TMD_BROWSER_OUT") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-reports"),
    }
}

fn write_reports(dir: &Path) -> Vec<Value> {
    std::fs::create_dir_all(dir).unwrap();
    let mut manifest = Vec::new();
    for (stem, text) in common::samples() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let svg = tmd::emit::svg::svg(model, analysis, &Default::default()).svg;
        let html = tmd::emit::html::html(
            model,
            analysis,
            &tmd::emit::findings::Findings::of(&c),
            Some(&svg),
        );
        let file = format!("{stem}.html");
        std::fs::write(dir.join(&file), html).unwrap();
        let rows = tmd::emit::table::rows(model);
        let click_element = model
            .element_ids()
            .find(|&e| !analysis.element(e).threats.is_empty())
            .map(|e| model[e].name.clone());
        manifest.push(json!({
            "file": file,
            "kind": "report",
            "elements": model.elements.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
            "boundaries": model.boundaries.iter().map(|b| b.name.clone()).collect::<Vec<_>>(),
            "flows": model
                .flow_ids()
                .filter(|&f| !analysis.flow(f).threats.is_empty())
                .map(|f| model[f].name.clone())
                .collect::<Vec<_>>(),
            "threats": rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            "click_element": click_element,
            "click_threat": rows.first().map(|r| r.id.clone()),
        }));
        if stem == "mobile-banking" {
            let file = format!("{stem}-table.html");
            std::fs::write(dir.join(&file), tmd::emit::html::table(model, analysis)).unwrap();
            manifest.push(json!({
                "file": file,
                "kind": "table",
                "elements": [],
                "threats": rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            }));
        }
    }
    // The hostile corpus: every page a user would open, audited.
    let hostile = common::root().join("tests/hostile");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&hostile)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    models.sort();
    for path in models {
        let text = std::fs::read_to_string(&path).unwrap();
        let c = tmd::compile(&text);
        let Some((model, analysis)) = c.valid() else {
            continue; // control-characters.tmd: an error, by design
        };
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let svg = tmd::emit::svg::svg(model, analysis, &Default::default()).svg;
        let pages = [
            (
                format!("hostile-{stem}.html"),
                tmd::emit::html::html(
                    model,
                    analysis,
                    &tmd::emit::findings::Findings::of(&c),
                    Some(&svg),
                ),
                1,
            ),
            (
                format!("hostile-{stem}-table.html"),
                tmd::emit::html::table(model, analysis),
                1,
            ),
            (format!("hostile-{stem}.svg"), svg.clone(), 0),
        ];
        for (file, page, scripts) in pages {
            std::fs::write(dir.join(&file), page).unwrap();
            manifest.push(json!({ "file": file, "kind": "hostile", "scripts": scripts }));
        }
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    manifest
}

#[test]
fn reports_work_in_headless_chromium() {
    let dir = out_dir();
    let manifest = write_reports(&dir);
    assert!(manifest.len() > common::samples().len() + 1);

    let browser_dir = common::root().join("tests/browser");
    let chromium =
        std::env::var("TMD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        loud(&format!(
            "no Chromium at {chromium} (tests/browser/setup.sh installs it: apt-get install chromium; npm ci)"
        ));
        return;
    }
    if !browser_dir.join("node_modules/playwright-core").exists() {
        loud("playwright-core is not installed (run tests/browser/setup.sh, or npm ci in tests/browser)");
        return;
    }
    let child = Command::new("node")
        .arg(browser_dir.join("check.mjs"))
        .arg(&dir)
        .current_dir(&browser_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => {
            loud(&format!(
                "cannot run `node` ({e}; tests/browser/setup.sh installs it)"
            ));
            return;
        }
    };
    // A watchdog: a hung browser must not hang the test suite.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = match rx.recv_timeout(Duration::from_secs(600)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("the browser test took more than 10 minutes");
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    match output.status.code() {
        Some(0) => {
            let _ = writeln!(
                std::io::stderr(),
                "browser test: {}",
                stdout.lines().last().unwrap_or("")
            );
        }
        Some(3) => loud(stdout.trim().trim_start_matches("SKIPPED: browser test: ")),
        _ => panic!("browser checks failed:\n{stdout}\n{stderr}"),
    }
}
