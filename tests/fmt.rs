//! `tmd fmt` on every sample and fixture: golden outputs, and the
//! formatter's promises (meaning, warnings, comments, idempotence).

use std::path::{Path, PathBuf};

use tmd::fmt::verify::{comments, verify};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

fn format(text: &str) -> (tmd::Compilation, Option<String>) {
    let compilation = tmd::compile(text);
    let out = compilation
        .file
        .as_ref()
        .map(|f| tmd::fmt::format(f, &compilation.source));
    (compilation, out)
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn samples_and_valid_fixtures_format_faithfully() {
    let mut paths = files("samples");
    paths.extend(files("tests/fixtures/valid"));
    assert!(paths.len() >= 9);
    for path in paths {
        let text = read(&path);
        let (compilation, out) = format(&text);
        let out = out.unwrap();
        if let Err(problem) = verify(&compilation, &out) {
            panic!("{}: {problem}\n{out}", path.display());
        }
        if text
            .trim_start_matches('\u{FEFF}')
            .split('\n')
            .next()
            .is_some_and(|l| l.ends_with('\r'))
        {
            assert_eq!(
                out.matches('\n').count(),
                out.matches("\r\n").count(),
                "{}",
                path.display()
            );
        } else {
            assert!(!out.contains('\r'), "{}", path.display());
        }
        let dir = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(format!("{dir}__{}", stem(&path)), out);
    }
}

#[test]
fn diagnostic_fixtures_that_compile_format_faithfully() {
    // Fixtures with warnings only: the same warnings after formatting.
    let mut formatted = 0;
    for path in files("tests/fixtures/diagnostics") {
        let (compilation, out) = format(&read(&path));
        if compilation.has_errors() {
            continue;
        }
        if let Err(problem) = verify(&compilation, &out.unwrap()) {
            panic!("{}: {problem}", path.display());
        }
        formatted += 1;
    }
    assert!(formatted >= 10, "{formatted}");
}

#[test]
fn every_comment_of_every_sample_and_fixture_is_kept() {
    // Found by a scan of the text, not by the parser, so that a comment the
    // syntax tree dropped would show. Fixtures with value errors still
    // parse and are formatted here (the CLI refuses them).
    let mut paths = files("samples");
    paths.extend(files("tests/fixtures/valid"));
    paths.extend(files("tests/fixtures/diagnostics"));
    let mut checked = 0;
    for path in paths {
        let text = read(&path);
        let (compilation, out) = format(&text);
        let Some(out) = out else { continue };
        let before = comments(&compilation.source);
        assert_eq!(before, comments(&out), "{}", path.display());
        checked += before.len();
    }
    assert!(checked > 150, "{checked}");
}

#[test]
fn the_spec_example_formats_to_the_sample() {
    // tests/fixtures/fmt/acme-spec-verbatim.tmd is the specification's
    // worked example as the specification writes it (values aligned);
    // samples/acme-ecommerce.tmd is the same model in the canonical layout.
    // Formatting the one gives the other, changing white space only (the
    // same words in the same order, on the same lines) and not the meaning.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let verbatim = read(&root.join("tests/fixtures/fmt/acme-spec-verbatim.tmd"));
    let sample = read(&root.join("samples/acme-ecommerce.tmd"));
    let (compilation, out) = format(&verbatim);
    let out = out.unwrap();
    verify(&compilation, &out).unwrap_or_else(|p| panic!("{p}\n{out}"));
    assert_eq!(out, sample);
    assert_eq!(
        verbatim.split_whitespace().collect::<Vec<_>>(),
        out.split_whitespace().collect::<Vec<_>>()
    );
    assert_eq!(verbatim.lines().count(), out.lines().count());
    assert_ne!(
        verbatim, out,
        "the verbatim copy keeps the spec's alignment"
    );
}

#[test]
fn suppressions_stay_with_their_statements() {
    // Every place a `# tmd: allow` can stand, in layouts that fmt changes.
    let long = "x".repeat(90);
    let source = format!(
        "# tmd: allow TMD103\n\
         external lonely_a\n\
         external lonely_b # tmd: allow TMD103\n\
         external lonely_c {{ description: \"{long}\" }} # tmd: allow TMD103\n\
         external lonely_d {{ # tmd: allow TMD103\n  description: \"d\"\n}}\n\
         external lonely_e {{\n  description: \"e\"\n}} # tmd: allow TMD103\n\
         boundary empty_a {{ # tmd: allow TMD109\n\n}}\n\
         boundary empty_b {{\n}} # tmd: allow TMD109\n\
         external a\n\
         boundary zone {{\n  process p\n}}\n\
         flow a -> p\n\
         flow p -> a\n\
         threat T on a {{ actor: apt, scenario: \"s\", stride: S, severity: high }} # tmd: allow TMD107\n\
         threat U on p {{ actor: apt, scenario: \"s\", stride: DE, ease: easy, impact: problematic, severity: low }} # tmd: allow TMD101\n"
    );
    let (compilation, out) = format(&source);
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    let out = out.unwrap();
    verify(&compilation, &out).unwrap_or_else(|p| panic!("{p}\n{out}"));
    // The warnings that stand, by code, are the same (and the suppressions
    // on the first line of a statement kept working).
    let codes = |c: &tmd::Compilation| {
        let mut v: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
        v.sort();
        v
    };
    let after = tmd::compile(&out);
    assert_eq!(codes(&compilation), codes(&after));
    assert_eq!(
        codes(&after),
        vec!["TMD103", "TMD109", "TMD112", "TMD112"],
        "{:#?}",
        after.diagnostics
    );
    assert!(
        out.contains("external lonely_c { # tmd: allow TMD103\n"),
        "{out}"
    );
    assert!(
        out.contains("threat T on a { # tmd: allow TMD107\n"),
        "{out}"
    );
}

/// The ```` ```tmd ```` blocks of a Markdown page, as CommonMark reads them,
/// including those of a page shown as an example in a ```` ````markdown ````
/// block. A block with `file=` holds no model of its own.
fn tmd_blocks(page: &str) -> Vec<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new(page) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some((info.to_string(), String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = current.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((info, body)) = current.take() else {
                    continue;
                };
                let mut words = info.split_whitespace();
                match words.next() {
                    Some("tmd") if !info.contains("file=") => blocks.push(body),
                    Some("markdown" | "md") => blocks.extend(tmd_blocks(&body)),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn samples_and_docs_examples_are_formatted() {
    // What a reader copies is in the canonical layout and compiles: every
    // sample, and every ```tmd block of README.md and docs/*.md. A block
    // that is deliberately wrong, or a fragment, is not marked ```tmd (the
    // docs use ```text or a bare fence for those).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut models: Vec<(String, String)> = files("samples")
        .into_iter()
        .map(|p| (p.display().to_string(), read(&p)))
        .collect();
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    for page in &pages {
        for (i, block) in tmd_blocks(&read(page)).into_iter().enumerate() {
            models.push((format!("{} block {}", page.display(), i + 1), block));
        }
    }
    let readme_blocks = models.iter().filter(|(n, _)| n.contains("README")).count();
    assert!(readme_blocks >= 1, "the README's model is checked");
    let mut failures = Vec::new();
    for (name, text) in &models {
        let (compilation, out) = format(text);
        if compilation.has_errors() {
            let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code).collect();
            failures.push(format!("{name}: has errors {codes:?}"));
        } else if out.as_deref() != Some(text.as_str()) {
            failures.push(format!(
                "{name}: not formatted; `tmd fmt` writes:\n{}",
                out.unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
