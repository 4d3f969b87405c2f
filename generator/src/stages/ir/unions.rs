//! How each union is told apart, decided once every type is known.
//!
//! 1. A `discriminator` in the spec: dispatch on that property (mapping, else
//!    the variant's own enum values, else the component name).
//! 2. Otherwise, if every variant is an object with a required string-enum
//!    property and the value sets do not overlap (a `const` per variant, like
//!    `type: "message"`), dispatch on it too. A variant whose enum has several
//!    values takes the tags nobody lists (its enum is open anyway).
//! 3. Otherwise untagged, variants ordered most specific first, so that a
//!    loose variant (free-form object, open enum, string) never swallows a value
//!    a stricter one matches.

use super::{Fallback, Tagging, TypeId, TypeKind, TypeRef, TypeSpace, Union};
use crate::stages::resolve::component_ref;
use std::collections::HashSet;

pub(super) fn finalize(space: &mut TypeSpace) {
    let ids: Vec<TypeId> = space.ids().collect();
    for id in ids {
        let TypeKind::Union(u) = &space.get(id).kind else { continue };
        let mut u = u.clone();
        match tagging(space, &u) {
            Some(t) => u.tagging = t,
            None => {
                u.variants.sort_by_key(|v| specificity(space, &v.ty));
                u.tagging = Tagging::Untagged;
            }
        }
        space.get_mut(id).kind = TypeKind::Union(u);
    }
}

/// The variant for tags a union does not list: `Unknown`, or a free variant of it.
fn unknown(u: &Union) -> Fallback {
    let taken: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    Fallback::Unknown(crate::ground::naming::NameSet::with_reserved(&taken).claim("Unknown"))
}

/// The struct a variant holds, through aliases.
fn struct_fields<'s>(space: &'s TypeSpace, t: &TypeRef) -> Option<&'s [super::Field]> {
    match space.unalias(t) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    }
}

/// The string values a required field of a variant may take.
fn field_values(space: &TypeSpace, t: &TypeRef, property: &str) -> Option<Vec<String>> {
    let field = struct_fields(space, t)?.iter().find(|f| f.wire == property)?;
    match space.unalias(&field.ty) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Enum(e) => Some(e.variants.iter().map(|v| v.wire.clone()).collect()),
            _ => None,
        },
        _ => None,
    }
}

fn tagging(space: &TypeSpace, u: &Union) -> Option<Tagging> {
    if let Some(d) = &u.discriminator {
        if let Some(t) = explicit(space, u, &d.property, &d.mapping) {
            return Some(t);
        }
    }
    implicit(space, u)
}

fn explicit(space: &TypeSpace, u: &Union, property: &str, mapping: &[(String, String)]) -> Option<Tagging> {
    let mut cases = Vec::new();
    for (i, v) in u.variants.iter().enumerate() {
        struct_fields(space, &v.ty)?;
        let mapped: Vec<String> = mapping
            .iter()
            .filter(|(_, target)| {
                let name = component_ref(target).map(|(_, n)| n).unwrap_or_else(|_| target.to_string());
                v.component.as_deref() == Some(name.as_str())
            })
            .map(|(tag, _)| tag.clone())
            .collect();
        let tags = if !mapped.is_empty() {
            mapped
        } else if let Some(values) = field_values(space, &v.ty, property) {
            values
        } else {
            vec![v.component.clone()?]
        };
        cases.extend(tags.into_iter().map(|t| (t, i)));
    }
    dedup_cases(&mut cases);
    Some(Tagging::Tagged { property: property.to_string(), cases, fallback: unknown(u) })
}

fn implicit(space: &TypeSpace, u: &Union) -> Option<Tagging> {
    let first = struct_fields(space, &u.variants.first()?.ty)?;
    'candidates: for candidate in first.iter().filter(|f| !f.ty.is_option()) {
        let property = candidate.wire.as_str();
        let mut cases = Vec::new();
        let mut seen = HashSet::new();
        let mut open_multi = Vec::new();
        for (i, v) in u.variants.iter().enumerate() {
            let fields = struct_fields(space, &v.ty);
            let required = fields.is_some_and(|fs| fs.iter().any(|f| f.wire == property && !f.ty.is_option()));
            if !required {
                continue 'candidates;
            }
            let Some(values) = field_values(space, &v.ty, property) else { continue 'candidates };
            if values.len() > 1 {
                open_multi.push(i);
            }
            for value in values {
                if !seen.insert(value.clone()) {
                    continue 'candidates;
                }
                cases.push((value, i));
            }
        }
        let fallback = if open_multi.len() == 1 { Fallback::Variant(open_multi[0]) } else { unknown(u) };
        return Some(Tagging::Tagged { property: property.to_string(), cases, fallback });
    }
    None
}

fn dedup_cases(cases: &mut Vec<(String, usize)>) {
    let mut seen = HashSet::new();
    cases.retain(|(tag, _)| seen.insert(tag.clone()));
}

/// Sort key: lower tries first.
fn specificity(space: &TypeSpace, t: &TypeRef) -> (u8, i64) {
    use super::Prim::*;
    // Newtypes and options are looked through, a bounded number of times (a
    // newtype can lead back to itself through an alias).
    let mut t = space.unalias(t);
    for _ in 0..64 {
        match t {
            TypeRef::Option(inner) => t = space.unalias(inner),
            TypeRef::Named(id) => match &space.get(*id).kind {
                TypeKind::Newtype(inner) => t = space.unalias(inner),
                _ => break,
            },
            _ => break,
        }
    }
    match t {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => {
                let required = s.fields.iter().filter(|f| !f.ty.is_option()).count() as i64;
                // More required fields first; a struct with none accepts any object.
                if required == 0 {
                    (3, -(s.fields.len() as i64))
                } else {
                    (0, -required * 1000 - s.fields.len() as i64)
                }
            }
            TypeKind::Union(_) => (1, 0),
            TypeKind::Enum(_) => (6, 0),
            _ => (8, 0),
        },
        TypeRef::Vec(_) => (2, 0),
        TypeRef::Map(_) => (4, 0),
        // Only arrays of its length and element types.
        TypeRef::Tuple(_) => (1, 1),
        TypeRef::Option(_) => (8, 0),
        TypeRef::Prim(p) => match p {
            Bool => (5, 0),
            I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64 => (5, 1),
            F64 => (5, 2),
            // Takes every string, after the enums (which list theirs).
            Formatted(_) => (6, 1),
            String => (7, 0),
            Any => (9, 0),
        },
    }
}
