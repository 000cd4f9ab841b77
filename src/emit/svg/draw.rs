//! Writing the SVG document from a positioned [`Scene`]. The structure
//! (groups, classes, `data-tmd-*` attributes) is the contract documented
//! in `docs/svg.md`.

use crate::analysis::Analysis;
use crate::layout::{Point, Rect};
use crate::model::{BoundaryKind, ElementKind, Model, StandIn, Target, ThreatId};

use super::scene::{Badge, Block, Content, Scene};
use super::xml::{escape_into, push_num, user, user_into};
use super::{Mark, Marks};
use crate::emit::text::{assets_text, holds_word};

/// The document being written, one element a line, indented by depth.
#[derive(Debug, Default)]
pub struct Out {
    pub s: String,
    depth: usize,
}

impl Out {
    pub fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.s.push_str("  ");
        }
        self.s.push_str(text);
        self.s.push('\n');
    }

    /// A line written by `write` straight into the document (no copy of
    /// it made first).
    pub fn line_with(&mut self, write: impl FnOnce(&mut String)) {
        for _ in 0..self.depth {
            self.s.push_str("  ");
        }
        write(&mut self.s);
        self.s.push('\n');
    }

    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.depth += 1;
    }

    pub fn close(&mut self, text: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(text);
    }
}

/// A number for an attribute: rounded to 0.01.
pub fn n(v: f64) -> String {
    super::xml::num(v)
}

/// `<text>` with one `<tspan>` per line, centred on `c`.
pub fn text_block(out: &mut Out, block: &Block, c: Point, class: &str) {
    if block.is_empty() {
        return;
    }
    out.line_with(|s| {
        s.push_str("<text class=\"");
        s.push_str(class);
        s.push_str("\" x=\"");
        push_num(s, c.x);
        s.push_str("\" y=\"");
        push_num(s, block.baselines(c.y).next().unwrap_or(c.y));
        s.push_str("\" font-size=\"");
        push_num(s, block.font.size);
        s.push('"');
        if block.font.bold {
            s.push_str(r#" font-weight="bold""#);
        }
        s.push_str(r#" text-anchor="middle">"#);
        for (line, y) in block.lines.iter().zip(block.baselines(c.y)) {
            s.push_str("<tspan x=\"");
            push_num(s, c.x);
            s.push_str("\" y=\"");
            push_num(s, y);
            s.push_str("\">");
            // Lines were made visible when the block was built.
            escape_into(s, line);
            s.push_str("</tspan>");
        }
        s.push_str("</text>");
    });
}

/// A `<rect>` line filling `r`, with its class and corner radius (each
/// left out when empty).
fn rect(out: &mut Out, class: &str, r: Rect, rx: &str) {
    out.line_with(|s| {
        s.push_str("<rect");
        if !class.is_empty() {
            s.push_str(" class=\"");
            s.push_str(class);
            s.push('"');
        }
        push_attrs(
            s,
            &[
                ("x", r.x),
                ("y", r.y),
                ("width", r.width),
                ("height", r.height),
            ],
        );
        if !rx.is_empty() {
            s.push_str(" rx=\"");
            s.push_str(rx);
            s.push('"');
        }
        s.push_str("/>");
    });
}

/// Appends ` NAME="VALUE"` for each pair, the values as [`n`] writes them.
fn push_attrs(s: &mut String, attrs: &[(&str, f64)]) {
    for &(name, v) in attrs {
        s.push(' ');
        s.push_str(name);
        s.push_str("=\"");
        push_num(s, v);
        s.push('"');
    }
}

/// The outline of an element of `kind` filling `r`.
pub fn shape(out: &mut Out, kind: ElementKind, r: Rect) {
    match kind {
        ElementKind::External => rect(out, "tmd-shape", r, ""),
        ElementKind::Process => out.line_with(|s| {
            s.push_str(r#"<ellipse class="tmd-shape""#);
            push_attrs(
                s,
                &[
                    ("cx", r.x + r.width / 2.0),
                    ("cy", r.y + r.height / 2.0),
                    ("rx", r.width / 2.0),
                    ("ry", r.height / 2.0),
                ],
            );
            s.push_str("/>");
        }),
        ElementKind::Store => {
            rect(out, "tmd-shape", r, "");
            out.line_with(|s| {
                s.push_str(r#"<path class="tmd-store-lines" d=""#);
                for y in [r.y, r.y + r.height] {
                    push_point(s, 'M', Point { x: r.x, y });
                    s.push('H');
                    push_num(s, r.x + r.width);
                }
                s.push_str(r#""/>"#);
            });
        }
    }
}

/// A badge filling `r`.
pub fn badge(out: &mut Out, b: &Badge, r: Rect, mark: Option<Mark>) {
    let (class, data) = match mark {
        Some(m) => (
            format!(" tmd-badge-{}", m.as_str()),
            format!(r#" data-tmd-diff="{}""#, m.as_str()),
        ),
        None => (String::new(), String::new()),
    };
    out.open(&format!(
        r#"<g class="tmd-badge tmd-sev-{}{class}"{data}>"#,
        b.sev.as_str()
    ));
    if mark.is_some() {
        // A ring with a gap, so that it shows around a badge of any colour.
        let ring = Rect {
            x: r.x - 2.5,
            y: r.y - 2.5,
            width: r.width + 5.0,
            height: r.height + 5.0,
        };
        rect(out, "tmd-badge-ring", ring, "5");
    }
    rect(out, "", r, "3");
    text_block(
        out,
        &b.text,
        Point {
            x: r.x + r.width / 2.0,
            y: r.y + r.height / 2.0,
        },
        "tmd-badge-text",
    );
    out.close("</g>");
}

/// A label with its badge, centred on `c`.
fn content(out: &mut Out, c: &Content, at: Point, class: &str, mark: Option<Mark>) {
    let placed = c.place(at);
    text_block(out, &c.label, placed.label, class);
    if let (Some(b), Some(r)) = (&c.badge, placed.badge) {
        badge(out, b, r, mark);
    }
}

/// The tooltip lines of the threat changes on `target`.
fn badge_notes(marks: &Marks, target: Target) -> Vec<String> {
    marks.badge_notes.get(&target).cloned().unwrap_or_default()
}

fn sub(a: Point, b: Point) -> Point {
    Point {
        x: a.x - b.x,
        y: a.y - b.y,
    }
}

fn len(p: Point) -> f64 {
    (p.x * p.x + p.y * p.y).sqrt()
}

fn along(p: Point, u: Point, d: f64) -> Point {
    Point {
        x: p.x + u.x * d,
        y: p.y + u.y * d,
    }
}

/// Appends a path command `cmd` and its point `x,y` to `d`.
fn push_point(d: &mut String, cmd: char, p: Point) {
    d.push(cmd);
    push_num(d, p.x);
    d.push(',');
    push_num(d, p.y);
}

/// Appends the path data of a polyline with its bends rounded off to `d`.
fn rounded_into(d: &mut String, points: &[Point]) {
    let Some(&first) = points.first() else {
        return;
    };
    let mut at = first;
    push_point(d, 'M', first);
    for (i, pair) in points.windows(2).enumerate() {
        let &[prev, p] = pair else {
            continue;
        };
        if let Some(&q) = points.get(i + 2) {
            let (a, b) = (sub(prev, p), sub(q, p));
            let (la, lb) = (len(a), len(b));
            let r = 10.0_f64.min(la / 2.0).min(lb / 2.0);
            if r > 0.5 {
                let ua = Point {
                    x: a.x / la,
                    y: a.y / la,
                };
                let ub = Point {
                    x: b.x / lb,
                    y: b.y / lb,
                };
                let (s, e) = (along(p, ua, r), along(p, ub, r));
                if len(sub(s, at)) > 0.01 {
                    push_point(d, 'L', s);
                }
                push_point(d, 'Q', p);
                push_point(d, ' ', e);
                at = e;
                continue;
            }
        }
        if len(sub(p, at)) > 0.01 {
            push_point(d, 'L', p);
            at = p;
        }
    }
}

/// The polyline without repeated points and without interior points on
/// (within half a pixel of) a straight line between their neighbours.
fn simplify(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for &p in points {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 1e-6 && (q.y - p.y).abs() < 1e-6)
        {
            continue;
        }
        if let [.., a, b] = out.as_slice() {
            // Drop `b` when it lies within half a pixel of the straight
            // line from `a` to `p`, between them.
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            let dot = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() <= 0.5 * len(sub(p, *a)) && dot >= 0.0 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Size of the arrowhead: (length, half width).
fn head_size(crossing: bool) -> (f64, f64) {
    if crossing {
        (12.0, 5.5)
    } else {
        (9.0, 4.0)
    }
}

/// The faint halo under a flow that carries sensitive data across a
/// boundary (language 0.2), drawn before its line.
pub fn halo(out: &mut Out, points: &[Point]) {
    let pts = simplify(points);
    if pts.len() >= 2 {
        out.line_with(|s| {
            s.push_str(r#"<path class="tmd-sensitive-halo" d=""#);
            rounded_into(s, &pts);
            s.push_str(r#""/>"#);
        });
    }
}

/// Radius of the initiator mark of a reversed flow.
pub const INITIATOR_R: f64 = 3.5;

/// A flow's line, its arrowhead at the last point, and for a reversed
/// flow the initiator mark between the head and the target outline.
pub fn arrow(out: &mut Out, points: &[Point], crossing: bool, reversed: bool) {
    let pts = simplify(points);
    if pts.len() < 2 {
        return;
    }
    let mut pts = pts;
    let [.., before, end] = pts[..] else {
        return;
    };
    let seg = sub(end, before);
    let l = len(seg);
    let u = Point {
        x: seg.x / l,
        y: seg.y / l,
    };
    let (hl, hw) = head_size(crossing);
    let tip = if reversed {
        along(end, u, -2.0 * INITIATOR_R)
    } else {
        end
    };
    let base = along(tip, u, -hl);
    // Stop the line inside the head so that its end does not show.
    if len(sub(base, before)) > 1.0 && l > len(sub(end, base)) {
        if let Some(last) = pts.last_mut() {
            *last = along(base, u, 1.0);
        }
    }
    out.line_with(|s| {
        s.push_str(r#"<path class="tmd-line" d=""#);
        rounded_into(s, &pts);
        s.push_str(r#""/>"#);
    });
    let normal = Point { x: -u.y, y: u.x };
    let (a, b) = (along(base, normal, hw), along(base, normal, -hw));
    out.line_with(|s| {
        s.push_str(r#"<path class="tmd-head" d=""#);
        for (cmd, p) in [('M', tip), ('L', a), ('L', b)] {
            push_point(s, cmd, p);
        }
        s.push_str(r#"Z"/>"#);
    });
    if reversed {
        let c = along(end, u, -INITIATOR_R);
        out.line(&format!(
            r#"<circle class="tmd-initiator" cx="{}" cy="{}" r="{}"/>"#,
            n(c.x),
            n(c.y),
            n(INITIATOR_R)
        ));
    }
}

/// `out of scope`, or `out of scope: REASON`.
pub fn out_of_scope_text(reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("out of scope: {r}"),
        None => "out of scope".to_string(),
    }
}

fn threat_lines(model: &Model, threats: &[ThreatId]) -> Vec<String> {
    threats
        .iter()
        .map(|&t| {
            let th = &model[t];
            format!(
                "{} {} ({}, {}, {})",
                th.name,
                th.title,
                th.stride
                    .map_or_else(|| "STRIDE not given".to_string(), |s| s.to_string()),
                model.scale.word(th.grade),
                th.status.describe()
            )
        })
        .collect()
}

fn tooltip(out: &mut Out, lines: &[String]) {
    out.line_with(|s| {
        s.push_str("<title>");
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                // The line end, escaped as `user` escapes it.
                s.push_str("&#10;");
            }
            user_into(s, line);
        }
        s.push_str("</title>");
    });
}

fn target_label(model: &Model, t: Target) -> String {
    model.target_label(t)
}

/// The class and attribute of a diff mark, and its tooltip line.
fn mark_attrs(mark: Option<&Mark>, class: &mut String, data: &mut String, tip: &mut Vec<String>) {
    let Some(m) = mark else { return };
    class.push_str(" tmd-");
    class.push_str(m.as_str());
    data.push_str(&format!(r#" data-tmd-diff="{}""#, m.as_str()));
    tip.push(
        match m {
            Mark::Added => "diff: added (only in NEW)",
            Mark::Changed => "diff: changed",
            Mark::Removed => "diff: removed (only in OLD)",
        }
        .to_string(),
    );
}

/// The whole document.
pub fn document(
    model: &Model,
    analysis: &Analysis,
    scene: &Scene,
    prefix: Option<&str>,
    marks: &Marks,
) -> String {
    let scope = match prefix {
        Some(p) => format!("tmd-diagram-{p}"),
        None => "tmd-diagram".to_string(),
    };
    let id = |kind: &str, name: &str| match prefix {
        Some(p) => user(&format!("{p}-{kind}-{name}")),
        None => user(&format!("{kind}-{name}")),
    };
    let class_attr = if prefix.is_some() {
        format!("tmd-diagram {scope}")
    } else {
        scope.clone()
    };
    let (w, h) = (scene.width, scene.height);
    let mut out = Out::default();
    out.open(&format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class_attr}" width="{}" height="{}" viewBox="0 0 {} {}" role="img">"#,
        n(w),
        n(h),
        n(w),
        n(h)
    ));
    let title_text = model.meta.title.as_deref().unwrap_or("Threat model");
    out.line(&format!("<title>{}</title>", user(title_text)));
    if let Some(scope_text) = &model.meta.scope {
        out.line(&format!("<desc>{}</desc>", user(scope_text)));
    }
    out.line(&format!(
        "<style>\n{}</style>",
        super::style::css(
            &scope,
            super::style::Uses {
                diff: marks.enabled,
                oos_flows: model.flows.iter().any(|f| f.out_of_scope),
                kinds: model
                    .boundaries
                    .iter()
                    .any(|b| matches!(b.kind, Some(BoundaryKind::Known(_)))),
                sensitive: scene.flows.iter().any(|f| f.sensitive),
                view: model.view.is_some(),
            }
        )
    ));
    out.line(&format!(
        r#"<rect class="tmd-bg" x="0" y="0" width="{}" height="{}"/>"#,
        n(w),
        n(h)
    ));

    if let Some(t) = &scene.title {
        out.open(r#"<g class="tmd-title-block">"#);
        let mut y = t.y;
        if !t.title.is_empty() {
            let left = |b: &Block, y: f64| Point {
                x: t.x + b.width / 2.0,
                y: y + b.height / 2.0,
            };
            // Title lines left-aligned: one block per line.
            for line in &t.title.lines {
                let b = Block::from_lines(vec![line.clone()], t.title.font);
                text_block(&mut out, &b, left(&b, y), "tmd-title");
                y += b.height;
            }
            y += 2.0;
        }
        for line in &t.subtitle.lines {
            let b = Block::from_lines(vec![line.clone()], t.subtitle.font);
            text_block(
                &mut out,
                &b,
                Point {
                    x: t.x + b.width / 2.0,
                    y: y + b.height / 2.0,
                },
                "tmd-subtitle",
            );
            y += b.height;
        }
        out.close("</g>");
    }

    out.open(r#"<g class="tmd-flows">"#);
    for (f, fp) in model.flow_ids().zip(&scene.flows) {
        let flow = &model[f];
        let facts = analysis.flow(f);
        let mut class = String::from("tmd-flow");
        let mut data = String::new();
        if fp.reversed {
            class.push_str(" tmd-reversed");
            data.push_str(r#" data-tmd-reversed="true""#);
        }
        if fp.crossing {
            class.push_str(" tmd-crossing");
            data.push_str(r#" data-tmd-crossing="true""#);
        }
        if flow.out_of_scope {
            class.push_str(" tmd-out-of-scope");
        }
        if fp.sensitive {
            class.push_str(" tmd-sensitive");
            data.push_str(r#" data-tmd-sensitive="true""#);
        }
        let summary = model
            .view
            .as_ref()
            .is_some_and(|v| v.summary_flows.contains(&f));
        if summary {
            class.push_str(" tmd-summary");
            data.push_str(r#" data-tmd-view="summary""#);
        }
        let (src, tgt) = (&model[flow.source], &model[flow.target]);
        let mut diff_tip = Vec::new();
        mark_attrs(marks.flows.get(&f), &mut class, &mut data, &mut diff_tip);
        out.open(&format!(
            r#"<g class="{class}" data-tmd-id="{}" data-tmd-source="{}" data-tmd-target="{}"{data}>"#,
            user(&flow.name),
            user(&src.name),
            user(&tgt.name)
        ));
        let mut tip = if summary {
            vec![format!(
                "flows left out of this view: {} → {}",
                src.label, tgt.label
            )]
        } else {
            vec![format!(
                "{}: {} → {}",
                target_label(model, Target::Flow(f)),
                src.label,
                tgt.label
            )]
        };
        if flow.out_of_scope {
            tip.push(out_of_scope_text(flow.out_of_scope_reason.as_deref()));
        }
        if let Some(p) = &flow.protocol {
            tip.push(format!("protocol: {p}"));
        }
        let mut security = Vec::new();
        match flow.encrypted {
            Some(true) => security.push("encrypted"),
            Some(false) => security.push("not encrypted"),
            None => {}
        }
        match flow.authenticated {
            Some(true) => security.push("authenticated"),
            Some(false) => security.push("not authenticated"),
            None => {}
        }
        if !security.is_empty() {
            tip.push(security.join(", "));
        }
        if !flow.data.is_empty() {
            tip.push(format!("data: {}", flow.data.join(", ")));
        }
        if !flow.assets.is_empty() {
            tip.push(format!("carries: {}", assets_text(model, &flow.assets)));
        }
        if fp.reversed {
            tip.push(format!(
                "{} opens the connection and pulls the data",
                tgt.label
            ));
        }
        if let Some(request) = flow.response_to {
            tip.push(format!("response to {}", model.flow_words(request)));
        }
        for c in &facts.crossings {
            let b = &model[c.boundary];
            let how = c.direction.preposition();
            tip.push(format!("crosses {how} {}", b.label));
        }
        tip.extend(threat_lines(model, &facts.threats));
        tip.extend(diff_tip);
        tip.extend(badge_notes(marks, Target::Flow(f)));
        tooltip(&mut out, &tip);
        if fp.sensitive {
            halo(&mut out, &fp.points);
        }
        arrow(&mut out, &fp.points, fp.crossing, fp.reversed);
        if let Some(r) = fp.label_rect {
            rect(&mut out, "tmd-label-box", r, "2");
            content(
                &mut out,
                &fp.content,
                Point {
                    x: r.x + r.width / 2.0,
                    y: r.y + r.height / 2.0,
                },
                "tmd-flow-label",
                marks.badges.get(&Target::Flow(f)).copied(),
            );
        }
        out.close("</g>");
    }
    out.close("</g>");

    // Boundaries, outermost first, over the flows so that their labels
    // stay readable where a flow passes under them.
    let mut order: Vec<usize> = (0..scene.boundaries.len()).collect();
    order.sort_by_key(|&i| (scene.boundaries.get(i).map_or(0, |b| b.depth), i));
    out.open(r#"<g class="tmd-boundaries">"#);
    for i in order {
        let (Some(bd), Some(bx)) = (model.boundaries.get(i), scene.boundaries.get(i)) else {
            continue;
        };
        let (mut class, mut data, mut diff_tip) =
            (String::from("tmd-boundary"), String::new(), Vec::new());
        // Language 0.2: a usual kind styles the box and is named; a kind of
        // the model's own is `custom` here (its text is in the tooltip: no
        // user text goes into an attribute).
        match &bd.kind {
            Some(BoundaryKind::Known(word)) => {
                class.push_str(" tmd-kind-");
                class.push_str(word.as_str());
                data.push_str(&format!(r#" data-tmd-kind="{}""#, word.as_str()));
            }
            Some(BoundaryKind::Custom(_)) => data.push_str(r#" data-tmd-kind="custom""#),
            None => {}
        }
        mark_attrs(
            marks
                .boundaries
                .get(&crate::model::BoundaryId::from_index(i)),
            &mut class,
            &mut data,
            &mut diff_tip,
        );
        out.open(&format!(
            r#"<g class="{class}" id="{}" data-tmd-id="{}"{data}>"#,
            id("bd", &bd.name),
            user(&bd.name)
        ));
        let facts = &analysis.boundaries.get(i);
        let mut tip = vec![
            bd.label.clone(),
            format!("trust boundary (id: {})", bd.name),
        ];
        if let Some(kind) = &bd.kind {
            tip.push(format!("kind: {}", kind.describe()));
        }
        if let Some(d) = &bd.description {
            tip.push(d.clone());
        }
        if let Some(f) = facts {
            if !f.crossing_flows.is_empty() {
                tip.push(format!("{} crossing flows", f.crossing_flows.len()));
            }
            tip.extend(threat_lines(model, &f.threats));
        }
        let target = Target::Boundary(crate::model::BoundaryId::from_index(i));
        tip.extend(diff_tip);
        tip.extend(badge_notes(marks, target));
        tooltip(&mut out, &tip);
        rect(&mut out, "tmd-boundary-box", bx.rect, "6");
        let lr = bx.label_rect;
        content(
            &mut out,
            &bx.content,
            Point {
                x: lr.x + bx.content.width / 2.0,
                y: lr.y + lr.height / 2.0,
            },
            "tmd-boundary-label",
            marks.badges.get(&target).copied(),
        );
        out.close("</g>");
    }
    out.close("</g>");

    out.open(r#"<g class="tmd-elements">"#);
    for (e, eb) in model.element_ids().zip(&scene.elements) {
        let el = &model[e];
        let mut class = format!("tmd-element tmd-{}", el.kind.as_str());
        if el.out_of_scope {
            class.push_str(" tmd-out-of-scope");
        }
        let (mut data, mut diff_tip) = (String::new(), Vec::new());
        let stand_in = model.view.as_ref().and_then(|v| v.stand_in(e));
        if let Some(s) = stand_in {
            let icon = super::legend::ViewIcon::of(s).as_str();
            class.push_str(" tmd-");
            class.push_str(icon);
            data.push_str(&format!(r#" data-tmd-view="{icon}""#));
        }
        mark_attrs(marks.elements.get(&e), &mut class, &mut data, &mut diff_tip);
        out.open(&format!(
            r#"<g class="{class}" id="{}" data-tmd-id="{}"{data}>"#,
            id("el", &el.name),
            user(&el.name)
        ));
        let kind_name = match el.kind {
            ElementKind::External => "external entity",
            ElementKind::Process => "process",
            ElementKind::Store => "data store",
        };
        let mut tip = vec![el.label.clone()];
        tip.extend(match stand_in {
            None => vec![format!("{kind_name} (id: {})", el.name)],
            Some(StandIn::Collapsed {
                kind,
                elements,
                flows,
            }) => {
                let mut lines = vec![format!("trust boundary drawn as one box (id: {})", el.name)];
                if let Some(kind) = kind {
                    lines.push(format!("kind: {}", kind.describe()));
                }
                lines.push(format!(
                    "holds {elements} {} and {flows} {} between them",
                    if *elements == 1 {
                        "element"
                    } else {
                        "elements"
                    },
                    if *flows == 1 { "flow" } else { "flows" }
                ));
                lines
            }
            Some(StandIn::More { .. }) => vec![
                "left out of this view: focus on them, or draw with a larger --depth".to_string(),
            ],
        });
        if el.out_of_scope {
            tip.push(out_of_scope_text(el.out_of_scope_reason.as_deref()));
        }
        if let Some(t) = &el.tech {
            tip.push(format!("tech: {t}"));
        }
        if let Some(o) = &el.owner {
            tip.push(format!("owner: {o}"));
        }
        if let Some(d) = &el.description {
            tip.push(d.clone());
        }
        if !el.assets.is_empty() {
            tip.push(format!(
                "{}: {}",
                holds_word(el.kind),
                assets_text(model, &el.assets)
            ));
        }
        tip.extend(threat_lines(model, &analysis.element(e).threats));
        tip.extend(diff_tip);
        tip.extend(badge_notes(marks, Target::Element(e)));
        tooltip(&mut out, &tip);
        shape(&mut out, el.kind, eb.rect);
        content(
            &mut out,
            &eb.content,
            Point {
                x: eb.rect.x + eb.rect.width / 2.0,
                y: eb.rect.y + eb.rect.height / 2.0,
            },
            "tmd-label",
            marks.badges.get(&Target::Element(e)).copied(),
        );
        out.close("</g>");
    }
    out.close("</g>");

    if let Some((lg, at)) = &scene.legend {
        super::legend::draw(&mut out, lg, *at);
    }
    out.close("</svg>");
    out.s
}
