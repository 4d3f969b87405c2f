//! Generates the test client from `spec/kinds.yaml` into `OUT_DIR`, a cargo
//! feature per tag (Cargo.toml declares them).

fn main() {
    let result = openapi_gen::Config::new()
        .spec("spec/kinds.yaml")
        .env_prefix("KINDS")
        .mock(true)
        .cli(true)
        .features_by(openapi_gen::FeaturesBy::Tag)
        .build_script();
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
