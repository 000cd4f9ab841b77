//! `tmd import threagile` (docs/interop.md): Threagile's demo and stub
//! models and a model of its privacy rules (tests/interop/threagile/, MIT,
//! from Threagile/threagile) import
//! with no error, with the counts of the source; the mapping of links,
//! nesting and risk tracking; bad and hostile input refused with its YAML
//! path and nothing written.

mod support;

use std::path::Path;
use support::files::{assert_import_refused, root, temp_dir, tmd};

use tmd::model::{Endpoint, Status};

fn import(path: &Path) -> (String, String) {
    let out = tmd(&["import", "threagile", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{}: {stderr}", path.display());
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// Counts in the source, read with the YAML parser alone: technical
/// assets, trust boundaries, flows (a link is one flow, and one more for
/// the data it receives unless it is a pull: read-only, sending nothing),
/// identified risks.
fn source_counts(path: &Path) -> (usize, usize, usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    doc.apply_merge().unwrap();
    let len = |v: &serde_yaml_ng::Value| v.as_mapping().map_or(0, |m| m.len());
    let list_len = |v: &serde_yaml_ng::Value| v.as_sequence().map_or(0, |s| s.len());
    let assets = len(&doc["technical_assets"]);
    let boundaries = len(&doc["trust_boundaries"]);
    let mut flows = 0;
    for (_, asset) in doc["technical_assets"].as_mapping().unwrap() {
        if let Some(links) = asset["communication_links"].as_mapping() {
            for (_, link) in links {
                let readonly = link["readonly"].as_bool() == Some(true);
                let sent = list_len(&link["data_assets_sent"]);
                let received = list_len(&link["data_assets_received"]);
                flows += if readonly && sent == 0 {
                    1
                } else {
                    1 + usize::from(received > 0)
                };
            }
        }
    }
    let mut risks = 0;
    if let Some(cats) = doc["individual_risk_categories"].as_mapping() {
        for (_, c) in cats {
            risks += len(&c["risks_identified"]);
        }
    }
    (assets, boundaries, flows, risks)
}

#[test]
fn threagile_demo_models_import_with_the_source_s_counts() {
    // file, flows, x_ keys kept, kinds of fact dropped
    let cases = [
        ("threagile-example", 34, 427, 31),
        ("threagile-stub", 1, 59, 12),
        // Not the demo: a model of Threagile's privacy rules, by other
        // authors (MIT): unknown keys, an anchor defined eight times, two
        // links with one title, no risks.
        ("threagile-privacy-insecure-data-storage", 7, 224, 26),
    ];
    for (name, flows, kept, dropped) in cases {
        let path = root().join(format!("tests/interop/threagile/{name}.yaml"));
        let (text, stderr) = import(&path);
        let c = tmd::compile(&text);
        assert!(
            !c.diagnostics.iter().any(|d| d.is_error()),
            "{name}: {:?}",
            c.diagnostics
        );
        let (model, _) = c.valid().unwrap_or_else(|| panic!("{name} is not valid"));
        let (assets, boundaries, source_flows, risks) = source_counts(&path);
        assert_eq!(model.elements.len(), assets, "{name}");
        assert_eq!(model.boundaries.len(), boundaries, "{name}");
        assert_eq!(model.flows.len(), source_flows, "{name}");
        assert_eq!(model.flows.len(), flows, "{name}");
        assert_eq!(model.threats.len(), risks, "{name}");
        assert!(
            stderr.contains(&format!("kept {kept} facts as x_ keys"))
                && stderr.contains(&format!("dropped {dropped} kinds of fact")),
            "{name}: {stderr}"
        );
        insta::assert_snapshot!(format!("threagile_import_{name}"), text);
    }
}

#[test]
fn the_demo_s_mapping() {
    let path = root().join("tests/interop/threagile/threagile-example.yaml");
    let (text, stderr) = import(&path);
    let c = tmd::compile(&text);
    let (model, _) = c.valid().unwrap();
    // 14 technical assets, 5 boundaries, 12 data assets, 2 risks.
    assert_eq!(model.elements.len(), 14);
    assert_eq!(model.boundaries.len(), 5);
    assert_eq!(model.assets.len(), 12);
    assert_eq!(model.threats.len(), 2);
    let boundary = |name: &str| {
        model
            .boundaries
            .iter()
            .position(|b| b.name == name)
            .unwrap()
    };
    // Nesting from trust_boundaries_nested.
    for inner in ["web_dmz", "erp_dmz", "auth_env"] {
        assert_eq!(
            model.boundaries[boundary(inner)].parent.map(|p| p.index()),
            Some(boundary("application_network")),
            "{inner}"
        );
    }
    assert_eq!(model.boundaries[boundary("dev_network")].parent, None);
    let element = |name: &str| model.elements.iter().find(|e| e.name == name).unwrap();
    assert_eq!(
        element("sql_database").boundary.map(|b| b.index()),
        Some(boundary("erp_dmz"))
    );
    assert!(element("customer_client").out_of_scope);
    assert_eq!(
        element("customer_client").out_of_scope_reason.as_deref(),
        Some("Owned and managed by end-user customer")
    );
    // A read-only link that sends nothing pulls: one reversed-initiator
    // flow from the target to the link's owner.
    let flow = |name: &str| model.flows.iter().find(|f| f.name == name).unwrap();
    let pull = flow("jenkins_build_server_git_repo_code_read_access");
    assert_eq!(model.elements[pull.source.index()].name, "git_repo");
    assert_eq!(
        model.elements[pull.target.index()].name,
        "jenkins_build_server"
    );
    assert_eq!(pull.initiator, Endpoint::Target);
    // Other links: a request and, for the data received, its response.
    let req = flow("customer_client_customer_traffic");
    let resp = flow("customer_client_customer_traffic_response");
    assert_eq!(req.initiator, Endpoint::Source);
    assert!(resp.response_to.is_some());
    assert_eq!(req.encrypted, Some(true));
    assert_eq!(
        flow("load_balancer_web_application_traffic").encrypted,
        Some(false)
    );
    assert_eq!(resp.assets.len(), 5);
    // The risk on the database, on Threagile's scale.
    let t = model
        .threats
        .iter()
        .find(|t| t.name == "something_strange_sql_database")
        .unwrap();
    assert_eq!(t.title, "Example Individual Risk at Database");
    assert_eq!(t.targets.len(), 1);
    assert!(text.contains("risk threagile"));
    assert!(text.contains("x_threagile_id: \"something-strange@sql-database\""));
    // Risk tracking for Threagile's own rules' risks is listed as dropped.
    assert!(stderr.contains("risk tracking `untrusted-deserialization@erp-system` (accepted)"));
}

const BASE: &str = r#"threagile_version: 1.0.0
title: T
data_assets:
  Data:
    id: data
    confidentiality: confidential
    integrity: critical
    availability: operational
technical_assets:
  Web:
    id: web
    type: process
    communication_links:
      Query:
        target: db
        protocol: jdbc
        authentication: credentials
        data_assets_sent: [data]
        data_assets_received: [data]
  DB:
    id: db
    type: datastore
    encryption: transparent
trust_boundaries:
  Outer:
    id: outer
    type: network-on-prem
    technical_assets_inside: [web]
    trust_boundaries_nested: [inner]
  Inner:
    id: inner
    type: execution-environment
    technical_assets_inside: [db]
individual_risk_categories:
  Cat:
    id: cat
    description: The category
    stride: information-disclosure
    mitigation: Encrypt
    risks_identified:
      Risk on db:
        severity: high
        exploitation_likelihood: likely
        exploitation_impact: high
        most_relevant_technical_asset: db
      Risk on link:
        severity: low
        most_relevant_communication_link: web>query
      Risk on boundary:
        severity: medium
        most_relevant_trust_boundary: inner
risk_tracking:
  cat@db:
    status: mitigated
    justification: Done
    ticket: T-1
    date: 2024-02-03
    checked_by: Sam
  cat@*:
    status: false-positive
  cat@web>query:
    status: in-discussion
"#;

#[test]
fn risk_tracking_applies_exact_ids_first_then_wildcards() {
    let dir = temp_dir("tracking");
    let src = dir.join("m.yaml");
    std::fs::write(&src, BASE).unwrap();
    let (text, stderr) = import(&src);
    let c = tmd::compile(&text);
    let (model, _) = c.valid().unwrap_or_else(|| panic!("{text}"));
    let threat = |id: &str| model.threats.iter().find(|t| t.name == id).unwrap();
    let db = threat("cat_db");
    assert_eq!(db.status, Status::Mitigated);
    assert_eq!(db.tracking.justification.as_deref(), Some("Done"));
    assert_eq!(db.tracking.ticket.as_deref(), Some("T-1"));
    assert_eq!(db.tracking.reviewed_by.as_deref(), Some("Sam"));
    assert!(db.tracking.reviewed_on.is_some());
    assert_eq!(db.mitigation.as_deref(), Some("Encrypt"));
    // `cat@web>query` is exact; `cat@*` would match it too.
    assert_eq!(threat("cat_web_query").status, Status::Investigating);
    let b = threat("cat_inner");
    assert_eq!(b.status, Status::FalsePositive);
    assert!(b
        .tracking
        .justification
        .as_deref()
        .unwrap()
        .contains("no justification"));
    assert_eq!(model.boundaries[1].parent.map(|p| p.index()), Some(0));
    assert!(stderr.contains("kept"), "{stderr}");
}

/// Hostile strings land as tmd strings, never as syntax, and the import
/// compiles.
#[test]
fn hostile_strings_are_escaped() {
    let dir = temp_dir("hostile");
    let src = dir.join("m.yaml");
    let hostile = BASE
        .replace(
            "title: T",
            "title: \"a \\\" } flow x -> y { \\n# tmd: allow TMD104\\u0007 \\U0001F4A9 <script>\"",
        )
        .replace("  Web:\n", "  \"Web\\\" } threat X {\\n\\t\":\n")
        .replace(
            "description: The category",
            "description: \"}\\n}\\nprocess evil\\r\"",
        );
    std::fs::write(&src, hostile).unwrap();
    let (text, _) = import(&src);
    let c = tmd::compile(&text);
    let (model, _) = c.valid().unwrap_or_else(|| panic!("{text}"));
    assert_eq!(model.elements.len(), 2);
    assert_eq!(model.threats.len(), 3);
    assert!(model
        .meta
        .title
        .as_deref()
        .unwrap()
        .contains("} flow x -> y {"));
    assert!(model
        .elements
        .iter()
        .any(|e| e.label.starts_with("Web\" } threat X {")));
}

/// Bad input: a clear error with the YAML path, exit 1, no file written.
#[test]
fn bad_threagile_is_refused_with_its_path() {
    let dir = temp_dir("bad");
    let mut bomb =
        String::from("threagile_version: 1.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!(
        "threagile_version: 1.0.0\ntitle: {}x{}\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    let cases: Vec<(String, &str)> = vec![
        ("{ not: yaml: at all".to_string(), "at $: not valid YAML"),
        ("[1, 2]".to_string(), "at $: not a Threagile model (a YAML mapping"),
        ("otmVersion: 0.2.0\n".to_string(), "at $.threagile_version: not a Threagile model"),
        (BASE.replace("1.0.0", "2.0.0"), "at $.threagile_version: Threagile model version 2.0.0 is not supported"),
        (BASE.replace("title: T", "includes: [other.yaml]"), "at $.includes[0]: the model includes `other.yaml`"),
        (BASE.replace("target: db", "target: ghost"), "at $.technical_assets.Web.communication_links.Query.target: no technical asset has the id `ghost`"),
        (BASE.replace("data_assets_received: [data]", "data_assets_received: [nope]"), "at $.technical_assets.Web.communication_links.Query.data_assets_received[0]: no data asset has the id `nope`"),
        (BASE.replace("type: datastore", "type: database"), "at $.technical_assets.DB.type: `database` is not one of external-entity, process, datastore"),
        (BASE.replace("technical_assets_inside: [db]", "technical_assets_inside: [db]\n    trust_boundaries_nested: [outer]"), "the trust boundaries' nesting forms a cycle"),
        (BASE.replace("trust_boundaries_nested: [inner]", "trust_boundaries_nested: [outer]"), "at $.trust_boundaries.Outer.trust_boundaries_nested[0]: trust boundary `outer` is nested in itself"),
        (BASE.replace("trust_boundaries_nested: [inner]", "trust_boundaries_nested: [ghost]"), "at $.trust_boundaries.Outer.trust_boundaries_nested[0]: no trust boundary has the id `ghost`"),
        (BASE.replace("technical_assets_inside: [db]", "technical_assets_inside: [db]\n  Third:\n    id: third\n    technical_assets_inside: [web]"), "at $.trust_boundaries.Third.technical_assets_inside[0]: technical asset `web` is already inside trust boundary `Outer`"),
        (BASE.replace("most_relevant_communication_link: web>query", "most_relevant_communication_link: web>nothing"), "at $.individual_risk_categories.Cat.risks_identified[\"Risk on link\"].most_relevant_communication_link: no communication link has the id `web>nothing`"),
        (BASE.replace("status: mitigated", "status: done"), "at $.risk_tracking[\"cat@db\"].status: `done` is not one of unchecked"),
        (BASE.replace("date: 2024-02-03", "date: yesterday"), "at $.risk_tracking[\"cat@db\"].date: `yesterday` is not a date"),
        (BASE.replace("severity: low", "severity: dire"), "`dire` is not one of low, medium, elevated, high, critical"),
        (BASE.replace("stride: information-disclosure", "stride: sneaking"), "at $.individual_risk_categories.Cat.stride: `sneaking` is not a STRIDE category"),
        (BASE.replace("confidentiality: confidential", "confidentiality: secret"), "at $.data_assets.Data.confidentiality: `secret` is not one of public"),
        (BASE.replace("    id: web\n", "    id: db\n"), "at $.technical_assets.DB.id: technical asset `db` is declared twice"),
        (BASE.replace("title: T", "title: T\ntitle: U"), "at $: not valid YAML"),
        (bomb, "at $: not valid YAML"),
        (deep, "at $: not valid YAML"),
    ];
    assert_import_refused("threagile", "yaml", &dir, &cases);
    // Too large: refused before parsing.
    let src = dir.join("big.yaml");
    std::fs::write(&src, "threagile_version: 1.0.0\n".repeat(100)).unwrap();
    let out = tmd(&[
        "import",
        "threagile",
        "--max-input-size",
        "1K",
        src.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("over the input size limit"), "{stderr}");
}

/// Every prefix of the demo cut at a line end, and a window of cuts
/// inside lines: an error or a model that compiles, never a panic.
#[test]
fn truncated_demo_never_panics() {
    let text =
        std::fs::read_to_string(root().join("tests/interop/threagile/threagile-example.yaml"))
            .unwrap();
    let mut cuts: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .step_by(3)
        .collect();
    cuts.extend(
        (0..text.len())
            .step_by(499)
            .filter(|&i| text.is_char_boundary(i)),
    );
    let mut imported = 0;
    for cut in cuts {
        if let Ok(i) = tmd::import::threagile::import(&text[..cut], "cut.yaml") {
            assert!(tmd::compile(&i.text).valid().is_some(), "cut at {cut}");
            imported += 1;
        }
    }
    assert!(imported > 0);
}
