//! `tmd check --format sarif`: the log is valid against the official SARIF
//! 2.1.0 JSON schema (tests/sarif/, checked with Python's `jsonschema`;
//! the test says SKIPPED when Python or the package is missing), and says
//! what it should: every rule with its docs, every diagnostic as a result
//! with the right place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod support;
use support::skip::skipped;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tmd(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn models(dirs: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "tmd") {
                out.push(path.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn temp_dir(name: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("sarif-{name}"))
}

/// Validates the logs with tests/sarif/validate.py; false when it cannot
/// run (no python3, no jsonschema): the caller says SKIPPED.
fn validate(logs: &[PathBuf]) -> bool {
    let script = root().join("tests/sarif/validate.py");
    let out = match Command::new("python3").arg(&script).args(logs).output() {
        Ok(out) => out,
        Err(e) => {
            skipped(&format!("schema validation: cannot run python3: {e}"));
            return false;
        }
    };
    if out.status.code() == Some(3) {
        skipped(&format!(
            "schema validation: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        return false;
    }
    assert!(
        out.status.success(),
        "SARIF log invalid against the 2.1.0 schema:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

fn sarif_of(files: &[String]) -> (Output, Value) {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(files.iter().map(String::as_str));
    let out = tmd(&args, root());
    let log: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (out, log)
}

#[test]
fn logs_of_samples_and_fixtures_are_valid_against_the_schema() {
    let dir = temp_dir("schema");
    let mut logs = Vec::new();
    let all = models(&[
        "samples",
        "tests/fixtures/valid",
        "tests/fixtures/diagnostics",
        "tests/hostile",
    ]);
    // Every file alone, and all of them in one run.
    for (i, file) in all.iter().enumerate() {
        let out = tmd(&["check", "--format", "sarif", file], root());
        assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(format!("{i}.sarif"));
        std::fs::write(&path, &out.stdout).unwrap();
        logs.push(path);
    }
    let (_, log) = sarif_of(&all);
    let path = dir.join("all.sarif");
    std::fs::write(&path, serde_json::to_vec(&log).unwrap()).unwrap();
    logs.push(path);
    // Stdin, and a file name that needs percent-encoding.
    let odd = dir.join("a model [1] é#?.tmd");
    std::fs::copy(root().join("samples/acme-ecommerce.tmd"), &odd).unwrap();
    let out = tmd(&["check", "--format", "sarif", "a model [1] é#?.tmd"], &dir);
    let path = dir.join("odd.sarif");
    std::fs::write(&path, &out.stdout).unwrap();
    logs.push(path);
    let uri = serde_json::from_slice::<Value>(&out.stdout).unwrap()["runs"][0]["results"][0]
        ["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .clone();
    assert_eq!(uri, "a%20model%20%5B1%5D%20%C3%A9%23%3F.tmd");
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["check", "--format", "sarif", "-"])
        .stdin(std::fs::File::open(root().join("samples/acme-ecommerce.tmd")).unwrap())
        .output()
        .unwrap();
    let path = dir.join("stdin.sarif");
    std::fs::write(&path, &out.stdout).unwrap();
    logs.push(path);
    validate(&logs);
}

#[test]
fn the_log_describes_every_rule_and_every_diagnostic() {
    let files = models(&["tests/fixtures/diagnostics"]);
    let (out, log) = sarif_of(&files);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "tmd");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let codes: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = tmd::checks::rules().map(|r| r.code).collect();
    assert_eq!(codes, expected);
    for (rule, r) in rules.iter().zip(tmd::checks::rules()) {
        assert_eq!(rule["name"], r.name);
        assert_eq!(rule["shortDescription"]["text"], r.summary());
        let level = if r.code.starts_with("TMD0") {
            "error"
        } else {
            "warning"
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        let md = rule["help"]["markdown"].as_str().unwrap();
        assert!(md.contains(r.doc.trim()), "{}", r.code);
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    // The same diagnostics as the JSON report, at the same places (the
    // fixtures are ASCII, so UTF-16 columns equal character columns).
    let json = tmd(
        &[
            &["check", "--format", "json"][..],
            &files.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
        root(),
    );
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.len() > 40);
    for (r, d) in results.iter().zip(diagnostics) {
        assert_eq!(r["ruleId"], d["code"]);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let text = r["message"]["text"].as_str().unwrap();
        let message = d["message"].as_str().unwrap();
        let plain = unescape(text);
        assert!(plain.starts_with(message), "{text} / {message}");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d["file"]);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &loc["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
    }
    // A duplicate points at the first declaration as a related location.
    let dup = results.iter().find(|r| r["ruleId"] == "TMD002").unwrap();
    let related = dup["relatedLocations"].as_array().unwrap();
    assert_eq!(related[0]["id"], 0);
    assert!(
        related[0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
}

/// Undoes SARIF's message escapes (`{{`, `}}`, `\\[`, `\\]`, `\\\\`).
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                out.push(c);
            }
            ('\\', Some(&n)) if matches!(n, '[' | ']' | '\\') => {
                chars.next();
                out.push(n);
            }
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn a_clean_run_has_no_results_and_exits_0() {
    let (out, log) = sarif_of(&["tests/fixtures/valid/all-forms.tmd".to_string()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// The validator is not a rubber stamp: a log without a result's message,
/// or with a relative URI that reads as a scheme, is refused.
#[test]
fn the_validator_rejects_invalid_logs() {
    let (_, mut log) = sarif_of(&["samples/acme-ecommerce.tmd".to_string()]);
    let dir = temp_dir("invalid");
    let result = &mut log["runs"][0]["results"][0];
    result.as_object_mut().unwrap().remove("message");
    let a = dir.join("no-message.sarif");
    std::fs::write(&a, serde_json::to_vec(&log).unwrap()).unwrap();
    let (_, mut log) = sarif_of(&["samples/acme-ecommerce.tmd".to_string()]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "c:a b.tmd".into();
    let b = dir.join("bad-uri.sarif");
    std::fs::write(&b, serde_json::to_vec(&log).unwrap()).unwrap();
    for path in [a, b] {
        let out = match Command::new("python3")
            .arg(root().join("tests/sarif/validate.py"))
            .arg(&path)
            .output()
        {
            Ok(out) => out,
            Err(e) => {
                skipped(&format!("cannot run python3: {e}"));
                return;
            }
        };
        if out.status.code() == Some(3) {
            skipped("python3 has no jsonschema package (python3 -m pip install jsonschema)");
            return;
        }
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
    }
}

/// `docs/review.md` shows the code scanning workflow as it is in
/// `docs/examples/`.
#[test]
fn review_docs_embed_the_code_scanning_workflow_verbatim() {
    let doc = std::fs::read_to_string(root().join("docs/review.md")).unwrap();
    let body = std::fs::read_to_string(root().join("docs/examples/tmd-code-scanning.yml")).unwrap();
    assert!(doc.contains(&format!("```yaml\n{body}```\n")));
    assert!(body.contains("tmd check --format sarif"));
}

/// A file that cannot be read is a tool execution notification (SARIF
/// 2.1.0 §3.20.21) on a failed invocation, beside the results of the
/// files that could: the upload still has every diagnostic, and says that
/// the run was incomplete. Exit 2.
#[test]
fn an_unreadable_file_is_a_notification_and_the_others_are_reported() {
    let args = [
        "check",
        "--format",
        "sarif",
        "samples/acme-ecommerce.tmd",
        "no/such file.tmd",
    ];
    let out = tmd(&args, root());
    assert_eq!(out.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "TMD106");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["message"]["text"],
        "cannot read `no/such file.tmd`: no such file"
    );
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "no/such%20file.tmd", "uriBaseId": "%SRCROOT%"})
    );
    // A run that read everything says it succeeded.
    let (_, clean) = sarif_of(&["samples/acme-ecommerce.tmd".to_string()]);
    assert_eq!(
        clean["runs"][0]["invocations"],
        serde_json::json!([{"executionSuccessful": true}])
    );
    let dir = temp_dir("unreadable");
    let failed = dir.join("unreadable.sarif");
    std::fs::write(&failed, &out.stdout).unwrap();
    let ok = dir.join("clean.sarif");
    std::fs::write(&ok, serde_json::to_vec(&clean).unwrap()).unwrap();
    validate(&[failed, ok]);
}

/// `tmd check --format gitlab`: GitLab's Code Quality report, from the same
/// diagnostics as `--format json` (one issue each, same code, file and
/// line), plus one `blocker` per unreadable file; the same on every run.
#[test]
fn gitlab_code_quality_report_matches_the_json_diagnostics() {
    let dir = temp_dir("gitlab");
    std::fs::write(dir.join("bad.tmd"), "process a\nprocess a\n").unwrap();
    std::fs::write(dir.join("warn.tmd"), "external e \"x\" { bogus: 1 }\n").unwrap();
    let args = ["bad.tmd", "./warn.tmd", "missing.tmd"];
    let run = |format: &str| {
        let mut all = vec!["check", "--format", format];
        all.extend(args);
        tmd(&all, &dir)
    };
    let out = run("gitlab");
    assert_eq!(out.status.code(), Some(2), "an unreadable file is exit 2");
    assert_eq!(
        run("gitlab").stdout,
        out.stdout,
        "the report is deterministic"
    );
    let issues: Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    let json: Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    assert_eq!(issues.len(), diagnostics.len() + 1);
    for (issue, d) in issues.iter().zip(diagnostics) {
        let keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ]
        );
        assert_eq!(issue["check_name"], d["code"]);
        assert_eq!(
            issue["location"]["path"],
            d["file"].as_str().unwrap().trim_start_matches("./")
        );
        assert_eq!(issue["location"]["lines"]["begin"], d["line"]);
        let want = if d["severity"] == "error" {
            "major"
        } else {
            "minor"
        };
        assert_eq!(issue["severity"], want);
        let print = issue["fingerprint"].as_str().unwrap();
        assert!(print.len() == 64 && print.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .starts_with(d["message"].as_str().unwrap()));
    }
    let last = issues.last().unwrap();
    assert_eq!(last["check_name"], "unreadable");
    assert_eq!(last["severity"], "blocker");
    assert_eq!(last["location"]["path"], "missing.tmd");
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are distinct");
}

/// In a git repository, `--format gitlab` names files relative to its root
/// wherever tmd runs (GitLab matches paths against the repository), and a
/// problem keeps its fingerprint when lines are added above it.
#[test]
fn gitlab_paths_are_relative_to_the_repository_and_fingerprints_survive_edits() {
    let dir = temp_dir("gitlab-repo");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let models = dir.join("docs/models");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("bad.tmd"), "process a\nprocess a\n").unwrap();
    let report = |args: &[&str], cwd: &Path| -> Vec<Value> {
        let mut all = vec!["check", "--format", "gitlab"];
        all.extend(args);
        let out = tmd(&all, cwd);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array().unwrap().clone()
    };
    let paths = |issues: &[Value]| -> Vec<String> {
        issues
            .iter()
            .map(|i| i["location"]["path"].as_str().unwrap().to_string())
            .collect()
    };
    let from_models = report(&["bad.tmd"], &models);
    let from_root = report(&["./docs/models/bad.tmd"], &dir);
    let from_docs = report(&["../docs/models/./bad.tmd"], &dir.join("docs"));
    assert!(!from_models.is_empty());
    for issues in [&from_models, &from_root, &from_docs] {
        assert!(paths(issues).iter().all(|p| p == "docs/models/bad.tmd"));
    }
    assert_eq!(from_models, from_root, "the same report from anywhere");
    assert_eq!(from_models, from_docs);

    // Lines added above: the duplicate moves from line 2 to line 5 and
    // keeps its fingerprint.
    std::fs::write(
        models.join("bad.tmd"),
        "# a note\n\nprocess z\nprocess a\nprocess a\n",
    )
    .unwrap();
    let edited = report(&["bad.tmd"], &models);
    let dup = |issues: &[Value]| {
        issues
            .iter()
            .find(|i| i["check_name"] == "TMD002")
            .cloned()
            .unwrap()
    };
    assert_eq!(dup(&from_models)["location"]["lines"]["begin"], 2);
    assert_eq!(dup(&edited)["location"]["lines"]["begin"], 5);
    assert_eq!(
        dup(&from_models)["fingerprint"],
        dup(&edited)["fingerprint"]
    );
}
