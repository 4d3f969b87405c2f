//! What the merge stage tells the IR about operations, as typed data: the
//! decisions made from the settings (`undeclared_errors`, `[[pagination]]`,
//! `[[feature]]`) travel here, keyed by operation, and not as extensions
//! written into the document. Extensions a user writes in a spec or overlay
//! (`x-pagination`, `x-openapi-gen-feature`) stay input, read by the IR.

use crate::ground::http::HttpMethod;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// An operation of the merged document: its path (after mounting) and method.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OperationKey {
    pub path: String,
    pub method: HttpMethod,
}

impl OperationKey {
    pub(crate) fn new(path: &str, method: HttpMethod) -> Self {
        OperationKey { path: path.to_string(), method }
    }
}

/// The merge stage's decisions about operations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Declared {
    /// Operations whose `default` response `undeclared_errors` added: a body
    /// that does not fit its schema stays an untyped error.
    pub undeclared_errors: HashSet<OperationKey>,
    /// The paging a `[[pagination]]` declares (what an `x-pagination` would
    /// say; `false` for none); it wins over the operation's own.
    pub pagination: HashMap<OperationKey, Value>,
    /// How a `[[polling]]` says an operation is polled (what an
    /// `x-polling` would say; `false` for not); it wins over the operation's own.
    pub polling: HashMap<OperationKey, Value>,
    /// The feature a `[[feature]]` list puts an operation in; the
    /// operation's own `x-openapi-gen-feature` wins.
    pub features: HashMap<OperationKey, String>,
}
