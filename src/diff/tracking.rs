//! What `tmd diff` compares of language 0.2's status tracking and
//! controls: a threat's tracking facts and controls as fields, controls as
//! entries of their own (matched by ID), and the status decisions a
//! reviewer must see: a threat that became accepted, transferred or a
//! false positive, with who justified it.

use super::*;

/// A threat whose status went to `accepted`, `transferred` or
/// `false-positive` (or that was added with one of them): the risk is
/// taken or handed on without a fix, or the threat is dismissed. Shown
/// with its justification and who reviewed it.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionChange {
    pub threat: String,
    pub title: String,
    pub target: String,
    /// Its severity in NEW.
    pub severity: Severity,
    /// `None` for a threat added with this status.
    pub old: Option<Status>,
    pub new: Status,
    pub justification: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Date>,
    pub expires: Option<Date>,
}

impl DecisionChange {
    /// The line's label: `risk accepted`, `risk transferred`, `marked
    /// false positive`.
    pub fn label(&self) -> &'static str {
        match self.new {
            Status::Transferred => "risk transferred",
            Status::FalsePositive => "marked false positive",
            _ => "risk accepted",
        }
    }
}

/// Whether a status is a decision not to fix.
fn is_decision(status: Status) -> bool {
    matches!(
        status,
        Status::Accepted | Status::Transferred | Status::FalsePositive
    )
}

/// A threat's tracking facts and controls, after its status, each when
/// given.
pub(super) fn threat_fields(f: &mut Fields, m: &Model, th: &Threat) {
    let t = &th.tracking;
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            f.push((k.to_string(), v));
        }
    };
    put("justification", t.justification.as_deref().map(txt));
    put("owner", t.owner.as_deref().map(txt));
    put("ticket", t.ticket.as_deref().map(txt));
    put("reviewed_by", t.reviewed_by.as_deref().map(txt));
    put("reviewed_on", t.reviewed_on.map(Value::Date));
    put("expires", t.expires.map(Value::Date));
    put(
        "controls",
        (!th.controls.is_empty())
            .then(|| Value::List(th.controls.iter().map(|&c| id(&m[c].name)).collect())),
    );
}

const CONTROL_FIELDS: &[&str] = &["label", "status", "description", "ticket", "reduces"];

fn control_fields(m: &Model, c: ControlId) -> Fields {
    let control = &m[c];
    let mut f = vec![
        ("label".to_string(), txt(&control.label)),
        // `planned` written or not is the same thing.
        ("status".to_string(), word(control.status.as_str())),
    ];
    if let Some(d) = &control.description {
        f.push(("description".to_string(), txt(d)));
    }
    if let Some(t) = &control.ticket {
        f.push(("ticket".to_string(), txt(t)));
    }
    if let Some(r) = control.reduces {
        f.push(("reduces".to_string(), Value::Int(r.to_string())));
    }
    push_attributes(&mut f, &control.attributes, &[]);
    f
}

/// Controls added, removed or changed, matched by ID.
pub(super) fn controls(om: &Model, nm: &Model) -> Vec<Entry> {
    let cm = Matching::by_name(
        om.controls.iter().map(|c| c.name.as_str()),
        nm.controls.iter().map(|c| c.name.as_str()),
        om.controls.len(),
        nm.controls.len(),
    );
    let side = |m: &Model, c: ControlId| Side {
        id: m[c].name.clone(),
        kind: "control",
        fields: control_fields(m, c),
    };
    entries(
        nm.control_ids()
            .map(|c| {
                (
                    side(nm, c),
                    cm.old_of(c.index())
                        .map(|o| side(om, ControlId::from_index(o))),
                )
            })
            .collect(),
        om.control_ids()
            .filter(|c| cm.new_of(c.index()).is_none())
            .map(|c| side(om, c))
            .collect(),
        CONTROL_FIELDS,
    )
}

/// The threats of NEW whose status became a decision not to fix, in NEW's
/// declaration order.
pub(super) fn decisions(
    om: &Model,
    nm: &Model,
    tm: &Matching,
    flow_name: &dyn Fn(FlowId) -> String,
) -> Vec<DecisionChange> {
    let mut out = Vec::new();
    for t in nm.threat_ids() {
        let th = &nm[t];
        let old = tm
            .old_of(t.index())
            .map(|o| om[ThreatId::from_index(o)].status);
        if !is_decision(th.status) || old == Some(th.status) {
            continue;
        }
        let k = &th.tracking;
        out.push(DecisionChange {
            threat: th.name.clone(),
            title: th.title.clone(),
            target: targets_text(nm, t, flow_name),
            severity: th.severity,
            old,
            new: th.status,
            justification: k.justification.clone(),
            reviewed_by: k.reviewed_by.clone(),
            reviewed_on: k.reviewed_on,
            expires: k.expires,
        });
    }
    out
}
