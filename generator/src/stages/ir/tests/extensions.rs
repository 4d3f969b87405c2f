//! `x-packed-base64` and `x-client-default`: read from property schemas,
//! checked against the field's type, and warned about (with the pointer)
//! where they do not fit.

use crate::stages::ir::{ClientDefault, Ir, Packed, Struct, TypeKind};
use crate::Config;
use serde_json::json;

fn ir() -> (Ir, Vec<String>) {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/embed": {"post": {
            "operationId": "embed",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EmbedRequest"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Vectors"}}}}}
        }}},
        "components": {"schemas": {
            "EmbedRequest": {
                "type": "object",
                "required": ["input", "model"],
                "properties": {
                    "input": {"type": "string"},
                    "model": {"type": "string", "x-client-default": "m"},
                    "format": {"type": "string", "enum": ["float", "base64"], "x-client-default": "base64"},
                    "shared": {"$ref": "#/components/schemas/Format", "x-client-default": "float"},
                    "user": {"type": "string", "x-client-default": "me"},
                    "normalize": {"type": "boolean", "x-client-default": true},
                    "dimensions": {"type": "integer", "minimum": 0, "x-client-default": 256},
                    "small": {"type": "integer", "format": "int32", "x-client-default": 3000000000_i64},
                    "negative": {"type": "integer", "minimum": 0, "x-client-default": -1},
                    "mismatch": {"type": "integer", "x-client-default": "256"},
                    "object": {"type": "string", "x-client-default": {"a": 1}}
                }
            },
            "Format": {"type": "string", "enum": ["float", "base64"]},
            "Vectors": {
                "type": "object",
                "required": ["vector"],
                "properties": {
                    "vector": {"type": "array", "items": {"type": "number"}, "x-packed-base64": "float32"},
                    "wide": {"type": ["array", "null"], "items": {"type": "number"}, "x-packed-base64": "float64"},
                    "half": {"type": "array", "items": {"type": "number"}, "x-packed-base64": "float16"},
                    "words": {"type": "array", "items": {"type": "string"}, "x-packed-base64": "float32"},
                    "plain": {"type": "array", "items": {"type": "number"}}
                }
            }
        }}
    });
    let (ir, diags) = Config::new().build_ir(doc).expect("builds");
    (ir, diags.items.iter().map(|d| d.to_string()).collect())
}

fn structure<'a>(ir: &'a Ir, name: &str) -> &'a Struct {
    match ir.types.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s,
        other => panic!("{name}: {other:?}"),
    }
}

fn warned(diags: &[String], pointer: &str, says: &str) -> bool {
    diags.iter().any(|d| d.contains("OAG0208") && d.contains(pointer) && d.contains(says))
}

#[test]
fn packed_vectors_are_arrays_of_numbers_with_a_known_width() {
    let (ir, diags) = ir();
    let s = structure(&ir, "Vectors");
    let packed: Vec<(&str, Option<Packed>)> = s.fields.iter().map(|f| (f.wire.as_str(), f.packed)).collect();
    assert_eq!(
        packed,
        [
            ("vector", Some(Packed::Float32)),
            ("wide", Some(Packed::Float64)),
            ("half", None),
            ("words", None),
            ("plain", None)
        ]
    );
    assert!(
        warned(&diags, "/components/schemas/Vectors/properties/half/x-packed-base64", "not `float32` or `float64`"),
        "{diags:#?}"
    );
    assert!(
        warned(&diags, "/components/schemas/Vectors/properties/words/x-packed-base64", "not an array of numbers"),
        "{diags:#?}"
    );
}

#[test]
fn client_defaults_fit_an_optional_field_of_their_type() {
    let (ir, diags) = ir();
    let s = structure(&ir, "EmbedRequest");
    let defaults: Vec<(&str, Option<&ClientDefault>)> =
        s.fields.iter().map(|f| (f.wire.as_str(), f.client_default.as_ref())).collect();
    let str = |s: &str| ClientDefault::Str(s.into());
    assert_eq!(
        defaults,
        [
            ("input", None),
            ("model", None),
            ("format", Some(&str("base64"))),
            ("shared", Some(&str("float"))),
            ("user", Some(&str("me"))),
            ("normalize", Some(&ClientDefault::Bool(true))),
            ("dimensions", Some(&ClientDefault::Int(256))),
            ("small", None),
            ("negative", None),
            ("mismatch", None),
            ("object", None),
        ]
    );
    let at = |p: &str| format!("/components/schemas/EmbedRequest/properties/{p}/x-client-default");
    assert!(warned(&diags, &at("model"), "the field is required"), "{diags:#?}");
    for p in ["small", "negative", "mismatch"] {
        assert!(warned(&diags, &at(p), "does not fit the field's type"), "{p}: {diags:#?}");
    }
    assert!(warned(&diags, &at("object"), "not a string, a boolean or an integer"), "{diags:#?}");
    assert_eq!(diags.iter().filter(|d| d.contains("OAG0208")).count(), 7, "{diags:#?}");
}
