//! Stage 6: tokens to formatted source (prettyplease), with a header.

use crate::diag::{Diagnostic, GenError};
use proc_macro2::TokenStream;

pub fn format(tokens: TokenStream, header: &str) -> Result<String, GenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        GenError::single(Diagnostic::error("#", format!("internal: generated code does not parse: {e}")))
    })?;
    let body = prettyplease::unparse(&file);
    let mut out = String::with_capacity(body.len() + header.len() + 64);
    for line in header.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_with_a_header() {
        let out = super::format(quote::quote!(pub struct A { x: u8 }), "Generated.\nDo not edit.").unwrap();
        assert_eq!(out, "// Generated.\n// Do not edit.\n\npub struct A {\n    x: u8,\n}\n");
    }
}
