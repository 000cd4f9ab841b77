//! The formatter's promises, checked on its output: `tmd fmt` runs this
//! before it writes anything, so that a bug in the formatter can never
//! cost a user a comment or change what a model means.

use crate::diagnostic::Level;
use crate::Compilation;

/// Checks that `formatted` is a faithful rewrite of `before` (a file with
/// no errors): it compiles without errors, exports to the same JSON, has
/// the same warnings (apart from where they point), holds the same
/// comments in the same order, and formats to itself.
pub fn verify(before: &Compilation, formatted: &str) -> Result<(), String> {
    verify_with(before, formatted, &crate::CompileOptions::default())
}

/// As `verify`, for a `before` compiled with a project's options.
pub fn verify_with(
    before: &Compilation,
    formatted: &str,
    options: &crate::CompileOptions,
) -> Result<(), String> {
    let after = crate::compile_with(formatted, options);
    if after.has_errors() {
        return Err("the formatted text does not compile".into());
    }
    match (before.valid(), after.valid()) {
        (Some((m1, a1)), Some((m2, a2))) => {
            if crate::emit::export::export(m1, a1) != crate::emit::export::export(m2, a2) {
                return Err(
                    "the formatted model differs from the original (its export changed)".into(),
                );
            }
        }
        _ => return Err("the original or the formatted text has errors".into()),
    }
    if diagnostics(before) != diagnostics(&after) {
        return Err("the formatted text draws other warnings (a `# tmd: allow` moved?)".into());
    }
    if comments(&before.source) != comments(&after.source) {
        return Err("a comment was lost or reordered".into());
    }
    let again = after.file.as_ref().map(|f| super::format(f, &after.source));
    if again.as_deref() != Some(formatted) {
        return Err("formatting the output again changes it".into());
    }
    Ok(())
}

/// The diagnostics without their positions, in a stable order.
fn diagnostics(c: &Compilation) -> Vec<(Level, &'static str, String)> {
    let mut out: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| (d.level, d.code, d.message.clone()))
        .collect();
    out.sort();
    out
}

/// Every comment of a source text, found without the parser: the text
/// after each `#` that stands outside a string literal, to the end of its
/// line, without trailing white space (which the formatter drops).
pub fn comments(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in source.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '#' {
                let text = line.get(i + 1..).unwrap_or_default();
                out.push(text.trim_end_matches([' ', '\t']));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_strings_only() {
        let source = "title \"a # not a comment \\\" # still not\" # yes  \r\n# two\n  process p {\"#\"} #three #four";
        assert_eq!(comments(source), vec![" yes", " two", "three #four"]);
    }

    #[test]
    fn a_faithful_rewrite_passes_and_a_lossy_one_fails() {
        let before = crate::compile("external a # keep\nexternal b\nflow a -> b\n");
        assert_eq!(
            verify(&before, "external a # keep\nexternal b\nflow a -> b\n"),
            Ok(())
        );
        assert!(verify(&before, "external a\nexternal b\nflow a -> b\n").is_err());
        assert!(verify(&before, "external a # keep\nexternal b\nflow b -> a\n").is_err());
        assert!(verify(&before, "external a # keep\nexternal b\nflow a -> \n").is_err());
        assert!(verify(&before, "external a # keep\n\n\nexternal b\nflow a -> b\n").is_err());
        // A suppression that no longer applies to its statement.
        let before = crate::compile("# tmd: allow TMD103\nexternal a\n");
        assert!(verify(&before, "# tmd: allow TMD103\n\nexternal a\n").is_err());
    }
}
