//! Source text to syntax tree. Parsing never panics: it gives a tree, or
//! one syntax error (after which the rest of the file is not guessed at),
//! plus the value errors found in strings on the way.

pub mod ast;
mod builder;
mod error;
mod parser;
pub mod strings;

use pest::Parser;

use crate::checks::tmd001_syntax;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
pub use builder::{MAX_NESTING, MAX_STATEMENTS};
pub use error::is_keyword;

/// What parsing a file gives.
#[derive(Debug)]
pub struct Parsed {
    /// The tree, unless a syntax error stopped the parse.
    pub file: Option<ast::File>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `source` (already stripped of any byte-order mark).
pub fn parse(source: &str) -> Parsed {
    if let Some(at) = lone_carriage_return(source) {
        return Parsed {
            file: None,
            diagnostics: vec![tmd001_syntax::lone_carriage_return(Span::new(at, at + 1))],
        };
    }
    let pairs = match parser::TmdParser::parse(parser::Rule::file, source) {
        Ok(pairs) => pairs,
        Err(error) => {
            return Parsed {
                file: None,
                diagnostics: vec![error::syntax_error(source, &error)],
            }
        }
    };
    let mut builder = builder::Builder::new();
    let Some(file_pair) = pairs.into_iter().next() else {
        return Parsed {
            file: Some(ast::File::default()),
            diagnostics: Vec::new(),
        };
    };
    match builder.file(file_pair) {
        Ok(file) => Parsed {
            file: Some(file),
            diagnostics: builder.diagnostics,
        },
        Err(fatal) => {
            // Value errors before the fatal one still stand; later ones are
            // not guessed at.
            let mut diagnostics: Vec<Diagnostic> = builder
                .diagnostics
                .into_iter()
                .filter(|d| d.span.start < fatal.span.start)
                .collect();
            diagnostics.push(*fatal);
            Parsed {
                file: None,
                diagnostics,
            }
        }
    }
}

/// Offset of the first `\r` not followed by `\n`.
fn lone_carriage_return(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
}
