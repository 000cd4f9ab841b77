//! tmd: threat models as code.
//!
//! One pipeline, one direction: source text → [`syntax`] (pest, a syntax
//! tree with spans) → [`model`] (resolved, typed IDs, petgraph) →
//! [`analysis`] (crossings, reversed flows, per-element facts) → [`checks`]
//! (diagnostics) → [`emit`] (pure functions from model to text). [`compile`]
//! runs the front half; the CLI in [`cli`] wires files to it.

// No panic that input can reach (docs/hostile-input.md): outside tests,
// no unwrap, expect, unreachable!, panic! or unchecked indexing. The
// layout's dense index arithmetic is the one exception, and says why in
// src/layout/mod.rs.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::unreachable,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod analysis;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod fmt;
pub mod import;
pub mod layout;
pub mod lsp;
pub mod markdown;
pub mod model;
pub mod report;
pub mod rules;
pub mod span;
pub mod syntax;
pub mod testgen;
pub mod view;

use analysis::Analysis;
use diagnostic::Diagnostic;
use model::Model;
use syntax::ast;

/// Everything known about one source text after the front half of the
/// pipeline.
#[derive(Debug)]
pub struct Compilation {
    /// The text compiled (a byte-order mark removed); spans point into it.
    pub source: String,
    /// The syntax tree, unless a syntax error stopped the parse.
    pub file: Option<ast::File>,
    /// The model, built whenever the file parsed (best effort with errors).
    pub model: Option<Model>,
    pub analysis: Option<Analysis>,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings that `# tmd: allow` comments silenced, sorted by
    /// position: not in `diagnostics`, kept so that a report can say how
    /// many there are.
    pub suppressed: Vec<Diagnostic>,
    /// The threat rules it was compiled with (`tmd suggest` reads them).
    pub rules: rules::Settings,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }

    /// The model and its analysis when the file has no error: what every
    /// emitter needs.
    pub fn valid(&self) -> Option<(&Model, &Analysis)> {
        if self.has_errors() {
            return None;
        }
        Some((self.model.as_ref()?, self.analysis.as_ref()?))
    }
}

/// Removes a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// What a compilation takes besides the text: the project's defaults for
/// what a model does not declare, and "today" for the checks that need a
/// date. The default is what a file means on its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompileOptions {
    pub lower: model::LowerOptions,
    /// Which warnings run (the default set, plus and less what the
    /// project's `tmd.toml` enables and disables).
    pub checks: checks::Selection,
    /// The date the checks take as today (`--today`, `SOURCE_DATE_EPOCH`,
    /// else the system clock, read by the CLI). Only checks read it, never
    /// an emitter, so outputs do not depend on the day they are made.
    pub today: Option<model::Date>,
    /// The threat rules in force (the built-in library, less and plus
    /// what the project's `tmd.toml` says), read by TMD121 and TMD122.
    pub rules: rules::Settings,
}

/// Compiles one source text: parse, lower, analyse, check, apply
/// suppressions. Never panics, whatever the text.
pub fn compile(text: &str) -> Compilation {
    compile_with(text, &CompileOptions::default())
}

/// As `compile`, with a project's options.
pub fn compile_with(text: &str, options: &CompileOptions) -> Compilation {
    let source = strip_bom(text).to_string();
    let parsed = syntax::parse(&source);
    let mut diagnostics = parsed.diagnostics;
    let Some(file) = parsed.file else {
        diagnostic::sort(&mut diagnostics);
        return Compilation {
            source,
            file: None,
            model: None,
            analysis: None,
            diagnostics,
            suppressed: Vec::new(),
            rules: options.rules.clone(),
        };
    };
    let model = model::lower_with(&file, &options.lower, &mut diagnostics);
    // A warning that is not selected is not reported, whichever phase
    // found it (TMD108 comes from the lowering).
    diagnostics.retain(|d| options.checks.runs(d.code));
    let analysis = analysis::analyze(&model);
    let ctx = checks::Context {
        file: &file,
        model: &model,
        analysis: &analysis,
        today: options.today,
        rules: &options.rules,
    };
    let findings = checks::run(&ctx, &options.checks);
    diagnostics.extend(findings.diagnostics);
    let mut suppressed = checks::suppress::apply(
        &file,
        &mut diagnostics,
        &findings.skipped,
        &model.partial.dropped,
        &options.checks,
    );
    diagnostic::sort(&mut diagnostics);
    diagnostic::sort(&mut suppressed);
    Compilation {
        source,
        file: Some(file),
        model: Some(model),
        analysis: Some(analysis),
        diagnostics,
        suppressed,
        rules: options.rules.clone(),
    }
}
