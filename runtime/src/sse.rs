//! Server-sent events (`text/event-stream`) as a stream of typed events.

use crate::error::{Error, ResponseInfo};
use crate::stream::{ByteStream, Idle};
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One event: its `data` decoded, and the `event`, `id` and `retry` fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    pub event: Option<String>,
    pub id: Option<String>,
    pub retry: Option<u64>,
    pub data: T,
}

/// An event as parsed, before its data is decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawEvent {
    pub event: Option<String>,
    pub id: Option<String>,
    pub retry: Option<u64>,
    pub data: String,
}

/// The `text/event-stream` line protocol, fed chunk by chunk.
#[derive(Debug, Default)]
pub struct Parser {
    buf: Vec<u8>,
    /// How much of `buf` was scanned for a line end already.
    scanned: usize,
    /// The largest event, its pending line and data together; `None`: no limit.
    limit: Option<usize>,
    /// Bytes of the event being received, in `data`.
    pending: usize,
    /// Lines completed so far: what counts as progress for the idle timeout.
    lines: u64,
    /// The event's data so far (its lines joined by LF).
    data: String,
    has_data: bool,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    ready: VecDeque<RawEvent>,
}

impl Parser {
    /// A parser that refuses an event larger than `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Parser { limit: Some(limit), ..Parser::default() }
    }

    /// The limit, when the event being received (its unfinished line
    /// included) has grown past it: the stream cannot go on.
    pub fn too_large(&self) -> Option<usize> {
        self.limit.filter(|l| self.buf.len().saturating_add(self.pending) > *l)
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let mut buf = std::mem::take(&mut self.buf);
        if buf.is_empty() {
            // The usual case, nothing left over: lines are read from the
            // chunk where they are, and only an unfinished tail is kept.
            let (start, scanned) = self.lines_in(chunk, 0);
            buf.extend_from_slice(&chunk[start..]);
            self.scanned = scanned - start;
        } else {
            buf.extend_from_slice(chunk);
            let (start, scanned) = self.lines_in(&buf, self.scanned);
            buf.drain(..start);
            self.scanned = scanned - start;
        }
        self.buf = buf;
    }

    /// Handles the complete lines of `buf` from `scanned` on (line ends
    /// found with memchr, a word at a time); where the unfinished rest
    /// starts, and how far it was scanned.
    fn lines_in(&mut self, buf: &[u8], scanned: usize) -> (usize, usize) {
        let mut start = 0;
        let mut i = scanned;
        loop {
            let Some(at) = memchr::memchr2(b'\n', b'\r', &buf[i..]) else {
                return (start, buf.len());
            };
            let end = i + at;
            let next = match buf[end] {
                b'\n' => end + 1,
                _ if end + 1 < buf.len() => end + if buf[end + 1] == b'\n' { 2 } else { 1 },
                // A CR at the end of what arrived: wait, it may be half of a CRLF.
                _ => return (start, end),
            };
            self.line(&buf[start..end]);
            start = next;
            i = next;
        }
    }

    /// One line, as bytes: only the value of a field is copied (to text).
    fn line(&mut self, line: &[u8]) {
        self.lines += 1;
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line[0] == b':' {
            return; // a comment
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(at) => {
                let value = &line[at + 1..];
                (&line[..at], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        // Valid UTF-8 (the usual case) is checked the fast way, then copied once.
        let text = || match std::str::from_utf8(value) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(value).into_owned(),
        };
        match field {
            b"data" => {
                self.pending += value.len() + 1;
                if self.has_data {
                    self.data.push('\n');
                    self.data.push_str(&String::from_utf8_lossy(value));
                } else {
                    self.data = text();
                }
                self.has_data = true;
            }
            b"event" => self.event = Some(text()),
            b"id" if !value.contains(&0) => self.id = Some(text()),
            b"retry" => self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()),
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        self.pending = 0;
        if !self.has_data {
            self.event = None;
            return;
        }
        self.ready.push_back(RawEvent {
            event: self.event.take(),
            id: self.id.clone(),
            retry: self.retry,
            data: std::mem::take(&mut self.data),
        });
        self.has_data = false;
    }

    /// How many lines were completed: a stream that completes none within
    /// its idle timeout is stalled, however many bytes trickle in.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    pub fn next_event(&mut self) -> Option<RawEvent> {
        self.ready.pop_front()
    }

    /// At the end of the body: an event still being received means the
    /// stream broke off.
    pub fn finish(&mut self) -> Result<(), String> {
        if self.buf.iter().any(|b| !b.is_ascii_whitespace()) || self.has_data {
            Err("the stream ended in the middle of an event".into())
        } else {
            Ok(())
        }
    }
}

/// Decode `data` as JSON (what generated code passes for typed events).
pub fn json_data<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// Keep `data` as text (for event streams without a schema).
pub fn text_data(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_string())
}

/// A streamed response: typed events as they arrive. It ends at the end of
/// the body or at OpenAI's `data: [DONE]`; a connection that drops, an
/// idle timeout, an event cut short or an error event is an error item,
/// never a clean end. When the operation's protocol ends with a marker
/// (OpenAI's chat and text completions end with `data: [DONE]`), a body that
/// ends without it was cut short: that too is an error item.
pub struct EventStream<T> {
    bytes: ByteStream,
    parser: Parser,
    decode: fn(&str) -> Result<T, serde_json::Error>,
    status: StatusCode,
    done: bool,
    /// The data of the event that ends the stream, when the protocol has one.
    end: Option<&'static str>,
    /// Lines seen when the idle timer last restarted.
    lines_seen: u64,
    /// Runs while no line completes: bytes that never make a line (a server
    /// dripping one a second) do not keep the stream alive.
    idle: Option<Idle>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    pub(crate) fn new(
        mut bytes: ByteStream,
        status: StatusCode,
        decode: fn(&str) -> Result<T, serde_json::Error>,
        limit: Option<usize>,
    ) -> Self {
        let parser = limit.map_or_else(Parser::default, Parser::with_limit);
        let idle = bytes.take_idle();
        EventStream { bytes, parser, decode, status, done: false, end: None, lines_seen: 0, idle }
    }

    /// Expect the stream to end with an event whose data is `end`: a body
    /// that ends without it was cut short, and is an error item.
    pub fn until(mut self, end: &'static str) -> Self {
        self.end = Some(end);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        self.bytes.headers()
    }

    pub fn request_id(&self) -> Option<&str> {
        self.bytes.request_id()
    }

    /// The next event's data, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.next_event().await.map(|r| r.map(|e| e.data))
    }

    /// The next event with its `event`, `id` and `retry` fields.
    pub async fn next_event(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn decode(&self, raw: RawEvent) -> Result<Event<T>, Error> {
        match (self.decode)(&raw.data) {
            Ok(data) => Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data }),
            Err(e) => {
                let value: Option<serde_json::Value> = serde_json::from_str(&raw.data).ok();
                if value.as_ref().and_then(|v| v.get("error")).is_some() || raw.event.as_deref() == Some("error") {
                    return Err(Error::Stream {
                        message: format!("error event: {}", crate::error::summarize_body(&raw.data)),
                    });
                }
                Err(Error::Decode {
                    status: self.status,
                    message: e.to_string(),
                    body_start: crate::error::preview(&raw.data),
                    info: ResponseInfo { headers: self.bytes.headers().clone(), attempts: 1 },
                })
            }
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<T>, Error>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            if let Some(raw) = self.parser.next_event() {
                if raw.data.trim() == self.end.unwrap_or("[DONE]") {
                    self.done = true;
                    return Poll::Ready(None);
                }
                let decoded = self.decode(raw);
                if decoded.is_err() {
                    self.done = true;
                }
                return Poll::Ready(Some(decoded));
            }
            match Pin::new(&mut self.bytes).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    self.parser.feed(&chunk);
                    if self.parser.lines() != self.lines_seen {
                        self.lines_seen = self.parser.lines();
                        if let Some(idle) = &mut self.idle {
                            idle.touch();
                        }
                    }
                    if let Some(limit) = self.parser.too_large() {
                        self.done = true;
                        let message = format!("an event exceeds the limit of {limit} bytes (max_event_bytes)");
                        return Poll::Ready(Some(Err(Error::Stream { message })));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    self.done = true;
                    if let Err(message) = self.parser.finish() {
                        return Poll::Ready(Some(Err(Error::Stream { message })));
                    }
                    if let Some(end) = self.end {
                        let message =
                            format!("the stream ended without its end marker `data: {end}`: it was cut short");
                        return Poll::Ready(Some(Err(Error::Stream { message })));
                    }
                }
                Poll::Pending => {
                    let Some(idle) = &mut self.idle else { return Poll::Pending };
                    let Poll::Ready(after) = idle.poll_expired(cx) else { return Poll::Pending };
                    self.done = true;
                    return Poll::Ready(Some(Err(Error::Timeout { after, attempts: 1 })));
                }
            }
        }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the byte stream is boxed), so this is safe.
        let this = self.get_mut();
        this.poll_event(cx).map(|o| o.map(|r| r.map(|e| e.data)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&str]) -> Vec<RawEvent> {
        let mut p = Parser::default();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c.as_bytes());
            while let Some(e) = p.next_event() {
                out.push(e);
            }
        }
        out
    }

    #[test]
    fn events_fields_comments_and_line_endings() {
        let events = parse(&[
            ": keep-alive\n\nevent: delta\nid: 7\ndata: {\"a\":\ndata: 1}\n\n",
            "data: x\r\n\r",
            "\ndata:y\rretry: 30\r\r\n",
        ]);
        assert_eq!(events.len(), 3, "{events:?}");
        assert_eq!(
            events[0],
            RawEvent { event: Some("delta".into()), id: Some("7".into()), retry: None, data: "{\"a\":\n1}".into() }
        );
        assert_eq!(
            (events[1].data.as_str(), events[1].id.as_deref(), events[1].event.as_deref()),
            ("x", Some("7"), None)
        );
        assert_eq!((events[2].data.as_str(), events[2].retry), ("y", Some(30)));
    }

    #[test]
    fn events_split_anywhere_parse_the_same() {
        let text = "event: a\ndata: 1\n\ndata: 2\r\n\r\n: c\ndata: [DONE]\n\n";
        let whole = parse(&[text]);
        for cut in 0..text.len() {
            assert_eq!(parse(&[&text[..cut], &text[cut..]]), whole, "cut at {cut}");
        }
        assert_eq!(whole.len(), 3);
    }

    #[test]
    fn an_event_or_line_over_the_limit_is_caught_as_it_grows() {
        let mut p = Parser::with_limit(64);
        p.feed(b"data: short\n\n");
        assert_eq!(p.too_large(), None);
        assert_eq!(p.next_event().map(|e| e.data), Some("short".to_string()));
        for _ in 0..10 {
            p.feed(&[b'x'; 10]);
        }
        assert_eq!(p.too_large(), Some(64), "a line that never ends");
        let mut p = Parser::with_limit(64);
        for _ in 0..10 {
            p.feed(b"data: 0123456789\n");
        }
        assert_eq!(p.too_large(), Some(64), "an event of many short lines");
    }

    #[test]
    fn a_cut_event_is_an_error_at_the_end() {
        let mut p = Parser::default();
        p.feed(b"data: {\"partial\"");
        assert!(p.finish().is_err());
        let mut p = Parser::default();
        p.feed(b"data: 1\n\n: bye\n");
        assert!(p.finish().is_ok());
    }
}
