use super::*;

fn d(old: &str, new: &str) -> Diff {
    let (o, n) = (crate::compile(old), crate::compile(new));
    let (Some(o), Some(n)) = (o.valid(), n.valid()) else {
        panic!(
            "models must be valid: {:?} {:?}",
            o.diagnostics, n.diagnostics
        );
    };
    diff(o, n)
}

const BASE: &str = r#"title "Shop"
external customer "Customer"
boundary aws "AWS" {
  process api "API"
  store db "DB"
}
flow customer -> api "Order" { protocol: "HTTPS" }
flow api -> db "Store"
flow api -> db "Audit"
threat T1 "Spoof" on api {
  actor: external_attacker
  scenario: "x"
  stride: S
  severity: medium
}
"#;

#[test]
fn same_text_is_no_change() {
    let diff = d(BASE, BASE);
    assert!(diff.is_empty(), "{diff:#?}");
    assert_eq!(diff.change_count(), 0);
}

#[test]
fn reordering_and_reformatting_is_no_change() {
    let new = r#"# reordered, reformatted
threat T1 "Spoof" on api { actor: external_attacker, scenario: "\u{78}", stride: S, severity: medium }
flow api->db "Audit"
flow api -> db "Store"

boundary aws "AWS" {
  store db "DB"   # a comment
  process api "API" {}
}
flow customer->api "Order" {
  protocol: "HTTPS",
}
direction top-down
external customer "Customer" { out_of_scope: false }
title "Shop"
"#;
    let diff = d(BASE, new);
    assert!(diff.is_empty(), "{diff:#?}");
}

#[test]
fn a_label_change_is_field_level() {
    let diff = d(BASE, &BASE.replace("\"DB\"", "\"Database\""));
    assert_eq!(diff.elements.len(), 1);
    let e = &diff.elements[0];
    assert_eq!(
        (e.id.as_str(), e.change, e.kind),
        ("db", Change::Changed, "store")
    );
    assert_eq!(
        e.fields,
        vec![FieldChange {
            field: "label".into(),
            old: Some(Value::Text("DB".into())),
            new: Some(Value::Text("Database".into())),
        }]
    );
    assert_eq!(diff.change_count(), 1);
}

#[test]
fn implicit_flows_are_matched_by_content() {
    // Removing the first of two implicit `api->db` flows: the second keeps
    // its identity even though its implicit ID shifts from #2 to none.
    let diff = d(BASE, &BASE.replace("flow api -> db \"Store\"\n", ""));
    assert_eq!(diff.flows.len(), 1, "{:#?}", diff.flows);
    assert_eq!(diff.flows[0].change, Change::Removed);
    assert_eq!(
        diff.flows[0].value("label"),
        Some(&Value::Text("Store".into()))
    );
}

#[test]
fn giving_a_flow_an_id_keeps_its_identity() {
    let new = BASE.replace("flow customer -> api", "flow order: customer -> api");
    let diff = d(BASE, &new);
    assert_eq!(diff.flows.len(), 1);
    let f = &diff.flows[0];
    assert_eq!(
        (f.id.as_str(), f.old_id.as_deref(), f.change),
        ("order", Some("customer->api"), Change::Changed)
    );
    assert!(f.fields.is_empty());
    assert!(diff.crossings.is_empty());
}

#[test]
fn exposure_is_derived() {
    let new = r#"title "Shop"
external customer "Customer"
boundary aws "AWS" {
  process api "API"
}
store db "DB"
flow customer -> api "Order" { protocol: "HTTPS" }
flow api -> db "Store" { initiator: db }
flow api -> db "Audit"
threat T1 "Spoof" on api {
  actor: external_attacker
  scenario: "x"
  stride: ST
  ease: easy
  impact: problematic
}
threat T2 "Leak" on db {
  actor: malicious_insider
  scenario: "y"
  stride: I
  severity: low
  status: accepted
}
"#;
    let diff = d(BASE, new);
    assert_eq!(
        diff.severity,
        vec![SeverityChange {
            threat: "T1".into(),
            old: Severity::Medium,
            new: Severity::High,
            old_word: "medium".into(),
            new_word: "high".into(),
            rose: true,
        }]
    );
    assert!(diff.severity[0].rose());
    // Both api->db flows now leave aws.
    assert_eq!(diff.crossings.len(), 2);
    assert_eq!(
        diff.crossings[0].introduced,
        vec![CrossingRef {
            boundary: "aws".into(),
            direction: analysis::Direction::Out
        }]
    );
    assert_eq!(diff.reversed.len(), 1);
    assert_eq!(diff.reversed[0].flow, "api->db");
    assert!(diff.reversed[0].reversed);
    assert!(diff.opened.is_empty()); // T1 was open already, T2 is accepted
    assert_eq!(diff.open_count(Severity::High), (0, 1));
    assert_eq!(diff.open_count(Severity::Medium), (1, 0));
    let gaps: Vec<(&str, String, String)> = diff
        .stride_gaps
        .iter()
        .map(|g| {
            (
                g.element.as_str(),
                g.opened.to_string(),
                g.closed.to_string(),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        vec![
            ("api", String::new(), "T".to_string()),
            ("db", String::new(), "I".to_string())
        ]
    );
    assert_eq!(diff.element_change("db"), Some(Change::Changed));
    assert_eq!(diff.threat_change("T2"), Some(Change::Added));
}

#[test]
fn new_open_threats_and_closed_ones() {
    let new = BASE.replace(
        "severity: medium\n}",
        "severity: medium\n  status: mitigated\n}",
    )
        + "threat T9 \"Flood\" on api { actor: apt, scenario: \"z\", stride: D, severity: high }\n";
    let diff = d(BASE, &new);
    assert_eq!(diff.opened.len(), 1);
    assert_eq!(
        (diff.opened[0].threat.as_str(), diff.opened[0].severity),
        ("T9", Severity::High)
    );
    assert_eq!(diff.closed.len(), 1);
    assert_eq!(diff.closed[0].reason, OpenReason::Status(Status::Mitigated));
    assert_eq!(diff.status.len(), 1);
    let h = highlights(&diff, &|s| s.to_string());
    assert_eq!(h[0], "1 new open high threat");
    assert!(h.contains(&"1 threat no longer open".to_string()), "{h:?}");
}

#[test]
fn out_of_scope_threats_do_not_count_as_open() {
    let new = BASE.replace(
        "process api \"API\"",
        "process api \"API\" { out_of_scope: true }",
    );
    let diff = d(BASE, &new);
    assert_eq!(diff.closed.len(), 1);
    assert_eq!(diff.closed[0].reason, OpenReason::OutOfScope);
    assert_eq!(diff.open_count(Severity::Medium), (1, 0));
}

#[test]
fn data_lists_compare_as_sets() {
    let old = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTPS\", data: [\"a\", \"b\"] }",
    );
    let same = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTPS\", data: [\"b\", \"a\"] }",
    );
    assert!(d(&old, &same).is_empty());
    let other = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTPS\", data: [\"b\", \"c\"] }",
    );
    assert_eq!(d(&old, &other).flows.len(), 1);
}

#[test]
fn entries_follow_new_order_then_removed_in_old_order() {
    let old = "process a\nprocess b\nprocess c\n";
    let new = "process z\nprocess b { tech: \"x\" }\nprocess y\n";
    let diff = d(old, new);
    let ids: Vec<(&str, Change)> = diff
        .elements
        .iter()
        .map(|e| (e.id.as_str(), e.change))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("z", Change::Added),
            ("b", Change::Changed),
            ("y", Change::Added),
            ("a", Change::Removed),
            ("c", Change::Removed),
        ]
    );
}

/// The Exposure section and the summary line of every format, from one
/// diff: they must all carry the same exposure changes.
fn formats(diff: &Diff) -> (String, String, String, Vec<String>) {
    (
        text(diff, "old", "new", false),
        markdown(diff, "old", "new"),
        json(diff, "old", "new"),
        highlights(diff, &|s| s.to_string()),
    )
}

/// The part of the text output under "Exposure:".
fn text_exposure(text: &str) -> String {
    text.split("\nExposure:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or("")
        .to_string()
}

fn md_exposure(md: &str) -> String {
    md.split("#### Exposure\n")
        .nth(1)
        .and_then(|rest| rest.split("<details>").next())
        .unwrap_or("")
        .to_string()
}

#[test]
fn crossing_flow_losing_protection_is_exposure() {
    let old = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTPS\", encrypted: true, authenticated: true }",
    );
    // customer -> api crosses into aws: it loses encryption (by the flag and
    // by the protocol) and authentication.
    let new = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTP\", encrypted: false }",
    );
    let diff = d(&old, &new);
    assert_eq!(diff.protection.len(), 1, "{diff:#?}");
    let p = &diff.protection[0];
    assert_eq!(p.flow, "customer->api");
    assert_eq!(
        p.lost,
        vec![
            Protection::Encrypted,
            Protection::Authenticated,
            Protection::Protocol
        ]
    );
    assert!(p.gained.is_empty());
    let (text, md, json, h) = formats(&diff);
    assert!(
        h.contains(&"1 crossing flow lost encryption and authentication".to_string()),
        "{h:?}"
    );
    let t = text_exposure(&text);
    assert!(t.contains("protection lost"), "{text}");
    assert!(
        t.contains("customer->api: encrypted true → false, authenticated true → (none), protocol \"HTTPS\" → \"HTTP\"; crosses into aws"),
        "{t}"
    );
    assert!(
        text.lines().nth(1).unwrap().contains("lost encryption"),
        "{text}"
    );
    let m = md_exposure(&md);
    assert!(m.contains("Protection lost"), "{md}");
    assert!(
        md.lines().next().unwrap().contains("lost encryption"),
        "{md}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["exposure"]["protection_lost"], 1, "{json}");
    let j = &v["exposure"]["protection"][0];
    assert_eq!(j["flow"], "customer->api");
    assert_eq!(
        j["lost"],
        serde_json::json!(["encrypted", "authenticated", "protocol"])
    );
    assert_eq!(j["old"]["protocol"], "HTTPS");
    assert_eq!(j["new"]["encrypted"], false);

    // Back again: protection gained.
    let back = d(&new, &old);
    assert_eq!(back.protection[0].gained.len(), 3);
    let (text, _, _, h) = formats(&back);
    assert!(text_exposure(&text).contains("protection gained"), "{text}");
    assert!(
        h.contains(&"1 crossing flow gained encryption and authentication".to_string()),
        "{h:?}"
    );
}

#[test]
fn protection_of_a_flow_inside_one_boundary_is_not_exposure() {
    let old = BASE.replace(
        "flow api -> db \"Store\"",
        "flow api -> db \"Store\" { encrypted: true }",
    );
    let diff = d(&old, BASE);
    assert!(diff.protection.is_empty(), "{diff:#?}");
    assert_eq!(diff.flows.len(), 1, "still a field change");
    // Only the protocol: an unknown protocol says nothing.
    let new = BASE.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"Carrier pigeon\" }",
    );
    assert!(d(BASE, &new).protection.is_empty());
    let new = BASE.replace("{ protocol: \"HTTPS\" }", "{ protocol: \"FTP\" }");
    assert_eq!(d(BASE, &new).protection[0].lost, vec![Protection::Protocol]);
}

#[test]
fn protocols_are_classified() {
    for p in [
        "HTTPS",
        "https (S3 API)",
        "TLS",
        "mTLS",
        "SFTP",
        "SSH",
        "WSS",
        "AMQPS",
        "LDAPS",
        "Kafka (TLS, SASL/SCRAM)",
        "PostgreSQL (TLS)",
        "HTTP (inside the mesh, mTLS)",
        "SMTP with STARTTLS",
        "gRPC over TLS",
        "IPsec",
        "FTPS",
    ] {
        assert_eq!(protocol_encryption(p), Some(true), "{p}");
    }
    for p in [
        "HTTP", "http/1.1", "FTP", "Telnet", "WS", "AMQP", "LDAP", "SMTP", "MQTT", "TFTP",
    ] {
        assert_eq!(protocol_encryption(p), Some(false), "{p}");
    }
    for p in [
        "gRPC",
        "Kafka",
        "JDBC",
        "",
        "SQS API",
        "HTTPSish",
        "TLSv0 hack",
    ] {
        assert_eq!(protocol_encryption(p), None, "{p}");
    }
}

#[test]
fn element_going_out_of_scope_is_exposure() {
    let new = BASE.replace(
        "external customer \"Customer\"",
        "external customer \"Customer\" { out_of_scope: true }",
    );
    let diff = d(BASE, &new);
    assert_eq!(
        diff.scope,
        vec![ScopeChange {
            target: "customer".into(),
            kind: "external",
            label: Some("Customer".into()),
            out_of_scope: true
        }]
    );
    let (text, md, json, h) = formats(&diff);
    assert!(
        h.contains(&"1 element now out of scope".to_string()),
        "{h:?}"
    );
    assert!(
        text_exposure(&text).contains("now out of scope  customer (external \"Customer\")"),
        "{text}"
    );
    assert!(md_exposure(&md).contains("Now out of scope"), "{md}");
    assert!(
        md.lines()
            .next()
            .unwrap()
            .contains("1 element now out of scope"),
        "{md}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["exposure"]["now_out_of_scope"], 1);
    assert_eq!(
        v["exposure"]["scope"][0],
        serde_json::json!({"target": "customer", "kind": "external", "label": "Customer", "out_of_scope": true})
    );
    let back = d(&new, BASE);
    assert!(!back.scope[0].out_of_scope);
    assert!(highlights(&back, &|s| s.to_string()).contains(&"1 element back in scope".to_string()));
}

#[test]
fn mitigation_removed_from_an_open_threat_is_exposure() {
    let old = BASE.replace(
        "  severity: medium\n",
        "  severity: medium\n  mitigation: \"MFA\"\n",
    );
    let diff = d(&old, BASE);
    assert_eq!(diff.mitigation.len(), 1, "{diff:#?}");
    assert_eq!(diff.mitigation[0].threat, "T1");
    assert_eq!(diff.mitigation[0].old.as_deref(), Some("MFA"));
    assert_eq!(diff.mitigation[0].new, None);
    let (text, md, json, h) = formats(&diff);
    assert!(
        h.contains(&"1 mitigation removed from an open threat".to_string()),
        "{h:?}"
    );
    assert!(
        text_exposure(&text)
            .contains("mitigation removed  T1 \"Spoof\" on api (medium): was \"MFA\""),
        "{text}"
    );
    assert!(md_exposure(&md).contains("Mitigation removed"), "{md}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["exposure"]["mitigation_removed"], 1);
    assert_eq!(v["exposure"]["mitigation"][0]["old"], "MFA");
    // Not on a threat that is no longer open: that is "no longer open".
    let closed = BASE.replace(
        "  severity: medium\n",
        "  severity: medium\n  status: accepted\n",
    );
    assert!(d(&old, &closed).mitigation.is_empty());
    // Added to an open threat: shown, as a reduction.
    let back = d(BASE, &old);
    assert_eq!(back.mitigation[0].new.as_deref(), Some("MFA"));
    assert!(text_exposure(&formats(&back).0).contains("mitigation added"));
}

#[test]
fn severity_drop_is_in_every_format() {
    let new = BASE.replace("severity: medium", "severity: low");
    let diff = d(BASE, &new);
    let (text, md, json, h) = formats(&diff);
    assert!(h.contains(&"1 severity lowered".to_string()), "{h:?}");
    assert!(
        text_exposure(&text).contains("severity lowered  T1 medium → low"),
        "{text}"
    );
    assert!(md_exposure(&md).contains("Severity lowered"), "{md}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["exposure"]["severity_lowered"], 1);
}

/// One table of exposure kinds: every kind has a distinct key and label,
/// and every item the diff lists is of a kind of the table and counted in
/// the JSON summary under its key.
#[test]
fn exposure_kinds_are_one_table() {
    let keys: BTreeSet<&str> = ExposureKind::ALL.iter().map(|k| k.key()).collect();
    assert_eq!(keys.len(), ExposureKind::ALL.len());
    let labels: BTreeSet<&str> = ExposureKind::ALL.iter().map(|k| k.label()).collect();
    assert_eq!(labels.len(), ExposureKind::ALL.len());
    let old = BASE.replace(
        "  severity: medium\n",
        "  severity: medium\n  mitigation: \"MFA\"\n",
    );
    let new = BASE
        .replace("severity: medium", "severity: high")
        .replace("{ protocol: \"HTTPS\" }", "{ protocol: \"HTTP\" }");
    let diff = d(&old, &new);
    let items = diff.exposure();
    let v: serde_json::Value = serde_json::from_str(&json(&diff, "a", "b")).unwrap();
    for kind in ExposureKind::ALL {
        let n = items.iter().filter(|i| i.kind == kind).count();
        assert_eq!(v["summary"]["exposure"][kind.key()], n, "{}", kind.key());
    }
    assert!(items.iter().any(|i| i.kind == ExposureKind::ProtectionLost));
    assert!(items.iter().any(|i| i.kind == ExposureKind::SeverityRaised));
    assert!(items
        .iter()
        .any(|i| i.kind == ExposureKind::MitigationRemoved));
}

#[test]
fn an_actor_or_stride_dropped_is_a_field_removed() {
    let new = BASE
        .replace("  actor: external_attacker\n", "")
        .replace("  stride: S\n", "");
    let diff = d(BASE, &new);
    assert_eq!(diff.threats.len(), 1, "{diff:#?}");
    let fields: Vec<(&str, bool, bool)> = diff.threats[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.is_some(), f.new.is_some()))
        .collect();
    assert_eq!(fields, [("actor", true, false), ("stride", true, false)]);
}

#[test]
fn a_threat_moved_onto_several_targets_or_none_changes_its_target() {
    let several = BASE.replace(
        "threat T1 \"Spoof\" on api {",
        "threat T1 \"Spoof\" on api, db {",
    );
    let diff = d(BASE, &several);
    assert_eq!(diff.threats.len(), 1, "{diff:#?}");
    let f = &diff.threats[0].fields;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].field, "target");
    assert_eq!(f[0].old, Some(Value::Id("api".into())));
    assert_eq!(
        f[0].new,
        Some(Value::List(vec![
            Value::Id("api".into()),
            Value::Id("db".into())
        ]))
    );
    let none = BASE.replace("threat T1 \"Spoof\" on api {", "threat T1 \"Spoof\" {");
    let diff = d(BASE, &none);
    let f = &diff.threats[0].fields;
    assert_eq!(
        (f[0].field.as_str(), f[0].new.is_none()),
        ("target", true),
        "{f:#?}"
    );
}

#[test]
fn header_facts_of_0_2_are_header_changes() {
    let new = format!("reviewers [\"A\"]\nlink \"https://x\"\n{BASE}");
    let diff = d(BASE, &new);
    let fields: Vec<&str> = diff.header.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["link", "reviewers"]);
    assert_eq!(
        diff.header[1].new,
        Some(Value::List(vec![Value::Text("A".into())]))
    );
}

#[test]
fn a_flow_put_out_of_scope_is_a_flow_change_and_closes_its_threats() {
    let old = BASE.replace(
        "flow customer -> api \"Order\" { protocol: \"HTTPS\" }",
        "flow order: customer -> api \"Order\" { protocol: \"HTTPS\" }",
    )
        + "threat T2 \"Tamper\" on order { scenario: \"t\", severity: high, mitigation: \"m\" }\n";
    let new = old.replace(
        "{ protocol: \"HTTPS\" }",
        "{ protocol: \"HTTPS\", out_of_scope: \"Vendor\" }",
    );
    let diff = d(&old, &new);
    assert_eq!(diff.flows.len(), 1, "{diff:#?}");
    let f = &diff.flows[0].fields;
    assert_eq!(f[0].field, "out_of_scope", "{f:#?}");
    assert_eq!(f[0].new, Some(Value::Text("Vendor".into())));
    assert_eq!(diff.closed.len(), 1, "{diff:#?}");
    assert_eq!(diff.closed[0].reason, OpenReason::OutOfScope);
}

/// Language 0.2: a boundary's kind and description are compared.
#[test]
fn boundary_kind_and_description_changes() {
    let old = BASE.replace(
        "boundary aws \"AWS\" {\n",
        "boundary aws \"AWS\" {\n  kind: network\n  description: \"Old\"\n",
    );
    let new = BASE.replace(
        "boundary aws \"AWS\" {\n",
        "boundary aws \"AWS\" {\n  kind: cloud-account\n  description: \"New\"\n",
    );
    let diff = d(&old, &new);
    assert_eq!(diff.boundaries.len(), 1, "{diff:#?}");
    let fields: Vec<(&str, Option<&Value>, Option<&Value>)> = diff.boundaries[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.as_ref(), f.new.as_ref()))
        .collect();
    assert_eq!(
        fields,
        [
            (
                "kind",
                Some(&Value::Word("network".into())),
                Some(&Value::Word("cloud-account".into()))
            ),
            (
                "description",
                Some(&Value::Text("Old".into())),
                Some(&Value::Text("New".into()))
            ),
        ]
    );
    // A custom kind is text.
    let custom = BASE.replace(
        "boundary aws \"AWS\" {\n",
        "boundary aws \"AWS\" {\n  kind: \"VPC\"\n",
    );
    let diff = d(BASE, &custom);
    assert_eq!(diff.boundaries[0].fields[0].field, "kind");
    assert_eq!(
        diff.boundaries[0].fields[0].new,
        Some(Value::Text("VPC".into()))
    );
}

/// Language 0.2: assumptions added, removed and changed (status, what
/// rests on them), each an entry of its own section.
#[test]
fn assumption_changes() {
    let old = format!(
        "{BASE}assumption A1 \"API is patched\" {{ status: unverified, for: [T1] }}\nassumption A2 \"Gone\"\n"
    );
    let new = format!(
        "{BASE}assumption A1 \"API is patched\" {{ status: wrong, owner: \"Ops\", for: [T1, api] }}\nassumption A3 \"New\" {{ for: [db] }}\n"
    );
    let diff = d(&old, &new);
    let entries: Vec<(&str, Change)> = diff
        .assumptions
        .iter()
        .map(|e| (e.id.as_str(), e.change))
        .collect();
    assert_eq!(
        entries,
        [
            ("A1", Change::Changed),
            ("A3", Change::Added),
            ("A2", Change::Removed)
        ]
    );
    let a1: Vec<&str> = diff.assumptions[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(a1, ["status", "owner", "for"]);
    assert_eq!(diff.assumptions[0].kind, "assumption");
    assert_eq!(diff.count(Section::Assumptions, Change::Added), 1);
    assert!(d(&old, &old).is_empty());
    // What rests on an assumption is a set: the order it is written in is
    // no change.
    assert!(d(&new, &new.replace("for: [T1, api]", "for: [api, T1]")).is_empty());
}

/// Language 0.2: a flow that becomes a response says so, and is no
/// longer reversed-initiator when it was written as a pull before.
#[test]
fn response_to_changes() {
    let old = "external c\nprocess a\nflow ask: c -> a\nflow a -> c { initiator: c }\n";
    let new = "external c\nprocess a\nflow ask: c -> a\nflow a -> c { response_to: ask }\n";
    let diff = d(old, new);
    assert_eq!(diff.flows.len(), 1, "{diff:#?}");
    let fields: Vec<&str> = diff.flows[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["response_to"], "the initiator is the same: c");
    assert_eq!(diff.reversed.len(), 1);
    assert!(!diff.reversed[0].reversed);
}

/// A removed response is drawn as a ghost that answers its request in the
/// union model (not a pull, not a request of another model's numbering).
#[test]
fn a_removed_response_answers_its_request_in_the_union() {
    let old = "external c\nprocess a\nprocess z\nflow first: z -> a\nflow ask: c -> a\nflow a -> c { response_to: ask }\n";
    let new = "external c\nprocess a\nflow ask: c -> a\n";
    let (o, n) = (crate::compile(old), crate::compile(new));
    let (o, n) = (o.valid().unwrap(), n.valid().unwrap());
    let diff = diff(o, n);
    let union = visual::union(o.0, n.0, &diff);
    let m = &union.model;
    let ghost = m.flow_ids().find(|&f| m[f].name == "a->c").unwrap();
    let request = m[ghost].response_to.expect("answers its request");
    assert_eq!(m[request].name, "ask");
    assert!(!union.analysis.flow(ghost).reversed);
}
