//! Hover: what the model knows of the ID under the cursor, and the manual
//! of the diagnostics there.

use std::fmt::Write;

use super::index::{Def, Occurrence};
use super::state::{Analyzed, Named};
use crate::analysis::{Analysis, Crossing};
use crate::model::*;

/// At most this many flows or threats are listed; the rest are counted.
const LIST: usize = 12;

/// The hover text (Markdown) at byte `offset`, and the span it is about.
pub fn hover(doc: &Analyzed, offset: usize) -> Option<(String, crate::span::Span)> {
    let mut parts = Vec::new();
    let mut span = None;
    if let Some(index) = &doc.index {
        if let Some(occurrence) = index.at(offset) {
            let (name, at) = index.name_of(occurrence)?;
            span = Some(at);
            let def = match occurrence {
                Occurrence::Def(i) => index.defs.get(i),
                Occurrence::Ref(i) => index.refs.get(i).and_then(|r| index.resolve(r)),
            };
            parts.push(describe(doc, name, def));
        }
    }
    for d in doc
        .compilation
        .diagnostics
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
    {
        if let Some(rule) = crate::checks::rule(d.code) {
            let body: Vec<&str> = rule.doc.lines().skip(1).collect();
            parts.push(format!(
                "**{}** ({}, {}): {}\n\n{}",
                rule.code,
                rule.name,
                rule.level.as_str(),
                rule.summary(),
                body.join("\n").trim()
            ));
            span.get_or_insert(d.span);
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some((parts.join("\n\n---\n\n"), span?))
}

fn code(name: &str) -> String {
    // A backtick in an ID cannot happen (IDs are ASCII words); labels go
    // through `quote`.
    format!("`{name}`")
}

/// A label or title as Markdown text: its special characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in crate::emit::text::visible(text).chars() {
        if "\\`*_{}[]<>()#+-.!|~".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

fn describe(doc: &Analyzed, name: &str, def: Option<&Def>) -> String {
    let (Some(model), Some(analysis)) = (doc.model(), doc.compilation.analysis.as_ref()) else {
        return undescribed(name, def);
    };
    match doc.names.get(name) {
        Some(&Named::Element(e)) => element(model, analysis, e),
        Some(&Named::Boundary(b)) => boundary(model, analysis, b),
        Some(&Named::Flow(f)) => flow(model, analysis, f),
        Some(&Named::Threat(t)) => threat(model, t),
        Some(&Named::Actor(a)) => actor(model, a),
        Some(&Named::Control(c)) => control(model, analysis, c),
        Some(&Named::Asset(a)) => asset(model, analysis, a),
        Some(&Named::Assumption(a)) => assumption(model, a),
        None => undescribed(name, def),
    }
}

fn undescribed(name: &str, def: Option<&Def>) -> String {
    match def {
        Some(def) => {
            let mut out = format!("**{}** {}", def.kind.as_str(), code(name));
            if let Some(label) = &def.label {
                let _ = write!(out, " {}", quote(label));
            }
            out.push_str("\n\n(not in the model: it has an error)");
            out
        }
        None => format!("{}: not declared", code(name)),
    }
}

fn boundary_path(model: &Model, path: &[BoundaryId]) -> String {
    if path.is_empty() {
        return "top level (no boundary)".to_string();
    }
    path.iter()
        .map(|&b| code(&model[b].name))
        .collect::<Vec<_>>()
        .join(" › ")
}

fn flow_line(model: &Model, f: FlowId) -> String {
    let flow = &model[f];
    let mut out = format!(
        "{} → {}",
        code(&model[flow.source].name),
        code(&model[flow.target].name)
    );
    if flow.explicit {
        let _ = write!(out, " ({})", code(&flow.name));
    }
    if let Some(label) = &flow.label {
        let _ = write!(out, " {}", quote(label));
    }
    out
}

fn crossing_text(model: &Model, crossings: &[Crossing]) -> String {
    crossings
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.direction.preposition(),
                code(&model[c.boundary].name)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn threat_line(model: &Model, t: ThreatId) -> String {
    let th = &model[t];
    format!(
        "{} {} — {}, {}",
        code(&th.name),
        quote(&th.title),
        model.scale.word(th.grade),
        th.status.describe()
    )
}

fn list<T: Copy>(out: &mut String, heading: &str, items: &[T], line: impl Fn(T) -> String) {
    if items.is_empty() {
        let _ = writeln!(out, "\n{heading}: none");
        return;
    }
    let _ = writeln!(out, "\n{heading} ({}):", items.len());
    for &item in items.iter().take(LIST) {
        let _ = writeln!(out, "- {}", line(item));
    }
    if items.len() > LIST {
        let _ = writeln!(out, "- … and {} more", items.len() - LIST);
    }
}

fn element(model: &Model, analysis: &Analysis, e: ElementId) -> String {
    let el = &model[e];
    let mut out = format!(
        "**{}** {} {}\n",
        el.kind.as_str(),
        code(&el.name),
        quote(&el.label)
    );
    let Some(facts) = analysis.elements.get(e.index()) else {
        return out;
    };
    let _ = writeln!(out, "\nIn: {}", boundary_path(model, &facts.boundary_path));
    if el.out_of_scope {
        out.push_str("\nOut of scope");
        if let Some(why) = &el.out_of_scope_reason {
            let _ = write!(out, ": {}", quote(why));
        }
        out.push('\n');
    }
    list(&mut out, "Flows in", &facts.flows_in, |f| {
        flow_line(model, f)
    });
    list(&mut out, "Flows out", &facts.flows_out, |f| {
        flow_line(model, f)
    });
    let crossing: Vec<FlowId> = facts
        .flows_in
        .iter()
        .chain(&facts.flows_out)
        .copied()
        .filter(|f| {
            analysis
                .flows
                .get(f.index())
                .is_some_and(|ff| !ff.crossings.is_empty())
        })
        .collect();
    list(&mut out, "Crossings", &crossing, |f| {
        let crossings = analysis
            .flows
            .get(f.index())
            .map(|ff| crossing_text(model, &ff.crossings))
            .unwrap_or_default();
        format!("{}: {crossings}", flow_line(model, f))
    });
    list(&mut out, "Threats", &facts.threats, |t| {
        threat_line(model, t)
    });
    stride_gaps(&mut out, facts.stride_gaps);
    out
}

fn stride_gaps(out: &mut String, gaps: Stride) {
    let names: Vec<String> = Stride::LETTERS
        .iter()
        .zip(Stride::NAMES)
        .filter(|(l, _)| gaps.contains(**l))
        .map(|(l, n)| format!("{l} ({n})"))
        .collect();
    if names.is_empty() {
        out.push_str("\nSTRIDE gaps: none\n");
    } else {
        let _ = writeln!(out, "\nSTRIDE gaps: {}", names.join(", "));
    }
}

fn boundary(model: &Model, analysis: &Analysis, b: BoundaryId) -> String {
    let bd = &model[b];
    let mut out = format!("**boundary** {} {}\n", code(&bd.name), quote(&bd.label));
    if let Some(kind) = &bd.kind {
        let _ = writeln!(out, "\nKind: {}", kind.describe());
    }
    let Some(facts) = analysis.boundaries.get(b.index()) else {
        return out;
    };
    let _ = writeln!(out, "\nPath: {}", boundary_path(model, &facts.path));
    let _ = writeln!(out, "\nMembers: {}", bd.members.len());
    list(&mut out, "Flows crossing it", &facts.crossing_flows, |f| {
        flow_line(model, f)
    });
    list(&mut out, "Threats", &facts.threats, |t| {
        threat_line(model, t)
    });
    out
}

fn flow(model: &Model, analysis: &Analysis, f: FlowId) -> String {
    let fl = &model[f];
    let mut out = format!("**flow** {}\n", flow_line(model, f));
    if let Some(protocol) = &fl.protocol {
        let _ = writeln!(out, "\nProtocol: {}", quote(protocol));
    }
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not given",
    };
    let _ = writeln!(
        out,
        "\nEncrypted: {}; authenticated: {}",
        yes_no(fl.encrypted),
        yes_no(fl.authenticated)
    );
    let _ = writeln!(
        out,
        "\nInitiator: {}",
        code(&model[fl.initiator_element()].name)
    );
    if let Some(request) = fl.response_to {
        let _ = writeln!(out, "\nAnswers: {}", flow_line(model, request));
    }
    let Some(facts) = analysis.flows.get(f.index()) else {
        return out;
    };
    if facts.reversed {
        out.push_str("\nReversed: the receiver opens the connection\n");
    }
    if facts.crossings.is_empty() {
        out.push_str("\nCrosses: no boundary\n");
    } else {
        let _ = writeln!(out, "\nCrosses: {}", crossing_text(model, &facts.crossings));
    }
    list(&mut out, "Threats", &facts.threats, |t| {
        threat_line(model, t)
    });
    out
}

fn threat(model: &Model, t: ThreatId) -> String {
    let th = &model[t];
    let mut out = format!("**threat** {} {}\n", code(&th.name), quote(&th.title));
    let targets: Vec<String> = th
        .targets
        .iter()
        .map(|&target| {
            format!(
                "{} ({})",
                code(model.target_name(target)),
                model.target_kind(target)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "\nOn: {}",
        if targets.is_empty() {
            "no target yet".to_string()
        } else {
            targets.join(", ")
        }
    );
    let _ = writeln!(out, "\nSeverity: {}", severity_reason(model, th));
    let _ = writeln!(out, "\nStatus: {}", th.status.describe());
    if let Some(actor) = th.actor {
        let _ = writeln!(out, "\nActor: {}", code(&model[actor].name));
    }
    if let Some(stride) = th.stride {
        let letters: String = Stride::LETTERS
            .iter()
            .filter(|l| stride.contains(**l))
            .collect();
        let _ = writeln!(out, "\nSTRIDE: {letters}");
    }
    if !th.controls.is_empty() {
        let controls: Vec<String> = th
            .controls
            .iter()
            .map(|&c| format!("{} ({})", code(&model[c].name), model[c].status.as_str()))
            .collect();
        let _ = writeln!(out, "\nControls: {}", controls.join(", "));
    }
    if let Some(mitigation) = &th.mitigation {
        let _ = writeln!(out, "\nMitigation: {}", quote(mitigation));
    }
    out
}

/// How a threat's severity was reached, in words, on the model's scale.
pub fn severity_reason(model: &Model, th: &Threat) -> String {
    let scale = &model.scale;
    let word = scale.word(th.grade);
    let band = if scale.words_are_bands() {
        String::new()
    } else {
        format!(" (band {})", th.severity.as_str())
    };
    let on = if scale.is_primer() {
        "the primer's matrix".to_string()
    } else {
        format!("the `{}` scale's table", scale.name)
    };
    let rating = th.rating.map(|r| {
        format!(
            "{} `{}` × {} `{}`",
            scale.columns.name,
            scale.columns.level(r.column),
            scale.rows.name,
            scale.rows.level(r.row)
        )
    });
    match (th.severity_source, rating, th.matrix_grade) {
        (SeveritySource::Matrix, Some(rating), _) => {
            format!("from {on}: {rating} gives `{word}`{band}")
        }
        (SeveritySource::Given, Some(rating), Some(table)) if table != th.grade => format!(
            "`{word}`{band} as written; {on} gives `{}` for {rating} (TMD101)",
            scale.word(table)
        ),
        (SeveritySource::Given, Some(rating), _) => {
            format!("`{word}`{band} as written, and {on} agrees ({rating})")
        }
        _ => format!("`{word}`{band} as written (no rating on {on})"),
    }
}

fn actor(model: &Model, a: ActorId) -> String {
    let ac = &model[a];
    let mut out = format!("**actor** {} {}\n", code(&ac.name), quote(&ac.label));
    if ac.builtin {
        out.push_str("\nBuilt in\n");
    }
    let threats: Vec<ThreatId> = model
        .threat_ids()
        .filter(|&t| model[t].actor == Some(a))
        .collect();
    list(&mut out, "Threats", &threats, |t| threat_line(model, t));
    out
}

fn control(model: &Model, analysis: &Analysis, c: ControlId) -> String {
    let co = &model[c];
    let mut out = format!("**control** {} {}\n", code(&co.name), quote(&co.label));
    let _ = writeln!(out, "\nStatus: {}", co.status.as_str());
    if let Some(reduces) = co.reduces {
        let _ = writeln!(out, "\nReduces: {reduces}%");
    }
    if let Some(facts) = analysis.controls.get(c.index()) {
        list(&mut out, "Threats", &facts.threats, |t| {
            threat_line(model, t)
        });
    }
    out
}

fn asset(model: &Model, analysis: &Analysis, a: AssetId) -> String {
    let asset = &model[a];
    let mut out = format!("**asset** {} {}\n", code(&asset.name), quote(&asset.label));
    let _ = writeln!(
        out,
        "\nClassification: {}{}",
        model.classification_of(a),
        if model.is_sensitive(a) {
            " (sensitive)"
        } else {
            ""
        }
    );
    if let Some(facts) = analysis.assets.get(a.index()) {
        list(&mut out, "Carried by", &facts.flows, |f| {
            flow_line(model, f)
        });
        list(&mut out, "Held by", &facts.elements, |e| {
            code(&model[e].name)
        });
    }
    out
}

fn assumption(model: &Model, a: AssumptionId) -> String {
    let asm = &model[a];
    let mut out = format!("**assumption** {} {}\n", code(&asm.name), quote(&asm.label));
    let _ = writeln!(out, "\nStatus: {}", asm.status.as_str());
    list(&mut out, "Rests on it", &asm.dependents, |d| {
        format!(
            "{} ({})",
            code(model.dependent_name(d)),
            model.dependent_kind(d)
        )
    });
    out
}
