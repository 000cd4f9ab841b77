//! One pull-request comment for the models a change touches (`tmd diff
//! --comment BASE HEAD [PATH...]`): a hidden marker that finds the comment
//! again, one line per model, then a section per model. The size limit is
//! applied here, in one place, for the whole comment: the details of every
//! model go first, then the pictures, then the bodies, and the comment
//! says what it left out.

use std::fmt::Write as _;

use super::markdown::{md_text, Cut, Parts};

/// The first line of every comment: how a bot finds its comment to
/// update it instead of adding another.
pub const MARKER: &str = "<!-- tmd-diff-comment -->";

/// GitHub refuses a comment over 65,536 characters; a byte is never less
/// than a character, so a comment of this many bytes always fits.
pub const LIMIT: usize = 65_000;

/// How a model file changed between the two revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    Added,
    Deleted,
    Modified,
    /// Renamed (and perhaps edited) from this path.
    Renamed(String),
}

/// What comparing one file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Compared(Parts),
    /// One side could not be read or has errors: what to say instead
    /// (plain text, shown in a code block).
    Failed {
        summary: String,
        report: String,
    },
}

/// One model's section of the comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSection {
    /// The path as the repository names it.
    pub path: String,
    pub change: FileChange,
    pub outcome: Outcome,
}

impl FileSection {
    fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed { .. })
    }

    fn changed(&self) -> bool {
        match &self.outcome {
            // A model renamed as it was is not a change to the threat model.
            Outcome::Compared(p) => {
                p.changed || matches!(self.change, FileChange::Added | FileChange::Deleted)
            }
            Outcome::Failed { .. } => true,
        }
    }

    fn title(&self) -> String {
        let what = match &self.change {
            FileChange::Added => " (added)".to_string(),
            FileChange::Deleted => " (deleted)".to_string(),
            FileChange::Modified => String::new(),
            FileChange::Renamed(from) => format!(" (renamed from {})", path(from)),
        };
        format!("{}{what}", path(&self.path))
    }

    /// The section's one line in the list at the top.
    fn summary(&self) -> String {
        let line = match &self.outcome {
            Outcome::Failed { summary, .. } => format!("**{}**", md_text(summary)),
            // The verdict without its bold headline: "2 new crossings".
            Outcome::Compared(p) => p.verdict.clone(),
        };
        format!("- {}: {line}", self.title())
    }

    fn write(&self, cut: Cut) -> String {
        let mut out = format!("\n### {}\n\n", self.title());
        match &self.outcome {
            Outcome::Compared(parts) => out.push_str(&parts.write(cut)),
            Outcome::Failed { summary, report } => {
                let _ = writeln!(out, "**{}**", md_text(summary));
                if cut < Cut::Bodies && !report.is_empty() {
                    out.push('\n');
                    out.push_str(&fenced(report));
                }
            }
        }
        out
    }
}

/// A path in a code span, or as escaped text when it has a backquote.
fn path(p: &str) -> String {
    if p.contains('`') || p.chars().any(char::is_control) {
        md_text(p)
    } else {
        format!("`{p}`")
    }
}

/// Plain text in a fenced code block whose fence no line of it can close.
/// The text is also made safe for the page around it: a code block shows
/// everything as written, but bidi controls are made visible first.
fn fenced(text: &str) -> String {
    let text = crate::emit::text::visible(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{fence}text\n{text}");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{fence}");
    out
}

/// The whole comment on `files` between revisions `base` and `head`.
pub fn comment(base: &str, head: &str, files: &[FileSection]) -> String {
    let mut header = format!("{MARKER}\n## Threat model review\n\n");
    let changed = files.iter().filter(|f| f.changed()).count();
    let failed = files.iter().filter(|f| f.failed()).count();
    let mut verdict = if files.is_empty() {
        "**No threat model changed.**".to_string()
    } else if changed == 0 {
        format!(
            "**No change to the {}.**",
            if files.len() == 1 {
                "threat model".to_string()
            } else {
                format!("{} threat models", files.len())
            }
        )
    } else {
        format!(
            "**{} of {} changed**",
            changed,
            super::plural(files.len(), "threat model", "threat models")
        )
    };
    if failed > 0 {
        let _ = write!(
            verdict,
            "; **{} errors**",
            super::plural(failed, "has", "have")
        );
    }
    let _ = writeln!(
        header,
        "{verdict} <sub>{} → {}</sub>",
        code_or_text(base),
        code_or_text(head)
    );
    if files.is_empty() {
        return header;
    }
    header.push('\n');
    let summaries: Vec<String> = files.iter().map(FileSection::summary).collect();

    let assemble = |cut: Cut, listed: usize| -> String {
        let mut out = header.clone();
        for s in summaries.iter().take(listed) {
            out.push_str(s);
            out.push('\n');
        }
        if listed < files.len() {
            let _ = writeln!(
                out,
                "- *and {} more: too many for one comment; run `tmd diff --comment` locally.*",
                files.len() - listed
            );
        }
        for f in files.iter().take(listed) {
            out.push_str(&f.write(cut));
        }
        out
    };
    for cut in [Cut::Nothing, Cut::Details, Cut::Pictures, Cut::Bodies] {
        let out = assemble(cut, files.len());
        if out.len() <= LIMIT {
            return out;
        }
    }
    // Even the verdicts are too many: as many files as fit.
    let mut listed = files.len();
    while listed > 0 {
        listed /= 2;
        let out = assemble(Cut::Bodies, listed);
        if out.len() <= LIMIT {
            // Grow back one at a time while it fits.
            let mut best = out;
            for more in listed + 1..=files.len() {
                let next = assemble(Cut::Bodies, more);
                if next.len() > LIMIT {
                    break;
                }
                best = next;
            }
            return best;
        }
    }
    assemble(Cut::Bodies, 0)
}

/// A revision in a code span (revisions are refs and hashes).
fn code_or_text(rev: &str) -> String {
    let short = match rev.get(..12) {
        Some(short) if rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()) => short,
        _ => rev,
    };
    if short.contains('`') || short.chars().any(char::is_control) {
        md_text(short)
    } else {
        format!("`{short}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(detail: usize) -> Parts {
        Parts {
            verdict: "**1 change to the threat model**: 1 new crossing.".into(),
            changed: true,
            body: "\nbody\n".into(),
            picture: "\n```mermaid\nflowchart TB\n```\n".into(),
            details: "d".repeat(detail),
        }
    }

    fn file(name: &str, detail: usize) -> FileSection {
        FileSection {
            path: name.into(),
            change: FileChange::Modified,
            outcome: Outcome::Compared(parts(detail)),
        }
    }

    #[test]
    fn a_small_comment_is_whole() {
        let c = comment("main", "abc", &[file("a.tmd", 10)]);
        assert!(c.starts_with(MARKER));
        assert!(c.contains("**1 of 1 threat model changed**"), "{c}");
        assert!(c.contains("- `a.tmd`: **1 change"), "{c}");
        assert!(c.contains("### `a.tmd`"), "{c}");
        assert!(c.contains("```mermaid"), "{c}");
        assert!(c.contains("dddddddddd"), "{c}");
    }

    #[test]
    fn details_go_first_then_pictures() {
        let files: Vec<FileSection> = (0..3).map(|i| file(&format!("m{i}.tmd"), 30_000)).collect();
        let c = comment("a", "b", &files);
        assert!(c.len() <= LIMIT);
        assert!(!c.contains("ddd"), "details cut");
        assert!(c.contains("```mermaid"), "pictures kept");
        assert_eq!(c.matches("The details are too long").count(), 3);
        // Pictures too big together go next.
        let mut big = parts(10);
        big.picture = format!("\n```mermaid\n{}\n```\n", "x".repeat(30_000));
        let files: Vec<FileSection> = (0..3)
            .map(|i| FileSection {
                path: format!("m{i}.tmd"),
                change: FileChange::Modified,
                outcome: Outcome::Compared(big.clone()),
            })
            .collect();
        let c = comment("a", "b", &files);
        assert!(c.len() <= LIMIT, "{}", c.len());
        assert!(!c.contains("xxx"));
        assert!(c.contains("The diagram is left out"), "{c}");
    }

    #[test]
    fn too_many_files_are_counted_not_dropped_silently() {
        let files: Vec<FileSection> = (0..3000)
            .map(|i| file(&format!("models/a-long-folder-name/model-{i}.tmd"), 10))
            .collect();
        let c = comment("a", "b", &files);
        assert!(c.len() <= LIMIT, "{}", c.len());
        assert!(
            c.contains("more: too many for one comment"),
            "{}",
            &c[c.len() - 300..]
        );
    }

    #[test]
    fn a_failure_is_shown_in_a_fence_it_cannot_close() {
        let f = FileSection {
            path: "b`ad.tmd".into(),
            change: FileChange::Added,
            outcome: Outcome::Failed {
                summary: "HEAD has 1 error".into(),
                report: "b.tmd:1:1: error[TMD001] ```\n<script>".into(),
            },
        };
        let c = comment("a", "b", &[f]);
        assert!(c.contains("; **1 has errors**"), "{c}");
        assert!(c.contains("b\\`ad.tmd (added)"), "{c}");
        assert!(c.contains("````text\n"), "{c}");
    }
}
