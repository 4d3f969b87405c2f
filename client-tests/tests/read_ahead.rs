//! A stream read outside any task (in `main` on a multi-threaded runtime) is
//! read ahead by a task of the runtime: these tests run their bodies that
//! way (`flavor = "multi_thread"`) and check that the events still arrive
//! whole and in order, that reading ahead is bounded (a slow reader slows
//! the server down), and that dropping the stream closes the connection at
//! once, even while the server is silent.

use client_tests::types::{ChatRequest, Message, MessageRole};
use client_tests::Client;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does after the response headers.
#[derive(Clone, Copy)]
enum Body {
    /// `count` events, each in its own chunk of the TCP stream, then `[DONE]`.
    Events(usize),
    /// Events as fast as the client takes them, until it hangs up.
    Endless,
    /// One event, then silence until the client hangs up.
    OneThenSilence,
}

struct Server {
    base: String,
    /// Bytes of body written so far.
    written: Arc<AtomicU64>,
    /// The client closed the connection (the server read its end).
    closed: Arc<AtomicBool>,
}

fn event(i: usize) -> String {
    format!("data: {{\"id\":\"c{i}\",\"delta\":\"{}\"}}\n\n", "x".repeat(i % 7))
}

async fn read_head(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    // The small JSON body of the request arrives with the head here.
}

async fn serve(body: Body) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let written = Arc::new(AtomicU64::new(0));
    let closed = Arc::new(AtomicBool::new(false));
    let (w, c) = (written.clone(), closed.clone());
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        read_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let send = |text: String| {
            w.fetch_add(text.len() as u64, Ordering::SeqCst);
            text
        };
        match body {
            Body::Events(count) => {
                for i in 0..count {
                    let _ = stream.write_all(send(event(i)).as_bytes()).await;
                }
                let _ = stream.write_all(send("data: [DONE]\n\n".into()).as_bytes()).await;
            }
            Body::Endless => {
                let block: String = (0..500).map(event).collect();
                while stream.write_all(send(block.clone()).as_bytes()).await.is_ok() {}
            }
            Body::OneThenSilence => {
                let _ = stream.write_all(send(event(1)).as_bytes()).await;
                let mut rest = [0u8; 64];
                // Reads 0 bytes once the client closes its end.
                while matches!(stream.read(&mut rest).await, Ok(n) if n > 0) {}
                c.store(true, Ordering::SeqCst);
            }
        }
    });
    Server { base, written, closed }
}

fn request() -> ChatRequest {
    ChatRequest {
        model: "m".into(),
        messages: vec![Message { role: MessageRole::User, content: "hi".into(), extra: Default::default() }],
        stream: None,
        extra: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_read_ahead_arrive_whole_and_in_order() {
    let server = serve(Body::Events(3_000)).await;
    let client = Client::with_base_url(&server.base).expect("client");
    let mut events = client.create_chat_completion(&request()).stream().await.expect("a stream");
    let mut ids = Vec::new();
    while let Some(chunk) = events.next().await {
        ids.push(chunk.expect("an event").id);
    }
    let expected: Vec<String> = (0..3_000).map(|i| format!("c{i}")).collect();
    assert_eq!(ids, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_slows_the_server_down() {
    let server = serve(Body::Endless).await;
    let client = Client::with_base_url(&server.base).expect("client");
    let mut events = client.create_chat_completion(&request()).stream().await.expect("a stream");
    events.next().await.expect("an item").expect("an event");
    // The reader stops. Reading ahead is bounded by its channel and the
    // sockets' buffers; unbounded, it would take gigabytes meanwhile.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let first = server.written.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = server.written.load(Ordering::SeqCst);
    assert!(first < 64 << 20, "{first} bytes written while the reader slept");
    assert!(second - first < 1 << 20, "still writing while the reader sleeps: {first} then {second}");
    // And it goes on where it stopped.
    let next = events.next().await.expect("an item").expect("an event");
    assert!(next.id.starts_with('c'), "{next:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_stream_read_ahead_closes_the_connection_at_once() {
    let server = serve(Body::OneThenSilence).await;
    let client = Client::with_base_url(&server.base).expect("client");
    let mut events = client.create_chat_completion(&request()).stream().await.expect("a stream");
    events.next().await.expect("an item").expect("an event");
    drop(events);
    let started = std::time::Instant::now();
    while !server.closed.load(Ordering::SeqCst) {
        assert!(started.elapsed() < Duration::from_secs(5), "the connection outlived its stream");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
