//! The visual diff (`tmd diff OLD NEW --svg OUT`): marks on NEW's diagram,
//! removed entries drawn as ghosts, the legend, and the CLI.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tmd::emit::svg::SvgOptions;

const TMD: &str = env!("CARGO_BIN_EXE_tmd");

fn fixture(name: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
        .join(format!("{side}.tmd"))
}

fn visual(name: &str) -> String {
    let read = |side| std::fs::read_to_string(fixture(name, side)).unwrap();
    let (old, new) = (tmd::compile(&read("old")), tmd::compile(&read("new")));
    let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
    let diff = tmd::diff::diff(o, n);
    tmd::diff::visual::svg(
        o.0,
        n.0,
        &diff,
        ("old.tmd", "new.tmd"),
        &SvgOptions::default(),
    )
    .svg
}

/// `data-tmd-id` -> (`data-tmd-diff` or "", whether the class agrees) for
/// the groups of one class (`tmd-element`, `tmd-flow`, `tmd-boundary`).
fn marks(doc: &roxmltree::Document, class: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for n in doc.descendants().filter(|n| {
        n.attribute("class")
            .is_some_and(|c| c.split(' ').any(|w| w == class))
    }) {
        let id = n.attribute("data-tmd-id").unwrap().to_string();
        let mark = n.attribute("data-tmd-diff").unwrap_or("").to_string();
        let classes: Vec<&str> = n.attribute("class").unwrap().split(' ').collect();
        for m in ["added", "changed", "removed"] {
            assert_eq!(
                classes.contains(&format!("tmd-{m}").as_str()),
                mark == m,
                "{id}: class and data-tmd-diff disagree"
            );
        }
        assert!(
            out.insert(id.clone(), mark).is_none(),
            "{class} {id} drawn twice"
        );
    }
    out
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn added_changed_and_removed_entries_are_marked() {
    let svg = visual("visual");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(
        marks(&doc, "tmd-element"),
        map(&[
            ("courier", ""),
            ("customer", ""),
            ("fraud", "added"),
            ("fulfillment_queue", ""),
            ("order_api", ""),
            ("order_db", "changed"),
            ("payments", ""),
            ("report_db", "removed"),
            ("reports", "removed"),
            ("stripe", ""),
            ("wms", ""),
        ])
    );
    assert_eq!(
        marks(&doc, "tmd-boundary"),
        map(&[("aws", ""), ("legacy", "removed"), ("warehouse", "")])
    );
    assert_eq!(
        marks(&doc, "tmd-flow"),
        map(&[
            ("charge", "changed"),
            ("customer->order_api", ""),
            ("order_api->fulfillment_queue", ""),
            ("order_api->order_db", ""),
            ("order_api->payments", ""),
            ("order_db->reports", "removed"),
            ("payments->fraud", "added"),
            ("pull_order", ""),
            ("reports->report_db", "removed"),
            ("wms->courier", "removed"),
        ])
    );
}

#[test]
fn removed_elements_stay_in_their_old_boundary() {
    let svg = visual("visual");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let rect = |class: &str, id: &str| -> [f64; 4] {
        let g = doc
            .descendants()
            .find(|n| {
                n.attribute("data-tmd-id") == Some(id)
                    && n.attribute("class").is_some_and(|c| c.contains(class))
            })
            .unwrap();
        let r = g
            .descendants()
            .find(|n| n.has_tag_name("rect") || n.has_tag_name("ellipse"))
            .unwrap();
        let f = |a| r.attribute(a).unwrap().parse::<f64>().unwrap();
        if r.has_tag_name("ellipse") {
            let (cx, cy, rx, ry) = (f("cx"), f("cy"), f("rx"), f("ry"));
            [cx - rx, cy - ry, 2.0 * rx, 2.0 * ry]
        } else {
            [f("x"), f("y"), f("width"), f("height")]
        }
    };
    let legacy = rect("tmd-boundary", "legacy");
    for el in ["reports", "report_db"] {
        let r = rect("tmd-element", el);
        assert!(
            r[0] >= legacy[0]
                && r[1] >= legacy[1]
                && r[0] + r[2] <= legacy[0] + legacy[2]
                && r[1] + r[3] <= legacy[1] + legacy[3],
            "{el} {r:?} outside its old boundary {legacy:?}"
        );
    }
}

#[test]
fn legend_explains_the_marks_and_styles_are_present() {
    let svg = visual("visual");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let legend = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("tmd-legend"))
        .unwrap();
    let text: String = legend
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    for word in ["changes:", "added", "changed", "removed"] {
        assert!(text.contains(word), "legend lacks {word}: {text}");
    }
    let diff_items: Vec<&str> = legend
        .descendants()
        .filter_map(|n| n.attribute("data-tmd-diff"))
        .collect();
    assert_eq!(diff_items, ["added", "changed", "removed"]);
    let style = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(style.contains(".tmd-diagram .tmd-added .tmd-shape{fill:#e8f5e9;stroke:#2e7d32"));
    assert!(style.contains(".tmd-diagram .tmd-changed .tmd-line{stroke:#ef6c00"));
    assert!(style.contains(".tmd-diagram .tmd-removed{opacity:0.35}"));
    assert!(style.contains("stroke-dasharray:6 4"));
}

#[test]
fn user_strings_are_escaped_and_output_is_deterministic() {
    let svg = visual("visual");
    assert_eq!(svg, visual("visual"));
    assert!(svg.contains("Orders &lt;DB&gt; &amp; &quot;ledger&quot;"));
    roxmltree::Document::parse(&svg).unwrap();
    // The escaping fixture, with its hostile strings, parses.
    roxmltree::Document::parse(&visual("escaping")).unwrap();
}

#[test]
fn every_diff_fixture_renders_and_marks_match_the_diff() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let read = |side| std::fs::read_to_string(fixture(&name, side)).unwrap();
        let (old, new) = (tmd::compile(&read("old")), tmd::compile(&read("new")));
        let (Some(o), Some(n)) = (old.valid(), new.valid()) else {
            continue;
        };
        let diff = tmd::diff::diff(o, n);
        let svg = visual(&name);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let count = |m: &str| {
            doc.descendants()
                .filter(|n| {
                    n.attribute("data-tmd-diff") == Some(m) && n.attribute("data-tmd-id").is_some()
                })
                .count()
        };
        let expected = |c: tmd::diff::Change| {
            [
                tmd::diff::Section::Elements,
                tmd::diff::Section::Boundaries,
                tmd::diff::Section::Flows,
            ]
            .into_iter()
            .map(|s| diff.count(s, c))
            .sum::<usize>()
        };
        assert_eq!(count("added"), expected(tmd::diff::Change::Added), "{name}");
        assert_eq!(
            count("changed"),
            expected(tmd::diff::Change::Changed),
            "{name}"
        );
        assert_eq!(
            count("removed"),
            expected(tmd::diff::Change::Removed),
            "{name}"
        );
    }
}

#[test]
fn unchanged_models_have_no_marks() {
    let text = std::fs::read_to_string(fixture("acme-review", "new")).unwrap();
    let c = tmd::compile(&text);
    let m = c.valid().unwrap();
    let diff = tmd::diff::diff(m, m);
    let svg = tmd::diff::visual::svg(m.0, m.0, &diff, ("a", "b"), &SvgOptions::default()).svg;
    assert!(!svg.contains("data-tmd-diff"));
    // The ordinary diagram carries no diff styles.
    let plain = tmd::emit::svg::svg(m.0, m.1, &SvgOptions::default()).svg;
    assert!(!plain.contains("tmd-added"));
}

fn tmp(tag: &str) -> support::scratch::Scratch {
    support::scratch::Scratch::new(&format!("visual-diff-{tag}"))
}

#[test]
fn cli_writes_the_svg_and_the_text_diff() {
    let dir = tmp("cli");
    let out = dir.join("changes.svg");
    let o = Command::new(TMD)
        .arg("diff")
        .arg(fixture("visual", "old"))
        .arg(fixture("visual", "new"))
        .arg("--svg")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("- reports: process"), "{stdout}");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(doc
        .descendants()
        .any(|n| n.attribute("data-tmd-id") == Some("legacy")
            && n.attribute("data-tmd-diff") == Some("removed")));
    // Same inputs, same bytes.
    let again = dir.join("again.svg");
    let o = Command::new(TMD)
        .arg("diff")
        .arg(fixture("visual", "old"))
        .arg(fixture("visual", "new"))
        .arg("--svg")
        .arg(&again)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&again).unwrap(), svg.as_bytes());
}

#[test]
fn cli_without_changes_exits_0_and_still_draws() {
    let dir = tmp("same");
    let out = dir.join("same.svg");
    let f = fixture("acme-review", "new");
    let o = Command::new(TMD)
        .args(["diff", "--svg"])
        .arg(&out)
        .arg(&f)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let svg = std::fs::read_to_string(&out).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert!(!svg.contains("data-tmd-diff"));
}

#[test]
fn cli_refuses_to_write_over_an_input() {
    let dir = tmp("refuse");
    let old = dir.join("old.tmd");
    let new = dir.join("new.tmd");
    std::fs::copy(fixture("visual", "old"), &old).unwrap();
    std::fs::copy(fixture("visual", "new"), &new).unwrap();
    for target in [&old, &new] {
        let before = std::fs::read(target).unwrap();
        let o = Command::new(TMD)
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .arg("--svg")
            .arg(target)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        let stderr = String::from_utf8(o.stderr).unwrap();
        assert!(
            stderr.contains("refusing to write over the input"),
            "{stderr}"
        );
        assert!(o.stdout.is_empty());
        assert_eq!(std::fs::read(target).unwrap(), before);
    }
    // `-` is not stdout (which has the text diff), nor a file named `-`.
    let o = Command::new(TMD)
        .current_dir(&dir)
        .args(["diff", "old.tmd", "new.tmd", "--svg", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--svg needs a file name"));
    assert!(!dir.join("-").exists());
    // An unwritable destination is an error (2), not a crash.
    let o = Command::new(TMD)
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("--svg")
        .arg(dir.join("no/such/dir/x.svg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write"));
}

#[test]
fn svg_is_in_the_help_and_conflicts_with_git_external() {
    let o = Command::new(TMD).args(["diff", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("--svg <OUT>"));
    let o = Command::new(TMD)
        .args(["diff", "--git-external", "--svg", "x.svg", "a", "b"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

/// Threat changes ring the badge of their target: T4 added on `wms`
/// (green), T1 changed on `order_api` (amber), T2 removed from `order_db`,
/// which is left with no threat (its old badge drawn as a ghost); T3,
/// unchanged, has no ring. Each marked badge's tooltip says which threat.
#[test]
fn threat_changes_mark_the_badges() {
    let old = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/acme-ecommerce.tmd"),
    )
    .unwrap();
    let start = old.find("threat T2").unwrap();
    let end = start + old[start..].find("\n}\n").unwrap() + 3;
    let new = format!(
        "{}{}\nthreat T4 \"Label forgery\" on wms {{ actor: malicious_insider, scenario: \"Fake labels\", stride: ST, severity: medium }}\n",
        &old[..start],
        &old[end..]
    )
    .replace("  status: mitigated\n", "  status: open\n");
    assert!(new.contains("  status: open\n"), "T1 reopened");
    let (o, n) = (tmd::compile(&old), tmd::compile(&new));
    let (o, n) = (o.valid().unwrap(), n.valid().unwrap());
    let diff = tmd::diff::diff(o, n);
    let svg = tmd::diff::visual::svg(o.0, n.0, &diff, ("a", "b"), &SvgOptions::default()).svg;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut badges = BTreeMap::new();
    for g in doc.descendants().filter(|n| {
        n.attribute("class")
            .is_some_and(|c| c.split(' ').any(|w| w == "tmd-badge"))
            && n.ancestors().any(|a| a.attribute("data-tmd-id").is_some())
    }) {
        let text: String = g
            .descendants()
            .filter(|t| t.is_text())
            .filter_map(|t| t.text())
            .collect();
        let mark = g.attribute("data-tmd-diff").unwrap_or("").to_string();
        let ring = g
            .children()
            .any(|c| c.attribute("class") == Some("tmd-badge-ring"));
        assert_eq!(ring, !mark.is_empty(), "{text}");
        badges.insert(text.trim().to_string(), mark);
    }
    assert_eq!(
        badges,
        map(&[
            ("T1", "changed"),
            ("T2", "removed"),
            ("T3", ""),
            ("T4", "added")
        ])
    );
    for (id, change) in [("T1", "changed"), ("T2", "removed"), ("T4", "added")] {
        assert!(svg.contains(&format!("diff: threat {id} {change}")), "{id}");
    }
    assert!(svg.contains(".tmd-badge-removed"));
}

/// The page of `tmd diff --html` for a small change, as a reviewed
/// snapshot. The five diagrams (each the renderer's, covered above and by
/// the SVG tests), the style sheets and the script are elided to a line
/// each, so that the snapshot shows the page's own structure and text.
#[test]
fn html_page_of_a_small_change() {
    let read = |side| std::fs::read_to_string(fixture("elements", side)).unwrap();
    let (old, new) = (tmd::compile(&read("old")), tmd::compile(&read("new")));
    let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
    let diff = tmd::diff::diff(o, n);
    let page = tmd::diff::html::html(
        o,
        n,
        &diff,
        ("old.tmd", "new <&>.tmd"),
        &tmd::diff::Context {
            models: Some((o.0, n.0)),
            today: None,
        },
        &SvgOptions::default(),
    );
    assert!(page.warnings.is_empty());
    let mut out = String::new();
    let mut rest = page.html.as_str();
    // Each (start, end) cut to the start tag and a count of what it held.
    let cuts = [
        ("<svg", "</svg>"),
        ("<style>", "</style>"),
        ("<script>", "</script>"),
    ];
    loop {
        let next = cuts
            .iter()
            .filter_map(|&(a, b)| rest.find(a).map(|i| (i, a, b)))
            .min();
        let Some((i, start, end)) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let j = rest[i..].find(end).unwrap() + i + end.len();
        let held = &rest[i..j];
        let marks = ["[added]", "[changed]", "[removed]"]
            .map(|m| format!("{m} ×{}", held.matches(m).count()))
            .join(", ");
        out.push_str(&format!(
            "{start}…{end} <!-- {} bytes; {marks} -->",
            held.len()
        ));
        rest = &rest[j..];
    }
    insta::assert_snapshot!("diff_html_small_page", out);
}
