//! Stage 5: IR to Rust tokens. Everything is spelled with `quote`; nothing
//! here decides a name or a shape, the IR did.

mod client;
mod docs;
pub(crate) mod op_types;
mod types;

use crate::diag::GenError;
use crate::ir::{Ir, TypeKind};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Where a type is spelled: inside the `types` module or next to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Outside,
}

/// An identifier from an IR name (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct CodegenOptions {
    /// Emit a `#[test]` per spec example that round-trips it through its type.
    pub example_tests: bool,
}

/// The whole client module.
pub fn generate(ir: &Ir, options: CodegenOptions) -> Result<TokenStream, GenError> {
    let all: Vec<usize> = (0..ir.operations.len()).collect();
    let bulk = Bulk {
        types: type_items(ir, &type_order(ir)),
        builders: builder_items(ir, &all),
        methods: method_items(ir, &all),
    };
    file(ir, options, bulk)
}

/// The whole file except its bulk: the items of the `types` and `builders`
/// modules and the client's methods, which [`type_items`], [`builder_items`]
/// and [`method_items`] make (so that they can be made and formatted in parallel).
pub fn generate_frame(ir: &Ir, options: CodegenOptions) -> Result<TokenStream, GenError> {
    file(ir, options, Bulk { types: TokenStream::new(), builders: TokenStream::new(), methods: TokenStream::new() })
}

struct Bulk {
    types: TokenStream,
    builders: TokenStream,
    methods: TokenStream,
}

/// The request builders of these operations (indices into `ir.operations`).
pub fn builder_items(ir: &Ir, ops: &[usize]) -> TokenStream {
    let items = ops.iter().filter_map(|i| ir.operations.get(*i)).map(|op| client::builder(ir, op));
    quote!(#(#items)*)
}

/// The client methods of these operations.
pub fn method_items(ir: &Ir, ops: &[usize]) -> TokenStream {
    let items = ops.iter().filter_map(|i| ir.operations.get(*i)).map(|op| client::method(ir, op));
    quote!(#(#items)*)
}

/// The named types in the order the `types` module lists them (by name).
pub fn type_order(ir: &Ir) -> Vec<crate::ir::TypeId> {
    let space = &ir.types;
    let mut ids: Vec<_> = space.ids().filter(|id| !matches!(space.get(*id).kind, TypeKind::Pending)).collect();
    ids.sort_by(|a, b| space.get(*a).name.cmp(&space.get(*b).name));
    ids
}

/// The items of these named types.
pub fn type_items(ir: &Ir, ids: &[crate::ir::TypeId]) -> TokenStream {
    let space = &ir.types;
    let items = ids.iter().map(|id| types::named_type(space, space.get(*id)));
    quote!(#(#items)*)
}

fn file(ir: &Ir, options: CodegenOptions, bulk: Bulk) -> Result<TokenStream, GenError> {
    let Bulk { types: type_items, builders, methods } = bulk;
    let space = &ir.types;

    let client = client::client(ir);

    let mut about = format!("Types of {} {}", ir.title, ir.version);
    if let Some(d) = &ir.description {
        about.push_str("\n\n");
        about.push_str(d);
    }
    let types_doc = docs::lines(&about);

    let examples = if options.example_tests && !ir.examples.is_empty() {
        let mut counts = std::collections::HashMap::new();
        let tests = ir.examples.iter().map(|ex| {
            let n = counts.entry(types::test_name(space, &ex.ty, 0).to_string()).or_insert(0usize);
            let name = types::test_name(space, &ex.ty, *n);
            *n += 1;
            let t = types::ty(space, &ex.ty, Scope::Outside);
            let json = serde_json::to_string(&ex.value).unwrap_or_default();
            let origin = &ex.origin;
            quote! {
                #[test]
                fn #name() {
                    if let ::std::result::Result::Err(e) = runtime::round_trip::<#t>(#json) {
                        panic!("example at {}: {}", #origin, e);
                    }
                }
            }
        });
        quote! {
            /// Every example of the API specification, deserialized into its
            /// type and serialized back.
            #[cfg(test)]
            mod spec_examples {
                use super::{runtime, types};
                #(#tests)*
            }
        }
    } else {
        quote!()
    };

    Ok(quote! {
        pub use ::openapi_gen_runtime as runtime;
        pub use runtime::{Error, StatusCode};

        #types_doc
        pub mod types {
            #![allow(clippy::all, clippy::pedantic, clippy::nursery, dead_code)]
            #[allow(unused_imports)]
            use super::runtime;
            #type_items
        }

        /// Request builders, one per operation: optional parameters are setters,
        /// and `.await` sends the request.
        pub mod builders {
            #![allow(clippy::all, clippy::pedantic, clippy::nursery)]
            #[allow(unused_imports)]
            use super::{runtime, types, Error};
            #builders
        }

        #client

        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        impl Client {
            #methods
        }

        #examples
    })
}
