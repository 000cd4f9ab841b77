//! Lowering flows: endpoints, implicit IDs, attributes, `initiator`.

use super::*;

impl Lowering<'_> {
    pub(super) fn flow(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::FlowDecl,
        implicit_counts: &mut BTreeMap<(String, String), usize>,
    ) {
        let name = match &decl.id {
            Some(id) => id.text.clone(),
            None => {
                let count = implicit_counts
                    .entry((decl.source.text.clone(), decl.target.text.clone()))
                    .or_insert(0);
                *count += 1;
                if *count == 1 {
                    format!("{}->{}", decl.source.text, decl.target.text)
                } else {
                    format!("{}->{}#{}", decl.source.text, decl.target.text, count)
                }
            }
        };
        let mut guessed = Vec::new();
        let source = self.resolve_element(&decl.source, "flow source", &mut guessed);
        let target = self.resolve_element(&decl.target, "flow target", &mut guessed);
        self.model.partial.elements.extend(guessed);
        let mut flow = Flow {
            name,
            explicit: decl.id.is_some(),
            source: source.unwrap_or(ElementId(0)),
            target: target.unwrap_or(ElementId(0)),
            label: decl.label.as_ref().map(|l| l.value.clone()),
            protocol: None,
            encrypted: None,
            authenticated: None,
            data: Vec::new(),
            initiator: Endpoint::Source,
            response_to: None,
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
            assets: Vec::new(),
            attributes: Vec::new(),
            span: decl.id.as_ref().map_or(decl.source.span, |id| id.span),
            statement: statement.span,
        };
        const KEYS: &[&str] = &[
            "protocol",
            "encrypted",
            "authenticated",
            "data",
            "initiator",
            "response_to",
            "description",
            "out_of_scope",
            "assets",
        ];
        // Whether every asset it names resolved (language 0.2).
        let mut assets_known = true;
        let mut response: Option<response::PendingResponse> = None;
        let mut initiator_written = None;
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "flow attribute") {
            let key = entry.key.text.as_str();
            let keep = match key {
                "protocol" => {
                    flow.protocol = self.string(key, &entry.value);
                    flow.protocol.is_some()
                }
                "description" => {
                    flow.description = self.string(key, &entry.value);
                    flow.description.is_some()
                }
                "encrypted" => {
                    flow.encrypted = self.boolean(key, &entry.value);
                    flow.encrypted.is_some()
                }
                "authenticated" => {
                    flow.authenticated = self.boolean(key, &entry.value);
                    flow.authenticated.is_some()
                }
                "data" => match self.string_list(key, &entry.value) {
                    Some(list) => {
                        flow.data = list;
                        true
                    }
                    None => false,
                },
                "out_of_scope" => match self.out_of_scope(key, &entry.value) {
                    Some((flag, reason)) => {
                        flow.out_of_scope = flag;
                        flow.out_of_scope_reason = reason;
                        true
                    }
                    None => false,
                },
                // The model holds it as `Flow::assets`, not as an attribute.
                "assets" => {
                    let (assets, known) = self.asset_refs(&entry.value);
                    flow.assets = assets;
                    assets_known = known;
                    false
                }
                "initiator" => match self.initiator(&entry.value, decl) {
                    Some(endpoint) => {
                        flow.initiator = endpoint;
                        initiator_written = Some(entry.value.span());
                        true
                    }
                    None => false,
                },
                "response_to" => {
                    response = self.response_to(&entry.value);
                    response.is_some()
                }
                _ => true,
            };
            if keep {
                self.keep_attribute(&mut flow.attributes, entry);
            }
        }
        sort_attributes(&mut flow.attributes, KEYS);
        if let Some(pending) = response.as_mut() {
            pending.initiator = initiator_written;
        }
        let (Some(source), Some(target)) = (source, target) else {
            // Its request is still looked up, so that a bad name is
            // reported with the rest.
            self.pending_responses.extend(response);
            self.model.partial.elements.extend(source);
            self.model.partial.elements.extend(target);
            self.model.partial.dropped.push(statement.span);
            return;
        };
        if source == target {
            let d = tmd009_self_flow::diagnostic(
                decl.source.span.to(decl.target.span),
                &decl.source.text,
            );
            self.error(d);
            self.model.partial.elements.insert(source);
            self.model.partial.dropped.push(statement.span);
            self.pending_responses.extend(response);
            return;
        }
        let id = FlowId::from_index(self.model.flows.len());
        if let Some(mut pending) = response {
            pending.flow = Some(id);
            self.pending_responses.push(pending);
        }
        if let Some(written) = &decl.id {
            if let Some((Decl::Flow(slot @ None), Some(span))) = self.names.get_mut(&written.text) {
                if *span == written.span {
                    *slot = Some(id);
                }
            }
        }
        self.model.flows.push(flow);
        if !assets_known {
            self.model
                .partial
                .unresolved_assets
                .insert(Target::Flow(id));
        }
    }

    pub(super) fn initiator(&mut self, value: &Value, decl: &ast::FlowDecl) -> Option<Endpoint> {
        let (word, span) = match value {
            Value::Word(word, span) => (word, *span),
            other => {
                let d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "initiator",
                    "an identifier",
                    other,
                );
                self.error(d);
                return None;
            }
        };
        if word == &decl.source.text {
            return Some(Endpoint::Source);
        }
        if word == &decl.target.text {
            return Some(Endpoint::Target);
        }
        match self.names.get(word.as_str()) {
            Some(_) => {
                let d = tmd005_initiator_not_endpoint::diagnostic(
                    span,
                    word,
                    &decl.source.text,
                    &decl.target.text,
                );
                self.error(d);
            }
            None => {
                let hint =
                    closest_name(word, [decl.source.text.as_str(), decl.target.text.as_str()]);
                let d = tmd003_unknown_reference::unknown(span, "initiator", word, hint);
                self.error(d);
            }
        }
        None
    }
}
