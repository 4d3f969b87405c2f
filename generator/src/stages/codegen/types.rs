//! Named types to Rust items.

use super::docs::{doc_values, lines};
use super::type_ref::{argument, boxed_ty, ty};
use super::{ident, PlainField, PlainStruct, Scope};
use crate::stages::ir::{ClientDefault, Fallback, Field, Packed, StringEnum, Struct, Tagging, TypeSpace, Union};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// A field's declaration: its doc lines, name and type.
fn plain_field(space: &TypeSpace, f: &Field) -> PlainField {
    let mut docs = doc_values(&f.docs);
    let mut note = |line: String| {
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(line);
    };
    if let Some(value) = &f.client_default {
        let value = match value {
            ClientDefault::Str(s) => format!("`{s:?}`"),
            ClientDefault::Bool(b) => format!("`{b}`"),
            ClientDefault::Int(n) => format!("`{n}`"),
        };
        note(format!(
            " The constructors set it to {value}, so the client sends that unless you choose another value (or `None`)."
        ));
    }
    if let Some(p) = f.packed {
        let width = match p {
            Packed::Float32 => "f32",
            Packed::Float64 => "f64",
        };
        note(format!(" Read from a JSON array of numbers or from base64 of little-endian `{width}` values, as the server sends it."));
    }
    PlainField { docs, name: ident(&f.name), ty: boxed_ty(space, &f.ty, f.boxed) }
}

/// A struct: its declaration and `object!` line as parts the format stage
/// lays out itself, the items after them (a hand-written `Default`, the
/// builder methods) as tokens.
pub(super) fn structure(space: &TypeSpace, name: &proc_macro2::Ident, docs: Vec<String>, s: &Struct) -> PlainStruct {
    let mut fields: Vec<PlainField> = s.fields.iter().map(|f| plain_field(space, f)).collect();
    let field = ident(&s.additional_name);
    fields.push(match &s.additional {
        Some(t) => {
            let t = ty(space, t, Scope::Types);
            PlainField {
                docs: vec![" Properties not named in the schema.".to_string()],
                name: field,
                ty: quote!(::std::collections::BTreeMap<::std::string::String, #t>),
            }
        }
        None => PlainField {
            docs: vec![
                " Members the schema does not list: kept from what the server sent, sent with the rest.".to_string()
            ],
            name: field,
            ty: quote!(runtime::Extra),
        },
    });
    // A field the client fills in unless told otherwise makes `Default` by hand.
    let sends_defaults = s.fields.iter().any(|f| f.client_default.is_some());
    let mut derives = vec!["Debug", "Clone", "PartialEq"];
    if s.build.default && !sends_defaults {
        derives.push("Default");
    }
    let default_impl = (s.build.default && sends_defaults).then(|| {
        let inits = s.fields.iter().map(unset_init);
        let others = ident(&s.additional_name);
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self { #(#inits)* #others: ::std::default::Default::default(), }
                }
            }
        }
    });
    let builders = build_methods(space, name, s);
    PlainStruct {
        cfg: None,
        docs,
        derives,
        name: name.clone(),
        fields,
        object: object_impls(space, name, s),
        rest: quote!(#default_impl #builders),
    }
}

/// A field's value in `new()` or `Default` when the caller does not give
/// it: `None`, the value the client sends unless told otherwise, or the
/// type's default (one allowed value).
fn unset_init(f: &Field) -> TokenStream {
    let field = ident(&f.name);
    match (&f.client_default, f.ty.is_option()) {
        (Some(value), true) => {
            let value = match value {
                ClientDefault::Str(s) => quote!(::std::convert::From::from(#s)),
                ClientDefault::Bool(b) => quote!(#b),
                ClientDefault::Int(n) => {
                    let n = Literal::i64_unsuffixed(*n);
                    quote!(#n)
                }
            };
            quote!(#field: ::std::option::Option::Some(#value),)
        }
        (_, true) => quote!(#field: ::std::option::Option::None,),
        (_, false) => quote!(#field: ::std::default::Default::default(),),
    }
}

/// `Serialize` and `Deserialize` through the runtime's shared object code
/// (a line per field, where the derive expands to a few hundred per type).
fn object_impls(space: &TypeSpace, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().enumerate().map(|(i, f)| {
        let index = Literal::usize_unsuffixed(i);
        let field = ident(&f.name);
        let wire = &f.wire;
        let kind = format_ident!("{}", f.object_keyword());
        let t = boxed_ty(space, &f.ty, f.boxed);
        quote!(#index #field #wire #kind: #t)
    });
    let others = ident(&s.additional_name);
    // Vectors that may come as base64, listed last: a type without them
    // expands to the same code as before they existed.
    let packed: Vec<TokenStream> = s
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let codec = format_ident!("{}", f.packed?.codec());
            let (index, field) = (Literal::usize_unsuffixed(i), ident(&f.name));
            Some(quote!(packed #index #field as #codec))
        })
        .collect();
    quote! {
        runtime::object!(#name { #(#fields,)* ..#others, #(#packed,)* });
    }
}

/// `new(..)` with the fields that have no default, and a setter per optional field.
fn build_methods(space: &TypeSpace, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let constructor = (!s.build.constructor.is_empty()).then(|| {
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            let field = ident(&f.name);
            if s.build.constructor.contains(&i) {
                let (arg, stored) = argument(space, &f.ty, f.boxed, &field);
                args.push((s.build.constructor.iter().position(|c| *c == i), quote!(#field: #arg)));
                inits.push(quote!(#field: #stored,));
            } else {
                inits.push(unset_init(f));
            }
        }
        args.sort_by_key(|(pos, _)| *pos);
        let args = args.into_iter().map(|(_, a)| a);
        let others = ident(&s.additional_name);
        let additional = quote!(#others: ::std::default::Default::default(),);
        quote! {
            /// A value with the required fields; the others are unset (or their one allowed value).
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* #additional }
            }
        }
    });
    let setters: Vec<TokenStream> = if s.build.setters {
        s.fields
            .iter()
            .enumerate()
            .filter(|(i, f)| !f.read_only && !s.build.constructor.contains(i) && f.ty.is_option())
            .map(|(_, f)| {
                let field = ident(&f.name);
                let setter = ident(&f.setter);
                let (arg, stored) = argument(space, &f.ty, f.boxed, &format_ident!("value"));
                let doc = crate::stages::codegen::docs::setter(&f.name);
                quote! {
                    #doc
                    pub fn #setter(mut self, value: #arg) -> Self {
                        self.#field = #stored;
                        self
                    }
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let extra_setter = (s.build.setters && s.additional.is_none()).then(|| {
        let setter = ident(&s.extra_setter);
        let others = ident(&s.additional_name);
        let doc = format!(
            " Adds a member the schema does not list, sent beside the fields (in [`{0}`](Self::{0})).",
            s.additional_name
        );
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::serde::Serialize) -> Self {
                self.#others.insert(name, value);
                self
            }
        }
    });
    if constructor.is_none() && setters.is_empty() && extra_setter.is_none() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #constructor
            #(#setters)*
            #extra_setter
        }
    }
}

pub(super) fn string_enum(name: &proc_macro2::Ident, docs: TokenStream, e: &StringEnum) -> TokenStream {
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = e.variants.iter().map(|v| Literal::string(&v.wire)).collect();
    let wire_docs = e.variants.iter().map(|v| lines(&format!("`{}`", v.wire.replace('`', "'"))));
    let other = ident(&e.other);
    let default = e.default.then(|| quote!(Default,));
    // The one allowed value is the default (only then is there exactly one variant).
    let default_attr = e.variants.iter().map(|_| e.default.then(|| quote!(#[default])));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #default)]
        #[non_exhaustive]
        pub enum #name {
            #( #wire_docs #default_attr #variants, )*
            /// A value this version of the API specification does not list.
            #other(::std::string::String),
        }
        runtime::string_enum!(#name { #(#variants #wires,)* ..#other });
    }
}

pub(super) fn union(space: &TypeSpace, name: &proc_macro2::Ident, docs: TokenStream, u: &Union) -> TokenStream {
    let unknown = match &u.tagging {
        Tagging::Tagged { fallback: Fallback::Unknown(name), .. } => Some(ident(name)),
        _ => None,
    };
    let variant_defs = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let t = boxed_ty(space, &v.ty, v.boxed);
        quote!(#vname(#t),)
    });
    let unknown_def = unknown.as_ref().map(|unknown| {
        quote! {
            /// A variant this version of the API specification does not list.
            #unknown(::serde_json::Value),
        }
    });
    let construct = |i: usize| {
        let v = &u.variants[i];
        let vname = ident(&v.name);
        if v.boxed {
            quote!(super::runtime::from_value(value).map(|v| Self::#vname(::std::boxed::Box::new(v))))
        } else {
            quote!(super::runtime::from_value(value).map(Self::#vname))
        }
    };
    let body = match &u.tagging {
        Tagging::Tagged { property, cases, fallback } => {
            // One arm per variant, listing all its tags, in first-tag order.
            let mut order: Vec<usize> = Vec::new();
            for (_, i) in cases {
                if !order.contains(i) {
                    order.push(*i);
                }
            }
            let arms = order.into_iter().map(|i| {
                let tags = cases.iter().filter(|(_, j)| *j == i).map(|(t, _)| t);
                let build = construct(i);
                quote!(::std::option::Option::Some(#(#tags)|*) => #build,)
            });
            let default = match fallback {
                Fallback::Variant(i) => construct(*i),
                Fallback::Unknown(name) => {
                    let unknown = ident(name);
                    quote!(::std::result::Result::Ok(Self::#unknown(value)))
                }
            };
            quote! {
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => #default,
                }
            }
        }
        Tagging::Untagged => {
            let tries = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let t = ty(space, &v.ty, Scope::Types);
                let wrap = if v.boxed { quote!(::std::boxed::Box::new(v)) } else { quote!(v) };
                quote! {
                    if let ::std::option::Option::Some(v) = super::runtime::try_from_value::<#t>(&value) {
                        return ::std::result::Result::Ok(Self::#vname(#wrap));
                    }
                }
            });
            let msg = format!("the value matches no variant of {name}");
            quote! {
                #(#tries)*
                ::std::result::Result::Err(<__D::Error as ::serde::de::Error>::custom(#msg))
            }
        }
    };
    let conversions = union_conversions(space, name, u);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            #unknown_def
        }
        #conversions

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #body
            }
        }
    }
}

/// `From` each variant's own type, and from `&str` into the `String` variant.
fn union_conversions(space: &TypeSpace, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let impls = u.conversions.iter().filter_map(|i| u.variants.get(*i)).map(|v| {
        let vname = ident(&v.name);
        let t = ty(space, &v.ty, Scope::Types);
        let value = if v.boxed { quote!(::std::boxed::Box::new(value)) } else { quote!(value) };
        quote! {
            impl ::std::convert::From<#t> for #name {
                fn from(value: #t) -> Self {
                    Self::#vname(#value)
                }
            }
        }
    });
    let from_str = u.from_str.and_then(|i| u.variants.get(i)).map(|v| {
        let vname = ident(&v.name);
        let value = if v.boxed { quote!(::std::boxed::Box::new(value.to_owned())) } else { quote!(value.to_owned()) };
        quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::#vname(#value)
                }
            }
        }
    });
    quote!(#(#impls)* #from_str)
}
