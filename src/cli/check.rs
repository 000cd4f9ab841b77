//! `tmd check`.

use std::process::ExitCode;

use clap::ValueEnum;

use std::path::{Path, PathBuf};

use super::config::{ConfigArgs, Configs, Flags, Problem};
use super::print::{self, errln};
use super::{fail, print_stdout, read_input_limited, status, Color, Input, InputLimits};
use crate::model::Severity;
use crate::report::{self, FileReport, Unreadable};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with labels and hints (on stderr)
    #[default]
    Human,
    /// `file:line:col: severity[CODE]: message`, one a line (on stdout)
    Short,
    /// One JSON object (on stdout)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (on stdout; docs/review.md)
    Sarif,
    /// GitLab Code Quality report, for merge requests (on stdout; docs/review.md)
    Gitlab,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit 1 when there is any warning
    Warnings,
}

/// The lowest severity band of an open, in-scope threat that fails the
/// check (`--fail-on`, or `fail_on` in tmd.toml).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    High,
    Medium,
    Low,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Each model is checked with the project configuration found for it: the nearest tmd.toml in \
its folder or above, up to the project root (the folder holding .git), or --config FILE, or none \
(--no-config); --show-config prints it, and where each value came from (docs/config.md). Exit status: \
0 clean, 1 an error in a model or its configuration (or a denied warning, or an open threat at or \
above --fail-on), 2 a usage or I/O problem."
)]
pub struct Args {
    /// Model files to check (`-` reads stdin)
    #[arg(required_unless_present = "show_config", value_name = "FILE")]
    pub files: Vec<String>,
    /// How to print diagnostics
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// Treat warnings as errors for the exit status
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// Also exit 1 when an open, in-scope threat at or above this severity exists [default: fail_on in tmd.toml]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Print the configuration in force for each model, and where each value came from, instead of checking
    #[arg(long, help_heading = "Configuration")]
    pub show_config: bool,
    /// When to use colour in human output
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// One model checked: its input, its compilation (diagnostics with the
/// denied warnings raised to errors).
struct Checked {
    input: Input,
    compilation: crate::Compilation,
}

pub fn run(args: Args) -> ExitCode {
    let mut configs = match Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return fail(e),
    };
    if args.show_config {
        return show_config(&args, &mut configs);
    }
    // Every file that can be read is checked; one that cannot is reported
    // beside the others' diagnostics (and in the JSON and SARIF logs), and
    // the exit status is 2. So is a model whose configuration cannot be
    // read; one whose configuration has errors is not checked, and those
    // errors are reported as the configuration file's.
    let mut checked: Vec<Checked> = Vec::new();
    let mut unreadable = Vec::new();
    // Reports in order: each configuration with errors just before the
    // first model it governs.
    enum Slot {
        Config(std::rc::Rc<super::config::ConfigFile>),
        Model(usize),
    }
    let mut slots: Vec<Slot> = Vec::new();
    let mut not_checked: Vec<String> = Vec::new();
    let mut failing = Vec::new();
    let mut config_errors = false;
    for file in &args.files {
        let input = match read_input_limited(file, &args.limits) {
            Ok(input) => input,
            Err(e) => {
                unreadable.push(Unreadable {
                    file: e.name().to_string(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let resolved = match configs.for_input(&input) {
            Ok(resolved) => resolved,
            Err(problem) => {
                let name = crate::emit::text::visible(&input.name).into_owned();
                not_checked.push(format!("`{name}` not checked: {}", problem.why()));
                match &problem {
                    Problem::Invalid(file) => {
                        config_errors = true;
                        if !configs.said(&problem) {
                            configs.mark_said(&problem);
                            slots.push(Slot::Config(file.clone()));
                        }
                    }
                    Problem::Unreadable(message) => {
                        if !configs.said(&problem) {
                            configs.mark_said(&problem);
                            unreadable.push(Unreadable {
                                file: input.name.clone(),
                                message: message.clone(),
                            });
                        }
                    }
                }
                continue;
            }
        };
        let options = resolved.options();
        let mut compilation = crate::compile_with(&input.text, &options);
        // Threats at or above the model's threshold (only of a model
        // without errors, as `tmd build`; a denied warning is not one).
        if let (Some((threshold, why)), Some((model, _))) = (
            resolved.fail_on(args.fail_on.map(FailOn::threshold)),
            compilation.valid(),
        ) {
            failing.extend(
                failing_threats(model, &input.name, threshold, options.today)
                    .into_iter()
                    .map(|line| (threshold, why.clone(), line)),
            );
        }
        resolved.deny(&mut compilation.diagnostics);
        slots.push(Slot::Model(checked.len()));
        checked.push(Checked { input, compilation });
    }
    let reports: Vec<FileReport<'_>> = slots
        .iter()
        .flat_map(|slot| match slot {
            // A tmd.toml with errors, then the project rule files with
            // errors (TMD016) it names.
            Slot::Config(file) => std::iter::once(file.report())
                .chain(file.rule_errors.iter().map(|r| FileReport {
                    name: &r.shown,
                    source: &r.text,
                    diagnostics: &r.diagnostics,
                }))
                .collect::<Vec<_>>(),
            Slot::Model(i) => checked
                .get(*i)
                .map(|c| FileReport {
                    name: &c.input.name,
                    source: &c.compilation.source,
                    diagnostics: &c.compilation.diagnostics,
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let errors: usize = reports
        .iter()
        .map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count())
        .sum();
    let warnings: usize = reports
        .iter()
        .map(|r| r.diagnostics.iter().filter(|d| !d.is_error()).count())
        .sum();
    let files = checked.len() + not_checked.len();
    // Read errors on stderr in every format: the machine formats hold them
    // too, but a person running `--format json` in a terminal sees them.
    let say_unreadable = || {
        for u in &unreadable {
            errln!("error: {}", u.message);
        }
        for line in &not_checked {
            errln!("error: {line}");
        }
    };
    let printed = match args.format {
        Format::Human => {
            let color = args.color.enabled_for_stderr();
            let mut out = String::new();
            for report in &reports {
                out.push_str(&report::human(report, color, super::stderr_width()));
            }
            print::stderr(out);
            say_unreadable();
            Ok(())
        }
        Format::Short => {
            let mut out = String::new();
            for report in &reports {
                out.push_str(&report::short(report));
            }
            say_unreadable();
            print_stdout(out)
        }
        Format::Json => {
            say_unreadable();
            print_stdout(report::json_with_unreadable(&reports, files, &unreadable))
        }
        Format::Sarif => {
            say_unreadable();
            print_stdout(report::sarif_with_unreadable(&reports, &unreadable))
        }
        Format::Gitlab => {
            say_unreadable();
            print_stdout(report::gitlab(&reports, &unreadable, &repository_path))
        }
    };
    say_failing(&failing);
    if args.format == Format::Human {
        print::stderr(summary(files, unreadable.len(), errors, warnings));
    }
    if let Err(code) = printed {
        return code;
    }
    if !unreadable.is_empty() {
        return ExitCode::from(status::USAGE);
    }
    if config_errors || !failing.is_empty() {
        return ExitCode::from(status::FAILED);
    }
    exit_status(errors, warnings, args.deny.is_some())
}

/// A file named on the command line as GitLab knows it: relative to the
/// root of its git repository (the nearest folder at or above the file
/// that holds `.git`), with forward slashes; `tmd check --format gitlab`
/// run in `docs/` on `a.tmd` says `docs/a.tmd`. Only `.git` is looked
/// for, nothing is read. The name as given for standard input and for a
/// file in no repository.
fn repository_path(name: &str) -> String {
    if name == "-" || name == "<stdin>" {
        return name.to_string();
    }
    let Ok(cwd) = std::env::current_dir() else {
        return name.to_string();
    };
    let mut absolute = PathBuf::new();
    for part in cwd.join(name).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    for root in absolute.ancestors().skip(1) {
        if std::fs::symlink_metadata(root.join(".git")).is_ok() {
            if let Ok(relative) = absolute.strip_prefix(root) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                return parts.join("/");
            }
        }
    }
    name.to_string()
}

/// `--show-config`: the configuration of each model named (of the current
/// folder when none is), without checking anything.
fn show_config(args: &Args, configs: &mut Configs) -> ExitCode {
    let color = args.color.enabled_for_stderr();
    let mut models: Vec<(String, super::config::Resolved)> = Vec::new();
    let mut worst = status::OK;
    // (name, where to search from) for each model; the models themselves
    // are not read: only where they are matters.
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    if args.files.is_empty() {
        wanted.push(("(the current folder)".to_string(), PathBuf::new()));
    }
    for file in &args.files {
        if file == "-" {
            wanted.push(("<stdin>".to_string(), PathBuf::new()));
        } else {
            let dir = Path::new(file)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            wanted.push((file.clone(), dir));
        }
    }
    for (name, dir) in wanted {
        match configs.for_dir(&dir, None) {
            Ok(resolved) => models.push((name, resolved)),
            Err(problem) => {
                configs.say(&problem, color);
                errln!(
                    "error: no configuration for `{}`: {}",
                    crate::emit::text::visible(&name),
                    problem.why()
                );
                worst = worst.max(problem.status());
            }
        }
    }
    let flags = Flags {
        fail_on: args.fail_on.map(FailOn::threshold),
        deny_warnings: args.deny.is_some(),
    };
    let text = match args.format {
        Format::Json => super::config::show_json(&models, &flags),
        _ => super::config::show_text(&models, &flags),
    };
    if let Err(code) = print_stdout(text) {
        return code;
    }
    ExitCode::from(worst)
}

/// One line for each open, in-scope threat of `model` at or above
/// `threshold`: `name: T1 "Title" (high) on api`.
/// A threat's severity for the `--fail-on` list: its word, and its band
/// when the word is not the band's (`critical, band high`).
fn severity_text(model: &crate::model::Model, threat: &crate::model::Threat) -> String {
    let word = crate::emit::text::visible(model.scale.word(threat.grade)).into_owned();
    if word == threat.severity.as_str() {
        word
    } else {
        format!("{word}, band {}", threat.severity)
    }
}

pub fn failing_threats(
    model: &crate::model::Model,
    name: &str,
    threshold: Severity,
    today: Option<crate::model::Date>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for id in model.threat_ids() {
        let threat = &model[id];
        // An acceptance past its `expires` date is open again here (and
        // only here: emitters never read the date).
        if model.counts_as_open_on(id, today) && threat.severity >= threshold {
            let on: Vec<&str> = threat
                .targets
                .iter()
                .map(|&t| model.target_name(t))
                .collect();
            let on = if on.is_empty() {
                "no target yet".to_string()
            } else {
                format!("on {}", on.join(", "))
            };
            lines.push(format!(
                "{name}: {} \"{}\" ({}) {on}",
                threat.name,
                crate::emit::text::visible(&threat.title),
                severity_text(model, threat),
            ));
        }
    }
    lines
}

/// Says which threats fail the check, grouped by threshold and where it
/// came from (`--fail-on`, or `fail_on` in a tmd.toml).
pub fn say_failing(failing: &[(Severity, String, String)]) {
    let mut groups: Vec<(Severity, &str, Vec<&str>)> = Vec::new();
    for (threshold, why, line) in failing {
        match groups
            .iter_mut()
            .find(|(t, w, _)| t == threshold && *w == why.as_str())
        {
            Some((_, _, lines)) => lines.push(line),
            None => groups.push((*threshold, why, vec![line])),
        }
    }
    for (threshold, why, lines) in groups {
        errln!(
            "error: {} open threat(s) at or above `{threshold}` ({why}):",
            lines.len()
        );
        for line in lines {
            errln!("  {line}");
        }
    }
}

pub fn exit_status(errors: usize, warnings: usize, deny_warnings: bool) -> ExitCode {
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(status::FAILED)
    } else {
        ExitCode::from(status::OK)
    }
}

/// The last line of `check` and `build`: `checked 2 files: no problems`,
/// or the counts, and the files that could not be read (never "no
/// problems" then).
pub fn summary(files: usize, unreadable: usize, errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 && unreadable == 0 {
        return format!("checked {}: no problems\n", super::plural(files, "file"));
    }
    let mut line = format!(
        "checked {}: {}, {}",
        super::plural(files, "file"),
        super::plural(errors, "error"),
        super::plural(warnings, "warning")
    );
    if unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            super::plural(unreadable, "file")
        ));
    }
    line.push('\n');
    line
}
