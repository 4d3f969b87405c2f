//! Request bodies: the argument or setter type of each media type, and the
//! statement that encodes it.

use super::params::arg_type;
use crate::stages::codegen::ident;
use crate::stages::ir::{Body, BodyKind, TypeKind, TypeRef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;

/// The type a body is passed as.
pub(super) fn body_type(space: &TypeSpace, b: &Body) -> TokenStream {
    match b.kind {
        BodyKind::Text => quote!(impl ::std::convert::Into<::std::string::String>),
        BodyKind::Binary => quote!(impl ::std::convert::Into<runtime::BinaryBody>),
        BodyKind::Multipart if !is_multipart_type(space, &b.ty) => quote!(&runtime::Multipart),
        _ => arg_type(space, &b.ty),
    }
}

fn is_multipart_type(space: &TypeSpace, t: &TypeRef) -> bool {
    matches!(space.unalias(t), TypeRef::Named(id) if matches!(space.get(*id).kind, TypeKind::Multipart(_)))
}

/// `request.json(body, "application/json");` and the like, for `value`.
pub(super) fn apply(b: &Body, target: &TokenStream, value: &TokenStream) -> TokenStream {
    let ct = &b.content_type;
    match b.kind {
        BodyKind::Json => quote!(#target.json(#value, #ct);),
        BodyKind::Form => quote!(#target.form(#value, #ct);),
        BodyKind::Multipart => quote!(#target.multipart(#value);),
        BodyKind::Text => quote!(#target.text(#value, #ct);),
        BodyKind::Binary => quote!(#target.binary(#value, #ct);),
    }
}

/// A builder setter for an optional body or another media type.
pub(super) fn setter(space: &TypeSpace, b: &Body) -> TokenStream {
    let name = ident(&b.setter);
    let t = body_type(space, b);
    let set = apply(b, &quote!(self.request), &quote!(body));
    let mut text = b.docs.description.clone().map(|d| format!("{d}\n\n")).unwrap_or_default();
    text.push_str(&format!("Send the body as `{}`.", b.content_type));
    let docs = crate::stages::codegen::docs::lines(&text);
    quote! {
        #docs
        pub fn #name(mut self, body: #t) -> Self {
            #set
            self
        }
    }
}
