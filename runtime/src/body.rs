//! Request bodies: binary (in memory or streamed from a file) and multipart.

use bytes::Bytes;
use serde::Serialize;
use std::fmt;
use std::path::Path;

/// A binary request body: bytes in memory (replayable, so retried) or a
/// stream such as a file (sent once, never retried).
pub struct BinaryBody(pub(crate) BinaryInner);

pub(crate) enum BinaryInner {
    Bytes(Bytes),
    Stream { body: Option<reqwest::Body>, len: Option<u64> },
}

impl BinaryInner {
    /// The stream and its length, once.
    pub(crate) fn take_stream(&mut self) -> Option<(reqwest::Body, Option<u64>)> {
        match self {
            BinaryInner::Stream { body, len } => body.take().map(|b| (b, *len)),
            BinaryInner::Bytes(_) => None,
        }
    }
}

impl BinaryBody {
    /// Stream a file from disk; the body is sent as it is read, never held in memory.
    pub async fn from_file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let file = tokio::fs::File::open(path.as_ref()).await?;
        let len = file.metadata().await?.len();
        let stream = tokio_util::io::ReaderStream::new(file);
        Ok(BinaryBody(BinaryInner::Stream { body: Some(reqwest::Body::wrap_stream(stream)), len: Some(len) }))
    }

    /// A body read from any byte stream; `len` sets `Content-Length` when known.
    pub fn from_stream<S>(stream: S, len: Option<u64>) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        BinaryBody(BinaryInner::Stream { body: Some(reqwest::Body::wrap_stream(stream)), len })
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BinaryInner::Bytes(b) => write!(f, "BinaryBody({} bytes)", b.len()),
            BinaryInner::Stream { len, .. } => write!(f, "BinaryBody(stream, {len:?} bytes)"),
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

/// A file in a multipart body: its bytes, and the file name and content type
/// the server sees.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    pub data: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl FilePart {
    /// A part from bytes, sent as `application/octet-stream` under the file name `file`
    /// unless [`FilePart::file_name`] and [`FilePart::content_type`] say otherwise.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart { data: data.into(), file_name: None, content_type: None }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Read a file; its name becomes the part's file name.
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let data = tokio::fs::read(path).await?;
        let mut part = FilePart::new(data);
        part.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(part)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &self.data.len())
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
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

/// A `multipart/form-data` body under construction. Generated multipart
/// types fill it through [`ToMultipart`]; it can be filled by hand too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
                    self.push(name, None, None, crate::encode::value_string(item).into());
                }
            }
            Ok(v @ serde_json::Value::Object(_)) => self.json(name, &v),
            Ok(v) => self.push(name, None, None, crate::encode::value_string(&v).into()),
            Err(e) => self.fail(name, e),
        }
        self
    }

    /// A JSON part (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.push(name, None, Some("application/json".into()), bytes.into()),
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
        self.push(name, Some(file_name), Some(content_type), file.data.clone());
        self
    }

    fn push(&mut self, name: &str, file_name: Option<String>, content_type: Option<String>, data: Bytes) {
        self.parts.push(Part { name: name.to_string(), file_name, content_type, data });
    }

    fn fail(&mut self, name: &str, e: String) {
        self.error.get_or_insert_with(|| format!("multipart field `{name}`: {e}"));
    }

    pub(crate) fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// The body bytes and the boundary that separates the parts.
    pub fn encode(&self) -> (String, Vec<u8>) {
        let boundary = self.boundary();
        let mut out = Vec::new();
        for p in &self.parts {
            out.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&p.name)).as_bytes(),
            );
            if let Some(f) = &p.file_name {
                out.extend_from_slice(format!("; filename=\"{}\"", quote(f)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            if let Some(ct) = &p.content_type {
                let ct: String = ct.chars().filter(|c| !c.is_control()).collect();
                out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&p.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (boundary, out)
    }

    /// A boundary that occurs in no part.
    fn boundary(&self) -> String {
        let seed = crate::retry::random_u64();
        (0u64..)
            .map(|i| format!("----openapi-gen-{:016x}", seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))))
            .find(|b| !self.parts.iter().any(|p| contains(&p.data, b.as_bytes())))
            .unwrap_or_default()
    }
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
        let (boundary, body) = m.encode();
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
        let (boundary, body) = m.encode();
        assert_eq!(body.windows(boundary.len()).filter(|w| *w == boundary.as_bytes()).count(), 2);
    }
}
