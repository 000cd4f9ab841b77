//! The pest parser generated from `grammar/tmd.pest`. This module and
//! `build.rs` / `error.rs` beside it are the only ones that name its rules.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tmd.pest"]
pub struct TmdParser;
