//! Lowering threats: target, actor, STRIDE, severity from the matrix,
//! mitigation, status; the tracking facts and controls are lowered in
//! `tracking.rs`.

use super::*;

impl Lowering<'_> {
    pub(super) fn threat(&mut self, statement: &ast::Statement, decl: &ast::ThreatDecl) {
        let mut failed = false;
        let mut targets: Vec<Target> = Vec::new();
        let mut target_spans: Vec<Span> = Vec::new();
        for written in &decl.targets {
            match self.threat_target(written) {
                Some(t) => match targets.iter().position(|&seen| seen == t) {
                    Some(i) => {
                        let first = target_spans.get(i).copied().unwrap_or(written.span());
                        let name = self.model.target_name(t).to_string();
                        let d = tmd010_given_twice::target(written.span(), &name, first);
                        self.error(d);
                        failed = true;
                    }
                    None => {
                        targets.push(t);
                        target_spans.push(written.span());
                    }
                },
                None => failed = true,
            }
        }
        let mut actor = None;
        let mut scenario = None;
        let mut stride = None;
        let mut stride_letters = Vec::new();
        let mut ease = None;
        let mut impact = None;
        let mut severity = None;
        let mut severity_span = None;
        let mut mitigation = None;
        let mut remediation = None;
        let mut status = Status::Open;
        let mut status_span = None;
        let mut tracking = Tracking::default();
        let mut controls = Vec::new();
        let mut tracking_spans = ThreatSpans {
            id: decl.id.span,
            statement: statement.span,
            stride_letters: Vec::new(),
            severity: None,
            status: None,
            expires: None,
        };
        let mut present: Vec<&str> = Vec::new();
        let mut attributes = Vec::new();
        const KEYS: &[&str] = &[
            "actor",
            "scenario",
            "stride",
            "ease",
            "impact",
            "severity",
            "mitigation",
            "remediation",
            "status",
            "justification",
            "owner",
            "ticket",
            "reviewed_by",
            "reviewed_on",
            "expires",
            "controls",
        ];
        for entry in self.entries(Some(&decl.body), KEYS, "threat field") {
            let key = entry.key.text.as_str();
            if let Some(known) = KEYS.iter().find(|k| **k == key) {
                present.push(known);
            }
            let value = &entry.value;
            match key {
                "actor" => {
                    actor = self.threat_actor(value);
                    failed |= actor.is_none();
                }
                "scenario" => {
                    scenario = self.string(key, value);
                    failed |= scenario.is_none();
                }
                "stride" => {
                    stride = self.stride(value, &mut stride_letters);
                    failed |= stride.is_none();
                }
                "ease" => {
                    ease = self.word::<Ease>(value);
                    failed |= ease.is_none();
                }
                "impact" => {
                    impact = self.word::<Impact>(value);
                    failed |= impact.is_none();
                }
                "severity" => {
                    severity = self.word::<Severity>(value);
                    severity_span = Some(value.span());
                    failed |= severity.is_none();
                }
                "mitigation" => {
                    mitigation = self.string(key, value);
                    failed |= mitigation.is_none();
                }
                "remediation" => {
                    remediation = self.word::<Remediation>(value);
                    failed |= remediation.is_none();
                }
                "status" => {
                    status_span = Some(value.span());
                    match self.word::<Status>(value) {
                        Some(s) => status = s,
                        None => failed = true,
                    }
                }
                k if tracking::TRACKING_KEYS.contains(&k) => {
                    failed |= !self.tracking_entry(
                        entry,
                        &mut tracking,
                        &mut controls,
                        &mut tracking_spans,
                    );
                }
                _ => self.keep_attribute(&mut attributes, entry),
            }
        }
        sort_attributes(&mut attributes, &[]);
        // Required fields.
        let has = |k: &str| present.contains(&k);
        // `actor` and `stride` are optional since language 0.2.
        for field in ["scenario"] {
            if !has(field) {
                let d = tmd007_missing_field::diagnostic(decl.id.span, &decl.id.text, field, None);
                self.error(d);
                failed = true;
            }
        }
        match (has("ease"), has("impact")) {
            (true, false) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "impact",
                    Some("`ease` and `impact` come as a pair"),
                );
                self.error(d);
                failed = true;
            }
            (false, true) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "ease",
                    Some("`ease` and `impact` come as a pair"),
                );
                self.error(d);
                failed = true;
            }
            (false, false) if !has("severity") => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "severity",
                    Some("give `ease` and `impact` (the severity is computed from them), or `severity`"),
                );
                self.error(d);
                failed = true;
            }
            _ => {}
        }
        failed |= !self.justified(decl, status, &tracking);
        let matrix_severity = match (ease, impact) {
            (Some(e), Some(i)) => Some(matrix(e, i)),
            _ => None,
        };
        let (severity, severity_source) = match (severity, matrix_severity) {
            (Some(given), _) => (Some(given), SeveritySource::Given),
            (None, computed) => (computed, SeveritySource::Matrix),
        };
        let (Some(scenario), Some(severity), false) = (scenario, severity, failed) else {
            self.model.partial.dropped.push(statement.span);
            self.model.partial.threat_targets.extend(targets);
            return;
        };
        self.model.threats.push(Threat {
            name: decl.id.text.clone(),
            title: decl
                .title
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |t| t.value.clone()),
            targets,
            actor,
            scenario,
            stride,
            ease,
            impact,
            severity,
            severity_source,
            matrix_severity,
            mitigation: mitigation.filter(|m| !m.trim().is_empty()),
            remediation,
            status,
            tracking,
            controls,
            attributes,
            spans: ThreatSpans {
                stride_letters,
                severity: severity_span,
                status: status_span,
                ..tracking_spans
            },
        });
    }

    pub(super) fn threat_target(&mut self, target: &ast::ThreatTarget) -> Option<Target> {
        match target {
            ast::ThreatTarget::Name(name) => match self.names.get(&name.text) {
                Some((Decl::Element(e), _)) => Some(Target::Element(*e)),
                Some((Decl::Boundary(b), _)) => Some(Target::Boundary(*b)),
                Some((Decl::Flow(Some(f)), _)) => Some(Target::Flow(*f)),
                Some((Decl::Flow(None), _)) => {
                    // The flow exists but failed to resolve; its error is reported.
                    None
                }
                Some((other, declared)) => {
                    let kind = other.kind_name(&self.model);
                    let d = tmd003_unknown_reference::wrong_kind(
                        name.span,
                        "threat target",
                        &name.text,
                        kind,
                        *declared,
                    );
                    self.error(d);
                    None
                }
                None => {
                    let hint = self.closest(&name.text, |d| {
                        matches!(d, Decl::Element(_) | Decl::Boundary(_) | Decl::Flow(_))
                    });
                    // The name it most likely meant: warnings about that
                    // target follow from the typo.
                    let meant = match hint.as_ref().and_then(|h| self.names.get(h)) {
                        Some((Decl::Element(e), _)) => Some(Target::Element(*e)),
                        Some((Decl::Boundary(b), _)) => Some(Target::Boundary(*b)),
                        Some((Decl::Flow(Some(f)), _)) => Some(Target::Flow(*f)),
                        _ => None,
                    };
                    self.model.partial.threat_targets.extend(meant);
                    let d = tmd003_unknown_reference::unknown(
                        name.span,
                        "threat target",
                        &name.text,
                        hint,
                    );
                    self.error(d);
                    None
                }
            },
            ast::ThreatTarget::Flow { source, target } => {
                let (mut guess_s, mut guess_t) = (Vec::new(), Vec::new());
                let s = self.resolve_element(source, "flow source", &mut guess_s);
                let t = self.resolve_element(target, "flow target", &mut guess_t);
                if s.is_none() || t.is_none() {
                    // A misspelt end: the threat was most likely meant for a
                    // flow between the ends it names or most likely meant.
                    if let (Some(a), Some(b)) = (
                        s.or(guess_s.first().copied()),
                        t.or(guess_t.first().copied()),
                    ) {
                        let meant: Vec<FlowId> = [(a, b), (b, a)]
                            .iter()
                            .filter_map(|ends| self.flows_by_ends.get(ends))
                            .flatten()
                            .copied()
                            .collect();
                        self.model
                            .partial
                            .threat_targets
                            .extend(meant.into_iter().map(Target::Flow));
                    }
                }
                let (Some(s), Some(t)) = (s, t) else {
                    return None;
                };
                let matches: &[FlowId] = self.flows_by_ends.get(&(s, t)).map_or(&[], Vec::as_slice);
                match matches {
                    [one] => Some(Target::Flow(*one)),
                    [] => {
                        // The threat was meant for a flow between these two:
                        // the one the other way round, if any.
                        let candidates =
                            self.flows_by_ends.get(&(t, s)).cloned().unwrap_or_default();
                        self.model
                            .partial
                            .threat_targets
                            .extend(candidates.into_iter().map(Target::Flow));
                        let reverse = self.flows_by_ends.contains_key(&(t, s));
                        let d = tmd006_flow_reference::none(
                            source.span.to(target.span),
                            &source.text,
                            &target.text,
                            reverse,
                        );
                        self.error(d);
                        None
                    }
                    several => {
                        self.model
                            .partial
                            .threat_targets
                            .extend(several.iter().copied().map(Target::Flow));
                        let others: Vec<(Span, String)> = several
                            .iter()
                            .map(|&f| (self.model[f].span, self.model[f].name.clone()))
                            .collect();
                        let d = tmd006_flow_reference::several(
                            source.span.to(target.span),
                            &source.text,
                            &target.text,
                            &others,
                        );
                        self.error(d);
                        None
                    }
                }
            }
        }
    }

    pub(super) fn threat_actor(&mut self, value: &Value) -> Option<ActorId> {
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "actor",
                "an actor identifier",
                value,
            );
            self.error(d);
            return None;
        };
        match self.names.get(word.as_str()) {
            Some((Decl::Actor(a), _)) => Some(*a),
            Some((other, declared)) => {
                let kind = other.kind_name(&self.model);
                let d = tmd003_unknown_reference::wrong_kind(*span, "actor", word, kind, *declared);
                self.error(d);
                None
            }
            None => {
                let hint = self.closest(word, |d| matches!(d, Decl::Actor(_)));
                let d = tmd003_unknown_reference::unknown(*span, "actor", word, hint);
                self.error(d);
                None
            }
        }
    }

    pub(super) fn stride(
        &mut self,
        value: &Value,
        letters: &mut Vec<(char, Span)>,
    ) -> Option<Stride> {
        // Written the wrong way but with a clear meaning: one error that
        // says how to write it.
        let loose = match value {
            Value::Str(s) => Some(s.value.clone()),
            Value::List(items, _) => {
                let words: Option<Vec<String>> = items
                    .iter()
                    .map(|v| match v {
                        Value::Word(w, _) => Some(w.clone()),
                        Value::Str(s) => Some(s.value.clone()),
                        _ => None,
                    })
                    .collect();
                words.map(|w| format!("[{}]", w.join(", ")))
            }
            Value::Word(w, _) if w.chars().filter(|&c| !Stride::is_letter(c)).count() > 1 => {
                Some(w.clone())
            }
            _ => None,
        };
        if let Some(text) = loose {
            if let Some(meant) = Stride::from_loose(&text) {
                let shown: String = text.chars().take(60).collect();
                let d = tmd004_invalid_value::stride_written_apart(value.span(), &shown, meant);
                self.error(d);
                return None;
            }
            if let Value::Word(w, span) = value {
                let d = tmd004_invalid_value::stride_word(*span, w);
                self.error(d);
                return None;
            }
        }
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "stride",
                "STRIDE letters such as `DE`",
                value,
            );
            self.error(d);
            return None;
        };
        let mut set = Stride::EMPTY;
        let mut ok = true;
        let mut first: BTreeMap<char, Span> = BTreeMap::new();
        for (i, c) in word.char_indices() {
            let letter_span = Span::new(span.start + i, span.start + i + c.len_utf8());
            if !Stride::is_letter(c) {
                let d = tmd004_invalid_value::stride_letter(letter_span, c);
                self.error(d);
                ok = false;
                continue;
            }
            if let Some(earlier) = first.get(&c) {
                let d = tmd010_given_twice::letter(letter_span, c, *earlier);
                self.error(d);
                ok = false;
                continue;
            }
            first.insert(c, letter_span);
            set.insert(c);
            letters.push((c, letter_span));
        }
        ok.then_some(set)
    }
}
