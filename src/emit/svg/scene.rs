//! From model to positioned geometry: measures every label, sizes every
//! shape around its label and badge, runs the layout engine, and places
//! the title block and the legend. Drawing is [`super::draw`]'s job.

use crate::analysis::Analysis;
use crate::emit::text::visible;
use crate::layout::{self, Point, Rect, Shape};
use crate::model::{Date, ElementKind, Model, Severity, ThreatId};

use super::legend::{Legend, Obstacles, ROW_WIDTHS};
use super::metrics::{wrap, wrap_words, Font};
use super::{Marks, SvgOptions};

/// Element labels.
pub const LABEL_FONT: Font = Font {
    size: 12.0,
    bold: false,
};
/// Flow labels.
pub const FLOW_FONT: Font = Font {
    size: 11.0,
    bold: false,
};
/// Boundary labels.
pub const BOUNDARY_FONT: Font = Font {
    size: 11.0,
    bold: true,
};
/// Threat IDs in badges.
pub const BADGE_FONT: Font = Font {
    size: 10.0,
    bold: true,
};
pub const TITLE_FONT: Font = Font {
    size: 16.0,
    bold: true,
};
pub const SUBTITLE_FONT: Font = Font {
    size: 11.0,
    bold: false,
};

/// Empty border around everything.
pub const MARGIN: f64 = 16.0;
/// Horizontal and vertical padding between a rectangle or store outline
/// and its content.
const BOX_PAD_X: f64 = 12.0;
const BOX_PAD_Y: f64 = 8.0;
/// Smallest element box.
const MIN_WIDTH: f64 = 80.0;
const MIN_HEIGHT: f64 = 40.0;
/// Padding of a badge around its text, and its gap to the label.
const BADGE_PAD_X: f64 = 4.0;
const BADGE_PAD_Y: f64 = 1.5;
const BADGE_GAP: f64 = 6.0;
/// Widest badge text before it wraps.
const BADGE_MAX: f64 = 110.0;
/// Past this many threat IDs, or IDs that need more lines than
/// [`BADGE_ID_LINES`] (or one ID wider than [`BADGE_MAX`]), a badge shows
/// its compact form ([`compact_text`]), so that no badge makes its shape
/// grow past a fixed bound.
const BADGE_IDS: usize = 4;
const BADGE_ID_LINES: usize = 2;
/// Padding of a flow label's box around its content.
const FLOW_PAD_X: f64 = 3.0;
const FLOW_PAD_Y: f64 = 1.0;
/// Flow labels wrap at this fraction of the label width.
const FLOW_WRAP: f64 = 0.7;
/// Widest title line.
const TITLE_MAX: f64 = 640.0;
/// Room per flow on a side of a view's collapsed box.
const COLLAPSED_PORT: f64 = 10.0;

/// A block of wrapped lines in one font.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub lines: Vec<String>,
    pub font: Font,
    pub width: f64,
    pub height: f64,
}

impl Block {
    /// `text` (made visible) wrapped at `max` px.
    pub fn new(text: &str, font: Font, max: f64) -> Block {
        let lines = wrap(&visible(text), font, max);
        Block::from_lines(lines, font)
    }

    pub fn from_lines(lines: Vec<String>, font: Font) -> Block {
        let width = lines.iter().map(|l| font.width(l)).fold(0.0, f64::max);
        let height = lines.len() as f64 * font.line_height();
        Block {
            lines,
            font,
            width,
            height,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Baselines of the lines when the block is centred vertically on `cy`.
    pub fn baselines(&self, cy: f64) -> impl Iterator<Item = f64> + '_ {
        let lh = self.font.line_height();
        let top = cy - self.height / 2.0;
        // Centre the em box (ascent + descent) in each line box.
        let inner =
            (lh - (super::metrics::ASCENT + super::metrics::DESCENT) * self.font.size) / 2.0;
        let first = top + inner + super::metrics::ASCENT * self.font.size;
        (0..self.lines.len()).map(move |i| first + i as f64 * lh)
    }
}

/// Worst open severity of a badge's threats, or none open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sev {
    None,
    Low,
    Medium,
    High,
}

impl Sev {
    pub fn from_worst(worst: Option<Severity>) -> Sev {
        match worst {
            None => Sev::None,
            Some(Severity::Low) => Sev::Low,
            Some(Severity::Medium) => Sev::Medium,
            Some(Severity::High) => Sev::High,
        }
    }

    /// The class suffix: `tmd-sev-high` and so on.
    pub fn as_str(self) -> &'static str {
        match self {
            Sev::None => "none",
            Sev::Low => "low",
            Sev::Medium => "medium",
            Sev::High => "high",
        }
    }
}

/// A badge: the threat IDs of one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    pub text: Block,
    pub sev: Sev,
    pub threats: Vec<ThreatId>,
    pub width: f64,
    pub height: f64,
}

impl Badge {
    pub fn new(model: &Model, threats: &[ThreatId], worst: Option<Severity>) -> Option<Badge> {
        if threats.is_empty() {
            return None;
        }
        let ids: Vec<&str> = threats.iter().map(|&t| model[t].name.as_str()).collect();
        // Wrapped between IDs only: a piece of an ID would read as another.
        let lines = wrap_words(&visible(&ids.join(", ")), BADGE_FONT, BADGE_MAX);
        let fits = ids.len() <= BADGE_IDS
            && lines.len() <= BADGE_ID_LINES
            && lines.iter().all(|l| BADGE_FONT.width(l) <= BADGE_MAX);
        let lines = if fits {
            lines
        } else {
            wrap_words(&compact_text(model, threats), BADGE_FONT, BADGE_MAX)
        };
        let text = Block::from_lines(lines, BADGE_FONT);
        Some(Badge::from_block(
            text,
            Sev::from_worst(worst),
            threats.to_vec(),
        ))
    }

    pub fn from_block(text: Block, sev: Sev, threats: Vec<ThreatId>) -> Badge {
        Badge {
            width: (text.width + 2.0 * BADGE_PAD_X).ceil(),
            height: (text.height + 2.0 * BADGE_PAD_Y).ceil(),
            text,
            sev,
            threats,
        }
    }
}

/// The compact form of a badge with many threats: how many, then how
/// many of them are open per severity (worst first) and how many are not
/// open. Every ID is still in the tooltip, the reports and the table.
fn compact_text(model: &Model, threats: &[ThreatId]) -> String {
    let mut open: std::collections::BTreeMap<std::cmp::Reverse<Severity>, usize> =
        std::collections::BTreeMap::new();
    let mut closed = 0usize;
    for &t in threats {
        if model.counts_as_open(t) {
            *open
                .entry(std::cmp::Reverse(model[t].severity))
                .or_default() += 1;
        } else {
            closed += 1;
        }
    }
    let mut parts = vec![format!("{} threats", threats.len())];
    parts.extend(open.iter().map(|(s, n)| format!("{n}\u{a0}{}", s.0)));
    if closed > 0 {
        parts.push(format!("{closed}\u{a0}closed"));
    }
    parts.join(", ")
}

/// A label and, to its right, a badge.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub label: Block,
    pub badge: Option<Badge>,
    pub width: f64,
    pub height: f64,
}

/// Where the parts of a [`Content`] go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Centre of the label block.
    pub label: Point,
    pub badge: Option<Rect>,
}

impl Content {
    pub fn new(label: Block, badge: Option<Badge>) -> Content {
        let (bw, bh) = badge.as_ref().map_or((0.0, 0.0), |b| (b.width, b.height));
        let gap = if badge.is_some() && !label.is_empty() {
            BADGE_GAP
        } else {
            0.0
        };
        Content {
            width: label.width + gap + bw,
            height: label.height.max(bh),
            label,
            badge,
        }
    }

    /// Places the content centred on `c`.
    pub fn place(&self, c: Point) -> Placed {
        let left = c.x - self.width / 2.0;
        let label = Point {
            x: left + self.label.width / 2.0,
            y: c.y,
        };
        let badge = self.badge.as_ref().map(|b| Rect {
            x: c.x + self.width / 2.0 - b.width,
            y: c.y - b.height / 2.0,
            width: b.width,
            height: b.height,
        });
        Placed { label, badge }
    }
}

/// An element, positioned.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementBox {
    pub kind: ElementKind,
    pub rect: Rect,
    pub content: Content,
}

/// A boundary, positioned.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryBox {
    pub rect: Rect,
    /// Where the label and badge go (top left inside the box).
    pub label_rect: Rect,
    pub content: Content,
    pub depth: usize,
}

/// A flow, routed.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowPath {
    pub points: Vec<Point>,
    pub label_rect: Option<Rect>,
    pub content: Content,
    pub crossing: bool,
    pub reversed: bool,
    /// It crosses a boundary carrying a sensitive data asset (language
    /// 0.2): drawn with a faint halo.
    pub sensitive: bool,
}

/// The title block.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleBlock {
    pub title: Block,
    pub subtitle: Block,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Everything positioned, in SVG user units.
#[derive(Debug, Clone)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub title: Option<TitleBlock>,
    pub elements: Vec<ElementBox>,
    pub boundaries: Vec<BoundaryBox>,
    pub flows: Vec<FlowPath>,
    pub legend: Option<(Legend, Point)>,
    pub degraded: Option<String>,
    /// The layout input and output, for quality measures.
    pub graph: layout::Graph,
    pub layout: layout::Layout,
}

/// The size of an element's shape around its content.
fn element_size(kind: ElementKind, c: &Content) -> (f64, f64) {
    match kind {
        ElementKind::Process => {
            // An ellipse with semi-axes a, b holds the centred content box
            // when (w/2a)² + (h/2b)² <= 1. Take b so that the box uses at
            // most 45% of the height budget, then the a that fits.
            let hw = c.width / 2.0 + 6.0;
            let hh = c.height / 2.0 + 3.0;
            let b = (MIN_HEIGHT / 2.0).max(hh / 0.45f64.sqrt());
            let ratio = (hh / b).powi(2).min(0.45);
            let a = (hw / (1.0 - ratio).sqrt()).max(MIN_WIDTH / 2.0 + 8.0);
            ((2.0 * a).ceil(), (2.0 * b).ceil())
        }
        ElementKind::External | ElementKind::Store => (
            (c.width + 2.0 * BOX_PAD_X).max(MIN_WIDTH).ceil(),
            (c.height + 2.0 * BOX_PAD_Y).max(MIN_HEIGHT).ceil(),
        ),
    }
}

/// The text drawn on a flow: its label and protocol.
pub fn flow_text(label: Option<&str>, protocol: Option<&str>) -> String {
    match (label, protocol) {
        (Some(l), Some(p)) => format!("{l} ({p})"),
        (Some(l), None) => l.to_string(),
        (None, Some(p)) => p.to_string(),
        (None, None) => String::new(),
    }
}

fn subtitle_text(model: &Model) -> String {
    let m = &model.meta;
    let mut parts: Vec<String> = Vec::new();
    if let Some(a) = &m.author {
        parts.push(a.clone());
    }
    let date = |word: &str, d: &Option<Date>| d.map(|d| format!("{word} {d}"));
    parts.extend(date("created", &m.created));
    parts.extend(date("updated", &m.updated));
    if let Some(v) = &m.version {
        parts.push(format!("version {v}"));
    }
    parts.join(" · ")
}

fn offset(r: Rect, dx: f64, dy: f64) -> Rect {
    Rect {
        x: r.x + dx,
        y: r.y + dy,
        ..r
    }
}

/// Measures, lays out and positions the whole diagram.
pub fn build(model: &Model, analysis: &Analysis, options: &SvgOptions, marks: &Marks) -> Scene {
    let max = options.max_label_width.clamp(40.0, 2000.0);
    let el_content: Vec<Content> = model
        .element_ids()
        .map(|e| {
            let facts = analysis.element(e);
            let badge = Badge::new(model, &facts.threats, facts.worst_open);
            let label_max = if model[e].kind == ElementKind::Process {
                max * 0.85
            } else {
                max
            };
            // A collapsed boundary's name is drawn bold, like a boundary's.
            let collapsed = model.view.as_ref().is_some_and(|v| {
                matches!(v.stand_in(e), Some(crate::model::StandIn::Collapsed { .. }))
            });
            let font = if collapsed {
                Font {
                    bold: true,
                    ..LABEL_FONT
                }
            } else {
                LABEL_FONT
            };
            Content::new(Block::new(&model[e].label, font, label_max), badge)
        })
        .collect();
    let bd_content: Vec<Content> = model
        .boundary_ids()
        .map(|b| {
            let facts = analysis.boundary(b);
            let badge = Badge::new(model, &facts.threats, facts.worst_open);
            Content::new(Block::new(&model[b].label, BOUNDARY_FONT, max * 1.5), badge)
        })
        .collect();
    let fl_content: Vec<Content> = model
        .flow_ids()
        .map(|f| {
            let flow = &model[f];
            let facts = analysis.flow(f);
            let badge = Badge::new(model, &facts.threats, facts.worst_open);
            let text = flow_text(flow.label.as_deref(), flow.protocol.as_deref());
            Content::new(Block::new(&text, FLOW_FONT, max * FLOW_WRAP), badge)
        })
        .collect();

    // How many flows end at each element: a view's collapsed box gathers
    // the flows of everything it holds, and grows so that each gets its
    // own port instead of sharing a track into a small box.
    let mut degree = vec![0usize; model.elements.len()];
    for f in &model.flows {
        for end in [f.source, f.target] {
            if let Some(d) = degree.get_mut(end.index()) {
                *d += 1;
            }
        }
    }
    let nodes: Vec<layout::Node> = model
        .element_ids()
        .zip(&el_content)
        .map(|(e, c)| {
            let el = &model[e];
            let (mut width, mut height) = element_size(el.kind, c);
            let collapsed = model.view.as_ref().is_some_and(|v| {
                matches!(v.stand_in(e), Some(crate::model::StandIn::Collapsed { .. }))
            });
            if collapsed {
                // The flows spread over two opposite sides.
                let side = (degree.get(e.index()).copied().unwrap_or(0) as f64 / 2.0).ceil()
                    * COLLAPSED_PORT;
                width = width.max(side);
                height = height.max(side);
            }
            layout::Node {
                width,
                height,
                shape: if el.kind == ElementKind::Process {
                    Shape::Ellipse
                } else {
                    Shape::Rect
                },
                cluster: el.boundary.map(|b| b.index()),
            }
        })
        .collect();
    let clusters: Vec<layout::Cluster> = model
        .boundary_ids()
        .zip(&bd_content)
        .map(|(b, c)| layout::Cluster {
            parent: model[b].parent.map(|p| p.index()),
            label_width: c.width.ceil(),
            label_height: c.height.ceil(),
        })
        .collect();
    let edges: Vec<layout::Edge> = model
        .flow_ids()
        .zip(&fl_content)
        .map(|(f, c)| {
            let flow = &model[f];
            let has = c.width > 0.0;
            layout::Edge {
                source: flow.source.index(),
                target: flow.target.index(),
                label_width: if has {
                    (c.width + 2.0 * FLOW_PAD_X).ceil()
                } else {
                    0.0
                },
                label_height: if has {
                    (c.height + 2.0 * FLOW_PAD_Y).ceil()
                } else {
                    0.0
                },
                response_to: flow.response_to.map(|r| r.index()),
            }
        })
        .collect();
    let mut graph = layout::Graph {
        nodes,
        clusters,
        edges,
        direction: match model.meta.direction() {
            crate::model::Direction::LeftRight => layout::Direction::LeftRight,
            crate::model::Direction::TopDown | crate::model::Direction::Auto => {
                layout::Direction::TopDown
            }
        },
    };
    let lopts = layout_options();
    // `direction auto`: both directions, the one nearer the page kept (and
    // recorded in the graph, for exporters that must say which).
    let lay = if model.meta.direction() == crate::model::Direction::Auto {
        let (direction, lay) = layout::layout_auto(&graph, &lopts);
        graph.direction = direction;
        lay
    } else {
        layout::layout(&graph, &lopts)
    };

    // Title block above the drawing.
    // A view's caption is always drawn: without it the picture would
    // pass for the whole model.
    let caption = model.view.as_ref().map(|v| v.caption.as_str());
    let title = (options.title_block || caption.is_some()).then(|| {
        let (title, subtitle) = if options.title_block {
            (
                model.meta.title.as_deref().unwrap_or(""),
                subtitle_text(model),
            )
        } else {
            ("", String::new())
        };
        let subtitle = match caption {
            Some(c) if subtitle.is_empty() => c.to_string(),
            Some(c) => format!("{subtitle}\n{c}"),
            None => subtitle,
        };
        let t = Block::new(title, TITLE_FONT, TITLE_MAX);
        let s = Block::new(&subtitle, SUBTITLE_FONT, TITLE_MAX * 1.4);
        let gap = if t.is_empty() || s.is_empty() {
            0.0
        } else {
            2.0
        };
        TitleBlock {
            x: MARGIN,
            y: MARGIN,
            width: t.width.max(s.width),
            height: t.height + gap + s.height,
            title: t,
            subtitle: s,
        }
    });
    let title = title.filter(|t| t.height > 0.0);
    let dx = 0.0;
    let dy = title.as_ref().map_or(0.0, |t| t.height + 8.0);

    let elements: Vec<ElementBox> = model
        .element_ids()
        .zip(el_content)
        .map(|(e, content)| ElementBox {
            kind: model[e].kind,
            rect: lay.nodes.get(e.index()).map_or(
                Rect {
                    x: 0.0,
                    y: 0.0,
                    width: 0.0,
                    height: 0.0,
                },
                |&r| offset(r, dx, dy),
            ),
            content,
        })
        .collect();
    let boundaries: Vec<BoundaryBox> = model
        .boundary_ids()
        .zip(bd_content)
        .map(|(b, content)| {
            let i = b.index();
            let zero = Rect {
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
            };
            BoundaryBox {
                rect: lay.clusters.get(i).map_or(zero, |&r| offset(r, dx, dy)),
                label_rect: layout::cluster_label_rect(&graph, &lay, &lopts, i)
                    .map_or(zero, |r| offset(r, dx, dy)),
                content,
                depth: analysis.boundary(b).path.len(),
            }
        })
        .collect();
    let flows: Vec<FlowPath> = model
        .flow_ids()
        .zip(fl_content)
        .map(|(f, content)| {
            let facts = analysis.flow(f);
            let route = lay.edges.get(f.index());
            FlowPath {
                points: route.map_or_else(Vec::new, |r| {
                    r.points
                        .iter()
                        .map(|p| Point {
                            x: p.x + dx,
                            y: p.y + dy,
                        })
                        .collect()
                }),
                label_rect: route.and_then(|r| r.label).map(|r| offset(r, dx, dy)),
                content,
                crossing: !facts.crossings.is_empty(),
                reversed: facts.reversed,
                sensitive: !facts.crossings.is_empty()
                    && model[f].assets.iter().any(|&a| model.is_sensitive(a)),
            }
        })
        .collect();

    let mut width = lay.width + dx;
    let height = lay.height + dy;
    if let Some(t) = &title {
        width = width.max(t.x + t.width + MARGIN);
    }
    let mut scene = Scene {
        width,
        height,
        title,
        elements,
        boundaries,
        flows,
        legend: None,
        degraded: lay.degraded.clone(),
        graph,
        layout: lay,
    };
    if options.legend {
        place_legend(model, &mut scene, dy + MARGIN, marks);
    }
    scene.width = scene.width.ceil();
    scene.height = scene.height.ceil();
    scene
}

/// Chooses the legend variant and placement that gives the smallest
/// picture, and moves the drawing down if the legend needs room above it.
fn place_legend(model: &Model, scene: &mut Scene, top: f64, marks: &Marks) {
    let title_rect = scene.title.as_ref().map(|t| Rect {
        x: t.x,
        y: t.y,
        width: t.width,
        height: t.height,
    });
    let obstacles = Obstacles {
        elements: &scene.elements,
        boundaries: &scene.boundaries,
        flows: &scene.flows,
        title: title_rect,
    };
    let mut best: Option<(Legend, super::legend::Placement, f64)> = None;
    for max_row in ROW_WIDTHS {
        let Some(lg) = Legend::new(model, &scene.elements, &scene.flows, max_row, marks) else {
            return;
        };
        let p = super::legend::place(&lg, &obstacles, scene.width, scene.height, top);
        let cost = p.cost();
        if best.as_ref().is_none_or(|(_, _, c)| cost < *c) {
            best = Some((lg, p, cost));
        }
    }
    let Some((lg, p, _)) = best else { return };
    if p.shift > 0.0 {
        shift_down(scene, p.shift);
    }
    scene.width = p.width;
    scene.height = p.height;
    scene.legend = Some((lg, p.at));
}

/// Moves the drawing (not the title block) down by `dy`.
fn shift_down(scene: &mut Scene, dy: f64) {
    let mv = |r: &mut Rect| r.y += dy;
    for e in &mut scene.elements {
        mv(&mut e.rect);
    }
    for b in &mut scene.boundaries {
        mv(&mut b.rect);
        mv(&mut b.label_rect);
    }
    for f in &mut scene.flows {
        for p in &mut f.points {
            p.y += dy;
        }
        if let Some(r) = &mut f.label_rect {
            mv(r);
        }
    }
}

/// The layout engine's settings for diagrams.
pub fn layout_options() -> layout::Options {
    layout::Options {
        margin: MARGIN,
        ..layout::Options::default()
    }
}
