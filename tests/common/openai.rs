//! A local server for the OpenAI-compatible part of the API: chat and text
//! completions (JSON and server-sent events), embeddings, file uploads
//! (multipart) and downloads, and models. It records what it receives.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// What a request carried, in a form tests compare easily.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    /// The JSON body, or for multipart the parts as `{name: text}` plus
    /// `{name: {"filename", "content_type", "text"}}` for files.
    pub body: Value,
}

#[derive(Clone, Default)]
pub struct OpenAi {
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl OpenAi {
    pub fn last(&self) -> Received {
        self.received.lock().ok().and_then(|r| r.last().cloned()).expect("the server received no request")
    }

    fn record(&self, uri: &Uri, headers: &HeaderMap, body: Value) {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if let Ok(mut r) = self.received.lock() {
            r.push(Received {
                path: uri.path().into(),
                query: uri.query().map(str::to_owned),
                authorization: header("authorization"),
                accept: header("accept"),
                body,
            });
        }
    }
}

pub struct RunningOpenAi {
    pub base_url: String,
    pub server: OpenAi,
    /// The Nebius datasets routes, served beside the OpenAI ones.
    pub nebius: super::Server,
}

pub async fn start() -> RunningOpenAi {
    let server = OpenAi::default();
    let nebius = super::Server::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/completions", post(completion))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/responses", post(responses))
        .route("/v1/files", post(upload).get(list_files))
        .route("/v1/files/{file_id}/content", get(file_content))
        .route("/v1/models", get(models))
        .route("/v1/images/generations", post(images))
        .route("/v1/batches", post(create_batch))
        .route("/v1/batches/{batch_id}", get(retrieve_batch))
        .route("/v1/fine_tuning/jobs", post(create_fine_tuning_job))
        .with_state(server.clone())
        .merge(super::router(nebius.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    RunningOpenAi { base_url: format!("http://{addr}"), server, nebius }
}

/// The words of a reply: "Echo: " and the prompt.
fn reply_words(body: &Value) -> Vec<String> {
    let prompt = body["messages"][0]["content"].as_str().unwrap_or("").to_string();
    if body["model"] == "verbatim-model" {
        // The prompt back as it is (JSON for the structured-output tests).
        return vec![prompt];
    }
    let mut words = vec!["Echo:".to_string()];
    words.extend(prompt.split(' ').map(|w| format!(" {w}")));
    words
}

async fn chat(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    s.record(&uri, &headers, body.clone());
    let model = body["model"].as_str().unwrap_or("").to_string();
    if model == "missing-model" {
        let error = json!({"error": {"message": "The model `missing-model` does not exist", "type": "invalid_request_error", "param": null, "code": "model_not_found"}});
        return (StatusCode::NOT_FOUND, [("x-request-id", "req-404")], Json(error)).into_response();
    }
    if model == "bad-key" {
        // Undeclared by OpenAI's spec: a 401 with OpenAI's error body.
        let error = json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}});
        return (StatusCode::UNAUTHORIZED, [("x-request-id", "req-401")], Json(error)).into_response();
    }
    if model == "text-model" {
        // A server that answers what the spec declares as JSON with plain text.
        return ([("content-type", "text/plain")], "Echo: not JSON\n").into_response();
    }
    // `reasoning-model`: what vLLM-style servers (Nebius's among them) add
    // beyond OpenAI's spec: `reasoning_content` in messages and deltas, and
    // members the spec does not list; `object` (one allowed value) left out.
    let reasoning = model == "reasoning-model";
    let words = reply_words(&body);
    if body["stream"] != json!(true) {
        let mut message = json!({"role": "assistant", "content": words.concat(), "refusal": null});
        let mut completion = json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null, "message": null}],
            "usage": {"prompt_tokens": 3, "completion_tokens": words.len(), "total_tokens": 3 + words.len()}
        });
        if reasoning {
            message["reasoning_content"] = json!("The user said hi.");
            completion["prompt_logprobs"] = json!(null);
            completion["kv_transfer_params"] = json!({"node": 7, "tags": ["a", "b"]});
            if let Some(c) = completion.as_object_mut() {
                c.remove("object");
            }
        }
        completion["choices"][0]["message"] = message;
        return Json(completion).into_response();
    }
    let mut sse = String::new();
    for (i, w) in words.iter().enumerate() {
        let mut delta = if i == 0 { json!({"role": "assistant", "content": w}) } else { json!({"content": w}) };
        if reasoning {
            delta["reasoning_content"] = json!(format!("thought {i}"));
        }
        let chunk = json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                           "choices": [{"index": 0, "delta": delta, "finish_reason": null}]});
        sse.push_str(&format!("data: {chunk}\n\n"));
    }
    // `cut-model`: a server that fails mid-stream and ends the body cleanly
    // (as Starlette's BaseHTTPMiddleware does): no `[DONE]`.
    if model != "cut-model" {
        sse.push_str("data: [DONE]\n\n");
    }
    ([("content-type", "text/event-stream")], sse).into_response()
}

async fn completion(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    s.record(&uri, &headers, body.clone());
    Json(json!({"id": "cmpl-1", "object": "text_completion", "created": 1700000000, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null, "text": "Echo"}]}))
    .into_response()
}

/// The vector every embedding reply holds.
pub const EMBEDDING: [f32; 3] = [0.25, -0.5, 0.1];

/// One embedding of [`EMBEDDING`]: as JSON numbers, or, when the request asks
/// for `encoding_format: base64`, as base64 of its little-endian float32
/// bytes, as OpenAI-compatible servers answer. The input `ragged` gets 6
/// bytes of base64 (not a whole number of floats).
async fn embeddings(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    use base64::Engine as _;
    s.record(&uri, &headers, body.clone());
    let bytes: Vec<u8> = match body["input"].as_str() {
        Some("ragged") => vec![0; 6],
        _ => EMBEDDING.iter().flat_map(|v| v.to_le_bytes()).collect(),
    };
    let embedding = match body["encoding_format"].as_str() {
        Some("base64") => json!(base64::engine::general_purpose::STANDARD.encode(bytes)),
        // Each float32 printed in its shortest form, as servers print them.
        _ => json!(EMBEDDING.map(|v| v.to_string().parse::<f64>().unwrap_or(f64::NAN))),
    };
    Json(json!({"object": "list", "model": body["model"],
                "data": [{"object": "embedding", "index": 0, "embedding": embedding}],
                "usage": {"prompt_tokens": 2, "total_tokens": 2}, "service_tier": "flex"}))
    .into_response()
}

/// One generated image, base64 of its file.
async fn images(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    s.record(&uri, &headers, body.clone());
    Json(json!({"created": 1700000000, "data": [{"b64_json": "UklGRg=="}], "id": "img-1"})).into_response()
}

/// The batch created, with the override settings it was given.
async fn create_batch(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    s.record(&uri, &headers, body.clone());
    Json(
        json!({"id": "batch-1", "object": "batch", "endpoint": body["endpoint"], "input_file_id": body["input_file_id"],
                "completion_window": body["completion_window"], "status": "validating", "created_at": 1700000000,
                "request_counts": {"total": 0, "completed": 0, "failed": 0},
                "override_settings": body["override_settings"]}),
    )
    .into_response()
}

/// A batch read again and again: in progress twice, then completed with an
/// output file.
async fn retrieve_batch(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.record(&uri, &headers, Value::String(id.clone()));
    let polls = s.received.lock().map(|r| r.iter().filter(|x| x.path == uri.path()).count()).unwrap_or(0);
    let (status, done, output) =
        if polls < 3 { ("in_progress", 1, Value::Null) } else { ("completed", 2, json!("file-out")) };
    Json(json!({"id": id, "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": "file-abc",
                "completion_window": "24h", "status": status, "created_at": 1700000000, "output_file_id": output,
                "request_counts": {"total": 2, "completed": done, "failed": 0}}))
    .into_response()
}

/// The job created: the hyperparameters it was given, and its steps.
async fn create_fine_tuning_job(
    State(s): State<OpenAi>,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    s.record(&uri, &headers, body.clone());
    Json(json!({"id": "ftjob-1", "object": "fine_tuning.job", "created_at": 1700000000, "error": null,
                "finished_at": null, "fine_tuned_model": null, "hyperparameters": body["hyperparameters"],
                "model": body["model"], "organization_id": "", "result_files": [], "status": "queued",
                "trained_tokens": null, "training_file": body["training_file"], "validation_file": null,
                "seed": 42, "trained_steps": 0, "total_steps": 120}))
    .into_response()
}

/// A streamed response: the reply's text deltas as server-sent events.
async fn responses(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    s.record(&uri, &headers, body.clone());
    let mut sse = String::new();
    for (i, delta) in ["Hel", "lo"].iter().enumerate() {
        let event = json!({"type": "response.output_text.delta", "item_id": "msg-1", "output_index": 0,
                           "content_index": 0, "delta": delta, "sequence_number": i, "logprobs": []});
        sse.push_str(&format!("event: response.output_text.delta\ndata: {event}\n\n"));
    }
    ([("content-type", "text/event-stream")], sse).into_response()
}

/// A batch-result file: JSONL with non-ASCII text, large enough to arrive in many chunks.
pub fn jsonl_file() -> Vec<u8> {
    (0..3000)
        .map(|i| format!("{{\"custom_id\": \"req-{i}\", \"text\": \"naïve café, 日本語, emoji 🦀 #{i}\"}}\n"))
        .collect::<String>()
        .into_bytes()
}

async fn file_content(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, Path(id): Path<String>) -> Response {
    s.record(&uri, &headers, Value::String(id));
    ([("content-type", "application/octet-stream")], jsonl_file()).into_response()
}

async fn upload(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap, mut form: Multipart) -> Response {
    let mut parts = serde_json::Map::new();
    let mut size = 0;
    let mut filename = String::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        let file = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.unwrap_or_default();
        let text = String::from_utf8_lossy(&data).into_owned();
        match file {
            Some(f) => {
                size = data.len();
                filename = f.clone();
                parts.insert(name, json!({"filename": f, "content_type": content_type, "text": text}));
            }
            None => {
                parts.insert(name, Value::String(text));
            }
        }
    }
    let purpose = parts.get("purpose").cloned().unwrap_or(Value::Null);
    s.record(&uri, &headers, Value::Object(parts));
    Json(json!({"id": "file-abc", "object": "file", "bytes": size, "created_at": 1700000000,
                "filename": filename, "purpose": purpose, "status": "uploaded"}))
    .into_response()
}

/// Seven files, `file-0` to `file-6` (odd ones for `batch`, even ones for
/// `fine-tune`), listed OpenAI's way: `limit` (default 3) after the id
/// `after`, with `has_more`, `first_id` and `last_id`.
async fn list_files(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap) -> Response {
    s.record(&uri, &headers, Value::Null);
    let query: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let limit: usize = get("limit").and_then(|l| l.parse().ok()).unwrap_or(3);
    let purpose = get("purpose");
    let files: Vec<Value> = (0..7)
        .map(|i| {
            let purpose = if i % 2 == 1 { "batch" } else { "fine-tune" };
            json!({"id": format!("file-{i}"), "object": "file", "bytes": 100 + i, "created_at": 1700000000 + i,
                   "filename": format!("data-{i}.jsonl"), "purpose": purpose, "status": "processed"})
        })
        .filter(|f| purpose.as_deref().is_none_or(|p| f["purpose"] == p))
        .collect();
    let start = match get("after") {
        Some(after) => files.iter().position(|f| f["id"] == after.as_str()).map_or(files.len(), |i| i + 1),
        None => 0,
    };
    let page: Vec<Value> = files.iter().skip(start).take(limit).cloned().collect();
    let id = |f: Option<&Value>| f.map_or(Value::Null, |f| f["id"].clone());
    Json(json!({"object": "list", "data": page, "first_id": id(page.first()), "last_id": id(page.last()),
                "has_more": start + page.len() < files.len()}))
    .into_response()
}

async fn models(State(s): State<OpenAi>, uri: Uri, headers: HeaderMap) -> Response {
    s.record(&uri, &headers, Value::Null);
    Json(json!({"object": "list", "data": [
        {"id": "meta-llama/Llama-3.3-70B-Instruct", "object": "model", "created": 1700000000, "owned_by": "nebius"},
        {"id": "Qwen/Qwen3-235B-A22B", "object": "model", "created": 1700000001, "owned_by": "nebius"}
    ]}))
    .into_response()
}
