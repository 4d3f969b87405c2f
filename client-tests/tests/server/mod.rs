//! A local server for the kinds spec: it records what it receives and
//! answers each path as the tests need.

#![allow(dead_code)]

use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
pub struct Seen {
    /// Attempts per flaky key.
    pub attempts: Arc<Mutex<HashMap<String, u32>>>,
}

impl Seen {
    pub fn attempts(&self, key: &str) -> u32 {
        self.attempts.lock().map(|m| m.get(key).copied().unwrap_or(0)).unwrap_or(0)
    }
}

pub async fn start() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/chat/completions", post(chat))
        .route("/ticks", get(ticks))
        .route("/ticks/until", get(ticks_until))
        .route("/files", post(files))
        .route("/form", post(form))
        .route("/download/{size}", get(download))
        .route("/upload", put(upload))
        .route("/notes", post(notes))
        .route("/items/{id}", put(item))
        .route("/search", get(echo))
        .route("/auth/fresh", get(fresh))
        .route("/auth/{kind}", get(echo))
        .route("/public", get(echo))
        .route("/flaky/{key}", get(flaky))
        .route("/stall", get(stall))
        .route("/jobs/{id}", get(job))
        .route("/pages/link", get(pages_link))
        .route("/pages/number", get(pages_number))
        .route("/pages/next-link", get(pages_next_link))
        .route("/pages/cursor", get(pages_cursor))
        .route("/pages/time", get(pages_time))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), seen)
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn header(headers: &HeaderMap, name: &str) -> Value {
    headers.get(name).and_then(|v| v.to_str().ok()).map_or(Value::Null, |v| Value::String(v.to_string()))
}

fn headers_json(headers: &HeaderMap) -> Value {
    let map: serde_json::Map<String, Value> =
        headers.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_str().unwrap_or("").to_string()))).collect();
    Value::Object(map)
}

/// Headers and the raw query, for auth and parameter tests.
async fn echo(uri: axum::http::Uri, headers: HeaderMap) -> Json<Value> {
    Json(json!({"path": uri.path(), "query": uri.query(), "headers": headers_json(&headers)}))
}

async fn chat(headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if body["model"] == "fail" {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": {"message": "unknown model"}}))).into_response();
    }
    if body["stream"] != json!(true) {
        let mut r = Json(json!({"id": "c1", "content": "hello world"})).into_response();
        r.headers_mut().insert("x-request-id", "req-chat-1".parse().expect("a header value"));
        return r;
    }
    assert_eq!(header(&headers, "accept"), json!("text/event-stream"));
    // Comments, a multi-line data field, an event name and an id, then [DONE].
    let events = concat!(
        ": keep-alive\n\n",
        "id: 1\ndata: {\"id\":\"c1\",\n",
        "data: \"delta\":\"hel\"}\n\n",
        "event: chunk\nid: 2\ndata: {\"id\":\"c1\",\"delta\":\"lo\"}\n\n",
        "data: [DONE]\n\n",
        "data: {\"id\":\"after\",\"delta\":\"never read\"}\n\n"
    );
    // Small chunks, so events arrive split at every kind of place.
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        events.as_bytes().chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("a response")
}

/// Two text events; with `drop=true` the connection then breaks.
async fn ticks(Query(q): Query<HashMap<String, String>>) -> Response {
    let drop = q.get("drop").map(String::as_str) == Some("true");
    let stream = futures_util::stream::unfold(0u8, move |state| async move {
        match state {
            0 => Some((Ok::<_, std::io::Error>(Bytes::from_static(b"data: tick 1\n\ndata: tick 2\n\n")), 1)),
            1 if drop => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Some((Err(std::io::Error::other("server died")), 2))
            }
            _ => None,
        }
    });
    Response::builder().header("content-type", "text/event-stream").body(Body::from_stream(stream)).expect("a response")
}

/// A text event, then with `complete=true` the end marker `data: bye`.
async fn ticks_until(Query(q): Query<HashMap<String, String>>) -> Response {
    let complete = q.get("complete").map(String::as_str) == Some("true");
    let body = if complete { "data: tick 1\n\ndata: bye\n\n" } else { "data: tick 1\n\n" };
    ([("content-type", "text/event-stream")], body).into_response()
}

/// Every part: name, file name, content type, and the text and hash of its data.
async fn files(headers: HeaderMap, mut multipart: Multipart) -> Response {
    let mut parts = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_string);
                let file_name = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(str::to_string);
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
                };
                parts.push(json!({
                    "name": name, "file_name": file_name, "content_type": content_type,
                    "text": String::from_utf8(data.to_vec()).ok(), "sha256": sha256(&data),
                }));
            }
            Ok(None) => break,
            Err(e) => return (StatusCode::BAD_REQUEST, format!("bad multipart: {e}")).into_response(),
        }
    }
    Json(json!({"parts": parts, "content_type": header(&headers, "content-type")})).into_response()
}

async fn form(headers: HeaderMap, body: Bytes) -> Json<Value> {
    Json(json!({"content_type": header(&headers, "content-type"), "body": String::from_utf8_lossy(&body)}))
}

/// `size` bytes of a fixed pattern, sent in chunks.
pub fn pattern(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 % 251) as u8).collect()
}

async fn download(Path(size): Path<usize>) -> Response {
    let data = pattern(size);
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        data.chunks(64 * 1024).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    Response::builder()
        .header("content-type", "application/octet-stream")
        .header("content-length", size)
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("a response")
}

async fn upload(headers: HeaderMap, body: Bytes) -> Json<Value> {
    Json(json!({
        "len": body.len(), "sha256": sha256(&body),
        "content_type": header(&headers, "content-type"),
        "content_length": header(&headers, "content-length"),
    }))
}

async fn notes(headers: HeaderMap, body: Bytes) -> Json<Value> {
    Json(json!({"content_type": header(&headers, "content-type"), "body": String::from_utf8_lossy(&body)}))
}

async fn item(Path(id): Path<String>) -> Response {
    match id.as_str() {
        "new" => (StatusCode::CREATED, Json(json!({"id": "n1"}))).into_response(),
        "same" => StatusCode::NO_CONTENT.into_response(),
        "odd" => (StatusCode::ACCEPTED, "queued").into_response(),
        _ => Json(json!({"id": id, "name": "replaced"})).into_response(),
    }
}

/// Fails `failures` times with `status` (and `retry_after` if given), then succeeds.
/// A job read again and again: `ok` goes queued, in_progress, in_progress,
/// completed; `bad` queued, failed; any other stays in_progress.
async fn job(State(seen): State<Seen>, Path(id): Path<String>) -> Json<Value> {
    let polls = {
        let mut map = seen.attempts.lock().expect("the lock");
        let n = map.entry(format!("job-{id}")).or_insert(0);
        *n += 1;
        *n
    };
    let states: &[&str] = match id.as_str() {
        "ok" => &["queued", "in_progress", "in_progress", "completed"],
        "bad" => &["queued", "failed"],
        _ => &["in_progress"],
    };
    let state = states[(polls as usize - 1).min(states.len() - 1)];
    Json(json!({"id": id, "status": state, "polls": polls}))
}

async fn flaky(
    State(seen): State<Seen>,
    Path(key): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let attempt = {
        let mut map = seen.attempts.lock().expect("the lock");
        let n = map.entry(key).or_insert(0);
        *n += 1;
        *n
    };
    let failures: u32 = q.get("failures").and_then(|v| v.parse().ok()).unwrap_or(0);
    if attempt <= failures {
        let status = q.get("status").and_then(|v| v.parse().ok()).and_then(|s| StatusCode::from_u16(s).ok());
        let mut r =
            (status.unwrap_or(StatusCode::SERVICE_UNAVAILABLE), Json(json!({"error": {"message": "try later"}})))
                .into_response();
        if let Some(after) = q.get("retry_after") {
            r.headers_mut().insert("retry-after", after.parse().expect("a header value"));
        }
        r.headers_mut().insert("x-request-id", format!("req-{attempt}").parse().expect("a header value"));
        return r;
    }
    let mut r = Json(json!({"attempts": attempt})).into_response();
    r.headers_mut().insert("x-request-id", format!("req-{attempt}").parse().expect("a header value"));
    r
}

/// 401 unless the bearer token is `fresh-token`; the headers seen otherwise.
async fn fresh(uri: axum::http::Uri, headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer fresh-token") {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": {"message": "token expired"}}))).into_response();
    }
    echo(uri, headers).await.into_response()
}

/// Accepts the request and never answers; with an `x-stall-ms` header, it
/// answers after that long.
async fn stall(headers: HeaderMap) -> Json<Value> {
    let ms = headers.get("x-stall-ms").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    tokio::time::sleep(Duration::from_millis(ms.unwrap_or(3_600_000))).await;
    Json(json!({"stalled_ms": ms}))
}

/// The entries every paged list serves: `e0` to `e9`.
const ENTRIES: usize = 10;

fn entries(from: usize, count: usize) -> Vec<Value> {
    (from..(from + count).min(ENTRIES)).map(|i| json!({"id": format!("e{i}"), "n": i})).collect()
}

fn number(q: &HashMap<String, String>, key: &str, default: usize) -> usize {
    q.get(key).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn origin(headers: &HeaderMap) -> String {
    format!("http://{}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1"))
}

/// GitHub's way: pages from 1, `Link: <..>; rel="next"` while there are more.
async fn pages_link(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let (page, per_page) = (number(&q, "page", 1).max(1), number(&q, "per_page", 4));
    let from = (page - 1) * per_page;
    let mut response = Json(Value::Array(entries(from, per_page))).into_response();
    if from + per_page < ENTRIES {
        let base = origin(&headers);
        let link = format!(
            "<{base}/pages/link?per_page={per_page}&page={}>; rel=\"next\", <{base}/pages/link?per_page={per_page}&page=9>; rel=\"last\"",
            page + 1
        );
        response.headers_mut().insert("link", link.parse().expect("a header value"));
    }
    response
}

/// Page numbers from 1; past the last page, no entries.
async fn pages_number(Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let (page, per_page) = (number(&q, "page", 1).max(1), number(&q, "per_page", 3));
    Json(json!({"entries": entries((page - 1) * per_page, per_page), "total": ENTRIES}))
}

/// Microsoft Graph's way: the next page's URL in `@odata.nextLink`.
async fn pages_next_link(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let skip = number(&q, "skip", 0);
    let mut page = json!({"value": entries(skip, 4)});
    if skip + 4 < ENTRIES {
        page["@odata.nextLink"] = json!(format!("{}/pages/next-link?skip={}", origin(&headers), skip + 4));
    }
    Json(page)
}

/// OpenAI's way: `after` an id, `has_more` and `last_id`. `mode=empty`: a
/// page with no items that says there are more; `mode=repeat`: every page
/// after the first gives the same cursor back.
async fn pages_cursor(Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let limit = number(&q, "limit", 4);
    let mode = q.get("mode").map(String::as_str).unwrap_or("ok");
    let from =
        q.get("after").and_then(|a| a.strip_prefix('e')).and_then(|n| n.parse::<usize>().ok()).map_or(0, |n| n + 1);
    if mode == "empty" && from > 0 {
        return Json(json!({"data": [], "has_more": true}));
    }
    let page = entries(if mode == "repeat" && from > 0 { 0 } else { from }, limit);
    let last = page.last().and_then(|e| e["id"].as_str()).map(str::to_owned);
    Json(json!({"data": page, "has_more": from + limit < ENTRIES, "last_id": last}))
}

/// When `e0` was created (Unix seconds); each next entry a minute before.
const NEWEST: i64 = 1_778_068_800;

/// Nebius's way: newest first, `cursor_time` an RFC 3339 time, answering what
/// was created before it; a cursor that is no such time is a 422.
async fn pages_time(Query(q): Query<HashMap<String, String>>) -> Response {
    let limit = number(&q, "limit", 4);
    let before = match q.get("cursor_time") {
        None => i64::MAX,
        Some(t) => match chrono::DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.timestamp(),
            Err(_) => {
                let detail = json!({"detail": [{"loc": ["query", "cursor_time"], "msg": "not ISO 8601", "type": "value_error"}]});
                return (axum::http::StatusCode::UNPROCESSABLE_ENTITY, Json(detail)).into_response();
            }
        },
    };
    let page: Vec<Value> = (0..ENTRIES as i64)
        .map(|i| (i, NEWEST - 60 * i))
        .filter(|(_, at)| *at < before)
        .take(limit)
        .map(|(i, at)| json!({"id": format!("e{i}"), "created_at": at}))
        .collect();
    Json(json!({"data": page, "object": "list"})).into_response()
}
