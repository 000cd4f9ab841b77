//! `tmd md` and `tmd mdbook` (and `mdbook-tmd`) through the real binaries:
//! exit statuses, diagnostics naming the page and its line, `file=`
//! confinement, -o DIR, --in-place, --check, the preprocessor protocol.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn run(bin: &str, args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn tmd(args: &[&str], dir: &Path) -> Output {
    run(env!("CARGO_BIN_EXE_tmd"), args, dir, None)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project: `.git`, docs/page.md, models/shop.tmd, and a secret beside
/// the project.
fn project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix(&format!("tmd-md-{name}"))
        .tempdir()
        .unwrap();
    let root = tmp.path().join("proj");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::create_dir_all(root.join("models")).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/acme-ecommerce.tmd");
    std::fs::copy(sample, root.join("models/shop.tmd")).unwrap();
    std::fs::write(tmp.path().join("secret.tmd"), "process secret\n").unwrap();
    (tmp, root)
}

const GOOD: &str = "# Page\n\n```tmd\nprocess a\nstore s\nflow a -> s\n```\n\nEnd.\n";
const BROKEN: &str = "# Page\n\nIntro.\n\n```tmd\nprocess a\nflow a -> nowhere\n```\n";

#[test]
fn renders_a_page_to_stdout() {
    let (_tmp, root) = project("stdout");
    std::fs::write(root.join("docs/page.md"), GOOD).unwrap();
    let o = tmd(&["md", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("# Page\n\n<div class=\"tmd-figure tmd-scope-tmd1\">\n"));
    assert!(out.contains("data-tmd-id=\"a\""));
    assert!(out.ends_with("*No threats recorded.*\n\nEnd.\n"), "{out}");
    // The warning names the page and its line.
    assert!(
        text(&o.stderr).contains("[docs/page.md:4:9]"),
        "{}",
        text(&o.stderr)
    );
    // stdin works too.
    let o = run(env!("CARGO_BIN_EXE_tmd"), &["md", "-"], &root, Some(GOOD));
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("<svg"));
}

#[test]
fn a_broken_model_fails_unless_told_to_warn() {
    let (_tmp, root) = project("broken");
    std::fs::write(root.join("docs/page.md"), BROKEN).unwrap();
    let o = tmd(&["md", "docs/page.md", "-o", "out"], &root);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("TMD003"), "{err}");
    assert!(err.contains("[docs/page.md:7:11]"), "{err}");
    assert!(err.contains(" 7 │ flow a -> nowhere"), "{err}");
    assert!(err.contains("nothing written"), "{err}");
    assert!(!root.join("out").exists());

    let o = tmd(&["md", "docs/page.md", "--on-error", "warn"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("**tmd:** the model below has errors"));
    assert!(
        out.contains("```tmd\nprocess a\nflow a -> nowhere\n```\n"),
        "{out}"
    );

    let o = tmd(&["md", "docs/page.md", "--check"], &root);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
fn unknown_options_are_errors_with_a_hint() {
    let (_tmp, root) = project("options");
    std::fs::write(
        root.join("docs/page.md"),
        "x\n\n```tmd diagarm\nprocess a\n```\n",
    )
    .unwrap();
    let o = tmd(&["md", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("tmd::md::unknown-option"), "{err}");
    assert!(err.contains("[docs/page.md:3:8]"), "{err}");
    assert!(err.contains("did you mean `diagram`?"), "{err}");
}

#[test]
fn file_references_stay_in_the_project() {
    let (tmp, root) = project("files");
    let page = "```tmd file=../models/shop.tmd table\n```\n\n```tmd file=../../secret.tmd\n```\n";
    std::fs::write(root.join("docs/page.md"), page).unwrap();
    let o = tmd(&["md", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("`../../secret.tmd` leads outside the project root"),
        "{err}"
    );
    assert!(err.contains("[docs/page.md:4:13]"), "{err}");
    // The model file's own diagnostics name it, with a note.
    assert!(
        err.contains("[docs/../models/shop.tmd:29:6]") || err.contains("[models/shop.tmd:29:6]"),
        "{err}"
    );
    assert!(
        err.contains("is drawn by the fence at docs/page.md:1"),
        "{err}"
    );

    let abs = tmp.path().join("secret.tmd").display().to_string();
    std::fs::write(
        root.join("docs/page.md"),
        format!("```tmd file={abs}\n```\n"),
    )
    .unwrap();
    let o = tmd(&["md", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("is an absolute path"));

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("secret.tmd"), root.join("docs/link.tmd"))
            .unwrap();
        std::fs::write(root.join("docs/page.md"), "```tmd file=link.tmd\n```\n").unwrap();
        let o = tmd(&["md", "docs/page.md"], &root);
        assert_eq!(o.status.code(), Some(1));
        assert!(text(&o.stderr).contains("leads outside the project root"));
    }

    std::fs::write(
        root.join("docs/page.md"),
        "```tmd file=../models/shop.tmd table\n```\n",
    )
    .unwrap();
    let o = tmd(&["md", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("| ID | Title |"));
}

#[test]
fn output_folder_and_in_place() {
    let (_tmp, root) = project("write");
    std::fs::write(root.join("docs/page.md"), GOOD).unwrap();
    std::fs::write(root.join("docs/plain.md"), "no fences\r\n").unwrap();
    let o = tmd(
        &["md", "docs/page.md", "docs/plain.md", "-o", "build/docs"],
        &root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let page = std::fs::read_to_string(root.join("build/docs/page.md")).unwrap();
    assert!(page.contains("<svg"));
    assert_eq!(
        std::fs::read_to_string(root.join("build/docs/plain.md")).unwrap(),
        "no fences\r\n"
    );

    let o = tmd(
        &["md", "docs/page.md", "docs/plain.md", "--in-place"],
        &root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(root.join("docs/page.md")).unwrap(),
        page
    );
    assert_eq!(
        std::fs::read_to_string(root.join("docs/plain.md")).unwrap(),
        "no fences\r\n"
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    // A broken page in place is left as it was.
    std::fs::write(root.join("docs/page.md"), BROKEN).unwrap();
    let o = tmd(&["md", "docs/page.md", "--in-place"], &root);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(root.join("docs/page.md")).unwrap(),
        BROKEN
    );
}

#[test]
fn usage_problems_exit_2_before_writing() {
    let (_tmp, root) = project("usage");
    std::fs::create_dir_all(root.join("other")).unwrap();
    std::fs::write(root.join("docs/page.md"), GOOD).unwrap();
    std::fs::write(root.join("other/page.md"), GOOD).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["md", "docs/page.md", "other/page.md", "-o", "out"],
            "would both write",
        ),
        (
            &["md", "docs/page.md", "-o", "docs"],
            "refusing to write over the input file",
        ),
        (&["md", "docs/page.md", "other/page.md"], "several pages"),
        (
            &["md", "docs/page.md", "-o", "out", "--in-place"],
            "cannot be used with",
        ),
        (&["md", "docs/missing.md"], "no such file"),
        (&["md", "-", "--in-place"], "stdin"),
    ];
    for (args, message) in cases {
        let o = tmd(args, &root);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(message),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    assert!(!root.join("out").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("docs/page.md")).unwrap(),
        GOOD
    );
}

#[test]
fn check_writes_nothing() {
    let (_tmp, root) = project("check");
    std::fs::write(root.join("docs/page.md"), GOOD).unwrap();
    let o = tmd(&["md", "docs/page.md", "--check"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    assert!(
        text(&o.stderr).contains("checked 1 tmd fence in 1 page"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("docs/page.md")).unwrap(),
        GOOD
    );
}

#[test]
fn help_has_examples() {
    let o = tmd(&["md", "--help"], Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(o.status.code(), Some(0));
    let help = text(&o.stdout);
    assert!(
        help.contains("--in-place")
            && help.contains("file=models/shop.tmd")
            && help.contains("Examples")
    );
    let o = tmd(&["mdbook", "--help"], Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(text(&o.stdout).contains("[preprocessor.tmd]"));
}

// ---- the mdBook preprocessor protocol, without mdbook

fn book_input(
    root: &Path,
    version: &str,
    list_key: &str,
    content: &str,
    on_error: Option<&str>,
) -> String {
    let mut tmd = json!({});
    if let Some(v) = on_error {
        tmd["on-error"] = json!(v);
    }
    let context = json!({
        "root": root.display().to_string(),
        "config": {"book": {"title": "T", "src": "src"}, "preprocessor": {"tmd": tmd}},
        "renderer": "html",
        "mdbook_version": version,
    });
    let chapter = json!({"Chapter": {
        "name": "Intro",
        "content": content,
        "number": [1],
        "sub_items": [{"Chapter": {"name": "Sub", "content": "# Sub\n", "number": [1, 1], "sub_items": [],
            "path": "sub.md", "source_path": "sub.md", "parent_names": ["Intro"], "x_future": 7}}],
        "path": "intro.md",
        "source_path": "intro.md",
        "parent_names": [],
    }});
    let book =
        json!({list_key: [chapter, "Separator", {"PartTitle": "Part"}], "__non_exhaustive": null});
    serde_json::to_string(&json!([context, book])).unwrap()
}

#[test]
fn mdbook_protocol() {
    let (_tmp, root) = project("proto");
    for bin in [env!("CARGO_BIN_EXE_tmd"), env!("CARGO_BIN_EXE_mdbook-tmd")] {
        let pre: &[&str] = if bin.ends_with("mdbook-tmd") {
            &[]
        } else {
            &["mdbook"]
        };
        fn join<'a>(pre: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
            pre.iter().chain(extra).copied().collect()
        }
        let with = |extra: &[&'static str]| join(pre, extra);
        let o = run(bin, &with(&["supports", "html"]), &root, None);
        assert_eq!(o.status.code(), Some(0));
        let o = run(bin, &with(&["supports", "epub"]), &root, None);
        assert_eq!(o.status.code(), Some(1));

        for (version, key) in [("0.5.4", "items"), ("0.4.40", "sections")] {
            let input = book_input(&root, version, key, GOOD, None);
            let o = run(bin, &with(&[]), &root, Some(&input));
            assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
            let mut book: Value = serde_json::from_slice(&o.stdout).unwrap();
            let content = book[key][0]["Chapter"]["content"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(
                content.contains("<svg") && content.contains("html.navy"),
                "{content}"
            );
            assert!(content.contains("tmd-scope-tmd-c1-d1"));
            // Everything else comes back as it came.
            book[key][0]["Chapter"]["content"] = json!(GOOD);
            let sent: Value = serde_json::from_str(&input).unwrap();
            assert_eq!(book, sent[1]);
            assert!(
                text(&o.stderr).contains("[src/intro.md:4:9]"),
                "{}",
                text(&o.stderr)
            );
        }
        let input = book_input(&root, "0.5.4", "items", BROKEN, None);
        let o = run(bin, &with(&[]), &root, Some(&input));
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("[src/intro.md:7:11]") && err.contains("on-error = \"warn\""),
            "{err}"
        );
        let input = book_input(&root, "0.5.4", "items", BROKEN, Some("warn"));
        let o = run(bin, &with(&[]), &root, Some(&input));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let input = book_input(&root, "0.5.4", "items", GOOD, Some("sometimes"));
        let o = run(bin, &with(&[]), &root, Some(&input));
        assert_eq!(o.status.code(), Some(2));
        let o = run(bin, &with(&[]), &root, Some("not json"));
        assert_eq!(o.status.code(), Some(2));
    }
}

/// An unreadable page does not hide the others' diagnostics; nothing is
/// written and the exit status is 2.
#[test]
fn an_unreadable_page_does_not_hide_the_others() {
    let (_tmp, root) = project("unreadable");
    let page = "# P\n\n```tmd\nprocess a\nprocess b\nflow a -> b\n```\n";
    std::fs::write(root.join("docs/page.md"), page).unwrap();
    for extra in [&["--check"][..], &["-o", "out"][..]] {
        let mut args = vec!["md", "docs/missing.md", "docs/page.md"];
        args.extend(extra);
        let o = tmd(&args, &root);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(err.contains("cannot read `docs/missing.md`"), "{err}");
        assert!(err.contains("TMD105"), "{err}");
        assert!(err.contains("1 page could not be read"), "{err}");
        assert!(!root.join("out").exists());
    }
}

/// `--check` counts what it prints: a model file drawn by two fences has
/// its warnings printed and counted once.
#[test]
fn check_counts_the_warnings_it_prints() {
    let (_tmp, root) = project("counts");
    let page = "# P\n\n```tmd file=../models/shop.tmd\n```\n\n```tmd file=../models/shop.tmd\n```\n\n```tmd\nprocess a\nprocess b\nflow a -> b\n```\n";
    std::fs::write(root.join("docs/page.md"), page).unwrap();
    let o = tmd(&["md", "--check", "docs/page.md"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let printed = err.matches('⚠').count();
    assert_eq!(printed, 3, "{err}");
    assert!(
        err.contains("checked 3 tmd fences in 1 page: 0 failed, 0 errors, 3 warnings"),
        "{err}"
    );
}
