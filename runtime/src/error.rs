//! The one error type of every generated client.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

/// How much of a body an error keeps for display.
pub(crate) const BODY_PREVIEW: usize = 512;

/// Response headers that carry a request id, most specific first.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-github-request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-ms-request-id",
    "x-correlation-id",
    "cf-ray",
];

/// What the server said besides the body: headers, and how many attempts it took.
#[derive(Debug, Clone, Default)]
pub struct ResponseInfo {
    pub headers: HeaderMap,
    /// Attempts made, the last one included (1 when nothing was retried).
    pub attempts: u32,
}

impl ResponseInfo {
    /// The request id the server sent (`x-request-id` and the like), if any.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
}

/// Error bodies an operation documents, keyed by status. Generated per
/// operation; `Infallible` stands for "none documented".
pub trait ErrorBody: Sized {
    /// The typed body for `status`, or `None` when the spec documents no body for it.
    fn decode(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

impl ErrorBody for Infallible {
    fn decode(_: u16, _: &[u8]) -> Option<Result<Self, serde_json::Error>> {
        None
    }
}

/// Implements [`ErrorBody`] for an operation's enum of documented error
/// bodies: a `match` arm per status pattern, `strict` (a body that does not
/// decode is an error) or `lenient` (it stays untyped), in order; any other
/// status has no typed body.
///
/// ```
/// #[derive(Debug)]
/// enum GetPetError { Status404(String), Default(serde_json::Value) }
/// openapi_gen_runtime::error_body!(GetPetError { 404 => strict Status404, _ => lenient Default });
/// use openapi_gen_runtime::ErrorBody;
/// assert!(matches!(GetPetError::decode(404, b"\"gone\""), Some(Ok(GetPetError::Status404(_)))));
/// assert!(GetPetError::decode(404, b"{").unwrap().is_err());
/// assert!(matches!(GetPetError::decode(500, b"[1]"), Some(Ok(GetPetError::Default(_)))));
/// ```
#[macro_export]
macro_rules! error_body {
    ($name:ident { $($status:pat => $mode:ident $variant:ident),* $(,)? }) => {
        impl $crate::ErrorBody for $name {
            fn decode(status: u16, body: &[u8]) -> ::std::option::Option<::std::result::Result<Self, ::serde_json::Error>> {
                #[allow(unreachable_patterns)]
                match status {
                    $($status => $crate::error_body::$mode(body, Self::$variant),)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    };
}

/// How [`error_body!`] decodes a body: `strict` or `lenient`.
#[doc(hidden)]
pub mod error_body {
    /// A body that does not decode is an error.
    pub fn strict<T: serde::de::DeserializeOwned, E>(
        body: &[u8],
        variant: impl FnOnce(T) -> E,
    ) -> Option<Result<E, serde_json::Error>> {
        Some(super::decode_json(body).map(variant))
    }

    /// A body that does not decode is left untyped (the error keeps it as bytes).
    pub fn lenient<T: serde::de::DeserializeOwned, E>(
        body: &[u8],
        variant: impl FnOnce(T) -> E,
    ) -> Option<Result<E, serde_json::Error>> {
        super::decode_json(body).ok().map(|b| Ok(variant(b)))
    }
}

/// Decode a JSON error body (an empty body reads as `null`).
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    serde_json::from_slice(body)
}

/// Why a request could not be sent or its response not read: reqwest's
/// error, or one of the runtime's own connections (see [`Error::Transport`]).
/// Never shows a URL's query (it can hold an API key).
pub struct TransportError(Transport);

enum Transport {
    Reqwest(reqwest::Error),
    /// No connection could be made; nothing was sent.
    Connect(Box<dyn std::error::Error + Send + Sync>),
    /// The connection failed with the request on it.
    Request(hyper::Error),
}

impl TransportError {
    /// Whether no connection could be made (nothing was sent).
    pub fn is_connect(&self) -> bool {
        match &self.0 {
            Transport::Reqwest(e) => e.is_connect(),
            Transport::Connect(_) => true,
            Transport::Request(_) => false,
        }
    }

    /// Whether a timeout of reqwest's own ended it (the runtime's timeouts
    /// are [`Error::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(&self.0, Transport::Reqwest(e) if e.is_timeout())
    }

    /// Whether the request could not be built (nothing was sent).
    pub fn is_builder(&self) -> bool {
        matches!(&self.0, Transport::Reqwest(e) if e.is_builder())
    }

    /// The status reqwest's error carries, if any.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.0 {
            Transport::Reqwest(e) => e.status(),
            _ => None,
        }
    }

    /// reqwest's error, when the request went through reqwest.
    pub fn reqwest(&self) -> Option<&reqwest::Error> {
        match &self.0 {
            Transport::Reqwest(e) => Some(e),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for TransportError {
    fn from(mut e: reqwest::Error) -> Self {
        // A query string can hold an API key; errors never show it.
        if let Some(url) = e.url_mut() {
            url.set_query(None);
        }
        TransportError(Transport::Reqwest(e))
    }
}

impl From<crate::transport::DirectError> for TransportError {
    fn from(e: crate::transport::DirectError) -> Self {
        TransportError(match e {
            crate::transport::DirectError::Connect(e) => Transport::Connect(e),
            crate::transport::DirectError::Request(e) => Transport::Request(e),
        })
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Transport::Reqwest(e) => fmt::Debug::fmt(e, f),
            Transport::Connect(e) => f.debug_tuple("Connect").field(e).finish(),
            Transport::Request(e) => f.debug_tuple("Request").field(e).finish(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Transport::Reqwest(e) => fmt::Display::fmt(e, f),
            Transport::Connect(_) => f.write_str("cannot connect"),
            Transport::Request(_) => f.write_str("the connection failed"),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Transport::Reqwest(e) => std::error::Error::source(e),
            Transport::Connect(e) => Some(e.as_ref()),
            Transport::Request(e) => Some(e),
        }
    }
}

/// Everything an operation can fail with. `E` is the operation's enum of
/// documented error bodies. No variant ever holds or prints a credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = Infallible> {
    /// The server answered with an error status the spec documents.
    Api { status: StatusCode, body: E, text: String, info: ResponseInfo },
    /// The server answered with a status the spec does not document (or
    /// documents without a body).
    UnexpectedStatus { status: StatusCode, text: String, info: ResponseInfo },
    /// The response body does not match its schema.
    Decode { status: StatusCode, message: String, body_start: String, info: ResponseInfo },
    /// No complete response within the timeout.
    Timeout { after: Duration, attempts: u32 },
    /// The request could not be sent or the response not read.
    Transport { source: TransportError, attempts: u32 },
    /// The request could not be sent, and was not retried although the
    /// failure is one that is: `why` says what stopped it (its body is a
    /// one-shot reader, which cannot be sent again).
    NotRetried { source: TransportError, why: &'static str },
    /// A middleware layer failed the request (its own error, not the server's).
    Middleware { message: String, attempts: u32 },
    /// A streamed response broke off or carried an error event.
    Stream { message: String },
    /// Paging through a list cannot go on: a page says there are more but
    /// gives no way to get them, or points back to a page already fetched.
    Pagination(String),
    /// The server answered with a redirect the client does not follow: to
    /// another origin with a body to resend, beyond the policy's limit, or
    /// any under [`RedirectPolicy::Never`](crate::RedirectPolicy::Never).
    /// `location` is the target as the server sent it.
    Redirect { status: StatusCode, location: String, reason: String, info: ResponseInfo },
    /// The response body is larger than the client's limit.
    BodyTooLarge { status: StatusCode, limit: usize, info: ResponseInfo },
    /// An argument cannot be sent as given; nothing was sent.
    InvalidRequest(String),
    /// The client is not configured correctly (environment, base URL, headers).
    Config(String),
    /// A local file could not be read for the request, or written with the response.
    Io(std::io::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::Redirect { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } | Error::NotRetried { source, .. } => source.status(),
            _ => None,
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

    /// The error body parsed as JSON, when the server answered with one
    /// (a documented body or not): what an undeclared error says beyond its message.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        match self {
            Error::Api { text, .. } | Error::UnexpectedStatus { text, .. } => serde_json::from_str(text).ok(),
            _ => None,
        }
    }

    /// Headers and attempt count of the response that failed, when there was one.
    pub fn info(&self) -> Option<&ResponseInfo> {
        match self {
            Error::Api { info, .. }
            | Error::UnexpectedStatus { info, .. }
            | Error::Decode { info, .. }
            | Error::Redirect { info, .. }
            | Error::BodyTooLarge { info, .. } => Some(info),
            _ => None,
        }
    }

    /// The request id of the failed response, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.info().and_then(ResponseInfo::request_id)
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Timeout { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Middleware { attempts, .. } => *attempts,
            Error::NotRetried { .. } => 1,
            _ => self.info().map_or(0, |i| i.attempts),
        }
    }

    /// Whether this is a timeout, of the connection or of the whole request.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } | Error::NotRetried { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// The same error without the typed body, to collect errors of several operations.
    pub fn into_untyped(self) -> Error {
        self.retype(|status, _, text, info| Error::UnexpectedStatus { status, text, info })
    }

    /// The same error with another body type; `api` turns an `Api` error.
    fn retype<F>(self, api: impl FnOnce(StatusCode, E, String, ResponseInfo) -> Error<F>) -> Error<F> {
        match self {
            Error::Api { status, body, text, info } => api(status, body, text, info),
            Error::UnexpectedStatus { status, text, info } => Error::UnexpectedStatus { status, text, info },
            Error::Decode { status, message, body_start, info } => Error::Decode { status, message, body_start, info },
            Error::Timeout { after, attempts } => Error::Timeout { after, attempts },
            Error::Transport { source, attempts } => Error::Transport { source, attempts },
            Error::NotRetried { source, why } => Error::NotRetried { source, why },
            Error::Stream { message } => Error::Stream { message },
            Error::Middleware { message, attempts } => Error::Middleware { message, attempts },
            Error::Pagination(m) => Error::Pagination(m),
            Error::BodyTooLarge { status, limit, info } => Error::BodyTooLarge { status, limit, info },
            Error::Redirect { status, location, reason, info } => Error::Redirect { status, location, reason, info },
            Error::InvalidRequest(m) => Error::InvalidRequest(m),
            Error::Config(m) => Error::Config(m),
            Error::Io(e) => Error::Io(e),
        }
    }

    pub(crate) fn transport(source: impl Into<TransportError>, attempts: u32) -> Self {
        Error::Transport { source: source.into(), attempts }
    }

    /// A failure that would have been retried, but `why` forbids it.
    pub(crate) fn not_retried(source: impl Into<TransportError>, why: &'static str) -> Self {
        Error::NotRetried { source: source.into(), why }
    }
}

impl Error {
    /// An error without a documented body as any operation's error.
    pub fn typed<F>(self) -> Error<F> {
        self.retype(|_, body, _, _| match body {})
    }
}

/// ` (3 attempts, request id abc)`, or nothing for a single attempt without an id.
fn context(info: &ResponseInfo) -> String {
    let mut parts = Vec::new();
    if info.attempts > 1 {
        parts.push(format!("{} attempts", info.attempts));
    }
    if let Some(id) = info.request_id() {
        parts.push(format!("request id {id}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, text, info, .. } => {
                write!(f, "HTTP {status}: {}{}", summarize_body(text), context(info))
            }
            Error::UnexpectedStatus { status, text, info } => {
                write!(f, "unexpected HTTP {status}: {}{}", summarize_body(text), context(info))
            }
            Error::Decode { status, message, body_start, info } => write!(
                f,
                "cannot decode the HTTP {status} response ({message}); the body starts with {body_start:?}{}",
                context(info)
            ),
            Error::Timeout { after, attempts } => {
                write!(f, "no response within {:.1} s{}", after.as_secs_f64(), attempts_note(*attempts))
            }
            Error::Transport { source, attempts } => {
                write!(f, "request failed{}: {source}", attempts_note(*attempts))?;
                let mut cause = std::error::Error::source(source);
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::NotRetried { source, why } => {
                write!(f, "request failed and was not retried ({why}): {source}")?;
                let mut cause = std::error::Error::source(source);
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Stream { message } => write!(f, "stream failed: {message}"),
            Error::Middleware { message, attempts } => {
                write!(f, "a middleware layer failed the request{}: {message}", attempts_note(*attempts))
            }
            Error::Pagination(m) => write!(f, "paging stopped: {m}"),
            Error::BodyTooLarge { status, limit, info } => {
                write!(f, "the HTTP {status} response body exceeds the limit of {limit} bytes{}", context(info))
            }
            Error::Redirect { status, location, reason, info } => write!(
                f,
                "HTTP {status} redirect to {} not followed: {reason}{}",
                crate::redirect::shown(location),
                context(info)
            ),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Config(m) => write!(f, "client configuration: {m}"),
            Error::Io(e) => write!(f, "local file: {e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::NotRetried { source, .. } => Some(source),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// How long a message from an error body may be in `Display`.
const MESSAGE_LIMIT: usize = 300;

/// A readable one-line account of an error body: FastAPI validation details,
/// `{"error": {"message"}}`, `{"message"}`, or the text itself, shortened
/// (the whole body stays in the error).
pub fn summarize_body(text: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let found = parsed.as_ref().and_then(|v| {
        if let Some(details) = v.get("detail").and_then(|d| d.as_array()) {
            let lines: Vec<String> = details.iter().filter_map(fastapi_detail).collect();
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
        Some(s) => cut(&s.split_whitespace().collect::<Vec<_>>().join(" "), MESSAGE_LIMIT),
        None if text.trim().is_empty() => "(empty body)".to_string(),
        None => preview(text),
    }
}

fn fastapi_detail(d: &serde_json::Value) -> Option<String> {
    let msg = d.get("msg")?.as_str()?;
    let loc: Vec<String> = d
        .get("loc")
        .and_then(|l| l.as_array())
        .map(|l| l.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string)).collect())
        .unwrap_or_default();
    Some(if loc.is_empty() { msg.to_string() } else { format!("{}: {msg}", loc.join(".")) })
}

/// The first [`BODY_PREVIEW`] bytes of a text, on a character boundary.
pub(crate) fn preview(text: &str) -> String {
    cut(text, BODY_PREVIEW)
}

/// The first `limit` bytes of a text, on a character boundary, with `…` if cut.
fn cut(text: &str, limit: usize) -> String {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut s = text[..end].to_string();
    if end < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_are_summarized() {
        let fastapi = r#"{"detail":[{"loc":["body","part_ids"],"msg":"Field required","type":"missing"}]}"#;
        assert_eq!(summarize_body(fastapi), "body.part_ids: Field required");
        assert_eq!(summarize_body(r#"{"detail":"Not Found"}"#), "Not Found");
        assert_eq!(summarize_body(r#"{"error":{"message":"bad key"}}"#), "bad key");
        assert_eq!(summarize_body("plain text"), "plain text");
        assert_eq!(summarize_body(""), "(empty body)");
        assert!(summarize_body(&"x".repeat(2000)).chars().count() <= BODY_PREVIEW + 1);
        let long = format!(r#"{{"error":{{"message":"{}\n  tail"}}}}"#, "word ".repeat(200));
        let short = summarize_body(&long);
        assert!(short.starts_with("word word") && short.ends_with('…') && short.chars().count() == MESSAGE_LIMIT + 1);
        assert!(!short.contains('\n'), "one line: {short}");
    }

    #[test]
    fn an_undeclared_error_shows_the_servers_message_and_keeps_its_json() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-7".parse().unwrap());
        let text = r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}"#;
        let e: Error = Error::UnexpectedStatus {
            status: StatusCode::UNAUTHORIZED,
            text: text.into(),
            info: ResponseInfo { headers, attempts: 1 },
        };
        assert_eq!(e.to_string(), "unexpected HTTP 401 Unauthorized: Incorrect API key provided (request id req-7)");
        assert_eq!(e.body_json().unwrap()["error"]["code"], "invalid_api_key");
        assert_eq!(e.body_text(), Some(text));
    }

    #[test]
    fn errors_display_status_attempts_and_request_id() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "req-42".parse().unwrap());
        let e: Error<()> = Error::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: (),
            text: r#"{"detail":[{"loc":["query","x"],"msg":"bad"}]}"#.into(),
            info: ResponseInfo { headers, attempts: 1 },
        };
        assert_eq!(e.to_string(), "HTTP 422 Unprocessable Entity: query.x: bad (request id req-42)");
        assert_eq!(e.request_id(), Some("req-42"));
        let e: Error = Error::UnexpectedStatus {
            status: StatusCode::SERVICE_UNAVAILABLE,
            text: "busy".into(),
            info: ResponseInfo { headers: HeaderMap::new(), attempts: 3 },
        };
        assert_eq!(e.to_string(), "unexpected HTTP 503 Service Unavailable: busy (3 attempts)");
        assert_eq!((e.attempts(), e.body_text()), (3, Some("busy")));
        let e: Error = Error::Timeout { after: Duration::from_millis(1500), attempts: 2 };
        assert_eq!(e.to_string(), "no response within 1.5 s after 2 attempts");
        assert!(e.is_timeout());
    }

    #[test]
    fn a_typed_error_loses_only_its_body_when_untyped() {
        let info = ResponseInfo { headers: HeaderMap::new(), attempts: 2 };
        let e: Error<u8> = Error::Api { status: StatusCode::CONFLICT, body: 7, text: "taken".into(), info };
        match e.into_untyped() {
            Error::UnexpectedStatus { status, text, info } => {
                assert_eq!((status.as_u16(), text.as_str(), info.attempts), (409, "taken", 2));
            }
            other => panic!("{other:?}"),
        }
        let t: Error<u8> = Error::Timeout { after: Duration::from_secs(1), attempts: 3 }.typed();
        assert_eq!(t.attempts(), 3);
    }

    #[test]
    fn empty_error_bodies_decode_as_null() {
        assert_eq!(decode_json::<Option<u32>>(b" ").unwrap(), None);
        assert!(decode_json::<u32>(b"{nope").is_err());
    }
}
