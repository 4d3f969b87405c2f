//! How callers build request values: `Default`, constructors, setters, `From`
//! conversions, and docs (decided in the IR; the Nebius crate's tests compile
//! and use the result).

use crate::stages::ir::{Ir, Struct, TypeKind, Union};
use crate::Config;
use serde_json::json;

fn ir() -> Ir {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/chat": {"post": {
            "operationId": "chat",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}}}}
        }}},
        "components": {"schemas": {
            "ChatRequest": {
                "type": "object",
                "required": ["model", "messages"],
                "properties": {
                    "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                    "model": {"type": "string", "title": "Model"},
                    "temperature": {"anyOf": [{"type": "number", "description": "Sampling temperature."}, {"type": "null"}]},
                    "options": {"$ref": "#/components/schemas/Options"},
                    "when": {"$ref": "#/components/schemas/Twins"}
                }
            },
            "Message": {
                "type": "object",
                "required": ["role", "content"],
                "properties": {
                    "role": {"type": "string", "const": "user"},
                    "content": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                    "name": {"type": "string"}
                }
            },
            "Options": {"type": "object", "properties": {"seed": {"type": "integer"}, "new": {"type": "boolean"}}},
            "Twins": {"anyOf": [{"$ref": "#/components/schemas/Name"}, {"$ref": "#/components/schemas/Nick"}, {"type": "integer"}]},
            "Name": {"type": "string"},
            "Nick": {"type": "string"},
            "Reply": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
        }}
    });
    Config::new().build_ir(doc).expect("builds").0
}

fn structure<'a>(ir: &'a Ir, name: &str) -> &'a Struct {
    match ir.types.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s,
        other => panic!("{name}: {other:?}"),
    }
}

fn union<'a>(ir: &'a Ir, name: &str) -> &'a Union {
    match ir.types.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Union(u)) => u,
        other => panic!("{name}: {other:?}"),
    }
}

fn field_names(s: &Struct, indices: &[usize]) -> Vec<String> {
    indices.iter().map(|i| s.fields[*i].name.to_string()).collect()
}

#[test]
fn request_structs_take_their_required_fields_in_the_specs_order() {
    let ir = ir();
    let chat = structure(&ir, "ChatRequest");
    assert_eq!(field_names(chat, &chat.build.constructor), ["model", "messages"]);
    assert!(chat.build.setters && !chat.build.default);
    // The one-valued `role` is filled in: only `content` is asked for.
    let message = structure(&ir, "Message");
    assert_eq!(field_names(message, &message.build.constructor), ["content"]);
}

#[test]
fn all_optional_structs_are_default_and_response_types_get_no_builders() {
    let ir = ir();
    let options = structure(&ir, "Options");
    assert!(options.build.default && options.build.setters && options.build.constructor.is_empty());
    let reply = structure(&ir, "Reply");
    assert!(!reply.build.default && !reply.build.setters && reply.build.constructor.is_empty());
    let role = ir.types.types.iter().find(|t| t.name == "MessageRole").expect("role enum");
    assert!(matches!(&role.kind, TypeKind::Enum(e) if e.default));
}

#[test]
fn unions_convert_from_variant_types_no_other_variant_shares() {
    let ir = ir();
    let content = union(&ir, "MessageContent");
    assert_eq!(content.conversions.len(), 2);
    let from_str = content.from_str.expect("a String variant converts from &str");
    assert_eq!(content.variants[from_str].name, "String");
    // Two variants are `String` under other names: neither converts (the impls
    // would collide), and `&str` would be ambiguous; the integer one still does.
    let twins = union(&ir, "Twins");
    assert_eq!(twins.variants.len(), 3, "{twins:?}");
    let converted: Vec<&str> = twins.conversions.iter().map(|i| twins.variants[*i].name.as_str()).collect();
    assert_eq!(converted, ["Integer"], "{twins:?}");
    assert!(twins.from_str.is_none());
}

#[test]
fn docs_come_out_of_null_branches_and_name_echoes_are_dropped() {
    let ir = ir();
    let chat = structure(&ir, "ChatRequest");
    let docs = |name: &str| chat.fields.iter().find(|f| f.name == name).map(|f| f.docs.clone()).expect(name);
    assert_eq!(docs("temperature").description.as_deref(), Some("Sampling temperature."));
    assert_eq!(docs("model"), crate::stages::ir::Docs::default(), "`title: Model` on `model` says nothing");
}
