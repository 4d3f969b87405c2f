//! How a use site's type is written: paths of named types, primitives,
//! boxes, and what constructors and setters take. What both the schema types
//! and the operation types stand on.

use super::{ident, Scope};
use crate::stages::ir::{Prim, TypeRef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of a use site.
pub(super) fn ty(space: &TypeSpace, t: &TypeRef, scope: Scope) -> TokenStream {
    match t {
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Outside => quote!(types::#name),
            }
        }
        TypeRef::Prim(p) => prim(*p),
        TypeRef::Vec(inner) => {
            let inner = ty(space, inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(space, inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = ty(space, inner, scope);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Tuple(elements) => {
            let elements = elements.iter().map(|e| ty(space, e, scope));
            quote!((#(#elements,)*))
        }
    }
}

pub(super) fn prim(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote!(::std::string::String),
        Prim::Bool => quote!(bool),
        Prim::I8 => quote!(i8),
        Prim::I16 => quote!(i16),
        Prim::I32 => quote!(i32),
        Prim::I64 => quote!(i64),
        Prim::U8 => quote!(u8),
        Prim::U16 => quote!(u16),
        Prim::U32 => quote!(u32),
        Prim::U64 => quote!(u64),
        Prim::F64 => quote!(f64),
        Prim::Any => quote!(::serde_json::Value),
        Prim::Formatted(f) => {
            let name = crate::stages::codegen::ident(f.type_name());
            quote!(runtime::#name)
        }
    }
}

/// A type, boxed when it sits on a cycle (`Option<Box<T>>` for optional ones).
pub(super) fn boxed_ty(space: &TypeSpace, t: &TypeRef, boxed: bool) -> TokenStream {
    if !boxed {
        return ty(space, t, Scope::Types);
    }
    match t {
        TypeRef::Option(inner) => {
            let inner = ty(space, inner, Scope::Types);
            quote!(::std::option::Option<::std::boxed::Box<#inner>>)
        }
        other => {
            let inner = ty(space, other, Scope::Types);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// How a constructor or setter takes a value of this type, and how it stores it.
pub(super) fn argument(
    space: &TypeSpace,
    t: &TypeRef,
    boxed: bool,
    value: &proc_macro2::Ident,
) -> (TokenStream, TokenStream) {
    let inner = ty(space, t.required(), Scope::Types);
    // `impl Into` where it helps (`&str` for strings, variants for unions);
    // vectors and numbers stay exact so that literals and `vec![x.into()]` infer.
    let takes_into =
        matches!(space.unalias(t.required()), TypeRef::Named(_) | TypeRef::Prim(Prim::String | Prim::Formatted(_)));
    let arg = if takes_into { quote!(impl ::std::convert::Into<#inner>) } else { quote!(#inner) };
    let value = if takes_into { quote!(#value.into()) } else { quote!(#value) };
    let value = if boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
    let value = if t.is_option() { quote!(::std::option::Option::Some(#value)) } else { value };
    (arg, value)
}
