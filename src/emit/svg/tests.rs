//! Unit tests of the SVG renderer on small models. The contract and the
//! geometry are checked on parsed output in `tests/svg_quality.rs`.

use super::*;

fn render_with(src: &str, options: &SvgOptions) -> Rendered {
    let c = crate::compile(src);
    let Some((m, a)) = c.valid() else {
        panic!("invalid model: {:?}", c.diagnostics);
    };
    svg(m, a, options)
}

fn render(src: &str) -> String {
    render_with(src, &SvgOptions::default()).svg
}

const ACME: &str = include_str!("../../../samples/acme-ecommerce.tmd");

#[test]
fn acme_is_deterministic_and_clean() {
    let a = render_with(ACME, &SvgOptions::default());
    let b = render_with(ACME, &SvgOptions::default());
    assert_eq!(a, b);
    assert!(a.warning.is_none());
    assert!(a
        .svg
        .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(a.svg.ends_with("</svg>\n"));
}

#[test]
fn reversed_flow_has_head_and_initiator_mark() {
    let s = render(ACME);
    let pull = s
        .split("<g class=\"tmd-flow")
        .find(|g| g.contains("data-tmd-id=\"pull_order\""))
        .expect("pull_order group");
    assert!(pull.starts_with(" tmd-reversed tmd-crossing\""));
    assert!(pull.contains("class=\"tmd-head\""));
    assert!(pull.contains("class=\"tmd-initiator\""));
    assert!(pull.contains("tmd-sev-high"), "T3 is open and high");
    let flows = s
        .split("<g class=\"tmd-flows\">")
        .nth(1)
        .and_then(|r| r.split("<g class=\"tmd-elements\">").next())
        .unwrap_or("");
    assert_eq!(flows.matches("class=\"tmd-initiator\"").count(), 1);
}

#[test]
fn badges_take_the_worst_open_severity() {
    let s = render(ACME);
    let group = |id: &str| {
        s.split("<g class=\"tmd-element")
            .find(|g| g.contains(&format!("data-tmd-id=\"{id}\"")))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(
        group("order_api").contains("tmd-sev-none"),
        "T1 is mitigated"
    );
    assert!(group("order_db").contains("tmd-sev-low"));
    assert!(!group("customer").contains("tmd-badge"));
}

#[test]
fn prefix_is_sanitised() {
    let opts = |p: &str| SvgOptions {
        id_prefix: Some(p.to_string()),
        ..SvgOptions::default()
    };
    let s = render_with(ACME, &opts("my page")).svg;
    assert!(s.contains(r#"id="my_page-el-customer""#));
    assert!(s.contains(r#"class="tmd-diagram tmd-diagram-my_page""#));
    assert!(s.contains(".tmd-diagram-my_page .tmd-shape{"));
    let s = render_with(ACME, &opts("\"><script>")).svg;
    assert!(!s.contains("<script"));
    // An empty prefix is no prefix.
    let s = render_with(ACME, &opts("")).svg;
    assert!(s.contains(r#"id="el-customer""#));
    assert!(s.contains(r#"class="tmd-diagram""#));
}

#[test]
fn empty_model_is_a_valid_picture() {
    let s = render("");
    assert!(s.contains("viewBox=\"0 0 "));
    assert!(!s.contains(r#"class="tmd-legend""#));
    assert!(!s.contains("tmd-title-block"));
    assert!(s.contains("<title>Threat model</title>"));
}

#[test]
fn legend_lists_only_what_is_drawn() {
    let s = render("external a\nprocess b\nflow a -> b \"x\"\n");
    assert!(s.contains(">external entity<"));
    assert!(s.contains(">process<"));
    assert!(!s.contains(">data store<"));
    assert!(!s.contains(">trust boundary<"));
    assert!(!s.contains("opens the connection"));
    assert!(!s.contains("worst open severity"));
    let s = render_with(
        "external a\nprocess b\nflow a -> b\n",
        &SvgOptions {
            legend: false,
            ..SvgOptions::default()
        },
    )
    .svg;
    assert!(!s.contains(r#"class="tmd-legend""#));
}

#[test]
fn direction_is_honoured() {
    let lr =
        render("direction left-right\nexternal a\nprocess b\nstore c\nflow a -> b\nflow b -> c\n");
    let td =
        render("direction top-down\nexternal a\nprocess b\nstore c\nflow a -> b\nflow b -> c\n");
    let size = |s: &str| -> (f64, f64) {
        let vb = s
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("0 0");
        let mut it = vb.split(' ').map(|v| v.parse::<f64>().unwrap_or(0.0));
        (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
    };
    let (lw, lh) = size(&lr);
    let (tw, th) = size(&td);
    assert!(lw > lh, "left-right is wide: {lw}x{lh}");
    assert!(th > tw * 0.9, "top-down is tall: {tw}x{th}");
}

#[test]
fn out_of_scope_is_greyed() {
    let s = render("external a { out_of_scope: true }\nprocess b\nflow a -> b\n");
    assert!(s.contains("class=\"tmd-element tmd-external tmd-out-of-scope\""));
    // Dashed, as in the DOT output and in the legend.
    assert!(
        s.contains(
            ".tmd-out-of-scope .tmd-shape{fill:#f3f3f3;stroke:#9e9e9e;stroke-dasharray:5 3}"
        ),
        "{s}"
    );
}

/// An out-of-scope element's threats are not open in any count: its badge
/// is grey, as in the DOT output and the reports, and the legend says what
/// the grey dashed shape means.
#[test]
fn out_of_scope_badge_is_grey_and_in_the_legend() {
    let src = "external a \"A\" { out_of_scope: true }\nprocess b \"B\"\nflow a -> b\n\
threat T1 on a {\n  actor: apt\n  scenario: \"s\"\n  stride: S\n  severity: high\n}\n\
threat T2 on b {\n  actor: apt\n  scenario: \"s\"\n  stride: S\n  severity: high\n}\n";
    let s = render(src);
    let group = |id: &str| {
        s.split("<g class=\"tmd-element")
            .find(|g| g.contains(&format!("data-tmd-id=\"{id}\"")))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(group("a").contains("tmd-badge tmd-sev-none"), "{s}");
    assert!(group("b").contains("tmd-badge tmd-sev-high"), "{s}");
    let legend = s.split("class=\"tmd-legend\"").nth(1).unwrap_or("");
    assert!(
        legend.contains("tmd-legend-item tmd-external tmd-out-of-scope"),
        "{legend}"
    );
    assert!(legend.contains(">out of scope<"), "{legend}");
    // No out-of-scope element, no such entry.
    let s = render("external a\nprocess b\nflow a -> b\n");
    assert!(!s.contains(">out of scope<"), "{s}");
}

#[test]
fn long_labels_wrap_and_newlines_break() {
    let s = render("process p \"one two three four five six seven eight nine ten eleven twelve\"\nprocess q \"first\\nsecond\"\n");
    let p = s
        .split("data-tmd-id=\"p\"")
        .nth(1)
        .and_then(|g| g.split("</g>").next())
        .unwrap_or("");
    assert!(p.matches("<tspan").count() >= 2, "{p}");
    let q = s
        .split("data-tmd-id=\"q\"")
        .nth(1)
        .and_then(|g| g.split("</g>").next())
        .unwrap_or("");
    assert!(q.contains(">first</tspan><tspan"));
}

#[test]
fn flow_text_joins_label_and_protocol() {
    assert_eq!(
        flow_text(Some("Place order"), Some("HTTPS")),
        "Place order (HTTPS)"
    );
    assert_eq!(flow_text(None, Some("HTTPS")), "HTTPS");
    assert_eq!(flow_text(Some("x"), None), "x");
    assert_eq!(flow_text(None, None), "");
}

#[test]
fn badge_ids_are_never_cut_and_labels_never_split_a_cluster() {
    let long = "T_CREDENTIAL_STUFFING_AGAINST_THE_LOGIN_FORM";
    let label = "Équipe 👨\u{200D}👩\u{200D}👧\u{200D}👦 🇫🇷🇩🇪🇯🇵🇰🇷🇧🇷 \
                 한국어한국어한국어 e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}";
    let src = format!(
        "process p \"{label}{label}\"\n\
         threat {long} on p {{ actor: apt, scenario: \"x\", stride: S, severity: low }}\n\
         threat T2 on p {{ actor: apt, scenario: \"x\", stride: S, severity: low }}\n"
    );
    let svg = render(&src);
    // The drawing, without the legend (which has badges of its own).
    let s = svg.split("<g class=\"tmd-legend\">").next().unwrap_or("");
    let tspans = |class: &str| -> Vec<String> {
        s.split(&format!("<text class=\"{class}\""))
            .skip(1)
            .flat_map(|t| {
                let t = t.split("</text>").next().unwrap_or("");
                t.split("<tspan")
                    .skip(1)
                    .filter_map(|x| x.split_once('>').map(|(_, r)| r))
                    .map(|r| r.split("</tspan>").next().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // An ID wider than a badge may grow is never cut: the badge takes its
    // compact form, and the ID is whole in the tooltip.
    let badge = tspans("tmd-badge-text");
    assert_eq!(badge, ["2 threats, 2\u{a0}low"], "{badge:?}");
    assert!(
        s.contains(&format!("{long} {long} (S")),
        "the tooltip lists it"
    );
    let short = render(&src.replace(long, "T1"));
    let s = short.split("<g class=\"tmd-legend\">").next().unwrap_or("");
    let ids: Vec<String> = s
        .split("<text class=\"tmd-badge-text\"")
        .skip(1)
        .map(|t| t.split("</text>").next().unwrap_or("").to_string())
        .collect();
    assert!(ids.iter().any(|t| t.contains(">T1, T2<")), "{ids:?}");
    use unicode_segmentation::UnicodeSegmentation;
    let label_lines = tspans("tmd-label");
    assert!(label_lines.len() > 1, "{label_lines:?}");
    let clusters = |t: &str| -> Vec<String> {
        t.graphemes(true)
            .filter(|g| *g != " ")
            .map(str::to_string)
            .collect()
    };
    let got: Vec<String> = label_lines.iter().flat_map(|l| clusters(l)).collect();
    assert_eq!(got, clusters(&format!("{label}{label}")));
}

/// Badge geometry in a rendered SVG: (x, y, width, height) of every badge
/// rectangle of the drawing (not the legend's).
fn badge_rects(svg: &str) -> Vec<[f64; 4]> {
    let s = svg.split("<g class=\"tmd-legend\">").next().unwrap_or("");
    s.split("<g class=\"tmd-badge ")
        .skip(1)
        .filter_map(|g| {
            let rect = g.split("<rect ").nth(1)?;
            let num = |k: &str| -> Option<f64> {
                rect.split(&format!(" {k}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            };
            Some([num("x")?, num("y")?, num("width")?, num("height")?])
        })
        .collect()
}

#[test]
fn many_threats_keep_the_badge_and_the_node_within_a_bound() {
    let model = |n: usize| {
        let mut src =
            String::from("process p \"Payment service\"\nprocess q \"Other\"\nflow p -> q\n");
        for i in 0..n {
            let sev = ["low", "medium", "high"][i % 3];
            let status = if i % 5 == 0 {
                ", status: mitigated"
            } else {
                ""
            };
            src.push_str(&format!(
                "threat T_PAYMENT_{i:03} on p, p -> q {{ actor: apt, scenario: \"x\", stride: S, severity: {sev}{status} }}\n"
            ));
        }
        src
    };
    let shape_width = |svg: &str| -> f64 {
        let g = svg
            .split("<g class=\"tmd-element")
            .find(|g| g.contains("data-tmd-id=\"p\""))
            .unwrap_or("");
        g.split("<ellipse ")
            .nth(1)
            .and_then(|e| e.split(" rx=\"").nth(1))
            .and_then(|r| r.split('"').next())
            .and_then(|r| r.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
            * 2.0
    };
    let few = render(&model(2));
    let many = render(&model(42));
    let rects = badge_rects(&many);
    assert_eq!(rects.len(), 2, "one badge on p, one on the flow");
    for r in &rects {
        assert!(r[2] <= 120.0 && r[3] <= 60.0, "badge too big: {r:?}");
    }
    // The node holding 42 threats is no wider than a bound that does not
    // depend on how many threats it has.
    let (w_few, w_many) = (shape_width(&few), shape_width(&many));
    assert!(w_many <= w_few + 120.0, "{w_few} -> {w_many}");
    assert!(
        many.contains("42 threats, 11\u{a0}high, 11\u{a0}medium, 12\u{a0}low, 8\u{a0}closed")
            || many.contains("42 threats"),
        "compact form"
    );
    // Every ID is in the tooltip.
    for i in 0..42 {
        let id = format!("T_PAYMENT_{i:03}");
        assert!(many.contains(&format!("{id} {id} (S")), "{id}");
    }
}

#[test]
fn out_of_scope_flows_are_greyed_and_their_rules_written_only_then() {
    let plain = render("external a\nprocess b\nflow a -> b\n");
    assert!(
        !plain.contains(".tmd-flow.tmd-out-of-scope"),
        "a 0.1 picture is unchanged"
    );
    let s = render(
        "external a\nprocess b\nflow a -> b { out_of_scope: \"Vendor's side\" }\nflow b -> a\n",
    );
    assert!(
        s.contains("class=\"tmd-flow tmd-out-of-scope\" data-tmd-id=\"a-&gt;b\""),
        "{s}"
    );
    assert!(
        s.contains("class=\"tmd-flow\" data-tmd-id=\"b-&gt;a\""),
        "{s}"
    );
    assert!(
        s.contains(".tmd-flow.tmd-out-of-scope .tmd-line{stroke:#9e9e9e"),
        "{s}"
    );
    assert!(
        s.contains("out of scope: Vendor&#39;s side") || s.contains("out of scope: Vendor's side"),
        "{s}"
    );
}

/// A response rides its request's connection: it is drawn as any flow
/// (not red, no initiator mark), and its tooltip names its request.
#[test]
fn a_response_is_not_reversed_and_says_what_it_answers() {
    let s = render(
        "external c \"Customer\"\nprocess a \"API\"\n\
flow ask: c -> a \"Place order\"\nflow a -> c \"Confirmation\" { response_to: ask }\n",
    );
    let reply = s
        .split("<g class=\"tmd-flow")
        .find(|g| g.contains("data-tmd-id=\"a-&gt;c\""))
        .expect("the response's group");
    assert!(reply.starts_with("\" data-tmd-id"), "{reply}");
    assert!(!reply.contains("tmd-initiator"), "{reply}");
    assert!(!s.contains("data-tmd-reversed"), "{s}");
    assert!(
        reply.contains(
            "<title>Confirmation: API → Customer&#10;response to Place order (ask)</title>"
        ),
        "{reply}"
    );
}

/// A boundary's kind and description are in its tooltip.
#[test]
fn boundary_tooltip_gives_its_kind_and_description() {
    let s = render(
        "boundary aws \"AWS\" {\n  kind: cloud-account\n  description: \"Prod <only>\"\n  process a\n}\n\
boundary lab \"Lab\" {\n  kind: \"OT network\"\n  process b\n}\nflow a -> b\nflow b -> a\n",
    );
    let group = |id: &str| {
        s.split("<g class=\"tmd-boundary")
            .find(|g| g.contains(&format!("data-tmd-id=\"{id}\"")))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(
        group("aws").contains(
            "<title>AWS&#10;trust boundary (id: aws)&#10;kind: cloud account&#10;Prod &lt;only&gt;&#10;"
        ),
        "{s}"
    );
    assert!(group("lab").contains("&#10;kind: OT network&#10;"), "{s}");
}

/// A boundary's kind styles its box (a dash pattern a kind), says so in
/// the legend, and is in the SVG contract (`data-tmd-kind`); a kind of the
/// model's own is `custom` there (its text only in the tooltip), and not
/// styled. Without kinds the picture is what
/// it was: no rule, no class, no legend entry.
#[test]
fn boundary_kinds_style_the_box_and_the_legend_names_them() {
    let s = render(
        "boundary aws \"AWS\" {\n  kind: cloud-account\n  boundary h \"Host\" {\n    kind: host\n    process a\n  }\n}\n\
boundary lab \"Lab\" {\n  kind: \"OT network\"\n  process b\n}\nflow a -> b\nflow b -> a\n",
    );
    assert!(
        s.contains("<g class=\"tmd-boundary tmd-kind-cloud-account\" id=\"bd-aws\" data-tmd-id=\"aws\" data-tmd-kind=\"cloud-account\">"),
        "{s}"
    );
    assert!(
        s.contains("<g class=\"tmd-boundary tmd-kind-host\" id=\"bd-h\" data-tmd-id=\"h\" data-tmd-kind=\"host\">"),
        "{s}"
    );
    assert!(
        s.contains(
            "<g class=\"tmd-boundary\" id=\"bd-lab\" data-tmd-id=\"lab\" data-tmd-kind=\"custom\">"
        ),
        "{s}"
    );
    assert!(
        s.contains(
            ".tmd-diagram .tmd-kind-host rect.tmd-boundary-box.tmd-boundary-box{stroke-dasharray:2 3}"
        ),
        "{s}"
    );
    let legend = s.split("class=\"tmd-legend\"").nth(1).unwrap_or("");
    assert!(legend.contains(">cloud account</tspan>"), "{legend}");
    assert!(legend.contains(">host</tspan>"), "{legend}");
    // Not `tmd-boundary`: that class is the contract's boundary group.
    assert!(
        legend.contains("<g class=\"tmd-legend-item tmd-kind-host\">"),
        "{legend}"
    );
    assert!(!legend.contains("OT network"), "{legend}");

    let plain =
        render("boundary aws \"AWS\" {\n  process a\n}\nexternal b\nflow a -> b\nflow b -> a\n");
    assert!(!plain.contains("tmd-kind"), "{plain}");
}

/// A flow that carries sensitive data across a boundary gets a halo and a
/// legend entry; its CSS is written only then. Tooltips list the assets.
#[test]
fn sensitive_crossings_get_a_halo_and_tooltips_list_the_assets() {
    let src = "asset card \"Card\" { classification: restricted }\n\
asset menu \"Menu\" { classification: public }\n\
external c\nboundary b {\n  process p { assets: [card] }\n  store s { assets: [card] }\n}\n\
flow c -> p { encrypted: true, assets: [card, menu] }\nflow p -> c { assets: [menu] }\n\
flow p -> s { assets: [card] }\nflow s -> p\n\
threat T on p, s { scenario: \"x\", stride: SI, severity: low }\n";
    let s = render(src);
    let group = |id: &str| {
        s.split("<g class=\"tmd-flow")
            .find(|g| g.contains(&format!("data-tmd-id=\"{}\"", id.replace('>', "&gt;"))))
            .unwrap_or_else(|| panic!("no flow {id}"))
            .to_string()
    };
    let sensitive = group("c->p");
    assert!(
        sensitive.starts_with(" tmd-crossing tmd-sensitive\""),
        "{sensitive}"
    );
    assert!(sensitive.contains("data-tmd-sensitive=\"true\""));
    assert!(sensitive.contains("<path class=\"tmd-sensitive-halo\""));
    assert!(sensitive.contains("carries: Card (restricted, sensitive), Menu (public)"));
    // Public data across, sensitive data inside: no halo.
    for id in ["p->c", "p->s"] {
        assert!(!group(id).contains("tmd-sensitive"), "{id}");
    }
    assert!(s.contains("holds: Card (restricted, sensitive)"));
    assert!(s.contains("handles: Card (restricted, sensitive)"));
    assert!(s.contains("carries sensitive data"), "legend");
    assert!(s.contains(".tmd-sensitive-halo{"));
    // A model without sensitive crossings has neither rule nor legend entry.
    let plain = render("asset card { classification: restricted }\nprocess p\nstore s { assets: [card] }\nflow p -> s { assets: [card] }\nflow s -> p\nthreat T on s { scenario: \"x\", stride: I, severity: low }\n");
    assert!(!plain.contains("tmd-sensitive"), "{plain}");
    assert!(!plain.contains("carries sensitive data"));
}
