//! Dismissals: `# tmd: dismiss RULE: REASON` comments.
//!
//! A dismissal written on an element's or a flow's statement (the comment
//! lines just above it, or the comment ending its first line) dismisses the
//! rule there; `# tmd: dismiss RULE everywhere: REASON`, anywhere in the
//! file, dismisses it on the whole model. The reason is required.

use std::collections::BTreeMap;

use crate::model::{Model, Target};
use crate::span::Span;
use crate::syntax::ast::{Comment, File, Item, Statement, StatementKind};

/// Where a dismissal applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Target(Target),
    Everywhere,
    /// Written where it applies to nothing: not on an element, a flow or a boundary.
    Nowhere,
}

/// One `# tmd: dismiss` comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Dismissal {
    pub rule: String,
    /// None when not given (the dismissal then dismisses nothing).
    pub reason: Option<String>,
    pub scope: Scope,
    pub comment: Span,
}

/// What a comment says, if it is a dismissal: the rule, whether it says
/// `everywhere`, and the reason.
fn parse(comment: &Comment) -> Option<(String, bool, Option<String>)> {
    let rest = comment
        .text
        .trim()
        .strip_prefix("tmd:")?
        .trim_start()
        .strip_prefix("dismiss")?;
    // `dismissal`, `dismissed`: not this.
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (head, reason) = match rest.split_once(':') {
        Some((head, reason)) => (head, Some(reason.trim().to_string())),
        None => (rest, None),
    };
    let mut words = head.split_whitespace();
    let rule = words.next().unwrap_or_default().to_string();
    let everywhere = words.next() == Some("everywhere");
    Some((rule, everywhere, reason.filter(|r| !r.is_empty())))
}

/// The element, flow or boundary of each statement, by where it starts.
fn targets(model: &Model) -> BTreeMap<usize, Target> {
    let elements = model
        .element_ids()
        .map(|e| (model[e].statement.start, Target::Element(e)));
    let flows = model
        .flow_ids()
        .map(|f| (model[f].statement.start, Target::Flow(f)));
    let boundaries = model
        .boundary_ids()
        .map(|b| (model[b].statement.start, Target::Boundary(b)));
    elements.chain(flows).chain(boundaries).collect()
}

fn target_of(targets: &BTreeMap<usize, Target>, statement: &Statement) -> Option<Target> {
    match &statement.kind {
        StatementKind::Element(_) | StatementKind::Flow(_) | StatementKind::Boundary(_) => {
            targets.get(&statement.span.start).copied()
        }
        _ => None,
    }
}

/// Every dismissal of a file, in order of position.
pub fn collect(file: &File, model: &Model) -> Vec<Dismissal> {
    let targets = targets(model);
    let mut out = Vec::new();
    let mut stack: Vec<&[Item]> = vec![&file.items];
    while let Some(items) = stack.pop() {
        for (i, item) in items.iter().enumerate() {
            let (comment, statement) = match item {
                Item::Comment(comment) => {
                    // The statement after a run of comment lines.
                    let next = items.iter().skip(i + 1).find_map(|next| match next {
                        Item::Comment(_) => None,
                        Item::Statement(s) => Some(Some(s)),
                        Item::Blank => Some(None),
                    });
                    (comment, next.flatten())
                }
                Item::Statement(statement) => {
                    if let StatementKind::Boundary(b) = &statement.kind {
                        stack.push(&b.items);
                    }
                    match &statement.comment {
                        Some(comment) => (comment, Some(statement)),
                        None => continue,
                    }
                }
                Item::Blank => continue,
            };
            let Some((rule, everywhere, reason)) = parse(comment) else {
                continue;
            };
            let scope = if everywhere {
                Scope::Everywhere
            } else {
                statement
                    .and_then(|s| target_of(&targets, s))
                    .map_or(Scope::Nowhere, Scope::Target)
            };
            out.push(Dismissal {
                rule,
                reason,
                scope,
                comment: comment.span,
            });
        }
    }
    out.sort_by_key(|d| d.comment.start);
    out
}
