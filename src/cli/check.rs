//! `tmd check`.

use std::process::ExitCode;

use clap::ValueEnum;

use super::{fail, read_input_limited, status, Color, InputLimits};
use crate::report::{self, FileReport};

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
    #[arg(long, value_enum, default_value_t)]
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
    let mut inputs = Vec::new();
    for file in &args.files {
        match read_input_limited(file, &args.limits) {
            Ok(input) => inputs.push(input),
            Err(e) => return fail(e),
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
    match args.format {
        Format::Human => {
            let color = args.color.enabled_for_stderr();
            let mut out = String::new();
            for report in &reports {
                out.push_str(&report::human(report, color, super::stderr_width()));
            }
            out.push_str(&summary(inputs.len(), errors, warnings));
            eprint!("{out}");
        }
        Format::Short => {
            let mut out = String::new();
            for report in &reports {
                out.push_str(&report::short(report));
            }
            print!("{out}");
        }
        Format::Json => print!("{}", report::json(&reports, inputs.len())),
        Format::Sarif => print!("{}", report::sarif(&reports)),
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

pub fn summary(files: usize, errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 {
        format!("checked {}: no problems\n", super::plural(files, "file"))
    } else {
        format!(
            "checked {}: {}, {}\n",
            super::plural(files, "file"),
            super::plural(errors, "error"),
            super::plural(warnings, "warning")
        )
    }
}
