//! `tmd md`'s renderer (src/markdown/): golden snapshots over the pages in
//! tests/fixtures/md/, the page's own bytes kept exactly (CRLF, trailing
//! white space, no final newline), the rendering read back by a CommonMark
//! parser (pulldown-cmark, as mdBook reads it), unique ids per page.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use tmd::markdown::{render_page, Loaded, Loader, Outcome, Settings};
use tmd::report::{self, FileReport};

/// Models the fixtures name with `file=`, from tests/fixtures/md/models.
struct Models;

impl Loader for Models {
    fn load(&mut self, path: &str) -> Result<Loaded, String> {
        if path.contains("..") {
            return Err(format!("`{path}` leads outside the project root"));
        }
        let full = Path::new("tests/fixtures/md").join(path);
        std::fs::read_to_string(&full)
            .map(|text| Loaded {
                name: full.display().to_string(),
                text,
                options: Ok(Default::default()),
            })
            .map_err(|_| format!("no such file `{}`", full.display()))
    }
}

fn pages() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir("tests/fixtures/md").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            out.insert(stem, std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(out.len() >= 6, "{:?}", out.keys());
    out
}

fn render(name: &str, page: &str) -> Outcome {
    render_page(name, page, &Settings::default(), &mut Models)
}

/// The output with each SVG folded to one line (the drawing has its own
/// tests), then the diagnostics, one a line.
fn golden(page: &str, name: &str, outcome: &Outcome) -> String {
    let mut text = String::new();
    let mut in_svg = 0;
    for line in outcome.text.split_inclusive('\n') {
        let bare = line.trim_start_matches(['>', ' ', '-', '1', '.']);
        if bare.starts_with("<svg") {
            in_svg = 1;
            continue;
        }
        if in_svg > 0 {
            in_svg += 1;
            if bare.starts_with("</svg>") {
                let prefix = &line[..line.len() - bare.len()];
                text.push_str(&format!("{prefix}<svg>…{in_svg} lines…</svg>\n"));
                in_svg = 0;
            }
            continue;
        }
        text.push_str(line);
    }
    text.push_str("\n---- diagnostics\n");
    for r in &outcome.reports {
        let source = r.source.as_deref().unwrap_or(page);
        text.push_str(&report::short(&FileReport {
            name: &r.name,
            source,
            diagnostics: &r.diagnostics,
        }));
        if let Some(note) = &r.note {
            text.push_str(&format!("note: {note}\n"));
        }
    }
    text.push_str(&format!(
        "---- {name}: {} fences, {} failed, {} errors, {} warnings\n",
        outcome.fences, outcome.failed, outcome.errors, outcome.warnings
    ));
    text
}

#[test]
fn golden_pages() {
    for (stem, page) in pages() {
        let outcome = render(&format!("{stem}.md"), &page);
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("md-{stem}"), golden(&page, &format!("{stem}.md"), &outcome));
        });
    }
}

/// The output less the renderings equals the page less its fences.
fn assert_page_kept(page: &str, outcome: &Outcome) {
    let mut kept_in = String::new();
    let mut kept_out = String::new();
    let (mut pi, mut oi) = (0, 0);
    for (p, o) in &outcome.replaced {
        kept_in.push_str(&page[pi..p.start]);
        kept_out.push_str(&outcome.text[oi..o.start]);
        pi = p.end;
        oi = o.end;
    }
    kept_in.push_str(&page[pi..]);
    kept_out.push_str(&outcome.text[oi..]);
    assert_eq!(kept_in, kept_out);
    assert_eq!(outcome.replaced.len(), outcome.fences);
}

#[test]
fn bytes_outside_fences_are_kept() {
    for (stem, page) in pages() {
        let outcome = render(&stem, &page);
        assert_page_kept(&page, &outcome);
        // The same page with CRLF line ends, trailing white space, and no
        // final newline.
        let crlf = page.replace('\n', "  \r\n");
        let crlf = crlf.trim_end_matches(['\r', '\n']);
        let outcome = render(&stem, crlf);
        assert_page_kept(crlf, &outcome);
        assert!(!outcome.text.ends_with('\n'), "{stem}");
        // Every line end of the rendering is CRLF too.
        for (_, o) in &outcome.replaced {
            let r = &outcome.text[o.clone()];
            assert_eq!(r.matches('\n').count(), r.matches("\r\n").count(), "{stem}");
        }
    }
}

#[test]
fn a_page_without_fences_is_unchanged() {
    let page = "# Hi\r\n\r\nno fences here  \n```rust\nfn main() {}\n```";
    let outcome = render("x.md", page);
    assert_eq!(outcome.text, page);
    assert_eq!(outcome.fences, 0);
}

/// Each HTML block, as a CommonMark reader sees it.
fn html_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(text, Options::all()) {
        match event {
            Event::Start(Tag::HtmlBlock) => current = Some(String::new()),
            Event::Html(h) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

#[test]
fn a_commonmark_reader_sees_each_diagram_whole() {
    for (stem, page) in pages() {
        for page in [page.clone(), page.replace('\n', "\r\n")] {
            let outcome = render(&stem, &page);
            let figures = outcome.text.matches("<div class=\"tmd-figure").count();
            let blocks: Vec<String> = html_blocks(&outcome.text)
                .into_iter()
                .filter(|b| b.contains("tmd-figure"))
                .collect();
            assert_eq!(blocks.len(), figures, "{stem}: a diagram was split");
            for b in &blocks {
                assert!(
                    b.contains("</svg>") && b.trim_end().ends_with("</div>"),
                    "{stem}: {b}"
                );
                assert_eq!(b.matches("<svg").count(), 1, "{stem}");
            }
            let tables = Parser::new_ext(&outcome.text, Options::all())
                .filter(|e| matches!(e, Event::Start(Tag::Table(_))))
                .count();
            let expected = outcome.text.matches("| ID | Title |").count();
            assert_eq!(
                tables, expected,
                "{stem}: a threat table is not read as a table"
            );
        }
    }
}

#[test]
fn ids_are_unique_on_a_page() {
    let page = "```tmd\nprocess a\nstore s\nflow a -> s\n```\n\n```tmd diagram\nprocess a\nstore s\nflow a -> s\n```\n";
    let outcome = render("two.md", page);
    let mut ids = BTreeMap::new();
    for (i, _) in outcome.text.match_indices(" id=\"") {
        let rest = &outcome.text[i + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        *ids.entry(id.to_string()).or_insert(0) += 1;
    }
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.values().all(|&n| n == 1), "{ids:?}");
    assert!(outcome.text.contains("tmd-scope-tmd1"));
    assert!(outcome.text.contains("tmd-scope-tmd2"));
    // Each diagram's CSS is scoped to its own wrapper.
    for line in outcome.text.lines().filter(|l| l.starts_with("<style>.")) {
        let scope = if line.contains(".tmd-scope-tmd1 ") {
            "tmd1"
        } else {
            "tmd2"
        };
        assert!(!line.contains(if scope == "tmd1" {
            "tmd-scope-tmd2"
        } else {
            "tmd-scope-tmd1"
        }));
    }
}

#[test]
fn mdbook_themes_colour_the_diagram_by_class() {
    let page = "```tmd diagram\nprocess a\n```\n";
    let plain = render("p.md", page);
    assert!(!plain.text.contains("html.navy"));
    let settings = Settings {
        id_base: "tmd-c2-d".into(),
        mdbook_themes: true,
    };
    let themed = render_page("p.md", page, &settings, &mut Models);
    for class in [
        "html.navy",
        "html.coal",
        "html.ayu",
        "html.light",
        "html.rust",
    ] {
        assert!(themed.text.contains(class), "{class}");
    }
    assert!(themed
        .text
        .contains("html.navy .tmd-scope-tmd-c2-d1 .tmd-diagram .tmd-bg"));
    assert!(themed.text.contains("id=\"tmd-c2-d1-"));
}

#[test]
fn user_text_is_escaped_where_it_lands() {
    let page = "```tmd\ntitle \"</div><script>x()</script>\"\nprocess a \"a | b <img src=x onerror=y()>\"\nthreat T \"*t*\" on a {\n  actor: apt\n  scenario: \"s\\n\\nnew para\"\n  stride: S\n  severity: low\n}\n```\n";
    let outcome = render("x.md", page);
    assert_eq!(outcome.failed, 0);
    assert!(!outcome.text.contains("<script"), "{}", outcome.text);
    assert!(!outcome.text.contains("<img"));
    assert!(outcome.text.contains("a \\| b &lt;img"), "{}", outcome.text);
    // No blank line inside the diagram's HTML block, whatever the strings.
    let figure =
        &outcome.text[outcome.text.find("<div").unwrap()..outcome.text.find("</div>\n").unwrap()];
    assert!(!figure.contains("\n\n"));
    assert_eq!(html_blocks(&outcome.text).len(), 1);
}

#[test]
fn deterministic() {
    for (stem, page) in pages() {
        assert_eq!(render(&stem, &page), render(&stem, &page));
    }
}

/// Every prefix of every fixture, and each with a few hostile edits: no
/// panic, the page's bytes kept, and every diagnostic printable.
#[test]
fn never_panics_on_cut_or_edited_pages() {
    for (stem, page) in pages() {
        let mut cases: Vec<String> = Vec::new();
        for (i, _) in page.char_indices().step_by(3) {
            cases.push(page[..i].to_string());
        }
        for edit in [
            "\r",
            "\u{feff}",
            "> ",
            "\t",
            "```",
            "~~~~",
            "\"",
            "tmd file=",
            "\u{202e}",
        ] {
            for (i, _) in page.char_indices().step_by(97) {
                cases.push(format!("{}{edit}{}", &page[..i], &page[i..]));
            }
        }
        for case in &cases {
            let outcome = render(&stem, case);
            assert_page_kept(case, &outcome);
            for r in &outcome.reports {
                let source = r.source.as_deref().unwrap_or(case);
                let file = FileReport {
                    name: &r.name,
                    source,
                    diagnostics: &r.diagnostics,
                };
                let _ = report::human(&file, false, report::DEFAULT_WIDTH);
                let _ = report::short(&file);
            }
        }
    }
}
