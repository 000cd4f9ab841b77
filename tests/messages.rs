//! Messages a user can act on: what `tmd check` prints for the mistakes a
//! new user makes (a lost `}`, STRIDE written as words, a misspelt
//! keyword, an unquoted label, an unknown key), and what one failure must
//! not do to the rest of the file (switch off warnings, make TMD112 lie,
//! bury errors under warnings).
//!
//! Every file in `tests/fixtures/messages/` is snapshot as the human report
//! (`messages__NAME.snap`, reviewed); the tests below pin the facts that
//! matter in each.

use std::path::{Path, PathBuf};

use tmd::diagnostic::{Diagnostic, Level};
use tmd::report::{self, FileReport};
use tmd::span::LineIndex;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messages");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmd"))
        .collect();
    files.sort();
    files
}

fn human(name: &str, text: &str, width: usize) -> String {
    let c = tmd::compile(text);
    report::human(
        &FileReport {
            name,
            source: &c.source,
            diagnostics: &c.diagnostics,
        },
        false,
        width,
    )
}

#[test]
fn every_message_fixture_reads_as_reviewed() {
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let out = human(&format!("{name}.tmd"), &text, report::DEFAULT_WIDTH);
        insta::assert_snapshot!(name, out);
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/messages")
            .join(name),
    )
    .unwrap()
}

/// (line, column) of a byte offset, 1-based.
fn at(text: &str, offset: usize) -> (usize, usize) {
    let c = LineIndex::new(text).line_col(text, offset);
    (c.line, c.column)
}

fn only_error(text: &str) -> Diagnostic {
    let c = tmd::compile(text);
    let errors: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{:#?}", c.diagnostics);
    errors[0].clone()
}

fn codes(text: &str) -> Vec<&'static str> {
    tmd::compile(text)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

// ---------------------------------------------------------------- item 1

#[test]
fn a_boundary_left_open_mid_file_is_named_at_its_brace() {
    let text = fixture("unclosed-boundary-mid-file.tmd");
    let d = only_error(&text);
    assert_eq!(d.code, "TMD001");
    assert!(d.message.contains("boundary `aws`"), "{}", d.message);
    assert!(d.message.contains("missing `}`?"), "{}", d.message);
    // Primary label: the `{` of `boundary aws`, line 4.
    assert_eq!(at(&text, d.span.start), (4, 26));
    assert_eq!(&text[d.span.start..d.span.end], "{");
    // Secondary: the first flow, where the parser noticed.
    assert_eq!(d.secondary.len(), 1);
    let noticed = &d.secondary[0];
    assert_eq!(at(&text, noticed.span.start), (12, 1));
    assert_eq!(&text[noticed.span.start..noticed.span.end], "flow");
    assert!(!d
        .help
        .unwrap()
        .contains("move this statement to the top level"));
}

#[test]
fn the_inner_boundary_that_lost_its_brace_is_the_one_named() {
    let text = fixture("unclosed-nested-boundary.tmd");
    let d = only_error(&text);
    assert!(d.message.contains("boundary `vpc`"), "{}", d.message);
    assert_eq!(at(&text, d.span.start), (4, 22));
}

#[test]
fn a_threat_body_left_open_is_named_at_its_brace() {
    let text = fixture("unclosed-threat-body.tmd");
    let d = only_error(&text);
    assert!(d.message.contains("threat `T2`"), "{}", d.message);
    assert!(d.message.contains("missing `}`?"), "{}", d.message);
    assert!(!d.message.contains("expected"), "{}", d.message);
    assert_eq!(at(&text, d.span.start), (6, 35));
    let noticed = &d.secondary[0];
    assert_eq!(at(&text, noticed.span.start), (11, 1));
    assert_eq!(&text[noticed.span.start..noticed.span.end], "threat");
}

#[test]
fn an_element_body_left_open_is_named_at_its_brace() {
    let text = fixture("unclosed-element-body.tmd");
    let d = only_error(&text);
    assert!(d.message.contains("process `api`"), "{}", d.message);
    assert_eq!(at(&text, d.span.start), (1, 19));
    assert_eq!(at(&text, d.secondary[0].span.start), (3, 1));
}

#[test]
fn a_flow_really_inside_a_closed_boundary_is_still_told_to_move() {
    let text = "boundary b \"B\" {\n  process p\n  process q\n  flow p -> q\n}\n";
    let d = only_error(text);
    assert!(
        d.message.contains("cannot stand inside a boundary"),
        "{}",
        d.message
    );
    assert_eq!(at(text, d.span.start), (4, 3));
}

#[test]
fn a_boundary_open_at_the_end_of_the_file_is_named_too() {
    let text = "boundary b \"B\" {\n  process p\n";
    let d = only_error(text);
    assert!(d.message.contains("boundary `b`") && d.message.contains("missing `}`?"));
    assert_eq!(at(text, d.span.start), (1, 16));
}

// ---------------------------------------------------------------- item 2

const WORKED_EXAMPLE: &str = include_str!("../samples/acme-ecommerce.tmd");

const UNKNOWN_TARGET: &str = "
threat T9 \"Stolen labels\" on label_printer {
  actor:    external_attacker
  scenario: \"Reads shipping labels\"
  stride:   I
  severity: low
}
";

#[test]
fn an_unknown_threat_target_leaves_other_warnings_on() {
    let text = format!("{WORKED_EXAMPLE}{UNKNOWN_TARGET}");
    let mut got = codes(&text);
    got.sort_unstable();
    assert_eq!(got, ["TMD003", "TMD106"]);
}

#[test]
fn a_suppression_of_a_warning_still_reported_stays_silent() {
    // The worked example with its one warning suppressed, plus a threat on
    // an unknown target: the error, and no TMD112 for the suppression.
    let suppressed = WORKED_EXAMPLE.replace(
        "flow wms -> courier",
        "# tmd: allow TMD106\nflow wms -> courier",
    );
    assert_ne!(suppressed, WORKED_EXAMPLE);
    assert_eq!(codes(&suppressed), Vec::<&str>::new());
    assert_eq!(codes(&format!("{suppressed}{UNKNOWN_TARGET}")), ["TMD003"]);
}

#[test]
fn suppressions_on_a_statement_that_failed_are_not_called_unused() {
    // T1's severity disagrees with the matrix (TMD101, suppressed), but its
    // actor is unknown: the threat is left out, TMD101 is not decided,
    // and the suppression must not be reported as unused.
    let text = "process a\nprocess b\nflow a -> b\nflow b -> a\n\
        # tmd: allow TMD101\nthreat T1 \"x\" on a {\n  actor: nobody\n  scenario: \"s\"\n  stride: S\n  ease: easy\n  impact: problematic\n  severity: low\n}\n";
    assert_eq!(codes(text), ["TMD003"]);
}

#[test]
fn a_threat_meant_for_the_reverse_flow_skips_only_that_flow() {
    // `b -> a` does not exist (TMD006): the threat was probably meant for
    // `a -> b`, whose crossing warning is skipped; `a -> c` and `c -> a`
    // still warn.
    let text = "process a\nboundary z \"Z\" {\n  process b\n  process c\n}\n\
        flow a -> b\nflow a -> c\nflow c -> a\nflow b -> c\n\
        threat T1 \"x\" on b -> a { actor: apt, scenario: \"s\", stride: T, severity: low }\n";
    let c = tmd::compile(text);
    let index = LineIndex::new(&c.source);
    let mut got: Vec<(usize, &str)> = c
        .diagnostics
        .iter()
        .map(|d| (index.line_col(&c.source, d.span.start).line, d.code))
        .collect();
    got.sort_unstable();
    assert_eq!(got, [(7, "TMD106"), (8, "TMD106"), (10, "TMD006")]);
}

#[test]
fn an_ambiguous_flow_reference_skips_exactly_its_candidates() {
    let text = "process a\nboundary z \"Z\" {\n  process b\n  process c\n}\n\
        flow one: a -> b\nflow two: a -> b\nflow b -> a\nflow a -> c\nflow c -> a\n\
        threat T1 \"x\" on a -> b { actor: apt, scenario: \"s\", stride: T, severity: low }\n";
    let c = tmd::compile(text);
    let index = LineIndex::new(&c.source);
    let mut got: Vec<(usize, &str)> = c
        .diagnostics
        .iter()
        .map(|d| (index.line_col(&c.source, d.span.start).line, d.code))
        .collect();
    got.sort_unstable();
    // TMD006 on the threat; the two candidates are skipped; the others warn.
    assert_eq!(
        got,
        [(8, "TMD106"), (9, "TMD106"), (10, "TMD106"), (11, "TMD006")]
    );
}

#[test]
fn members_of_a_boundary_that_failed_are_not_judged_by_where_they_landed() {
    // The second `boundary z` is a duplicate: its member's position is
    // unknown, so its crossings are not judged, and the suppression on its
    // flow is not called unused.
    let text =
        "process a\nboundary z \"Z\" {\n  process b\n}\nboundary z \"Z again\" {\n  process c\n}\n\
        flow a -> b\nflow b -> a\n# tmd: allow TMD106\nflow a -> c\nflow c -> a\n";
    let mut got = codes(text);
    got.sort_unstable();
    assert_eq!(got, ["TMD002", "TMD106", "TMD106"]);
}

#[test]
fn a_flow_left_out_for_a_duplicate_id_does_not_make_its_ends_one_way() {
    let text = "external u\nprocess p\nstore s\nflow f: u -> p\nflow f: p -> s\n";
    // Without the second flow, `p` would have inputs and no outputs.
    assert_eq!(codes(text), ["TMD002"]);
}

#[test]
fn a_boundary_that_lost_its_only_member_is_not_called_empty() {
    let text =
        "process p\nboundary z \"Z\" {\n  process p\n}\nflow p -> p2\nprocess p2\nflow p2 -> p\n";
    assert_eq!(codes(text), ["TMD002"]);
}

// ---------------------------------------------------------------- item 5

#[test]
fn errors_come_before_warnings_in_the_human_report() {
    let text = fixture("errors-before-warnings.tmd");
    let out = human("m.tmd", &text, report::DEFAULT_WIDTH);
    let error = out.find("TMD003").expect(&out);
    let warning = out.find("TMD106").expect(&out);
    assert!(error < warning, "{out}");
    // JSON keeps source order.
    let c = tmd::compile(&text);
    let levels: Vec<Level> = c.diagnostics.iter().map(|d| d.level).collect();
    assert_eq!(
        levels,
        [Level::Warning, Level::Warning, Level::Error],
        "{:#?}",
        c.diagnostics
    );
}

#[test]
fn no_warning_follows_from_an_unknown_flow_endpoint() {
    // `vendr` is unknown and most likely meant `vendor`, which would
    // otherwise look as if it had no flows: that follows from the error.
    let text = fixture("errors-before-warnings.tmd");
    let got = codes(&text);
    assert!(
        !got.contains(&"TMD105") && !got.contains(&"TMD103"),
        "{got:?}"
    );
    let text = "external u\nprocess p\nstore s\nflow u -> p\nflow p -> sx\n";
    assert_eq!(codes(text), ["TMD003"]);
}

// ---------------------------------------------------------------- item 6

#[test]
fn stride_written_as_words_is_one_error_that_says_the_letter() {
    let text = fixture("stride-words.tmd");
    let c = tmd::compile(&text);
    let errors: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let helps: Vec<String> = errors.iter().map(|d| d.help.clone().unwrap()).collect();
    assert!(helps[0].contains("`stride: S`") && helps[0].contains("`S` for spoofing"));
    assert!(helps[1].contains("`stride: TD`"), "{}", helps[1]);
    assert!(helps[2].contains("`stride: SE`"), "{}", helps[2]);
    assert!(helps[3].contains("`stride: SE`"), "{}", helps[3]);
}

#[test]
fn stride_letters_written_apart_are_one_error() {
    let d = only_error(&fixture("stride-apart.tmd"));
    assert!(d.message.contains("written together"), "{}", d.message);
    assert!(d.help.unwrap().contains("`stride: SE`"));
    let inline = "process a\nthreat T1 \"x\" on a { actor: apt, stride: S, E, scenario: \"s\", severity: low }\n";
    let d = only_error(inline);
    assert!(d.help.unwrap().contains("`stride: SE`"));
}

#[test]
fn a_misspelt_keyword_gets_did_you_mean() {
    let d = only_error(&fixture("misspelt-keyword.tmd"));
    assert_eq!(d.help.as_deref(), Some("did you mean `process`?"));
    let d = only_error("treat T1 \"x\" on a {\n}\n");
    assert_eq!(d.help.as_deref(), Some("did you mean `threat`?"));
    let d = only_error("foo a\n");
    assert!(d
        .help
        .unwrap()
        .starts_with("a statement starts with one of"));
}

#[test]
fn unquoted_text_with_spaces_is_told_to_quote_it() {
    let d = only_error(&fixture("unquoted-label.tmd"));
    assert!(d.help.unwrap().contains("`\"Order API\"`"));
    let d = only_error(&fixture("unquoted-title.tmd"));
    assert!(d.help.unwrap().contains("`\"Acme web shop\"`"));
    let d = only_error("process a\nthreat T1 Brute force on a {\n}\n");
    assert!(d.help.unwrap().contains("`\"Brute force\"`"));
    let d = only_error("title Acme\n");
    assert!(d.help.unwrap().contains("`\"Acme\"`"));
}

#[test]
fn a_quote_character_is_shown_as_itself() {
    let d = only_error(&fixture("single-quotes.tmd"));
    assert!(d.message.contains("`'`"), "{}", d.message);
    assert!(!d.message.contains("\\'"), "{}", d.message);
    assert!(d.help.unwrap().contains("double quotes"));
}

// ---------------------------------------------------------------- item 7

#[test]
fn an_unknown_key_says_its_value_is_ignored_and_what_it_would_have_set() {
    let text = fixture("unknown-key.tmd");
    let c = tmd::compile(&text);
    let d = c.diagnostics.iter().find(|d| d.code == "TMD108").unwrap();
    assert_eq!(d.level, Level::Warning);
    assert!(d.message.contains("value is ignored"), "{}", d.message);
    let help = d.help.clone().unwrap();
    assert!(
        help.contains("`mitigation`") && help.contains("what is in place"),
        "{help}"
    );
    // Still suppressible.
    let suppressed = text.replace(
        "threat T1 \"Replay\" on api {",
        "threat T1 \"Replay\" on api {  # tmd: allow TMD108",
    );
    assert!(!codes(&suppressed).contains(&"TMD108"));
}

// ---------------------------------------------------------------- item 9

#[test]
fn diagnostics_wrap_at_the_width_given_and_keep_suppressions_whole() {
    let text = "external customer \"Customer\"\nboundary aws \"AWS\" {\n  process api \"API\"\n}\n\
        flow customer -> api \"Order\"\nflow api -> customer \"Reply\"\n";
    for width in [50, 60, 72, 80, 100, 140] {
        let out = human("m.tmd", text, width);
        for line in out.lines() {
            assert!(
                line.chars().count() <= width.max(40),
                "width {width}: {line:?}"
            );
        }
        assert!(
            out.lines().any(|l| l.contains("`# tmd: allow TMD106`")),
            "width {width}: the comment is split:\n{out}"
        );
    }
    assert_ne!(human("m.tmd", text, 60), human("m.tmd", text, 140));
}

#[test]
fn a_misspelt_threat_target_skips_the_warnings_of_what_it_meant() {
    // `wsm` is most likely `wms` ("did you mean"): the crossing of
    // `wms -> courier` follows from the typo and is not reported.
    let text = format!(
        "{WORKED_EXAMPLE}\nthreat T9 \"Label theft\" on wsm {{ actor: apt, scenario: \"s\", stride: I, severity: low }}\n"
    );
    assert_eq!(codes(&text), ["TMD003"]);
    let text = format!(
        "{WORKED_EXAMPLE}\nthreat T9 \"Label theft\" on wsm -> courier {{ actor: apt, scenario: \"s\", stride: I, severity: low }}\n"
    );
    assert_eq!(codes(&text), ["TMD003"]);
}

#[test]
fn tmd_check_wraps_at_columns_when_not_on_a_terminal() {
    let run = |columns: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tmd"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "samples/acme-ecommerce.tmd"])
            .env("COLUMNS", columns)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    let narrow = run("60");
    let help: Vec<&str> = narrow
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("help:"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(help.len() >= 3, "{narrow}");
    for line in &help {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    assert!(
        help.iter().any(|l| l.contains("`# tmd: allow TMD106`")),
        "{narrow}"
    );
    assert_ne!(narrow, run("160"));
}

#[test]
fn a_suppression_on_a_statement_with_an_error_is_not_called_unused() {
    // `updated` is not a real date: whether it is earlier than `created`
    // (TMD111) is unknown, so its suppression is not reported unused.
    let text = "created 2024-03-01\nupdated 2024-02-30  # tmd: allow TMD111\n";
    assert_eq!(codes(text), ["TMD004"]);
    // Without the error, a suppression that silences nothing still is.
    let text = "created 2024-03-01\nupdated 2024-03-02  # tmd: allow TMD111\n";
    assert_eq!(codes(text), ["TMD112"]);
}

/// Language 0.2: an assumption that fails (a misspelt name in its `for`)
/// leaves out whether what it named rests on a wrong assumption: TMD117 is
/// not decided for them, and a suppression of it is not called unused.
/// Every other warning is still reported.
#[test]
fn a_wrong_assumption_that_failed_leaves_its_dependents_undecided() {
    let text = "process a\nprocess b\nflow a -> b\nflow b -> a\nprocess lonely\n\
        # tmd: allow TMD117\nthreat T1 \"x\" on a {\n  scenario: \"s\"\n  severity: low\n}\n\
        assumption A1 \"It holds\" { status: wrong, for: [T1, bb] }\n";
    let mut got = codes(text);
    got.sort_unstable();
    assert_eq!(got, ["TMD003", "TMD103"]);
    // Fixed, the warning is decided and silenced; b draws its own.
    let fixed = text.replace("[T1, bb]", "[T1, b]");
    let mut got = codes(&fixed);
    got.sort_unstable();
    assert_eq!(got, ["TMD103", "TMD117"]);
    // An ID declared twice: the assumption is left out, and so is the
    // question for what it names.
    let twice = text.replace("assumption A1", "assumption lonely");
    let mut got = codes(&twice);
    got.sort_unstable();
    assert_eq!(got, ["TMD002", "TMD103"]);
    // A misspelt status: nothing it names is decided either.
    let status = text.replace("status: wrong, for: [T1, bb]", "status: wrnog, for: [T1]");
    let mut got = codes(&status);
    got.sort_unstable();
    assert_eq!(got, ["TMD004", "TMD103"]);
}

/// Language 0.2: a word that is not a usual boundary kind is most likely
/// a kind of the model's own: the hint says to quote it.
#[test]
fn a_boundary_kind_of_ones_own_is_told_to_be_a_string() {
    let d = only_error("boundary lan \"LAN\" {\n  kind: vpc\n  process p\n}\n");
    assert_eq!(d.code, "TMD004");
    let help = d.help.unwrap_or_default();
    assert!(
        help.contains("a kind of your own is a string: `kind: \"vpc\"`"),
        "{help}"
    );
    let d = only_error("boundary lan \"LAN\" {\n  kind: cloud_account\n  process p\n}\n");
    let help = d.help.unwrap_or_default();
    assert!(help.starts_with("did you mean `cloud-account`?"), "{help}");
}
