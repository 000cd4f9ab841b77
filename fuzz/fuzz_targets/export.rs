//! The JSON export of any model that compiles: valid JSON, the same bytes
//! twice.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = tmd::compile(text);
    let Some((model, analysis)) = c.valid() else {
        return;
    };
    let json = tmd::emit::export::export(model, analysis);
    let value: serde_json::Value = serde_json::from_str(&json).expect("export is JSON");
    assert_eq!(value["schema_version"], 1);
    assert_eq!(json, tmd::emit::export::export(model, analysis));
});
