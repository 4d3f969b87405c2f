use super::*;
use crate::ground::marks;
use serde_json::json;

fn norm_schema(mut s: Value) -> (Value, Diagnostics) {
    let mut diags = Diagnostics::default();
    normalize_schema(&mut s, &mut Ptr::root(), &mut diags);
    (s, diags)
}

#[test]
fn type_array_with_null_becomes_nullable() {
    let (s, _) = norm_schema(json!({"type": ["string", "null"], "maxLength": 3}));
    assert_eq!(s, json!({"type": "string", "nullable": true, "maxLength": 3}));
}

#[test]
fn type_array_of_two_types_splits_keywords_into_branches() {
    let (s, _) = norm_schema(json!({"type": ["string", "array"], "items": {"type": "integer"}, "description": "d"}));
    assert_eq!(
        s,
        json!({"description": "d", "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]})
    );
}

#[test]
fn any_of_null_branch_becomes_nullable() {
    let (s, _) = norm_schema(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));
    assert_eq!(s, json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}));
}

#[test]
fn const_becomes_a_one_value_enum() {
    let (s, _) = norm_schema(json!({"const": "option"}));
    assert_eq!(s, json!({"type": "string", "enum": ["option"]}));
}

#[test]
fn schema_examples_are_kept_for_round_trip_tests() {
    let (s, _) = norm_schema(json!({"type": "integer", "examples": [1, 2]}));
    assert_eq!(marks::examples_in(&s), [json!(1), json!(2)]);
    assert!(s.get("examples").is_none());
}

#[test]
fn ref_with_siblings_becomes_all_of() {
    let (s, _) = norm_schema(json!({"$ref": "#/components/schemas/A", "description": "why"}));
    assert_eq!(s, json!({"description": "why", "allOf": [{"$ref": "#/components/schemas/A"}]}));
    let (s, _) = norm_schema(json!({"$ref": "#/components/schemas/A"}));
    assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
}

#[test]
fn numeric_exclusive_bounds_become_flags() {
    let (s, _) = norm_schema(json!({"type": "number", "exclusiveMinimum": 0}));
    assert_eq!(s, json!({"type": "number", "exclusiveMinimum": true, "minimum": 0}));
}

#[test]
fn integer_bounds_beyond_i64_are_dropped() {
    let (s, _) = norm_schema(json!({"type": "integer", "minimum": -9.3e18, "maximum": 18446744073709551615u64}));
    assert_eq!(s, json!({"type": "integer"}));
}

#[test]
fn swagger_leftovers_are_repaired() {
    let (s, _) = norm_schema(
        json!({"type": "object", "properties": {"f": {"type": "file"}, "n": {"type": "Integer", "required": true}}}),
    );
    assert_eq!(
        s,
        json!({"type": "object", "required": ["n"], "properties": {
            "f": {"type": "string", "format": "binary"},
            "n": {"type": "integer"}
        }})
    );
}

#[test]
fn enum_values_are_coerced_to_the_declared_type() {
    let (s, _) = norm_schema(json!({"type": "string", "enum": [1, "a", true]}));
    assert_eq!(s["enum"], json!(["1", "a", "true"]));
}

#[test]
fn unknown_types_fall_back_with_a_pointer() {
    let (s, diags) = norm_schema(json!({"type": "blob"}));
    assert_eq!(s, json!({}));
    assert_eq!(diags.items[0].pointer, "#");
    assert_eq!(diags.items[0].kind(), crate::ground::diag::Kind::Fallback);
}

#[test]
fn tuples_fall_back_to_any_items() {
    let (s, diags) = norm_schema(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
    assert_eq!(s, json!({"type": "array", "items": {}}));
    assert_eq!(diags.items.len(), 1);
    assert_eq!(diags.items[0].pointer, "#/prefixItems", "a place the file has");
    let (_, diags) = norm_schema(json!({"type": "array", "items": [{"type": "string"}]}));
    assert_eq!(diags.items[0].pointer, "#/items");
}

#[test]
fn document_level_repairs() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": 2},
        "paths": {"/a/{id}": {"get": {
            "parameters": [
                {"name": "id", "in": "path", "type": "integer"},
                {"name": "q", "in": "body"},
                {"name": "c", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
            ],
            "responses": {"2xx": {"content": {"application/json": {"schema": {"type": "string"}, "example": "x"}}}, "bogus": {}}
        }}},
        "webhooks": {}
    });
    let mut diags = Diagnostics::default();
    normalize(&mut doc, &mut diags).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["version"], "2");
    let op = &doc["paths"]["/a/{id}"]["get"];
    let params = op["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 2, "the body parameter is dropped");
    assert_eq!(params[0]["schema"], json!({"type": "integer"}));
    assert_eq!(params[0]["required"], true);
    assert_eq!(params[1]["schema"], json!({"type": "object"}));
    assert_eq!(op["responses"]["2XX"]["description"], "");
    assert_eq!(marks::examples_in(&op["responses"]["2XX"]["content"]["application/json"]), [json!("x")]);
    assert!(op["responses"].get("bogus").is_none());
    assert!(doc.get("webhooks").is_none());
    assert!(diags.items.iter().any(|d| d.pointer == "#/paths/~1a~1{id}/get/parameters/1"));
}

#[test]
fn swagger_2_is_a_clear_error() {
    let mut doc = json!({"swagger": "2.0", "info": {}, "paths": {}});
    let err = normalize(&mut doc, &mut Diagnostics::default()).unwrap_err();
    assert!(err.to_string().contains("Swagger 2.0"));
}

#[test]
fn closed_tuples_keep_their_elements_and_open_ones_fall_back_at_prefix_items() {
    let (s, diags) = norm_schema(
        json!({"type": "array", "prefixItems": [{"type": "integer"}, {"type": ["string", "null"]}], "items": false}),
    );
    assert!(diags.items.is_empty(), "{:?}", diags.items);
    assert_eq!(marks::tuple_len(&s), Some(2));
    assert_eq!(s["items"]["oneOf"][1], json!({"type": "string", "nullable": true}), "elements are normalized");
    let (s, diags) = norm_schema(json!({"type": "array", "prefixItems": [{}, {}], "minItems": 2, "maxItems": 2}));
    assert!(diags.items.is_empty() && marks::tuple_len(&s) == Some(2));
    let (s, diags) = norm_schema(json!({"type": "array", "prefixItems": [{}, {}], "items": {"type": "string"}}));
    assert_eq!(s, json!({"type": "array", "items": {}}), "open: any elements");
    assert_eq!(diags.items[0].pointer, "#/prefixItems");
    let (_, diags) = norm_schema(json!({"type": "array", "prefixItems": [{"type": "blob"}], "items": false}));
    assert_eq!(diags.items[0].pointer, "#/prefixItems/0", "an element's warning points into the file");
}
