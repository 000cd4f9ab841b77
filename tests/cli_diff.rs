//! `tmd diff` through the real binary: exit statuses, formats, errors,
//! `REV:PATH` from a real git repository, and git's external diff driver.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TMD: &str = env!("CARGO_BIN_EXE_tmd");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

/// A fresh empty directory under the system's temp dir, removed at the
/// end of the test.
struct TempDir(support::scratch::Scratch);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        TempDir(support::scratch::Scratch::new(&format!("cli-diff-{tag}")))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p
    }
}

fn tmd(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut cmd = Command::new(TMD);
    cmd.args(args).env_remove("NO_COLOR").stdin(Stdio::null());
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn no_semantic_change_exits_0() {
    let dir = fixture("same-reformatted");
    let o = tmd(
        &["diff", p(&dir.join("old.tmd")), p(&dir.join("new.tmd"))],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("No change to the threat model"),
        "{}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn changes_exit_1_in_every_format() {
    let dir = fixture("acme-review");
    let (old, new) = (dir.join("old.tmd"), dir.join("new.tmd"));
    let text = tmd(&["diff", p(&old), p(&new)], None);
    assert_eq!(code(&text), 1, "{}", stderr(&text));
    let out = stdout(&text);
    assert!(
        out.contains("11 changes to the threat model: 1 new open high threat"),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );

    let md = tmd(&["diff", "--format", "md", p(&old), p(&new)], None);
    assert_eq!(code(&md), 1);
    assert!(
        stdout(&md).starts_with("**11 changes to the threat model**: 1 new open high threat"),
        "{}",
        stdout(&md)
    );
    assert!(stdout(&md).contains("<details>"));

    let json = tmd(&["diff", "--format", "json", p(&old), p(&new)], None);
    assert_eq!(code(&json), 1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["changed"], true);
    assert_eq!(
        v["exposure"]["open_threats"]["high"]["opened"][0]["threat"],
        "T5"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = fixture("acme-review");
    let (old, new) = (dir.join("old.tmd"), dir.join("new.tmd"));
    let o = tmd(&["diff", "--color", "always", p(&old), p(&new)], None);
    assert!(stdout(&o).contains("\x1b[32m+\x1b[0m"), "{}", stdout(&o));
    let mut cmd = Command::new(TMD);
    let o = cmd
        .args(["diff", p(&old), p(&new)])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn a_model_with_errors_exits_2_naming_the_side() {
    let tmp = TempDir::new("errors");
    let good = tmp.write("good.tmd", "process api \"API\"\n");
    let bad = tmp.write("bad.tmd", "process api \"API\"\nflow api -> nowhere\n");
    let o = tmd(&["diff", "--color", "never", p(&good), p(&bad)], None);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("TMD003"), "{err}");
    assert!(
        err.contains(&format!(
            "error: NEW (`{}`) has 1 error; nothing compared",
            p(&bad)
        )),
        "{err}"
    );
    let o = tmd(&["diff", p(&bad), p(&good)], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("error: OLD ("), "{}", stderr(&o));
}

#[test]
fn usage_and_input_problems_exit_2() {
    let tmp = TempDir::new("usage");
    let good = tmp.write("good.tmd", "process api\n");
    let missing = tmp.path().join("missing.tmd");
    let o = tmd(&["diff", p(&good), p(&missing)], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));

    let o = tmd(&["diff", "-", "-"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot both be `-`"), "{}", stderr(&o));

    let o = tmd(&["diff", p(&good)], None);
    assert_eq!(code(&o), 2);

    let o = tmd(&["diff", p(&good), p(&good), p(&good)], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("too many arguments"), "{}", stderr(&o));

    let bin = tmp.write("bin.tmd", "");
    std::fs::write(&bin, b"process \xff\n").unwrap();
    let o = tmd(&["diff", p(&good), p(&bin)], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));

    // A revision that would be an option of git is refused before git runs.
    let o = tmd(
        &["diff", "--", "--output=x:model.tmd", p(&good)],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("a revision cannot start with `-`"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("x").exists());

    let o = tmd(&["diff", "--help"], None);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("REV:PATH"));
}

#[test]
fn stdin_can_be_one_side() {
    let dir = fixture("threats");
    let old = std::fs::read(dir.join("old.tmd")).unwrap();
    let mut child = Command::new(TMD)
        .args(["diff", "--format", "json", "-", p(&dir.join("new.tmd"))])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&old).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["old"], "<stdin>");
}

#[test]
fn a_file_name_with_a_colon_is_a_file() {
    let tmp = TempDir::new("colon");
    tmp.write("v1:model.tmd", "process api \"API\"\n");
    tmp.write("v2:model.tmd", "process api \"Public API\"\n");
    let o = tmd(&["diff", "v1:model.tmd", "v2:model.tmd"], Some(tmp.path()));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("label: \"API\" → \"Public API\""),
        "{}",
        stdout(&o)
    );
}

// ---------------------------------------------------------------------------
// git
// ---------------------------------------------------------------------------

/// git, or SKIPPED.
fn have_git() -> bool {
    support::skip::have("git", &["--version"], "apt-get install git")
}

/// git with no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_PAGER", "cat")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    o
}

fn git_ok(dir: &Path, args: &[&str]) {
    let o = git(dir, args);
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

fn repo(tag: &str) -> TempDir {
    let tmp = TempDir::new(tag);
    git_ok(tmp.path(), &["init", "-q"]);
    git_ok(tmp.path(), &["config", "user.name", "Test"]);
    git_ok(tmp.path(), &["config", "user.email", "test@example.com"]);
    git_ok(tmp.path(), &["config", "commit.gpgsign", "false"]);
    tmp
}

fn commit_all(dir: &Path) {
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "model"]);
}

#[test]
fn rev_path_reads_from_git() {
    if !have_git() {
        return;
    }
    let tmp = repo("rev");
    let dir = fixture("acme-review");
    let old = std::fs::read_to_string(dir.join("old.tmd")).unwrap();
    let new = std::fs::read_to_string(dir.join("new.tmd")).unwrap();
    tmp.write("model.tmd", &old);
    tmp.write("docs/nested.tmd", &old);
    commit_all(tmp.path());
    tmp.write("model.tmd", &new);

    let o = tmd(&["diff", "HEAD:model.tmd", "model.tmd"], Some(tmp.path()));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("tmd diff HEAD:model.tmd model.tmd\n11 changes"),
        "{out}"
    );

    // Identical to the committed version.
    let o = tmd(
        &["diff", "HEAD:docs/nested.tmd", "docs/nested.tmd"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // PATH is relative to the current directory, as a file argument is.
    let o = tmd(
        &["diff", "HEAD:nested.tmd", "nested.tmd"],
        Some(&tmp.path().join("docs")),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // The index (`:PATH`) and a revision expression.
    let o = tmd(&["diff", ":model.tmd", "HEAD:model.tmd"], Some(tmp.path()));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    git_ok(tmp.path(), &["branch", "base"]);
    commit_all(tmp.path());
    let o = tmd(
        &[
            "diff",
            "--format",
            "json",
            "base:model.tmd",
            "HEAD:model.tmd",
        ],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = tmd(
        &["diff", "HEAD~1:model.tmd", "HEAD:model.tmd"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));

    // A path that is not in the revision, a revision that does not exist, a directory.
    let o = tmd(&["diff", "HEAD:nope.tmd", "model.tmd"], Some(tmp.path()));
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(
            "cannot read `HEAD:nope.tmd` from git: path 'nope.tmd' does not exist in 'HEAD'"
        ),
        "{}",
        stderr(&o)
    );
    let o = tmd(
        &["diff", "no-such-branch:model.tmd", "model.tmd"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("cannot read `no-such-branch:model.tmd` from git"),
        "{}",
        stderr(&o)
    );
    let o = tmd(&["diff", "HEAD:docs", "model.tmd"], Some(tmp.path()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
}

#[test]
fn rev_path_outside_a_repository_is_a_clear_error() {
    if !have_git() {
        return;
    }
    let tmp = TempDir::new("norepo");
    tmp.write("model.tmd", "process api\n");
    let o = Command::new(TMD)
        .args(["diff", "HEAD:model.tmd", "model.tmd"])
        .current_dir(tmp.path())
        .env("GIT_CEILING_DIRECTORIES", tmp.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("cannot read `HEAD:model.tmd` from git: not a git repository"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn git_diff_uses_the_external_driver() {
    if !have_git() {
        return;
    }
    let tmp = repo("driver");
    let dir = fixture("acme-review");
    tmp.write(".gitattributes", "*.tmd diff=tmd\n");
    tmp.write(
        "model.tmd",
        &std::fs::read_to_string(dir.join("old.tmd")).unwrap(),
    );
    tmp.write(
        "same.tmd",
        &std::fs::read_to_string(fixture("same-reordered").join("old.tmd")).unwrap(),
    );
    let driver = format!("'{TMD}' diff --git-external --");
    git_ok(tmp.path(), &["config", "diff.tmd.command", &driver]);
    commit_all(tmp.path());
    tmp.write(
        "model.tmd",
        &std::fs::read_to_string(dir.join("new.tmd")).unwrap(),
    );
    tmp.write(
        "same.tmd",
        &std::fs::read_to_string(fixture("same-reordered").join("new.tmd")).unwrap(),
    );
    tmp.write("added.tmd", "process api \"API\"\n");
    git_ok(tmp.path(), &["add", "added.tmd"]);

    let o = git(tmp.path(), &["diff", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("tmd diff a/model.tmd b/model.tmd\n11 changes to the threat model"),
        "{out}"
    );
    assert!(
        out.contains("tmd diff a/same.tmd b/same.tmd\nNo change to the threat model"),
        "{out}"
    );
    assert!(
        out.contains("tmd diff /dev/null b/added.tmd\n1 change to the threat model"),
        "{out}"
    );
    assert!(!out.contains("diff --git"), "{out}");

    // A model with an error: a message instead of a diff, and git goes on.
    tmp.write("model.tmd", "process api {\n");
    let o = git(tmp.path(), &["diff", "HEAD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("b/model.tmd has 1 error (no semantic diff"),
        "{out}"
    );
    assert!(out.contains("b/model.tmd:1:13: error[TMD001]"), "{out}");

    // A deleted model, and the history with --ext-diff.
    std::fs::remove_file(tmp.path().join("model.tmd")).unwrap();
    let o = git(tmp.path(), &["diff", "HEAD", "--", "model.tmd"]);
    assert!(
        stdout(&o).contains("tmd diff a/model.tmd /dev/null"),
        "{}",
        stdout(&o)
    );
    let o = git(tmp.path(), &["log", "-p", "--ext-diff", "--", "model.tmd"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("tmd diff /dev/null b/model.tmd"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn git_external_wants_gits_arguments() {
    let o = tmd(&["diff", "--git-external", "a", "b", "c"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("expects the 7 or 9 arguments"),
        "{}",
        stderr(&o)
    );
}

// tmd diff --comment
// ---------------------------------------------------------------------------

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name),
    )
    .unwrap()
}

/// A repository with a `base` branch and a head commit that modifies,
/// deletes, adds, breaks and renames models (and a file that is not one).
fn review_repo() -> TempDir {
    let tmp = repo("comment");
    let d = tmp.path();
    tmp.write("models/shop.tmd", &sample("acme-ecommerce.tmd"));
    tmp.write(
        "models/gone.tmd",
        "external user\nboundary dc {\n  process api\n}\nflow user -> api\n",
    );
    tmp.write("models/old-name.tmd", "process a\nprocess b\nflow a -> b\n");
    tmp.write("README.md", "# notes\n");
    tmp.write(
        "legacy/old.tmd",
        "external user\nprocess app\nflow user -> app\n",
    );
    commit_all(d);
    git_ok(d, &["branch", "base"]);
    // A whole folder of models goes.
    std::fs::remove_dir_all(d.join("legacy")).unwrap();
    tmp.write(
        "models/shop.tmd",
        &format!(
            "{}\nexternal partner \"Partner\"\nflow partner -> order_api \"Webhook\" {{ protocol: \"HTTP\" }}\n",
            sample("acme-ecommerce.tmd")
        ),
    );
    std::fs::remove_file(d.join("models/gone.tmd")).unwrap();
    git_ok(d, &["mv", "models/old-name.tmd", "models/new-name.tmd"]);
    tmp.write(
        "models/added.tmd",
        "process worker\nstore queue\nflow worker -> queue \"Jobs\"\n",
    );
    tmp.write("models/broken.tmd", "process x\nflow x -> y\n");
    tmp.write("README.md", "# notes, edited\n");
    commit_all(d);
    tmp
}

#[test]
fn the_comment_covers_every_changed_model() {
    if !have_git() {
        return;
    }
    let tmp = review_repo();
    // From a subfolder: paths are the repository's.
    let o = tmd(
        &["diff", "--comment", "base", "HEAD"],
        Some(&tmp.path().join("models")),
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "a model has errors: {}", stderr(&o));
    assert!(out.starts_with("<!-- tmd-diff-comment -->\n"), "{out}");
    assert!(
        out.contains("**5 of 6 threat models changed**; **1 has errors**"),
        "{out}"
    );
    for line in [
        "- `legacy/old.tmd` (deleted): **3 changes to the threat model**",
        "- `models/added.tmd` (added): **",
        "- `models/broken.tmd` (added): **The head version has 1 error; not compared**",
        "- `models/gone.tmd` (deleted): **",
        "- `models/new-name.tmd` (renamed from `models/old-name.tmd`): **No change to the threat model**",
        "- `models/shop.tmd`: **2 changes to the threat model**",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(!out.contains("README"), "{out}");
    // The broken model's error, in a code block.
    assert!(
        out.contains("```text\nHEAD:models/broken.tmd:2:11: error[TMD003]"),
        "{out}"
    );
    assert!(stderr(&o).contains("models/broken.tmd"), "{}", stderr(&o));
    // The modified model: exposure table and its changed neighbourhood.
    let shop = out.split("### `models/shop.tmd`").nth(1).unwrap();
    assert!(
        shop.contains("| ▲ | **Crossing introduced** | `partner->order_api`"),
        "{shop}"
    );
    assert!(shop.contains("```mermaid\n"), "{shop}");
    assert!(shop.contains("Partner<br><i>added</i>"), "{shop}");
    assert!(shop.contains("<details>"), "{shop}");
    // A deleted model is compared with an empty one.
    let gone = out.split("### `models/gone.tmd` (deleted)").nth(1).unwrap();
    assert!(gone.contains("→ (no model)"), "{gone}");
    assert!(gone.contains("<i>removed</i>"), "{gone}");
    // The same bytes again, and in a file with -o.
    let again = tmd(&["diff", "--comment", "base", "HEAD"], Some(tmp.path()));
    assert_eq!(stdout(&again), out);
    let o = tmd(
        &["diff", "--comment", "base", "HEAD", "-o", "comment.md"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("comment.md")).unwrap(),
        out
    );
}

#[test]
fn named_paths_limit_the_comment() {
    if !have_git() {
        return;
    }
    let tmp = review_repo();
    let o = tmd(
        &[
            "diff",
            "--comment",
            "base",
            "HEAD",
            "models/shop.tmd",
            "models/new-name.tmd",
        ],
        Some(tmp.path()),
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Named alone, a renamed model is new: git's rename is not asked for.
    assert!(out.contains("**2 of 2 threat models changed**"), "{out}");
    assert!(out.contains("- `models/new-name.tmd` (added): "), "{out}");
    assert_eq!(out.matches("\n### ").count(), 2, "{out}");
    // A path in neither revision is a usage error: nothing written.
    let o = tmd(
        &["diff", "--comment", "base", "HEAD", "models/nothing.tmd"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("is in neither"), "{}", stderr(&o));
    // Nothing changed between a revision and itself.
    let o = tmd(&["diff", "--comment", "HEAD", "HEAD"], Some(tmp.path()));
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("**No threat model changed.**"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_comment_stays_under_githubs_limit() {
    if !have_git() {
        return;
    }
    let tmp = repo("comment-big");
    tmp.write("m.tmd", "process seed\n");
    commit_all(tmp.path());
    git_ok(tmp.path(), &["branch", "base"]);
    let big = |prefix: &str| {
        let mut text = String::new();
        for i in 0..600 {
            text.push_str(&format!(
                "process {prefix}{i} \"A process with a long label, number {i}\" {{ tech: \"Some technology {i}\" }}\n"
            ));
        }
        for i in 1..600 {
            text.push_str(&format!(
                "flow {prefix}{} -> {prefix}{i} \"Data {i}\"\n",
                i - 1
            ));
        }
        text
    };
    tmp.write("m.tmd", &big("p"));
    tmp.write("n.tmd", &big("q"));
    commit_all(tmp.path());
    let o = tmd(&["diff", "--comment", "base", "HEAD"], Some(tmp.path()));
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(out.chars().count() <= 65_536, "{}", out.len());
    assert!(out.contains("too long for a comment"), "{out}");
    assert!(
        out.contains("### `m.tmd`") && out.contains("### `n.tmd` (added)"),
        "{out}"
    );
}

#[test]
fn the_comment_refuses_what_is_not_a_revision() {
    if !have_git() {
        return;
    }
    let tmp = review_repo();
    for args in [
        ["diff", "--comment", "no-such-branch", "HEAD"],
        ["diff", "--comment", "--", "HEAD"],
    ] {
        let o = tmd(&args, Some(tmp.path()));
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stdout(&o).is_empty());
    }
    let o = tmd(&["diff", "--comment", "nope", "HEAD"], Some(tmp.path()));
    assert!(
        stderr(&o).contains("`nope` is not a commit"),
        "{}",
        stderr(&o)
    );
    // --comment writes Markdown only.
    let o = tmd(
        &["diff", "--comment", "--format", "json", "base", "HEAD"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 2);
    // Outside a repository.
    let plain = TempDir::new("comment-plain");
    let o = tmd(&["diff", "--comment", "a", "b"], Some(plain.path()));
    assert_eq!(code(&o), 2);
}

/// `--html OUT`: the page is written (atomically: whole or not at all),
/// the textual diff still goes to stdout in the chosen format, the exit
/// status is the diff's, and the same inputs give the same bytes.
#[test]
fn html_page_is_written_whole_and_the_same_every_time() {
    let tmp = TempDir::new("html");
    let dir = fixture("visual");
    let (old, new) = (dir.join("old.tmd"), dir.join("new.tmd"));
    let out = tmp.path().join("changes.html");
    let plain = tmd(&["diff", p(&old), p(&new)], None);
    let o = tmd(&["diff", p(&old), p(&new), "--html", p(&out)], None);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&plain));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"
    ));
    assert!(page.contains("<p class=\"verdict\" id=\"verdict\"><strong>"));
    assert!(page.contains("[removed]") && page.contains("[added]"));
    assert_eq!(page.matches("<script>").count(), 1);
    assert_eq!(page.matches("<svg").count(), 5);
    // Nothing loads: no URL but the SVG namespace.
    for bad in ["src=", "http://www.w3.org/1999", "https://", "@import"] {
        assert!(!page.contains(bad), "{bad}");
    }
    // Again: the same bytes; with --format json: the same page, JSON on stdout.
    let again = tmp.path().join("again.html");
    let o = tmd(
        &[
            "diff",
            p(&old),
            p(&new),
            "--html",
            p(&again),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code(&o), 1);
    serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), page.as_bytes());
    // --svg and --html together: both written.
    let svg = tmp.path().join("changes.svg");
    let o = tmd(
        &[
            "diff",
            p(&old),
            p(&new),
            "--svg",
            p(&svg),
            "--html",
            p(&out),
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    assert_eq!(std::fs::read(&out).unwrap(), page.as_bytes());
    // No change: exit 0, a page that says so.
    let same = tmp.path().join("same.html");
    let o = tmd(&["diff", p(&new), p(&new), "--html", p(&same)], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read_to_string(&same)
        .unwrap()
        .contains("<strong>No change to the threat model</strong>"));
    // A model with errors: exit 2 and the page there before is kept.
    let broken = tmp.write("broken.tmd", "process a {\n");
    std::fs::write(&out, "kept").unwrap();
    let o = tmd(&["diff", p(&old), p(&broken), "--html", p(&out)], None);
    assert_eq!(code(&o), 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
    // Written by rename: nothing else is left in the folder.
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "again.html",
            "broken.tmd",
            "changes.html",
            "changes.svg",
            "same.html"
        ]
    );
}

#[test]
fn html_refuses_what_it_cannot_do() {
    let tmp = TempDir::new("html-refuse");
    let dir = fixture("visual");
    let old = tmp.write(
        "old.tmd",
        &std::fs::read_to_string(dir.join("old.tmd")).unwrap(),
    );
    let new = tmp.write(
        "new.tmd",
        &std::fs::read_to_string(dir.join("new.tmd")).unwrap(),
    );
    let before = std::fs::read(&new).unwrap();
    let cases: &[(&[&str], &str)] = &[
        // stdout carries the textual diff
        (&["--html", "-"], "--html needs a file name"),
        (
            &["--html", "new.tmd"],
            "refusing to write over the input file",
        ),
        (
            &["--html", "x.html", "--svg", "x.html"],
            "--svg and --html both name",
        ),
        (&["--html", "no/such/dir/x.html"], "cannot write"),
        (&["--html", "x.html", "--comment"], "cannot be used with"),
        (
            &["--html", "x.html", "--git-external"],
            "cannot be used with",
        ),
    ];
    for (extra, said) in cases {
        let mut args = vec!["diff", "old.tmd", "new.tmd"];
        args.extend_from_slice(extra);
        let o = tmd(&args, Some(tmp.path()));
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(said), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(std::fs::read(&new).unwrap(), before);
    assert!(!tmp.path().join("-").exists() && !tmp.path().join("x.html").exists());
    let o = tmd(&["diff", "-", "-", "--html", "x.html"], Some(tmp.path()));
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot both be `-`"), "{}", stderr(&o));
    let o = tmd(&["diff", "--help"], None);
    assert!(stdout(&o).contains("--html <OUT>"));
    let _ = old;
}

/// OLD from git (`REV:PATH`) and a file name full of markup: shown as
/// text, escaped wherever it lands; a hostile model injects nothing.
#[test]
fn html_names_and_hostile_models_are_text() {
    if !have_git() {
        return;
    }
    let tmp = repo("html-git");
    let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/markup.tmd");
    let text = std::fs::read_to_string(&hostile).unwrap();
    let name = "m<b>&\"'</script>.tmd";
    tmp.write(name, "process a \"A\"\n");
    commit_all(tmp.path());
    tmp.write(name, &text);
    let rev = format!("HEAD:{name}");
    let o = tmd(
        &["diff", &rev, name, "--html", "out.html"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let page = std::fs::read_to_string(tmp.path().join("out.html")).unwrap();
    assert!(page.contains("HEAD:m&lt;b&gt;&amp;&quot;&#39;&lt;/script&gt;.tmd"));
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("</script").count(), 1);
    for bad in [
        "<b>",
        "<img",
        "<iframe",
        "<a ",
        "<foreignObject",
        "<style>*",
        "<!--",
        "<![CDATA[",
    ] {
        assert!(!page.contains(bad), "{bad} got through");
    }
    // The other way round: every string is in OLD's picture.
    let o = tmd(
        &["diff", name, "/dev/null", "--html", "gone.html"],
        Some(tmp.path()),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let page = std::fs::read_to_string(tmp.path().join("gone.html")).unwrap();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; [removed]"));
    assert_eq!(page.matches("<script").count(), 1);
    // Every hostile model that compiles, against an empty one.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    models.sort();
    let mut pages = 0;
    for model in models {
        let o = tmd(
            &["diff", "/dev/null", p(&model), "--html", "h.html"],
            Some(tmp.path()),
        );
        if code(&o) == 2 {
            continue; // control-characters.tmd: an error, by design
        }
        assert_eq!(code(&o), 1, "{}: {}", model.display(), stderr(&o));
        let page = std::fs::read_to_string(tmp.path().join("h.html")).unwrap();
        assert_eq!(page.matches("<script").count(), 1, "{}", model.display());
        assert_eq!(page.matches("</script").count(), 1, "{}", model.display());
        for bad in [
            "<b>",
            "<img",
            "<iframe",
            "<a ",
            "<foreignObject",
            "<!--",
            "<![CDATA[",
            // A handler needs a raw quote to break out of an attribute.
            "onload=\"",
            "onmouseover='",
        ] {
            assert!(
                !page.contains(bad),
                "{}: {bad} got through",
                model.display()
            );
        }
        pages += 1;
    }
    assert!(pages >= 5, "{pages}");
}
