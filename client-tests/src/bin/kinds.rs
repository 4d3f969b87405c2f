//! The generated command line of the every-kind spec, run by
//! `tests/cli.rs` against local servers.

fn main() -> std::process::ExitCode {
    client_tests::cli::main()
}
