//! `tmd import dot` on any bytes: never a panic (layout-rs's parser runs
//! guarded), and an import that succeeds compiles with no error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = tmd::import::dot::import(text, "fuzz.dot", &Default::default()) {
        let c = tmd::compile(&imported.text);
        assert!(c.valid().is_some(), "an import that does not compile");
    }
});
