//! The generated typed mock server (feature `mock`): real HTTP on
//! 127.0.0.1, an expectation per operation, typed bodies in and out, streams
//! with and without their end, retries, bytes, pages, and the failures a
//! test must see.

use client_tests::mock::{MockResponse, MockServer};
use client_tests::types::{ChatChunk, ChatRequest, ChatResponse, Entry, ListByCursorResponse, Message, MessageRole};
use client_tests::{Client, Error};
use serde_json::json;
use std::time::Duration;

fn client(server: &MockServer) -> Client {
    server.client().expect("client").bearer_token("tok-bearer")
}

fn ask(model: &str) -> ChatRequest {
    let mut request = ChatRequest::new(model, vec![Message::new(MessageRole::User, "hi")]);
    request.stream = None;
    request
}

fn chunk(delta: &str) -> ChatChunk {
    serde_json::from_value(json!({"id": "c1", "delta": delta})).expect("a chunk")
}

#[tokio::test]
async fn json_streamed_and_cut_chats() {
    let server = MockServer::start().await.expect("a mock server");
    let reply: ChatResponse = serde_json::from_value(json!({"id": "c1", "content": "hello"})).expect("a reply");
    server.create_chat_completion().when(|r| r.model == "m" && r.stream.is_none()).respond(&reply);
    server
        .create_chat_completion()
        .when(|r| r.model == "m" && r.stream == Some(true))
        .times(1)
        .respond_events(&[chunk("hel"), chunk("lo")], Some("[DONE]"));
    server.create_chat_completion().when(|r| r.model == "cut").respond_events(&[chunk("hel")], None);
    let c = client(&server);
    assert_eq!(c.create_chat_completion(&ask("m")).await.expect("a reply"), reply);
    let mut stream = c.create_chat_completion(&ask("m")).stream().await.expect("a stream");
    let mut text = String::new();
    while let Some(chunk) = stream.next().await {
        text.push_str(&chunk.expect("a chunk").delta);
    }
    assert_eq!(text, "hello");
    let mut cut = c.create_chat_completion(&ask("cut")).stream().await.expect("a stream");
    assert!(cut.next().await.is_some_and(|c| c.is_ok()));
    assert!(cut.next().await.is_some_and(|c| c.is_err()), "a stream cut before [DONE] ends with an error");
    assert_eq!(server.server().calls("create_chat_completion"), [1, 1, 1]);
}

#[tokio::test]
async fn a_429_with_retry_after_then_success_and_bytes() {
    let server = MockServer::start().await.expect("a mock server");
    server.flaky().respond_in_turn(vec![
        MockResponse::status(429).with_json(&json!({"error": {"message": "slow down"}})).header("retry-after", "0"),
        MockResponse::json(&json!({"attempts": 2})).header("x-request-id", "req-ok"),
    ]);
    server.download().respond_with(
        MockResponse::status(200).with_bytes("application/octet-stream", vec![7u8; 3]).delay(Duration::from_millis(20)),
    );
    let c = client(&server);
    let got = c.flaky("k").send_with_response().await.expect("the retry succeeds");
    assert_eq!((got.attempts, got.request_id()), (2, Some("req-ok")));
    assert_eq!(c.download(3).await.expect("bytes"), [7, 7, 7]);
    let sent = server.server().received();
    assert_eq!(sent[0].header("authorization"), Some("Bearer tok-bearer"));
}

#[tokio::test]
async fn pages_come_from_expectations_in_turn() {
    let server = MockServer::start().await.expect("a mock server");
    let entry = |i: u32| json!({"id": format!("e{i}"), "n": i});
    let page = |v: serde_json::Value| -> ListByCursorResponse { serde_json::from_value(v).expect("a page") };
    server
        .list_by_cursor()
        .when_request(|req| req.query_value("after").is_none())
        .respond(&page(json!({"data": [entry(0), entry(1)], "has_more": true, "last_id": "e1"})));
    server
        .list_by_cursor()
        .when_request(|req| req.query_value("after") == Some("e1"))
        .respond(&page(json!({"data": [entry(2)], "has_more": false})));
    let c = client(&server);
    let mut items = c.list_by_cursor().paginate();
    let mut got: Vec<Entry> = Vec::new();
    while let Some(entry) = items.next().await {
        got.push(entry.expect("an entry"));
    }
    assert_eq!(got.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["e0", "e1", "e2"]);
}

#[tokio::test]
async fn an_unmatched_request_names_the_closest_expectation_and_fails_the_test() {
    let server = MockServer::start().await.expect("a mock server");
    server.create_chat_completion().when(|r| r.model == "expected").respond_with(MockResponse::status(200));
    let err = client(&server).create_chat_completion(&ask("other")).await.expect_err("no expectation matches");
    assert!(matches!(err, Error::Api { .. } | Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(client_tests::runtime::mock::UNMATCHED));
    assert_eq!(err.attempts(), 1, "not retried");
    let problems = server.server().problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no expectation matches POST /chat/completions: the closest, create_chat_completion")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("was expected and never called")), "{problems:?}");
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(server)));
    let message =
        dropped.expect_err("dropping the server fails the test").downcast::<String>().map(|m| *m).unwrap_or_default();
    assert!(message.contains("expectations were not met"), "{message}");
}
