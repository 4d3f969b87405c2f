//! Nothing to call: this member exists for what it depends on. It is one of
//! the workspace's default members, so `cargo build` and `cargo test` in this
//! repository select it beside the Nebius crate, and cargo unifies the
//! crate's features between the two: the crate is built with `regenerate`,
//! its build script generating the client from `spec/`. A program that
//! depends on the crate does not select this member, so it compiles the
//! committed `generated/client.rs` and never the generator.
