//! `tmd import dot` (docs/interop.md): pytm's real `--dfd` output (its
//! own test DFD, and two models of OWASP's threat model cookbook) and a
//! hand-drawn DFD (`tests/interop/dot/`, with their licences), with their
//! counts and goldens; `--shape`; hostile input
//! (not DOT, unbalanced braces, a depth bomb, a huge file): a clear
//! error with its place, exit 1, nothing written, never a panic.

mod support;

use support::files::{assert_import_refused, root, temp_dir, tmd};

fn kinds(model: &tmd::model::Model) -> (usize, usize, usize) {
    let count = |k: tmd::model::ElementKind| model.elements.iter().filter(|e| e.kind == k).count();
    (
        count(tmd::model::ElementKind::External),
        count(tmd::model::ElementKind::Process),
        count(tmd::model::ElementKind::Store),
    )
}

/// pytm's test DFD: 4 nodes (an actor, two servers, an image-drawn
/// store named by its xlabel) in 4 clusters (two nested), 6 edges.
#[test]
fn pytm_dfd_imports() {
    let path = root().join("tests/interop/dot/pytm-dfd.dot");
    let out = tmd(&["import", "dot", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("kept 0 facts as x_ keys, dropped 1 kind of fact"),
        "{stderr}"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let c = tmd::compile(&text);
    let (model, _) = c.valid().expect("valid");
    assert_eq!(model.elements.len(), 4);
    assert_eq!(kinds(model), (1, 2, 1));
    assert_eq!(model.boundaries.len(), 4);
    assert_eq!(model.flows.len(), 6);
    let db = model
        .elements
        .iter()
        .find(|e| e.label == "SQL Database")
        .expect("the store, by its xlabel");
    let backend = db.boundary.expect("in a boundary");
    assert_eq!(model[backend].label, "backend");
    let parent = model[backend].parent.expect("nested");
    assert_eq!(model[parent].label, "Company net");
    insta::assert_snapshot!("dot_import_pytm", text);
}

/// A hand-drawn DFD: shapes give kinds, a record is a store, `dir=both`
/// is a request and its response, comments of every kind are skipped.
#[test]
fn hand_drawn_dfd_imports() {
    let path = root().join("tests/interop/dot/hand-drawn.dot");
    let out = tmd(&["import", "dot", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    let c = tmd::compile(&text);
    let (model, _) = c.valid().expect("valid");
    assert_eq!(kinds(model), (2, 2, 2));
    assert_eq!(model.boundaries.len(), 2);
    // 5 edges, one with dir=both: 6 flows, one the response of another.
    assert_eq!(model.flows.len(), 6);
    assert_eq!(
        model
            .flows
            .iter()
            .filter(|f| f.response_to.is_some())
            .count(),
        1
    );
    insta::assert_snapshot!("dot_import_hand_drawn", text);
    // --shape overrides the table.
    let out = tmd(&[
        "import",
        "dot",
        path.to_str().unwrap(),
        "--shape",
        "cylinder=external",
    ]);
    assert!(out.status.success());
    let c = tmd::compile(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(kinds(c.model.as_ref().unwrap()), (3, 2, 1));
    let out = tmd(&[
        "import",
        "dot",
        path.to_str().unwrap(),
        "--shape",
        "box=robot",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`external`, `process` or `store`"));
}

/// pytm's `--dfd` output for two models of OWASP's threat model cookbook
/// (`tests/interop/dot/`, CC BY 4.0), drawn by an older pytm: node names
/// are hashes, labels are HTML tables with `<br/>`, and stores are
/// tables with lines above and below (`sides="TB"`, shape `none`), not
/// images. Every node, cluster and edge comes in, with no guess.
#[test]
fn cookbook_dfds_import() {
    // file, external / process / store, boundaries, flows
    let cases = [
        ("cookbook-onlinegame", (3, 7, 2), 3, 17),
        ("cookbook-rentingcar", (3, 11, 2), 3, 16),
    ];
    for (name, kinds_want, boundaries, flows) in cases {
        let path = root().join(format!("tests/interop/dot/{name}.dot"));
        let out = tmd(&["import", "dot", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(
            stderr.contains("kept 0 facts as x_ keys, dropped 1 kind of fact"),
            "{name}: {stderr}"
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let c = tmd::compile(&text);
        let (model, _) = c.valid().unwrap_or_else(|| panic!("{name} is not valid"));
        assert_eq!(kinds(model), kinds_want, "{name}");
        assert_eq!(model.boundaries.len(), boundaries, "{name}");
        assert_eq!(model.flows.len(), flows, "{name}");
        // `<br/>` is a space between words, not nothing.
        assert!(
            model.elements.iter().all(|e| !e.label.contains("  ")),
            "{name}"
        );
        insta::assert_snapshot!(format!("dot_import_{name}"), text);
    }
    let text = tmd(&[
        "import",
        "dot",
        root()
            .join("tests/interop/dot/cookbook-onlinegame.dot")
            .to_str()
            .unwrap(),
    ])
    .stdout;
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("\"Game Servers\""), "{text}");
    assert!(text.contains("\"Anonymous WWW User-Agent\""), "{text}");
}

/// Bad input: the place, exit 1, no file written; a shape the table does
/// not know is a process, said so.
#[test]
fn bad_dot_is_refused_with_its_place() {
    let dir = temp_dir("bad");
    let out_file = dir.join("out.tmd");
    let huge = format!("digraph {{ {} }}", "a -> b; ".repeat(700_000));
    let cases: Vec<(String, &str)> = vec![
        (
            "{\"not\": \"dot\"}".into(),
            "not a DOT graph layout-rs can read",
        ),
        (
            "digraph {\n  a -> b ! }".into(),
            "at line 2, column 10: not DOT",
        ),
        ("digraph {\n  a -> b\n".into(), "`{` not closed"),
        (
            "digraph { a -> b } }".into(),
            "at line 1, column 20: a `}` closes nothing",
        ),
        (
            format!("digraph {}{}", "{".repeat(10_000), "}".repeat(10_000)),
            "braces nested more than 64 deep",
        ),
        (
            "digraph { a [label=<<b>x</b>] }".replace("]", "") + "<",
            "not closed",
        ),
        (
            "digraph { a -> }".into(),
            "not a DOT graph layout-rs can read",
        ),
        ("digraph { a \0 }".into(), "a NUL character"),
        (huge, "larger than 4 MiB"),
    ];
    assert_import_refused("dot", "dot", &dir, &cases);
    // Hostile strings come through escaped; an unknown shape is a guess.
    let src = dir.join("hostile.dot");
    std::fs::write(
        &src,
        "digraph { a [shape=hexagon, label=\"}\\\" flow x: a -> b\\n# tmd: allow\"]; a -> b [label=\"\\u202e\"] }",
    )
    .unwrap();
    let out = tmd(&[
        "import",
        "dot",
        src.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("the shape `hexagon` of node `a`: read as a process"),
        "{stderr}"
    );
    let c = tmd::compile(&std::fs::read_to_string(&out_file).unwrap());
    let (model, _) = c.valid().expect("valid");
    assert_eq!(model.elements.len(), 2);
    assert_eq!(model.flows.len(), 1);
}

/// Every prefix of the pytm file: an import or a clear error, never a
/// panic (the parser is run guarded).
#[test]
fn no_prefix_of_a_dot_file_panics() {
    let text = std::fs::read_to_string(root().join("tests/interop/dot/pytm-dfd.dot")).unwrap();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let r = tmd::import::dot::import(&text[..cut], "x.dot", &Default::default());
            if let Err(e) = r {
                assert!(!e.message.is_empty());
            }
        }
        cut += 7;
    }
}
