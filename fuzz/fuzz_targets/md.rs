//! `tmd md` on any page: every ```tmd fence is rendered (fences that name
//! `file=` get one small model), nothing panics, every byte outside the
//! fences is kept, and the same page renders to the same bytes twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tmd::markdown::{render_page, Loaded, Loader, Settings};

struct OneModel;

impl Loader for OneModel {
    fn load(&mut self, path: &str) -> Result<Loaded, String> {
        if path.contains("missing") {
            return Err("no such file".into());
        }
        Ok(Loaded {
            name: path.to_string(),
            text: "external u \"User\"\nprocess p \"P\"\nflow u -> p \"Data\"\n".to_string(),
            options: Ok(tmd::CompileOptions::default()),
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(page) = std::str::from_utf8(data) else {
        return;
    };
    let settings = Settings::default();
    let out = render_page("page.md", page, &settings, &mut OneModel);
    // Outside the fences, the page's own bytes, in order.
    let (mut at_page, mut at_text) = (0, 0);
    for (was, now) in &out.replaced {
        assert!(was.start >= at_page && now.start >= at_text);
        assert_eq!(page[at_page..was.start], out.text[at_text..now.start]);
        at_page = was.end;
        at_text = now.end;
    }
    assert_eq!(page[at_page..], out.text[at_text..]);
    assert_eq!(out.fences, out.replaced.len());
    let again = render_page("page.md", page, &settings, &mut OneModel);
    assert_eq!(out.text, again.text, "not deterministic");
});
