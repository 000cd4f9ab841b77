//! `make bench-lsp`: `tmd lsp` timed over its protocol, as an editor
//! drives it: the server is started as a child process on pipes, a model
//! is opened, then hover and go-to-definition are asked at IDs spread over
//! the file, and edits are made, each timed until the diagnostics of the
//! edited version arrive (the debounce included). Prints the median, the
//! 90th percentile and the worst of each, against the targets of
//! docs/lsp.md (hover and definition under 50 ms, fresh diagnostics under
//! 300 ms).
//!
//! `cargo run --release --example bench_lsp -- TMD_BINARY MODEL [ROUNDS]`
//! (MODEL: `python3 ../shared/tools/gen_tmd.py 5000 1 > model.tmd`).

use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Server {
    stdin: std::process::ChildStdin,
    incoming: Receiver<Message>,
    next: i32,
}

impl Server {
    fn send(&mut self, message: Message) {
        message.write(&mut self.stdin).expect("write to tmd lsp");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Message::Request(Request::new(
            id.clone(),
            method.to_string(),
            params,
        )));
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r.response_result.unwrap_or(Value::Null);
                }
                _ => {}
            }
        }
    }

    fn recv(&self) -> Message {
        self.incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("tmd lsp answers within 60 s")
    }

    /// Waits for the diagnostics of `version`; gives how many there are.
    fn diagnostics(&self, version: i64) -> usize {
        loop {
            if let Message::Notification(n) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" && n.params["version"] == version {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }
}

/// The CPU time (user + system) the process `pid` has used, in ms (from
/// /proc; 10 ms steps). On a loaded machine the wall clock of an answer is
/// mostly time spent waiting for a core: this says what the server itself
/// spent.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 here.
    let ticks = fields.get(11).copied().unwrap_or(0.0) + fields.get(12).copied().unwrap_or(0.0);
    ticks * 10.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn summary(name: &str, mut times: Vec<f64>, target: f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    let worst = times[times.len() - 1];
    println!(
        "{name:<28} n={:<4} median {:>7.2} ms   p90 {:>7.2} ms   worst {:>7.2} ms   target < {target} ms: {}",
        times.len(),
        at(0.5),
        at(0.9),
        worst,
        if at(0.9) < target { "met (p90)" } else { "MISSED (p90)" }
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(tmd), Some(model)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_lsp TMD_BINARY MODEL [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(40);
    let text = std::fs::read_to_string(model).expect("read the model");
    let path = std::fs::canonicalize(model).expect("model path");
    let uri = format!("file://{}", path.display());

    let mut child = Command::new(tmd)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tmd lsp");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, incoming) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Ok(Some(message)) = Message::read(&mut reader) {
            if tx.send(message).is_err() {
                break;
            }
        }
    });
    let mut server = Server {
        stdin: child.stdin.take().expect("stdin"),
        incoming,
        next: 0,
    };
    server.call(
        "initialize",
        json!({"capabilities": {}, "processId": null, "rootUri": null}),
    );
    server.notify("initialized", json!({}));

    let started = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "tmd", "version": 1, "text": text}}),
    );
    let count = server.diagnostics(1);
    println!(
        "model: {} ({} lines, {} bytes); first diagnostics ({count}) after {:.1} ms",
        model,
        text.lines().count(),
        text.len(),
        ms(started.elapsed())
    );

    // Positions of IDs spread over the file: every flow's target, which
    // hover describes in full (flows in and out, crossings, threats).
    let lines: Vec<&str> = text.lines().collect();
    let flows: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("flow "))
        .filter_map(|(i, l)| l.find("-> ").map(|c| (i, c + 4)))
        .collect();
    let step = (flows.len() / rounds).max(1);
    let picks: Vec<(usize, usize)> = flows.iter().step_by(step).take(rounds).copied().collect();

    let mut hover = Vec::new();
    let mut definition = Vec::new();
    for &(line, character) in &picks {
        let params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        let t = Instant::now();
        let h = server.call("textDocument/hover", params.clone());
        hover.push(ms(t.elapsed()));
        assert!(h["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("Flows in")));
        let t = Instant::now();
        let d = server.call("textDocument/definition", params);
        definition.push(ms(t.elapsed()));
        assert!(d.as_array().is_some_and(|a| a.len() == 1));
    }

    // Edits: a label changed on a line spread over the file; timed from
    // the change to the diagnostics of its version.
    let mut fresh = Vec::new();
    let cpu_before = cpu_ms(child.id());
    for (n, &(line, _)) in picks.iter().enumerate() {
        let version = n as i64 + 2;
        let end = lines[line].len();
        let t = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}},
                                       "text": " "}]}),
        );
        server.diagnostics(version);
        fresh.push(ms(t.elapsed()));
    }
    let cpu_per_edit = (cpu_ms(child.id()) - cpu_before) / picks.len() as f64;
    // Hover right after an edit: the request compiles the new text first.
    let mut hover_after_edit = Vec::new();
    for (n, &(line, character)) in picks.iter().take(10).enumerate() {
        let version = (picks.len() + n) as i64 + 2;
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                       "text": ""}]}),
        );
        let t = Instant::now();
        server.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        hover_after_edit.push(ms(t.elapsed()));
    }

    summary("hover", hover, 50.0);
    summary("definition", definition, 50.0);
    summary("diagnostics after an edit", fresh, 300.0);
    summary("hover right after an edit", hover_after_edit, 300.0);
    println!(
        "server CPU time per edit (recompile and publish {count} diagnostics): {cpu_per_edit:.0} ms"
    );

    server.call("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = child.wait();
}
