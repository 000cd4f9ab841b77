//! `tmd md`: render the ```` ```tmd ```` fences of Markdown pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::output::{replace_atomic, same_file};
use super::print::{self, errln};
use super::project::FileLoader;
use super::{fail, print_stdout, read_input_limited, status, write_atomic, Color, InputLimits};
use crate::markdown::{self, Outcome, Report, Settings};
use crate::report::{self, FileReport};

/// What a model with errors does to the build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OnError {
    /// Exit 1 and write nothing
    #[default]
    Fail,
    /// Keep the fence as it was, under a notice, and exit 0
    Warn,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Renders every fenced code block whose info string starts with the word `tmd` into the \
model's diagram (inline SVG) and / or its threat table, and leaves every other byte of the page as it was. \
The model is the fence's text, or the file named by `file=PATH` (relative to the page, inside the project \
root: the folder holding the nearest `.git`, else the page's own folder). A fence's model compiles with the \
project configuration (tmd.toml, docs/config.md) found from the page's folder, a `file=` model with the one \
found from its own folder.\n\n\
Fence options (after `tmd`, in any order; views drawn in the order given):\n  \
    diagram | table | source      the views to draw [default: diagram table]\n  \
    view=diagram,table            the same, as one option\n  \
    file=models/shop.tmd          draw this model file (the fence stays empty)\n\n\
Examples:\n  \
    tmd md docs/design.md > build/design.md\n  \
    tmd md docs/*.md -o build/docs          # writes build/docs/NAME.md for each page\n  \
    tmd md README.md --in-place             # replaces the fences for good\n  \
    tmd md docs/*.md --check                # CI: every model in the docs compiles\n\n\
Exit status: 0 done, 1 a model or a fence with errors (with --on-error fail), 2 a usage or I/O problem. \
See docs/docs-builds.md."
)]
pub struct Args {
    /// Markdown files (`-` reads stdin; `file=` is then relative to the current folder)
    #[arg(required = true, value_name = "FILE.md")]
    pub files: Vec<String>,
    /// Write each page to DIR/NAME.md (DIR is created if missing)
    #[arg(short, long, value_name = "DIR", conflicts_with_all = ["in_place", "check"])]
    pub output: Option<PathBuf>,
    /// Rewrite each page in place (atomically; a page without fences is left untouched)
    #[arg(long, conflicts_with = "check")]
    pub in_place: bool,
    /// Render and report, write nothing: exit 1 when a fence has errors
    #[arg(long)]
    pub check: bool,
    /// What a model with errors does: fail the build, or keep its fence and warn
    #[arg(long, value_enum, default_value_t, value_name = "WHAT")]
    pub on_error: OnError,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// Prints a page's reports to stderr. A model file's diagnostics are
/// printed once per run (`seen`), however many fences draw it. Gives the
/// errors and warnings printed, which are the ones a summary counts.
pub fn print_reports(
    page_text: &str,
    reports: &[Report],
    color: bool,
    seen: &mut BTreeSet<String>,
) -> (usize, usize) {
    let (mut errors, mut warnings) = (0, 0);
    for r in reports {
        let first = r.source.is_none() || seen.insert(r.name.clone());
        if first {
            let source = r.source.as_deref().unwrap_or(page_text);
            let file = FileReport {
                name: &r.name,
                source,
                diagnostics: &r.diagnostics,
            };
            print::stderr(report::human(&file, color, super::stderr_width()));
            let e = r.diagnostics.iter().filter(|d| d.is_error()).count();
            errors += e;
            warnings += r.diagnostics.len() - e;
        }
        if let Some(note) = &r.note {
            if first {
                errln!("note: {note}");
            } else {
                errln!("note: {note} (its diagnostics are above)");
            }
        }
    }
    (errors, warnings)
}

pub fn run(args: Args) -> ExitCode {
    let to_stdout = args.output.is_none() && !args.in_place && !args.check;
    if to_stdout && args.files.len() > 1 {
        return fail("several pages: give -o DIR, --in-place or --check (stdout takes one page)");
    }
    if args.files.iter().any(|f| f == "-") && (args.output.is_some() || args.in_place) {
        return fail("`-` (stdin) can only be written to stdout: drop -o / --in-place");
    }
    // Plan the outputs first: two pages with one name in one folder, or an
    // output that is an input, stop before anything is read or written.
    let mut planned: BTreeMap<PathBuf, &str> = BTreeMap::new();
    let mut targets: Vec<Option<PathBuf>> = Vec::new();
    for file in &args.files {
        let target = match (&args.output, args.in_place) {
            (Some(dir), _) => {
                let Some(stem) = Path::new(file).file_stem() else {
                    return fail(format!("`{file}` has no file name"));
                };
                let out = dir.join(format!("{}.md", stem.to_string_lossy()));
                if let Some(other) = planned.insert(out.clone(), file) {
                    return fail(format!(
                        "`{other}` and `{file}` would both write `{}`; render them into different folders",
                        out.display()
                    ));
                }
                if let Some(input) = args
                    .files
                    .iter()
                    .find(|i| Path::new(i) == out || same_file(Path::new(i), &out))
                {
                    return fail(format!("refusing to write over the input file `{input}`"));
                }
                Some(out)
            }
            (None, true) => Some(PathBuf::from(file)),
            (None, false) => None,
        };
        targets.push(target);
    }

    let mut configs = match super::config::Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return fail(e),
    };
    let color = args.color.enabled_for_stderr();
    let mut seen = BTreeSet::new();
    let mut rendered: Vec<(String, Outcome, bool)> = Vec::new();
    let (mut errors, mut warnings, mut failed, mut fences) = (0, 0, 0, 0);
    // A page that cannot be read does not hide the others' diagnostics;
    // nothing is written then, and the exit status is 2.
    let mut unreadable = 0;
    for file in &args.files {
        let input = match read_input_limited(file, &args.limits) {
            Ok(input) => input,
            Err(e) => {
                errln!("error: {e}");
                unreadable += 1;
                continue;
            }
        };
        let page_dir = match &input.path {
            Some(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => PathBuf::from("."),
        };
        let mut loader =
            FileLoader::new(&page_dir, &page_dir, args.limits).with_configs(&mut configs, color);
        let outcome =
            markdown::render_page(&input.name, &input.text, &Settings::default(), &mut loader);
        let (e, w) = print_reports(&input.text, &outcome.reports, color, &mut seen);
        errors += e;
        warnings += w;
        failed += outcome.failed;
        fences += outcome.fences;
        let changed = outcome.text != input.text;
        rendered.push((input.name, outcome, changed));
    }

    let pages = rendered.len();
    let mut summary = format!(
        "{} in {}: {failed} failed, {}, {}",
        super::plural(fences, "tmd fence"),
        super::plural(pages, "page"),
        super::plural(errors, "error"),
        super::plural(warnings, "warning"),
    );
    if unreadable > 0 {
        summary.push_str(&format!(
            "; {} could not be read",
            super::plural(unreadable, "page")
        ));
        errln!("error: {summary}; nothing written");
        return ExitCode::from(status::USAGE);
    }
    if failed > 0 && (args.on_error == OnError::Fail || args.check) {
        errln!("error: {summary}; nothing written");
        return ExitCode::from(status::FAILED);
    }
    if failed > 0 {
        errln!(
            "warning: {} kept as written, with a notice (--on-error warn)",
            super::plural(failed, "fence")
        );
    }
    if args.check {
        errln!("checked {summary}");
        return ExitCode::from(status::OK);
    }
    for ((name, outcome, changed), target) in rendered.iter().zip(&targets) {
        match target {
            None => {
                if let Err(code) = print_stdout(&outcome.text) {
                    return code;
                }
            }
            Some(out) if args.in_place => {
                if *changed {
                    if let Err(e) = replace_atomic(out, outcome.text.as_bytes()) {
                        return fail(format!("cannot write `{}`: {e}", out.display()));
                    }
                    errln!("rendered {} in place", crate::emit::text::visible(name));
                }
            }
            Some(out) => {
                if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        return fail(format!("cannot create `{}`: {e}", dir.display()));
                    }
                }
                if let Err(e) = write_atomic(out, outcome.text.as_bytes()) {
                    return fail(format!("cannot write `{}`: {e}", out.display()));
                }
                errln!(
                    "rendered {} -> {}",
                    crate::emit::text::visible(name),
                    out.display()
                );
            }
        }
    }
    if !to_stdout {
        errln!("done: {summary}");
    }
    ExitCode::from(status::OK)
}
