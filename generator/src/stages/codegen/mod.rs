//! The `codegen` stage (see the pipeline): IR to Rust tokens. Everything is spelled with `quote`; nothing
//! here decides a name or a shape, the IR did.

mod cli;
mod client;
mod docs;
mod gates;
mod op_types;
mod prose;
mod type_ref;
mod types;

use crate::ground::diag::GenError;
use crate::stages::ir::features::Gate;
use crate::stages::ir::{Ir, NamedType, TypeId, TypeKind, TypeRef, TypeSpace};
use docs::doc_attrs;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Where a type is spelled: inside the `types` module or next to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Types,
    Outside,
}

/// An identifier from an IR name (`r#type` becomes a raw identifier).
pub(crate) fn ident(name: impl AsRef<str>) -> Ident {
    let name = name.as_ref();
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CodegenOptions<'a> {
    /// Emit a `#[test]` per spec example that round-trips it through its type.
    pub example_tests: bool,
    /// Emit the typed mock server (`mod mock`, behind the `mock` feature).
    pub mock: bool,
    /// Emit the command line (`mod cli`, behind the `cli` feature).
    pub cli: bool,
    /// The folder, beside the main file, of the files of a client split into
    /// features (the main file's name without `.rs`).
    pub parts_dir: &'a str,
}

/// The client as tokens: the frame of the file (everything but its bulk),
/// and the bulk, made in runs by [`Bulk`]. Tokens cannot move between
/// threads, so the format stage makes and formats each run on its own thread.
pub(crate) struct Tokens<'ir> {
    pub frame: Vec<Section>,
    pub bulk: Bulk<'ir>,
}

/// A part of the file's frame, in order.
pub(crate) enum Section {
    /// Top-level items, formatted as they are.
    Items(TokenStream),
    /// One top-level block item (`pub mod types { .. }`, `impl Client { .. }`)
    /// whose body ends with a part of the bulk.
    Block(TokenStream, Fill),
}

/// Which part of the bulk ends a [`Section::Block`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fill {
    /// The items of the named types ([`Bulk::types`]).
    Types,
    /// The request builders ([`Bulk::builders`]).
    Builders,
    /// The client's methods ([`Bulk::methods`]).
    Methods,
}

impl Fill {
    /// The last word of a part's file for this block (`chat.types.rs`).
    fn file(self) -> &'static str {
        match self {
            Fill::Types => "types",
            Fill::Builders => "builders",
            Fill::Methods => "methods",
        }
    }
}

/// The items of the `types` and `builders` modules and the client's methods.
pub(crate) struct Bulk<'ir> {
    ir: &'ir Ir,
    /// The named types of the main file in the order the `types` module
    /// lists them (by name): every type, unless the client is split.
    pub type_order: Vec<TypeId>,
    /// Indices into `ir.operations` of the main file's operations.
    pub operations: Vec<usize>,
    /// A client split into features: the items of each gate in files of
    /// their own, beside the main file, which brings each in under its
    /// `#[cfg]` (rustc does not even read the file of a group that is off).
    pub parts: Vec<Part>,
    parts_dir: String,
}

/// The items of one gate: a group's own, or the types several groups share.
pub(crate) struct Part {
    pub name: String,
    pub gate: Gate,
    pub types: Vec<TypeId>,
    pub operations: Vec<usize>,
}

impl Part {
    fn has(&self, fill: Fill) -> bool {
        match fill {
            Fill::Types => !self.types.is_empty(),
            Fill::Builders | Fill::Methods => !self.operations.is_empty(),
        }
    }
}

impl Bulk<'_> {
    /// The file of a part's block, relative to the main file's folder.
    pub(crate) fn path(&self, part: &Part, fill: Fill) -> String {
        format!("{}/{}.{}.rs", self.parts_dir, part.name, fill.file())
    }

    /// The items that bring in the parts' files of a block, each under the
    /// part's `#[cfg]`: inside the `types` and `builders` modules; at the top
    /// level for the methods (`include!` cannot stand inside an `impl`).
    pub(crate) fn includes(&self, fill: Fill) -> TokenStream {
        let features = self.ir.features.as_ref();
        let items = self.parts.iter().filter(|p| p.has(fill)).map(|part| {
            let cfg = features.map(|f| gates::attribute(f, &part.gate));
            let path = self.path(part, fill);
            quote!(#cfg include!(#path);)
        });
        quote!(#(#items)*)
    }

    /// Some of a part's items for its file of `fill`, at the file's top level.
    pub(crate) fn part_items(&self, fill: Fill, types: &[TypeId], ops: &[usize]) -> TokenStream {
        match fill {
            Fill::Types => self.types(types),
            Fill::Builders => self.builders(ops),
            Fill::Methods => {
                let methods = self.methods(ops);
                quote! {
                    #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
                    impl Client { #methods }
                }
            }
        }
    }

    /// The items of these named types.
    pub(crate) fn types(&self, ids: &[TypeId]) -> TokenStream {
        let items = self.type_items(ids).into_iter().map(TypeItem::into_tokens);
        quote!(#(#items)*)
    }

    /// The items of these named types, structs as parts the format stage
    /// can lay out without parsing them.
    pub(crate) fn type_items(&self, ids: &[TypeId]) -> Vec<TypeItem> {
        let space = &self.ir.types;
        ids.iter()
            .map(|id| {
                let cfg = gates::named_type(self.ir, *id);
                match named_type(space, space.get(*id)) {
                    TypeItem::Tokens(items) => TypeItem::Tokens(gates::gate(items, cfg.as_ref())),
                    TypeItem::Plain(mut plain) => {
                        plain.rest = gates::gate(std::mem::take(&mut plain.rest), cfg.as_ref());
                        plain.cfg = cfg;
                        TypeItem::Plain(plain)
                    }
                    TypeItem::Alias(mut alias) => {
                        alias.cfg = cfg;
                        TypeItem::Alias(alias)
                    }
                }
            })
            .collect()
    }

    /// The request builders of these operations.
    pub(crate) fn builders(&self, ops: &[usize]) -> TokenStream {
        let items = ops.iter().filter_map(|i| {
            let op = self.ir.operations.get(*i)?;
            Some(gates::gate(client::builder(self.ir, op), gates::operation(self.ir, *i).as_ref()))
        });
        quote!(#(#items)*)
    }

    /// The client methods of these operations.
    pub(crate) fn methods(&self, ops: &[usize]) -> TokenStream {
        let items = ops.iter().filter_map(|i| {
            let op = self.ir.operations.get(*i)?;
            Some(gates::gate(client::method(self.ir, op), gates::operation(self.ir, *i).as_ref()))
        });
        quote!(#(#items)*)
    }
}

/// A named type's items: tokens, or the parts of a struct or an alias.
pub(crate) enum TypeItem {
    Tokens(TokenStream),
    Plain(PlainStruct),
    Alias(PlainAlias),
}

impl TypeItem {
    pub(crate) fn into_tokens(self) -> TokenStream {
        match self {
            TypeItem::Tokens(tokens) => tokens,
            TypeItem::Plain(plain) => plain.into_tokens(),
            TypeItem::Alias(alias) => alias.into_tokens(),
        }
    }
}

/// `pub type Name = Target;` as its parts: gate, doc values, name, target.
pub(crate) struct PlainAlias {
    pub cfg: Option<TokenStream>,
    pub docs: Vec<String>,
    pub name: Ident,
    pub ty: TokenStream,
}

impl PlainAlias {
    pub(crate) fn into_tokens(self) -> TokenStream {
        let PlainAlias { cfg, docs, name, ty } = self;
        let docs = docs::attrs(docs);
        gates::gate(quote!(#docs pub type #name = #ty;), cfg.as_ref())
    }
}

/// A struct as the parts of its items: its gate, docs (the values of its
/// doc attributes), derives, name and fields, its `runtime::object!(..);`
/// invocation, and the items after it (already gated). The format stage
/// writes the declaration and the invocation directly when every line fits,
/// and formats [`PlainStruct::into_tokens`] otherwise: the two give the same text.
pub(crate) struct PlainStruct {
    pub cfg: Option<TokenStream>,
    pub docs: Vec<String>,
    pub derives: Vec<&'static str>,
    pub name: Ident,
    pub fields: Vec<PlainField>,
    pub object: TokenStream,
    pub rest: TokenStream,
}

/// A field of a [`PlainStruct`]: its doc values, name and type.
pub(crate) struct PlainField {
    pub docs: Vec<String>,
    pub name: Ident,
    pub ty: TokenStream,
}

impl PlainStruct {
    pub(crate) fn into_tokens(self) -> TokenStream {
        let PlainStruct { cfg, docs, derives, name, fields, object, rest } = self;
        let docs = docs::attrs(docs);
        let derives = derives.into_iter().map(|d| Ident::new(d, Span::call_site()));
        let fields = fields.into_iter().map(|PlainField { docs, name, ty }| {
            let docs = docs::attrs(docs);
            quote!(#docs pub #name: #ty,)
        });
        let items = quote! {
            #docs
            #[derive(#(#derives),*)]
            pub struct #name { #(#fields)* }
            #object
        };
        let mut tokens = gates::gate(items, cfg.as_ref());
        tokens.extend(rest);
        tokens
    }
}

/// The item of a named type.
fn named_type(space: &TypeSpace, t: &NamedType) -> TypeItem {
    let name = ident(&t.name);
    let docs = || doc_attrs(&t.docs);
    let tokens = match &t.kind {
        TypeKind::Struct(s) => return TypeItem::Plain(types::structure(space, &name, docs::doc_values(&t.docs), s)),
        TypeKind::Alias(target) => {
            let ty = type_ref::ty(space, target, Scope::Types);
            return TypeItem::Alias(PlainAlias { cfg: None, docs: docs::doc_values(&t.docs), name, ty });
        }
        TypeKind::Enum(e) => types::string_enum(&name, docs(), e),
        TypeKind::Union(u) => types::union(space, &name, docs(), u),
        TypeKind::Newtype(inner) => {
            let inner = type_ref::boxed_ty(space, inner, matches!(inner, TypeRef::Named(_)));
            let docs = docs();
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #inner);
            }
        }
        TypeKind::ErrorEnum(e) => op_types::error_enum(space, &name, docs(), e),
        TypeKind::SuccessEnum(e) => op_types::success_enum(space, &name, docs(), e),
        TypeKind::Multipart(m) => op_types::multipart(space, &name, docs(), m),
        TypeKind::Pending => {
            let docs = docs();
            quote!(#docs pub type #name = ::serde_json::Value;)
        }
    };
    TypeItem::Tokens(tokens)
}

/// The IR to tokens.
pub(crate) fn tokens<'ir>(ir: &'ir Ir, options: CodegenOptions<'_>) -> Result<Tokens<'ir>, GenError> {
    let space = &ir.types;
    let mut type_order: Vec<_> = space.ids().filter(|id| !matches!(space.get(*id).kind, TypeKind::Pending)).collect();
    type_order.sort_by(|a, b| space.get(*a).name.cmp(&space.get(*b).name));
    let (type_order, operations, parts) = split(ir, type_order);
    let bulk = Bulk { ir, type_order, operations, parts, parts_dir: options.parts_dir.to_string() };
    Ok(Tokens { frame: file(ir, options)?, bulk })
}

fn part<'a>(parts: &'a mut std::collections::BTreeMap<String, Part>, name: String, gate: &Gate) -> &'a mut Part {
    parts.entry(name.clone()).or_insert_with(|| Part {
        name,
        gate: gate.clone(),
        types: Vec::new(),
        operations: Vec::new(),
    })
}

/// The main file's types and operations, and the parts, by name, of a
/// client split into features (none otherwise).
fn split(ir: &Ir, type_order: Vec<TypeId>) -> (Vec<TypeId>, Vec<usize>, Vec<Part>) {
    let Some(features) = &ir.features else { return (type_order, (0..ir.operations.len()).collect(), Vec::new()) };
    let mut parts: std::collections::BTreeMap<String, Part> = std::collections::BTreeMap::new();
    let mut main_types = Vec::new();
    for id in type_order {
        let gate = features.type_gates.get(id.0 as usize).unwrap_or(&Gate::Always);
        match features.part(gate) {
            Some(name) => part(&mut parts, name, gate).types.push(id),
            None => main_types.push(id),
        }
    }
    let mut main_ops = Vec::new();
    for i in 0..ir.operations.len() {
        let gate = features.operation_groups.get(i).map_or(Gate::Always, |g| Gate::Groups(vec![*g]));
        match features.part(&gate) {
            Some(name) => part(&mut parts, name, &gate).operations.push(i),
            None => main_ops.push(i),
        }
    }
    (main_types, main_ops, parts.into_values().collect())
}

/// The whole file but its bulk, which the format stage puts at the end of
/// each block that names it.
fn file(ir: &Ir, options: CodegenOptions) -> Result<Vec<Section>, GenError> {
    let space = &ir.types;

    let client = client::client(ir);

    let mut about = format!("Types of {} {}", ir.title, ir.version);
    if let Some(d) = &ir.description {
        about.push_str("\n\n");
        about.push_str(d);
    }
    let types_doc = docs::lines(&about);

    let examples = if options.example_tests && !ir.examples.is_empty() {
        let tests = ir.examples.iter().map(|ex| {
            let name = ident(&ex.test_name);
            let t = type_ref::ty(space, &ex.ty, Scope::Outside);
            let json = serde_json::to_string(&ex.value).unwrap_or_default();
            let origin = &ex.origin;
            let gate = gates::type_ref(ir, &ex.ty);
            quote! {
                #gate
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
                #[allow(unused_imports)]
                use super::{runtime, types};
                #(#tests)*
            }
        }
    } else {
        quote!()
    };

    let credential_setters = client::credential_setters(ir);
    let mock = options.mock.then(|| client::mock(ir));
    let cli = options.cli.then(|| cli::cli(ir));
    Ok(vec![
        Section::Items(quote! {
            pub use ::openapi_gen_runtime as runtime;
            pub use runtime::{BuilderExt, Error, StatusCode};
        }),
        Section::Block(
            quote! {
                #types_doc
                pub mod types {
                    #![allow(clippy::all, clippy::pedantic, clippy::nursery, dead_code)]
                    #[allow(unused_imports)]
                    use super::runtime;
                }
            },
            Fill::Types,
        ),
        Section::Block(
            quote! {
                /// Request builders, one per operation: optional parameters are setters,
                /// and `.await` sends the request.
                pub mod builders {
                    #![allow(clippy::all, clippy::pedantic, clippy::nursery)]
                    #[allow(unused_imports)]
                    use super::{runtime, types, Error};
                }
            },
            Fill::Builders,
        ),
        Section::Items(client),
        Section::Block(
            quote! {
                #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
                impl Client {
                    #credential_setters
                }
            },
            Fill::Methods,
        ),
        Section::Items(quote!(#mock #cli #examples)),
    ])
}
