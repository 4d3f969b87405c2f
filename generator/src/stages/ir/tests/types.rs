//! The type system on small specs: what each schema shape becomes in the IR.

use crate::ground::diag::Code;
use crate::stages::ir::{Ir, Prim, Tagging, TypeKind, TypeRef};
use crate::Config;
use serde_json::{json, Value};

fn ir(schemas: Value) -> Ir {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
    Config::new().build_ir(doc).expect("builds").0
}

fn named<'a>(ir: &'a Ir, name: &str) -> &'a TypeKind {
    let t = ir.types.types.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!("no type {name}; have {:?}", ir.types.types.iter().map(|t| &t.name).collect::<Vec<_>>())
    });
    &t.kind
}

fn fields(ir: &Ir, name: &str) -> Vec<(String, String)> {
    match named(ir, name) {
        TypeKind::Struct(s) => s.fields.iter().map(|f| (f.name.to_string(), f.wire.clone())).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

#[test]
fn all_of_merges_properties_and_required_from_every_part() {
    let ir = ir(json!({
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "kind": {"type": "string"}}},
        "Mid": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"mid": {"type": "integer"}}}]},
        "Leaf": {"allOf": [{"$ref": "#/components/schemas/Mid"}, {"required": ["mid"], "properties": {"leaf": {"type": "boolean"}}}]}
    }));
    let TypeKind::Struct(leaf) = named(&ir, "Leaf") else { panic!() };
    let names: Vec<&str> = leaf.fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(names, ["id", "kind", "mid", "leaf"]);
    let required: Vec<bool> = leaf.fields.iter().map(|f| !f.ty.is_option()).collect();
    assert_eq!(required, [true, false, true, false]);
}

#[test]
fn single_ref_all_of_is_the_referenced_type() {
    let ir = ir(json!({
        "A": {"type": "object", "properties": {"x": {"type": "string"}}},
        "B": {"type": "object", "required": ["a"], "properties": {"a": {"allOf": [{"$ref": "#/components/schemas/A"}], "description": "why"}}}
    }));
    let TypeKind::Struct(b) = named(&ir, "B") else { panic!() };
    let TypeRef::Named(id) = &b.fields[0].ty else { panic!("{:?}", b.fields[0].ty) };
    assert_eq!(ir.types.get(*id).name, "A");
    assert_eq!(b.fields[0].docs.description.as_deref(), Some("why"));
}

#[test]
fn discriminators_tag_unions_with_and_without_mapping() {
    let ir = ir(json!({
        "Cat": {"type": "object", "required": ["pet_type"], "properties": {"pet_type": {"type": "string"}, "meow": {"type": "boolean"}}},
        "Dog": {"type": "object", "required": ["pet_type"], "properties": {"pet_type": {"type": "string"}}},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "pet_type", "mapping": {"kitty": "#/components/schemas/Cat"}}}
    }));
    let TypeKind::Union(u) = named(&ir, "Pet") else { panic!() };
    let Tagging::Tagged { property, cases, fallback } = &u.tagging else { panic!("{:?}", u.tagging) };
    assert_eq!(property, "pet_type");
    assert_eq!(cases, &vec![("kitty".to_string(), 0), ("Dog".to_string(), 1)]);
    assert_eq!(
        *fallback,
        crate::stages::ir::Fallback::Unknown("Unknown".into()),
        "unknown tags keep the value in an Unknown variant"
    );
}

#[test]
fn const_properties_tag_unions_without_a_discriminator() {
    let ir = ir(json!({
        "Text": {"type": "object", "required": ["type"], "properties": {"type": {"const": "text"}, "text": {"type": "string"}}},
        "Image": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["image"]}, "url": {"type": "string"}}},
        "Part": {"anyOf": [{"$ref": "#/components/schemas/Text"}, {"$ref": "#/components/schemas/Image"}]}
    }));
    let TypeKind::Union(u) = named(&ir, "Part") else { panic!() };
    assert!(matches!(&u.tagging, Tagging::Tagged { property, .. } if property == "type"), "{:?}", u.tagging);
}

#[test]
fn untagged_unions_try_the_most_specific_variant_first() {
    let ir = ir(json!({
        "Loose": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Strict": {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
        "U": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Loose"}, {"type": "integer"}, {"$ref": "#/components/schemas/Strict"}, {}]}
    }));
    let TypeKind::Union(u) = named(&ir, "U") else { panic!() };
    let order: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(order, ["Strict", "Loose", "Integer", "String", "Any"]);
}

#[test]
fn null_branches_and_type_arrays_become_options() {
    let ir = ir(json!({
        "A": {"type": "object", "required": ["x", "y"], "properties": {
            "x": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "y": {"type": ["integer", "null"]}
        }}
    }));
    let TypeKind::Struct(a) = named(&ir, "A") else { panic!() };
    assert_eq!(a.fields[0].ty, TypeRef::Prim(Prim::String).optional());
    assert_eq!(a.fields[1].ty, TypeRef::Prim(Prim::I64).optional());
    assert!(!a.fields[0].skip_if_none, "required nullable fields serialize null");
}

#[test]
fn identifiers_are_valid_and_unique() {
    let ir = ir(json!({
        "Option": {"type": "object", "properties": {
            "type": {"type": "string"}, "self": {"type": "string"}, "fooBar": {"type": "string"},
            "foo_bar": {"type": "string"}, "1st": {"type": "string"}, "": {"type": "string"}
        }},
        "status": {"type": "string", "enum": ["Failed", "FAILED", "failed-now", ""]},
        "Status": {"type": "string"}
    }));
    assert_eq!(
        fields(&ir, "OptionType"),
        [
            ("r#type", "type"),
            ("self_", "self"),
            ("foo_bar", "fooBar"),
            ("foo_bar_2", "foo_bar"),
            ("_1st", "1st"),
            ("value", "")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let TypeKind::Enum(e) = named(&ir, "Status") else { panic!() };
    let names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Failed", "Failed2", "FailedNow", "Empty"]);
    assert!(matches!(named(&ir, "Status2"), TypeKind::Alias(_)));
}

#[test]
fn fastapi_twins_merge_when_identical() {
    let ir = ir(json!({
        "Item-Input": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Item-Output": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Msg-Input": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Msg-Output": {"type": "object", "properties": {"x": {"type": "integer"}}},
        "Lone-Output": {"type": "object", "properties": {"x": {"type": "string"}}}
    }));
    let names: Vec<&str> = ir.types.types.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"Item") && !names.contains(&"ItemOutput"), "{names:?}");
    assert!(names.contains(&"MsgInput") && names.contains(&"MsgOutput"), "{names:?}");
    assert!(names.contains(&"Lone"), "{names:?}");
}

#[test]
fn additional_properties_and_free_form_objects() {
    let ir = ir(json!({
        "Tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "Free": {"type": "object"},
        "Mixed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}
    }));
    assert_eq!(named(&ir, "Tags"), &TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Prim(Prim::String)))));
    assert_eq!(named(&ir, "Free"), &TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::any()))));
    let TypeKind::Struct(m) = named(&ir, "Mixed") else { panic!() };
    assert_eq!(m.additional, Some(TypeRef::Prim(Prim::I64)));
}

#[test]
fn contradicting_examples_are_reported_not_tested() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, "components": {"schemas": {
        "A": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}, "examples": [{"n": 1}, {"n": "one"}]}
    }}});
    let (ir, diags) = Config::new().build_ir(doc).unwrap();
    assert_eq!(ir.examples.len(), 1);
    assert!(diags.items.iter().any(|d| d.pointer == "#/components/schemas/A" && d.code == Code::Example));
}

#[test]
fn string_formats_and_non_negative_integers_get_their_rust_types() {
    use crate::stages::ir::StringFormat::*;
    let props = json!({
        "at": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "time": {"type": "string", "format": "time"},
        "id": {"type": "string", "format": "uuid"},
        "blob": {"type": "string", "format": "byte"},
        "mail": {"type": "string", "format": "email"},
        "n": {"type": "integer", "minimum": 0},
        "n32": {"type": "integer", "format": "int32", "minimum": 1},
        "neg": {"type": "integer", "format": "int32", "minimum": -1},
        "plain": {"type": "integer"}
    });
    let names: Vec<String> = props.as_object().unwrap().keys().cloned().collect();
    let ir = ir(json!({"T": {"type": "object", "required": names, "properties": props}}));
    let TypeKind::Struct(s) = named(&ir, "T") else { panic!() };
    let types: Vec<(&str, &TypeRef)> = s.fields.iter().map(|f| (f.wire.as_str(), &f.ty)).collect();
    let p = |p: Prim| TypeRef::Prim(p);
    assert_eq!(
        types,
        [
            ("at", &p(Prim::Formatted(DateTime))),
            ("day", &p(Prim::Formatted(Date))),
            ("time", &p(Prim::Formatted(Time))),
            ("id", &p(Prim::Formatted(Uuid))),
            ("blob", &p(Prim::Formatted(Base64))),
            ("mail", &p(Prim::String)),
            ("n", &p(Prim::U64)),
            ("n32", &p(Prim::U32)),
            ("neg", &p(Prim::I32)),
            ("plain", &p(Prim::I64)),
        ]
    );
}

#[test]
fn closed_prefix_items_are_tuples() {
    let ir = ir(json!({
        "Pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"$ref": "#/components/schemas/Tag"}], "items": false},
        "Tag": {"type": "string", "enum": ["a", "b"]}
    }));
    let TypeKind::Alias(TypeRef::Tuple(elements)) = named(&ir, "Pair") else { panic!("{:?}", named(&ir, "Pair")) };
    assert_eq!(elements[0], TypeRef::Prim(Prim::I64));
    assert!(matches!(elements[1], TypeRef::Named(_)));
}
