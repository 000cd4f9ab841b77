//! Threat blocks for suggestions (`tmd suggest --format tmd`), and adding
//! them to a model's own text (`tmd suggest --write`, the language
//! server's "Add suggested threat" action): formatted as `tmd fmt` formats,
//! and verified as `tmd fmt` verifies, before anything is written.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Library, State, Suggestion};
use crate::model::{Model, Stride, Target};
use crate::{Compilation, CompileOptions};

/// Threat IDs that no declaration of a model uses: `S1`, `S2`, ...
pub struct Ids {
    taken: BTreeSet<String>,
    next: usize,
}

impl Ids {
    pub fn new(model: &Model) -> Ids {
        let mut taken: BTreeSet<String> =
            model.threat_ids().map(|t| model[t].name.clone()).collect();
        taken.extend(model.element_ids().map(|e| model[e].name.clone()));
        taken.extend(model.flow_ids().map(|f| model[f].name.clone()));
        taken.extend(model.boundary_ids().map(|b| model[b].name.clone()));
        taken.extend(model.actor_ids().map(|a| model[a].name.clone()));
        taken.extend(model.control_ids().map(|c| model[c].name.clone()));
        taken.extend(model.asset_ids().map(|a| model[a].name.clone()));
        taken.extend(model.assumptions.iter().map(|a| a.name.clone()));
        Ids { taken, next: 1 }
    }

    pub fn next_id(&mut self) -> String {
        loop {
            let candidate = format!("S{}", self.next);
            self.next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// How a threat names the suggestion's target: its ID, or `a -> b` for a
/// flow declared without one.
fn target_ref(model: &Model, target: Target) -> String {
    match target {
        Target::Flow(f) if !model[f].explicit => {
            let flow = &model[f];
            format!("{} -> {}", model[flow.source].name, model[flow.target].name)
        }
        t => model.target_name(t).to_string(),
    }
}

/// One threat block for a suggestion, ending in a line break: `status:
/// open` and the `rule:` link. None for a suggestion of another library.
pub fn block(model: &Model, library: &Library, s: &Suggestion, id: &str) -> Option<String> {
    let rule = library.rules().get(s.rule)?;
    let quote = crate::fmt::escape::quote;
    let mut out = format!(
        "threat {id} {} on {} {{\n",
        quote(&rule.title),
        target_ref(model, s.target)
    );
    out.push_str(&format!("  scenario: {}\n", quote(&s.scenario)));
    out.push_str(&format!(
        "  stride: {}\n",
        Stride::from_letters(&rule.stride.to_string())
    ));
    out.push_str(&format!("  severity: {}\n", model.scale.word(s.grade)));
    out.push_str(&format!("  mitigation: {}\n", quote(&s.mitigation)));
    out.push_str("  status: open\n");
    out.push_str(&format!("  rule: {}\n", quote(&rule.id)));
    out.push_str("}\n");
    Some(out)
}

/// A threat block added (or to add) for a suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Added {
    pub id: String,
    pub rule: String,
    pub target: Target,
    pub text: String,
}

/// The blocks for `list`, in its order, with IDs that do not collide.
pub fn blocks(model: &Model, library: &Library, list: &[&Suggestion]) -> Vec<Added> {
    let mut ids = Ids::new(model);
    let mut out = Vec::new();
    for s in list {
        let Some(rule) = library.rules().get(s.rule) else {
            continue;
        };
        let id = ids.next_id();
        if let Some(text) = block(model, library, s, &id) {
            out.push(Added {
                id,
                rule: rule.id.clone(),
                target: s.target,
                text,
            });
        }
    }
    out
}

/// The blocks as one text, a blank line between two.
pub fn blocks_text(added: &[Added]) -> String {
    added
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of `before` (a file without errors) with `added` appended at
/// its end, the whole formatted as `tmd fmt` formats. Verified before it
/// is given: it compiles without errors; formatting kept every comment and
/// the meaning (`fmt::verify`); the model is the original one plus the new
/// threats (its export, the new threats taken out, is the original's);
/// and every suggestion added is now covered.
pub fn add(
    before: &Compilation,
    options: &CompileOptions,
    added: &[Added],
) -> Result<String, String> {
    let (Some((model, analysis)), false) = (before.valid(), before.has_errors()) else {
        return Err("the model has errors".into());
    };
    let mut combined = before
        .source
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .to_string();
    if !combined.is_empty() {
        combined.push_str("\n\n");
    }
    combined.push_str(&blocks_text(added));
    let joined = crate::compile_with(&combined, options);
    let Some(file) = joined.file.as_ref().filter(|_| !joined.has_errors()) else {
        return Err("the model with the new threats does not compile".into());
    };
    let formatted = crate::fmt::format(file, &joined.source);
    crate::fmt::verify::verify_with(&joined, &formatted, options)?;
    if crate::fmt::verify::comments(&before.source) != crate::fmt::verify::comments(&formatted) {
        return Err("a comment was lost or reordered".into());
    }
    let after = crate::compile_with(&formatted, options);
    let (Some((model2, analysis2)), Some(file2)) = (after.valid(), after.file.as_ref()) else {
        return Err("the model with the new threats has errors".into());
    };
    let new_ids: BTreeSet<&str> = added.iter().map(|a| a.id.as_str()).collect();
    let was = crate::emit::export::export_value(model, analysis);
    let now = crate::emit::export::export_value(model2, analysis2);
    if without_threat_facts(was, &BTreeSet::new()) != without_threat_facts(now, &new_ids) {
        return Err("the model changed beyond the new threats".into());
    }
    let (_, suggestions) = super::for_file(file2, model2, analysis2, &after.rules.library);
    for a in added {
        let covered = suggestions.iter().any(|s| {
            matches!(s.state, State::Covered(_))
                && s.target == a.target
                && after
                    .rules
                    .library
                    .rules()
                    .get(s.rule)
                    .is_some_and(|r| r.id == a.rule)
        });
        if !covered {
            return Err(format!(
                "the new threat {} does not cover the suggestion {}",
                a.id, a.rule
            ));
        }
    }
    Ok(formatted)
}

/// An export with the threats named in `drop` taken out, and without the
/// facts that threats decide (each target's threats, worst open severity
/// and STRIDE gaps): what must not change when threats are added.
fn without_threat_facts(mut export: Value, drop: &BTreeSet<&str>) -> Value {
    if let Some(threats) = export.get_mut("threats").and_then(Value::as_array_mut) {
        threats.retain(|t| {
            t.get("id")
                .and_then(Value::as_str)
                .is_none_or(|id| !drop.contains(id))
        });
    }
    for list in ["elements", "boundaries", "flows", "controls"] {
        if let Some(items) = export.get_mut(list).and_then(Value::as_array_mut) {
            for item in items {
                if let Some(map) = item.as_object_mut() {
                    for key in ["threats", "worst_severity", "stride_gaps"] {
                        map.remove(key);
                    }
                }
            }
        }
    }
    export
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "# the model\nexternal customer \"Customer\"\nboundary dc \"Data centre\" {\n  process api \"Public API\" { internet_facing: true }  # the API\n  store vault \"Secrets\" { holds_credentials: true }\n}\nflow customer -> api \"Request\"\nflow api -> vault \"Read secret\"\n# the end\n";

    #[test]
    fn added_threats_cover_their_suggestions_and_keep_comments() {
        let before = crate::compile(MODEL);
        let (Some((model, analysis)), Some(file)) = (before.valid(), before.file.as_ref()) else {
            panic!("the model compiles: {:?}", before.diagnostics);
        };
        let (_, all) = super::super::for_file(file, model, analysis, &before.rules.library);
        let list: Vec<&Suggestion> = all.iter().filter(|s| s.state == State::Open).collect();
        assert!(!list.is_empty());
        let added = blocks(model, &before.rules.library, &list);
        let text = add(&before, &CompileOptions::default(), &added).expect("verified");
        assert!(text.starts_with("# the model\n"));
        assert!(text.contains("# the API"));
        assert!(text.contains("# the end"));
        assert!(text.contains("status: open"));
        // Nothing is open any more.
        let after = crate::compile(&text);
        let (Some((m2, a2)), Some(f2)) = (after.valid(), after.file.as_ref()) else {
            panic!("compiles");
        };
        let (_, again) = super::super::for_file(f2, m2, a2, &after.rules.library);
        assert!(again.iter().all(|s| s.state != State::Open));
    }

    #[test]
    fn ids_skip_every_name_in_use() {
        let c = crate::compile("external S1\nprocess S3\nflow S1 -> S3\n");
        let Some((model, _)) = c.valid() else {
            panic!("compiles");
        };
        let mut ids = Ids::new(model);
        assert_eq!(ids.next_id(), "S2");
        assert_eq!(ids.next_id(), "S4");
    }
}
