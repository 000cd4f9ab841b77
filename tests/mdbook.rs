//! The real mdbook builds tests/fixtures/book/ with the `mdbook-tmd`
//! preprocessor (found on PATH, as a user's `[preprocessor.tmd]` with no
//! `command =` finds it), and the HTML holds the diagrams and the tables.
//! Without mdbook on PATH this test says SKIPPED loudly and passes;
//! `.ci/run` installs mdbook so that CI runs it.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mdbook_available() -> bool {
    support::skip::have(
        "mdbook",
        &["--version"],
        "cargo install mdbook --locked --version 0.5.4",
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// PATH with the folder of our binaries first.
fn path_with_bins() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-tmd"));
    let dir = bin.parent().unwrap().display().to_string();
    match std::env::var("PATH") {
        Ok(path) => format!("{dir}:{path}"),
        Err(_) => dir,
    }
}

fn build(book: &Path) -> Output {
    Command::new("mdbook")
        .args(["build", "-d", "out"])
        .current_dir(book)
        .env("PATH", path_with_bins())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn mdbook_builds_the_fixture_book() {
    if !mdbook_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/book"),
        &book,
    );
    let o = build(&book);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "mdbook failed:\n{stderr}");
    // Diagnostics name the files: the model file for file= fences, the
    // chapter and its line for inline ones.
    assert!(stderr.contains("[models/shop.tmd:29:6]"), "{stderr}");
    assert!(stderr.contains("[src/design/two.md:24:9]"), "{stderr}");
    assert!(
        !stderr.contains("parse error"),
        "mdBook could not read our HTML:\n{stderr}"
    );

    let html = |page: &str| std::fs::read_to_string(book.join("out").join(page)).unwrap();
    let shop = html("design/shop.html");
    assert!(
        shop.contains("<div class=\"tmd-figure tmd-scope-tmd-c2-d1\">"),
        "{shop}"
    );
    assert!(shop.contains("data-tmd-id=\"order_api\""));
    assert!(shop.contains("class=\"tmd-diagram-svg tmd-diagram\""));
    assert!(shop.contains("html.navy .tmd-scope-tmd-c2-d1 .tmd-diagram"));
    // The tables: one after the diagram, one in the block quote.
    assert_eq!(shop.matches("<td>T3</td>").count(), 2, "{shop}");
    assert!(shop.contains("<blockquote>"));
    assert!(shop.contains("<td>Order tampering in the queue</td>"));

    let two = html("design/two.html");
    assert!(two.contains("tmd-scope-tmd-c3-d1") && two.contains("tmd-scope-tmd-c3-d2"));
    assert!(two.contains("data-tmd-id=\"login\"") && two.contains("data-tmd-id=\"job\""));

    // The example inside a longer fence is shown as code, not drawn.
    let intro = html("intro.html");
    assert!(intro.contains("process not_drawn"));
    assert!(!intro.contains("tmd-figure"));

    // The print page holds every chapter: no id twice.
    let print = html("print.html");
    let mut ids: Vec<&str> = print
        .match_indices(" id=\"tmd-")
        .map(|(i, _)| {
            let rest = &print[i + 5..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert!(all > 10);
    assert_eq!(ids.len(), all, "an id appears twice in print.html");
}

#[test]
fn mdbook_fails_on_a_broken_model() {
    if !mdbook_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/book"),
        &book,
    );
    let intro = book.join("src/intro.md");
    let mut text = std::fs::read_to_string(&intro).unwrap();
    text.push_str("\n```tmd\nprocess a\nflow a -> nowhere\n```\n");
    std::fs::write(&intro, &text).unwrap();
    let line = text.lines().count() - 1;
    let o = build(&book);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("[src/intro.md:{line}:11]")),
        "{stderr}"
    );

    // on-error = "warn": the book builds, the fence is shown as written.
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        toml.replace("on-error = \"fail\"", "on-error = \"warn\""),
    )
    .unwrap();
    let o = build(&book);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let intro = std::fs::read_to_string(book.join("out/intro.html")).unwrap();
    assert!(intro.contains("the model below has errors"));
    assert!(intro.contains("flow a -&gt; nowhere"));
}
