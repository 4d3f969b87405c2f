//! `#[cfg(feature = "..")]` on the items of a client split into features
//! (the IR's [`Features`]): each operation's builder, method and mock
//! expectation, and each named type and its impls.

use crate::stages::ir::features::{Features, Gate};
use crate::stages::ir::{Ir, TypeId, TypeRef};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

/// The attribute that compiles an operation's items with its group.
pub(super) fn operation(ir: &Ir, index: usize) -> Option<TokenStream> {
    let features = ir.features.as_ref()?;
    let group = features.operation_groups.get(index)?;
    Some(attribute(features, &Gate::Groups(vec![*group])))
}

/// The attribute that compiles a named type's items with the groups that reach it.
pub(super) fn named_type(ir: &Ir, id: TypeId) -> Option<TokenStream> {
    let features = ir.features.as_ref()?;
    match features.type_gates.get(id.0 as usize)? {
        Gate::Always => None,
        gate => Some(attribute(features, gate)),
    }
}

/// The attribute for a use site: the gate of the named type it holds.
pub(super) fn type_ref(ir: &Ir, t: &TypeRef) -> Option<TokenStream> {
    match t {
        TypeRef::Named(id) => named_type(ir, *id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => type_ref(ir, inner),
        TypeRef::Tuple(elements) => elements.iter().find_map(|e| type_ref(ir, e)),
        TypeRef::Prim(_) => None,
    }
}

pub(super) fn attribute(features: &Features, gate: &Gate) -> TokenStream {
    let name = |g: &usize| features.groups.get(*g).map(|g| g.name.as_str()).unwrap_or("full");
    match gate {
        Gate::Groups(groups) if groups.len() == 1 => {
            let one = name(&groups[0]);
            quote!(#[cfg(feature = #one)])
        }
        Gate::Groups(groups) => {
            let any = groups.iter().map(name);
            quote!(#[cfg(any(#(feature = #any),*))])
        }
        Gate::Always | Gate::Full => quote!(#[cfg(feature = "full")]),
    }
}

/// Every item of `items` (at the top level of a module or an `impl` block)
/// under `cfg`. An item ends at a `;`, or at a `{ .. }` block that no `;`
/// follows (`struct S { .. }`, `impl T { .. }`, `fn f() { .. }`).
pub(super) fn gate(items: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else { return items };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            out.extend(cfg.clone());
            out.extend(item.drain(..));
        }
    }
    if !item.is_empty() {
        out.extend(cfg.clone());
        out.extend(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_attribute() {
        let items = quote! {
            #[doc = "S"]
            pub struct S { a: u8 }
            runtime::object!(S { a: required });
            impl S { pub fn new() -> Self { S { a: 0 } } }
            pub type T = S;
            pub struct N(pub u8);
            const C: S = S { a: 1 };
            use a::{b, c};
            fn f() -> u8 { 1 }
        };
        let cfg = quote!(#[cfg(feature = "x")]);
        let gated = gate(items, Some(&cfg)).to_string();
        let parts: Vec<&str> = gated.split("# [cfg (feature = \"x\")]").map(str::trim).collect();
        assert_eq!(parts[0], "", "{gated}");
        let starts: Vec<String> =
            parts[1..].iter().map(|p| p.split(' ').take(3).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(
            starts,
            [
                "# [doc =",
                "runtime :: object",
                "impl S {",
                "pub type T",
                "pub struct N",
                "const C :",
                "use a ::",
                "fn f ()"
            ]
        );
    }
}
