//! The runtime's own connections (a client built without a `reqwest::Client`
//! or middleware sends plain requests on them): kept alive and shared by
//! calls in turn, one per call in flight, a closed one replaced without an
//! error, a streamed response's connection passed over rather than waited
//! for, and requests written as reqwest writes them.

use client_tests::types::{ChatRequest, Message, MessageRole};
use client_tests::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const REPLY: &str = r#"{"id":"c1","content":"hi"}"#;

/// What the server does on each connection.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Answer every request, keeping the connection open.
    KeepAlive,
    /// Answer one request, then close the connection 20 ms later (without
    /// saying so in the response).
    CloseAfterOne,
    /// Answer a request asking for a stream with one event and then
    /// nothing (the stream stays open); answer others as `KeepAlive`.
    HoldStreams,
}

struct Server {
    base: String,
    connections: Arc<AtomicUsize>,
    /// Each request's head as it arrived.
    heads: Arc<Mutex<Vec<String>>>,
}

/// One request's head and body, or `None` when the client closed.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length = head
                .to_ascii_lowercase()
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse::<usize>().ok()))
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let body = buf[end + 4..end + 4 + length].to_vec();
                buf.drain(..end + 4 + length);
                return Some((head, body));
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn serve(mode: Mode) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let connections = Arc::new(AtomicUsize::new(0));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (connections.clone(), heads.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Some((head, body)) = read_request(&mut stream, &mut buf).await {
                    seen.lock().expect("heads").push(head);
                    let streamed = String::from_utf8_lossy(&body).contains("\"stream\":true");
                    if mode == Mode::HoldStreams && streamed {
                        let events =
                            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
                        let event = "data: {\"id\":\"k1\",\"delta\":\"a\"}\n\n";
                        let chunk = format!("{events}{:x}\r\n{event}\r\n", event.len());
                        let _ = stream.write_all(chunk.as_bytes()).await;
                        // Nothing more until the client hangs up.
                        let mut rest = [0u8; 64];
                        while matches!(stream.read(&mut rest).await, Ok(n) if n > 0) {}
                        return;
                    }
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{REPLY}",
                        REPLY.len()
                    );
                    if stream.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                    if mode == Mode::CloseAfterOne {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        return;
                    }
                }
            });
        }
    });
    Server { base, connections, heads }
}

fn request() -> ChatRequest {
    ChatRequest {
        model: "m".into(),
        messages: vec![Message { role: MessageRole::User, content: "hi".into(), extra: Default::default() }],
        stream: None,
        extra: Default::default(),
    }
}

#[tokio::test]
async fn calls_in_turn_share_one_connection_and_are_written_as_reqwest_writes_them() {
    let server = serve(Mode::KeepAlive).await;
    let client = Client::with_base_url(&server.base).expect("client").bearer_token("t");
    for _ in 0..20 {
        let reply = client.create_chat_completion(&request()).await.expect("a reply");
        assert_eq!(reply.id, "c1");
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    let heads = server.heads.lock().expect("heads").clone();
    assert_eq!(heads.len(), 20);
    let port = server.base.rsplit(':').next().expect("port");
    let head = heads[0].to_ascii_lowercase();
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    assert!(request_line.starts_with("post /") && request_line.ends_with(" http/1.1"), "{request_line}");
    assert!(!request_line.contains("127.0.0.1"), "origin-form target: {request_line}");
    let headers: Vec<&str> = lines.collect();
    for expected in [format!("host: 127.0.0.1:{port}"), "accept: */*".into(), "authorization: bearer t".into()] {
        assert!(headers.contains(&expected.as_str()), "{expected:?} in {headers:?}");
    }
    assert!(headers.iter().any(|h| h.starts_with("content-length: ")), "{headers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_flight_each_have_a_connection_and_reuse_them() {
    let server = serve(Mode::KeepAlive).await;
    let client = Client::with_base_url(&server.base).expect("client");
    for _ in 0..5 {
        let calls = (0..4).map(|_| std::future::IntoFuture::into_future(client.create_chat_completion(&request())));
        for reply in futures_util::future::join_all(calls).await {
            assert_eq!(reply.expect("a reply").id, "c1");
        }
    }
    let made = server.connections.load(Ordering::SeqCst);
    assert!((1..=4).contains(&made), "{made} connections for 4 calls in flight at a time");
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced_without_an_error() {
    let server = serve(Mode::CloseAfterOne).await;
    let client = Client::with_base_url(&server.base).expect("client");
    for _ in 0..5 {
        let reply = client.create_chat_completion(&request()).send_with_response().await.expect("a reply");
        assert_eq!(reply.attempts, 1, "not a retry: the closed connection was left out");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_call_does_not_wait_for_the_connection_of_a_stream_being_read() {
    let server = serve(Mode::HoldStreams).await;
    let client = Client::with_base_url(&server.base).expect("client");
    let mut events = client.create_chat_completion(&request()).stream().await.expect("a stream");
    let first = events.next().await.expect("an event").expect("a chunk");
    assert_eq!((first.id.as_str(), first.delta.as_str()), ("k1", "a"));
    // The stream's connection is busy until it ends: the call takes another.
    let reply = tokio::time::timeout(Duration::from_secs(5), client.create_chat_completion(&request()))
        .await
        .expect("not waiting for the stream")
        .expect("a reply");
    assert_eq!(reply.id, "c1");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
    drop(events);
}

#[tokio::test]
async fn https_to_a_certificate_nobody_vouches_for_fails_before_anything_is_sent() {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("a certificate");
    let cert = key.cert.der().clone();
    let private =
        tokio_rustls::rustls::pki_types::PrivateKeyDer::try_from(key.signing_key.serialize_der()).expect("a key");
    let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .expect("a server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received = Arc::new(AtomicUsize::new(0));
    let bytes = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, bytes) = (acceptor.clone(), bytes.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut buf = [0u8; 4096];
                while let Ok(n) = tls.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    bytes.fetch_add(n, Ordering::SeqCst);
                }
            });
        }
    });
    let client = Client::with_base_url(format!("https://localhost:{port}")).expect("client").bearer_token("s3cret");
    let err = client.create_chat_completion(&request()).with_retries(0).await.expect_err("an untrusted certificate");
    let shown = format!("{err}");
    assert!(matches!(err, client_tests::Error::Transport { .. }), "{err:?}");
    assert!(shown.contains("certificate"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert_eq!(received.load(Ordering::SeqCst), 0, "nothing reached the server");
}
