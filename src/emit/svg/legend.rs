//! The legend: a small box explaining the notation that the diagram uses
//! (only what appears in it), put in an empty corner of the drawing when
//! one is free, else next to it.

use crate::emit::text::visible;
use crate::layout::{Point, Rect};
use crate::model::{
    BoundaryKind, BoundaryKindWord, ElementId, ElementKind, Model, Severity, StandIn, Word,
};

use super::draw::{self, Out};
use super::metrics::Font;
use super::scene::{Badge, Block, BoundaryBox, ElementBox, FlowPath, Sev, BADGE_FONT};
use super::{Mark, Marks};

const FONT: Font = Font {
    size: 10.0,
    bold: false,
};
const HEADING: Font = Font {
    size: 10.0,
    bold: true,
};
const PAD: f64 = 8.0;
const ICON_W: f64 = 26.0;
const ICON_H: f64 = 14.0;
const ICON_GAP: f64 = 5.0;
const ITEM_GAP: f64 = 14.0;
const ROW_H: f64 = 18.0;
/// Widest rows of the legend's variants (one item a row, ..., one row
/// per group).
pub const ROW_WIDTHS: [f64; 4] = [0.0, 330.0, 600.0, f64::INFINITY];
/// Free space kept between the legend and the drawing.
const CLEARANCE: f64 = 10.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Icon {
    Shape(ElementKind),
    /// The shape of an out-of-scope element of that kind: grey, dashed.
    OutOfScope(ElementKind),
    Boundary,
    /// A boundary of a usual kind (language 0.2), in its dash pattern.
    BoundaryKind(BoundaryKindWord),
    Flow,
    Crossing,
    Reversed,
    /// A crossing flow with the halo of sensitive data (language 0.2).
    Sensitive,
    Badge(Sev),
    /// A diff mark: a small box in the mark's style.
    Diff(Mark),
    /// A view's stand-in (`--collapse`, `--focus`): a collapsed boundary
    /// or a summary of flows left out.
    View(ViewIcon),
    /// Text only.
    Caption,
}

/// The two kinds of stand-in a view draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewIcon {
    Collapsed,
    More,
}

impl ViewIcon {
    /// The class suffix: `tmd-collapsed`, `tmd-more`.
    pub fn as_str(self) -> &'static str {
        match self {
            ViewIcon::Collapsed => "collapsed",
            ViewIcon::More => "more",
        }
    }

    pub fn of(stand_in: &StandIn) -> ViewIcon {
        match stand_in {
            StandIn::Collapsed { .. } => ViewIcon::Collapsed,
            StandIn::More { .. } => ViewIcon::More,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub icon: Icon,
    pub text: String,
    /// Top left of the item, relative to the legend box.
    pub x: f64,
    pub y: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub items: Vec<Item>,
    pub width: f64,
    pub height: f64,
}

fn item_width(icon: Icon, text: &str) -> f64 {
    match icon {
        Icon::Caption => FONT.width(text),
        Icon::Badge(_) => badge_for(text, Sev::None).width,
        _ => ICON_W + ICON_GAP + FONT.width(text),
    }
}

fn badge_for(text: &str, sev: Sev) -> Badge {
    Badge::from_block(
        Block::from_lines(vec![text.to_string()], BADGE_FONT),
        sev,
        Vec::new(),
    )
}

impl Legend {
    /// The legend for what the diagram shows; none for an empty diagram.
    pub fn new(
        model: &Model,
        elements: &[ElementBox],
        flows: &[FlowPath],
        max_row: f64,
        marks: &Marks,
    ) -> Option<Legend> {
        // Rows of (icon, text); each row wraps at MAX_ROW.
        let mut rows: Vec<Vec<(Icon, String)>> = Vec::new();
        let mut shapes = Vec::new();
        for (kind, text) in [
            (ElementKind::External, "external entity"),
            (ElementKind::Process, "process"),
            (ElementKind::Store, "data store"),
        ] {
            // A view's stand-ins are drawn as boxes but are not entities.
            let drawn = elements.iter().enumerate().any(|(i, e)| {
                e.kind == kind
                    && model
                        .view
                        .as_ref()
                        .is_none_or(|v| v.stand_in(ElementId::from_index(i)).is_none())
            });
            if drawn {
                shapes.push((Icon::Shape(kind), text.to_string()));
            }
        }
        if !model.boundaries.is_empty() {
            shapes.push((Icon::Boundary, "trust boundary".to_string()));
        }
        // The usual kinds the boundaries have, each in its dash pattern.
        for &word in BoundaryKindWord::ALL {
            let used = model
                .boundaries
                .iter()
                .any(|b| b.kind == Some(BoundaryKind::Known(word)));
            if used {
                shapes.push((Icon::BoundaryKind(word), word.describe().to_string()));
            }
        }
        // Drawn like the first out-of-scope element, so that it matches.
        if let Some(el) = model.elements.iter().find(|e| e.out_of_scope) {
            shapes.push((Icon::OutOfScope(el.kind), "out of scope".to_string()));
        }
        if let Some(view) = &model.view {
            for (icon, text) in [
                (ViewIcon::Collapsed, "boundary drawn as one box"),
                (ViewIcon::More, "flows left out of this view"),
            ] {
                if view.stand_ins.values().any(|s| ViewIcon::of(s) == icon) {
                    shapes.push((Icon::View(icon), text.to_string()));
                }
            }
        }
        rows.push(shapes);
        let mut lines = Vec::new();
        if !flows.is_empty() {
            lines.push((Icon::Flow, "data flow".to_string()));
        }
        if flows.iter().any(|f| f.crossing) {
            lines.push((Icon::Crossing, "crosses a trust boundary".to_string()));
        }
        if flows.iter().any(|f| f.reversed) {
            lines.push((
                Icon::Reversed,
                "the receiver (●) opens the connection".to_string(),
            ));
        }
        if flows.iter().any(|f| f.sensitive) {
            lines.push((Icon::Sensitive, "carries sensitive data".to_string()));
        }
        rows.push(lines);
        if !model.threats.is_empty() {
            let mut row = vec![(
                Icon::Caption,
                "threat IDs, by worst open severity:".to_string(),
            )];
            // A colour a band, named by the scale's words in it (`high`
            // on the primer's scale, `critical, high` on OWASP's).
            for (sev, band) in [
                (Sev::High, Severity::High),
                (Sev::Medium, Severity::Medium),
                (Sev::Low, Severity::Low),
            ] {
                let words = model.scale.words_in(band);
                if !words.is_empty() {
                    row.push((Icon::Badge(sev), visible(&words.join(", ")).into_owned()));
                }
            }
            row.push((Icon::Badge(Sev::None), "none open".to_string()));
            rows.push(row);
        }
        let present = marks.present();
        if marks.enabled && !present.is_empty() {
            let mut row = vec![(Icon::Caption, "changes:".to_string())];
            for m in present {
                let text = match m {
                    Mark::Added => "added",
                    Mark::Changed => "changed",
                    Mark::Removed => "removed (only in OLD)",
                };
                row.push((Icon::Diff(m), text.to_string()));
            }
            rows.push(row);
        }
        rows.retain(|r| !r.is_empty());
        if rows.is_empty() {
            return None;
        }
        let mut items = Vec::new();
        let heading_h = HEADING.line_height() + 2.0;
        let mut y = PAD + heading_h;
        let mut width: f64 = PAD + HEADING.width("Legend") + PAD;
        for row in rows {
            let mut x = PAD;
            for (icon, text) in row {
                let w = item_width(icon, &text);
                if x > PAD && x + w > PAD + max_row {
                    x = PAD;
                    y += ROW_H;
                }
                let gap = match icon {
                    Icon::Caption | Icon::Badge(_) => 6.0,
                    _ => ITEM_GAP,
                };
                items.push(Item {
                    icon,
                    text,
                    x,
                    y,
                    width: w,
                });
                width = width.max(x + w + PAD);
                x += w + gap;
            }
            y += ROW_H;
        }
        Some(Legend {
            items,
            width: width.ceil(),
            height: (y + PAD - 4.0).ceil(),
        })
    }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

fn segment_hits(p: Point, q: Point, r: &Rect) -> bool {
    // Every sample lies in the segment's bounding box (give or take a
    // rounding, which `slack` covers): a box it misses, no sample hits.
    let slack = 1e-9 * (1.0 + p.x.abs() + p.y.abs() + q.x.abs() + q.y.abs());
    if p.x.max(q.x) + slack < r.x
        || p.x.min(q.x) - slack > r.x + r.width
        || p.y.max(q.y) + slack < r.y
        || p.y.min(q.y) - slack > r.y + r.height
    {
        return false;
    }
    // Sample the segment densely enough for a legend-sized box.
    let len = ((q.x - p.x).powi(2) + (q.y - p.y).powi(2)).sqrt();
    let steps = (len / 4.0).ceil().max(1.0) as usize;
    (0..=steps).any(|i| {
        let t = i as f64 / steps as f64;
        let (x, y) = (p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t);
        x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height
    })
}

/// What the legend must keep clear of.
#[derive(Debug, Clone, Copy)]
pub struct Obstacles<'a> {
    pub elements: &'a [ElementBox],
    pub boundaries: &'a [BoundaryBox],
    pub flows: &'a [FlowPath],
    pub title: Option<Rect>,
}

/// A way to fit the legend in: where it goes, how far the drawing moves
/// down to make room for it, and the canvas size that results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub at: Point,
    pub shift: f64,
    pub width: f64,
    pub height: f64,
}

impl Placement {
    pub fn cost(&self) -> f64 {
        // Canvas area, with a penalty for a very elongated picture.
        let aspect = (self.width / self.height.max(1.0)).max(self.height / self.width.max(1.0));
        self.width * self.height * (1.0 + (aspect - 4.0).max(0.0) * 0.05)
    }
}

/// Where the legend goes on a canvas of `width` x `height` whose drawing
/// starts at `top`: an empty corner if there is one (the top corners
/// reach up beside the title), else beside the title, below or right of
/// the drawing, whichever gives the smallest picture.
pub fn place(
    legend: &Legend,
    obstacles: &Obstacles,
    width: f64,
    height: f64,
    top: f64,
) -> Placement {
    let Obstacles {
        elements,
        boundaries,
        flows,
        title,
    } = *obstacles;
    let m = super::scene::MARGIN;
    let (lw, lh) = (legend.width, legend.height);
    let free = |x: f64, y: f64| {
        if x < m - 0.01 || y < m - 0.01 || x + lw > width - m + 0.01 || y + lh > height - m + 0.01 {
            return false;
        }
        let zone = Rect {
            x: x - CLEARANCE,
            y: y - CLEARANCE,
            width: lw + 2.0 * CLEARANCE,
            height: lh + 2.0 * CLEARANCE,
        };
        !(elements.iter().any(|e| overlaps(&e.rect, &zone))
            || boundaries.iter().any(|b| overlaps(&b.rect, &zone))
            || title.is_some_and(|t| overlaps(&t, &zone))
            || flows.iter().any(|f| {
                f.label_rect.is_some_and(|r| overlaps(&r, &zone))
                    || f.points
                        .windows(2)
                        .any(|w| matches!(w, [a, b] if segment_hits(*a, *b, &zone)))
            }))
    };
    let same = |x: f64, y: f64| Placement {
        at: Point { x, y },
        shift: 0.0,
        width,
        height,
    };
    for (x, y) in [
        (width - m - lw, height - m - lh),
        (width - m - lw, m),
        (m, height - m - lh),
        (m, top),
    ] {
        if free(x, y) {
            return same(x, y);
        }
    }
    let mut options = Vec::new();
    // Beside the title, the drawing moved down below both.
    let title_right = title.map_or(m, |t| t.x + t.width + 3.0 * CLEARANCE);
    let x = (width - m - lw).max(title_right);
    let title_bottom = title.map_or(m, |t| t.y + t.height);
    let shift = (m + lh - title_bottom).max(0.0);
    options.push(Placement {
        at: Point { x, y: m },
        shift,
        width: width.max(x + lw + m),
        height: height + shift,
    });
    // Below the drawing, right-aligned.
    options.push(Placement {
        at: Point {
            x: (width - m - lw).max(m),
            y: height - m + CLEARANCE,
        },
        shift: 0.0,
        width: width.max(lw + 2.0 * m),
        height: height + lh + CLEARANCE,
    });
    // Right of the drawing, at its top.
    options.push(Placement {
        at: Point {
            x: width - m + CLEARANCE,
            y: top,
        },
        shift: 0.0,
        width: width + lw + CLEARANCE,
        height: height.max(top + lh + m),
    });
    options
        .into_iter()
        .fold(None::<Placement>, |best, p| match best {
            Some(b) if b.cost() <= p.cost() => Some(b),
            _ => Some(p),
        })
        .unwrap_or_else(|| same(m, top))
}

/// Draws the legend with its top left corner at `at`.
pub fn draw(out: &mut Out, legend: &Legend, at: Point) {
    out.open(r#"<g class="tmd-legend">"#);
    out.line(&format!(
        r#"<rect class="tmd-legend-box" x="{}" y="{}" width="{}" height="{}" rx="4"/>"#,
        draw::n(at.x),
        draw::n(at.y),
        draw::n(legend.width),
        draw::n(legend.height)
    ));
    let heading = Block::from_lines(vec!["Legend".to_string()], HEADING);
    draw::text_block(
        out,
        &heading,
        Point {
            x: at.x + PAD + heading.width / 2.0,
            y: at.y + PAD + heading.height / 2.0,
        },
        "tmd-legend-heading",
    );
    for item in &legend.items {
        let (x, y) = (at.x + item.x, at.y + item.y);
        let cy = y + ROW_H / 2.0 - 2.0;
        let icon = Rect {
            x,
            y: cy - ICON_H / 2.0,
            width: ICON_W,
            height: ICON_H,
        };
        let text_at = |out: &mut Out, x0: f64| {
            let b = Block::from_lines(vec![item.text.clone()], FONT);
            draw::text_block(
                out,
                &b,
                Point {
                    x: x0 + b.width / 2.0,
                    y: cy,
                },
                "tmd-legend-text",
            );
        };
        match item.icon {
            Icon::Shape(kind) | Icon::OutOfScope(kind) => {
                let scope = if matches!(item.icon, Icon::OutOfScope(_)) {
                    " tmd-out-of-scope"
                } else {
                    ""
                };
                out.open(&format!(
                    r#"<g class="tmd-legend-item tmd-{}{scope}">"#,
                    kind.as_str()
                ));
                draw::shape(out, kind, icon);
                out.close("</g>");
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::Boundary => {
                out.line(&format!(
                    r#"<rect class="tmd-boundary-box tmd-legend-boundary" x="{}" y="{}" width="{}" height="{}" rx="3"/>"#,
                    draw::n(icon.x),
                    draw::n(icon.y),
                    draw::n(icon.width),
                    draw::n(icon.height)
                ));
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::BoundaryKind(word) => {
                out.open(&format!(
                    r#"<g class="tmd-legend-item tmd-kind-{}">"#,
                    word.as_str()
                ));
                out.line(&format!(
                    r#"<rect class="tmd-boundary-box tmd-legend-boundary" x="{}" y="{}" width="{}" height="{}" rx="3"/>"#,
                    draw::n(icon.x),
                    draw::n(icon.y),
                    draw::n(icon.width),
                    draw::n(icon.height)
                ));
                out.close("</g>");
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::Flow | Icon::Crossing | Icon::Reversed | Icon::Sensitive => {
                let class = match item.icon {
                    Icon::Crossing => "tmd-legend-item tmd-crossing",
                    Icon::Sensitive => "tmd-legend-item tmd-crossing tmd-sensitive",
                    Icon::Reversed => "tmd-legend-item tmd-reversed",
                    _ => "tmd-legend-item",
                };
                out.open(&format!(r#"<g class="{class}">"#));
                let pts = [
                    Point { x, y: cy },
                    Point {
                        x: x + ICON_W,
                        y: cy,
                    },
                ];
                if item.icon == Icon::Sensitive {
                    draw::halo(out, &pts);
                }
                draw::arrow(
                    out,
                    &pts,
                    matches!(item.icon, Icon::Crossing | Icon::Sensitive),
                    item.icon == Icon::Reversed,
                );
                out.close("</g>");
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::Badge(sev) => {
                let b = badge_for(&item.text, sev);
                let r = Rect {
                    x,
                    y: cy - b.height / 2.0,
                    width: b.width,
                    height: b.height,
                };
                draw::badge(out, &b, r, None);
            }
            Icon::Diff(mark) => {
                out.open(&format!(
                    r#"<g class="tmd-legend-item tmd-legend-diff tmd-{m}" data-tmd-diff="{m}">"#,
                    m = mark.as_str()
                ));
                out.line(&format!(
                    r#"<rect class="tmd-shape" x="{}" y="{}" width="{}" height="{}" rx="3"/>"#,
                    draw::n(icon.x),
                    draw::n(icon.y),
                    draw::n(icon.width),
                    draw::n(icon.height)
                ));
                out.close("</g>");
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::View(view) => {
                out.open(&format!(
                    r#"<g class="tmd-legend-item tmd-external tmd-{}">"#,
                    view.as_str()
                ));
                draw::shape(out, ElementKind::External, icon);
                out.close("</g>");
                text_at(out, x + ICON_W + ICON_GAP);
            }
            Icon::Caption => text_at(out, x),
        }
    }
    out.close("</g>");
}
