//! Successful responses: read whole (JSON, text, bytes, nothing) or as a
//! stream of bytes, always within the timeout and the size limit.

use crate::error::{Error, ResponseInfo};
use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
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

pub(crate) enum ReadError {
    Timeout,
    TooLarge(usize),
    Transport(reqwest::Error),
}

/// Read a whole body before `deadline`, refusing more than `limit` bytes.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    deadline: Option<Instant>,
    limit: Option<usize>,
) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    loop {
        let chunk = match deadline {
            Some(d) => match tokio::time::timeout_at(d.into(), response.chunk()).await {
                Ok(c) => c,
                Err(_) => return Err(ReadError::Timeout),
            },
            None => response.chunk().await,
        };
        match chunk.map_err(ReadError::Transport)? {
            Some(c) => {
                out.extend_from_slice(&c);
                if let Some(limit) = limit.filter(|l| out.len() > *l) {
                    return Err(ReadError::TooLarge(limit));
                }
            }
            None => return Ok(out),
        }
    }
}

/// A 2xx response, not read yet. Generated code reads it as the operation's
/// success type.
#[derive(Debug)]
pub struct Success {
    response: reqwest::Response,
    info: ResponseInfo,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
    limit: Option<usize>,
}

impl Success {
    pub(crate) fn new(
        response: reqwest::Response,
        attempts: u32,
        deadline: Option<Instant>,
        timeout: Option<Duration>,
        limit: Option<usize>,
    ) -> Self {
        let info = ResponseInfo { headers: response.headers().clone(), attempts };
        Success { response, info, deadline, timeout, limit }
    }

    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.info.headers
    }

    pub(crate) async fn read(self) -> Result<(ResponseInfo, StatusCode, Vec<u8>), Error> {
        let Success { response, info, deadline, timeout, limit } = self;
        let status = response.status();
        match read_body(response, deadline, limit).await {
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

    /// The body as a stream of chunks, for large downloads. The timeout
    /// applies between chunks.
    pub fn byte_stream(self) -> ByteStream {
        ByteStream::new(self.response, self.info, self.timeout, self.limit)
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
        crate::sse::EventStream::new(self.byte_stream(), status, decode)
    }
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

/// A response body as a stream of byte chunks. Each item is a chunk or the
/// error that ended the stream (a dropped connection, an idle timeout, the
/// size limit); it never ends cleanly after an error.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    info: ResponseInfo,
    status: StatusCode,
    idle: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    limit: Option<usize>,
    seen: usize,
    done: bool,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").field("status", &self.status).field("seen", &self.seen).finish_non_exhaustive()
    }
}

impl ByteStream {
    fn new(response: reqwest::Response, info: ResponseInfo, idle: Option<Duration>, limit: Option<usize>) -> Self {
        let status = response.status();
        ByteStream {
            inner: Box::pin(response.bytes_stream()),
            info,
            status,
            idle,
            sleep: None,
            limit,
            seen: 0,
            done: false,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.info.headers
    }

    pub fn request_id(&self) -> Option<&str> {
        self.info.request_id()
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Everything left, collected.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    fn fail(&mut self, e: Error) -> Poll<Option<Result<Bytes, Error>>> {
        self.done = true;
        Poll::Ready(Some(Err(e)))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                self.sleep = None;
                self.seen += chunk.len();
                if let Some(limit) = self.limit.filter(|l| self.seen > *l) {
                    let (status, info) = (self.status, self.info.clone());
                    return self.fail(Error::BodyTooLarge { status, limit, info });
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                let attempts = self.info.attempts;
                self.fail(Error::Stream {
                    message: format!(
                        "the connection broke off: {}",
                        crate::error::Error::<std::convert::Infallible>::transport(e, attempts)
                    ),
                })
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let Some(idle) = self.idle else { return Poll::Pending };
                let sleep = self.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        let attempts = self.info.attempts;
                        self.fail(Error::Timeout { after: idle, attempts })
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

/// Generated request builders call these: one generic function per way of
/// reading a response, so a client with a thousand operations compiles one
/// state machine per kind rather than one per operation.
pub mod send {
    use super::{ByteStream, Response};
    use crate::client::Failure;
    use crate::error::{Error, ErrorBody};
    use crate::sse::EventStream;
    use crate::{BoxFuture, Client, Request};
    use serde::de::DeserializeOwned;

    /// A JSON success body.
    pub fn json<'a, T, E>(client: &'a Client, request: Request) -> BoxFuture<'a, Result<Response<T>, Error<E>>>
    where
        T: DeserializeOwned + Send + 'a,
        E: ErrorBody + Send + 'a,
    {
        Box::pin(async move {
            let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
            super::json_response(info, status, &bytes)
        })
    }

    /// A text success body.
    pub fn text<'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        request: Request,
    ) -> BoxFuture<'a, Result<Response<String>, Error<E>>> {
        Box::pin(async move {
            let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
            Ok(super::wrap(info, status, String::from_utf8_lossy(&bytes).into_owned()))
        })
    }

    /// A binary success body, read whole.
    pub fn bytes<'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        request: Request,
    ) -> BoxFuture<'a, Result<Response<Vec<u8>>, Error<E>>> {
        Box::pin(async move {
            let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
            Ok(super::wrap(info, status, bytes))
        })
    }

    /// No success body (whatever comes is read and dropped).
    pub fn empty<'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        request: Request,
    ) -> BoxFuture<'a, Result<Response<()>, Error<E>>> {
        Box::pin(async move {
            let (info, status, _) = client.fetch(request).await.map_err(Failure::typed)?;
            Ok(super::wrap(info, status, ()))
        })
    }

    /// A success body of server-sent events.
    pub fn events<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        request: Request,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> BoxFuture<'a, Result<Response<EventStream<T>>, Error<E>>> {
        Box::pin(async move { Ok(client.execute(request).await?.events_response(decode)) })
    }

    /// The streaming form of an operation with a JSON body: `flag` (OpenAI's
    /// `stream`) is set to true, and events are asked for.
    pub fn stream_events<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        mut request: Request,
        flag: Option<&str>,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> BoxFuture<'a, Result<EventStream<T>, Error<E>>> {
        if let Some(flag) = flag {
            request.json_flag(flag, true);
        }
        request.extra_header("accept", "text/event-stream");
        Box::pin(async move { Ok(client.execute(request).await?.events(decode)) })
    }

    /// A binary success body as a stream of chunks.
    pub fn stream_bytes<'a, E: ErrorBody + Send + 'a>(
        client: &'a Client,
        request: Request,
    ) -> BoxFuture<'a, Result<ByteStream, Error<E>>> {
        Box::pin(async move { Ok(client.execute(request).await?.byte_stream()) })
    }

    /// Only the body of a response future (what `.await` on a builder gives).
    pub fn body<'a, T: Send + 'a, E: Send + 'a>(
        response: BoxFuture<'a, Result<Response<T>, Error<E>>>,
    ) -> BoxFuture<'a, Result<T, Error<E>>> {
        Box::pin(BodyOnly(response))
    }

    /// A future mapping a response to its body, without an async block per type.
    struct BodyOnly<'a, T, E>(BoxFuture<'a, Result<Response<T>, Error<E>>>);

    impl<T, E> std::future::Future for BodyOnly<'_, T, E> {
        type Output = Result<T, Error<E>>;
        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
            self.0.as_mut().poll(cx).map(|r| r.map(Response::into_body))
        }
    }
}
