//! `tmd lsp` driven over its protocol, in memory: every feature on a
//! sample, and no request fails the server on any buffer (every prefix of
//! every sample and fixture, the hostile corpus). The end-to-end tests
//! through a real client are `tests/lsp/` (pytest-lsp).

mod common;

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Diagnostics published, last first per URI.
    published: Vec<Value>,
}

const URI: &str = "file:///nowhere/model.tmd";

impl Client {
    fn start() -> Client {
        Client::start_with(json!({}))
    }

    fn start_with(init: Value) -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            let mut host = tmd::lsp::NoProject;
            tmd::lsp::serve(&server, &mut host, &init)
        });
        Client {
            connection: client,
            server: Some(handle),
            next: 0,
            published: Vec::new(),
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .unwrap();
    }

    fn open(&mut self, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "tmd", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The result, or the error object.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers within 60 s (watchdog)")
            {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .map_err(|e| serde_json::to_value(e).unwrap());
                }
                Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                    self.published.push(n.params)
                }
                _ => {}
            }
        }
    }

    fn at(&mut self, method: &str, line: u32, character: u32) -> Value {
        self.call(method, position(method, line, character))
            .unwrap()
    }

    /// Waits for the next diagnostics published.
    fn diagnostics(&mut self) -> Value {
        if let Some(d) = self.published.pop() {
            return d;
        }
        loop {
            if let Message::Notification(n) = self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("diagnostics within 60 s (watchdog)")
            {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params;
                }
            }
        }
    }

    fn stop(mut self) {
        self.call("shutdown", Value::Null).unwrap();
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert_eq!(result, Ok(()));
    }
}

/// The parameters of a request at a position (references want a context).
fn position(method: &str, line: u32, character: u32) -> Value {
    let mut p =
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    if method == "textDocument/references" {
        p["context"] = json!({"includeDeclaration": true});
    }
    p
}

/// Line and UTF-16 column of the `n`th occurrence of `needle` in `text`.
fn pos(text: &str, needle: &str, n: usize) -> (u32, u32) {
    let at = text.match_indices(needle).nth(n).unwrap().0;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, text[start..at].encode_utf16().count() as u32)
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name),
    )
    .unwrap()
}

#[test]
fn hover_definition_references_highlight_on_a_sample() {
    let text = sample("acme-ecommerce.tmd");
    let mut c = Client::start();
    c.open(&text);
    let d = c.diagnostics();
    assert_eq!(d["uri"], URI);

    // Hover on a reference to an element: kind, boundary, flows, threats, gaps.
    let (l, ch) = pos(&text, "order_api -> order_db", 0);
    let hover = c.at("textDocument/hover", l, ch + 1);
    let md = hover["contents"]["value"].as_str().unwrap();
    for part in [
        "**process** `order_api`",
        "In: `aws`",
        "Flows in (1)",
        "Flows out (",
        "Crossings",
        "into `aws`",
        "`T1`",
        "STRIDE gaps:",
    ] {
        assert!(md.contains(part), "{part} in {md}");
    }
    // A threat: how its severity was reached.
    let (l, ch) = pos(&text, "threat T1", 0);
    let md = c.at("textDocument/hover", l, ch + 7)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        md.contains(
            "from the primer's matrix: ease `moderate` × impact `problematic` gives `medium`"
        ),
        "{md}"
    );
    // A flow: what it crosses.
    let (l, ch) = pos(&text, "pull_order:", 0);
    let md = c.at("textDocument/hover", l, ch)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        md.contains("Crosses: out of `aws`, into `warehouse`"),
        "{md}"
    );

    // Definition from a threat target to the flow's ID.
    let (l, ch) = pos(&text, "on pull_order", 0);
    let def = c.at("textDocument/definition", l, ch + 4);
    let (dl, dc) = pos(&text, "pull_order:", 0);
    assert_eq!(
        def[0]["range"]["start"],
        json!({"line": dl, "character": dc})
    );

    // References to an element: its declaration, flow ends, a threat target.
    let (l, ch) = pos(&text, "order_db", 0);
    let refs = c.at("textDocument/references", l, ch);
    let expected = text
        .match_indices("order_db")
        .filter(|(i, _)| {
            let after = text.as_bytes()[i + 8];
            after != b'_' && !after.is_ascii_alphanumeric()
        })
        .count();
    assert_eq!(refs.as_array().unwrap().len(), expected);
    let hl = c.at("textDocument/documentHighlight", l, ch);
    assert_eq!(hl.as_array().unwrap().len(), expected);
    assert_eq!(hl[0]["kind"], 3, "the declaration is a write");
    c.stop();
}

#[test]
fn diagnostics_carry_code_description_related_locations_and_follow_edits() {
    let mut c = Client::start_with(
        json!({"initializationOptions": {"docsUrl": "https://example.org/docs"}}),
    );
    c.open("process api\nprocess api\n");
    let d = c.diagnostics();
    let first = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "TMD002")
        .unwrap_or_else(|| panic!("TMD002 in {d}"));
    assert_eq!(first["severity"], 1);
    assert_eq!(
        first["codeDescription"]["href"],
        "https://example.org/docs/language.md#14-diagnostics"
    );
    assert!(first["relatedInformation"][0]["location"]["range"].is_object());
    // An edit that fixes it: fresh diagnostics, empty.
    c.change(
        2,
        "process api\nprocess db\nflow api -> db\nflow db -> api\n",
    );
    let d = c.diagnostics();
    assert_eq!(d["version"], 2);
    assert_eq!(d["diagnostics"], json!([]));
    // The explain text on hover over a diagnostic.
    c.change(3, "process api\nflow api -> nowhere\n");
    let hover = c.at("textDocument/hover", 1, 14);
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("**TMD003**"), "{md}");
    c.stop();
}

#[test]
fn rename_fixes_every_reference_and_refuses_keywords_and_collisions() {
    let text = "process api\nstore db\nflow q: api -> db\nthreat T1 on api -> db { scenario: \"s\", severity: low }\n\
threat T2 on q { scenario: \"s\", severity: low }\nflow db -> api { initiator: api, response_to: q }\n";
    let mut c = Client::start();
    c.open(text);
    let params = |name: &str| json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 9}, "newName": name});
    let edit = c.call("textDocument/rename", params("gateway")).unwrap();
    let edits = edit["changes"][URI].as_array().unwrap();
    // Declaration, flow source, `api -> db` source, reverse flow target, initiator.
    assert_eq!(edits.len(), 5, "{edits:?}");
    assert!(edits.iter().all(|e| e["newText"] == "gateway"));
    for (bad, why) in [
        ("threat", "keyword"),
        ("db", "already declared"),
        ("apt", "built-in actor"),
        ("9lives", "not an ID"),
    ] {
        let err = c.call("textDocument/rename", params(bad)).unwrap_err();
        assert!(
            err["message"].as_str().unwrap().contains(why),
            "{bad}: {err}"
        );
    }
    let prepare = c
        .call(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 9}}),
        )
        .unwrap();
    assert_eq!(prepare["start"], json!({"line": 0, "character": 8}));
    c.stop();
}

#[test]
fn formatting_code_actions_symbols_tokens_and_completion() {
    let mut c = Client::start();
    // Formatting: the canonical layout, or a refusal on a file with errors.
    c.open("process   api\nprocess db\nflow api->db\n");
    let edits = c
        .call(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .unwrap();
    assert_eq!(
        edits[0]["newText"],
        "process api\nprocess db\nflow api -> db\n"
    );
    c.change(2, "process api\nflow api -> nowhere\n");
    let err = c
        .call(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("has errors"));

    // Did you mean, allow, threat stub.
    let text = "external user\nboundary dc {\n  process api\n}\nprocess worker\n\
flow user -> api\nflow api -> workr\n";
    c.change(3, text);
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}},
                   "context": {"diagnostics": []}}),
        )
        .unwrap();
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Change to `worker`"), "{titles:?}");
    c.change(
        4,
        "external user\nboundary dc {\n  process api\n}\nflow user -> api\nflow api -> user\n",
    );
    let actions = c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 4}},
                   "context": {"diagnostics": []}}),
        )
        .unwrap();
    let find = |title: &str| {
        actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with(title))
            .unwrap_or_else(|| panic!("{title} in {actions}"))
            .clone()
    };
    let allow = find("Allow TMD106");
    let new_text = allow["edit"]["changes"][URI][0]["newText"]
        .as_str()
        .unwrap();
    assert!(new_text.ends_with("# tmd: allow TMD106\n"), "{new_text}");
    let stub = find("Add a threat on this crossing");
    let new_text = stub["edit"]["changes"][URI][0]["newText"].as_str().unwrap();
    assert!(
        new_text.starts_with("threat T1 \"TITLE\" on user -> api {"),
        "{new_text}"
    );
    // The stub compiles and clears the warning.
    let fixed = format!(
        "external user\nboundary dc {{\n  process api\n}}\nflow user -> api\n{new_text}flow api -> user\n"
    );
    let compiled = tmd::compile(&fixed);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    assert!(
        compiled
            .diagnostics
            .iter()
            .all(|d| d.code != "TMD106" || d.span.start > fixed.find("flow api -> user").unwrap()),
        "{:?}",
        compiled.diagnostics
    );

    // Symbols: the boundary holds its element.
    let symbols = c
        .call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .unwrap();
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["user", "dc", "user -> api", "api -> user"]);
    assert_eq!(symbols[1]["children"][0]["name"], "api");
    let ws = c.call("workspace/symbol", json!({"query": "AP"})).unwrap();
    assert_eq!(ws[0]["name"], "api");
    assert_eq!(ws[0]["containerName"], "dc");

    // Semantic tokens: five integers a token.
    let tokens = c
        .call(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .unwrap();
    assert_eq!(tokens["data"].as_array().unwrap().len() % 5, 0);
    assert!(!tokens["data"].as_array().unwrap().is_empty());

    // Completion after `flow `: the element IDs.
    c.change(5, "external user\nprocess api\nflow ");
    let items = c.at("textDocument/completion", 2, 5);
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["user", "api"]);
    c.stop();
}

#[test]
fn hover_and_completion_follow_the_models_risk_scale() {
    let text = "risk owasp\nprocess api\nthreat T1 on api {\n  scenario: \"s\"\n  likelihood: high\n  impact: medium\n}\n\
threat T2 on api { scenario: \"s\", severity: note }\nthreat T3 on api {\n  \n}\n";
    let mut c = Client::start();
    c.open(text);
    let md = c.at("textDocument/hover", 2, 8)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        md.contains("from the `owasp` scale's table: likelihood `high` × impact `medium` gives `high` (band high)"),
        "{md}"
    );
    let md = c.at("textDocument/hover", 7, 8)["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(md.contains("`note` (band low) as written"), "{md}");
    let labels = |items: Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let keys = labels(c.at("textDocument/completion", 9, 2));
    assert!(keys.contains(&"likelihood".to_string()), "{keys:?}");
    assert!(!keys.contains(&"ease".to_string()), "{keys:?}");
    c.change(
        2,
        &text.replace(
            "threat T3 on api {\n  \n",
            "threat T3 on api {\n  severity: \n",
        ),
    );
    let words = labels(c.at("textDocument/completion", 9, 12));
    assert_eq!(words, ["note", "low", "medium", "high", "critical"]);
    c.stop();
}

/// Every request the server answers, at `line`/`character`.
fn every_request(c: &mut Client, line: u32, character: u32) {
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/documentHighlight",
        "textDocument/completion",
        "textDocument/prepareRename",
    ] {
        let r = c.call(method, position(method, line, character));
        if let Err(e) = r {
            // prepareRename refuses where there is no ID; nothing else fails.
            assert_eq!(e["code"], -32803, "{method}: {e}");
        }
    }
    let mut rename = position("", line, character);
    rename["newName"] = json!("renamed_id");
    let _ = c.call("textDocument/rename", rename);
    let doc = json!({"textDocument": {"uri": URI}});
    for method in [
        "textDocument/documentSymbol",
        "textDocument/semanticTokens/full",
    ] {
        c.call(method, doc.clone()).unwrap();
    }
    let _ = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": line + 1, "character": 0}},
               "context": {"diagnostics": []}}),
    )
    .unwrap();
}

#[test]
fn no_request_fails_on_any_prefix_of_any_fixture() {
    let mut c = Client::start();
    c.open("");
    let mut version = 1;
    for path in common::corpus() {
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            continue;
        };
        // Every line end, and every character of one window of lines.
        let mut cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        cuts.push(text.len());
        let from = text.len() / 3;
        cuts.extend(
            text.char_indices()
                .map(|(i, _)| i)
                .filter(|&i| i >= from && i < from + 200),
        );
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            let prefix = &text[..cut];
            version += 1;
            c.change(version, prefix);
            let line = prefix.matches('\n').count() as u32;
            let character = prefix
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.encode_utf16().count()) as u32;
            every_request(&mut c, line, character);
            // Past the end of the text and of the line: clamped.
            let _ = c.call(
                "textDocument/hover",
                json!({"textDocument": {"uri": URI}, "position": {"line": line + 5, "character": 999}}),
            );
        }
    }
    c.stop();
}

#[test]
fn no_request_fails_on_the_hostile_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut c = Client::start();
    c.open("");
    let mut version = 1;
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.split('\n').collect();
        // The whole file, and a prefix every 25 lines.
        for cut in (0..lines.len()).step_by(25).chain([lines.len()]) {
            let prefix = lines[..cut].join("\n");
            version += 1;
            c.change(version, &prefix);
            for line in [0, cut as u32 / 2, cut.saturating_sub(1) as u32] {
                every_request(&mut c, line, 3);
            }
        }
    }
    c.stop();
}

#[test]
fn code_action_adds_a_suggested_threat_as_suggest_write_would() {
    let text = "# The model\nexternal user \"User\"\nboundary dc \"Data centre\" {\n  process api \"API\" { validates_input: true }\n  store db \"Database\"\n}\nflow f1: user -> api \"Request\" { protocol: \"HTTP\" }\n";
    let mut c = Client::start();
    c.open(text);
    let actions_on = |c: &mut Client, line: u32| -> Vec<Value> {
        c.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": line, "character": 2}, "end": {"line": line, "character": 2}},
                   "context": {"diagnostics": []}}),
        )
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"].as_str().unwrap().starts_with("Add suggested threat: "))
        .cloned()
        .collect()
    };
    // The closing brace of the boundary declares nothing.
    assert!(actions_on(&mut c, 5).is_empty());
    let on_flow = actions_on(&mut c, 6);
    let action = on_flow
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .ends_with("(tamper-unencrypted-crossing)")
        })
        .unwrap_or_else(|| panic!("{on_flow:#?}"));
    let edit = &action["edit"]["changes"][URI][0];
    assert_eq!(edit["range"]["start"]["line"], 7);
    let new_text = edit["newText"].as_str().unwrap();
    assert!(new_text.starts_with("\nthreat S1 "), "{new_text}");
    assert!(new_text.contains(" on f1 {\n"), "{new_text}");
    assert!(new_text.contains("  status: open\n"), "{new_text}");
    assert!(
        new_text.contains("  rule: \"tamper-unencrypted-crossing\"\n"),
        "{new_text}"
    );
    // Applied, it compiles, reads as `tmd fmt` writes it, and covers the
    // suggestion, which is offered no more.
    let fixed = format!("{text}{new_text}");
    let compiled = tmd::compile(&fixed);
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    assert_eq!(
        tmd::fmt::format(compiled.file.as_ref().unwrap(), &compiled.source),
        fixed
    );
    c.change(2, &fixed);
    let again = actions_on(&mut c, 6);
    assert!(!again.is_empty());
    assert!(again.iter().all(|a| !a["title"]
        .as_str()
        .unwrap()
        .ends_with("(tamper-unencrypted-crossing)")));
    // The next one gets the next free ID.
    assert!(again[0]["edit"]["changes"][URI][0]["newText"]
        .as_str()
        .unwrap()
        .starts_with("\nthreat S2 "));
    // A model with errors offers none.
    c.change(3, &format!("{fixed}flow f2: api -> nowhere\n"));
    assert!(actions_on(&mut c, 6).is_empty());
    c.stop();
}
