//! The threat table: one row per threat, the model shared by every format
//! (`tmd table --format md|csv|json|html` and the assessment report).
//!
//! Rows are sorted by severity (highest first, in the order of the model's
//! risk scale), then by threat ID in natural order (`T2` before `T10`). Every user string in a row has already been
//! passed through [`visible`]; each format only has to escape it.

use std::cmp::Ordering;

use serde_json::{json, Map, Value};

use super::text::visible;
use crate::analysis::Analysis;
use crate::model::*;

/// One target of a threat, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct RowTarget {
    pub target: Target,
    /// The target's identifier (a flow's written or implicit ID).
    pub id: String,
    pub label: String,
    /// `external`, `process`, `store`, `boundary` or `flow`.
    pub kind: &'static str,
    /// For a flow with a label: `Source label → Target label`.
    pub detail: Option<String>,
}

impl RowTarget {
    /// As one line of text: `Order API (process)`, `Order message (flow:
    /// Fulfillment queue → WMS)`.
    pub fn text(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{} ({}: {})", self.label, self.kind, detail),
            None => format!("{} ({})", self.label, self.kind),
        }
    }
}

/// A severity as a person reads it: its word on the model's scale, and
/// the band that colours it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeverityText {
    pub band: Severity,
    pub word: String,
}

/// What the tables show for a threat on no target yet.
pub const NO_TARGET: &str = "no target yet";

/// One threat, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub threat: ThreatId,
    pub id: String,
    pub title: String,
    /// What the threat is on, in the order written; empty for a threat on
    /// no target yet.
    pub targets: Vec<RowTarget>,
    /// None when the threat names no actor.
    pub actor_id: Option<String>,
    pub actor_label: Option<String>,
    pub scenario: String,
    /// None when the threat gives no STRIDE letters.
    pub stride: Option<Stride>,
    /// The band of its severity (colours, counts across models).
    pub severity: Severity,
    /// Its severity on the model's scale, for sorting within the model.
    pub grade: Grade,
    /// Its severity in the words of the model's scale (`critical`); on the
    /// primer's scale, the band's word.
    pub severity_word: String,
    pub severity_source: SeveritySource,
    /// The levels given on the scale's axes, in reading order (the
    /// column's first: `moderate`, `problematic`), when both are given.
    pub rating: Option<(String, String)>,
    /// What the scale's table gives, in its words, when both levels are
    /// given.
    pub matrix_word: Option<String>,
    /// The band of what the table gives.
    pub matrix_band: Option<Severity>,
    /// None when absent or blank.
    pub mitigation: Option<String>,
    pub remediation: Option<Remediation>,
    pub status: Status,
    /// Every target is an element or flow marked `out_of_scope`.
    pub out_of_scope: bool,
    /// Who decided what and when (language 0.2), strings visible.
    pub tracking: Tracking,
    /// The controls it names, in the order written (language 0.2).
    pub controls: Vec<RowControl>,
    /// The threat's `x_` keys, values as text.
    pub attributes: Vec<(String, String)>,
}

/// A control a threat names, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct RowControl {
    pub control: ControlId,
    pub id: String,
    pub label: String,
    pub status: ControlStatus,
}

impl RowControl {
    /// `Rate limiting (C1, implemented)`.
    pub fn text(&self) -> String {
        format!("{} ({}, {})", self.label, self.id, self.status)
    }
}

/// The tracking facts as `(name, value)` pairs for people, in the
/// language's order, the ones given only: `why`, `owner`, `ticket`,
/// `reviewed by`, `reviewed on`, `expires`.
pub fn tracking_facts(tracking: &Tracking) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut put = |name: &'static str, value: Option<String>| {
        if let Some(v) = value {
            out.push((name, v));
        }
    };
    put("why", tracking.justification.clone());
    put("owner", tracking.owner.clone());
    put("ticket", tracking.ticket.clone());
    put("reviewed by", tracking.reviewed_by.clone());
    put("reviewed on", tracking.reviewed_on.map(|d| d.to_string()));
    put("expires", tracking.expires.map(|d| d.to_string()));
    out
}

impl Row {
    /// The STRIDE letters, or the empty set when not given.
    pub fn stride_set(&self) -> Stride {
        self.stride.unwrap_or(Stride::EMPTY)
    }

    /// Counted as open: an open status and in scope (as
    /// [`Model::counts_as_open`]).
    pub fn counts_as_open(&self) -> bool {
        self.status.is_open() && !self.out_of_scope
    }

    /// Its severity as a person reads it.
    pub fn severity_text(&self) -> SeverityText {
        SeverityText {
            band: self.severity,
            word: self.severity_word.clone(),
        }
    }

    /// The levels given, as they read: `moderate × problematic`.
    pub fn rating_text(&self) -> Option<String> {
        self.rating.as_ref().map(|(c, r)| format!("{c} × {r}"))
    }

    /// How the severity was obtained, for people:
    /// `moderate × problematic`, `given`, `given (matrix: low from
    /// difficult × inconvenient)`.
    pub fn basis(&self) -> String {
        let pair = self.rating_text();
        match (self.severity_source, pair, &self.matrix_word) {
            (SeveritySource::Matrix, Some(pair), _) => pair,
            (SeveritySource::Matrix, None, _) => "matrix".to_string(),
            (SeveritySource::Given, Some(pair), Some(m)) if *m == self.severity_word => {
                format!("given; {pair}")
            }
            (SeveritySource::Given, Some(pair), Some(m)) => {
                format!("given (matrix: {m} from {pair})")
            }
            (SeveritySource::Given, _, _) => "given".to_string(),
        }
    }

    /// The status as shown in tables: `open`, or `open (out of scope)`.
    pub fn status_text(&self) -> String {
        if self.out_of_scope {
            format!("{} (out of scope)", self.status)
        } else {
            self.status.as_str().to_string()
        }
    }

    /// The components as one line of text: `Order API (process)`,
    /// `Order message (flow: Fulfillment queue → WMS)`, several joined with
    /// `; `, or `no target yet`.
    pub fn component_text(&self) -> String {
        if self.targets.is_empty() {
            return NO_TARGET.to_string();
        }
        let parts: Vec<String> = self.targets.iter().map(RowTarget::text).collect();
        parts.join("; ")
    }

    /// Every target's ID, in the order written (IDs hold no space, so
    /// `data-targets` joins them with one).
    pub fn target_ids(&self) -> Vec<&str> {
        self.targets.iter().map(|t| t.id.as_str()).collect()
    }

    /// The first target's ID (what `data-target` and `target` hold), or
    /// empty.
    pub fn first_target_id(&self) -> &str {
        self.targets.first().map_or("", |t| t.id.as_str())
    }
}

/// An attribute value as text (lists joined with `, `).
pub fn attr_text(value: &AttrValue) -> String {
    match value {
        AttrValue::Str(s) | AttrValue::Word(s) | AttrValue::Int(s) => visible(s).into_owned(),
        AttrValue::Bool(b) => b.to_string(),
        AttrValue::Date(d) => d.to_string(),
        AttrValue::List(items) => items.iter().map(attr_text).collect::<Vec<_>>().join(", "),
    }
}

fn v(s: &str) -> String {
    visible(s).into_owned()
}

/// Whether a threat is out of scope: every one of its targets is an
/// element marked `out_of_scope`.
pub fn is_out_of_scope(model: &Model, threat: &Threat) -> bool {
    model.threat_out_of_scope(threat)
}

fn row_target(model: &Model, target: Target) -> RowTarget {
    let detail = match target {
        Target::Flow(f) if model[f].label.is_some() => {
            let flow = &model[f];
            Some(format!(
                "{} → {}",
                v(&model[flow.source].label),
                v(&model[flow.target].label)
            ))
        }
        _ => None,
    };
    RowTarget {
        target,
        id: v(model.target_name(target)),
        label: v(&model.target_label(target)),
        kind: model.target_kind(target),
        detail,
    }
}

/// The row of one threat.
pub fn row(model: &Model, t: ThreatId) -> Row {
    let threat = &model[t];
    let scale = &model.scale;
    let actor = threat.actor.map(|a| &model[a]);
    Row {
        threat: t,
        id: v(&threat.name),
        title: v(&threat.title),
        targets: threat
            .targets
            .iter()
            .map(|&target| row_target(model, target))
            .collect(),
        actor_id: actor.map(|a| v(&a.name)),
        actor_label: actor.map(|a| v(&a.label)),
        scenario: v(&threat.scenario),
        stride: threat.stride,
        severity: threat.severity,
        grade: threat.grade,
        severity_word: v(scale.word(threat.grade)),
        severity_source: threat.severity_source,
        rating: threat
            .rating
            .map(|r| (v(scale.columns.level(r.column)), v(scale.rows.level(r.row)))),
        matrix_word: threat.matrix_grade.map(|g| v(scale.word(g))),
        matrix_band: threat.matrix_grade.map(|g| scale.band(g)),
        mitigation: threat.mitigation.as_deref().map(v),
        remediation: threat.remediation,
        status: threat.status,
        out_of_scope: is_out_of_scope(model, threat),
        tracking: Tracking {
            justification: threat.tracking.justification.as_deref().map(v),
            reviewed_by: threat.tracking.reviewed_by.as_deref().map(v),
            reviewed_on: threat.tracking.reviewed_on,
            ticket: threat.tracking.ticket.as_deref().map(v),
            owner: threat.tracking.owner.as_deref().map(v),
            expires: threat.tracking.expires,
        },
        controls: threat
            .controls
            .iter()
            .map(|&c| RowControl {
                control: c,
                id: v(&model[c].name),
                label: v(&model[c].label),
                status: model[c].status,
            })
            .collect(),
        attributes: threat
            .attributes
            .iter()
            .map(|(k, val)| (v(k), attr_text(val)))
            .collect(),
    }
}

/// Compares two identifiers with runs of digits taken as numbers
/// (`T2` < `T10`), then as plain text so that the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digit = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|prev| prev != d) {
                out.push((digit.unwrap_or(false), s.get(start..i).unwrap_or("")));
                start = i;
            }
            digit = Some(d);
        }
        if let Some(d) = digit {
            out.push((d, s.get(start..).unwrap_or("")));
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, xa), (db, xb)) in ca.iter().zip(cb.iter()) {
        let ord = match (da, db) {
            (true, true) => {
                let ta = xa.trim_start_matches('0');
                let tb = xb.trim_start_matches('0');
                ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
            }
            _ => xa.cmp(xb),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// Sorts the rows of one model: severity highest first in the order of
/// its scale, then ID in natural order.
pub fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.grade
            .cmp(&a.grade)
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
}

/// The highest severity among the rows that count as open.
pub fn worst_open(rows: &[Row]) -> Option<SeverityText> {
    rows.iter()
        .filter(|r| r.counts_as_open())
        .max_by_key(|r| r.grade)
        .map(Row::severity_text)
}

/// Every threat of the model, sorted.
pub fn rows(model: &Model) -> Vec<Row> {
    rows_of(model, model.threat_ids())
}

/// The rows of some threats, sorted.
pub fn rows_of(model: &Model, threats: impl IntoIterator<Item = ThreatId>) -> Vec<Row> {
    let mut rows: Vec<Row> = threats.into_iter().map(|t| row(model, t)).collect();
    sort(&mut rows);
    rows
}

/// The `x_` keys used by any threat, sorted by name.
pub fn attribute_keys(rows: &[Row]) -> Vec<String> {
    let mut keys: Vec<String> = rows
        .iter()
        .flat_map(|r| r.attributes.iter().map(|(k, _)| k.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Where a threat is counted in the summary: by status, except that every
/// threat on an out-of-scope element is counted as out of scope. The open
/// statuses (`open`, `investigating`, `in-progress`) are counted as open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    Open,
    Mitigated,
    Accepted,
    /// Language 0.2.
    Transferred,
    /// Language 0.2.
    FalsePositive,
    OutOfScope,
}

impl Bucket {
    pub const ALL: [Bucket; 6] = [
        Bucket::Open,
        Bucket::Mitigated,
        Bucket::Accepted,
        Bucket::Transferred,
        Bucket::FalsePositive,
        Bucket::OutOfScope,
    ];

    pub fn of(row: &Row) -> Bucket {
        if row.out_of_scope {
            return Bucket::OutOfScope;
        }
        match row.status {
            Status::Open | Status::Investigating | Status::InProgress => Bucket::Open,
            Status::Mitigated => Bucket::Mitigated,
            Status::Accepted => Bucket::Accepted,
            Status::Transferred => Bucket::Transferred,
            Status::FalsePositive => Bucket::FalsePositive,
        }
    }

    /// The key in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Open => "open",
            Bucket::Mitigated => "mitigated",
            Bucket::Accepted => "accepted",
            Bucket::Transferred => "transferred",
            Bucket::FalsePositive => "false_positive",
            Bucket::OutOfScope => "out_of_scope",
        }
    }

    /// The column heading.
    pub fn heading(self) -> &'static str {
        match self {
            Bucket::Open => "Open",
            Bucket::Mitigated => "Mitigated",
            Bucket::Accepted => "Accepted",
            Bucket::Transferred => "Transferred",
            Bucket::FalsePositive => "False positive",
            Bucket::OutOfScope => "Out of scope",
        }
    }

    /// In a sentence: `open`, `false positive`, `out of scope`.
    pub fn words(self) -> &'static str {
        match self {
            Bucket::FalsePositive => "false positive",
            Bucket::OutOfScope => "out of scope",
            other => other.as_str(),
        }
    }

    /// A bucket of language 0.2, shown in tables only when a threat is
    /// in it (so that a 0.1 model's report reads as it did).
    fn shown_only_when_used(self) -> bool {
        matches!(self, Bucket::Transferred | Bucket::FalsePositive)
    }
}

/// Severities high first.
pub const SEVERITIES: [Severity; 3] = [Severity::High, Severity::Medium, Severity::Low];

/// The threats of one severity of the model's scale, by bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelCount {
    /// The severity's word on the scale.
    pub word: String,
    /// The band it counts in.
    pub band: Severity,
    counts: [usize; Bucket::ALL.len()],
}

impl LevelCount {
    pub fn get(&self, bucket: Bucket) -> usize {
        self.counts.get(bucket_index(bucket)).copied().unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// Counts by severity (of the model's scale) and bucket.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// One a severity of the scale, lowest first.
    levels: Vec<LevelCount>,
    /// Threats on no target yet.
    pub no_target: usize,
    /// Threats that name no actor.
    pub no_actor: usize,
    /// Threats that give no STRIDE letters.
    pub no_stride: usize,
    /// Open threats per open status (`open`, `investigating`,
    /// `in-progress`), in scope.
    pub open_statuses: [usize; 3],
}

fn bucket_index(b: Bucket) -> usize {
    match b {
        Bucket::Open => 0,
        Bucket::Mitigated => 1,
        Bucket::Accepted => 2,
        Bucket::Transferred => 3,
        Bucket::FalsePositive => 4,
        Bucket::OutOfScope => 5,
    }
}

/// The open statuses, in the order of [`Summary::open_statuses`].
pub const OPEN_STATUSES: [Status; 3] = [Status::Open, Status::Investigating, Status::InProgress];

impl Summary {
    /// The rows of a model rated on `scale`.
    pub fn of(scale: &Scale, rows: &[Row]) -> Summary {
        let mut summary = Summary {
            levels: scale
                .severities
                .iter()
                .map(|s| LevelCount {
                    word: v(&s.word),
                    band: s.band,
                    counts: [0; Bucket::ALL.len()],
                })
                .collect(),
            ..Summary::default()
        };
        for row in rows {
            if let Some(level) = summary.levels.get_mut(row.grade.index()) {
                if let Some(cell) = level.counts.get_mut(bucket_index(Bucket::of(row))) {
                    *cell += 1;
                }
            }
            summary.no_target += usize::from(row.targets.is_empty());
            summary.no_actor += usize::from(row.actor_id.is_none());
            summary.no_stride += usize::from(row.stride.is_none());
            if Bucket::of(row) == Bucket::Open {
                if let Some(i) = OPEN_STATUSES.iter().position(|&s| s == row.status) {
                    if let Some(n) = summary.open_statuses.get_mut(i) {
                        *n += 1;
                    }
                }
            }
        }
        summary
    }

    /// The buckets a table shows: those of language 0.1 always, the others
    /// when a threat is in them.
    pub fn buckets(&self) -> Vec<Bucket> {
        Bucket::ALL
            .into_iter()
            .filter(|&b| !b.shown_only_when_used() || self.bucket_total(b) > 0)
            .collect()
    }

    /// The scale's severities, highest first, with their counts.
    pub fn levels(&self) -> impl Iterator<Item = &LevelCount> {
        self.levels.iter().rev()
    }

    /// Threats in a band and bucket.
    pub fn get(&self, band: Severity, bucket: Bucket) -> usize {
        self.levels
            .iter()
            .filter(|l| l.band == band)
            .map(|l| l.get(bucket))
            .sum()
    }

    pub fn severity_total(&self, band: Severity) -> usize {
        Bucket::ALL.iter().map(|&b| self.get(band, b)).sum()
    }

    pub fn bucket_total(&self, bucket: Bucket) -> usize {
        self.levels.iter().map(|l| l.get(bucket)).sum()
    }

    pub fn total(&self) -> usize {
        self.levels.iter().map(LevelCount::total).sum()
    }

    /// One sentence: `25 threats: 9 open (3 high, 4 medium, 2 low), ...`,
    /// in the words of the model's scale.
    pub fn sentence(&self) -> String {
        let total = self.total();
        if total == 0 {
            return "No threats recorded.".to_string();
        }
        let mut parts = Vec::new();
        for bucket in Bucket::ALL {
            let n = self.bucket_total(bucket);
            if n == 0 {
                continue;
            }
            let name = bucket.words();
            let by_severity: Vec<String> = self
                .levels()
                .filter(|l| l.get(bucket) > 0)
                .map(|l| format!("{} {}", l.get(bucket), l.word))
                .collect();
            parts.push(format!("{n} {name} ({})", by_severity.join(", ")));
        }
        let noun = if total == 1 { "threat" } else { "threats" };
        format!("{total} {noun}: {}.", parts.join("; "))
    }

    /// How the open threats stand, when some are being worked on: `Of the
    /// open threats, 2 are under investigation and 1 is in progress.`
    pub fn open_statuses_sentence(&self) -> Option<String> {
        let [_, investigating, in_progress] = self.open_statuses;
        let verb = |n: usize| if n == 1 { "is" } else { "are" };
        let mut parts = Vec::new();
        if investigating > 0 {
            parts.push(format!(
                "{investigating} {} under investigation",
                verb(investigating)
            ));
        }
        if in_progress > 0 {
            parts.push(format!("{in_progress} {} in progress", verb(in_progress)));
        }
        (!parts.is_empty()).then(|| format!("Of the open threats, {}.", parts.join(" and ")))
    }

    /// What threats leave out, when any does: `Not given: a target on 1
    /// threat, an actor on 2 threats, STRIDE letters on 1 threat.`
    pub fn not_given_sentence(&self) -> Option<String> {
        let threats = |n: usize| if n == 1 { "threat" } else { "threats" };
        let mut parts = Vec::new();
        if self.no_target > 0 {
            parts.push(format!(
                "a target on {} {}",
                self.no_target,
                threats(self.no_target)
            ));
        }
        if self.no_actor > 0 {
            parts.push(format!(
                "an actor on {} {}",
                self.no_actor,
                threats(self.no_actor)
            ));
        }
        if self.no_stride > 0 {
            parts.push(format!(
                "STRIDE letters on {} {}",
                self.no_stride,
                threats(self.no_stride)
            ));
        }
        (!parts.is_empty()).then(|| format!("Not given: {}.", parts.join(", ")))
    }

    /// As JSON: `{"high": {"open": 1, ...}, ..., "total": {...}}`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for s in SEVERITIES {
            let mut line = Map::new();
            for b in Bucket::ALL {
                line.insert(b.as_str().to_string(), Value::from(self.get(s, b)));
            }
            line.insert("total".to_string(), Value::from(self.severity_total(s)));
            out.insert(s.as_str().to_string(), Value::Object(line));
        }
        let mut line = Map::new();
        for b in Bucket::ALL {
            line.insert(b.as_str().to_string(), Value::from(self.bucket_total(b)));
        }
        line.insert("total".to_string(), Value::from(self.total()));
        out.insert("total".to_string(), Value::Object(line));
        Value::Object(out)
    }

    /// The counts by severity of the model's scale, highest first:
    /// `[{"severity": "critical", "band": "high", "open": 1, ...}]`.
    pub fn levels_json(&self) -> Value {
        Value::Array(
            self.levels()
                .map(|l| {
                    let mut line = Map::new();
                    line.insert("severity".to_string(), Value::String(l.word.clone()));
                    line.insert(
                        "band".to_string(),
                        Value::String(l.band.as_str().to_string()),
                    );
                    for b in Bucket::ALL {
                        line.insert(b.as_str().to_string(), Value::from(l.get(b)));
                    }
                    line.insert("total".to_string(), Value::from(l.total()));
                    Value::Object(line)
                })
                .collect(),
        )
    }
}

fn word<W: Word>(value: Option<W>) -> Value {
    value.map_or(Value::Null, |w| Value::String(w.as_str().to_string()))
}

/// The levels a threat gives, keyed by axis name in reading order
/// (`{"likelihood": "high", "impact": "low"}`), or null.
pub fn rating_json(scale: &Scale, rating: Option<(&str, &str)>) -> Value {
    rating.map_or(Value::Null, |(column, row)| {
        let mut out = Map::new();
        out.insert(v(&scale.columns.name), Value::String(column.to_string()));
        out.insert(v(&scale.rows.name), Value::String(row.to_string()));
        Value::Object(out)
    })
}

/// The primer's `ease` and `impact` of a rating (null on other scales,
/// whose levels are in `rating`).
pub fn primer_axes(scale: &Scale, rating: Option<(&str, &str)>) -> (Value, Value) {
    match rating {
        Some((ease, impact)) if scale.is_primer() => (
            Value::String(ease.to_string()),
            Value::String(impact.to_string()),
        ),
        _ => (Value::Null, Value::Null),
    }
}

/// One row as JSON (the `threats` entries of `tmd table --format json`).
/// `severity` is the band; `scale_severity` the word on `scale`.
pub fn row_json(row: &Row, scale: &Scale) -> Value {
    let rating = row.rating.as_ref().map(|(c, r)| (c.as_str(), r.as_str()));
    let (ease, impact) = primer_axes(scale, rating);
    let mut attributes = Map::new();
    for (k, val) in &row.attributes {
        attributes.insert(k.clone(), Value::String(val.clone()));
    }
    json!({
        "id": row.id,
        "title": row.title,
        "target": row.targets.first().map(|t| t.id.clone()),
        "target_label": row.targets.first().map(|t| t.label.clone()),
        "target_kind": row.targets.first().map(|t| t.kind),
        "targets": row.targets.iter().map(|t| json!({
            "id": t.id,
            "label": t.label,
            "kind": t.kind,
        })).collect::<Vec<_>>(),
        "actor": row.actor_id,
        "actor_label": row.actor_label,
        "scenario": row.scenario,
        "stride": row.stride.map(|s| s.to_string()),
        "stride_names": row.stride.unwrap_or(Stride::EMPTY).letters().map(Stride::name).collect::<Vec<_>>(),
        "severity": row.severity.as_str(),
        "scale_severity": row.severity_word,
        "severity_source": row.severity_source.as_str(),
        "ease": ease,
        "impact": impact,
        "rating": rating_json(scale, rating),
        "matrix_severity": word(row.matrix_band),
        "matrix_scale_severity": row.matrix_word,
        "mitigation": row.mitigation,
        "remediation": word(row.remediation),
        "status": row.status.as_str(),
        "out_of_scope": row.out_of_scope,
        "justification": row.tracking.justification,
        "owner": row.tracking.owner,
        "ticket": row.tracking.ticket,
        "reviewed_by": row.tracking.reviewed_by,
        "reviewed_on": row.tracking.reviewed_on.map(|d| d.to_string()),
        "expires": row.tracking.expires.map(|d| d.to_string()),
        "controls": row.controls.iter().map(|c| json!({
            "id": c.id,
            "label": c.label,
            "status": c.status.as_str(),
        })).collect::<Vec<_>>(),
        "attributes": Value::Object(attributes),
    })
}

/// `tmd table --format json`: the sorted table with its summary.
pub fn json(model: &Model, _analysis: &Analysis) -> String {
    let rows = rows(model);
    let summary = Summary::of(&model.scale, &rows);
    let value = json!({
        "schema_version": 2,
        "title": model.meta.title.as_deref().map(v),
        "risk": v(&model.scale.name),
        "scale": super::export::scale_json(&model.scale),
        "summary": summary.to_json(),
        "scale_summary": summary.levels_json(),
        "threats": rows.iter().map(|r| row_json(r, &model.scale)).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut ids = vec!["T10", "T2", "T1", "A", "T02", "t1", "T1a", "T1b"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, vec!["A", "T1", "T1a", "T1b", "T02", "T2", "T10", "t1"]);
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
    }

    fn compiled(text: &str) -> (Model, Analysis) {
        let c = crate::compile(text);
        assert!(c.valid().is_some(), "{:?}", c.diagnostics);
        (c.model.unwrap(), c.analysis.unwrap())
    }

    const MODEL: &str = "external a \"A\" { out_of_scope: true }\nprocess p \"P\"\nflow a -> p \"in\"\nflow p -> a\n\
threat T10 on p { actor: apt, scenario: \"s\", stride: ES, ease: easy, impact: problematic }\n\
threat T2 on p { actor: apt, scenario: \"s\", stride: T, severity: low }\n\
threat T3 on a { actor: apt, scenario: \"s\", stride: S, ease: easy, impact: problematic, severity: high }\n\
threat T1 on a -> p { actor: apt, scenario: \"s\", stride: T, ease: easy, impact: inconvenient, severity: high, status: mitigated }\n";

    #[test]
    fn rows_sorted_by_severity_then_natural_id() {
        let (model, _) = compiled(MODEL);
        let rows = rows(&model);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, vec!["T1", "T3", "T10", "T2"]);
        let t1 = &rows[0];
        assert_eq!(
            t1.basis(),
            "given (matrix: medium from easy × inconvenient)"
        );
        assert_eq!(t1.component_text(), "in (flow: A → P)");
        assert_eq!(rows[1].basis(), "given; easy × problematic");
        assert!(rows[1].out_of_scope);
        assert_eq!(rows[1].status_text(), "open (out of scope)");
        assert_eq!(rows[2].basis(), "easy × problematic");
        assert_eq!(rows[2].stride.map(|s| s.to_string()).as_deref(), Some("SE"));
        assert_eq!(rows[3].basis(), "given");
    }

    #[test]
    fn summary_counts_out_of_scope_apart() {
        let (model, _) = compiled(MODEL);
        let summary = Summary::of(&model.scale, &rows(&model));
        assert_eq!(summary.get(Severity::High, Bucket::Open), 1);
        assert_eq!(summary.get(Severity::High, Bucket::OutOfScope), 1);
        assert_eq!(summary.get(Severity::High, Bucket::Mitigated), 1);
        assert_eq!(summary.get(Severity::Low, Bucket::Open), 1);
        assert_eq!(summary.bucket_total(Bucket::Open), 2);
        assert_eq!(summary.total(), 4);
        assert_eq!(
            summary.sentence(),
            "4 threats: 2 open (1 high, 1 low); 1 mitigated (1 high); 1 out of scope (1 high)."
        );
    }
}
