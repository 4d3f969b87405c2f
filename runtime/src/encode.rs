//! Parameter encoding: values to the text of paths, queries, headers,
//! cookies and form bodies.

use serde::Serialize;
use serde_json::Value;

/// How a query parameter is written (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2`; object members as their own pairs.
    FormExplode,
    /// `a=1,2`
    FormCsv,
    /// `a=1 2`
    SpaceDelimited,
    /// `a=1|2`
    PipeDelimited,
    /// `a[k]=v`
    DeepObject,
}

/// A value as JSON, for encoding. Serializing plain data cannot fail; a
/// failure (a map with non-string keys) is reported by the caller.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

/// A value as the text of a path, query or header parameter: strings as is,
/// numbers and booleans printed, arrays comma-separated, objects as `k,v` pairs.
pub fn param_string<T: Serialize + ?Sized>(value: &T) -> String {
    to_json(value).map(|v| value_string(&v)).unwrap_or_default()
}

pub(crate) fn value_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(value_string).collect::<Vec<_>>().join(","),
        Value::Object(map) => map.iter().flat_map(|(k, v)| [k.clone(), value_string(v)]).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// One path segment: everything outside the unreserved set is percent-encoded,
/// so `/`, `?`, `#`, `%` and spaces stay inside the segment. Empty, `.` and
/// `..` segments would change the path itself (URL parsers resolve dot
/// segments even when encoded), so they are refused.
pub fn path_segment(name: &str, raw: &str) -> Result<String, String> {
    if raw.is_empty() || raw == "." || raw == ".." {
        return Err(format!("path parameter `{name}` cannot be {raw:?}"));
    }
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

/// The pairs a query parameter becomes in the given style; `null` gives none.
pub fn query_pairs(name: &str, value: &Value, style: QueryStyle) -> Vec<(String, String)> {
    let sep = match style {
        QueryStyle::SpaceDelimited => " ",
        QueryStyle::PipeDelimited => "|",
        _ => ",",
    };
    let mut pairs = Vec::new();
    match value {
        Value::Null => {}
        Value::Array(items) => match style {
            QueryStyle::FormExplode | QueryStyle::DeepObject => {
                pairs.extend(items.iter().filter(|i| !i.is_null()).map(|i| (name.to_string(), value_string(i))));
            }
            _ => pairs.push((name.to_string(), items.iter().map(value_string).collect::<Vec<_>>().join(sep))),
        },
        Value::Object(map) => match style {
            QueryStyle::FormExplode => {
                pairs.extend(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), value_string(v))));
            }
            QueryStyle::DeepObject => {
                pairs.extend(
                    map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (format!("{name}[{k}]"), value_string(v))),
                );
            }
            _ => {
                let flat: Vec<String> = map.iter().flat_map(|(k, v)| [k.clone(), value_string(v)]).collect();
                pairs.push((name.to_string(), flat.join(sep)));
            }
        },
        scalar => pairs.push((name.to_string(), value_string(scalar))),
    }
    pairs
}

/// `application/x-www-form-urlencoded` byte serializer (the WHATWG URL rules).
pub fn form_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}

/// `k=v&k2=v2`, form-encoded.
pub fn form_string(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        form_encode(k, &mut out);
        out.push('=');
        form_encode(v, &mut out);
    }
    out
}

/// A form body: top-level members as pairs (arrays repeated, objects as
/// `name[key]`), the encoding OpenAPI uses by default.
pub fn form_pairs(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| match v {
                Value::Object(_) => query_pairs(k, v, QueryStyle::DeepObject),
                _ => query_pairs(k, v, QueryStyle::FormExplode),
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(String::new(), value_string(other))],
    }
}

/// A cookie value: characters outside RFC 6265's cookie-octet set are
/// percent-encoded, so a value cannot end the cookie or add another.
pub fn cookie_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E if b != b'%' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Header values cannot hold CR, LF or NUL: a value with them could add headers.
pub fn check_header_value(name: &str, value: &str) -> Result<(), String> {
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        Err(format!("header `{name}` cannot contain CR, LF or NUL"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_segments_cannot_escape() {
        let seg = |v: &str| path_segment("id", v);
        assert_eq!(seg("a/b").unwrap(), "a%2Fb");
        assert_eq!(seg("a b?c#d%e").unwrap(), "a%20b%3Fc%23d%25e");
        assert_eq!(seg("ünï").unwrap(), "%C3%BCn%C3%AF");
        assert_eq!(seg("a.b").unwrap(), "a.b");
        for bad in ["", ".", ".."] {
            assert!(seg(bad).unwrap_err().contains("`id`"), "{bad:?}");
        }
        assert_eq!(param_string(&42), "42");
    }

    #[test]
    fn query_styles() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(query_pairs("a", &json!([1, 2]), QueryStyle::FormExplode), vec![s("a", "1"), s("a", "2")]);
        assert_eq!(query_pairs("b", &json!(["x", "y"]), QueryStyle::FormCsv), vec![s("b", "x,y")]);
        assert_eq!(query_pairs("c", &json!({"k": "v", "n": null}), QueryStyle::DeepObject), vec![s("c[k]", "v")]);
        assert_eq!(
            query_pairs("o", &json!({"k": "v", "j": 1}), QueryStyle::FormExplode),
            vec![s("k", "v"), s("j", "1")]
        );
        assert_eq!(query_pairs("o", &json!({"k": "v", "j": 1}), QueryStyle::FormCsv), vec![s("o", "k,v,j,1")]);
        assert!(query_pairs("d", &Value::Null, QueryStyle::FormExplode).is_empty());
        assert_eq!(query_pairs("e", &json!(true), QueryStyle::FormExplode), vec![s("e", "true")]);
        assert_eq!(query_pairs("f", &json!(["x", "y"]), QueryStyle::PipeDelimited), vec![s("f", "x|y")]);
        assert_eq!(query_pairs("g", &json!(["x", "y"]), QueryStyle::SpaceDelimited), vec![s("g", "x y")]);
    }

    #[test]
    fn forms_and_cookies_are_encoded() {
        let pairs = form_pairs(&json!({"name": "a b&c", "tags": ["x", "y"], "meta": {"k": "ü"}, "skip": null}));
        assert_eq!(form_string(&pairs), "name=a+b%26c&tags=x&tags=y&meta%5Bk%5D=%C3%BC");
        assert_eq!(cookie_value("a b;c=d,\"e\"%"), "a%20b%3Bc=d%2C%22e%22%25");
        assert!(check_header_value("X", "ok value").is_ok());
        assert!(check_header_value("X", "bad\r\nInjected: 1").is_err());
    }
}
