//! Structurally identical types, emitted once: the first keeps its definition,
//! the others become aliases of it (`pub type Other = First;`), so every name
//! stays and the compiler sees one type.
//!
//! Two types are identical when their kinds are equal once every type they
//! mention is replaced by its representative; merging makes more types equal,
//! so this repeats until nothing changes. Docs do not count (the alias keeps
//! its own). Per-operation types (errors, successes, multipart bodies) are
//! left alone.

use super::{Docs, TypeId, TypeKind, TypeRef, TypeSpace};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

fn canon_ref(t: &TypeRef, rep: &[u32]) -> TypeRef {
    match t {
        TypeRef::Named(id) => TypeRef::Named(TypeId(rep[id.0 as usize])),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(canon_ref(inner, rep))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(canon_ref(inner, rep))),
        TypeRef::Tuple(elements) => TypeRef::Tuple(elements.iter().map(|e| canon_ref(e, rep)).collect()),
        TypeRef::Option(inner) => TypeRef::Option(Box::new(canon_ref(inner, rep))),
        TypeRef::Prim(p) => TypeRef::Prim(*p),
    }
}

/// The kind with mentioned types replaced by representatives and docs cleared;
/// `None` for kinds that are not merged.
fn canonical(kind: &TypeKind, rep: &[u32]) -> Option<TypeKind> {
    let mut k = match kind {
        TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Newtype(_) => kind.clone(),
        _ => return None,
    };
    match &mut k {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                f.ty = canon_ref(&f.ty, rep);
                f.docs = Docs::default();
            }
            if let Some(a) = &mut s.additional {
                *a = canon_ref(a, rep);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                v.ty = canon_ref(&v.ty, rep);
            }
        }
        TypeKind::Newtype(t) => *t = canon_ref(t, rep),
        _ => {}
    }
    Some(k)
}

/// A hash of the parts of a kind that [`canonical`] keeps: equal canonical
/// kinds hash equal, so only types in the same bucket are compared in full.
fn shape_hash(kind: &TypeKind, rep: &[u32]) -> Option<u64> {
    let mut h = DefaultHasher::new();
    match kind {
        TypeKind::Struct(s) => {
            0u8.hash(&mut h);
            for f in &s.fields {
                (&f.name, &f.wire, f.skip_if_none, f.boxed).hash(&mut h);
                ref_hash(&f.ty, rep, &mut h);
            }
            if let Some(a) = &s.additional {
                ref_hash(a, rep, &mut h);
            }
        }
        TypeKind::Enum(e) => {
            1u8.hash(&mut h);
            for v in &e.variants {
                (&v.name, &v.wire).hash(&mut h);
            }
        }
        TypeKind::Union(u) => {
            2u8.hash(&mut h);
            for v in &u.variants {
                v.name.hash(&mut h);
                ref_hash(&v.ty, rep, &mut h);
            }
        }
        TypeKind::Newtype(t) => {
            3u8.hash(&mut h);
            ref_hash(t, rep, &mut h);
        }
        _ => return None,
    }
    Some(h.finish())
}

fn ref_hash(t: &TypeRef, rep: &[u32], h: &mut DefaultHasher) {
    match t {
        TypeRef::Named(id) => (0u8, rep[id.0 as usize]).hash(h),
        TypeRef::Vec(inner) => {
            1u8.hash(h);
            ref_hash(inner, rep, h);
        }
        TypeRef::Map(inner) => {
            2u8.hash(h);
            ref_hash(inner, rep, h);
        }
        TypeRef::Option(inner) => {
            3u8.hash(h);
            ref_hash(inner, rep, h);
        }
        TypeRef::Prim(p) => (4u8, p).hash(h),
        TypeRef::Tuple(elements) => {
            (5u8, elements.len()).hash(h);
            elements.iter().for_each(|e| ref_hash(e, rep, h));
        }
    }
}

/// Merge identical types; returns how many became aliases.
pub(super) fn dedupe(space: &mut TypeSpace) -> usize {
    let n = space.types.len();
    let mut rep: Vec<u32> = (0..n as u32).collect();
    loop {
        let mut changed = false;
        // Types by shape hash; within a bucket (rare but for true
        // duplicates), compared in full.
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::new();
        for i in 0..n {
            if rep[i] != i as u32 {
                continue;
            }
            let kind = &space.types[i].kind;
            let Some(hash) = shape_hash(kind, &rep) else { continue };
            let bucket = buckets.entry(hash).or_default();
            let same = if bucket.is_empty() {
                None
            } else {
                let k = canonical(kind, &rep);
                bucket.iter().copied().find(|j| canonical(&space.types[*j as usize].kind, &rep) == k)
            };
            match same {
                Some(r) => {
                    rep[i] = r;
                    changed = true;
                }
                None => bucket.push(i as u32),
            }
        }
        // Follow chains (a merged into b, b into c).
        for i in 0..n {
            let mut r = rep[i];
            while rep[r as usize] != r {
                r = rep[r as usize];
            }
            rep[i] = r;
        }
        if !changed {
            break;
        }
    }
    let mut merged = 0;
    for (i, r) in rep.iter().enumerate() {
        if *r != i as u32 {
            space.types[i].kind = TypeKind::Alias(TypeRef::Named(TypeId(*r)));
            merged += 1;
        }
    }
    merged
}
