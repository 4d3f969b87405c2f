//! The `normalize` stage (see the pipeline): a loaded document into what `openapiv3` (OpenAPI 3.0) models.
//!
//! Works in place on `serde_json::Value` (nothing large is cloned):
//! - OpenAPI 3.1 / JSON Schema 2020-12 to 3.0: `type` arrays and `null`
//!   branches of `anyOf`/`oneOf` become `nullable`, `const` a one-value `enum`,
//!   numeric `exclusiveMinimum`/`exclusiveMaximum` the 3.0 boolean form,
//!   `$ref` with siblings an `allOf` of the ref plus the siblings.
//! - What the model drops but the generator needs is kept through
//!   [`crate::ground::marks`]: schema `examples` and media-type examples
//!   (round-trip tests), and closed tuples.
//! - Sloppy-spec repair: Swagger-2 leftovers (`type: file`, `required: true` on
//!   a property, parameter `type` outside `schema`), misspelled types, bounds
//!   that do not fit the declared type, malformed keywords. Each repair that
//!   changes meaning is reported as a warning naming its JSON pointer.
//!
//! After the merge, [`crate::stages::typed`] turns the value into the `openapiv3`
//! model, isolating any part that still does not fit.

mod hoist;
mod schema;

use crate::ground::diag::{Code, Diagnostic, Diagnostics, GenError};
pub(crate) use crate::ground::pointer::Ptr;
use serde_json::{Map, Value};

use crate::ground::marks::push_example;
pub(crate) use schema::normalize_schema;

/// Normalize the whole document in place.
pub(crate) fn normalize(doc: &mut Value, diags: &mut Diagnostics) -> Result<(), GenError> {
    let Some(root) = doc.as_object_mut() else {
        return Err(GenError::single(Diagnostic::new(Code::Syntax, "#", "the document is not an object")));
    };
    check_version(root, diags)?;
    check_depth(doc)?;
    hoist::hoist_nested_refs(doc, diags);
    let Some(root) = doc.as_object_mut() else {
        return Err(GenError::single(Diagnostic::new(Code::Syntax, "#", "the document is not an object")));
    };
    let mut ptr = Ptr::root();
    repair_info(root, diags);
    repair_servers(root, diags);

    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        ptr.with("paths", |ptr| {
            for (path, item) in paths.iter_mut() {
                ptr.with(path, |ptr| normalize_path_item(item, ptr, diags));
            }
        });
    } else {
        root.insert("paths".into(), Value::Object(Map::new()));
    }

    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        ptr.with("components", |ptr| normalize_components(components, ptr, diags));
    }
    // Webhooks (3.1) are served, not called: a client has nothing to generate.
    root.remove("webhooks");
    root.remove("definitions");
    Ok(())
}

/// Every later walk recurses over the document: refuse nesting deeper than the
/// loaders allow (documents built in memory skip them), naming the place.
fn check_depth(doc: &Value) -> Result<(), GenError> {
    let max = crate::stages::load::MAX_DEPTH;
    let mut stack = vec![(doc, 1usize)];
    let mut too_deep = false;
    while let Some((v, depth)) = stack.pop() {
        if depth > max {
            too_deep = true;
            break;
        }
        match v {
            Value::Object(m) => stack.extend(m.values().map(|c| (c, depth + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    if !too_deep {
        return Ok(());
    }
    // Find the place (only on failure): follow the deepest branch down.
    let mut pointer = String::from("#");
    let mut v = doc;
    for _ in 0..max {
        let next = match v {
            Value::Object(m) => m.iter().max_by_key(|(_, c)| depth_of(c)).map(|(k, c)| (k.clone(), c)),
            Value::Array(a) => a.iter().enumerate().max_by_key(|(_, c)| depth_of(c)).map(|(i, c)| (i.to_string(), c)),
            _ => None,
        };
        let Some((token, child)) = next else { break };
        pointer = crate::ground::pointer::child(&pointer, &token);
        v = child;
    }
    Err(GenError::single(Diagnostic::new(
        Code::Syntax,
        pointer,
        format!("the document nests deeper than {max} levels"),
    )))
}

/// Nesting depth of a value, iteratively.
fn depth_of(v: &Value) -> usize {
    let mut best = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        best = best.max(d);
        match v {
            Value::Object(m) => stack.extend(m.values().map(|c| (c, d + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            _ => {}
        }
    }
    best
}

fn check_version(root: &mut Map<String, Value>, diags: &mut Diagnostics) -> Result<(), GenError> {
    if root.contains_key("swagger") && !root.contains_key("openapi") {
        return Err(GenError::single(Diagnostic::new(
            Code::NotOpenApi,
            "#/swagger",
            "Swagger 2.0 documents are not supported; convert the spec to OpenAPI 3 first, \
             for example with `npx swagger2openapi <spec> -o openapi.yaml`",
        )));
    }
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        Some(v) => diags.add(Code::Version, "#/openapi", format!("unknown OpenAPI version {v:?}; reading it as 3.x")),
        None => diags.add(Code::Version, "#/openapi", "no `openapi` version; reading the document as 3.x"),
    }
    // The typed model wants 3.0; the 3.1 specifics are rewritten below.
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    Ok(())
}

fn repair_info(root: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let info = root.entry("info").or_insert_with(|| Value::Object(Map::new()));
    if !info.is_object() {
        diags.add(Code::Malformed, "#/info", "`info` is not an object; replaced");
        *info = Value::Object(Map::new());
    }
    if let Some(info) = info.as_object_mut() {
        for key in ["title", "version"] {
            match info.get(key) {
                Some(Value::String(_)) => {}
                Some(Value::Number(n)) => {
                    let s = n.to_string();
                    info.insert(key.into(), Value::String(s));
                }
                _ => {
                    info.insert(key.into(), Value::String(String::new()));
                }
            }
        }
        // `license`/`contact` are documentation only; a malformed one must not fail the spec.
        for key in ["license", "contact"] {
            let ok = match info.get(key) {
                Some(Value::Object(o)) => key != "license" || o.get("name").is_some_and(Value::is_string),
                None => true,
                _ => false,
            };
            if !ok {
                info.remove(key);
            }
        }
    }
}

fn repair_servers(root: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let Some(servers) = root.get_mut("servers") else { return };
    let Some(list) = servers.as_array_mut() else {
        diags.add(Code::Malformed, "#/servers", "`servers` is not a list; ignored");
        root.remove("servers");
        return;
    };
    list.retain(|s| s.get("url").is_some_and(Value::is_string));
    for server in list.iter_mut() {
        if let Some(vars) = server.get_mut("variables").and_then(Value::as_object_mut) {
            vars.retain(|_, v| v.get("default").is_some_and(Value::is_string));
            for v in vars.values_mut() {
                if let Some(e) = v.get("enum") {
                    if !e.as_array().is_some_and(|a| a.iter().all(Value::is_string)) {
                        v.as_object_mut().map(|o| o.remove("enum"));
                    }
                }
            }
        }
    }
}

fn normalize_path_item(item: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = item.as_object_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "path item is not an object; ignored");
        *item = Value::Object(Map::new());
        return;
    };
    if obj.contains_key("$ref") {
        // Path-item refs are rare and usually external; keep the ref only.
        obj.retain(|k, _| k == "$ref");
        return;
    }
    if let Some(params) = obj.get_mut("parameters") {
        ptr.with("parameters", |ptr| normalize_parameters(params, ptr, diags));
    }
    for (key, op) in obj.iter_mut() {
        if crate::ground::http::is_method(key) {
            ptr.with(key, |ptr| normalize_operation(op, ptr, diags));
        }
    }
    // Unknown keys (including upper-case methods) are dropped by the model.
}

fn normalize_operation(op: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = op.as_object_mut() else {
        diags.add(Code::SkippedOperation, ptr.as_str(), "operation is not an object");
        *op = Value::Object(Map::new());
        return;
    };
    // Callbacks describe requests the server makes; a client does not use them.
    obj.remove("callbacks");
    if !obj.get("operationId").is_none_or(Value::is_string) {
        obj.remove("operationId");
    }
    for key in ["tags"] {
        if let Some(v) = obj.get_mut(key) {
            if let Some(a) = v.as_array_mut() {
                a.retain(Value::is_string);
            } else {
                obj.remove(key);
            }
        }
    }
    strip_non_strings(obj, &["summary", "description"]);
    if let Some(params) = obj.get_mut("parameters") {
        ptr.with("parameters", |ptr| normalize_parameters(params, ptr, diags));
    }
    if let Some(body) = obj.get_mut("requestBody") {
        ptr.with("requestBody", |ptr| normalize_request_body(body, ptr, diags));
    }
    match obj.get_mut("responses") {
        Some(responses) => ptr.with("responses", |ptr| normalize_responses(responses, ptr, diags)),
        None => {
            obj.insert("responses".into(), Value::Object(Map::new()));
        }
    }
    if let Some(sec) = obj.get("security") {
        if !sec.as_array().is_some_and(|a| a.iter().all(Value::is_object)) {
            diags.add(Code::Malformed, ptr.as_str(), "malformed `security`; ignored");
            obj.remove("security");
        }
    }
}

fn strip_non_strings(obj: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if obj.get(*key).is_some_and(|v| !v.is_string()) {
            obj.remove(*key);
        }
    }
}

fn normalize_parameters(params: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(list) = params.as_array_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "`parameters` is not a list; ignored");
        *params = Value::Array(Vec::new());
        return;
    };
    for (i, p) in list.iter_mut().enumerate() {
        ptr.with(&i.to_string(), |ptr| normalize_parameter(p, ptr, diags));
    }
    list.retain(|p| !p.is_null());
}

/// Normalize one parameter object; a parameter that cannot be used becomes `null`
/// and is removed by the caller.
pub(crate) fn normalize_parameter(p: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = p.as_object_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "parameter is not an object; ignored");
        *p = Value::Null;
        return;
    };
    if obj.contains_key("$ref") {
        obj.retain(|k, _| k == "$ref");
        return;
    }
    let name_ok = obj.get("name").is_some_and(Value::is_string);
    let location = obj.get("in").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let Some(location) = location.filter(|l| matches!(l.as_str(), "path" | "query" | "header" | "cookie")) else {
        let what = obj.get("in").map(|v| v.to_string()).unwrap_or_else(|| "nothing".into());
        diags.add(Code::Malformed, ptr.as_str(), format!("parameter located in {what}; ignored"));
        *p = Value::Null;
        return;
    };
    if !name_ok {
        diags.add(Code::Malformed, ptr.as_str(), "parameter without a name; ignored");
        *p = Value::Null;
        return;
    }
    obj.insert("in".into(), Value::String(location.clone()));
    if location == "path" {
        obj.insert("required".into(), Value::Bool(true));
    } else if !obj.get("required").is_none_or(Value::is_boolean) {
        let required = obj.get("required").and_then(Value::as_str) == Some("true");
        obj.insert("required".into(), Value::Bool(required));
    }
    strip_non_strings(obj, &["description"]);
    for key in ["deprecated", "allowEmptyValue", "explode", "allowReserved"] {
        if obj.get(key).is_some_and(|v| !v.is_boolean()) {
            obj.remove(key);
        }
    }
    if let Some(style) = obj.get("style").and_then(Value::as_str) {
        let allowed: &[&str] = match location.as_str() {
            "path" => &["matrix", "label", "simple"],
            "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            "header" => &["simple"],
            _ => &["form"],
        };
        if !allowed.contains(&style) {
            obj.remove("style");
        }
    } else {
        obj.remove("style");
    }
    if obj.contains_key("content") && !obj.contains_key("schema") {
        if let Some(content) = obj.get_mut("content") {
            ptr.with("content", |ptr| normalize_content(content, ptr, diags));
        }
        // The model wants exactly one of `schema` and `content`.
        let first = obj
            .get_mut("content")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.values_mut().next())
            .and_then(|m| m.as_object_mut())
            .and_then(|m| m.remove("schema"));
        obj.remove("content");
        obj.insert("schema".into(), first.unwrap_or_else(|| Value::Object(Map::new())));
    }
    if !obj.contains_key("schema") {
        // Swagger 2 leftovers put the type on the parameter itself.
        let mut schema = Map::new();
        for key in ["type", "format", "items", "enum", "default", "minimum", "maximum", "pattern"] {
            if let Some(v) = obj.remove(key) {
                schema.insert(key.into(), v);
            }
        }
        if schema.is_empty() {
            schema.insert("type".into(), Value::String("string".into()));
        }
        obj.insert("schema".into(), Value::Object(schema));
    }
    obj.remove("content");
    if let Some(example) = obj.remove("example") {
        attach_example(obj, example);
    }
    if let Some(examples) = obj.remove("examples") {
        for ex in example_values(examples) {
            attach_example(obj, ex);
        }
    }
    if let Some(schema) = obj.get_mut("schema") {
        ptr.with("schema", |ptr| normalize_schema(schema, ptr, diags));
    }
}

/// Parameter examples travel with the parameter's schema.
fn attach_example(param: &mut Map<String, Value>, example: Value) {
    if let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut) {
        push_example(schema, example);
    }
}

/// The values of an OpenAPI `examples` map (`{name: {value}}`); refs and
/// `externalValue` examples are not followed.
fn example_values(examples: Value) -> Vec<Value> {
    match examples {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(_, ex)| match ex {
                Value::Object(mut o) => o.remove("value"),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn normalize_request_body(body: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = body.as_object_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "request body is not an object; ignored");
        *body = serde_json::json!({"content": {}});
        return;
    };
    if obj.contains_key("$ref") {
        obj.retain(|k, _| k == "$ref");
        return;
    }
    strip_non_strings(obj, &["description"]);
    if obj.get("required").is_some_and(|v| !v.is_boolean()) {
        obj.remove("required");
    }
    match obj.get_mut("content") {
        Some(content) => ptr.with("content", |ptr| normalize_content(content, ptr, diags)),
        None => {
            obj.insert("content".into(), Value::Object(Map::new()));
        }
    }
}

fn normalize_responses(responses: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(map) = responses.as_object_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "`responses` is not an object; ignored");
        *responses = Value::Object(Map::new());
        return;
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let fixed = normalize_status_key(&key);
        match fixed {
            Some(k) if k == key => {}
            Some(k) => {
                if let Some(v) = map.remove(&key) {
                    map.entry(k).or_insert(v);
                }
            }
            None => {
                if !key.starts_with("x-") {
                    ptr.with(&key, |p| diags.add(Code::Malformed, p.as_str(), "not a status code; response ignored"));
                }
                map.remove(&key);
            }
        }
    }
    for (code, resp) in map.iter_mut() {
        ptr.with(code, |ptr| normalize_response(resp, ptr, diags));
    }
}

/// `200`, `2XX`, `default`; repairs `2xx` and ` 200 `.
fn normalize_status_key(key: &str) -> Option<String> {
    let k = key.trim();
    if k.eq_ignore_ascii_case("default") {
        return Some("default".into());
    }
    let upper = k.to_ascii_uppercase();
    let b = upper.as_bytes();
    let digits = b.get(1..).is_some_and(|rest| rest.iter().all(u8::is_ascii_digit) || rest == b"XX");
    if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && digits {
        return Some(upper);
    }
    None
}

/// Normalize a response object (also used for `components/responses`).
pub(crate) fn normalize_response(resp: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = resp.as_object_mut() else {
        *resp = serde_json::json!({"description": ""});
        return;
    };
    if obj.contains_key("$ref") {
        obj.retain(|k, _| k == "$ref");
        return;
    }
    if !obj.get("description").is_some_and(Value::is_string) {
        obj.insert("description".into(), Value::String(String::new()));
    }
    obj.remove("links");
    if let Some(content) = obj.get_mut("content") {
        ptr.with("content", |ptr| normalize_content(content, ptr, diags));
    }
    if let Some(headers) = obj.get_mut("headers") {
        ptr.with("headers", |ptr| normalize_headers(headers, ptr, diags));
    }
}

fn normalize_headers(headers: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(map) = headers.as_object_mut() else {
        *headers = Value::Object(Map::new());
        return;
    };
    for (name, h) in map.iter_mut() {
        ptr.with(name, |ptr| normalize_header(h, ptr, diags));
    }
    map.retain(|_, h| !h.is_null());
}

fn normalize_header(h: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(obj) = h.as_object_mut() else {
        *h = Value::Null;
        return;
    };
    if obj.contains_key("$ref") {
        obj.retain(|k, _| k == "$ref");
        return;
    }
    // A header is a parameter without `name`/`in`; reuse the parameter repairs.
    obj.insert("name".into(), Value::String("header".into()));
    obj.insert("in".into(), Value::String("header".into()));
    normalize_parameter(h, ptr, diags);
    if let Some(obj) = h.as_object_mut() {
        obj.remove("name");
        obj.remove("in");
        obj.remove("style");
    }
}

fn normalize_content(content: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(map) = content.as_object_mut() else {
        diags.add(Code::Malformed, ptr.as_str(), "`content` is not an object; ignored");
        *content = Value::Object(Map::new());
        return;
    };
    map.retain(|_, m| m.is_object());
    for (media, m) in map.iter_mut() {
        let Some(obj) = m.as_object_mut() else { continue };
        ptr.with(media, |ptr| {
            let mut examples: Vec<Value> = Vec::new();
            if let Some(ex) = obj.remove("example") {
                examples.push(ex);
            }
            if let Some(exs) = obj.remove("examples") {
                examples.extend(example_values(exs));
            }
            for example in examples {
                push_example(obj, example);
            }
            // Only each part's content type is used; the rest of `encoding` is dropped
            // so that a sloppy one cannot fail the typed model.
            if let Some(Value::Object(encoding)) = obj.remove("encoding") {
                let kept: Map<String, Value> = encoding
                    .into_iter()
                    .filter_map(|(prop, e)| {
                        let ct = e.get("contentType")?.as_str()?.to_string();
                        Some((prop, serde_json::json!({ "contentType": ct })))
                    })
                    .collect();
                if !kept.is_empty() {
                    obj.insert("encoding".into(), Value::Object(kept));
                }
            }
            if let Some(schema) = obj.get_mut("schema") {
                ptr.with("schema", |ptr| normalize_schema(schema, ptr, diags));
            }
        });
    }
}

fn normalize_components(components: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    for (kind, section) in components.iter_mut() {
        let Some(map) = section.as_object_mut() else {
            *section = Value::Object(Map::new());
            continue;
        };
        ptr.with(kind, |ptr| {
            for (name, item) in map.iter_mut() {
                ptr.with(name, |ptr| match kind.as_str() {
                    "schemas" => normalize_schema(item, ptr, diags),
                    "parameters" => normalize_parameter(item, ptr, diags),
                    "requestBodies" => normalize_request_body(item, ptr, diags),
                    "responses" => normalize_response(item, ptr, diags),
                    "headers" => normalize_header(item, ptr, diags),
                    _ => {}
                });
            }
            map.retain(|_, v| !v.is_null());
        });
    }
    // Sections the client never reads, and that sloppy specs often get wrong.
    for unused in ["examples", "links", "callbacks", "pathItems"] {
        components.remove(unused);
    }
    if let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) {
        schemes.retain(|name, s| {
            let ok = s
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| matches!(t, "apiKey" | "http" | "oauth2" | "openIdConnect"));
            if !ok {
                diags.add(
                    Code::Security,
                    &crate::ground::pointer::component_pointer("securitySchemes", name),
                    "unsupported security scheme; ignored",
                );
            }
            ok
        });
    }
}

#[cfg(test)]
mod tests;
