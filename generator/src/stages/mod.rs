//! The stages, in pipeline order (`crate::pipeline` runs them and numbers
//! them): load, overlay, normalize, merge and filter (with declare), typed, ir (with
//! resolve), codegen, format. Each takes the artifact of the one before; none
//! imports a later one.

pub(crate) mod codegen;
pub(crate) mod declare;
pub(crate) mod filter;
pub(crate) mod format;
pub(crate) mod ir;
pub mod load;
pub(crate) mod merge;
pub(crate) mod normalize;
pub(crate) mod overlay;
pub(crate) mod resolve;
pub(crate) mod typed;
