//! Dev tool: renders a `.tmd` file to SVG with the built-in renderer and
//! prints the layout's quality measures.
//!
//! `cargo run --example render -- FILE.tmd OUT.svg [ID_PREFIX]`

use std::process::ExitCode;

use tmd::emit::svg::{quality, svg, SvgOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: render FILE.tmd OUT.svg [ID_PREFIX]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::from(2);
        }
    };
    let compilation = tmd::compile(&text);
    let Some((model, analysis)) = compilation.valid() else {
        eprintln!("{input}: the model has errors; run `tmd check {input}`");
        return ExitCode::from(1);
    };
    let options = SvgOptions {
        id_prefix: args.get(2).cloned(),
        ..SvgOptions::default()
    };
    let rendered = svg(model, analysis, &options);
    if let Some(w) = &rendered.warning {
        eprintln!("warning: {w}");
    }
    if let Err(e) = std::fs::write(output, &rendered.svg) {
        eprintln!("{output}: {e}");
        return ExitCode::from(2);
    }
    let q = quality(model, analysis, &options);
    println!(
        "{input}: {} elements, {} flows; crossings {}, edges through elements {}, edges through foreign boundaries {}, bends {}, size {}x{}",
        model.elements.len(),
        model.flows.len(),
        q.crossings,
        q.edges_through_nodes,
        q.edges_through_clusters,
        q.bends,
        q.width,
        q.height
    );
    ExitCode::SUCCESS
}
