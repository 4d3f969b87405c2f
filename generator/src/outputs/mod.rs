//! What a generation gives besides the client's code: the report, the
//! README's table of operations, the cargo features table, and the Rust API
//! snapshot and its diff.

pub mod cargo_features;
pub mod diff;
#[cfg(feature = "tools")]
pub mod readme;
pub mod report;
