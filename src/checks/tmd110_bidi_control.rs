//! Bidirectional control character in a string.
//!
//! ## What it finds
//! A string holding one of the bidirectional formatting characters
//! U+202A-U+202E or U+2066-U+2069.
//!
//! ## Why it matters
//! These characters reorder how text is shown ("Trojan Source"): a label
//! can read one way on screen and another in the file. They are allowed,
//! and every output of tmd shows them visibly (as `<U+202E>`), but a
//! reviewer should know they are there.
//!
//! ## Example
//! ```tmd
//! external user "Admin\u{202E}nimda"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```
//!
//! ## How to fix
//! Delete the character. In a right-to-left name where it is really
//! needed, keep it and silence the warning: `# tmd: allow TMD110`.
//! ```tmd
//! external user "Admin"
//! process api "API"
//! flow user -> api "Request"
//! flow api -> user "Response"
//! ```

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::syntax::strings::is_bidi_control;

pub const CODE: &str = "TMD110";

pub fn check(ctx: &Context<'_>, out: &mut super::Sink) {
    for s in ctx.file.strings() {
        let found: Vec<String> = s
            .value
            .chars()
            .filter(|&c| is_bidi_control(c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if let Some(first) = found.first() {
            out.push(
                Diagnostic::warning(CODE, s.span, format!("string holds a bidirectional control character ({first})"))
                    .with_label(format!("{} bidirectional control character(s)", found.len()))
                    .with_help("bidirectional controls can make text read differently on screen; outputs show them as `<U+....>`"),
            );
        }
    }
}
