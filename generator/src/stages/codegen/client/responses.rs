//! Responses: the success type, how `send_with_response` reads it, and the
//! streaming forms.

use crate::stages::codegen::type_ref::ty;
use crate::stages::codegen::{ident, Scope};
use crate::stages::ir::{ResponseBody, StreamForm, Success, TypeKind, TypeRef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;

fn events_decoder(json: bool) -> TokenStream {
    if json {
        quote!(runtime::sse::json_data)
    } else {
        quote!(runtime::sse::text_data)
    }
}

fn event_type(space: &TypeSpace, data: &TypeRef, json: bool) -> TokenStream {
    if json {
        ty(space, data, Scope::Outside)
    } else {
        quote!(::std::string::String)
    }
}

/// The Rust type of one response body.
pub(super) fn body_type(space: &TypeSpace, b: &ResponseBody) -> TokenStream {
    match b {
        ResponseBody::Json(t) => ty(space, t, Scope::Outside),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Binary => quote!(::std::vec::Vec<u8>),
        ResponseBody::Empty => quote!(()),
        ResponseBody::Events { data, json, .. } => {
            let t = event_type(space, data, *json);
            quote!(runtime::EventStream<#t>)
        }
    }
}

/// An expression reading `response` (a `runtime::Success`) as a `Response<T>`
/// inside an async block.
fn read(b: &ResponseBody) -> TokenStream {
    match b {
        ResponseBody::Json(_) => quote!(response.json().await),
        ResponseBody::Text => quote!(response.text().await),
        ResponseBody::Binary => quote!(response.bytes().await),
        ResponseBody::Empty => quote!(response.empty().await),
        ResponseBody::Events { json, end, .. } => {
            let decode = events_decoder(*json);
            match end {
                Some(end) => {
                    quote!(::std::result::Result::Ok(response.events_response(#decode).map(|s| s.until(#end))))
                }
                None => quote!(::std::result::Result::Ok(response.events_response(#decode))),
            }
        }
    }
}

/// The shared runtime function that sends and reads one kind of body.
fn send_one(b: &ResponseBody) -> TokenStream {
    match b {
        ResponseBody::Json(_) => quote!(runtime::send::json(self.client, self.request)),
        ResponseBody::Text => quote!(runtime::send::text(self.client, self.request)),
        ResponseBody::Binary => quote!(runtime::send::bytes(self.client, self.request)),
        ResponseBody::Empty => quote!(runtime::send::empty(self.client, self.request)),
        ResponseBody::Events { json, end, .. } => {
            let decode = events_decoder(*json);
            match end {
                Some(end) => quote!(runtime::send::events_until(self.client, self.request, #end, #decode)),
                None => quote!(runtime::send::events(self.client, self.request, #decode)),
            }
        }
    }
}

/// The type `.await` gives.
pub(super) fn ok_type(space: &TypeSpace, s: &Success) -> TokenStream {
    match s {
        Success::One(b) => body_type(space, b),
        Success::ByStatus(id) => ty(space, &TypeRef::Named(*id), Scope::Outside),
    }
}

/// The body of `send_with_response` (a boxed future of `Response<T>`).
pub(super) fn read_success(space: &TypeSpace, s: &Success) -> TokenStream {
    let id = match s {
        Success::One(b) => return send_one(b),
        Success::ByStatus(id) => *id,
    };
    let t = space.get(id);
    let name = ident(&t.name);
    let TypeKind::SuccessEnum(e) = &t.kind else { return send_one(&ResponseBody::Empty) };
    let arms = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let pat = crate::stages::codegen::op_types::status_pattern(v.status);
        let read = read(&v.body);
        let wrap = match v.body {
            ResponseBody::Empty => quote!(|()| types::#name::#vname),
            _ => quote!(types::#name::#vname),
        };
        quote!(#pat => #read.map(|r| r.map(#wrap)),)
    });
    let arms: Vec<TokenStream> = arms.collect();
    let other = e.other.as_deref().map(|other| {
        let other = ident(other);
        quote!(_ => response.bytes().await.map(|r| r.map(types::#name::#other)),)
    });
    quote! {
        ::std::boxed::Box::pin(async move {
            let response = self.client.execute(self.request).await?;
            match response.status().as_u16() {
                #(#arms)*
                #other
            }
        })
    }
}

/// `stream()` or `stream_bytes()` on the builder.
pub(super) fn stream_method(space: &TypeSpace, form: &StreamForm, err: &TokenStream) -> TokenStream {
    match form {
        StreamForm::Events { data, json, flag, end } => {
            let t = event_type(space, data, *json);
            let decode = events_decoder(*json);
            let (flag, doc) = match flag {
                Some(f) => (
                    quote!(::std::option::Option::Some(#f)),
                    format!(" Send the request with `{f}: true` and receive the response as a stream of events."),
                ),
                None => (
                    quote!(::std::option::Option::None),
                    " Send the request and receive the response as a stream of events.".to_string(),
                ),
            };
            match end {
                Some(end) => {
                    let ends = format!(" Each item is an event's data; the stream ends with the event `data: {end}`, and a\n body that ends without it, or a broken connection, is an error item.");
                    quote! {
                        #[doc = #doc]
                        ///
                        #[doc = #ends]
                        pub fn stream(self) -> runtime::BoxFuture<'a, ::std::result::Result<runtime::EventStream<#t>, Error<#err>>> {
                            runtime::send::stream_events_until(self.client, self.request, #flag, #end, #decode)
                        }
                    }
                }
                None => quote! {
                    #[doc = #doc]
                    ///
                    /// Each item is an event's data; the stream ends at the end of the
                    /// body (or OpenAI's `[DONE]`), and a broken connection is an error item.
                    pub fn stream(self) -> runtime::BoxFuture<'a, ::std::result::Result<runtime::EventStream<#t>, Error<#err>>> {
                        runtime::send::stream_events(self.client, self.request, #flag, #decode)
                    }
                },
            }
        }
        StreamForm::Bytes => quote! {
            /// Send the request and receive the body as a stream of chunks, for large downloads.
            pub fn stream_bytes(self) -> runtime::BoxFuture<'a, ::std::result::Result<runtime::ByteStream, Error<#err>>> {
                runtime::send::stream_bytes(self.client, self.request)
            }
        },
    }
}
