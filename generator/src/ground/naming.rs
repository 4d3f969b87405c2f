//! Rust identifiers from spec names: always valid, never a keyword clash,
//! unique within their scope.

use std::collections::HashSet;

/// Strict and reserved keywords of every edition, plus `gen` (2024).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated types module must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "BTreeMap",
    "HashMap",
    "Value",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "From",
    "Into",
    "AsRef",
    "AsMut",
    "Extend",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Unpin",
    "Self",
    "Formatter",
    "Error",
    "Client",
    "Infallible",
    "Map",
];

/// Words from any spec name: ASCII letters and digits, everything else separates.
pub(crate) fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut prev_sep = true;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_sep = false;
        } else if !prev_sep {
            out.push(' ');
            prev_sep = true;
        }
    }
    out.trim_end().to_string()
}

/// The words of `ascii_words` text as heck splits them (its
/// `UpperCamelCase` and `snake_case`, for ASCII, without their Unicode
/// tables): at spaces, after a lower-case letter that an upper-case one
/// follows, and before the last of a run of upper-case letters that a
/// lower-case one follows; a digit keeps the case of what came before it.
fn words(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    for part in text.split(' ') {
        let bytes = part.as_bytes();
        let (mut init, mut mode) = (0, Mode::Boundary);
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(&part[init..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&part[init..=i]);
                (init, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&part[init..i]);
                (init, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
}

/// `ascii_words` text in `UpperCamelCase`, as heck writes it.
fn upper_camel(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    words(text, |w| {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    });
    out
}

/// `ascii_words` text in `snake_case`, as heck writes it.
fn snake(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    words(text, |w| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    });
    out
}

/// `UpperCamelCase` type or variant name.
pub(crate) fn type_name(raw: &str) -> String {
    let mut name = upper_camel(&ascii_words(raw));
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.as_bytes()[0].is_ascii_digit() {
        name.insert_str(0, "Type");
    }
    name
}

/// A type name that does not shadow what the generated code uses.
pub(crate) fn safe_type_name(raw: &str) -> String {
    let mut name = type_name(raw);
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A `snake_case` Rust identifier the IR decided on (a field, argument or
/// method name): always valid, raw (`r#type`) where it is a keyword. Made
/// only here, so that nothing else escapes or unescapes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Ident(String);

impl Ident {
    /// As it is written in code: `r#type`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the raw prefix: `type`, for docs and for names made from it.
    pub(crate) fn bare(&self) -> &str {
        unraw(&self.0)
    }
}

impl AsRef<str> for Ident {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// The setter of a field: its own name, or `with_<name>` where the name is
/// one of `taken` (the type's own methods, such as `new`).
pub(crate) fn setter_name(field: &Ident, taken: &[&str]) -> Ident {
    if taken.contains(&field.bare()) {
        value_name(&format!("with_{}", field.bare()))
    } else {
        field.clone()
    }
}

/// `snake_case` field, argument or method name, escaped if it is a keyword.
pub(crate) fn value_name(raw: &str) -> Ident {
    let mut name = snake(&ascii_words(raw));
    if name.is_empty() {
        name = "value".into();
    }
    if name.as_bytes()[0].is_ascii_digit() {
        name.insert(0, '_');
    }
    Ident(escape_keyword(name))
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix.
fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// `base`, or `base` with `_` appended until none of `taken` is the name.
pub(crate) fn free_field_name<'a>(base: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut name = base.to_string();
    while taken.clone().any(|t| t == name) {
        name.push('_');
    }
    name
}

/// Hands out unique names in one scope: the second `foo` becomes `foo2`
/// (`foo_2` for snake-case names).
#[derive(Debug, Default, Clone)]
pub(crate) struct NameSet {
    taken: HashSet<String>,
}

impl NameSet {
    pub(crate) fn new() -> Self {
        NameSet::default()
    }

    pub(crate) fn with_reserved(names: &[&str]) -> Self {
        NameSet { taken: names.iter().map(|s| s.to_string()).collect() }
    }

    /// Whether nothing has claimed `name`.
    pub(crate) fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(unraw(name))
    }

    /// Claim a value name, or the first free numbered variant of it.
    pub(crate) fn claim_value(&mut self, base: &Ident) -> Ident {
        Ident(self.claim(base.as_str()))
    }

    /// Claim `base`, or the first free numbered variant of it.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let key = unraw(base);
        if self.taken.insert(key.to_string()) {
            return base.to_string();
        }
        let snake = key.contains('_') || key.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        for n in 2.. {
            // `self_` (from `self`) numbers as `self_2`: `self__2` is not snake case.
            let candidate = if snake && !key.ends_with('_') { format!("{key}_{n}") } else { format!("{key}{n}") };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

/// FastAPI operation ids are `{name}{path}_{method}` with non-word characters
/// of the path replaced by `_`; give back `{name}` when the id has that shape.
pub(crate) fn strip_fastapi_suffix<'a>(operation_id: &'a str, path: &str, method: &str) -> &'a str {
    let mut suffix: String = path.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    suffix.push('_');
    suffix.push_str(&method.to_ascii_lowercase());
    match operation_id.strip_suffix(suffix.as_str()) {
        Some(name) if !name.is_empty() => name,
        _ => operation_id,
    }
}

/// The client method name of an operation (before collisions are numbered):
/// its `operationId` in snake case (FastAPI's path-and-method suffix taken
/// off), or, without one, its method and path (`get_users_by_id`).
pub(crate) fn operation_method_name(operation_id: Option<&str>, method: &str, path: &str) -> Ident {
    match operation_id {
        Some(id) if !id.trim().is_empty() => value_name(strip_fastapi_suffix(id, path, method)),
        _ => method_path_name(method, path),
    }
}

/// A method name for an operation without `operationId`: `get_users_by_id`.
fn method_path_name(method: &str, path: &str) -> Ident {
    let mut words = vec![method.to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push(format!("by {param}"));
        } else {
            words.push(seg.to_string());
        }
    }
    value_name(&words.join(" "))
}

#[cfg(test)]
mod tests {
    /// The ASCII word splitting gives what heck gives, on random names
    /// built from the characters that make its rules differ.
    #[test]
    fn words_split_as_heck_splits_them() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let alphabet = b"aAbBzZ0 9_-.xXyY";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let raw: String = (0..len).map(|k| alphabet[((state >> (k * 4)) & 15) as usize] as char).collect();
            let text = super::ascii_words(&raw);
            assert_eq!(super::upper_camel(&text), text.to_upper_camel_case(), "{raw:?}");
            assert_eq!(super::snake(&text), text.to_snake_case(), "{raw:?}");
        }
        for raw in ["HTTPServer", "getV2Beta", "ABC", "aB", "Ab", "a1B", "A1b", "XMLHttpRequest2", "", "x"] {
            let text = super::ascii_words(raw);
            assert_eq!(super::upper_camel(&text), text.to_upper_camel_case(), "{raw:?}");
            assert_eq!(super::snake(&text), text.to_snake_case(), "{raw:?}");
        }
    }

    use super::*;

    #[test]
    fn type_names_are_upper_camel_and_valid() {
        assert_eq!(type_name("HTTPValidationError"), "HttpValidationError");
        assert_eq!(type_name("ColumnSchema-Output"), "ColumnSchemaOutput");
        assert_eq!(type_name("2fa_method"), "Type2faMethod");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("日本"), "Unnamed");
        assert_eq!(type_name("foo.bar baz"), "FooBarBaz");
    }

    #[test]
    fn reserved_type_names_get_a_suffix() {
        assert_eq!(safe_type_name("Option"), "OptionType");
        assert_eq!(safe_type_name("result"), "ResultType");
        assert_eq!(safe_type_name("Self"), "SelfType");
        assert_eq!(safe_type_name("Pet"), "Pet");
    }

    #[test]
    fn value_names_escape_keywords() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("Self"), "self_");
        assert_eq!(value_name("crate"), "crate_");
        assert_eq!(value_name("async"), "r#async");
        assert_eq!(value_name("fooBar"), "foo_bar");
        assert_eq!(value_name("1st"), "_1st");
        assert_eq!(value_name("$"), "value");
        assert_eq!(value_name("+1"), "_1");
    }

    #[test]
    fn name_sets_number_collisions() {
        let mut set = NameSet::new();
        assert_eq!(set.claim("foo_bar"), "foo_bar");
        assert_eq!(set.claim("foo_bar"), "foo_bar_2");
        assert_eq!(set.claim("Failed"), "Failed");
        assert_eq!(set.claim("Failed"), "Failed2");
        assert_eq!(set.claim("r#type"), "r#type");
        assert_eq!(set.claim("r#type"), "type_2");
        // `self` and `Self` both escape to `self_`.
        assert_eq!(set.claim("self_"), "self_");
        assert_eq!(set.claim("self_"), "self_2");
    }

    #[test]
    fn fastapi_operation_ids_lose_their_path_suffix() {
        let id = "complete_upload_v1_datasets_uploads__upload_id__complete_post";
        assert_eq!(strip_fastapi_suffix(id, "/v1/datasets/uploads/{upload_id}/complete", "post"), "complete_upload");
        assert_eq!(strip_fastapi_suffix("listPets", "/pets", "get"), "listPets");
        assert_eq!(strip_fastapi_suffix("_pets_get", "/pets", "get"), "_pets_get");
    }

    #[test]
    fn path_based_method_names() {
        assert_eq!(method_path_name("GET", "/users/{id}/repos"), "get_users_by_id_repos");
    }
}
