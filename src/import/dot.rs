//! Graphviz DOT data-flow diagrams → tmd: pytm's `--dfd` output and DFDs
//! drawn by hand. Parsed with layout-rs's DOT parser (`layout::gv`, the
//! crate renamed `layout_rs` here), which is not hardened, so it is
//! guarded: a size limit, braces balanced and nested at most
//! [`MAX_DEPTH`] deep (checked before parsing; its parser recurses), and
//! the parse run under `catch_unwind`. Its lexer reads no HTML-like
//! strings (`<<i>AWS cloud</i>>`, pytm's boundary labels) and no `#`
//! lines: a pre-pass turns the first into quoted strings with the tags
//! removed and blanks the second, keeping every byte offset.
//!
//! Clusters are boundaries (nesting kept); node shapes give kinds
//! (docs/interop.md has the table, `--shape SHAPE=KIND` overrides it);
//! pytm's node names (`actor_`, `externalentity_`, `process_`, `server_`,
//! `datastore_`) and the `xlabel` of its image-drawn stores are read;
//! edges are flows, `dir=both` a request and its response.

use std::collections::BTreeMap;

use layout_rs::gv::parser::ast;

use super::{string, ImportError, Imported, Names, Writer};

/// The largest DOT text read (bytes).
pub const MAX_SIZE: usize = 4 * 1024 * 1024;
/// The deepest nesting of braces read.
pub const MAX_DEPTH: usize = 64;

/// Options: shapes read as another kind than the table says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// (shape, kind) pairs, the kind `external`, `process` or `store`.
    pub shapes: Vec<(String, String)>,
}

/// Line and column (1-based, columns in characters) of a byte offset.
fn place(text: &str, offset: usize) -> String {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

/// Put by the pre-pass before the text of an HTML-like string that draws
/// a table with lines above and below only (`<table sides="TB">`): the
/// two-line symbol of a data store, as older pytm versions draw stores. A
/// private-use character, read back (and removed) from node labels.
const TWO_LINE_MARK: char = '\u{E000}';

/// What a tag inside an HTML-like string means to the import.
enum HtmlTag {
    /// `<br/>`: a line break, read as a space.
    LineBreak,
    /// `<table ... sides="TB">`: the two-line store symbol.
    TwoLineTable,
    Other,
}

/// The meaning of a tag, from its text between `<` and `>`.
fn html_tag(tag: &str) -> HtmlTag {
    let t = tag.trim().to_ascii_lowercase();
    let name: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if name == "br" {
        return HtmlTag::LineBreak;
    }
    if name == "table" {
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if ["sides=\"tb\"", "sides=\"bt\"", "sides='tb'", "sides='bt'"]
            .iter()
            .any(|s| compact.contains(s))
        {
            return HtmlTag::TwoLineTable;
        }
    }
    HtmlTag::Other
}

/// The pre-pass: HTML-like strings become quoted strings with their tags
/// removed, `#` lines are blanked; quoted strings and comments are left
/// alone. Also checks the braces (balanced, at most [`MAX_DEPTH`] deep).
/// The output has the same length in characters up to each statement, so
/// the lexer's positions still point into the source.
pub fn prepare(text: &str) -> Result<String, ImportError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    let offset_of = |chars: &[char], upto: usize| -> usize {
        chars.iter().take(upto).map(|c| c.len_utf8()).sum()
    };
    while let Some(&c) = chars.get(i) {
        if c == '\0' {
            return Err(ImportError::new(
                place(text, offset_of(&chars, i)),
                "a NUL character: this is not DOT text",
            ));
        }
        if line_start && c == '#' {
            while let Some(&d) = chars.get(i) {
                if d == '\n' {
                    break;
                }
                out.push(' ');
                i += 1;
            }
            continue;
        }
        line_start = c == '\n' || (line_start && c.is_whitespace());
        match c {
            '"' => {
                out.push(c);
                i += 1;
                while let Some(&d) = chars.get(i) {
                    out.push(d);
                    i += 1;
                    if d == '\\' {
                        if let Some(&e) = chars.get(i) {
                            out.push(e);
                            i += 1;
                        }
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                // Up to the first `*/` after the opening `/*` (so `/*/`
                // does not close itself).
                let start = i;
                while let Some(&d) = chars.get(i) {
                    out.push(d);
                    i += 1;
                    if d == '/' && i >= start + 4 && chars.get(i - 2) == Some(&'*') {
                        break;
                    }
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while let Some(&d) = chars.get(i) {
                    if d == '\n' {
                        break;
                    }
                    out.push(d);
                    i += 1;
                }
            }
            '<' => {
                // An HTML-like string: up to the matching `>`.
                let start = i;
                let mut level = 0usize;
                let mut body = String::new();
                let mut in_tag = false;
                let mut tag = String::new();
                let mut two_line = false;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err(ImportError::new(
                            place(text, offset_of(&chars, start)),
                            "an HTML-like string `<...>` is not closed",
                        ));
                    };
                    i += 1;
                    match d {
                        '<' => {
                            level += 1;
                            if level > 1 {
                                in_tag = true;
                                tag.clear();
                            }
                        }
                        '>' => {
                            level = level.saturating_sub(1);
                            if in_tag {
                                match html_tag(&tag) {
                                    HtmlTag::LineBreak => body.push(' '),
                                    HtmlTag::TwoLineTable => two_line = true,
                                    HtmlTag::Other => {}
                                }
                            }
                            in_tag = false;
                            if level == 0 {
                                break;
                            }
                        }
                        _ if !in_tag => body.push(d),
                        _ => {
                            if tag.len() < 256 {
                                tag.push(d);
                            }
                        }
                    }
                }
                let body = body
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&");
                out.push('"');
                if two_line {
                    out.push(TWO_LINE_MARK);
                }
                for d in body.chars() {
                    if d == '"' || d == '\\' {
                        out.push('\\');
                    }
                    out.push(if d == '\n' { ' ' } else { d });
                }
                out.push('"');
            }
            '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ImportError::new(
                        place(text, offset_of(&chars, i)),
                        format!("braces nested more than {MAX_DEPTH} deep"),
                    ));
                }
                out.push(c);
                i += 1;
            }
            '}' => {
                if depth == 0 {
                    return Err(ImportError::new(
                        place(text, offset_of(&chars, i)),
                        "a `}` closes nothing",
                    ));
                }
                depth -= 1;
                out.push(c);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    if depth > 0 {
        return Err(ImportError::new(
            place(text, text.len()),
            format!("{depth} `{{` not closed by the end of the file"),
        ));
    }
    Ok(out)
}

/// Parses DOT text with layout-rs, guarded: no panic escapes.
fn parse(text: &str) -> Result<ast::Graph, ImportError> {
    if text.len() > MAX_SIZE {
        return Err(ImportError::new(
            "line 1, column 1",
            format!(
                "the DOT text is larger than {} MiB",
                MAX_SIZE / (1024 * 1024)
            ),
        ));
    }
    let prepared = prepare(text)?;
    // A lexical error has a place: find it with the lexer alone.
    let mut lexer = layout_rs::gv::Lexer::from_string(&prepared);
    let lexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || loop {
        match lexer.next_token() {
            layout_rs::gv::Token::EOF => return None,
            layout_rs::gv::Token::Error(pos) => return Some(pos),
            _ => {}
        }
    }));
    match lexed {
        Ok(Some(pos)) => {
            let offset: usize = text
                .chars()
                .take(pos.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return Err(ImportError::new(
                place(text, offset),
                "not DOT: a character the DOT lexer does not read here",
            ));
        }
        Ok(None) => {}
        Err(_) => return Err(ImportError::new("line 1, column 1", "the DOT lexer failed")),
    }
    let parsed = std::panic::catch_unwind(|| {
        let mut parser = layout_rs::gv::DotParser::new(&prepared);
        parser.process()
    });
    match parsed {
        Ok(Ok(graph)) => Ok(graph),
        Ok(Err(message)) => Err(ImportError::new(
            "the DOT text",
            format!("not a DOT graph layout-rs can read: {message}"),
        )),
        Err(_) => Err(ImportError::new(
            "the DOT text",
            "not a DOT graph layout-rs can read (its parser failed)",
        )),
    }
}

/// A DOT label as plain text: record fields' ports and braces removed,
/// `|` between fields as a space, line breaks as spaces.
fn plain(label: &str) -> String {
    let mut out = String::new();
    let mut in_port = false;
    for c in label.chars() {
        match c {
            '<' => in_port = true,
            '>' => in_port = false,
            _ if in_port => {}
            '{' | '}' | TWO_LINE_MARK => {}
            '|' | '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The kind of an element from its shape (and the options).
fn kind_of(shape: &str, options: &Options) -> Option<&'static str> {
    let shape = shape.to_ascii_lowercase();
    for (s, k) in &options.shapes {
        if s.eq_ignore_ascii_case(&shape) {
            return match k.as_str() {
                "external" => Some("external"),
                "process" => Some("process"),
                "store" => Some("store"),
                _ => None,
            };
        }
    }
    match shape.as_str() {
        "box" | "rect" | "rectangle" | "square" => Some("external"),
        "ellipse" | "circle" | "oval" | "doublecircle" => Some("process"),
        "cylinder" | "record" | "mrecord" | "underline" | "partition" => Some("store"),
        _ => None,
    }
}

/// The kind pytm's node names say.
fn pytm_kind(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    if n.starts_with("actor_") || n.starts_with("externalentity_") {
        Some("external")
    } else if n.starts_with("datastore_") {
        Some("store")
    } else if n.starts_with("process_") || n.starts_with("server_") || n.starts_with("lambda_") {
        Some("process")
    } else {
        None
    }
}

type Attrs = BTreeMap<String, String>;

struct Node {
    attrs: Attrs,
    cluster: Option<usize>,
}

struct Cluster {
    label: String,
    name: String,
    parent: Option<usize>,
}

struct Edge {
    from: String,
    to: String,
    attrs: Attrs,
    undirected: bool,
}

/// The facts DOT draws but tmd does not model: listed once.
const DRAWING: [&str; 12] = [
    "color",
    "fontcolor",
    "fontname",
    "fontsize",
    "style",
    "margin",
    "fixedsize",
    "imagescale",
    "arrowtail",
    "arrowhead",
    "penwidth",
    "fillcolor",
];

pub fn import(text: &str, source_name: &str, options: &Options) -> Result<Imported, ImportError> {
    for (shape, kind) in &options.shapes {
        if !["external", "process", "store"].contains(&kind.as_str()) {
            return Err(ImportError::new(
                format!("--shape {shape}={kind}"),
                "the kind is `external`, `process` or `store`",
            ));
        }
    }
    let graph = parse(text)?;
    let mut w = Writer::default();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    let mut graph_label = String::new();
    let mut drawing = false;

    // Walk the statements in order without recursion: a frame per
    // (sub)graph with its place, cluster and node and edge defaults.
    struct Frame<'a> {
        stmts: &'a [ast::Stmt],
        at: usize,
        cluster: Option<usize>,
        node_defaults: Attrs,
        edge_defaults: Attrs,
        top: bool,
    }
    let mut stack = vec![Frame {
        stmts: &graph.list.list,
        at: 0,
        cluster: None,
        node_defaults: Attrs::new(),
        edge_defaults: Attrs::new(),
        top: true,
    }];
    while let Some(frame) = stack.last_mut() {
        let Some(stmt) = frame.stmts.get(frame.at) else {
            stack.pop();
            continue;
        };
        frame.at += 1;
        let cluster = frame.cluster;
        match stmt {
            ast::Stmt::Attribute(a) => match a.target {
                ast::AttrStmtTarget::Node => {
                    for (k, v) in a.list.iter() {
                        frame.node_defaults.insert(k.clone(), v.clone());
                    }
                }
                ast::AttrStmtTarget::Edge => {
                    for (k, v) in a.list.iter() {
                        frame.edge_defaults.insert(k.clone(), v.clone());
                    }
                }
                ast::AttrStmtTarget::Graph => {
                    for (k, v) in a.list.iter() {
                        if k == "label" {
                            match cluster.and_then(|c| clusters.get_mut(c)) {
                                Some(c) => c.label = plain(v),
                                None if frame.top => graph_label = plain(v),
                                None => {}
                            }
                        } else {
                            drawing = true;
                        }
                    }
                }
            },
            ast::Stmt::Node(n) => {
                let entry = nodes.entry(n.id.name.clone()).or_insert_with(|| {
                    order.push(n.id.name.clone());
                    Node {
                        attrs: frame.node_defaults.clone(),
                        cluster,
                    }
                });
                for (k, v) in n.list.iter() {
                    entry.attrs.insert(k.clone(), v.clone());
                }
            }
            ast::Stmt::Edge(e) => {
                let mut attrs = frame.edge_defaults.clone();
                for (k, v) in e.list.iter() {
                    attrs.insert(k.clone(), v.clone());
                }
                for end in std::iter::once(&e.from).chain(e.to.iter().map(|(n, _)| n)) {
                    nodes.entry(end.name.clone()).or_insert_with(|| {
                        order.push(end.name.clone());
                        Node {
                            attrs: frame.node_defaults.clone(),
                            cluster,
                        }
                    });
                }
                let mut from = e.from.name.clone();
                for (to, arrow) in &e.to {
                    edges.push(Edge {
                        from: from.clone(),
                        to: to.name.clone(),
                        attrs: attrs.clone(),
                        undirected: matches!(arrow, ast::ArrowKind::Line),
                    });
                    from = to.name.clone();
                }
            }
            ast::Stmt::SubGraph(g) => {
                let inner = if g.name.starts_with("cluster") {
                    clusters.push(Cluster {
                        label: String::new(),
                        name: g.name.clone(),
                        parent: cluster,
                    });
                    Some(clusters.len() - 1)
                } else {
                    cluster
                };
                let next = Frame {
                    stmts: &g.list.list,
                    at: 0,
                    cluster: inner,
                    node_defaults: frame.node_defaults.clone(),
                    edge_defaults: frame.edge_defaults.clone(),
                    top: false,
                };
                stack.push(next);
            }
        }
    }

    let title = if !graph_label.trim().is_empty() {
        graph_label.clone()
    } else if !graph.name.trim().is_empty() && graph.name != "G" {
        graph.name.clone()
    } else {
        "Imported DOT diagram".to_string()
    };
    w.line(format!("title {}", string(&title)));
    w.line("");
    if drawing
        || nodes
            .values()
            .any(|n| n.attrs.keys().any(|k| DRAWING.contains(&k.as_str())))
    {
        w.drop_fact("drawing attributes (colours, fonts, styles, sizes, graph settings)");
    }

    let mut names = Names::default();
    // Boundaries.
    let mut cluster_ids = Vec::new();
    for c in &clusters {
        let label = if c.label.trim().is_empty() {
            c.name
                .trim_start_matches("cluster")
                .trim_start_matches('_')
                .to_string()
        } else {
            c.label.clone()
        };
        let label = if label.trim().is_empty() {
            "Trust boundary".to_string()
        } else {
            label
        };
        let (id, _) = names.claim(&c.name, &label);
        cluster_ids.push((id, label));
    }
    // Elements.
    let mut element_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut lines_in: Vec<Vec<String>> = vec![Vec::new(); clusters.len()];
    let mut top_lines = Vec::new();
    for name in &order {
        let Some(node) = nodes.get(name) else {
            continue;
        };
        let attr = |k: &str| node.attrs.get(k).map(String::as_str).unwrap_or("");
        let shape = attr("shape");
        let two_line = attr("label").starts_with(TWO_LINE_MARK);
        let label = if !plain(attr("label")).is_empty() && attr("label") != "\\N" {
            plain(attr("label"))
        } else if !plain(attr("xlabel")).is_empty() {
            plain(attr("xlabel"))
        } else {
            name.clone()
        };
        let overridden = options
            .shapes
            .iter()
            .any(|(s, _)| s.eq_ignore_ascii_case(shape));
        let image = !attr("image").is_empty();
        let kind = if overridden {
            kind_of(shape, options)
        } else {
            pytm_kind(name).or_else(|| kind_of(shape, options))
        };
        let mut entries = Vec::new();
        let kind = match kind {
            Some(k) => k,
            None if two_line => "store",
            None if image => {
                w.drop_fact(format!(
                    "the image of node `{name}`: read as a store (an image-drawn node, as pytm draws stores)"
                ));
                "store"
            }
            None => {
                w.drop_fact(format!(
                    "the shape `{}` of node `{name}`: read as a process (a guess; --shape {}=KIND says otherwise)",
                    if shape.is_empty() { "ellipse (default)" } else { shape },
                    if shape.is_empty() { "ellipse" } else { shape }
                ));
                "process"
            }
        };
        let (id, kept) = names.claim(name, &label);
        if !kept {
            w.kept += 1;
            entries.push(format!("x_dot_id: {}", string(name)));
        }
        element_ids.insert(name.clone(), id.clone());
        let block = if entries.is_empty() {
            String::new()
        } else {
            format!(" {{ {} }}", entries.join(", "))
        };
        let line = format!("{kind} {id} {}{block}", string(&label));
        match node.cluster.and_then(|c| lines_in.get_mut(c)) {
            Some(l) => l.push(line),
            None => top_lines.push(line),
        }
    }
    for l in top_lines {
        w.line(l);
    }
    // Boundaries with their elements, depth first, without recursion.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
    let mut roots = Vec::new();
    for (i, c) in clusters.iter().enumerate() {
        match c.parent.and_then(|p| children.get_mut(p)) {
            Some(ch) => ch.push(i),
            None => roots.push(i),
        }
    }
    enum Step {
        Open(usize),
        Close,
    }
    let mut steps: Vec<Step> = roots.iter().rev().map(|&i| Step::Open(i)).collect();
    while let Some(step) = steps.pop() {
        match step {
            Step::Close => w.line("}"),
            Step::Open(i) => {
                let Some((id, label)) = cluster_ids.get(i) else {
                    continue;
                };
                w.line(format!("boundary {id} {} {{", string(label)));
                for l in lines_in.get(i).into_iter().flatten() {
                    w.line(l.clone());
                }
                steps.push(Step::Close);
                if let Some(ch) = children.get(i) {
                    steps.extend(ch.iter().rev().map(|&c| Step::Open(c)));
                }
            }
        }
    }

    // Flows.
    let mut undirected_seen = false;
    for e in &edges {
        let (Some(a), Some(b)) = (element_ids.get(&e.from), element_ids.get(&e.to)) else {
            continue;
        };
        let dir = e.attrs.get("dir").map(String::as_str).unwrap_or("");
        let (source, target) = if dir == "back" { (b, a) } else { (a, b) };
        if source == target {
            w.drop_fact(format!(
                "the edge from `{}` to itself (tmd has no such flow)",
                e.from
            ));
            continue;
        }
        if e.undirected && dir.is_empty() {
            undirected_seen = true;
        }
        let label = plain(e.attrs.get("label").map(String::as_str).unwrap_or(""));
        let base = if label.is_empty() {
            format!("{source} to {target}")
        } else {
            label.clone()
        };
        let (id, _) = names.claim("", &base);
        let text = if label.is_empty() {
            String::new()
        } else {
            format!(" {}", string(&label))
        };
        w.line(format!("flow {id}: {source} -> {target}{text}"));
        if dir == "both" {
            let (back, _) = names.claim("", &format!("{base} response"));
            let text = if label.is_empty() {
                String::new()
            } else {
                format!(" {}", string(&format!("{label} (response)")))
            };
            w.line(format!(
                "flow {back}: {target} -> {source}{text} {{ response_to: {id} }}"
            ));
        }
    }
    if undirected_seen {
        w.drop_fact(
            "the direction of undirected edges (`--`): each is read as a flow from its first node to its second (a guess)",
        );
    }
    w.finish(source_name, "Graphviz DOT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_strings_become_quoted_and_braces_are_checked() {
        let p = prepare("digraph { a [label=<<i>AWS \"x\"</i>>]; // <not html>\n}").unwrap();
        assert!(p.contains("label=\"AWS \\\"x\\\"\""), "{p}");
        assert!(p.contains("// <not html>"), "{p}");
        let e = prepare("digraph {\n a -> b\n").unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
        let e = prepare("digraph { } }").unwrap_err();
        assert_eq!(e.path, "line 1, column 13");
        let deep = format!("digraph {}{}", "{".repeat(100), "}".repeat(100));
        assert!(prepare(&deep).unwrap_err().message.contains("nested"));
        // A `#` line (a C preprocessor's output) is blanked, its length
        // kept so that later positions still match the source.
        let line = "# 1 \"x\"";
        let p = prepare(&format!("{line}\ndigraph {{ }}")).unwrap();
        assert_eq!(p, format!("{}\ndigraph {{ }}", " ".repeat(line.len())));
    }

    #[test]
    fn shapes_and_pytm_names_give_kinds() {
        let o = Options::default();
        assert_eq!(kind_of("Box", &o), Some("external"));
        assert_eq!(kind_of("cylinder", &o), Some("store"));
        assert_eq!(kind_of("hexagon", &o), None);
        let o = Options {
            shapes: vec![("hexagon".into(), "store".into())],
        };
        assert_eq!(kind_of("hexagon", &o), Some("store"));
        assert_eq!(pytm_kind("datastore_SQL_1"), Some("store"));
        assert_eq!(pytm_kind("server_Web_2"), Some("process"));
        assert_eq!(plain("{<in> in|Queue}"), "in Queue");
    }

    /// Older pytm draws a store as an HTML table with lines above and
    /// below (`sides="TB"`, shape `none`) and breaks labels with `<br/>`
    /// (OWASP's threat model cookbook has such files).
    #[test]
    fn two_line_tables_are_stores_and_line_breaks_are_spaces() {
        let dot = "digraph {\n  db [shape = none; label = <<table sides=\"TB\" cellborder=\"0\"><tr><td><b>Player<br/>Database</b></td></tr></table>>];\n  \
                   ui [shape = circle; label = <<table border=\"0\"><tr><td>Game<BR/>Client</td></tr></table>>];\n  ui -> db\n}";
        let imported = import(dot, "x.dot", &Options::default()).unwrap();
        assert!(
            imported.text.contains("store db \"Player Database\""),
            "{}",
            imported.text
        );
        assert!(
            imported.text.contains("process ui \"Game Client\""),
            "{}",
            imported.text
        );
        assert!(!imported.text.contains('\u{E000}'));
        // A shape none without the two lines is still a guess.
        let imported = import(
            "digraph { a [shape=none, label=<<table><tr><td>A</td></tr></table>>]; a -> b }",
            "x.dot",
            &Options::default(),
        )
        .unwrap();
        assert!(
            imported.text.contains("process a \"A\""),
            "{}",
            imported.text
        );
    }

    /// `/*/` opens a comment and does not close it.
    #[test]
    fn a_comment_does_not_close_itself() {
        let imported = import(
            "digraph { /*/ a -> b */ c -> d }",
            "x.dot",
            &Options::default(),
        )
        .unwrap();
        assert!(!imported.text.contains("process a "), "{}", imported.text);
        assert!(imported.text.contains("process c"), "{}", imported.text);
    }

    /// The pre-pass is linear: a file near the size limit is read in well
    /// under a second (it summed the offsets of every character before
    /// each one, which took hours at 4 MiB).
    #[test]
    fn the_pre_pass_is_linear() {
        let mut text = String::from("digraph {\n");
        while text.len() < 3 * 1024 * 1024 {
            text.push_str("  a -> b [label=<<b>x</b>>]; /* c */ \"q\" -> r\n");
        }
        text.push('}');
        let start = std::time::Instant::now();
        assert!(prepare(&text).is_ok());
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }
}
