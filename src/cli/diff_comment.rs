//! `tmd diff --comment BASE HEAD [PATH...]`: one pull-request comment for
//! every model that changed between two git revisions (or for the PATHs
//! given), an added or deleted model compared with an empty one. The
//! comment itself is `crate::diff::comment`; this file finds the files
//! and reads them through git. Exit 0 when the comment was written, 1
//! when it was written but a model could not be compared (its section
//! says why; the others are complete), 2 when nothing was written.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use super::config::Configs;
use super::diff::{read_git_spec, Args};
use super::pipeline::file_output;
use super::print::errln;
use super::{fail, print_stdout, status, write_atomic, Input};
use crate::diff::comment::{self, FileChange, FileSection, Outcome};
use crate::diff::Context;
use crate::report::{self, FileReport};

/// One model to compare: how git names each side (`REV:PATH`), none for a
/// side where it does not exist.
struct Item {
    shown: String,
    change: FileChange,
    old: Option<String>,
    new: Option<String>,
    /// The folder whose `tmd.toml` applies, in the work tree.
    dir: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    let (base, head) = (args.old.as_str(), args.new.as_str());
    for rev in [base, head] {
        if let Err(e) = verify_revision(rev) {
            return fail(e);
        }
    }
    let items = if args.git_rest.is_empty() {
        match changed_models(base, head) {
            Ok(items) => items,
            Err(e) => return fail(e),
        }
    } else {
        match named_models(base, head, &args.git_rest) {
            Ok(items) => items,
            Err(e) => return fail(e),
        }
    };
    let mut configs = match Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return fail(e),
    };
    let mut sections = Vec::new();
    let mut failed = false;
    for item in &items {
        let outcome = compare(item, &mut configs, args.limits.max_input_size);
        if let Outcome::Failed { summary, .. } = &outcome {
            errln!(
                "error: {}: {summary}",
                crate::emit::text::visible(&item.shown)
            );
            failed = true;
        }
        sections.push(FileSection {
            path: item.shown.clone(),
            change: item.change.clone(),
            outcome,
        });
    }
    let text = comment::comment(base, head, &sections);
    match file_output(args.output.as_deref()) {
        Some(out) => {
            if let Err(e) = write_atomic(out, text.as_bytes()) {
                return fail(format!("cannot write `{}`: {e}", out.display()));
            }
        }
        _ => {
            if let Err(code) = print_stdout(text) {
                return code;
            }
        }
    }
    ExitCode::from(if failed { status::FAILED } else { status::OK })
}

/// Both sides of one model, compared; what went wrong otherwise.
fn compare(item: &Item, configs: &mut Configs, limit: u64) -> Outcome {
    let read = |spec: &Option<String>| -> Result<Input, String> {
        match spec {
            Some(spec) => read_git_spec(spec, spec, limit),
            None => Ok(Input {
                name: "(no model)".to_string(),
                path: None,
                text: String::new(),
            }),
        }
    };
    let (old, new) = match (read(&item.old), read(&item.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            return Outcome::Failed {
                summary: "cannot be read from git".to_string(),
                report: e,
            }
        }
    };
    // A deleted model's folder may be gone from the work tree: the
    // configuration of the nearest folder that is still there applies.
    let mut dir = item.dir.as_path();
    while !dir.as_os_str().is_empty() && !dir.is_dir() {
        dir = dir.parent().unwrap_or(Path::new(""));
    }
    let options = match configs.for_dir(dir, None) {
        Ok(resolved) => resolved.options(),
        Err(problem) => {
            return Outcome::Failed {
                summary: problem.why(),
                report: String::new(),
            }
        }
    };
    let (old_c, new_c) = (
        crate::compile_with(&old.text, &options),
        crate::compile_with(&new.text, &options),
    );
    let mut summaries = Vec::new();
    let mut report = String::new();
    for (side, input, c) in [("The base", &old, &old_c), ("The head", &new, &new_c)] {
        if c.valid().is_none() {
            let errs: Vec<_> = c
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            summaries.push(format!(
                "{side} version has {}",
                crate::diff::plural(errs.len(), "error", "errors")
            ));
            report.push_str(&report::short(&FileReport {
                name: &input.name,
                source: &c.source,
                diagnostics: &errs,
            }));
        }
    }
    let (Some(o), Some(n)) = (old_c.valid(), new_c.valid()) else {
        return Outcome::Failed {
            summary: format!("{}; not compared", summaries.join("; ")),
            report,
        };
    };
    let diff = crate::diff::diff(o, n);
    let context = Context {
        models: Some((o.0, n.0)),
        today: options.today,
    };
    Outcome::Compared(crate::diff::markdown_parts(
        &diff, &old.name, &new.name, &context,
    ))
}

/// git, run with its output captured; its first error line otherwise.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "git is not installed (or not on PATH)".to_string(),
            _ => format!("cannot run git: {e}"),
        })?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(stderr
        .lines()
        .map(|l| l.trim().trim_start_matches("fatal:").trim())
        .find(|l| !l.is_empty())
        .unwrap_or("git failed")
        .to_string())
}

fn verify_revision(rev: &str) -> Result<(), String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "`{rev}` is not a revision (with --comment, OLD and NEW are git revisions: BASE HEAD)"
        ));
    }
    git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map(|_| ())
        .map_err(|_| {
            format!(
                "`{}` is not a commit of this git repository (with --comment, OLD and NEW are git revisions: BASE HEAD)",
                crate::emit::text::visible(rev)
            )
        })
}

/// The top folder of the work tree.
fn top_level() -> Result<PathBuf, String> {
    let out = git(&["rev-parse", "--show-toplevel"])?;
    let text =
        String::from_utf8(out).map_err(|_| "the repository's path is not UTF-8".to_string())?;
    Ok(PathBuf::from(text.trim_end_matches(['\n', '\r'])))
}

/// Every `.tmd` file added, deleted, modified or renamed between the two
/// revisions, in git's order (by path).
fn changed_models(base: &str, head: &str) -> Result<Vec<Item>, String> {
    let top = top_level()?;
    let out = git(&[
        "-c",
        "core.quotepath=off",
        "diff",
        "--name-status",
        "-z",
        "-M",
        "--no-ext-diff",
        base,
        head,
        "--",
        // From the top of the work tree, whatever the current folder.
        ":(top)*.tmd",
    ])?;
    let fields: Vec<String> = out
        .split(|&b| b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut items = Vec::new();
    let spec = |rev: &str, path: &str| Some(format!("{rev}:{path}"));
    let dir_of = |path: &str| top.join(Path::new(path).parent().unwrap_or(Path::new("")));
    let unexpected = |what: &str| {
        format!(
            "unexpected output from `git diff --name-status`: `{}`",
            crate::emit::text::visible(what)
        )
    };
    let mut fields = fields.into_iter();
    while let Some(status) = fields.next() {
        let letter = status.chars().next().unwrap_or(' ');
        match letter {
            'R' | 'C' => {
                let (Some(from), Some(to)) = (fields.next(), fields.next()) else {
                    return Err(unexpected(&status));
                };
                if !to.ends_with(".tmd") {
                    continue;
                }
                let renamed = letter == 'R';
                items.push(Item {
                    change: if renamed {
                        FileChange::Renamed(from.clone())
                    } else {
                        FileChange::Added
                    },
                    old: if renamed { spec(base, &from) } else { None },
                    new: spec(head, &to),
                    dir: dir_of(&to),
                    shown: to,
                });
            }
            'A' | 'D' | 'M' | 'T' => {
                let Some(path) = fields.next() else {
                    return Err(unexpected(&status));
                };
                let (change, old, new) = match letter {
                    'A' => (FileChange::Added, None, spec(head, &path)),
                    'D' => (FileChange::Deleted, spec(base, &path), None),
                    _ => (FileChange::Modified, spec(base, &path), spec(head, &path)),
                };
                items.push(Item {
                    change,
                    old,
                    new,
                    dir: dir_of(&path),
                    shown: path,
                });
            }
            _ => return Err(unexpected(&status)),
        }
    }
    Ok(items)
}

/// The PATHs given (relative to the current folder), each compared
/// whether or not it changed.
fn named_models(base: &str, head: &str, paths: &[String]) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for path in paths {
        let relative = if path.starts_with("./") || path.starts_with("../") {
            path.clone()
        } else {
            format!("./{path}")
        };
        let exists = |rev: &str| {
            let spec = format!("{rev}:{relative}");
            git(&["cat-file", "-e", &spec]).is_ok().then_some(spec)
        };
        let (old, new) = (exists(base), exists(head));
        let change = match (&old, &new) {
            (Some(_), Some(_)) => FileChange::Modified,
            (None, Some(_)) => FileChange::Added,
            (Some(_), None) => FileChange::Deleted,
            (None, None) => {
                return Err(format!(
                    "`{}` is in neither `{base}` nor `{head}`",
                    crate::emit::text::visible(path)
                ))
            }
        };
        let dir = Path::new(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        items.push(Item {
            shown: path.clone(),
            change,
            old,
            new,
            dir,
        });
    }
    Ok(items)
}
