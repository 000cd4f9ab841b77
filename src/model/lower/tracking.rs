//! Lowering a threat's tracking facts and controls (language 0.2):
//! `justification`, `reviewed_by`, `reviewed_on`, `ticket`, `owner`,
//! `expires`, and `controls: [C1, C2]`. Called by `threat.rs` for these
//! keys; the status words themselves are `Status`'s.

use super::*;

/// The threat keys lowered here, in the language's table order.
pub(super) const TRACKING_KEYS: &[&str] = &[
    "justification",
    "owner",
    "ticket",
    "reviewed_by",
    "reviewed_on",
    "expires",
    "controls",
];

/// A string that says nothing is not given.
fn given(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

impl Lowering<'_> {
    /// Lowers one tracking entry into `tracking` or `controls`; false when
    /// its value is wrong (the error is reported).
    pub(super) fn tracking_entry(
        &mut self,
        entry: &Entry,
        tracking: &mut Tracking,
        controls: &mut Vec<ControlId>,
        spans: &mut ThreatSpans,
    ) -> bool {
        let key = entry.key.text.as_str();
        let value = &entry.value;
        match key {
            "justification" | "owner" | "ticket" | "reviewed_by" => {
                let Some(text) = self.string(key, value) else {
                    return false;
                };
                let slot = match key {
                    "justification" => &mut tracking.justification,
                    "owner" => &mut tracking.owner,
                    "ticket" => &mut tracking.ticket,
                    _ => &mut tracking.reviewed_by,
                };
                *slot = given(Some(text));
                true
            }
            "reviewed_on" | "expires" => {
                let Some(date) = self.date(key, value) else {
                    return false;
                };
                if key == "expires" {
                    tracking.expires = Some(date);
                    spans.expires = Some(value.span());
                } else {
                    tracking.reviewed_on = Some(date);
                }
                true
            }
            "controls" => match self.threat_controls(value) {
                Some(list) => {
                    *controls = list;
                    true
                }
                None => false,
            },
            _ => true,
        }
    }

    /// `controls: [C1, C2]`: declared controls, each once.
    fn threat_controls(&mut self, value: &Value) -> Option<Vec<ControlId>> {
        let Value::List(items, _) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "controls",
                "a list of control identifiers (`[C1, C2]`)",
                value,
            );
            self.error(d);
            return None;
        };
        let mut out: Vec<ControlId> = Vec::with_capacity(items.len());
        let mut first: BTreeMap<ControlId, Span> = BTreeMap::new();
        let mut ok = true;
        for item in items {
            let Value::Word(word, span) = item else {
                let d = tmd004_invalid_value::wrong_type(
                    item.span(),
                    "controls",
                    "a control identifier",
                    item,
                );
                self.error(d);
                ok = false;
                continue;
            };
            match self.names.get(word.as_str()) {
                Some((Decl::Control(c), _)) => {
                    let c = *c;
                    if let Some(earlier) = first.get(&c) {
                        let d = tmd010_given_twice::control(*span, word, *earlier);
                        self.error(d);
                        ok = false;
                        continue;
                    }
                    first.insert(c, *span);
                    out.push(c);
                }
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d = tmd003_unknown_reference::wrong_kind(
                        *span, "control", word, kind, *declared,
                    );
                    self.error(d);
                    ok = false;
                }
                None => {
                    let hint = self.closest(word, |d| matches!(d, Decl::Control(_)));
                    let d = tmd003_unknown_reference::unknown(*span, "control", word, hint);
                    self.error(d);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// `transferred` and `false-positive` say why (TMD007 otherwise);
    /// false when the justification is missing.
    pub(super) fn justified(
        &mut self,
        decl: &ast::ThreatDecl,
        status: Status,
        tracking: &Tracking,
    ) -> bool {
        if !status.needs_justification() || tracking.justification.is_some() {
            return true;
        }
        let help = match status {
            Status::Transferred => {
                "a `transferred` threat says to whom and on what terms: `justification: \"...\"`"
            }
            _ => "a `false-positive` threat says why it does not apply: `justification: \"...\"`",
        };
        let d = tmd007_missing_field::diagnostic(
            decl.id.span,
            &decl.id.text,
            "justification",
            Some(help),
        );
        self.error(d);
        false
    }
}
