//! One flat, read-only view of an `openapiv3::Schema`.
//!
//! The model splits schemas into typed variants (`Type::Object`, ...) and a
//! catch-all (`AnySchema`) for keyword mixtures; the IR asks the same
//! questions of both, so it reads them through this view.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema position: a reference or an inline schema.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RefOr<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> RefOr<'a> {
    pub(crate) fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }

    pub(crate) fn of_box(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

pub(super) type Props = IndexMap<String, ReferenceOr<Box<Schema>>>;

pub(super) struct View<'a> {
    pub data: &'a SchemaData,
    pub ty: Option<&'a str>,
    pub format: Option<String>,
    pub properties: Option<&'a Props>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub enum_values: Vec<Value>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub not: bool,
    /// A number whose `minimum` is 0 or more.
    pub non_negative: bool,
}

fn fmt_name<T: Copy>(f: &VariantOrUnknownOrEmpty<T>, known: impl Fn(T) -> &'static str) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(v) => Some(known(*v).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'a> View<'a> {
    pub(super) fn of(s: &'a Schema) -> View<'a> {
        let mut v = View {
            data: &s.schema_data,
            ty: None,
            format: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            enum_values: Vec::new(),
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
            non_negative: false,
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                v.ty = Some("string");
                v.format = fmt_name(&t.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                v.enum_values = t.enumeration.iter().map(|e| e.clone().map_or(Value::Null, Value::String)).collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                v.ty = Some("number");
                v.format = fmt_name(&t.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                v.enum_values = t
                    .enumeration
                    .iter()
                    .map(|e| e.and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                v.ty = Some("integer");
                v.format = fmt_name(&t.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                v.non_negative = t.minimum.is_some_and(|m| m >= 0);
                v.enum_values = t.enumeration.iter().map(|e| e.map_or(Value::Null, Value::from)).collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                v.ty = Some("boolean");
                v.enum_values = t.enumeration.iter().map(|e| e.map_or(Value::Null, Value::Bool)).collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                v.ty = Some("object");
                v.properties = Some(&t.properties);
                v.required = &t.required;
                v.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                v.ty = Some("array");
                v.items = t.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.ty = a.typ.as_deref();
                v.format = a.format.clone();
                v.non_negative = a.minimum.is_some_and(|m| m >= 0.0);
                if !a.properties.is_empty() {
                    v.properties = Some(&a.properties);
                }
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.enum_values = a.enumeration.clone();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.not = a.not.is_some();
            }
        }
        v
    }

    pub(super) fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    /// No keyword that gives instances a shape.
    fn shapeless(&self) -> bool {
        self.ty.is_none()
            && !self.has_properties()
            && self.items.is_none()
            && self.enum_values.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.additional.is_none()
    }

    /// Only docs or validation keywords (`{description: ..}` next to a `$ref`
    /// inside `allOf`, `{maxLength: 5}`).
    pub(super) fn adds_no_shape(&self) -> bool {
        self.shapeless() && self.format.is_none()
    }

    /// Constrains instances without shaping them: `{required: [a]}`,
    /// `{not: ..}`; typical inside `oneOf` of an object.
    pub(super) fn is_constraint_only(&self) -> bool {
        self.shapeless() && (!self.required.is_empty() || self.not)
    }

    /// `example` and `examples` of this schema.
    pub(super) fn examples(&self) -> Vec<&'a Value> {
        let mut out: Vec<&Value> = self.data.example.iter().collect();
        out.extend(crate::ground::marks::examples(&self.data.extensions));
        out
    }
}
