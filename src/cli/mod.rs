//! The command line: argument parsing and one function per subcommand.
//! Exit status: 0 clean (warnings allowed), 1 an error in a model (or a
//! warning with `--deny warnings`), 2 a usage or I/O problem. Everything
//! printed goes through `print.rs`: a closed stdout ends the job quietly,
//! with the status the work gives.

mod build;
mod changes;
mod check;
mod config;
mod diff;
mod diff_comment;
mod explain;
mod export;
mod fmt;
mod import;
mod input;
mod lsp;
mod md;
mod mdbook;
mod output;
mod pipeline;
mod print;
mod project;
mod render;
mod report;
mod serve;
mod suggest;
mod table;
mod view;
mod watch;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, ValueEnum};

pub use input::{read_input, read_input_limited, Input, InputError, InputLimits};
pub use mdbook::main as mdbook_main;
pub use output::write_atomic;

#[derive(Parser, Debug)]
#[command(
    name = "tmd",
    version,
    about = "Threat models as code: check, draw and report .tmd threat models",
    long_about = "tmd reads threat models written as text (.tmd files: a data-flow diagram with trust \
boundaries, plus the threats found in it), checks them, and turns them into diagrams and reports.",
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `tmd completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    shell: clap_complete::Shell,
}

/// A subcommand's clap command: its arguments built by `arguments` now,
/// or when clap first needs them if `defer`. A subcommand with
/// subcommands of its own is not deferred: clap's `help` subcommand lists
/// them before any deferred part is built.
fn subcommand(
    name: &'static str,
    about: &'static str,
    defer: bool,
    arguments: fn(clap::Command) -> clap::Command,
) -> clap::Command {
    let command = clap::Command::new(name);
    if defer {
        command.about(about).long_about(None).defer(arguments)
    } else {
        arguments(command)
    }
}

/// Defines [`Command`] and implements clap's traits for it, from one row
/// per subcommand: variant(arguments) = name, the one-line help, whether
/// its arguments wait until they are needed.
macro_rules! subcommands {
    ($($variant:ident($args:ty) = $name:literal, $about:literal, $defer:literal;)*) => {
        /// A subcommand and its arguments.
        ///
        /// Written out rather than derived: clap's derive builds every
        /// subcommand's arguments at every start, although one run uses
        /// one. Here each subcommand's arguments are built when clap first
        /// needs them ([`clap::Command::defer`]): when that subcommand is
        /// run or its help is shown, or for the whole tree (completions,
        /// `tests/cli.rs`). What a user sees is the same as the derive's
        /// (help, errors and completions were compared byte for byte when
        /// this was written).
        #[derive(Debug)]
        pub enum Command {
            $(#[doc = $about] $variant($args),)*
        }

        impl clap::Subcommand for Command {
            fn augment_subcommands(cmd: clap::Command) -> clap::Command {
                cmd$(.subcommand(subcommand(
                    $name,
                    $about,
                    $defer,
                    |c| <$args as clap::Args>::augment_args(c).about($about).long_about(None),
                )))*
            }

            fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
                cmd$(.subcommand(subcommand(
                    $name,
                    $about,
                    $defer,
                    |c| {
                        <$args as clap::Args>::augment_args_for_update(c)
                            .about($about)
                            .long_about(None)
                    },
                )))*
            }

            fn has_subcommand(name: &str) -> bool {
                matches!(name, $($name)|*)
            }
        }

        impl clap::FromArgMatches for Command {
            fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
                Self::from_arg_matches_mut(&mut matches.clone())
            }

            fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
                match matches.remove_subcommand() {
                    $(Some((name, mut sub)) if name == $name => Ok(Command::$variant(
                        <$args as clap::FromArgMatches>::from_arg_matches_mut(&mut sub)?,
                    )),)*
                    Some((name, _)) => Err(clap::Error::raw(
                        clap::error::ErrorKind::InvalidSubcommand,
                        format!("the subcommand '{name}' wasn't recognized"),
                    )),
                    None => Err(clap::Error::raw(
                        clap::error::ErrorKind::MissingSubcommand,
                        "a subcommand is required but one was not provided",
                    )),
                }
            }

            fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches(matches)?;
                Ok(())
            }
        }
    };
}

subcommands! {
    Build(build::Args) = "build", "Build every output of each model (SVG, DOT, Markdown and HTML reports, JSON, CSV)", true;
    Check(check::Args) = "check", "Check models and report errors and warnings", true;
    Explain(explain::Args) = "explain", "Print the documentation of a diagnostic code", true;
    Export(export::Args) = "export", "Print the resolved model and its analysis as JSON, or as an OTM document", true;
    Import(import::Args) = "import", "Write a model of another tool (OTM) as a tmd model", true;
    Diff(diff::Args) = "diff", "Compare two versions of a model: what changed in the system's exposure", true;
    Fmt(fmt::Args) = "fmt", "Format models in the canonical layout (or check that they are)", true;
    Suggest(suggest::Args) = "suggest", "Suggest the threats the rule library proposes that the model does not cover", true;
    Table(table::Args) = "table", "Print the threat table (Markdown, CSV, JSON or HTML)", true;
    Report(report::Args) = "report", "Print the threat assessment report (Markdown or HTML)", true;
    Render(render::Args) = "render", "Draw the data-flow diagram as SVG or Graphviz DOT", true;
    Watch(watch::Args) = "watch", "Build every output of each model again whenever it (or its tmd.toml) changes", true;
    Serve(serve::Args) = "serve", "Serve the HTML report on 127.0.0.1, reloaded live when the model changes", true;
    Lsp(lsp::Args) = "lsp", "Language server for editors (Language Server Protocol on stdio)", true;
    Md(md::Args) = "md", "Render the ```tmd fences of Markdown pages (diagram and threat table)", true;
    Mdbook(mdbook::Args) = "mdbook", "mdBook preprocessor: render ```tmd fences in a book (see docs/docs-builds.md)", false;
    Completions(CompletionsArgs) = "completions", "Print a shell completion script", true;
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set
    #[default]
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn enabled_for_stderr(self) -> bool {
        self.enabled(print::stderr_is_terminal())
    }

    pub fn enabled_for_stdout(self) -> bool {
        self.enabled(print::stdout_is_terminal())
    }

    fn enabled(self, terminal: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => no_color_unset() && terminal,
        }
    }
}

/// The width to wrap diagnostics at on standard error.
pub fn stderr_width() -> usize {
    print::stderr_width()
}

/// Whether NO_COLOR is unset (or empty).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Exit statuses.
pub mod status {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// Prints a usage or I/O problem and gives exit status 2.
pub fn fail(message: impl std::fmt::Display) -> ExitCode {
    print::errln!("error: {message}");
    ExitCode::from(status::USAGE)
}

/// Prints `text` on stdout (see `print.rs`: a closed stdout is not an
/// error); the exit code to give when that fails.
pub(crate) fn print_stdout(text: impl AsRef<[u8]>) -> Result<(), ExitCode> {
    print::stdout(text).map_err(fail)
}

/// `1 file`, `2 files`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Prints clap's answer to bad arguments (on stderr, exit 2), `--help` or
/// `--version` (on stdout, exit 0), in colour on a terminal unless
/// NO_COLOR is set.
pub(crate) fn argument_error(e: clap::Error) -> ExitCode {
    let text = e.render();
    let styled = |terminal: bool| {
        if no_color_unset() && terminal {
            text.ansi().to_string()
        } else {
            text.to_string()
        }
    };
    if e.use_stderr() {
        print::stderr(styled(print::stderr_is_terminal()));
        return ExitCode::from(status::USAGE);
    }
    match print_stdout(styled(print::stdout_is_terminal())) {
        Ok(()) => ExitCode::from(status::OK),
        Err(code) => code,
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return argument_error(e),
    };
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Table(args) => table::run(args),
        Command::Report(args) => report::run(args),
        Command::Render(args) => render::run(args),
        Command::Md(args) => md::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Mdbook(args) => mdbook::run(args),
        Command::Completions(CompletionsArgs { shell }) => {
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "tmd", &mut script);
            match print_stdout(script) {
                Ok(()) => ExitCode::from(status::OK),
                Err(code) => code,
            }
        }
    }
}
