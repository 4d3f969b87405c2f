//! A mock server for tests of code that uses a generated client (the `mock`
//! feature): real HTTP on 127.0.0.1 with an ephemeral port, built on axum.
//!
//! Expectations name an operation (method and path template), optionally
//! match its request, and say what to answer: JSON, server-sent events
//! ending with the protocol's marker or cut short, bytes, any status, with
//! headers and a delay. A request no expectation matches is answered `418`
//! with a message naming the closest expectation, and fails the test when
//! the server is dropped; so does an expectation that was not met.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A request the mock server received.
#[derive(Debug, Clone)]
pub struct MockRequest {
    pub method: Method,
    pub path: String,
    /// The query's pairs, decoded.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl MockRequest {
    /// The body decoded as JSON into `T` (`None` when it does not decode).
    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What an expectation answers.
#[derive(Debug, Clone)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: MockBody,
    delay: Option<Duration>,
}

#[derive(Debug, Clone)]
enum MockBody {
    Empty,
    Bytes {
        content_type: String,
        data: Bytes,
    },
    /// Server-sent events, each a `data:` line, then the end marker if any.
    Events {
        data: Vec<String>,
        end: Option<String>,
    },
}

impl MockResponse {
    /// An empty response with this status.
    pub fn status(status: u16) -> Self {
        MockResponse { status, headers: Vec::new(), body: MockBody::Empty, delay: None }
    }

    /// A `200` JSON body (a value that cannot be encoded answers `500`).
    pub fn json<T: Serialize + ?Sized>(body: &T) -> Self {
        MockResponse::status(200).with_json(body)
    }

    /// This status with a JSON body.
    pub fn with_json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(data) => self.with_bytes("application/json", data),
            Err(e) => MockResponse::status(500).with_bytes("text/plain", format!("cannot encode the mock body: {e}")),
        }
    }

    /// This status with a body of bytes.
    pub fn with_bytes(mut self, content_type: &str, data: impl Into<Bytes>) -> Self {
        self.body = MockBody::Bytes { content_type: content_type.to_string(), data: data.into() };
        self
    }

    /// `200` server-sent events, one per item encoded as JSON, then the
    /// event `end` (OpenAI's `[DONE]`) if given; without it the stream is
    /// cut short, as a server that failed mid-stream.
    pub fn events<T: Serialize>(items: &[T], end: Option<&str>) -> Self {
        let data = items.iter().map(|i| serde_json::to_string(i).unwrap_or_default()).collect();
        MockResponse { body: MockBody::Events { data, end: end.map(str::to_string) }, ..MockResponse::status(200) }
    }

    /// A response header (`retry-after`, `x-request-id`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Answer after this long.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    fn into_response(self) -> Response {
        let (content_type, body) = match self.body {
            MockBody::Empty => (None, Body::empty()),
            MockBody::Bytes { content_type, data } => (Some(content_type), Body::from(data)),
            MockBody::Events { data, end } => {
                let mut text: String = data.iter().map(|d| format!("data: {d}\n\n")).collect();
                if let Some(end) = end {
                    text.push_str(&format!("data: {end}\n\n"));
                }
                (Some("text/event-stream".to_string()), Body::from(text))
            }
        };
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Some(ct) = content_type.and_then(|ct| HeaderValue::from_str(&ct).ok()) {
            headers.insert("content-type", ct);
        }
        for (name, value) in self.headers {
            if let (Ok(n), Ok(v)) = (axum::http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value))
            {
                headers.append(n, v);
            }
        }
        response
    }
}

type Matcher = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

/// The status of a request no expectation matches: a 4xx no client retries
/// and no spec documents (`418`), so the test sees it at once.
pub const UNMATCHED: u16 = 418;

/// One expected call: an operation, an optional match on its request, and
/// the answers (the last one repeats).
struct Expectation {
    operation: &'static str,
    method: Method,
    template: &'static str,
    matcher: Option<Matcher>,
    responses: Vec<MockResponse>,
    /// How many calls it must see: exactly, or (with `None`) at least one.
    times: Option<usize>,
    calls: usize,
}

impl Expectation {
    fn routes(&self, request: &MockRequest) -> bool {
        self.method == request.method && template_matches(self.template, &request.path)
    }
}

/// Whether a path fits a template (`/v1/files/{file_id}`): one segment per `{..}`.
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

#[derive(Default)]
struct State {
    expectations: Vec<Expectation>,
    unmatched: Vec<String>,
    received: Vec<MockRequest>,
}

/// A mock server; dropping it checks that every expectation was met and
/// every request matched one (unless the test is already failing).
pub struct MockServer {
    base_url: String,
    state: Arc<Mutex<State>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl MockServer {
    /// A server on 127.0.0.1 with an ephemeral port, serving until dropped.
    pub async fn start() -> std::io::Result<MockServer> {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = state.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let state = shared.clone();
                async move {
                    let query = uri.query().map(url_pairs).unwrap_or_default();
                    answer(&state, MockRequest { method, path: uri.path().to_string(), query, headers, body }).await
                }
            },
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).with_graceful_shutdown(async move { drop(stopped.await) }).await;
        });
        Ok(MockServer { base_url, state, stop: Some(stop) })
    }

    /// The server's base URL, for a client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Expect calls of the operation `operation` (`method` on `template`):
    /// what generated typed builders call.
    pub fn expect(&self, operation: &'static str, method: Method, template: &'static str) -> When<'_> {
        When { server: self, operation, method, template, matcher: None, times: None }
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<MockRequest> {
        lock(&self.state).received.clone()
    }

    /// Calls each expectation of `operation` has seen, in the order made.
    pub fn calls(&self, operation: &str) -> Vec<usize> {
        lock(&self.state).expectations.iter().filter(|e| e.operation == operation).map(|e| e.calls).collect()
    }

    /// What is wrong so far: unmet expectations and unmatched requests.
    pub fn problems(&self) -> Vec<String> {
        let state = lock(&self.state);
        let mut out: Vec<String> = state.unmatched.clone();
        for e in &state.expectations {
            match e.times {
                Some(n) if e.calls != n => out
                    .push(format!("{} ({} {}) expected {n} calls, saw {}", e.operation, e.method, e.template, e.calls)),
                None if e.calls == 0 => {
                    out.push(format!("{} ({} {}) was expected and never called", e.operation, e.method, e.template))
                }
                _ => {}
            }
        }
        out
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let problems = self.problems();
        if !problems.is_empty() && !std::thread::panicking() {
            panic!("the mock server's expectations were not met:\n  {}", problems.join("\n  "));
        }
    }
}

/// An expectation being made: `.when(..)`, `.times(..)`, then `.respond(..)`.
#[must_use = "an expectation is registered by respond"]
pub struct When<'s> {
    server: &'s MockServer,
    operation: &'static str,
    method: Method,
    template: &'static str,
    matcher: Option<Matcher>,
    times: Option<usize>,
}

impl When<'_> {
    /// Only requests for which `f` holds.
    pub fn when(mut self, f: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Box::new(f));
        self
    }

    /// Exactly `n` calls (default: at least one).
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Answer every matching call with `response`.
    pub fn respond(self, response: MockResponse) {
        self.respond_in_turn(vec![response]);
    }

    /// Answer the matching calls in turn (a 429, then success); the last
    /// answer repeats.
    pub fn respond_in_turn(self, responses: Vec<MockResponse>) {
        let When { server, operation, method, template, matcher, times } = self;
        lock(&server.state).expectations.push(Expectation {
            operation,
            method,
            template,
            matcher,
            responses,
            times,
            calls: 0,
        });
    }
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The answer to one request: the first expectation that routes and
/// matches it, or an [`UNMATCHED`] answer naming the closest one.
async fn answer(state: &Mutex<State>, request: MockRequest) -> Response {
    let chosen = {
        let mut state = lock(state);
        state.received.push(request.clone());
        let found = state.expectations.iter_mut().find(|e| {
            e.routes(&request) && e.matcher.as_ref().is_none_or(|m| m(&request)) && e.times.is_none_or(|n| e.calls < n)
        });
        match found {
            Some(e) => {
                let response = e.responses.get(e.calls).or(e.responses.last()).cloned();
                e.calls += 1;
                Ok(response)
            }
            None => {
                let closest = state.expectations.iter().find(|e| e.routes(&request)).map_or_else(
                    || "no expectation for this method and path".to_string(),
                    |e| {
                        format!(
                            "the closest, {} ({} {}), did not match its request or was used up",
                            e.operation, e.method, e.template
                        )
                    },
                );
                let message = format!("no expectation matches {} {}: {closest}", request.method, request.path);
                state.unmatched.push(message.clone());
                Err(message)
            }
        }
    };
    match chosen {
        Ok(Some(response)) => {
            if let Some(delay) = response.delay {
                tokio::time::sleep(delay).await;
            }
            response.into_response()
        }
        Ok(None) => MockResponse::status(200).into_response(),
        Err(message) => MockResponse::status(UNMATCHED)
            .with_json(&serde_json::json!({"error": {"message": message}}))
            .into_response(),
    }
}

/// A JSON body of type `T`, in an [`Expect`]'s types.
#[derive(Debug)]
pub struct Json<T>(std::marker::PhantomData<fn() -> T>);

/// A body that is not JSON (bytes, text, multipart, none), in an [`Expect`]'s types.
#[derive(Debug)]
pub struct Raw;

/// A typed expectation of one operation, as a generated mock server's
/// method for it gives: `Req` is its request body, `Resp` its success body
/// ([`Json`] or [`Raw`]). `.when(..)` matches on the decoded request,
/// `.respond(..)` answers with a typed body.
#[must_use = "an expectation is registered by a respond method"]
pub struct Expect<'s, Req, Resp> {
    when: When<'s>,
    _types: std::marker::PhantomData<fn() -> (Req, Resp)>,
}

impl<'s, Req, Resp> Expect<'s, Req, Resp> {
    /// An expectation of the operation `operation` (`method` on `template`).
    pub fn new(server: &'s MockServer, operation: &'static str, method: Method, template: &'static str) -> Self {
        Expect { when: server.expect(operation, method, template), _types: std::marker::PhantomData }
    }

    /// Only requests for which `f` holds (headers, query, raw body).
    pub fn when_request(mut self, f: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.when = self.when.when(f);
        self
    }

    /// Exactly `n` calls (default: at least one).
    pub fn times(mut self, n: usize) -> Self {
        self.when = self.when.times(n);
        self
    }

    /// Answer with `status` and a JSON error body (a documented error's, or any).
    pub fn respond_error<B: Serialize + ?Sized>(self, status: u16, body: &B) {
        self.when.respond(MockResponse::status(status).with_json(body));
    }

    /// Answer with server-sent events of typed chunks, then the protocol's
    /// end (`Some("[DONE]")`), or cut short without it (`None`).
    pub fn respond_events<T: Serialize>(self, chunks: &[T], end: Option<&str>) {
        self.when.respond(MockResponse::events(chunks, end));
    }

    /// Answer with any response (headers, delays, statuses).
    pub fn respond_with(self, response: MockResponse) {
        self.when.respond(response);
    }

    /// Answer the calls in turn (a 429 with `retry-after`, then success); the last repeats.
    pub fn respond_in_turn(self, responses: Vec<MockResponse>) {
        self.when.respond_in_turn(responses);
    }
}

impl<Req: DeserializeOwned + 'static, Resp> Expect<'_, Json<Req>, Resp> {
    /// Only requests whose JSON body decodes and satisfies `f`.
    pub fn when(self, f: impl Fn(&Req) -> bool + Send + Sync + 'static) -> Self {
        self.when_request(move |req| req.json::<Req>().is_some_and(|body| f(&body)))
    }
}

impl<Req, T: Serialize> Expect<'_, Req, Json<T>> {
    /// Answer `200` with this body.
    pub fn respond(self, body: &T) {
        self.when.respond(MockResponse::json(body));
    }
}

impl<Req> Expect<'_, Req, Raw> {
    /// Answer `200` with these bytes.
    pub fn respond(self, content_type: &str, body: impl Into<Bytes>) {
        self.when.respond(MockResponse::status(200).with_bytes(content_type, body));
    }
}
