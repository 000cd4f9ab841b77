//! The built-in SVG renderer: a data-flow diagram in classic DFD notation
//! (rectangles for external entities, ellipses for processes, open-ended
//! two-line stores, dashed red trust boundaries), with flow labels, threat
//! badges, a legend and a title block.
//!
//! [`svg`] is a pure function of the model: same model, byte-identical
//! SVG. Text is measured with the advance widths of DejaVu Sans, the first
//! font the SVG names ([`metrics`]); the compound layered layout comes from
//! [`crate::layout`]. The document structure (groups, classes, `data-tmd-*`
//! attributes, ids) is a contract documented in `docs/svg.md`.

mod draw;
#[rustfmt::skip]
mod font_widths;
mod legend;
pub mod metrics;
mod scene;
mod style;
mod xml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::analysis::Analysis;
use crate::model::{BoundaryId, ElementId, FlowId, Model, Target};

pub use style::scheme_css;

pub use scene::{
    flow_text, BADGE_FONT, BOUNDARY_FONT, FLOW_FONT, LABEL_FONT, MARGIN, SUBTITLE_FONT, TITLE_FONT,
};

/// How to render.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    /// Prefix for every `id` the SVG defines and the scope of its CSS, for
    /// an SVG that shares a page with others: `Some("d1")` gives ids such
    /// as `d1-el-web` and the root classes `tmd-diagram tmd-diagram-d1`.
    /// Characters other than ASCII letters, digits, `-` and `_` become `_`,
    /// and a prefix that does not start with a letter gets a `d` in front.
    pub id_prefix: Option<String>,
    /// Draw the legend.
    pub legend: bool,
    /// Draw the title block (title; author, dates, version).
    pub title_block: bool,
    /// Widest label line, in px, before the text wraps.
    pub max_label_width: f64,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            id_prefix: None,
            legend: true,
            title_block: true,
            max_label_width: 180.0,
        }
    }
}

/// A rendered diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub svg: String,
    /// Set when the layout had to cut corners (a very large model): the
    /// picture is complete but less tidy than usual.
    pub warning: Option<String>,
}

/// How an element, boundary or flow changed, for a visual diff
/// ([`crate::diff::visual`]): drawn in green, amber, or ghosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    Added,
    Changed,
    Removed,
}

impl Mark {
    /// `added`, `changed` or `removed`: the class suffix (`tmd-added`) and
    /// the value of `data-tmd-diff`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Changed => "changed",
            Mark::Removed => "removed",
        }
    }
}

/// Diff marks on the entries of the model being drawn; unmarked entries
/// are drawn as usual.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    pub elements: BTreeMap<ElementId, Mark>,
    pub boundaries: BTreeMap<BoundaryId, Mark>,
    pub flows: BTreeMap<FlowId, Mark>,
    /// Threat changes, on the badge of the element, boundary or flow they
    /// are on, with a tooltip line for each ("threat T4 added").
    pub badges: BTreeMap<Target, Mark>,
    pub badge_notes: BTreeMap<Target, Vec<String>>,
    /// Set for a visual diff (even one without changes): the diff styles
    /// and the legend's row of marks are drawn.
    pub enabled: bool,
}

impl Marks {
    /// The marks that occur, in the order added, changed, removed.
    pub fn present(&self) -> Vec<Mark> {
        [Mark::Added, Mark::Changed, Mark::Removed]
            .into_iter()
            .filter(|m| {
                self.elements.values().any(|x| x == m)
                    || self.boundaries.values().any(|x| x == m)
                    || self.flows.values().any(|x| x == m)
                    || self.badges.values().any(|x| x == m)
            })
            .collect()
    }
}

/// Renders the model as an SVG document.
pub fn svg(model: &Model, analysis: &Analysis, options: &SvgOptions) -> Rendered {
    svg_marked(model, analysis, options, &Marks::default())
}

/// Renders the model with diff marks: each marked `<g>` gets the class
/// `tmd-added`, `tmd-changed` or `tmd-removed` and `data-tmd-diff`, and the
/// legend explains the marks.
pub fn svg_marked(
    model: &Model,
    analysis: &Analysis,
    options: &SvgOptions,
    marks: &Marks,
) -> Rendered {
    let scene = scene::build(model, analysis, options, marks);
    let prefix = options
        .id_prefix
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(xml::token);
    let svg = draw::document(model, analysis, &scene, prefix.as_deref(), marks);
    Rendered {
        svg,
        warning: scene
            .degraded
            .map(|d| format!("the diagram's layout was simplified: {d}")),
    }
}

/// Layout quality of the diagram of a model: edge crossings, edges through
/// element boxes and so on (see [`crate::layout::Quality`]). For tests,
/// examples and comparisons; it repeats the layout.
pub fn quality(model: &Model, analysis: &Analysis, options: &SvgOptions) -> crate::layout::Quality {
    let scene = scene::build(model, analysis, options, &Marks::default());
    crate::layout::quality(&scene.graph, &scene.layout)
}

/// Where tmd's own diagram puts each element, boundary and flow (the
/// drawing's coordinates, without title block or legend), for exporters
/// that must look like tmd's picture (`emit::threat_dragon`): the same
/// layout as the SVG, not a second one.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// By element index.
    pub elements: Vec<crate::layout::Rect>,
    /// By boundary index.
    pub boundaries: Vec<crate::layout::Rect>,
    /// By flow index: the route's points (first and last on the ends'
    /// outlines) and the label's box, when it has a label.
    pub flows: Vec<(Vec<crate::layout::Point>, Option<crate::layout::Rect>)>,
}

/// The geometry of the model's diagram (see [`Geometry`]).
pub fn geometry(model: &Model, analysis: &Analysis) -> Geometry {
    let options = SvgOptions {
        legend: false,
        title_block: false,
        ..SvgOptions::default()
    };
    let scene = scene::build(model, analysis, &options, &Marks::default());
    Geometry {
        elements: scene.elements.iter().map(|e| e.rect).collect(),
        boundaries: scene.boundaries.iter().map(|b| b.rect).collect(),
        flows: scene
            .flows
            .iter()
            .map(|f| (f.points.clone(), f.label_rect))
            .collect(),
    }
}
