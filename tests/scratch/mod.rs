//! Throwaway crates that tests build with `cargo check`: a target dir of
//! their own under the workspace's `target/` keeps clear of the lock the
//! running `cargo test` holds, and the crates share it (and its build of the
//! runtime and its dependencies). The workspace's crates include this file.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// This crate's directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's directory (where `Cargo.lock` is).
pub fn workspace() -> PathBuf {
    let here = root();
    here.ancestors().find(|d| d.join("Cargo.lock").is_file()).map(Path::to_path_buf).unwrap_or(here)
}

/// Write a file, making its directory.
pub fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("a directory");
    }
    std::fs::write(path, text).expect("a file is written");
}

/// `cargo check` of the crate at `manifest`: success, and what it printed.
pub fn check(manifest: &Path) -> (bool, String) {
    check_with(manifest, &[])
}

/// `cargo check` of the crate at `manifest` with more arguments (`--features`).
pub fn check_with(manifest: &Path, args: &[&str]) -> (bool, String) {
    cargo(
        Command::new(env!("CARGO")).args(["check", "--offline", "--quiet", "--manifest-path"]).arg(manifest).args(args),
    )
}

/// `cargo doc --no-deps` of the crate at `manifest`, rustdoc's warnings
/// denied: success, and what it printed.
pub fn doc(manifest: &Path) -> (bool, String) {
    cargo(
        Command::new(env!("CARGO"))
            .args(["doc", "--no-deps", "--offline", "--quiet", "--manifest-path"])
            .arg(manifest)
            .env("RUSTDOCFLAGS", "-D warnings"),
    )
}

/// Run a cargo command in the scratch crates' target dir.
fn cargo(command: &mut Command) -> (bool, String) {
    let out = command
        .env("CARGO_TARGET_DIR", workspace().join("target/spec-bump"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A crate in a temporary directory holding `code` (a generated client) as
/// its library, warnings denied, with the runtime from this workspace and
/// `features` (a `[features]` table) declared.
/// `parts`: the files of a client split into features, by their path
/// relative to the main file's folder (`src/`).
pub fn client_crate(name: &str, code: &str, parts: &[(String, String)], features: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-{name}-{}", std::process::id()));
    let runtime = workspace().join("runtime").display().to_string().replace('\\', "/");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         openapi-gen-runtime = {{ path = \"{runtime}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\n{features}\n[workspace]\n"
    );
    write(&dir.join("Cargo.toml"), &manifest);
    write(&dir.join("src/lib.rs"), &format!("#![deny(warnings)]\n{code}"));
    for (path, text) in parts {
        write(&dir.join("src").join(path), text);
    }
    dir.join("Cargo.toml")
}
