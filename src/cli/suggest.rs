//! `tmd suggest`: the threats the rule library proposes for a model
//! (docs/threat-library.md).

use std::collections::BTreeSet;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::{json, Value};

use super::pipeline::{compile_input_with_options, deliver};
use super::print::{self, errln};
use super::{status, Color, InputLimits};
use crate::emit::text::visible;
use crate::model::{Model, Severity, Target};
use crate::rules::{self, write, Library, State, Suggestion};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Per target: rule, STRIDE, severity, scenario, mitigation, references, why
    #[default]
    Human,
    /// The same, for tools
    Json,
    /// Threat blocks ready to paste into the model
    Tmd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    Low,
    Medium,
    High,
}

impl MinSeverity {
    fn band(self) -> Severity {
        match self {
            MinSeverity::Low => Severity::Low,
            MinSeverity::Medium => Severity::Medium,
            MinSeverity::High => Severity::High,
        }
    }
}

#[derive(clap::Args, Debug)]
#[command(
    after_long_help = "Lists, grouped by target (an element, a flow or a boundary), the \
threats the rule library proposes that the model does not already cover, most severe first. A \
threat covers a suggestion when it links the rule (`rule: \"RULE\"`), or, linking none, is on the \
same target with the rule's STRIDE letter; a `# tmd: dismiss RULE: REASON` comment dismisses one \
(docs/language.md). The rules are the built-in library plus the project's rule files, less the \
rules it turns off (tmd.toml [rules], docs/config.md); each is described by `tmd explain RULE` and \
in docs/threat-library.md.

--format tmd prints the threat blocks to paste: `status: open`, a `rule:` link, IDs (S1, S2, ...) \
that no declaration of the model uses, severities on the model's risk scale.

--write adds those blocks to the end of FILE itself and prints what it added. The file is \
rewritten as `tmd fmt` writes it (every comment kept), atomically, and only after tmd has checked \
that the result compiles, means the same model plus the new threats, and that each new threat \
covers its suggestion. A second run adds nothing. --write needs a file (not stdin) without errors, \
and takes --min-severity but not --format or --all.

Exit status: 0 done; 1 the model has errors; 2 bad arguments, or FILE cannot be read or written."
)]
pub struct Args {
    /// The model file (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Output format
    #[arg(short, long, value_enum, default_value_t)]
    pub format: Format,
    /// Only suggestions of this band or above
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,
    /// Also list the suggestions that threats cover or that are dismissed
    #[arg(long)]
    pub all: bool,
    /// Add the open suggestions to FILE as threat blocks (formatted, verified, atomic)
    #[arg(long, conflicts_with_all = ["format", "all"])]
    pub write: bool,
    /// When to use colour in diagnostics
    #[arg(long, value_enum, default_value_t)]
    pub color: Color,
    #[command(flatten)]
    pub config: super::config::ConfigArgs,
    #[command(flatten)]
    pub limits: InputLimits,
}

pub fn run(args: Args) -> ExitCode {
    if args.write && args.file == "-" {
        return super::fail("--write needs a model file, not stdin (`-`)");
    }
    let (input, compilation, options) = match compile_input_with_options(
        &args.file,
        &args.limits,
        &args.config,
        args.color,
        "suggest",
    ) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (Some((model, analysis)), Some(file)) = (compilation.valid(), compilation.file.as_ref())
    else {
        return ExitCode::from(status::FAILED);
    };
    let library = compilation.rules.library.clone();
    let (_, all) = rules::for_file(file, model, analysis, &library);
    let min = args.min_severity.map_or(Severity::Low, MinSeverity::band);
    let mut chosen: Vec<&Suggestion> = all
        .iter()
        .filter(|s| s.band >= min && (args.all || s.state == State::Open))
        .collect();
    order(&mut chosen);
    if args.write {
        return write(&input, &compilation, &options, model, &library, &chosen);
    }
    let text = match args.format {
        Format::Human => human(model, &library, &chosen),
        Format::Json => json_text(model, &library, &chosen),
        Format::Tmd => tmd(model, &library, &chosen),
    };
    deliver(&input, None, &text)
}

fn target_key(target: Target) -> (u8, usize) {
    match target {
        Target::Element(e) => (0, e.index()),
        Target::Flow(f) => (1, f.index()),
        Target::Boundary(b) => (2, b.index()),
    }
}

/// Grouped by target, the target with the most severe suggestion first;
/// in a target, most severe first, then in library order.
fn order(list: &mut [&Suggestion]) {
    let mut worst: std::collections::BTreeMap<(u8, usize), Severity> = Default::default();
    for s in list.iter() {
        let w = worst.entry(target_key(s.target)).or_insert(s.band);
        *w = (*w).max(s.band);
    }
    list.sort_by(|a, b| {
        let (ka, kb) = (target_key(a.target), target_key(b.target));
        let (wa, wb) = (worst.get(&ka), worst.get(&kb));
        wb.cmp(&wa)
            .then(ka.cmp(&kb))
            .then(b.band.cmp(&a.band))
            .then(a.rule.cmp(&b.rule))
    });
}

fn target_text(model: &Model, target: Target) -> String {
    let kind = model.target_kind(target);
    format!("{kind} {}", visible(model.target_name(target)))
}

fn state_text(model: &Model, state: &State) -> String {
    match state {
        State::Open => "open".into(),
        State::Covered(threats) => {
            let names: Vec<String> = threats
                .iter()
                .map(|&t| visible(&model[t].name).to_string())
                .collect();
            format!("covered by {}", names.join(", "))
        }
        State::Dismissed { reason, .. } => format!("dismissed: {}", visible(reason)),
    }
}

fn human(model: &Model, library: &Library, list: &[&Suggestion]) -> String {
    if list.is_empty() {
        return "No suggestions: the rule library proposes nothing that the model does not cover.\n".into();
    }
    let mut out = String::new();
    let mut current = None;
    for s in list {
        let Some(rule) = library.rules().get(s.rule) else {
            continue;
        };
        if current != Some(s.target) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("== {}\n", target_text(model, s.target)));
            current = Some(s.target);
        }
        out.push_str(&format!(
            "\n  [{}] {} ({}) {}: {}\n",
            rule.stride,
            model.scale.word(s.grade),
            state_text(model, &s.state),
            rule.id,
            rule.title
        ));
        out.push_str(&format!("    Scenario:   {}\n", visible(&s.scenario)));
        out.push_str(&format!("    Mitigation: {}\n", visible(&s.mitigation)));
        if !rule.references.is_empty() {
            out.push_str(&format!("    References: {}\n", rule.references.join(", ")));
        }
        out.push_str(&format!("    Why:        {}\n", s.why.join("; ")));
    }
    let targets: BTreeSet<(u8, usize)> = list.iter().map(|s| target_key(s.target)).collect();
    out.push_str(&format!(
        "\n{} on {}\n",
        super::plural(list.len(), "suggestion"),
        super::plural(targets.len(), "target")
    ));
    out
}

fn suggestion_json(model: &Model, library: &Library, s: &Suggestion) -> Value {
    let rule = library.rules().get(s.rule);
    let (state, covered_by, reason) = match &s.state {
        State::Open => ("open", Vec::new(), Value::Null),
        State::Covered(threats) => (
            "covered",
            threats.iter().map(|&t| model[t].name.clone()).collect(),
            Value::Null,
        ),
        State::Dismissed { reason, .. } => ("dismissed", Vec::new(), Value::String(reason.clone())),
    };
    json!({
        "rule": rule.map(|r| r.id.clone()),
        "title": rule.map(|r| r.title.clone()),
        "stride": rule.map(|r| r.stride.to_string()),
        "target": model.target_name(s.target),
        "target_kind": model.target_kind(s.target),
        "severity": s.band.as_str(),
        "scale_severity": model.scale.word(s.grade),
        "scenario": s.scenario,
        "mitigation": s.mitigation,
        "references": rule.map(|r| r.references.clone()).unwrap_or_default(),
        "why": s.why,
        "state": state,
        "covered_by": covered_by,
        "dismissed_because": reason,
    })
}

fn json_text(model: &Model, library: &Library, list: &[&Suggestion]) -> String {
    let items: Vec<Value> = list
        .iter()
        .map(|s| suggestion_json(model, library, s))
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "suggestions": items })).unwrap_or_default();
    text.push('\n');
    text
}

/// Threat blocks ready to paste: `status: open`, the `rule:` link, IDs
/// that no declaration of the model uses.
fn tmd(model: &Model, library: &Library, list: &[&Suggestion]) -> String {
    write::blocks_text(&write::blocks(model, library, list))
}

/// `--write`: the open suggestions added to the file, verified first.
fn write(
    input: &super::Input,
    before: &crate::Compilation,
    options: &crate::CompileOptions,
    model: &Model,
    library: &Library,
    list: &[&Suggestion],
) -> ExitCode {
    let Some(path) = input.path.as_deref() else {
        return super::fail("--write needs a model file, not stdin (`-`)");
    };
    let name = visible(&input.name);
    let added = write::blocks(model, library, list);
    if added.is_empty() {
        return match print::stdout(format!("`{name}`: 0 suggestions to add; left unchanged\n")) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => super::fail(e),
        };
    }
    let text = match write::add(before, options, &added) {
        Ok(text) => text,
        Err(problem) => {
            errln!(
                "error: internal error in tmd suggest --write on `{name}`: {problem}; left unchanged. Please report this with the file."
            );
            return ExitCode::from(status::FAILED);
        }
    };
    if let Err(e) = super::fmt::write_in_place(path, &text) {
        errln!("error: cannot write `{name}`: {e}; left unchanged");
        return ExitCode::from(status::USAGE);
    }
    let mut out = format!(
        "`{name}`: added {}:\n",
        super::plural(added.len(), "suggested threat")
    );
    for a in &added {
        let title = library.get(&a.rule).map_or("", |r| r.title.as_str());
        out.push_str(&format!(
            "  {} on {}: {} ({})\n",
            a.id,
            target_text(model, a.target),
            visible(title),
            a.rule
        ));
    }
    match print::stdout(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => super::fail(e),
    }
}
