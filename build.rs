//! Generates the Nebius Token Factory client from `spec/` into `OUT_DIR`.
//! Replace the spec file and the next `cargo build` regenerates the client.

fn main() {
    if let Err(e) = openapi_gen::Config::new().spec_dir("spec").build_script() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
