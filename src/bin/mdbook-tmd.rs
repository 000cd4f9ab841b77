//! `mdbook-tmd`: the mdBook preprocessor for tmd threat models, the same
//! code as `tmd mdbook`. mdBook finds it on PATH for `[preprocessor.tmd]`
//! with no `command =` line.

fn main() -> std::process::ExitCode {
    tmd::cli::mdbook_main()
}
