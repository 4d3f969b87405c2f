//! The IR's tests: what it makes of small specs, run through the pipeline's
//! stages up to the IR.

mod ergonomics;
mod extensions;
mod features;
mod nested_refs;
mod operations;
mod pagination;
mod reserved_names;
mod types;
