//! The request builder of an operation: setters for optional parameters and
//! bodies, `send_with_response`, the streaming form, and (through the
//! runtime's `request_builder!`) options, `send` and `IntoFuture`.

use super::{bodies, params, responses};
use crate::stages::codegen::type_ref::ty;
use crate::stages::codegen::{ident, Scope};
use crate::stages::ir::pagination::{PageNext, Paging};
use crate::stages::ir::polling::Polling;
use crate::stages::ir::{Ir, Operation};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's error type parameter.
pub(crate) fn error_param(ir: &Ir, op: &Operation) -> TokenStream {
    match op.error_type {
        Some(id) => {
            let n = ident(&ir.types.get(id).name);
            quote!(types::#n)
        }
        None => quote!(::std::convert::Infallible),
    }
}

pub(crate) fn builder(ir: &Ir, op: &Operation) -> TokenStream {
    let space = &ir.types;
    let name = ident(&op.builder);
    let method = op.name.bare();
    let doc = crate::stages::codegen::docs::lines(&format!(
        "The request of [`Client::{method}`](super::Client::{method}): set optional parameters, then `.await` it\n(or call `send_with_response` for the status and headers too)."
    ));
    let setters = op.params.iter().filter(|p| !p.required).map(|p| params::setter(space, p));
    let body_setters =
        op.bodies.iter().enumerate().filter(|(i, b)| *i > 0 || !b.required).map(|(_, b)| bodies::setter(space, b));
    let ok = responses::ok_type(space, &op.success);
    let err = error_param(ir, op);
    let read = responses::read_success(space, &op.success);
    let stream = op.stream.as_ref().map(|s| responses::stream_method(space, s, &err));
    let pages = op.pagination.as_ref().map(|p| pages(ir, p, &err));
    let wait = op.polling.as_ref().map(|p| wait(p, &ok, &err));
    quote! {
        #doc
        #[must_use = "a request is sent only when awaited"]
        pub struct #name<'a> {
            pub(super) client: &'a runtime::Client,
            pub(super) request: runtime::Request,
        }

        impl<'a> #name<'a> {
            #(#setters)*
            #(#body_setters)*

            /// Send the request: the typed body with its status, headers and request id.
            pub fn send_with_response(self) -> runtime::BoxFuture<'a, ::std::result::Result<runtime::Response<#ok>, Error<#err>>> {
                #read
            }

            #stream
            #pages
            #wait
        }

        runtime::request_builder!(#name, #ok, #err);
    }
}

/// `.wait()` of an operation that reads a job's state.
fn wait(p: &Polling, ok: &TokenStream, err: &TokenStream) -> TokenStream {
    let status = &p.status;
    let (done, failed) = (&p.done, &p.failed);
    let doc = crate::stages::codegen::docs::lines(&format!(
        "Send this request again until `{}` is {} (waits grow from 1 s by half up to 30 s,\nwith jitter; set them, a deadline and a callback for each state on the [`runtime::Wait`]).\nDropping the future stops polling.",
        p.status,
        p.done.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
    ));
    quote! {
        #doc
        pub fn wait(self) -> runtime::Wait<'a, #ok, #err> {
            const HOW: runtime::Polling = runtime::Polling { status: #status, done: &[#(#done),*], failed: &[#(#failed),*] };
            runtime::Wait::new(self.client, self.request, HOW)
        }
    }
}

/// `.paginate()` and `.pages()` of a list operation.
fn pages(ir: &Ir, p: &Paging, err: &TokenStream) -> TokenStream {
    let space = &ir.types;
    let page = ty(space, &p.page, Scope::Outside);
    let item = ty(space, &p.item, Scope::Outside);
    let items = p.items.as_deref().unwrap_or("");
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let next = match &p.next {
        PageNext::Cursor { param, from, item_key, has_more } => {
            let (from, item_key, has_more) = (text(from), text(item_key), text(has_more));
            quote!(runtime::NextPage::Cursor { param: #param, from: #from, item_key: #item_key, has_more: #has_more })
        }
        PageNext::Token { param, from } => quote!(runtime::NextPage::Token { param: #param, from: #from }),
        PageNext::Link { from } => quote!(runtime::NextPage::Link { from: #from }),
        PageNext::LinkHeader => quote!(runtime::NextPage::LinkHeader),
        PageNext::Time { param, item_key, size } => {
            let size = text(size);
            quote!(runtime::NextPage::Time { param: #param, item_key: #item_key, size: #size })
        }
        PageNext::Page { param, size } => {
            let size = text(size);
            quote!(runtime::NextPage::Page { param: #param, size: #size })
        }
        PageNext::Offset { param, size } => {
            let size = text(size);
            quote!(runtime::NextPage::Offset { param: #param, size: #size })
        }
    };
    let how = crate::stages::codegen::docs::lines(&format!(
        "Every item across the pages, each page fetched when the caller reaches it, with the\nclient's retries: {}.",
        p.describe()
    ));
    quote! {
        #how
        pub fn paginate(self) -> runtime::Items<'a, #page, #item, #err> {
            self.pages().items()
        }

        /// Every page, each fetched when the caller asks for it (`.next().await`).
        pub fn pages(self) -> runtime::Pages<'a, #page, #item, #err> {
            const HOW: runtime::Pagination = runtime::Pagination { items: #items, next: #next };
            runtime::Pages::new(self.client, self.request, HOW)
        }
    }
}
