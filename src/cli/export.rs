//! `tmd export`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::pipeline::{compile_input, deliver};
use super::{status, Color, InputLimits};

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
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let (input, compilation) =
        match compile_input(&args.file, &args.limits, &args.config, args.color, "export") {
            Ok(x) => x,
            Err(code) => return code,
        };
    let Some((model, analysis)) = compilation.valid() else {
        return ExitCode::from(status::FAILED);
    };
    let json = crate::emit::export::export(model, analysis);
    deliver(&input, args.output.as_deref(), &json)
}
