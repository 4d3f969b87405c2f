//! A local server for `scripts/bench-transfer.sh`: `POST /v1/files` reads the
//! body as it arrives and discards it (answering a file object with the byte
//! count), and `GET /v1/files/{id}/content` sends `SIZE` bytes in 64 KiB
//! chunks with their `Content-Length`. So the server is never what is measured.
//!
//! ```text
//! cargo run --release -p client-tests --example transfer_server -- <PORT> <SIZE>
//! ```

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8787);
    let size: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1 << 30);
    let app =
        Router::new().route("/v1/files", post(discard)).route("/v1/files/{id}/content", get(content)).with_state(size);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
    eprintln!("listening on 127.0.0.1:{port}");
    axum::serve(listener, app).await.expect("serve");
}

async fn discard(request: Request) -> String {
    let mut body = request.into_body().into_data_stream();
    let mut received = 0u64;
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(c) => received += c.len() as u64,
            Err(_) => break,
        }
    }
    format!(
        "{{\"id\": \"file-bench\", \"object\": \"file\", \"bytes\": {received}, \"created_at\": 0, \
         \"filename\": \"bench.jsonl\", \"purpose\": \"batch\", \"status\": \"processed\"}}"
    )
}

async fn content(State(size): State<u64>) -> Response {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let full = size / chunk.len() as u64;
    let rest = (size % chunk.len() as u64) as usize;
    let chunks = futures_util::stream::iter(
        (0..full).map(move |_| chunk.clone()).chain((rest > 0).then(|| Bytes::from(vec![b'x'; rest]))),
    )
    .map(Ok::<_, std::io::Error>);
    Response::builder()
        .header("content-type", "application/octet-stream")
        .header("content-length", size)
        .body(Body::from_stream(chunks))
        .expect("a response")
}
