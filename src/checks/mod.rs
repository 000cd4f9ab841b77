//! Every diagnostic tmd reports, one file per code. A file's `//!`
//! comment is that code's documentation (`tmd explain CODE` prints it);
//! errors (TMD0xx) are raised while parsing and lowering through the
//! constructors in their files, warnings (TMD1xx) are passes over the model
//! run by [`run`]. Codes are stable: never renumber, never reuse.
//!
//! Which warnings run is a [`Selection`]: the default set (every warning
//! but the opt-in ones in [`OPT_IN`]), plus the codes a project enables in
//! `tmd.toml`, less those it disables. A check that is not selected does
//! not run, and a suppression of its code is never reported unused.

pub mod suppress;
pub mod tmd001_syntax;
pub mod tmd002_duplicate;
pub mod tmd003_unknown_reference;
pub mod tmd004_invalid_value;
pub mod tmd005_initiator_not_endpoint;
pub mod tmd006_flow_reference;
pub mod tmd007_missing_field;
pub mod tmd008_duplicate_header;
pub mod tmd009_self_flow;
pub mod tmd010_given_twice;
pub mod tmd011_control_character;
pub mod tmd012_invalid_escape;
pub mod tmd013_nesting_too_deep;
pub mod tmd014_model_too_large;
pub mod tmd015_invalid_config;
pub mod tmd016_invalid_rule_file;
pub mod tmd101_severity_mismatch;
pub mod tmd102_stride_not_applicable;
pub mod tmd103_no_flows;
pub mod tmd104_store_flow;
pub mod tmd105_process_one_way;
pub mod tmd106_unthreatened_crossing;
pub mod tmd107_high_unmitigated;
pub mod tmd108_unknown_key;
pub mod tmd109_empty_boundary;
pub mod tmd110_bidi_control;
pub mod tmd111_updated_before_created;
pub mod tmd112_unused_suppression;
pub mod tmd113_expired_acceptance;
pub mod tmd114_mitigated_without_control;
pub mod tmd115_sensitive_unencrypted;
pub mod tmd116_sensitive_store_no_disclosure;
pub mod tmd117_wrong_assumption;
pub mod tmd118_threat_without_actor;
pub mod tmd119_threat_without_stride;
pub mod tmd120_accepted_without_justification;
pub mod tmd121_unused_dismissal;
pub mod tmd122_open_suggestion;

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::Model;
use crate::span::Span;
use crate::syntax::ast::File;

mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// What a warning check looks at.
pub struct Context<'a> {
    pub file: &'a File,
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    /// Today's date, for checks on dates (an expired acceptance); `None`
    /// when unknown, and then such checks stay silent.
    pub today: Option<crate::model::Date>,
    /// The threat rules in force (TMD121, TMD122).
    pub rules: &'a crate::rules::Settings,
}

/// What the warning checks find: warnings, and the warnings they could not
/// decide because something they depend on failed to resolve.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
    /// `(code, span)` of each warning skipped; a suppression of it is not
    /// reported as unused (TMD112), since nobody knows whether it is.
    pub skipped: Vec<(&'static str, Span)>,
}

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records that warning `code` at `span` was not decided.
    pub fn skip(&mut self, code: &'static str, span: Span) {
        self.skipped.push((code, span));
    }
}

type Check = fn(&Context<'_>, &mut Sink);

/// The warning checks, in code order, each with its code.
const WARNINGS: &[(&str, Check)] = &[
    (
        tmd101_severity_mismatch::CODE,
        tmd101_severity_mismatch::check,
    ),
    (
        tmd102_stride_not_applicable::CODE,
        tmd102_stride_not_applicable::check,
    ),
    (tmd103_no_flows::CODE, tmd103_no_flows::check),
    (tmd104_store_flow::CODE, tmd104_store_flow::check),
    (tmd105_process_one_way::CODE, tmd105_process_one_way::check),
    (
        tmd106_unthreatened_crossing::CODE,
        tmd106_unthreatened_crossing::check,
    ),
    (
        tmd107_high_unmitigated::CODE,
        tmd107_high_unmitigated::check,
    ),
    (tmd109_empty_boundary::CODE, tmd109_empty_boundary::check),
    (tmd110_bidi_control::CODE, tmd110_bidi_control::check),
    (
        tmd111_updated_before_created::CODE,
        tmd111_updated_before_created::check,
    ),
    (
        tmd113_expired_acceptance::CODE,
        tmd113_expired_acceptance::check,
    ),
    (
        tmd114_mitigated_without_control::CODE,
        tmd114_mitigated_without_control::check,
    ),
    (
        tmd115_sensitive_unencrypted::CODE,
        tmd115_sensitive_unencrypted::check,
    ),
    (
        tmd116_sensitive_store_no_disclosure::CODE,
        tmd116_sensitive_store_no_disclosure::check,
    ),
    (
        tmd117_wrong_assumption::CODE,
        tmd117_wrong_assumption::check,
    ),
    (
        tmd118_threat_without_actor::CODE,
        tmd118_threat_without_actor::check,
    ),
    (
        tmd119_threat_without_stride::CODE,
        tmd119_threat_without_stride::check,
    ),
    (
        tmd120_accepted_without_justification::CODE,
        tmd120_accepted_without_justification::check,
    ),
    (
        tmd121_unused_dismissal::CODE,
        tmd121_unused_dismissal::check,
    ),
    (tmd122_open_suggestion::CODE, tmd122_open_suggestion::check),
];

/// The warnings that are off unless a project enables them (`[checks]
/// enable` in `tmd.toml`): checks added after language 0.1 that could fire
/// on a model valid then. The default set of diagnostics never grows
/// silently.
pub const OPT_IN: &[&str] = &[
    tmd118_threat_without_actor::CODE,
    tmd119_threat_without_stride::CODE,
    tmd120_accepted_without_justification::CODE,
    tmd122_open_suggestion::CODE,
];

/// Which warnings run: the default set (every warning not in [`OPT_IN`]),
/// plus `enable`, less `disable`. Errors always run. The default is what a
/// file means on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Warnings turned on (opt-in ones; a default one is on already).
    pub enable: BTreeSet<&'static str>,
    /// Warnings turned off.
    pub disable: BTreeSet<&'static str>,
}

impl Selection {
    /// Whether the diagnostic `code` is reported.
    pub fn runs(&self, code: &str) -> bool {
        if is_error_code(code) {
            return true;
        }
        if self.disable.contains(code) {
            return false;
        }
        !OPT_IN.contains(&code) || self.enable.contains(code)
    }
}

/// Whether `code` is an error's (TMD0xx); warnings are TMD1xx.
pub fn is_error_code(code: &str) -> bool {
    code.starts_with("TMD0")
}

/// Runs the selected warning checks.
pub fn run(ctx: &Context<'_>, selection: &Selection) -> Sink {
    let mut out = Sink::default();
    for (code, check) in WARNINGS {
        if selection.runs(code) {
            check(ctx, &mut out);
        }
    }
    out
}

/// A documented diagnostic code.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// Off unless a project enables it ([`OPT_IN`]).
    pub opt_in: bool,
    /// The documentation, Markdown; its first line is the summary.
    pub doc: &'static str,
}

impl Rule {
    pub fn summary(&self) -> &'static str {
        self.doc.lines().next().unwrap_or("")
    }
}

/// Every code, in order.
pub fn rules() -> impl Iterator<Item = Rule> {
    docs::DOCS.iter().map(|&(code, name, doc)| Rule {
        code,
        name,
        level: if is_error_code(code) {
            Level::Error
        } else {
            Level::Warning
        },
        opt_in: OPT_IN.contains(&code),
        doc,
    })
}

/// The rule with this code (case-insensitive, `TMD` optional) or name.
pub fn rule(query: &str) -> Option<Rule> {
    let q = query.trim().to_ascii_uppercase();
    let q = if q.chars().all(|c| c.is_ascii_digit()) {
        format!("TMD{q:0>3}")
    } else {
        q
    };
    rules().find(|r| r.code == q || r.name.eq_ignore_ascii_case(query.trim()))
}
