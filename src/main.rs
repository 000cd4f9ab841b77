fn main() -> std::process::ExitCode {
    tmd::cli::main()
}
