//! `tmd export`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output::same_file;
use super::{fail, read_input_limited, status, write_atomic, Color, InputLimits};
use crate::report::{self, FileReport};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The model file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Write the JSON here instead of stdout
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let input = match read_input_limited(&args.file, &args.limits) {
        Ok(input) => input,
        Err(e) => return fail(e),
    };
    let compilation = crate::compile(&input.text);
    let report = FileReport {
        name: &input.name,
        source: &compilation.source,
        diagnostics: &compilation.diagnostics,
    };
    if !compilation.diagnostics.is_empty() {
        eprint!(
            "{}",
            report::human(&report, args.color.enabled_for_stderr())
        );
    }
    let Some((model, analysis)) = compilation.valid() else {
        eprintln!("error: `{}` has errors; nothing exported", input.name);
        return ExitCode::from(status::FAILED);
    };
    let json = crate::emit::export::export(model, analysis);
    match args.output {
        Some(out) => {
            if input.path.as_deref().is_some_and(|p| same_file(p, &out)) {
                return fail(format!(
                    "refusing to write over the input file `{}`",
                    out.display()
                ));
            }
            if let Err(e) = write_atomic(&out, json.as_bytes()) {
                return fail(format!("cannot write `{}`: {e}", out.display()));
            }
        }
        None => print!("{json}"),
    }
    ExitCode::from(status::OK)
}
