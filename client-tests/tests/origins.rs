//! Credentials never leave their origin: two local servers on two ports (two
//! origins), the first answering with redirects, the second recording what
//! reaches it header by header. Every scheme the spec declares (bearer,
//! basic, an API key in a header, in the query and in a cookie) and a secret
//! default header, for `301`, `302`, `303`, `307` and `308`, same-origin and
//! cross-origin, with and without a body.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use client_tests::types::PostNoteBody;
use client_tests::{Client, Error};
use openapi_gen_runtime::RedirectPolicy;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const BEARER: &str = "bearer-secret-1";
const BASIC_PASSWORD: &str = "basic-secret-2";
const HEADER_KEY: &str = "header-secret-3";
const QUERY_KEY: &str = "query-secret-4";
const COOKIE_KEY: &str = "cookie-secret-5";
const SECRET_DEFAULT: &str = "default-secret-6";
const SECRETS: [&str; 6] = [BEARER, BASIC_PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY, SECRET_DEFAULT];

/// What one request carried.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Seen {
    /// Whether any secret appears anywhere in the request, in any encoding
    /// the client could have used (basic credentials are base64).
    fn leaks(&self) -> Vec<String> {
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

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    fn all(&self) -> Vec<Seen> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }
    fn push(&self, seen: Seen) {
        if let Ok(mut l) = self.0.lock() {
            l.push(seen);
        }
    }
}

#[derive(Clone)]
struct Origin {
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

struct Servers {
    a: String,
    b: String,
    a_log: Log,
    b_log: Log,
}

async fn servers() -> Servers {
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

fn client(base: &str) -> Client {
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
async fn call_every_scheme(c: &Client, how: &str) -> Vec<Result<Value, String>> {
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

#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credential_of_any_scheme() {
    let s = servers().await;
    let c = client(&s.a);
    for status in [301, 302, 303, 307, 308] {
        for result in call_every_scheme(&c, &format!("{status} other")).await {
            let answer = result.unwrap_or_else(|e| panic!("{status}: a bodiless request is followed: {e}"));
            assert_eq!(answer["path"], "/landed", "{status}");
        }
    }
    let landed = s.b_log.all();
    assert_eq!(landed.len(), 25, "five schemes, five statuses");
    for seen in &landed {
        assert_eq!(seen.leaks(), Vec::<String>::new(), "{seen:?}");
        assert_eq!(seen.method, Method::GET);
        assert_eq!(seen.query.as_deref(), Some("page=2"), "the Location's query, nothing added: {seen:?}");
        for header in ["authorization", "x-api-key", "cookie", "x-secret-default", "referer", "proxy-authorization"] {
            assert_eq!(seen.header(header), None, "{header} reached the other origin: {seen:?}");
        }
        assert_eq!(seen.header("x-public-default"), Some("public"), "a header not marked secret goes along");
    }
    // The first origin did get each credential, so the test can fail.
    let first = s.a_log.all();
    assert!(first.iter().any(|r| r.header("authorization") == Some(&format!("Bearer {BEARER}"))));
    assert!(first.iter().any(|r| r.header("x-api-key") == Some(HEADER_KEY)));
    assert!(first.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains(QUERY_KEY))));
    assert!(first.iter().any(|r| r.header("cookie").is_some_and(|v| v.contains(COOKIE_KEY))));
    assert!(first.iter().all(|r| r.header("x-secret-default") == Some(SECRET_DEFAULT)));
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_every_credential() {
    let s = servers().await;
    let c = client(&s.a);
    for status in [301, 302, 303, 307, 308] {
        for result in call_every_scheme(&c, &format!("{status} same")).await {
            assert_eq!(result.expect("followed")["path"], "/landed");
        }
    }
    assert!(s.b_log.all().is_empty(), "nothing went to the other origin");
    let landed: Vec<Seen> = s.a_log.all().into_iter().filter(|r| r.path == "/landed").collect();
    assert_eq!(landed.len(), 25);
    let has = |want: &dyn Fn(&Seen) -> bool| landed.iter().filter(|r| want(r)).count();
    assert_eq!(
        has(&|r| r.header("authorization") == Some(&format!("Bearer {BEARER}"))),
        5,
        "bearer on its one operation"
    );
    assert_eq!(has(&|r| r.header("authorization").is_some_and(|v| v.starts_with("Basic "))), 5);
    assert_eq!(has(&|r| r.header("x-api-key") == Some(HEADER_KEY)), 5);
    assert_eq!(
        has(&|r| r.query.as_deref() == Some(&format!("page=2&api_key={QUERY_KEY}"))),
        5,
        "the query key is added back to the Location's query, once"
    );
    assert_eq!(has(&|r| r.header("cookie").is_some_and(|v| v.contains(COOKIE_KEY))), 5);
    assert_eq!(has(&|r| r.header("x-secret-default") == Some(SECRET_DEFAULT)), 25);
}

#[tokio::test]
async fn a_body_is_never_resent_to_another_origin() {
    let s = servers().await;
    let c = client(&s.a);
    let note = PostNoteBody { text: Some("private note".into()), ..Default::default() };
    for status in [307, 308] {
        let err =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} other")).await.expect_err("stopped");
        match &err {
            Error::Redirect { status: got, location, reason, .. } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(location, &format!("{}/landed?page=2", s.b), "the error names the target");
                assert!(reason.contains("request body to another origin"), "{reason}");
            }
            other => panic!("expected a redirect error, got {other:?}"),
        }
        assert!(err.to_string().contains(&format!("{}/landed", s.b)), "{err}");
        assert!(!err.to_string().contains("page=2"), "the target's query is not shown: {err}");
    }
    assert!(s.b_log.all().is_empty(), "nothing reached the other origin");

    // 301, 302 and 303 turn a POST into a GET without the body or its type.
    for status in [301, 302, 303] {
        let answer =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} other")).await.expect("followed");
        assert_eq!(answer["method"], "GET", "{status}");
    }
    for seen in s.b_log.all() {
        assert!(seen.body.is_empty() && seen.header("content-type").is_none(), "{seen:?}");
        assert_eq!(seen.leaks(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn within_the_origin_a_307_resends_the_body_and_a_stream_stops() {
    let s = servers().await;
    let c = client(&s.a);
    let note = PostNoteBody { text: Some("kept".into()), ..Default::default() };
    for status in [307, 308] {
        let answer =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} same")).await.expect("followed");
        assert_eq!(answer["method"], "POST");
    }
    let landed: Vec<Seen> = s.a_log.all().into_iter().filter(|r| r.path == "/landed").collect();
    assert_eq!(landed.len(), 2);
    for seen in &landed {
        assert_eq!(serde_json::from_slice::<Value>(&seen.body).expect("JSON"), json!({"text": "kept"}));
        assert_eq!(seen.header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
    }
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"streamed"))]);
    let body = openapi_gen_runtime::BinaryBody::from_stream(stream, Some(8));
    let err = c.upload_blob(body).with_header("x-redirect", "307 same").await.expect_err("stopped");
    assert!(matches!(&err, Error::Redirect { reason, .. } if reason.contains("streamed")), "{err:?}");
}

#[tokio::test]
async fn policies_limit_or_refuse_redirects() {
    let s = servers().await;
    let loops = client(&s.a).auth_bearer().with_header("x-redirect", "302 self").await.expect_err("a loop");
    assert!(matches!(&loops, Error::Redirect { reason, .. } if reason.contains("more than 10 redirects")), "{loops:?}");
    assert_eq!(s.a_log.all().len(), 11, "the request and ten redirects");

    let same_only = client(&s.a).redirect_policy(RedirectPolicy::SameOrigin { max: 5 });
    let err = same_only.auth_bearer().with_header("x-redirect", "302 other").await.expect_err("refused");
    assert!(matches!(&err, Error::Redirect { reason, .. } if reason.contains("another origin")), "{err:?}");
    assert!(same_only.auth_bearer().with_header("x-redirect", "302 same").await.is_ok());

    let never = client(&s.a).redirect_policy(RedirectPolicy::Never);
    let err = never.auth_bearer().with_header("x-redirect", "301 same").await.expect_err("refused");
    assert!(matches!(&err, Error::Redirect { status, .. } if status.as_u16() == 301), "{err:?}");
    assert!(s.b_log.all().is_empty());
}

/// Where a test's subscriber writes: a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn secrets_in(text: &str) -> Vec<&'static str> {
    SECRETS.iter().copied().filter(|s| text.contains(s)).collect()
}

#[tokio::test]
async fn no_secret_shows_in_debug_display_or_any_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = servers().await;
    let builder = Client::builder()
        .base_url(&s.a)
        .bearer_token(BEARER)
        .basic_credential("basic", "user", BASIC_PASSWORD)
        .credential("headerKey", HEADER_KEY)
        .credential("queryKey", QUERY_KEY)
        .credential("cookieKey", COOKIE_KEY)
        .secret_header("x-secret-default", SECRET_DEFAULT);
    let mut shown = format!("{builder:?}\n");
    let c = client(&s.a);
    shown.push_str(&format!("{c:?}\n{:?}\n", c.runtime()));
    // Calls of every scheme: answered, redirected elsewhere, refused, failed.
    for result in call_every_scheme(&c, "302 other").await {
        assert!(result.is_ok(), "{result:?}");
    }
    let note = PostNoteBody { text: Some("n".into()), ..Default::default() };
    let redirect = c.post_note().body(&note).with_header("x-redirect", "307 other").await.expect_err("stopped");
    let status = c.auth_query().with_header("x-redirect", "418 same").await.expect_err("a 418");
    let closed = client("http://127.0.0.1:9");
    let transport = closed.auth_query().await.expect_err("nothing listens");
    assert!(matches!(transport, Error::Transport { .. }), "{transport:?}");
    for err in [&redirect, &status, &transport] {
        shown.push_str(&format!("{err}\n{err:?}\n"));
    }
    assert_eq!(secrets_in(&shown), Vec::<&str>::new(), "{shown}");
    let traced = String::from_utf8_lossy(&captured.0.lock().expect("the buffer")).into_owned();
    assert!(traced.contains("following a redirect") && traced.contains("credentials=false"), "{traced}");
    assert_eq!(secrets_in(&traced), Vec::<&str>::new(), "{traced}");
}
