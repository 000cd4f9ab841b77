//! `tmd watch`: `tmd build` again whenever a model or its `tmd.toml`
//! changes (docs/editors.md, "Live preview").

use std::path::PathBuf;
use std::process::ExitCode;

use super::build;
use super::changes::Watcher;
use super::config::ConfigArgs;
use super::print::errln;
use super::{status, Color, InputLimits};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Builds every model as `tmd build` does, then again each time a model or a tmd.toml \
that applies to it changes (checked every 100 ms; a change is built once the files have been quiet for \
150 ms). A model with errors gets its diagnostics printed and keeps the outputs of its last good \
build. Runs until interrupted (Ctrl-C); outputs are written atomically, so an interruption never \
leaves half a file."
)]
pub struct Args {
    /// Model files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write the outputs into this folder (created if missing) instead of next to each model
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    /// Which part of each diagram to draw, as in `tmd build`
    #[command(flatten, next_help_heading = "Diagram view")]
    pub view: super::view::ViewArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let build_args = build::Args {
        files: args.files.clone(),
        output: args.output.clone(),
        fail_on: None,
        deny: None,
        color: args.color,
        view: args.view.clone(),
        config: args.config.clone(),
        limits: args.limits,
    };
    let mut watcher = Watcher::new(&args.files, &args.config);
    let mut round = 0u64;
    loop {
        round += 1;
        let outcome = build::build(&build_args);
        if outcome == status::USAGE && round == 1 {
            // Nothing can be built as asked (an output over an input, two
            // models with one name): watching would not change that.
            return ExitCode::from(status::USAGE);
        }
        if outcome == status::OK {
            errln!("tmd watch: built (round {round}); watching for changes, Ctrl-C to stop");
        } else {
            errln!(
                "tmd watch: the build reported problems (above); a model with errors keeps the outputs of its last good build; watching for changes"
            );
        }
        watcher.wait();
    }
}
