//! The seed spec's own examples of the dataset `schema` property.

use nebius_token_factory::types::{
    ColumnSchema, ColumnSchemaType, SchemaOptionItem, SchemaOptionType, SchemaPrimitiveType,
};
use serde_json::json;

#[test]
fn both_schema_examples_pick_the_right_variant_and_round_trip() {
    let primitive = json!({"name": "text", "type": {"name": "string"}});
    let option = json!({"name": "text_1", "type": {"item": {"name": "string"}, "name": "option"}});

    let p: ColumnSchema = serde_json::from_value(primitive.clone()).expect("primitive example");
    assert!(matches!(&p.r#type, ColumnSchemaType::SchemaPrimitive(x) if x.name == SchemaPrimitiveType::String));
    assert_eq!(serde_json::to_value(&p).unwrap(), primitive);

    let o: ColumnSchema = serde_json::from_value(option.clone()).expect("option example");
    match &o.r#type {
        ColumnSchemaType::SchemaOption(x) => {
            assert_eq!(x.name, SchemaOptionType::Option);
            assert!(matches!(&*x.item, SchemaOptionItem::SchemaPrimitive(i) if i.name == SchemaPrimitiveType::String));
        }
        other => panic!("expected the option variant, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&o).unwrap(), option);
}

#[test]
fn a_new_primitive_name_is_still_a_primitive() {
    // Forward compatibility: a primitive type the spec does not list yet.
    let v = json!({"name": "c", "type": {"name": "decimal"}});
    let c: ColumnSchema = serde_json::from_value(v.clone()).unwrap();
    assert!(
        matches!(&c.r#type, ColumnSchemaType::SchemaPrimitive(x) if x.name == SchemaPrimitiveType::Other("decimal".into()))
    );
    assert_eq!(serde_json::to_value(&c).unwrap(), v);
}
