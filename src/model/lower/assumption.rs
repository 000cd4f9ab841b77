//! Lowering assumptions (language 0.2): `assumption ID "Statement" {
//! status, owner, for, description }`. They are lowered last, once the
//! threats are, since `for` may name any threat of the file.

use super::*;

impl Lowering<'_> {
    /// The threats that lowered, by name (for `for`).
    fn threats_by_name(&self) -> BTreeMap<&str, ThreatId> {
        self.model
            .threat_ids()
            .map(|t| (self.model[t].name.as_str(), t))
            .collect()
    }

    pub(super) fn assumptions(&mut self, decls: &[(&ast::Statement, &ast::Declaration, bool)]) {
        if decls.is_empty() {
            return;
        }
        let threats: BTreeMap<String, ThreatId> = self
            .threats_by_name()
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect();
        for (statement, decl, declared) in decls {
            if *declared {
                self.assumption(statement, decl, &threats);
            } else {
                // A duplicate ID (TMD002): left out, and what it names may
                // rest on a wrong assumption or not.
                self.model.partial.dropped.push(statement.span);
                let named = self.named_quietly(decl, &threats);
                self.model.partial.dependents.extend(named);
            }
        }
    }

    /// What an assumption's `for` names, without reporting anything.
    fn named_quietly(
        &self,
        decl: &ast::Declaration,
        threats: &BTreeMap<String, ThreatId>,
    ) -> Vec<Dependent> {
        let Some(block) = decl.attributes.as_ref() else {
            return Vec::new();
        };
        block
            .entries()
            .filter(|e| e.key.text == "for")
            .filter_map(|e| match &e.value {
                Value::List(items, _) => Some(items),
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                Value::Word(word, _) => self.dependent_named(word, threats),
                _ => None,
            })
            .collect()
    }

    fn assumption(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::Declaration,
        threats: &BTreeMap<String, ThreatId>,
    ) {
        let mut failed = false;
        let mut assumption = Assumption {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            status: AssumptionStatus::Unverified,
            owner: None,
            description: None,
            dependents: Vec::new(),
            attributes: Vec::new(),
            span: decl.id.span,
            statement: statement.span,
            status_span: None,
        };
        // What `for` named or most likely named, for `Partial` if it fails.
        let mut named: Vec<Dependent> = Vec::new();
        const KEYS: &[&str] = &["status", "owner", "for", "description"];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "assumption attribute") {
            let key = entry.key.text.as_str();
            let value = &entry.value;
            let keep = match key {
                "status" => match self.word::<AssumptionStatus>(value) {
                    Some(status) => {
                        assumption.status = status;
                        assumption.status_span = Some(value.span());
                        true
                    }
                    None => {
                        failed = true;
                        false
                    }
                },
                "owner" => {
                    assumption.owner = self.string(key, value);
                    failed |= assumption.owner.is_none();
                    assumption.owner.is_some()
                }
                "description" => {
                    assumption.description = self.string(key, value);
                    failed |= assumption.description.is_none();
                    assumption.description.is_some()
                }
                "for" => {
                    match self.dependents(value, threats, &mut named) {
                        Some(list) => assumption.dependents = list,
                        None => failed = true,
                    }
                    false
                }
                _ => true,
            };
            if keep {
                self.keep_attribute(&mut assumption.attributes, entry);
            }
        }
        sort_attributes(&mut assumption.attributes, KEYS);
        if failed {
            self.model.partial.dropped.push(statement.span);
            self.model.partial.dependents.extend(named);
            return;
        }
        self.model.assumptions.push(assumption);
    }

    /// `for: [T1, api, ...]`: threats, elements, flows (by ID) and
    /// boundaries, each once. `named` gets what each name is, or most
    /// likely meant (a "did you mean").
    fn dependents(
        &mut self,
        value: &Value,
        threats: &BTreeMap<String, ThreatId>,
        named: &mut Vec<Dependent>,
    ) -> Option<Vec<Dependent>> {
        let Value::List(items, _) = value else {
            let mut d = tmd004_invalid_value::wrong_type(
                value.span(),
                "for",
                "a list of identifiers",
                value,
            );
            if let Value::Word(word, _) = value {
                d = d.with_help(format!("write a list, even of one: `for: [{word}]`"));
            }
            self.error(d);
            return None;
        };
        let mut out: Vec<Dependent> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut ok = true;
        for item in items {
            let Value::Word(word, span) = item else {
                let mut d = tmd004_invalid_value::wrong_type(
                    item.span(),
                    "for",
                    "identifiers (a threat, an element, a flow or a boundary)",
                    item,
                );
                if let Value::Str(s) = item {
                    d = d.with_help(format!("identifiers are not quoted: `{}`", s.value));
                }
                self.error(d);
                ok = false;
                continue;
            };
            let found = match self.names.get(word.as_str()) {
                Some((Decl::Threat, _)) => match threats.get(word.as_str()) {
                    Some(&t) => Some(Dependent::Threat(t)),
                    // The threat failed to lower; its error is reported.
                    None => {
                        ok = false;
                        continue;
                    }
                },
                Some((Decl::Element(e), _)) => Some(Dependent::Target(Target::Element(*e))),
                Some((Decl::Boundary(b), _)) => Some(Dependent::Target(Target::Boundary(*b))),
                Some((Decl::Flow(Some(f)), _)) => Some(Dependent::Target(Target::Flow(*f))),
                Some((Decl::Flow(None), _)) => {
                    // The flow failed to lower; its error is reported.
                    ok = false;
                    continue;
                }
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d = tmd003_unknown_reference::wrong_kind(
                        *span, FOR_ROLE, word, kind, *declared,
                    );
                    self.error(d);
                    None
                }
                None => {
                    let hint = self.closest(word, |d| {
                        matches!(
                            d,
                            Decl::Threat | Decl::Element(_) | Decl::Boundary(_) | Decl::Flow(_)
                        )
                    });
                    if let Some(meant) = hint
                        .as_deref()
                        .and_then(|h| self.dependent_named(h, threats))
                    {
                        named.push(meant);
                    }
                    let d = tmd003_unknown_reference::unknown(*span, FOR_ROLE, word, hint);
                    self.error(d);
                    None
                }
            };
            let Some(dependent) = found else {
                ok = false;
                continue;
            };
            named.push(dependent);
            if let Some(i) = out.iter().position(|&seen| seen == dependent) {
                let first = spans.get(i).copied().unwrap_or(*span);
                let d = tmd010_given_twice::in_list(*span, word, "for", first);
                self.error(d);
                ok = false;
                continue;
            }
            out.push(dependent);
            spans.push(*span);
        }
        ok.then_some(out)
    }

    /// What a declared name stands for, as something that may rest on an
    /// assumption.
    fn dependent_named(
        &self,
        name: &str,
        threats: &BTreeMap<String, ThreatId>,
    ) -> Option<Dependent> {
        match self.names.get(name)? {
            (Decl::Threat, _) => threats.get(name).map(|&t| Dependent::Threat(t)),
            (Decl::Element(e), _) => Some(Dependent::Target(Target::Element(*e))),
            (Decl::Boundary(b), _) => Some(Dependent::Target(Target::Boundary(*b))),
            (Decl::Flow(Some(f)), _) => Some(Dependent::Target(Target::Flow(*f))),
            _ => None,
        }
    }
}

/// How TMD003 names a name in `for`.
pub(super) const FOR_ROLE: &str = "`for` entry";
