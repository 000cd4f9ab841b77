//! The threat table and the assessment report: golden snapshots of every
//! format for every sample, CSV and JSON read back and compared with the
//! model, escaping of hostile strings in every format, determinism.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use tmd::emit::{csv, html, markdown, table};
use tmd::model::{Model, Severity};

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn golden_every_format_of_every_sample() {
    for (stem, text) in common::samples() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        snapshot(
            &format!("{stem}.table.md"),
            &markdown::table(model, analysis),
        );
        snapshot(
            &format!("{stem}.table.csv"),
            &csv::table(model, analysis, true),
        );
        snapshot(&format!("{stem}.table.json"), &table::json(model, analysis));
        snapshot(&format!("{stem}.table.html"), &html::table(model, analysis));
        snapshot(
            &format!("{stem}.report.md"),
            &markdown::report(model, analysis, None),
        );
        snapshot(
            &format!("{stem}.report.html"),
            &html::html(model, analysis, None),
        );
    }
}

#[test]
fn golden_report_with_a_diagram() {
    let text = std::fs::read_to_string(common::root().join("samples/acme-ecommerce.tmd")).unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let svg = common::grid_svg(model);
    let page = html::html(model, analysis, Some(&svg));
    // Only the diagram section: the rest is in the other snapshot.
    let start = page.find("<section id=\"diagram\">").unwrap();
    let end = start + page[start..].find("</section>").unwrap();
    snapshot("acme-ecommerce.report-diagram.html", &page[start..end]);
    assert!(page.contains("Show in diagram"));
    assert!(!page.contains("The diagram is not included"));
    let md = markdown::report(model, analysis, Some("out/acme diagram.svg"));
    assert!(md.contains("![Data-flow diagram](out/acme%20diagram.svg)"));
}

/// A header `link` is a link only when it is http(s), and escaped always.
#[test]
fn header_link_is_a_link_only_for_http() {
    let report = |link: &str| {
        let text = format!("title \"T\"\nlink \"{link}\"\n");
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        (
            markdown::report(model, analysis, None),
            html::html(model, analysis, None),
        )
    };
    let (md, page) = report("HTTPS://example.com/a?b=1&c=2");
    assert!(
        md.contains(
            "- **Link:** [HTTPS://example.com/a?b=1&amp;c=2](<HTTPS://example.com/a?b=1&c=2>)"
        ),
        "{md}"
    );
    assert!(
        page.contains("<a href=\"HTTPS://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">")
    );
    for hostile in [
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "https://x/<script>",
    ] {
        let (md, page) = report(hostile);
        assert!(!md.contains("](<"), "{hostile}: {md}");
        assert!(
            !page.contains("href=\"javascript")
                && !page.contains("href=\"data")
                && !page.contains("href=\"//"),
            "{hostile}"
        );
        assert!(!page.contains("x/<script>"), "{hostile}");
    }
}

/// The samples and the model with every construct of language 0.2.
fn samples_and_0_2() -> Vec<(String, String)> {
    let mut out = common::samples();
    let path = common::root().join("tests/fixtures/valid/language-0.2.tmd");
    out.push((
        "language-0.2".to_string(),
        std::fs::read_to_string(path).unwrap(),
    ));
    out
}

/// The model with every construct language 0.2 adds, through every
/// output.
#[test]
fn golden_language_0_2() {
    let path = common::root().join("tests/fixtures/valid/language-0.2.tmd");
    let text = std::fs::read_to_string(path).unwrap();
    let c = common::compile(&text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let (model, analysis) = c.valid().unwrap();
    let stem = "language-0.2";
    snapshot(
        &format!("{stem}.export.json"),
        &tmd::emit::export::export(model, analysis),
    );
    snapshot(
        &format!("{stem}.table.md"),
        &markdown::table(model, analysis),
    );
    snapshot(
        &format!("{stem}.table.csv"),
        &csv::table(model, analysis, true),
    );
    snapshot(&format!("{stem}.table.json"), &table::json(model, analysis));
    snapshot(&format!("{stem}.table.html"), &html::table(model, analysis));
    snapshot(
        &format!("{stem}.report.md"),
        &markdown::report(model, analysis, None),
    );
    let svg = common::grid_svg(model);
    snapshot(
        &format!("{stem}.report.html"),
        &html::html(model, analysis, Some(&svg)),
    );
}

/// Threat rows in the model's terms, for comparing with what a format
/// gives back: id -> (title, target, kind, actor, scenario, stride,
/// severity, source, mitigation, remediation, status, out of scope).
fn expected(model: &Model) -> BTreeMap<String, Vec<String>> {
    model
        .threats
        .iter()
        .map(|t| {
            let oos = model.threat_out_of_scope(t);
            let names: Vec<&str> = t.targets.iter().map(|&x| model.target_name(x)).collect();
            let kinds: Vec<&str> = t.targets.iter().map(|&x| model.target_kind(x)).collect();
            (
                t.name.clone(),
                vec![
                    t.title.clone(),
                    names.join("; "),
                    kinds.join("; "),
                    t.actor.map(|a| model[a].name.clone()).unwrap_or_default(),
                    t.scenario.clone(),
                    t.stride.map(|s| s.to_string()).unwrap_or_default(),
                    t.severity.as_str().to_string(),
                    t.severity_source.as_str().to_string(),
                    t.mitigation.clone().unwrap_or_default(),
                    t.remediation
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_default(),
                    t.status.as_str().to_string(),
                    oos.to_string(),
                ],
            )
        })
        .collect()
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    }
}

#[test]
fn csv_reads_back_as_the_model() {
    for (stem, text) in samples_and_0_2() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let text = csv::table(model, analysis, true);
        assert!(text.starts_with('\u{FEFF}'), "{stem}: BOM");
        assert!(text.ends_with("\r\n"), "{stem}: CRLF line ends");
        let mut reader =
            ::csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            &headers[..csv::COLUMNS.len()],
            &csv::COLUMNS.map(str::to_string)[..],
            "{stem}"
        );
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let mut got = BTreeMap::new();
        let mut order = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), headers.len(), "{stem}: ragged row");
            let cell = |name: &str| csv::unneutralise(&record[col(name)]).to_string();
            order.push((severity_rank(&cell("Severity")), cell("ID")));
            // Every x_ key of the threat is in its column.
            let threat = model.threats.iter().find(|t| t.name == cell("ID")).unwrap();
            for (key, value) in &threat.attributes {
                assert_eq!(cell(key), table::attr_text(value), "{stem} {key}");
            }
            got.insert(
                cell("ID"),
                vec![
                    cell("Title"),
                    cell("Component ID"),
                    cell("Component kind"),
                    cell("Actor ID"),
                    cell("Scenario"),
                    cell("STRIDE"),
                    cell("Severity"),
                    cell("Severity source"),
                    cell("Mitigation"),
                    cell("Remediation"),
                    cell("Status"),
                    (cell("Out of scope") == "yes").to_string(),
                ],
            );
        }
        assert_eq!(got, expected(model), "{stem}");
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| tmd::emit::table::natural_cmp(&a.1, &b.1))
        });
        assert_eq!(order, sorted, "{stem}: sorted by severity, then ID");
    }
}

#[test]
fn json_reads_back_as_the_model() {
    for (stem, text) in samples_and_0_2() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let value: Value = serde_json::from_str(&table::json(model, analysis)).unwrap();
        assert_eq!(value["schema_version"], 2);
        assert_eq!(value["title"].as_str(), model.meta.title.as_deref());
        let threats = value["threats"].as_array().unwrap();
        let s = |v: &Value| v.as_str().unwrap_or("").to_string();
        let joined = |t: &Value, key: &str| {
            let parts: Vec<String> = t["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| s(&x[key]))
                .collect();
            parts.join("; ")
        };
        let got: BTreeMap<String, Vec<String>> = threats
            .iter()
            .map(|t| {
                // `target` is the first of `targets`.
                assert_eq!(t["target"], t["targets"][0]["id"], "{stem}");
                (
                    s(&t["id"]),
                    vec![
                        s(&t["title"]),
                        joined(t, "id"),
                        joined(t, "kind"),
                        s(&t["actor"]),
                        s(&t["scenario"]),
                        s(&t["stride"]),
                        s(&t["severity"]),
                        s(&t["severity_source"]),
                        s(&t["mitigation"]),
                        s(&t["remediation"]),
                        s(&t["status"]),
                        t["out_of_scope"].as_bool().unwrap().to_string(),
                    ],
                )
            })
            .collect();
        assert_eq!(got, expected(model), "{stem}");
        // The summary adds up, and keeps out-of-scope threats out of the open count.
        let summary = &value["summary"];
        assert_eq!(
            summary["total"]["total"].as_u64().unwrap() as usize,
            model.threats.len()
        );
        let open_in_scope = threats
            .iter()
            .filter(|t| t["status"] == "open" && t["out_of_scope"] == false)
            .count();
        assert_eq!(
            summary["total"]["open"].as_u64().unwrap() as usize,
            open_in_scope,
            "{stem}"
        );
        for sev in [Severity::High, Severity::Medium, Severity::Low] {
            let n = threats
                .iter()
                .filter(|t| t["severity"] == sev.as_str())
                .count();
            assert_eq!(summary[sev.as_str()]["total"].as_u64().unwrap() as usize, n);
        }
    }
}

const HOSTILE: &str = r#"title "<script>alert('t')</script> | `x` & \"q\""
scope "line one\nline two | =cmd"
external e "=HYPERLINK(\"http://evil\")" { description: "<img src=x onerror=alert(1)>" }
process p "<b>bold</b> [link](javascript:alert(2)) *em* _u_ \u{202E}evil"
flow e -> p "-2+3 | pipe" { protocol: "@SUM(A1)" }
flow p -> e
threat T1 "<svg onload=alert(3)>" on p {
  actor: apt
  scenario: "+1 line\nbreak | `code` </td></tr><script>alert(4)</script>"
  stride: S
  severity: high
  mitigation: "\tTab first"
  x_ticket: "@x"
}
threat T2 on e { actor: apt, scenario: "-minus", stride: R, severity: low }
"#;

#[test]
fn hostile_strings_are_escaped_in_every_format() {
    let c = tmd::compile(HOSTILE);
    let (model, analysis) = c.valid().unwrap_or_else(|| panic!("{:?}", c.diagnostics));

    for page in [
        html::html(model, analysis, None),
        html::table(model, analysis),
    ] {
        // The only tags are ours: no user-made script, img, svg, b.
        assert_eq!(page.matches("<script").count(), 1, "one script, ours");
        for bad in ["<img", "<svg", "<b>bold", "</td></tr><script", "\u{202E}"] {
            assert!(!page.contains(bad), "{bad} in HTML");
        }
        assert!(page.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));
        assert!(page.contains("&lt;U+202E&gt;evil"));
        assert!(
            page.contains("&lt;img src=x onerror=alert(1)&gt;") || !page.contains("Description")
        );
        // Every link stays in the page.
        for (i, _) in page.match_indices("href=\"") {
            assert!(
                page[i + 6..].starts_with('#'),
                "external link: {}",
                &page[i..i + 40]
            );
        }
    }

    for md in [
        markdown::table(model, analysis),
        markdown::report(model, analysis, None),
    ] {
        assert!(
            !md.contains("<script") && !md.contains("<img") && !md.contains("<b>"),
            "{md}"
        );
        assert!(!md.contains("\u{202E}"));
        assert!(md.contains("\\[link\\](javascript:alert(2))"));
        assert!(md.contains("line<br>break \\| \\`code\\`"));
        // Every table row has as many cells as its header.
        for line in md.lines().filter(|l| l.starts_with("| ")) {
            let cells = line.replace("\\|", "").matches('|').count();
            assert!(cells >= 3, "{line}");
        }
        let header = md.lines().find(|l| l.starts_with("| ID | Title")).unwrap();
        let columns = header.matches('|').count();
        assert_eq!(columns, 13, "11 columns and the x_ keys: {header}");
        let table_rows: Vec<&str> = md
            .lines()
            .filter(|l| l.contains("| State-sponsored adversary (APT) |"))
            .collect();
        assert_eq!(table_rows.len(), 2);
        for row in table_rows {
            assert_eq!(
                row.replace("\\|", "").matches('|').count(),
                columns,
                "{row}"
            );
        }
    }

    let text = csv::table(model, analysis, false);
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for record in reader.records() {
        let record = record.unwrap();
        for (h, cell) in headers.iter().zip(record.iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {h} would run in a spreadsheet: {cell:?}"
            );
        }
    }
    assert!(text.contains("'@x"));
    assert!(text.contains("'\tTab first"));
    assert!(text.contains("\"'+1 line\nbreak"));

    let value: Value = serde_json::from_str(&table::json(model, analysis)).unwrap();
    assert_eq!(value["threats"][0]["title"], "<svg onload=alert(3)>");
    assert!(value["title"].as_str().unwrap().contains("<script>"));
}

#[test]
fn outputs_are_deterministic() {
    for (_, text) in common::samples() {
        let a = tmd::compile(&text);
        let b = tmd::compile(&text);
        let (ma, aa) = a.valid().unwrap();
        let (mb, ab) = b.valid().unwrap();
        assert_eq!(html::html(ma, aa, None), html::html(mb, ab, None));
        assert_eq!(
            markdown::report(ma, aa, None),
            markdown::report(mb, ab, None)
        );
        assert_eq!(csv::table(ma, aa, true), csv::table(mb, ab, true));
        assert_eq!(table::json(ma, aa), table::json(mb, ab));
    }
}

#[test]
fn an_empty_model_still_makes_every_output() {
    let c = tmd::compile("");
    let (model, analysis) = c.valid().unwrap();
    assert_eq!(markdown::table(model, analysis), "*No threats recorded.*\n");
    assert!(
        markdown::report(model, analysis, None).starts_with("# Threat assessment: Threat model\n")
    );
    assert!(html::html(model, analysis, None).contains("No threats recorded."));
    assert!(html::table(model, analysis).contains("No threats recorded."));
    assert_eq!(csv::table(model, analysis, false).lines().count(), 1);
    let value: Value = serde_json::from_str(&table::json(model, analysis)).unwrap();
    assert_eq!(value["threats"].as_array().unwrap().len(), 0);
    assert_eq!(value["title"], Value::Null);
}

/// Every `id="..."` value in an HTML page.
fn ids(page: &str) -> Vec<String> {
    page.match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn html_ids_are_unique_and_every_in_page_link_lands() {
    for (stem, text) in common::samples() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let svg = common::grid_svg(model);
        for page in [
            html::html(model, analysis, Some(&svg)),
            html::html(model, analysis, None),
            html::table(model, analysis),
        ] {
            let all = ids(&page);
            let unique: std::collections::BTreeSet<&String> = all.iter().collect();
            assert_eq!(all.len(), unique.len(), "{stem}: duplicate ids");
            // Diagram ids are all prefixed.
            if let Some(start) = page.find("<svg") {
                let end = page.find("</svg>").unwrap();
                for id in ids(&page[start..end]) {
                    assert!(id.starts_with("d1-"), "{stem}: diagram id {id}");
                }
            }
            for (i, _) in page.match_indices("href=\"#") {
                let rest = &page[i + 7..];
                let target = &rest[..rest.find('"').unwrap()];
                assert!(
                    unique.contains(&target.to_string()),
                    "{stem}: link to #{target} lands nowhere"
                );
            }
        }
        let md = markdown::report(model, analysis, None);
        let anchors: std::collections::BTreeSet<String> = md
            .match_indices("<a id=\"")
            .map(|(i, m)| {
                let rest = &md[i + m.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect();
        for (i, _) in md.match_indices("](#") {
            let rest = &md[i + 3..];
            let target = &rest[..rest.find(')').unwrap()];
            let heading = [
                "summary",
                "severity-matrix",
                "diagram",
                "boundary-crossings",
                "reversed-initiator-flows",
                "threats",
                "elements",
                "trust-boundaries",
                "flows-with-threats",
            ]
            .contains(&target);
            assert!(
                heading || anchors.contains(target),
                "{stem}: md link to #{target} lands nowhere"
            );
        }
    }
}

#[test]
fn every_valid_fixture_makes_every_output() {
    let mut seen = 0;
    for dir in ["tests/fixtures/valid", "tests/fixtures/diagnostics"] {
        let mut paths: Vec<_> = std::fs::read_dir(common::root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let c = tmd::compile(&text);
            let Some((model, analysis)) = c.valid() else {
                continue;
            };
            seen += 1;
            let svg = common::grid_svg(model);
            let page = html::html(model, analysis, Some(&svg));
            assert!(page.ends_with("</html>\n"), "{}", path.display());
            assert!(html::table(model, analysis).ends_with("</html>\n"));
            let _ = markdown::report(model, analysis, Some("d.svg"));
            let _ = markdown::table(model, analysis);
            let rows = ::csv::Reader::from_reader(csv::table(model, analysis, false).as_bytes())
                .records()
                .count();
            assert_eq!(rows, model.threats.len(), "{}", path.display());
            let value: Value = serde_json::from_str(&table::json(model, analysis)).unwrap();
            assert_eq!(
                value["threats"].as_array().unwrap().len(),
                model.threats.len()
            );
        }
    }
    assert!(seen >= 5, "only {seen} valid fixtures");
}
