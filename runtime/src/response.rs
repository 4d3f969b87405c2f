//! Successful responses: read whole (JSON, text, bytes, nothing) or as a
//! stream of bytes, always within the timeout and the size limit.

use crate::error::{Error, ResponseInfo};
use crate::stream::ByteStream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};

/// A typed body with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// Attempts made, the successful one included.
    pub attempts: u32,
    pub body: T,
}

impl<T> Response<T> {
    /// The request id the server sent (`x-request-id` and the like), if any.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn into_body(self) -> T {
        self.body
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, attempts: self.attempts, body: f(self.body) }
    }
}

/// What a success may hold: its body read whole, and one server-sent event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub body: Option<usize>,
    pub event: Option<usize>,
}

pub(crate) enum ReadError {
    Timeout,
    TooLarge(usize),
    Transport(reqwest::Error),
}

/// Read a whole body before `deadline`, refusing more than `limit` bytes.
pub(crate) async fn read_body(
    response: reqwest::Response,
    deadline: Option<Instant>,
    limit: Option<usize>,
) -> Result<Vec<u8>, ReadError> {
    // One timer for the whole body, not one per chunk.
    match deadline {
        Some(d) => {
            tokio::time::timeout_at(d.into(), read_all(response, limit)).await.unwrap_or(Err(ReadError::Timeout))
        }
        None => read_all(response, limit).await,
    }
}

async fn read_all(mut response: reqwest::Response, limit: Option<usize>) -> Result<Vec<u8>, ReadError> {
    // Sized from Content-Length up front, within the limit.
    let expected = response.content_length().and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    if let Some(limit) = limit.filter(|l| expected > *l) {
        return Err(ReadError::TooLarge(limit));
    }
    let mut out = Vec::with_capacity(expected.min(limit.unwrap_or(usize::MAX)).min(16 * 1024 * 1024));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        out.extend_from_slice(&chunk);
        if let Some(limit) = limit.filter(|l| out.len() > *l) {
            return Err(ReadError::TooLarge(limit));
        }
    }
    Ok(out)
}

/// A 2xx response, not read yet. Generated code reads it as the operation's
/// success type.
#[derive(Debug)]
pub struct Success {
    response: reqwest::Response,
    info: ResponseInfo,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
    limits: Limits,
}

impl Success {
    pub(crate) fn new(
        mut response: reqwest::Response,
        attempts: u32,
        deadline: Option<Instant>,
        timeout: Option<Duration>,
        limits: Limits,
    ) -> Self {
        let info = ResponseInfo { headers: detached(&std::mem::take(response.headers_mut())), attempts };
        Success { response, info, deadline, timeout, limits }
    }

    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.info.headers
    }

    pub(crate) fn info(&self) -> &ResponseInfo {
        &self.info
    }

    pub(crate) async fn read(self) -> Result<(ResponseInfo, StatusCode, Vec<u8>), Error> {
        let Success { response, info, deadline, timeout, limits } = self;
        let status = response.status();
        match read_body(response, deadline, limits.body).await {
            Ok(bytes) => Ok((info, status, bytes)),
            Err(ReadError::Timeout) => {
                Err(Error::Timeout { after: timeout.unwrap_or_default(), attempts: info.attempts })
            }
            Err(ReadError::TooLarge(limit)) => Err(Error::BodyTooLarge { status, limit, info }),
            Err(ReadError::Transport(e)) => Err(Error::transport(e, info.attempts)),
        }
    }

    /// A JSON body; an empty one reads as `null` (so `Option` results accept 204).
    pub async fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let (info, status, bytes) = self.read().await.map_err(|e| e.typed())?;
        json_response(info, status, &bytes)
    }

    /// A text body.
    pub async fn text<E>(self) -> Result<Response<String>, Error<E>> {
        let (info, status, bytes) = self.read().await.map_err(|e| e.typed())?;
        Ok(wrap(info, status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// A binary body, read whole.
    pub async fn bytes<E>(self) -> Result<Response<Vec<u8>>, Error<E>> {
        let (info, status, bytes) = self.read().await.map_err(|e| e.typed())?;
        Ok(wrap(info, status, bytes))
    }

    /// A body the operation does not describe: read and dropped.
    pub async fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        let (info, status, _) = self.read().await.map_err(|e| e.typed())?;
        Ok(wrap(info, status, ()))
    }

    /// The body as a stream of chunks, for large downloads: never held
    /// whole, so not limited in total. The timeout applies between chunks.
    pub fn byte_stream(self) -> ByteStream {
        ByteStream::new(self.response, self.info, self.timeout, None)
    }

    /// A `text/event-stream` body as typed events, with the status and headers.
    pub fn events_response<T>(
        self,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Response<crate::sse::EventStream<T>> {
        let (status, headers, attempts) = (self.response.status(), self.info.headers.clone(), self.info.attempts);
        Response { status, headers, attempts, body: self.events(decode) }
    }

    /// A `text/event-stream` body as typed events.
    pub fn events<T>(self, decode: fn(&str) -> Result<T, serde_json::Error>) -> crate::sse::EventStream<T> {
        let status = self.response.status();
        let event_limit = self.limits.event;
        crate::sse::EventStream::new(self.byte_stream(), status, decode, event_limit)
    }
}

/// The headers in memory of their own. As parsed, each value is a slice of
/// the connection's read buffer, which it keeps alive: a response or error
/// kept with its headers, or a stream for its whole life, would keep that
/// buffer (up to hundreds of kilobytes) and make the connection allocate a
/// new one.
pub(crate) fn detached(headers: &HeaderMap) -> HeaderMap {
    // Every value copied into one buffer, each a slice of it.
    let mut buffer = Vec::with_capacity(headers.values().map(|v| v.len()).sum());
    for value in headers.values() {
        buffer.extend_from_slice(value.as_bytes());
    }
    let buffer = bytes::Bytes::from(buffer);
    let mut owned = HeaderMap::with_capacity(headers.keys_len());
    let mut at = 0;
    for (name, value) in headers {
        let (start, end) = (at, at + value.len());
        at = end;
        let Ok(mut copy) = reqwest::header::HeaderValue::from_maybe_shared(buffer.slice(start..end)) else { continue };
        copy.set_sensitive(value.is_sensitive());
        owned.append(name.clone(), copy);
    }
    owned
}

/// Decode a JSON success body read whole.
pub(crate) fn json_response<T: DeserializeOwned, E>(
    info: ResponseInfo,
    status: StatusCode,
    bytes: &[u8],
) -> Result<Response<T>, Error<E>> {
    match crate::error::decode_json(bytes) {
        Ok(body) => Ok(wrap(info, status, body)),
        Err(e) => Err(Error::Decode {
            status,
            message: e.to_string(),
            body_start: crate::error::preview(&String::from_utf8_lossy(bytes)),
            info,
        }),
    }
}

pub(crate) fn wrap<T>(info: ResponseInfo, status: StatusCode, body: T) -> Response<T> {
    Response { status, headers: info.headers, attempts: info.attempts, body }
}

#[cfg(test)]
mod tests {
    use super::detached;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn detached_headers_keep_every_value_in_memory_of_their_own() {
        let buffer = bytes::Bytes::from_static(b"req_1 a b secret");
        let slice = |from: usize, to: usize| HeaderValue::from_maybe_shared(buffer.slice(from..to)).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", slice(0, 5));
        headers.append("vary", slice(6, 7));
        headers.append("vary", slice(8, 9));
        let mut secret = slice(10, 16);
        secret.set_sensitive(true);
        headers.insert("set-cookie", secret);

        let owned = detached(&headers);
        assert_eq!(owned, headers);
        let vary: Vec<&HeaderValue> = owned.get_all("vary").iter().collect();
        assert_eq!(vary, [&HeaderValue::from_static("a"), &HeaderValue::from_static("b")]);
        assert!(owned["set-cookie"].is_sensitive());
        let inside = buffer.as_ptr_range();
        for value in owned.values() {
            assert!(!inside.contains(&value.as_bytes().as_ptr()), "{value:?} still points into the read buffer");
        }
        for value in headers.values() {
            assert!(inside.contains(&value.as_bytes().as_ptr()));
        }
    }
}
