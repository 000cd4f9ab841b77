//! `tmd import otm` on any bytes: never a panic; an import that succeeds
//! compiles with no error, and a tmd model's own OTM export imports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As an OTM document.
    if let Ok(imported) = tmd::import::otm::import(text, "fuzz.json") {
        let c = tmd::compile(&imported.text);
        assert!(c.valid().is_some(), "an import that does not compile");
    }
    // As a model: its OTM export comes back.
    let c = tmd::compile(text);
    if let Some((model, _)) = c.valid() {
        let otm = tmd::emit::otm::otm(model);
        let back = tmd::import::otm::import(&otm, "fuzz.otm.json");
        assert!(back.is_ok(), "own export refused: {back:?}");
    }
});
