//! A local server for Nebius's own API, with state in memory: uploads
//! (created, their parts listed, completed into a dataset), datasets (read,
//! renamed, their rows read by `limit`/`offset`), operations (listed newest
//! first, paged by `cursor_time`, and read one by one) and custom models
//! (created, read and deleted by vendor and name, archives uploaded). It
//! answers as the reference pages show: FastAPI's `{"detail": ..}` bodies,
//! 404 and 422.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::TOKEN;
use nebius_token_factory::runtime::chrono;

/// Unix seconds of 2025-10-10T15:12:04Z, the reference's example timestamp.
pub const T0: i64 = 1760109124;

#[derive(Default)]
pub struct Store {
    uploads: HashMap<String, Value>,
    datasets: HashMap<String, Value>,
    rows: HashMap<String, Vec<Value>>,
    /// Newest first.
    pub operations: Vec<Value>,
    /// Every `cursor_time` a list request sent, in order.
    pub cursors: Vec<Option<String>>,
    /// Custom models by full name (`vendor/name`).
    models: HashMap<String, Value>,
    /// Each uploaded archive: (file name, bytes, the part's content type).
    pub archives: Vec<(String, usize, String)>,
}

pub type Shared = Arc<Mutex<Store>>;

pub struct Running {
    pub base_url: String,
    pub state: Shared,
}

/// Start the server with `operations` operations (created a minute apart,
/// the newest at `T0`) and one dataset, `ds-rows`, of `rows` rows.
pub async fn start(operations: usize, rows: usize) -> Running {
    let state: Shared = Arc::default();
    if let Ok(mut s) = state.lock() {
        s.operations = (0..operations).map(|i| operation(&format!("op-{i}"), T0 - 60 * i as i64)).collect();
        let ds = dataset("ds-rows", "rows", "/data");
        s.datasets.insert("ds-rows".into(), ds);
        s.rows.insert("ds-rows".into(), (0..rows).map(|i| json!({"text": format!("row {i}")})).collect());
    }
    let app = Router::new()
        .route("/v1/datasets", post(create_dataset))
        .route("/v1/datasets/uploads", post(create_upload))
        .route("/v1/datasets/uploads/{id}/parts", get(list_parts))
        .route("/v1/datasets/uploads/{id}/complete", post(complete))
        .route("/v1/datasets/{id}", get(get_dataset).patch(patch_dataset))
        .route("/v1/datasets/{id}/content", get(content))
        .route("/v1/operations", get(list_operations))
        .route("/v1/operations/{id}", get(get_operation))
        .route("/v1/operations/{id}/results", get(operation_results))
        .route("/v0/models", post(create_model).get(list_models))
        .route("/v0/models/{name}", get(get_model_by_name))
        .route("/v0/models/upload", post(upload_archive))
        .route("/v0/models/{vendor}/{name}", get(get_model).delete(delete_model))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Running { base_url: format!("http://{addr}"), state }
}

fn operation(id: &str, created_at: i64) -> Value {
    json!({
        "id": id, "type": "yql", "params": {"query": "SELECT * FROM {src_0}"},
        "src": [{"id": "ds-rows", "version": "v1", "mapping": {"type": "text_messages"}}],
        "dst": [{"id": "ds-out", "version": null}],
        "status": "succeeded", "created_at": created_at, "in_progress_at": created_at, "finished_at": created_at + 5,
        "ai_project_id": null
    })
}

fn dataset(id: &str, name: &str, folder: &str) -> Value {
    json!({
        "id": id, "name": name, "status": "READY",
        "schema": [{"name": "text", "type": {"name": "string"}}],
        "metadata": {}, "folder": folder, "current_version": "v1", "created_at": T0, "error": null,
        "type": "dataset", "ai_project_id": null
    })
}

fn detail(status: StatusCode, detail: Value) -> Response {
    (status, Json(json!({ "detail": detail }))).into_response()
}

fn missing(what: &str) -> Response {
    detail(StatusCode::NOT_FOUND, json!(format!("{what} not found")))
}

/// The 401 for a request without the test token.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(v) if v == format!("Bearer {TOKEN}") => None,
        _ => Some(detail(StatusCode::UNAUTHORIZED, json!("Not authenticated"))),
    }
}

/// FastAPI's 422 for the first of `fields` the body lacks.
fn missing_field(body: &Value, fields: &[&str]) -> Option<Response> {
    let field = fields.iter().find(|f| body.get(**f).is_none())?;
    let problem = json!([{"loc": ["body", field], "msg": "Field required", "type": "missing"}]);
    Some(detail(StatusCode::UNPROCESSABLE_ENTITY, problem))
}

/// A dataset from rows: each row must hold every column of the schema, or
/// the answer is FastAPI's 422 naming the row and column.
async fn create_dataset(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = unauthorized(&headers).or_else(|| missing_field(&body, &["name", "schema", "folder", "rows"])) {
        return r;
    }
    let columns: Vec<String> =
        body["schema"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str().map(str::to_owned)).collect();
    let rows = body["rows"].as_array().cloned().unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        if let Some(column) = columns.iter().find(|c| row.get(c.as_str()).is_none()) {
            let problem = json!([{"loc": ["body", "rows", i, column], "msg": "Field required", "type": "missing"}]);
            return detail(StatusCode::UNPROCESSABLE_ENTITY, problem);
        }
    }
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let id = format!("ds-{}", s.datasets.len() + 1);
    let mut created =
        dataset(&id, body["name"].as_str().unwrap_or_default(), body["folder"].as_str().unwrap_or_default());
    created["schema"] = body["schema"].clone();
    created["ai_project_id"] = body.get("ai_project_id").cloned().unwrap_or(Value::Null);
    s.datasets.insert(id.clone(), created.clone());
    s.rows.insert(id, rows);
    if let Some(fields) = created.as_object_mut() {
        fields.remove("type");
    }
    Json(created).into_response()
}

async fn create_upload(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = unauthorized(&headers).or_else(|| missing_field(&body, &["name", "schema", "folder"])) {
        return r;
    }
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let id = format!("up-{}", s.uploads.len() + 1);
    let upload = json!({
        "id": id,
        "upload_info": {
            "status": "PENDING",
            "dataset": {"name": body["name"], "schema": body["schema"], "folder": body["folder"], "id": null},
            "error": null, "created_at": T0, "completed_at": null, "ai_project_id": null
        }
    });
    s.uploads.insert(id, upload.clone());
    Json(upload).into_response()
}

/// Parts are sent out of band (no page documents how): every upload has two.
async fn list_parts(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    let known = s.lock().map(|s| s.uploads.contains_key(&id)).unwrap_or(false);
    if !known {
        return missing("Upload");
    }
    let parts = json!([{"part_id": format!("{id}-p1"), "size": 5}, {"part_id": format!("{id}-p2"), "size": 7}]);
    Json(json!({"object": "list", "data": parts})).into_response()
}

async fn complete(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = unauthorized(&headers).or_else(|| missing_field(&body, &["part_ids"])) {
        return r;
    }
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let Some(mut upload) = s.uploads.get(&id).cloned() else { return missing("Upload") };
    let expected = json!([format!("{id}-p1"), format!("{id}-p2")]);
    if body["part_ids"] != expected {
        let loc = json!(["body", "part_ids"]);
        return detail(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!([{"loc": loc, "msg": "Unknown part", "type": "value_error"}]),
        );
    }
    let dataset_id = format!("ds-{id}");
    let info = &mut upload["upload_info"];
    info["status"] = json!("COMPLETED");
    info["completed_at"] = json!(T0 + 1);
    info["dataset"]["id"] = json!(dataset_id);
    let name = info["dataset"]["name"].as_str().unwrap_or_default().to_string();
    let folder = info["dataset"]["folder"].as_str().unwrap_or_default().to_string();
    s.datasets.insert(dataset_id.clone(), dataset(&dataset_id, &name, &folder));
    s.uploads.insert(id, upload.clone());
    Json(upload).into_response()
}

async fn get_dataset(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    match s.lock().ok().and_then(|s| s.datasets.get(&id).cloned()) {
        Some(d) => Json(d).into_response(),
        None => missing("Dataset"),
    }
}

async fn patch_dataset(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let Some(d) = s.datasets.get_mut(&id) else { return missing("Dataset") };
    for key in ["name", "folder"] {
        match body.get(key) {
            Some(Value::String(v)) if v.is_empty() => {
                let problem = json!([{"loc": ["body", key], "msg": "String should have at least 1 character", "type": "string_too_short"}]);
                return detail(StatusCode::UNPROCESSABLE_ENTITY, problem);
            }
            Some(Value::String(v)) => d[key] = json!(v),
            _ => {}
        }
    }
    Json(d.clone()).into_response()
}

async fn content(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    let limit = q.get("limit").and_then(|v| v.parse::<usize>().ok()).unwrap_or(100);
    let offset = q.get("offset").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    if !(1..=1000).contains(&limit) {
        let problem = json!([{"loc": ["query", "limit"], "msg": "Input should be between 1 and 1000", "type": "less_than_equal"}]);
        return detail(StatusCode::UNPROCESSABLE_ENTITY, problem);
    }
    match s.lock().ok().and_then(|s| s.rows.get(&id).cloned()) {
        Some(rows) => Json(rows.into_iter().skip(offset).take(limit).collect::<Vec<_>>()).into_response(),
        None => missing("Dataset"),
    }
}

/// Newest first; `cursor_time` (ISO 8601) keeps those created before it.
async fn list_operations(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    let limit = q.get("limit").and_then(|v| v.parse::<usize>().ok()).unwrap_or(100);
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let cursor = q.get("cursor_time").cloned();
    s.cursors.push(cursor.clone());
    let before = match cursor.as_deref().map(parse_time) {
        Some(Some(t)) => t,
        Some(None) => {
            let problem = json!([{"loc": ["query", "cursor_time"], "msg": "Input should be a valid datetime", "type": "datetime_parsing"}]);
            return detail(StatusCode::UNPROCESSABLE_ENTITY, problem);
        }
        None => i64::MAX,
    };
    let data: Vec<Value> = s
        .operations
        .iter()
        .filter(|o| o["created_at"].as_i64().is_some_and(|t| t < before))
        .take(limit)
        .cloned()
        .collect();
    Json(json!({"object": "list", "data": data})).into_response()
}

async fn get_operation(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    match s.lock().ok().and_then(|s| s.operations.iter().find(|o| o["id"] == json!(id)).cloned()) {
        Some(o) => Json(o).into_response(),
        None => missing("Operation"),
    }
}

/// A fine-tuning's checkpoints, as OpenAI lists them.
async fn operation_results(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    if !s.lock().is_ok_and(|s| s.operations.iter().any(|o| o["id"] == json!(id))) {
        return missing("Operation");
    }
    let checkpoint = json!({"id": format!("{id}:ftckpt_1"), "object": "fine_tuning.job.checkpoint", "step_number": 10});
    Json(json!({"object": "list", "data": [checkpoint], "has_more": false})).into_response()
}

/// A custom model is named `<vendor>/<name>`: the vendor is the user's (`me`).
async fn create_model(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = unauthorized(&headers).or_else(|| missing_field(&body, &["name", "base_model", "source"])) {
        return r;
    }
    let Ok(mut s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let full = format!("me/{}", body["name"].as_str().unwrap_or_default());
    let model = json!({
        "name": full, "base_model": body["base_model"], "source": body["source"],
        "description": body.get("description").cloned().unwrap_or(Value::Null),
        "created_at": T0, "status": "validating"
    });
    s.models.insert(full, model.clone());
    Json(model).into_response()
}

async fn get_model(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((vendor, name)): Path<(String, String)>,
) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    match s.lock().ok().and_then(|s| s.models.get(&format!("{vendor}/{name}")).cloned()) {
        Some(model) => Json(info(&model)).into_response(),
        None => missing("Model"),
    }
}

/// A model by its short name: the user's own (`me/<name>`).
async fn get_model_by_name(State(s): State<Shared>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    match s.lock().ok().and_then(|s| s.models.get(&format!("me/{name}")).cloned()) {
        Some(model) => Json(info(&model)).into_response(),
        None => missing("Model"),
    }
}

/// Every custom model, by full name, in the info form.
async fn list_models(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    let Ok(s) = s.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let mut names: Vec<&String> = s.models.keys().collect();
    names.sort();
    Json(Value::Array(names.into_iter().filter_map(|n| s.models.get(n)).map(info).collect())).into_response()
}

/// The info form of a model: what the status form says, and members no page lists.
fn info(model: &Value) -> Value {
    let name = model["name"].as_str().unwrap_or_default();
    let vendor = name.split_once('/').map_or("", |(v, _)| v);
    json!({
        "type": "text2text", "name": name, "created_at": T0, "description": model["description"],
        "deprecated": false, "status": "active", "vendor": vendor,
        "flavors": [{"model_id": name, "quantization": "fp8", "limits": {"requests_per_minute": 60}}],
        "tags": ["custom"], "context_window_k": 128, "checkpoint_id": null, "hosting": "dedicated"
    })
}

async fn delete_model(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((vendor, name)): Path<(String, String)>,
) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    match s.lock().ok().and_then(|mut s| s.models.remove(&format!("{vendor}/{name}"))) {
        Some(mut model) => {
            model["status"] = json!("deleted");
            Json(model).into_response()
        }
        None => missing("Model"),
    }
}

/// Takes the multipart body's `file` part and answers with the stored file.
async fn upload_archive(State(s): State<Shared>, headers: HeaderMap, mut form: axum::extract::Multipart) -> Response {
    if let Some(r) = unauthorized(&headers) {
        return r;
    }
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        let content_type = field.content_type().unwrap_or_default().to_string();
        let Ok(data) = field.bytes().await else { return StatusCode::BAD_REQUEST.into_response() };
        if let Ok(mut s) = s.lock() {
            s.archives.push((name.clone(), data.len(), content_type));
        }
        return Json(json!({
            "id": "file-archive-1", "bytes": data.len(), "created_at": T0, "filename": name,
            "object": "file", "purpose": "custom-model", "status": "uploaded", "status_details": null
        }))
        .into_response();
    }
    detail(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!([{"loc": ["body", "file"], "msg": "Field required", "type": "missing"}]),
    )
}

/// An ISO 8601 timestamp to Unix seconds.
fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp())
}
