//! The Rust API of a generated client, as data: methods with their
//! arguments and builder setters, and types with their fields, values and
//! variants, each type marked by whether requests, responses or both use it.
//! `openapi-gen diff` compares two of these; `generated/api.json` keeps the
//! one of the last generation.

use crate::stages::ir::{
    Ir, Operation, PartKind, Presence, Prim, ResponseBody, StreamForm, Success, TypeKind, TypeRef, TypeSpace,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Marks a snapshot file (`generated/api.json`) and its format.
pub(super) const FORMAT: &str = "openapi-gen api 1";

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Surface {
    pub format: String,
    pub title: String,
    pub version: String,
    /// Client methods by name.
    pub methods: BTreeMap<String, Method>,
    /// Named types by name.
    pub types: BTreeMap<String, Type>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Method {
    /// `POST /v1/files`
    pub http: String,
    /// The method's arguments in order: required parameters, then the required body.
    pub arguments: Vec<Named>,
    /// The builder's setters: optional parameters and bodies.
    pub setters: BTreeMap<String, String>,
    /// What awaiting the call gives.
    pub returns: String,
    /// The typed error body, if documented.
    pub errors: Option<String>,
    /// The streaming form, if any.
    pub stream: Option<String>,
    /// Credential alternatives: scheme names joined by `+`, or `none`.
    pub auth: Vec<String>,
    pub deprecated: bool,
    /// The cargo feature it is compiled with, when the client is split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Named {
    pub name: String,
    pub ty: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Type {
    pub shape: Shape,
    /// Requests use it (built by callers).
    pub input: bool,
    /// Responses use it (read by callers).
    pub output: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    Struct {
        fields: BTreeMap<String, Field>,
        /// The map of properties not named, if kept.
        others: Option<String>,
    },
    /// A string enum (open: unknown values deserialize into its catch-all).
    Enum {
        values: Vec<String>,
    },
    /// A Rust enum over types: variant name to type.
    Union {
        variants: BTreeMap<String, String>,
    },
    Alias {
        target: String,
    },
    Newtype {
        inner: String,
    },
    /// An operation's error or success enum: variant to body type.
    Responses {
        variants: BTreeMap<String, String>,
    },
    Multipart {
        fields: BTreeMap<String, Field>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Field {
    /// The Rust type (`Option<..>` included).
    pub ty: String,
    /// How it is present on the wire (written `required`, `optional` or `nullable`).
    pub kind: Presence,
    /// The name on the wire.
    pub wire: String,
}

/// The surface of a built IR.
pub(crate) fn surface(ir: &Ir) -> Surface {
    let space = &ir.types;
    let mut types = BTreeMap::new();
    for id in space.ids() {
        let t = space.get(id);
        if let Some(shape) = shape(space, &t.kind) {
            types.insert(t.name.clone(), Type { shape, input: false, output: false });
        }
    }
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let methods = ir
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut m = method(space, op, &mut inputs, &mut outputs);
            m.feature = ir
                .features
                .as_ref()
                .and_then(|f| f.operation_groups.get(i).and_then(|g| f.groups.get(*g)).map(|g| g.name.clone()));
            (op.name.to_string(), m)
        })
        .collect();
    mark(space, inputs, &mut types, |t| &mut t.input);
    mark(space, outputs, &mut types, |t| &mut t.output);
    Surface { format: FORMAT.to_string(), title: ir.title.clone(), version: ir.version.clone(), methods, types }
}

/// A type as Rust code spells it, without paths.
pub(crate) fn type_string(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => space.get(*id).name.clone(),
        TypeRef::Prim(p) => prim(*p).to_string(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_string(space, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_string(space, inner)),
        TypeRef::Tuple(elements) => {
            format!("({})", elements.iter().map(|e| type_string(space, e)).collect::<Vec<_>>().join(", "))
        }
        TypeRef::Option(inner) => format!("Option<{}>", type_string(space, inner)),
    }
}

fn prim(p: Prim) -> &'static str {
    match p {
        Prim::String => "String",
        Prim::Bool => "bool",
        Prim::I8 => "i8",
        Prim::I16 => "i16",
        Prim::I32 => "i32",
        Prim::I64 => "i64",
        Prim::U8 => "u8",
        Prim::U16 => "u16",
        Prim::U32 => "u32",
        Prim::U64 => "u64",
        Prim::F64 => "f64",
        Prim::Any => "serde_json::Value",
        Prim::Formatted(f) => f.type_name(),
    }
}

fn shape(space: &TypeSpace, kind: &TypeKind) -> Option<Shape> {
    let ts = |t: &TypeRef| type_string(space, t);
    Some(match kind {
        TypeKind::Struct(s) => Shape::Struct {
            fields: s
                .fields
                .iter()
                .map(|f| (f.name.to_string(), Field { ty: ts(&f.ty), kind: f.presence(), wire: f.wire.clone() }))
                .collect(),
            others: s.additional.as_ref().map(|t| format!("BTreeMap<String, {}>", ts(t))),
        },
        TypeKind::Enum(e) => Shape::Enum { values: e.variants.iter().map(|v| v.wire.clone()).collect() },
        TypeKind::Union(u) => {
            Shape::Union { variants: u.variants.iter().map(|v| (v.name.clone(), ts(&v.ty))).collect() }
        }
        TypeKind::Alias(t) => Shape::Alias { target: ts(t) },
        TypeKind::Newtype(t) => Shape::Newtype { inner: ts(t) },
        TypeKind::ErrorEnum(e) => {
            Shape::Responses { variants: e.variants.iter().map(|v| (v.name.clone(), ts(&v.ty))).collect() }
        }
        TypeKind::SuccessEnum(e) => Shape::Responses {
            variants: e.variants.iter().map(|v| (v.name.clone(), body_string(space, &v.body))).collect(),
        },
        TypeKind::Multipart(m) => Shape::Multipart {
            fields: m
                .fields
                .iter()
                .map(|f| {
                    let ty = match f.kind {
                        PartKind::Value => ts(&f.ty),
                        PartKind::File => "FilePart".to_string(),
                        PartKind::Files => "Vec<FilePart>".to_string(),
                    };
                    let ty = if f.required { ty } else { format!("Option<{ty}>") };
                    let kind = if f.required { Presence::Required } else { Presence::Optional };
                    (f.name.to_string(), Field { ty, kind, wire: f.wire.clone() })
                })
                .collect(),
        },
        TypeKind::Pending => return None,
    })
}

fn body_string(space: &TypeSpace, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(t) => type_string(space, t),
        ResponseBody::Text => "String".to_string(),
        ResponseBody::Binary => "Bytes".to_string(),
        ResponseBody::Empty => "()".to_string(),
        ResponseBody::Events { data, json, .. } => {
            format!("EventStream<{}>", if *json { type_string(space, data) } else { "String".to_string() })
        }
    }
}

fn method(space: &TypeSpace, op: &Operation, inputs: &mut Vec<TypeRef>, outputs: &mut Vec<TypeRef>) -> Method {
    let mut arguments: Vec<Named> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| Named { name: p.name.to_string(), ty: type_string(space, &p.ty) })
        .collect();
    let mut setters: BTreeMap<String, String> =
        op.params.iter().filter(|p| !p.required).map(|p| (p.name.to_string(), type_string(space, &p.ty))).collect();
    for (i, b) in op.bodies.iter().enumerate() {
        if i == 0 && b.required {
            arguments.push(Named { name: "body".to_string(), ty: type_string(space, &b.ty) });
        } else {
            setters.insert(b.setter.clone(), type_string(space, &b.ty));
        }
        inputs.push(b.ty.clone());
    }
    inputs.extend(op.params.iter().map(|p| p.ty.clone()));
    let returns = match &op.success {
        Success::One(body) => {
            if let ResponseBody::Json(t) | ResponseBody::Events { data: t, .. } = body {
                outputs.push(t.clone());
            }
            body_string(space, body)
        }
        Success::ByStatus(id) => {
            outputs.push(TypeRef::Named(*id));
            space.get(*id).name.clone()
        }
    };
    let stream = op.stream.as_ref().map(|s| match s {
        StreamForm::Events { data, json, .. } => {
            outputs.push(data.clone());
            format!("EventStream<{}>", if *json { type_string(space, data) } else { "String".to_string() })
        }
        StreamForm::Bytes => "ByteStream".to_string(),
    });
    if let Some(id) = op.error_type {
        outputs.push(TypeRef::Named(id));
    }
    let auth = op
        .security
        .iter()
        .map(|alt| {
            if alt.is_empty() {
                "none".to_string()
            } else {
                alt.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join("+")
            }
        })
        .collect();
    Method {
        http: format!("{} {}", op.method, op.path),
        arguments,
        setters,
        returns,
        errors: op.error_type.map(|id| space.get(id).name.clone()),
        stream,
        auth,
        deprecated: op.docs.deprecated,
        feature: None,
    }
}

/// Marks every named type reachable from `roots` (through fields, variants,
/// aliases and element types).
fn mark(
    space: &TypeSpace,
    roots: Vec<TypeRef>,
    types: &mut BTreeMap<String, Type>,
    flag: impl Fn(&mut Type) -> &mut bool,
) {
    for id in space.reachable(&roots) {
        if let Some(entry) = types.get_mut(&space.get(id).name) {
            *flag(entry) = true;
        }
    }
}
