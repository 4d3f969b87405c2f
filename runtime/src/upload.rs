//! Bodies sent as they are read: files and readers, alone or as parts of a
//! multipart body, never held whole in memory. A body made only of bytes and
//! files can be produced again, so it is retried (and follows 307/308
//! redirects) like bytes are: each attempt reads the files from the start. A
//! reader can be read once: its body is sent once, and a failure that would
//! have been retried says so ([`crate::Error::NotRetried`]).

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How much of a file or reader is read at a time: memory per streamed part.
pub(crate) const CHUNK: usize = 256 * 1024;

/// Told how far a streamed body has gone: the bytes handed to the connection
/// so far, and the total when known. Called from the task that sends; keep it
/// quick (update a counter, a progress bar, a `watch` channel).
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

type OneShot = Arc<Mutex<Option<BoxStream<'static, std::io::Result<Bytes>>>>>;

/// Where one piece of a body comes from.
#[derive(Clone)]
pub(crate) enum Source {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file, opened again for each attempt; `len` is its size when it was
    /// chosen (the `Content-Length` sent).
    Path { path: Arc<PathBuf>, len: u64 },
    /// A stream that can be read once; taken by the first attempt.
    Once { stream: OneShot, len: Option<u64> },
}

impl Source {
    /// A file, its size read now.
    pub(crate) async fn path(path: &Path) -> std::io::Result<Source> {
        let len = tokio::fs::metadata(path).await?.len();
        Ok(Source::Path { path: Arc::new(path.to_path_buf()), len })
    }

    /// Any byte stream, read once.
    pub(crate) fn once<S>(stream: S, len: Option<u64>) -> Source
    where
        S: futures_core::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        Source::Once { stream: Arc::new(Mutex::new(Some(stream.boxed()))), len }
    }

    /// Any reader, read once.
    pub(crate) fn reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R, len: Option<u64>) -> Source {
        Source::once(tokio_util::io::ReaderStream::with_capacity(reader, CHUNK), len)
    }

    pub(crate) fn len(&self) -> Option<u64> {
        match self {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::Path { len, .. } => Some(*len),
            Source::Once { len, .. } => *len,
        }
    }

    pub(crate) fn replayable(&self) -> bool {
        !matches!(self, Source::Once { .. })
    }

    /// Its bytes, for one attempt: a file is opened when the body reaches it.
    fn open(&self) -> Result<BoxStream<'static, std::io::Result<Bytes>>, String> {
        match self {
            Source::Bytes(b) => Ok(stream::iter([Ok(b.clone())]).boxed()),
            Source::Path { path, len } => {
                let (path, len) = (Arc::clone(path), *len);
                let opened = async move {
                    use tokio::io::AsyncReadExt;
                    let file = tokio::fs::File::open(path.as_path())
                        .await
                        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot open {}: {e}", path.display())))?;
                    Ok::<_, std::io::Error>(tokio_util::io::ReaderStream::with_capacity(file.take(len), CHUNK))
                };
                Ok(stream::once(opened)
                    .map(|r| match r {
                        Ok(s) => s.boxed(),
                        Err(e) => stream::iter([Err(e)]).boxed(),
                    })
                    .flatten()
                    .boxed())
            }
            Source::Once { stream, .. } => {
                stream.lock().ok().and_then(|mut s| s.take()).ok_or_else(|| {
                    "a one-shot body (a reader or stream) was sent already; it cannot be sent again".into()
                })
            }
        }
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path { path: a, len: x }, Source::Path { path: b, len: y }) => a == b && x == y,
            (Source::Once { stream: a, .. }, Source::Once { stream: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bytes(b) => write!(f, "{} bytes", b.len()),
            Source::Path { path, len } => write!(f, "{} ({len} bytes)", path.display()),
            Source::Once { len: Some(len), .. } => write!(f, "a one-shot stream ({len} bytes)"),
            Source::Once { len: None, .. } => write!(f, "a one-shot stream"),
        }
    }
}

/// One piece of a streamed body, with what is told of its progress.
#[derive(Clone)]
pub(crate) struct Piece {
    pub source: Source,
    pub progress: Option<Progress>,
}

impl Piece {
    pub(crate) fn bytes(b: impl Into<Bytes>) -> Piece {
        Piece { source: Source::Bytes(b.into()), progress: None }
    }
}

/// A body sent as it is read: its pieces in order.
#[derive(Clone, Default)]
pub(crate) struct Streamed {
    pub pieces: Vec<Piece>,
}

impl fmt::Debug for Streamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.pieces.iter().map(|p| &p.source)).finish()
    }
}

impl Streamed {
    /// Its length, when every piece's is known.
    pub(crate) fn len(&self) -> Option<u64> {
        self.pieces.iter().try_fold(0u64, |n, p| Some(n.saturating_add(p.source.len()?)))
    }

    /// Whether it can be produced again (no piece is a one-shot stream).
    pub(crate) fn replayable(&self) -> bool {
        self.pieces.iter().all(|p| p.source.replayable())
    }

    /// The body for one attempt, and its length when known. A one-shot piece
    /// sent before is an error.
    pub(crate) fn open(&self) -> Result<(reqwest::Body, Option<u64>), String> {
        let mut streams = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            let bytes = piece.source.open()?;
            streams.push(match &piece.progress {
                Some(progress) => counted(bytes, Arc::clone(progress), piece.source.len()),
                None => bytes,
            });
        }
        let body = stream::iter(streams).flatten();
        Ok((reqwest::Body::wrap_stream(body), self.len()))
    }
}

/// `bytes`, telling `progress` how far it has gone (from 0, at its start).
fn counted(
    bytes: BoxStream<'static, std::io::Result<Bytes>>,
    progress: Progress,
    total: Option<u64>,
) -> BoxStream<'static, std::io::Result<Bytes>> {
    let mut sent = 0u64;
    let mut started = false;
    bytes
        .map(move |chunk| {
            if !started {
                started = true;
                progress(0, total);
            }
            if let Ok(b) = &chunk {
                sent += b.len() as u64;
                progress(sent, total);
            }
            chunk
        })
        .boxed()
}
