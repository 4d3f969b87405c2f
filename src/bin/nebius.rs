//! `nebius`: every operation of the Nebius Token Factory API from the shell,
//! generated from the spec (`nebius --help`). The API key and base URL come
//! from `NEBIUS_API_KEY` and `NEBIUS_BASE_URL`, as for `Client::from_env`.

fn main() -> std::process::ExitCode {
    nebius_token_factory::cli::main()
}
