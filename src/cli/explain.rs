//! `tmd explain`.

use std::process::ExitCode;

use super::{fail, print_stdout, status};
use crate::checks;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A diagnostic code such as TMD106 (or its name, e.g. unthreatened-crossing), or a threat rule's ID
    #[arg(required_unless_present = "list", value_name = "CODE")]
    pub code: Option<String>,
    /// List every code with its one-line summary
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

pub fn run(args: Args) -> ExitCode {
    if args.list {
        let mut out = String::new();
        for rule in checks::rules() {
            out.push_str(&format!(
                "{}  {:<7}  {:<26}  {}{}\n",
                rule.code,
                rule.level.as_str(),
                rule.name,
                rule.summary(),
                if rule.opt_in { " (opt-in)" } else { "" }
            ));
        }
        return match print_stdout(out) {
            Ok(()) => ExitCode::from(status::OK),
            Err(code) => code,
        };
    }
    let query = args.code.unwrap_or_default();
    match checks::rule(&query) {
        Some(rule) => {
            let body: Vec<&str> = rule.doc.lines().skip(1).collect();
            let text = format!(
                "# {} ({}, {}{}): {}\n\n{}\n",
                rule.code,
                rule.name,
                rule.level.as_str(),
                if rule.opt_in {
                    ", opt-in: off unless enabled in tmd.toml"
                } else {
                    ""
                },
                rule.summary(),
                body.join("\n").trim()
            );
            match print_stdout(text) {
                Ok(()) => ExitCode::from(status::OK),
                Err(code) => code,
            }
        }
        None => match crate::rules::Library::builtin().get(&query) {
            // A rule of the threat library (docs/threat-library.md).
            Some(rule) => match print_stdout(crate::rules::doc::rule_text(rule, "#")) {
                Ok(()) => ExitCode::from(status::OK),
                Err(code) => code,
            },
            None => fail(format!(
                "unknown diagnostic code or rule `{query}`; `tmd explain --list` lists the codes, docs/threat-library.md the rules"
            )),
        },
    }
}
