//! Every corpus spec's generated client, compiled together. Any warning in
//! generated code fails the build; the generated example tests run with
//! `cargo test`.

#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/mods.rs"));
