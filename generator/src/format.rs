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

/// Items formatted as they sit in a module at the top level of a file
/// (indented once), without the module's own lines.
pub fn format_module_body(items: TokenStream) -> Result<String, GenError> {
    format_block_body(quote::quote!(mod m { #items }), "mod m {\n")
}

/// Methods formatted as they sit in a top-level `impl` block.
pub fn format_impl_body(items: TokenStream) -> Result<String, GenError> {
    format_block_body(quote::quote!(impl C { #items }), "impl C {\n")
}

fn format_block_body(tokens: TokenStream, opening: &str) -> Result<String, GenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        GenError::single(Diagnostic::error("#", format!("internal: generated code does not parse: {e}")))
    })?;
    let text = prettyplease::unparse(&file);
    let body = text.strip_prefix(opening).and_then(|t| t.strip_suffix("}\n")).unwrap_or("");
    Ok(body.to_string())
}

/// Put `body` at the end of the top-level module `name` of formatted `text`.
pub fn splice_module(text: &str, name: &str, body: &str) -> Option<String> {
    splice_block(text, &format!("pub mod {name} {{"), body)
}

/// Put `body` at the end of the top-level block that opens with the line
/// `opening` (such as `impl Client {`).
pub fn splice_block(text: &str, opening: &str, body: &str) -> Option<String> {
    let open = format!("\n{opening}\n");
    let Some(found) = text.find(&open) else {
        // An empty block is printed on one line: `impl Client {}`.
        let empty = format!("\n{opening}}}\n");
        let at = text.find(&empty)?;
        return Some(format!("{}\n{opening}\n{body}}}\n{}", &text[..at], &text[at + empty.len()..]));
    };
    let start = found + open.len();
    let end = start + text[start..].find("\n}\n")? + 1;
    let mut out = String::with_capacity(text.len() + body.len());
    out.push_str(&text[..end]);
    out.push_str(body);
    out.push_str(&text[end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_with_a_header() {
        let out = super::format(quote::quote!(pub struct A { x: u8 }), "Generated.\nDo not edit.").unwrap();
        assert_eq!(out, "// Generated.\n// Do not edit.\n\npub struct A {\n    x: u8,\n}\n");
    }

    #[test]
    fn module_bodies_formatted_apart_splice_into_place() {
        let items = quote::quote!(pub struct A { x: u8 } pub type B = A;);
        let whole = super::format(quote::quote!(pub mod types { use std::fmt; #items } pub fn f() {}), "H").unwrap();
        let frame = super::format(quote::quote!(pub mod types { use std::fmt; } pub fn f() {}), "H").unwrap();
        let body = super::format_module_body(items).unwrap();
        assert_eq!(super::splice_module(&frame, "types", &body).unwrap(), whole);

        let methods = quote::quote!(pub fn a(&self) {} pub fn b(&self) -> u8 { 1 });
        let whole = super::format(quote::quote!(pub struct C; impl C { #methods } pub fn f() {}), "H").unwrap();
        let frame = super::format(quote::quote!(pub struct C; impl C {} pub fn f() {}), "H").unwrap();
        let body = super::format_impl_body(methods).unwrap();
        assert_eq!(super::splice_block(&frame, "impl C {", &body).unwrap(), whole);
    }
}
