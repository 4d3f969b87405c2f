//! Which operations read a long job's state, and how: from an operation's
//! `x-polling` (which an overlay or the manifest's `[[polling]]` can set):
//! `{status, done, failed}`, the member holding the state (`status` by
//! default; a dotted path for a nested one), the states that end the wait,
//! and those of them that are failures. Only an operation with one JSON
//! success body can be polled; when the state member is an enum of the spec,
//! every state named must be one of its values.

use super::{Operation, ResponseBody, Success, TypeKind, TypeRef, TypeSpace};
use crate::ground::declared::{Declared, OperationKey};
use crate::ground::diag::{Code, Diagnostics};
use serde_json::Value;

/// How an operation is polled (see the runtime's `Polling`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Polling {
    /// The member holding the state (`status`, `job.status`).
    pub status: String,
    pub done: Vec<String>,
    pub failed: Vec<String>,
}

impl Polling {
    /// One line for the report: `status until completed, failed (failed: failed)`.
    pub(crate) fn describe(&self) -> String {
        let mut out = format!("{} until {}", self.status, self.done.join(", "));
        if !self.failed.is_empty() {
            out.push_str(&format!(" (failures: {})", self.failed.join(", ")));
        }
        out
    }
}

/// Decide each operation's polling: what the manifest declares, else its
/// own `x-polling`. A declaration that does not fit is a warning at its pointer.
pub(crate) fn decide(
    space: &TypeSpace,
    api: &openapiv3::OpenAPI,
    operations: &mut [Operation],
    declared: &Declared,
    diags: &mut Diagnostics,
) {
    for op in operations.iter_mut() {
        let key = OperationKey::new(&op.path, op.method);
        let raw = super::pagination::raw_operation(api, op).and_then(|raw| raw.extensions.get("x-polling"));
        let Some(declaration) = declared.polling.get(&key).or(raw) else { continue };
        if *declaration == Value::Bool(false) {
            continue;
        }
        let ptr = crate::ground::pointer::join(["paths", op.path.as_str(), op.method.key(), "x-polling"]);
        match declare(space, op, declaration) {
            Ok(p) => op.polling = Some(p),
            Err(e) => diags.add(Code::Polling, &ptr, format!("x-polling: {e}; the operation cannot be waited on")),
        }
    }
}

fn declare(space: &TypeSpace, op: &Operation, declaration: &Value) -> Result<Polling, String> {
    let list = |key: &str| -> Result<Vec<String>, String> {
        match declaration.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                items.iter().map(|v| v.as_str().map(str::to_string).ok_or(format!("`{key}` lists strings"))).collect()
            }
            Some(_) => Err(format!("`{key}` is a list of states")),
        }
    };
    let status = match declaration.get("status") {
        None => "status".to_string(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return Err("`status` names the member holding the state".into()),
    };
    let done = list("done")?;
    if done.is_empty() {
        return Err("`done` lists the states that end the wait".into());
    }
    let failed = list("failed")?;
    if let Some(odd) = failed.iter().find(|f| !done.contains(f)) {
        return Err(format!("the failure `{odd}` is not one of `done`"));
    }
    let Success::One(ResponseBody::Json(body)) = &op.success else {
        return Err("the operation has no JSON body to read the state from".into());
    };
    if let Some(values) = state_values(space, body.required(), &status)? {
        if let Some(odd) = done.iter().find(|d| !values.contains(d)) {
            return Err(format!("`{odd}` is not a value of `{status}` ({})", values.join(", ")));
        }
    }
    Ok(Polling { status, done, failed })
}

/// The values of the state member when the spec makes it an enum; an error
/// when a struct along the path has no such member.
fn state_values(space: &TypeSpace, body: &TypeRef, path: &str) -> Result<Option<Vec<String>>, String> {
    let mut at = body;
    for segment in path.split('.') {
        let TypeRef::Named(id) = space.unalias(at.required()) else { return Ok(None) };
        match &space.get(*id).kind {
            TypeKind::Struct(s) => match s.fields.iter().find(|f| f.wire == segment) {
                Some(f) => at = &f.ty,
                None if s.additional.is_some() => return Ok(None),
                None => return Err(format!("the body has no member `{segment}`")),
            },
            _ => return Ok(None),
        }
    }
    let TypeRef::Named(id) = space.unalias(at.required()) else { return Ok(None) };
    match &space.get(*id).kind {
        TypeKind::Enum(e) => Ok(Some(e.variants.iter().map(|v| v.wire.clone()).collect())),
        _ => Ok(None),
    }
}
