//! A reference to a place inside a schema is hoisted into a component of its own.

use crate::Config;
use serde_json::json;

#[test]
fn refs_to_nested_places_are_typed() {
    let doc = json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "A": {"type": "object", "properties": {"b": {"type": "object", "required": ["c"], "properties": {"c": {"type": "integer"}}}}},
            "UsesB": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/A/properties/b"}}}
        }}
    });
    let (ir, diags) = Config::new().build_ir(doc).expect("builds");
    assert!(diags.items.is_empty(), "{:?}", diags.items);
    let uses_b = ir.types.types.iter().find(|t| t.name == "UsesB").expect("UsesB");
    let crate::stages::ir::TypeKind::Struct(s) = &uses_b.kind else { panic!() };
    let crate::stages::ir::TypeRef::Named(id) = &s.fields[0].ty else { panic!("{:?}", s.fields[0].ty) };
    assert_eq!(ir.types.get(*id).name, "AB");
}
