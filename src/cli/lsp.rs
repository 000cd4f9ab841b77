//! `tmd lsp`: the language server on stdin and stdout (docs/lsp.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lsp_server::Connection;

use super::config::{ConfigArgs, Configs};
use super::print::errln;
use super::{status, InputLimits};
use crate::lsp::Host;
use crate::CompileOptions;

#[derive(clap::Args, Debug)]
#[command(
    after_long_help = "Speaks the Language Server Protocol on stdin and stdout, for editors \
(docs/lsp.md, docs/editors.md). Each model is checked with the tmd.toml of its project, as \
`tmd check` would; the server reads only the documents the editor opens and those tmd.toml files."
)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport
    #[arg(long)]
    pub stdio: bool,
}

/// Each model's configuration, read afresh at each compilation (a
/// tmd.toml edited meanwhile counts at once).
struct Project {
    /// The client's workspace folder, the project root when no `.git`
    /// marks one.
    root: Option<PathBuf>,
}

impl Host for Project {
    fn options(&mut self, path: Option<&Path>) -> (CompileOptions, Option<String>) {
        let mut configs = match Configs::new(&ConfigArgs::default(), &InputLimits::default()) {
            Ok(configs) => configs,
            Err(e) => return (CompileOptions::default(), Some(e)),
        };
        let Some(dir) = path.and_then(Path::parent) else {
            return match configs.for_dir(Path::new(""), None) {
                Ok(resolved) => (
                    CompileOptions {
                        today: resolved.today,
                        ..CompileOptions::default()
                    },
                    None,
                ),
                Err(_) => (CompileOptions::default(), None),
            };
        };
        match configs.for_dir(dir, self.root.as_deref()) {
            Ok(resolved) => (resolved.options(), None),
            Err(problem) => (
                CompileOptions {
                    today: configs.today(),
                    ..CompileOptions::default()
                },
                Some(problem.why()),
            ),
        }
    }
}

pub fn run(_args: Args) -> ExitCode {
    let (connection, io) = Connection::stdio();
    let init = match connection.initialize_start() {
        Ok((id, params)) => {
            if let Err(e) = connection.initialize_finish(id, crate::lsp::initialize_result()) {
                errln!("tmd lsp: {e}");
                return ExitCode::from(status::USAGE);
            }
            params
        }
        Err(e) => {
            errln!("tmd lsp: {e}");
            return ExitCode::from(status::USAGE);
        }
    };
    let root = init
        .get("rootUri")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .and_then(|uri| crate::lsp::uri_path(&uri));
    let mut project = Project { root };
    let result = crate::lsp::serve(&connection, &mut project, &init);
    drop(connection);
    let _ = io.join();
    match result {
        Ok(()) => ExitCode::from(status::OK),
        Err(e) => {
            errln!("tmd lsp: {e}");
            ExitCode::from(status::FAILED)
        }
    }
}
