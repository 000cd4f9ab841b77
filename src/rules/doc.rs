//! docs/threat-library.md, generated from the rule files so that it
//! cannot drift (`tests/rules.rs` fails when the checked-in page differs;
//! `TMD_BLESS_LIBRARY=1` writes it again).

use std::fmt::Write as _;

use super::facts::{self, On, Ty};
use super::{Library, Rule, PLACEHOLDERS};
use crate::model::{ElementProps, Stride};

/// The hand-written part of the page: how rules work and the format.
const INTRO: &str = include_str!("doc_intro.md");

fn stride_name(letter: char) -> &'static str {
    Stride::LETTERS
        .iter()
        .position(|&l| l == letter)
        .and_then(|i| Stride::NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// One rule as the page and `tmd explain RULE` show it.
pub fn rule_text(rule: &Rule, heading: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{heading} `{}`: {}\n", rule.id, rule.title);
    let kinds: Vec<&str> = rule.applies_to.iter().map(|k| k.as_str()).collect();
    let _ = writeln!(
        out,
        "- **STRIDE**: {} ({})\n- **Applies to**: {}\n- **Proposed severity**: {}{}",
        rule.stride,
        stride_name(rule.stride),
        kinds.join(", "),
        rule.severity.as_str(),
        rule.sensitive_severity
            .map(|s| format!(" ({} where sensitive data is involved)", s.as_str()))
            .unwrap_or_default()
    );
    if rule.when.is_empty() {
        out.push_str("- **When**: always\n");
    } else {
        let conditions: Vec<String> = rule
            .when
            .iter()
            .map(|c| format!("`{}`", c.written()))
            .collect();
        let _ = writeln!(out, "- **When**: {}", conditions.join(", "));
    }
    if !rule.references.is_empty() {
        let _ = writeln!(out, "- **References**: {}", rule.references.join(", "));
    }
    let _ = writeln!(out, "- **From**: `{}`\n", rule.origin);
    let _ = writeln!(out, "Scenario: {}\n", rule.scenario);
    let _ = writeln!(out, "Mitigation: {}\n", rule.mitigation);
    if let Some(example) = &rule.example {
        let _ = writeln!(
            out,
            "Fires on `{}` here:\n\n```tmd\n{}\n```\n\nand not here:\n\n```tmd\n{}\n```\n",
            example.target,
            example.fires.trim_end(),
            example.quiet.trim_end()
        );
    }
    out
}

/// The whole page.
pub fn page(library: &Library) -> String {
    let mut out = String::from(INTRO);
    out.push_str(
        "\n## Conditions\n\n| key | on | takes | what it is |\n| --- | --- | --- | --- |\n",
    );
    let ty = |t: Ty| match t {
        Ty::Flag => "flag",
        Ty::Count => "number (at least)",
        Ty::Words => "words (any of)",
    };
    let on = |o: On| match o {
        On::Flow => "flow",
        On::Element => "element",
        On::Boundary => "boundary",
    };
    for k in ElementProps::KEYS {
        let _ = writeln!(
            out,
            "| `{k}` | element | flag | the element's `{k}` property as written |"
        );
    }
    for end in facts::ENDS {
        let _ = writeln!(
            out,
            "| `{end}.PROPERTY` | flow | flag | a property (above) of the flow's {end} |"
        );
    }
    for k in facts::KEYS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            k.name,
            on(k.on),
            ty(k.ty),
            k.doc
        );
    }
    let names: Vec<String> = PLACEHOLDERS.iter().map(|p| format!("`{{{p}}}`")).collect();
    let _ = writeln!(
        out,
        "\nPlaceholders in `scenario` and `mitigation`: {}.\n",
        names.join(", ")
    );
    out.push_str("## The built-in rules\n\n");
    let _ = writeln!(out, "{} rules.\n", library.rules().len());
    for letter in Stride::LETTERS {
        let _ = writeln!(out, "### {}\n", stride_name(letter));
        for rule in library.rules().iter().filter(|r| r.stride == letter) {
            out.push_str(&rule_text(rule, "####"));
        }
    }
    out
}
