//! Parameters: argument and setter types, and how each is put on the request.

use crate::stages::codegen::ident;
use crate::stages::codegen::type_ref::{prim, ty};
use crate::stages::codegen::Scope;
use crate::stages::ir::{Param, ParamLocation, Prim, QueryStyle, TypeRef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;

/// The type a value is passed as: strings as `&str`, slices for lists,
/// small values by value, everything else by reference.
pub(super) fn arg_type(space: &TypeSpace, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Prim(Prim::String) => quote!(&str),
        TypeRef::Prim(p) if p.is_copy() => prim(*p),
        TypeRef::Vec(inner) => {
            let inner = ty(space, inner, Scope::Outside);
            quote!(&[#inner])
        }
        other => {
            let t = ty(space, other, Scope::Outside);
            quote!(&#t)
        }
    }
}

fn query_style(s: QueryStyle) -> TokenStream {
    match s {
        QueryStyle::FormExplode => quote!(runtime::QueryStyle::FormExplode),
        QueryStyle::FormCsv => quote!(runtime::QueryStyle::FormCsv),
        QueryStyle::SpaceDelimited => quote!(runtime::QueryStyle::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(runtime::QueryStyle::PipeDelimited),
        QueryStyle::DeepObject => quote!(runtime::QueryStyle::DeepObject),
    }
}

/// The statement that puts `value` (an expression) on `target` (a `Request`).
pub(super) fn apply(p: &Param, target: &TokenStream, value: &TokenStream) -> TokenStream {
    let wire = &p.wire;
    match p.location {
        ParamLocation::Path => quote!(#target.path_param(#wire, &#value);),
        ParamLocation::Query => {
            let style = query_style(p.style);
            quote!(#target.query(#wire, &#value, #style);)
        }
        ParamLocation::Header => quote!(#target.header(#wire, &#value);),
        ParamLocation::Cookie => quote!(#target.cookie(#wire, &#value);),
    }
}

/// A builder setter for an optional parameter.
pub(super) fn setter(space: &TypeSpace, p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let t = arg_type(space, &p.ty);
    let docs = crate::stages::codegen::docs::lines(&setter_doc(p));
    let set = apply(p, &quote!(self.request), &quote!(value));
    quote! {
        #docs
        pub fn #name(mut self, value: #t) -> Self {
            #set
            self
        }
    }
}

fn setter_doc(p: &Param) -> String {
    let place = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut text = match &p.docs.description {
        Some(d) => d.clone(),
        None => String::new(),
    };
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("The `{}` {place} parameter.", p.wire));
    if p.docs.deprecated {
        text.push_str("\n\n**Deprecated** in the API specification.");
    }
    text
}
