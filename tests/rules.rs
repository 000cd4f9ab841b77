//! The threat rule library: every built-in rule fires on its example and
//! stays quiet on its counter-example; docs/threat-library.md is what the
//! generator writes; `tmd suggest` end to end.

use std::process::Command;

use tmd::rules::{self, Library, State};

fn suggestions_on(text: &str, rule: &str, target: &str) -> usize {
    let compilation = tmd::compile(text);
    let (model, analysis) = compilation.valid().unwrap_or_else(|| {
        panic!(
            "example does not compile: {:#?}\n{text}",
            compilation.diagnostics
        )
    });
    let file = compilation.file.as_ref().expect("parsed");
    let library = Library::builtin();
    let (_, all) = rules::for_file(file, model, analysis, &library);
    all.iter()
        .filter(|s| library.rules()[s.rule].id == rule && model.target_name(s.target) == target)
        .count()
}

#[test]
fn every_builtin_rule_fires_on_its_example_and_not_on_its_counter_example() {
    let library = Library::builtin();
    assert!(library.rules().len() >= 60, "{}", library.rules().len());
    let mut failures = Vec::new();
    for rule in library.rules() {
        let Some(example) = &rule.example else {
            failures.push(format!("{}: no example", rule.id));
            continue;
        };
        if suggestions_on(&example.fires, &rule.id, &example.target) != 1 {
            failures.push(format!("{}: does not fire on {}", rule.id, example.target));
        }
        if suggestions_on(&example.quiet, &rule.id, &example.target) != 0 {
            failures.push(format!("{}: fires on its quiet example", rule.id));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Compares `contents` with the file at `path` (from the project root);
/// with `TMD_BLESS_LIBRARY` set, writes it first.
fn generated(path: &str, contents: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("TMD_BLESS_LIBRARY").is_some() {
        std::fs::write(&path, contents).expect("write the generated file");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == contents,
        "{} differs from the rule files: run TMD_BLESS_LIBRARY=1 cargo test --test rules",
        path.display()
    );
}

/// What the binary loads instead of parsing the TOML at every start.
#[test]
fn the_builtin_rules_json_is_generated() {
    generated("src/rules/builtin.json", &rules::builtin_json());
}

#[test]
fn the_library_page_is_generated() {
    // From the files, so that one blessing run writes both.
    generated(
        "docs/threat-library.md",
        &rules::doc::page(&Library::from_toml()),
    );
}

const MODEL: &str = r#"external user "User"
boundary dc "Data centre" {
  process api "API" { validates_input: true }
  store db "Database"
}
flow f1: user -> api "Request" { protocol: "HTTP" }
flow f2: api -> db "Write"

threat T1 "Sniffed requests" on f1 {
  scenario: "Someone reads the requests"
  stride: I
  severity: high
}
"#;

#[test]
fn covered_by_stride_or_rule_link_and_dismissed_with_a_reason() {
    let text = MODEL
        .replace(
            "process api \"API\"",
            "# tmd: dismiss disclose-error-details: errors are generic\n  process api \"API\"",
        )
        .replace(
            "boundary dc \"Data centre\" {",
            "# tmd: dismiss disclose-zone-crossed: one VPC with flow logs\nboundary dc \"Data centre\" {",
        );
    let compilation = tmd::compile(&text);
    let (model, analysis) = compilation.valid().expect("valid");
    let library = Library::builtin();
    let (_, all) = rules::for_file(
        compilation.file.as_ref().expect("parsed"),
        model,
        analysis,
        &library,
    );
    let state = |rule: &str, target: &str| {
        all.iter()
            .find(|s| library.rules()[s.rule].id == rule && model.target_name(s.target) == target)
            .map(|s| s.state.clone())
    };
    assert!(matches!(
        state("disclose-unencrypted-crossing", "f1"),
        Some(State::Covered(_))
    ));
    assert_eq!(
        state("tamper-unencrypted-crossing", "f1"),
        Some(State::Open)
    );
    assert!(matches!(
        state("disclose-error-details", "api"),
        Some(State::Dismissed { reason, .. }) if reason == "errors are generic"
    ));
    // Where it stands, on a boundary too.
    assert!(matches!(
        state("disclose-zone-crossed", "dc"),
        Some(State::Dismissed { reason, .. }) if reason == "one VPC with flow logs"
    ));
    // A dismissal without a reason dismisses nothing.
    let text = MODEL.replace(
        "process api \"API\"",
        "# tmd: dismiss disclose-error-details\n  process api \"API\"",
    );
    let compilation = tmd::compile(&text);
    let (model, analysis) = compilation.valid().expect("valid");
    let (d, all) = rules::for_file(
        compilation.file.as_ref().expect("parsed"),
        model,
        analysis,
        &library,
    );
    assert!(all
        .iter()
        .any(|s| library.rules()[s.rule].id == "disclose-error-details" && s.state == State::Open));
    let unused = rules::unused_dismissals(&d, &library, &all);
    assert_eq!(unused.len(), 1);
    // A threat linking another rule does not cover by its STRIDE letter.
    let text = MODEL.replace(
        "stride: I\n",
        "stride: I\n  rule: \"disclose-pull-over-broad\"\n",
    );
    let compilation = tmd::compile(&text);
    let (model, analysis) = compilation.valid().expect("valid");
    let (_, all) = rules::for_file(
        compilation.file.as_ref().expect("parsed"),
        model,
        analysis,
        &library,
    );
    assert!(all.iter().any(
        |s| library.rules()[s.rule].id == "disclose-unencrypted-crossing" && s.state == State::Open
    ));
}

fn tmd(args: &[&str], dir: &std::path::Path) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tmd");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn suggest_end_to_end_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("m.tmd"), MODEL).expect("write");
    let (human, _, code) = tmd(&["suggest", "m.tmd", "--no-config"], dir.path());
    assert_eq!(code, 0);
    assert!(human.contains("tamper-unencrypted-crossing"), "{human}");
    assert!(human.contains("“Data centre”"), "{human}");
    assert!(
        !human.contains("disclose-unencrypted-crossing"),
        "covered, so not listed: {human}"
    );
    let (all, _, _) = tmd(&["suggest", "m.tmd", "--all", "--no-config"], dir.path());
    assert!(all.contains("covered by T1"), "{all}");
    let (json, _, _) = tmd(
        &[
            "suggest",
            "m.tmd",
            "--format",
            "json",
            "--min-severity",
            "high",
            "--no-config",
        ],
        dir.path(),
    );
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    let items = value["suggestions"].as_array().expect("array");
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["severity"] == "high"), "{json}");
    // The tmd blocks paste into the model and compile, covering what they
    // suggest.
    let (blocks, _, _) = tmd(
        &["suggest", "m.tmd", "--format", "tmd", "--no-config"],
        dir.path(),
    );
    assert!(
        blocks.contains("status: open") && blocks.contains("rule: \""),
        "{blocks}"
    );
    let pasted = format!("{MODEL}\n{blocks}");
    std::fs::write(dir.path().join("m.tmd"), &pasted).expect("write");
    let (_, stderr, code) = tmd(&["check", "m.tmd", "--no-config"], dir.path());
    assert!(stderr.contains(" 0 errors"), "{stderr}\n{pasted}");
    assert_eq!(code, 0, "{stderr}");
    let (after, _, _) = tmd(&["suggest", "m.tmd", "--no-config"], dir.path());
    assert!(after.starts_with("No suggestions"), "{after}");
}

#[test]
fn suggest_write_adds_the_blocks_once_keeping_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.tmd");
    // Not laid out as `tmd fmt` would: --write formats the whole file.
    let model = format!(
        "# Top comment\n{}\n# Last comment, \"quoted\" # and more\n",
        MODEL.replace(
            "store db \"Database\"",
            "store   db \"Database\"   # the DB"
        )
    );
    std::fs::write(&path, &model).expect("write");
    let count = |args: &[&str]| {
        let (json, _, code) = tmd(args, dir.path());
        assert_eq!(code, 0);
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        value["suggestions"].as_array().map_or(0, Vec::len)
    };
    let all_open = count(&["suggest", "m.tmd", "--format", "json", "--no-config"]);
    let high_open = count(&[
        "suggest",
        "m.tmd",
        "--format",
        "json",
        "--min-severity",
        "high",
        "--no-config",
    ]);
    assert!(
        high_open > 0 && high_open < all_open,
        "{high_open} of {all_open}"
    );

    // --min-severity is respected: only the high ones are added.
    let (out, err, code) = tmd(
        &[
            "suggest",
            "m.tmd",
            "--write",
            "--min-severity",
            "high",
            "--no-config",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("added {high_open} suggested threat")),
        "{out}"
    );
    let written = std::fs::read_to_string(&path).expect("read");
    for comment in [
        "# Top comment",
        "# the DB",
        "# Last comment, \"quoted\" # and more",
    ] {
        assert!(written.contains(comment), "{comment} lost:\n{written}");
    }
    assert!(
        written.contains("store db \"Database\" # the DB"),
        "{written}"
    );
    assert_eq!(
        written.matches("status: open").count(),
        high_open,
        "{written}"
    );
    // What is written is what `tmd fmt` writes, and it checks clean.
    let (_, err, code) = tmd(&["fmt", "--check", "m.tmd", "--no-config"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (_, err, code) = tmd(&["check", "m.tmd", "--no-config"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        count(&["suggest", "m.tmd", "--format", "json", "--no-config"]),
        all_open - high_open
    );

    // A second run adds nothing and leaves the file alone.
    let (out, _, code) = tmd(
        &[
            "suggest",
            "m.tmd",
            "--write",
            "--min-severity",
            "high",
            "--no-config",
        ],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("0 suggestions"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), written);

    // Without --min-severity the rest goes in, with IDs that do not collide.
    let (out, err, code) = tmd(&["suggest", "m.tmd", "--write", "--no-config"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("added {} suggested threat", all_open - high_open)),
        "{out}"
    );
    let (out, _, _) = tmd(&["suggest", "m.tmd", "--no-config"], dir.path());
    assert!(out.starts_with("No suggestions"), "{out}");
    let (_, err, code) = tmd(&["check", "m.tmd", "--no-config"], dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn suggest_write_refuses_stdin_errors_and_other_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, err, code) = tmd(&["suggest", "-", "--write", "--no-config"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("not stdin"), "{err}");
    let broken = format!("{MODEL}\nflow f3: user -> nowhere\n");
    std::fs::write(dir.path().join("bad.tmd"), &broken).expect("write");
    let (out, err, code) = tmd(
        &["suggest", "bad.tmd", "--write", "--no-config"],
        dir.path(),
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("has errors"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bad.tmd")).expect("read"),
        broken
    );
    let (help, _, code) = tmd(&["suggest", "--help"], dir.path());
    assert_eq!(code, 0);
    for word in [
        "--write",
        "--min-severity",
        "--format",
        "--all",
        "tmd fmt",
        "Exit status",
    ] {
        assert!(help.contains(word), "{word} not in:\n{help}");
    }
    std::fs::write(dir.path().join("m.tmd"), MODEL).expect("write");
    for extra in ["--all", "--format=json"] {
        let (_, err, code) = tmd(
            &["suggest", "m.tmd", "--write", extra, "--no-config"],
            dir.path(),
        );
        assert_eq!(code, 2, "{extra}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.tmd")).expect("read"),
        MODEL
    );
}

#[test]
fn explain_prints_a_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, _, code) = tmd(&["explain", "spoof-unauthenticated-inbound"], dir.path());
    assert_eq!(code, 0);
    assert!(
        out.contains("CAPEC-151") && out.contains("Fires on `api`"),
        "{out}"
    );
}

/// Noise and recall of the library on every sample and the shared
/// Threagile demo (`cargo test --test rules noise -- --nocapture` prints
/// the figures): suggestions per element and flow (all of them, covered
/// or not, as `tmd suggest --all` lists them), and recall, the share of
/// the authors' threats (with a target and STRIDE letters) whose target
/// and one of whose letters a suggestion names.
#[test]
fn noise_and_recall_on_the_samples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut models: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("samples"))
        .expect("samples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    models.sort();
    let shared = root.join("../shared/models/threagile-demo.tmd");
    let shared = if shared.exists() {
        Some(shared)
    } else {
        let other = root.join("../../shared/models/threagile-demo.tmd");
        other.exists().then_some(other)
    };
    models.extend(shared);
    let library = Library::builtin();
    let mut figures = Vec::new();
    println!(
        "{:<28} {:>8} {:>6} {:>11} {:>9} {:>8} {:>7}",
        "model", "elements", "flows", "suggestions", "per item", "threats", "recall"
    );
    for path in models {
        let text = std::fs::read_to_string(&path).expect("read");
        let compilation = tmd::compile(&text);
        let (model, analysis) = compilation.valid().expect("valid");
        let (_, all) = rules::for_file(
            compilation.file.as_ref().expect("parsed"),
            model,
            analysis,
            &library,
        );
        let items = model.elements.len() + model.flows.len();
        let per_item = all.len() as f64 / items.max(1) as f64;
        let mut written = 0usize;
        let mut recalled = 0usize;
        for t in model.threat_ids() {
            let threat = &model[t];
            let Some(stride) = threat.stride else {
                continue;
            };
            if threat.targets.is_empty() {
                continue;
            }
            written += 1;
            let hit = all.iter().any(|s| {
                threat.targets.contains(&s.target)
                    && stride.contains(library.rules()[s.rule].stride)
            });
            recalled += usize::from(hit);
            if !hit {
                let on: Vec<String> = threat
                    .targets
                    .iter()
                    .map(|&x| format!("{} {}", model.target_kind(x), model.target_name(x)))
                    .collect();
                println!(
                    "    not suggested: {} {stride} on {}",
                    threat.name,
                    on.join(", ")
                );
            }
        }
        let recall = if written == 0 {
            1.0
        } else {
            recalled as f64 / written as f64
        };
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        println!(
            "{name:<28} {:>8} {:>6} {:>11} {per_item:>9.2} {written:>8} {recall:>7.2}",
            model.elements.len(),
            model.flows.len(),
            all.len()
        );
        figures.push((
            name.to_string(),
            per_item,
            recall,
            path.starts_with(root.join("samples")),
        ));
    }
    for (name, per_item, recall, sample) in figures {
        assert!(
            per_item <= 4.0,
            "{name}: {per_item:.2} suggestions per element or flow"
        );
        assert!(!sample || recall >= 0.8, "{name}: recall {recall:.2}");
    }
}

#[test]
fn project_rule_files_and_disabled_rules_from_tmd_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("git");
    std::fs::create_dir(dir.path().join("threats")).expect("folder");
    std::fs::write(dir.path().join("m.tmd"), MODEL).expect("write");
    std::fs::write(
        dir.path().join("tmd.toml"),
        "[rules]\nfiles = [\"threats/ours.toml\"]\ndisable = [\"tamper-unencrypted-crossing\"]\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("threats/ours.toml"),
        r#"[[rule]]
id = "our-api-rule"
title = "Our own rule"
stride = "R"
applies_to = "process"
severity = "high"
when = { validates_input = true }
scenario = "{target} in {boundary} does something we care about."
mitigation = "Do the thing."
references = ["OURS-1"]
"#,
    )
    .expect("write");
    let (out, err, code) = tmd(&["suggest", "m.tmd"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("our-api-rule") && out.contains("“API” in “Data centre” does something"),
        "{out}"
    );
    assert!(!out.contains("tamper-unencrypted-crossing"), "{out}");
    // A rule file with an error: TMD016 with its place in the rule file.
    std::fs::write(
        dir.path().join("threats/ours.toml"),
        "[[rule]]\nid = \"our-api-rule\"\ntitle = \"T\"\nstride = \"R\"\napplies_to = \"process\"\nseverity = \"hgh\"\nscenario = \"s\"\nmitigation = \"m\"\n",
    )
    .expect("write");
    let (out, err, code) = tmd(&["check", "m.tmd", "--format", "short"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("threats/ours.toml:6:12: error[TMD016]"),
        "{out}{err}"
    );
    // A rule file outside the project is refused.
    std::fs::write(
        dir.path().join("tmd.toml"),
        "[rules]\nfiles = [\"../elsewhere.toml\"]\n",
    )
    .expect("write");
    let (_, err, code) = tmd(&["suggest", "m.tmd"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("TMD015"), "{err}");
}
