use super::*;

/// Formats `source`, which must compile without errors.
fn fmt(source: &str) -> String {
    let compilation = crate::compile(source);
    assert!(
        !compilation.has_errors(),
        "{source}\n{:#?}",
        compilation.diagnostics
    );
    let file = compilation.file.as_ref().expect("parsed");
    let out = format(file, &compilation.source);
    // Every case must also be a fixed point.
    let again = crate::compile(&out);
    assert!(
        !again.has_errors(),
        "output has errors:\n{out}\n{:#?}",
        again.diagnostics
    );
    assert_eq!(
        format(again.file.as_ref().expect("parsed"), &again.source),
        out,
        "not idempotent"
    );
    out
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("# only\n"), "# only\n");
    assert_eq!(fmt("\n\n# a   \n\n\n   #b\n\n"), "# a\n\n#b\n");
}

#[test]
fn header_values_are_one_space_after_the_keyword() {
    let src = "title   \"T\"\ncreated   2022-01-01\ndirection\tleft-right\n";
    assert_eq!(
        fmt(src),
        "title \"T\"\ncreated 2022-01-01\ndirection left-right\n"
    );
    let src = "title \"T\"\n# when\ncreated 2022-01-01\n";
    assert_eq!(fmt(src), src);
}

#[test]
fn element_kinds_are_not_padded() {
    let src =
        "boundary b {\n\tprocess  p \"P\"\n      store    s\n  external   e\n\n  store t\n}\n";
    assert_eq!(
        fmt(src),
        "boundary b {\n  process p \"P\"\n  store s\n  external e\n\n  store t\n}\n"
    );
}

#[test]
fn adding_a_key_or_a_statement_changes_one_line() {
    // Nothing is aligned, so nothing around a new line moves.
    let before = fmt("process p {\n  tech: \"x\" # why\n  owner: \"o\"\n}\nstore s # cache\n");
    let after = fmt("process p {\n  tech: \"x\" # why\n  description: \"d\"\n  owner: \"o\"\n}\nexternal e\nstore s # cache\n");
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after
        .lines()
        .filter(|l| !l.contains("description") && !l.starts_with("external"))
        .collect();
    assert_eq!(old, new, "{after}");
}

#[test]
fn flows_actors_and_spacing() {
    let src = "external a\nexternal b\nflow   x :a->b   \"L\"{protocol:\"HTTPS\",encrypted:true,data:[\"o\",\"p\",],}\nflow b->a\nactor   z \"Z\"   {}\n";
    assert_eq!(
        fmt(src),
        "external a\nexternal b\nflow x: a -> b \"L\" { protocol: \"HTTPS\", encrypted: true, data: [\"o\", \"p\"] }\nflow b -> a\nactor z \"Z\" {}\n"
    );
}

#[test]
fn short_multiline_blocks_join_and_long_ones_split() {
    let src = "process p {\n  tech: \"x\",\n\n}\n";
    assert_eq!(fmt(src), "process p { tech: \"x\" }\n");
    let long = "d".repeat(90);
    let src = format!("process p {{ tech: \"x\", description: \"{long}\" }}\n");
    assert_eq!(
        fmt(&src),
        format!("process p {{\n  tech: \"x\"\n  description: \"{long}\"\n}}\n")
    );
    // Exactly 100 columns fits; 101 does not.
    let fits = format!("process p {{ tech: \"{}\" }}", "x".repeat(100 - 22));
    assert_eq!(fits.chars().count(), 100);
    assert_eq!(fmt(&format!("{fits}\n")), format!("{fits}\n"));
    let over = format!("process p {{ tech: \"{}\" }}", "x".repeat(101 - 22));
    assert!(fmt(&format!("{over}\n")).starts_with("process p {\n"));
    // The indentation counts.
    let src = format!("boundary b {{\n{fits}\n}}\n");
    assert!(fmt(&src).contains("  process p {\n    tech: \""));
    // Columns, not characters: a CJK character takes two.
    let wide = format!("process p {{ tech: \"{}\" }}", "漢".repeat(40));
    assert_eq!(wide.chars().count(), 62);
    assert!(fmt(&format!("{wide}\n")).starts_with("process p {\n"));
    let narrow = format!("process p {{ tech: \"{}\" }}", "漢".repeat(39));
    assert_eq!(fmt(&format!("{narrow}\n")), format!("{narrow}\n"));
}

#[test]
fn blocks_with_comments_or_groups_stay_multiline() {
    let src = "process p {\n  tech: \"x\" # why\n}\n";
    assert_eq!(fmt(src), src);
    let src = "process p { # tmd: allow TMD103\n  tech: \"x\"\n}\n";
    assert_eq!(fmt(src), src);
    let src = "process p {\n  # note\n  tech: \"x\"\n}\n";
    assert_eq!(fmt(src), src);
    let src = "process p {\n  tech: \"x\"\n}   # after\n";
    assert_eq!(fmt(src), "process p {\n  tech: \"x\"\n} # after\n");
    let src = "process p {\n\n  tech: \"x\"\n\n\n  owner: \"o\"\n\n}\n";
    assert_eq!(
        fmt(src),
        "process p {\n  tech: \"x\"\n\n  owner: \"o\"\n}\n"
    );
    // Empty blocks.
    assert_eq!(fmt("process p {\n\n}\n"), "process p {}\n");
    assert_eq!(
        fmt("process p {\n  # nothing yet\n}\n"),
        "process p {\n  # nothing yet\n}\n"
    );
}

#[test]
fn first_line_comments_stay_on_the_first_line() {
    // A one-line block that has to split: its comment goes after `{`.
    let long = "d".repeat(90);
    let src = format!("process p {{ description: \"{long}\" }} # tmd: allow TMD103\n");
    assert_eq!(
        fmt(&src),
        format!("process p {{ # tmd: allow TMD103\n  description: \"{long}\"\n}}\n")
    );
    // A one-line threat always splits.
    let src =
        "external a\nthreat T on a { actor: apt, scenario: \"s\", stride: S, severity: low } # c\n";
    assert_eq!(
        fmt(src),
        "external a\nthreat T on a { # c\n  actor: apt\n  scenario: \"s\"\n  stride: S\n  severity: low\n}\n"
    );
}

#[test]
fn threats_are_one_entry_a_line_and_order_stride() {
    let src = "external a\nexternal b\nflow a->b\nthreat T1 \"t\" on a->b {\nactor: apt\n    scenario:\"s\"\n stride: DIT\n   remediation: fix\nseverity: low\n}\n";
    assert_eq!(
        fmt(src),
        "external a\nexternal b\nflow a -> b\nthreat T1 \"t\" on a -> b {\n  actor: apt\n  scenario: \"s\"\n  stride: TID\n  remediation: fix\n  severity: low\n}\n"
    );
}

#[test]
fn end_of_line_comments_are_one_space_after_the_code() {
    let src = "external a\nthreat T on a {\n  actor: apt # who\n  stride: S   # what\n  scenario: \"s\"\n  severity: low #  how bad   \n}\n";
    assert_eq!(
        fmt(src),
        "external a\nthreat T on a {\n  actor: apt # who\n  stride: S # what\n  scenario: \"s\"\n  severity: low #  how bad\n}\n"
    );
    let src = "title \"A\" # one\nauthor \"Bee Bee\"    # two\n\nversion \"1\" # three\n";
    assert_eq!(
        fmt(src),
        "title \"A\" # one\nauthor \"Bee Bee\" # two\n\nversion \"1\" # three\n"
    );
}

#[test]
fn boundaries_nest_and_keep_their_comments() {
    let src = "boundary a \"A\" { # open\n\n\n  # first\n    boundary b {\n  store s\n  # last in b\n}  # close b\n\n\n}\nboundary e {}\nboundary f {\n\n}\nboundary g {\n} # g\nboundary h {} # h\n";
    assert_eq!(
        fmt(src),
        "boundary a \"A\" { # open\n  # first\n  boundary b {\n    store s\n    # last in b\n  } # close b\n}\nboundary e {}\nboundary f {}\nboundary g {\n} # g\nboundary h {} # h\n"
    );
}

#[test]
fn strings_are_escaped_canonically() {
    let src = "title \"tab\there \\u{41}\\u{e9} \\u{202e} \\u{200B}\u{A0}\"\n";
    assert_eq!(
        fmt(src),
        "title \"tab\\there Aé \\u{202E} \\u{200B}\\u{A0}\"\n"
    );
}

#[test]
fn crlf_is_kept_and_a_final_line_end_added() {
    assert_eq!(
        fmt("external a\r\n\r\n\r\nexternal b"),
        "external a\r\n\r\nexternal b\r\n"
    );
    assert_eq!(
        fmt("external a\nexternal b\r\n"),
        "external a\nexternal b\n"
    );
    assert_eq!(fmt("\u{FEFF}external a\n"), "external a\n");
}

#[test]
fn stride_order_leaves_other_words_alone() {
    assert_eq!(stride_order("EDS"), "SDE");
    assert_eq!(stride_order("STRIDE"), "STRIDE");
    assert_eq!(stride_order("SS"), "SS");
    assert_eq!(stride_order("SX"), "SX");
}

#[test]
fn threat_targets_are_listed_with_one_space_after_each_comma() {
    let src = "external a\nprocess b\nflow a->b\nflow b -> a\n\
threat T1 \"Both\"   on   a->b ,b->a,b  { scenario: \"x\", severity: low }  # kept\n\
threat T2 \"None yet\"   { scenario: \"y\", severity: low }\n";
    let out = fmt(src);
    assert!(
        out.contains("threat T1 \"Both\" on a -> b, b -> a, b { # kept\n"),
        "{out}"
    );
    assert!(out.contains("threat T2 \"None yet\" {\n"), "{out}");
}

#[test]
fn header_facts_of_0_2_are_laid_out_like_the_others() {
    let src = "title \"T\"\nreviewers   [\"A\",\"B\"]   # two\ncontributors[\"C\"]\nlink \"https://x\"\nprocess link\n";
    assert_eq!(
        fmt(src),
        "title \"T\"\nreviewers [\"A\", \"B\"] # two\ncontributors [\"C\"]\nlink \"https://x\"\nprocess link\n"
    );
}

/// A `scale` block reads as a table, row by row, however short it is;
/// `risk` is a header line like the others.
#[test]
fn a_scale_block_is_one_entry_a_line() {
    let src = "risk   s\nscale s { rows: i, columns: l, i: [a,b], l: [c], severities: [x], bands: [low], a: [x], b: [x] }\n";
    assert!(src.lines().nth(1).unwrap().len() <= MAX_WIDTH);
    assert_eq!(
        fmt(src),
        "risk s\nscale s {\n  rows: i\n  columns: l\n  i: [a, b]\n  l: [c]\n  severities: [x]\n  bands: [low]\n  a: [x]\n  b: [x]\n}\n"
    );
}
