//! Declarations the settings make about operations, decided on the document
//! after filtering (part of the merge stage; see the pipeline): which
//! operations `undeclared_errors` gives a typed `default` error, and what
//! `[[pagination]]` and `[[feature]]` declare for the operations their
//! patterns match. The decisions go to the IR in [`Declared`], keyed by
//! operation; the document is changed only where the spec itself changes (the
//! `default` response added).

use crate::ground::declared::{Declared, OperationKey};
use crate::ground::diag::{Code, Diagnostic, Diagnostics};
use crate::ground::http::HttpMethod;
use crate::ground::pointer;
use crate::stages::filter::{Pattern, Patterns};
use serde_json::Value;
use std::collections::HashMap;

/// What `[[pagination]]` and `[[feature]]` declare for the merged document.
pub(crate) fn declare(doc: &Value, patterns: &Patterns, declared: &mut Declared, diags: &mut Diagnostics) {
    if !patterns.pagination.is_empty() {
        declared.pagination = declare_by_pattern(doc, &patterns.pagination, "pagination", diags);
    }
    if !patterns.polling.is_empty() {
        declared.polling = declare_by_pattern(doc, &patterns.polling, "polling", diags);
    }
    if !patterns.features.is_empty() {
        declared.features = declare_features(doc, &patterns.features, diags);
    }
}

/// Give every operation without a `default` response one whose JSON body is
/// the component schema `schema`: it types the error statuses the operation
/// does not declare (a body that does not fit stays an untyped error). An
/// error when the spec has no such schema. Returns the operations given one.
pub(crate) fn type_undeclared_errors(doc: &mut Value, schema: &str) -> Result<Vec<OperationKey>, Diagnostic> {
    let tokens = ["components", "schemas", schema].map(String::from);
    if pointer::get(doc, &tokens).is_none() {
        return Err(Diagnostic::new(
            Code::MissingTarget,
            "#/components/schemas",
            format!("undeclared_errors names `{schema}`, which is not a schema of this spec"),
        ));
    }
    let response = serde_json::json!({
        "description": "An error status the operation does not declare.",
        "content": {"application/json": {"schema": {"$ref": pointer::component_ref("schemas", schema)}}},
    });
    let mut given = Vec::new();
    let paths = doc.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|p| p.iter_mut());
    for (path, item) in paths {
        let Some(item) = item.as_object_mut() else { continue };
        for method in HttpMethod::ALL {
            let Some(op) = item.get_mut(method.key()).and_then(Value::as_object_mut) else { continue };
            let responses = op.entry("responses").or_insert_with(|| Value::Object(Default::default()));
            if let Some(responses) = responses.as_object_mut().filter(|r| !r.contains_key("default")) {
                responses.insert("default".into(), response.clone());
                given.push(OperationKey::new(path, method));
            }
        }
    }
    Ok(given)
}

/// The paging each pattern declares for the operations it matches (the
/// manifest's `[[pagination]]`, after mounting, as filters match); a later
/// declaration wins. A pattern that matches nothing is a warning.
/// What each pattern declares for the operations it matches (`what` names
/// the declaration in the warning for a pattern that matches nothing); a
/// later declaration wins.
fn declare_by_pattern(
    doc: &Value,
    declared: &[(Pattern, Value)],
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<OperationKey, Value> {
    let mut used = vec![false; declared.len()];
    let mut out = HashMap::new();
    for (path, method, op) in operations(doc) {
        for (i, (pattern, declaration)) in declared.iter().enumerate() {
            if pattern.matches(method, path, op) {
                used[i] = true;
                out.insert(OperationKey::new(path, method), declaration.clone());
            }
        }
    }
    for ((pattern, _), used) in declared.iter().zip(used) {
        if !used {
            diags.add(
                Code::UnmatchedPattern,
                "#/paths",
                format!("the {what} pattern `{pattern}` matches no operation"),
            );
        }
    }
    out
}

/// Every operation of a document: path, method and the operation object.
fn operations(doc: &Value) -> impl Iterator<Item = (&str, HttpMethod, &Value)> {
    let paths = doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.iter());
    paths.flat_map(|(path, item)| {
        HttpMethod::ALL.into_iter().filter_map(move |m| Some((path.as_str(), m, item.get(m.key())?)))
    })
}

/// The feature of each operation a named list matches (the first list that
/// matches); a pattern that matches nothing is reported.
fn declare_features(
    doc: &Value,
    lists: &[(String, Vec<Pattern>)],
    diags: &mut Diagnostics,
) -> HashMap<OperationKey, String> {
    let mut used: Vec<Vec<bool>> = lists.iter().map(|(_, p)| vec![false; p.len()]).collect();
    let mut out = HashMap::new();
    for (path, method, op) in operations(doc) {
        let mut feature = None;
        for (l, (name, patterns)) in lists.iter().enumerate() {
            for (i, pattern) in patterns.iter().enumerate() {
                if pattern.matches(method, path, op) {
                    used[l][i] = true;
                    feature = feature.or(Some(name));
                }
            }
        }
        if let Some(name) = feature {
            out.insert(OperationKey::new(path, method), name.clone());
        }
    }
    for ((name, patterns), used) in lists.iter().zip(used) {
        for (pattern, used) in patterns.iter().zip(used) {
            if !used {
                diags.add(
                    Code::UnmatchedPattern,
                    "#/paths",
                    format!("the pattern `{pattern}` of feature `{name}` matches no operation"),
                );
            }
        }
    }
    out
}
