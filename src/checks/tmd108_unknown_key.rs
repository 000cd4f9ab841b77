//! Unknown attribute key: a key the statement does not know.
//!
//! ## What it finds
//! An attribute or threat field that is not in the language's table for
//! that statement, such as `protocl` on a flow or `mitigations` on a
//! threat. Keys beginning with `x_` are yours and never draw this warning.
//! The hint gives the closest known key. A threat field that is an axis
//! of another risk scale than the model's (`likelihood` on the primer's
//! scale, `ease` on OWASP's) says which scale has it; a `scale` block
//! knows its axes and the levels of its rows besides its fixed keys.
//!
//! ## Why it matters
//! A misspelt key is otherwise lost silently: `encrypt: true` would leave
//! the flow unencrypted in every report.
//!
//! ## Example
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Order" { protocl: "HTTPS" }   # did you mean `protocol`?
//! flow b -> a "Ack" { x_ticket: "SEC-12" }   # fine: a custom key
//! ```
//!
//! ## How to fix
//! Correct the spelling (the hint gives the closest known key), or, for a
//! key of your own, start it with `x_`:
//! ```tmd
//! process a "A"
//! process b "B"
//! flow a -> b "Order" { protocol: "HTTPS" }
//! flow b -> a "Ack" { x_ticket: "SEC-12" }
//! ```

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub const CODE: &str = "TMD108";

pub fn diagnostic(span: Span, key: &str, what: &str, closest: Option<String>) -> Diagnostic {
    let help = match closest {
        Some(c) => match meaning(&c) {
            Some(sets) => {
                format!("did you mean `{c}`, which sets {sets}? Keys of your own start with `x_`")
            }
            None => format!("did you mean `{c}`? Keys of your own start with `x_`"),
        },
        None => {
            format!("keys of your own start with `x_`: `x_{key}` keeps the value in the export")
        }
    };
    Diagnostic::warning(
        CODE,
        span,
        format!("unknown {what} `{key}`: its value is ignored"),
    )
    .with_label("unknown key, value ignored")
    .with_help(help)
}

/// A threat key that is an axis of another risk scale than the model's
/// (`likelihood` on a model that uses the primer's `ease` and `impact`).
pub fn other_scale_axis(
    span: Span,
    key: &str,
    in_force: &str,
    axes: [&str; 2],
    other: &str,
) -> Diagnostic {
    Diagnostic::warning(
        CODE,
        span,
        format!("unknown threat field `{key}`: its value is ignored"),
    )
    .with_label("not an axis of this model's scale")
    .with_help(format!(
        "`{key}` is an axis of the `{other}` risk scale, but this model uses `{in_force}`, whose axes are `{}` and `{}`; to rate threats on `{other}`, write `risk {other}` in the header",
        axes[0], axes[1]
    ))
}

/// What a known key sets, for the hint.
fn meaning(key: &str) -> Option<&'static str> {
    Some(match key {
        "description" => "the free-text description shown in reports and tooltips",
        "tech" => "the technology shown under the element's label",
        "owner" => "the team or person responsible",
        "out_of_scope" => "whether it is drawn greyed and left out of the open counts",
        "protocol" => "the flow's protocol",
        "encrypted" => "whether the flow is encrypted in transit",
        "authenticated" => "whether the receiver authenticates the sender",
        "data" => "what the flow carries",
        "initiator" => "which endpoint opens the connection",
        "actor" => "who carries out the threat",
        "scenario" => "what the actor does and what follows",
        "stride" => "the threat's STRIDE letters",
        "ease" => "how easy the threat is to exploit (with `impact`, its severity)",
        "impact" => "how bad the threat is (with `ease`, its severity)",
        "severity" => "the threat's severity",
        "mitigation" => "what is in place or planned against the threat",
        "remediation" => "the kind of fix (fix, workaround, monitoring)",
        "status" => "whether the threat is open, mitigated or accepted",
        "rule" => "the library rule the threat answers (`tmd suggest`)",
        "internet_facing" => "whether the element is reachable from the internet",
        "authenticates" => "whether the element authenticates its callers",
        "validates_input" => "whether the element validates what it receives",
        "logs_security_events" => "whether the element logs security events",
        "encrypts_at_rest" => "whether the element encrypts what it stores",
        "holds_credentials" => "whether the element holds secrets or credentials",
        "third_party_code" => "whether the element runs code from a third party",
        "privileged" => "whether the element runs with high privileges",
        _ => return None,
    })
}
