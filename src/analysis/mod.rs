//! Facts derived from a model: boundary crossings, reversed-initiator
//! flows, and per-element, per-boundary and per-flow facts (flows in and
//! out, threats, worst open severity, STRIDE gaps), and since language 0.2
//! the threats that name each control, the data assets that cross each
//! boundary (most sensitive first), where each asset goes, and what rests
//! on each assumption. Pure and cheap: one pass over flows, one over
//! threats and one over assumptions.

use std::collections::BTreeMap;

use crate::model::*;

/// Into or out of a boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    /// The preposition a sentence needs: a flow crosses "into" or "out of"
    /// a boundary.
    pub fn preposition(self) -> &'static str {
        match self {
            Direction::In => "into",
            Direction::Out => "out of",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Crossing {
    pub boundary: BoundaryId,
    pub direction: Direction,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowFacts {
    /// In the order the data passes them: out of the source's boundaries
    /// innermost first, then into the target's outermost first.
    pub crossings: Vec<Crossing>,
    pub reversed: bool,
    pub threats: Vec<ThreatId>,
    /// The highest severity of its threats that count as open (open, and
    /// not on an out-of-scope element).
    pub worst_open: Option<Severity>,
    /// The most sensitive of the assets it carries
    /// ([`Model::sensitivity_cmp`]); none when it carries none.
    pub most_sensitive: Option<AssetId>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ElementFacts {
    /// Outermost first.
    pub boundary_path: Vec<BoundaryId>,
    pub flows_in: Vec<FlowId>,
    pub flows_out: Vec<FlowId>,
    pub threats: Vec<ThreatId>,
    /// As for flows: none for an out-of-scope element.
    pub worst_open: Option<Severity>,
    /// Letters that apply to the element's kind with no threat on it.
    pub stride_gaps: Stride,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoundaryFacts {
    /// Outermost first, the boundary itself last.
    pub path: Vec<BoundaryId>,
    pub threats: Vec<ThreatId>,
    pub worst_open: Option<Severity>,
    /// Flows that cross it, in declaration order.
    pub crossing_flows: Vec<FlowId>,
    /// The assets that its crossing flows carry, most sensitive first
    /// ([`Model::sensitivity_cmp`]), each once.
    pub crossing_assets: Vec<AssetId>,
}

/// Where a data asset goes (language 0.2).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssetFacts {
    /// The flows that carry it, in declaration order.
    pub flows: Vec<FlowId>,
    /// The elements that hold or handle it, in declaration order.
    pub elements: Vec<ElementId>,
    /// The boundaries that flows carry it across, in declaration order.
    pub boundaries: Vec<BoundaryId>,
}

/// What is known of a control (language 0.2).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ControlFacts {
    /// The threats that name it, in declaration order.
    pub threats: Vec<ThreatId>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub elements: Vec<ElementFacts>,
    pub boundaries: Vec<BoundaryFacts>,
    pub flows: Vec<FlowFacts>,
    pub controls: Vec<ControlFacts>,
    pub assets: Vec<AssetFacts>,
    /// The assumptions each threat, element, flow or boundary rests on,
    /// in declaration order (language 0.2).
    pub resting: BTreeMap<Dependent, Vec<AssumptionId>>,
}

/// STRIDE per element: the letters that apply to each kind of target.
pub fn applicable(kind: &str) -> Stride {
    match kind {
        "external" => Stride::from_letters("SR"),
        "process" => Stride::ALL,
        "store" => Stride::from_letters("TRID"),
        "flow" => Stride::from_letters("TID"),
        _ => Stride::ALL,
    }
}

pub fn analyze(model: &Model) -> Analysis {
    let mut analysis = Analysis {
        elements: vec![ElementFacts::default(); model.elements.len()],
        boundaries: vec![BoundaryFacts::default(); model.boundaries.len()],
        flows: vec![FlowFacts::default(); model.flows.len()],
        controls: vec![ControlFacts::default(); model.controls.len()],
        assets: vec![AssetFacts::default(); model.assets.len()],
        resting: BTreeMap::new(),
    };
    for a in model.assumption_ids() {
        for &d in &model[a].dependents {
            analysis.resting.entry(d).or_default().push(a);
        }
    }
    for (b, facts) in model.boundary_ids().zip(analysis.boundaries.iter_mut()) {
        facts.path = model.boundary_chain(Some(b));
    }
    for (e, facts) in model.element_ids().zip(analysis.elements.iter_mut()) {
        facts.boundary_path = model.boundary_chain(model[e].boundary);
    }
    for f in model.flow_ids() {
        let flow = &model[f];
        let crossings = crossings(
            path(&analysis.elements, flow.source),
            path(&analysis.elements, flow.target),
        );
        for c in &crossings {
            if let Some(b) = analysis.boundaries.get_mut(c.boundary.index()) {
                // Flows come in ID order and a flow crosses a boundary at
                // most once: checking the last entry keeps this linear.
                if b.crossing_flows.last() != Some(&f) {
                    b.crossing_flows.push(f);
                }
            }
        }
        for &a in &flow.assets {
            if let Some(asset) = analysis.assets.get_mut(a.index()) {
                asset.flows.push(f);
                asset
                    .boundaries
                    .extend(crossings.iter().map(|c| c.boundary));
            }
            for c in &crossings {
                if let Some(b) = analysis.boundaries.get_mut(c.boundary.index()) {
                    b.crossing_assets.push(a);
                }
            }
        }
        if let Some(facts) = analysis.flows.get_mut(f.index()) {
            facts.crossings = crossings;
            facts.reversed = flow.is_reversed();
            facts.most_sensitive = model.most_sensitive(flow.assets.iter().copied());
        }
        if let Some(facts) = analysis.elements.get_mut(flow.source.index()) {
            facts.flows_out.push(f);
        }
        if let Some(facts) = analysis.elements.get_mut(flow.target.index()) {
            facts.flows_in.push(f);
        }
    }
    for t in model.threat_ids() {
        let threat = &model[t];
        // Out-of-scope threats are not open in any count.
        let open = model.counts_as_open(t).then_some(threat.severity);
        // A threat counts on every one of its targets.
        for &target in &threat.targets {
            let (threats, worst) = match target {
                Target::Element(e) => match analysis.elements.get_mut(e.index()) {
                    Some(f) => (&mut f.threats, &mut f.worst_open),
                    None => continue,
                },
                Target::Boundary(b) => match analysis.boundaries.get_mut(b.index()) {
                    Some(f) => (&mut f.threats, &mut f.worst_open),
                    None => continue,
                },
                Target::Flow(fl) => match analysis.flows.get_mut(fl.index()) {
                    Some(f) => (&mut f.threats, &mut f.worst_open),
                    None => continue,
                },
            };
            threats.push(t);
            *worst = (*worst).max(open);
        }
        for &c in &threat.controls {
            if let Some(facts) = analysis.controls.get_mut(c.index()) {
                // A threat names a control at most once (lowering).
                facts.threats.push(t);
            }
        }
    }
    for e in model.element_ids() {
        for &a in &model[e].assets {
            if let Some(asset) = analysis.assets.get_mut(a.index()) {
                asset.elements.push(e);
            }
        }
    }
    for asset in &mut analysis.assets {
        asset.boundaries.sort();
        asset.boundaries.dedup();
    }
    for boundary in &mut analysis.boundaries {
        model.sort_by_sensitivity(&mut boundary.crossing_assets);
    }
    for (e, facts) in model.element_ids().zip(analysis.elements.iter_mut()) {
        let covered = facts.threats.iter().fold(Stride::EMPTY, |acc, &t| {
            acc.union(model[t].stride.unwrap_or(Stride::EMPTY))
        });
        facts.stride_gaps = applicable(model[e].kind.as_str()).minus(covered);
    }
    analysis
}

fn path(elements: &[ElementFacts], e: ElementId) -> &[BoundaryId] {
    elements
        .get(e.index())
        .map_or(&[], |f| f.boundary_path.as_slice())
}

/// The boundaries holding exactly one of the two endpoints, in the order
/// the data passes them.
fn crossings(source: &[BoundaryId], target: &[BoundaryId]) -> Vec<Crossing> {
    let common = source
        .iter()
        .zip(target)
        .take_while(|(a, b)| a == b)
        .count();
    let out = source
        .get(common..)
        .unwrap_or(&[])
        .iter()
        .rev()
        .map(|&boundary| Crossing {
            boundary,
            direction: Direction::Out,
        });
    let into = target
        .get(common..)
        .unwrap_or(&[])
        .iter()
        .map(|&boundary| Crossing {
            boundary,
            direction: Direction::In,
        });
    out.chain(into).collect()
}

impl Analysis {
    pub fn element(&self, id: ElementId) -> &ElementFacts {
        static EMPTY: ElementFacts = ElementFacts {
            boundary_path: Vec::new(),
            flows_in: Vec::new(),
            flows_out: Vec::new(),
            threats: Vec::new(),
            worst_open: None,
            stride_gaps: Stride::EMPTY,
        };
        self.elements.get(id.index()).unwrap_or(&EMPTY)
    }

    pub fn flow(&self, id: FlowId) -> &FlowFacts {
        static EMPTY: FlowFacts = FlowFacts {
            crossings: Vec::new(),
            reversed: false,
            threats: Vec::new(),
            worst_open: None,
            most_sensitive: None,
        };
        self.flows.get(id.index()).unwrap_or(&EMPTY)
    }

    pub fn boundary(&self, id: BoundaryId) -> &BoundaryFacts {
        static EMPTY: BoundaryFacts = BoundaryFacts {
            path: Vec::new(),
            threats: Vec::new(),
            worst_open: None,
            crossing_flows: Vec::new(),
            crossing_assets: Vec::new(),
        };
        self.boundaries.get(id.index()).unwrap_or(&EMPTY)
    }

    pub fn control(&self, id: ControlId) -> &ControlFacts {
        static EMPTY: ControlFacts = ControlFacts {
            threats: Vec::new(),
        };
        self.controls.get(id.index()).unwrap_or(&EMPTY)
    }

    pub fn asset(&self, id: AssetId) -> &AssetFacts {
        static EMPTY: AssetFacts = AssetFacts {
            flows: Vec::new(),
            elements: Vec::new(),
            boundaries: Vec::new(),
        };
        self.assets.get(id.index()).unwrap_or(&EMPTY)
    }

    /// The assumptions something rests on, in declaration order.
    pub fn assumptions_of(&self, dependent: Dependent) -> &[AssumptionId] {
        self.resting.get(&dependent).map_or(&[], Vec::as_slice)
    }

    /// Threats on a target.
    pub fn threats_on(&self, target: Target) -> &[ThreatId] {
        match target {
            Target::Element(e) => &self.element(e).threats,
            Target::Boundary(b) => &self.boundary(b).threats,
            Target::Flow(f) => &self.flow(f).threats,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(i: u32) -> BoundaryId {
        BoundaryId(i)
    }

    #[test]
    fn out_of_scope_threats_are_not_open() {
        let c = crate::compile(
            "external e { out_of_scope: true }\nprocess p\nflow e -> p\n\
threat A on e { actor: apt, scenario: \"s\", stride: S, severity: high }\n\
threat B on p { actor: apt, scenario: \"s\", stride: S, severity: low }\n",
        );
        let (m, a) = c.valid().unwrap();
        let el = |n: &str| m.element_ids().find(|&e| m[e].name == n).unwrap();
        assert_eq!(a.element(el("e")).worst_open, None);
        assert_eq!(a.element(el("e")).threats.len(), 1);
        assert_eq!(a.element(el("p")).worst_open, Some(Severity::Low));
    }

    #[test]
    fn assets_crossing_a_boundary_most_sensitive_first() {
        let c = crate::compile(
            "asset menu { classification: public }\nasset pii { classification: confidential, confidentiality: medium }\n\
asset card { classification: restricted }\nasset notes { classification: confidential, confidentiality: high }\n\
external user\nboundary shop {\n  process api { assets: [pii] }\n  store db { assets: [card, pii] }\n}\n\
flow user -> api { assets: [menu, pii], encrypted: true }\nflow api -> user { assets: [notes, card], encrypted: true }\n\
flow api -> db { assets: [card] }\nflow db -> api\n\
threat T on api, db { scenario: \"s\", stride: I, severity: low }\n",
        );
        let (m, a) = c.valid().unwrap_or_else(|| panic!("{:?}", c.diagnostics));
        let names = |ids: &[AssetId]| ids.iter().map(|&x| m[x].name.clone()).collect::<Vec<_>>();
        let shop = m.boundary_ids().next().unwrap();
        // Restricted, then the confidential ones by confidentiality, then public.
        assert_eq!(
            names(&a.boundary(shop).crossing_assets),
            ["card", "notes", "pii", "menu"]
        );
        let flow = |n: &str| m.flow_ids().find(|&f| m[f].name == n).unwrap();
        let most = |f: FlowId| a.flow(f).most_sensitive.map(|x| m[x].name.clone());
        assert_eq!(most(flow("user->api")).as_deref(), Some("pii"));
        assert_eq!(most(flow("api->user")).as_deref(), Some("card"));
        assert_eq!(most(flow("db->api")), None);
        let asset = |n: &str| m.asset_ids().find(|&x| m[x].name == n).unwrap();
        let card = a.asset(asset("card"));
        assert_eq!(card.flows, [flow("api->user"), flow("api->db")]);
        assert_eq!(card.elements.len(), 1);
        assert_eq!(card.boundaries, [shop], "crossed once, listed once");
        assert!(a.asset(asset("pii")).elements.len() == 2);
    }

    #[test]
    fn crossing_order_is_out_innermost_then_in_outermost() {
        let got = crossings(&[b(0), b(1), b(2)], &[b(0), b(3), b(4)]);
        let want = vec![
            Crossing {
                boundary: b(2),
                direction: Direction::Out,
            },
            Crossing {
                boundary: b(1),
                direction: Direction::Out,
            },
            Crossing {
                boundary: b(3),
                direction: Direction::In,
            },
            Crossing {
                boundary: b(4),
                direction: Direction::In,
            },
        ];
        assert_eq!(got, want);
        assert!(crossings(&[b(0)], &[b(0)]).is_empty());
        assert_eq!(crossings(&[], &[b(0)]).len(), 1);
    }
}
