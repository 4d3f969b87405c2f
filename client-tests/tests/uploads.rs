//! Uploads that stream: files sent as they are read, re-sent from their start
//! by a retried attempt when the server drops the first one mid-body, readers
//! sent once and not retried (the error says why), and progress told as the
//! body goes. Against a raw server on 127.0.0.1 that can cut a connection.

mod server;

use client_tests::types::{UploadFileRequest, UploadFileRequestPurpose};
use client_tests::{runtime, Client, Error};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server got: each connection's request, and whether it was cut.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    /// The body of each request read whole.
    bodies: Mutex<Vec<(String, Vec<u8>)>>,
}

/// A server that reads the first `cut` connections' heads and 64 KiB of
/// their bodies and then closes them; later ones are read whole and
/// answered `{"ok": true}`.
async fn cutting_server(cut: usize) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Seen::default());
    let state = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = state.connections.fetch_add(1, Ordering::SeqCst);
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let Some((head, mut body)) = read_head(&mut socket).await else { return };
                if n < cut {
                    let mut more = vec![0u8; 64 * 1024];
                    let _ = socket.read_exact(&mut more).await;
                    return; // dropped mid-body
                }
                let chunked = header(&head, "transfer-encoding").is_some_and(|v| v.contains("chunked"));
                let len = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                while if chunked { !body.ends_with(b"0\r\n\r\n") } else { body.len() < len } {
                    let mut chunk = vec![0u8; 256 * 1024];
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => body.extend_from_slice(&chunk[..k]),
                    }
                }
                if chunked {
                    body = dechunk(&body);
                }
                let content_type = header(&head, "content-type").unwrap_or_default();
                state.bodies.lock().expect("lock").push((content_type, body));
                let reply = "{\"ok\": true}";
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    (base, seen)
}

/// The request head (up to the blank line) and what was read past it.
async fn read_head(socket: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 4096];
        let k = socket.read(&mut chunk).await.ok()?;
        if k == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..k]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            return Some((head, buf[end + 4..].to_vec()));
        }
    }
}

/// A chunked body's data.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = find(raw, b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw = &raw[line_end + 2 + size + 2..];
    }
    out
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

/// The data of the multipart part named `name`.
fn part<'a>(content_type: &str, body: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let boundary = format!("--{}", content_type.split("boundary=").nth(1)?);
    let mut rest = body;
    while let Some(at) = find(rest, boundary.as_bytes()) {
        rest = &rest[at + boundary.len()..];
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]);
        let data = &rest[head_end + 4..];
        let end = find(data, boundary.as_bytes())?;
        if head.contains(&format!("name=\"{name}\"")) {
            return Some(&data[..end - 2]);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token("tok")
}

/// A file of `len` bytes, in the temporary folder.
async fn temp_file(name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let path = std::env::temp_dir().join(format!("openapi-gen-uploads-{name}-{}.bin", std::process::id()));
    let data = server::pattern(len);
    tokio::fs::write(&path, &data).await.expect("write the file");
    (path, data)
}

#[tokio::test]
async fn a_file_part_dropped_mid_body_is_sent_again_from_its_start_byte_for_byte() {
    let (base, seen) = cutting_server(1).await;
    let (path, data) = temp_file("multipart", 3 << 20).await;
    let progress = Arc::new(Mutex::new(Vec::new()));
    let told = Arc::clone(&progress);
    let file = runtime::FilePart::from_path(&path)
        .await
        .expect("the file")
        .on_progress(move |sent, total| told.lock().expect("lock").push((sent, total)));
    assert_eq!(file.bytes(), None, "not read into memory");
    let body = UploadFileRequest::new(file, UploadFileRequestPurpose::FineTune);
    let got = client(&base).upload_file(&body).send_with_response().await.expect("the second attempt");
    let _ = std::fs::remove_file(&path);
    assert_eq!(got.attempts, 2);
    assert_eq!(seen.connections.load(Ordering::SeqCst), 2, "the first connection was cut");
    let bodies = seen.bodies.lock().expect("lock");
    let (content_type, whole) = &bodies[0];
    assert_eq!(part(content_type, whole, "file"), Some(&data[..]), "the file arrived whole, byte for byte");
    assert_eq!(part(content_type, whole, "purpose"), Some(&b"fine-tune"[..]));
    // Progress: each attempt starts at 0; the last one climbs to the size.
    let told = progress.lock().expect("lock");
    let last_start = told.iter().rposition(|(sent, _)| *sent == 0).expect("a start");
    let last: Vec<u64> = told[last_start..].iter().map(|(sent, _)| *sent).collect();
    assert!(last.windows(2).all(|w| w[0] <= w[1]), "monotone");
    assert_eq!(told.last().copied(), Some((data.len() as u64, Some(data.len() as u64))), "ends at the size");
    assert!(last_start > 0, "the cut attempt was told too, and the retry started again from 0");
}

#[tokio::test]
async fn a_binary_file_body_is_retried_and_a_reader_is_not() {
    let (base, seen) = cutting_server(1).await;
    let (path, data) = temp_file("binary", 1 << 20).await;
    let body = runtime::BinaryBody::from_file(&path).await.expect("the file");
    let got = client(&base).upload_blob(body).send_with_response().await.expect("the second attempt");
    assert_eq!(got.attempts, 2);
    assert_eq!(seen.bodies.lock().expect("lock")[0].1, data, "sent again from its start");

    let (base, seen) = cutting_server(1).await;
    let reader = tokio::fs::File::open(&path).await.expect("the file");
    let err = client(&base)
        .upload_blob(runtime::BinaryBody::from_reader(reader, Some(data.len() as u64)))
        .await
        .expect_err("a reader is sent once");
    let _ = std::fs::remove_file(&path);
    assert!(matches!(err, Error::NotRetried { .. }), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("one-shot"), "the error says why: {err}");
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1, "not sent again");
}

#[tokio::test]
async fn a_reader_part_streams_once_when_nothing_fails() {
    let (base, seen) = cutting_server(0).await;
    let data = server::pattern(200_000);
    let reader = std::io::Cursor::new(data.clone());
    let file = runtime::FilePart::from_reader(reader, None).file_name("r.jsonl");
    let body = UploadFileRequest::new(file, UploadFileRequestPurpose::FineTune);
    client(&base).upload_file(&body).await.expect("sent");
    let bodies = seen.bodies.lock().expect("lock");
    let (content_type, whole) = &bodies[0];
    assert_eq!(part(content_type, whole, "file"), Some(&data[..]));
}

#[tokio::test]
async fn a_download_goes_to_a_file_with_its_progress() {
    let (base, _) = server::start().await;
    let size = 3_000_000usize;
    let path = std::env::temp_dir().join(format!("openapi-gen-download-{}.bin", std::process::id()));
    let told = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&told);
    let stream = client(&base).download(size as i64).stream_bytes().await.expect("the stream");
    assert_eq!(stream.content_length(), Some(size as u64));
    let written = stream
        .on_progress(move |got, total| record.lock().expect("lock").push((got, total)))
        .to_file(&path)
        .await
        .expect("written");
    let data = tokio::fs::read(&path).await.expect("the file");
    let _ = std::fs::remove_file(&path);
    assert_eq!((written, data), (size as u64, server::pattern(size)));
    let told = told.lock().expect("lock");
    assert!(told.windows(2).all(|w| w[0].0 < w[1].0), "monotone");
    assert_eq!(told.last().copied(), Some((size as u64, Some(size as u64))), "ends at the size");
}
