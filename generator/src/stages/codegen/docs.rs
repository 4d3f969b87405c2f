//! Spec prose as rustdoc: safe for `cargo test` (no accidental doctests) and
//! for the compiler (any text is a valid string literal).

use crate::stages::ir::Docs;
use proc_macro2::TokenStream;
use quote::quote;

/// Markdown that rustdoc would run or misread, made inert: fenced blocks
/// without a language (or marked rust) become `text`, indentation that
/// would start an indented code block is removed, and what rustdoc would
/// warn about in prose is rewritten (`prose`).
pub(super) fn sanitize(text: &str) -> String {
    let tags = crate::stages::codegen::prose::Tags::of(text);
    let mut out: Vec<String> = Vec::new();
    // Prose lines since the last fence, cleaned together: a link's text or a
    // code span may run over several lines.
    let mut prose: Vec<&str> = Vec::new();
    let flush = |prose: &mut Vec<&str>, out: &mut Vec<String>| {
        if !prose.is_empty() {
            out.push(crate::stages::codegen::prose::clean(&prose.join("\n"), &tags));
            prose.clear();
        }
    };
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) {
            flush(&mut prose, &mut out);
            if in_fence {
                out.push("```".to_string());
            } else {
                let lang = rest.trim();
                let lang = if lang.is_empty() || lang.starts_with("rust") { "text" } else { lang };
                out.push(format!("```{lang}"));
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_string());
        } else {
            prose.push(trimmed);
        }
    }
    flush(&mut prose, &mut out);
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// `#[doc = "..."]` attributes for a title and description.
pub(super) fn doc_attrs(docs: &Docs) -> TokenStream {
    attrs(doc_values(docs))
}

/// The values of the doc attributes for a title and description (a line
/// each, with its leading space).
pub(super) fn doc_values(docs: &Docs) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    match (&docs.title, &docs.description) {
        (Some(t), Some(d)) if !d.starts_with(t.as_str()) && !t.trim().is_empty() => {
            parts.push(t.trim().to_string());
            parts.push(d.clone());
        }
        (_, Some(d)) => parts.push(d.clone()),
        (Some(t), None) => parts.push(t.clone()),
        (None, None) => {}
    }
    if docs.deprecated {
        parts.push("**Deprecated** in the API specification.".to_string());
    }
    line_values(&parts.join("\n\n"))
}

/// Doc attributes for free text.
pub(super) fn lines(text: &str) -> TokenStream {
    attrs(line_values(text))
}

/// The values of the doc attributes for free text.
fn line_values(text: &str) -> Vec<String> {
    let text = sanitize(text);
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.lines().map(|l| format!(" {l}")).collect()
}

/// A `#[doc = ..]` attribute per value.
pub(super) fn attrs(values: impl IntoIterator<Item = String>) -> TokenStream {
    let attrs = values.into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// The doc line of a field's setter, linking the field. Rustdoc resolves a
/// keyword-named field by its bare name (`Self::type`); `Self::r#type` is an
/// unresolved link to `Self::r`.
pub(super) fn setter(field: &crate::ground::naming::Ident) -> TokenStream {
    let doc = format!(" Sets [`{0}`](Self::{0}).", field.bare());
    quote!(#[doc = #doc])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_fences_become_text() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(sanitize("```\nunclosed"), "```text\nunclosed\n```");
    }

    #[test]
    fn indentation_cannot_start_a_doctest() {
        assert_eq!(sanitize("text\n\n    indented code"), "text\n\nindented code");
    }

    #[test]
    fn prose_is_cleaned_and_code_blocks_are_not() {
        assert_eq!(sanitize("see https://a.example"), "see <https://a.example>");
        let block = "```json\n{\"url\": https://a.example, \"ids\": [x], \"k\": <v>}\n```";
        assert_eq!(sanitize(block), block);
    }
}
