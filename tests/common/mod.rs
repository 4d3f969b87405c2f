//! A local server implementing the seed's API: `POST /v1/datasets/uploads/{upload_id}/complete`.
//! It records every request and answers according to the upload id.

#![allow(dead_code)]

pub mod native;
pub mod openai;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "test-token-5ecret";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path exactly as it arrived (still percent-encoded).
    pub raw_path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub user_agent: Option<String>,
    pub body: Value,
}

#[derive(Clone, Default)]
pub struct Server {
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

pub struct Running {
    pub base_url: String,
    pub server: Server,
}

impl Running {
    pub fn requests(&self) -> Vec<Recorded> {
        self.server.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("the server received no request")
    }
}

/// The seed's routes (as the fallback of whatever is merged with it).
pub fn router(server: Server) -> Router {
    Router::new().fallback(handle).with_state(server)
}

pub async fn start() -> Running {
    let server = Server::default();
    let app = router(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Running { base_url: format!("http://{addr}"), server }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..(i + 3).min(s.len())], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn upload_response(upload_id: &str, status: &str, project: Option<&str>) -> Value {
    json!({
        "id": upload_id,
        "upload_info": {
            "status": status,
            "dataset": {
                "id": "ds-1",
                "name": "example_dataset",
                "schema": [
                    {"name": "text", "type": {"name": "string"}},
                    {"name": "text_1", "type": {"item": {"name": "string"}, "name": "option"}},
                    {"name": "deep", "type": {"name": "option", "item": {"name": "option", "item": {"name": "integer"}}}}
                ],
                "folder": "/some/folder"
            },
            "error": null,
            "created_at": 1760109124,
            "completed_at": 1760109125,
            "ai_project_id": project
        }
    })
}

async fn handle(State(server): State<Server>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let recorded = Recorded {
        method: method.to_string(),
        raw_path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        authorization: header("authorization"),
        content_type: header("content-type"),
        user_agent: header("user-agent"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    if let Ok(mut r) = server.requests.lock() {
        r.push(recorded.clone());
    }
    let segment = uri
        .path()
        .strip_prefix("/v1/datasets/uploads/")
        .and_then(|rest| rest.strip_suffix("/complete"))
        .filter(|s| !s.contains('/'));
    let (Some(segment), true) = (segment, method == Method::POST) else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({"detail": "Not Found"}))).into_response();
    };
    if recorded.authorization.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"detail": "Not authenticated"}))).into_response();
    }
    let upload_id = percent_decode(segment);
    let project = uri.query().and_then(|q| {
        q.split('&').find_map(|kv| kv.strip_prefix("ai_project_id=")).map(|v| percent_decode(&v.replace('+', " ")))
    });
    if recorded.body.get("part_ids").and_then(Value::as_array).is_none() {
        let detail = json!({"detail": [{"loc": ["body", "part_ids"], "msg": "Field required", "type": "missing"}]});
        return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(detail)).into_response();
    }
    let seen =
        server.requests.lock().map(|r| r.iter().filter(|q| q.raw_path == recorded.raw_path).count()).unwrap_or(0);
    match upload_id.as_str() {
        // 503 twice (asking to retry at once), then success.
        id if id.starts_with("flaky") && seen <= 2 => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"detail": "overloaded"}))).into_response();
            r.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("0"));
            r
        }
        id if id.starts_with("down") => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"detail": "overloaded"}))).into_response();
            r.headers_mut().insert("x-request-id", axum::http::HeaderValue::from_static("req-down-1"));
            r
        }
        "fail422" => {
            let detail = json!({"detail": [
                {"loc": ["path", "upload_id"], "msg": "Upload is not ready", "type": "value_error"},
                {"loc": ["body", "part_ids", 0], "msg": "Unknown part", "type": "value_error"}
            ]});
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(detail)).into_response()
        }
        "missing" => (StatusCode::NOT_FOUND, axum::Json(json!({"detail": "Upload missing not found"}))).into_response(),
        "teapot" => (StatusCode::IM_A_TEAPOT, "short and stout").into_response(),
        "garbage" => (StatusCode::OK, "<html>not json</html>").into_response(),
        "archived" => axum::Json(upload_response(&upload_id, "ARCHIVED", project.as_deref())).into_response(),
        _ => axum::Json(upload_response(&upload_id, "COMPLETED", project.as_deref())).into_response(),
    }
}
