//! With the `regenerate` feature (on in this repository's own builds), the
//! Nebius Token Factory client is generated from `spec/` into `OUT_DIR`:
//! replace the spec file and the next `cargo build` regenerates the client.
//! Without it there is nothing to do: `src/lib.rs` compiles the committed
//! `generated/client.rs`, which a test keeps equal to what `spec/` makes.

fn main() {
    #[cfg(feature = "regenerate")]
    if let Err(e) = openapi_gen::Config::new().spec_dir("spec").build_script() {
        eprintln!("{e}");
        std::process::exit(1);
    }
    #[cfg(not(feature = "regenerate"))]
    println!("cargo:rerun-if-changed=build.rs");
}
