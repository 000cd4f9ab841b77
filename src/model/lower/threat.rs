//! Lowering threats: target, actor, STRIDE, the levels and severity on
//! the model's risk scale, mitigation, status; the tracking facts and
//! controls are lowered in `tracking.rs`.

use super::*;

/// A threat's fields besides the two axes of the model's risk scale
/// (which come after `stride`) and the tracking facts
/// ([`tracking::TRACKING_KEYS`], which come last). A declared scale
/// cannot name an axis like one of these.
pub(super) const FIELDS: &[&str] = &[
    "actor",
    "scenario",
    "stride",
    "severity",
    "mitigation",
    "remediation",
    "status",
    "rule",
];

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
        let mut column = None;
        let mut row = None;
        let mut given = None;
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
        let (mut has_scenario, mut has_column, mut has_row, mut has_severity) =
            (false, false, false, false);
        let mut attributes = Vec::new();
        let mut rule: Option<String> = None;
        // The scale's axes are threat fields (`ease` and `impact` on the
        // primer's scale), read in that order.
        let [column_key, row_key] = self.model.scale.axis_keys().map(str::to_string);
        let mut keys: Vec<&str> = FIELDS.to_vec();
        keys.splice(3..3, [column_key.as_str(), row_key.as_str()]);
        keys.extend(tracking::TRACKING_KEYS);
        let written = self.other_scale_axes(&decl.body, &keys);
        for entry in self.checked_entries(written.into_iter(), &keys, "threat field") {
            let key = entry.key.text.as_str();
            let value = &entry.value;
            match key {
                "actor" => {
                    actor = self.threat_actor(value);
                    failed |= actor.is_none();
                }
                "scenario" => {
                    has_scenario = true;
                    scenario = self.string(key, value);
                    failed |= scenario.is_none();
                }
                "stride" => {
                    stride = self.stride(value, &mut stride_letters);
                    failed |= stride.is_none();
                }
                "mitigation" => {
                    mitigation = self.string(key, value);
                    failed |= mitigation.is_none();
                }
                "rule" => {
                    rule = self.string(key, value);
                    failed |= rule.is_none();
                    // Kept as an attribute too: the export shows it.
                    if rule.is_some() {
                        self.keep_attribute(&mut attributes, entry);
                    }
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
                // Read once the scale is fixed.
                _ if self.scale_failed && key == "severity" => {}
                "severity" => {
                    has_severity = true;
                    given = self.scale_severity(value);
                    severity_span = Some(value.span());
                    failed |= given.is_none();
                }
                _ if key == column_key => {
                    has_column = true;
                    column = self.axis_level(value, false);
                    failed |= column.is_none();
                }
                _ if key == row_key => {
                    has_row = true;
                    row = self.axis_level(value, true);
                    failed |= row.is_none();
                }
                _ => self.keep_attribute(&mut attributes, entry),
            }
        }
        sort_attributes(&mut attributes, &[]);
        // Required fields: `actor` and `stride` are optional since
        // language 0.2.
        if !has_scenario {
            let d = tmd007_missing_field::diagnostic(decl.id.span, &decl.id.text, "scenario", None);
            self.error(d);
            failed = true;
        }
        let pair = format!("`{column_key}` and `{row_key}` come as a pair");
        match (has_column, has_row) {
            _ if self.scale_failed => failed = true,
            (true, false) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    &row_key,
                    Some(&pair),
                );
                self.error(d);
                failed = true;
            }
            (false, true) => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    &column_key,
                    Some(&pair),
                );
                self.error(d);
                failed = true;
            }
            (false, false) if !has_severity => {
                let d = tmd007_missing_field::diagnostic(
                    decl.id.span,
                    &decl.id.text,
                    "severity",
                    Some(&format!("give `{column_key}` and `{row_key}` (the severity is computed from them), or `severity`")),
                );
                self.error(d);
                failed = true;
            }
            _ => {}
        }
        failed |= !self.justified(decl, status, &tracking);
        let rating = match (column, row) {
            (Some(column), Some(row)) => Some(Rating { row, column }),
            _ => None,
        };
        let matrix_grade = rating.map(|r| self.model.scale.grade(r));
        let (grade, severity_source) = match (given, matrix_grade) {
            (Some(given), _) => (Some(given), SeveritySource::Given),
            (None, computed) => (computed, SeveritySource::Matrix),
        };
        let (Some(scenario), Some(grade), false) = (scenario, grade, failed) else {
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
            rating,
            severity: self.model.scale.band(grade),
            grade,
            severity_source,
            matrix_grade,
            mitigation: mitigation.filter(|m| !m.trim().is_empty()),
            remediation,
            status,
            tracking,
            controls,
            rule,
            attributes,
            spans: ThreatSpans {
                stride_letters,
                severity: severity_span,
                status: status_span,
                ..tracking_spans
            },
        });
    }

    /// The entries of a threat's body, except a key that is an axis of
    /// another scale than the model's (`likelihood` on the primer's): that
    /// one draws TMD108 saying which scale has it. When the scale in force
    /// failed, every scale's axes are left out, unread.
    fn other_scale_axes<'b>(&mut self, body: &'b ast::Block, keys: &[&str]) -> Vec<&'b Entry> {
        let mut out = Vec::new();
        for entry in body.entries() {
            let key = entry.key.text.as_str();
            if self.scale_failed && self.others.every_axis.contains(key) {
                continue;
            }
            if keys.contains(&key) || key.starts_with("x_") {
                out.push(entry);
                continue;
            }
            match self.others.axes.get(key) {
                Some(other) => {
                    let d = tmd108_unknown_key::other_scale_axis(
                        entry.key.span,
                        key,
                        &self.model.scale.name,
                        self.model.scale.axis_keys(),
                        other,
                    );
                    self.error(d);
                }
                None => out.push(entry),
            }
        }
        out
    }

    /// A level of one of the scale's axes.
    fn axis_level(&mut self, value: &Value, rows: bool) -> Option<usize> {
        let scale = &self.model.scale;
        let axis = if rows { &scale.rows } else { &scale.columns };
        if let Value::Word(word, _) = value {
            if let Some(level) = axis.position(word) {
                return Some(level);
            }
        }
        let choices = values::word_choices(axis.levels.iter().map(String::as_str));
        let name = axis.name.clone();
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                &name,
                &format!("one of {choices}"),
                value,
            );
            self.error(d);
            return None;
        };
        let note = self
            .others
            .levels
            .get(&(name.clone(), word.clone()))
            .and_then(|names| scale::scales_phrase(names))
            .map(|on| format!("`{word}` is a level of `{name}` on {on}"));
        let d = tmd004_invalid_value::scale_word(*span, &name, word, &choices, note);
        self.error(d);
        None
    }

    /// A severity of the scale, as written in `severity:`.
    fn scale_severity(&mut self, value: &Value) -> Option<Grade> {
        let scale = &self.model.scale;
        if let Value::Word(word, _) = value {
            if let Some(grade) = scale.grade_of(word) {
                return Some(grade);
            }
        }
        let choices = values::word_choices(scale.severities.iter().map(|s| s.word.as_str()));
        let Value::Word(word, span) = value else {
            let d = tmd004_invalid_value::wrong_type(
                value.span(),
                "severity",
                &format!("one of {choices}"),
                value,
            );
            self.error(d);
            return None;
        };
        let note = self
            .others
            .severities
            .get(word)
            .and_then(|names| scale::scales_phrase(names))
            .map(|on| format!("`{word}` is a severity of {on}"));
        let d = tmd004_invalid_value::scale_word(*span, "severity", word, &choices, note);
        self.error(d);
        None
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
