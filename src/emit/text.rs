//! Text helpers shared by the emitters.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::model::{AssetId, ElementKind, Model};
use crate::syntax::strings::is_bidi_control;

/// What a path keeps as it is in a URL: RFC 3986's unreserved characters
/// and `/`. Everything else (`:` and `%` included) is percent-encoded.
const PATH_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file path as a relative URL reference: no scheme (`c:x` becomes
/// `c%3Ax`), no spaces, no parentheses, UTF-8 percent-encoded.
pub fn url_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_KEEPS).to_string()
}

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

/// Data assets as the diagram's tooltips list them, not yet escaped:
/// `Card data (restricted, sensitive), Orders (internal)`.
pub fn assets_text(model: &Model, assets: &[AssetId]) -> String {
    assets
        .iter()
        .map(|&a| {
            let level = model.classification_of(a);
            if model.is_sensitive(a) {
                format!("{} ({level}, sensitive)", model[a].label)
            } else {
                format!("{} ({level})", model[a].label)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an element does with its data assets: a store holds them, a
/// process or an external entity handles them.
pub fn holds_word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Store => "holds",
        ElementKind::Process | ElementKind::External => "handles",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_shown() {
        assert_eq!(visible("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(visible("plain"), "plain");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(url_path("out/a-b_c.d~e.svg"), "out/a-b_c.d~e.svg");
        assert_eq!(url_path("c:m#1?(x) 100%"), "c%3Am%231%3F%28x%29%20100%25");
        assert_eq!(url_path("café/日"), "caf%C3%A9/%E6%97%A5");
    }
}
