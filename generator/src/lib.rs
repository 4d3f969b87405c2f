//! openapi-gen: OpenAPI 3.0/3.1 to a typed async Rust client.
//!
//! The pipeline runs one way, one module per stage (in `stages/`): load
//! (bytes to JSON) → overlay → normalize (3.1 and sloppy specs to what the
//! model takes) → filter and merge (several specs, mounted and filtered, into
//! one document) → typed (the `openapiv3` model) → ir (named types and
//! operations, `$ref`s resolved) → codegen (tokens) → format (prettyplease).
//! `src/pipeline.rs` runs them, one function per stage; the stages are
//! private, and this crate's public API is what build scripts, the command
//! line and the diff need: [`Config`] with its [`Settings`], [`Generated`]
//! with its [`Report`], [`diag`]nostics (each with a stable [`diag::Code`])
//! and [`diff`].
//!
//! From a build script:
//!
//! ```no_run
//! openapi_gen::Config::new()
//!     .spec_dir("spec") // one spec file, or an openapi-gen.toml manifest
//!     .env_prefix("NEBIUS")
//!     .build_script()
//!     .expect("client generation failed");
//! ```
//!
//! Several specs merge into one client, filtered to the operations you call:
//!
//! ```no_run
//! use openapi_gen::{Config, SpecSource};
//!
//! Config::new()
//!     .spec("spec/own.yaml")
//!     // Mounted under its server's base path (/v1); only these operations.
//!     .spec_source(
//!         SpecSource::new("spec/openai.yaml").include("POST /v1/chat/completions").include("tag:Files"),
//!     )
//!     .exclude("tag:Admin") // in every spec
//!     .build_script()
//!     .expect("client generation failed");
//! ```

#![warn(unreachable_pub)]

// Folders by role: the pipeline (`pipeline.rs`) runs the stages (`stages/`),
// which stand on the ground (`ground/`); the front ends (`front/`) say what
// to generate, the outputs (`outputs/`) are what a generation gives besides
// code, and the tools (`tools/`) serve tests and the command line.
mod front;
mod ground;
mod outputs;
mod pipeline;
mod stages;
#[cfg(feature = "tools")]
mod tools;

pub use front::config::Config;
pub use front::plan::{FeaturesBy, Plan, SpecSource};
pub use front::settings::{self, Overrides, Settings};
use ground::diag::GenError;
pub use ground::{diag, source};
#[cfg(feature = "tools")]
#[doc(hidden)]
pub use outputs::readme;
pub use outputs::{cargo_features, diff, report, report::Report};
pub use pipeline::{Generated, Timings};
pub use stages::load;
use std::path::{Path, PathBuf};
#[cfg(feature = "tools")]
#[doc(hidden)]
pub use tools::mutate;

/// The version of `openapi-gen-runtime` generated code is written against
/// (generated crates depend on it).
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The process's peak resident memory (Linux `VmHWM`), if known.
#[cfg(feature = "tools")]
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Stack for a generation: nesting is bounded by the loaders (128 levels), and
/// the walks over it recurse; this leaves a wide margin in debug builds too.
pub(crate) const STACK_BYTES: usize = 256 << 20;
const THREAD_NAME: &str = "openapi-gen";

/// Run `f` on a thread with a large stack (build scripts and tests run on
/// small ones). A panic there is a bug in the generator; it becomes an error
/// that says so instead of taking the build down.
pub fn on_big_stack<R: Send>(f: impl FnOnce() -> Result<R, GenError> + Send) -> Result<R, GenError> {
    // Already there (a stage calling another): no second thread.
    if std::thread::current().name() == Some(THREAD_NAME) {
        return f();
    }
    std::thread::scope(|scope| {
        let spawned =
            std::thread::Builder::new().name(THREAD_NAME.into()).stack_size(STACK_BYTES).spawn_scoped(scope, f);
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Err(GenError::Internal(what))
            }),
            Err(e) => Err(GenError::Internal(format!("cannot start the generator thread: {e}"))),
        }
    })
}

/// The one spec file in a directory.
pub fn find_spec(dir: &Path) -> Result<PathBuf, GenError> {
    let entries = std::fs::read_dir(dir).map_err(|e| GenError::io(dir, "read the spec directory", e))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) && p.is_file())
        .collect();
    specs.sort();
    match specs.len() {
        1 => Ok(specs.remove(0)),
        0 => Err(GenError::config(dir.display().to_string(), "no spec (*.yaml, *.yml, *.json) here")),
        _ => Err(GenError::config(
            dir.display().to_string(),
            format!("several specs here: {specs:?}; list them in an openapi-gen.toml manifest, or name one with Config::spec"),
        )),
    }
}

/// Write `content` unless the file already holds it; true when written.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, GenError> {
    if std::fs::read(path).ok().as_deref() == Some(content.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| GenError::io(parent, "create", e))?;
    }
    std::fs::write(path, content).map_err(|e| GenError::io(path, "write", e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtime_version_is_the_runtime_crates() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/Cargo.toml");
        let manifest = std::fs::read_to_string(path).expect("the workspace's runtime crate");
        assert!(manifest.contains(&format!("\nversion = \"{}\"\n", super::RUNTIME_VERSION)));
    }
}
