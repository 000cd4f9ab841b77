//! `tmd fmt` on any model without errors: the output compiles without
//! errors, exports to the same JSON, keeps every comment and warning, and
//! is a fixed point (what `tmd::fmt::verify` checks before `tmd fmt`
//! writes anything; a failure here is a formatter bug a user would hit as
//! "internal error").
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = tmd::compile(text);
    let (Some(file), false) = (c.file.as_ref(), c.has_errors()) else {
        return;
    };
    let formatted = tmd::fmt::format(file, &c.source);
    if let Err(problem) = tmd::fmt::verify::verify(&c, &formatted) {
        panic!("fmt: {problem}\n--- input\n{text}\n--- formatted\n{formatted}");
    }
});
