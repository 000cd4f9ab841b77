//! Sensitive data at rest without a disclosure threat: a store holds a sensitive asset and no threat with `I` is on it.
//!
//! ## What it finds
//! A store whose `assets:` holds a data asset classified at or above the
//! sensitive threshold (`confidential` and up by default; the `sensitive`
//! header sets it), with no threat of information disclosure (STRIDE `I`,
//! any status) on the store itself. Threats on its flows or on a boundary
//! around it do not count: they are about the data in transit or the zone.
//! One warning per store, naming its most sensitive asset. It can fire
//! only on a model that declares assets (language 0.2).
//!
//! ## Why it matters
//! Where sensitive data rests is where it leaks in bulk: a backup copied,
//! a bucket made public, a replica nobody patched, an over-broad
//! database role. A store that holds such data and has never been asked
//! "who could read this?" is a gap in the analysis, whatever else has
//! been looked at.
//!
//! ## Example
//! ```tmd
//! asset card "Card data" { classification: restricted }
//!
//! process api "Payments API"
//! store vault "Card vault" { assets: [card] }   # no threat of I on it
//! flow api -> vault "Store card"
//! flow vault -> api "Card for a refund"
//! ```
//!
//! ## How to fix
//! Ask who could read the data at rest, and write what you find as a
//! threat with `I` on the store, even one whose status is `mitigated` or
//! `accepted`:
//! ```tmd
//! asset card "Card data" { classification: restricted }
//!
//! process api "Payments API"
//! store vault "Card vault" { assets: [card] }
//! flow api -> vault "Store card"
//! flow vault -> api "Card for a refund"
//!
//! threat T1 "Card numbers read from a backup" on vault {
//!   scenario: "A database backup is restored somewhere less protected and read"
//!   stride: I
//!   severity: high
//!   mitigation: "Card numbers are tokenised; backups are encrypted with a key only the vault holds"
//!   status: mitigated
//! }
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{ElementKind, Target};

pub const CODE: &str = "TMD116";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    let model = ctx.model;
    let partial = &model.partial;
    for e in model.element_ids() {
        let el = &model[e];
        if el.kind != ElementKind::Store {
            continue;
        }
        let target = Target::Element(e);
        let unresolved = partial.unresolved_assets.contains(&target);
        if el.assets.is_empty() && !unresolved {
            continue;
        }
        let disclosure = ctx
            .analysis
            .element(e)
            .threats
            .iter()
            .any(|&t| model[t].stride.is_some_and(|s| s.contains('I')));
        if disclosure {
            continue;
        }
        let sensitive: Vec<_> = el
            .assets
            .iter()
            .copied()
            .filter(|&a| model.is_sensitive(a))
            .collect();
        let undecided =
            model.classification.sensitive.is_none() || partial.threat_targets.contains(&target);
        if undecided || (sensitive.is_empty() && unresolved) {
            // What is sensitive, what it holds, or a threat meant for it
            // is not known.
            out.skip(CODE, el.span);
            continue;
        }
        let Some(worst) = model.most_sensitive(sensitive.iter().copied()) else {
            continue;
        };
        let others = match sensitive.len() - 1 {
            0 => String::new(),
            1 => " and 1 more sensitive asset".to_string(),
            n => format!(" and {n} more sensitive assets"),
        };
        out.push(
            Diagnostic::warning(
                CODE,
                el.span,
                format!(
                    "store `{}` holds `{}` ({}){others} and has no threat of information disclosure (I) on it",
                    el.name,
                    model[worst].name,
                    model.classification_of(worst),
                ),
            )
            .with_label("sensitive data at rest, no `I` threat")
            .with_help(format!(
                "ask who could read the data at rest and add a threat with `stride: I` on `{}`, or silence this with `# tmd: allow {CODE}` and say why",
                el.name
            )),
        );
    }
}
