//! `tmd export`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::pipeline::{compile_input, deliver};
use super::{status, Color, InputLimits};

/// What to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// tmd's own JSON: the model and its analysis (docs/json.md)
    #[default]
    Json,
    /// Open Threat Model 0.2.0 JSON, for IriusRisk and other OTM tools (docs/interop.md)
    Otm,
    /// The same Open Threat Model document in YAML
    OtmYaml,
    /// OWASP Threat Dragon version 2 JSON, drawn with tmd's own layout (docs/interop.md)
    ThreatDragon,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tmd export model.tmd -o model.json\n  \
    tmd export model.tmd --format otm -o model.otm.json   # Open Threat Model\n  \
    tmd export model.tmd --format otm-yaml -o model.otm.yaml\n  \
    tmd export model.tmd --format threat-dragon -o model.td.json   # OWASP Threat Dragon")]
pub struct Args {
    /// The model file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Write the export here instead of stdout (`-`: stdout)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// What to write
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
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
    let json = match args.format {
        Format::Json => crate::emit::export::export(model, analysis),
        Format::Otm => crate::emit::otm::otm(model),
        Format::OtmYaml => crate::emit::otm::otm_yaml(model),
        Format::ThreatDragon => crate::emit::threat_dragon::threat_dragon(model, analysis),
    };
    deliver(&input, args.output.as_deref(), &json)
}
