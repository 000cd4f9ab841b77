/// mimalloc rather than the system's allocator: the layout makes many
/// small vectors, and a drawing takes about a third less time with it
/// (ARCHITECTURE.md, Dependencies).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tmd::cli::main()
}
