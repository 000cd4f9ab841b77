//! `tmd serve`: the HTML report of one model on a local web server, live
//! (docs/editors.md, "Live preview: tmd serve").
//!
//! Two paths and nothing else: `/` (the report, made by the HTML emitter
//! from the model in memory, never read from disk) and `/events` (a
//! server-sent event stream saying which version of the model is the
//! newest and whether the model on disk has errors). Any other path is a
//! 404 and any other method a 405. It listens on 127.0.0.1 unless
//! `--host` says otherwise, and there it answers only requests addressed
//! to a loopback name (`Host: localhost:PORT`, `127.0.0.1:PORT`,
//! `[::1]:PORT`): a web page that rebinds its own domain name to
//! 127.0.0.1 cannot read the report.
//!
//! Threads: the main one accepts connections and gives each its own
//! thread (at most [`MAX_CONNECTIONS`] at once); one more rebuilds the
//! page when the model or its configuration changes (`changes.rs`, the
//! same detection as `tmd watch`) and wakes the event streams.
//!
//! HTTP is written here over `std::net` rather than with a crate: a
//! request head read with a size and time limit, a method and a path
//! compared with two strings, and every response closed after it is
//! sent (`Connection: close`): no keep-alive, no body, no chunking, no
//! range, nothing from disk.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::changes::Watcher;
use super::config::{ConfigArgs, Configs, Problem};
use super::print::{self, errln};
use super::{fail, read_input_limited, status, Color, InputLimits};
use crate::emit::html::{self, Live};
use crate::report::{self, FileReport};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Serves the HTML report of FILE (the page `tmd report --format html` writes) at \
http://127.0.0.1:PORT/ and prints that URL. The page reloads when the model or its tmd.toml changes, \
keeping its scroll position and the diagram's zoom; while the model has errors, they are shown over \
the last good version of the page. Only the page and its event stream are served: any other path is \
404, any other method 405, and nothing is ever read from disk by path. Runs until interrupted \
(Ctrl-C). See docs/editors.md."
)]
pub struct Args {
    /// The model file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The port to listen on; 0 picks a free one (the URL printed says which)
    #[arg(long, short = 'p', default_value_t = 7333)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address lets
    /// other machines read the report, and tmd says so on stderr
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Open the page in a browser: the program $BROWSER names, else the
    /// system's (xdg-open, open)
    #[arg(long)]
    pub open: bool,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// The largest request head read (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request, or to take a response.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream gets a comment (which also finds
/// clients that went away).
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The width the errors are wrapped at on the page.
const PAGE_WIDTH: usize = 100;

/// What the pages are made of now.
struct State {
    /// Bumped at every rebuild; event streams send when it moves.
    seq: u64,
    page: Arc<String>,
    /// The event's data: `{"version": "...", "error": null | "..."}`.
    event: Arc<String>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// Whether requests must name a loopback host (listening on one).
    loopback: bool,
    port: u16,
    connections: AtomicUsize,
}

pub fn run(args: Args) -> ExitCode {
    let name = args.file.display().to_string();
    if name == "-" {
        return fail("`tmd serve` follows a file as it changes: give a file, not `-`");
    }
    // A file that cannot be read at all is a usage error, said at once;
    // once serving, a file that goes missing (an editor saving by rename)
    // is shown on the page as the model's error.
    if let Err(e) = read_input_limited(&name, &args.limits) {
        return fail(e);
    }
    let listener = match TcpListener::bind(SocketAddr::new(args.host, args.port)) {
        Ok(listener) => listener,
        Err(e) => {
            return fail(format!(
                "cannot listen on {}: {e}{}",
                SocketAddr::new(args.host, args.port),
                if args.port == 0 {
                    ""
                } else {
                    " (give another --port, or --port 0 for any free one)"
                }
            ))
        }
    };
    let local = match listener.local_addr() {
        Ok(local) => local,
        Err(e) => return fail(format!("cannot tell which port was bound: {e}")),
    };
    let loopback = args.host.is_loopback();
    if !loopback {
        errln!(
            "warning: listening on {} (--host), not on 127.0.0.1: anyone who can reach this machine on port {} can read the report of `{name}`",
            args.host,
            local.port()
        );
    }
    let url = format!("http://{local}/");

    // The first build, before the URL is printed: the first request
    // already gets the page.
    // The watcher looks at the files before they are read, so an edit
    // made while the first page builds, or before the rebuild thread
    // starts, is a change it sees.
    let watcher = Watcher::new(std::slice::from_ref(&args.file), &args.config);
    let instance = instance_id();
    let mut builder = Builder::new(&args, instance);
    let first = builder.build(&args);
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            seq: 1,
            page: Arc::new(first.page),
            event: Arc::new(first.event),
        }),
        changed: Condvar::new(),
        loopback,
        port: local.port(),
        connections: AtomicUsize::new(0),
    });

    if let Err(e) = print::stdout(format!("{url}\n")) {
        return fail(e);
    }
    errln!("tmd serve: serving `{name}` at {url}; Ctrl-C to stop");
    if args.open {
        if let Err(e) = open_browser(&url) {
            errln!("warning: cannot open a browser: {e}; open {url} yourself");
        }
    }

    let rebuild = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("rebuild".to_string())
            .spawn(move || rebuild_loop(args, builder, watcher, &shared))
    };
    if let Err(e) = rebuild {
        return fail(format!("cannot start the rebuild thread: {e}"));
    }

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
            let _ = respond(
                &mut stream,
                "503 Service Unavailable",
                "text/plain; charset=utf-8",
                &[],
                b"too many connections\n",
            );
            continue;
        }
        let mine = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("connection".to_string())
            .spawn(move || {
                handle(stream, &mine);
                mine.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The closure (and its count) is gone with the failed spawn.
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
    ExitCode::from(status::OK)
}

/// Tells this server's versions from another's (a restart reloads the
/// page even when the counts match).
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{:x}{:x}", std::process::id(), nanos)
}

/// One rebuild's product.
struct Built {
    page: String,
    event: String,
}

/// Builds the page: keeps the last good compilation, so that a model
/// with errors is shown over it.
struct Builder {
    name: String,
    instance: String,
    good: u64,
    last_good: Option<(crate::Compilation, String)>,
}

impl Builder {
    fn new(args: &Args, instance: String) -> Builder {
        Builder {
            name: args.file.display().to_string(),
            instance,
            good: 0,
            last_good: None,
        }
    }

    fn build(&mut self, args: &Args) -> Built {
        let error = match compile(args, &self.name) {
            Ok((compilation, svg)) => {
                self.good += 1;
                self.last_good = Some((compilation, svg));
                None
            }
            Err(text) => Some(text),
        };
        let version = format!("{}-{}", self.instance, self.good);
        let live = Live {
            version: &version,
            error: error.as_deref(),
        };
        let page = match &self.last_good {
            Some((compilation, svg)) => match compilation.valid() {
                Some((model, analysis)) => html::html_live(
                    model,
                    analysis,
                    &crate::emit::findings::Findings::of(compilation),
                    Some(svg),
                    &live,
                ),
                None => html::live_error_page(&self.name, &live),
            },
            None => html::live_error_page(&self.name, &live),
        };
        let event = serde_json::json!({ "version": version, "error": error }).to_string();
        Built { page, event }
    }
}

/// Compiles the model with its project configuration and draws it; the
/// diagnostics go to stderr (in colour on a terminal). A model that
/// cannot be read or has errors gives its diagnostics as plain text.
fn compile(args: &Args, name: &str) -> Result<(crate::Compilation, String), String> {
    let mut configs = Configs::new(&args.config, &args.limits).map_err(|e| {
        errln!("error: {e}");
        format!("error: {e}")
    })?;
    let input = read_input_limited(name, &args.limits).map_err(|e| {
        errln!("error: {e}");
        format!("error: {e}")
    })?;
    let resolved = match configs.for_input(&input) {
        Ok(resolved) => resolved,
        Err(problem) => {
            configs.say(&problem, args.color.enabled_for_stderr());
            let why = format!(
                "error: `{}`: {}",
                crate::emit::text::visible(&input.name),
                problem.why()
            );
            errln!("{why}");
            let mut text = match &problem {
                Problem::Invalid(file) => report::human(&file.report(), false, PAGE_WIDTH),
                Problem::Unreadable(_) => String::new(),
            };
            text.push_str(&why);
            return Err(text);
        }
    };
    let compilation = crate::compile_with(&input.text, &resolved.options());
    let report = FileReport {
        name: &input.name,
        source: &compilation.source,
        diagnostics: &compilation.diagnostics,
    };
    if !compilation.diagnostics.is_empty() {
        print::stderr(report::human(
            &report,
            args.color.enabled_for_stderr(),
            super::stderr_width(),
        ));
    }
    let Some((model, analysis)) = compilation.valid() else {
        return Err(report::human(&report, false, PAGE_WIDTH));
    };
    let rendered = crate::emit::svg::svg(model, analysis, &crate::emit::svg::SvgOptions::default());
    if let Some(warning) = &rendered.warning {
        errln!("warning: {warning}");
    }
    let svg = rendered.svg;
    Ok((compilation, svg))
}

fn rebuild_loop(args: Args, mut builder: Builder, mut watcher: Watcher, shared: &Shared) {
    loop {
        watcher.wait();
        let built = builder.build(&args);
        let broken = built.event.contains("\"error\":\"");
        if let Ok(mut state) = shared.state.lock() {
            state.seq += 1;
            state.page = Arc::new(built.page);
            state.event = Arc::new(built.event);
        }
        shared.changed.notify_all();
        if broken {
            errln!("tmd serve: the model has errors (above); the page shows them over its last good version");
        } else {
            errln!(
                "tmd serve: rebuilt (version {}); the page reloads",
                builder.good
            );
        }
    }
}

/// A request's head, as far as this server cares.
struct Request {
    method: String,
    path: String,
    host: Option<String>,
}

/// Why a request is refused before it is routed.
enum Refusal {
    /// Malformed, or not HTTP/1.x.
    Bad,
    /// The head is over [`MAX_HEAD`].
    TooLarge,
    /// The client went away or took too long: nothing to answer.
    Gone,
}

fn read_head(stream: &mut TcpStream) -> Result<Request, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let end = loop {
        let n = stream.read(&mut chunk).map_err(|_| Refusal::Gone)?;
        if n == 0 {
            return Err(Refusal::Gone);
        }
        head.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(end) = find(&head, b"\r\n\r\n") {
            break end;
        }
        if head.len() > MAX_HEAD {
            return Err(Refusal::TooLarge);
        }
    };
    if end > MAX_HEAD {
        return Err(Refusal::TooLarge);
    }
    let text =
        std::str::from_utf8(head.get(..end).unwrap_or_default()).map_err(|_| Refusal::Bad)?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Bad);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || target.is_empty() {
        return Err(Refusal::Bad);
    }
    let mut host = None;
    for line in lines {
        let Some((key, value)) = line.split_once(':') else {
            return Err(Refusal::Bad);
        };
        if key.eq_ignore_ascii_case("host") {
            if host.is_some() {
                return Err(Refusal::Bad); // two Host headers: RFC 9112 §3.2
            }
            host = Some(value.trim().to_string());
        }
    }
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        host,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether `host` (a Host header) names this server on a loopback name:
/// `localhost`, `127.0.0.1` or `[::1]`, with this server's port (or none
/// when that is 80).
fn loopback_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !p.contains(']') => (name, Some(p)),
        _ => (host, None),
    };
    let port_ok = match given {
        Some(p) => p.parse::<u16>().is_ok_and(|p| p == port),
        None => port == 80,
    };
    let name_ok = name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]";
    name_ok && port_ok
}

fn handle(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let text = "text/plain; charset=utf-8";
    let request = match read_head(&mut stream) {
        Ok(request) => request,
        Err(Refusal::Gone) => return,
        Err(Refusal::Bad) => {
            let _ = respond(&mut stream, "400 Bad Request", text, &[], b"bad request\n");
            return;
        }
        Err(Refusal::TooLarge) => {
            let _ = respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                text,
                &[],
                b"request head too large\n",
            );
            return;
        }
    };
    if shared.loopback
        && !request
            .host
            .as_deref()
            .is_some_and(|h| loopback_host(h, shared.port))
    {
        let _ = respond(
            &mut stream,
            "403 Forbidden",
            text,
            &[],
            b"this server answers only requests for localhost, 127.0.0.1 or [::1] on its port\n",
        );
        return;
    }
    let route = match request.path.as_str() {
        "/" => Route::Page,
        "/events" => Route::Events,
        _ => {
            let _ = respond(&mut stream, "404 Not Found", text, &[], b"not found\n");
            return;
        }
    };
    if request.method != "GET" {
        let _ = respond(
            &mut stream,
            "405 Method Not Allowed",
            text,
            &[("Allow", "GET")],
            b"only GET\n",
        );
        return;
    }
    match route {
        Route::Page => {
            let page = match shared.state.lock() {
                Ok(state) => Arc::clone(&state.page),
                Err(_) => return,
            };
            let policy = format!("{}; frame-ancestors 'none'", html::live_policy());
            let _ = respond(
                &mut stream,
                "200 OK",
                "text/html; charset=utf-8",
                &[("Content-Security-Policy", &policy)],
                page.as_bytes(),
            );
        }
        Route::Events => events(stream, shared),
    }
}

enum Route {
    Page,
    Events,
}

/// Sends one response and closes the connection.
fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n",
        body.len()
    );
    for (key, value) in headers {
        head.push_str(key);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Ok(())
}

/// The event stream: the state at once, then at every rebuild; a comment
/// when idle. Ends when the client goes away.
fn events(mut stream: TcpStream, shared: &Shared) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut sent = 0u64;
    loop {
        let (seq, event) = {
            let Ok(state) = shared.state.lock() else {
                return;
            };
            let Ok((state, _)) = shared
                .changed
                .wait_timeout_while(state, KEEP_ALIVE, |s| s.seq == sent)
            else {
                return;
            };
            (state.seq, Arc::clone(&state.event))
        };
        let message = if seq == sent {
            ": still here\n\n".to_string()
        } else {
            sent = seq;
            format!("event: state\ndata: {event}\n\n")
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Opens `url` with the program `$BROWSER` names (the first of a
/// `:`-separated list; `%s` in it is the URL, else the URL is its
/// argument; words apart), or the system's opener.
fn open_browser(url: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER")
        .ok()
        .and_then(|b| b.split(':').next().map(str::to_string))
        .filter(|b| !b.trim().is_empty());
    let mut command = match browser {
        Some(b) => {
            let mut words = b.split_whitespace();
            let program = words.next().unwrap_or_default();
            let mut c = std::process::Command::new(program);
            let mut placed = false;
            for word in words {
                placed |= word.contains("%s");
                c.arg(word.replace("%s", url));
            }
            if !placed {
                c.arg(url);
            }
            c
        }
        None if cfg!(target_os = "macos") => {
            let mut c = std::process::Command::new("open");
            c.arg(url);
            c
        }
        None if cfg!(windows) => {
            let mut c = std::process::Command::new("cmd");
            c.args(["/C", "start", "", url]);
            c
        }
        None => {
            let mut c = std::process::Command::new("xdg-open");
            c.arg(url);
            c
        }
    };
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Reaped when it ends, so that it leaves no zombie.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_on_this_port_are_this_server() {
        assert!(loopback_host("127.0.0.1:8000", 8000));
        assert!(loopback_host("localhost:8000", 8000));
        assert!(loopback_host("LocalHost:8000", 8000));
        assert!(loopback_host("[::1]:8000", 8000));
        assert!(loopback_host("localhost", 80));
        assert!(!loopback_host("localhost", 8000));
        assert!(!loopback_host("127.0.0.1:8001", 8000));
        assert!(!loopback_host("evil.example:8000", 8000));
        assert!(!loopback_host("localhost.evil.example:8000", 8000));
        assert!(!loopback_host("[::1]", 8000));
        assert!(!loopback_host("", 8000));
        assert!(!loopback_host("127.0.0.1:x", 8000));
    }
}
