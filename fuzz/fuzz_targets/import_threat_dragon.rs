//! `tmd import threat-dragon` on any bytes: never a panic; an import that
//! succeeds compiles with no error, and a tmd model's own Threat Dragon
//! export imports.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As a Threat Dragon model.
    if let Ok(imported) = tmd::import::threat_dragon::import(text, "fuzz.json") {
        let c = tmd::compile(&imported.text);
        assert!(c.valid().is_some(), "an import that does not compile");
    }
    // As a tmd model: its Threat Dragon export comes back.
    let c = tmd::compile(text);
    if let Some((model, analysis)) = c.valid() {
        let td = tmd::emit::threat_dragon::threat_dragon(model, analysis);
        let back = tmd::import::threat_dragon::import(&td, "fuzz.td.json");
        assert!(back.is_ok(), "own export refused: {back:?}");
    }
});
