//! `make rules-json`: writes `src/rules/builtin.json`, the built-in rule
//! files (`rules/*.toml`) as `tmd` reads them, which the binary loads
//! instead of reading the TOML at every start. A test
//! (`rules::tests::builtin_json_matches_the_files`) fails until it is run
//! after a rule file changes.
//!
//! `cargo run --example rules_json > src/rules/builtin.json`

/// One rule a line, so that a change to a rule shows as one changed line.
fn main() {
    let rules = tmd::rules::builtin_from_toml();
    let mut lines = Vec::with_capacity(rules.len());
    for rule in &rules {
        match serde_json::to_string(rule) {
            Ok(line) => lines.push(line),
            Err(e) => {
                eprintln!("rules_json: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("[\n{}\n]", lines.join(",\n"));
}
