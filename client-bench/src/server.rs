//! A local HTTP/1.1 server that answers every request with bytes built once:
//! it parses as little as it can, so the clients, not it, are measured.

use std::io;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The model every canned body names.
pub const MODEL: &str = "meta-llama/Llama-3.3-70B-Instruct";
/// Chunks in a canned stream (the last one carries `finish_reason`).
pub const STREAM_CHUNKS: usize = 2_000;
/// Inputs in a canned embedding reply, and the length of each vector.
pub const EMBEDDINGS: usize = 64;
pub const DIMENSIONS: usize = 1_536;

/// Every answer, headers included.
struct Canned {
    chat: Vec<u8>,
    stream: Vec<u8>,
    embeddings: Vec<u8>,
    embeddings_base64: Vec<u8>,
    not_found: Vec<u8>,
}

fn with_length(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-request-id: req_canned\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A chat completion of about 1.2 KB, as OpenAI-compatible servers answer.
pub fn chat_body() -> String {
    let content = "The quick brown fox jumps over the lazy dog. ".repeat(18);
    serde_json::json!({
        "id": "chatcmpl-8f2c1a7e9b3d4c5e",
        "object": "chat.completion",
        "created": 1_733_000_000,
        "model": MODEL,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content.trim_end(), "refusal": null, "tool_calls": []},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 12, "completion_tokens": 180, "total_tokens": 192},
        "system_fingerprint": null
    })
    .to_string()
}

/// One streamed chunk's JSON.
fn chunk(i: usize) -> String {
    let delta = match i {
        0 => serde_json::json!({"role": "assistant", "content": ""}),
        _ => serde_json::json!({"content": format!(" token{}", i % 100)}),
    };
    let finish = if i + 1 == STREAM_CHUNKS { serde_json::json!("stop") } else { serde_json::Value::Null };
    serde_json::json!({
        "id": "chatcmpl-8f2c1a7e9b3d4c5e",
        "object": "chat.completion.chunk",
        "created": 1_733_000_000,
        "model": MODEL,
        "system_fingerprint": null,
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
        "usage": null
    })
    .to_string()
}

/// A streamed chat: each event in its own HTTP chunk, as a server that
/// flushes every token sends it, then `[DONE]`.
fn stream_response() -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nx-request-id: req_canned\r\n\r\n".to_vec();
    let mut event = |data: &str| {
        let event = format!("data: {data}\n\n");
        out.extend_from_slice(format!("{:x}\r\n", event.len()).as_bytes());
        out.extend_from_slice(event.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    for i in 0..STREAM_CHUNKS {
        event(&chunk(i));
    }
    event("[DONE]");
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// 64 vectors of 1,536 floats (about 1.2 MB as JSON numbers, the digits a
/// model prints; about 0.5 MB as base64 of their float32 bytes, what
/// OpenAI-compatible servers send for `encoding_format: base64`).
pub fn embeddings_body(base64: bool) -> String {
    use base64::Engine as _;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 * 0.2 - 0.1
    };
    let data: Vec<serde_json::Value> = (0..EMBEDDINGS)
        .map(|index| {
            let vector: Vec<f32> = (0..DIMENSIONS).map(|_| next() as f32).collect();
            let embedding = match base64 {
                true => serde_json::json!(base64::engine::general_purpose::STANDARD
                    .encode(vector.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>())),
                false => serde_json::json!(vector),
            };
            serde_json::json!({"object": "embedding", "index": index, "embedding": embedding})
        })
        .collect();
    serde_json::json!({
        "object": "list",
        "data": data,
        "model": "BAAI/bge-en-icl",
        "usage": {"prompt_tokens": 640, "total_tokens": 640}
    })
    .to_string()
}

impl Canned {
    fn new() -> Self {
        Canned {
            chat: with_length("application/json", chat_body().as_bytes()),
            stream: stream_response(),
            embeddings: with_length("application/json", embeddings_body(false).as_bytes()),
            embeddings_base64: with_length("application/json", embeddings_body(true).as_bytes()),
            not_found: b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".to_vec(),
        }
    }

    fn answer(&self, path: &[u8], body: &[u8]) -> &[u8] {
        if path.ends_with(b"/chat/completions") {
            let streamed = memchr::memmem::find(body, b"\"stream\":true").is_some();
            if streamed {
                &self.stream
            } else {
                &self.chat
            }
        } else if path.ends_with(b"/embeddings") {
            match memchr::memmem::find(body, b"\"encoding_format\":\"base64\"") {
                Some(_) => &self.embeddings_base64,
                None => &self.embeddings,
            }
        } else {
            &self.not_found
        }
    }
}

/// Serve until the process is killed.
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    let canned = Arc::new(Canned::new());
    loop {
        let (socket, _) = listener.accept().await?;
        let canned = Arc::clone(&canned);
        tokio::spawn(async move {
            let _ = connection(socket, &canned).await;
        });
    }
}

/// Answer the requests of one keep-alive connection in turn.
async fn connection(mut socket: TcpStream, canned: &Canned) -> io::Result<()> {
    socket.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    loop {
        let head_end = loop {
            if let Some(i) = memchr::memmem::find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if read_more(&mut socket, &mut buf).await? == 0 {
                return Ok(());
            }
        };
        let head = &buf[..head_end];
        let path = head.split(|b| *b == b' ').nth(1).unwrap_or_default().to_vec();
        let length = content_length(head);
        while buf.len() < head_end + length {
            if read_more(&mut socket, &mut buf).await? == 0 {
                return Ok(());
            }
        }
        let answer = canned.answer(&path, &buf[head_end..head_end + length]);
        socket.write_all(answer).await?;
        buf.drain(..head_end + length);
    }
}

async fn read_more(socket: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    let start = buf.len();
    buf.resize(start + 64 * 1024, 0);
    let n = socket.read(&mut buf[start..]).await?;
    buf.truncate(start + n);
    Ok(n)
}

pub fn content_length(head: &[u8]) -> usize {
    head.split(|b| *b == b'\n')
        .find_map(|line| {
            let line = std::str::from_utf8(line).ok()?;
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0)
}
