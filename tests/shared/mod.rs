//! Where the material beside the checkout is (`../shared`: the real specs of
//! the corpus, their version bumps, the seed, the benchmark specs), and what a
//! test that needs it does without it. Every test, benchmark and build script
//! that reads it asks here, so that none can forget the fresh clone.
//!
//! - `OPENAPI_GEN_SHARED` names the folder; unset or empty, it is `shared`
//!   beside the workspace (`../shared`), as on CI's machine.
//! - A part that is not there is skipped: [`or_skip`] says so in one line on
//!   stderr (written past the test harness's capture, so `cargo test` shows
//!   it) and the caller returns, passing.
//! - `OPENAPI_GEN_SHARED_REQUIRED=1` turns a missing part into a failure: CI's
//!   full run sets it, so a corpus that went missing cannot pass as skipped.
//!
//! The workspace's crates include this file with `#[path]` (tests, benches
//! and build scripts alike); it uses the standard library only.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder, when it is not `../shared`.
pub const DIR_VAR: &str = "OPENAPI_GEN_SHARED";
/// Set (non-empty), a missing part fails instead of being skipped.
pub const REQUIRED_VAR: &str = "OPENAPI_GEN_SHARED_REQUIRED";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The workspace's directory (where `Cargo.lock` is), from the crate that
/// includes this file.
fn workspace() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("Cargo.lock").is_file()).unwrap_or(here).to_path_buf()
}

/// The shared folder: `$OPENAPI_GEN_SHARED`, or `../shared` beside the workspace.
pub fn dir() -> PathBuf {
    match var(DIR_VAR) {
        Some(d) => PathBuf::from(d),
        None => workspace().join("../shared"),
    }
}

/// A part of the shared folder that is not there.
#[derive(Debug)]
pub struct Missing {
    pub path: PathBuf,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is not there (a checkout without ../shared beside it; {DIR_VAR} names another folder)",
            self.path.display()
        )
    }
}

/// `rel` (a file or folder, `corpus/github.json`) under the shared folder.
///
/// # Panics
/// When it is missing and `OPENAPI_GEN_SHARED_REQUIRED` is set.
pub fn locate(rel: &str) -> Result<PathBuf, Missing> {
    let path = dir().join(rel);
    if path.exists() {
        return Ok(path);
    }
    let missing = Missing { path };
    assert!(var(REQUIRED_VAR).is_none(), "{missing}, and {REQUIRED_VAR} is set");
    Err(missing)
}

/// `rel` under the shared folder; when it is missing, one line on stderr,
/// `skipped <what>: <why>`, and `None` (the caller returns, passing).
///
/// # Panics
/// When it is missing and `OPENAPI_GEN_SHARED_REQUIRED` is set.
pub fn or_skip(rel: &str, what: &str) -> Option<PathBuf> {
    match locate(rel) {
        Ok(path) => Some(path),
        Err(missing) => {
            // Not eprintln!: the test harness captures that from passing tests.
            let _ = writeln!(std::io::stderr(), "skipped {what}: {missing}");
            None
        }
    }
}
