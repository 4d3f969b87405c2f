//! Recursive types: a named type that contains itself by value (directly or
//! through other types) needs a `Box` on some edge of the cycle; an alias that
//! refers to itself needs to become a real type.

use super::{TypeId, TypeKind, TypeRef, TypeSpace};

/// Named types `t` holds without indirection (Vec and Map allocate already).
fn by_value(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Option(inner) => by_value(inner, out),
        TypeRef::Tuple(elements) => elements.iter().for_each(|e| by_value(e, out)),
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Prim(_) => {}
    }
}

/// Every named type `t` mentions, at any depth.
fn mentioned(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => mentioned(inner, out),
        TypeRef::Tuple(elements) => elements.iter().for_each(|e| mentioned(e, out)),
        TypeRef::Prim(_) => {}
    }
}

fn edges(space: &TypeSpace, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &space.get(id).kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| by_value(&f.ty, &mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| by_value(&v.ty, &mut out)),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => by_value(t, &mut out),
        TypeKind::Enum(_)
        | TypeKind::ErrorEnum(_)
        | TypeKind::SuccessEnum(_)
        | TypeKind::Multipart(_)
        | TypeKind::Pending => {}
    }
    out
}

/// The named type an alias chain step leads to without adding structure
/// (`A = B`, `A = Option<B>`).
fn bare_target(t: &TypeRef) -> Option<TypeId> {
    match t {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Option(inner) => bare_target(inner),
        _ => None,
    }
}

/// Follow bare alias steps from `t`; true when they come back to `home`.
fn bare_path_to(space: &TypeSpace, t: &TypeRef, home: TypeId) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut next = bare_target(t);
    while let Some(id) = next {
        if id == home {
            return true;
        }
        if !seen.insert(id) {
            return false;
        }
        next = match &space.get(id).kind {
            TypeKind::Alias(t) => bare_target(t),
            _ => None,
        };
    }
    false
}

/// Cycles of references with nothing in between (`C: {$ref: D}`, `D: {$ref: C}`)
/// describe no value: each alias on one becomes any JSON value. A union
/// variant that leads straight back to the union adds nothing (and would make
/// deserializing recurse forever): it is dropped. Returns the origins changed.
pub(super) fn collapse_empty_cycles(space: &mut TypeSpace) -> Vec<String> {
    let mut changed = Vec::new();
    for id in space.ids().collect::<Vec<_>>() {
        let cyclic = match &space.get(id).kind {
            TypeKind::Alias(t) => bare_path_to(space, t, id),
            _ => false,
        };
        if cyclic {
            space.get_mut(id).kind = TypeKind::Alias(TypeRef::any());
            changed.push(space.get(id).origin.clone());
        }
    }
    for id in space.ids().collect::<Vec<_>>() {
        let TypeKind::Union(u) = &space.get(id).kind else { continue };
        let keep: Vec<bool> = u.variants.iter().map(|v| !bare_path_to(space, &v.ty, id)).collect();
        if keep.iter().all(|k| *k) {
            continue;
        }
        let mut u = u.clone();
        let mut flags = keep.into_iter();
        u.variants.retain(|_| flags.next().unwrap_or(true));
        space.get_mut(id).kind = match u.variants.len() {
            0 => TypeKind::Alias(TypeRef::any()),
            1 => TypeKind::Alias(u.variants[0].ty.clone()),
            _ => TypeKind::Union(u),
        };
        changed.push(space.get(id).origin.clone());
    }
    changed
}

/// Turn self-referential aliases into newtypes.
pub(super) fn break_alias_cycles(space: &mut TypeSpace) {
    let ids: Vec<TypeId> = space.ids().collect();
    for id in ids {
        let TypeKind::Alias(t) = &space.get(id).kind else { continue };
        let mut stack = Vec::new();
        mentioned(t, &mut stack);
        let mut seen = std::collections::HashSet::new();
        let mut cyclic = false;
        while let Some(next) = stack.pop() {
            if next == id {
                cyclic = true;
                break;
            }
            if !seen.insert(next) {
                continue;
            }
            if let TypeKind::Alias(t) = &space.get(next).kind {
                mentioned(t, &mut stack);
            }
        }
        if cyclic {
            let slot = space.get_mut(id);
            if let TypeKind::Alias(t) = &slot.kind {
                slot.kind = TypeKind::Newtype(t.clone());
            }
        }
    }
}

/// Strongly connected components of the by-value graph (iterative Tarjan).
fn components(space: &TypeSpace) -> Vec<usize> {
    let n = space.types.len();
    let adj: Vec<Vec<TypeId>> = space.ids().map(|id| edges(space, id)).collect();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to visit)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = adj[v].get(*ei).map(|t| t.0 as usize) {
                *ei += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Box every by-value edge that stays inside a cycle.
pub(super) fn box_recursive(space: &mut TypeSpace) {
    let comp = components(space);
    let same = |a: TypeId, t: &TypeRef| {
        let mut out = Vec::new();
        by_value(t, &mut out);
        out.iter().any(|b| comp[b.0 as usize] == comp[a.0 as usize])
    };
    let ids: Vec<TypeId> = space.ids().collect();
    for id in ids {
        let mut kind = std::mem::replace(&mut space.get_mut(id).kind, TypeKind::Pending);
        match &mut kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.boxed = same(id, &f.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.boxed = same(id, &v.ty)),
            TypeKind::Newtype(t) if same(id, t) => {
                // A newtype that holds itself by value is infinite; hold it as JSON.
                *t = TypeRef::any();
            }
            _ => {}
        }
        space.get_mut(id).kind = kind;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Docs, Field, NamedType, Struct};
    use super::*;

    fn named(space: &mut TypeSpace, name: &str, kind: TypeKind) -> TypeId {
        space.add(NamedType { name: name.into(), docs: Docs::default(), origin: String::new(), kind })
    }

    fn field(ty: TypeRef) -> Field {
        Field {
            name: crate::ground::naming::value_name("f"),
            setter: crate::ground::naming::value_name("f"),
            wire: "f".into(),
            ty,
            skip_if_none: true,
            boxed: false,
            docs: Docs::default(),
            read_only: false,
            constant: false,
            packed: None,
            client_default: None,
        }
    }

    fn fields(space: &TypeSpace, id: TypeId) -> Vec<bool> {
        match &space.get(id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.boxed).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn cycles_through_values_are_boxed_and_vecs_are_not() {
        let mut space = TypeSpace::default();
        let a = named(&mut space, "A", TypeKind::Pending);
        let b = named(&mut space, "B", TypeKind::Pending);
        let c = named(&mut space, "C", TypeKind::Pending);
        // A -> Option<B>, B -> A, A -> Vec<A>, C -> A (C is not on a cycle)
        space.get_mut(a).kind = TypeKind::Struct(Struct {
            fields: vec![field(TypeRef::Named(b).optional()), field(TypeRef::Vec(Box::new(TypeRef::Named(a))))],
            additional: None,
            additional_name: String::new(),
            extra_setter: String::new(),
            build: Default::default(),
        });
        space.get_mut(b).kind = TypeKind::Struct(Struct {
            fields: vec![field(TypeRef::Named(a))],
            additional: None,
            additional_name: String::new(),
            extra_setter: String::new(),
            build: Default::default(),
        });
        space.get_mut(c).kind = TypeKind::Struct(Struct {
            fields: vec![field(TypeRef::Named(a))],
            additional: None,
            additional_name: String::new(),
            extra_setter: String::new(),
            build: Default::default(),
        });
        box_recursive(&mut space);
        assert_eq!(fields(&space, a), vec![true, false]);
        assert_eq!(fields(&space, b), vec![true]);
        assert_eq!(fields(&space, c), vec![false]);
    }

    #[test]
    fn self_referential_aliases_become_newtypes() {
        let mut space = TypeSpace::default();
        let a = named(&mut space, "A", TypeKind::Pending);
        space.get_mut(a).kind = TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Named(a))));
        let b = named(&mut space, "B", TypeKind::Alias(TypeRef::Named(a)));
        break_alias_cycles(&mut space);
        assert!(matches!(space.get(a).kind, TypeKind::Newtype(_)));
        assert!(matches!(space.get(b).kind, TypeKind::Alias(_)));
    }
}
