//! Every operation kind of the generated client against a real server on 127.0.0.1.

mod server;

use client_tests::types::{
    ChatChunk, ChatRequest, CreateChatCompletionError, Message, MessageRole, PostNoteBody, PutItemSuccess,
    SearchFilter, SubmitFormBody, UploadFileRequest, UploadFileRequestMeta, UploadFileRequestPurpose,
};
use client_tests::{runtime, Client, Error};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token("tok-bearer")
}

fn chat_request(model: &str) -> ChatRequest {
    ChatRequest {
        model: model.into(),
        messages: vec![Message { role: MessageRole::User, content: "hi".into(), extra: Default::default() }],
        stream: None,
        extra: Default::default(),
    }
}

#[tokio::test]
async fn json_and_streamed_forms_of_one_operation() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let full = c.create_chat_completion(&chat_request("m")).send_with_response().await.expect("completion");
    assert_eq!(full.body.content, "hello world");
    assert_eq!(full.status.as_u16(), 200);
    assert_eq!(full.request_id(), Some("req-chat-1"));

    let mut stream = c.create_chat_completion(&chat_request("m")).stream().await.expect("stream");
    let mut chunks: Vec<ChatChunk> = Vec::new();
    while let Some(item) = stream.next().await {
        chunks.push(item.expect("chunk"));
    }
    let text: String = chunks.iter().map(|c| c.delta.as_str()).collect();
    assert_eq!(text, "hello", "multi-line data, comments and [DONE] are handled: {chunks:?}");

    // The events with their fields.
    let mut stream = c.create_chat_completion(&chat_request("m")).stream().await.expect("stream");
    let first = stream.next_event().await.expect("event").expect("ok");
    assert_eq!((first.id.as_deref(), first.event.as_deref()), (Some("1"), None));
    let second = stream.next_event().await.expect("event").expect("ok");
    assert_eq!(
        (second.id.as_deref(), second.event.as_deref(), second.data.delta.as_str()),
        (Some("2"), Some("chunk"), "lo")
    );
    assert!(stream.next().await.is_none(), "the stream ends at [DONE]");
}

#[tokio::test]
async fn a_streamed_call_reports_documented_errors() {
    let (base, _) = server::start().await;
    let err = client(&base).create_chat_completion(&chat_request("fail")).stream().await.expect_err("400");
    match &err {
        Error::Api { status, body: CreateChatCompletionError::Default(e), .. } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(e.error.message, "unknown model");
        }
        other => panic!("expected the typed default error, got {other:?}"),
    }
    assert_eq!(err.to_string(), "HTTP 400 Bad Request: unknown model");
}

#[tokio::test]
async fn a_dropped_event_stream_is_an_error_not_an_end() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut ok = c.list_ticks().await.expect("stream");
    assert_eq!(ok.next().await.and_then(Result::ok).as_deref(), Some("tick 1"));
    assert_eq!(ok.next().await.and_then(Result::ok).as_deref(), Some("tick 2"));
    assert!(ok.next().await.is_none());

    let mut dropped = c.list_ticks().drop(true).await.expect("stream");
    assert_eq!(dropped.next().await.and_then(Result::ok).as_deref(), Some("tick 1"));
    assert_eq!(dropped.next().await.and_then(Result::ok).as_deref(), Some("tick 2"));
    let err = dropped.next().await.expect("an error item, not the end").expect_err("broken");
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    assert!(dropped.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn an_event_stream_with_a_declared_end_is_cut_short_without_it() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut complete = c.list_ticks_until().complete(true).await.expect("stream");
    assert_eq!(complete.next().await.and_then(Result::ok).as_deref(), Some("tick 1"));
    assert!(complete.next().await.is_none(), "`data: bye` ends it");

    let mut cut = c.list_ticks_until().await.expect("stream");
    assert_eq!(cut.next().await.and_then(Result::ok).as_deref(), Some("tick 1"));
    let err = cut.next().await.expect("an error item, not the end").expect_err("cut short");
    assert!(err.to_string().contains("without its end marker `data: bye`"), "{err}");
}

#[tokio::test]
async fn multipart_uploads_send_every_part() {
    let (base, _) = server::start().await;
    let body = UploadFileRequest {
        file: runtime::FilePart::new(&b"{\"prompt\":\"a\"}\n{\"prompt\":\"b\"}\n"[..]).file_name("train.jsonl"),
        purpose: UploadFileRequestPurpose::FineTune,
        tags: Some(vec!["x".into(), "y".into()]),
        meta: Some(UploadFileRequestMeta { source: Some("test".into()), extra: Default::default() }),
        attachments: Some(vec![runtime::FilePart::new(vec![1u8, 2, 3]).content_type("image/png")]),
    };
    let got = client(&base).upload_file(&body).await.expect("upload");
    let parts = got["parts"].as_array().expect("parts").clone();
    let find = |name: &str| parts.iter().filter(|p| p["name"] == name).cloned().collect::<Vec<Value>>();
    let file = &find("file")[0];
    assert_eq!(file["file_name"], "train.jsonl");
    assert_eq!(file["content_type"], "application/jsonl", "the spec's encoding sets the content type");
    assert_eq!(file["text"], "{\"prompt\":\"a\"}\n{\"prompt\":\"b\"}\n");
    assert_eq!(find("purpose")[0]["text"], "fine-tune");
    let tags: Vec<Value> = find("tags").iter().map(|p| p["text"].clone()).collect();
    assert_eq!(tags, vec![json!("x"), json!("y")], "arrays are repeated parts");
    assert_eq!(find("meta")[0]["content_type"], "application/json");
    assert_eq!(find("meta")[0]["text"], "{\"source\":\"test\"}");
    let attachment = &find("attachments")[0];
    assert_eq!(
        (attachment["content_type"].as_str(), attachment["sha256"].as_str()),
        (Some("image/png"), Some(server::sha256(&[1, 2, 3]).as_str()))
    );
    assert!(got["content_type"].as_str().unwrap_or("").starts_with("multipart/form-data; boundary="));
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let (base, _) = server::start().await;
    let body = SubmitFormBody {
        name: "a b&c".into(),
        count: Some(3),
        tags: Some(vec!["x".into(), "y".into()]),
        extra: Default::default(),
    };
    let got = client(&base).submit_form(&body).await.expect("form");
    assert_eq!(got["content_type"], "application/x-www-form-urlencoded");
    assert_eq!(got["body"], "name=a+b%26c&count=3&tags=x&tags=y");
}

#[tokio::test]
async fn a_binary_download_arrives_whole_and_as_a_stream() {
    let (base, _) = server::start().await;
    let size = 1024 * 1024;
    let expected = server::sha256(&server::pattern(size));
    let c = client(&base);
    let whole = c.download(size as i64).await.expect("download");
    assert_eq!((whole.len(), server::sha256(&whole)), (size, expected.clone()));

    let mut stream = c.download(size as i64).stream_bytes().await.expect("stream");
    let mut data = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        data.extend_from_slice(&chunk.expect("chunk"));
        chunks += 1;
    }
    assert!(chunks > 1, "streamed in pieces");
    assert_eq!(server::sha256(&data), expected);
}

#[tokio::test]
async fn binary_bodies_from_memory_and_streamed_from_a_file() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let got = c.upload_blob(vec![9u8; 1000]).await.expect("bytes");
    assert_eq!((got["len"].as_u64(), got["content_type"].as_str()), (Some(1000), Some("application/octet-stream")));

    let path = std::env::temp_dir().join(format!("openapi-gen-upload-{}.bin", std::process::id()));
    let data = server::pattern(300_000);
    tokio::fs::write(&path, &data).await.expect("write temp file");
    let body = runtime::BinaryBody::from_file(&path).await.expect("open");
    let got = c.upload_blob(body).await.expect("file");
    let _ = std::fs::remove_file(&path);
    assert_eq!(got["sha256"].as_str(), Some(server::sha256(&data).as_str()));
    assert_eq!(got["content_length"], "300000");
}

#[tokio::test]
async fn the_caller_picks_the_media_type_json_by_default() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let got = c.post_note().await.expect("no body");
    assert_eq!(got["body"], "");
    let got =
        c.post_note().body(&PostNoteBody { text: Some("t".into()), extra: Default::default() }).await.expect("json");
    assert_eq!(
        (got["content_type"].as_str(), got["body"].as_str()),
        (Some("application/json"), Some("{\"text\":\"t\"}"))
    );
    let got = c.post_note().text_body("plain words").await.expect("text");
    assert_eq!((got["content_type"].as_str(), got["body"].as_str()), (Some("text/plain"), Some("plain words")));
}

#[tokio::test]
async fn several_success_statuses_are_an_enum() {
    let (base, _) = server::start().await;
    let c = client(&base);
    match c.put_item("i1").await.expect("200") {
        PutItemSuccess::Status200(item) => assert_eq!(item.name, "replaced"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(c.put_item("new").await.expect("201"), PutItemSuccess::Status201(created) if created.id == "n1"));
    assert!(matches!(c.put_item("same").await.expect("204"), PutItemSuccess::Status204));
    assert!(matches!(c.put_item("odd").await.expect("202"), PutItemSuccess::Other(body) if body == b"queued"));
}

#[tokio::test]
async fn query_header_and_cookie_parameters_in_every_style() {
    let (base, _) = server::start().await;
    let got = client(&base)
        .credential("cookieKey", "sess;ion")
        .search("a b")
        .tags(&["x".into(), "y z".into()])
        .ids(&[1, 2])
        .filter(&SearchFilter { state: Some("open".into()), owner: None, extra: Default::default() })
        .pipes(&["p".into(), "q".into()])
        .spaces(&["s".into(), "t".into()])
        .x_trace("trace-1")
        .theme("dark mode")
        .await
        .expect("search");
    assert_eq!(got["query"], "q=a+b&tags=x&tags=y+z&ids=1%2C2&filter%5Bstate%5D=open&pipes=p%7Cq&spaces=s+t");
    assert_eq!(got["headers"]["x-trace"], "trace-1");
    assert_eq!(got["headers"]["cookie"], "theme=dark%20mode; session=sess%3Bion", "one Cookie header, values encoded");
    assert!(got["headers"].get("authorization").is_none(), "this operation asks for the cookie key only");

    let err = client(&base).search("q").x_trace("evil\r\nInjected: 1").await.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn every_auth_kind_sends_exactly_what_its_operation_asks() {
    let (base, _) = server::start().await;
    let c = Client::with_base_url(&base)
        .expect("client")
        .bearer_token("tok-bearer")
        .basic_auth("user", "pa:ss")
        .credential("headerKey", "key-header")
        .credential("queryKey", "key-query")
        .credential("oauth", "tok-oauth");
    let h = |v: &client_tests::types::Received, name: &str| v["headers"][name].as_str().map(str::to_string);

    let got = c.auth_bearer().await.expect("bearer");
    assert_eq!(h(&got, "authorization").as_deref(), Some("Bearer tok-bearer"));
    assert_eq!(
        h(&got, "user-agent").as_deref(),
        Some("client-tests/0.0.0 api/1.0.0"),
        "the default user agent names the crate and the API version"
    );
    assert_eq!(client_tests::API_VERSION, "1.0.0");
    let got = c.auth_basic().await.expect("basic");
    assert_eq!(h(&got, "authorization").as_deref(), Some("Basic dXNlcjpwYTpzcw=="));
    let got = c.auth_header().await.expect("header");
    assert_eq!((h(&got, "x-api-key").as_deref(), h(&got, "authorization")), (Some("key-header"), None));
    let got = c.auth_query().await.expect("query");
    assert_eq!((got["query"].as_str(), h(&got, "authorization")), (Some("api_key=key-query"), None));
    let got = c.auth_oauth().await.expect("oauth");
    assert_eq!(h(&got, "authorization").as_deref(), Some("Bearer tok-oauth"));
    let got = c.public_info().await.expect("public");
    assert!(
        got["headers"].get("authorization").is_none() && got["query"].is_null(),
        "no token where none is asked: {got:?}"
    );

    // The second alternative (basic) when the first (oauth) has no credential.
    let basic_only = Client::with_base_url(&base).expect("client").basic_auth("u", "p");
    let got = basic_only.auth_oauth().await.expect("oauth or basic");
    assert_eq!(h(&got, "authorization").as_deref(), Some("Basic dTpw"));
    assert!(
        !format!("{c:?}").contains("tok-") && !format!("{c:?}").contains("pa:ss") && !format!("{c:?}").contains("key-")
    );
}

#[tokio::test]
async fn retries_honour_retry_after_and_report_attempts() {
    let (base, seen) = server::start().await;
    let c = client(&base);
    let started = Instant::now();
    let got = c.flaky("a").failures(2).status(429).retry_after("1").send_with_response().await.expect("third attempt");
    assert_eq!((got.body["attempts"].as_u64(), got.attempts), (Some(3), 3));
    assert!(started.elapsed() >= Duration::from_millis(1900), "waited Retry-After twice: {:?}", started.elapsed());

    // An HTTP date in the past: retry at once.
    let got = c.flaky("b").failures(1).retry_after("Sun, 06 Nov 1994 08:49:37 GMT").await.expect("second attempt");
    assert_eq!(got["attempts"], 1 + 1);

    // Still failing after the default 2 retries: the last error says so.
    let err = c.flaky("c").failures(10).retry_after("0").await.expect_err("gives up");
    assert_eq!((err.status().map(|s| s.as_u16()), err.attempts(), err.request_id()), (Some(503), 3, Some("req-3")));
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(seen.attempts("c"), 3);

    // Not retried: a 4xx other than 408/409/429, and a request with retries off.
    let err = c.flaky("d").failures(5).status(400).await.expect_err("400");
    assert_eq!((err.attempts(), seen.attempts("d")), (1, 1));
    let err = c.flaky("e").failures(5).retry_after("0").with_retries(0).await.expect_err("no retries");
    assert_eq!((err.attempts(), seen.attempts("e")), (1, 1));
}

#[tokio::test]
async fn default_headers_go_with_every_request() {
    let (base, _) = server::start().await;
    let c = Client::builder().base_url(&base).default_header("x-team", "blue").build().expect("client");
    let got = c.public_info().await.expect("public");
    assert_eq!(got["headers"]["x-team"], "blue", "{got:?}");
    let got = c.search("q").await.expect("search");
    assert_eq!(got["headers"]["x-team"], "blue", "on every operation: {got:?}");
    let bad = Client::builder().base_url(&base).default_header("x-bad", "a\nb").build();
    assert!(bad.is_err(), "a header value with a line break is refused when the client is built");
}

#[tokio::test]
async fn no_timeout_lets_a_slow_answer_arrive() {
    let (base, _) = server::start().await;
    let short =
        |b: runtime::ClientBuilder<Client>| b.base_url(&base).timeout(Duration::from_millis(150)).max_retries(0);
    // The control: the same slow answer times out under the client's timeout.
    let timed = short(Client::builder()).build().expect("client");
    let err = timed.stall().with_header("x-stall-ms", "600").await.expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    let patient = short(Client::builder()).no_timeout().build().expect("client");
    let got = patient.stall().with_header("x-stall-ms", "600").await.expect("the answer, however slow");
    assert_eq!(got["stalled_ms"], 600);
}

#[tokio::test]
async fn a_stalled_server_hits_the_timeout_in_bounded_time() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let started = Instant::now();
    let err = c.stall().with_timeout(Duration::from_millis(300)).with_retries(0).await.expect_err("timeout");
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

    // The client-wide timeout, retried like any timeout.
    let quick = Client::builder()
        .base_url(&base)
        .timeout(Duration::from_millis(200))
        .retry_policy(runtime::RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            ..runtime::RetryPolicy::default()
        })
        .build()
        .expect("client");
    let started = Instant::now();
    let err = quick.stall().await.expect_err("timeout");
    assert_eq!((err.is_timeout(), err.attempts()), (true, 3));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn from_env_reads_one_variable_per_scheme() {
    // Only this test in this binary touches the environment.
    for v in ["KINDS_API_KEY", "KINDS_BASE_URL", "KINDS_BASIC", "KINDS_HEADER_KEY"] {
        std::env::remove_var(v);
    }
    let err = Client::from_env().expect_err("no credentials");
    assert!(err.to_string().contains("KINDS_API_KEY"), "{err}");
    let (base, _) = server::start().await;
    std::env::set_var("KINDS_BASE_URL", &base);
    std::env::set_var("KINDS_BASIC", "env-user:env-pass");
    std::env::set_var("KINDS_HEADER_KEY", "env-header");
    let c = Client::from_env().expect("from env");
    let got = c.auth_basic().await.expect("basic");
    assert_eq!(got["headers"]["authorization"], "Basic ZW52LXVzZXI6ZW52LXBhc3M=");
    let got = c.auth_header().await.expect("header");
    assert_eq!(got["headers"]["x-api-key"], "env-header");
}
