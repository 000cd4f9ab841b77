//! `tmd check`.

use std::process::ExitCode;

use clap::ValueEnum;

use super::print::{self, errln};
use super::{print_stdout, read_input_limited, status, Color, InputLimits};
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit 1 when there is any warning
    Warnings,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Model files to check (`-` reads stdin)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// How to print diagnostics
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// Treat warnings as errors for the exit status
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// When to use colour in human output
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    // Every file that can be read is checked; one that cannot is reported
    // beside the others' diagnostics (and in the JSON and SARIF logs), and
    // the exit status is 2.
    let mut inputs = Vec::new();
    let mut unreadable = Vec::new();
    for file in &args.files {
        match read_input_limited(file, &args.limits) {
            Ok(input) => inputs.push(input),
            Err(e) => unreadable.push(Unreadable {
                file: e.name().to_string(),
                message: e.to_string(),
            }),
        }
    }
    let compilations: Vec<_> = inputs.iter().map(|i| crate::compile(&i.text)).collect();
    let reports: Vec<FileReport<'_>> = inputs
        .iter()
        .zip(&compilations)
        .map(|(input, c)| FileReport {
            name: &input.name,
            source: &c.source,
            diagnostics: &c.diagnostics,
        })
        .collect();
    let errors: usize = compilations
        .iter()
        .map(|c| c.diagnostics.len() - c.warning_count())
        .sum();
    let warnings: usize = compilations.iter().map(|c| c.warning_count()).sum();
    // Read errors on stderr in every format: the machine formats hold them
    // too, but a person running `--format json` in a terminal sees them.
    let say_unreadable = || {
        for u in &unreadable {
            errln!("error: {}", u.message);
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
            print::stderr(summary(inputs.len(), unreadable.len(), errors, warnings));
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
            print_stdout(report::json_with_unreadable(
                &reports,
                inputs.len(),
                &unreadable,
            ))
        }
        Format::Sarif => {
            say_unreadable();
            print_stdout(report::sarif_with_unreadable(&reports, &unreadable))
        }
    };
    if let Err(code) = printed {
        return code;
    }
    if !unreadable.is_empty() {
        return ExitCode::from(status::USAGE);
    }
    exit_status(errors, warnings, args.deny.is_some())
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
