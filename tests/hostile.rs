//! The hostile corpus (tests/hostile/*.tmd, written by generate.py): script
//! tags, markup that closes ours, entity and attribute breakers, DOT,
//! Markdown and CSV syntax, spreadsheet formulas, bidirectional and
//! zero-width characters, emoji, CJK, noncharacters and very long strings,
//! in every position a string can take. Every model compiles, and every
//! output keeps its shape and carries the text intact, escaped for its
//! format. Control characters are errors (TMD011), in a file of their own.
//!
//! Outputs are listed once, in [`EMITTERS`], each with the check of its
//! format; each check is itself tested on hand-written bad samples, so a
//! check that passes everything would be caught.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tmd::analysis::Analysis;
use tmd::emit::findings::Findings;
use tmd::emit::text::visible;
use tmd::model::Model;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const CONTROL: &str = "control-characters.tmd";

/// The hostile models that must compile.
fn models() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("tests/hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .filter(|p| !p.ends_with(CONTROL))
        .collect();
    out.sort();
    assert!(out.len() >= 3);
    out
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

/// What an output must carry: every string literal of the model, decoded,
/// as a user sees it (bidirectional controls made visible).
struct Expect {
    strings: Vec<String>,
}

impl Expect {
    fn of(source: &str) -> Expect {
        let mut strings = Vec::new();
        let mut chars = source.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '#' => {
                    for (_, c) in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '"' => {
                    let start = i + 1;
                    let mut end = start;
                    let mut escaped = false;
                    for (j, c) in chars.by_ref() {
                        if escaped {
                            escaped = false;
                        } else if c == '\\' {
                            escaped = true;
                        } else if c == '"' {
                            end = j;
                            break;
                        }
                    }
                    let mut diagnostics = Vec::new();
                    let text =
                        tmd::syntax::strings::decode(&source[start..end], start, &mut diagnostics);
                    assert!(diagnostics.is_empty(), "{diagnostics:?}");
                    strings.push(visible(&text).into_owned());
                }
                _ => {}
            }
        }
        strings.sort();
        strings.dedup();
        Expect { strings }
    }
}

type Emit = fn(&Model, &Analysis) -> String;
/// The reports also take the model's warnings (their messages are output
/// text too).
type Report = fn(&Model, &Analysis, &Findings) -> String;
type Check = fn(&str, &Expect) -> Result<(), String>;

/// Every output of a valid model, with the check of its format.
const EMITTERS: &[(&str, Emit, Check)] = &[
    (
        "export",
        tmd::emit::export::export,
        json_carries_every_string,
    ),
    ("svg", svg, xml_safe),
    ("dot", tmd::emit::dot::dot, dot_safe),
    (
        "threat table (md)",
        tmd::emit::markdown::table,
        markdown_safe,
    ),
    ("threat table (csv)", csv, csv_neutralised),
    ("threat table (json)", tmd::emit::table::json, json_parses),
    ("threat table (html)", tmd::emit::html::table, html_safe),
    ("diff md, all added", diff_md_added, markdown_safe),
    ("diff md, all removed", diff_md_removed, markdown_safe),
    ("diff json, all added", diff_json_added, json_parses),
    ("diff svg, all added", diff_svg_added, xml_safe),
];

fn svg(model: &Model, analysis: &Analysis) -> String {
    tmd::emit::svg::svg(model, analysis, &Default::default()).svg
}

fn csv(model: &Model, analysis: &Analysis) -> String {
    tmd::emit::csv::table(model, analysis, true)
}

const REPORTS: &[(&str, Report, Check)] = &[
    ("report (md)", report_md, markdown_safe),
    ("report (html)", report_html, html_safe),
];

fn report_md(model: &Model, analysis: &Analysis, findings: &Findings) -> String {
    tmd::emit::markdown::report(model, analysis, findings, Some("model.svg"))
}

fn report_html(model: &Model, analysis: &Analysis, findings: &Findings) -> String {
    tmd::emit::html::html(model, analysis, findings, Some(&svg(model, analysis)))
}

fn diff_svg_added(model: &Model, analysis: &Analysis) -> String {
    let e = empty();
    let (em, ea) = e.valid().unwrap();
    let d = tmd::diff::diff((em, ea), (model, analysis));
    tmd::diff::visual::svg(em, model, &d, ("a.tmd", "b.tmd"), &Default::default()).svg
}

fn empty() -> tmd::Compilation {
    tmd::compile("")
}

fn diff_md_added(model: &Model, analysis: &Analysis) -> String {
    let e = empty();
    let (em, ea) = e.valid().unwrap();
    tmd::diff::markdown(
        &tmd::diff::diff((em, ea), (model, analysis)),
        "a.tmd",
        "b.tmd",
    )
}

fn diff_md_removed(model: &Model, analysis: &Analysis) -> String {
    let e = empty();
    let (em, ea) = e.valid().unwrap();
    tmd::diff::markdown(
        &tmd::diff::diff((model, analysis), (em, ea)),
        "a.tmd",
        "b.tmd",
    )
}

fn diff_json_added(model: &Model, analysis: &Analysis) -> String {
    let e = empty();
    let (em, ea) = e.valid().unwrap();
    tmd::diff::json(
        &tmd::diff::diff((em, ea), (model, analysis)),
        "a.tmd",
        "b.tmd",
    )
}

#[test]
fn every_output_of_every_hostile_model_is_safe() {
    let mut failures = Vec::new();
    for path in models() {
        let source = read(&path);
        let c = tmd::compile(&source);
        let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        // The only warnings: bidirectional controls, shown as such.
        for d in &c.diagnostics {
            assert_eq!(d.code, "TMD110", "{}: {d:?}", path.display());
        }
        let (model, analysis) = c.valid().unwrap();
        let expect = Expect::of(&source);
        let findings = Findings::of(&c);
        let outputs = EMITTERS
            .iter()
            .map(|(name, emit, check)| (*name, emit(model, analysis), *check))
            .chain(
                REPORTS
                    .iter()
                    .map(|(name, emit, check)| (*name, emit(model, analysis, &findings), *check)),
            );
        for (name, out, check) in outputs {
            if let Err(e) = check(&out, &expect) {
                failures.push(format!("{} / {name}: {e}", path.display()));
            }
            if let Err(e) = no_raw_bidi_or_control(&out) {
                failures.push(format!("{} / {name}: {e}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn control_characters_are_errors_raw_or_escaped() {
    let source = read(&root().join("tests/hostile").join(CONTROL));
    let c = tmd::compile(&source);
    let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    // Ten control characters, each raw and escaped.
    assert_eq!(errors.len(), 20, "{errors:#?}");
    assert!(errors.iter().all(|d| d.code == "TMD011"), "{errors:#?}");
    assert!(c.valid().is_none());
}

fn tmd_cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `tmd check` in every format, on every hostile file (the control
/// characters too): short is one line per diagnostic, JSON and SARIF
/// parse, the human report sends no control or bidirectional character
/// from the model to the terminal.
#[test]
fn check_reports_keep_their_shape() {
    let mut files: Vec<String> = models()
        .iter()
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    files.push(format!("tests/hostile/{CONTROL}"));
    for file in &files {
        let json = tmd_cli(&["check", "--format", "json", file]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let count = v["diagnostics"].as_array().unwrap().len();
        let short = tmd_cli(&["check", "--format", "short", file]);
        let text = String::from_utf8(short.stdout).unwrap();
        assert_eq!(text.lines().count(), count, "{file}");
        for line in text.lines() {
            let rest = line
                .strip_prefix(&format!("{file}:"))
                .unwrap_or_else(|| panic!("{line}"));
            assert!(
                rest.split(": ")
                    .nth(1)
                    .is_some_and(|s| s.starts_with("error[TMD") || s.starts_with("warning[TMD")),
                "{line}"
            );
        }
        no_raw_bidi_or_control(&text).unwrap();
        let sarif = tmd_cli(&["check", "--format", "sarif", file]);
        let s: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
        assert_eq!(s["runs"][0]["results"].as_array().unwrap().len(), count);
        let human = tmd_cli(&["check", "--color", "never", file]);
        let err = String::from_utf8(human.stderr).unwrap();
        no_raw_bidi_or_control(&err).unwrap_or_else(|e| panic!("{file}: human report: {e}"));
    }
}

/// `tmd fmt` on every hostile model: the output compiles to the same
/// export (what `tmd fmt` itself verifies before writing), keeps every
/// string, and is stable.
#[test]
fn fmt_output_reparses_to_an_equal_export() {
    for path in models() {
        let source = read(&path);
        let c = tmd::compile(&source);
        let formatted = tmd::fmt::format(c.file.as_ref().unwrap(), &c.source);
        tmd::fmt::verify::verify(&c, &formatted)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let again = tmd::compile(&formatted);
        let (m1, a1) = c.valid().unwrap();
        let (m2, a2) = again.valid().unwrap();
        assert_eq!(
            tmd::emit::export::export(m1, a1),
            tmd::emit::export::export(m2, a2)
        );
        // Through the binary too, from stdin.
        let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
            .args(["fmt", "-"])
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), formatted);
    }
}

// ---------------------------------------------------------------------
// Checks, one per output format. Each returns what is wrong.

fn no_raw_bidi_or_control(out: &str) -> Result<(), String> {
    for (i, c) in out.char_indices() {
        let crlf = c == '\r' && out[i + 1..].starts_with('\n');
        let bad = (c.is_control() && !matches!(c, '\n' | '\t') && !crlf)
            || tmd::syntax::strings::is_bidi_control(c);
        if bad {
            let before: String = out[..i]
                .chars()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Err(format!("raw U+{:04X} after {before:?}", c as u32));
        }
    }
    Ok(())
}

fn json_parses(out: &str, _: &Expect) -> Result<(), String> {
    serde_json::from_str::<serde_json::Value>(out)
        .map(|_| ())
        .map_err(|e| format!("not JSON: {e}"))
}

/// Valid JSON whose string values include every string of the model.
fn json_carries_every_string(out: &str, expect: &Expect) -> Result<(), String> {
    let v: serde_json::Value = serde_json::from_str(out).map_err(|e| format!("not JSON: {e}"))?;
    let mut found = std::collections::BTreeSet::new();
    fn walk<'a>(v: &'a serde_json::Value, found: &mut std::collections::BTreeSet<&'a str>) {
        match v {
            serde_json::Value::String(s) => {
                found.insert(s.as_str());
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, found)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    walk(&v, &mut found);
    match expect.strings.iter().find(|s| !found.contains(s.as_str())) {
        Some(missing) => Err(format!("string lost: {missing:?}")),
        None => Ok(()),
    }
}

/// Markdown: every table keeps its shape (each row has as many unescaped
/// `|` as its header), no HTML tag but a few harmless ones, no link or
/// image whose text came from the model.
fn markdown_safe(out: &str, _: &Expect) -> Result<(), String> {
    let pipes = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
        }
        n
    };
    let lines: Vec<&str> = out.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('|') {
            let header = pipes(lines[i]);
            let delimiter = lines.get(i + 1).copied().unwrap_or("");
            if !delimiter.starts_with("| ---") && !delimiter.starts_with("|---") {
                return Err(format!("table without a delimiter row: {:?}", lines[i]));
            }
            while i < lines.len() && lines[i].starts_with('|') {
                if pipes(lines[i]) != header {
                    return Err(format!("table row of another shape: {:?}", lines[i]));
                }
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    const TAGS: &[&str] = &[
        "br", "sub", "sup", "details", "summary", "code", "b", "i", "em", "strong",
    ];
    let mut rest = out;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let starts_tag = after
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        // The reports' anchors: `<a id="ID"></a>`, ID from identifier characters.
        if name == "a" {
            let anchor = after
                .strip_prefix("a id=\"")
                .and_then(|r| r.split_once("\"></a>"))
                .is_some_and(|(id, _)| {
                    id.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                });
            if !anchor {
                return Err(format!(
                    "raw HTML `<{}`",
                    after.chars().take(20).collect::<String>()
                ));
            }
            rest = after.split_once("</a>").map_or(after, |(_, r)| r);
            continue;
        }
        if starts_tag && !TAGS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "raw HTML `<{}`",
                after.chars().take(20).collect::<String>()
            ));
        }
        rest = after;
    }
    // `](url` closes a link unless its `]` is escaped (`\](`).
    for bad in ["](javascript:", "](data:", "](vbscript:"] {
        for (at, _) in out.match_indices(bad) {
            if !out[..at].ends_with('\\') {
                return Err(format!("a live link `{bad}`"));
            }
        }
    }
    Ok(())
}

/// SVG (or any XML): parses with a strict XML parser; every element is one
/// a diagram needs; no event handler attribute; links only within the
/// document; no script, no foreignObject; every string of the model is in
/// the text (as text, so escaped).
#[allow(dead_code)]
fn xml_safe(out: &str, expect: &Expect) -> Result<(), String> {
    const ELEMENTS: &[&str] = &[
        "svg",
        "g",
        "defs",
        "style",
        "title",
        "desc",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "path",
        "text",
        "tspan",
        "marker",
        "use",
        "symbol",
        "clipPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "mask",
        "filter",
        "feDropShadow",
        "feGaussianBlur",
        "feOffset",
        "feFlood",
        "feComposite",
        "feMerge",
        "feMergeNode",
        "metadata",
    ];
    let doc = roxmltree::Document::parse_with_options(
        out,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        },
    )
    .map_err(|e| format!("not well-formed XML: {e}"))?;
    let mut text = String::new();
    for node in doc.descendants() {
        if node.is_text() {
            text.push_str(node.text().unwrap_or(""));
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        if !ELEMENTS.contains(&name) {
            return Err(format!("element `{name}` is not one of ours"));
        }
        for a in node.attributes() {
            let attr = a.name().to_ascii_lowercase();
            if attr.starts_with("on") {
                return Err(format!("event handler `{attr}` on `{name}`"));
            }
            if attr == "href" && !a.value().starts_with('#') {
                return Err(format!("link `{}` leaves the document", a.value()));
            }
            if a.value().to_ascii_lowercase().contains("javascript:") && attr != "data-tmd-label" {
                return Err(format!("`javascript:` in attribute `{attr}`"));
            }
        }
    }
    contains_all(&text, out, expect)
}

/// Every expected string, in the text content or (for tooltips and
/// titles) the attributes; long labels may be wrapped, so whitespace is
/// ignored when comparing.
fn contains_all(text: &str, _raw: &str, expect: &Expect) -> Result<(), String> {
    // XML and HTML cannot carry U+FFFE and U+FFFF: they are written as U+FFFD.
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
                c => c,
            })
            .collect::<String>()
    };
    let haystack = squash(text);
    match expect
        .strings
        .iter()
        .find(|s| !haystack.contains(&squash(s)))
    {
        Some(missing) => Err(format!("text lost: {missing:?}")),
        None => Ok(()),
    }
}

/// HTML: parsed as a browser would (html5ever); the same allow-list idea
/// as SVG, plus the elements of a report page; no script element (an
/// inline one of ours would need listing here), no event handler, no
/// `javascript:`/`data:` URL, no iframe, object or embed.
#[allow(dead_code)]
fn html_safe(out: &str, expect: &Expect) -> Result<(), String> {
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::{Handle, NodeData, RcDom};
    const ELEMENTS: &[&str] = &[
        "html",
        "head",
        "body",
        "meta",
        "title",
        "style",
        "header",
        "footer",
        "main",
        "nav",
        "section",
        "article",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "div",
        "span",
        "a",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "colgroup",
        "col",
        "code",
        "pre",
        "em",
        "strong",
        "b",
        "i",
        "small",
        "sub",
        "sup",
        "br",
        "hr",
        "details",
        "summary",
        "figure",
        "figcaption",
        "abbr",
        "time",
        "mark",
        "label",
        "wbr",
        // The report's filters.
        "fieldset",
        "legend",
        "input",
        "button",
        // Our one inline script, compared below with its source.
        "script",
        // An inline SVG diagram.
        "svg",
        "g",
        "defs",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "path",
        "text",
        "tspan",
        "marker",
        "use",
        "symbol",
        "clippath",
        "lineargradient",
        "stop",
        "filter",
        "fedropshadow",
        "desc",
    ];
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(out);
    let mut text = String::new();
    fn walk(node: &Handle, text: &mut String) -> Result<(), String> {
        match &node.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Element { name, attrs, .. } => {
                let tag = name.local.to_ascii_lowercase();
                if !ELEMENTS.contains(&&*tag) {
                    return Err(format!("element `{tag}` is not one of ours"));
                }
                if &*tag == "script" {
                    let mut body = String::new();
                    for child in node.children.borrow().iter() {
                        if let NodeData::Text { contents } = &child.data {
                            body.push_str(&contents.borrow());
                        }
                    }
                    let ours = read(&root().join("src/emit/html/script.js"));
                    if body.trim() != ours.trim() || !attrs.borrow().is_empty() {
                        return Err("a script that is not the report's own".into());
                    }
                    return Ok(());
                }
                for a in attrs.borrow().iter() {
                    let attr = a.name.local.to_ascii_lowercase();
                    let value = a.value.to_ascii_lowercase();
                    if attr.starts_with("on") {
                        return Err(format!("event handler `{attr}` on `{tag}`"));
                    }
                    let url = matches!(
                        &*attr,
                        "href" | "src" | "action" | "formaction" | "xlink:href"
                    );
                    if url && !(value.starts_with('#') || value.starts_with("https://")) {
                        return Err(format!("`{attr}=\"{}\"` on `{tag}`", a.value));
                    }
                    if (url || &*attr == "style") && value.contains("javascript:") {
                        return Err(format!("`javascript:` in `{attr}` on `{tag}`"));
                    }
                }
            }
            _ => {}
        }
        for child in node.children.borrow().iter() {
            walk(child, text)?;
        }
        Ok(())
    }
    walk(&dom.document, &mut text)?;
    contains_all(&text, out, expect)
}

/// CSV (RFC 4180): every cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
/// neutralised by a leading `'`; rows all have the header's width.
#[allow(dead_code)]
fn csv_neutralised(out: &str, _: &Expect) -> Result<(), String> {
    let rows = parse_csv(out)?;
    let width = rows.first().map_or(0, Vec::len);
    for row in &rows {
        if row.len() != width {
            return Err(format!(
                "row of {} cells, header has {width}: {row:?}",
                row.len()
            ));
        }
        for cell in row {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                // A plain number is not a formula.
                if cell.parse::<f64>().is_err() {
                    return Err(format!("cell a spreadsheet would run: {cell:?}"));
                }
            }
        }
    }
    Ok(())
}

fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => quoted = true,
            '"' => return Err(format!("a quote inside an unquoted cell: {cell:?}")),
            ',' => {
                row.push(std::mem::take(&mut cell));
                at_start = true;
                continue;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                continue;
            }
            _ => cell.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err("unterminated quoted cell".into());
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// DOT: Graphviz reads it without a syntax error or warning, and every
/// string of the model is in the rendered text. Without `dot` on the
/// machine, only the syntax is looked at: every string literal closes.
#[allow(dead_code)]
fn dot_safe(out: &str, expect: &Expect) -> Result<(), String> {
    use std::io::Write;
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        support::skip::skipped("the Graphviz check of DOT output: `dot` not found on PATH");
        return Ok(());
    };
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = out.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let rendered = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&rendered.stderr);
    if !rendered.status.success() || stderr.contains("syntax error") {
        return Err(format!("Graphviz refuses the DOT: {stderr}"));
    }
    let svg = String::from_utf8_lossy(&rendered.stdout);
    let doc = roxmltree::Document::parse_with_options(
        &svg,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .map_err(|e| format!("Graphviz's SVG does not parse: {e}"))?;
    if doc
        .descendants()
        .any(|n| n.attributes().any(|a| a.name() == "href"))
    {
        return Err("the DOT made Graphviz write a link (URL/href attribute injected?)".into());
    }
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    // A backslash in a label is followed by U+2060 WORD JOINER, so that
    // Graphviz shows `\N` as written instead of the node's name (docs/dot.md).
    let joinerless = |s: &str| s.replace('\u{2060}', "");
    let expect = Expect {
        strings: expect.strings.iter().map(|s| joinerless(s)).collect(),
    };
    contains_all(&joinerless(&text), &svg, &expect)
}

// ---------------------------------------------------------------------
// The checks themselves, on hand-written outputs: they accept what is
// safe and refuse what is not.

fn expect(strings: &[&str]) -> Expect {
    Expect {
        strings: strings.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn xml_check_refuses_what_is_not_ours() {
    let e = expect(&["<script>x</script> & \""]);
    let good = r##"<svg xmlns="http://www.w3.org/2000/svg"><g><use href="#m"/><text>&lt;script&gt;x&lt;/script&gt; &amp; "</text></g></svg>"##;
    xml_safe(good, &e).unwrap();
    for bad in [
        r#"<svg><script>alert(1)</script></svg>"#,
        r#"<svg><g onload="alert(1)"/></svg>"#,
        r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
        r#"<svg><use href="data:image/svg+xml,x"/></svg>"#,
        r#"<svg><foreignObject/></svg>"#,
        r#"<svg><text>]]></svg>"#,
        r#"<svg><text>a & b</text></svg>"#,
        "<svg><text>\u{FFFE}</text></svg>",
        r#"<!DOCTYPE svg [<!ENTITY e "x">]><svg/>"#,
    ] {
        assert!(xml_safe(bad, &expect(&[])).is_err(), "{bad}");
    }
    assert!(xml_safe(r#"<svg><text>other</text></svg>"#, &e).is_err());
}

#[test]
fn html_check_refuses_what_is_not_ours() {
    let e = expect(&["<img src=x onerror=alert(1)>"]);
    let good = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head>\
        <body><table><tr><td>&lt;img src=x onerror=alert(1)&gt;</td></tr></table>\
        <a href=\"#T1\">T1</a></body></html>";
    html_safe(good, &e).unwrap();
    for bad in [
        "<p><script>alert(1)</script></p>",
        "<p><img src=x onerror=alert(1)></p>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<p><a href=\"data:text/html,x\">x</a></p>",
        "<p title=\"\" onmouseover=\"alert(1)\">x</p>",
        "<svg><foreignObject><iframe></iframe></foreignObject></svg>",
        "<title></title><script>alert(1)</script>",
        "<p><script src=\"https://x/y.js\"></script></p>",
        "<p><input formaction=\"javascript:alert(1)\"></p>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
    ] {
        assert!(html_safe(bad, &expect(&[])).is_err(), "{bad}");
    }
}

#[test]
fn csv_check_refuses_live_formulas_and_broken_rows() {
    let good =
        "id,title\nT1,'=cmd|' /C calc'!A0\nT2,\"'+1, \"\"quoted\"\"\"\nT3,-2\nT4,\"two\nlines\"\n";
    csv_neutralised(good, &expect(&[])).unwrap();
    for bad in [
        "id,title\nT1,=cmd|' /C calc'!A0\n",
        "id,title\nT1,\"@SUM(A1)\"\n",
        "id,title\nT1,+1+cmd\n",
        "id,title\nT1,\"\t=1\"\n",
        "id,title\nT1,a,b\n",
        "id,title\nT1,\"unterminated\n",
    ] {
        assert!(csv_neutralised(bad, &expect(&[])).is_err(), "{bad:?}");
    }
}

#[test]
fn markdown_check_refuses_broken_tables_and_raw_html() {
    let good = "| id | title |\n| --- | --- |\n| T1 | a \\| b `c` &lt;script&gt;<br>x \\[l\\](javascript:x) |\n\n<a id=\"th-T1\"></a>T1\n";
    markdown_safe(good, &expect(&[])).unwrap();
    for bad in [
        "| id | title |\n| --- | --- |\n| T1 | a | b |\n",
        "| id | title |\n| T1 | x |\n",
        "text <script>alert(1)</script>\n",
        "text <img src=x onerror=alert(1)>\n",
        "[x](javascript:alert(1))\n",
        "\\[x\\] [y](data:text/html,x)\n",
        "<a id=\"x\" onclick=\"alert(1)\"></a>\n",
        "<a href=\"javascript:alert(1)\">x</a>\n",
        "<a id=\"x\"></a><script>alert(1)</script>\n",
    ] {
        assert!(markdown_safe(bad, &expect(&[])).is_err(), "{bad:?}");
    }
}

#[test]
fn dot_check_refuses_broken_or_injected_dot() {
    if !support::skip::graphviz() {
        return;
    }
    let e = expect(&["a \"quoted\" <b> label"]);
    dot_safe("digraph { n1 [label=\"a \\\"quoted\\\" <b> label\"]; }", &e).unwrap();
    assert!(dot_safe("digraph { n1 [label=\"x\"]; ", &expect(&[])).is_err());
    assert!(dot_safe(
        "digraph { n1 [label=\"x\" URL=\"javascript:alert(1)\"]; }",
        &expect(&[])
    )
    .is_err());
    assert!(dot_safe("digraph { n1 [label=\"other\"]; }", &e).is_err());
}

/// A file name is user input too: a pull request can add a file whose
/// name holds a line break, an escape sequence or a bidirectional control.
#[test]
fn file_names_cannot_break_reports() {
    let dir = support::scratch::Scratch::new("hostile-names");
    let name = "x\nevil.tmd:1:1: error[TMD000]: forged \u{1b}[2J\u{202E}dmt.tmd";
    if std::fs::write(dir.join(name), "process p\n").is_err() {
        support::skip::skipped("the file system refuses the file name");
        return;
    }
    let run = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_tmd"))
            .args(["check", "--color", "never", "--format", format, name])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let short = String::from_utf8(run("short").stdout).unwrap();
    assert_eq!(short.lines().count(), 1, "{short:?}");
    no_raw_bidi_or_control(short.trim_end()).unwrap();
    let human = String::from_utf8(run("human").stderr).unwrap();
    no_raw_bidi_or_control(&human).unwrap();
    assert!(!human.contains("\nevil.tmd"), "{human}");
    let sarif: serde_json::Value = serde_json::from_slice(&run("sarif").stdout).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uri.starts_with("x%0Aevil.tmd%3A1%3A1"), "{uri}");
}
