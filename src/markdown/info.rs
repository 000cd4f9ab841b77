//! The options of a fence: what follows `tmd` in its info string.
//!
//! ```text
//! ```tmd                          diagram, then table (the default)
//! ```tmd table                    the threat table only
//! ```tmd diagram source           the diagram, then the model's source
//! ```tmd view=table,diagram       the same as `tmd table diagram`
//! ```tmd file=models/shop.tmd     the model in that file (relative to the page)
//! ```tmd file="my models/a.tmd"   a path with spaces, quoted
//! ```tmd focus=api depth=2        the diagram of `api` and what lies
//!                                 within two flows of it
//! ```tmd collapse=cloud,vpc       those boundaries drawn as one box each
//! ```
//!
//! Views are drawn in the order given. Anything else is an error that
//! points at the word, with the closest known word as a hint.

use std::ops::Range;

/// One part of a fence's rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The data-flow diagram as inline SVG.
    Diagram,
    /// The threat table (GitHub-flavoured Markdown).
    Table,
    /// The model's source, in a code block.
    Source,
}

impl View {
    pub const ALL: [View; 3] = [View::Diagram, View::Table, View::Source];

    pub fn name(self) -> &'static str {
        match self {
            View::Diagram => "diagram",
            View::Table => "table",
            View::Source => "source",
        }
    }

    fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// The views drawn when a fence names none.
pub const DEFAULT_VIEWS: [View; 2] = [View::Diagram, View::Table];

/// What a fence asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FenceOptions {
    /// In the order given, without repeats; empty means [`DEFAULT_VIEWS`].
    pub views: Vec<View>,
    /// `file=PATH`, and where its value is in the page.
    pub file: Option<(String, Range<usize>)>,
    /// `focus=`, `depth=` and `collapse=`: which part of the diagram to
    /// draw (`crate::view`).
    pub view: crate::view::Spec,
    /// Where the first of those options is in the page, for an error of
    /// the view (an ID the model does not have).
    pub view_range: Option<Range<usize>>,
}

impl FenceOptions {
    pub fn views(&self) -> Vec<View> {
        if self.views.is_empty() {
            DEFAULT_VIEWS.to_vec()
        } else {
            self.views.clone()
        }
    }
}

/// A mistake in an info string, with where it is in the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub code: &'static str,
    pub range: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// The words a fence understands, for "did you mean".
const KNOWN: &[&str] = &[
    "diagram",
    "table",
    "source",
    "view=",
    "file=",
    "focus=",
    "depth=",
    "collapse=",
];

fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(word, k.trim_end_matches('=')),
                k,
            )
        })
        .filter(|&(d, k)| d <= 2.max(k.len() / 3) && d < k.len())
        .min()
        .map(|(_, k)| k)
}

/// A word of the info string and where it starts (in the info string).
fn words(info: &str) -> Result<Vec<(usize, String)>, (usize, usize)> {
    let mut out = Vec::new();
    let mut chars = info.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut quoted: Option<usize> = None;
        while let Some(&(i, c)) = chars.peek() {
            if quoted.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' {
                quoted = match quoted {
                    Some(_) => None,
                    None => Some(i),
                };
                continue;
            }
            if c == '\\' && quoted.is_some() {
                if let Some((_, next)) = chars.next() {
                    word.push(next);
                }
                continue;
            }
            word.push(c);
        }
        if let Some(q) = quoted {
            return Err((q, info.len()));
        }
        out.push((start, word));
    }
    Ok(out)
}

/// Reads the options of an info string that starts at byte `at` of the
/// page (its first word is `tmd`). Every mistake is reported.
pub fn parse(info: &str, at: usize) -> (FenceOptions, Vec<OptionError>) {
    let mut options = FenceOptions::default();
    let mut errors = Vec::new();
    let words = match words(info) {
        Ok(words) => words,
        Err((start, end)) => {
            errors.push(OptionError {
                code: "tmd::md::bad-option",
                range: at + start..at + end,
                message: "a quoted value in the fence's options is not closed".into(),
                label: "this `\"` is not closed".into(),
                help: Some("close it with `\"`".into()),
            });
            return (options, errors);
        }
    };
    for (start, word) in words.into_iter().skip(1) {
        // The range of the word as written (quotes included).
        let rest = info.get(start..).unwrap_or("");
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let range = at + start..at + start + len.max(1);
        let add_view = |view: View, options: &mut FenceOptions| {
            if !options.views.contains(&view) {
                options.views.push(view);
            }
        };
        if let Some(view) = View::from_name(&word) {
            add_view(view, &mut options);
            continue;
        }
        let Some((key, value)) = word.split_once('=') else {
            let help = closest(&word, KNOWN.iter().copied())
                .map(|k| format!("did you mean `{k}`?"))
                .or_else(|| Some(known_help()));
            errors.push(OptionError {
                code: "tmd::md::unknown-option",
                range,
                message: format!("unknown fence option `{}`", shown(&word)),
                label: "not an option of ```tmd".into(),
                help,
            });
            continue;
        };
        match key {
            "view" => {
                for name in value.split(',') {
                    match View::from_name(name.trim()) {
                        Some(view) => add_view(view, &mut options),
                        None => errors.push(OptionError {
                            code: "tmd::md::bad-option",
                            range: range.clone(),
                            message: format!("unknown view `{}`", shown(name.trim())),
                            label: "not a view".into(),
                            help: Some(
                                match closest(name.trim(), View::ALL.iter().map(|v| v.name())) {
                                    Some(k) => format!("did you mean `{k}`?"),
                                    None => "the views are `diagram`, `table` and `source`".into(),
                                },
                            ),
                        }),
                    }
                }
            }
            "file" => {
                if value.is_empty() {
                    errors.push(OptionError {
                        code: "tmd::md::bad-option",
                        range,
                        message: "`file=` needs a path".into(),
                        label: "no path".into(),
                        help: Some(
                            "write `file=models/shop.tmd`, relative to the Markdown file".into(),
                        ),
                    });
                } else if options.file.is_some() {
                    errors.push(OptionError {
                        code: "tmd::md::bad-option",
                        range,
                        message: "`file=` is given twice".into(),
                        label: "a second `file=`".into(),
                        help: Some("a fence draws one model".into()),
                    });
                } else {
                    let value_start = range.start + key.len() + 1;
                    options.file = Some((value.to_string(), value_start..range.end));
                }
            }
            "focus" | "collapse" | "depth" => {
                if options.view_range.is_none() {
                    options.view_range = Some(range.clone());
                }
                let ids: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect();
                match key {
                    "focus" if !ids.is_empty() => options.view.focus.extend(ids),
                    "collapse" if !ids.is_empty() => options.view.collapse.extend(ids),
                    "depth" => match value.parse::<usize>() {
                        Ok(n) if n <= 1000 => options.view.depth = Some(n),
                        _ => errors.push(OptionError {
                            code: "tmd::md::bad-option",
                            range,
                            message: format!(
                                "`depth=` takes a number of flows, not `{}`",
                                shown(value)
                            ),
                            label: "not a depth".into(),
                            help: Some(
                                "write `depth=2`: how many flows away from the focus to draw"
                                    .into(),
                            ),
                        }),
                    },
                    _ => errors.push(OptionError {
                        code: "tmd::md::bad-option",
                        range,
                        message: format!("`{key}=` needs an ID"),
                        label: "no ID".into(),
                        help: Some(format!(
                            "write `{key}=ID`, or several IDs separated by commas"
                        )),
                    }),
                }
            }
            _ => {
                let help = closest(&format!("{key}="), KNOWN.iter().copied())
                    .map(|k| format!("did you mean `{k}`?"))
                    .or_else(|| Some(known_help()));
                errors.push(OptionError {
                    code: "tmd::md::unknown-option",
                    range,
                    message: format!("unknown fence option `{}=`", shown(key)),
                    label: "not an option of ```tmd".into(),
                    help,
                });
            }
        }
    }
    (options, errors)
}

fn known_help() -> String {
    "the options are `diagram`, `table`, `source`, `view=...`, `file=PATH`, `focus=ID`, `depth=N` and `collapse=BOUNDARY`".into()
}

/// A word from the page, safe to quote in a message.
fn shown(word: &str) -> String {
    crate::emit::text::visible(word)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_in_order() {
        let (o, e) = parse("tmd", 0);
        assert!(e.is_empty());
        assert_eq!(o.views(), vec![View::Diagram, View::Table]);
        let (o, e) = parse("tmd table diagram table", 0);
        assert!(e.is_empty());
        assert_eq!(o.views, vec![View::Table, View::Diagram]);
        let (o, e) = parse("tmd  view=source,diagram", 0);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(o.views, vec![View::Source, View::Diagram]);
    }

    #[test]
    fn files() {
        let (o, e) = parse("tmd file=models/shop.tmd view=diagram", 10);
        assert!(e.is_empty());
        assert_eq!(o.file, Some(("models/shop.tmd".to_string(), 19..34)));
        let (o, e) = parse(r#"tmd file="my models/a \"b\".tmd" table"#, 0);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(o.file.unwrap().0, "my models/a \"b\".tmd");
        assert_eq!(o.views, vec![View::Table]);
    }

    #[test]
    fn mistakes_point_at_the_word() {
        let (_, e) = parse(
            "tmd diagarm bogus=1 view=foo,table file= file=a file=b",
            100,
        );
        let summary: Vec<_> = e
            .iter()
            .map(|e| (e.code, e.message.as_str(), e.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "tmd::md::unknown-option",
                    "unknown fence option `diagarm`",
                    "did you mean `diagram`?"
                ),
                (
                    "tmd::md::unknown-option",
                    "unknown fence option `bogus=`",
                    "the options are `diagram`, `table`, `source`, `view=...`, `file=PATH`, `focus=ID`, `depth=N` and `collapse=BOUNDARY`"
                ),
                (
                    "tmd::md::bad-option",
                    "unknown view `foo`",
                    "the views are `diagram`, `table` and `source`"
                ),
                (
                    "tmd::md::bad-option",
                    "`file=` needs a path",
                    "write `file=models/shop.tmd`, relative to the Markdown file"
                ),
                (
                    "tmd::md::bad-option",
                    "`file=` is given twice",
                    "a fence draws one model"
                ),
            ]
        );
        assert_eq!(e[0].range, 104..111);
        let (_, e) = parse("tmd viwe=table fiel=x tabel", 0);
        let helps: Vec<_> = e.iter().map(|e| e.help.clone().unwrap()).collect();
        assert_eq!(
            helps,
            vec![
                "did you mean `view=`?",
                "did you mean `file=`?",
                "did you mean `table`?"
            ]
        );
        let (_, e) = parse("tmd file=\"open", 0);
        assert_eq!(e[0].range, 9..14);
    }

    #[test]
    fn view_options() {
        let (o, e) = parse("tmd focus=api,db depth=2 collapse=cloud table", 10);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(o.view.focus, ["api", "db"]);
        assert_eq!(o.view.depth, Some(2));
        assert_eq!(o.view.collapse, ["cloud"]);
        assert_eq!(o.view_range, Some(14..26));
        assert_eq!(o.views(), vec![View::Table]);
        let (_, e) = parse("tmd depth=-1 focus= collapse=", 0);
        let messages: Vec<&str> = e.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`depth=` takes a number of flows, not `-1`",
                "`focus=` needs an ID",
                "`collapse=` needs an ID"
            ]
        );
    }
}
