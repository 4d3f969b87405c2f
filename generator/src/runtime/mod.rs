//! The runtime every generated client embeds (as `pub mod runtime`).
//!
//! `client_runtime.rs` is compiled and unit-tested here like any module; the
//! generator parses the same file and emits its items, minus `#[cfg(test)]` ones.

// In generated clients every item is used by some spec, not by each one.
#[cfg(test)]
#[allow(dead_code)]
mod client_runtime;

use crate::diag::{Diagnostic, GenError};

const SOURCE: &str = include_str!("client_runtime.rs");

/// The runtime's items, ready to be emitted.
pub fn items() -> Result<Vec<syn::Item>, GenError> {
    let file = syn::parse_file(SOURCE)
        .map_err(|e| GenError::single(Diagnostic::error("#", format!("internal: runtime does not parse: {e}"))))?;
    Ok(file.items.into_iter().filter(|item| !is_test_only(item)).collect())
}

fn is_test_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        _ => return false,
    };
    attrs.iter().any(|a| a.path().is_ident("cfg") && quote::ToTokens::to_token_stream(&a.meta).to_string().contains("test"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtime_parses_and_drops_its_tests() {
        let items = super::items().unwrap();
        assert!(items.iter().any(|i| matches!(i, syn::Item::Struct(s) if s.ident == "Client")));
        assert!(!items.iter().any(|i| matches!(i, syn::Item::Mod(m) if m.ident == "tests")));
    }
}
