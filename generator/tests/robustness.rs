//! Odd and broken specs never panic: each gives a document-level error or a
//! client with warnings.

use openapi_gen::Config;
use serde_json::{json, Value};

fn generate(doc: Value) -> Result<String, String> {
    let result = std::panic::catch_unwind(|| Config::new().generate_value(doc.clone(), "test.json"));
    match result {
        Ok(Ok(g)) => {
            syn::parse_file(&g.code).map_err(|e| format!("generated code does not parse: {e}"))?;
            Ok(g.code)
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => panic!("the generator panicked on {doc}"),
    }
}

fn with_schema(schema: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things/{id}": {"post": {
            "operationId": "post thing",
            "parameters": [{"name": "id", "in": "path", "schema": schema.clone()}],
            "requestBody": {"content": {"application/json": {"schema": schema.clone()}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema.clone()}}}}
        }}},
        "components": {"schemas": {"S": schema, "Self": {"$ref": "#/components/schemas/Self"}}}
    })
}

#[test]
fn odd_schemas_generate_without_panicking() {
    let schemas = [
        json!({}),
        json!(true),
        json!(42),
        json!({"type": 7}),
        json!({"type": ["null"]}),
        json!({"type": ["string", "integer", "null", "object", "array"]}),
        json!({"enum": []}),
        json!({"enum": [null]}),
        json!({"enum": ["a", 1, null, {"x": 1}]}),
        json!({"type": "string", "enum": ["", " ", "a-b", "A_B", "a b", "self", "Self", "1", "ü", "Other"]}),
        json!({"allOf": []}),
        json!({"allOf": [{"$ref": "#/components/schemas/S"}]}),
        json!({"allOf": [{"type": "string"}, {"type": "object", "properties": {"a": {}}}]}),
        json!({"oneOf": [{"$ref": "#/components/schemas/Missing"}, {"type": "string"}]}),
        json!({"anyOf": [{"type": "null"}]}),
        json!({"$ref": "other.yaml#/Thing"}),
        json!({"$ref": 5}),
        json!({"type": "object", "properties": {"type": {}, "self": {}, "Self": {}, "fooBar": {}, "foo_bar": {}, "": {}, "1x": {}, "async": {}, "r#x": {}}}),
        json!({"type": "object", "properties": "nope", "required": "yes", "additionalProperties": 3}),
        json!({"type": "array", "items": [{"type": "string"}]}),
        json!({"type": "integer", "minimum": 1e300, "maximum": "ten", "multipleOf": 0.5}),
        json!({"type": "object", "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/Nope"}}, "oneOf": [{"$ref": "#/components/schemas/S"}]}),
        json!({"not": {"type": "string"}}),
        json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/S"}}),
    ];
    for s in schemas {
        let r = generate(with_schema(s.clone()));
        assert!(r.is_ok(), "{s}: {r:?}");
    }
}

#[test]
fn odd_documents_fail_cleanly_or_generate() {
    let docs = [
        json!({}),
        json!({"openapi": "3.0.0"}),
        json!({"openapi": 3, "info": "x", "paths": []}),
        json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": 5, "/b": {"get": 5}, "/c": {"get": {"responses": 5}}}}),
        json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {"/a/{x}/{x}": {"get": {"parameters": [{"name": "x", "in": "path"}, {"in": "query"}, 5], "responses": {"200": {"description": "", "content": {"text/plain": {}}}, "20X": {}}}}}}),
        json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "servers": [{"url": "{scheme}://x", "variables": {"scheme": {"default": "https"}}}], "security": [{"nope": []}], "paths": {}}),
        json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {"/p": {"get": {"operationId": "new", "responses": {}}, "put": {"operationId": "new", "responses": {}}, "post": {"operationId": "", "responses": {}}}}}),
        json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {}, "components": {"securitySchemes": {"k": {"type": "apiKey"}}, "parameters": {"p": {"$ref": "#/components/parameters/p"}}}}),
    ];
    for d in docs {
        let _ = generate(d);
    }
}

#[test]
fn cyclic_refs_terminate() {
    let doc = json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"properties": {"a": {"$ref": "#/components/schemas/A"}}}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {"type": "string"}}}]},
            "C": {"$ref": "#/components/schemas/D"},
            "D": {"$ref": "#/components/schemas/C"},
            "E": {"type": "array", "items": {"$ref": "#/components/schemas/E"}},
            "F": {"anyOf": [{"$ref": "#/components/schemas/F"}, {"type": "string"}]}
        }}
    });
    let code = generate(doc).expect("generates");
    assert!(code.contains("pub struct E(pub ::std::vec::Vec<E>)"), "a self-referential array becomes a newtype");
}

/// Two schemas referring to each other through every pair of `$ref`, `allOf`,
/// `anyOf` and `oneOf`, used from a union and an operation: each generates
/// (a cycle with nothing in between becomes any JSON value, with a warning).
#[test]
fn reference_cycles_through_every_combinator_generate() {
    let kinds = ["$ref", "allOf", "anyOf", "oneOf"];
    let link = |kind: &str, to: &str| {
        let r = json!({"$ref": format!("#/components/schemas/{to}")});
        if kind == "$ref" {
            r
        } else {
            json!({kind: [r]})
        }
    };
    for a in kinds {
        for b in kinds {
            let doc = json!({
                "openapi": "3.0.3",
                "info": {"title": "T", "version": "1"},
                "paths": {"/c": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/U"}}}}}}}},
                "components": {"schemas": {
                    "C": link(a, "D"),
                    "D": link(b, "C"),
                    "U": {"anyOf": [{"$ref": "#/components/schemas/C"}, {"type": "string"}]}
                }}
            });
            if let Err(e) = generate(doc) {
                panic!("{a} then {b}: {e}");
            }
        }
    }
}

/// Each level refers to the next twice, through every combinator: expanding
/// it would take 2^40 steps; the generator names each schema once.
#[test]
fn reference_bombs_generate_without_expanding() {
    let mut schemas = serde_json::Map::new();
    let levels = 40;
    for i in 0..levels {
        let next = json!({"$ref": format!("#/components/schemas/B{}", i + 1)});
        let kind = ["allOf", "anyOf", "oneOf"][i % 3];
        schemas.insert(format!("B{i}"), json!({kind: [next.clone(), next]}));
    }
    schemas.insert(format!("B{levels}"), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/b": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B0"}}}}}}}},
        "components": {"schemas": schemas}
    });
    let code = generate(doc).expect("generates");
    // The leaf and the level that merges it twice are the same struct: emitted once.
    assert_eq!(code.matches("pub struct B").count(), 1, "{code}");
    assert!(code.contains("pub struct B39 {") && code.contains("pub type B40 = B39;"), "{code}");
}

/// Nesting beyond the loaders' limit is an error at the place, not an overflow.
#[test]
fn nesting_thousands_deep_is_a_located_error() {
    // Built and dropped on a large stack: serde_json recurses on both.
    let result = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut v = json!({"type": "string"});
            for _ in 0..3000 {
                let mut m = serde_json::Map::new();
                m.insert("type".into(), json!("array"));
                m.insert("items".into(), v);
                v = Value::Object(m);
            }
            let mut schemas = serde_json::Map::new();
            schemas.insert("Deep".into(), v);
            let mut doc =
                json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "components": {}});
            doc["components"]["schemas"] = Value::Object(schemas);
            Config::new().generate_value(doc, "deep.json").map(|_| ()).map_err(|e| e.to_string())
        })
        .expect("spawn")
        .join()
        .expect("no panic");
    let err = result.expect_err("too deep");
    assert!(err.contains("nests deeper than 128 levels"), "{err}");
    assert!(err.contains("#/components/schemas/Deep/items/items"), "{err}");
}
