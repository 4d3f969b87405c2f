//! Schema normalization: JSON Schema 2020-12 (OpenAPI 3.1) and sloppy 3.0
//! schemas into the 3.0 subset `openapiv3` models.

use super::Ptr;
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::marks::{mark_tuple, push_example};
use serde_json::{Map, Value};

/// Keywords that belong to one instance type; used to split `type: [a, b]`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "array" => &["items", "minItems", "maxItems", "uniqueItems", "prefixItems"],
        "object" => {
            &["properties", "required", "additionalProperties", "minProperties", "maxProperties", "patternProperties"]
        }
        "string" => &["pattern", "minLength", "maxLength", "format"],
        "number" | "integer" => &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"],
        _ => &[],
    }
}

/// Normalize one schema (and everything below it) in place.
pub(crate) fn normalize_schema(schema: &mut Value, ptr: &mut Ptr, diags: &mut Diagnostics) {
    match schema {
        Value::Object(_) => {}
        // `true` accepts anything; `false` nothing (rare; treat as anything).
        Value::Bool(_) => {
            *schema = Value::Object(Map::new());
            return;
        }
        _ => {
            diags.add(Code::UntypedSchema, ptr.as_str(), "schema is not an object; any JSON value is accepted");
            *schema = Value::Object(Map::new());
            return;
        }
    }
    let Some(obj) = schema.as_object_mut() else { return };

    if obj.contains_key("$ref") {
        if !obj.get("$ref").is_some_and(Value::is_string) {
            diags.add(Code::UntypedSchema, ptr.as_str(), "`$ref` is not a string; any JSON value is accepted");
            obj.clear();
            return;
        }
        normalize_ref_siblings(obj, ptr, diags);
        return;
    }

    normalize_type(obj, ptr, diags);
    normalize_const_and_enum(obj);
    normalize_annotations(obj);
    normalize_numbers(obj);
    normalize_object_keywords(obj, ptr, diags);
    normalize_array_keywords(obj, ptr, diags);
    normalize_composition(obj, ptr, diags);

    // Drop JSON Schema keywords the 3.0 model does not know and a client does not need.
    for k in [
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "dependentRequired",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "contentSchema",
        "$dynamicRef",
        "$dynamicAnchor",
        "$defs",
        "definitions",
        "xml",
    ] {
        obj.remove(k);
    }
}

/// 3.1 allows siblings next to `$ref`; 3.0 ignores them. Keep their meaning by
/// turning `{$ref, ...}` into `{allOf: [{$ref}], ...}`.
fn normalize_ref_siblings(obj: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    if obj.len() == 1 {
        return;
    }
    let Some(reference) = obj.remove("$ref") else { return };
    let mut only_ref = Map::new();
    only_ref.insert("$ref".into(), reference);
    let mut all_of = vec![Value::Object(only_ref)];
    if let Some(Value::Array(more)) = obj.remove("allOf") {
        all_of.extend(more);
    }
    obj.insert("allOf".into(), Value::Array(all_of));
    let mut wrapped = Value::Object(std::mem::take(obj));
    normalize_schema(&mut wrapped, ptr, diags);
    if let Value::Object(o) = wrapped {
        *obj = o;
    }
}

fn canonical_type(ty: &str) -> Option<&'static str> {
    let lower = ty.trim().to_ascii_lowercase();
    Some(match lower.as_str() {
        "string" | "str" | "text" | "date" | "datetime" | "date-time" => "string",
        "number" | "float" | "double" | "decimal" => "number",
        "integer" | "int" | "long" | "int32" | "int64" => "integer",
        "boolean" | "bool" => "boolean",
        "array" | "list" => "array",
        "object" | "dict" | "map" => "object",
        "null" => "null",
        "file" => "file",
        _ => return None,
    })
}

fn normalize_type(obj: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let Some(ty) = obj.remove("type") else { return };
    let mut types: Vec<&'static str> = Vec::new();
    let mut bad = false;
    match &ty {
        Value::String(s) => match canonical_type(s) {
            Some(t) => types.push(t),
            None => bad = true,
        },
        Value::Array(list) => {
            for t in list {
                match t.as_str().and_then(canonical_type) {
                    Some(t) if !types.contains(&t) => types.push(t),
                    Some(_) => {}
                    None => bad = true,
                }
            }
        }
        _ => bad = true,
    }
    if bad {
        diags.add(Code::UntypedSchema, ptr.as_str(), format!("unknown `type` {ty}; any JSON value is accepted"));
        return;
    }
    if let Some(i) = types.iter().position(|t| *t == "file") {
        types[i] = "string";
        obj.insert("format".into(), Value::String("binary".into()));
    }
    if let Some(i) = types.iter().position(|t| *t == "null") {
        types.remove(i);
        obj.insert("nullable".into(), Value::Bool(true));
    }
    match types.len() {
        0 => {
            if obj.get("nullable") == Some(&Value::Bool(true)) {
                // `type: 'null'` alone: only null is valid.
                obj.insert("enum".into(), Value::Array(vec![Value::Null]));
            }
        }
        1 => {
            obj.insert("type".into(), Value::String(types[0].to_string()));
        }
        _ => {
            // `type: [string, integer]`: one branch per type, each with its own keywords.
            let mut branches = Vec::new();
            for t in &types {
                let mut branch = Map::new();
                branch.insert("type".into(), Value::String(t.to_string()));
                for k in keywords_of(t) {
                    if let Some(v) = obj.get(*k) {
                        branch.insert(k.to_string(), v.clone());
                    }
                }
                branches.push(Value::Object(branch));
            }
            for t in &types {
                for k in keywords_of(t) {
                    obj.remove(*k);
                }
            }
            let mut any_of = Map::new();
            any_of.insert("anyOf".into(), Value::Array(branches));
            match obj.remove("anyOf").or_else(|| obj.remove("oneOf")) {
                // Both a type list and a composition: require both.
                Some(existing) => {
                    let mut both = vec![Value::Object(any_of)];
                    let mut other = Map::new();
                    other.insert("anyOf".into(), existing);
                    both.push(Value::Object(other));
                    let mut all = obj
                        .remove("allOf")
                        .and_then(|v| match v {
                            Value::Array(a) => Some(a),
                            _ => None,
                        })
                        .unwrap_or_default();
                    all.extend(both);
                    obj.insert("allOf".into(), Value::Array(all));
                }
                None => {
                    if let Some(Value::Array(branches)) = any_of.remove("anyOf") {
                        obj.insert("anyOf".into(), Value::Array(branches));
                    }
                }
            }
        }
    }
}

fn normalize_const_and_enum(obj: &mut Map<String, Value>) {
    if let Some(c) = obj.remove("const") {
        if !obj.contains_key("type") {
            let inferred = match &c {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(t) = inferred {
                obj.insert("type".into(), Value::String(t.into()));
            }
        }
        obj.insert("enum".into(), Value::Array(vec![c]));
    }
    let ty = obj_type(obj);
    let empty = match obj.get_mut("enum") {
        Some(Value::Array(values)) => {
            if let Some(ty) = ty {
                coerce_enum_values(&ty, values);
            }
            values.is_empty()
        }
        Some(_) => true,
        None => false,
    };
    if empty {
        obj.remove("enum");
    }
}

fn obj_type(obj: &Map<String, Value>) -> Option<String> {
    obj.get("type").and_then(Value::as_str).map(str::to_string)
}

/// Enum values that do not match the declared type are the commonest sloppiness:
/// `type: string, enum: [1, 2]` or `type: integer, enum: ["1"]`. Convert what can
/// be converted without losing information; the typed model rejects the rest.
fn coerce_enum_values(ty: &str, values: &mut Vec<Value>) {
    match ty {
        "string" => {
            for v in values.iter_mut() {
                match v {
                    Value::Number(n) => *v = Value::String(n.to_string()),
                    Value::Bool(b) => *v = Value::String(b.to_string()),
                    _ => {}
                }
            }
            values.retain(|v| v.is_string() || v.is_null());
        }
        "integer" => {
            for v in values.iter_mut() {
                if let Some(i) = v.as_str().and_then(|s| s.parse::<i64>().ok()) {
                    *v = Value::from(i);
                }
            }
            values.retain(|v| v.is_i64() || v.is_null());
        }
        "number" => {
            for v in values.iter_mut() {
                if let Some(f) = v.as_str().and_then(|s| s.parse::<f64>().ok()) {
                    if let Some(n) = serde_json::Number::from_f64(f) {
                        *v = Value::Number(n);
                    }
                }
            }
            values.retain(|v| v.is_number() || v.is_null());
        }
        "boolean" => {
            for v in values.iter_mut() {
                match v.as_str() {
                    Some("true") => *v = Value::Bool(true),
                    Some("false") => *v = Value::Bool(false),
                    _ => {}
                }
            }
            values.retain(|v| v.is_boolean() || v.is_null());
        }
        _ => {}
    }
}

fn normalize_annotations(obj: &mut Map<String, Value>) {
    for key in ["title", "description", "format", "pattern"] {
        match obj.get(key) {
            Some(Value::String(_)) | None => {}
            Some(_) => {
                obj.remove(key);
            }
        }
    }
    for key in ["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"] {
        match obj.get(key) {
            Some(Value::Bool(_)) | None => {}
            Some(Value::String(s)) => {
                let b = s == "true";
                obj.insert(key.into(), Value::Bool(b));
            }
            Some(_) => {
                obj.remove(key);
            }
        }
    }
    if let Some(examples) = obj.remove("examples") {
        match examples {
            Value::Array(list) => {
                for ex in list {
                    push_example(obj, ex);
                }
            }
            // A 3.0-style map of named examples placed on a schema by mistake.
            Value::Object(map) => {
                for (_, ex) in map {
                    if let Value::Object(mut o) = ex {
                        if let Some(v) = o.remove("value") {
                            push_example(obj, v);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(ed) = obj.get("externalDocs") {
        if !ed.get("url").is_some_and(Value::is_string) {
            obj.remove("externalDocs");
        }
    }
    if let Some(d) = obj.get("discriminator") {
        if !d.get("propertyName").is_some_and(Value::is_string) {
            obj.remove("discriminator");
        } else if let Some(m) = obj.get_mut("discriminator").and_then(|d| d.get_mut("mapping")) {
            match m.as_object_mut() {
                Some(map) => map.retain(|_, v| v.is_string()),
                None => {
                    if let Some(d) = obj.get_mut("discriminator").and_then(Value::as_object_mut) {
                        d.remove("mapping");
                    }
                }
            }
        }
    }
    if let Some(media) = obj.remove("contentMediaType") {
        if obj.get("type").and_then(Value::as_str) == Some("string") && !obj.contains_key("format") {
            let binary = media.as_str().is_some_and(|m| !m.starts_with("text/") && !m.contains("json"));
            if binary {
                obj.insert("format".into(), Value::String("binary".into()));
            }
        }
    }
    if let Some(enc) = obj.remove("contentEncoding") {
        if enc.as_str() == Some("base64") && !obj.contains_key("format") {
            obj.insert("format".into(), Value::String("byte".into()));
        }
    }
}

fn normalize_numbers(obj: &mut Map<String, Value>) {
    // 3.1: exclusiveMinimum is the bound itself; 3.0: a flag on `minimum`.
    for (excl, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match obj.get(excl) {
            Some(Value::Number(n)) => {
                let n = n.clone();
                obj.insert(bound.into(), Value::Number(n));
                obj.insert(excl.into(), Value::Bool(true));
            }
            Some(Value::Bool(_)) | None => {}
            Some(_) => {
                obj.remove(excl);
            }
        }
    }
    let integer = obj.get("type").and_then(Value::as_str) == Some("integer");
    for key in ["minimum", "maximum", "multipleOf"] {
        let keep = match obj.get(key) {
            None => true,
            Some(Value::Number(n)) => !integer || n.is_i64(),
            Some(_) => false,
        };
        if !keep {
            // Bounds are validation only; one that does not fit the type is dropped.
            obj.remove(key);
        }
    }
    for key in ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] {
        if obj.get(key).is_some_and(|v| !v.is_u64()) {
            obj.remove(key);
        }
    }
}

fn normalize_object_keywords(obj: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    // `required` must be a list of names; Swagger-2-era specs put `required: true` on properties.
    match obj.get_mut("required") {
        Some(Value::Array(list)) => list.retain(Value::is_string),
        Some(_) => {
            obj.remove("required");
        }
        None => {}
    }
    if let Some(props) = obj.get_mut("properties") {
        match props.as_object_mut() {
            Some(map) => {
                let mut newly_required = Vec::new();
                ptr.with("properties", |ptr| {
                    for (name, prop) in map.iter_mut() {
                        if let Some(p) = prop.as_object_mut() {
                            if p.get("$ref").is_none() {
                                if let Some(Value::Bool(req)) = p.get("required").cloned() {
                                    p.remove("required");
                                    if req {
                                        newly_required.push(Value::String(name.clone()));
                                    }
                                }
                            }
                        }
                        ptr.with(name, |ptr| normalize_schema(prop, ptr, diags));
                    }
                });
                if !newly_required.is_empty() {
                    let req = obj.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(list) = req.as_array_mut() {
                        for n in newly_required {
                            if !list.contains(&n) {
                                list.push(n);
                            }
                        }
                    }
                }
            }
            None => {
                obj.remove("properties");
            }
        }
    }
    if let Some(pattern_props) = obj.remove("patternProperties") {
        // A map keyed by pattern: the value schema becomes `additionalProperties`.
        if !obj.contains_key("additionalProperties") {
            if let Value::Object(map) = pattern_props {
                let value = if map.len() == 1 {
                    map.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Bool(true))
                } else {
                    Value::Bool(true)
                };
                obj.insert("additionalProperties".into(), value);
            }
        }
    }
    match obj.get_mut("additionalProperties") {
        Some(Value::Bool(_)) | None => {}
        Some(ap @ Value::Object(_)) => {
            ptr.with("additionalProperties", |ptr| normalize_schema(ap, ptr, diags));
        }
        Some(_) => {
            obj.remove("additionalProperties");
        }
    }
}

fn normalize_array_keywords(obj: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    let prefix = obj.remove("prefixItems");
    if let Some(Value::Array(elements)) = prefix.as_ref() {
        if closed_tuple(obj, elements.len()) {
            return tuple(obj, elements.clone(), ptr, diags);
        }
        return tuple_fallback(obj, "prefixItems", ptr, diags);
    }
    match obj.get_mut("items") {
        Some(items @ Value::Object(_)) => ptr.with("items", |ptr| normalize_schema(items, ptr, diags)),
        Some(Value::Array(_)) => tuple_fallback(obj, "items", ptr, diags),
        // `items: true` or junk: any element.
        Some(_) => {
            obj.insert("items".into(), Value::Object(Map::new()));
        }
        None if prefix.is_some() => tuple_fallback(obj, "prefixItems", ptr, diags),
        None => {
            if obj.get("type").and_then(Value::as_str) == Some("array") {
                obj.insert("items".into(), Value::Object(Map::new()));
            }
        }
    }
}

/// The most elements a Rust tuple has the standard traits for.
const TUPLE_MAX: usize = 12;

/// `prefixItems` of this length with nothing after them: `items: false`, or
/// `minItems` and `maxItems` both equal to it.
fn closed_tuple(obj: &Map<String, Value>, len: usize) -> bool {
    let count = |key: &str| obj.get(key).and_then(Value::as_u64);
    let closed = obj.get("items") == Some(&Value::Bool(false))
        || (count("minItems") == Some(len as u64) && count("maxItems") == Some(len as u64));
    closed && (1..=TUPLE_MAX).contains(&len)
}

/// A closed tuple: each element normalized where the file has it
/// (`prefixItems/i`), then kept as `items: {oneOf: [..]}`, marked a tuple.
fn tuple(obj: &mut Map<String, Value>, mut elements: Vec<Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    ptr.with("prefixItems", |ptr| {
        for (i, e) in elements.iter_mut().enumerate() {
            ptr.with(&i.to_string(), |ptr| normalize_schema(e, ptr, diags));
        }
    });
    let len = elements.len();
    let mut items = Map::new();
    items.insert("oneOf".into(), Value::Array(elements));
    obj.insert("items".into(), Value::Object(items));
    mark_tuple(obj, len);
}

/// Tuples that are not closed (or longer than a Rust tuple), and draft-4
/// `items: [...]`, have no exact Rust shape: an array of any value, the
/// warning pointing at the keyword the file has (`keyword`).
fn tuple_fallback(obj: &mut Map<String, Value>, keyword: &str, ptr: &mut Ptr, diags: &mut Diagnostics) {
    ptr.with(keyword, |p| {
        diags.add(
            Code::LooseTuple,
            p.as_str(),
            "tuple items that are not a closed tuple of at most 12 (items: false, or minItems = maxItems); \
             elements are any JSON value",
        )
    });
    obj.insert("items".into(), Value::Object(Map::new()));
}

fn normalize_composition(obj: &mut Map<String, Value>, ptr: &mut Ptr, diags: &mut Diagnostics) {
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(v) = obj.get_mut(key) else { continue };
        let Some(list) = v.as_array_mut() else {
            obj.remove(key);
            continue;
        };
        ptr.with(key, |ptr| {
            for (i, s) in list.iter_mut().enumerate() {
                ptr.with(&i.to_string(), |ptr| normalize_schema(s, ptr, diags));
            }
        });
        if key != "allOf" {
            // `null` branches become `nullable`.
            let before = list.len();
            list.retain(|s| !is_null_schema(s));
            if list.len() != before {
                // `anyOf: [X, null]` often documents X inside its branch; the docs
                // belong to the (now nullable) schema as a whole.
                let inherited: Vec<(&str, Value)> = match list.as_slice() {
                    [only] => ["description", "deprecated"]
                        .into_iter()
                        .filter_map(|k| only.get(k).map(|v| (k, v.clone())))
                        .collect(),
                    _ => Vec::new(),
                };
                for (k, v) in inherited {
                    obj.entry(k).or_insert(v);
                }
                obj.insert("nullable".into(), Value::Bool(true));
            }
        }
        if obj.get(key).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            obj.remove(key);
        }
    }
    if let Some(not) = obj.get_mut("not") {
        if not.is_object() {
            ptr.with("not", |ptr| normalize_schema(not, ptr, diags));
        } else {
            obj.remove("not");
        }
    }
    // `not` alongside a type only restricts values; it is validation, not shape.
    if obj.contains_key("not") && obj.len() > 1 {
        obj.remove("not");
    }
}

/// After normalization `{type: 'null'}` reads `{nullable: true, enum: [null]}`.
fn is_null_schema(s: &Value) -> bool {
    let Some(o) = s.as_object() else { return false };
    let only_null_enum = o.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_null));
    only_null_enum && !o.contains_key("type") && !o.contains_key("$ref")
}
