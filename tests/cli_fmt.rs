//! `tmd fmt` through the real binary, on temporary copies of files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;

fn tmd(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The command may exit without reading stdin.
    let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The library's formatting of `source` (already checked to be faithful
/// elsewhere).
fn formatted(source: &str) -> String {
    let c = tmd::compile(source);
    tmd::fmt::format(c.file.as_ref().unwrap(), &c.source)
}

/// A temporary directory holding a copy of `from` named `name`.
fn copy(dir: &tempfile::TempDir, from: &str, name: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::copy(repo(from), &path).unwrap();
    path
}

fn write(dir: &tempfile::TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

const MESSY: &str = "external   a\nexternal b{description:\"B\"}\n\n\n\nflow a->b   # why\n";
const TIDY: &str = "external a\nexternal b { description: \"B\" }\n\nflow a -> b # why\n";

#[test]
fn stdin_to_stdout() {
    for args in [&["fmt"][..], &["fmt", "-"][..]] {
        let out = tmd(args, Some(MESSY));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), TIDY);
        assert_eq!(text(&out.stderr), "");
    }
}

#[test]
fn files_are_rewritten_in_place_only_when_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(&dir, "messy.tmd", MESSY);
    let tidy = write(&dir, "tidy.tmd", TIDY);
    let sample = copy(&dir, "samples/mobile-banking.tmd", "bank.tmd");
    #[cfg(unix)]
    let tidy_inode = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&tidy).unwrap().ino()
    };
    let out = tmd(
        &[
            "fmt",
            messy.to_str().unwrap(),
            tidy.to_str().unwrap(),
            sample.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    assert_eq!(std::fs::read_to_string(&tidy).unwrap(), TIDY);
    let original = std::fs::read_to_string(repo("samples/mobile-banking.tmd")).unwrap();
    assert_eq!(
        std::fs::read_to_string(&sample).unwrap(),
        formatted(&original)
    );
    #[cfg(unix)]
    {
        // Not rewritten at all: the very same file.
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&tidy).unwrap().ino(), tidy_inode);
    }
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    // A second run changes nothing.
    let out = tmd(
        &[
            "fmt",
            "--check",
            messy.to_str().unwrap(),
            sample.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn check_prints_a_diff_that_applies_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(&dir, "messy.tmd", MESSY);
    // Run from the temporary directory so that the diff names `messy.tmd`.
    let out = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["fmt", "--check", "messy.tmd"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- a/messy.tmd\n+++ b/messy.tmd\n@@ "),
        "{diff}"
    );
    assert!(
        diff.contains("\n-external   a\n") && diff.contains("\n+external a\n"),
        "{diff}"
    );
    assert!(!diff.contains('\x1b'), "no colour when piped: {diff:?}");
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        MESSY,
        "--check wrote the file"
    );
    // `patch -p1` turns the file into the formatted text.
    if support::skip::have("patch", &["--version"], "apt-get install patch") {
        let mut child = Command::new("patch")
            .args(["-p1", "--quiet"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(diff.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    }
    // Colour on request.
    write(&dir, "messy.tmd", MESSY);
    let out = tmd(
        &[
            "fmt",
            "--check",
            "--color",
            "always",
            messy.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        text(&out.stdout).contains("\x1b[31m-external   a\x1b[0m"),
        "{}",
        text(&out.stdout)
    );
    // From stdin too.
    let out = tmd(&["fmt", "--check"], Some(MESSY));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("--- a/<stdin>\n+++ b/<stdin>\n"));
    let out = tmd(&["fmt", "--check"], Some(TIDY));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn files_with_errors_are_left_untouched_with_their_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let syntax = write(&dir, "syntax.tmd", "external a\nflow a ->\n");
    let value = copy(
        &dir,
        "tests/fixtures/diagnostics/TMD012-invalid-escape.tmd",
        "value.tmd",
    );
    let reference = write(&dir, "reference.tmd", "external a\nflow a  ->  nowhere\n");
    let good = write(&dir, "good.tmd", MESSY);
    let before_value = std::fs::read(&value).unwrap();
    let out = tmd(
        &[
            "fmt",
            syntax.to_str().unwrap(),
            value.to_str().unwrap(),
            reference.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    for code in ["TMD001", "TMD012", "TMD003"] {
        assert!(stderr.contains(code), "{code}: {stderr}");
    }
    for name in ["syntax.tmd", "value.tmd", "reference.tmd"] {
        assert!(
            stderr.contains(&format!("{name}` has errors; left unchanged")),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&syntax).unwrap(),
        "external a\nflow a ->\n"
    );
    assert_eq!(std::fs::read(&value).unwrap(), before_value);
    assert_eq!(
        std::fs::read_to_string(&reference).unwrap(),
        "external a\nflow a  ->  nowhere\n"
    );
    // The good file was still formatted.
    assert_eq!(std::fs::read_to_string(&good).unwrap(), TIDY);
    // On stdin: nothing on stdout.
    let out = tmd(&["fmt"], Some("external a\nflow a ->\n"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert!(text(&out.stderr).contains("`<stdin>` has errors; nothing printed"));
}

#[test]
fn warnings_do_not_stop_formatting_and_are_not_printed() {
    let out = tmd(&["fmt"], Some("external   lonely\n"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "external lonely\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn unreadable_inputs_exit_2_and_the_others_are_still_formatted() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(&dir, "good.tmd", MESSY);
    let missing = dir.path().join("missing.tmd");
    let binary = dir.path().join("binary.tmd");
    std::fs::write(&binary, b"external a \xff\n").unwrap();
    let out = tmd(
        &[
            "fmt",
            missing.to_str().unwrap(),
            binary.to_str().unwrap(),
            dir.path().to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("missing.tmd`: no such file"), "{stderr}");
    assert!(
        stderr.contains("is not UTF-8 text: invalid byte sequence at byte offset 11"),
        "{stderr}"
    );
    assert!(stderr.contains("is a directory"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&good).unwrap(), TIDY);
    assert_eq!(std::fs::read(&binary).unwrap(), b"external a \xff\n");
}

#[test]
fn stdin_can_be_named_once() {
    let out = tmd(&["fmt", "-", "-"], Some(TIDY));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("stdin (`-`) can be named only once"));
}

#[test]
fn crlf_files_stay_crlf_and_lose_their_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy(
        &dir,
        "tests/fixtures/valid/all-forms-crlf-bom.tmd",
        "crlf.tmd",
    );
    let out = tmd(&["fmt", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.starts_with('\u{FEFF}'));
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
    let lf = std::fs::read_to_string(repo("tests/fixtures/valid/all-forms.tmd")).unwrap();
    // The same text as the LF twin, but for the first two comment lines.
    let strip = |s: &str| {
        s.replace("\r\n", "\n")
            .lines()
            .skip(2)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&after), strip(&formatted(&lf)));
}

#[cfg(unix)]
#[test]
fn permissions_and_symbolic_links_are_kept_and_read_only_files_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let private = write(&dir, "private.tmd", MESSY);
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let target = write(&dir, "target.tmd", MESSY);
    let link = dir.path().join("link.tmd");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = tmd(
        &["fmt", private.to_str().unwrap(), link.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(std::fs::read_to_string(&private).unwrap(), TIDY);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), TIDY);

    let locked = write(&dir, "locked.tmd", MESSY);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = tmd(&["fmt", locked.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the file is read-only; left unchanged"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), MESSY);
}

#[test]
fn help_describes_the_command() {
    let out = tmd(&["fmt", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for needle in [
        "--check",
        "stdin",
        "in place",
        "every comment is kept",
        "Exit status",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
    let out = tmd(&["--help"], None);
    assert!(text(&out.stdout).contains("fmt"));
}

/// The diff's headers follow git's convention whatever the path: `a/` and
/// `b/` before the path as given, with no `//` for an absolute path and no
/// `./` (as `git diff --no-index` writes them), so that `patch -p1` run
/// from the right folder (`/` for an absolute path) applies it.
#[test]
fn check_headers_are_git_style_for_absolute_and_dotted_paths() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(&dir, "messy.tmd", MESSY);
    let abs = std::fs::canonicalize(&messy).unwrap();
    let abs = abs.to_str().unwrap();
    let out = tmd(&["fmt", "--check", abs], None);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    let bare = abs.trim_start_matches('/');
    assert!(
        diff.starts_with(&format!("--- a/{bare}\n+++ b/{bare}\n@@ ")),
        "{diff}"
    );
    let dotted = Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(["fmt", "--check", "./messy.tmd"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        text(&dotted.stdout).starts_with("--- a/messy.tmd\n+++ b/messy.tmd\n@@ "),
        "{}",
        text(&dotted.stdout)
    );
    if support::skip::have("patch", &["--version"], "apt-get install patch") {
        let mut child = Command::new("patch")
            .args(["-p1", "--quiet"])
            .current_dir("/")
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(diff.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    }
}
