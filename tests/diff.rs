//! Golden diffs over the pairs in `tests/fixtures/diff/NAME/{old,new}.tmd`:
//! each pair's text, Markdown and JSON output is an insta snapshot. Pairs
//! named `same-*` differ only in formatting or statement order and must
//! produce no change; every other pair must produce some. Together the
//! pairs must cover every kind of change the diff can report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tmd::diff::{Change, Diff};

fn pairs() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    assert!(
        out.len() >= 10,
        "expected the diff fixtures in {}",
        dir.display()
    );
    out
}

fn compute(dir: &Path) -> Diff {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let (old, new) = (
        tmd::compile(&read("old.tmd")),
        tmd::compile(&read("new.tmd")),
    );
    let o = old.valid().unwrap_or_else(|| {
        panic!(
            "{}/old.tmd has errors: {:#?}",
            dir.display(),
            old.diagnostics
        )
    });
    let n = new.valid().unwrap_or_else(|| {
        panic!(
            "{}/new.tmd has errors: {:#?}",
            dir.display(),
            new.diagnostics
        )
    });
    tmd::diff::diff(o, n)
}

#[test]
fn golden_diffs() {
    for (name, dir) in pairs() {
        let diff = compute(&dir);
        if name.starts_with("same-") {
            assert!(diff.is_empty(), "{name}: expected no change, got {diff:#?}");
        } else {
            assert!(!diff.is_empty(), "{name}: expected changes");
        }
        // Deterministic: the same inputs give the same bytes.
        assert_eq!(diff, compute(&dir), "{name}");
        assert_eq!(
            tmd::diff::json(&diff, "old.tmd", "new.tmd"),
            tmd::diff::json(&compute(&dir), "old.tmd", "new.tmd")
        );
        insta::assert_snapshot!(
            format!("{name}.text"),
            tmd::diff::text(&diff, "old.tmd", "new.tmd", false)
        );
        // The comment as `tmd diff --format md` writes it: with the
        // changed neighbourhood drawn, and on 2025-12-20 (acceptances that
        // expire within 30 days are named).
        let read = |n: &str| tmd::compile(&std::fs::read_to_string(dir.join(n)).unwrap());
        let (old, new) = (read("old.tmd"), read("new.tmd"));
        let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
        let context = tmd::diff::Context {
            models: Some((o.0, n.0)),
            today: Some(tmd::model::Date {
                year: 2025,
                month: 12,
                day: 20,
            }),
        };
        insta::assert_snapshot!(
            format!("{name}.md"),
            tmd::diff::markdown_with(&diff, "old.tmd", "new.tmd", &context)
        );
        insta::assert_snapshot!(
            format!("{name}.json"),
            tmd::diff::json(&diff, "old.tmd", "new.tmd")
        );
    }
}

#[test]
fn a_model_against_itself_is_no_change() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for entry in std::fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let c = tmd::compile(&text);
        let m = c.valid().unwrap();
        let diff = tmd::diff::diff(m, m);
        assert!(diff.is_empty(), "{}", path.display());
    }
}

#[test]
fn swapping_old_and_new_mirrors_the_diff() {
    for (name, dir) in pairs() {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        let (old, new) = (
            tmd::compile(&read("old.tmd")),
            tmd::compile(&read("new.tmd")),
        );
        let (o, n) = (old.valid().unwrap(), new.valid().unwrap());
        let (forward, backward) = (tmd::diff::diff(o, n), tmd::diff::diff(n, o));
        for section in tmd::diff::Section::ALL {
            let count = |d: &Diff, c: Change| d.count(section, c);
            assert_eq!(
                count(&forward, Change::Added),
                count(&backward, Change::Removed),
                "{name} {section:?}"
            );
            assert_eq!(
                count(&forward, Change::Changed),
                count(&backward, Change::Changed),
                "{name} {section:?}"
            );
        }
        assert_eq!(forward.opened.len(), backward.closed.len(), "{name}");
        assert_eq!(forward.severity.len(), backward.severity.len(), "{name}");
        assert_eq!(forward.reversed.len(), backward.reversed.len(), "{name}");
        let assets = |d: &Diff, now: bool| -> usize {
            d.sensitive
                .iter()
                .map(|c| {
                    if now {
                        c.introduced.len()
                    } else {
                        c.removed.len()
                    }
                })
                .sum()
        };
        assert_eq!(assets(&forward, true), assets(&backward, false), "{name}");
        assert_eq!(assets(&forward, false), assets(&backward, true), "{name}");
    }
}

/// Every field of every kind changes somewhere in the fixtures, every kind
/// of entry is added and removed, and every exposure fact shows up.
#[test]
fn fixtures_cover_every_kind_of_change() {
    let mut changed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (_, dir) in pairs() {
        let diff = compute(&dir);
        for f in &diff.header {
            changed.insert(("header".into(), f.field.clone()));
            if f.old.is_none() {
                seen.insert("header field added".into());
            }
            if f.new.is_none() {
                seen.insert("header field removed".into());
            }
        }
        for section in tmd::diff::Section::ALL {
            for e in diff.entries(section) {
                seen.insert(format!("{} {}", section.as_str(), e.change.as_str()));
                if e.change == Change::Changed {
                    for f in &e.fields {
                        let field = if f.field.starts_with("x_") {
                            "x_".to_string()
                        } else {
                            f.field.clone()
                        };
                        changed.insert((section.as_str().into(), field));
                    }
                }
                if e.old_id.is_some() {
                    seen.insert(format!("{} id", section.as_str()));
                }
            }
        }
        for c in &diff.crossings {
            if !c.introduced.is_empty() {
                seen.insert(format!("crossing introduced {:?}", c.flow_change));
            }
            if !c.removed.is_empty() {
                seen.insert(format!("crossing removed {:?}", c.flow_change));
            }
        }
        for r in &diff.reversed {
            seen.insert(format!("reversed {}", r.reversed));
        }
        for s in &diff.severity {
            seen.insert(format!("severity {}", if s.rose() { "up" } else { "down" }));
        }
        for s in &diff.status {
            seen.insert(format!("status {} -> {}", s.old, s.new));
        }
        for o in &diff.opened {
            seen.insert(format!("opened {} {}", o.severity, o.reason.as_str()));
        }
        for o in &diff.closed {
            seen.insert(format!("closed {}", o.reason.as_str()));
        }
        for e in diff.exposure() {
            seen.insert(format!("exposure {}", e.kind.key()));
        }
        for c in &diff.sensitive {
            if !c.introduced.is_empty() {
                seen.insert(format!("sensitive introduced {:?}", c.flow_change));
            }
            if !c.removed.is_empty() {
                seen.insert(format!("sensitive removed {:?}", c.flow_change));
            }
        }
        for g in &diff.stride_gaps {
            if !g.opened.is_empty() {
                seen.insert("gaps opened".into());
            }
            if !g.closed.is_empty() {
                seen.insert("gaps closed".into());
            }
        }
    }
    let fields: &[(&str, &[&str])] = &[
        (
            "header",
            &[
                "title",
                "scope",
                "updated",
                "version",
                "direction",
                "classification",
                "sensitive",
            ],
        ),
        (
            "elements",
            &[
                "kind",
                "label",
                "boundary",
                "description",
                "tech",
                "owner",
                "out_of_scope",
                "assets",
                "x_",
            ],
        ),
        ("boundaries", &["label", "parent"]),
        (
            "flows",
            &[
                "source",
                "target",
                "label",
                "initiator",
                "protocol",
                "encrypted",
                "data",
                "assets",
                "description",
                "x_",
            ],
        ),
        ("actors", &["label", "description", "x_"]),
        (
            "threats",
            &[
                "title",
                "target",
                "actor",
                "scenario",
                "stride",
                "ease",
                "impact",
                "severity",
                "mitigation",
                "remediation",
                "status",
                "justification",
                "ticket",
                "reviewed_by",
                "reviewed_on",
                "expires",
                "controls",
                "x_",
            ],
        ),
        (
            "controls",
            &["label", "status", "description", "ticket", "reduces", "x_"],
        ),
        (
            "assets",
            &[
                "label",
                "classification",
                "confidentiality",
                "integrity",
                "availability",
                "description",
                "x_",
            ],
        ),
    ];
    for (section, names) in fields {
        for field in *names {
            assert!(
                changed.contains(&(section.to_string(), field.to_string())),
                "no fixture changes {section}.{field}"
            );
        }
    }
    let expected = [
        "header field added",
        "header field removed",
        "elements added",
        "elements removed",
        "elements changed",
        "boundaries added",
        "boundaries removed",
        "boundaries changed",
        "flows added",
        "flows removed",
        "flows changed",
        "flows id",
        "actors added",
        "actors removed",
        "actors changed",
        "threats added",
        "threats removed",
        "threats changed",
        "controls added",
        "controls removed",
        "controls changed",
        "status investigating -> false-positive",
        "status in-progress -> mitigated",
        "status open -> transferred",
        "assets added",
        "assets removed",
        "assets changed",
        "sensitive introduced Some(Changed)",
        "sensitive introduced None",
        "sensitive removed Some(Removed)",
        "crossing introduced None",
        "crossing introduced Some(Added)",
        "crossing introduced Some(Changed)",
        "crossing removed None",
        "crossing removed Some(Removed)",
        "crossing removed Some(Changed)",
        "reversed true",
        "reversed false",
        "severity up",
        "severity down",
        "status open -> mitigated",
        "status open -> accepted",
        "status mitigated -> open",
        "opened high added",
        "opened medium added",
        "opened low added",
        "opened high reopened",
        "opened high in_scope",
        "closed mitigated",
        "closed accepted",
        "closed transferred",
        "closed false_positive",
        "closed removed",
        "closed out_of_scope",
        "gaps opened",
        "gaps closed",
    ];
    for what in expected {
        assert!(
            seen.contains(what),
            "no fixture shows `{what}`; seen: {seen:#?}"
        );
    }
    // Every kind of exposure change of the shared table shows in some
    // fixture (and so in every format's snapshot).
    for kind in tmd::diff::ExposureKind::ALL {
        assert!(
            seen.contains(&format!("exposure {}", kind.key())),
            "no fixture shows the exposure change `{}`",
            kind.key()
        );
    }
}

/// `docs/review.md` shows the example hook and workflow as they are in
/// `docs/examples/`, so that the two cannot drift apart.
#[test]
fn review_docs_embed_the_example_files_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/review.md")).unwrap();
    for (lang, file) in [
        ("yaml", "docs/examples/tmd-review.yml"),
        ("bash", "docs/examples/pre-commit"),
    ] {
        let body = std::fs::read_to_string(root.join(file)).unwrap();
        let block = format!("```{lang}\n{body}```\n");
        assert!(
            doc.contains(&block),
            "docs/review.md does not show {file} as it is"
        );
    }
}
