//! Servers that misbehave, on raw TCP (so they can cut, stall and reset):
//! every case is a typed error in bounded time, never a panic or a hang, and
//! nothing the caller sent or needs is lost or leaked.

use client_tests::types::{ChatRequest, Message, MessageRole};
use client_tests::{Client, Error};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "tok-s3cret-value";

/// What the server does once it has read a request.
#[derive(Clone, Copy)]
enum Behaviour {
    /// A complete response: status, content type, body.
    Respond(u16, &'static str, &'static str),
    /// Headers promising 1000 bytes, then 10 and a close.
    TruncatedBody,
    /// A large body (1 MiB).
    Large,
    /// Headers, then nothing.
    StallAfterHeaders,
    /// Close the connection without a word.
    Reset,
    /// A JSON body that never ends (no length; 64 KiB at a time, until the client hangs up).
    Endless,
    /// An event stream whose first line never ends.
    EndlessEventLine,
    /// A body of `content type` dripped one byte every 100 ms, never a line end.
    Drip(&'static str),
}

struct Server {
    base: String,
    connections: Arc<AtomicUsize>,
    /// Every request as it arrived, bytes and all.
    requests: Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
}

async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = stream.read(&mut chunk).await else { return buf };
        if n == 0 {
            return buf;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse::<usize>().ok()))
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let Ok(n) = stream.read(&mut chunk).await else { return buf };
                if n == 0 {
                    return buf;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return buf;
        }
    }
}

async fn serve(behaviour: Behaviour) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (count, seen) = (connections.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let seen = seen.clone();
            tokio::spawn(async move {
                let request = read_request(&mut stream).await;
                if let Ok(mut r) = seen.lock() {
                    r.push(request);
                }
                match behaviour {
                    Behaviour::Respond(status, content_type, body) => {
                        let head = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-request-id: req-9\r\nconnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        let _ = stream.write_all(body.as_bytes()).await;
                    }
                    Behaviour::TruncatedBody => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"content\":")
                            .await;
                    }
                    Behaviour::Large => {
                        let body = format!("{{\"id\": \"c1\", \"content\": \"{}\"}}", "x".repeat(1 << 20));
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        let _ = stream.write_all(body.as_bytes()).await;
                    }
                    Behaviour::StallAfterHeaders => {
                        let _ = stream
                            .write_all(
                                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n",
                            )
                            .await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Behaviour::Endless | Behaviour::EndlessEventLine => {
                        let (content_type, start) = match behaviour {
                            Behaviour::Endless => ("application/json", "{\"content\": \""),
                            _ => ("text/event-stream", "data: {\"content\": \""),
                        };
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n{start}"
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        let chunk = vec![b'x'; 64 * 1024];
                        while stream.write_all(&chunk).await.is_ok() {}
                        return;
                    }
                    Behaviour::Drip(content_type) => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\ndata: "
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        loop {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            if stream.write_all(b"x").await.is_err() || stream.flush().await.is_err() {
                                return;
                            }
                        }
                    }
                    Behaviour::Reset => {
                        // A zero linger makes the close a reset (RST); it cannot block.
                        #[allow(deprecated)]
                        let _ = stream.set_linger(Some(Duration::ZERO));
                        drop(stream);
                        return;
                    }
                }
                let _ = stream.shutdown().await;
            });
        }
    });
    Server { base, connections, requests }
}

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token(TOKEN)
}

fn request() -> ChatRequest {
    ChatRequest {
        model: "m".into(),
        messages: vec![Message { role: MessageRole::User, content: "hi".into(), extra: Default::default() }],
        stream: None,
        extra: Default::default(),
    }
}

/// Nothing secret in what an error says or shows.
fn no_secret(err: &Error<impl std::fmt::Debug>) {
    let shown = format!("{err}\n{err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_start_of_the_body() {
    let server = serve(Behaviour::Respond(200, "application/json", "{\"content\": \"hel")).await;
    let err = client(&server.base).create_chat_completion(&request()).with_retries(0).await.expect_err("invalid JSON");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.request_id(), Some("req-9"));
    let Error::Decode { body_start, .. } = &err else { unreachable!() };
    assert_eq!(body_start, "{\"content\": \"hel");
    no_secret(&err);
}

#[tokio::test]
async fn a_wrong_content_type_is_a_decode_error_not_a_panic() {
    let server = serve(Behaviour::Respond(200, "text/html", "<html>maintenance</html>")).await;
    let err = client(&server.base).create_chat_completion(&request()).with_retries(0).await.expect_err("HTML");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("maintenance"), "{err}");
}

#[tokio::test]
async fn a_truncated_body_is_an_error() {
    let server = serve(Behaviour::TruncatedBody).await;
    let started = Instant::now();
    let err = client(&server.base).create_chat_completion(&request()).with_retries(0).await.expect_err("cut short");
    assert!(matches!(err, Error::Transport { .. } | Error::Decode { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    no_secret(&err);
}

#[tokio::test]
async fn a_body_over_the_limit_stops_reading() {
    let server = serve(Behaviour::Large).await;
    let limited = Client::builder().base_url(&server.base).max_response_bytes(64 * 1024).build().expect("client");
    let err = limited.create_chat_completion(&request()).with_retries(0).await.expect_err("too large");
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    // Without a limit the same body is fine.
    let ok = Client::with_base_url(&server.base).expect("client").create_chat_completion(&request()).await;
    assert_eq!(ok.expect("unlimited").content.len(), 1 << 20);
}

#[tokio::test]
async fn a_server_that_stalls_after_its_headers_hits_the_timeout() {
    let server = serve(Behaviour::StallAfterHeaders).await;
    let started = Instant::now();
    let err = client(&server.base)
        .create_chat_completion(&request())
        .with_timeout(Duration::from_millis(300))
        .with_retries(0)
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn connection_resets_are_retried_then_reported() {
    let server = serve(Behaviour::Reset).await;
    let c = Client::builder()
        .base_url(&server.base)
        .bearer_token(TOKEN)
        .retry_policy(client_tests::runtime::RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            ..client_tests::runtime::RetryPolicy::default()
        })
        .build()
        .expect("client");
    let err = c.create_chat_completion(&request()).await.expect_err("reset");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
    let sent = server.requests.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r == &sent[0]), "every attempt sends the same bytes");
    assert!(String::from_utf8_lossy(&sent[0]).contains("\"model\":\"m\""), "{:?}", String::from_utf8_lossy(&sent[0]));
    no_secret(&err);
}

#[tokio::test]
async fn a_failure_that_is_not_retried_carries_what_a_retry_needs() {
    let server = serve(Behaviour::Respond(400, "application/json", "{\"error\": \"bad model\"}")).await;
    let err = client(&server.base).create_chat_completion(&request()).await.expect_err("400");
    assert_eq!(err.attempts(), 1, "a 400 is not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.request_id(), Some("req-9"));
    assert!(err.to_string().contains("bad model"), "{err}");
    no_secret(&err);
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_before_sending() {
    let server = serve(Behaviour::Respond(200, "application/json", "{\"content\": \"x\"}")).await;
    for bad in ["a\r\nX-Injected: 1", "a\nb", "a\0b"] {
        let err = client(&server.base)
            .create_chat_completion(&request())
            .with_header("x-note", bad)
            .await
            .expect_err("refused");
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 0, "nothing reached the server");
}

#[tokio::test]
async fn the_client_never_shows_its_credentials() {
    let c = client("http://127.0.0.1:9");
    let shown = format!("{c:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

/// The process's peak resident memory so far, from `/proc` (Linux), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024)
}

#[tokio::test]
async fn a_body_that_never_ends_stops_at_the_default_limit() {
    let server = serve(Behaviour::Endless).await;
    let started = Instant::now();
    let err = client(&server.base).create_chat_completion(&request()).with_retries(0).await.expect_err("too large");
    match &err {
        Error::BodyTooLarge { limit, status, .. } => {
            assert_eq!(*limit, openapi_gen_runtime::DEFAULT_MAX_RESPONSE_BYTES);
            assert_eq!(status.as_u16(), 200);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("exceeds the limit of 134217728 bytes"), "{err}");
    // A request's own limit, lower or none at all.
    let err = client(&server.base)
        .create_chat_completion(&request())
        .with_max_response_bytes(Some(1 << 20))
        .with_retries(0)
        .await
        .expect_err("too large");
    assert!(matches!(err, Error::BodyTooLarge { limit: 1048576, .. }), "{err:?}");
    eprintln!(
        "endless JSON body: BodyTooLarge after {:?}; peak RSS {} MiB",
        started.elapsed(),
        peak_rss_mib().map_or("unknown".into(), |m| m.to_string())
    );
}

#[tokio::test]
async fn an_event_line_that_never_ends_is_an_error_at_the_event_limit() {
    let server = serve(Behaviour::EndlessEventLine).await;
    let started = Instant::now();
    let mut events = client(&server.base).create_chat_completion(&request()).stream().await.expect("a stream");
    let err = events.next().await.expect("an item").expect_err("too large");
    assert!(
        matches!(&err, Error::Stream { message } if message.contains("exceeds the limit of 16777216 bytes")),
        "{err:?}"
    );
    assert!(events.next().await.is_none(), "nothing after the error");
    let limited = Client::builder().base_url(&server.base).max_event_bytes(4096).build().expect("client");
    let mut events = limited.create_chat_completion(&request()).stream().await.expect("a stream");
    let err = events.next().await.expect("an item").expect_err("too large");
    assert!(err.to_string().contains("4096 bytes"), "{err}");
    eprintln!(
        "endless event line: an error after {:?}; peak RSS {} MiB",
        started.elapsed(),
        peak_rss_mib().map_or("unknown".into(), |m| m.to_string())
    );
}

#[tokio::test]
async fn a_server_dripping_a_byte_at_a_time_never_outlasts_the_timeout() {
    let timeout = Duration::from_millis(800);
    let server = serve(Behaviour::Drip("application/json")).await;
    let started = Instant::now();
    let err = client(&server.base)
        .create_chat_completion(&request())
        .with_timeout(timeout)
        .with_retries(0)
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < timeout * 3, "a body read whole: {:?}", started.elapsed());

    // A stream: bytes keep arriving, faster than the idle timeout, but no
    // line ever ends, so the stream is idle all the same.
    let server = serve(Behaviour::Drip("text/event-stream")).await;
    let c = Client::builder().base_url(&server.base).timeout(timeout).max_retries(0).build().expect("client");
    let started = Instant::now();
    let mut events = c.create_chat_completion(&request()).stream().await.expect("a stream");
    let err = events.next().await.expect("an item").expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < timeout * 3, "a stream: {:?}", started.elapsed());
}
