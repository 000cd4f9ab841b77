//! `tmd render`: the diagram as SVG, DOT or Mermaid. SVG comes from the built-in
//! renderer or from Graphviz's `dot` (run on our DOT, with a timeout).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::ValueEnum;

use super::pipeline::{check_not_input, compile_input, deliver, file_output};
use super::print::errln;
use super::{fail, status, Color, InputLimits};
use crate::analysis::Analysis;
use crate::model::Model;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An SVG picture
    Svg,
    /// Graphviz DOT source
    Dot,
    /// A Mermaid flowchart (GitHub renders it in Markdown)
    Mermaid,
}

/// Who lays out and draws the SVG.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// tmd's own layout and SVG renderer
    #[default]
    Builtin,
    /// Graphviz `dot` (must be installed), run on tmd's DOT output
    Dot,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    tmd render model.tmd -o model.svg\n  \
    tmd render model.tmd --format dot > model.dot\n  \
    tmd render model.tmd --format mermaid > model.mmd   # for a ```mermaid block on GitHub\n  \
    tmd render model.tmd --engine dot -o model.svg    # lay out with Graphviz\n  \
    tmd render model.tmd --focus api --depth 2 -o api.svg\n  \
    tmd render model.tmd --collapse cloud -o overview.svg")]
pub struct Args {
    /// The model file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Output format [default: from the extension of OUT (.svg, .dot, .gv, .mmd, .mermaid), else svg]
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,
    /// Write here instead of stdout (`-`: stdout)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Who lays out the SVG (DOT output is the same for both)
    #[arg(long, value_enum, default_value_t)]
    pub engine: Engine,
    /// Seconds to wait for Graphviz before giving up
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub view: super::view::ViewArgs,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

/// The format named by an output file's extension.
fn format_from_extension(path: &Path) -> Result<Option<Format>, String> {
    let Some(ext) = path.extension() else {
        return Ok(None);
    };
    match ext.to_string_lossy().to_ascii_lowercase().as_str() {
        "svg" => Ok(Some(Format::Svg)),
        "dot" | "gv" => Ok(Some(Format::Dot)),
        "mmd" | "mermaid" => Ok(Some(Format::Mermaid)),
        other => Err(format!(
            "cannot tell the format from the extension `.{other}` of `{}`; use --format svg, dot or mermaid",
            path.display()
        )),
    }
}

pub fn run(args: Args) -> ExitCode {
    let format = match (args.format, file_output(args.output.as_deref())) {
        (Some(f), _) => f,
        (None, Some(out)) => match format_from_extension(out) {
            Ok(f) => f.unwrap_or(Format::Svg),
            Err(message) => return fail(message),
        },
        (None, None) => Format::Svg,
    };
    let (input, compilation) = match compile_input(
        &args.file,
        &args.limits,
        &args.config,
        args.color,
        "diagram",
    ) {
        Ok(x) => x,
        Err(code) => return code,
    };
    // Refused before Graphviz is run for nothing.
    if let Err(code) = check_not_input(&input, args.output.as_deref()) {
        return code;
    }
    let Some((model, analysis)) = compilation.valid() else {
        return ExitCode::from(status::FAILED);
    };
    let view = match super::view::of(model, &args.view) {
        Ok(view) => view,
        Err(message) => return fail(message),
    };
    let (model, analysis) = super::view::drawn(&view, model, analysis);
    let rendered = match (format, args.engine) {
        (Format::Dot, _) => Ok(crate::emit::dot::dot(model, analysis)),
        (Format::Mermaid, _) => Ok(crate::emit::mermaid::mermaid(model, analysis)),
        (Format::Svg, Engine::Dot) => {
            graphviz_svg(model, analysis, Duration::from_secs(args.timeout.max(1)))
        }
        (Format::Svg, Engine::Builtin) => builtin_svg(model, analysis),
    };
    match rendered {
        Ok(text) => deliver(&input, args.output.as_deref(), &text),
        Err(message) => fail(message),
    }
}

/// The built-in renderer (pure Rust, no Graphviz). A warning is printed
/// when the model was too large for the full layout and a simpler one was
/// used.
fn builtin_svg(model: &Model, analysis: &Analysis) -> Result<String, String> {
    let rendered = crate::emit::svg::svg(model, analysis, &crate::emit::svg::SvgOptions::default());
    if let Some(warning) = rendered.warning {
        errln!("warning: {warning}");
    }
    Ok(rendered.svg)
}

/// Runs Graphviz `dot -Tsvg` on the model's DOT. Any warning from Graphviz
/// is an error: the picture would not be what the model says.
///
/// Graphviz 2.x has bugs in ranking clustered graphs (`trouble in
/// init_rank`, crashes, routing failures) that a few models hit; when the
/// first run fails that way, a second run with `newrank=true` (another
/// ranking algorithm, which draws boundaries less tidily) usually succeeds,
/// and is used, with a note. If it fails too, the first failure is shown.
fn graphviz_svg(model: &Model, analysis: &Analysis, timeout: Duration) -> Result<String, String> {
    let source = crate::emit::dot::dot(model, analysis).into_bytes();
    let deadline = Instant::now() + timeout;
    let first = match run_graphviz("dot", &["-Tsvg"], &source, deadline) {
        Ok(svg) => return Ok(svg),
        Err(
            e @ (GraphvizError::NotFound | GraphvizError::TimedOut { .. } | GraphvizError::Io(_)),
        ) => return Err(e.message(timeout)),
        Err(e) => e,
    };
    match run_graphviz("dot", &["-Tsvg", "-Gnewrank=true"], &source, deadline) {
        Ok(svg) => {
            let why = first.first_line();
            errln!(
                "note: Graphviz failed on its usual layout of this model ({why}); \
                 it was laid out again with newrank=true, which nests boundaries less tidily"
            );
            Ok(svg)
        }
        Err(GraphvizError::TimedOut { .. }) => Err(GraphvizError::TimedOut {
            program: "dot".into(),
        }
        .message(timeout)),
        Err(_) => Err(first.message(timeout)),
    }
}

/// How running Graphviz went wrong.
#[derive(Debug)]
pub enum GraphvizError {
    NotFound,
    Io(String),
    TimedOut {
        program: String,
    },
    /// A non-zero exit (or death by a signal), with its stderr.
    Failed {
        program: String,
        status: String,
        stderr: String,
    },
    /// Exit 0, but something on stderr.
    Warned {
        program: String,
        stderr: String,
    },
}

impl GraphvizError {
    /// The message for the user.
    pub fn message(&self, timeout: Duration) -> String {
        match self {
            GraphvizError::NotFound => {
                "Graphviz `dot` not found on PATH; install graphviz or use --engine builtin".into()
            }
            GraphvizError::Io(message) => message.clone(),
            GraphvizError::TimedOut { program } => format!(
                "Graphviz `{program}` did not finish within {} s and was stopped (see --timeout)",
                timeout.as_secs()
            ),
            GraphvizError::Failed {
                program,
                status,
                stderr,
            } => {
                let detail = if stderr.is_empty() {
                    String::new()
                } else {
                    format!(":\n{stderr}")
                };
                format!("Graphviz `{program}` failed ({status}); nothing written{detail}")
            }
            GraphvizError::Warned { program, stderr } => {
                format!("Graphviz `{program}` printed warnings; nothing written:\n{stderr}")
            }
        }
    }

    /// The first line of Graphviz's complaint, for a short note.
    fn first_line(&self) -> String {
        match self {
            GraphvizError::Failed { stderr, status, .. } => stderr
                .lines()
                .next()
                .map_or_else(|| status.clone(), str::to_string),
            GraphvizError::Warned { stderr, .. } => {
                stderr.lines().next().unwrap_or_default().to_string()
            }
            other => format!("{other:?}"),
        }
    }
}

/// Runs `program args`, feeding `input` on stdin, and returns its stdout.
/// Fails on a missing program, a non-zero exit, any stderr output, output
/// that is not UTF-8, or `deadline` passing (the child is then killed).
pub fn run_graphviz(
    program: &str,
    args: &[&str],
    input: &[u8],
    deadline: Instant,
) -> Result<String, GraphvizError> {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(GraphvizError::NotFound),
        Err(e) => {
            return Err(GraphvizError::Io(format!(
                "cannot run Graphviz `{program}`: {e}"
            )))
        }
    };
    // Feed and drain on threads so that a full pipe cannot block us.
    let stdin = child.stdin.take();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A child that exits early closes the pipe; its status says why.
            let _ = stdin.write_all(&input);
        }
    });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let exit = loop {
        match child.try_wait() {
            Ok(Some(exit)) => break exit,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(GraphvizError::TimedOut {
                    program: program.to_string(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(GraphvizError::Io(format!(
                    "cannot wait for Graphviz `{program}`: {e}"
                )));
            }
        }
    };
    let _ = feeder.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr).trim_end().to_string();
    if !exit.success() {
        return Err(GraphvizError::Failed {
            program: program.to_string(),
            status: exit.to_string(),
            stderr,
        });
    }
    if !stderr.is_empty() {
        return Err(GraphvizError::Warned {
            program: program.to_string(),
            stderr,
        });
    }
    String::from_utf8(stdout).map_err(|_| {
        GraphvizError::Io(format!(
            "Graphviz `{program}` wrote output that is not UTF-8"
        ))
    })
}
