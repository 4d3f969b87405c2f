//! Generates the test client from `spec/kinds.yaml` into `OUT_DIR`.

fn main() {
    if let Err(e) = openapi_gen::Config::new().spec("spec/kinds.yaml").env_prefix("KINDS").mock(true).build_script() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
