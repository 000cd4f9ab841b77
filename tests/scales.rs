//! Risk scales (language 0.2, issue 17 item 3): the built-in OWASP and
//! Threagile scales, scales a model declares, the project's default, and
//! what every output shows of them. The band (`model::Severity`) is what
//! `--fail-on`, TMD107, badge colours and open counts read on any scale;
//! the scale's word is what a person reads.

use std::process::{Command, Output};

use tmd::emit::findings::Findings;
use tmd::emit::{csv, dot, export, html, markdown, table};
use tmd::model::{LowerOptions, Severity};
use tmd::{compile, compile_with, CompileOptions};

const FLOWS: &str = "external customer \"Customer\"\nprocess api \"API\"\nflow customer -> api \"Request\"\nflow api -> customer \"Response\"\n";

fn model(header: &str, threats: &str) -> String {
    format!("{header}\n{FLOWS}{threats}")
}

/// (word, band) of each threat, by ID.
fn severities(text: &str) -> Vec<(String, String, Severity)> {
    let c = compile(text);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let m = c.model.unwrap();
    m.threats
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                m.scale.word(t.grade).to_string(),
                t.severity,
            )
        })
        .collect()
}

fn codes(text: &str) -> Vec<&'static str> {
    compile(text).diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn owasp_rates_on_its_overall_risk_table() {
    let text = model(
        "risk owasp",
        "threat T1 on api { scenario: \"s\", likelihood: high, impact: high, mitigation: \"m\" }\n\
threat T2 on api { scenario: \"s\", likelihood: low, impact: low }\n\
threat T3 on api { scenario: \"s\", likelihood: high, impact: low }\n\
threat T4 on api { scenario: \"s\", severity: note }\n",
    );
    assert_eq!(
        severities(&text),
        vec![
            ("T1".into(), "critical".into(), Severity::High),
            ("T2".into(), "note".into(), Severity::Low),
            ("T3".into(), "medium".into(), Severity::Medium),
            ("T4".into(), "note".into(), Severity::Low),
        ]
    );
}

#[test]
fn threagile_rates_as_threagile_does() {
    let text = model(
        "risk threagile",
        "threat T1 on api { scenario: \"s\", likelihood: frequent, impact: very-high, mitigation: \"m\" }\n\
threat T2 on api { scenario: \"s\", likelihood: likely, impact: medium }\n\
threat T3 on api { scenario: \"s\", likelihood: unlikely, impact: low }\n\
threat T4 on api { scenario: \"s\", likelihood: very-likely, impact: high, mitigation: \"m\" }\n",
    );
    assert_eq!(
        severities(&text),
        vec![
            ("T1".into(), "critical".into(), Severity::High),
            ("T2".into(), "elevated".into(), Severity::Medium),
            ("T3".into(), "low".into(), Severity::Low),
            ("T4".into(), "high".into(), Severity::High),
        ]
    );
}

const CORP: &str = "risk corp\nscale corp \"Corporate\" {\n  rows: impact\n  columns: likelihood\n  impact: [minor, catastrophic]\n  likelihood: [unlikely, likely]\n  severities: [low, medium, high, critical]\n  bands: [low, medium, high, high]\n  minor: [low, medium]\n  catastrophic: [high, critical]\n}";

#[test]
fn unlikely_but_catastrophic_is_high_on_a_declared_scale() {
    let text = model(
        CORP,
        "threat T1 on api { scenario: \"s\", likelihood: unlikely, impact: catastrophic, mitigation: \"m\" }\n\
threat T2 on api { scenario: \"s\", likelihood: likely, impact: minor }\n",
    );
    assert_eq!(
        severities(&text),
        vec![
            ("T1".into(), "high".into(), Severity::High),
            ("T2".into(), "medium".into(), Severity::Medium),
        ]
    );
}

#[test]
fn the_project_default_applies_without_a_risk_header() {
    let threats =
        "threat T1 on api { scenario: \"s\", likelihood: high, impact: high, mitigation: \"m\" }\n";
    let owasp = CompileOptions {
        lower: LowerOptions {
            risk: Some("owasp".to_string()),
            ..LowerOptions::default()
        },
        ..CompileOptions::default()
    };
    let c = compile_with(&model("", threats), &owasp);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let m = c.model.unwrap();
    assert_eq!(m.scale.name, "owasp");
    assert_eq!(m.scale.word(m.threats[0].grade), "critical");
    // Without the default, `likelihood` is not a field of the primer's
    // scale: the hint names the scale that has it.
    let c = compile(&model("", threats));
    let d = c.diagnostics.iter().find(|d| d.code == "TMD108").unwrap();
    assert!(d.help.as_deref().unwrap().contains("`risk owasp`"), "{d:?}");
    // The model's own header wins over the default.
    let c = compile_with(
        &model(
            "risk primer",
            "threat T1 on api { scenario: \"s\", ease: easy, impact: problematic, mitigation: \"m\" }\n",
        ),
        &owasp,
    );
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(c.model.unwrap().scale.is_primer());
    // A default that names no scale is an error, not a silent primer.
    let unknown = CompileOptions {
        lower: LowerOptions {
            risk: Some("owsap".to_string()),
            ..LowerOptions::default()
        },
        ..CompileOptions::default()
    };
    let c = compile_with(&model("", threats), &unknown);
    let d = c.diagnostics.iter().find(|d| d.code == "TMD003").unwrap();
    assert!(d.message.contains("project's default"), "{d:?}");
    assert!(d.help.as_deref().unwrap().contains("`owasp`"), "{d:?}");
}

#[test]
fn tmd107_reads_the_band() {
    // `critical` and `high` are in the high band on OWASP's scale; an open
    // one without mitigation draws TMD107.
    let text = model(
        "risk owasp",
        "threat T1 on api { scenario: \"s\", likelihood: high, impact: high }\n\
threat T2 on api { scenario: \"s\", severity: medium }\n",
    );
    let c = compile(&text);
    let d: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "TMD107")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", c.diagnostics);
    assert!(d[0].label.contains("`critical` (band high)"), "{:?}", d[0]);
    // `elevated` is in the medium band on Threagile's: no TMD107.
    let text = model(
        "risk threagile",
        "threat T1 on api { scenario: \"s\", likelihood: likely, impact: medium }\n",
    );
    assert!(!codes(&text).contains(&"TMD107"));
}

#[test]
fn tmd101_checks_against_the_models_own_matrix() {
    let text = model(
        "risk owasp",
        "threat T1 on api { scenario: \"s\", likelihood: low, impact: high, severity: critical, mitigation: \"m\" }\n",
    );
    let c = compile(&text);
    let d = c.diagnostics.iter().find(|d| d.code == "TMD101").unwrap();
    assert_eq!(
        d.message,
        "severity `critical` of `T1` disagrees with the matrix: likelihood `low` and impact `high` give `medium`"
    );
    // The same words agree with a scale whose table says so.
    let text = model(
        CORP,
        "threat T1 on api { scenario: \"s\", likelihood: likely, impact: catastrophic, severity: critical, mitigation: \"m\" }\n",
    );
    assert!(codes(&text).is_empty(), "{:?}", codes(&text));
}

#[test]
fn a_failed_scale_leaves_the_threats_unread_without_more_errors() {
    // The scale has an error (a row too short): `risk` naming it, and the
    // threats' levels, draw nothing more.
    let broken = CORP.replace("minor: [low, medium]", "minor: [low]");
    let text = model(
        &broken,
        "threat T1 on api { scenario: \"s\", likelihood: unlikely, impact: catastrophic }\n",
    );
    assert_eq!(codes(&text), vec!["TMD004"]);
    // A missing scenario is still an error of its own.
    let text = model(&broken, "threat T1 on api { severity: critical }\n");
    assert_eq!(codes(&text), vec!["TMD004", "TMD007"]);
}

fn tmd(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tmd"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn fail_on_reads_the_band_and_names_the_word() {
    let dir = tempfile::tempdir().unwrap();
    let owasp = model(
        "risk owasp",
        "threat T1 \"Takeover\" on api { scenario: \"s\", likelihood: high, impact: high, mitigation: \"m\" }\n",
    );
    std::fs::write(dir.path().join("owasp.tmd"), owasp).unwrap();
    let o = tmd(
        &["build", "owasp.tmd", "-o", "out", "--fail-on", "high"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("T1 \"Takeover\" (critical, band high) on api"),
        "{err}"
    );
    // Elevated is in the medium band on Threagile's scale.
    let threagile = model(
        "risk threagile",
        "threat T1 on api { scenario: \"s\", likelihood: likely, impact: medium }\n",
    );
    std::fs::write(dir.path().join("threagile.tmd"), threagile).unwrap();
    let o = tmd(
        &["build", "threagile.tmd", "-o", "out", "--fail-on", "high"],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = tmd(
        &["build", "threagile.tmd", "-o", "out", "--fail-on", "medium"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(elevated, band medium)"));
}

/// Every output a person reads shows the scale's words; the JSON gives
/// the band as `severity` and the word as `scale_severity`.
#[test]
fn every_output_shows_the_scales_words() {
    let text = model(
        "risk owasp",
        "threat T1 \"Takeover\" on api { scenario: \"s\", likelihood: high, impact: high, mitigation: \"m\" }\n\
threat T2 \"Noise\" on customer { scenario: \"s\", severity: note }\n",
    );
    let c = compile(&text);
    let (m, a) = c.valid().unwrap();
    let findings = Findings::of(&c);

    let md = markdown::table(m, a);
    assert!(md.contains("| Critical | high × high |"), "{md}");
    let report = markdown::report(m, a, &findings, None);
    assert!(
        report.contains("- **Risk scale:** OWASP Risk Rating (`owasp`)"),
        "{report}"
    );
    assert!(report.contains("| Impact \\ Likelihood | Low | Medium | High |"));
    assert!(report.contains("| **High** | Medium | High | Critical |"));
    assert!(report.contains("critical and high as high; medium as medium; low and note as low."));
    assert!(
        report.contains("2 threats: 2 open (1 critical, 1 note)."),
        "{report}"
    );

    let page = html::html(m, a, &findings, None);
    assert!(page.contains("<span class=\"sev sev-high\">critical</span>"));
    assert!(page.contains("High (critical, high)"));

    let text = csv::table(m, a, false);
    let header = text.lines().next().unwrap();
    assert!(
        header.contains(",Severity,Band,Severity source,Likelihood,Impact,"),
        "{header}"
    );
    assert!(text.contains(",critical,high,matrix,high,high,"), "{text}");

    let json: serde_json::Value = serde_json::from_str(&table::json(m, a)).unwrap();
    let t1 = &json["threats"][0];
    assert_eq!(t1["severity"], "high");
    assert_eq!(t1["scale_severity"], "critical");
    assert_eq!(t1["rating"]["likelihood"], "high");
    assert_eq!(t1["ease"], serde_json::Value::Null);
    assert_eq!(json["risk"], "owasp");
    assert_eq!(json["scale_summary"][0]["severity"], "critical");

    let exported: serde_json::Value = serde_json::from_str(&export::export(m, a)).unwrap();
    assert_eq!(exported["meta"]["risk"], "owasp");
    assert_eq!(exported["scale"]["table"][2][2], "critical");
    assert_eq!(exported["threats"][0]["scale_severity"], "critical");
    assert_eq!(exported["schema_version"], 2);

    let svg = tmd::emit::svg::svg(m, a, &Default::default()).svg;
    assert!(
        svg.contains("T1 Takeover (STRIDE not given, critical, open)"),
        "{svg}"
    );
    assert!(svg.contains(">critical, high<"), "legend: {svg}");
    let dot = dot::dot(m, a);
    assert!(dot.contains("T1 (critical, open): Takeover"), "{dot}");
    assert!(dot.contains("critical, high"), "{dot}");
}

/// Rows sort by the scale's order: `critical` above `high`, though both
/// are in the high band.
#[test]
fn rows_sort_by_the_scales_order() {
    let text = model(
        "risk owasp",
        "threat A1 on api { scenario: \"s\", severity: high, mitigation: \"m\" }\n\
threat B2 on api { scenario: \"s\", severity: critical, mitigation: \"m\" }\n\
threat C3 on api { scenario: \"s\", severity: note }\n\
threat D4 on api { scenario: \"s\", severity: low }\n",
    );
    let c = compile(&text);
    let (m, _) = c.valid().unwrap();
    let ids: Vec<String> = table::rows(m).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["B2", "A1", "D4", "C3"]);
}

/// On the primer's scale the table, CSV and reports read as in 0.1 (the
/// snapshots of the samples hold the rest).
#[test]
fn the_primer_reads_as_before() {
    let text = model(
        "",
        "threat T1 on api { scenario: \"s\", ease: easy, impact: problematic, mitigation: \"m\" }\n",
    );
    let c = compile(&text);
    let (m, a) = c.valid().unwrap();
    let text = csv::table(m, a, false);
    assert!(text.starts_with(&csv::COLUMNS.join(",")), "{text}");
    let report = markdown::report(m, a, &Findings::of(&c), None);
    assert!(!report.contains("Risk scale"));
    assert!(report.contains(
        "Severity is read from ease of exploitation and potential impact, unless a threat gives it."
    ));
}

/// The diff's summary names new open threats in the words of NEW's
/// scale, highest first.
#[test]
fn diff_highlights_use_the_scales_words() {
    let old = model("risk owasp", "");
    let new = model(
        "risk owasp",
        "threat T1 on api { scenario: \"s\", severity: high, mitigation: \"m\" }\n\
threat T2 on api { scenario: \"s\", severity: critical, mitigation: \"m\" }\n\
threat T3 on api { scenario: \"s\", severity: critical, mitigation: \"m\" }\n",
    );
    let (a, b) = (compile(&old), compile(&new));
    let d = tmd::diff::diff(a.valid().unwrap(), b.valid().unwrap());
    let h = tmd::diff::highlights(&d, &|s| s.to_string());
    assert_eq!(
        h,
        ["2 new open critical threats", "1 new open high threat"],
        "{h:?}"
    );
}
