//! `--focus`, `--depth` and `--collapse`: the view of a model that
//! `tmd render`, `tmd build` and `tmd report` draw (`crate::view`).

use crate::analysis::Analysis;
use crate::model::Model;
use crate::view::{self, Spec, View};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ViewArgs {
    /// Draw only this element, boundary (all it holds) or flow (both ends) and what lies within --depth flows of it; the rest is summarised at the edge (repeatable)
    #[arg(long, value_name = "ID")]
    pub focus: Vec<String>,
    /// With --focus: how many flows away from the focus to draw [default: 1]
    #[arg(long, value_name = "N", requires = "focus")]
    pub depth: Option<usize>,
    /// Draw this boundary as one box, with every flow that crosses it attached (repeatable)
    #[arg(long, value_name = "BOUNDARY")]
    pub collapse: Vec<String>,
}

impl ViewArgs {
    pub fn spec(&self) -> Spec {
        Spec {
            focus: self.focus.clone(),
            depth: self.depth,
            collapse: self.collapse.clone(),
        }
    }
}

/// The view the options ask for (`None`: the whole model), or the
/// message saying why there is none.
pub fn of(model: &Model, args: &ViewArgs) -> Result<Option<View>, String> {
    view::apply(model, &args.spec()).map_err(|e| e.to_string())
}

/// The model and analysis to draw: the view's when there is one.
pub fn drawn<'a>(
    view: &'a Option<View>,
    model: &'a Model,
    analysis: &'a Analysis,
) -> (&'a Model, &'a Analysis) {
    match view {
        Some(v) => (&v.model, &v.analysis),
        None => (model, analysis),
    }
}
