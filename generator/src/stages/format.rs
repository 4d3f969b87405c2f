//! The `format` stage (see the pipeline): tokens to formatted source (prettyplease), with a header.

use crate::ground::diag::GenError;
use crate::ground::parallel::in_parallel;
use crate::stages::codegen::{Bulk, Fill, PlainAlias, PlainStruct, Section, Tokens, TypeItem};
use crate::stages::ir::TypeId;
use proc_macro2::{Spacing, TokenStream, TokenTree};

/// The width lines are kept within, as prettyplease and rustfmt do.
const WIDTH: usize = 100;

/// The formatted client: its main file, and for a client split into
/// features each part's file (its path relative to the main file's folder,
/// and its text).
pub(crate) struct Files {
    pub main: String,
    pub parts: Vec<(String, String)>,
}

/// The client's source: each section of its frame formatted in turn, and the
/// bulk made and formatted in parallel runs, each part at the end of the
/// block that names it (or in a file of its own, brought in there).
pub(crate) fn client(tokens: Tokens<'_>, header: &str) -> Result<Files, GenError> {
    let Tokens { frame, bulk } = tokens;
    let mut out = header_lines(header);
    for section in frame {
        match section {
            Section::Items(items) => out.push_str(&unparse(parse(items)?)),
            Section::Block(block, fill) => {
                let mut body = match fill {
                    Fill::Types => in_parallel(&bulk.type_order, 4, |ids| {
                        format_type_items(bulk.type_items(ids), Level::ModuleBody)
                    })?
                    .concat(),
                    Fill::Builders => {
                        in_parallel(&bulk.operations, 4, |ops| format_module_body(bulk.builders(ops)))?.concat()
                    }
                    Fill::Methods => {
                        in_parallel(&bulk.operations, 4, |ops| format_impl_body(bulk.methods(ops)))?.concat()
                    }
                };
                if fill != Fill::Methods {
                    body.push_str(&format_module_body(bulk.includes(fill))?);
                }
                let block = unparse(parse(block)?);
                let filled = fill_block(&block, &body)
                    .ok_or_else(|| GenError::Internal(format!("the {fill:?} section is not one block item")))?;
                out.push_str(&filled);
                if fill == Fill::Methods {
                    out.push_str(&unparse(parse(bulk.includes(fill))?));
                }
            }
        }
    }
    Ok(Files { main: out, parts: parts(&bulk, header)? })
}

/// Each part's files, made and formatted on every core: each part's blocks
/// are cut into units, the units shared out in runs, and the texts joined
/// back in order.
fn parts(bulk: &Bulk<'_>, header: &str) -> Result<Vec<(String, String)>, GenError> {
    struct Unit<'a> {
        part: usize,
        fill: Fill,
        types: &'a [TypeId],
        ops: &'a [usize],
    }
    let mut units = Vec::new();
    for (part, p) in bulk.parts.iter().enumerate() {
        units.extend(p.types.chunks(64).map(|types| Unit { part, fill: Fill::Types, types, ops: &[] }));
        for fill in [Fill::Builders, Fill::Methods] {
            units.extend(p.operations.chunks(32).map(|ops| Unit { part, fill, types: &[], ops }));
        }
    }
    let texts = in_parallel(&units, 4, |run| {
        run.iter()
            .map(|u| match u.fill {
                Fill::Types => format_type_items(bulk.type_items(u.types), Level::TopLevel),
                fill => Ok(unparse(parse(bulk.part_items(fill, u.types, u.ops))?)),
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut files: Vec<(String, String)> = Vec::new();
    for (unit, text) in units.iter().zip(texts.into_iter().flatten()) {
        let path = bulk.path(&bulk.parts[unit.part], unit.fill);
        match files.last_mut() {
            Some((last, file)) if *last == path => file.push_str(&text),
            _ => files.push((path, header_lines(header) + &text)),
        }
    }
    Ok(files)
}

/// Where formatted items sit: at the top level of a file, or in a module
/// at the top level (indented once).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    TopLevel,
    ModuleBody,
}

impl Level {
    fn indent(self) -> &'static str {
        match self {
            Level::TopLevel => "",
            Level::ModuleBody => "    ",
        }
    }

    fn format(self, items: TokenStream) -> Result<String, GenError> {
        if items.is_empty() {
            return Ok(String::new());
        }
        match self {
            Level::TopLevel => Ok(unparse(parse(items)?)),
            Level::ModuleBody => format_module_body(items),
        }
    }
}

/// Named types' items, in order: a struct whose lines all fit is written
/// directly (what prettyplease would print, without parsing it: structs
/// are most of a large client), everything else formatted in runs.
fn format_type_items(items: Vec<TypeItem>, level: Level) -> Result<String, GenError> {
    let mut out = String::new();
    let mut pending = TokenStream::new();
    let mut cfgs: Vec<(String, String)> = Vec::new();
    for item in items {
        // The text written directly, and the tokens that follow it.
        let (direct, tokens) = match item {
            TypeItem::Tokens(tokens) => (None, tokens),
            TypeItem::Plain(plain) => {
                let cfg = plain.cfg.as_ref().map(|c| cfg_line(c, level, &mut cfgs)).transpose()?;
                match plain_struct(&plain, cfg.as_deref(), level.indent()) {
                    Some(text) => (Some(text), plain.rest),
                    None => (None, plain.into_tokens()),
                }
            }
            TypeItem::Alias(alias) => {
                let cfg = alias.cfg.as_ref().map(|c| cfg_line(c, level, &mut cfgs)).transpose()?;
                match plain_alias(&alias, cfg.as_deref(), level.indent()) {
                    Some(text) => (Some(text), TokenStream::new()),
                    None => (None, alias.into_tokens()),
                }
            }
        };
        if let Some(text) = direct {
            out.push_str(&level.format(std::mem::take(&mut pending))?);
            out.push_str(&text);
        }
        pending.extend(tokens);
    }
    out.push_str(&level.format(pending)?);
    Ok(out)
}

/// A gate's `#[cfg(..)]` as prettyplease prints it, a line or several (each
/// distinct one formatted once).
fn cfg_line(cfg: &TokenStream, level: Level, seen: &mut Vec<(String, String)>) -> Result<String, GenError> {
    let key = cfg.to_string();
    if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
        return Ok(line.clone());
    }
    let text = level.format(quote::quote!(#cfg struct S;))?;
    let line = text.strip_suffix(&format!("{}struct S;\n", level.indent())).unwrap_or_default().to_string();
    seen.push((key, line.clone()));
    Ok(line)
}

/// A struct's declaration and `object!` line as prettyplease (and the
/// entry-macro layout) would print them, or `None` when a field's line would
/// not fit (prettyplease would break its type) or a doc value is one that
/// prettyplease prints as an attribute.
fn plain_struct(plain: &PlainStruct, cfg: Option<&str>, indent: &str) -> Option<String> {
    let field_indent = format!("{indent}    ");
    let mut out = String::new();
    out.extend(cfg);
    push_docs(&mut out, indent, &plain.docs)?;
    out.push_str(&format!("{indent}#[derive({})]\n", plain.derives.join(", ")));
    out.push_str(&format!("{indent}pub struct {} {{\n", plain.name));
    for field in &plain.fields {
        let ty = join(field.ty.clone(), false)?.concat();
        push_docs(&mut out, &field_indent, &field.docs)?;
        type_lines(&TypePath::parse(&ty)?, &format!("pub {}: ", field.name), ",", field_indent.len(), &mut out);
    }
    out.push_str(&format!("{indent}}}\n"));
    out.extend(cfg);
    let (path, parts) = object_parts(&plain.object)?;
    layout_entry_macro(&mut out, indent, &path, &parts);
    Some(out)
}

/// A type as generated code spells it: a path, with generic arguments on
/// its last segment (`::std::option::Option<::std::vec::Vec<f64>>`).
struct TypePath<'a> {
    head: &'a str,
    args: Vec<TypePath<'a>>,
}

impl<'a> TypePath<'a> {
    /// The path from its compact text; `None` for any other shape (a tuple,
    /// a reference), which is left to prettyplease.
    fn parse(text: &'a str) -> Option<TypePath<'a>> {
        if text.contains(['(', ')', '[', '&', '\'']) {
            return None;
        }
        let Some(open) = text.find('<') else {
            return (!text.contains(['>', ',', ' '])).then_some(TypePath { head: text, args: Vec::new() });
        };
        let inner = text.strip_suffix('>')?.get(open + 1..)?;
        let mut args = Vec::new();
        let (mut depth, mut start) = (0usize, 0usize);
        for (i, c) in inner.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => depth = depth.checked_sub(1)?,
                ',' if depth == 0 => {
                    args.push(TypePath::parse(inner.get(start..i)?)?);
                    start = i + 2;
                    if inner.get(i + 1..i + 2) != Some(" ") {
                        return None;
                    }
                }
                _ => {}
            }
        }
        args.push(TypePath::parse(inner.get(start..)?)?);
        let head = &text[..open];
        (!head.contains([' ', '>', ','])).then_some(TypePath { head, args })
    }

    fn flat(&self, out: &mut String) {
        out.push_str(self.head);
        if let Some((first, rest)) = self.args.split_first() {
            out.push('<');
            first.flat(out);
            for arg in rest {
                out.push_str(", ");
                arg.flat(out);
            }
            out.push('>');
        }
    }
}

/// How much a line indented `indent` columns holds before prettyplease
/// breaks it: up to its margin of 89 columns, and at least 60.
fn line_space(indent: usize) -> usize {
    89usize.saturating_sub(indent).max(60)
}

/// `{prefix}{type}{suffix}` at `indent` columns as prettyplease lays it out:
/// on one line when it fits within the margin (89 columns, and at least 60
/// after the indentation), else the generic arguments a line each, one
/// level in, each laid out the same way. A last argument's comma is written
/// only because its list is broken, and prettyplease does not count it.
fn type_lines(t: &TypePath<'_>, prefix: &str, suffix: &str, indent: usize, out: &mut String) {
    type_lines_counted(t, prefix, (suffix, true), indent, out);
}

fn type_lines_counted(
    t: &TypePath<'_>,
    prefix: &str,
    (suffix, counted): (&str, bool),
    indent: usize,
    out: &mut String,
) {
    let space = line_space(indent);
    let start = out.len();
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(prefix);
    let flat_start = out.len();
    t.flat(out);
    let width = out.len() - start - indent + if counted { suffix.len() } else { 0 };
    out.push_str(suffix);
    if width <= space || t.args.is_empty() {
        out.push('\n');
        return;
    }
    out.truncate(flat_start);
    out.push_str(t.head);
    out.push_str("<\n");
    for (i, arg) in t.args.iter().enumerate() {
        type_lines_counted(arg, "", (",", i + 1 < t.args.len()), indent + 4, out);
    }
    out.extend(std::iter::repeat_n(' ', indent));
    out.push('>');
    out.push_str(suffix);
    out.push('\n');
}

/// `pub type Name = Target;` as prettyplease prints it when it fits on one
/// line (after its gate and docs), or `None`.
fn plain_alias(alias: &PlainAlias, cfg: Option<&str>, indent: &str) -> Option<String> {
    let ty = join(alias.ty.clone(), false)?.concat();
    TypePath::parse(&ty)?;
    let line = format!("pub type {} = {ty};", alias.name);
    if line.len() > line_space(indent.len()) {
        return None;
    }
    let mut out = String::new();
    out.extend(cfg);
    push_docs(&mut out, indent, &alias.docs)?;
    out.push_str(indent);
    out.push_str(&line);
    out.push('\n');
    Some(out)
}

/// Doc values as prettyplease prints them (`///` and the value without its
/// trailing spaces), or `None` for one it prints as an attribute.
fn push_docs(out: &mut String, indent: &str, docs: &[String]) -> Option<()> {
    for doc in docs {
        if doc.contains('\n') || doc.starts_with('/') {
            return None;
        }
        out.push_str(indent);
        out.push_str("///");
        out.push_str(doc.trim_end_matches(' '));
        out.push('\n');
    }
    Some(())
}

/// `path!(Name { .. });` as its path and its parts (the name, then the entries).
fn object_parts(tokens: &TokenStream) -> Option<(String, Vec<String>)> {
    let mut path = String::new();
    let mut iter = tokens.clone().into_iter();
    loop {
        match iter.next()? {
            TokenTree::Ident(i) => path.push_str(&i.to_string()),
            TokenTree::Punct(p) if p.as_char() == ':' => path.push(':'),
            TokenTree::Punct(p) if p.as_char() == '!' => break,
            _ => return None,
        }
    }
    let (Some(TokenTree::Group(args)), Some(TokenTree::Punct(semi)), None) = (iter.next(), iter.next(), iter.next())
    else {
        return None;
    };
    if args.delimiter() != proc_macro2::Delimiter::Parenthesis || semi.as_char() != ';' {
        return None;
    }
    Some((path, entry_list(&args.stream())?))
}

/// Generated code as a file to format.
fn parse(tokens: TokenStream) -> Result<syn::File, GenError> {
    syn::parse2(tokens).map_err(|e| GenError::Internal(format!("generated code does not parse: {e}")))
}

/// The header as comment lines, then a blank line.
fn header_lines(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 64);
    for line in header.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// One formatted block item with `body` added at the end of its block: the
/// item's text ends with its closing `}` (`{}` when it is empty).
fn fill_block(block: &str, body: &str) -> Option<String> {
    if let Some(open) = block.strip_suffix("{}\n") {
        return Some(format!("{open}{{\n{body}}}\n"));
    }
    let open = block.strip_suffix("}\n")?;
    Some(format!("{open}{body}}}\n"))
}

/// A whole file, with `header` as its first comment lines.
#[cfg(test)]
pub(crate) fn format(tokens: TokenStream, header: &str) -> Result<String, GenError> {
    Ok(header_lines(header) + &unparse(parse(tokens)?))
}

/// Items formatted as they sit in a module at the top level of a file
/// (indented once), without the module's own lines.
pub(crate) fn format_module_body(items: TokenStream) -> Result<String, GenError> {
    format_block_body(quote::quote!(mod m { #items }), "mod m {\n")
}

/// Methods formatted as they sit in a top-level `impl` block.
pub(crate) fn format_impl_body(items: TokenStream) -> Result<String, GenError> {
    format_block_body(quote::quote!(impl C { #items }), "impl C {\n")
}

fn format_block_body(tokens: TokenStream, opening: &str) -> Result<String, GenError> {
    let text = unparse(parse(tokens)?);
    let body = text.strip_prefix(opening).and_then(|t| t.strip_suffix("}\n")).unwrap_or("");
    Ok(body.to_string())
}

/// prettyplease, except that a macro invocation of the shape
/// `path!(Name { entry, entry })` (such as `runtime::object!`) is laid out
/// one entry a line where prettyplease would fill its tokens like a
/// paragraph. rustfmt leaves such invocations as they are written.
fn unparse(mut file: syn::File) -> String {
    let mut layouts = Vec::new();
    mark_entry_macros(&mut file.items, &mut layouts);
    let text = prettyplease::unparse(&file);
    if layouts.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64 * layouts.len());
    for line in text.split_inclusive('\n') {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let marked = code
            .strip_prefix(MARK)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| layouts.get(n));
        match marked {
            Some((path, Layout::Entries(entries))) => layout_entry_macro(&mut out, indent, path, entries),
            Some((path, Layout::Statements(lines))) => {
                out.push_str(&format!("{indent}{path}! {{\n"));
                for l in lines {
                    out.push_str(&format!("{indent}    {l}\n"));
                }
                out.push_str(&format!("{indent}}}\n"));
            }
            None => out.push_str(line),
        }
    }
    out
}

const MARK: &str = "const __OPENAPI_GEN_LAYOUT_";

/// How a macro invocation is laid out by hand.
enum Layout {
    /// `path!(Name { entry, entry })`: the name, then the entries.
    Entries(Vec<String>),
    /// `path! { #[attr] statement; statement; }`: a line each.
    Statements(Vec<String>),
}

/// Swaps each entry-list macro for a marker item, keeping its path and its
/// parts: the name, then the entries (`..rest` included) as text.
fn mark_entry_macros(items: &mut [syn::Item], layouts: &mut Vec<(String, Layout)>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    mark_entry_macros(inner, layouts);
                }
            }
            syn::Item::Macro(m) if m.ident.is_none() => {
                let layout = match (&m.mac.delimiter, entry_list(&m.mac.tokens)) {
                    (syn::MacroDelimiter::Paren(_), Some(parts)) => Layout::Entries(parts),
                    (syn::MacroDelimiter::Brace(_), None) => match statements(&m.mac.tokens) {
                        Some(lines) => Layout::Statements(lines),
                        None => continue,
                    },
                    _ => continue,
                };
                let path = m.mac.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
                let marker = syn::Ident::new(
                    &format!("{}{}", MARK.trim_start_matches("const "), layouts.len()),
                    m.mac.path.segments[0].ident.span(),
                );
                layouts.push((path, layout));
                // Its attributes (`#[cfg(..)]`) stay, on the lines before it.
                let attrs = &m.attrs;
                *item = syn::parse_quote!(#(#attrs)* const #marker: () = (););
            }
            _ => {}
        }
    }
}

/// `Name { a b, c d }` as `["Name", "a b", "c d"]`.
fn entry_list(tokens: &TokenStream) -> Option<Vec<String>> {
    let mut iter = tokens.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body)), None) = (iter.next(), iter.next(), iter.next())
    else {
        return None;
    };
    if body.delimiter() != proc_macro2::Delimiter::Brace {
        return None;
    }
    let mut parts = vec![name.to_string()];
    parts.extend(join(body.stream(), true)?);
    Some(parts)
}

/// `#[attr] a b = c; d;` as `["#[attr]", "a b = c;", "d;"]`: a line per
/// statement and per outer attribute.
fn statements(tokens: &TokenStream) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    let mut current = TokenStream::new();
    let mut iter = tokens.clone().into_iter().peekable();
    while let Some(tt) = iter.next() {
        let is_pound = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#');
        let is_semi = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ';');
        current.extend(std::iter::once(tt));
        if is_pound {
            if let Some(TokenTree::Group(g)) = iter.peek() {
                if g.delimiter() == proc_macro2::Delimiter::Bracket {
                    current.extend(iter.next());
                    lines.push(join(std::mem::take(&mut current), false)?.concat());
                }
            }
        } else if is_semi {
            lines.push(join(std::mem::take(&mut current), false)?.concat());
        }
    }
    if !current.is_empty() {
        lines.push(join(current, false)?.concat());
    }
    Some(lines)
}

/// Tokens as text, split at top-level commas if `split`.
fn join(tokens: TokenStream, split: bool) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut entry = String::new();
    let mut depth = 0usize;
    let mut previous = Previous::Start;
    for tt in tokens {
        let punct = match &tt {
            TokenTree::Punct(p) => Some((p.as_char(), p.spacing())),
            _ => None,
        };
        match punct {
            Some((',', _)) if depth == 0 && split => {
                parts.push(std::mem::take(&mut entry));
                previous = Previous::Start;
                continue;
            }
            Some(('<', _)) => depth += 1,
            Some(('>', _)) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let space = match (previous, punct) {
            (Previous::Start, _) => false,
            // `..=` in a range pattern
            (_, Some(('=', _))) if entry.ends_with("..") => false,
            // `name = value`, `pattern => value`
            (_, Some(('=', _))) => true,
            (Previous::Tight, _) => false,
            (Previous::Spaced, _) => true,
            (Previous::Word, Some(_)) => false,
            (Previous::Word, None) => {
                !matches!(&tt, TokenTree::Group(g) if g.delimiter() != proc_macro2::Delimiter::Brace)
            }
        };
        if space {
            entry.push(' ');
        }
        match &tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    _ => return None,
                };
                entry.push_str(open);
                entry.push_str(&join(g.stream(), false)?.concat());
                entry.push_str(close);
            }
            other => entry.push_str(&other.to_string()),
        }
        previous = match punct {
            None => Previous::Word,
            // `=>`
            Some(('>', Spacing::Alone)) if entry.ends_with("=>") => Previous::Spaced,
            Some(('=', Spacing::Alone)) if entry.ends_with("..=") => Previous::Tight,
            Some((_, Spacing::Joint)) => Previous::Tight,
            // The second colon of `::` (the first is joint) binds to what follows.
            Some((':', Spacing::Alone)) if entry.ends_with("::") => Previous::Tight,
            Some((':' | ',' | '=', Spacing::Alone)) => Previous::Spaced,
            Some(_) => Previous::Tight,
        };
    }
    if !entry.is_empty() {
        parts.push(entry);
    }
    Some(parts)
}

/// What the last token of an entry asks of the next one's spacing: nothing
/// yet, no space (after `::`, `<`, `>` or `..`), a space (after `:` and
/// `,`), or a space if the next is a word too.
#[derive(Clone, Copy)]
enum Previous {
    Start,
    Tight,
    Spaced,
    Word,
}

fn layout_entry_macro(out: &mut String, indent: &str, path: &str, parts: &[String]) {
    let (name, entries) = parts.split_first().map_or(("", parts), |(n, e)| (n.as_str(), e));
    let one_line = if entries.is_empty() {
        format!("{path}!({name} {{}});")
    } else {
        format!("{path}!({name} {{ {} }});", entries.join(", "))
    };
    if indent.len() + one_line.len() <= WIDTH {
        out.push_str(indent);
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    out.push_str(&format!("{indent}{path}!({name} {{\n"));
    for entry in entries {
        out.push_str(&format!("{indent}    {entry},\n"));
    }
    out.push_str(&format!("{indent}}});\n"));
}

#[cfg(test)]
mod tests {
    fn entry_macros() -> proc_macro2::TokenStream {
        let long: Vec<_> = (0..8usize).map(|i| quote::format_ident!("field_number_{}", i)).collect();
        let wires: Vec<_> = long.iter().map(|f| f.to_string()).collect();
        quote::quote! {
            pub mod types {
                pub struct A;
                runtime::object!(A { 0 r#type "type" required: u8, 1 b "b\"q" optional: Option<()>, ..extra });
                runtime::object!(B {});
                runtime::object!(D { 0 m "m" nullable: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<A>>> });
                runtime::object!(C { #(0 #long #wires required),* });
                other!(x, y);
            }
        }
    }

    #[test]
    fn entry_list_macros_get_one_entry_a_line() {
        let out = super::format(entry_macros(), "H").unwrap();
        let c: String =
            (0..8).map(|i| format!("        0 field_number_{i} \"field_number_{i}\" required,\n")).collect();
        let expected = format!(
            "// H\n\npub mod types {{\n    pub struct A;\n    \
             runtime::object!(A {{ 0 r#type \"type\" required: u8, 1 b \"b\\\"q\" optional: Option<()>, ..extra }});\n    \
             runtime::object!(B {{}});\n    runtime::object!(D {{\n        \
             0 m \"m\" nullable: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<A>>>,\n    \
             }});\n    runtime::object!(C {{\n{c}    }});\n    other!(x, y);\n}}\n"
        );
        assert_eq!(out, expected);
        // The hand layout parses back to the same tokens (a trailing comma
        // added, as rustfmt would; `<::` and `>>` are joint now).
        let reparsed: syn::File = syn::parse_str(&out).unwrap();
        let original: syn::File = syn::parse2(entry_macros()).unwrap();
        let text = |f: &syn::File| quote::quote!(#f).to_string().replace(' ', "").replace(",})", "})");
        assert_eq!(text(&reparsed), text(&original));
    }

    #[test]
    fn brace_macros_of_statements_get_a_line_each() {
        let tokens = quote::quote! {
            runtime::api_client! {
                #[doc = " Client for Pets."]
                pub struct Client;
                base_url = "https://pets.example.com";
                env = ("PETS_BASE_URL", "PETS_API_KEY", &[("key", "PETS_KEY", false)]);
            }
        };
        let out = super::format(tokens.clone(), "H").unwrap();
        assert_eq!(
            out,
            "// H\n\nruntime::api_client! {\n    #[doc = \" Client for Pets.\"]\n    pub struct Client;\n    \
             base_url = \"https://pets.example.com\";\n    \
             env = (\"PETS_BASE_URL\", \"PETS_API_KEY\", &[(\"key\", \"PETS_KEY\", false)]);\n}\n"
        );
        let reparsed: syn::File = syn::parse_str(&out).unwrap();
        let original: syn::File = syn::parse2(tokens).unwrap();
        let text = |f: &syn::File| quote::quote!(#f).to_string().replace(' ', "");
        assert_eq!(text(&reparsed), text(&original));
    }

    #[test]
    fn formats_with_a_header() {
        let out = super::format(
            quote::quote!(
                pub struct A {
                    x: u8,
                }
            ),
            "Generated.\nDo not edit.",
        )
        .unwrap();
        assert_eq!(out, "// Generated.\n// Do not edit.\n\npub struct A {\n    x: u8,\n}\n");
    }

    #[test]
    fn sections_formatted_apart_and_blocks_filled_read_as_the_whole_file() {
        let section = |tokens: proc_macro2::TokenStream| super::unparse(super::parse(tokens).unwrap());
        let items = quote::quote!(
            pub struct A {
                x: u8,
            }
            pub type B = A;
        );
        let whole = super::format(quote::quote!(pub mod types { use std::fmt; #items } pub fn f() {}), "H").unwrap();
        let block = section(quote::quote!(
            pub mod types {
                use std::fmt;
            }
        ));
        let body = super::format_module_body(items).unwrap();
        let pieces = super::header_lines("H")
            + &super::fill_block(&block, &body).unwrap()
            + &section(quote::quote!(
                pub fn f() {}
            ));
        assert_eq!(pieces, whole);

        // An empty block is printed `impl C {}`.
        let methods = quote::quote!(
            pub fn a(&self) {}
            pub fn b(&self) -> u8 {
                1
            }
        );
        let whole = super::format(quote::quote!(pub struct C; impl C { #methods }), "H").unwrap();
        let body = super::format_impl_body(methods).unwrap();
        let filled = super::fill_block(&section(quote::quote!(impl C {})), &body).unwrap();
        assert_eq!(
            super::header_lines("H")
                + &section(quote::quote!(
                    pub struct C;
                ))
                + &filled,
            whole
        );
        assert_eq!(super::fill_block("fn f() -> u8 { 1 }", ""), None, "not a block item's text");
    }

    /// Structs and aliases written directly give what prettyplease gives for
    /// their tokens, at both levels, for every shape the direct path takes
    /// (long nested generics broken a level at a time, several arguments,
    /// gates over several lines, raw names, trailing spaces in docs) and
    /// those it leaves to prettyplease (a tuple, a doc starting with `/`, an
    /// alias too long for one line).
    #[test]
    fn structs_and_aliases_written_directly_match_prettyplease() {
        use crate::stages::codegen::{ident, PlainAlias, PlainField, PlainStruct, TypeItem};
        use quote::quote;
        let long = |n: usize| quote::format_ident!("{}", "VeryLongTypeNameSegment".repeat(n));
        let (l1, l2, l3) = (long(1), long(2), long(3));
        let many: Vec<String> = (0..24usize).map(|i| format!("group_number_{i}")).collect();
        let gates = [None, Some(quote!(#[cfg(feature = "chat")])), Some(quote!(#[cfg(any(#(feature = #many),*))]))];
        let field = |docs: &[&str], name: &str, ty: proc_macro2::TokenStream| PlainField {
            docs: docs.iter().map(|d| d.to_string()).collect(),
            name: ident(name),
            ty,
        };
        let structs = |cfg: &Option<proc_macro2::TokenStream>| {
            let fields = vec![
                field(&[" A short one.  ", "", " Second line."], "r#type", quote!(::std::option::Option<i64>)),
                field(&[], "nested", quote!(::std::option::Option<::std::vec::Vec<::std::option::Option<#l3>>>)),
                field(&[], "map", quote!(::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<#l2>>)),
                field(&[], "edge", quote!(::std::option::Option<#l2>)),
                field(&[" x"], "plain", quote!(#l3)),
                field(&[], "extra", quote!(runtime::Extra)),
            ];
            let name = ident("Thing");
            let object = quote!(runtime::object!(Thing { 0 r#type "type" optional: ::std::option::Option<i64>, ..extra });
            );
            let plain = |fields, docs: &[&str], rest| PlainStruct {
                cfg: cfg.clone(),
                docs: docs.iter().map(|d| d.to_string()).collect(),
                derives: vec!["Debug", "Clone"],
                name: name.clone(),
                fields,
                object: object.clone(),
                rest,
            };
            let tuple = vec![field(&[], "pair", quote!((i64, #l1)))];
            let alias = |ty| PlainAlias { cfg: cfg.clone(), docs: vec![" An alias.".into()], name: ident("Other"), ty };
            vec![
                TypeItem::Plain(plain(fields, &[" Docs of the type."], quote!(impl Thing { pub fn f(&self) {} }))),
                TypeItem::Tokens(quote!(
                    pub struct Between;
                )),
                TypeItem::Plain(plain(tuple, &[], quote!())),
                TypeItem::Plain(plain(vec![field(&[], "x", quote!(i64))], &["/ a path"], quote!())),
                TypeItem::Alias(alias(quote!(::std::vec::Vec<#l1>))),
                TypeItem::Alias(alias(quote!(::std::vec::Vec<::std::option::Option<#l3>>))),
            ]
        };
        // Which items take the direct path: the first struct and the short alias.
        let direct: Vec<bool> = structs(&None)
            .iter()
            .map(|item| match item {
                TypeItem::Plain(p) => super::plain_struct(p, None, "").is_some(),
                TypeItem::Alias(a) => super::plain_alias(a, None, "").is_some(),
                TypeItem::Tokens(_) => false,
            })
            .collect();
        assert_eq!(direct, [true, false, false, false, true, false]);
        for level in [super::Level::TopLevel, super::Level::ModuleBody] {
            for cfg in &gates {
                let direct = super::format_type_items(structs(cfg), level).unwrap();
                let tokens: proc_macro2::TokenStream = structs(cfg).into_iter().map(TypeItem::into_tokens).collect();
                assert_eq!(direct, level.format(tokens).unwrap());
                assert!(direct.contains(&format!("{}    pub r#type: ::std::option::Option<i64>,", level.indent())));
            }
        }
    }
}
