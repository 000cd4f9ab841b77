//! `tmd watch`: `tmd build` again whenever a model or its `tmd.toml`
//! changes (docs/editors.md, "Live preview").

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use super::build;
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
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// How often the files are looked at, and how long they must stay as they
/// are before a build.
const POLL: Duration = Duration::from_millis(100);
const QUIET: Duration = Duration::from_millis(150);

/// What is known of one watched file: its modification time and length
/// (none when it does not exist).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The files whose change means a rebuild: each model, and every
/// `tmd.toml` that could apply to it (its folder and those above it, up to
/// the project root: the nearest folder holding `.git`).
fn watched(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files.to_vec();
    for file in files {
        let dir = file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(start) = std::fs::canonicalize(dir) else {
            continue;
        };
        for folder in start.ancestors() {
            out.push(folder.join(crate::config::FILE_NAME));
            if folder.join(".git").exists() {
                break;
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn stamps(paths: &[PathBuf]) -> Vec<Stamp> {
    paths.iter().map(|p| stamp(p)).collect()
}

pub fn run(args: Args) -> ExitCode {
    let build_args = build::Args {
        files: args.files.clone(),
        output: args.output.clone(),
        fail_on: None,
        deny: None,
        color: args.color,
        config: args.config.clone(),
        limits: args.limits,
    };
    let paths = watched(&args.files);
    let mut seen = stamps(&paths);
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
        // Wait for a change, then for the files to be quiet.
        loop {
            std::thread::sleep(POLL);
            let now = stamps(&paths);
            if now != seen {
                seen = now;
                break;
            }
        }
        loop {
            std::thread::sleep(QUIET);
            let now = stamps(&paths);
            if now == seen {
                break;
            }
            seen = now;
        }
    }
}
