//! The `<style>` block: every colour and stroke of the diagram, scoped
//! under the root class so that several diagrams can share a page, with a
//! `prefers-color-scheme: dark` variant.

use super::metrics::FONT_STACK;

/// (selector under the scope, declarations) for the light scheme.
const LIGHT: &[(&str, &str)] = &[
    ("", "font-family:FONT"),
    (".tmd-bg", "fill:#ffffff"),
    ("text", "fill:#1f1f1f"),
    (".tmd-title", "fill:#111111"),
    (".tmd-subtitle", "fill:#5f5f5f"),
    (".tmd-shape", "fill:#ffffff;stroke:#333333;stroke-width:1.3"),
    (".tmd-store .tmd-shape", "stroke:none"),
    (
        ".tmd-store-lines",
        "fill:none;stroke:#333333;stroke-width:1.3",
    ),
    (
        ".tmd-out-of-scope .tmd-shape",
        "fill:#f3f3f3;stroke:#9e9e9e;stroke-dasharray:5 3",
    ),
    (".tmd-out-of-scope.tmd-store .tmd-shape", "stroke:none"),
    (
        ".tmd-out-of-scope .tmd-store-lines",
        "stroke:#9e9e9e;stroke-dasharray:5 3",
    ),
    (".tmd-out-of-scope .tmd-label", "fill:#8a8a8a"),
    (
        ".tmd-boundary-box",
        "fill:none;stroke:#c62828;stroke-width:1.3;stroke-dasharray:6 4",
    ),
    (
        ".tmd-boundary-label",
        "fill:#c62828;paint-order:stroke;stroke:#ffffff;stroke-width:5px;stroke-linejoin:round",
    ),
    (".tmd-line", "fill:none;stroke:#555555;stroke-width:1.2"),
    (".tmd-crossing .tmd-line", "stroke-width:2.6"),
    (".tmd-head", "fill:#555555"),
    (".tmd-flow-label", "fill:#444444"),
    (".tmd-label-box", "fill:#ffffff;fill-opacity:0.85"),
    (".tmd-reversed .tmd-line", "stroke:#c62828"),
    (".tmd-reversed .tmd-head", "fill:#c62828"),
    (".tmd-reversed .tmd-initiator", "fill:#c62828"),
    (".tmd-reversed .tmd-flow-label", "fill:#c62828"),
    (".tmd-badge rect", "stroke:none"),
    (".tmd-badge text", "fill:#ffffff"),
    (".tmd-sev-high rect", "fill:#c62828"),
    (".tmd-sev-medium rect", "fill:#ef6c00"),
    (".tmd-sev-low rect", "fill:#2e7d32"),
    (".tmd-sev-none rect", "fill:#9e9e9e"),
    (
        ".tmd-legend-box",
        "fill:#ffffff;stroke:#bdbdbd;stroke-width:1",
    ),
    (".tmd-legend-text", "fill:#333333"),
    (".tmd-legend-heading", "fill:#333333"),
];

/// Overrides for the dark scheme.
const DARK: &[(&str, &str)] = &[
    (".tmd-bg", "fill:#1b1b1b"),
    ("text", "fill:#e8e8e8"),
    (".tmd-title", "fill:#f2f2f2"),
    (".tmd-subtitle", "fill:#a8a8a8"),
    (".tmd-shape", "fill:#262626;stroke:#d0d0d0"),
    (".tmd-store .tmd-shape", "stroke:none"),
    (".tmd-store-lines", "stroke:#d0d0d0"),
    (
        ".tmd-out-of-scope .tmd-shape",
        "fill:#222222;stroke:#6f6f6f",
    ),
    (".tmd-out-of-scope.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-out-of-scope .tmd-store-lines", "stroke:#6f6f6f"),
    (".tmd-out-of-scope .tmd-label", "fill:#8a8a8a"),
    (".tmd-boundary-box", "stroke:#ef5350"),
    (".tmd-boundary-label", "fill:#ef5350;stroke:#1b1b1b"),
    (".tmd-line", "stroke:#b0b0b0"),
    (".tmd-head", "fill:#b0b0b0"),
    (".tmd-flow-label", "fill:#cfcfcf"),
    (".tmd-label-box", "fill:#1b1b1b"),
    (".tmd-reversed .tmd-line", "stroke:#ef5350"),
    (".tmd-reversed .tmd-head", "fill:#ef5350"),
    (".tmd-reversed .tmd-initiator", "fill:#ef5350"),
    (".tmd-reversed .tmd-flow-label", "fill:#ef5350"),
    (".tmd-badge text", "fill:#ffffff"),
    (".tmd-legend-box", "fill:#232323;stroke:#555555"),
    (".tmd-legend-text", "fill:#d0d0d0"),
    (".tmd-legend-heading", "fill:#d0d0d0"),
];

/// The marks of a visual diff, after everything else so that they win
/// over the kind, scope and reversed styles: added green, changed amber,
/// removed dashed and faded.
const DIFF_LIGHT: &[(&str, &str)] = &[
    (
        ".tmd-added .tmd-shape",
        "fill:#e8f5e9;stroke:#2e7d32;stroke-width:2.6",
    ),
    (
        ".tmd-changed .tmd-shape",
        "fill:#fff8e1;stroke:#ef6c00;stroke-width:2.6",
    ),
    (
        ".tmd-added .tmd-store-lines",
        "stroke:#2e7d32;stroke-width:2.6",
    ),
    (
        ".tmd-changed .tmd-store-lines",
        "stroke:#ef6c00;stroke-width:2.6",
    ),
    (".tmd-added.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-changed.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-added .tmd-line", "stroke:#2e7d32;stroke-width:2.4"),
    (".tmd-changed .tmd-line", "stroke:#ef6c00;stroke-width:2.4"),
    (".tmd-added .tmd-head", "fill:#2e7d32"),
    (".tmd-changed .tmd-head", "fill:#ef6c00"),
    (".tmd-added .tmd-initiator", "fill:#2e7d32"),
    (".tmd-changed .tmd-initiator", "fill:#ef6c00"),
    (".tmd-added .tmd-flow-label", "fill:#2e7d32"),
    (".tmd-changed .tmd-flow-label", "fill:#b45309"),
    (
        ".tmd-added .tmd-boundary-box",
        "stroke:#2e7d32;stroke-width:2.2",
    ),
    (
        ".tmd-changed .tmd-boundary-box",
        "stroke:#ef6c00;stroke-width:2.2",
    ),
    (".tmd-added .tmd-boundary-label", "fill:#2e7d32"),
    (".tmd-changed .tmd-boundary-label", "fill:#b45309"),
    (".tmd-removed", "opacity:0.35"),
    (
        ".tmd-removed .tmd-shape",
        "fill:#ffffff;stroke:#757575;stroke-dasharray:5 3",
    ),
    (".tmd-removed.tmd-store .tmd-shape", "stroke:none"),
    (
        ".tmd-removed .tmd-store-lines",
        "stroke:#757575;stroke-dasharray:5 3",
    ),
    (
        ".tmd-removed .tmd-line",
        "stroke:#757575;stroke-dasharray:6 4",
    ),
    (".tmd-removed .tmd-head", "fill:#757575"),
    (".tmd-removed .tmd-initiator", "fill:#757575"),
    (".tmd-removed .tmd-flow-label", "fill:#616161"),
    (
        ".tmd-removed .tmd-boundary-box",
        "stroke:#757575;stroke-dasharray:3 3",
    ),
    (".tmd-removed .tmd-boundary-label", "fill:#616161"),
    (".tmd-removed .tmd-label", "fill:#616161"),
    (".tmd-legend-diff.tmd-removed", "opacity:0.5"),
    (".tmd-badge .tmd-badge-ring", "fill:none;stroke-width:1.8"),
    (".tmd-badge-added .tmd-badge-ring", "stroke:#2e7d32"),
    (".tmd-badge-changed .tmd-badge-ring", "stroke:#ef6c00"),
    (
        ".tmd-badge-removed .tmd-badge-ring",
        "stroke:#757575;stroke-dasharray:3 2",
    ),
    (".tmd-badge-removed", "opacity:0.45"),
];

/// The diff marks in the dark scheme.
const DIFF_DARK: &[(&str, &str)] = &[
    (".tmd-added .tmd-shape", "fill:#1e3320;stroke:#66bb6a"),
    (".tmd-changed .tmd-shape", "fill:#3a2e12;stroke:#ffa726"),
    (".tmd-added .tmd-store-lines", "stroke:#66bb6a"),
    (".tmd-changed .tmd-store-lines", "stroke:#ffa726"),
    (".tmd-added.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-changed.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-added .tmd-line", "stroke:#66bb6a"),
    (".tmd-changed .tmd-line", "stroke:#ffa726"),
    (".tmd-added .tmd-head", "fill:#66bb6a"),
    (".tmd-changed .tmd-head", "fill:#ffa726"),
    (".tmd-added .tmd-initiator", "fill:#66bb6a"),
    (".tmd-changed .tmd-initiator", "fill:#ffa726"),
    (".tmd-added .tmd-flow-label", "fill:#66bb6a"),
    (".tmd-changed .tmd-flow-label", "fill:#ffa726"),
    (".tmd-added .tmd-boundary-box", "stroke:#66bb6a"),
    (".tmd-changed .tmd-boundary-box", "stroke:#ffa726"),
    (".tmd-added .tmd-boundary-label", "fill:#66bb6a"),
    (".tmd-changed .tmd-boundary-label", "fill:#ffa726"),
    (".tmd-removed .tmd-shape", "fill:#262626;stroke:#9e9e9e"),
    (".tmd-removed.tmd-store .tmd-shape", "stroke:none"),
    (".tmd-removed .tmd-store-lines", "stroke:#9e9e9e"),
    (".tmd-removed .tmd-line", "stroke:#9e9e9e"),
    (".tmd-removed .tmd-head", "fill:#9e9e9e"),
    (".tmd-removed .tmd-initiator", "fill:#9e9e9e"),
    (".tmd-removed .tmd-flow-label", "fill:#bdbdbd"),
    (".tmd-removed .tmd-boundary-box", "stroke:#9e9e9e"),
    (".tmd-removed .tmd-boundary-label", "fill:#bdbdbd"),
    (".tmd-removed .tmd-label", "fill:#bdbdbd"),
    (".tmd-badge-added .tmd-badge-ring", "stroke:#66bb6a"),
    (".tmd-badge-changed .tmd-badge-ring", "stroke:#ffa726"),
    (".tmd-badge-removed .tmd-badge-ring", "stroke:#9e9e9e"),
];

fn rules(out: &mut String, scope: &str, rules: &[(&str, &str)], indent: &str) {
    for (selector, decls) in rules {
        out.push_str(indent);
        out.push_str(scope);
        if !selector.is_empty() {
            out.push(' ');
            out.push_str(selector);
        }
        out.push('{');
        // `FONT` stands for the font stack.
        for (i, part) in decls.split("FONT").enumerate() {
            if i > 0 {
                out.push_str(FONT_STACK);
            }
            out.push_str(part);
        }
        out.push_str("}\n");
    }
}

/// Out-of-scope flows (language 0.2): greyed, dashed, grey badges. Only
/// written when a flow is out of scope, so that a 0.1 model's picture stays
/// byte for byte what it was.
/// A view's stand-ins (`--collapse`, `--focus`): a collapsed boundary is
/// a box in the boundary's red dashes; a summary of left-out flows, and
/// its flows, are grey and dotted.
const VIEW_LIGHT: &[(&str, &str)] = &[
    (
        ".tmd-collapsed .tmd-shape",
        "fill:#fff5f5;stroke:#c62828;stroke-width:1.6;stroke-dasharray:6 4",
    ),
    (".tmd-collapsed .tmd-label", "fill:#b71c1c;font-weight:bold"),
    (
        ".tmd-more .tmd-shape",
        "fill:#fafafa;stroke:#9e9e9e;stroke-dasharray:2 3",
    ),
    (".tmd-more .tmd-label", "fill:#6f6f6f;font-style:italic"),
    (
        ".tmd-flow.tmd-summary .tmd-line",
        "stroke:#9e9e9e;stroke-dasharray:2 3",
    ),
    (".tmd-flow.tmd-summary .tmd-head", "fill:#9e9e9e"),
    (".tmd-flow.tmd-summary .tmd-initiator", "fill:#9e9e9e"),
];
const VIEW_DARK: &[(&str, &str)] = &[
    (
        ".tmd-collapsed .tmd-shape",
        "fill:#2a1a1a;stroke:#ef5350;stroke-width:1.6;stroke-dasharray:6 4",
    ),
    (".tmd-collapsed .tmd-label", "fill:#ef9a9a;font-weight:bold"),
    (
        ".tmd-more .tmd-shape",
        "fill:#1e1e1e;stroke:#757575;stroke-dasharray:2 3",
    ),
    (".tmd-more .tmd-label", "fill:#9e9e9e;font-style:italic"),
    (
        ".tmd-flow.tmd-summary .tmd-line",
        "stroke:#757575;stroke-dasharray:2 3",
    ),
    (".tmd-flow.tmd-summary .tmd-head", "fill:#757575"),
    (".tmd-flow.tmd-summary .tmd-initiator", "fill:#757575"),
];

const OOS_FLOW_LIGHT: &[(&str, &str)] = &[
    (
        ".tmd-flow.tmd-out-of-scope .tmd-line",
        "stroke:#9e9e9e;stroke-dasharray:5 4",
    ),
    (".tmd-flow.tmd-out-of-scope .tmd-head", "fill:#9e9e9e"),
    (".tmd-flow.tmd-out-of-scope .tmd-initiator", "fill:#9e9e9e"),
    (".tmd-flow.tmd-out-of-scope .tmd-flow-label", "fill:#8a8a8a"),
    (".tmd-flow.tmd-out-of-scope .tmd-badge rect", "fill:#9e9e9e"),
];
const OOS_FLOW_DARK: &[(&str, &str)] = &[
    (
        ".tmd-flow.tmd-out-of-scope .tmd-line",
        "stroke:#6f6f6f;stroke-dasharray:5 4",
    ),
    (".tmd-flow.tmd-out-of-scope .tmd-head", "fill:#6f6f6f"),
    (".tmd-flow.tmd-out-of-scope .tmd-initiator", "fill:#6f6f6f"),
    (".tmd-flow.tmd-out-of-scope .tmd-flow-label", "fill:#8a8a8a"),
    (".tmd-flow.tmd-out-of-scope .tmd-badge rect", "fill:#6f6f6f"),
];

/// Boundary kinds (language 0.2): the red dashed box keeps its colour,
/// and each usual kind has its own dash pattern (an organisation's edge is
/// solid). Not colours, so one set serves both schemes; the selectors are
/// specific enough to win over the colour scheme's (`scheme_css`), and
/// match the legend's items (`g.tmd-legend-item.tmd-kind-KIND`) too. Only
/// written when a boundary has one of these kinds, so that a 0.1 model's
/// picture stays byte for byte what it was.
pub const KIND_BOX: &[(&str, &str)] = &[
    ("network", "stroke-dasharray:10 4"),
    ("cloud-account", "stroke-dasharray:12 3 2 3"),
    ("host", "stroke-dasharray:2 3"),
    ("container", "stroke-dasharray:4 2"),
    ("device", "stroke-dasharray:8 3 2 3 2 3"),
    ("organisation", "stroke-dasharray:none;stroke-width:1.6"),
];

/// The halo of flows that carry sensitive data across a boundary
/// (language 0.2): only written when there is one, for the same reason.
const SENSITIVE_LIGHT: &[(&str, &str)] = &[(
    ".tmd-sensitive-halo",
    "fill:none;stroke:#f2b705;stroke-opacity:0.45;stroke-width:8;stroke-linecap:butt;stroke-linejoin:round",
)];
const SENSITIVE_DARK: &[(&str, &str)] = &[(
    ".tmd-sensitive-halo",
    "fill:none;stroke:#ffca28;stroke-opacity:0.35;stroke-width:8;stroke-linecap:butt;stroke-linejoin:round",
)];

/// The CSS for a diagram whose root carries the class `scope` (a token,
/// see [`super::xml::token`]), with the diff marks' styles when `diff`,
/// the out-of-scope flows' when `oos_flows`, the boundary kinds' when
/// `kinds`, and the sensitive crossings' halo when `sensitive`.
/// What the diagram uses beyond the basic notation: each adds its rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uses {
    pub diff: bool,
    pub oos_flows: bool,
    pub kinds: bool,
    pub sensitive: bool,
    /// A view's stand-ins.
    pub view: bool,
}

pub fn css(scope: &str, uses: Uses) -> String {
    let Uses {
        diff,
        oos_flows,
        kinds,
        sensitive,
        view,
    } = uses;
    let sel = format!(".{scope}");
    let mut out = String::with_capacity(4096);
    rules(&mut out, &sel, LIGHT, "");
    if kinds {
        let selectors: Vec<(String, &str)> = KIND_BOX
            .iter()
            .map(|(kind, decls)| {
                (
                    // The class twice: more specific than a page's
                    // colour-scheme rule for every boundary box.
                    format!(".tmd-kind-{kind} rect.tmd-boundary-box.tmd-boundary-box"),
                    *decls,
                )
            })
            .collect();
        let kind_rules: Vec<(&str, &str)> =
            selectors.iter().map(|(s, d)| (s.as_str(), *d)).collect();
        rules(&mut out, &sel, &kind_rules, "");
    }
    if diff {
        rules(&mut out, &sel, DIFF_LIGHT, "");
    }
    if oos_flows {
        rules(&mut out, &sel, OOS_FLOW_LIGHT, "");
    }
    if sensitive {
        rules(&mut out, &sel, SENSITIVE_LIGHT, "");
    }
    if view {
        rules(&mut out, &sel, VIEW_LIGHT, "");
    }
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    rules(&mut out, &sel, DARK, "  ");
    if diff {
        rules(&mut out, &sel, DIFF_DARK, "  ");
    }
    if oos_flows {
        rules(&mut out, &sel, OOS_FLOW_DARK, "  ");
    }
    if sensitive {
        rules(&mut out, &sel, SENSITIVE_DARK, "  ");
    }
    if view {
        rules(&mut out, &sel, VIEW_DARK, "  ");
    }
    out.push_str("}\n");
    out
}

/// The diagram's colours for a page that picks its colour scheme with a
/// class on an ancestor instead of the reader's system setting (mdBook's
/// themes: `html.light`, `html.navy`, ...): the light rules under each of
/// `light`, the dark ones under each of `dark`, for the diagram whose root
/// is matched by `root` (e.g. `.tmd-scope-tmd1 .tmd-diagram`). Their
/// selectors are more specific than the diagram's own, so they win over
/// its `prefers-color-scheme` variant.
pub fn scheme_css(root: &str, light: &[&str], dark: &[&str]) -> String {
    let mut out = String::new();
    for (ancestors, rules) in [(light, LIGHT), (dark, DARK)] {
        if ancestors.is_empty() {
            continue;
        }
        for (selector, decls) in rules {
            let selectors: Vec<String> = ancestors
                .iter()
                .map(|a| {
                    if selector.is_empty() {
                        format!("{a} {root}")
                    } else {
                        format!("{a} {root} {selector}")
                    }
                })
                .collect();
            out.push_str(&selectors.join(","));
            out.push('{');
            out.push_str(&decls.replace("FONT", FONT_STACK));
            out.push_str("}\n");
        }
    }
    out
}
