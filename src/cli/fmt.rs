//! `tmd fmt`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::config::{ConfigArgs, Configs};
use super::output::replace_atomic;
use super::print::{self, errln};
use super::{read_input_limited, status, Color, Input, InputLimits};
use crate::report::{self, FileReport};

#[derive(clap::Args, Debug)]
#[command(
    after_long_help = "With no FILE, or with `-`, reads a model on stdin and prints it formatted on stdout. \
Each FILE is rewritten in place (atomically, keeping its permissions), and only if formatting \
changes it. Statements stay in the order written and every comment is kept; the formatted \
model means exactly what the original did, which tmd checks before it writes anything. The layout is described in \
docs/fmt.md.

A file with errors is left untouched and its diagnostics are printed.

Exit status: 0 done (or, with --check, nothing to change); 1 a file has errors (or, with \
--check, would change); 2 a file cannot be read or written."
)]
pub struct Args {
    /// Model files to format in place (none, or `-`: stdin to stdout)
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Change nothing: print a unified diff of what formatting would change, and exit 1 if it
    /// would change anything
    #[arg(long)]
    pub check: bool,
    /// When to use colour (diagnostics and diffs)
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let files = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files.clone()
    };
    if files.iter().filter(|f| f.as_str() == "-").count() > 1 {
        return super::fail("stdin (`-`) can be named only once");
    }
    // A model is formatted with its project configuration (its risk scale
    // and classification defaults decide what its values mean), and its
    // meaning verified with it.
    let mut configs = match Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return super::fail(e),
    };
    let mut worst = status::OK;
    for file in &files {
        worst = worst.max(one(file, &args, &mut configs));
        // A closed stdout (`tmd fmt --check | head`) ends the job.
        if print::stdout_closed() {
            break;
        }
    }
    ExitCode::from(worst)
}

/// Formats one file (or stdin); gives its exit status.
fn one(arg: &str, args: &Args, configs: &mut Configs) -> u8 {
    let input = match read_input_limited(arg, &args.limits) {
        Ok(input) => input,
        Err(e) => {
            errln!("error: {e}");
            return status::USAGE;
        }
    };
    let options = match configs.for_input(&input) {
        Ok(resolved) => resolved.options(),
        Err(problem) => {
            configs.say(&problem, args.color.enabled_for_stderr());
            errln!(
                "error: `{}`: {}; {}",
                crate::emit::text::visible(&input.name),
                problem.why(),
                untouched(&input)
            );
            return problem.status();
        }
    };
    let compilation = crate::compile_with(&input.text, &options);
    let (Some(file), false) = (compilation.file.as_ref(), compilation.has_errors()) else {
        let report = FileReport {
            name: &input.name,
            source: &compilation.source,
            diagnostics: &compilation.diagnostics,
        };
        print::stderr(report::human(
            &report,
            args.color.enabled_for_stderr(),
            super::stderr_width(),
        ));
        errln!("error: `{}` has errors; {}", input.name, untouched(&input));
        return status::FAILED;
    };
    let formatted = crate::fmt::format(file, &compilation.source);
    if let Err(problem) = crate::fmt::verify::verify_with(&compilation, &formatted, &options) {
        errln!(
            "error: internal error in tmd fmt on `{}`: {problem}; {}. Please report this with the file.",
            input.name,
            untouched(&input)
        );
        return status::FAILED;
    }
    let changed = formatted != input.text;
    if args.check {
        if changed {
            let color = args.color.enabled_for_stdout();
            // On a terminal, a control character in a comment must not
            // reach it raw; piped, the diff stays a patch.
            let terminal = color || print::stdout_is_terminal();
            if let Err(e) =
                print::stdout(diff(&input.name, &input.text, &formatted, color, terminal))
            {
                errln!("error: {e}");
                return status::USAGE;
            }
            return status::FAILED;
        }
        return status::OK;
    }
    match &input.path {
        None => match print::stdout(&formatted) {
            Ok(()) => status::OK,
            Err(e) => {
                errln!("error: {e}");
                status::USAGE
            }
        },
        Some(_) if !changed => status::OK,
        Some(path) => match write_in_place(path, &formatted) {
            Ok(()) => status::OK,
            Err(e) => {
                errln!("error: cannot write `{}`: {e}; left unchanged", input.name);
                status::USAGE
            }
        },
    }
}

fn untouched(input: &Input) -> &'static str {
    if input.path.is_some() {
        "left unchanged"
    } else {
        "nothing printed"
    }
}

/// Rewrites `path` (through a symbolic link, onto the file it names).
pub(super) fn write_in_place(path: &Path, text: &str) -> std::io::Result<()> {
    let target: PathBuf = std::fs::canonicalize(path)?;
    if std::fs::metadata(&target)?.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    replace_atomic(&target, text.as_bytes())
}

/// A unified diff from `old` to `new`, git style (`--- a/NAME`,
/// `+++ b/NAME`), so that `patch -p1` or `git apply` can use it.
/// With `terminal`, control characters are shown as `<U+001B>`.
pub fn diff(name: &str, old: &str, new: &str, color: bool, terminal: bool) -> String {
    let name = header_path(name);
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    let text = if terminal { shown(&text) } else { text };
    if !color {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let paint = if body.starts_with("+++") || body.starts_with("---") {
            "\x1b[1m"
        } else if body.starts_with('+') {
            "\x1b[32m"
        } else if body.starts_with('-') {
            "\x1b[31m"
        } else if body.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if paint.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(paint);
            out.push_str(body);
            out.push_str("\x1b[0m");
            out.push_str(end);
        }
    }
    out
}

/// The path in a diff header, as `git diff --no-index` writes it after
/// `a/` and `b/`: without leading `./` segments, and without the leading
/// `/` of an absolute path (`--- a/home/me/m.tmd`, not `--- a//home/...`;
/// `patch -p1` run from `/` applies it).
fn header_path(name: &str) -> &str {
    let mut path = name;
    loop {
        let next = path.trim_start_matches('/');
        let next = next.strip_prefix("./").unwrap_or(next);
        if next == path {
            return path;
        }
        path = next;
    }
}

/// `line` with control characters (other than a tab and the line end)
/// and bidirectional controls shown as `<U+001B>`.
fn shown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || crate::syntax::strings::is_bidi_control(c)
        {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_is_unified_and_git_style() {
        let d = diff("m.tmd", "a\nb\nc\n", "a\nB\nc\n", false, false);
        assert_eq!(
            d,
            "--- a/m.tmd\n+++ b/m.tmd\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        let d = diff("m.tmd", "a", "a\n", false, false);
        assert!(d.contains("No newline at end of file"), "{d}");
        let d = diff("m.tmd", "a\nb\n", "a\nB\n", true, true);
        assert!(
            d.contains("\x1b[31m-b\x1b[0m\n") && d.contains("\x1b[32m+B\x1b[0m\n"),
            "{d:?}"
        );
        // A control character in the text is shown, not sent to the terminal.
        let d = diff(
            "m.tmd",
            "# \x1b]0;x\x07 \u{202E}\nb\n",
            "# \x1b]0;x\x07 \u{202E}\nB\n",
            false,
            true,
        );
        assert!(d.contains(" # <U+001B>]0;x<U+0007> <U+202E>\n"), "{d:?}");
        let d = diff("m.tmd", "# \x1b\nb\n", "# \x1b\nB\n", false, false);
        assert!(d.contains(" # \x1b\n"), "{d:?}");
    }

    #[test]
    fn header_paths_are_git_style() {
        assert_eq!(header_path("m.tmd"), "m.tmd");
        assert_eq!(header_path("./m.tmd"), "m.tmd");
        assert_eq!(header_path("././/m.tmd"), "m.tmd");
        assert_eq!(header_path("/srv/x/m.tmd"), "srv/x/m.tmd");
        assert_eq!(header_path("//srv/m.tmd"), "srv/m.tmd");
        assert_eq!(header_path("../m.tmd"), "../m.tmd");
        assert_eq!(header_path("<stdin>"), "<stdin>");
    }
}
