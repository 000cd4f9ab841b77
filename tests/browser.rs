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
    if !support::node::browser_ready(&browser_dir) {
        return;
    }
    let Some(output) = support::node::run(
        &browser_dir,
        "check.mjs",
        &[dir.as_os_str()],
        Duration::from_secs(600),
    ) else {
        return;
    };
    support::node::verdict(&output, "browser test");
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
    if !support::node::browser_ready(&browser_dir) {
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

/// `tmd diff --html` pages in headless Chromium (`tests/browser/diff.mjs`),
/// written by the real binary: two real changes (the visual-diff and
/// acme-review fixtures), and every hostile model compared with an empty
/// one both ways, under a file name full of markup. The script checks the
/// page's policy holds (no violation, no error, no request), the view
/// buttons and the keyboard switch the views, the slider moves with the
/// keys and the mouse, every view shows without JavaScript, and a hostile
/// model's strings are text. Screenshots in `target/tmp/browser-diff` (or
/// `$TMD_BROWSER_OUT/diff`); with `TMD_DIFF_SCREENSHOT=FILE` the first
/// page's top is also written there (docs/images/diff-html.png).
#[test]
fn diff_page_works_in_headless_chromium() {
    let dir = match std::env::var_os("TMD_BROWSER_OUT") {
        Some(dir) => PathBuf::from(dir).join("diff"),
        None => PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-diff"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tmd = |args: &[&std::ffi::OsStr], expect: i32| {
        let o = Command::new(env!("CARGO_BIN_EXE_tmd"))
            .arg("diff")
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(expect),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let fixtures = common::root().join("tests/fixtures/diff");
    let mut manifest = Vec::new();
    for (name, texts) in [
        (
            "visual",
            vec!["changes to the threat model", "Exposure", "[added]"],
        ),
        ("acme-review", vec!["changes to the threat model"]),
    ] {
        // Relative names, as in CI (and in the screenshot for the docs).
        std::fs::create_dir_all(dir.join(name)).unwrap();
        for side in ["old.tmd", "new.tmd"] {
            std::fs::copy(fixtures.join(name).join(side), dir.join(name).join(side)).unwrap();
        }
        let file = format!("{name}.html");
        let (old, new) = (format!("{name}/old.tmd"), format!("{name}/new.tmd"));
        tmd(
            &[old.as_ref(), new.as_ref(), "--html".as_ref(), file.as_ref()],
            1,
        );
        manifest.push(json!({ "file": file, "kind": "page", "texts": texts }));
    }
    let hostile = common::root().join("tests/hostile");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&hostile)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    models.sort();
    for path in models {
        let text = std::fs::read_to_string(&path).unwrap();
        if tmd::compile(&text).valid().is_none() {
            continue; // control-characters.tmd: an error, by design
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        // The model under a name full of markup.
        let name = format!("<b>{stem}<i>&\"'<img src=x onerror=alert(9)>.tmd");
        std::fs::write(dir.join(&name), &text).unwrap();
        for (old, new, side) in [
            ("/dev/null", name.as_str(), "added"),
            (name.as_str(), "/dev/null", "removed"),
        ] {
            let file = format!("hostile-{stem}-{side}.html");
            tmd(
                &[old.as_ref(), new.as_ref(), "--html".as_ref(), file.as_ref()],
                1,
            );
            let mut texts = vec![name.clone()];
            if stem == "markup" {
                texts.push(
                    "<script>alert(1)</script> </svg><script>alert(2)</script><svg>".to_string(),
                );
            }
            manifest.push(json!({ "file": file, "kind": "hostile", "texts": texts }));
        }
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();

    let browser_dir = common::root().join("tests/browser");
    if !support::node::browser_ready(&browser_dir) {
        return;
    }
    let Some(output) = support::node::run(
        &browser_dir,
        "diff.mjs",
        &[dir.as_os_str()],
        Duration::from_secs(300),
    ) else {
        return;
    };
    support::node::verdict(&output, "diff browser test");
}
