//! `mdbook-tmd`: the mdBook preprocessor for tmd threat models, the same
//! code as `tmd mdbook`. mdBook finds it on PATH for `[preprocessor.tmd]`
//! with no `command =` line.

/// mimalloc rather than the system's allocator: the layout makes many
/// small vectors, and a drawing takes about a third less time with it
/// (ARCHITECTURE.md, Dependencies).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tmd::cli::mdbook_main()
}
