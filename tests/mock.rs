//! Testing code that uses the client without the network: only the typed
//! mock server (`--features mock`), as a user's own tests would.

use nebius_token_factory::mock::{MockResponse, MockServer};
use nebius_token_factory::runtime::FilePart;
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse, CreateFileRequest, ListFilesResponse, OpenAiFile,
};
use serde_json::json;

fn completion(text: &str) -> CreateChatCompletionResponse {
    serde_json::from_value(json!({"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                     "message": {"role": "assistant", "content": text, "refusal": null}}]}))
    .expect("a completion")
}

fn chunk(text: &str) -> CreateChatCompletionStreamResponse {
    serde_json::from_value(json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]}))
    .expect("a chunk")
}

fn file(id: &str) -> OpenAiFile {
    serde_json::from_value(json!({"id": id, "object": "file", "bytes": 3, "created_at": 1, "filename": "a.jsonl",
        "purpose": "batch", "status": "processed"}))
    .expect("a file")
}

fn ask(model: &str) -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(model, vec![ChatCompletionRequestUserMessage::new("hi").into()])
}

#[tokio::test]
async fn a_chat_and_a_streamed_chat() {
    let server = MockServer::start().await.expect("a mock server");
    // The model is a union of known ids and any string: compare it as JSON.
    let model_is_m = |req: &CreateChatCompletionRequest| serde_json::to_value(&req.model).ok() == Some(json!("m"));
    server
        .create_chat_completion()
        .when(move |req| model_is_m(req) && req.stream.is_none())
        .respond(&completion("hello"));
    server
        .create_chat_completion()
        .when(|req| req.stream == Some(true))
        .respond_events(&[chunk("hel"), chunk("lo")], Some("[DONE]"));
    let client = server.client().expect("a client");
    let reply = client.create_chat_completion(&ask("m")).await.expect("a completion");
    assert_eq!(reply.choices[0].message.content.as_deref(), Some("hello"));
    let mut stream = client.create_chat_completion(&ask("m")).stream().await.expect("a stream");
    let mut text = String::new();
    while let Some(chunk) = stream.next().await {
        text.extend(chunk.expect("a chunk").choices.into_iter().filter_map(|c| c.delta.content));
    }
    assert_eq!(text, "hello");
}

#[tokio::test]
async fn a_429_then_success() {
    let server = MockServer::start().await.expect("a mock server");
    server.create_chat_completion().respond_in_turn(vec![
        MockResponse::status(429)
            .with_json(
                &json!({"error": {"message": "Rate limit reached", "type": "requests", "code": null, "param": null}}),
            )
            .header("retry-after-ms", "10"),
        MockResponse::json(&completion("after the wait")),
    ]);
    let client = server.client().expect("a client");
    let reply = client.create_chat_completion(&ask("m")).send_with_response().await.expect("retried");
    assert_eq!(reply.attempts, 2);
    assert_eq!(reply.body.choices[0].message.content.as_deref(), Some("after the wait"));
}

#[tokio::test]
async fn an_upload_and_a_download() {
    let server = MockServer::start().await.expect("a mock server");
    server
        .create_file()
        .when_request(|req| req.header("content-type").is_some_and(|ct| ct.starts_with("multipart/form-data")))
        .times(1)
        .respond(&file("file-1"));
    server.download_file().respond("application/octet-stream", &b"{\"a\": 1}\n"[..]);
    let client = server.client().expect("a client");
    let part = FilePart::new(&b"{}\n"[..]).file_name("a.jsonl");
    let uploaded = client.create_file(&CreateFileRequest::new(part, "batch")).await.expect("uploaded");
    assert_eq!(uploaded.id, "file-1");
    assert_eq!(client.download_file("file-1").await.expect("the content"), b"{\"a\": 1}\n");
    let upload = &server.server().received()[0];
    assert!(String::from_utf8_lossy(&upload.body).contains("filename=\"a.jsonl\""));
}

#[tokio::test]
async fn a_paginated_list() {
    let server = MockServer::start().await.expect("a mock server");
    let page = |ids: &[&str], more: bool| -> ListFilesResponse {
        serde_json::from_value(json!({"object": "list", "data": ids.iter().map(|i| file(i)).collect::<Vec<_>>(),
            "first_id": ids[0], "last_id": ids[ids.len() - 1], "has_more": more}))
        .expect("a page")
    };
    server.list_files().when_request(|req| req.query_value("after").is_none()).respond(&page(&["f1", "f2"], true));
    server.list_files().when_request(|req| req.query_value("after") == Some("f2")).respond(&page(&["f3"], false));
    let client = server.client().expect("a client");
    let mut files = client.list_files().paginate();
    let mut ids = Vec::new();
    while let Some(file) = files.next().await {
        ids.push(file.expect("a file").id);
    }
    assert_eq!(ids, ["f1", "f2", "f3"]);
}

/// A batch in a state.
fn batch(status: &str) -> nebius_token_factory::types::Batch {
    serde_json::from_value(json!({"id": "batch-1", "object": "batch", "endpoint": "/v1/chat/completions",
        "input_file_id": "file-1", "completion_window": "24h", "status": status, "created_at": 1}))
    .expect("a batch")
}

#[tokio::test]
async fn a_wait_through_the_states_the_mock_answers_in_turn() {
    let server = MockServer::start().await.expect("a mock server");
    let states = ["validating", "in_progress", "finalizing", "completed"];
    server.retrieve_batch().respond_in_turn(states.iter().map(|s| MockResponse::json(&batch(s))).collect());
    let client = server.client().expect("a client");
    let mut seen = Vec::new();
    let done = client
        .retrieve_batch("batch-1")
        .wait()
        .every(std::time::Duration::from_millis(5))
        .on_state(|_, state| seen.push(state.to_string()))
        .await
        .expect("completed");
    assert_eq!((done.state.as_str(), done.failed, done.polls), ("completed", false, 4));
    assert_eq!(seen, states);
}

#[cfg(feature = "chat")]
#[tokio::test]
async fn streamed_tool_calls_from_the_mock_assemble_into_one_message() {
    let server = MockServer::start().await.expect("a mock server");
    let piece = |delta: serde_json::Value, finish: Option<&str>| -> CreateChatCompletionStreamResponse {
        serde_json::from_value(json!({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
        .expect("a chunk")
    };
    let call = |args: &str| json!({"tool_calls": [{"index": 0, "function": {"arguments": args}}]});
    let chunks = [
        piece(
            json!({"role": "assistant", "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
            "function": {"name": "weather", "arguments": ""}}]}),
            None,
        ),
        piece(call("{\"ci"), None),
        piece(call("ty\": \"Par"), None),
        piece(call("is\"}"), None),
        piece(json!({}), Some("tool_calls")),
    ];
    server.create_chat_completion().respond_events(&chunks, Some("[DONE]"));
    let client = server.client().expect("a client");
    let stream = client.create_chat_completion(&ask("m")).stream().await.expect("a stream");
    let completion = nebius_token_factory::chat::assemble(stream, |_| {}).await.expect("assembled");
    let message = serde_json::to_value(&completion.choices[0].message).expect("JSON");
    assert_eq!(message["tool_calls"][0]["function"]["arguments"], "{\"city\": \"Paris\"}");
    assert_eq!(message["tool_calls"][0]["id"], "call_1");
    assert_eq!(serde_json::to_value(&completion.choices[0].finish_reason).expect("JSON"), "tool_calls");
}
