//! `tmd import threagile` on any bytes: never a panic, never an unbounded
//! alias expansion; an import that succeeds compiles with no error. The
//! same text is also read as OTM in YAML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = tmd::import::threagile::import(text, "fuzz.yaml") {
        let c = tmd::compile(&imported.text);
        assert!(c.valid().is_some(), "an import that does not compile");
    }
    if let Ok(imported) = tmd::import::otm::import(text, "fuzz.otm.yaml") {
        let c = tmd::compile(&imported.text);
        assert!(c.valid().is_some(), "an import that does not compile");
    }
});
