//! The front ends: what a user writes to say what to generate. `Config`
//! (build scripts), the manifest (`plan`), and the settings all three bind
//! to, with the command line (`src/main.rs`).

pub(crate) mod config;
pub(crate) mod plan;
pub mod settings;
