//! `tmd diff`: compare two versions of a model, read from files, stdin or
//! git (`REV:PATH`). Exit 0 when nothing semantic changed, 1 when something
//! did, 2 on an error (unreadable input, a model with errors, bad usage).
//! With `--git-external` it is git's external diff driver instead.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::ValueEnum;

use super::config::{ConfigArgs, Configs};
use super::input::{decode, read_limited};
use super::output::same_file;
use super::print::{self, errln};
use super::{
    fail, print_stdout, read_input_limited, status, write_atomic, Color, Input, InputLimits,
};
use crate::report::{self, FileReport};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a terminal: counts, exposure changes, then details
    #[default]
    Text,
    /// Markdown for a pull-request comment
    Md,
    /// JSON (schema in docs/review.md)
    Json,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "OLD and NEW are model files, `-` (stdin, for one of them), or `REV:PATH` to read PATH \
(relative to the current directory) as it is in git revision REV, e.g. `tmd diff main:model.tmd model.tmd`.\n\n\
Exit status: 0 no semantic change, 1 changes, 2 an error (unreadable input, a model with errors).\n\n\
--svg OUT and --html OUT also write the visual diff (an SVG picture; a self-contained HTML page with \
the pictures side by side, a before/after slider and the exposure table); stdout still carries the textual diff.\n\n\
With --comment: `tmd diff --comment BASE HEAD [PATH...]` writes one Markdown comment for a pull request, \
starting with the hidden marker `<!-- tmd-diff-comment -->`, under GitHub's size limit; exit status 0 written, \
1 written but a model could not be compared (its section says why), 2 nothing written.\n\n\
As git's diff driver: `git config diff.tmd.command 'tmd diff --git-external --'` and `*.tmd diff=tmd` \
in .gitattributes (see docs/review.md)."
)]
pub struct Args {
    /// The old version: a file, `REV:PATH` (read from git), or `-` (stdin)
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version: a file, `REV:PATH` (read from git), or `-` (stdin)
    #[arg(value_name = "NEW")]
    pub new: String,
    /// With --git-external: the rest of the arguments git passes
    #[arg(hide = true, allow_hyphen_values = true)]
    pub git_rest: Vec<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// When to colour text output and diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    /// Act as git's external diff driver: take the 7 (or 9) arguments git
    /// passes (path old-file old-hex old-mode new-file new-hex new-mode),
    /// print the semantic diff, and exit 0 unless something failed
    #[arg(long)]
    pub git_external: bool,
    /// Also write a visual diff to OUT: NEW's diagram with added elements,
    /// boundaries and flows in green, changed ones in amber, and removed
    /// ones ghosted (dashed, faded) where they were
    #[arg(long, value_name = "OUT", conflicts_with = "git_external")]
    pub svg: Option<PathBuf>,
    /// Also write the visual diff for people to OUT: one self-contained
    /// HTML page (for a CI artefact) with the verdict and the exposure
    /// table, OLD's and NEW's diagrams side by side, a before/after
    /// slider, the union picture of --svg, and the details folded
    #[arg(long, value_name = "OUT", conflicts_with = "git_external")]
    pub html: Option<PathBuf>,
    /// Write one pull-request comment (Markdown) for every model that
    /// changed between two git revisions: OLD and NEW are then revisions
    /// (BASE HEAD), and any further arguments are the models to compare
    /// (all changed `.tmd` files when none is given)
    #[arg(long, conflicts_with_all = ["git_external", "svg", "html", "format"])]
    pub comment: bool,
    /// With --comment: write the comment to FILE instead of stdout
    #[arg(short, long, value_name = "FILE", requires = "comment")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    if args.git_external {
        return git_external(&args);
    }
    if args.comment {
        return super::diff_comment::run(&args);
    }
    if !args.git_rest.is_empty() {
        return fail(format!(
            "too many arguments: expected OLD and NEW, got also `{}`",
            args.git_rest.join(" ")
        ));
    }
    if args.old == "-" && args.new == "-" {
        return fail("OLD and NEW cannot both be `-` (stdin)");
    }
    // Both sides are read before either error is reported.
    let (old, new) = match (
        resolve(&args.old, &args.limits),
        resolve(&args.new, &args.limits),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return fail(e),
        (Err(old), Err(new)) => {
            errln!("error: {old}");
            return fail(new);
        }
    };
    let color_err = args.color.enabled_for_stderr();
    // Each side with its project configuration: a file's from its folder,
    // stdin's and `REV:PATH`'s from the current folder.
    let mut configs = match Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return fail(e),
    };
    let mut options = Vec::new();
    for (side, input) in [("OLD", &old), ("NEW", &new)] {
        match configs.for_input(input) {
            Ok(resolved) => options.push(resolved.options()),
            Err(problem) => {
                configs.say(&problem, color_err);
                errln!(
                    "error: {side} (`{}`): {}; nothing compared",
                    crate::emit::text::visible(&input.name),
                    problem.why()
                );
            }
        }
    }
    let [old_options, new_options] = options.as_slice() else {
        return ExitCode::from(status::USAGE);
    };
    let (old_c, new_c) = (
        crate::compile_with(&old.text, old_options),
        crate::compile_with(&new.text, new_options),
    );
    let mut broken = false;
    for (side, input, c) in [("OLD", &old, &old_c), ("NEW", &new, &new_c)] {
        if c.valid().is_none() {
            let report = FileReport {
                name: &input.name,
                source: &c.source,
                diagnostics: &c.diagnostics,
            };
            print::stderr(report::human(&report, color_err, super::stderr_width()));
            let errors = c.diagnostics.len() - c.warning_count();
            errln!(
                "error: {side} (`{}`) has {}; nothing compared",
                input.name,
                if errors == 1 {
                    "1 error".to_string()
                } else {
                    format!("{errors} errors")
                }
            );
            broken = true;
        }
    }
    let (Some(o), Some(n)) = (old_c.valid(), new_c.valid()) else {
        debug_assert!(broken);
        return ExitCode::from(status::USAGE);
    };
    let diff = crate::diff::diff(o, n);
    // Both outputs are checked before either is written.
    for (flag, out) in [("--svg", &args.svg), ("--html", &args.html)] {
        let Some(out) = out else { continue };
        if out.as_os_str() == "-" {
            return fail(format!(
                "{flag} needs a file name: stdout carries the textual diff"
            ));
        }
        for input in [&old, &new] {
            if input.path.as_deref().is_some_and(|p| same_file(p, out)) {
                return fail(format!(
                    "refusing to write over the input file `{}`",
                    out.display()
                ));
            }
        }
    }
    if let (Some(svg), Some(html)) = (&args.svg, &args.html) {
        if svg == html || same_file(svg, html) {
            return fail(format!(
                "--svg and --html both name `{}`: give each its own file",
                html.display()
            ));
        }
    }
    let context = crate::diff::Context {
        models: Some((o.0, n.0)),
        today: new_options.today,
    };
    if let Some(out) = &args.svg {
        let rendered = crate::diff::visual::svg(
            o.0,
            n.0,
            &diff,
            (&old.name, &new.name),
            &crate::emit::svg::SvgOptions::default(),
        );
        if let Some(w) = &rendered.warning {
            errln!("warning: {w}");
        }
        if let Err(e) = write_atomic(out, rendered.svg.as_bytes()) {
            return fail(format!("cannot write `{}`: {e}", out.display()));
        }
    }
    if let Some(out) = &args.html {
        let page = crate::diff::html::html(
            o,
            n,
            &diff,
            (&old.name, &new.name),
            &context,
            &crate::emit::svg::SvgOptions::default(),
        );
        for w in &page.warnings {
            errln!("warning: {w}");
        }
        if let Err(e) = write_atomic(out, page.html.as_bytes()) {
            return fail(format!("cannot write `{}`: {e}", out.display()));
        }
    }
    let color_out = stdout_color(args.color, false);
    let text = match args.format {
        Format::Md => crate::diff::markdown_with(&diff, &old.name, &new.name, &context),
        format => render(&diff, format, &old.name, &new.name, color_out),
    };
    if let Err(code) = print_stdout(text) {
        return code;
    }
    if diff.is_empty() {
        ExitCode::from(status::OK)
    } else {
        ExitCode::from(status::FAILED)
    }
}

fn render(diff: &crate::diff::Diff, format: Format, old: &str, new: &str, color: bool) -> String {
    match format {
        Format::Text => crate::diff::text(diff, old, new, color),
        Format::Md => crate::diff::markdown(diff, old, new),
        Format::Json => crate::diff::json(diff, old, new),
    }
}

/// Colour on stdout: on a terminal (or, for git's driver, when git pipes
/// into its pager), unless NO_COLOR is set.
fn stdout_color(color: Color, git: bool) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let pager = git
                && std::env::var_os("GIT_PAGER_IN_USE").is_some_and(|v| v == "true" || v == "1");
            !no_color && (print::stdout_is_terminal() || pager)
        }
    }
}

/// Where a command-line argument is read from.
#[derive(Debug, PartialEq, Eq)]
enum Source<'a> {
    Stdin,
    File(&'a str),
    Git { rev: &'a str, path: &'a str },
}

/// `-` is stdin; an existing file is a file (even with a `:` in its name);
/// `C:\...` or `C:/...` is a Windows path; otherwise `REV:PATH` is read
/// from git; anything else is a file (which will not be found).
fn classify(arg: &str) -> Source<'_> {
    if arg == "-" {
        return Source::Stdin;
    }
    if Path::new(arg).exists() {
        return Source::File(arg);
    }
    let drive = matches!(arg.as_bytes(), [d, b':', b'\\' | b'/', ..] if d.is_ascii_alphabetic());
    if drive {
        return Source::File(arg);
    }
    match arg.split_once(':') {
        // A backslash before the colon is a Windows path, not a revision.
        Some((rev, path)) if !rev.contains('\\') => Source::Git { rev, path },
        _ => Source::File(arg),
    }
}

fn resolve(arg: &str, limits: &InputLimits) -> Result<Input, String> {
    match classify(arg) {
        Source::Stdin | Source::File(_) => {
            read_input_limited(arg, limits).map_err(|e| e.to_string())
        }
        Source::Git { rev, path } => read_git(arg, rev, path, limits.max_input_size),
    }
}

/// The blob at `REV:./PATH` (PATH relative to the current directory), read
/// with `git cat-file blob` (no shell, no textconv, no filters).
fn read_git(arg: &str, rev: &str, path: &str, limit: u64) -> Result<Input, String> {
    if rev.starts_with('-') {
        return Err(format!(
            "cannot read `{arg}`: a revision cannot start with `-`"
        ));
    }
    if path.is_empty() {
        return Err(format!(
            "cannot read `{arg}`: no path after `:` (write `REV:PATH`, e.g. `main:model.tmd`)"
        ));
    }
    let relative = if path.starts_with("./") || path.starts_with("../") {
        path.to_string()
    } else {
        format!("./{path}")
    };
    let spec = format!("{rev}:{relative}");
    read_git_spec(arg, &spec, limit).map_err(|message| {
        let hint = if message.contains("bad file") {
            format!(" (`{path}` is a directory in `{rev}`?)")
        } else {
            String::new()
        };
        format!("{message}{hint}")
    })
}

/// The blob `spec` names (`REV:PATH`, as git reads it), with
/// `git cat-file blob` (no shell, no textconv, no filters); `arg` is how
/// the user wrote it.
pub(super) fn read_git_spec(arg: &str, spec: &str, limit: u64) -> Result<Input, String> {
    let mut child = Command::new("git")
        .arg("cat-file")
        .arg("blob")
        .arg(spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("cannot read `{arg}`: git is not installed (or not on PATH)")
            }
            _ => format!("cannot read `{arg}`: cannot run git: {e}"),
        })?;
    // Never more than the size limit in memory, whatever the blob.
    let read = match child.stdout.take() {
        Some(stdout) => read_limited(stdout, arg, limit).map_err(|e| e.to_string()),
        None => Ok(Vec::new()),
    };
    if read.is_err() {
        let _ = child.kill();
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("cannot read `{arg}`: cannot run git: {e}"))?;
    let blob = read?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr
            .lines()
            .map(|l| l.trim().trim_start_matches("fatal:").trim())
            .find(|l| !l.is_empty())
            .unwrap_or("git failed")
            .to_string();
        return Err(format!("cannot read `{arg}` from git: {message}"));
    }
    decode(arg.to_string(), None, blob).map_err(|e| e.to_string())
}

/// git's external diff driver: `path old-file old-hex old-mode new-file
/// new-hex new-mode [new-path xfrm-msg]`, or just `path` for an unmerged
/// file. Exits 0 whenever it printed something (git stops at a non-zero
/// exit), so a model with errors gets a message instead of a diff.
fn git_external(args: &Args) -> ExitCode {
    let mut all = vec![args.old.as_str(), args.new.as_str()];
    all.extend(args.git_rest.iter().map(String::as_str));
    let (path, old_file, new_file, new_path) = match all.as_slice() {
        [path, old_file, _, _, new_file, _, _] => (*path, *old_file, *new_file, *path),
        [path, old_file, _, _, new_file, _, _, new_path, _] => {
            (*path, *old_file, *new_file, *new_path)
        }
        _ => {
            return fail(format!(
                "--git-external expects the 7 or 9 arguments git passes to a diff driver, got {}",
                all.len()
            ))
        }
    };
    let read = |file: &str| -> Result<Input, String> {
        // git passes /dev/null for an added or deleted file.
        if file == "/dev/null" || file == "nul" {
            return Ok(Input {
                name: file.to_string(),
                path: Some(PathBuf::from(file)),
                text: String::new(),
            });
        }
        read_input_limited(file, &args.limits).map_err(|e| e.to_string())
    };
    let (old, new) = match (read(old_file), read(new_file)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let old_name = if old_file == "/dev/null" {
        "/dev/null".to_string()
    } else {
        format!("a/{path}")
    };
    let new_name = if new_file == "/dev/null" {
        "/dev/null".to_string()
    } else {
        format!("b/{new_path}")
    };
    let color = stdout_color(args.color, true);
    // The configuration of the file's folder in the work tree, for both
    // sides (git hands over temporary copies).
    let options = match Configs::new(&args.config, &args.limits).and_then(|mut configs| {
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        configs.for_dir(dir, None).map_err(|problem| match problem {
            super::config::Problem::Invalid(file) => {
                let report = report::short(&file.report());
                format!(
                    "tmd diff {old_name} {new_name}\n`{}` has errors (no semantic diff; `git diff --no-ext-diff` shows the text):\n{report}",
                    crate::emit::text::visible(&file.shown)
                )
            }
            super::config::Problem::Unreadable(message) => format!(
                "tmd diff {old_name} {new_name}\n{message} (no semantic diff; `git diff --no-ext-diff` shows the text)\n"
            ),
        })
    }) {
        Ok(resolved) => resolved.options(),
        Err(mut said) => {
            said.push('\n');
            return match print_stdout(said) {
                Ok(()) => ExitCode::from(status::OK),
                Err(code) => code,
            };
        }
    };
    let (old_c, new_c) = (
        crate::compile_with(&old.text, &options),
        crate::compile_with(&new.text, &options),
    );
    let mut out = String::new();
    for (name, c) in [(&old_name, &old_c), (&new_name, &new_c)] {
        if c.valid().is_none() {
            let errors = c.diagnostics.len() - c.warning_count();
            out.push_str(&format!(
                "tmd diff {old_name} {new_name}\n{name} has {} (no semantic diff; `git diff --no-ext-diff` shows the text):\n",
                if errors == 1 { "1 error".to_string() } else { format!("{errors} errors") }
            ));
            let errs: Vec<_> = c
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            out.push_str(&report::short(&FileReport {
                name,
                source: &c.source,
                diagnostics: &errs,
            }));
        }
    }
    if let (Some(o), Some(n)) = (old_c.valid(), new_c.valid()) {
        let diff = crate::diff::diff(o, n);
        out = render(&diff, args.format, &old_name, &new_name, color);
    }
    // A blank line between files when git shows several.
    out.push('\n');
    match print_stdout(out) {
        Ok(()) => ExitCode::from(status::OK),
        Err(code) => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_classified() {
        assert_eq!(classify("-"), Source::Stdin);
        assert_eq!(
            classify("main:model.tmd"),
            Source::Git {
                rev: "main",
                path: "model.tmd"
            }
        );
        assert_eq!(
            classify("origin/main:docs/m.tmd"),
            Source::Git {
                rev: "origin/main",
                path: "docs/m.tmd"
            }
        );
        assert_eq!(
            classify("HEAD~2:m.tmd"),
            Source::Git {
                rev: "HEAD~2",
                path: "m.tmd"
            }
        );
        assert_eq!(
            classify(":m.tmd"),
            Source::Git {
                rev: "",
                path: "m.tmd"
            }
        );
        assert_eq!(
            classify("C:\\models\\m.tmd"),
            Source::File("C:\\models\\m.tmd")
        );
        assert_eq!(classify("C:/models/m.tmd"), Source::File("C:/models/m.tmd"));
        assert_eq!(classify("dir\\x:y.tmd"), Source::File("dir\\x:y.tmd"));
        assert_eq!(
            classify("no-such-file.tmd"),
            Source::File("no-such-file.tmd")
        );
        // An existing file wins over the REV:PATH reading.
        assert_eq!(classify("Cargo.toml"), Source::File("Cargo.toml"));
    }

    #[test]
    fn a_revision_cannot_be_an_option() {
        let e = read_git("--output=x:m.tmd", "--output=x", "m.tmd", 100).unwrap_err();
        assert!(e.contains("cannot start with `-`"), "{e}");
        let e = read_git("main:", "main", "", 100).unwrap_err();
        assert!(e.contains("no path after"), "{e}");
    }
}
