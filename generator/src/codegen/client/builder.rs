//! The request builder of an operation: setters for optional parameters and
//! bodies, `send_with_response`, the streaming form, and (through the
//! runtime's `request_builder!`) options, `send` and `IntoFuture`.

use super::{bodies, params, responses};
use crate::codegen::ident;
use crate::ir::{Ir, Operation};
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's error type parameter.
pub fn error_param(ir: &Ir, op: &Operation) -> TokenStream {
    match op.error_type {
        Some(id) => {
            let n = ident(&ir.types.get(id).name);
            quote!(types::#n)
        }
        None => quote!(::std::convert::Infallible),
    }
}

pub fn builder(ir: &Ir, op: &Operation) -> TokenStream {
    let space = &ir.types;
    let name = ident(&op.builder);
    let method = op.name.bare();
    let doc = crate::codegen::docs::lines(&format!(
        "The request of [`Client::{method}`](super::Client::{method}): set optional parameters, then `.await` it\n(or call `send_with_response` for the status and headers too)."
    ));
    let setters = op.params.iter().filter(|p| !p.required).map(|p| params::setter(space, p));
    let body_setters =
        op.bodies.iter().enumerate().filter(|(i, b)| *i > 0 || !b.required).map(|(_, b)| bodies::setter(space, b));
    let ok = responses::ok_type(space, &op.success);
    let err = error_param(ir, op);
    let read = responses::read_success(space, &op.success);
    let stream = op.stream.as_ref().map(|s| responses::stream_method(space, s, &err));
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
        }

        runtime::request_builder!(#name, #ok, #err);
    }
}
