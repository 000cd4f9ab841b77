//! `tmd diff` on two arbitrary models: the input is split at the first
//! 0xFF byte (never part of UTF-8 text) into OLD and NEW. When both
//! compile, the diff and its three renderings must not panic, the JSON
//! must parse, the visual diff (`--svg`) must be well-formed XML with no
//! script, and a model compared with itself must show no change.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return;
    };
    let (a, b) = (tmd::compile(old), tmd::compile(new));
    if let Some(m) = a.valid() {
        let same = tmd::diff::diff(m, m);
        assert!(same.is_empty(), "a model differs from itself: {same:?}");
    }
    let (Some(a), Some(b)) = (a.valid(), b.valid()) else {
        return;
    };
    let forward = tmd::diff::diff(a, b);
    let backward = tmd::diff::diff(b, a);
    assert_eq!(forward.is_empty(), backward.is_empty());
    let _ = tmd::diff::text(&forward, "old.tmd", "new.tmd", false);
    let _ = tmd::diff::text(&forward, "old.tmd", "new.tmd", true);
    let md = tmd::diff::markdown(&forward, "old.tmd", "new.tmd");
    assert!(!md.contains("<script"), "{md}");
    let json = tmd::diff::json(&forward, "old.tmd", "new.tmd");
    let _: serde_json::Value = serde_json::from_str(&json).expect("diff JSON");
    let svg = tmd::diff::visual::svg(
        a.0,
        b.0,
        &forward,
        ("old.tmd", "new.tmd"),
        &Default::default(),
    )
    .svg;
    let doc = roxmltree::Document::parse(&svg).expect("well-formed visual diff");
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
});
