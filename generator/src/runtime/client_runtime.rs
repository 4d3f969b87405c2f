//! Runtime support for the generated client: configuration, credentials,
//! request building, response decoding and the error type.
//!
//! This module is ordinary Rust: the generator compiles and tests it as part
//! of its own crate and copies it (without its tests) into every generated
//! client, so a generated crate depends only on reqwest, serde and serde_json.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

pub use reqwest::{Method, StatusCode};

/// How much of a body an error keeps for display.
const BODY_PREVIEW: usize = 512;

/// A credential. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where an operation's security scheme puts the credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>` (also OAuth2 and OpenID Connect).
    Bearer,
    /// `Authorization: Basic ...`
    Basic,
    /// The token in the named header.
    ApiKeyHeader(&'static str),
    /// The token in the named query parameter.
    ApiKeyQuery(&'static str),
    /// The token in the named cookie.
    ApiKeyCookie(&'static str),
}

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

#[derive(Clone, Default)]
struct Credentials {
    token: Option<Secret>,
    basic: Option<(String, Secret)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("basic_user", &self.basic.as_ref().map(|(user, _)| user))
            .finish()
    }
}

/// The API client: a base URL, an HTTP client and credentials. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    credentials: Credentials,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `base_url` with a default HTTP client.
    pub fn with_base_url(base_url: impl Into<String>) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("openapi-gen-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self::with_http_client(http, base_url))
    }

    /// A client using the caller's own `reqwest::Client` (proxies, timeouts, TLS).
    pub fn with_http_client(http: reqwest::Client, base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        Client { base_url, http, credentials: Credentials::default() }
    }

    /// Send this token with operations that use bearer, OAuth2 or API-key auth.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.token = Some(Secret::new(token));
        self
    }

    /// Same as [`Client::bearer_token`]: the key is sent wherever the spec asks for it.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.bearer_token(key)
    }

    /// Credentials for operations that use HTTP basic auth.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((user.into(), Secret::new(password)));
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Build a client from environment variables: the API key is required,
    /// the base URL optional.
    pub fn from_env_vars(key_var: &str, url_var: &str, default_base_url: &str) -> Result<Self, Error> {
        let key = match std::env::var(key_var) {
            Ok(k) if !k.trim().is_empty() => k,
            Ok(_) => return Err(Error::Config(format!("environment variable {key_var} is empty"))),
            Err(_) => {
                return Err(Error::Config(format!("environment variable {key_var} is not set; it must hold the API key")))
            }
        };
        let base_url = match std::env::var(url_var) {
            Ok(u) if !u.trim().is_empty() => u,
            _ => default_base_url.to_string(),
        };
        if base_url.is_empty() {
            return Err(Error::Config(format!("no base URL: set {url_var}")));
        }
        Ok(Self::with_base_url(base_url)?.bearer_token(key.trim()))
    }

    /// Start a request to `path` (already encoded), with credentials applied
    /// for every scheme of the operation that has them.
    #[doc(hidden)]
    pub fn request(&self, method: Method, path: &str, auth: &[AuthScheme]) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, format!("{}{}", self.base_url, path));
        for scheme in auth {
            req = match (scheme, &self.credentials.token, &self.credentials.basic) {
                (AuthScheme::Bearer, Some(t), _) => req.bearer_auth(t.expose()),
                (AuthScheme::Basic, _, Some((user, password))) => req.basic_auth(user, Some(password.expose())),
                (AuthScheme::ApiKeyHeader(name), Some(t), _) => req.header(*name, t.expose()),
                (AuthScheme::ApiKeyQuery(name), Some(t), _) => req.query(&[(*name, t.expose())]),
                (AuthScheme::ApiKeyCookie(name), Some(t), _) => {
                    req.header(reqwest::header::COOKIE, format!("{name}={}", t.expose()))
                }
                _ => req,
            };
        }
        req
    }
}

/// Everything an operation can fail with. `E` is the operation's enum of
/// documented error bodies.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = std::convert::Infallible> {
    /// The server answered with an error status the spec documents.
    Api { status: StatusCode, body: E, text: String },
    /// The server answered with a status the spec does not document.
    UnexpectedStatus { status: StatusCode, text: String },
    /// The response body does not match its schema.
    Decode { status: StatusCode, message: String, body_start: String },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// An argument cannot be sent as given; nothing was sent.
    InvalidRequest(String),
    /// The client is not configured correctly (environment, base URL).
    Config(String),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::Config(_) => None,
        }
    }

    /// The response body as text, when the server answered with an error.
    pub fn body_text(&self) -> Option<&str> {
        match self {
            Error::Api { text, .. } | Error::UnexpectedStatus { text, .. } => Some(text),
            Error::Decode { body_start, .. } => Some(body_start),
            _ => None,
        }
    }

    /// The same error without the typed body, to collect errors of several operations.
    pub fn into_untyped(self) -> Error {
        match self {
            Error::Api { status, text, .. } => Error::UnexpectedStatus { status, text },
            Error::UnexpectedStatus { status, text } => Error::UnexpectedStatus { status, text },
            Error::Decode { status, message, body_start } => Error::Decode { status, message, body_start },
            Error::Transport(e) => Error::Transport(e),
            Error::InvalidRequest(m) => Error::InvalidRequest(m),
            Error::Config(m) => Error::Config(m),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, text, .. } => write!(f, "HTTP {status}: {}", summarize_body(text)),
            Error::UnexpectedStatus { status, text } => {
                write!(f, "unexpected HTTP {status}: {}", summarize_body(text))
            }
            Error::Decode { status, message, body_start } => {
                write!(f, "cannot decode the HTTP {status} response ({message}); the body starts with {body_start:?}")
            }
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Config(m) => write!(f, "client configuration: {m}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(mut e: reqwest::Error) -> Self {
        // A query string can hold an API key; errors never show it.
        if let Some(url) = e.url_mut() {
            url.set_query(None);
        }
        Error::Transport(e)
    }
}

/// A readable one-line account of an error body: FastAPI validation details,
/// `{"error": {"message"}}`, `{"message"}`, or the text itself, shortened.
pub fn summarize_body(text: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let found = parsed.as_ref().and_then(|v| {
        if let Some(details) = v.get("detail").and_then(|d| d.as_array()) {
            let lines: Vec<String> = details
                .iter()
                .filter_map(|d| {
                    let msg = d.get("msg")?.as_str()?;
                    let loc: Vec<String> = d
                        .get("loc")
                        .and_then(|l| l.as_array())
                        .map(|l| l.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string)).collect())
                        .unwrap_or_default();
                    Some(if loc.is_empty() { msg.to_string() } else { format!("{}: {msg}", loc.join(".")) })
                })
                .collect();
            if !lines.is_empty() {
                return Some(lines.join("; "));
            }
        }
        let message = v
            .get("detail")
            .and_then(|d| d.as_str())
            .or_else(|| v.get("error").and_then(|e| e.get("message")).and_then(|m| m.as_str()))
            .or_else(|| v.get("error").and_then(|e| e.as_str()))
            .or_else(|| v.get("message").and_then(|m| m.as_str()));
        message.map(str::to_string)
    });
    match found {
        Some(s) => s,
        None if text.trim().is_empty() => "(empty body)".to_string(),
        None => preview(text),
    }
}

fn preview(text: &str) -> String {
    let mut end = text.len().min(BODY_PREVIEW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut s = text[..end].to_string();
    if end < text.len() {
        s.push('…');
    }
    s
}

/// A value as the text of a path, query or header parameter: strings as is,
/// numbers and booleans printed, arrays comma-separated, objects as JSON.
pub fn param_string<T: Serialize + ?Sized>(value: &T) -> String {
    value_string(&serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
}

fn value_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => items.iter().map(value_string).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// One path segment: everything outside the unreserved set is percent-encoded,
/// so `/`, `?`, `#`, `%` and spaces stay inside the segment. Empty, `.` and
/// `..` segments would change the path itself (URL parsers resolve dot
/// segments even when encoded), so they are refused.
pub fn path_segment<T: Serialize + ?Sized, E>(name: &str, value: &T) -> Result<String, Error<E>> {
    let raw = param_string(value);
    if raw.is_empty() || raw == "." || raw == ".." {
        return Err(Error::InvalidRequest(format!("path parameter `{name}` cannot be {raw:?}")));
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

/// Append a query parameter in the given style; `null` adds nothing.
pub fn push_query<T: Serialize + ?Sized>(pairs: &mut Vec<(String, String)>, name: &str, value: &T, style: QueryStyle) {
    let v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    let sep = match style {
        QueryStyle::SpaceDelimited => " ",
        QueryStyle::PipeDelimited => "|",
        _ => ",",
    };
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) => match style {
            QueryStyle::FormExplode | QueryStyle::DeepObject => {
                pairs.extend(items.iter().filter(|i| !i.is_null()).map(|i| (name.to_string(), value_string(i))));
            }
            _ => pairs.push((name.to_string(), items.iter().map(value_string).collect::<Vec<_>>().join(sep))),
        },
        serde_json::Value::Object(map) => match style {
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
        scalar => pairs.push((name.to_string(), value_string(&scalar))),
    }
}

/// A JSON request body with the spec's content type.
pub fn json_body<T: Serialize + ?Sized, E>(
    req: reqwest::RequestBuilder,
    body: &T,
    content_type: &str,
) -> Result<reqwest::RequestBuilder, Error<E>> {
    let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the body: {e}")))?;
    Ok(req.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes))
}

/// Send a request.
pub async fn send<E>(req: reqwest::RequestBuilder) -> Result<reqwest::Response, Error<E>> {
    Ok(req.send().await?)
}

async fn read<E>(resp: reqwest::Response) -> Result<(StatusCode, Vec<u8>), Error<E>> {
    let status = resp.status();
    let bytes = resp.bytes().await?;
    Ok((status, bytes.to_vec()))
}

fn decode<T: DeserializeOwned, E>(status: StatusCode, bytes: &[u8]) -> Result<T, Error<E>> {
    // An empty body reads as `null`, so optional results accept `204 No Content`.
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { bytes };
    serde_json::from_slice(bytes).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body_start: preview(&String::from_utf8_lossy(bytes)),
    })
}

/// Decode a JSON success body.
pub async fn json<T: DeserializeOwned, E>(resp: reqwest::Response) -> Result<T, Error<E>> {
    let (status, bytes) = read(resp).await?;
    decode(status, &bytes)
}

/// A text success body.
pub async fn text<E>(resp: reqwest::Response) -> Result<String, Error<E>> {
    Ok(resp.text().await?)
}

/// A binary success body.
pub async fn bytes<E>(resp: reqwest::Response) -> Result<Vec<u8>, Error<E>> {
    Ok(resp.bytes().await?.to_vec())
}

/// A success without a body the client reads.
pub async fn empty<E>(resp: reqwest::Response) -> Result<(), Error<E>> {
    let _ = read::<E>(resp).await?;
    Ok(())
}

/// A documented error response, decoded into its variant.
pub async fn api_error<T: DeserializeOwned, E>(resp: reqwest::Response, variant: fn(T) -> E) -> Error<E> {
    let (status, bytes) = match read(resp).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    match decode::<T, E>(status, &bytes) {
        Ok(body) => Error::Api { status, body: variant(body), text: String::from_utf8_lossy(&bytes).into_owned() },
        Err(e) => e,
    }
}

/// A status the operation does not document.
pub async fn unexpected<E>(resp: reqwest::Response) -> Error<E> {
    match read(resp).await {
        Ok((status, bytes)) => Error::UnexpectedStatus { status, text: String::from_utf8_lossy(&bytes).into_owned() },
        Err(e) => e,
    }
}

/// Deserialize a buffered value inside a hand-written `Deserialize` impl.
pub fn from_value<T: DeserializeOwned, D: serde::de::Error>(v: serde_json::Value) -> Result<T, D> {
    T::deserialize(v).map_err(D::custom)
}

/// Try one variant of an untagged union.
pub fn try_from_value<T: DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
    T::deserialize(v).ok()
}

/// Check that a spec example deserializes into `T` and serializes back to the
/// same JSON (absent optionals and `null`s aside). Used by generated tests.
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<(), String> {
    let original: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("example is not JSON: {e}"))?;
    let typed: T = serde_json::from_value(original.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    if without_nulls(&original) == without_nulls(&back) {
        Ok(())
    } else {
        Err(format!("round trip changed the value:\n  from {original}\n  to   {back}"))
    }
}

fn without_nulls(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(without_nulls).collect()),
        serde_json::Value::Number(n) => match n.as_f64() {
            // 1 and 1.0 are the same number to JSON.
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => serde_json::Value::from(f as i64),
            _ => v.clone(),
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let client = Client::with_base_url("http://x").unwrap().bearer_token("sk-very-secret").basic_auth("me", "pw-secret");
        let debug = format!("{client:?}");
        assert!(!debug.contains("sk-very-secret") && !debug.contains("pw-secret"), "{debug}");
        assert!(debug.contains("<redacted>"));
        assert_eq!(format!("{:?}", Secret::new("abc")), "Secret(<redacted>)");
    }

    #[test]
    fn path_segments_cannot_escape() {
        let seg = |v: &str| path_segment::<_, ()>("id", v);
        assert_eq!(seg("a/b").unwrap(), "a%2Fb");
        assert_eq!(seg("a b?c#d%e").unwrap(), "a%20b%3Fc%23d%25e");
        assert_eq!(seg("ünï").unwrap(), "%C3%BCn%C3%AF");
        assert_eq!(seg("a.b").unwrap(), "a.b");
        for bad in ["", ".", ".."] {
            assert!(matches!(seg(bad), Err(Error::InvalidRequest(_))), "{bad:?}");
        }
        assert_eq!(path_segment::<_, ()>("n", &42).unwrap(), "42");
    }

    #[test]
    fn query_styles() {
        let mut q = Vec::new();
        push_query(&mut q, "a", &vec![1, 2], QueryStyle::FormExplode);
        push_query(&mut q, "b", &vec!["x", "y"], QueryStyle::FormCsv);
        push_query(&mut q, "c", &serde_json::json!({"k": "v"}), QueryStyle::DeepObject);
        push_query(&mut q, "d", &Option::<String>::None, QueryStyle::FormExplode);
        push_query(&mut q, "e", &true, QueryStyle::FormExplode);
        push_query(&mut q, "f", &vec!["x", "y"], QueryStyle::PipeDelimited);
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(q, vec![s("a", "1"), s("a", "2"), s("b", "x,y"), s("c[k]", "v"), s("e", "true"), s("f", "x|y")]);
    }

    #[test]
    fn error_bodies_are_summarized() {
        let fastapi = r#"{"detail":[{"loc":["body","part_ids"],"msg":"Field required","type":"missing"}]}"#;
        assert_eq!(summarize_body(fastapi), "body.part_ids: Field required");
        assert_eq!(summarize_body(r#"{"detail":"Not Found"}"#), "Not Found");
        assert_eq!(summarize_body(r#"{"error":{"message":"bad key"}}"#), "bad key");
        assert_eq!(summarize_body("plain text"), "plain text");
        assert_eq!(summarize_body(""), "(empty body)");
        assert!(summarize_body(&"x".repeat(2000)).chars().count() <= BODY_PREVIEW + 1);
    }

    #[test]
    fn errors_display_status_and_messages() {
        let e: Error<()> = Error::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: (),
            text: r#"{"detail":[{"loc":["query","x"],"msg":"bad"}]}"#.into(),
        };
        assert_eq!(e.to_string(), "HTTP 422 Unprocessable Entity: query.x: bad");
        assert_eq!(e.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
        let e: Error = Error::UnexpectedStatus { status: StatusCode::NOT_FOUND, text: "gone".into() };
        assert_eq!(e.to_string(), "unexpected HTTP 404 Not Found: gone");
        assert_eq!(e.body_text(), Some("gone"));
    }

    #[test]
    fn empty_bodies_decode_as_null() {
        assert_eq!(decode::<Option<u32>, ()>(StatusCode::NO_CONTENT, b"").unwrap(), None);
        let err = decode::<u32, ()>(StatusCode::OK, b"{nope").unwrap_err();
        assert!(matches!(err, Error::Decode { ref body_start, .. } if body_start == "{nope"));
    }

    #[test]
    fn round_trip_ignores_nulls_and_float_spelling() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct T {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<String>,
            b: f64,
        }
        assert!(round_trip::<T>(r#"{"a": null, "b": 1}"#).is_ok());
        assert!(round_trip::<T>(r#"{"b": "x"}"#).is_err());
    }

    #[test]
    fn from_env_needs_the_key() {
        let err = Client::from_env_vars("OPENAPI_GEN_TEST_SURELY_UNSET", "OPENAPI_GEN_TEST_URL_UNSET", "http://x").unwrap_err();
        assert!(err.to_string().contains("OPENAPI_GEN_TEST_SURELY_UNSET is not set"), "{err}");
    }
}
