//! `tmd import FORMAT FILE [-o OUT.tmd]`: a model from another tool as a
//! formatted tmd file (docs/interop.md). The importer is pure
//! (`crate::import`); here the source is read (through the size limit),
//! the result written atomically (never a partial file: nothing is
//! written when the import fails), and the summary printed on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::input::read_input_limited;
use super::pipeline::deliver;
use super::print::errln;
use super::{fail, status, InputLimits};

/// The formats `tmd import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Open Threat Model (OTM 0.1/0.2, JSON or YAML), e.g. from IriusRisk or `tmd export --format otm`
    Otm,
    /// OWASP Threat Dragon version 2 JSON (boundaries nest by their drawn boxes)
    ThreatDragon,
    /// Threagile YAML (threagile_version 1.x): assets, boundaries, links, individual risks
    Threagile,
    /// Graphviz DOT data-flow diagrams (pytm's --dfd output, hand-drawn DFDs): clusters are boundaries, shapes give kinds
    Dot,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Otm => "OTM",
            Format::ThreatDragon => "a Threat Dragon model",
            Format::Threagile => "a Threagile model",
            Format::Dot => "Graphviz DOT",
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tmd import otm model.otm.json -o model.tmd\n  \
    tmd import otm model.otm.json > model.tmd\n  \
    tmd import threat-dragon model.json -o model.tmd\n  \
    tmd import threagile threagile.yaml -o model.tmd\n  \
    tmd import dot dfd.dot --shape hexagon=store -o model.tmd\n\n\
    The model is written in tmd fmt's layout, with a comment naming its source; \
    facts kept as x_ keys and facts dropped are summarised on stderr.")]
pub struct Args {
    /// The format of FILE
    #[arg(value_enum, value_name = "FORMAT")]
    pub from: Format,
    /// The source file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Write the model here instead of stdout (`-`: stdout)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// DOT only: read nodes of SHAPE as KIND (external, process or store), before the built-in table; repeatable
    #[arg(long = "shape", value_name = "SHAPE=KIND")]
    pub shapes: Vec<String>,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let input = match read_input_limited(&args.file, &args.limits) {
        Ok(input) => input,
        Err(e) => return fail(e),
    };
    let source_name = input
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(|| input.name.clone(), |n| n.to_string_lossy().into_owned());
    let imported = match args.from {
        Format::Otm => crate::import::otm::import(&input.text, &source_name),
        Format::ThreatDragon => crate::import::threat_dragon::import(&input.text, &source_name),
        Format::Threagile => crate::import::threagile::import(&input.text, &source_name),
        Format::Dot => {
            let mut options = crate::import::dot::Options::default();
            for s in &args.shapes {
                match s.split_once('=') {
                    Some((shape, kind)) if !shape.trim().is_empty() => options
                        .shapes
                        .push((shape.trim().to_string(), kind.trim().to_string())),
                    _ => {
                        errln!("error: --shape takes SHAPE=KIND (e.g. --shape hexagon=store), not `{s}`");
                        return ExitCode::from(status::FAILED);
                    }
                }
            }
            crate::import::dot::import(&input.text, &source_name, &options)
        }
    };
    if !args.shapes.is_empty() && args.from != Format::Dot {
        errln!("error: --shape is for `tmd import dot` only");
        return ExitCode::from(status::FAILED);
    }
    let imported = match imported {
        Ok(imported) => imported,
        Err(e) => {
            errln!(
                "error: cannot import `{}` as {} {e}",
                input.name,
                args.from.name()
            );
            return ExitCode::from(status::FAILED);
        }
    };
    let dropped = if imported.dropped.is_empty() {
        "dropped nothing".to_string()
    } else {
        format!(
            "dropped {} kind{} of fact: {}",
            imported.dropped.len(),
            if imported.dropped.len() == 1 { "" } else { "s" },
            imported.dropped.join("; ")
        )
    };
    errln!(
        "imported `{}`: kept {} fact{} as x_ keys, {dropped}",
        input.name,
        imported.kept,
        if imported.kept == 1 { "" } else { "s" }
    );
    deliver(&input, args.output.as_deref(), &imported.text)
}
