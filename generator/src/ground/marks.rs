//! The two annotations normalize leaves in the document for the IR, because
//! the OpenAPI 3.0 model (`openapiv3`) drops what they hold: every example of
//! a schema or media type (3.1 `examples` lists, named media-type examples,
//! parameter examples), and that an array is a closed tuple. They travel on
//! the node they describe, not in a side table, because they must follow it
//! through what the later stages do to the document (mounting, merging with
//! renamed components, hoisting nested schemas, filtering); a table keyed by
//! pointer would have to be re-keyed at each step. This module is the only
//! place that names them: normalize writes through it, the IR reads through
//! it, and no other code knows the keys.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Every example of the object, in the order the spec gives them.
const EXAMPLES: &str = "x-openapi-gen-examples";
/// A closed tuple: its element count (its elements are the `oneOf` of its
/// `items`, so a reader that does not know the mark sees an array of any of them).
const TUPLE: &str = "x-openapi-gen-tuple";

/// Add an example to a schema or media-type object.
pub(crate) fn push_example(obj: &mut Map<String, Value>, example: Value) {
    if !obj.get(EXAMPLES).is_none_or(Value::is_array) {
        obj.remove(EXAMPLES);
    }
    let list = obj.entry(EXAMPLES).or_insert_with(|| Value::Array(Vec::new()));
    if let Some(list) = list.as_array_mut() {
        list.push(example);
    }
}

/// Mark an array schema as a closed tuple of `len` elements.
pub(crate) fn mark_tuple(obj: &mut Map<String, Value>, len: usize) {
    obj.insert(TUPLE.into(), Value::from(len));
}

/// The examples normalize kept on a node of the typed model.
pub(crate) fn examples(extensions: &IndexMap<String, Value>) -> &[Value] {
    match extensions.get(EXAMPLES) {
        Some(Value::Array(list)) => list,
        _ => &[],
    }
}

/// Whether normalize marked this array schema a closed tuple.
pub(crate) fn is_tuple(extensions: &IndexMap<String, Value>) -> bool {
    extensions.contains_key(TUPLE)
}

/// The examples kept on a JSON object (for normalize's tests).
#[cfg(test)]
pub(crate) fn examples_in(v: &Value) -> &[Value] {
    match v.get(EXAMPLES) {
        Some(Value::Array(list)) => list,
        _ => &[],
    }
}

/// The tuple length marked on a JSON object (for normalize's tests).
#[cfg(test)]
pub(crate) fn tuple_len(v: &Value) -> Option<u64> {
    v.get(TUPLE).and_then(Value::as_u64)
}
