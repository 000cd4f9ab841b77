//! `tmd build`: every output of every model, for docs builds and CI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::{failing_threats, say_failing, FailOn};
use super::config::{ConfigArgs, Configs};
use super::output::same_file;
use super::output::write_set_atomic;
use super::print::{self, errln};
use super::{read_input_limited, status, Color, InputLimits};
use crate::report::{self, FileReport};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "For each model STEM.tmd, writes STEM.svg (the diagram), STEM.dot (for Graphviz), \
STEM.md (the assessment report, linking STEM.svg), STEM.html (the report with the diagram inline), \
STEM.json (the export) and STEM.csv (the threat table) into DIR, or next to the model. Every file is \
written atomically (an output that already holds the same bytes is left as it is, with a new modification \
time); nothing is written for a model with errors. Exit status: 0 clean, 1 an error in a \
model or its configuration (or a warning with --deny warnings, a warning denied in tmd.toml, or an open \
threat at or above --fail-on or tmd.toml's fail_on), 2 a usage or I/O problem. Each model is built with the \
project configuration found for it, as `tmd check` does (docs/config.md)."
)]
pub struct Args {
    /// Model files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write the outputs into this folder (created if missing) instead of next to each model
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also exit 1 when an open, in-scope threat at or above this severity exists (an acceptance past its `expires` date counts as open) [default: fail_on in tmd.toml]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Treat warnings as errors for the exit status
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<super::check::Deny>,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    /// Which part of each diagram to draw (SVG, DOT and the HTML report's; the reports' tables, the JSON and the CSV keep the whole model)
    #[command(flatten, next_help_heading = "Diagram view")]
    pub view: super::view::ViewArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// The files one model gives: extension and contents.
/// The diagrams (SVG, DOT and the HTML report's) are drawn from `drawn`,
/// the view `--focus`/`--collapse` asked for, or the model itself.
pub fn outputs(
    model: &crate::model::Model,
    analysis: &crate::analysis::Analysis,
    drawn: (&crate::model::Model, &crate::analysis::Analysis),
    findings: &crate::emit::findings::Findings,
    stem: &str,
) -> (Vec<(&'static str, String)>, Option<String>) {
    let rendered =
        crate::emit::svg::svg(drawn.0, drawn.1, &crate::emit::svg::SvgOptions::default());
    // One assessment for both reports.
    let assessed = crate::emit::assessment::Assessment::new(model, analysis, findings);
    let files = vec![
        (
            "html",
            crate::emit::html::html_of(model, &assessed, findings, Some(&rendered.svg)),
        ),
        (
            "md",
            // The report links the SVG written beside it.
            crate::emit::markdown::report_of(
                model,
                &assessed,
                findings,
                Some(&format!("{stem}.svg")),
            ),
        ),
        ("json", crate::emit::export::export(model, analysis)),
        ("csv", crate::emit::csv::table(model, analysis, true)),
        ("dot", crate::emit::dot::dot(drawn.0, drawn.1)),
        ("svg", rendered.svg),
    ];
    (files, rendered.warning)
}

pub fn run(args: Args) -> ExitCode {
    ExitCode::from(build(&args))
}

/// Builds every model of `args` once: the exit status (`tmd watch`
/// builds again and again with it).
pub fn build(args: &Args) -> u8 {
    // Plan every output path first: two models with one stem in one folder,
    // or an output that is an input, stop the build before anything is written.
    let mut planned: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut jobs = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        if name == "-" {
            super::fail(
                "`tmd build` names its outputs after its input files: give a file, not `-`",
            );
            return status::USAGE;
        }
        let Some(stem) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            super::fail(format!("`{name}` has no file name"));
            return status::USAGE;
        };
        let dir = match &args.output {
            Some(dir) => dir.clone(),
            None => file.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        for ext in ["svg", "dot", "md", "html", "json", "csv"] {
            let out = dir.join(format!("{stem}.{ext}"));
            if let Some(other) = planned.insert(out.clone(), name.clone()) {
                super::fail(format!(
                    "`{other}` and `{name}` would both write `{}`; build them into different folders",
                    out.display()
                ));
                return status::USAGE;
            }
            if let Some(input) = args.files.iter().find(|i| *i == &out || same_file(i, &out)) {
                super::fail(format!(
                    "refusing to write over the input file `{}`",
                    input.display()
                ));
                return status::USAGE;
            }
        }
        jobs.push((name, stem, dir));
    }

    let mut configs = match Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => {
            super::fail(e);
            return status::USAGE;
        }
    };
    let color = args.color.enabled_for_stderr();
    let (mut errors, mut warnings, mut io_failed) = (0usize, 0usize, false);
    let (mut checked, mut unreadable) = (0usize, 0usize);
    let mut failing = Vec::new();
    let mut config_failed = false;
    for (name, stem, dir) in jobs {
        let input = match read_input_limited(&name, &args.limits) {
            Ok(input) => input,
            Err(e) => {
                errln!("error: {e}");
                unreadable += 1;
                io_failed = true;
                continue;
            }
        };
        checked += 1;
        let resolved = match configs.for_input(&input) {
            Ok(resolved) => resolved,
            Err(problem) => {
                configs.say(&problem, color);
                errln!("error: `{name}`: {}; nothing written for it", problem.why());
                if problem.status() == status::USAGE {
                    io_failed = true;
                } else {
                    config_failed = true;
                }
                continue;
            }
        };
        let options = resolved.options();
        let compilation = crate::compile_with(&input.text, &options);
        // The report raises the denied warnings to errors; the outputs are
        // written all the same, as with --deny warnings.
        let mut diagnostics = compilation.diagnostics.clone();
        resolved.deny(&mut diagnostics);
        if !diagnostics.is_empty() {
            let r = FileReport {
                name: &input.name,
                source: &compilation.source,
                diagnostics: &diagnostics,
            };
            print::stderr(report::human(&r, color, super::stderr_width()));
        }
        let e = diagnostics.iter().filter(|d| d.is_error()).count();
        errors += e;
        warnings += diagnostics.len() - e;
        let Some((model, analysis)) = compilation.valid() else {
            errln!("error: `{name}` has errors; nothing written for it");
            continue;
        };
        let view = match super::view::of(model, &args.view) {
            Ok(view) => view,
            Err(message) => {
                errln!("error: `{name}`: {message}; nothing written for it");
                io_failed = true;
                continue;
            }
        };
        let drawn = super::view::drawn(&view, model, analysis);
        let findings = crate::emit::findings::Findings::of(&compilation);
        let (files, warning) = outputs(model, analysis, drawn, &findings, &stem);
        if let Some(w) = warning {
            errln!("warning: {name}: {w}");
        }
        if !dir.as_os_str().is_empty() {
            if let Err(e) = std::fs::create_dir_all(&dir) {
                errln!("error: cannot create `{}`: {e}", dir.display());
                io_failed = true;
                continue;
            }
        }
        // All of a model's outputs or none of them.
        let set: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(ext, text)| (dir.join(format!("{stem}.{ext}")), text.as_bytes()))
            .collect();
        match write_set_atomic(&set) {
            Ok(()) => {
                let written: Vec<String> =
                    set.iter().map(|(p, _)| p.display().to_string()).collect();
                errln!("built {name}: {}", written.join(", "));
            }
            Err((out, e)) => {
                errln!(
                    "error: cannot write `{}`: {e}; nothing written for `{name}`",
                    out.display()
                );
                io_failed = true;
            }
        }
        if let Some((threshold, why)) = resolved.fail_on(args.fail_on.map(FailOn::threshold)) {
            failing.extend(
                failing_threats(model, &name, threshold, options.today)
                    .into_iter()
                    .map(|line| (threshold, why.clone(), line)),
            );
        }
    }
    say_failing(&failing);
    print::stderr(super::check::summary(checked, unreadable, errors, warnings));
    if io_failed {
        return status::USAGE;
    }
    if errors > 0 || config_failed || (args.deny.is_some() && warnings > 0) || !failing.is_empty() {
        return status::FAILED;
    }
    status::OK
}
