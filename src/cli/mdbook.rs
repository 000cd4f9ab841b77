//! `tmd mdbook` (and the `mdbook-tmd` binary): an mdBook preprocessor that
//! renders the ```` ```tmd ```` fences of every chapter, as `tmd md` does.
//!
//! The protocol: `mdbook-tmd supports RENDERER` exits 0 when the renderer
//! is supported (`html`, `markdown`) and 1 otherwise; with no arguments it
//! reads `[context, book]` as JSON from stdin and writes the book to
//! stdout. The book is walked as JSON values, so that every field this
//! code does not know (mdBook 0.4's `sections`, 0.5's `items`, anything
//! later) goes back to mdBook as it came.
//!
//! Configuration in `book.toml`, under `[preprocessor.tmd]`:
//! `on-error = "fail"` (default: a model with errors fails the build) or
//! `"warn"` (its fence is kept, under a notice).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::Value;

use super::md::{print_reports, OnError};
use super::print::errln;
use super::project::FileLoader;
use super::{fail, print_stdout, status, Color, InputLimits};
use crate::markdown::{self, Settings};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "An mdBook preprocessor: renders the ```tmd fences of every chapter into the \
model's diagram and threat table, as `tmd md` does. mdBook runs it; you do not. In book.toml:\n\n  \
[preprocessor.tmd]\n  \
command = \"tmd mdbook\"     # or leave this line out when `mdbook-tmd` is on PATH\n  \
on-error = \"fail\"          # or \"warn\": keep a broken model's fence and build anyway\n\n\
Protocol: `tmd mdbook supports RENDERER` exits 0 for html and markdown, 1 for others; with no \
arguments, reads [context, book] JSON on stdin and writes the book JSON on stdout. Diagnostics go to \
stderr, naming the chapter's file and line. See docs/docs-builds.md."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

#[derive(Subcommand, Debug)]
pub enum Sub {
    /// Exit 0 when the renderer is supported (html, markdown), 1 otherwise
    Supports {
        /// The renderer mdBook asks about
        renderer: String,
    },
}

/// The `mdbook-tmd` binary.
#[derive(Parser, Debug)]
#[command(
    name = "mdbook-tmd",
    version,
    about = "mdBook preprocessor for tmd threat models (the same as `tmd mdbook`)"
)]
struct Standalone {
    #[command(flatten)]
    args: Args,
}

/// Entry point of the `mdbook-tmd` binary.
pub fn main() -> ExitCode {
    match Standalone::try_parse() {
        Ok(cli) => run(cli.args),
        Err(e) => super::argument_error(e),
    }
}

/// Renderers whose output shows inline SVG and Markdown tables.
const SUPPORTED: &[&str] = &["html", "markdown"];

/// Keys of `[preprocessor.tmd]` (mdBook's own and ours).
const KEYS: &[&str] = &[
    "command",
    "before",
    "after",
    "renderers",
    "optional",
    "on-error",
];

pub fn run(args: Args) -> ExitCode {
    if let Some(Sub::Supports { renderer }) = &args.command {
        return if SUPPORTED.contains(&renderer.as_str()) {
            ExitCode::from(status::OK)
        } else {
            ExitCode::from(status::FAILED)
        };
    }
    let mut text = String::new();
    if let Err(e) = std::io::stdin().lock().read_to_string(&mut text) {
        return fail(format!("cannot read mdBook's input on stdin: {e}"));
    }
    let color = args.color.enabled_for_stderr();
    let configs = match super::config::Configs::new(&args.config, &args.limits) {
        Ok(configs) => configs,
        Err(e) => return fail(e),
    };
    match preprocess(&text, &args.limits, configs, color) {
        Ok(book) => match print_stdout(book) {
            Ok(()) => ExitCode::from(status::OK),
            Err(code) => code,
        },
        Err(code) => code,
    }
}

/// What one run found.
#[derive(Default)]
struct Tally {
    chapters: usize,
    fences: usize,
    failed: usize,
    errors: usize,
}

/// Renders every chapter of the `[context, book]` in `text`; the book's
/// JSON, or the exit code to give.
fn preprocess(
    text: &str,
    limits: &InputLimits,
    configs: super::config::Configs,
    color: bool,
) -> Result<String, ExitCode> {
    let input: Value = serde_json::from_str(text).map_err(|e| {
        fail(format!(
            "mdBook's input is not the [context, book] JSON of its preprocessor protocol: {e}"
        ))
    })?;
    let Value::Array(mut pair) = input else {
        return Err(fail("mdBook's input is not a [context, book] array"));
    };
    if pair.len() != 2 {
        return Err(fail("mdBook's input is not a [context, book] array"));
    }
    let mut book = pair.pop().unwrap_or(Value::Null);
    let context = pair.pop().unwrap_or(Value::Null);

    let root = PathBuf::from(
        context
            .pointer("/root")
            .and_then(Value::as_str)
            .unwrap_or("."),
    );
    let src = context
        .pointer("/config/book/src")
        .and_then(Value::as_str)
        .unwrap_or("src");
    let config = context
        .pointer("/config/preprocessor/tmd")
        .unwrap_or(&Value::Null);
    let on_error = match config.get("on-error") {
        None => OnError::Fail,
        Some(Value::String(s)) if s == "fail" => OnError::Fail,
        Some(Value::String(s)) if s == "warn" => OnError::Warn,
        Some(other) => {
            return Err(fail(format!(
                "[preprocessor.tmd] on-error = {other} in book.toml: write \"fail\" or \"warn\""
            )))
        }
    };
    if let Some(table) = config.as_object() {
        for key in table.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            let hint = KEYS
                .iter()
                .filter(|k| strsim::damerau_levenshtein(key, k) <= 2)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .next()
                .unwrap_or_default();
            errln!(
                "warning: [preprocessor.tmd] in book.toml: unknown key `{}`{hint}",
                crate::emit::text::visible(key)
            );
        }
    }
    if let Some(version) = context.pointer("/mdbook_version").and_then(Value::as_str) {
        if !(version.starts_with("0.4.") || version.starts_with("0.5.")) {
            errln!(
                "warning: tmd's preprocessor was tested with mdBook 0.4 and 0.5, not {}",
                crate::emit::text::visible(version)
            );
        }
    }

    let mut tally = Tally::default();
    let walk = Walk {
        root: &root,
        src: Path::new(src),
        limits,
        color,
        seen: Default::default(),
        configs: std::cell::RefCell::new(configs),
    };
    // mdBook 0.5 calls the top-level list `items`; 0.4 called it `sections`.
    for key in ["items", "sections"] {
        if let Some(Value::Array(items)) = book.get_mut(key) {
            walk.items(items, &mut tally);
        }
    }
    if tally.failed > 0 {
        let summary = format!(
            "{} of {} in the book failed ({} error(s))",
            tally.failed, tally.fences, tally.errors
        );
        match on_error {
            OnError::Fail => {
                errln!(
                    "error: tmd: {summary}; set on-error = \"warn\" under [preprocessor.tmd] in book.toml to build anyway"
                );
                return Err(ExitCode::from(status::FAILED));
            }
            OnError::Warn => errln!(
                "warning: tmd: {summary}; their fences are kept, under a notice (on-error = \"warn\")"
            ),
        }
    }
    serde_json::to_string(&book).map_err(|e| fail(format!("cannot write the book's JSON: {e}")))
}

struct Walk<'a> {
    root: &'a Path,
    src: &'a Path,
    limits: &'a InputLimits,
    color: bool,
    seen: std::cell::RefCell<std::collections::BTreeSet<String>>,
    /// The project configurations (tmd.toml) found from the chapters'
    /// folders and their `file=` models'.
    configs: std::cell::RefCell<super::config::Configs>,
}

impl Walk<'_> {
    fn items(&self, items: &mut [Value], tally: &mut Tally) {
        for item in items {
            if let Some(chapter) = item.get_mut("Chapter") {
                self.chapter(chapter, tally);
                if let Some(Value::Array(sub)) = chapter.get_mut("sub_items") {
                    self.items(sub, tally);
                }
            }
        }
    }

    fn chapter(&self, chapter: &mut Value, tally: &mut Tally) {
        tally.chapters += 1;
        let Some(content) = chapter.get("content").and_then(Value::as_str) else {
            return;
        };
        if !content.contains("tmd") {
            return;
        }
        let source_path = chapter
            .get("source_path")
            .and_then(Value::as_str)
            .or_else(|| chapter.get("path").and_then(Value::as_str))
            .map(PathBuf::from);
        let name = match &source_path {
            Some(p) => self.src.join(p).display().to_string(),
            None => chapter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("chapter")
                .to_string(),
        };
        let settings = Settings {
            id_base: format!("tmd-c{}-d", tally.chapters),
            mdbook_themes: true,
        };
        let outcome = match &source_path {
            Some(p) => {
                let page = self.root.join(self.src).join(p);
                let dir = page.parent().map(Path::to_path_buf).unwrap_or_default();
                let mut configs = self.configs.borrow_mut();
                let mut loader = FileLoader::new(&dir, self.root, *self.limits)
                    .with_configs(&mut configs, self.color);
                // Names relative to the book's root, as mdBook shows them.
                loader.shown_dir = self
                    .src
                    .join(p)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                markdown::render_page(&name, content, &settings, &mut loader)
            }
            None => markdown::render_page(&name, content, &settings, &mut markdown::NoFiles),
        };
        let (errors, _) = print_reports(
            content,
            &outcome.reports,
            self.color,
            &mut self.seen.borrow_mut(),
        );
        tally.fences += outcome.fences;
        tally.failed += outcome.failed;
        tally.errors += errors;
        if outcome.fences > 0 {
            if let Some(slot) = chapter.get_mut("content") {
                *slot = Value::String(outcome.text);
            }
        }
    }
}
