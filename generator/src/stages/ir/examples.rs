//! Spec examples checked against their types at generation time: those that
//! fit become round-trip tests, those that contradict their own schema are
//! reported (never silently dropped).

use super::{Example, Fallback, Prim, Tagging, TypeKind, TypeRef, TypeSpace};
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::naming;
use serde_json::Value;
use std::collections::HashMap;
use std::collections::HashSet;

/// Whether `v` has the shape `t` describes, and round-trips through it.
pub(crate) fn fits(space: &TypeSpace, t: &TypeRef, v: &Value, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Err("nested too deep".into());
    }
    match t {
        TypeRef::Option(inner) => {
            if v.is_null() {
                Ok(())
            } else {
                fits(space, inner, v, depth + 1)
            }
        }
        TypeRef::Prim(p) => prim_fits(*p, v),
        TypeRef::Vec(inner) => {
            let items = v.as_array().ok_or_else(|| format!("expected an array, found {}", kind(v)))?;
            items.iter().try_for_each(|i| fits(space, inner, i, depth + 1))
        }
        TypeRef::Map(inner) => {
            let map = v.as_object().ok_or_else(|| format!("expected an object, found {}", kind(v)))?;
            map.values().try_for_each(|i| fits(space, inner, i, depth + 1))
        }
        TypeRef::Tuple(elements) => {
            let items = v.as_array().ok_or_else(|| format!("expected an array, found {}", kind(v)))?;
            if items.len() != elements.len() {
                return Err(format!("expected {} elements, found {}", elements.len(), items.len()));
            }
            elements.iter().zip(items).try_for_each(|(t, i)| fits(space, t, i, depth + 1))
        }
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Alias(t) | TypeKind::Newtype(t) => fits(space, t, v, depth + 1),
            TypeKind::Enum(_) => {
                v.is_string().then_some(()).ok_or_else(|| format!("expected a string, found {}", kind(v)))
            }
            TypeKind::Struct(s) => {
                let map = v.as_object().ok_or_else(|| format!("expected an object, found {}", kind(v)))?;
                for f in &s.fields {
                    match map.get(&f.wire) {
                        None if !f.ty.is_option() => return Err(format!("required property {:?} is missing", f.wire)),
                        None => {}
                        Some(Value::Null) if f.ty.is_option() => {}
                        Some(x) => fits(space, &f.ty, x, depth + 1).map_err(|e| format!("{}: {e}", f.wire))?,
                    }
                }
                for (key, x) in map {
                    if s.fields.iter().any(|f| &f.wire == key) {
                        continue;
                    }
                    match &s.additional {
                        Some(t) => fits(space, t, x, depth + 1).map_err(|e| format!("{key}: {e}"))?,
                        None if x.is_null() => {}
                        None => return Err(format!("property {key:?} is not in the schema")),
                    }
                }
                Ok(())
            }
            TypeKind::Union(u) => match &u.tagging {
                Tagging::Tagged { property, cases, fallback } => {
                    let tag = v.get(property).and_then(Value::as_str);
                    let chosen =
                        cases.iter().find(|(t, _)| Some(t.as_str()) == tag).map(|(_, i)| *i).or(match fallback {
                            Fallback::Variant(i) => Some(*i),
                            Fallback::Unknown(_) => None,
                        });
                    match chosen {
                        Some(i) => fits(space, &u.variants[i].ty, v, depth + 1),
                        None => Ok(()),
                    }
                }
                Tagging::Untagged => {
                    // The first variant that fits is the one serde picks; it must round-trip.
                    for var in &u.variants {
                        if fits(space, &var.ty, v, depth + 1).is_ok() {
                            return Ok(());
                        }
                    }
                    Err("matches no variant".into())
                }
            },
            TypeKind::ErrorEnum(_) | TypeKind::SuccessEnum(_) | TypeKind::Pending => Ok(()),
            TypeKind::Multipart(_) => Err("a multipart body has no JSON form".into()),
        },
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn prim_fits(p: Prim, v: &Value) -> Result<(), String> {
    let ok = match p {
        Prim::String => v.is_string(),
        Prim::Bool => v.is_boolean(),
        Prim::I8 => v.as_i64().is_some_and(|n| i8::try_from(n).is_ok()),
        Prim::I16 => v.as_i64().is_some_and(|n| i16::try_from(n).is_ok()),
        Prim::I32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Prim::I64 => v.is_i64(),
        Prim::U8 => v.as_u64().is_some_and(|n| u8::try_from(n).is_ok()),
        Prim::U16 => v.as_u64().is_some_and(|n| u16::try_from(n).is_ok()),
        Prim::U32 => v.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
        Prim::U64 => v.is_u64(),
        Prim::F64 => v.is_number(),
        Prim::Any => true,
        // Any string decodes; one the format does not allow keeps its text.
        Prim::Formatted(_) => v.is_string(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {p:?}, found {}", kind(v)))
    }
}

/// Does the type involve a generated type (pure primitives test nothing)?
fn involves_named(t: &TypeRef) -> bool {
    match t {
        TypeRef::Named(_) => true,
        TypeRef::Prim(_) => false,
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) => involves_named(i),
        // A tuple's length and order are worth a test.
        TypeRef::Tuple(_) => true,
    }
}

/// Keep the examples that fit (an array schema's example given as one item is
/// checked against the item type); warn about the rest.
pub(crate) fn select(space: &TypeSpace, examples: Vec<Example>, diags: &mut Diagnostics) -> Vec<Example> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ex in examples {
        let (ty, value) = match fits(space, &ex.ty, &ex.value, 0) {
            Ok(()) => (ex.ty, ex.value),
            Err(reason) => match &ex.ty {
                TypeRef::Vec(item) if !ex.value.is_array() && fits(space, item, &ex.value, 0).is_ok() => {
                    ((**item).clone(), ex.value)
                }
                _ => {
                    diags.add(
                        Code::Example,
                        &ex.origin,
                        format!("example does not match its schema ({reason}); not tested"),
                    );
                    continue;
                }
            },
        };
        if !involves_named(&ty) {
            continue;
        }
        let key = (format!("{ty:?}"), value.to_string());
        if seen.insert(key) {
            out.push(Example::new(ty, value, ex.origin));
        }
    }
    // Tests are named after their type and numbered per name.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for ex in &mut out {
        let base = test_base(space, &ex.ty);
        let n = counts.entry(base.clone()).or_insert(0);
        ex.test_name = format!("{base}_{n}");
        *n += 1;
    }
    out
}

/// What the round-trip tests of a type are named after (`chat_request`, `string_list`).
fn test_base(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::Vec(inner) => format!("{}_list", naming::value_name(type_words(space, inner).as_str()).bare()),
        other => type_words(space, other).bare().to_string(),
    }
}

fn type_words(space: &TypeSpace, t: &TypeRef) -> naming::Ident {
    match t {
        TypeRef::Named(id) => naming::value_name(&space.get(*id).name),
        TypeRef::Prim(p) => naming::value_name(&format!("{p:?}")),
        TypeRef::Vec(inner) | TypeRef::Option(inner) => type_words(space, inner),
        TypeRef::Map(inner) => naming::value_name(&format!("{}_map", type_words(space, inner).bare())),
        TypeRef::Tuple(_) => naming::value_name("tuple"),
    }
}
