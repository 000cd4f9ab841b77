//! Text helpers shared by the emitters.

use std::borrow::Cow;

use crate::syntax::strings::is_bidi_control;

/// Shows bidirectional controls as `<U+202E>` so that they cannot reorder
/// the text around them. Every emitter passes user strings through this.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_bidi_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_shown() {
        assert_eq!(visible("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(visible("plain"), "plain");
    }
}
