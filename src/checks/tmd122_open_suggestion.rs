//! Open suggestion: a threat the rule library proposes that the model
//! neither covers nor dismisses (opt-in).
//!
//! ## What it finds
//! A suggestion of `tmd suggest` (docs/threat-library.md) at or above a
//! band (`high` unless `[rules] warn_from` in tmd.toml says otherwise) on
//! an element, a flow or a boundary, with no threat covering it (a threat
//! with `rule:` naming it, or on the same target with its STRIDE letter)
//! and no `# tmd: dismiss` for it. Off by default: enable it in tmd.toml
//! (`[checks] enable = ["TMD122"]`) to make CI hold a model to its
//! library.
//!
//! ## Why it matters
//! The library knows threats that come with the shape of the system: an
//! open one is a threat nobody has looked at yet.
//!
//! ## Example
//! ```tmd
//! external user "User"
//! process api "API" { authenticates: false }
//! flow user -> api "Request"
//! flow api -> user "Reply"
//! ```
//!
//! ## How to fix
//! Add the threat (`tmd suggest FILE --format tmd` writes it), or dismiss
//! the suggestion with a reason:
//! ```tmd
//! external user "User"
//! # tmd: dismiss spoof-unauthenticated-callers: a public, read-only API by design
//! process api "API" { authenticates: false }
//! flow user -> api "Request"
//! flow api -> user "Reply"
//! ```

use super::{Context, Sink};
use crate::diagnostic::Diagnostic;
use crate::emit::text::visible;
use crate::model::Target;
use crate::rules::{self, State};

pub const CODE: &str = "TMD122";

pub fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let library = &ctx.rules.library;
    let (_, suggestions) = rules::for_file(ctx.file, ctx.model, ctx.analysis, library);
    for s in suggestions {
        if s.state != State::Open || s.band < ctx.rules.warn_from {
            continue;
        }
        let Some(rule) = library.rules().get(s.rule) else {
            continue;
        };
        let model = ctx.model;
        let span = match s.target {
            Target::Element(e) => model[e].span,
            Target::Flow(f) => model[f].span,
            Target::Boundary(b) => model[b].span,
        };
        let name = visible(model.target_name(s.target));
        sink.push(
            Diagnostic::warning(
                CODE,
                span,
                format!(
                    "the library suggests a {} threat on `{name}`: {} ({})",
                    s.band.as_str(),
                    rule.title,
                    rule.id
                ),
            )
            .with_label(format!("{}: open", rule.stride))
            .with_help(format!(
                "add a threat with `rule: \"{}\"` (`tmd suggest --format tmd` writes one), or dismiss it: `# tmd: dismiss {}: REASON`",
                rule.id, rule.id
            )),
        );
    }
}
