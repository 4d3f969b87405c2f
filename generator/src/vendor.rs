//! The runtime crate's sources, for crates made by `openapi-gen crate`: they
//! get a copy beside them, so they build with nothing but crates.io.

/// Path (relative to the runtime crate) and contents of each source file.
pub const RUNTIME_SOURCES: &[(&str, &str)] = &[
    ("src/lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("src/auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("src/body.rs", include_str!("../../runtime/src/body.rs")),
    ("src/client.rs", include_str!("../../runtime/src/client.rs")),
    ("src/encode.rs", include_str!("../../runtime/src/encode.rs")),
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    ("src/request.rs", include_str!("../../runtime/src/request.rs")),
    ("src/response.rs", include_str!("../../runtime/src/response.rs")),
    ("src/retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("src/sse.rs", include_str!("../../runtime/src/sse.rs")),
    ("src/support.rs", include_str!("../../runtime/src/support.rs")),
];

/// The runtime's version, which generated crates depend on.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The runtime's dependencies, as in `runtime/Cargo.toml` without the workspace.
pub const RUNTIME_DEPENDENCIES: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query", "form", "rustls", "http2", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order"] }
bytes = "1"
futures-core = "0.3"
futures-util = { version = "0.3", default-features = false }
tokio = { version = "1", features = ["time", "fs"] }
tokio-util = { version = "0.7", features = ["io"] }
httpdate = "1"
"#;

/// A standalone manifest for the vendored runtime.
pub fn runtime_manifest() -> String {
    format!(
        "[package]\nname = \"openapi-gen-runtime\"\nversion = \"{RUNTIME_VERSION}\"\nedition = \"2021\"\n\
         description = \"Runtime of openapi-gen clients (vendored copy)\"\nlicense = \"MIT OR Apache-2.0\"\n\n\
         [dependencies]\n{RUNTIME_DEPENDENCIES}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored copy must stay the runtime: every source file is listed,
    /// and the manifest names the same dependencies.
    #[test]
    fn the_vendored_runtime_matches_the_crate() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir.join("src"))
            .unwrap()
            .map(|e| format!("src/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = RUNTIME_SOURCES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let deps = manifest.split("[dependencies]").nth(1).unwrap().split("[dev-dependencies]").next().unwrap();
        let names = |text: &str| -> Vec<String> {
            let mut v: Vec<String> = text.lines().filter_map(|l| l.split([' ', '.']).next()).filter(|n| !n.is_empty()).map(str::to_string).collect();
            v.sort();
            v
        };
        assert_eq!(names(deps), names(RUNTIME_DEPENDENCIES));
        assert!(manifest.contains(&format!("version = \"{RUNTIME_VERSION}\"")));
    }
}
