//! The command line (`mod cli`, behind the crate's `cli` feature): a table
//! of subcommands for `runtime::cli`, and for each operation a small
//! function that reads its arguments into the operation's own types, calls
//! its method and prints what it gives. Each operation's items carry its
//! group's gate, like its method.

use super::type_ref::ty;
use super::{ident, Scope};
use crate::stages::ir::{
    BodyKind, Ir, MultipartBody, Operation, Param, ParamLocation, PartKind, Prim, ResponseBody, StreamForm, Success,
    TypeKind, TypeRef, TypeSpace,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `mod cli`, or nothing when the spec has no operation.
pub(super) fn cli(ir: &Ir) -> TokenStream {
    let name = ir.env_prefix.to_lowercase().replace('_', "-");
    let about = format!("{} {} from the command line", ir.title, ir.version);
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    for (i, op) in ir.operations.iter().enumerate() {
        let gate = super::gates::operation(ir, i);
        let f = format_ident!("op_{}", op.name.bare());
        entries.push(entry(ir, op, &f, gate.as_ref()));
        functions.push(function(ir, op, &f, gate.as_ref()));
    }
    quote! {
        /// The command line: a subcommand per operation, grouped by tag. A
        /// binary calls [`main`](cli::main); the client comes from the same
        /// environment variables as [`Client::from_env`], the base URL from
        /// `--base-url` when given.
        #[cfg(feature = "cli")]
        pub mod cli {
            #![allow(clippy::all, clippy::pedantic, clippy::nursery, unused_mut, unused_imports)]
            use super::{runtime, types, Client};
            use runtime::cli::{Failure, Input};

            /// Every operation compiled in, as subcommands.
            pub fn operations() -> ::std::vec::Vec<runtime::cli::Op<Client>> {
                let mut ops = ::std::vec::Vec::new();
                #(#entries)*
                ops
            }

            /// Parse the process's arguments, run the operation, and say how it went
            /// (0 done, 1 the call failed, 2 a usage error).
            pub fn main() -> ::std::process::ExitCode {
                runtime::cli::main(#name, #about, &operations(), |base_url| {
                    let builder = Client::builder_from_env();
                    match base_url {
                        ::std::option::Option::Some(url) => builder.base_url(url),
                        ::std::option::Option::None => builder,
                    }
                    .build()
                })
            }

            #(#functions)*
        }
    }
}

fn place(l: ParamLocation) -> TokenStream {
    match l {
        ParamLocation::Path => quote!(runtime::cli::Place::Path),
        ParamLocation::Query => quote!(runtime::cli::Place::Query),
        ParamLocation::Header => quote!(runtime::cli::Place::Header),
        ParamLocation::Cookie => quote!(runtime::cli::Place::Cookie),
    }
}

/// The values a string enumeration allows, for the flag's choices.
fn choices(space: &TypeSpace, t: &TypeRef) -> Vec<String> {
    let t = match space.unalias(t) {
        TypeRef::Vec(inner) => space.unalias(inner),
        other => other,
    };
    match t {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Enum(e) => e.variants.iter().filter(|v| v.name != e.other).map(|v| v.wire.clone()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn is_list(space: &TypeSpace, t: &TypeRef) -> bool {
    matches!(space.unalias(t), TypeRef::Vec(_))
}

/// The `ops.push(..)` of one operation.
fn entry(ir: &Ir, op: &Operation, f: &proc_macro2::Ident, gate: Option<&TokenStream>) -> TokenStream {
    let space = &ir.types;
    let (group, name) = (&op.cli.group, &op.cli.command);
    let about = op.summary.clone().unwrap_or_else(|| format!("{} {}", op.method.as_str(), op.path));
    let about = about.lines().next().unwrap_or("").trim().to_string();
    let mut long = op.docs.description.clone().unwrap_or_default();
    if !long.is_empty() {
        long.push_str("\n\n");
    }
    long.push_str(&format!("{} {}", op.method.as_str(), op.path));
    let args = op.params.iter().map(|p| {
        let id = p.name.bare();
        let long = id.trim_start_matches("r#").replace('_', "-");
        let value_name = id.trim_start_matches("r#").to_uppercase();
        let wire = &p.wire;
        let place = place(p.location);
        let required = p.required;
        let many = is_list(space, &p.ty);
        let values = choices(space, &p.ty);
        let help = p.docs.description.clone().unwrap_or_default();
        quote! {
            runtime::cli::Arg { id: #id, long: #long, value_name: #value_name, wire: #wire, place: #place, required: #required, many: #many, values: &[#(#values),*], help: #help }
        }
    });
    let body = match op.bodies.first() {
        Some(b) => {
            let kind = match b.kind {
                BodyKind::Json | BodyKind::Form => quote!(runtime::cli::BodyKind::Json),
                BodyKind::Multipart => quote!(runtime::cli::BodyKind::Multipart),
                BodyKind::Text => quote!(runtime::cli::BodyKind::Text),
                BodyKind::Binary => quote!(runtime::cli::BodyKind::Binary),
            };
            let required = b.required;
            quote!(::std::option::Option::Some((#kind, #required)))
        }
        None => quote!(::std::option::Option::None),
    };
    let pages = op.pagination.is_some();
    let stream = matches!(op.stream, Some(StreamForm::Events { .. }));
    quote! {
        #gate
        ops.push(runtime::cli::Op {
            group: #group,
            name: #name,
            about: #about,
            long_about: #long,
            args: &[#(#args),*],
            body: #body,
            pages: #pages,
            stream: #stream,
            run: #f,
        });
    }
}

/// How a value is passed to a method or setter: small values by value, the
/// rest by reference (as `params::arg_type` takes them).
fn pass(t: &TypeRef, v: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Prim(p) if p.is_copy() => quote!(#v),
        _ => quote!(&#v),
    }
}

fn read_param(space: &TypeSpace, p: &Param) -> TokenStream {
    let id = p.name.bare();
    match (p.required, space.unalias(&p.ty)) {
        (true, TypeRef::Vec(inner)) => {
            let t = ty(space, inner, Scope::Outside);
            quote!(i.required_values::<#t>(#id)?)
        }
        (false, TypeRef::Vec(inner)) => {
            let t = ty(space, inner, Scope::Outside);
            quote!(i.values::<#t>(#id)?)
        }
        (true, _) => {
            let t = ty(space, &p.ty, Scope::Outside);
            quote!(i.required::<#t>(#id)?)
        }
        (false, _) => {
            let t = ty(space, &p.ty, Scope::Outside);
            quote!(i.value::<#t>(#id)?)
        }
    }
}

/// A multipart body's struct, from `--body`/`--set` members and `--file` parts.
fn multipart(space: &TypeSpace, t: &TypeRef, m: &MultipartBody) -> TokenStream {
    let name = ty(space, t, Scope::Outside);
    let fields = m.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        let value = match (f.kind, f.required) {
            (PartKind::File, true) => quote!(i.required_file(#wire).await?),
            (PartKind::File, false) => quote!(i.file(#wire).await?),
            (PartKind::Files, true) => quote!(i.files(#wire).await?),
            (PartKind::Files, false) => quote!(Some(i.files(#wire).await?).filter(|f| !f.is_empty())),
            (PartKind::Value, required) => {
                let vt = ty(space, &f.ty, Scope::Outside);
                if required {
                    quote!(i.required_member::<#vt>(#wire)?)
                } else {
                    quote!(i.member::<#vt>(#wire)?)
                }
            }
        };
        quote!(#n: #value,)
    });
    quote!(#name { #(#fields)* })
}

/// The statements that make the first body, `body`, and whether one is made.
fn body(space: &TypeSpace, op: &Operation) -> Option<(TokenStream, bool)> {
    let b = op.bodies.first()?;
    let t = ty(space, &b.ty, Scope::Outside);
    let typed_multipart = match space.unalias(&b.ty) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Multipart(m) => Some(m),
            _ => None,
        },
        _ => None,
    };
    let make = match (b.kind, b.required) {
        (BodyKind::Json | BodyKind::Form, true) => quote!(let body: #t = i.json_body()?;),
        (BodyKind::Json | BodyKind::Form, false) => {
            quote!(let body: ::std::option::Option<#t> = i.optional_json_body()?;)
        }
        (BodyKind::Multipart, required) => {
            let value = match typed_multipart {
                Some(m) => multipart(space, &b.ty, m),
                None => quote!(i.multipart().await?),
            };
            if required {
                quote!(let body = #value;)
            } else {
                quote!(let body = ::std::option::Option::Some(#value);)
            }
        }
        (BodyKind::Text, true) => quote!(let body = i.text_body()?.unwrap_or_default();),
        (BodyKind::Text, false) => quote!(let body = i.text_body()?;),
        (BodyKind::Binary, true) => quote!(let body = i.binary_body()?.unwrap_or_default();),
        (BodyKind::Binary, false) => quote!(let body = i.binary_body()?;),
    };
    Some((make, b.required))
}

/// The statements after the request is built: print what the call gives.
fn output(op: &Operation, err: &TokenStream) -> TokenStream {
    let raw = quote! {
        let request = b.request;
        return i.raw_response(c.execute::<#err>(request).await).await;
    };
    let stream = match op.stream {
        Some(StreamForm::Events { .. }) => Some(quote! {
            if i.stream() {
                return i.events(b.stream().await?).await;
            }
        }),
        _ => None,
    };
    let pages = op.pagination.as_ref().map(|_| {
        quote! {
            if i.all() {
                let mut items = b.paginate();
                while let ::std::option::Option::Some(item) = items.next().await {
                    i.line(&item?)?;
                }
                return ::std::result::Result::Ok(());
            }
        }
    });
    let one = match &op.success {
        Success::One(ResponseBody::Json(_)) => quote!(i.json(&b.send_with_response().await?.body)),
        Success::One(ResponseBody::Text) => quote!(i.text(&b.send_with_response().await?.body)),
        Success::One(ResponseBody::Binary) => quote!(i.bytes(&b.send_with_response().await?.body)),
        Success::One(ResponseBody::Empty) => quote! {
            b.send_with_response().await?;
            ::std::result::Result::Ok(())
        },
        Success::One(ResponseBody::Events { .. }) => quote!(i.events(b.send_with_response().await?.body).await),
        // Several bodies by status: printed as the server sent them.
        Success::ByStatus(_) => raw.clone(),
    };
    quote! {
        if i.raw() {
            #raw
        }
        #stream
        #pages
        #one
    }
}

/// `fn op_x(c, i)`: the operation's arguments, its call, its output.
fn function(ir: &Ir, op: &Operation, f: &proc_macro2::Ident, gate: Option<&TokenStream>) -> TokenStream {
    let space = &ir.types;
    let method = ident(&op.name);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut optional = Vec::new();
    for p in &op.params {
        let n = format_ident!("p_{}", p.name.bare());
        let read = read_param(space, p);
        let t = if is_list(space, &p.ty) { TypeRef::Vec(Box::new(TypeRef::Prim(Prim::String))) } else { p.ty.clone() };
        if p.required {
            lets.push(quote!(let #n = #read;));
            args.push(pass(&t, &quote!(#n)));
        } else {
            let setter = ident(&p.name);
            let value = pass(&t, &quote!(v));
            optional.push(quote! {
                let b = match #read {
                    ::std::option::Option::Some(v) => b.#setter(#value),
                    ::std::option::Option::None => b,
                };
            });
        }
    }
    if let Some((make, required)) = body(space, op) {
        lets.push(make);
        let b = &op.bodies[0];
        let by_ref = matches!(b.kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart);
        let value = if by_ref { quote!(&body) } else { quote!(body) };
        if required {
            args.push(value);
        } else {
            let setter = ident(&b.setter);
            let value = if by_ref { quote!(&v) } else { quote!(v) };
            optional.push(quote! {
                let b = match body {
                    ::std::option::Option::Some(v) => b.#setter(#value),
                    ::std::option::Option::None => b,
                };
            });
        }
    }
    let err = super::client::error_param(ir, op);
    let output = output(op, &err);
    quote! {
        #gate
        fn #f<'a>(c: &'a Client, i: &'a Input) -> runtime::BoxFuture<'a, ::std::result::Result<(), Failure>> {
            ::std::boxed::Box::pin(async move {
                #(#lets)*
                let b = c.#method(#(#args),*);
                #(#optional)*
                #output
            })
        }
    }
}
