//! The ground every stage stands on; it imports no stage: diagnostics and
//! their codes, JSON pointers, Rust names, HTTP methods, positions in spec
//! files, work shared among cores, and the typed contract the merge stage hands the IR.

pub(crate) mod declared;
pub mod diag;
pub(crate) mod http;
pub(crate) mod marks;
pub(crate) mod naming;
pub(crate) mod parallel;
pub(crate) mod pointer;
pub mod source;
