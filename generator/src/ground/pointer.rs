//! JSON pointers (RFC 6901) and `$ref`s: the one place that escapes, unescapes,
//! decodes and walks them. Part of the ground every stage stands on; it
//! imports no stage.
//!
//! Two spellings of a place exist, and they differ:
//! - a *pointer* (`#/components/schemas/A~1B`), in the JSON-string form, is
//!   what diagnostics carry and what [`tokens`] splits;
//! - a *reference* (the value of a `$ref` or of a discriminator mapping) is a
//!   URI fragment, so it may also be percent-encoded
//!   (`#/components/schemas/Foo%20Bar`); [`ref_tokens`] decodes it.

use serde_json::Value;

/// Escape one token: `~` is `~0`, `/` is `~1`.
pub(crate) fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

fn push_escaped(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Unescape one token: `~1` is `/`, then `~0` is `~` (so `~01` is `~1`).
pub(crate) fn unescape(token: &str) -> String {
    if !token.contains('~') {
        return token.to_string();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// A JSON pointer built up while walking, without allocating a string per node.
pub(crate) struct Ptr {
    buf: String,
}

impl Ptr {
    pub(crate) fn root() -> Self {
        Ptr { buf: String::from("#") }
    }

    /// Run `f` with `token` appended to the pointer.
    pub(crate) fn with<R>(&mut self, token: &str, f: impl FnOnce(&mut Ptr) -> R) -> R {
        let len = self.buf.len();
        self.buf.push('/');
        push_escaped(&mut self.buf, token);
        let r = f(self);
        self.buf.truncate(len);
        r
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.buf
    }
}

/// Append a token to a pointer.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    push_escaped(&mut out, token);
    out
}

/// The pointer of a list of (unescaped) tokens: `["a", "b/c"]` is `#/a/b~1c`.
pub(crate) fn join<T: AsRef<str>>(tokens: impl IntoIterator<Item = T>) -> String {
    tokens.into_iter().fold(String::from("#"), |p, t| child(&p, t.as_ref()))
}

/// The tokens of a pointer (`#/a/b~1c` is `["a", "b/c"]`); `#` and the empty
/// pointer have none.
pub(crate) fn tokens(pointer: &str) -> Vec<String> {
    let p = pointer.strip_prefix('#').unwrap_or(pointer);
    if p.is_empty() {
        return Vec::new();
    }
    p.strip_prefix('/').unwrap_or(p).split('/').map(unescape).collect()
}

/// The node at these tokens, if the document has one.
pub(crate) fn get<'v>(doc: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    doc.pointer(join(tokens).strip_prefix('#').unwrap_or_default())
}

/// [`get`], open to change.
pub(crate) fn get_mut<'v>(doc: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    doc.pointer_mut(join(tokens).strip_prefix('#').unwrap_or_default())
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits stays as it is.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The decoded tokens of a reference into this document (`#/a/b%20c~1d` is
/// `["a", "b c/d"]`); `None` for a reference into another document.
pub(crate) fn ref_tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    let fragment = fragment.strip_prefix('/')?;
    Some(fragment.split('/').map(|t| unescape(&percent_decode(t))).collect())
}

/// The reference to write for a place: tokens escaped, and `%` encoded so that
/// decoding gives the token back.
pub(crate) fn to_ref<T: AsRef<str>>(tokens: impl IntoIterator<Item = T>) -> String {
    tokens.into_iter().fold(String::from("#"), |mut r, t| {
        r.push('/');
        r.push_str(&escape(t.as_ref()).replace('%', "%25"));
        r
    })
}

/// The reference to a component: `#/components/<section>/<name>`.
pub(crate) fn component_ref(section: &str, name: &str) -> String {
    to_ref(["components", section, name])
}

/// The pointer of a component, for diagnostics.
pub(crate) fn component_pointer(section: &str, name: &str) -> String {
    join(["components", section, name])
}

/// The component a reference reaches, `(section, name)`, decoded: also for a
/// place inside it (`#/components/schemas/A/properties/x` reaches `A`).
pub(crate) fn component_of(reference: &str) -> Option<(String, String)> {
    let mut tokens = ref_tokens(reference)?.into_iter();
    if tokens.next()? != "components" {
        return None;
    }
    Some((tokens.next()?, tokens.next()?))
}

/// Where a reference into the components points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ComponentTarget {
    /// `#/components/<section>/<name>`.
    Component { section: String, name: String },
    /// Inside a component, or elsewhere in this document.
    Elsewhere,
    /// Into another document.
    External,
}

/// Classify a reference (see [`ComponentTarget`]).
pub(crate) fn component_target(reference: &str) -> ComponentTarget {
    let Some(tokens) = ref_tokens(reference) else { return ComponentTarget::External };
    match <[String; 3]>::try_from(tokens) {
        Ok([components, section, name]) if components == "components" => ComponentTarget::Component { section, name },
        _ => ComponentTarget::Elsewhere,
    }
}

/// Is this key, in an object with these keys, a discriminator's mapping?
fn is_mapping(key: &str, parent: &serde_json::Map<String, Value>) -> bool {
    key == "mapping" && parent.contains_key("propertyName")
}

/// Every reference in a value, in no set order: each `$ref` string and each
/// value of a discriminator's `mapping` (which may also be a bare schema name).
pub(crate) fn for_each_ref(v: &Value, mut f: impl FnMut(&str)) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (key, child) in map {
                    match child {
                        Value::String(r) if key == "$ref" => f(r),
                        Value::Object(m) if is_mapping(key, map) => {
                            m.values().filter_map(Value::as_str).for_each(&mut f)
                        }
                        _ => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// [`for_each_ref`], with each reference open to rewriting.
pub(crate) fn for_each_ref_mut(v: &mut Value, mut f: impl FnMut(&mut String)) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                let has_property_name = map.contains_key("propertyName");
                for (key, child) in map.iter_mut() {
                    match child {
                        Value::String(r) if key == "$ref" => f(r),
                        Value::Object(m) if key == "mapping" && has_property_name => m
                            .values_mut()
                            .filter_map(|v| match v {
                                Value::String(s) => Some(s),
                                _ => None,
                            })
                            .for_each(&mut f),
                        _ => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_escape_and_unescape() {
        assert_eq!(child("#/paths", "/v1/x~y"), "#/paths/~1v1~1x~0y");
        assert_eq!(tokens("#/paths/~1v1~1x~0y"), ["paths", "/v1/x~y"]);
        assert_eq!(unescape("~01"), "~1", "~1 is unescaped before ~0");
        assert_eq!(join(["a", "b/c"]), "#/a/b~1c");
        assert!(tokens("#").is_empty() && tokens("").is_empty());
    }

    #[test]
    fn references_are_percent_decoded() {
        assert_eq!(ref_tokens("#/components/schemas/Foo%20Bar").unwrap(), ["components", "schemas", "Foo Bar"]);
        assert_eq!(ref_tokens("#/a~1b~0c/100%/%zz/%7E1").unwrap(), ["a/b~c", "100%", "%zz", "/"]);
        assert_eq!(join(ref_tokens("#/paths/~1a%7Bid%7D/get").unwrap()), "#/paths/~1a{id}/get");
        assert_eq!(ref_tokens("other.yaml#/A"), None);
        assert_eq!(ref_tokens("#").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn written_references_decode_back_to_their_names() {
        for name in ["Foo Bar", "A/B", "100%", "A%20B", "x~y"] {
            let r = component_ref("schemas", name);
            assert_eq!(component_of(&r), Some(("schemas".into(), name.into())), "{r}");
        }
        assert_eq!(component_ref("schemas", "Plain"), "#/components/schemas/Plain");
        assert_eq!(component_pointer("schemas", "A/B"), "#/components/schemas/A~1B");
    }

    #[test]
    fn targets_are_classified() {
        let component = |s: &str, n: &str| ComponentTarget::Component { section: s.into(), name: n.into() };
        assert_eq!(component_target("#/components/schemas/Foo%20Bar"), component("schemas", "Foo Bar"));
        assert_eq!(component_target("#/components/schemas/A/properties/b"), ComponentTarget::Elsewhere);
        assert_eq!(component_target("#/paths/~1a"), ComponentTarget::Elsewhere);
        assert_eq!(component_target("b.yaml#/A"), ComponentTarget::External);
        assert_eq!(component_of("#/components/schemas/A/properties/b"), Some(("schemas".into(), "A".into())));
        assert_eq!(component_of("#/paths/~1a"), None);
    }

    #[test]
    fn the_walker_sees_refs_and_mappings_only() {
        let mut doc = json!({
            "a": {"$ref": "#/x"},
            "b": [{"$ref": "#/y"}, {"discriminator": {"propertyName": "t", "mapping": {"c": "#/z", "d": "Bare"}}}],
            "properties": {"mapping": {"type": "object"}, "$ref": {"type": "string"}},
            "example": {"mapping": {"k": "not a ref"}}
        });
        let mut seen = Vec::new();
        for_each_ref(&doc, |r| seen.push(r.to_string()));
        seen.sort();
        assert_eq!(seen, ["#/x", "#/y", "#/z", "Bare"]);
        for_each_ref_mut(&mut doc, |r| r.insert(0, '>'));
        assert_eq!(doc["b"][1]["discriminator"]["mapping"]["d"], ">Bare");
        assert_eq!(doc["a"]["$ref"], ">#/x");
        assert_eq!(doc["example"]["mapping"]["k"], "not a ref");
    }
}
