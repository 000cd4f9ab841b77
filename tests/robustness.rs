//! The compiler never panics: every prefix of every sample and fixture
//! (cut at each line end and at a window of character offsets), and
//! pathological inputs, give diagnostics or a model, never a panic.

mod common;

#[test]
fn every_prefix_compiles_without_panic() {
    for path in common::corpus() {
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            continue;
        };
        let mut cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        // Every character offset of a window of lines as well (a different
        // window for each file): cuts inside every kind of token.
        let lines: Vec<(usize, &str)> = text.match_indices('\n').map(|(i, _)| (i, "")).collect();
        let window = lines.len().min(40);
        let start_line =
            (path.to_string_lossy().len() * 7) % lines.len().saturating_sub(window).max(1);
        let from = if start_line == 0 {
            0
        } else {
            lines[start_line - 1].0
        };
        let to = lines.get(start_line + window).map_or(text.len(), |l| l.0);
        cuts.extend(
            text.char_indices()
                .map(|(i, _)| i)
                .filter(|&i| i >= from && i <= to),
        );
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            let prefix = &text[..cut];
            let c = tmd::compile(prefix);
            if let Some((model, analysis)) = c.valid() {
                tmd::emit::export::export(model, analysis);
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let depth = 10_000;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("boundary b{i} {{\n"));
    }
    text.push_str("process p\n");
    for _ in 0..depth {
        text.push_str("}\n");
    }
    let c = tmd::compile(&text);
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].code, "TMD013");
}

#[test]
fn nesting_at_the_limit_is_accepted() {
    let depth = tmd::syntax::MAX_NESTING;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("boundary b{i} {{\n"));
    }
    text.push_str("process p\nexternal e\nflow e -> p\nflow p -> e\n");
    for _ in 0..depth {
        text.push_str("}\n");
    }
    // Flows inside a boundary are a syntax error; move them out.
    let text = text.replace("flow e -> p\nflow p -> e\n", "") + "flow e -> p\nflow p -> e\n";
    let c = tmd::compile(&text);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
}

#[test]
fn odd_inputs() {
    for text in [
        "",
        "\u{FEFF}",
        "\n\n\n",
        "#",
        "}",
        "{",
        "\"",
        "boundary",
        "boundary b {",
        "flow",
        "flow a ->",
        "threat T on a -> b {",
        "external e { x: [\"a\", }",
        "title \"\\u{",
        "title \"\\u{FFFFFFFFFFFF}\"",
        "title \"\\",
        "external e \"\u{202E}\"",
        "\r",
        "a\rb",
        "\0",
        "external \u{1F600}",
        "created 9999-99-99",
        "created 0000-01-01",
        "external e { x_n: 99999999999999999999999999999 }",
    ] {
        let c = tmd::compile(text);
        let _ = c.diagnostics.len();
    }
}

#[test]
fn a_long_line_and_many_flows() {
    let long = format!("external e \"{}\"\n", "x".repeat(1_000_000));
    let c = tmd::compile(&long);
    assert!(!c.has_errors());
    let mut text = String::from("process p\nexternal e\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "flow f{i}: {} -> {}\n",
            if i % 2 == 0 { "e" } else { "p" },
            if i % 2 == 0 { "p" } else { "e" }
        ));
    }
    let c = tmd::compile(&text);
    assert!(!c.has_errors());
}
