//! The DOT emitter on real models: a golden snapshot of every sample, and
//! Graphviz itself (when installed) laying out every sample and a hostile
//! model without a single warning, keeping our ids and classes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "samples missing in {}", dir.display());
    files
}

fn dot_of(source: &str) -> String {
    let compilation = tmd::compile(source);
    let (model, analysis) = compilation.valid().expect("a valid model");
    tmd::emit::dot::dot(model, analysis)
}

#[test]
fn dot_of_every_sample_matches_its_snapshot() {
    for path in samples() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let dot = dot_of(&source);
        assert_eq!(dot, dot_of(&source), "{name}: not deterministic");
        insta::assert_snapshot!(format!("dot-{name}"), dot);
    }
}

/// Graphviz's `dot`, or None (after saying so loudly) when it is missing.
fn graphviz() -> Option<&'static str> {
    match Command::new("dot").arg("-V").output() {
        Ok(out) if out.status.success() => Some("dot"),
        _ => {
            eprintln!("\n*** SKIPPED: graphviz not installed (no `dot` on PATH); the Graphviz checks did not run ***\n");
            None
        }
    }
}

/// Runs `dot -Tsvg` on `source`; returns (status ok, stdout, stderr).
fn run_dot(dot: &str, source: &str) -> (bool, String, String) {
    let mut child = Command::new(dot)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = source.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The value of every `id="..."` in an SVG, with Graphviz's character
/// references (`&#45;` for `-`) decoded.
fn svg_ids(svg: &str) -> Vec<String> {
    svg.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| id.replace("&#45;", "-"))
        .collect()
}

/// The class attribute of the element with `id`.
fn class_of(svg: &str, id: &str) -> Option<String> {
    let encoded = id.replace('-', "&#45;");
    let needle = format!(" id=\"{encoded}\" class=\"");
    let start = svg.find(&needle)? + needle.len();
    let rest = svg.get(start..)?;
    Some(rest.split('"').next()?.replace("&#45;", "-"))
}

#[test]
fn graphviz_lays_out_every_sample_without_warnings() {
    let Some(dot) = graphviz() else { return };
    for path in samples() {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let compilation = tmd::compile(&source);
        let (model, analysis) = compilation.valid().unwrap();
        let (ok, svg, stderr) = run_dot(dot, &tmd::emit::dot::dot(model, analysis));
        assert!(ok, "{name}: dot failed: {stderr}");
        assert!(stderr.is_empty(), "{name}: dot printed warnings:\n{stderr}");
        let ids = svg_ids(&svg);
        for el in &model.elements {
            let id = format!("el-{}", el.name);
            assert!(ids.contains(&id), "{name}: no {id} in the SVG");
            let class = class_of(&svg, &id).unwrap_or_default();
            assert_eq!(
                class,
                format!("node tmd-element tmd-{}", el.kind.as_str()),
                "{name}: {id}"
            );
        }
        for bd in &model.boundaries {
            let id = format!("bd-{}", bd.name);
            assert!(ids.contains(&id), "{name}: no {id} in the SVG");
            assert_eq!(
                class_of(&svg, &id).unwrap_or_default(),
                "cluster tmd-boundary",
                "{name}: {id}"
            );
        }
        for (i, facts) in analysis.flows.iter().enumerate() {
            let id = format!("fl-{i}");
            assert!(ids.contains(&id), "{name}: no {id} in the SVG");
            let class = class_of(&svg, &id).unwrap_or_default();
            assert!(
                class.starts_with("edge tmd-flow"),
                "{name}: {id} has class {class:?}"
            );
            assert_eq!(
                class.contains("tmd-reversed"),
                facts.reversed,
                "{name}: {id}"
            );
            assert_eq!(
                class.contains("tmd-crossing"),
                !facts.crossings.is_empty(),
                "{name}: {id}"
            );
        }
        // Only ids we chose (and Graphviz's own for its wrappers) appear.
        for id in &ids {
            assert!(
                id.starts_with("el-")
                    || id.starts_with("bd-")
                    || id.starts_with("fl-")
                    || id.starts_with("a_")
                    || id.starts_with("tmd-"),
                "{name}: unexpected id {id:?}"
            );
        }
    }
}

#[test]
fn graphviz_shows_hostile_text_literally() {
    let Some(dot) = graphviz() else { return };
    let source = r#"title "T\" ]; evil [label=\"x\"] \\N"
author "<script>alert(1)</script> & co"
external a "]; x [label=\"pwned\" URL=\"http://evil\"] //" { description: "\\G \\E \\l \\n \\\\ &amp; &#92;N" }
process b "<B>bold</B> &amp; \\N" { tech: "\u{202E}gnp.exe" }
store c "it's \"quoted\""
flow a -> b "\"]; a -> evil [" { protocol: "\\N\\l" }
flow b -> c "<TABLE>"
threat T1 "<i>x</i>" on b { actor: apt, scenario: "s", stride: S, severity: high, mitigation: "m" }
"#;
    let (ok, svg, stderr) = run_dot(dot, &dot_of(source));
    // Word joiners (invisible) follow every backslash of user text.
    assert!(svg.contains("\\\u{2060}N"), "{svg}");
    let svg = svg.replace('\u{2060}', "");
    assert!(ok, "dot failed: {stderr}");
    assert!(stderr.is_empty(), "dot printed warnings:\n{stderr}");
    // Exactly our three nodes and two edges: nothing was injected.
    assert_eq!(svg.matches("class=\"node ").count(), 3, "{svg}");
    assert_eq!(svg.matches("class=\"edge ").count(), 2, "{svg}");
    assert!(
        !svg.contains("evil\"") && !svg.contains("<a xlink:href"),
        "{svg}"
    );
    // The text is shown as written (XML-escaped by Graphviz), escape
    // sequences unexpanded, markup not interpreted, bidi controls visible.
    for shown in [
        "]; x [label=&quot;pwned&quot;",
        "&lt;B&gt;bold&lt;/B&gt; &amp;amp; \\N",
        "it&#39;s &quot;quoted&quot;",
        "&quot;]; a &#45;&gt; evil [ (\\N\\l)",
        "&lt;TABLE&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co",
        "T&quot; ]; evil [label=&quot;x&quot;] \\N",
    ] {
        assert!(svg.contains(shown), "missing {shown:?} in\n{svg}");
    }
    assert!(
        svg.contains("\\G \\E \\l \\n \\\\ &amp;amp; &amp;#92;N"),
        "tooltip escapes expanded:\n{svg}"
    );
    assert!(
        svg.contains("&lt;U+202E&gt;gnp.exe"),
        "bidi control not shown:\n{svg}"
    );
    assert!(!svg.contains('\u{202E}'));
}
