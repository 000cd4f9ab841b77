//! The facts a rule's condition reads, per target: one table of every
//! condition key (its type, what it is on, what it means: the threat
//! library's documentation is generated from it), and the facts of one
//! element or flow computed from the model and its analysis.
//!
//! Silence is kept: a flag the model does not state is `None`, and a rule
//! matches it only if it says so (`"not-true"`, `"unknown"`).

use std::collections::BTreeMap;

use super::trust;
use crate::analysis::Analysis;
use crate::model::protocol::protocol_encryption;
use crate::model::*;

/// What kind of value a condition key takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Yes, no or unknown; written `true`, `false`, `"unknown"`,
    /// `"not-true"` (false or unknown) or `"not-false"`.
    Flag,
    /// A number; the condition is a minimum.
    Count,
    /// Words; the condition lists the words any of which matches.
    Words,
}

/// What a condition key is a fact of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    Flow,
    Element,
    Boundary,
}

/// One condition key.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub on: On,
    pub ty: Ty,
    pub doc: &'static str,
}

const fn key(name: &'static str, on: On, ty: Ty, doc: &'static str) -> Key {
    Key { name, on, ty, doc }
}

/// Every condition key but the element properties, which come from
/// [`ElementProps::KEYS`] (on an element, and on a flow's `source.`,
/// `target.` and `initiator.`).
pub const KEYS: &[Key] = &[
    key("encrypted", On::Flow, Ty::Flag, "the flow carries its data encrypted: `encrypted` as written, else what its `protocol` says (HTTPS yes, HTTP no, gRPC unknown)"),
    key("authenticated", On::Flow, Ty::Flag, "the receiver authenticates the sender (`authenticated` as written)"),
    key("protocol", On::Flow, Ty::Words, "the first word of `protocol`, lower case"),
    key("crosses", On::Flow, Ty::Flag, "the flow crosses at least one trust boundary"),
    key("crossings", On::Flow, Ty::Count, "how many boundaries the flow crosses (out of and into)"),
    key("into_kind", On::Flow, Ty::Words, "the kinds of the boundaries the flow enters (`network`, `host`, ..., or a custom kind as written)"),
    key("out_of_kind", On::Flow, Ty::Words, "the kinds of the boundaries the flow leaves"),
    key("towards_more_trust", On::Flow, Ty::Flag, "the flow enters a boundary and ends at least as trusted as it started (see *Trust*)"),
    key("towards_less_trust", On::Flow, Ty::Flag, "the flow leaves a boundary and ends less trusted than it started"),
    key("reversed", On::Flow, Ty::Flag, "the receiver opens the connection and pulls the data (`initiator` is the target; never a response)"),
    key("response", On::Flow, Ty::Flag, "the flow answers a request (`response_to`)"),
    key("carries_data", On::Flow, Ty::Flag, "the flow names what it carries (`data` or `assets`)"),
    key("carries_sensitive", On::Flow, Ty::Flag, "the flow carries a sensitive data asset; unknown when it names no asset"),
    key("source_kind", On::Flow, Ty::Words, "the kind of the sending element: `external`, `process` or `store`"),
    key("target_kind", On::Flow, Ty::Words, "the kind of the receiving element"),
    key("initiator_kind", On::Flow, Ty::Words, "the kind of the element that opens the connection"),
    key("holds_data", On::Element, Ty::Flag, "the element names data assets it holds or handles (`assets`)"),
    key("holds_sensitive", On::Element, Ty::Flag, "the element holds or handles a sensitive asset, or a flow in or out of it carries one; unknown when none of them names an asset"),
    key("in_boundary", On::Element, Ty::Flag, "the element is inside a trust boundary"),
    key("receives_from_outside", On::Element, Ty::Flag, "a flow that crosses a boundary delivers data to the element (a request or a push; not a response)"),
    key("reached_from_outside", On::Element, Ty::Flag, "an element across a boundary opens a connection to it (writes to it, calls it, or pulls from it)"),
    key("sends_outside", On::Element, Ty::Flag, "the element sends data across a boundary (not a response)"),
    key("receives_unauthenticated_towards_trust", On::Element, Ty::Flag, "a flow into the element goes towards more trust and is not stated `authenticated: true` (silence counts as no)"),
    key("sends_unauthenticated_outside", On::Element, Ty::Flag, "the element sends across a boundary on a flow not stated `authenticated: true` (silence counts as no)"),
    key("receives_towards_trust", On::Element, Ty::Flag, "a flow into the element goes towards more trust (see *Trust*)"),
    key("faces_internet", On::Element, Ty::Flag, "`internet_facing` as written; when not written, whether an external entity across a boundary opens connections to it"),
    key("pulls_across", On::Element, Ty::Flag, "the element opens a connection across a boundary to pull data (the initiator of a reversed flow that crosses)"),
    key("receives_from_external", On::Element, Ty::Flag, "a flow from an external entity delivers data to it"),
    key("has_inbound", On::Element, Ty::Flag, "some flow delivers data to the element"),
    key("has_outbound", On::Element, Ty::Flag, "the element sends data on some flow"),
    key("crossed", On::Boundary, Ty::Flag, "some flow crosses the boundary"),
    key("crossed_by_sensitive", On::Boundary, Ty::Flag, "a flow that crosses the boundary carries a sensitive asset; unknown when none names an asset"),
    key("nested", On::Boundary, Ty::Flag, "the boundary is inside another one"),
    key("writes_store", On::Element, Ty::Flag, "the element sends data to a store"),
];

/// The prefixes under which a flow reads its ends' properties.
pub const ENDS: [&str; 3] = ["source", "target", "initiator"];

/// A fact's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    Flag(Option<bool>),
    Count(usize),
    Words(Vec<String>),
}

/// The type and owner of a condition key, if it is one; `source.`,
/// `target.` and `initiator.` keys are properties of a flow's ends.
pub fn lookup(name: &str) -> Option<(On, Ty)> {
    if let Some(k) = KEYS.iter().find(|k| k.name == name) {
        return Some((k.on, k.ty));
    }
    if ElementProps::KEYS.contains(&name) {
        return Some((On::Element, Ty::Flag));
    }
    let (end, prop) = name.split_once('.')?;
    (ENDS.contains(&end) && ElementProps::KEYS.contains(&prop)).then_some((On::Flow, Ty::Flag))
}

/// Every key name, for "did you mean".
pub fn names() -> Vec<String> {
    let mut out: Vec<String> = KEYS.iter().map(|k| k.name.to_string()).collect();
    out.extend(ElementProps::KEYS.iter().map(|k| k.to_string()));
    for end in ENDS {
        out.extend(ElementProps::KEYS.iter().map(|k| format!("{end}.{k}")));
    }
    out
}

pub type Facts = BTreeMap<String, Fact>;

fn flag(facts: &mut Facts, name: &str, value: Option<bool>) {
    facts.insert(name.to_string(), Fact::Flag(value));
}

fn words(facts: &mut Facts, name: &str, value: Vec<String>) {
    facts.insert(name.to_string(), Fact::Words(value));
}

/// Whether a flow's data is encrypted: as written, else its protocol's.
pub fn flow_encrypted(flow: &Flow) -> Option<bool> {
    flow.encrypted
        .or_else(|| flow.protocol.as_deref().and_then(protocol_encryption))
}

/// Whether any of the assets is sensitive; unknown when there are none.
fn sensitive(model: &Model, assets: &[AssetId]) -> Option<bool> {
    if assets.is_empty() {
        None
    } else {
        Some(assets.iter().any(|&a| model.is_sensitive(a)))
    }
}

fn kind_word(model: &Model, b: BoundaryId) -> Option<String> {
    model[b]
        .kind
        .as_ref()
        .map(|k| k.as_str().to_ascii_lowercase())
}

/// The facts of a flow.
pub fn of_flow(model: &Model, analysis: &Analysis, f: FlowId) -> Facts {
    let flow = &model[f];
    let crossings = analysis
        .flows
        .get(f.index())
        .map(|x| x.crossings.as_slice())
        .unwrap_or_default();
    let mut facts = Facts::new();
    flag(&mut facts, "encrypted", flow_encrypted(flow));
    flag(&mut facts, "authenticated", flow.authenticated);
    let protocol = flow
        .protocol
        .as_deref()
        .and_then(|p| {
            p.split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
        })
        .map(str::to_ascii_lowercase);
    words(&mut facts, "protocol", protocol.into_iter().collect());
    flag(&mut facts, "crosses", Some(!crossings.is_empty()));
    facts.insert("crossings".into(), Fact::Count(crossings.len()));
    let kinds = |direction: crate::analysis::Direction| -> Vec<String> {
        crossings
            .iter()
            .filter(|c| c.direction == direction)
            .filter_map(|c| kind_word(model, c.boundary))
            .collect()
    };
    words(
        &mut facts,
        "into_kind",
        kinds(crate::analysis::Direction::In),
    );
    words(
        &mut facts,
        "out_of_kind",
        kinds(crate::analysis::Direction::Out),
    );
    flag(
        &mut facts,
        "towards_more_trust",
        Some(trust::towards_more(analysis, flow, crossings)),
    );
    flag(
        &mut facts,
        "towards_less_trust",
        Some(trust::towards_less(analysis, flow, crossings)),
    );
    flag(&mut facts, "reversed", Some(flow.is_reversed()));
    flag(&mut facts, "response", Some(flow.response_to.is_some()));
    flag(
        &mut facts,
        "carries_data",
        Some(!flow.assets.is_empty() || !flow.data.is_empty()),
    );
    flag(
        &mut facts,
        "carries_sensitive",
        sensitive(model, &flow.assets),
    );
    let ends = [
        ("source", flow.source),
        ("target", flow.target),
        ("initiator", flow.initiator_element()),
    ];
    for (end, e) in ends {
        let element = &model[e];
        words(
            &mut facts,
            &format!("{end}_kind"),
            vec![element.kind.as_str().to_string()],
        );
        for prop in ElementProps::KEYS {
            flag(
                &mut facts,
                &format!("{end}.{prop}"),
                element.props.get(prop),
            );
        }
    }
    facts
}

/// The facts of an element.
pub fn of_element(model: &Model, analysis: &Analysis, e: ElementId) -> Facts {
    let element = &model[e];
    let mut facts = Facts::new();
    for prop in ElementProps::KEYS {
        flag(&mut facts, prop, element.props.get(prop));
    }
    let Some(mine) = analysis.elements.get(e.index()) else {
        return facts;
    };
    let crosses = |f: FlowId| {
        analysis
            .flows
            .get(f.index())
            .is_some_and(|x| !x.crossings.is_empty())
    };
    let mut assets = element.assets.clone();
    for &f in mine.flows_in.iter().chain(&mine.flows_out) {
        assets.extend(model[f].assets.iter().copied());
    }
    flag(&mut facts, "holds_data", Some(!element.assets.is_empty()));
    flag(&mut facts, "holds_sensitive", sensitive(model, &assets));
    flag(&mut facts, "in_boundary", Some(element.boundary.is_some()));
    let requests_in = || {
        mine.flows_in
            .iter()
            .copied()
            .filter(|&f| model[f].response_to.is_none())
    };
    let towards = |f: FlowId| {
        let crossings = analysis
            .flows
            .get(f.index())
            .map(|x| x.crossings.as_slice())
            .unwrap_or_default();
        trust::towards_more(analysis, &model[f], crossings)
    };
    flag(
        &mut facts,
        "receives_from_outside",
        Some(requests_in().any(crosses)),
    );
    // Flows touching it that the other end opens.
    let opened_by_other = mine
        .flows_in
        .iter()
        .chain(&mine.flows_out)
        .copied()
        .filter(|&f| model[f].initiator_element() != e && model[f].response_to.is_none());
    let mut reached = false;
    let mut from_external_across = false;
    for f in opened_by_other {
        if crosses(f) {
            reached = true;
            let flow = &model[f];
            let other = if flow.source == e {
                flow.target
            } else {
                flow.source
            };
            from_external_across |= model[other].kind == ElementKind::External;
        }
    }
    flag(&mut facts, "reached_from_outside", Some(reached));
    flag(
        &mut facts,
        "sends_outside",
        Some(
            mine.flows_out
                .iter()
                .copied()
                .filter(|&f| model[f].response_to.is_none())
                .any(crosses),
        ),
    );
    flag(
        &mut facts,
        "receives_towards_trust",
        Some(mine.flows_in.iter().copied().any(towards)),
    );
    flag(
        &mut facts,
        "receives_unauthenticated_towards_trust",
        Some(
            requests_in()
                .filter(|&f| model[f].authenticated != Some(true))
                .any(towards),
        ),
    );
    flag(
        &mut facts,
        "sends_unauthenticated_outside",
        Some(
            mine.flows_out
                .iter()
                .copied()
                .filter(|&f| model[f].response_to.is_none() && model[f].authenticated != Some(true))
                .any(crosses),
        ),
    );
    flag(
        &mut facts,
        "faces_internet",
        Some(
            element
                .props
                .internet_facing
                .unwrap_or(from_external_across),
        ),
    );
    flag(
        &mut facts,
        "pulls_across",
        Some(
            mine.flows_in
                .iter()
                .any(|&f| model[f].is_reversed() && crosses(f)),
        ),
    );
    flag(
        &mut facts,
        "receives_from_external",
        Some(
            mine.flows_in
                .iter()
                .any(|&f| model[model[f].source].kind == ElementKind::External),
        ),
    );
    flag(&mut facts, "has_inbound", Some(!mine.flows_in.is_empty()));
    flag(&mut facts, "has_outbound", Some(!mine.flows_out.is_empty()));
    flag(
        &mut facts,
        "writes_store",
        Some(
            mine.flows_out
                .iter()
                .any(|&f| model[model[f].target].kind == ElementKind::Store),
        ),
    );
    facts
}

/// The facts of a boundary.
pub fn of_boundary(model: &Model, analysis: &Analysis, b: BoundaryId) -> Facts {
    let mut facts = Facts::new();
    let mine = analysis.boundaries.get(b.index());
    let crossing = mine
        .map(|x| x.crossing_flows.as_slice())
        .unwrap_or_default();
    let assets = mine
        .map(|x| x.crossing_assets.as_slice())
        .unwrap_or_default();
    flag(&mut facts, "crossed", Some(!crossing.is_empty()));
    flag(&mut facts, "crossed_by_sensitive", sensitive(model, assets));
    flag(&mut facts, "nested", Some(model[b].parent.is_some()));
    facts
}
