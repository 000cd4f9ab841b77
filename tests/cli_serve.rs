//! `tmd serve` on the real binary, over raw TCP: it listens on 127.0.0.1
//! only (unless asked, with a warning), serves the report and its event
//! stream and nothing else, answers only requests addressed to a loopback
//! name, shows a model's errors over its last good page (or alone when
//! there never was one), follows edits of the model and of its tmd.toml,
//! opens $BROWSER, and ends on SIGINT. Waits are watchdogs (10 s).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const MODEL: &str =
    "title \"Served\"\nprocess api \"API\"\nstore db \"DB\"\nflow api -> db\nflow db -> api\n";

struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn start(dir: &Path, args: &[&str]) -> Server {
    start_env(dir, args, &[])
}

fn start_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = spawn(dir, args, env);
    let (tx, stderr) = channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (tx, rx) = channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a URL on stdout within 10 s");
    let url = line.trim();
    let rest = url
        .strip_prefix("http://")
        .and_then(|r| r.strip_suffix('/'))
        .unwrap_or_else(|| panic!("not a URL: {url:?}"));
    let addr: SocketAddr = rest.parse().unwrap();
    Server {
        child,
        addr,
        stderr,
    }
}

/// One HTTP exchange: the status code, the head and the body.
struct Reply {
    code: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn exchange(addr: SocketAddr, request: &str) -> Reply {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let all = String::from_utf8(all).unwrap();
    let (head, body) = all.split_once("\r\n\r\n").unwrap_or((&all, ""));
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply {
        code,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    exchange(
        addr,
        &format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: test\r\n\r\n"),
    )
}

fn get(addr: SocketAddr) -> Reply {
    request(addr, "GET", "/")
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} within 10 s");
}

fn project(model: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    std::fs::write(tmp.path().join("m.tmd"), model).unwrap();
    tmp
}

/// The overlay's opening tag, and whether it is shown.
fn overlay(page: &str) -> Option<(bool, String)> {
    let at = page.find("<div id=\"tmd-live\"")?;
    let tag = &page[at..at + page[at..].find('>')?];
    let text_at = page[at..].find("<pre class=\"tmd-live-text\">")? + at;
    let end = page[text_at..].find("</pre>")? + text_at;
    Some((!tag.contains(" hidden"), page[text_at..end].to_string()))
}

/// The hash of every inline script is in the policy, and nothing else is.
fn scripts_are_named(page: &str, policy: &str) {
    let mut hashes = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("<script>") {
        let body = &rest[at + 8..];
        let end = body.find("</script>").unwrap();
        let hash =
            tmd::emit::html::csp::base64(&tmd::emit::html::csp::sha256(&body.as_bytes()[..end]));
        hashes.push(format!("'sha256-{hash}'"));
        rest = &body[end..];
    }
    assert_eq!(hashes.len(), 2, "the report's script and the live one");
    let listed: Vec<&str> = policy
        .split(';')
        .find_map(|d| d.trim().strip_prefix("script-src"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(listed, hashes, "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
}

#[test]
fn serves_the_report_on_loopback_and_nothing_else() {
    let tmp = project(MODEL);
    let server = start(tmp.path(), &["m.tmd", "--port", "0"]);
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");

    let page = get(server.addr);
    assert_eq!(page.code, 200, "{}", page.head);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page
        .body
        .contains("<title>Threat assessment: Served</title>"));
    assert!(page.body.contains("data-tmd-id=\"api\""), "the diagram");
    assert_eq!(overlay(&page.body).map(|o| o.0), Some(false));
    let header_policy = page.header("content-security-policy").unwrap();
    assert!(header_policy.ends_with("frame-ancestors 'none'"));
    scripts_are_named(&page.body, header_policy);
    let meta = page
        .body
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .replace("&#39;", "'");
    scripts_are_named(&page.body, &meta);
    assert_eq!(request(server.addr, "GET", "/?x=1").code, 200);

    // Nothing else: no file by path, no other method.
    for path in [
        "/m.tmd",
        "/etc/passwd",
        "/../m.tmd",
        "/%2e%2e/m.tmd",
        "/index.html",
        "//",
        "/events/",
        "/events/x",
        "/favicon.ico",
        "*",
        "http://evil.example/",
    ] {
        let reply = request(server.addr, "GET", path);
        assert!(
            reply.code == 404 || reply.code == 400,
            "{path}: {}",
            reply.head
        );
        assert!(!reply.body.contains("process api"), "{path}");
    }
    for method in ["POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"] {
        let reply = request(server.addr, method, "/");
        assert_eq!(reply.code, 405, "{method}: {}", reply.head);
        assert_eq!(reply.header("allow"), Some("GET"));
    }
    // Only requests addressed to this server by a loopback name (a page
    // rebinding its domain to 127.0.0.1 cannot read the report).
    let port = server.addr.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let reply = exchange(
            server.addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert_eq!(reply.code, 403, "{host}");
    }
    let no_host = exchange(server.addr, "GET / HTTP/1.1\r\n\r\n");
    assert_eq!(no_host.code, 403);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let reply = exchange(
            server.addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert_eq!(reply.code, 200, "{host}");
    }
    // Malformed requests and an endless head.
    assert_eq!(exchange(server.addr, "GARBAGE\r\n\r\n").code, 400);
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX: {}\r\n\r\n",
        "a".repeat(40_000)
    );
    assert_eq!(exchange(server.addr, &huge).code, 431);

    // Not on the machine's other interfaces.
    let outward = UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|()| s))
        .and_then(|s| s.local_addr());
    if let Ok(outward) = outward.map(|a| a.ip()) {
        if !outward.is_loopback() && !outward.is_unspecified() {
            let there = SocketAddr::new(outward, port);
            assert!(
                TcpStream::connect_timeout(&there, Duration::from_secs(2)).is_err(),
                "reachable on {there}"
            );
        }
    }
}

#[test]
fn errors_are_shown_over_the_last_good_page_and_the_fix_brings_it_back() {
    let tmp = project(MODEL);
    let server = start(tmp.path(), &["m.tmd", "--port", "0", "--color", "never"]);
    let first = get(server.addr).body;
    assert_eq!(overlay(&first).map(|o| o.0), Some(false));

    std::fs::write(
        tmp.path().join("m.tmd"),
        format!("{MODEL}flow api -> nowhere\n"),
    )
    .unwrap();
    let mut broken = String::new();
    wait_for("the overlay", || {
        broken = get(server.addr).body;
        overlay(&broken).is_some_and(|o| o.0)
    });
    let (_, text) = overlay(&broken).unwrap();
    assert!(text.contains("TMD003"), "{text}");
    assert!(text.contains("nowhere"), "{text}");
    assert!(!text.contains('\u{1b}'), "no terminal colours on the page");
    // The last good picture is still there, under the overlay.
    assert!(broken.contains("data-tmd-id=\"api\""));
    assert!(broken.contains("<title>Threat assessment: Served</title>"));

    std::fs::write(
        tmp.path().join("m.tmd"),
        format!("{MODEL}external user \"User\"\nflow user -> api\n"),
    )
    .unwrap();
    let mut fixed = String::new();
    wait_for("the fixed page", || {
        fixed = get(server.addr).body;
        fixed.contains("data-tmd-id=\"user\"")
    });
    assert_eq!(overlay(&fixed).map(|o| o.0), Some(false));
}

#[test]
fn a_model_that_never_compiled_serves_the_overlay_alone() {
    let tmp = project("process api \"API\"\nflow api -> nowhere\n");
    let server = start(tmp.path(), &["m.tmd", "--port", "0"]);
    let page = get(server.addr);
    assert_eq!(page.code, 200);
    let (shown, text) = overlay(&page.body).unwrap();
    assert!(shown);
    assert!(text.contains("TMD003"), "{text}");
    assert!(page.body.contains("<title>Live preview: m.tmd</title>"));
    scripts_are_named(&page.body, page.header("content-security-policy").unwrap());

    std::fs::write(tmp.path().join("m.tmd"), MODEL).unwrap();
    wait_for("the report once the model compiles", || {
        get(server.addr).body.contains("data-tmd-id=\"api\"")
    });
}

/// Reads events from a stream until one satisfies `ok`.
fn next_event(
    reader: &mut BufReader<TcpStream>,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut data = None;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("the event stream ended");
        }
        if let Some(d) = line.strip_prefix("data: ") {
            data = Some(serde_json::from_str::<serde_json::Value>(d.trim()).unwrap());
        } else if line == "\n" {
            if let Some(event) = data.take() {
                if ok(&event) {
                    return event;
                }
            }
        }
    }
    panic!("no such event within 10 s");
}

#[test]
fn the_event_stream_follows_the_model_and_its_config() {
    let tmp = project(MODEL);
    let server = start(tmp.path(), &["m.tmd", "--port", "0"]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(s, "GET /events HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let mut reader = BufReader::new(s);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert_eq!(status.trim(), "HTTP/1.1 200 OK");
    let first = next_event(&mut reader, |_| true);
    assert!(first["error"].is_null(), "{first}");
    let v1 = first["version"].as_str().unwrap().to_string();

    std::fs::write(tmp.path().join("m.tmd"), format!("{MODEL}flow api -> x\n")).unwrap();
    let broken = next_event(&mut reader, |e| e["error"].is_string());
    assert_eq!(
        broken["version"].as_str(),
        Some(v1.as_str()),
        "no new good version"
    );
    assert!(broken["error"].as_str().unwrap().contains("TMD003"));

    std::fs::write(tmp.path().join("m.tmd"), MODEL).unwrap();
    let v2 = next_event(&mut reader, |e| e["error"].is_null());
    assert_ne!(v2["version"].as_str(), Some(v1.as_str()));

    // The project's tmd.toml: an invalid one is an error on the page, a
    // valid one a new version.
    std::fs::write(tmp.path().join("tmd.toml"), "fail_on = \"hihg\"\n").unwrap();
    let bad = next_event(&mut reader, |e| e["error"].is_string());
    assert!(bad["error"].as_str().unwrap().contains("TMD015"), "{bad}");
    std::fs::write(
        tmp.path().join("tmd.toml"),
        "[checks]\nenable = [\"TMD118\"]\n",
    )
    .unwrap();
    let v3 = next_event(&mut reader, |e| e["error"].is_null());
    assert_ne!(v3["version"], v2["version"]);
}

#[test]
fn another_interface_only_when_asked_and_then_with_a_warning() {
    let tmp = project(MODEL);
    let server = start(tmp.path(), &["m.tmd", "--port", "0", "--host", "0.0.0.0"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut said = String::new();
    while Instant::now() < deadline && !said.contains("warning: listening on 0.0.0.0") {
        if let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(100)) {
            said.push_str(&line);
        }
    }
    assert!(said.contains("anyone who can reach this machine"), "{said}");
    // Any Host is answered there: the user chose to publish it.
    let addr = SocketAddr::from(([127, 0, 0, 1], server.addr.port()));
    let reply = exchange(addr, "GET / HTTP/1.1\r\nHost: my-laptop.lan:1\r\n\r\n");
    assert_eq!(reply.code, 200);
}

#[test]
fn open_starts_the_browser_the_environment_names() {
    let tmp = project(MODEL);
    let script = tmp.path().join("browser.sh");
    std::fs::write(&script, "#!/bin/sh\necho \"$1\" > opened.txt\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let server = start_env(
        tmp.path(),
        &["m.tmd", "--port", "0", "--open"],
        &[("BROWSER", script.to_str().unwrap())],
    );
    let opened = tmp.path().join("opened.txt");
    wait_for("the browser started", || {
        std::fs::read_to_string(&opened).is_ok_and(|s| !s.is_empty())
    });
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap().trim(),
        format!("http://{}/", server.addr)
    );
}

#[test]
fn sigint_ends_it() {
    let tmp = project(MODEL);
    let mut server = start(tmp.path(), &["m.tmd", "--port", "0"]);
    assert_eq!(get(server.addr).code, 200);
    let killed = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if server.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "still running 10 s after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(TcpStream::connect_timeout(&server.addr, Duration::from_secs(2)).is_err());
}

#[test]
fn stdin_a_missing_file_and_a_busy_port_are_usage_errors() {
    let tmp = project(MODEL);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tmd"))
            .arg("serve")
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let out = run(&["-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give a file, not `-`"));
    let out = run(&["missing.tmd", "--port", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = run(&["m.tmd", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
    assert!(err.contains("--port 0"), "{err}");
}
