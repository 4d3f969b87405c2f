//! Request bodies: binary and multipart, from bytes in memory or streamed
//! from files and readers (see [`crate::upload`] for how they are sent).

use crate::upload::{Piece, Progress, Source, Streamed};
use bytes::Bytes;
use serde::Serialize;
use std::fmt;
use std::path::Path;

/// A binary request body: bytes in memory or a file (both retried: a file is
/// read again from its start), or a reader or stream (sent once, never
/// retried). Files and readers are sent as they are read, never held whole.
pub struct BinaryBody(pub(crate) BinaryInner);

pub(crate) enum BinaryInner {
    Bytes(Bytes),
    Streamed(Streamed),
}

impl BinaryBody {
    /// Stream a file from disk, read again from its start by a retried attempt.
    pub async fn from_file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        Ok(BinaryBody::streamed(Source::path(path.as_ref()).await?))
    }

    /// A body read from any byte stream, once; `len` sets `Content-Length` when known.
    pub fn from_stream<S>(stream: S, len: Option<u64>) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        BinaryBody::streamed(Source::once(stream, len))
    }

    /// A body read from any reader, once; `len` sets `Content-Length` when known.
    pub fn from_reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R, len: Option<u64>) -> Self {
        BinaryBody::streamed(Source::reader(reader, len))
    }

    fn streamed(source: Source) -> Self {
        BinaryBody(BinaryInner::Streamed(Streamed { pieces: vec![Piece { source, progress: None }] }))
    }

    /// Be told how far the body has been sent (see [`Progress`]); each
    /// attempt starts again from 0.
    pub fn on_progress(self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.on_progress_shared(std::sync::Arc::new(progress))
    }

    fn on_progress_shared(mut self, progress: Progress) -> Self {
        match &mut self.0 {
            BinaryInner::Streamed(s) => s.pieces.iter_mut().for_each(|p| p.progress = Some(progress.clone())),
            BinaryInner::Bytes(b) => {
                let source = Source::Bytes(std::mem::take(b));
                return BinaryBody::streamed(source).on_progress_shared(progress);
            }
        }
        self
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BinaryInner::Bytes(b) => write!(f, "BinaryBody({} bytes)", b.len()),
            BinaryInner::Streamed(s) => write!(f, "BinaryBody({s:?})"),
        }
    }
}

impl From<Bytes> for BinaryBody {
    fn from(b: Bytes) -> Self {
        BinaryBody(BinaryInner::Bytes(b))
    }
}
impl From<Vec<u8>> for BinaryBody {
    fn from(b: Vec<u8>) -> Self {
        Bytes::from(b).into()
    }
}
impl From<&'static [u8]> for BinaryBody {
    fn from(b: &'static [u8]) -> Self {
        Bytes::from_static(b).into()
    }
}
impl From<String> for BinaryBody {
    fn from(s: String) -> Self {
        Bytes::from(s).into()
    }
}
impl From<&'static str> for BinaryBody {
    fn from(s: &'static str) -> Self {
        Bytes::from_static(s.as_bytes()).into()
    }
}

/// A file in a multipart body: where its bytes come from (memory, a file on
/// disk, or a reader), and the file name and content type the server sees.
/// A file on disk is streamed, never held in memory, and read again from its
/// start by a retried attempt; a reader is read once.
#[derive(Clone)]
pub struct FilePart {
    pub(crate) source: Source,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub(crate) progress: Option<Progress>,
}

impl FilePart {
    /// A part from bytes, sent as `application/octet-stream` under the file name `file`
    /// unless [`FilePart::file_name`] and [`FilePart::content_type`] say otherwise.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart { source: Source::Bytes(data.into()), file_name: None, content_type: None, progress: None }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// A file on disk, streamed as the body is sent (its size is read now);
    /// its name becomes the part's file name.
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let source = Source::path(path).await?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(FilePart { source, file_name, content_type: None, progress: None })
    }

    /// A reader, read once as the body is sent (a request with it is not
    /// retried); `len`, when known, lets the body have a `Content-Length`.
    pub fn from_reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R, len: Option<u64>) -> Self {
        FilePart { source: Source::reader(reader, len), file_name: None, content_type: None, progress: None }
    }

    /// Be told how far this part has been sent (see [`Progress`]); each
    /// attempt starts again from 0.
    pub fn on_progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(progress));
        self
    }

    /// Its bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// Its size, when known.
    pub fn len(&self) -> Option<u64> {
        self.source.len()
    }

    /// Whether it is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("source", &self.source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(data: Vec<u8>) -> Self {
        FilePart::new(data)
    }
}

impl From<Bytes> for FilePart {
    fn from(data: Bytes) -> Self {
        FilePart::new(data)
    }
}

/// One part of a multipart body.
#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Source,
    progress: Option<Progress>,
}

impl PartialEq for Part {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, &self.file_name, &self.content_type, &self.data)
            == (&other.name, &other.file_name, &other.content_type, &other.data)
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part").field("name", &self.name).field("data", &self.data).finish()
    }
}

/// A `multipart/form-data` body under construction. Generated multipart
/// types fill it through [`ToMultipart`]; it can be filled by hand too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipart {
    parts: Vec<Part>,
    error: Option<String>,
}

/// A value that becomes the parts of a multipart body.
pub trait ToMultipart {
    fn to_multipart(&self, form: &mut Multipart);
}

impl ToMultipart for Multipart {
    fn to_multipart(&self, form: &mut Multipart) {
        form.parts.extend(self.parts.iter().cloned());
        if form.error.is_none() {
            form.error.clone_from(&self.error);
        }
    }
}

impl Multipart {
    pub fn new() -> Self {
        Multipart::default()
    }

    /// A text part; strings as is, numbers and booleans printed, `null` omitted.
    pub fn text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        match crate::encode::to_json(value) {
            Ok(serde_json::Value::Null) => {}
            Ok(serde_json::Value::Array(items)) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    self.push(name, None, None, Bytes::from(crate::encode::value_string(item)));
                }
            }
            Ok(v @ serde_json::Value::Object(_)) => self.json(name, &v),
            Ok(v) => self.push(name, None, None, Bytes::from(crate::encode::value_string(&v))),
            Err(e) => self.fail(name, e),
        }
        self
    }

    /// A JSON part (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.push(name, None, Some("application/json".into()), Bytes::from(bytes)),
            Err(e) => self.fail(name, e.to_string()),
        }
    }

    /// A file part. `default_content_type` is the spec's `encoding` for the part, if any.
    pub fn file(&mut self, name: &str, file: &FilePart, default_content_type: Option<&str>) -> &mut Self {
        let content_type = file
            .content_type
            .clone()
            .or_else(|| default_content_type.map(str::to_string))
            .unwrap_or_else(|| "application/octet-stream".into());
        let file_name = file.file_name.clone().unwrap_or_else(|| name.to_string());
        self.parts.push(Part {
            name: name.to_string(),
            file_name: Some(file_name),
            content_type: Some(content_type),
            data: file.source.clone(),
            progress: file.progress.clone(),
        });
        self
    }

    fn push(&mut self, name: &str, file_name: Option<String>, content_type: Option<String>, data: Bytes) {
        let data = Source::Bytes(data);
        self.parts.push(Part { name: name.to_string(), file_name, content_type, data, progress: None });
    }

    fn fail(&mut self, name: &str, e: String) {
        self.error.get_or_insert_with(|| format!("multipart field `{name}`: {e}"));
    }

    pub(crate) fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// The boundary and the body's bytes, when every part is in memory
    /// (`None` when a part is a file or a reader: those are streamed).
    pub fn to_bytes(&self) -> Option<(String, Vec<u8>)> {
        match self.encode() {
            (boundary, Encoded::Bytes(body)) => Some((boundary, body)),
            (_, Encoded::Streamed(_)) => None,
        }
    }

    /// The boundary that separates the parts, and the body: bytes when every
    /// part is in memory (and nothing asks for progress), else streamed.
    pub(crate) fn encode(&self) -> (String, Encoded) {
        let boundary = self.boundary();
        let mut pieces: Vec<Piece> = Vec::new();
        let mut head = Vec::new();
        for p in &self.parts {
            head.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&p.name)).as_bytes(),
            );
            if let Some(f) = &p.file_name {
                head.extend_from_slice(format!("; filename=\"{}\"", quote(f)).as_bytes());
            }
            head.extend_from_slice(b"\r\n");
            if let Some(ct) = &p.content_type {
                let ct: String = ct.chars().filter(|c| !c.is_control()).collect();
                head.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            head.extend_from_slice(b"\r\n");
            match (&p.data, &p.progress) {
                (Source::Bytes(b), None) => head.extend_from_slice(b),
                (source, progress) => {
                    pieces.push(Piece::bytes(std::mem::take(&mut head)));
                    pieces.push(Piece { source: source.clone(), progress: progress.clone() });
                }
            }
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        if pieces.is_empty() {
            return (boundary, Encoded::Bytes(head));
        }
        pieces.push(Piece::bytes(head));
        (boundary, Encoded::Streamed(Streamed { pieces }))
    }

    /// A boundary that occurs in no part in memory (a streamed part is not
    /// read ahead: 64 random bits make a collision with it negligible).
    fn boundary(&self) -> String {
        let seed = crate::retry::random_u64();
        let in_memory = || {
            self.parts.iter().filter_map(|p| match &p.data {
                Source::Bytes(b) => Some(b),
                _ => None,
            })
        };
        (0u64..)
            .map(|i| format!("----openapi-gen-{:016x}", seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))))
            .find(|b| !in_memory().any(|data| contains(data, b.as_bytes())))
            .unwrap_or_default()
    }
}

/// An encoded multipart body.
pub(crate) enum Encoded {
    Bytes(Vec<u8>),
    Streamed(Streamed),
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A name or file name inside a quoted header parameter (RFC 7578 escapes).
fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_have_every_part() {
        let mut m = Multipart::new();
        m.text("purpose", "fine-tune").text("n", &3).text("tags", &["a", "b"]).text("skip", &Option::<u8>::None);
        m.json("meta", &serde_json::json!({"k": 1}));
        m.file("file", &FilePart::new(&b"{\"a\":1}\n"[..]).file_name("da\"ta.jsonl"), Some("application/jsonl"));
        let (boundary, Encoded::Bytes(body)) = m.encode() else { panic!("in memory") };
        let text = String::from_utf8(body).unwrap();
        let parts: Vec<&str> = text.split(&format!("--{boundary}")).collect();
        assert_eq!(parts.len(), 8, "{text}");
        assert!(parts[1].contains("name=\"purpose\"\r\n\r\nfine-tune\r\n"));
        assert!(parts[2].contains("name=\"n\"\r\n\r\n3\r\n"));
        assert!(parts[3].ends_with("\r\n\r\na\r\n") && parts[4].ends_with("\r\n\r\nb\r\n"));
        assert!(parts[5].contains("Content-Type: application/json\r\n\r\n{\"k\":1}"));
        assert!(parts[6].contains(
            "name=\"file\"; filename=\"da%22ta.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n{\"a\":1}\n\r\n"
        ));
        assert_eq!(parts[7], "--\r\n");
    }

    #[test]
    fn the_boundary_never_occurs_in_the_data() {
        let mut m = Multipart::new();
        m.file("f", &FilePart::new(vec![b'-'; 64]), None);
        let (boundary, Encoded::Bytes(body)) = m.encode() else { panic!("in memory") };
        assert_eq!(body.windows(boundary.len()).filter(|w| *w == boundary.as_bytes()).count(), 2);
    }
}
