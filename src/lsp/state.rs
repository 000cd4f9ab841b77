//! One open document: its text, and what the compiler made of it.

use std::collections::BTreeMap;

use super::index::Index;
use super::text::Text;
use crate::model::*;
use crate::{Compilation, CompileOptions};

/// A model object by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    Element(ElementId),
    Boundary(BoundaryId),
    Flow(FlowId),
    Actor(ActorId),
    Threat(ThreatId),
    Control(ControlId),
    Asset(AssetId),
    Assumption(AssumptionId),
}

/// A compiled document.
#[derive(Debug)]
pub struct Analyzed {
    pub text: Text,
    pub compilation: Compilation,
    /// None after a syntax error.
    pub index: Option<Index>,
    /// The model's objects by name (none after a syntax error).
    pub names: BTreeMap<String, Named>,
    /// Why the project's `tmd.toml` was not used, when it was not.
    pub config_problem: Option<String>,
    /// What it was compiled with (formatting verifies with the same).
    pub options: CompileOptions,
}

impl Analyzed {
    pub fn new(text: Text, options: CompileOptions, config_problem: Option<String>) -> Analyzed {
        let compilation = crate::compile_with(&text.text, &options);
        let index = compilation.file.as_ref().map(Index::build);
        let names = compilation.model.as_ref().map(names).unwrap_or_default();
        Analyzed {
            text,
            compilation,
            index,
            names,
            config_problem,
            options,
        }
    }

    pub fn model(&self) -> Option<&Model> {
        self.compilation.model.as_ref()
    }
}

fn names(model: &Model) -> BTreeMap<String, Named> {
    let mut out = BTreeMap::new();
    // Later kinds do not replace earlier ones: a duplicate is an error
    // anyway, and the first declaration is the one the model kept.
    let mut put = |name: &str, named: Named| {
        out.entry(name.to_string()).or_insert(named);
    };
    for id in model.element_ids() {
        put(&model[id].name, Named::Element(id));
    }
    for id in model.boundary_ids() {
        put(&model[id].name, Named::Boundary(id));
    }
    for id in model.flow_ids() {
        if model[id].explicit {
            put(&model[id].name, Named::Flow(id));
        }
    }
    for id in model.actor_ids() {
        put(&model[id].name, Named::Actor(id));
    }
    for id in model.threat_ids() {
        put(&model[id].name, Named::Threat(id));
    }
    for id in model.control_ids() {
        put(&model[id].name, Named::Control(id));
    }
    for id in model.asset_ids() {
        put(&model[id].name, Named::Asset(id));
    }
    for id in model.assumption_ids() {
        put(&model[id].name, Named::Assumption(id));
    }
    out
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub version: i32,
    pub text: Text,
    /// When the text last changed and was not compiled since.
    pub dirty: Option<std::time::Instant>,
    pub analyzed: Option<Analyzed>,
}
