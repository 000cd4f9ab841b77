//! Unused dismissal: a `# tmd: dismiss` comment that dismisses nothing.
//!
//! ## What it finds
//! A dismissal of a threat rule (docs/threat-library.md) that takes effect
//! on nothing: the rule does not exist (or is turned off in tmd.toml), the
//! reason after `:` is missing, the comment is not on an element, a flow or a boundary
//! (and does not say `everywhere`), or the rule does not fire there (any
//! more). It only ever fires where a dismissal is written.
//!
//! ## Why it matters
//! A dismissal records a decision: "this threat does not apply, because".
//! One that matches nothing records a decision about something that is no
//! longer there, or was never taken into account, and a reader trusts it.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! # tmd: dismiss disclose-error-details: errors are generic
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Reply"
//! ```
//! `API` is in no boundary, so nothing makes it face the internet and the
//! rule does not fire on it.
//!
//! ## How to fix
//! Remove the dismissal, or move it to where the rule fires (`tmd suggest
//! FILE --all` lists where each rule fires):
//! ```tmd
//! external user "User"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Reply"
//! ```

use super::{Context, Sink};
use crate::diagnostic::Diagnostic;
use crate::emit::text::visible;
use crate::rules::{self, Unused};
use crate::span::Span;

pub const CODE: &str = "TMD121";

pub fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let dismissals = rules::dismiss::collect(ctx.file, ctx.model);
    if dismissals.is_empty() {
        return;
    }
    let library = &ctx.rules.library;
    let suggestions = rules::suggest(ctx.model, ctx.analysis, library, &dismissals);
    // With statements dropped, a rule may not fire only because of the
    // error: do not say "matches nothing" then.
    let partial = !ctx.model.partial.dropped.is_empty();
    for (d, why) in rules::unused_dismissals(&dismissals, library, &suggestions) {
        if partial && why == Unused::NoMatch {
            sink.skip(CODE, d.comment);
            continue;
        }
        sink.push(diagnostic(d.comment, &d.rule, why, library));
    }
}

pub fn diagnostic(span: Span, rule: &str, why: Unused, library: &rules::Library) -> Diagnostic {
    let shown = visible(rule);
    let (message, label, help) = match why {
        Unused::UnknownRule => {
            let closest = crate::model::closest_name(rule, library.rules().iter().map(|r| r.id.as_str()));
            (
                format!("dismissal of `{shown}`, which is no rule of the library"),
                "unknown rule".to_string(),
                match closest {
                    Some(c) => format!("did you mean `{c}`? docs/threat-library.md lists the rules"),
                    None => "docs/threat-library.md lists the rules; a rule turned off in tmd.toml needs no dismissal".to_string(),
                },
            )
        }
        Unused::NoReason => (
            format!("dismissal of `{shown}` without a reason dismisses nothing"),
            "no reason".to_string(),
            format!("say why after a colon: `# tmd: dismiss {shown}: REASON`"),
        ),
        Unused::NoTarget => (
            format!("dismissal of `{shown}` is on no element, flow or boundary"),
            "on nothing".to_string(),
            format!("put it just above an element, a flow or a boundary, or write `# tmd: dismiss {shown} everywhere: REASON` for the whole model"),
        ),
        Unused::NoMatch => (
            format!("dismissal of `{shown}` matches no suggestion"),
            "the rule does not fire here".to_string(),
            "remove it, or move it to where the rule fires (`tmd suggest FILE --all`)".to_string(),
        ),
    };
    Diagnostic::warning(CODE, span, message)
        .with_label(label)
        .with_help(help)
}
