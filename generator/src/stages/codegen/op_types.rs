//! Types that belong to one operation: its documented errors, its successes
//! by status, and its multipart body.

use super::docs::doc_attrs;
use super::type_ref::{argument, ty};
use super::{ident, Scope};
use crate::stages::ir::{ErrorEnum, MultipartBody, PartKind, ResponseBody, StatusMatch, SuccessEnum, TypeSpace};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The `match` pattern of a status: a code, a range, or anything.
pub(super) fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The enum of documented error bodies, and how the runtime decodes one by
/// status (`runtime::error_body!`: a line, where the `impl` is twenty).
pub(super) fn error_enum(space: &TypeSpace, name: &Ident, docs: TokenStream, e: &ErrorEnum) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let t = ty(space, &v.ty, Scope::Types);
        let vdocs = doc_attrs(&v.docs);
        quote!(#vdocs #vname(#t),)
    });
    let arms = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let pat = status_pattern(v.status);
        let mode = if v.lenient { quote!(lenient) } else { quote!(strict) };
        quote!(#pat => #mode #vname)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        runtime::error_body!(#name { #(#arms),* });
    }
}

/// The enum of 2xx bodies by status.
pub(super) fn success_enum(space: &TypeSpace, name: &Ident, docs: TokenStream, e: &SuccessEnum) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdocs = doc_attrs(&v.docs);
        match &v.body {
            ResponseBody::Empty => quote!(#vdocs #vname,),
            ResponseBody::Json(t) => {
                let t = ty(space, t, Scope::Types);
                quote!(#vdocs #vname(#t),)
            }
            ResponseBody::Text => quote!(#vdocs #vname(::std::string::String),),
            ResponseBody::Binary => quote!(#vdocs #vname(::std::vec::Vec<u8>),),
            ResponseBody::Events { data, json, .. } => {
                let t = if *json { ty(space, data, Scope::Types) } else { quote!(::std::string::String) };
                quote!(#vdocs #vname(runtime::EventStream<#t>),)
            }
        }
    });
    let other = e.other.as_deref().map(|other| {
        let other = ident(other);
        quote!(
            /// A 2xx status the specification does not document: the raw body.
            #other(::std::vec::Vec<u8>),
        )
    });
    quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other
        }
    }
}

/// A multipart body: file fields take bytes with a file name and content
/// type; other fields become text parts (arrays repeated, objects as JSON).
pub(super) fn multipart(space: &TypeSpace, name: &Ident, docs: TokenStream, m: &MultipartBody) -> TokenStream {
    let fields = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        let fdocs = doc_attrs(&f.docs);
        let base = match f.kind {
            PartKind::File => quote!(runtime::FilePart),
            PartKind::Files => quote!(::std::vec::Vec<runtime::FilePart>),
            PartKind::Value => ty(space, &f.ty, Scope::Types),
        };
        let t = if f.required { base } else { quote!(::std::option::Option<#base>) };
        quote!(#fdocs pub #n: #t,)
    });
    let parts = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        let ct = match &f.content_type {
            Some(c) => quote!(::std::option::Option::Some(#c)),
            None => quote!(::std::option::Option::None),
        };
        let (value, put) = match f.kind {
            PartKind::File => (quote!(file), quote!(form.file(#wire, file, #ct);)),
            PartKind::Files => (quote!(files), quote!(for file in files { form.file(#wire, file, #ct); })),
            PartKind::Value => (quote!(value), quote!(form.text(#wire, value);)),
        };
        if f.required {
            quote! { let #value = &self.#n; #put }
        } else {
            quote! { if let ::std::option::Option::Some(#value) = &self.#n { #put } }
        }
    });
    let builders = multipart_builders(space, m);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #builders
        }

        impl runtime::ToMultipart for #name {
            fn to_multipart(&self, form: &mut runtime::Multipart) {
                #(#parts)*
            }
        }
    }
}

/// `new(..)` with the required parts, and a setter per optional part.
fn multipart_builders(space: &TypeSpace, m: &MultipartBody) -> TokenStream {
    let take = |f: &crate::stages::ir::MultipartField, value: &Ident| match f.kind {
        PartKind::File => (quote!(runtime::FilePart), quote!(#value)),
        PartKind::Files => (quote!(::std::vec::Vec<runtime::FilePart>), quote!(#value)),
        PartKind::Value => argument(space, &f.ty, false, value),
    };
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in &m.fields {
        let n = ident(&f.name);
        if f.required {
            let (arg, stored) = take(f, &n);
            args.push(quote!(#n: #arg));
            inits.push(quote!(#n: #stored,));
        } else {
            let (arg, stored) = take(f, &quote::format_ident!("value"));
            inits.push(quote!(#n: ::std::option::Option::None,));
            let setter = ident(&f.setter);
            let doc = crate::stages::codegen::docs::setter(&f.name);
            setters.push(quote! {
                #doc
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#n = ::std::option::Option::Some(#stored);
                    self
                }
            });
        }
    }
    quote! {
        /// A body with the required parts; the optional ones are unset.
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* }
        }
        #(#setters)*
    }
}
