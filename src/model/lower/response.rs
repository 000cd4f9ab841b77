//! Requests and their responses (language 0.2): a flow's `response_to`
//! names the request it answers. Resolved once every flow is lowered (a
//! response may come before its request): the request must be a flow with
//! an ID, not a response itself, between the same two elements the other
//! way. The response rides the request's connection, so its initiator is
//! the request's (an `initiator:` written on it must agree), and it is
//! not a reversed-initiator flow. A request may have several responses (a
//! success and an error reply carrying different data).

use super::*;

/// A flow's `response_to`, waiting for every flow to be lowered.
#[derive(Debug)]
pub(super) struct PendingResponse {
    /// The response, when it lowered.
    pub flow: Option<FlowId>,
    /// The request's ID as written, and where.
    pub name: String,
    pub span: Span,
    /// The response's own `initiator:` value, when written.
    pub initiator: Option<Span>,
}

impl Lowering<'_> {
    /// The value of `response_to`: an identifier.
    pub(super) fn response_to(&mut self, value: &Value) -> Option<PendingResponse> {
        match value {
            Value::Word(word, span) => Some(PendingResponse {
                flow: None,
                name: word.clone(),
                span: *span,
                initiator: None,
            }),
            other => {
                let mut d = tmd004_invalid_value::wrong_type(
                    other.span(),
                    "response_to",
                    "the ID of the request flow",
                    other,
                );
                if let Value::Str(s) = other {
                    d = d.with_help(format!("IDs are not quoted: `response_to: {}`", s.value));
                }
                self.error(d);
                None
            }
        }
    }

    fn flow_mut(&mut self, id: FlowId) -> Option<&mut Flow> {
        self.model.flows.get_mut(id.index())
    }

    /// Resolves every `response_to`.
    pub(super) fn responses(&mut self) {
        let pending = std::mem::take(&mut self.pending_responses);
        // Flows that say they answer a request, valid or not: none of them
        // can be a request.
        let answering: BTreeMap<FlowId, &str> = pending
            .iter()
            .filter_map(|p| p.flow.map(|f| (f, p.name.as_str())))
            .collect();
        for p in &pending {
            let request = match self.names.get(&p.name) {
                Some((Decl::Flow(Some(f)), _)) => *f,
                // The request failed to lower: its error is reported.
                Some((Decl::Flow(None), _)) => continue,
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d = tmd003_unknown_reference::wrong_kind(
                        p.span,
                        "request flow",
                        &p.name,
                        kind,
                        *declared,
                    );
                    self.error(d);
                    continue;
                }
                None => {
                    let hint = self.closest(&p.name, |d| matches!(d, Decl::Flow(_)));
                    let d =
                        tmd003_unknown_reference::unknown(p.span, "request flow", &p.name, hint);
                    self.error(d);
                    continue;
                }
            };
            let Some(response) = p.flow else {
                continue;
            };
            let (req, resp) = (&self.model[request], &self.model[response]);
            if request == response {
                let d = tmd004_invalid_value::response_to_itself(p.span, &p.name);
                self.error(d);
                continue;
            }
            if let Some(its_request) = answering.get(&request) {
                let d = tmd004_invalid_value::response_to_response(
                    p.span,
                    &p.name,
                    its_request,
                    req.span,
                );
                self.error(d);
                continue;
            }
            if resp.source != req.target || resp.target != req.source {
                let ends = (
                    self.model[req.source].name.as_str(),
                    self.model[req.target].name.as_str(),
                );
                let d = tmd004_invalid_value::response_wrong_way(p.span, &p.name, ends, req.span);
                self.error(d);
                continue;
            }
            let opener = req.initiator_element();
            let endpoint = if opener == resp.source {
                Endpoint::Source
            } else {
                Endpoint::Target
            };
            if let Some(at) = p.initiator.filter(|_| resp.initiator != endpoint) {
                let opener = self.model[opener].name.clone();
                let d = tmd004_invalid_value::response_initiator(at, &p.name, &opener, req.span);
                self.error(d);
                continue;
            }
            if let Some(flow) = self.flow_mut(response) {
                flow.initiator = endpoint;
                flow.response_to = Some(request);
            }
        }
    }
}
