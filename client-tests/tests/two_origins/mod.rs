//! Two local servers on two ports (two origins) for the tests of where
//! credentials go: the first answers with the redirect a request asks for
//! (`x-redirect: <status> <same|other|self>`), the second records what
//! reaches it, header by header; a client that holds a secret of every
//! scheme the every-kind spec declares.

#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use client_tests::{Client, Error};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const BEARER: &str = "bearer-secret-1";
pub const BASIC_PASSWORD: &str = "basic-secret-2";
pub const HEADER_KEY: &str = "header-secret-3";
pub const QUERY_KEY: &str = "query-secret-4";
pub const COOKIE_KEY: &str = "cookie-secret-5";
pub const SECRET_DEFAULT: &str = "default-secret-6";
pub const SECRETS: [&str; 6] = [BEARER, BASIC_PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY, SECRET_DEFAULT];

/// What one request carried.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    /// Whether any secret appears anywhere in the request, in any encoding
    /// the client could have used (basic credentials are base64).
    pub fn leaks(&self) -> Vec<String> {
        let mut text = format!("{} {}?{}\n", self.method, self.path, self.query.clone().unwrap_or_default());
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())));
            if let Some(basic) = value.to_str().ok().and_then(|v| v.strip_prefix("Basic ")) {
                use base64::Engine;
                let decoded = base64::engine::general_purpose::STANDARD.decode(basic).unwrap_or_default();
                text.push_str(&String::from_utf8_lossy(&decoded));
            }
        }
        text.push_str(&String::from_utf8_lossy(&self.body));
        SECRETS.iter().filter(|s| text.contains(*s)).map(|s| s.to_string()).collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }
    fn push(&self, seen: Seen) {
        if let Ok(mut l) = self.0.lock() {
            l.push(seen);
        }
    }
}

#[derive(Clone)]
pub struct Origin {
    log: Log,
    /// The other origin's base URL (for the first server's redirects).
    other: Arc<Mutex<String>>,
}

/// The first origin: a request carrying `x-redirect: <status> <same|other|self>`
/// is answered with that redirect (to `/landed` here, there, or back to the
/// same path); any other request is recorded and echoed.
async fn first(State(o): State<Origin>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let seen = Seen {
        method: parts.method.clone(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.to_vec(),
    };
    o.log.push(seen.clone());
    let wanted = seen.header("x-redirect").map(str::to_owned);
    match wanted.as_deref().and_then(|w| w.split_once(' ')) {
        Some((status, to)) if seen.path != "/landed" => {
            let status = status.parse::<u16>().ok().and_then(|s| StatusCode::from_u16(s).ok());
            let location = match to {
                "other" => format!("{}/landed?page=2", o.other.lock().map(|u| u.clone()).unwrap_or_default()),
                "self" => seen.path.clone(),
                _ => "/landed?page=2".to_string(),
            };
            (status.unwrap_or(StatusCode::FOUND), [("location", location)]).into_response()
        }
        _ => echo(&seen),
    }
}

/// The second origin: records and echoes everything.
async fn second(State(o): State<Origin>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let seen = Seen {
        method,
        path: uri.path().to_string(),
        query: uri.query().map(str::to_owned),
        headers,
        body: body.to_vec(),
    };
    o.log.push(seen.clone());
    echo(&seen)
}

fn echo(seen: &Seen) -> Response {
    Json(json!({"method": seen.method.as_str(), "path": seen.path, "query": seen.query})).into_response()
}

pub struct Servers {
    pub a: String,
    pub b: String,
    pub a_log: Log,
    pub b_log: Log,
}

pub async fn servers() -> Servers {
    let (a_log, b_log) = (Log::default(), Log::default());
    let other = Arc::new(Mutex::new(String::new()));
    let b_app = Router::new().fallback(second).with_state(Origin { log: b_log.clone(), other: other.clone() });
    let a_app = Router::new().fallback(first).with_state(Origin { log: a_log.clone(), other: other.clone() });
    let bind = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1") };
    let (a_listener, b_listener) = (bind().await, bind().await);
    let a = format!("http://{}", a_listener.local_addr().expect("an address"));
    let b = format!("http://{}", b_listener.local_addr().expect("an address"));
    if let Ok(mut o) = other.lock() {
        o.clone_from(&b);
    }
    tokio::spawn(async move { axum::serve(a_listener, a_app).await });
    tokio::spawn(async move { axum::serve(b_listener, b_app).await });
    Servers { a, b, a_log, b_log }
}

pub fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(BEARER)
        .basic_credential("basic", "user", BASIC_PASSWORD)
        .credential("headerKey", HEADER_KEY)
        .credential("queryKey", QUERY_KEY)
        .credential("cookieKey", COOKIE_KEY)
        .secret_header("x-secret-default", SECRET_DEFAULT)
        .default_header("x-public-default", "public")
        .max_retries(0)
        .build()
        .expect("a client")
}

/// Each operation of the spec's schemes, without a body, redirected as `how`.
pub async fn call_every_scheme(c: &Client, how: &str) -> Vec<Result<Value, String>> {
    type Received = std::collections::BTreeMap<String, Value>;
    let shown = |r: Result<Received, Error>| r.map(|m| json!(m)).map_err(|e| e.to_string());
    vec![
        shown(c.auth_bearer().with_header("x-redirect", how).await),
        shown(c.auth_basic().with_header("x-redirect", how).await),
        shown(c.auth_header().with_header("x-redirect", how).await),
        shown(c.auth_query().with_header("x-redirect", how).await),
        shown(c.search("q").with_header("x-redirect", how).await),
    ]
}
