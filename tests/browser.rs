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
    // The threat library section (a model that takes part in the library).
    {
        let (text, added) = common::library_model();
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let svg = tmd::emit::svg::svg(model, analysis, &Default::default()).svg;
        let findings = tmd::emit::findings::Findings::of(&c);
        assert!(!findings.library.is_empty());
        let html = tmd::emit::html::html(model, analysis, &findings, Some(&svg));
        let file = "library.html".to_string();
        std::fs::write(dir.join(&file), html).unwrap();
        let rows = tmd::emit::table::rows(model);
        manifest.push(json!({
            "file": file,
            "kind": "report",
            "elements": model.elements.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
            "threats": rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            "sections": [{
                "id": "threat-library",
                "rows": findings.library.len(),
                "texts": [format!("covered by {added}"), "dismissed: decided in <b>review</b> | not *ours*", "open"],
            }],
        }));
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

/// `tmd serve` in headless Chromium (`tests/browser/serve.mjs`): the page
/// loads, follows edits of the model (the delay is printed), keeps the
/// zoom and scroll across a reload, shows a broken model's errors over
/// the last good diagram and comes back when it is fixed, and refuses any
/// other path. Screenshots in `target/tmp/browser-serve` (or
/// `$TMD_BROWSER_OUT/serve`).
#[test]
fn serve_follows_the_file_in_headless_chromium() {
    let browser_dir = common::root().join("tests/browser");
    let chromium =
        std::env::var("TMD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        loud(&format!(
            "no Chromium at {chromium} (tests/browser/setup.sh installs it)"
        ));
        return;
    }
    if !browser_dir.join("node_modules/playwright-core").exists() {
        loud("playwright-core is not installed (run tests/browser/setup.sh)");
        return;
    }
    let out = match std::env::var_os("TMD_BROWSER_OUT") {
        Some(dir) => PathBuf::from(dir).join("serve"),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-serve"),
    };
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join(".git")).unwrap();
    let model = project.path().join("m.tmd");
    std::fs::copy(common::root().join("samples/acme-ecommerce.tmd"), &model).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["serve", "m.tmd", "--port", "0", "--color", "never"])
        .current_dir(project.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut url,
    )
    .unwrap();
    let child = Command::new("node")
        .arg(browser_dir.join("serve.mjs"))
        .arg(url.trim())
        .arg(&model)
        .arg(&out)
        .current_dir(&browser_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => {
            let _ = server.kill();
            let _ = server.wait();
            loud(&format!("cannot run `node` ({e})"));
            return;
        }
    };
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = rx.recv_timeout(Duration::from_secs(180));
    let _ = server.kill();
    let _ = server.wait();
    let output = match output {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("the serve browser test took more than 3 minutes");
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    match output.status.code() {
        Some(0) => {
            // The measured delays, past the harness's capture.
            let _ = writeln!(
                std::io::stderr(),
                "serve browser test: {}",
                stdout.lines().collect::<Vec<_>>().join("; ")
            );
        }
        Some(3) => loud(stdout.trim()),
        _ => panic!("serve browser checks failed:\n{stdout}\n{stderr}"),
    }
}
