use super::*;

fn compiled(text: &str) -> Model {
    let c = crate::compile(text);
    let Some((model, _)) = c.valid() else {
        panic!("model does not compile: {:?}", c.diagnostics);
    };
    model.clone()
}

const SHOP: &str = r#"title "Shop"
external user "Customer"
boundary cloud "Cloud" {
  process web "Web"
  boundary data "Data tier" {
    store db "Orders DB"
    store cache "Cache"
  }
  process worker "Worker"
}
external psp "Payment provider"
external mail "Mail service"
flow user -> web "order"
flow web -> db "write"
flow web -> cache "read"
flow worker -> db "poll"
flow worker -> mail "send"
flow web -> psp "charge"
threat T1 on db {
  title: "Dump"
  actor: malicious_insider
  scenario: "x"
  stride: I
  severity: high
}
threat T2 on web -> db {
  title: "Tamper"
  actor: malicious_insider
  scenario: "x"
  stride: T
  severity: low
}
threat T3 on mail {
  title: "Spoof"
  actor: external_attacker
  scenario: "x"
  stride: S
  severity: low
}
"#;

fn spec(focus: &[&str], depth: Option<usize>, collapse: &[&str]) -> Spec {
    Spec {
        focus: focus.iter().map(|s| s.to_string()).collect(),
        depth,
        collapse: collapse.iter().map(|s| s.to_string()).collect(),
    }
}

fn names(model: &Model) -> Vec<&str> {
    model.elements.iter().map(|e| e.name.as_str()).collect()
}

#[test]
fn whole_model_is_no_view() {
    let m = compiled(SHOP);
    assert!(apply(&m, &Spec::default()).unwrap().is_none());
    let err = apply(&m, &spec(&[], Some(2), &[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--depth 2: needs a focus: it says how far from the focus to draw"
    );
}

#[test]
fn focus_keeps_the_neighbourhood_and_summarises_the_rest() {
    let m = compiled(SHOP);
    let v = apply(&m, &spec(&["web"], None, &[])).unwrap().unwrap();
    // web and its neighbours; db has a left-out flow from worker.
    assert_eq!(
        names(&v.model),
        ["user", "web", "db", "cache", "psp", "db-more"]
    );
    let notes = v.model.view.as_ref().unwrap();
    let more = ElementId::from_index(5);
    assert_eq!(
        notes.stand_in(more),
        Some(&StandIn::More {
            flows: 1,
            elements: 1
        })
    );
    assert_eq!(v.model.elements[5].label, "1 more flow from 1 element");
    // The summary flow goes the way the left-out flow went: into db.
    let summary: Vec<&Flow> = notes
        .summary_flows
        .iter()
        .map(|&f| &v.model.flows[f.index()])
        .collect();
    assert_eq!(summary.len(), 1);
    assert_eq!(v.model.elements[summary[0].source.index()].name, "db-more");
    // Threats on what is shown; T3 on mail is not.
    let threats: Vec<&str> = v.model.threats.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(threats, ["T1", "T2"]);
    // Boundaries around what is shown, nesting kept.
    let bds: Vec<&str> = v.model.boundaries.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(bds, ["cloud", "data"]);
    assert_eq!(
        v.model.boundaries[1].parent,
        Some(BoundaryId::from_index(0))
    );
    // The stand-in sits in db's boundary, so its flow crosses nothing.
    assert_eq!(
        v.model.elements[5].boundary,
        Some(BoundaryId::from_index(1))
    );
    assert!(
        notes.caption.contains("focus on web (depth 1)"),
        "{}",
        notes.caption
    );
    assert!(
        notes.caption.contains("5 of 7 elements"),
        "{}",
        notes.caption
    );
    // Crossings are those of the model.
    let f = v
        .model
        .flows
        .iter()
        .position(|f| f.name == "web->db")
        .unwrap();
    assert_eq!(v.analysis.flows[f].crossings.len(), 1);
}

#[test]
fn depth_widens_the_focus() {
    let m = compiled(SHOP);
    let v = apply(&m, &spec(&["psp"], Some(2), &[])).unwrap().unwrap();
    let shown = names(&v.model);
    for n in ["psp", "web", "user", "db", "cache"] {
        assert!(shown.contains(&n), "{n} missing from {shown:?}");
    }
    assert!(!shown.contains(&"worker") && !shown.contains(&"mail"));
}

#[test]
fn collapse_draws_a_boundary_as_one_box() {
    let m = compiled(SHOP);
    let v = apply(&m, &spec(&[], None, &["data"])).unwrap().unwrap();
    let shown = names(&v.model);
    assert!(shown.contains(&"data") && !shown.contains(&"db") && !shown.contains(&"cache"));
    let data = ElementId::from_index(shown.iter().position(|n| *n == "data").unwrap());
    let notes = v.model.view.as_ref().unwrap();
    assert_eq!(
        notes.stand_in(data),
        Some(&StandIn::Collapsed {
            kind: None,
            elements: 2,
            flows: 0
        })
    );
    // The three flows into the tier attach to the box with their IDs.
    let into: Vec<&str> = v
        .model
        .flows
        .iter()
        .filter(|f| f.target == data)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(into, ["web->db", "web->cache", "worker->db"]);
    // T1 on db and T2 on web -> db are now on the box and on the flow.
    let facts = &v.analysis.elements[data.index()];
    assert_eq!(facts.threats.len(), 1);
    // The box is in the cloud boundary, where the tier was.
    assert_eq!(
        v.model.elements[data.index()].boundary,
        Some(BoundaryId::from_index(0))
    );
    assert!(v.model.boundaries.iter().all(|b| b.name != "data"));
}

#[test]
fn collapse_outer_wins_and_focus_inside_a_collapsed_box_is_the_box() {
    let m = compiled(SHOP);
    let v = apply(&m, &spec(&["db"], None, &["data", "cloud"]))
        .unwrap()
        .unwrap();
    let shown = names(&v.model);
    assert_eq!(shown, ["user", "cloud", "psp", "mail"]);
    let notes = v.model.view.as_ref().unwrap();
    assert_eq!(
        notes.stand_in(ElementId::from_index(1)),
        Some(&StandIn::Collapsed {
            kind: None,
            elements: 4,
            flows: 3
        })
    );
    assert!(v.model.boundaries.is_empty());
}

#[test]
fn unknown_names_are_refused_with_a_suggestion() {
    let m = compiled(SHOP);
    let err = apply(&m, &spec(&["wbe"], None, &[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--focus wbe: the model has no element, boundary or flow `wbe`; did you mean `web`?"
    );
    assert!(err.fence_message().starts_with("`focus=wbe`: "));
    let err = apply(&m, &spec(&[], None, &["web"])).unwrap_err();
    assert!(err.why.contains("is an element"), "{err}");
    let err = apply(&m, &spec(&[], None, &["clod"])).unwrap_err();
    assert!(err.why.contains("did you mean `cloud`"), "{err}");
}

#[test]
fn stand_in_names_never_collide() {
    // A stand-in's name has a `-`, which no written ID has, and two
    // stand-ins of one element never share one.
    let mut taken = BTreeSet::new();
    assert_eq!(fresh(&mut taken, "db-more"), "db-more");
    assert_eq!(fresh(&mut taken, "db-more"), "db-more-2");
    assert!(crate::syntax::parse("external db-more")
        .diagnostics
        .iter()
        .any(|d| d.code == "TMD001"));
}

#[test]
fn every_sample_views_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    paths.sort();
    for path in paths {
        let m = compiled(&std::fs::read_to_string(&path).unwrap());
        for e in &m.elements {
            let v = apply(&m, &spec(&[&e.name], Some(1), &[])).unwrap().unwrap();
            // Every flow's ends exist, every boundary's members exist.
            for f in &v.model.flows {
                assert!(f.source.index() < v.model.elements.len());
                assert!(f.target.index() < v.model.elements.len());
            }
            let svg = crate::emit::svg::svg(
                &v.model,
                &v.analysis,
                &crate::emit::svg::SvgOptions::default(),
            );
            assert!(svg.svg.contains(&format!("data-tmd-id=\"{}\"", e.name)));
        }
        for b in &m.boundaries {
            apply(&m, &spec(&[], None, &[&b.name])).unwrap().unwrap();
        }
    }
}
