//! Models published by other people for other tools, written in tmd
//! (`tests/published/`, with their sources and licences in its README):
//! each compiles with no error, gives exactly the warnings its
//! translation expects, and keeps the facts the language can now say.

mod common;

use std::collections::BTreeMap;

fn warnings_by_code(c: &tmd::Compilation) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in &c.diagnostics {
        *out.entry(d.code.to_string()).or_insert(0) += 1;
    }
    out
}

/// Threagile's demo model: what Threagile's own analysis would ask about
/// (crossings without threats, external clients writing straight to
/// stores, sensitive data over plain LDAP and JDBC) is what tmd warns
/// about; its two individual risks are rated on Threagile's scale, their
/// hand-written severities kept (and TMD101 silenced with the reason).
#[test]
fn threagile_demo() {
    let path = common::root().join("tests/published/threagile-demo.tmd");
    let text = std::fs::read_to_string(path).unwrap();
    let c = common::compile(&text);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let expected: BTreeMap<String, usize> = [("TMD104", 4), ("TMD106", 26), ("TMD115", 4)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(warnings_by_code(&c), expected);
    let model = c.model.as_ref().unwrap();
    assert_eq!(model.scale.name, "threagile");
    let words: Vec<&str> = model
        .threats
        .iter()
        .map(|t| model.scale.word(t.grade))
        .collect();
    assert_eq!(words, ["critical", "medium"]);
    let matrix: Vec<Option<&str>> = model
        .threats
        .iter()
        .map(|t| t.matrix_grade.map(|g| model.scale.word(g)))
        .collect();
    assert_eq!(matrix, [Some("elevated"), Some("critical")]);
    assert_eq!(model.assets.len(), 12);
    assert_eq!(
        model
            .flows
            .iter()
            .filter(|f| f.response_to.is_some())
            .count(),
        14
    );
    assert!(model.boundaries.iter().all(|b| b.kind.is_some()));
}
