//! The names the IR keeps away from operations are the ones the runtime's
//! generated-client macros and its `Client` (which the generated client
//! derefs to) define: a method the runtime adds must be reserved here, or an
//! operation of that name would collide with it or hide it.

use crate::stages::ir::operation::{BUILDER_NAMES, CLIENT_METHODS};
use proc_macro2::{TokenStream, TokenTree};

fn runtime_source(file: &str) -> syn::File {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src").join(file);
    let text = std::fs::read_to_string(&path).expect("the workspace's runtime crate");
    syn::parse_file(&text).expect("the runtime parses")
}

/// The names after `fn` in a macro's body.
fn macro_fns(file: &syn::File, name: &str) -> Vec<String> {
    fn walk(tokens: TokenStream, out: &mut Vec<String>) {
        let mut after_fn = false;
        for t in tokens {
            match t {
                TokenTree::Ident(i) if after_fn => {
                    out.push(i.to_string());
                    after_fn = false;
                }
                TokenTree::Ident(i) => after_fn = i == "fn",
                TokenTree::Group(g) => {
                    walk(g.stream(), out);
                    after_fn = false;
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => after_fn = false,
            }
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Macro(m) = item {
            if m.ident.as_ref().is_some_and(|i| i == name) {
                walk(m.mac.tokens.clone(), &mut out);
            }
        }
    }
    assert!(!out.is_empty(), "macro_rules! {name} defines no fn");
    out
}

/// The public methods of the inherent `impl Client` blocks.
fn client_methods(file: &syn::File) -> Vec<String> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(i) = item else { continue };
        let syn::Type::Path(p) = &*i.self_ty else { continue };
        if i.trait_.is_some() || !p.path.is_ident("Client") {
            continue;
        }
        for item in &i.items {
            if let syn::ImplItem::Fn(f) = item {
                if matches!(f.vis, syn::Visibility::Public(_)) {
                    out.push(f.sig.ident.to_string());
                }
            }
        }
    }
    assert!(!out.is_empty(), "the runtime's Client has no public method");
    out
}

#[test]
fn the_client_methods_the_runtime_defines_are_reserved() {
    let lib = runtime_source("lib.rs");
    let defined = macro_fns(&lib, "api_client")
        .into_iter()
        .chain(macro_fns(&runtime_source("auth.rs"), "credential_setters"))
        .chain(client_methods(&runtime_source("client.rs")));
    // Trait methods of the generated client (`From`, `Deref`) need no reserving.
    let missing: Vec<String> =
        defined.filter(|f| !matches!(f.as_str(), "from" | "deref") && !CLIENT_METHODS.contains(&f.as_str())).collect();
    assert!(missing.is_empty(), "the runtime defines client methods the IR does not reserve: {missing:?}");
}

#[test]
fn the_builder_methods_the_runtime_defines_are_reserved() {
    let defined = macro_fns(&runtime_source("lib.rs"), "request_builder");
    let missing: Vec<&String> = defined.iter().filter(|f| !BUILDER_NAMES.contains(&f.as_str())).collect();
    assert!(missing.is_empty(), "the runtime defines builder methods the IR does not reserve: {missing:?}");
}
