//! `# tmd: allow CODE, CODE` comments: which statement each one is
//! attached to, which warnings it silences, and which silenced nothing
//! (TMD112).

use super::tmd112_unused_suppression;
use crate::diagnostic::{Diagnostic, Level};
use crate::span::Span;
use crate::syntax::ast::{Comment, File, Item, Statement, StatementKind};

/// One code in one suppression comment.
struct Allow {
    code: String,
    comment: Span,
    /// The span of the statement it applies to, if attached to one.
    scope: Option<Span>,
    used: bool,
}

/// The codes a comment allows, if it is a suppression.
fn parse(comment: &Comment) -> Option<Vec<String>> {
    let rest = comment
        .text
        .trim()
        .strip_prefix("tmd:")?
        .trim_start()
        .strip_prefix("allow")?;
    let codes: Vec<String> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_uppercase())
        .collect();
    Some(codes)
}

/// The span a suppression on this statement covers: the statement, or for
/// a boundary, its opening line.
fn first_line_comment(statement: &Statement) -> Option<&Comment> {
    let block = match &statement.kind {
        StatementKind::Element(e) => e.attributes.as_ref(),
        StatementKind::Flow(f) => f.attributes.as_ref(),
        StatementKind::Actor(a) => a.attributes.as_ref(),
        StatementKind::Threat(t) => Some(&t.body),
        StatementKind::Declaration(d) => d.attributes.as_ref(),
        StatementKind::Header(_) | StatementKind::Boundary(_) | StatementKind::Attribute(_) => None,
    };
    match block {
        Some(b) if b.multiline => b.open_comment.as_ref(),
        _ => statement.comment.as_ref(),
    }
}

fn collect(file: &File) -> Vec<Allow> {
    let mut allows = Vec::new();
    let push = |comment: &Comment, scope: Option<Span>, allows: &mut Vec<Allow>| {
        if let Some(codes) = parse(comment) {
            for code in codes {
                allows.push(Allow {
                    code,
                    comment: comment.span,
                    scope,
                    used: false,
                });
            }
        }
    };
    let mut stack: Vec<&[Item]> = vec![&file.items];
    while let Some(items) = stack.pop() {
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Comment(comment) => {
                    let next = items.get(i + 1).and_then(|next| match next {
                        Item::Statement(s) => Some(s.span),
                        _ => None,
                    });
                    push(comment, next, &mut allows);
                }
                Item::Statement(statement) => {
                    if let Some(comment) = first_line_comment(statement) {
                        push(comment, Some(statement.span), &mut allows);
                    }
                    // Comments elsewhere inside a statement are not suppressions
                    // of it, but a stray one still deserves TMD112.
                    stray_comments(statement, first_line_comment(statement), &mut |c| {
                        push(c, None, &mut allows)
                    });
                    if let StatementKind::Boundary(b) = &statement.kind {
                        stack.push(&b.items);
                    }
                }
                Item::Blank => {}
            }
        }
    }
    allows
}

fn stray_comments<'a>(
    statement: &'a Statement,
    attached: Option<&Comment>,
    f: &mut impl FnMut(&'a Comment),
) {
    let mut all: Vec<&Comment> = Vec::new();
    all.extend(statement.comment.as_ref());
    let block = match &statement.kind {
        StatementKind::Element(e) => e.attributes.as_ref(),
        StatementKind::Flow(fl) => fl.attributes.as_ref(),
        StatementKind::Actor(a) => a.attributes.as_ref(),
        StatementKind::Threat(t) => Some(&t.body),
        StatementKind::Boundary(b) => {
            all.extend(b.close_comment.as_ref());
            None
        }
        StatementKind::Declaration(d) => d.attributes.as_ref(),
        StatementKind::Header(_) | StatementKind::Attribute(_) => None,
    };
    if let Some(block) = block {
        all.extend(block.open_comment.as_ref());
        for item in &block.items {
            match item {
                crate::syntax::ast::BlockItem::Entry(e) => all.extend(e.comment.as_ref()),
                crate::syntax::ast::BlockItem::Comment(c) => all.push(c),
                crate::syntax::ast::BlockItem::Blank => {}
            }
        }
    }
    for c in all {
        if attached.is_none_or(|a| a.span != c.span) {
            f(c);
        }
    }
}

/// Removes the warnings that a suppression silences, adds TMD112 for
/// every suppression that silenced nothing, and returns the warnings
/// silenced. A suppression is not reported
/// when whether it silences anything is unknown until an error is fixed:
/// its warning was not decided (`skipped`: its code and span), or its
/// statement was left out of the model (`dropped`) or has an error; nor
/// when its code is a warning that does not run (`selection`: disabled, or
/// opt-in and not enabled), since then nobody knows. TMD112 itself is
/// reported only when it is selected.
pub fn apply(
    file: &File,
    diagnostics: &mut Vec<Diagnostic>,
    skipped: &[(&str, Span)],
    dropped: &[Span],
    selection: &super::Selection,
) -> Vec<Diagnostic> {
    let mut allows = collect(file);
    for allow in allows.iter_mut() {
        if !selection.runs(&allow.code) {
            allow.used = true;
        }
    }
    // What leaves a statement's warnings undecided, by position: a code,
    // or `None` for every code. Sorted, so each suppression looks only at
    // the entries inside its statement (linear overall, not allows x
    // entries).
    let mut undecided: Vec<(Span, Option<&str>)> = skipped
        .iter()
        .map(|&(code, span)| (span, Some(code)))
        .chain(dropped.iter().map(|&span| (span, None)))
        .chain(
            diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| (d.span, None)),
        )
        .collect();
    undecided.sort_by_key(|(span, _)| (span.start, span.end));
    for allow in allows.iter_mut() {
        let Some(scope) = allow.scope else { continue };
        let first = undecided.partition_point(|(span, _)| span.start < scope.start);
        let inside = undecided
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|(span, _)| span.start <= scope.end);
        if inside
            .filter(|(span, _)| scope.contains(*span))
            .any(|(_, code)| code.is_none_or(|c| c == allow.code))
        {
            allow.used = true;
        }
    }
    let mut silenced_list = Vec::new();
    for d in std::mem::take(diagnostics) {
        let mut silenced = false;
        if d.level == Level::Warning {
            for allow in allows.iter_mut() {
                if allow.code == d.code && allow.scope.is_some_and(|s| s.contains(d.span)) {
                    allow.used = true;
                    silenced = true;
                }
            }
        }
        if silenced {
            silenced_list.push(d);
        } else {
            diagnostics.push(d);
        }
    }
    if !selection.runs(tmd112_unused_suppression::CODE) {
        return silenced_list;
    }
    allows.sort_by_key(|a| a.comment.start);
    for allow in allows.iter().filter(|a| !a.used) {
        diagnostics.push(tmd112_unused_suppression::diagnostic(
            allow.comment,
            &allow.code,
            allow.scope.is_some(),
        ));
    }
    silenced_list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        let c = Comment {
            text: " tmd: allow TMD101, tmd106".into(),
            span: Span::default(),
        };
        assert_eq!(
            parse(&c),
            Some(vec!["TMD101".to_string(), "TMD106".to_string()])
        );
        let c = Comment {
            text: " just a comment".into(),
            span: Span::default(),
        };
        assert_eq!(parse(&c), None);
    }
}
