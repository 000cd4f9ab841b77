//! Markdown pages with ```` ```tmd ```` fences (`tmd md`, `tmd mdbook`):
//! every fence whose info string starts with the word `tmd` is replaced by
//! the model's diagram (inline SVG) and / or threat table; every other byte
//! of the page is kept as it was.
//!
//! This module is pure: text in, text out. The one thing it cannot know,
//! the text of a `file=` model, it asks of a [`Loader`] that the caller
//! gives (the CLI's reads files, confined to the project root).
//!
//! - [`fence`] finds the fences as CommonMark does (pulldown-cmark).
//! - [`info`] reads a fence's options.
//! - [`render`] draws a fence's views, in the fence's container.

pub mod fence;
pub mod info;
pub mod render;

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::span::{LineIndex, Span};

pub use fence::Fence;
pub use info::{FenceOptions, View};

/// How to render a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The start of every diagram's id prefix: diagram N of the page gets
    /// `{id_base}{N}-` (and its style sheet the scope
    /// `tmd-scope-{id_base}{N}`). Pages shown together (mdBook's print
    /// page) need different bases.
    pub id_base: String,
    /// Colour the diagrams by mdBook's theme classes (`html.navy`, ...)
    /// rather than by the reader's system setting alone.
    pub mdbook_themes: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            id_base: "tmd".into(),
            mdbook_themes: false,
        }
    }
}

/// A model read for `file=`.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The name to show in diagnostics.
    pub name: String,
    pub text: String,
    /// What it compiles with: its project's configuration, or why it
    /// cannot be had (the model is then not drawn).
    pub options: Result<crate::CompileOptions, String>,
}

/// Reads the models that fences name with `file=`, and says what a model
/// compiles with (its project's configuration).
pub trait Loader {
    /// The model at `path` (as written in the fence), or why not.
    fn load(&mut self, path: &str) -> Result<Loaded, String>;

    /// What a model written in a fence of the page itself compiles with,
    /// or why it cannot be compiled. By default, the language's defaults.
    fn page_options(&mut self) -> Result<crate::CompileOptions, String> {
        Ok(crate::CompileOptions::default())
    }
}

/// A loader that refuses every `file=` (for text with no file behind it).
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&mut self, _path: &str) -> Result<Loaded, String> {
        Err("`file=` cannot be used here: the page has no folder".into())
    }
}

/// Diagnostics about one text: the page itself (`source` None) or a model
/// file that a fence names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: String,
    /// The text the spans point into; None for the page.
    pub source: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Said after the diagnostics (where a model file was referenced).
    pub note: Option<String>,
}

/// A rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The page with every fence rendered; a fence that failed is kept as
    /// it was, under a one-line notice.
    pub text: String,
    /// Diagnostics, fence by fence.
    pub reports: Vec<Report>,
    /// Fences found, and how many of them failed.
    pub fences: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    /// For each fence: the bytes it held in the page, and the bytes of its
    /// rendering in `text`. Everything outside them is the page's own.
    pub replaced: Vec<(Range<usize>, Range<usize>)>,
}

/// 1-based line of `offset` in `text`.
fn line_number(text: &str, offset: usize) -> usize {
    LineIndex::new(text).line_of(offset) + 1
}

/// Renders every ```` ```tmd ```` fence of `page` (named `name` in
/// diagnostics).
pub fn render_page(
    name: &str,
    page: &str,
    settings: &Settings,
    loader: &mut dyn Loader,
) -> Outcome {
    let fences = fence::scan(page);
    let mut out = Outcome {
        text: String::with_capacity(page.len()),
        reports: Vec::new(),
        fences: fences.len(),
        failed: 0,
        errors: 0,
        warnings: 0,
        replaced: Vec::new(),
    };
    let mut copied = 0;
    let mut diagrams = 0;
    for f in &fences {
        let (replacement, reports) = one_fence(name, page, f, settings, loader, &mut diagrams);
        let errors: usize = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.is_error())
            .count();
        let warnings: usize = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| !d.is_error())
            .count();
        out.errors += errors;
        out.warnings += warnings;
        if errors > 0 {
            out.failed += 1;
        }
        out.reports
            .extend(reports.into_iter().filter(|r| !r.diagnostics.is_empty()));
        out.text
            .push_str(page.get(copied..f.replace.start).unwrap_or(""));
        let at = out.text.len();
        out.text.push_str(&replacement);
        out.replaced.push((f.replace.clone(), at..out.text.len()));
        copied = f.replace.end;
    }
    out.text.push_str(page.get(copied..).unwrap_or(""));
    out
}

/// One fence: its replacement and its diagnostics.
fn one_fence(
    name: &str,
    page: &str,
    f: &Fence,
    settings: &Settings,
    loader: &mut dyn Loader,
    diagrams: &mut usize,
) -> (String, Vec<Report>) {
    let mut page_diags: Vec<Diagnostic> = Vec::new();
    let mut reports = Vec::new();
    let (options, errors) = info::parse(&f.info, f.info_start);
    for e in errors {
        page_diags.push(
            Diagnostic::error(e.code, Span::new(e.range.start, e.range.end), e.message)
                .with_label(e.label)
                .with_help_opt(e.help),
        );
    }

    // The model's text, the name of its file when it has one, and what it
    // compiles with.
    let mut model: Option<(String, Option<String>, crate::CompileOptions)> = None;
    match &options.file {
        Some((path, range)) => {
            let span = Span::new(range.start, range.end);
            if !f.content.trim().is_empty() {
                page_diags.push(
                    Diagnostic::error(
                        "tmd::md::file-and-content",
                        span,
                        "a fence with `file=` must be empty",
                    )
                    .with_label("the model comes from this file")
                    .with_help(
                        "remove the fence's lines, or remove `file=` to draw the model written in the fence",
                    ),
                );
            } else {
                match loader.load(path) {
                    Ok(loaded) => match loaded.options {
                        Ok(options) => model = Some((loaded.text, Some(loaded.name), options)),
                        Err(why) => page_diags.push(config_error(span, why)),
                    },
                    Err(why) => page_diags.push(
                        Diagnostic::error("tmd::md::file", span, why)
                            .with_label("this file")
                            .with_help(
                                "give a path relative to the Markdown file, inside the project root (the folder holding `.git`)",
                            ),
                    ),
                }
            }
        }
        None => match loader.page_options() {
            Ok(options) => model = Some((f.content.clone(), None, options)),
            Err(why) => {
                page_diags.push(config_error(Span::new(f.info_start, f.info_start + 3), why))
            }
        },
    }

    let mut rendered = None;
    let mut file_report = None;
    if let Some((text, file, compile_options)) = &model {
        let c = crate::compile_with(text, compile_options);
        match file {
            Some(file) => {
                if !c.diagnostics.is_empty() {
                    file_report = Some(Report {
                        name: file.clone(),
                        source: Some(c.source.clone()),
                        diagnostics: c.diagnostics.clone(),
                        note: Some(format!(
                            "`{}` is drawn by the fence at {}:{}",
                            crate::emit::text::visible(file),
                            crate::emit::text::visible(name),
                            f.line + 1
                        )),
                    });
                }
            }
            None => {
                // Spans into the fence's text → spans into the page.
                let shift = text.len() - c.source.len();
                let map = |s: Span| {
                    Span::new(f.page_offset(s.start + shift), f.page_offset(s.end + shift))
                };
                for d in &c.diagnostics {
                    let mut d = d.clone();
                    d.span = map(d.span);
                    for l in &mut d.secondary {
                        l.span = map(l.span);
                    }
                    page_diags.push(d);
                }
            }
        }
        if !page_diags.iter().any(Diagnostic::is_error) {
            if let Some((m, analysis)) = c.valid() {
                match crate::view::apply(m, &options.view) {
                    Ok(view) => {
                        *diagrams += 1;
                        let ctx = render::Context {
                            settings,
                            diagram_number: *diagrams,
                            model_source: &c.source,
                        };
                        let drawn = match &view {
                            Some(v) => (&v.model, &v.analysis),
                            None => (m, analysis),
                        };
                        rendered =
                            Some(render::views((m, analysis), drawn, &options.views(), &ctx));
                    }
                    Err(e) => {
                        let range = options
                            .view_range
                            .clone()
                            .unwrap_or(f.info_start..f.info_start + 3);
                        page_diags.push(
                            Diagnostic::error(
                                "tmd::md::bad-option",
                                Span::new(range.start, range.end),
                                e.fence_message(),
                            )
                            .with_label("this view of the diagram")
                            .with_help("`focus=` takes an element, boundary or flow ID of the model, `collapse=` a boundary ID"),
                        );
                    }
                }
            }
        }
    }

    crate::diagnostic::sort(&mut page_diags);
    reports.push(Report {
        name: name.to_string(),
        source: None,
        diagnostics: page_diags,
        note: None,
    });
    if let Some(r) = file_report {
        reports.push(r);
    }
    let text = match rendered {
        Some(lines) => render::place(page, f, &lines, None),
        None => render::place(page, f, &[render::failed_notice()], Some(page)),
    };
    (text, reports)
}

/// A fence whose model's project configuration cannot be had.
fn config_error(span: Span, why: String) -> Diagnostic {
    Diagnostic::error("tmd::md::config", span, why)
        .with_label("this fence's model")
        .with_help("fix the project configuration (tmd.toml, docs/config.md) named above")
}

/// The line of the page where byte `offset` is (1-based); for messages.
pub fn page_line(page: &str, offset: usize) -> usize {
    line_number(page, offset)
}
