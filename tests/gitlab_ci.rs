//! The GitLab CI template (ci/gitlab/tmd.gitlab-ci.yml, ci/gitlab/tmd-mr.py)
//! end to end: the real script and the real tmd binary on a real git
//! repository with base and head commits, against a stand-in for GitLab's
//! notes API on 127.0.0.1 that answers as GitLab does (notes listed 100 a
//! page with a `Link` header, created with POST, edited with PUT; 401
//! without a token it knows, PRIVATE-TOKEN or JOB-TOKEN) and records every
//! request. Also the template's structure.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::pr::{git, repository, Repo};
use support::standin::{Request, Response, Server};

const TOKEN: &str = "glpat-test-token";
const JOB_TOKEN: &str = "glcbt-job-token";
const MARKER: &str = "<!-- tmd-diff-comment -->";
const NOTES: &str = "/api/v4/projects/acme%2Fshop/merge_requests/7/notes";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn have_tools() -> bool {
    support::skip::have("git", &["--version"], "apt-get install git")
        && support::skip::have("python3", &["--version"], "apt-get install python3")
}

#[derive(Clone)]
struct Note {
    id: u64,
    username: String,
    system: bool,
    body: String,
}

#[derive(Default)]
struct GitLab {
    notes: Vec<Note>,
    next_id: u64,
}

fn note_json(n: &Note) -> Value {
    json!({
        "id": n.id,
        "type": null,
        "body": n.body,
        "author": { "id": 1, "username": n.username, "name": n.username },
        "created_at": "2026-12-01T10:00:00.000Z",
        "updated_at": "2026-12-01T10:00:00.000Z",
        "system": n.system,
        "noteable_id": 77,
        "noteable_type": "MergeRequest",
        "noteable_iid": 7,
        "resolvable": false,
        "confidential": false,
        "internal": false,
    })
}

fn message(status: u16, text: &str) -> Response {
    Response::json(status, &json!({ "message": text }))
}

fn answer(state: &Mutex<GitLab>, req: &Request, base: &str) -> Response {
    let authorized =
        req.header("private-token") == Some(TOKEN) || req.header("job-token") == Some(JOB_TOKEN);
    if !authorized {
        return message(401, "401 Unauthorized");
    }
    let Ok(mut gl) = state.lock() else {
        return message(500, "poisoned");
    };
    let body_of = |req: &Request| -> Option<String> {
        if !req
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
        {
            return None;
        }
        Some(req.json()?.get("body")?.as_str()?.to_string())
    };
    let path = req.path();
    match req.method.as_str() {
        "GET" if path == NOTES => {
            let per_page: usize = req
                .query("per_page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(20)
                .min(100);
            let page: usize = req
                .query("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1);
            let total = gl.notes.len();
            let pages = total.div_ceil(per_page).max(1);
            let items: Vec<Value> = gl
                .notes
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(note_json)
                .collect();
            let mut response = Response::json(200, &Value::Array(items))
                .with_header("X-Page", &page.to_string())
                .with_header("X-Per-Page", &per_page.to_string())
                .with_header("X-Total", &total.to_string())
                .with_header("X-Total-Pages", &pages.to_string());
            if page < pages {
                let link = |p: usize| {
                    format!(
                        "{base}{NOTES}?order_by=created_at&page={p}&per_page={per_page}&sort=asc"
                    )
                };
                response = response
                    .with_header("X-Next-Page", &(page + 1).to_string())
                    .with_header(
                        "Link",
                        &format!(
                            "<{}>; rel=\"next\", <{}>; rel=\"first\", <{}>; rel=\"last\"",
                            link(page + 1),
                            link(1),
                            link(pages)
                        ),
                    );
            }
            response
        }
        "POST" if path == NOTES => {
            let Some(body) = body_of(req) else {
                return message(400, "400 Bad request - body is missing");
            };
            gl.next_id += 1;
            let n = Note {
                id: gl.next_id,
                username: "project_7_bot".into(),
                system: false,
                body,
            };
            gl.notes.push(n.clone());
            Response::json(201, &note_json(&n))
        }
        "PUT" if path.starts_with(&format!("{NOTES}/")) => {
            let id: Option<u64> = path.rsplit('/').next().and_then(|s| s.parse().ok());
            let Some(body) = body_of(req) else {
                return message(400, "400 Bad request - body is missing");
            };
            match gl.notes.iter_mut().find(|n| Some(n.id) == id) {
                Some(n) => {
                    n.body = body;
                    let n = n.clone();
                    Response::json(200, &note_json(&n))
                }
                None => message(404, "404 Not found"),
            }
        }
        _ => message(404, "404 Not Found"),
    }
}

fn run_script(repo: &Repo, server: &Server, head: &str, extra: &[(&str, &str)]) -> Output {
    git(&repo.dir, &["checkout", "-q", head]);
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("ci/gitlab/tmd-mr.py"))
        .current_dir(&repo.dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("CI_API_V4_URL", format!("{}/api/v4", server.url))
        .env("CI_PROJECT_ID", "acme/shop")
        .env("CI_MERGE_REQUEST_IID", "7")
        .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &repo.base)
        .env("CI_COMMIT_SHA", head)
        .env("TMD_BIN", env!("CARGO_BIN_EXE_tmd"))
        .env("TMD_PATHS", "**/*.tmd, !vendor/**");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn log(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn one_note_is_created_then_edited_and_the_code_quality_report_is_written() {
    if !have_tools() {
        return;
    }
    let repo = repository("gitlab");
    let mut gl = GitLab {
        next_id: 5000,
        ..GitLab::default()
    };
    for i in 0..103 {
        gl.notes.push(Note {
            id: 4000 + i,
            username: if i % 10 == 0 { "gitlab" } else { "reviewer" }.into(),
            system: i % 10 == 0,
            body: if i == 3 {
                format!("Why does the bot write\n{MARKER}\nin its note?")
            } else {
                format!("note {i}")
            },
        });
    }
    // A system note that starts with the marker is never ours.
    gl.notes[0].body = format!("{MARKER}\nchanged the description");
    let state = Arc::new(Mutex::new(gl));
    let before: Vec<(u64, String)> = state
        .lock()
        .unwrap()
        .notes
        .iter()
        .map(|n| (n.id, n.body.clone()))
        .collect();
    let server = {
        let s = Arc::clone(&state);
        Server::start(move |req, base| answer(&s, req, base))
    };
    let report_path = repo.dir.join("gl-code-quality-report.json");

    // First push: a broken model among the changed ones; PRIVATE-TOKEN.
    let first = run_script(&repo, &server, &repo.head1, &[("TMD_GITLAB_TOKEN", TOKEN)]);
    assert_eq!(first.status.code(), Some(1), "{}", log(&first));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let paths: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"legacy/old.tmd"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("vendor/")), "{paths:?}");
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| r.method == "POST").count(), 1);
    assert!(requests.iter().all(|r| r.method != "PUT"));
    assert!(requests
        .iter()
        .any(|r| r.method == "GET" && r.query("page") == Some("2")));
    for r in &requests {
        assert_eq!(r.header("private-token"), Some(TOKEN));
        assert_eq!(r.header("job-token"), None);
    }
    let created = state.lock().unwrap().notes.last().unwrap().clone();
    assert_eq!(state.lock().unwrap().notes.len(), 104);
    assert!(created.body.starts_with(MARKER), "{}", created.body);
    assert!(created.body.contains("shop.tmd") && created.body.contains("legacy/old.tmd"));

    // Second push, with the job token: the same note is edited.
    let second = run_script(&repo, &server, &repo.head2, &[("CI_JOB_TOKEN", JOB_TOKEN)]);
    assert_eq!(second.status.code(), Some(0), "{}", log(&second));
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| r.method == "POST").count(), 1);
    let puts: Vec<&Request> = requests.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].path(), format!("{NOTES}/{}", created.id));
    assert_eq!(puts[0].header("job-token"), Some(JOB_TOKEN));
    let notes = state.lock().unwrap().notes.clone();
    assert_eq!(notes.len(), 104, "no second note");
    assert_ne!(notes[103].body, created.body);
    assert!(notes[103].body.starts_with(MARKER));
    let after: Vec<(u64, String)> = notes[..103]
        .iter()
        .map(|n| (n.id, n.body.clone()))
        .collect();
    assert_eq!(before, after, "other notes untouched");

    // Gates, without a note.
    let quiet = ("TMD_COMMENT", "false");
    let gated = run_script(
        &repo,
        &server,
        &repo.head2,
        &[quiet, ("TMD_FAIL_ON", "high")],
    );
    assert_eq!(gated.status.code(), Some(1), "{}", log(&gated));
    // No token at all: a clear configuration error.
    let none = run_script(&repo, &server, &repo.head2, &[]);
    assert_eq!(none.status.code(), Some(2), "{}", log(&none));
    assert!(String::from_utf8_lossy(&none.stderr).contains("TMD_GITLAB_TOKEN"));
    // A token GitLab refuses: the job fails and says so.
    let refused = run_script(&repo, &server, &repo.head2, &[("TMD_GITLAB_TOKEN", "nope")]);
    assert_eq!(refused.status.code(), Some(1), "{}", log(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("HTTP 401"));
    let _ = std::fs::remove_dir_all(&repo.dir);
}

/// The template parses, its job runs the script tested above, writes the
/// report it declares as the codequality artifact, and only runs in merge
/// request pipelines with the history git needs.
#[test]
fn the_template_runs_the_script_and_keeps_the_report() {
    if !support::skip::have(
        "python3",
        &["-c", "import yaml"],
        "pip install pyyaml (pre-commit brings it)",
    ) {
        return;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(root().join("ci/gitlab/tmd.gitlab-ci.yml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let job = &t["tmd-review"];
    let report = t["variables"]["TMD_REPORT"].as_str().unwrap();
    assert_eq!(job["artifacts"]["reports"]["codequality"], report);
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(job["variables"]["GIT_DEPTH"], "0");
    assert!(job["rules"][0]["if"]
        .as_str()
        .unwrap()
        .contains("merge_request_event"));
    let script = job["script"].as_array().unwrap();
    let text: Vec<&str> = script.iter().filter_map(Value::as_str).collect();
    let text = text.join("\n");
    assert!(text.contains("cargo install --locked --path .tmd-cache/src"));
    assert!(text.contains("python3 .tmd-cache/src/ci/gitlab/tmd-mr.py"));
    assert!(job["cache"]["paths"][0] == ".tmd-cache/");
    for name in [
        "TMD_REPOSITORY",
        "TMD_REF",
        "TMD_PATHS",
        "TMD_FAIL_ON",
        "TMD_DENY_WARNINGS",
        "TMD_COMMENT",
    ] {
        assert!(t["variables"].get(name).is_some(), "{name}");
        let docs = std::fs::read_to_string(root().join("docs/review.md")).unwrap();
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/review.md documents {name}"
        );
    }
}
