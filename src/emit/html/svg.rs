//! Embedding a diagram SVG in the HTML report.
//!
//! The SVG comes from tmd's own renderer, so it is trusted by
//! construction; this module is the second line of defence, and makes the
//! SVG fit to share a page:
//!
//! - Only SVG drawing elements are kept (an allowlist); anything else
//!   (`script`, `foreignObject`, `image`, `iframe`, animation elements, ...)
//!   is dropped with everything inside it. Comments, processing
//!   instructions and the DOCTYPE are dropped.
//! - Attributes: event handlers (`on*`) are dropped; `href` and
//!   `xlink:href` are kept only when they point inside the SVG (`#...`);
//!   values with `url(...)` are kept only when every URL is `#...`.
//! - Every `id` gets a prefix (`d1-` for the first diagram), and every
//!   reference to an id (`#x`, `url(#x)`, `aria-labelledby`) follows, so
//!   that two diagrams on one page never collide.
//! - `<style>` sheets are scoped: every selector is put under the class
//!   of the wrapper the report puts around the SVG ([`scope_class`]);
//!   `@import`, `@font-face` and other at-rules except `@media` and
//!   `@supports` are dropped, and so are declarations that load anything.
//! - Text and attribute values are decoded and escaped again, so nothing
//!   the input smuggles in an entity or a CDATA section survives as markup.
//!
//! The scripts of the report rely on `data-tmd-id`, `data-tmd-source` and
//! `data-tmd-target`, never on ids.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The class of the element wrapping a diagram whose ids carry `prefix`.
pub fn scope_class(prefix: &str) -> String {
    format!("tmd-scope-{}", prefix.trim_end_matches('-'))
}

const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "marker",
    "use",
    "symbol",
    "clipPath",
    "mask",
    "pattern",
    "linearGradient",
    "radialGradient",
    "stop",
    "style",
    "a",
    "filter",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feColorMatrix",
    "feDropShadow",
    "feMorphology",
];

/// Decodes the five XML entities and numeric references; anything else is
/// kept as written (and escaped again on output). Control characters
/// other than tab and line ends are dropped.
fn decode(text: &str) -> Cow<'_, str> {
    // Most text and attribute values hold no reference and nothing to
    // drop or show: kept as they are, without a copy. (Tab and line ends
    // are kept below, so they alone need no copy either.)
    let plain = |c: char| {
        c != '&'
            && (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            && !crate::syntax::strings::is_bidi_control(c)
    };
    if text.chars().all(plain) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or(""));
        rest = rest.get(pos..).unwrap_or("");
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = rest.get(1..e)?;
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let n = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()?
                    } else {
                        name.strip_prefix('#')?.parse::<u32>().ok()?
                    };
                    char::from_u32(n)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = rest.get(e + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    let kept: String = out
        .chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    Cow::Owned(crate::emit::text::visible(&kept).into_owned())
}

/// Appends `text` to `out`, escaped for XML text and attribute values.
fn escape_into(out: &mut String, text: &str) {
    // The five are ASCII, so every cut falls on a character boundary.
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or(""));
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or(""));
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

#[derive(Debug)]
enum Token<'a> {
    Text(Cow<'a, str>),
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, Cow<'a, str>)>,
        empty: bool,
    },
    End(&'a str),
}

/// Splits XML into tokens. Stops (dropping the rest) at anything it cannot
/// read: the input is our renderer's, and a half-read tag must not leak.
fn tokens(input: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after
                .find("-->")
                .and_then(|e| after.get(e + 3..))
                .unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push(Token::Text(Cow::Borrowed(after.get(..end).unwrap_or(""))));
            rest = after.get(end + 3..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<?") {
            rest = after
                .find("?>")
                .and_then(|e| after.get(e + 2..))
                .unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!") {
            // DOCTYPE, with an internal subset in brackets perhaps.
            let close = match (after.find('['), after.find('>')) {
                (Some(b), Some(g)) if b < g => after.find("]>").map(|e| e + 2),
                (_, Some(g)) => Some(g + 1),
                _ => None,
            };
            rest = close.and_then(|e| after.get(e..)).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("</") {
            let len = after
                .find(|c: char| !is_name_char(c))
                .unwrap_or(after.len());
            let name = after.get(..len).unwrap_or("");
            let tail = after.get(len..).unwrap_or("").trim_start();
            match tail.strip_prefix('>') {
                Some(t) if !name.is_empty() => {
                    out.push(Token::End(name));
                    rest = t;
                }
                _ => break,
            }
        } else if let Some(after) = rest.strip_prefix('<') {
            match start_tag(after) {
                Some((token, t)) => {
                    out.push(token);
                    rest = t;
                }
                None => break,
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(decode(rest.get(..end).unwrap_or(""))));
            rest = rest.get(end..).unwrap_or("");
        }
    }
    out
}

fn start_tag(after: &str) -> Option<(Token<'_>, &str)> {
    if !after.starts_with(is_name_start) {
        return None;
    }
    let len = after
        .find(|c: char| !is_name_char(c))
        .unwrap_or(after.len());
    let name = after.get(..len)?;
    let mut rest = after.get(len..)?;
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(t) = rest.strip_prefix("/>") {
            return Some((
                Token::Start {
                    name,
                    attrs,
                    empty: true,
                },
                t,
            ));
        }
        if let Some(t) = rest.strip_prefix('>') {
            return Some((
                Token::Start {
                    name,
                    attrs,
                    empty: false,
                },
                t,
            ));
        }
        if !rest.starts_with(is_name_start) {
            return None;
        }
        let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        let attr = rest.get(..len)?;
        rest = rest
            .get(len..)?
            .trim_start()
            .strip_prefix('=')?
            .trim_start();
        let quote = rest.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let body = rest.get(1..)?;
        let end = body.find(quote)?;
        attrs.push((attr, decode(body.get(..end)?)));
        rest = body.get(end + 1..)?;
    }
}

/// Rewrites `url(#x)` to `url(#PREFIXx)`; None when a `url(` points
/// anywhere else, or the value holds something that runs or loads.
fn rewrite_urls<'v>(value: &'v str, prefix: &str) -> Option<Cow<'v, str>> {
    // Every pattern below holds one of these: a value without them (a
    // number, a colour, a list of points) is kept as it is.
    if !value.contains([':', '(', '@', '-']) {
        return Some(Cow::Borrowed(value));
    }
    if [
        "javascript:",
        "expression(",
        "@import",
        "-moz-binding",
        "behavior:",
    ]
    .iter()
    .any(|bad| find_ci(value, bad).is_some())
    {
        return None;
    }
    if find_ci(value, "url(").is_none() {
        return Some(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(pos) = find_ci(rest, "url(") {
        out.push_str(rest.get(..pos + 4)?);
        rest = rest.get(pos + 4..)?;
        let inner = rest.trim_start_matches([' ', '"', '\'']);
        out.push_str(rest.get(..rest.len() - inner.len())?);
        rest = inner.strip_prefix('#')?;
        out.push('#');
        out.push_str(prefix);
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

fn prefix_tokens(value: &str, prefix: &str) -> String {
    value
        .split_whitespace()
        .map(|t| format!("{prefix}{t}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The attributes kept, rewritten; None for one to drop.
fn attribute<'v>(element: &str, name: &str, value: &'v str, prefix: &str) -> Option<Cow<'v, str>> {
    let is = |word: &str| name.eq_ignore_ascii_case(word);
    if starts_with_ci(name, "on")
        || is("xml:base")
        || is("src")
        || (starts_with_ci(name, "xmlns:") && !is("xmlns:xlink"))
    {
        return None;
    }
    if is("id") {
        Some(Cow::Owned(format!("{prefix}{}", value.trim())))
    } else if is("href") || is("xlink:href") {
        value
            .trim()
            .strip_prefix('#')
            .map(|t| Cow::Owned(format!("#{prefix}{t}")))
    } else if is("aria-labelledby") || is("aria-describedby") {
        Some(Cow::Owned(prefix_tokens(value, prefix)))
    } else if is("style") {
        let css = declarations(value, prefix);
        (!css.is_empty()).then_some(Cow::Owned(css))
    } else if is("xmlns") {
        (element == "svg").then_some(Cow::Borrowed(value))
    } else {
        rewrite_urls(value, prefix)
    }
}

/// Whether `text` starts with `start`, ignoring ASCII case.
fn starts_with_ci(text: &str, start: &str) -> bool {
    text.as_bytes()
        .get(..start.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(start.as_bytes()))
}

/// Where `needle` (ASCII) first occurs in `text`, ignoring ASCII case: the
/// byte offset, as `text.to_ascii_lowercase().find(needle)` gives it.
fn find_ci(text: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    if n.is_empty() {
        return Some(0);
    }
    text.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Skips a CSS string starting at `s` (which starts with the quote).
fn skip_string(s: &str) -> usize {
    let mut chars = s.char_indices();
    let quote = match chars.next() {
        Some((_, q)) => q,
        None => return 0,
    };
    let mut escaped = false;
    for (i, c) in chars {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return i + c.len_utf8();
        }
    }
    s.len()
}

/// Splits on `sep` outside strings, parentheses and brackets.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|s| s.chars().next()) {
        match c {
            '"' | '\'' => {
                i += skip_string(text.get(i..).unwrap_or(""));
                continue;
            }
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            c if c == sep && depth <= 0 => {
                parts.push(text.get(start..i).unwrap_or(""));
                start = i + c.len_utf8();
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts
}

/// A declaration block, with every declaration that could load or run
/// something dropped and `url(#x)` prefixed.
fn declarations(block: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(block.len());
    for d in split_top(block, ';') {
        let d = d.trim();
        if d.is_empty() || !d.contains(':') {
            continue;
        }
        if let Some(kept) = rewrite_urls(d, prefix) {
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(&kept);
        }
    }
    out
}

/// Finds the `}` closing the block whose body starts at `s`.
fn block_end(s: &str) -> Option<usize> {
    let mut depth = 1;
    let mut i = 0;
    while let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
        match c {
            '"' | '\'' => {
                i += skip_string(s.get(i..).unwrap_or(""));
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    None
}

/// Appends `selector` scoped under `.SCOPE` to `out`, its ids prefixed
/// and `:root` dropped.
fn scope_selector(out: &mut String, selector: &str, scope: &str, prefix: &str) {
    let selector = selector.trim();
    let mut ids: Cow<'_, str> = Cow::Borrowed(selector);
    if selector.contains('#') {
        let mut with = String::with_capacity(selector.len() + 4 * prefix.len());
        let mut chars = selector.chars().peekable();
        while let Some(c) = chars.next() {
            with.push(c);
            if c == '#'
                && chars
                    .peek()
                    .is_some_and(|&n| n.is_ascii_alphabetic() || n == '_' || n == '-')
            {
                with.push_str(prefix);
            }
        }
        ids = Cow::Owned(with);
    }
    if ids.contains(":root") {
        ids = Cow::Owned(ids.replace(":root", ""));
    }
    out.push('.');
    out.push_str(scope);
    let rest = ids.trim();
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(rest);
    }
}

fn scope_rules(css: &str, scope: &str, prefix: &str, out: &mut String, depth: usize) {
    let mut rest = css;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return;
        }
        let brace = rest.find('{');
        if rest.starts_with('@') {
            let semi = rest.find(';');
            match (brace, semi) {
                (Some(b), Some(s)) if s < b => rest = rest.get(s + 1..).unwrap_or(""),
                (None, Some(s)) => rest = rest.get(s + 1..).unwrap_or(""),
                (Some(b), _) => {
                    let prelude = rest.get(..b).unwrap_or("").trim();
                    let body_start = b + 1;
                    let body = rest.get(body_start..).unwrap_or("");
                    let Some(end) = block_end(body) else { return };
                    let keyword = prelude
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if (keyword == "@media" || keyword == "@supports")
                        && depth < 8
                        && rewrite_urls(prelude, prefix).is_some()
                    {
                        let _ = write!(out, "{prelude} {{ ");
                        scope_rules(body.get(..end).unwrap_or(""), scope, prefix, out, depth + 1);
                        out.push_str("} ");
                    }
                    rest = body.get(end + 1..).unwrap_or("");
                }
                (None, None) => return,
            }
            continue;
        }
        let Some(b) = brace else { return };
        let selectors = rest.get(..b).unwrap_or("");
        let body = rest.get(b + 1..).unwrap_or("");
        let Some(end) = block_end(body) else { return };
        let decls = declarations(body.get(..end).unwrap_or(""), prefix);
        let mut scoped = split_top(selectors, ',')
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .peekable();
        if scoped.peek().is_some() && !decls.is_empty() {
            for (i, selector) in scoped.enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                scope_selector(out, selector, scope, prefix);
            }
            out.push_str(" { ");
            out.push_str(&decls);
            out.push_str(" } ");
        }
        rest = body.get(end + 1..).unwrap_or("");
    }
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(pos) = rest.find("/*") {
        out.push_str(rest.get(..pos).unwrap_or(""));
        rest = rest
            .get(pos + 2..)
            .and_then(|r| r.find("*/").and_then(|e| r.get(e + 2..)))
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Scopes a style sheet under `.SCOPE` and prefixes the ids it names.
pub fn scope_css(css: &str, scope: &str, prefix: &str) -> String {
    let mut out = String::new();
    scope_rules(&strip_comments(css), scope, prefix, &mut out, 0);
    out.trim_end().to_string()
}

/// Cleans an SVG for the report (see the module's documentation), giving
/// every id the prefix `prefix` (letters and digits, then `-`). None when
/// the text is not an SVG document.
pub fn sanitize(svg: &str, prefix: &str) -> Option<String> {
    let scope = scope_class(prefix);
    let mut out = String::with_capacity(svg.len());
    // Open elements that were kept.
    let mut open: Vec<&str> = Vec::new();
    // While inside a dropped element: its name and the depth of same-named nesting.
    let mut skipping: Option<(&str, usize)> = None;
    let mut style: Option<String> = None;
    let mut seen_root = false;
    for token in tokens(svg) {
        if let Some((name, depth)) = skipping.as_mut() {
            match &token {
                Token::Start {
                    name: n,
                    empty: false,
                    ..
                } if n == name => *depth += 1,
                Token::End(n) if n == name => {
                    if *depth == 0 {
                        skipping = None;
                    } else {
                        *depth -= 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(css) = style.as_mut() {
            match token {
                Token::Text(t) => css.push_str(&t),
                Token::End("style") => {
                    escape_into(&mut out, &scope_css(css, &scope, prefix));
                    out.push_str("</style>");
                    open.pop();
                    style = None;
                }
                _ => {} // markup inside a style sheet: dropped
            }
            continue;
        }
        match token {
            Token::Text(t) => {
                if seen_root && !open.is_empty() {
                    escape_into(&mut out, &t);
                }
            }
            Token::Start { name, attrs, empty } => {
                if !seen_root && name != "svg" {
                    return None;
                }
                if !ELEMENTS.contains(&name) || (seen_root && open.is_empty()) {
                    if !empty {
                        skipping = Some((name, 0));
                    }
                    continue;
                }
                let root = !seen_root;
                seen_root = true;
                out.push('<');
                out.push_str(name);
                // The classes, joined by single spaces.
                let mut classes = String::new();
                if root {
                    classes.push_str("tmd-diagram-svg");
                }
                for (attr, value) in &attrs {
                    if attr.eq_ignore_ascii_case("class") {
                        for class in value.split_whitespace() {
                            if !classes.is_empty() {
                                classes.push(' ');
                            }
                            classes.push_str(class);
                        }
                        continue;
                    }
                    // The root's role and label are written once, below.
                    if root
                        && (attr.eq_ignore_ascii_case("role")
                            || attr.eq_ignore_ascii_case("aria-label"))
                    {
                        continue;
                    }
                    if let Some(v) = attribute(name, attr, value, prefix) {
                        out.push(' ');
                        out.push_str(attr);
                        out.push_str("=\"");
                        escape_into(&mut out, &v);
                        out.push('"');
                    }
                }
                if !classes.is_empty() {
                    out.push_str(" class=\"");
                    escape_into(&mut out, &classes);
                    out.push('"');
                }
                if root {
                    out.push_str(" role=\"img\" aria-label=\"Data-flow diagram\"");
                }
                if empty {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    open.push(name);
                    if name == "style" {
                        style = Some(String::new());
                    }
                }
            }
            Token::End(name) => {
                // Close up to the matching open element; ignore a stray end tag.
                if let Some(pos) = open.iter().rposition(|&n| n == name) {
                    while open.len() > pos {
                        if let Some(n) = open.pop() {
                            let _ = write!(out, "</{n}>");
                        }
                    }
                }
            }
        }
    }
    if style.is_some() {
        out.push_str("</style>");
        open.pop();
    }
    while let Some(n) = open.pop() {
        let _ = write!(out, "</{n}>");
    }
    seen_root.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_drawing_and_prefixes_ids() {
        let svg = r##"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "x" "y"><!-- c -->
<svg width="10pt" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><marker id="arrow"><path d="M0,0"/></marker></defs>
<g id="el&#45;a" class="tmd-element tmd-process" data-tmd-id="a"><title>a&#45;&gt;b</title>
<path marker-end="url(#arrow)" d="M0,0"/><use xlink:href="#arrow"/></g></svg>"##;
        let out = sanitize(svg, "d1-").unwrap();
        assert!(out.starts_with("<svg width=\"10pt\""), "{out}");
        assert!(out.contains("class=\"tmd-diagram-svg\""));
        assert!(out.contains("<marker id=\"d1-arrow\">"));
        assert!(
            out.contains("id=\"d1-el-a\" data-tmd-id=\"a\" class=\"tmd-element tmd-process\""),
            "{out}"
        );
        assert!(out.contains("<title>a-&gt;b</title>"));
        assert!(out.contains("marker-end=\"url(#d1-arrow)\""));
        assert!(out.contains("xlink:href=\"#d1-arrow\""));
        assert!(!out.contains("<!"));
        assert!(!out.contains("<?"));
        assert!(out.ends_with("</svg>"));
    }

    #[test]
    fn drops_what_runs_or_loads() {
        let svg = r#"<svg onload="alert(1)"><script>alert(2)</script><script/>
<g onclick="x()" style="fill:red; background:url(http://evil/x.png)"><a href="javascript:alert(3)" xlink:href="http://x"><text>t</text></a></g>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(4)</script></div></foreignObject>
<image href="http://evil/pixel.png"/><animate attributeName="href" to="javascript:alert(5)"/>
<rect fill="url(http://evil/#x)" stroke="url(#ok)"/><![CDATA[</svg><script>x6()</script>]]></svg>"#;
        let out = sanitize(svg, "d1-").unwrap();
        for bad in [
            "alert",
            "onload",
            "onclick",
            "http:",
            "javascript",
            "foreignObject",
            "image",
            "animate",
            "<script",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("style=\"fill:red\""), "{out}");
        assert!(out.contains("<a><text>t</text></a>"), "{out}");
        assert!(out.contains("stroke=\"url(#d1-ok)\""), "{out}");
        assert!(out.contains("&lt;/svg&gt;&lt;script&gt;"), "{out}");
    }

    #[test]
    fn case_does_not_hide_what_runs_or_loads() {
        let svg =
            "<svg><g OnClick=\"x()\" XMLNS:evil=\"e\" SRC=\"s\" fill=\"JaVaScRiPt:alert(1)\" \
stroke=\"URL(#ok)\" filter=\"Url(http://evil/x)\" style=\"Fill:red; Behavior:url(x.htc)\" \
Id=\"k\"><text>a\tb\nc &amp; d\u{1}</text></g></svg>";
        let out = sanitize(svg, "d1-").unwrap();
        for bad in ["OnClick", "evil", "SRC", "JaVaScRiPt", "Behavior", "x.htc"] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("stroke=\"URL(#d1-ok)\""), "{out}");
        assert!(!out.contains("filter="), "{out}");
        assert!(out.contains("style=\"Fill:red\""), "{out}");
        assert!(out.contains("Id=\"d1-k\""), "{out}");
        // Tab and line ends are kept; other control characters are not.
        assert!(out.contains("<text>a\tb\nc &amp; d</text>"), "{out}");
    }

    #[test]
    fn scopes_style_sheets() {
        let svg = "<svg><style>@import url(http://evil/x.css);\n/* c */ .tmd-element > text, svg { fill: #333 }\n#el-a { stroke: red; filter: url(#glow) }\n\
@media (prefers-color-scheme: dark) { :root { color: white } }\n@font-face { src: url(http://evil/f.woff) }\n.x { background: url(http://e/) }</style></svg>";
        let out = sanitize(svg, "d1-").unwrap();
        assert!(
            out.contains(".tmd-scope-d1 .tmd-element &gt; text, .tmd-scope-d1 svg { fill: #333 }"),
            "{out}"
        );
        assert!(
            out.contains(".tmd-scope-d1 #d1-el-a { stroke: red; filter: url(#d1-glow) }"),
            "{out}"
        );
        assert!(
            out.contains("@media (prefers-color-scheme: dark) { .tmd-scope-d1 { color: white } }"),
            "{out}"
        );
        assert!(!out.contains("evil"), "{out}");
        assert!(!out.contains(".x"), "{out}");
    }

    #[test]
    fn the_root_gets_one_role_and_one_label() {
        let out = sanitize(
            "<svg role=\"img\" aria-label=\"x\" class=\"tmd-diagram\"><g/></svg>",
            "d1-",
        )
        .unwrap();
        assert_eq!(out.matches("role=").count(), 1, "{out}");
        assert_eq!(out.matches("aria-label=").count(), 1, "{out}");
        assert!(roxmltree::Document::parse(&out).is_ok(), "{out}");
    }

    #[test]
    fn refuses_what_is_not_svg_and_survives_garbage() {
        assert_eq!(sanitize("<html><body/></html>", "d1-"), None);
        assert_eq!(sanitize("just text", "d1-"), None);
        let out = sanitize("<svg><g><rect", "d1-").unwrap();
        assert_eq!(out, "<svg class=\"tmd-diagram-svg\" role=\"img\" aria-label=\"Data-flow diagram\"><g></g></svg>");
        let out = sanitize("<svg><g></svg></g><g>", "d1-").unwrap();
        assert_eq!(out, "<svg class=\"tmd-diagram-svg\" role=\"img\" aria-label=\"Data-flow diagram\"><g></g></svg>");
        for cut in 0..120 {
            let text = "<svg a=\"1\"><style>.a{b:c}</style><g id='x'><text>&amp;&#x41;&bogus;</text></g></svg>";
            let _ = sanitize(text.get(..cut.min(text.len())).unwrap_or(""), "d1-");
        }
        let out = sanitize(
            "<svg><text>&amp;&#x41;&bogus;&#0;&#x202E;</text></svg>",
            "d1-",
        )
        .unwrap();
        assert!(
            out.contains("<text>&amp;A&amp;bogus;&lt;U+202E&gt;</text>"),
            "{out}"
        );
    }
}
