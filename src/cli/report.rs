//! `tmd report`: the threat assessment report, in Markdown or HTML.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::pipeline::{compile_input, deliver, file_output};
use super::print::errln;
use super::{fail, status, Color, InputLimits};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained HTML page: filters, dark mode, print style
    Html,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "The report holds the header (title, scope, author, dates), summary counts by severity \
and status, the severity matrix, the boundary crossings, the reversed-initiator flows, the threat table, and a \
section per element, per boundary and per flow with threats (its flows, threats and STRIDE coverage), and the \
model's warnings. Without --format, the format comes from the extension of -o (.md, .html), else Markdown. The \
HTML report holds the diagram inline; the Markdown report links the image that --diagram names (render it with \
`tmd render`), or says that it is not included (`tmd build` writes the diagram beside the report and links it). \
See docs/reports.md."
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
    /// Markdown only: link this diagram image (a path or URL relative to
    /// the report, written into the link percent-encoded; never read)
    #[arg(long, value_name = "PATH")]
    pub diagram: Option<String>,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    /// HTML only: which part of the diagram to draw (the report's tables keep the whole model)
    #[command(flatten, next_help_heading = "Diagram view (HTML)")]
    pub view: super::view::ViewArgs,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    let format = match (args.format, file_output(args.output.as_deref())) {
        (Some(f), _) => f,
        (None, None) => Format::Md,
        (None, Some(out)) => {
            let ext = out
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("md" | "markdown") => Format::Md,
                Some("html" | "htm") => Format::Html,
                _ => {
                    return fail(format!(
                        "cannot tell the format from `{}`: give --format md or html",
                        out.display()
                    ))
                }
            }
        }
    };
    let viewed = !args.view.focus.is_empty() || !args.view.collapse.is_empty();
    if format == Format::Md && viewed {
        return fail("--focus and --collapse choose the diagram of the HTML report; the Markdown report links a diagram (draw it with `tmd render --focus ...`)");
    }
    if format == Format::Html && args.diagram.is_some() {
        return fail("--diagram links an image from the Markdown report; the HTML report holds the diagram inline");
    }
    let (input, compilation) =
        match compile_input(&args.file, &args.limits, &args.config, args.color, "report") {
            Ok(x) => x,
            Err(code) => return code,
        };
    let Some((model, analysis)) = compilation.valid() else {
        return ExitCode::from(status::FAILED);
    };
    let findings = crate::emit::findings::Findings::of(&compilation);
    let text = match format {
        // A Markdown file cannot hold the diagram: it links the one given.
        Format::Md => {
            crate::emit::markdown::report(model, analysis, &findings, args.diagram.as_deref())
        }
        Format::Html => {
            let view = match super::view::of(model, &args.view) {
                Ok(view) => view,
                Err(message) => return fail(message),
            };
            let (drawn, drawn_analysis) = super::view::drawn(&view, model, analysis);
            let rendered = crate::emit::svg::svg(
                drawn,
                drawn_analysis,
                &crate::emit::svg::SvgOptions::default(),
            );
            if let Some(warning) = &rendered.warning {
                errln!("warning: {warning}");
            }
            crate::emit::html::html(model, analysis, &findings, Some(&rendered.svg))
        }
    };
    deliver(&input, args.output.as_deref(), &text)
}
