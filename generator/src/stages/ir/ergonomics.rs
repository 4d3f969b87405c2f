//! How callers build values by hand: `Default`, constructors, setters and
//! `From` conversions. Decided here, spelled out by codegen.
//!
//! - A string enum with one allowed value (`const`, or `role: [user]`) is
//!   `Default`, so fields of that type fill themselves in; a required field
//!   of that type that a response lacks decodes as that value.
//! - A struct whose fields are all optional, nullable or single-valued is `Default`.
//! - A struct sent in a request gets `new(..)` taking only its other required
//!   fields (in the spec's `required` order), and a chained setter per optional
//!   field: a new optional field in a later spec breaks no caller.
//! - A union converts `From` each variant's type that no other variant shares,
//!   and from `&str` when a variant is a `String`.

use super::{Operation, Prim, TypeId, TypeKind, TypeRef, TypeSpace};
use std::collections::HashSet;

pub(super) fn finalize(space: &mut TypeSpace, operations: &mut [Operation]) {
    drop_name_echoes(space, operations);
    for id in space.ids().collect::<Vec<_>>() {
        if let TypeKind::Enum(e) = &mut space.get_mut(id).kind {
            e.default = e.variants.len() == 1;
        }
    }
    let requests = request_types(space, operations);
    for id in space.ids().collect::<Vec<_>>() {
        match &space.get(id).kind {
            TypeKind::Struct(s) => {
                let defaults: Vec<bool> = s.fields.iter().map(|f| has_default(space, &f.ty, f.boxed)).collect();
                let constants: Vec<bool> = s.fields.iter().map(|f| one_value(space, &f.ty, f.boxed)).collect();
                let mut build = s.build.clone();
                build.default = defaults.iter().all(|d| *d);
                build.constructor.retain(|i| !defaults.get(*i).copied().unwrap_or(true));
                if !requests.contains(&id) || build.default {
                    build.constructor.clear();
                }
                build.setters = requests.contains(&id);
                if let TypeKind::Struct(s) = &mut space.get_mut(id).kind {
                    s.build = build;
                    for (f, constant) in s.fields.iter_mut().zip(constants) {
                        f.constant = constant;
                    }
                }
            }
            TypeKind::Union(u) => {
                let types: Vec<&TypeRef> = u.variants.iter().map(|v| space.unalias(&v.ty)).collect();
                let conversions: Vec<usize> = (0..types.len())
                    .filter(|&i| types.iter().filter(|t| **t == types[i]).count() == 1)
                    .filter(|&i| *types[i] != TypeRef::Named(id))
                    .collect();
                let from_str = conversions.iter().copied().find(|&i| *types[i] == TypeRef::Prim(Prim::String));
                if let TypeKind::Union(u) = &mut space.get_mut(id).kind {
                    u.conversions = conversions;
                    u.from_str = from_str;
                }
            }
            _ => {}
        }
    }
}

fn drop_name_echoes(space: &mut TypeSpace, operations: &mut [Operation]) {
    for t in &mut space.types {
        t.docs.drop_name_echo(&[&t.name]);
        let fields: Vec<_> = match &mut t.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|f| (&mut f.docs, &f.name, &f.wire)).collect(),
            TypeKind::Multipart(m) => m.fields.iter_mut().map(|f| (&mut f.docs, &f.name, &f.wire)).collect(),
            _ => Vec::new(),
        };
        for (docs, name, wire) in fields {
            docs.drop_name_echo(&[name.bare(), wire]);
        }
    }
    for p in operations.iter_mut().flat_map(|op| op.params.iter_mut()) {
        p.docs.drop_name_echo(&[p.name.bare(), &p.wire]);
    }
}

/// A field of this type can be left at its default: absent or null, or its one allowed value.
fn has_default(space: &TypeSpace, t: &TypeRef, boxed: bool) -> bool {
    match space.unalias(t) {
        TypeRef::Option(_) | TypeRef::Prim(Prim::Any) => true,
        _ => one_value(space, t, boxed),
    }
}

/// A value of this type has one allowed value, its `Default`.
fn one_value(space: &TypeSpace, t: &TypeRef, boxed: bool) -> bool {
    match space.unalias(t) {
        TypeRef::Named(id) if !boxed => matches!(&space.get(*id).kind, TypeKind::Enum(e) if e.default),
        _ => false,
    }
}

/// Every named type a request body or parameter can hold.
fn request_types(space: &TypeSpace, operations: &[Operation]) -> HashSet<TypeId> {
    let mut seen = HashSet::new();
    let mut work: Vec<&TypeRef> = Vec::new();
    for op in operations {
        work.extend(op.bodies.iter().map(|b| &b.ty));
        work.extend(op.params.iter().map(|p| &p.ty));
    }
    while let Some(t) = work.pop() {
        match t {
            TypeRef::Named(id) => {
                if !seen.insert(*id) {
                    continue;
                }
                match &space.get(*id).kind {
                    TypeKind::Struct(s) => {
                        work.extend(s.fields.iter().filter(|f| !f.read_only).map(|f| &f.ty));
                        work.extend(s.additional.iter());
                    }
                    TypeKind::Union(u) => work.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) | TypeKind::Newtype(inner) => work.push(inner),
                    TypeKind::Multipart(m) => work.extend(m.fields.iter().map(|f| &f.ty)),
                    _ => {}
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => work.push(inner),
            TypeRef::Tuple(elements) => work.extend(elements),
            TypeRef::Prim(_) => {}
        }
    }
    seen
}
