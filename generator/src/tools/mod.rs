//! Tools for this repository's tests and the command line, not for build
//! scripts (the `tools` feature): the fuzz mutator.

pub mod mutate;
