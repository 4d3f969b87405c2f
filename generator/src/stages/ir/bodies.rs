//! Request bodies: one per media type the operation offers, JSON first;
//! multipart bodies become structs whose file fields take bytes.

use super::schema::Converter;
use super::view::{RefOr, View};
use super::{Body, BodyKind, Docs, MultipartBody, MultipartField, NamedType, PartKind, Prim, TypeKind, TypeRef};
use crate::ground::diag::Code;
use crate::ground::naming::{self, NameSet};
use crate::ground::pointer::child;
use openapiv3::{MediaType, ReferenceOr, Schema};
use serde_json::Value;

pub(super) fn media_kind(media: &str) -> BodyKind {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m.contains("json") {
        BodyKind::Json
    } else if m == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if m.starts_with("multipart/") {
        BodyKind::Multipart
    } else if m.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// Preference among the media types of one body.
pub(super) fn rank(kind: BodyKind) -> u8 {
    match kind {
        BodyKind::Json => 0,
        BodyKind::Multipart => 1,
        BodyKind::Form => 2,
        BodyKind::Text => 3,
        BodyKind::Binary => 4,
    }
}

pub(super) fn media_examples(m: &MediaType) -> Vec<Value> {
    crate::ground::marks::examples(&m.extensions).to_vec()
}

fn setter_base(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::Json => "json_body",
        BodyKind::Form => "form_body",
        BodyKind::Multipart => "multipart_body",
        BodyKind::Text => "text_body",
        BodyKind::Binary => "binary_body",
    }
}

/// Every media type of a request body, the preferred one first. A second
/// media type of the same kind is reported and left out (its body is the same
/// Rust value).
pub(super) fn request_bodies<'a>(
    conv: &mut Converter<'a, '_>,
    b: &'a openapiv3::RequestBody,
    pascal: &str,
    ptr: &str,
    names: &mut NameSet,
) -> Vec<Body> {
    let mut media: Vec<(&'a String, &'a MediaType, BodyKind)> =
        b.content.iter().map(|(k, m)| (k, m, media_kind(k))).collect();
    media.sort_by_key(|(_, _, kind)| rank(*kind));
    let mut out: Vec<Body> = Vec::new();
    for (media_type, m, kind) in media {
        let mptr = child(&child(ptr, "content"), media_type);
        if let Some(first) = out.iter().find(|o| o.kind == kind) {
            conv.diags.add(
                Code::MediaType,
                &mptr,
                format!("{media_type} is not offered separately; {} is sent instead", first.content_type),
            );
            continue;
        }
        let hint = format!("{pascal}Body");
        let ty = match (kind, &m.schema) {
            (BodyKind::Json | BodyKind::Form, Some(s)) => conv.convert(RefOr::of(s), &hint, &child(&mptr, "schema")),
            (BodyKind::Json, None) => TypeRef::any(),
            (BodyKind::Form, None) => TypeRef::Map(Box::new(TypeRef::Prim(Prim::String))),
            (BodyKind::Multipart, schema) => multipart(conv, schema.as_ref(), m, &hint, &mptr),
            (BodyKind::Text, _) => TypeRef::Prim(Prim::String),
            (BodyKind::Binary, _) => TypeRef::Vec(Box::new(TypeRef::Prim(Prim::U8))),
        };
        if kind == BodyKind::Json {
            for ex in media_examples(m) {
                conv.examples.push(super::Example::new(ty.required().clone(), ex, mptr.clone()));
            }
        }
        // The default body is an argument when required, else the `body` setter.
        let setter = if out.is_empty() && !b.required { "body".to_string() } else { names.claim(setter_base(kind)) };
        out.push(Body {
            kind,
            setter,
            content_type: media_type.clone(),
            ty: ty.required().clone(),
            required: b.required,
            docs: Docs { title: None, description: b.description.clone(), deprecated: false },
        });
    }
    out
}

/// A multipart body's type: its object schema as a [`TypeKind::Multipart`]
/// struct. A component used by nothing else is turned into it in place;
/// otherwise a new type is made. A schema without properties falls back to
/// `runtime::Multipart`, filled by hand (any value in the IR).
fn multipart<'a>(
    conv: &mut Converter<'a, '_>,
    schema: Option<&'a ReferenceOr<Schema>>,
    m: &'a MediaType,
    hint: &str,
    ptr: &str,
) -> TypeRef {
    let Some(schema) = schema else {
        conv.diags.add(
            Code::Multipart,
            ptr,
            "multipart body without a schema; its parts are built by hand with runtime::Multipart",
        );
        return TypeRef::any();
    };
    let sptr = child(ptr, "schema");
    let t = conv.convert(RefOr::of(schema), hint, &sptr);
    let id = match conv.space.unalias(&t) {
        TypeRef::Named(id) if matches!(conv.space.get(*id).kind, TypeKind::Struct(_) | TypeKind::Multipart(_)) => *id,
        _ => {
            conv.diags.add(
                Code::Multipart,
                &sptr,
                "multipart body is not an object with properties; its parts are built by hand with runtime::Multipart",
            );
            return TypeRef::any();
        }
    };
    let fields = match &conv.space.get(id).kind {
        TypeKind::Multipart(_) => return TypeRef::Named(id),
        TypeKind::Struct(s) => s.fields.clone(),
        _ => return TypeRef::any(),
    };
    let files = file_properties(conv, schema);
    let parts: Vec<MultipartField> = fields
        .into_iter()
        .map(|f| {
            let kind = files.iter().find(|(n, _)| *n == f.wire).map_or(PartKind::Value, |(_, k)| *k);
            let content_type = m.encoding.get(&f.wire).and_then(|e| e.content_type.clone());
            MultipartField {
                setter: naming::setter_name(&f.name, &["new"]),
                name: f.name,
                wire: f.wire,
                ty: f.ty.required().clone(),
                kind,
                required: !f.skip_if_none,
                content_type,
                docs: f.docs,
            }
        })
        .collect();
    let kind = TypeKind::Multipart(MultipartBody { fields: parts });
    let component = match schema {
        ReferenceOr::Reference { reference } => conv.resolver.schema_ref(reference).ok().map(|c| c.name),
        ReferenceOr::Item(_) => None,
    };
    match component {
        Some(name) if conv.references_to(name) <= 1 => {
            conv.space.get_mut(id).kind = kind;
            TypeRef::Named(id)
        }
        Some(_) => {
            let name = conv.type_names.claim(&naming::safe_type_name(hint));
            let docs = conv.space.get(id).docs.clone();
            TypeRef::Named(conv.space_add(NamedType { name, docs, origin: ptr.to_string(), kind }))
        }
        None => {
            conv.space.get_mut(id).kind = kind;
            TypeRef::Named(id)
        }
    }
}

/// Properties of an object schema (following `$ref` and `allOf`) that hold
/// file contents: `format: binary` strings, or arrays of them.
fn file_properties<'a>(conv: &Converter<'a, '_>, schema: &'a ReferenceOr<Schema>) -> Vec<(String, PartKind)> {
    let mut out = Vec::new();
    let mut todo: Vec<&'a ReferenceOr<Schema>> = vec![schema];
    let mut seen = 0;
    while let Some(s) = todo.pop() {
        seen += 1;
        if seen > 64 {
            break;
        }
        let Some(schema) = resolve(conv, s) else { continue };
        let v = View::of(schema);
        todo.extend(v.all_of.iter());
        for (name, p) in v.properties.into_iter().flat_map(|p| p.iter()) {
            let Some(p) = resolve_boxed(conv, p) else { continue };
            if is_binary(conv, p) {
                out.push((name.clone(), PartKind::File));
            } else if View::of(p).items.and_then(|i| resolve_boxed(conv, i)).is_some_and(|i| is_binary(conv, i)) {
                out.push((name.clone(), PartKind::Files));
            }
        }
    }
    out
}

fn resolve_boxed<'a>(conv: &Converter<'a, '_>, s: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
    match s {
        ReferenceOr::Item(b) => Some(b),
        ReferenceOr::Reference { reference } => component(conv, reference),
    }
}

fn component<'a>(conv: &Converter<'a, '_>, reference: &str) -> Option<&'a Schema> {
    conv.resolver.schema_ref(reference).ok().and_then(|c| conv.resolver.schema(c.name)).and_then(item)
}

fn item(r: &ReferenceOr<Schema>) -> Option<&Schema> {
    match r {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { .. } => None,
    }
}

fn resolve<'a>(conv: &Converter<'a, '_>, s: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    match s {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => component(conv, reference),
    }
}

/// A string of file contents, directly or as the non-null branch of a union.
fn is_binary(conv: &Converter<'_, '_>, s: &Schema) -> bool {
    let v = View::of(s);
    if v.ty == Some("string") && v.format.as_deref() == Some("binary") {
        return true;
    }
    v.any_of.iter().chain(v.one_of.iter()).any(|b| {
        resolve(conv, b).is_some_and(|b| {
            let bv = View::of(b);
            bv.ty == Some("string") && bv.format.as_deref() == Some("binary")
        })
    })
}
