//! The assessment report's section on data (language 0.2), in both of its
//! forms: the data assets with their classification and ratings, the data
//! that crosses each trust boundary, and the flows that carry it across,
//! most sensitive first. A model that declares no asset has no such
//! section (its report reads as it did before assets existed).
//!
//! [`Data::of`] gathers the facts once (every user string `visible()`);
//! [`markdown`] and [`html`] only lay them out and escape.

use std::fmt::Write as _;

use super::assessment::{self, fragment, FlowView};
use super::html::{esc, esc_breakable};
use super::markdown::{code, escape};
use super::text::visible;
use crate::analysis::Analysis;
use crate::model::protocol::protocol_encryption;
use crate::model::*;

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// The in-page anchor of an asset's row.
pub fn asset_anchor(id: &str) -> String {
    format!("as-{}", fragment(id))
}

/// An asset as the tables name it.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetRef {
    pub id: String,
    pub label: String,
    pub level: String,
    pub sensitive: bool,
    pub anchor: String,
}

/// A link to an element or a boundary's section.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub label: String,
    pub anchor: String,
}

/// One row of the assets table.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetRow {
    pub asset: AssetRef,
    pub description: Option<String>,
    pub confidentiality: Option<CiaRating>,
    pub integrity: Option<CiaRating>,
    pub availability: Option<CiaRating>,
    /// The elements that hold or handle it.
    pub held_by: Vec<Place>,
    /// The IDs of the flows that carry it.
    pub carried_by: Vec<String>,
    /// The boundaries flows carry it across.
    pub crosses: Vec<Place>,
}

/// The data that crosses one boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryData {
    pub boundary: Place,
    pub id: String,
    /// Most sensitive first.
    pub assets: Vec<AssetRef>,
}

/// How a flow protects its data in transit, as the report says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// `encrypted: true`.
    Encrypted,
    /// `encrypted` not given; the protocol is a known encrypted one.
    ByProtocol,
    /// `encrypted: false`.
    NotEncrypted,
    /// `encrypted` not given; the protocol is a known plain one (`HTTP`).
    PlainProtocol,
    /// Nothing says it is encrypted.
    NotStated,
}

impl Protection {
    fn of(flow: &Flow) -> Protection {
        match flow.encrypted {
            Some(true) => Protection::Encrypted,
            Some(false) => Protection::NotEncrypted,
            None => match flow.protocol.as_deref().and_then(protocol_encryption) {
                Some(true) => Protection::ByProtocol,
                Some(false) => Protection::PlainProtocol,
                None => Protection::NotStated,
            },
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Protection::Encrypted => "yes",
            Protection::ByProtocol => "yes (by its protocol)",
            Protection::NotEncrypted => "no",
            Protection::PlainProtocol => "no (by its protocol)",
            Protection::NotStated => "not stated",
        }
    }

    pub fn encrypted(self) -> bool {
        matches!(self, Protection::Encrypted | Protection::ByProtocol)
    }
}

/// A flow that carries data across a boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowData {
    pub flow: FlowView,
    /// Most sensitive first.
    pub assets: Vec<AssetRef>,
    pub protection: Protection,
}

impl FlowData {
    /// Sensitive data that is not encrypted (what TMD115 warns about).
    pub fn exposed(&self) -> bool {
        !self.protection.encrypted() && self.assets.iter().any(|a| a.sensitive)
    }
}

/// Everything the data section shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Data {
    /// Lowest first.
    pub levels: Vec<String>,
    /// The lowest sensitive level.
    pub sensitive: Option<String>,
    /// Most sensitive first.
    pub assets: Vec<AssetRow>,
    /// Boundaries that data crosses, the one crossed by the most
    /// sensitive data first.
    pub boundaries: Vec<BoundaryData>,
    /// Flows that carry data across a boundary, most sensitive first.
    pub flows: Vec<FlowData>,
}

impl Data {
    /// The section's facts; `None` for a model without assets.
    /// `crossings` are the report's views of the crossing flows.
    pub fn of(model: &Model, analysis: &Analysis, crossings: &[FlowView]) -> Option<Data> {
        if model.assets.is_empty() {
            return None;
        }
        let asset_ref = |a: AssetId| AssetRef {
            id: v(&model[a].name),
            label: v(&model[a].label),
            level: v(model.classification_of(a)),
            sensitive: model.is_sensitive(a),
            anchor: asset_anchor(&model[a].name),
        };
        let element = |e: ElementId| Place {
            label: v(&model[e].label),
            anchor: assessment::target_anchor(model, Target::Element(e)),
        };
        let boundary = |b: BoundaryId| Place {
            label: v(&model[b].label),
            anchor: assessment::target_anchor(model, Target::Boundary(b)),
        };
        let mut order: Vec<AssetId> = model.asset_ids().collect();
        model.sort_by_sensitivity(&mut order);
        let assets = order
            .into_iter()
            .map(|a| {
                let asset = &model[a];
                let facts = analysis.asset(a);
                AssetRow {
                    asset: asset_ref(a),
                    description: asset.description.as_deref().map(v),
                    confidentiality: asset.confidentiality,
                    integrity: asset.integrity,
                    availability: asset.availability,
                    held_by: facts.elements.iter().map(|&e| element(e)).collect(),
                    carried_by: facts.flows.iter().map(|&f| v(&model[f].name)).collect(),
                    crosses: facts.boundaries.iter().map(|&b| boundary(b)).collect(),
                }
            })
            .collect();
        let mut crossed: Vec<BoundaryId> = model
            .boundary_ids()
            .filter(|&b| !analysis.boundary(b).crossing_assets.is_empty())
            .collect();
        let worst = |b: BoundaryId| analysis.boundary(b).crossing_assets.first().copied();
        crossed.sort_by(|&x, &y| match (worst(x), worst(y)) {
            (Some(a), Some(b)) => model.sensitivity_cmp(a, b).then(x.cmp(&y)),
            _ => x.cmp(&y),
        });
        let boundaries = crossed
            .into_iter()
            .map(|b| BoundaryData {
                boundary: boundary(b),
                id: v(&model[b].name),
                assets: analysis
                    .boundary(b)
                    .crossing_assets
                    .iter()
                    .map(|&a| asset_ref(a))
                    .collect(),
            })
            .collect();
        let mut carrying: Vec<&FlowView> = crossings
            .iter()
            .filter(|view| !model[view.flow].assets.is_empty())
            .collect();
        let most = |view: &FlowView| analysis.flow(view.flow).most_sensitive;
        carrying.sort_by(|x, y| match (most(x), most(y)) {
            (Some(a), Some(b)) => model.sensitivity_cmp(a, b).then(x.flow.cmp(&y.flow)),
            _ => x.flow.cmp(&y.flow),
        });
        let flows = carrying
            .into_iter()
            .map(|view| {
                let mut assets = model[view.flow].assets.clone();
                model.sort_by_sensitivity(&mut assets);
                FlowData {
                    flow: view.clone(),
                    assets: assets.into_iter().map(asset_ref).collect(),
                    protection: Protection::of(&model[view.flow]),
                }
            })
            .collect();
        Some(Data {
            levels: model.classification.levels.iter().map(|l| v(l)).collect(),
            sensitive: model.classification.sensitive_level().map(v),
            assets,
            boundaries,
            flows,
        })
    }
}

fn rating(r: Option<CiaRating>) -> &'static str {
    r.map_or("—", CiaRating::as_str)
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// `Card data` (restricted), in bold when sensitive, linked to its row.
fn asset_md(a: &AssetRef) -> String {
    let name = format!("[{}](#{})", escape(&a.label), a.anchor);
    if a.sensitive {
        format!("**{name}** ({})", escape(&a.level))
    } else {
        format!("{name} ({})", escape(&a.level))
    }
}

fn places_md(places: &[Place]) -> String {
    if places.is_empty() {
        return "—".to_string();
    }
    places
        .iter()
        .map(|p| format!("[{}](#{})", escape(&p.label), p.anchor))
        .collect::<Vec<_>>()
        .join(", ")
}

fn levels_md(d: &Data) -> String {
    d.levels
        .iter()
        .map(|l| {
            if d.sensitive.as_deref() == Some(l.as_str()) {
                format!("**{}**", escape(l))
            } else {
                escape(l)
            }
        })
        .collect::<Vec<_>>()
        .join(" < ")
}

/// The `## Data` section of the Markdown report; nothing without assets.
pub fn markdown(out: &mut String, data: Option<&Data>) {
    let Some(d) = data else {
        return;
    };
    out.push_str("## Data\n\n");
    let _ = write!(
        out,
        "The data assets the model declares, most sensitive first. Classification levels, lowest first: {}",
        levels_md(d)
    );
    match &d.sensitive {
        Some(level) => {
            let _ = writeln!(
                out,
                "; data classified {} or higher is sensitive (in bold).\n",
                escape(level)
            );
        }
        None => out.push_str(".\n\n"),
    }
    out.push_str("| Asset | Classification | Confidentiality | Integrity | Availability | Held or handled by | Carried by | Crosses |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for row in &d.assets {
        let a = &row.asset;
        let mut name = format!("<a id=\"{}\"></a>", a.anchor);
        if a.sensitive {
            let _ = write!(name, "**{}**", escape(&a.label));
        } else {
            name.push_str(&escape(&a.label));
        }
        let _ = write!(name, " ({})", code(&a.id));
        if let Some(text) = &row.description {
            let _ = write!(name, ": {}", escape(text));
        }
        let level = if a.sensitive {
            format!("{} (sensitive)", escape(&a.level))
        } else {
            escape(&a.level)
        };
        let carried = if row.carried_by.is_empty() {
            "—".to_string()
        } else {
            row.carried_by
                .iter()
                .map(|f| code(f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {name} | {level} | {} | {} | {} | {} | {carried} | {} |",
            rating(row.confidentiality),
            rating(row.integrity),
            rating(row.availability),
            places_md(&row.held_by),
            places_md(&row.crosses),
        );
    }
    out.push('\n');
    out.push_str("### Data crossing trust boundaries\n\n");
    if d.flows.is_empty() {
        out.push_str("*No flow carries a declared asset across a trust boundary.*\n\n");
        return;
    }
    out.push_str(
        "Each boundary with the data that flows carry across it, most sensitive first.\n\n",
    );
    out.push_str("| Boundary | Data crossing it |\n| --- | --- |\n");
    for b in &d.boundaries {
        let assets: Vec<String> = b.assets.iter().map(asset_md).collect();
        let _ = writeln!(
            out,
            "| [{}](#{}) ({}) | {} |",
            escape(&b.boundary.label),
            b.boundary.anchor,
            code(&b.id),
            assets.join(", ")
        );
    }
    out.push('\n');
    out.push_str("The flows that carry it, the flow with the most sensitive data first. Sensitive data that is not encrypted is what TMD115 warns about.\n\n");
    out.push_str("| Data | Flow | From | To | Boundaries crossed | Encrypted |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for f in &d.flows {
        let view = &f.flow;
        let flow = if view.has_section {
            format!(
                "[{}](#{}) ({})",
                escape(&view.label),
                view.anchor,
                code(&view.id)
            )
        } else {
            format!("{} ({})", escape(&view.label), code(&view.id))
        };
        let assets: Vec<String> = f.assets.iter().map(asset_md).collect();
        let protection = if f.exposed() {
            format!("**{}**", f.protection.words())
        } else {
            f.protection.words().to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {flow} | [{}](#{}) | [{}](#{}) | {} | {protection} |",
            assets.join(", "),
            escape(&view.source_label),
            view.source_anchor,
            escape(&view.target_label),
            view.target_anchor,
            escape(&view.crossings_text()),
        );
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

fn asset_html(a: &AssetRef) -> String {
    let class = if a.sensitive {
        "asset asset-sensitive"
    } else {
        "asset"
    };
    format!(
        "<a class=\"{class}\" href=\"#{}\">{}</a> <span class=\"level\">({})</span>",
        esc(&a.anchor),
        esc(&a.label),
        esc(&a.level)
    )
}

fn places_html(places: &[Place]) -> String {
    if places.is_empty() {
        return "<span class=\"muted\">—</span>".to_string();
    }
    places
        .iter()
        .map(|p| format!("<a href=\"#{}\">{}</a>", esc(&p.anchor), esc(&p.label)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rating_html(r: Option<CiaRating>) -> String {
    match r {
        Some(r) => format!("<span class=\"rating rating-{0}\">{0}</span>", r.as_str()),
        None => "<span class=\"muted\">—</span>".to_string(),
    }
}

/// The count in the contents, for the HTML report.
pub fn count(data: Option<&Data>) -> Option<usize> {
    data.map(|d| d.assets.len())
}

/// The `data` section of the HTML report; nothing without assets.
pub fn html(out: &mut String, data: Option<&Data>) {
    let Some(d) = data else {
        return;
    };
    let _ = write!(
        out,
        "<section id=\"data\" class=\"data-assets\">\n<h2>Data<span class=\"count\">{}</span></h2>\n",
        d.assets.len()
    );
    let levels: Vec<String> = d
        .levels
        .iter()
        .map(|l| {
            if d.sensitive.as_deref() == Some(l.as_str()) {
                format!("<strong>{}</strong>", esc(l))
            } else {
                esc(l)
            }
        })
        .collect();
    let _ = write!(
        out,
        "<p class=\"lead\">The data assets the model declares, most sensitive first. Classification levels, lowest first: {}",
        levels.join(" &lt; ")
    );
    match &d.sensitive {
        Some(level) => {
            let _ = writeln!(
                out,
                "; data classified {} or higher is <span class=\"asset-sensitive\">sensitive</span>.</p>",
                esc(level)
            );
        }
        None => out.push_str(".</p>\n"),
    }
    out.push_str("<div class=\"table-wrap\"><table class=\"assets\">\n<thead><tr><th>Asset</th><th>Classification</th><th>Confidentiality</th><th>Integrity</th><th>Availability</th><th>Held or handled by</th><th>Carried by</th><th>Crosses</th></tr></thead>\n<tbody>\n");
    for row in &d.assets {
        let a = &row.asset;
        let class = if a.sensitive {
            "asset asset-sensitive"
        } else {
            "asset"
        };
        let mut name = format!(
            "<span class=\"{class}\">{}</span> <code>{}</code>",
            esc(&a.label),
            esc(&a.id)
        );
        if let Some(text) = &row.description {
            let _ = write!(
                name,
                "<div class=\"description\">{}</div>",
                esc(text).replace('\n', "<br>")
            );
        }
        let level = if a.sensitive {
            format!(
                "{} <span class=\"tag tag-sensitive\">sensitive</span>",
                esc(&a.level)
            )
        } else {
            esc(&a.level)
        };
        let carried = if row.carried_by.is_empty() {
            "<span class=\"muted\">—</span>".to_string()
        } else {
            row.carried_by
                .iter()
                .map(|f| format!("<code>{}</code>", esc_breakable(f)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "<tr id=\"{}\"><td>{name}</td><td>{level}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{carried}</td><td>{}</td></tr>",
            esc(&a.anchor),
            rating_html(row.confidentiality),
            rating_html(row.integrity),
            rating_html(row.availability),
            places_html(&row.held_by),
            places_html(&row.crosses),
        );
    }
    out.push_str("</tbody></table></div>\n<h3>Data crossing trust boundaries</h3>\n");
    if d.flows.is_empty() {
        out.push_str("<p class=\"lead\">No flow carries a declared asset across a trust boundary.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"lead\">Each boundary with the data that flows carry across it, most sensitive first.</p>\n");
    out.push_str("<div class=\"table-wrap\"><table class=\"data-boundaries\">\n<thead><tr><th>Boundary</th><th>Data crossing it</th></tr></thead>\n<tbody>\n");
    for b in &d.boundaries {
        let assets: Vec<String> = b.assets.iter().map(asset_html).collect();
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a> <code>{}</code></td><td>{}</td></tr>",
            esc(&b.boundary.anchor),
            esc(&b.boundary.label),
            esc(&b.id),
            assets.join(", ")
        );
    }
    out.push_str("</tbody></table></div>\n");
    out.push_str("<p class=\"lead\">The flows that carry it, the flow with the most sensitive data first. Sensitive data that is not encrypted is what TMD115 warns about.</p>\n");
    out.push_str("<div class=\"table-wrap\"><table class=\"data-flows\">\n<thead><tr><th>Data</th><th>Flow</th><th>From</th><th>To</th><th>Boundaries crossed</th><th>Encrypted</th></tr></thead>\n<tbody>\n");
    for f in &d.flows {
        let view = &f.flow;
        let label = if view.has_section {
            format!(
                "<a href=\"#{}\">{}</a>",
                esc(&view.anchor),
                esc(&view.label)
            )
        } else {
            esc(&view.label)
        };
        let assets: Vec<String> = f.assets.iter().map(asset_html).collect();
        let protection = if f.exposed() {
            format!(
                "<span class=\"unprotected\">{}</span>",
                f.protection.words()
            )
        } else {
            f.protection.words().to_string()
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{label} <code>{}</code></td><td><a href=\"#{}\">{}</a></td><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{protection}</td></tr>",
            assets.join(", "),
            esc_breakable(&view.id),
            esc(&view.source_anchor),
            esc(&view.source_label),
            esc(&view.target_anchor),
            esc(&view.target_label),
            esc(&view.crossings_text()),
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}
