//! Which named types a use site reaches: through fields, variants, aliases
//! and element types. The API diff and the feature gates both ask.

use super::{Operation, ResponseBody, StreamForm, Success, TypeId, TypeKind, TypeRef, TypeSpace};
use std::collections::BTreeSet;

impl TypeSpace {
    /// The use-site types a named type is made of.
    pub(crate) fn parts(&self, id: TypeId) -> Vec<&TypeRef> {
        match &self.get(id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => vec![t],
            TypeKind::ErrorEnum(e) => e.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::SuccessEnum(e) => e.variants.iter().filter_map(|v| body_type(&v.body)).collect(),
            TypeKind::Multipart(m) => m.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Enum(_) | TypeKind::Pending => Vec::new(),
        }
    }

    /// Every named type `roots` reach, themselves included.
    pub(crate) fn reachable<'a>(&self, roots: impl IntoIterator<Item = &'a TypeRef>) -> BTreeSet<TypeId> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Named(id) => {
                    if seen.insert(*id) {
                        stack.extend(self.parts(*id));
                    }
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => stack.push(inner),
                TypeRef::Tuple(elements) => stack.extend(elements),
                TypeRef::Prim(_) => {}
            }
        }
        seen
    }
}

/// The JSON type of a response body, if it has one.
fn body_type(body: &ResponseBody) -> Option<&TypeRef> {
    match body {
        ResponseBody::Json(t) | ResponseBody::Events { data: t, .. } => Some(t),
        ResponseBody::Text | ResponseBody::Binary | ResponseBody::Empty => None,
    }
}

impl Operation {
    /// The types its method, builder and responses name directly.
    pub(crate) fn type_roots(&self) -> Vec<TypeRef> {
        let mut roots: Vec<TypeRef> = self.params.iter().map(|p| p.ty.clone()).collect();
        roots.extend(self.bodies.iter().map(|b| b.ty.clone()));
        match &self.success {
            Success::One(body) => roots.extend(body_type(body).cloned()),
            Success::ByStatus(id) => roots.push(TypeRef::Named(*id)),
        }
        if let Some(StreamForm::Events { data, .. }) = &self.stream {
            roots.push(data.clone());
        }
        roots.extend(self.error_type.map(TypeRef::Named));
        if let Some(p) = &self.pagination {
            roots.push(p.item.clone());
            roots.push(p.page.clone());
        }
        roots
    }
}
