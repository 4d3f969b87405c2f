//! The [`typed`](crate::pipeline) stage: from the merged, normalized `Value`
//! to the typed `openapiv3` model.
//!
//! The fast path deserializes the whole document at once. When that fails,
//! the failure is isolated: each component and operation is tried on its own,
//! a schema that does not fit is narrowed down to its smallest failing
//! sub-schema, which becomes "any JSON value" (a fallback with a pointer); a
//! parameter, body or operation that still does not fit is left out with a
//! warning. Only a document whose skeleton is broken is an error.

use crate::ground::diag::{Code, Diagnostics, GenError};
use crate::ground::http::is_method;
use crate::ground::pointer::Ptr;
use openapiv3::{
    Header, OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Deserialize the model, isolating parts that do not fit.
pub(crate) fn into_model(mut doc: Value, diags: &mut Diagnostics) -> Result<OpenAPI, GenError> {
    if let Some(api) = fits_in_parallel(&mut doc) {
        crate::ground::parallel::drop_aside(doc);
        return Ok(api);
    }
    isolate(&mut doc, diags);
    serde_path_to_error::deserialize::<_, OpenAPI>(&doc).map_err(|e| {
        let pointer = path_to_pointer(&e.path().to_string());
        GenError::spec(Code::NotOpenApi, pointer, format!("not a valid OpenAPI document: {}", e.inner()))
    })
}

/// The fast path on every core: the paths and the component schemas (nearly
/// all of a large spec) are deserialized one by one, shared out among
/// threads, and the rest as one small document. This also spares `openapiv3`
/// copying the whole document once per level it flattens (the root, `paths`,
/// `components`). The model is the one the whole document deserializes to;
/// `None` when any part does not fit (the document is then as it was).
fn fits_in_parallel(doc: &mut Value) -> Option<OpenAPI> {
    let paths = take_object(doc.pointer_mut("/paths"));
    let schemas = take_object(doc.pointer_mut("/components/schemas"));
    let api = assemble(doc, paths.as_ref(), schemas.as_ref());
    for (at, taken) in [("/paths", paths), ("/components/schemas", schemas)] {
        if let (Some(slot), Some(map)) = (doc.pointer_mut(at), taken) {
            *slot = Value::Object(map);
        }
    }
    api
}

/// An object's members, an empty object left in their place.
fn take_object(v: Option<&mut Value>) -> Option<Map<String, Value>> {
    match v? {
        Value::Object(map) => Some(std::mem::take(map)),
        _ => None,
    }
}

/// The model of `doc` (paths and schemas taken out) with them put back.
fn assemble(doc: &Value, paths: Option<&Map<String, Value>>, schemas: Option<&Map<String, Value>>) -> Option<OpenAPI> {
    enum Part {
        Path(Box<ReferenceOr<PathItem>>),
        Schema(Box<ReferenceOr<Schema>>),
    }
    let mut api = fits::<OpenAPI>(doc).ok()?;
    // As `openapiv3` reads `paths`: keys from `/` are paths, from `x-` extensions.
    let path_items = paths.into_iter().flatten().filter(|(k, _)| k.starts_with('/'));
    let units: Vec<(bool, &String, &Value)> = path_items
        .map(|(k, v)| (true, k, v))
        .chain(schemas.into_iter().flatten().map(|(k, v)| (false, k, v)))
        .collect();
    let parts = crate::ground::parallel::in_parallel(&units, 32, |run| {
        let one = |&(is_path, _, v): &(bool, &String, &Value)| match is_path {
            true => fits(v).map(|item| Part::Path(Box::new(item))),
            false => fits(v).map(|schema| Part::Schema(Box::new(schema))),
        };
        run.iter().map(one).collect::<Result<Vec<_>, _>>().map_err(GenError::Internal)
    })
    .ok()?;
    for ((_, key, _), part) in units.iter().zip(parts.into_iter().flatten()) {
        match part {
            Part::Path(item) => {
                api.paths.paths.insert((*key).clone(), *item);
            }
            Part::Schema(schema) => {
                api.components.as_mut()?.schemas.insert((*key).clone(), *schema);
            }
        }
    }
    for (k, v) in paths.into_iter().flatten().filter(|(k, _)| k.starts_with("x-")) {
        api.paths.extensions.insert(k.clone(), v.clone());
    }
    Some(api)
}

fn fits<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| e.to_string())
}

fn path_to_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return "#".into();
    }
    let mut out = String::from("#");
    for token in path.split('.') {
        out.push('/');
        out.push_str(&crate::ground::pointer::escape(token.trim_start_matches('[').trim_end_matches(']')));
    }
    out
}

fn isolate(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else { return };
    let mut ptr = Ptr::root();
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        ptr.with("components", |ptr| isolate_components(components, ptr, diags));
    }
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        ptr.with("paths", |ptr| {
            for (path, item) in paths.iter_mut() {
                ptr.with(path, |ptr| isolate_path_item(item, ptr, diags));
            }
        });
    }
    for key in ["servers", "security", "tags", "externalDocs", "info"] {
        let bad = match (key, root.get(key)) {
            (_, None) => false,
            ("servers", Some(v)) => fits::<Vec<openapiv3::Server>>(v).is_err(),
            ("security", Some(v)) => fits::<Vec<openapiv3::SecurityRequirement>>(v).is_err(),
            ("tags", Some(v)) => fits::<Vec<openapiv3::Tag>>(v).is_err(),
            ("externalDocs", Some(v)) => fits::<openapiv3::ExternalDocumentation>(v).is_err(),
            ("info", Some(v)) => fits::<openapiv3::Info>(v).is_err(),
            _ => false,
        };
        if bad {
            diags.add(Code::Malformed, &format!("#/{key}"), format!("malformed `{key}`; ignored"));
            if key == "info" {
                root.insert(key.into(), serde_json::json!({"title": "", "version": ""}));
            } else {
                root.remove(key);
            }
        }
    }
}

fn isolate_components(components: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    for (kind, section) in components.iter_mut() {
        let Some(map) = section.as_object_mut() else { continue };
        ptr.with(kind, |ptr| {
            let mut drop = Vec::new();
            for (name, item) in map.iter_mut() {
                ptr.with(name, |ptr| {
                    let keep = match kind.as_str() {
                        "schemas" => {
                            isolate_schema(item, ptr, diags);
                            true
                        }
                        "parameters" => isolate_parameter(item, ptr, diags),
                        "requestBodies" => isolate_with_content::<RequestBody>(item, ptr, diags),
                        "responses" => isolate_response(item, ptr, diags),
                        "headers" => isolate_with_schema::<Header>(item, ptr, diags),
                        "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(item, ptr, diags, "security scheme"),
                        _ => true,
                    };
                    if !keep {
                        drop.push(name.clone());
                    }
                });
            }
            for name in drop {
                map.shift_remove(&name);
            }
        });
    }
}

fn check<T: DeserializeOwned>(v: &Value, ptr: &Ptr, diags: &mut Diagnostics, what: &str) -> bool {
    match fits::<T>(v) {
        Ok(_) => true,
        Err(e) => {
            diags.add(Code::Malformed, ptr.as_str(), format!("malformed {what} ignored: {e}"));
            false
        }
    }
}

/// Narrow a failing schema down to its smallest failing parts; each becomes `{}`.
pub(crate) fn isolate_schema(schema: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Err(first_error) = fits::<ReferenceOr<Schema>>(schema) else { return };
    if let Some(obj) = schema.as_object_mut() {
        for key in ["properties", "patternProperties"] {
            if let Some(props) = obj.get_mut(key).and_then(Value::as_object_mut) {
                ptr.with(key, |ptr| {
                    for (name, p) in props.iter_mut() {
                        ptr.with(name, |ptr| isolate_schema(p, ptr, diags));
                    }
                });
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(s) = obj.get_mut(key).filter(|s| s.is_object()) {
                ptr.with(key, |ptr| isolate_schema(s, ptr, diags));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
                ptr.with(key, |ptr| {
                    for (i, s) in list.iter_mut().enumerate() {
                        ptr.with(&i.to_string(), |ptr| isolate_schema(s, ptr, diags));
                    }
                });
            }
        }
    }
    if let Err(e) = fits::<ReferenceOr<Schema>>(schema) {
        let e = if e.is_empty() { first_error } else { e };
        diags.add(
            Code::UntypedSchema,
            ptr.as_str(),
            format!("schema does not fit the OpenAPI model ({e}); any JSON value is accepted"),
        );
        // Keep the documentation, drop the shape.
        let mut keep = Map::new();
        if let Some(obj) = schema.as_object_mut() {
            for k in ["description", "title"] {
                if let Some(v) = obj.remove(k).filter(Value::is_string) {
                    keep.insert(k.into(), v);
                }
            }
        }
        *schema = Value::Object(keep);
    }
}

fn isolate_parameter(p: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) -> bool {
    isolate_with_schema::<Parameter>(p, ptr, diags)
}

/// Objects holding a `schema` (parameters, headers).
fn isolate_with_schema<T: DeserializeOwned>(v: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) -> bool {
    if fits::<ReferenceOr<T>>(v).is_ok() {
        return true;
    }
    if let Some(schema) = v.get_mut("schema") {
        ptr.with("schema", |ptr| isolate_schema(schema, ptr, diags));
    }
    check::<ReferenceOr<T>>(v, ptr, diags, "object")
}

/// Objects holding `content` (request bodies).
fn isolate_with_content<T: DeserializeOwned>(v: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) -> bool {
    if fits::<ReferenceOr<T>>(v).is_ok() {
        return true;
    }
    if let Some(content) = v.get_mut("content").and_then(Value::as_object_mut) {
        ptr.with("content", |ptr| {
            for (media, m) in content.iter_mut() {
                if let Some(schema) = m.get_mut("schema") {
                    ptr.with(media, |ptr| ptr.with("schema", |ptr| isolate_schema(schema, ptr, diags)));
                }
            }
        });
    }
    check::<ReferenceOr<T>>(v, ptr, diags, "object")
}

fn isolate_response(v: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) -> bool {
    if fits::<ReferenceOr<Response>>(v).is_ok() {
        return true;
    }
    if let Some(headers) = v.get_mut("headers").and_then(Value::as_object_mut) {
        let mut bad = Vec::new();
        ptr.with("headers", |ptr| {
            for (name, h) in headers.iter_mut() {
                if !ptr.with(name, |ptr| isolate_with_schema::<Header>(h, ptr, diags)) {
                    bad.push(name.clone());
                }
            }
        });
        for name in bad {
            headers.shift_remove(&name);
        }
    }
    isolate_with_content::<Response>(v, ptr, diags)
}

fn isolate_path_item(item: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    if fits::<ReferenceOr<PathItem>>(item).is_ok() {
        return;
    }
    let Some(obj) = item.as_object_mut() else { return };
    if let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) {
        ptr.with("parameters", |ptr| isolate_parameter_list(params, ptr, diags));
    }
    let mut drop = Vec::new();
    for (key, op) in obj.iter_mut() {
        if !is_method(key) {
            continue;
        }
        ptr.with(key, |ptr| {
            if !isolate_operation(op, ptr, diags) {
                drop.push(key.clone());
            }
        });
    }
    for key in drop {
        obj.shift_remove(&key);
    }
    if fits::<ReferenceOr<PathItem>>(item).is_err() {
        diags.add(Code::SkippedOperation, ptr.as_str(), "path item does not fit the OpenAPI model");
        *item = Value::Object(Map::new());
    }
}

fn isolate_parameter_list(params: &mut Vec<Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let mut idx = 0;
    params.retain_mut(|p| {
        let keep = ptr.with(&idx.to_string(), |ptr| isolate_parameter(p, ptr, diags));
        idx += 1;
        keep
    });
}

fn isolate_operation(op: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) -> bool {
    if fits::<Operation>(op).is_ok() {
        return true;
    }
    let Some(obj) = op.as_object_mut() else { return false };
    if let Some(params) = obj.get_mut("parameters").and_then(Value::as_array_mut) {
        ptr.with("parameters", |ptr| isolate_parameter_list(params, ptr, diags));
    }
    if let Some(body) = obj.get_mut("requestBody") {
        if !ptr.with("requestBody", |ptr| isolate_with_content::<RequestBody>(body, ptr, diags)) {
            diags.add(Code::SkippedOperation, ptr.as_str(), "request body does not fit the OpenAPI model");
            return false;
        }
    }
    if let Some(responses) = obj.get_mut("responses").and_then(Value::as_object_mut) {
        ptr.with("responses", |ptr| {
            for (code, r) in responses.iter_mut() {
                if !ptr.with(code, |ptr| isolate_response(r, ptr, diags)) {
                    *r = serde_json::json!({"description": ""});
                }
            }
        });
    }
    match fits::<Operation>(op) {
        Ok(_) => true,
        Err(e) => {
            diags.add(Code::SkippedOperation, ptr.as_str(), format!("operation does not fit the OpenAPI model: {e}"));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc_with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {"ok": {"type": "string"}, "bad": schema}}}}
        })
    }

    #[test]
    fn a_valid_document_types_at_once() {
        let mut diags = Diagnostics::default();
        let api = into_model(doc_with_schema(json!({"type": "integer"})), &mut diags).unwrap();
        assert!(diags.items.is_empty());
        assert!(api.components.unwrap().schemas.contains_key("A"));
    }

    #[test]
    fn a_bad_sub_schema_becomes_any_value_and_is_reported_by_pointer() {
        let mut diags = Diagnostics::default();
        // `minimum` must be an integer for `type: integer` in the model.
        let api =
            into_model(doc_with_schema(json!({"type": "integer", "minimum": "zero", "description": "d"})), &mut diags)
                .unwrap();
        let fallbacks: Vec<_> = diags.of_kind(crate::ground::diag::Kind::Fallback).collect();
        assert_eq!(fallbacks.len(), 1, "{:?}", diags.items);
        assert_eq!(fallbacks[0].pointer, "#/components/schemas/A/properties/bad");
        let schemas = api.components.unwrap().schemas;
        let ReferenceOr::Item(a) = &schemas["A"] else { panic!("A is a ref") };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) = &a.schema_kind else {
            panic!("A is not an object")
        };
        assert!(o.properties.contains_key("ok"));
        let ReferenceOr::Item(bad) = &o.properties["bad"] else { panic!() };
        assert_eq!(bad.schema_data.description.as_deref(), Some("d"));
    }

    #[test]
    fn a_broken_operation_is_skipped_not_fatal() {
        let mut diags = Diagnostics::default();
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {
                "get": {"responses": {"200": {"description": "ok"}}},
                "post": {"requestBody": {"content": 5}, "responses": {}}
            }}
        });
        let api = into_model(doc, &mut diags).unwrap();
        let ReferenceOr::Item(item) = &api.paths.paths["/x"] else { panic!() };
        assert!(item.get.is_some());
        assert!(item.post.is_none());
        let skipped: Vec<_> = diags.of_kind(crate::ground::diag::Kind::SkippedOperation).collect();
        assert_eq!(skipped[0].pointer, "#/paths/~1x/post");
    }

    #[test]
    fn the_parallel_fast_path_gives_the_whole_documents_model() {
        let mut paths = serde_json::Map::new();
        for i in 0..300 {
            paths.insert(
                format!("/items/{i}"),
                json!({"get": {"operationId": format!("get{i}"), "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/S{i}")}}}}}}}),
            );
        }
        paths.insert("x-paths-note".into(), json!({"kept": true}));
        let schemas: serde_json::Map<String, Value> = (0..300)
            .map(|i| (format!("S{i}"), json!({"type": "object", "properties": {"n": {"type": "integer"}}, "x-i": i})))
            .collect();
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "x-root": 1, "paths": paths,
            "components": {"schemas": schemas, "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "string"}}}}});
        let whole: OpenAPI = fits(&doc).unwrap();
        let mut copy = doc.clone();
        let fast = fits_in_parallel(&mut copy).unwrap();
        assert_eq!(fast, whole);
        assert_eq!(fast.paths.paths.len(), 300);
        assert_eq!(fast.paths.extensions.len(), 1);
        assert_eq!(copy, doc, "the document is as it was");
        // A part that does not fit: no model, the document as it was.
        let mut bad = doc.clone();
        bad["components"]["schemas"]["S7"] = json!({"type": "object", "properties": 3});
        let before = bad.clone();
        assert!(fits_in_parallel(&mut bad).is_none());
        assert_eq!(bad, before);
    }

    #[test]
    fn serde_paths_become_pointers() {
        assert_eq!(path_to_pointer("paths./v1/x.post"), "#/paths/~1v1~1x/post");
        assert_eq!(path_to_pointer("."), "#");
    }
}
