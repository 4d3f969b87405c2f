//! Extensions an overlay (or the spec) sets on a property's schema to say
//! what the schema alone cannot:
//!
//! - `x-packed-base64: float32` (or `float64`) on an array of numbers: the
//!   server may also send it as one base64 string of little-endian numbers of
//!   that width (OpenAI-compatible embeddings with `encoding_format: base64`).
//!   The field stays a `Vec<f64>` and reads either form.
//! - `x-client-default: <value>` on an optional property of a request: the
//!   value `new()` and `Default` give it, so the client sends it unless the
//!   caller sets the field (openai-python asks for base64 embeddings so).
//!   A string (for a string or string enum field), a boolean or an integer.
//!
//! One that does not fit its schema is a warning at its pointer and ignored.

use super::{ClientDefault, Packed, Prim, TypeId, TypeKind, TypeRef, TypeSpace};
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::pointer::child;
use openapiv3::SchemaData;
use serde_json::Value;

pub(super) const PACKED: &str = "x-packed-base64";
pub(super) const CLIENT_DEFAULT: &str = "x-client-default";

/// The field's `x-packed-base64`, when its type is a vector of numbers.
pub(super) fn packed(
    space: &TypeSpace,
    data: &SchemaData,
    ty: &TypeRef,
    ptr: &str,
    diags: &mut Diagnostics,
) -> Option<Packed> {
    let value = data.extensions.get(PACKED)?;
    let at = child(ptr, PACKED);
    let Some(width) = value.as_str().and_then(Packed::parse) else {
        diags.add(Code::Extension, &at, format!("{value} is not `float32` or `float64`; ignored"));
        return None;
    };
    let numbers = match space.unalias(ty.required()) {
        TypeRef::Vec(items) => *space.unalias(items) == TypeRef::Prim(Prim::F64),
        _ => false,
    };
    if !numbers {
        diags.add(Code::Extension, &at, "the schema is not an array of numbers; ignored");
        return None;
    }
    Some(width)
}

/// The field's `x-client-default` as a value (checked against the field's
/// type once every type is known: [`check_client_default`]).
pub(super) fn client_default(data: &SchemaData, ptr: &str, diags: &mut Diagnostics) -> Option<ClientDefault> {
    let value = data.extensions.get(CLIENT_DEFAULT)?;
    let parsed = match value {
        Value::String(s) => Some(ClientDefault::Str(s.clone())),
        Value::Bool(b) => Some(ClientDefault::Bool(*b)),
        Value::Number(n) => n.as_i64().map(ClientDefault::Int),
        _ => None,
    };
    if parsed.is_none() {
        diags.add(
            Code::Extension,
            &child(ptr, CLIENT_DEFAULT),
            format!("{value} is not a string, a boolean or an integer; ignored"),
        );
    }
    parsed
}

/// Keeps field `index` of struct `id`'s client default when it fits the
/// field: an optional field of a string or string enum (a string value), a
/// boolean or an integer type. Otherwise warns at `ptr` and drops it.
pub(super) fn check_client_default(
    space: &mut TypeSpace,
    id: TypeId,
    index: usize,
    ptr: &str,
    diags: &mut Diagnostics,
) {
    let TypeKind::Struct(s) = &space.get(id).kind else { return };
    let Some(field) = s.fields.get(index) else { return };
    let Some(value) = &field.client_default else { return };
    let problem = if !field.ty.is_option() {
        Some("the field is required: the caller gives it".to_string())
    } else if fits(space, field.ty.required(), value) {
        None
    } else {
        Some(format!("{value:?} does not fit the field's type"))
    };
    if let Some(problem) = problem {
        diags.add(Code::Extension, &child(ptr, CLIENT_DEFAULT), format!("{problem}; ignored"));
        if let TypeKind::Struct(s) = &mut space.get_mut(id).kind {
            if let Some(f) = s.fields.get_mut(index) {
                f.client_default = None;
            }
        }
    }
}

fn fits(space: &TypeSpace, ty: &TypeRef, value: &ClientDefault) -> bool {
    use Prim::*;
    match (space.unalias(ty), value) {
        (TypeRef::Prim(String), ClientDefault::Str(_)) | (TypeRef::Prim(Bool), ClientDefault::Bool(_)) => true,
        (TypeRef::Named(id), ClientDefault::Str(_)) => matches!(space.get(*id).kind, TypeKind::Enum(_)),
        (TypeRef::Prim(p), ClientDefault::Int(n)) => match p {
            I8 => i8::try_from(*n).is_ok(),
            I16 => i16::try_from(*n).is_ok(),
            I32 => i32::try_from(*n).is_ok(),
            I64 => true,
            U8 => u8::try_from(*n).is_ok(),
            U16 => u16::try_from(*n).is_ok(),
            U32 => u32::try_from(*n).is_ok(),
            U64 => *n >= 0,
            _ => false,
        },
        _ => false,
    }
}
