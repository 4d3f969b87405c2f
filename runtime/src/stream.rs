//! A response body as a stream of byte chunks, with the idle timeout and the
//! size limit applied: what streaming responses and server-sent events read.

use crate::error::{Error, ResponseInfo};
use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// How much [`ByteStream::to_file`] gathers before it writes.
const WRITE_BUFFER: usize = 1 << 20;

/// A response body as a stream of byte chunks. Each item is a chunk or the
/// error that ended the stream (a dropped connection, an idle timeout, the
/// size limit); it never ends cleanly after an error.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    info: ResponseInfo,
    status: StatusCode,
    /// The idle timeout between chunks (taken over by an event stream,
    /// which counts lines instead).
    idle: Option<Idle>,
    limit: Option<usize>,
    seen: usize,
    done: bool,
    /// Whether the first read decided where the body is read (see [`pump`]).
    placed: bool,
    progress: Option<crate::upload::Progress>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").field("status", &self.status).field("seen", &self.seen).finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(
        response: reqwest::Response,
        info: ResponseInfo,
        idle: Option<Duration>,
        limit: Option<usize>,
    ) -> Self {
        let status = response.status();
        ByteStream {
            inner: Box::pin(response.bytes_stream()),
            info,
            status,
            idle: idle.map(Idle::new),
            limit,
            seen: 0,
            done: false,
            placed: false,
            progress: None,
        }
    }

    /// The body's length, when the server said (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.info.headers.get(reqwest::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
    }

    /// Be told how far the body has been read: the bytes so far and the
    /// total when the server said it (see [`crate::Progress`]).
    pub fn on_progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(progress));
        self
    }

    /// Write everything left to `out`, a chunk at a time (memory stays at one
    /// chunk whatever the size); the number of bytes written. A body cut
    /// short is an error, after what arrived is written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin>(mut self, out: &mut W) -> Result<u64, Error> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(Error::Io)?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(Error::Io)?;
        Ok(written)
    }

    /// Write everything left to a new file at `path` (removed again if the
    /// body breaks off); the number of bytes written.
    pub async fn to_file(self, path: impl AsRef<std::path::Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let file = tokio::fs::File::create(path).await.map_err(Error::Io)?;
        // Each write to a tokio file is a hop to the blocking pool: write in
        // large pieces (memory stays bounded by this buffer).
        let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let written = self.write_to(&mut out).await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(path).await;
        }
        written
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

    /// Take over the idle timeout: the caller applies it instead.
    pub(crate) fn take_idle(&mut self) -> Option<Idle> {
        self.idle.take()
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
        if !self.placed {
            self.placed = true;
            if let Some(pumped) = pump(&mut self.inner) {
                self.inner = pumped;
            }
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(idle) = &mut self.idle {
                    idle.touch();
                }
                self.seen += chunk.len();
                if let Some(progress) = &self.progress {
                    progress(self.seen as u64, self.content_length());
                }
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
                let Some(idle) = &mut self.idle else { return Poll::Pending };
                match idle.poll_expired(cx) {
                    Poll::Ready(after) => {
                        let attempts = self.info.attempts;
                        self.fail(Error::Timeout { after, attempts })
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// Chunks read ahead by the pump, at most: its memory is bounded by this many
/// of the connection's chunks.
const READ_AHEAD: usize = 32;

/// A body read outside any task (in `main` under `#[tokio::main]`, on a
/// multi-threaded runtime) is read by a task of the runtime instead, which
/// forwards its chunks through a bounded channel: otherwise each chunk
/// wakes the caller's thread from the connection's task and back (two
/// context switches a chunk); this way the caller wakes once for whatever
/// arrived meanwhile. Inside a task, or on a current-thread runtime, the
/// body is read where it is polled (`None`). The channel holds
/// [`READ_AHEAD`] chunks: a slow reader still slows the connection down.
fn pump(inner: &mut Chunks) -> Option<Chunks> {
    if tokio::task::try_id().is_some() {
        return None;
    }
    let handle = tokio::runtime::Handle::try_current().ok()?;
    if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
        return None;
    }
    let mut body = std::mem::replace(inner, Box::pin(futures_util::stream::empty()));
    let (tx, mut rx) = tokio::sync::mpsc::channel(READ_AHEAD);
    handle.spawn(async move {
        loop {
            // Room first, then a chunk: never read what cannot be handed on.
            let Ok(permit) = tx.reserve().await else { return };
            let closed = tx.closed();
            let mut closed = std::pin::pin!(closed);
            // The reader dropped the stream: stop now, not at the next chunk.
            let next = std::future::poll_fn(|cx| match closed.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => body.as_mut().poll_next(cx).map(Some),
            })
            .await;
            match next {
                Some(Some(chunk)) => permit.send(chunk),
                Some(None) | None => return,
            }
        }
    });
    Some(Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))))
}

/// A timeout that runs while nothing arrives. Activity only records the
/// time; the one timer is armed when the source first waits and re-armed
/// when it fires early, so a busy stream costs no timer work per chunk.
pub(crate) struct Idle {
    after: Duration,
    last: tokio::time::Instant,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Idle {
    pub(crate) fn new(after: Duration) -> Self {
        Idle { after, last: tokio::time::Instant::now(), sleep: None }
    }

    /// Something arrived: the period starts again.
    pub(crate) fn touch(&mut self) {
        self.last = tokio::time::Instant::now();
    }

    /// Called while the source waits: ready, with the timeout, once nothing
    /// has arrived for that long.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<Duration> {
        let deadline = self.last + self.after;
        let sleep = self.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        loop {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            if tokio::time::Instant::now() >= deadline {
                return Poll::Ready(self.after);
            }
            sleep.as_mut().reset(deadline);
        }
    }
}
