//! `tmd table`: the threat table, in Markdown, CSV, JSON or HTML.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use super::pipeline::{compile_input, deliver, file_output};
use super::{fail, status, Color, InputLimits};
use crate::analysis::Analysis;
use crate::model::Model;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A GitHub-flavoured Markdown table
    Md,
    /// RFC 4180 CSV for spreadsheets and trackers
    Csv,
    /// JSON with `"schema_version": 2`
    Json,
    /// One self-contained HTML page with filters
    Html,
}

impl Format {
    /// The format an output file's extension names.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Md),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Rows are sorted by severity (high first), then by ID. Without --format, the format \
comes from the extension of -o (.md, .csv, .json, .html), else Markdown. See docs/reports.md for the columns."
)]
pub struct Args {
    /// The model file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Output format [default: from the extension of -o, else md]
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Write here (atomically) instead of stdout (`-`: stdout)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// CSV without the UTF-8 byte-order mark that spreadsheets need to read non-ASCII text
    #[arg(long)]
    pub no_bom: bool,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// The table in `format`.
pub fn render(model: &Model, analysis: &Analysis, format: Format, bom: bool) -> String {
    match format {
        Format::Md => crate::emit::markdown::table(model, analysis),
        Format::Csv => crate::emit::csv::table(model, analysis, bom),
        Format::Json => crate::emit::table::json(model, analysis),
        Format::Html => crate::emit::html::table(model, analysis),
    }
}

pub fn run(args: Args) -> ExitCode {
    let format = match (args.format, file_output(args.output.as_deref())) {
        (Some(f), _) => f,
        (None, None) => Format::Md,
        (None, Some(out)) => match Format::from_path(out) {
            Some(f) => f,
            None => {
                return fail(format!(
                    "cannot tell the format from `{}`: give --format md, csv, json or html",
                    out.display()
                ))
            }
        },
    };
    let (input, compilation) =
        match compile_input(&args.file, &args.limits, &args.config, args.color, "table") {
            Ok(x) => x,
            Err(code) => return code,
        };
    let Some((model, analysis)) = compilation.valid() else {
        return ExitCode::from(status::FAILED);
    };
    let text = render(model, analysis, format, !args.no_bom);
    deliver(&input, args.output.as_deref(), &text)
}
