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
use std::collections::HashMap;

fn canon_ref(t: &TypeRef, rep: &[u32]) -> TypeRef {
    match t {
        TypeRef::Named(id) => TypeRef::Named(TypeId(rep[id.0 as usize])),
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(canon_ref(inner, rep))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(canon_ref(inner, rep))),
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
                f.examples.clear();
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

/// Merge identical types; returns how many became aliases.
pub fn dedupe(space: &mut TypeSpace) -> usize {
    let n = space.types.len();
    let mut rep: Vec<u32> = (0..n as u32).collect();
    loop {
        let mut changed = false;
        // Debug text as the key: kinds hold floats nowhere, and it is exact.
        let mut first: HashMap<String, u32> = HashMap::new();
        for i in 0..n {
            if rep[i] != i as u32 {
                continue;
            }
            let Some(k) = canonical(&space.types[i].kind, &rep) else { continue };
            let key = format!("{k:?}");
            match first.get(&key) {
                Some(&r) => {
                    rep[i] = r;
                    changed = true;
                }
                None => {
                    first.insert(key, i as u32);
                }
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
