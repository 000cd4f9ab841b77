//! The threat table and the assessment report: golden snapshots of every
//! format for every sample, CSV and JSON read back and compared with the
//! model, escaping of hostile strings in every format, determinism.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use tmd::emit::findings::Findings;
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
            &markdown::report(model, analysis, &Findings::of(&c), None),
        );
        snapshot(
            &format!("{stem}.report.html"),
            &html::html(model, analysis, &Findings::of(&c), None),
        );
    }
}

#[test]
fn golden_report_with_a_diagram() {
    let text = std::fs::read_to_string(common::root().join("samples/acme-ecommerce.tmd")).unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let svg = common::grid_svg(model);
    let page = html::html(model, analysis, &Findings::of(&c), Some(&svg));
    // Only the diagram section: the rest is in the other snapshot.
    let start = page.find("<section id=\"diagram\">").unwrap();
    let end = start + page[start..].find("</section>").unwrap();
    snapshot("acme-ecommerce.report-diagram.html", &page[start..end]);
    assert!(page.contains("Show in diagram"));
    assert!(!page.contains("The diagram is not included"));
    let md = markdown::report(
        model,
        analysis,
        &Findings::of(&c),
        Some("out/acme diagram.svg"),
    );
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
            markdown::report(model, analysis, &Findings::of(&c), None),
            html::html(model, analysis, &Findings::of(&c), None),
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

/// The golden models of language 0.2 (`tests/fixtures/valid/`), each
/// through every output: every construct it adds, data assets, every
/// status with its tracking facts and controls, a model rated on a risk
/// scale of its own, and assumptions, responses and boundary kinds.
const GOLDEN_0_2: [&str; 5] = ["language-0.2", "assets", "status", "scales", "assumptions"];

/// The samples and the golden models of language 0.2.
fn samples_and_0_2() -> Vec<(String, String)> {
    let mut out = common::samples();
    for stem in GOLDEN_0_2 {
        let path = common::root().join(format!("tests/fixtures/valid/{stem}.tmd"));
        out.push((stem.to_string(), std::fs::read_to_string(path).unwrap()));
    }
    out
}

/// The tracking facts and controls read back from the CSV and JSON tables
/// and the export, as the model has them.
#[test]
fn tracking_facts_and_controls_read_back() {
    let path = common::root().join("tests/fixtures/valid/status.tmd");
    let text = std::fs::read_to_string(path).unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let facts = |t: &tmd::model::Threat| {
        let k = &t.tracking;
        vec![
            k.justification.clone().unwrap_or_default(),
            k.owner.clone().unwrap_or_default(),
            k.ticket.clone().unwrap_or_default(),
            k.reviewed_by.clone().unwrap_or_default(),
            k.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
            k.expires.map(|d| d.to_string()).unwrap_or_default(),
            t.controls
                .iter()
                .map(|&x| model[x].name.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ]
    };
    let expected: BTreeMap<String, Vec<String>> = model
        .threats
        .iter()
        .map(|t| (t.name.clone(), facts(t)))
        .collect();
    assert!(expected
        .values()
        .any(|f| f.iter().all(|x| !x.is_empty()) || !f[6].is_empty()));

    // CSV: a column for each fact some threat has.
    let text = csv::table(model, analysis, false);
    let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut got = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let cell = |name: &str| col(name).map_or(String::new(), |i| record[i].to_string());
        let controls: Vec<String> = cell("Controls")
            .split("; ")
            .filter(|x| !x.is_empty())
            .map(|x| {
                x.rsplit_once(" (")
                    .unwrap()
                    .1
                    .split(',')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        got.insert(
            cell("ID"),
            vec![
                cell("Justification"),
                cell("Owner"),
                cell("Ticket"),
                cell("Reviewed by"),
                cell("Reviewed on"),
                cell("Expires"),
                controls.join(" "),
            ],
        );
    }
    assert_eq!(got, expected, "CSV");

    // JSON table and export.
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let from_json = |t: &Value, control_id: &dyn Fn(&Value) -> String| {
        vec![
            s(&t["justification"]),
            s(&t["owner"]),
            s(&t["ticket"]),
            s(&t["reviewed_by"]),
            s(&t["reviewed_on"]),
            s(&t["expires"]),
            t["controls"]
                .as_array()
                .unwrap()
                .iter()
                .map(control_id)
                .collect::<Vec<_>>()
                .join(" "),
        ]
    };
    let value: Value = serde_json::from_str(&table::json(model, analysis)).unwrap();
    let got: BTreeMap<String, Vec<String>> = value["threats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (s(&t["id"]), from_json(t, &|c| s(&c["id"]))))
        .collect();
    assert_eq!(got, expected, "table JSON");
    let export: Value = serde_json::from_str(&tmd::emit::export::export(model, analysis)).unwrap();
    let got: BTreeMap<String, Vec<String>> = export["threats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (s(&t["id"]), from_json(t, &s)))
        .collect();
    assert_eq!(got, expected, "export");
    // The export's controls list which threats name each.
    for control in export["controls"].as_array().unwrap() {
        let id = s(&control["id"]);
        let users: Vec<String> = control["threats"]
            .as_array()
            .unwrap()
            .iter()
            .map(s)
            .collect();
        let named_by: Vec<String> = model
            .threats
            .iter()
            .filter(|t| t.controls.iter().any(|&x| model[x].name == id))
            .map(|t| t.name.clone())
            .collect();
        assert_eq!(users, named_by, "{id}");
    }
}

/// The golden models of language 0.2, each through every output.
#[test]
fn golden_language_0_2() {
    for stem in GOLDEN_0_2 {
        golden_0_2(stem);
    }
}

fn golden_0_2(stem: &str) {
    let path = common::root().join(format!("tests/fixtures/valid/{stem}.tmd"));
    let text = std::fs::read_to_string(path).unwrap();
    let c = common::compile(&text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let (model, analysis) = c.valid().unwrap();
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
        &markdown::report(model, analysis, &Findings::of(&c), None),
    );
    let svg = common::grid_svg(model);
    snapshot(
        &format!("{stem}.report.html"),
        &html::html(model, analysis, &Findings::of(&c), Some(&svg)),
    );
    // The pictures: the built-in renderer's SVG and the DOT.
    let options = tmd::emit::svg::SvgOptions::default();
    snapshot(
        &format!("{stem}.svg"),
        &tmd::emit::svg::svg(model, analysis, &options).svg,
    );
    snapshot(
        &format!("{stem}.dot"),
        &tmd::emit::dot::dot(model, analysis),
    );
}

/// Threat rows in the model's terms, for comparing with what a format
/// gives back: id -> (title, target, kind, actor, scenario, stride,
/// severity in the scale's words, source, mitigation, remediation,
/// status, out of scope).
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
                    model.scale.word(t.grade).to_string(),
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

/// Highest first, in the order of the model's scale.
fn severity_rank(model: &Model, word: &str) -> std::cmp::Reverse<usize> {
    std::cmp::Reverse(model.scale.grade_of(word).unwrap().index())
}

/// The CSV's fixed columns for a model: the primer's `Ease` and `Impact`
/// named after the scale's axes, and `Band` after `Severity` when the
/// scale's words are not the bands.
fn csv_columns(model: &Model) -> Vec<String> {
    let cap = |w: &str| w[..1].to_uppercase() + &w[1..];
    let mut out = Vec::new();
    for c in csv::COLUMNS {
        match c {
            "Ease" => out.push(cap(&model.scale.columns.name)),
            "Impact" => out.push(cap(&model.scale.rows.name)),
            "Severity" if !model.scale.words_are_bands() => {
                out.push(c.to_string());
                out.push("Band".to_string());
            }
            other => out.push(other.to_string()),
        }
    }
    out
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
        let columns = csv_columns(model);
        assert_eq!(&headers[..columns.len()], &columns[..], "{stem}");
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let mut got = BTreeMap::new();
        let mut order = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), headers.len(), "{stem}: ragged row");
            let cell = |name: &str| csv::unneutralise(&record[col(name)]).to_string();
            order.push((severity_rank(model, &cell("Severity")), cell("ID")));
            // Every x_ key of the threat is in its column.
            let threat = model.threats.iter().find(|t| t.name == cell("ID")).unwrap();
            if headers.iter().any(|h| h == "Band") {
                assert_eq!(cell("Band"), threat.severity.as_str(), "{stem}");
            }
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
                // `target` is the first of `targets`; `severity` is the
                // band of the scale's word.
                assert_eq!(t["target"], t["targets"][0]["id"], "{stem}");
                let grade = model.scale.grade_of(&s(&t["scale_severity"])).unwrap();
                assert_eq!(
                    s(&t["severity"]),
                    model.scale.band(grade).as_str(),
                    "{stem}"
                );
                (
                    s(&t["id"]),
                    vec![
                        s(&t["title"]),
                        joined(t, "id"),
                        joined(t, "kind"),
                        s(&t["actor"]),
                        s(&t["scenario"]),
                        s(&t["stride"]),
                        s(&t["scale_severity"]),
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
            .filter(|t| {
                // The open statuses (language 0.2 adds two).
                ["open", "investigating", "in-progress"].contains(&t["status"].as_str().unwrap())
                    && t["out_of_scope"] == false
            })
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
        html::html(model, analysis, &Findings::of(&c), None),
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
        markdown::report(model, analysis, &Findings::of(&c), None),
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
        assert_eq!(
            html::html(ma, aa, &Findings::of(&a), None),
            html::html(mb, ab, &Findings::of(&b), None)
        );
        assert_eq!(
            markdown::report(ma, aa, &Findings::of(&a), None),
            markdown::report(mb, ab, &Findings::of(&b), None)
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
    assert!(markdown::report(model, analysis, &Findings::of(&c), None)
        .starts_with("# Threat assessment: Threat model\n"));
    assert!(html::html(model, analysis, &Findings::of(&c), None).contains("No threats recorded."));
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
    for (stem, text) in samples_and_0_2() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        let svg = common::grid_svg(model);
        for page in [
            html::html(model, analysis, &Findings::of(&c), Some(&svg)),
            html::html(model, analysis, &Findings::of(&c), None),
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
        let md = markdown::report(model, analysis, &Findings::of(&c), None);
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
            // A `## Heading` is `#heading` (GitHub's slug: lower case,
            // spaces as `-`, other punctuation dropped).
            let heading = md.lines().filter_map(|l| l.strip_prefix("## ")).any(|h| {
                let slug: String = h
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect();
                slug == target
            });
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
            let page = html::html(model, analysis, &Findings::of(&c), Some(&svg));
            assert!(page.ends_with("</html>\n"), "{}", path.display());
            assert!(html::table(model, analysis).ends_with("</html>\n"));
            let _ = markdown::report(model, analysis, &Findings::of(&c), Some("d.svg"));
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

/// A model with every case of the crossings table and a few warnings:
/// a crossing with a threat on it, one covered by a threat on an endpoint,
/// one nobody analysed (TMD106), one whose TMD106 is silenced, and an open
/// high threat without mitigation (TMD107).
const FINDINGS: &str = r#"title "Shop"
boundary aws "AWS" {
  process api "API"
  store queue "Queue"
}
boundary warehouse "Warehouse" {
  process wms "WMS"
}
external courier "Courier"
external monitor "Monitor"
flow pull: queue -> wms "Order" { initiator: wms }
flow api -> queue "Enqueue"
flow wms -> courier "Label"
# A health check that carries no data.
# tmd: allow TMD106
flow monitor -> api "Ping"
flow api -> monitor "Pong"
threat T3 "Order tampering" on pull {
  actor: external_attacker
  scenario: "x"
  stride: T
  severity: high
  mitigation: "Sign orders"
}
threat T5 "Label forgery" on courier {
  actor: external_attacker
  scenario: "y"
  stride: S
  severity: high
}
"#;

/// The text of a Markdown section, from its heading to the next `## `.
fn md_section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no {heading}: {md}"));
    let rest = &md[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

fn html_section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let end = start + page[start..].find("</section>").unwrap();
    &page[start..end]
}

#[test]
fn reports_list_the_warnings() {
    let c = common::compile(FINDINGS);
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    let codes: Vec<&str> = findings.warnings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["TMD106", "TMD107"], "{:?}", c.diagnostics);

    let md = markdown::report(model, analysis, &findings, None);
    let section = md_section(&md, "Findings");
    assert!(section.contains("2 warnings"), "{section}");
    assert!(
        section.contains("| TMD106 | line 17:6 | flow `api->monitor` crosses out of `aws` with no threat on it or its endpoints |"),
        "{section}"
    );
    assert!(
        section
            .contains("| TMD107 | line 25:8 | open high-severity threat `T5` has no mitigation |"),
        "{section}"
    );
    // The silenced warning is counted, not listed.
    assert!(!section.contains("`monitor->api`"), "{section}");
    assert!(
        section.contains("1 warning is silenced in the model with `# tmd: allow`"),
        "{section}"
    );
    assert!(section.contains("TMD106 × 1"), "{section}");
    // Before the matrix, linked from the contents.
    assert!(md.find("## Findings").unwrap() < md.find("## Severity matrix").unwrap());
    assert!(md.contains("[Findings](#findings)"));

    let page = html::html(model, analysis, &findings, None);
    let section = html_section(&page, "findings");
    assert!(
        section.contains("<h2>Findings<span class=\"count\">2</span></h2>"),
        "{section}"
    );
    assert!(
        section.contains("<td class=\"where\">line 17:6</td><td>flow <code>api-&gt;<wbr>monitor</code> crosses out of <code>aws</code> with no threat on it or its endpoints</td>"),
        "{section}"
    );
    assert!(
        section.contains("<code title=\"Open high threat without mitigation\">TMD107</code>"),
        "{section}"
    );
    assert!(!section.contains("monitor-&gt;"), "{section}");
    assert!(section.contains("1 warning is silenced"), "{section}");
    assert!(page.contains("<a href=\"#findings\">Findings <span class=\"count\">2</span></a>"));

    // A clean model says so.
    let c = common::compile("external a\nexternal b\nflow a -> b\n");
    let (model, analysis) = c.valid().unwrap();
    let md = markdown::report(model, analysis, &Findings::of(&c), None);
    assert!(md_section(&md, "Findings").contains("No warnings"), "{md}");
}

#[test]
fn crossings_say_who_analysed_them() {
    let c = common::compile(FINDINGS);
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    let md = markdown::report(model, analysis, &findings, None);
    let section = md_section(&md, "Boundary crossings");
    let row = |flow: &str| {
        section
            .lines()
            .find(|l| l.contains(&format!("(`{flow}`)")))
            .unwrap_or_else(|| panic!("no row for {flow}: {section}"))
            .to_string()
    };
    assert!(
        row("pull").ends_with("| threat on the flow: [T3](#th-T3) |"),
        "{}",
        row("pull")
    );
    assert!(
        row("wms->courier").ends_with(
            "| covered by a threat on endpoint [`courier`](#el-courier) ([T5](#th-T5)) |"
        ),
        "{}",
        row("wms->courier")
    );
    assert!(
        row("api->monitor").ends_with("| **not analysed** (TMD106) |"),
        "{}",
        row("api->monitor")
    );
    assert!(
        row("monitor->api").ends_with("| **not analysed** (TMD106, silenced in the model) |"),
        "{}",
        row("monitor->api")
    );
    assert!(section.contains("| Analysed by |"), "{section}");

    let page = html::html(model, analysis, &findings, None);
    let section = html_section(&page, "boundary-crossings");
    assert!(section.contains("<th>Analysed by</th>"));
    assert!(
        section.contains("threat on the flow: <a href=\"#th-T3\">T3</a>"),
        "{section}"
    );
    assert!(
        section.contains("<span class=\"covered-by\">covered by a threat on endpoint</span> <a href=\"#el-courier\"><code>courier</code></a> (<a href=\"#th-T5\">T5</a>)"),
        "{section}"
    );
    assert!(
        section.contains(
            "<span class=\"not-analysed\">not analysed</span> (<code>TMD106</code>)</td>"
        ),
        "{section}"
    );
    assert!(
        section.contains("<span class=\"not-analysed\">not analysed</span> (<code>TMD106</code>, silenced in the model)"),
        "{section}"
    );
}

#[test]
fn many_warnings_are_grouped_by_code() {
    let mut model = String::from("process p\nexternal q\nflow q -> p\nflow p -> q\n");
    for i in 0..11 {
        model.push_str(&format!("external lonely{i} \"Lonely {i}\"\n"));
    }
    model.push_str("boundary empty_one {\n}\n");
    let c = common::compile(&model);
    let (m, a) = c.valid().unwrap();
    let findings = Findings::of(&c);
    assert_eq!(findings.warnings.len(), 12);
    let md = markdown::report(m, a, &findings, None);
    let section = md_section(&md, "Findings");
    assert!(
        section.contains("### TMD103: Element with no flows (11)"),
        "{section}"
    );
    assert!(
        section.contains("### TMD109: Empty boundary (1)"),
        "{section}"
    );
    assert!(
        section.contains("| line 5:10 | `lonely0` has no flows |"),
        "{section}"
    );
    let page = html::html(m, a, &findings, None);
    let section = html_section(&page, "findings");
    assert!(
        section.contains(
            "<h3><code>TMD103</code> Element with no flows <span class=\"count\">11</span></h3>"
        ),
        "{section}"
    );
}

#[test]
fn warning_messages_are_escaped() {
    // A suppression's code is the user's text, and TMD112 repeats it.
    let c = common::compile("process p # tmd: allow <script>|*x*`y\n");
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    assert!(
        findings.warnings.iter().any(|f| f.code == "TMD112"),
        "{findings:?}"
    );
    let md = markdown::report(model, analysis, &findings, None);
    let section = md_section(&md, "Findings");
    assert!(
        !section.contains("<script") && !section.contains("<SCRIPT"),
        "{section}"
    );
    let row = section.lines().find(|l| l.contains("TMD112")).unwrap();
    assert_eq!(row.replace("\\|", "").matches('|').count(), 4, "{row}");
    assert!(row.contains("&lt;SCRIPT&gt;\\|\\*X\\*"), "{row}");
    let page = html::html(model, analysis, &findings, None);
    let section = html_section(&page, "findings");
    assert!(!section.contains("<SCRIPT"), "{section}");
    assert!(section.contains("&lt;SCRIPT&gt;<wbr>|*X*"), "{section}");
}

/// The STRIDE-gap sentence ("11 of 11 elements have STRIDE letters not
/// analysed") was true of every model; the summary now gives figures that
/// move as threats are written.
#[test]
fn summary_gives_the_coverage_per_letter() {
    let text = std::fs::read_to_string(common::root().join("samples/acme-ecommerce.tmd")).unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    let page = html::html(model, analysis, &findings, None);
    assert!(!page.contains("STRIDE letters not analysed"));
    let summary = html_section(&page, "summary");
    assert!(
        summary.contains("<strong>4 of 6</strong> elements in scope have no threat at all: <a href=\"#el-customer\">Customer</a>"),
        "{summary}"
    );
    assert!(
        summary.contains("<td class=\"num cov-none\">0 of 4</td><td class=\"num cov-none\">0 of 4</td><td class=\"num cov-none\">0 of 6</td><td class=\"num cov-none\">0 of 4</td><td class=\"num\">2 of 4</td><td class=\"num\">1 of 2</td>"),
        "{summary}"
    );
    let md = markdown::report(model, analysis, &findings, None);
    let summary = md_section(&md, "Summary");
    assert!(
        summary.contains("4 of 6 elements have no threat at all: [Customer](#el-customer), [Fulfillment queue](#el-fulfillment_queue)"),
        "{summary}"
    );
    assert!(
        summary.contains("| 0 of 4 | 0 of 4 | 0 of 6 | 0 of 4 | 2 of 4 | 1 of 2 |"),
        "{summary}"
    );
}

/// Both reports list the assumptions, unverified first (then wrong, then
/// verified), with their owner and what rests on them; a model without
/// assumptions has no such section.
#[test]
fn reports_list_assumptions_unverified_first() {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/valid/assumptions.tmd"))
        .unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let md = markdown::report(model, analysis, &Findings::of(&c), None);
    let section = md_section(&md, "Assumptions");
    let order: Vec<usize> = ["`A2`", "`orders_encrypted`", "`A3`", "`A1`"]
        .iter()
        .map(|id| {
            section
                .find(id)
                .unwrap_or_else(|| panic!("{id}: {section}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    assert!(
        section.contains(
            "| <a id=\"as-A2\"></a>`A2` | Only the warehouse network reaches the database<br>*Security groups say so; nobody has tested it from the floor* | **unverified** | Platform team | threat [T3](#th-T3), flow [Picking list](#fl-pull) (`pull`), boundary [Warehouse floor](#bd-plant) |"
        ),
        "{section}"
    );
    assert!(
        section.contains("| **wrong** | IT | nothing |"),
        "{section}"
    );
    assert!(md.contains("[Assumptions](#assumptions)"), "{md}");
    // Each section says what it rests on.
    let boundaries = md_section(&md, "Trust boundaries");
    assert!(
        boundaries.contains("**Rests on:** [A2](#as-A2) (unverified)."),
        "{boundaries}"
    );

    let page = html::html(model, analysis, &Findings::of(&c), None);
    let section = html_section(&page, "assumptions");
    let order: Vec<usize> = ["as-A2", "as-orders_encrypted", "as-A3", "as-A1"]
        .iter()
        .map(|id| {
            section
                .find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id}: {section}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    assert!(section.contains("<td>Platform team</td>"), "{section}");
    assert!(
        section.contains("threat <a href=\"#th-T3\">T3</a>"),
        "{section}"
    );
    assert!(
        page.contains("<a href=\"#assumptions\">Assumptions <span class=\"count\">4</span></a>")
    );

    // No assumptions, no section and no link.
    let c = common::compile("external a\nexternal b\nflow a -> b\n");
    let (model, analysis) = c.valid().unwrap();
    let md = markdown::report(model, analysis, &Findings::of(&c), None);
    assert!(!md.contains("Assumptions"), "{md}");
    let page = html::html(model, analysis, &Findings::of(&c), None);
    assert!(!page.contains("assumptions"), "{page}");
}

/// A boundary's kind and description are in both reports; a response
/// says what it answers and is not listed as reversed-initiator.
#[test]
fn reports_show_boundary_kinds_and_responses() {
    let text = std::fs::read_to_string(common::root().join("tests/fixtures/valid/assumptions.tmd"))
        .unwrap();
    let c = common::compile(&text);
    let (model, analysis) = c.valid().unwrap();
    let md = markdown::report(model, analysis, &Findings::of(&c), None);
    let boundaries = md_section(&md, "Trust boundaries");
    assert!(
        boundaries.contains("- kind: cloud account\n- description: Production account; console access for the platform team only\n"),
        "{boundaries}"
    );
    assert!(boundaries.contains("- kind: OT network\n"), "{boundaries}");
    let reversed = md_section(&md, "Reversed-initiator flows");
    assert!(reversed.contains("(`pull`)"), "{reversed}");
    assert!(!reversed.contains("api->customer"), "{reversed}");
    let elements = md_section(&md, "Elements");
    assert!(
        elements.contains(": Order confirmation (`api->customer`) · response to [Place order](#fl-order) (`order`)"),
        "{elements}"
    );

    let page = html::html(model, analysis, &Findings::of(&c), None);
    let boundaries = html_section(&page, "trust-boundaries");
    assert!(
        boundaries.contains("<dt>Kind</dt><dd>cloud account</dd>"),
        "{boundaries}"
    );
    assert!(
        boundaries.contains("<dt>Description</dt><dd>Production account; console access for the platform team only</dd>"),
        "{boundaries}"
    );
    let reversed = html_section(&page, "reversed-initiator-flows");
    assert!(!reversed.contains("api-&gt;"), "{reversed}");
    let elements = html_section(&page, "elements");
    assert!(
        elements.contains("response to <a href=\"#fl-order\">Place order</a>"),
        "{elements}"
    );
}

/// The data section (language 0.2): only for a model with assets; assets
/// and crossings most sensitive first; every user string escaped; every
/// link lands.
#[test]
fn the_data_section_lists_assets_and_crossings_most_sensitive_first() {
    let text = r#"title "Shop"
classification [open, "<b>x</b>"]
"#;
    // A level is a word: a string is refused, so hostile text can only be
    // in labels and descriptions.
    assert!(tmd::compile(text).has_errors());
    let text = r#"asset menu "<script>alert(1)</script>" { classification: public }
asset card "Card | *data*" { classification: restricted, description: "line one\nline two <img src=x>" }
asset pii "Profile" { classification: confidential, confidentiality: high }
external c "Customer"
boundary b "Shop [zone]" {
  process p "API"
}
flow c -> p "Pay" { protocol: "HTTP", assets: [menu, pii] }  # tmd: allow TMD115
flow p -> c "Card back" { encrypted: true, assets: [card] }
threat T on p { scenario: "x", stride: S, severity: low }
"#;
    let c = common::compile(text);
    let (model, analysis) = c.valid().unwrap_or_else(|| panic!("{:?}", c.diagnostics));
    let findings = Findings::of(&c);
    let md = markdown::report(model, analysis, &findings, None);
    let section = md_section(&md, "Data");
    assert!(md.contains("[Boundary crossings](#boundary-crossings) · [Data](#data) ·"));
    assert!(
        !section.contains("<script") && !section.contains("<img"),
        "{section}"
    );
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| <a id="))
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0].starts_with("| <a id=\"as-card\"></a>**Card \\| \\*data\\***"),
        "{}",
        rows[0]
    );
    assert!(rows[0].contains("line one<br>line two &lt;img src=x&gt;"));
    assert!(rows[1].contains("(`pii`)") && rows[2].contains("(`menu`)"));
    // The flow with the most sensitive data first; its unencrypted
    // sensitive data in bold.
    let flows: Vec<&str> = section
        .lines()
        .filter(|l| l.contains("| [Customer](#el-c) |") || l.contains("| [API](#el-p) |"))
        .collect();
    assert_eq!(flows.len(), 2, "{section}");
    assert!(
        flows[0].starts_with("| **[Card \\| \\*data\\*](#as-card)** (restricted) | Card back"),
        "{}",
        flows[0]
    );
    assert!(flows[0].ends_with("| yes |"));
    assert!(
        flows[1].ends_with("| **no (by its protocol)** |"),
        "{}",
        flows[1]
    );
    assert!(
        section.contains("| [Shop \\[zone\\]](#bd-b) (`b`) | **[Card"),
        "{section}"
    );
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 3 || cells == 7 || cells == 9, "{line}");
    }

    let page = html::html(model, analysis, &findings, None);
    let section = html_section(&page, "data");
    assert!(
        !section.contains("<script") && !section.contains("<img"),
        "{section}"
    );
    assert!(section.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(section.contains("<tr id=\"as-card\">"));
    assert!(section.contains("<span class=\"unprotected\">no (by its protocol)</span>"));
    assert!(page.contains("<a href=\"#data\">Data <span class=\"count\">3</span></a>"));
    let all = ids(&page);
    let unique: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len(), unique.len(), "duplicate ids");
    for (i, _) in page.match_indices("href=\"#") {
        let rest = &page[i + 7..];
        let target = &rest[..rest.find('"').unwrap()];
        assert!(
            unique.contains(&target.to_string()),
            "#{target} lands nowhere"
        );
    }
    let anchors: std::collections::BTreeSet<String> = md
        .match_indices("<a id=\"")
        .map(|(i, m)| {
            let rest = &md[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    for (i, _) in md.match_indices("](#as-") {
        let rest = &md[i + 3..];
        assert!(anchors.contains(&rest[..rest.find(')').unwrap()]));
    }

    // No assets, no section.
    for (stem, text) in common::samples() {
        let c = common::compile(&text);
        let (model, analysis) = c.valid().unwrap();
        if !model.assets.is_empty() {
            continue;
        }
        let md = markdown::report(model, analysis, &Findings::of(&c), None);
        assert!(!md.contains("## Data") && !md.contains("(#data)"), "{stem}");
        let page = html::html(model, analysis, &Findings::of(&c), None);
        assert!(
            !page.contains("id=\"data\"") && !page.contains("#data"),
            "{stem}"
        );
    }
}

/// The section of a report from its heading to the next one.
fn section_of(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &text[from..];
    let to = rest[start.len()..]
        .find(end)
        .map_or(rest.len(), |n| n + start.len());
    rest[..to].to_string()
}

const LIBRARY_MODEL: &str = r#"external user "User"
boundary dc "Data centre" {
  # tmd: dismiss tamper-input-not-validated: the framework | validates <all> *input*
  process api "API"
  store db "Database"
}
flow f1: user -> api "Request" { protocol: "HTTP" }
flow f2: api -> db "Write"

threat T1 "Sniffed requests" on f1 {
  scenario: "Someone reads the requests"
  stride: I
  severity: high
  rule: "disclose-unencrypted-crossing"
}

threat T2 "Forged requests" on f1 {
  scenario: "Someone alters the requests"
  stride: T
  severity: medium
}
"#;

#[test]
fn golden_threat_library_section() {
    let c = common::compile(LIBRARY_MODEL);
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    let md = markdown::report(model, analysis, &findings, None);
    let page = html::html(model, analysis, &findings, None);
    assert!(md.contains("[Threat library](#threat-library)"));
    assert!(page.contains("<a href=\"#threat-library\">Threat library"));
    let md = section_of(&md, "## Threat library", "\n## ");
    let page = section_of(&page, "<section id=\"threat-library\">", "</section>");
    for text in [&md, &page] {
        assert!(text.contains("T1") && text.contains("T2"), "{text}");
        assert!(!text.contains("<all>"), "{text}");
    }
    snapshot("library.report.md", &md);
    snapshot("library.report.html", &page);
    // A model that does not take part has no section.
    let c = common::compile("external user\nprocess api\nflow user -> api\n");
    let (model, analysis) = c.valid().unwrap();
    let findings = Findings::of(&c);
    assert!(!markdown::report(model, analysis, &findings, None).contains("Threat library"));
    assert!(!html::html(model, analysis, &findings, None).contains("threat-library"));
}
