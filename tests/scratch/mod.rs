//! Throwaway crates that tests build with `cargo check`: a target dir of
//! their own under `target/` keeps clear of the lock the running `cargo
//! test` holds, and the crates share it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// This crate's directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    let out = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", root().join("target/spec-bump"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}
