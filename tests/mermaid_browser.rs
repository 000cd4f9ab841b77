//! `tmd render --format mermaid` in the real Mermaid library: writes the
//! Mermaid flowchart of every sample, every hostile model and every model
//! that once broke a Mermaid release (`tests/mermaid/`), then runs
//! `tests/browser/mermaid.mjs` in headless Chromium, which renders each one
//! with the pinned Mermaid releases (`tests/browser/package.json`) and
//! checks that it parses, that every label shows as text, that the
//! counts of nodes, subgraphs and edges are the model's, and that nothing
//! runs. Needs what the browser test needs (`tests/browser/setup.sh`);
//! without it the test says SKIPPED and passes.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use tmd::emit::text::visible;

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mermaid")
}

/// The text a label shows: bidi controls made visible, tabs as spaces.
fn shown(s: &str) -> String {
    visible(s).replace('\t', " ")
}

fn entry(file: &str, model: &tmd::model::Model, analysis: &tmd::analysis::Analysis) -> Value {
    let mut labels: Vec<String> = Vec::new();
    labels.extend(model.elements.iter().map(|e| shown(&e.label)));
    labels.extend(model.boundaries.iter().map(|b| shown(&b.label)));
    labels.extend(
        model
            .flows
            .iter()
            .filter_map(tmd::emit::dot::flow_text)
            .map(|t| shown(&t)),
    );
    for f in model.flow_ids() {
        labels.extend(
            analysis
                .flow(f)
                .threats
                .iter()
                .map(|&t| model[t].name.clone()),
        );
    }
    labels.extend(
        model
            .threats
            .iter()
            .filter(|t| !t.targets.is_empty())
            .map(|t| t.name.clone()),
    );
    let empty = model
        .boundaries
        .iter()
        .filter(|b| b.members.is_empty())
        .count();
    // No subgraph holds more than two subgraphs (docs/mermaid.md): k
    // sibling boundaries are drawn in k - 2 invisible groups.
    let siblings = |members: &[tmd::model::Member]| {
        members
            .iter()
            .filter(|m| matches!(m, tmd::model::Member::Boundary(_)))
            .count()
    };
    let groups: usize = std::iter::once(siblings(&model.top))
        .chain(model.boundaries.iter().map(|b| siblings(&b.members)))
        .map(|k| k.saturating_sub(2))
        .sum();
    json!({
        "file": file,
        "labels": labels,
        "nodes": model.elements.len() + empty,
        "subgraphs": model.boundaries.len() + groups,
        "edges": model.flows.len(),
    })
}

fn write_diagrams(dir: &Path) -> Vec<Value> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut manifest = Vec::new();
    let mut models: Vec<(String, String)> = common::samples();
    let hostile = common::root().join("tests/hostile");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&hostile)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    // Models that once broke a Mermaid release (tests/mermaid/).
    let regressions = common::root().join("tests/mermaid");
    paths.extend(
        std::fs::read_dir(&regressions)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tmd")),
    );
    paths.sort();
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let kind = if path.starts_with(&regressions) {
            "regression"
        } else {
            "hostile"
        };
        models.push((
            format!("{kind}-{stem}"),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    for (stem, text) in models {
        let c = tmd::compile(&text);
        let Some((model, analysis)) = c.valid() else {
            assert!(stem.starts_with("hostile-"), "{stem} has errors");
            continue; // control-characters.tmd: an error, by design
        };
        let file = format!("{stem}.mmd");
        std::fs::write(
            dir.join(&file),
            tmd::emit::mermaid::mermaid(model, analysis),
        )
        .unwrap();
        manifest.push(entry(&file, model, analysis));
    }
    // The changed neighbourhoods of a pull-request comment (`tmd diff
    // --format md`): each sample with an element and a flow added, and the
    // other way round (removed), with the diff's marks.
    for (stem, text) in common::samples() {
        let c = tmd::compile(&text);
        let Some((model, _)) = c.valid() else {
            continue;
        };
        let Some(first) = model.elements.first() else {
            continue;
        };
        let edited = format!(
            "{text}\nexternal tmd_partner \"Partner <b>#1</b> %%{{init}}%%\"\nflow tmd_partner -> {} \"Webhook\"\n",
            first.name
        );
        let e = tmd::compile(&edited);
        let (a, b) = (
            c.valid().unwrap(),
            e.valid().expect("the edited sample compiles"),
        );
        for (side, (old, new)) in [("added", (a, b)), ("removed", (b, a))] {
            let diff = tmd::diff::diff(old, new);
            let v = tmd::diff::neighbourhood::marked(old.0, new.0, &diff).expect("a drawn change");
            let file = format!("diff-{side}-{stem}.mmd");
            std::fs::write(
                dir.join(&file),
                tmd::emit::mermaid::mermaid_marked(&v.model, &v.analysis, &v.marks),
            )
            .unwrap();
            manifest.push(entry(&file, &v.model, &v.analysis));
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
fn mermaid_output_renders_in_the_real_mermaid() {
    let dir = out_dir();
    let manifest = write_diagrams(&dir);
    assert!(manifest.len() > common::samples().len());

    let browser_dir = common::root().join("tests/browser");
    let chromium =
        std::env::var("TMD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).exists() {
        support::skip::skipped(&format!(
            "no Chromium at {chromium} (tests/browser/setup.sh installs it)"
        ));
        return;
    }
    if !browser_dir.join("node_modules/mermaid").exists() {
        support::skip::skipped("mermaid is not installed (npm ci in tests/browser)");
        return;
    }
    let Some(output) = support::node::run(
        &browser_dir,
        "mermaid.mjs",
        &[dir.as_os_str()],
        Duration::from_secs(600),
    ) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => println!("{stdout}"),
        Some(3) => support::skip::skipped(stdout.trim()),
        _ => panic!("Mermaid checks failed:\n{stdout}\n{stderr}"),
    }
}

/// A pull-request comment by `tmd diff --comment` (a real git repository:
/// a sample edited, a hostile model added) rendered as GitHub shows it:
/// Markdown by `marked`, each Mermaid block by the pinned Mermaid in strict
/// mode (`tests/browser/comment.mjs`), in headless Chromium. The
/// screenshot is left in the test's target folder to look at.
#[test]
fn the_pull_request_comment_renders_with_its_diagrams() {
    let browser_dir = common::root().join("tests/browser");
    if !browser_dir.join("node_modules/marked").exists() {
        support::skip::skipped("marked is not installed (npm ci in tests/browser)");
        return;
    }
    if !support::skip::have("git", &["--version"], "apt-get install git") {
        return;
    }
    // Not under out_dir(): the other test removes that folder when it
    // starts, and the two run at the same time.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mermaid-comment");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("repo/models")).unwrap();
    let repo = dir.join("repo");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}");
    };
    let sample = std::fs::read_to_string(common::root().join("samples/saas-cicd.tmd")).unwrap();
    std::fs::write(repo.join("models/cicd.tmd"), &sample).unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    std::fs::write(
        repo.join("models/cicd.tmd"),
        format!("{sample}\nexternal partner \"Partner API\"\nflow partner -> api \"Webhook\" {{ protocol: \"HTTP\" }}\n"),
    )
    .unwrap();
    std::fs::copy(
        common::root().join("tests/hostile/markup.tmd"),
        repo.join("models/hostile.tmd"),
    )
    .unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "head"]);
    let o = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["diff", "--comment", "HEAD~1", "HEAD", "-o"])
        .arg(dir.join("comment.md"))
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new("node")
        .arg(browser_dir.join("comment.mjs"))
        .arg(dir.join("comment.md"))
        .arg(&dir)
        .current_dir(&browser_dir)
        .output();
    let o = match o {
        Ok(o) => o,
        Err(e) => {
            support::skip::skipped(&format!("cannot run `node` ({e})"));
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&o.stdout);
    match o.status.code() {
        Some(0) => println!("{stdout}"),
        Some(3) => support::skip::skipped(stdout.trim()),
        _ => panic!(
            "the comment does not render:\n{stdout}\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}
