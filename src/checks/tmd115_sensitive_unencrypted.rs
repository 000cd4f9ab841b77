//! Sensitive data crosses a trust boundary unencrypted: a flow carries a sensitive asset across a boundary and is not encrypted.
//!
//! ## What it finds
//! A flow that crosses one or more trust boundaries and carries (in
//! `assets:`) a data asset classified at or above the sensitive threshold
//! (`confidential` and up by default; the `sensitive` header sets it), when
//! the flow is not encrypted: `encrypted: false`, or `encrypted` not given
//! and a `protocol` that tmd does not know to be encrypted (`HTTPS`, `SSH`,
//! `... (TLS)` are; `HTTP`, `gRPC` or none are not). One warning per flow,
//! naming its most sensitive asset. It can fire only on a model that
//! declares assets (language 0.2).
//!
//! ## Why it matters
//! A trust boundary is where someone you do not trust can see the traffic:
//! the internet, another team's network, a partner's. Sensitive data that
//! crosses it in clear is one packet capture away from a breach, and a
//! model that does not say how it is protected has not answered the
//! question.
//!
//! ## Example
//! ```tmd
//! asset card "Card data" { classification: restricted }
//!
//! external customer "Customer"
//! boundary shop "Shop" {
//!   process api "Payments API"
//! }
//! flow pay: customer -> api "Card payment" { protocol: "HTTP", assets: [card] }   # card data in clear
//! flow api -> customer "Receipt"
//!
//! threat T1 "Forged payment requests" on api {
//!   scenario: "A script replays payment requests with stolen cards"
//!   stride: S
//!   severity: medium
//!   mitigation: "3-D Secure on every payment"
//! }
//! ```
//!
//! ## How to fix
//! Encrypt the flow and say so with `encrypted: true` (or name an
//! encrypted protocol such as `"HTTPS"`). If the data is protected another
//! way (encrypted before it is sent), say that in `description:` and
//! silence the warning with `# tmd: allow TMD115`:
//! ```tmd
//! asset card "Card data" { classification: restricted }
//!
//! external customer "Customer"
//! boundary shop "Shop" {
//!   process api "Payments API"
//! }
//! flow pay: customer -> api "Card payment" { protocol: "HTTPS", encrypted: true, assets: [card] }
//! flow api -> customer "Receipt"
//!
//! threat T1 "Forged payment requests" on api {
//!   scenario: "A script replays payment requests with stolen cards"
//!   stride: S
//!   severity: medium
//!   mitigation: "3-D Secure on every payment"
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Target;

pub const CODE: &str = "TMD115";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let model = ctx.model;
    let partial = &model.partial;
    for f in model.flow_ids() {
        let flow = &model[f];
        let unresolved = partial.unresolved_assets.contains(&Target::Flow(f));
        if flow.assets.is_empty() && !unresolved {
            continue;
        }
        let facts = ctx.analysis.flow(f);
        let misplaced =
            partial.misplaced.contains(&flow.source) || partial.misplaced.contains(&flow.target);
        if facts.crossings.is_empty() && !misplaced {
            continue;
        }
        if flow.is_encrypted() {
            continue;
        }
        let sensitive: Vec<_> = flow
            .assets
            .iter()
            .copied()
            .filter(|&a| model.is_sensitive(a))
            .collect();
        let undecided = misplaced || model.classification.sensitive.is_none();
        if undecided || (sensitive.is_empty() && unresolved) {
            // Which boundaries it crosses, what is sensitive, or which
            // assets it carries is not known.
            out.skip(CODE, flow.span);
            continue;
        }
        let Some(worst) = model.most_sensitive(sensitive.iter().copied()) else {
            continue;
        };
        let crossed: Vec<String> = facts
            .crossings
            .iter()
            .map(|c| format!("{} `{}`", c.direction.preposition(), model[c.boundary].name))
            .collect();
        let others = match sensitive.len() - 1 {
            0 => String::new(),
            1 => " and 1 more sensitive asset".to_string(),
            n => format!(" and {n} more sensitive assets"),
        };
        let how = match flow.encrypted {
            Some(false) => "is marked `encrypted: false`",
            _ => "is not marked encrypted",
        };
        out.push(
            Diagnostic::warning(
                CODE,
                flow.span,
                format!(
                    "flow `{}` carries `{}` ({}){others} {} and {how}",
                    flow.name,
                    model[worst].name,
                    model.classification_of(worst),
                    crossed.join(" and "),
                ),
            )
            .with_label("sensitive data crosses a trust boundary")
            .with_help(format!(
                "if the transport is encrypted, say so with `encrypted: true` (or an encrypted `protocol` such as \"HTTPS\"); if it is not, encrypt it, or silence this with `# tmd: allow {CODE}` and say why",
            )),
        );
    }
}
