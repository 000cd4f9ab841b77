//! The parser on any bytes: UTF-8 text is parsed (no panic, no hang, a
//! tree or diagnostics whose spans lie inside the text).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = tmd::strip_bom(text);
    let parsed = tmd::syntax::parse(source);
    for d in &parsed.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= source.len(),
            "{d:?}"
        );
    }
});
