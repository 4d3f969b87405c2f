//! The OpenAI-compatible operations, from the same client as the Nebius ones,
//! against a real local server.

mod common;

use common::openai;
use common::TOKEN;
use nebius_token_factory::runtime::FilePart;
use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateFileRequest};
use nebius_token_factory::{Client, Error};
use serde_json::json;

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

#[tokio::test]
async fn a_chat_request_takes_a_model_a_message_and_a_temperature() {
    let server = openai::start().await;
    let client = client(&server.base_url);

    let request =
        CreateChatCompletionRequest::new("my-model", vec![ChatCompletionRequestUserMessage::new("Hi there").into()])
            .temperature(0.5);
    let completion = client.create_chat_completion(&request).await.expect("a completion");

    let received = server.server.last();
    assert_eq!(
        received.body,
        json!({"model": "my-model", "messages": [{"role": "user", "content": "Hi there"}], "temperature": 0.5}),
        "the one-valued `role` is filled in; unset options are not sent"
    );
    assert_eq!(received.authorization.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(completion.choices[0].message.content.as_deref(), Some("Echo: Hi there"));
    assert_eq!(completion.model, "my-model");
}

#[tokio::test]
async fn a_streamed_chat_arrives_token_by_token() {
    let server = openai::start().await;
    let request = CreateChatCompletionRequest::new("m", vec![ChatCompletionRequestUserMessage::new("one two").into()]);
    let mut stream = client(&server.base_url).create_chat_completion(&request).stream().await.expect("a stream");
    let mut tokens = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a chunk");
        tokens.extend(chunk.choices.iter().filter_map(|c| c.delta.content.clone()));
    }
    assert_eq!(tokens, ["Echo:", " one", " two"]);
    let received = server.server.last();
    assert_eq!(received.body["stream"], json!(true), "the streaming call asks for a stream");
    assert_eq!(received.accept.as_deref(), Some("text/event-stream"));
}

#[tokio::test]
async fn api_errors_carry_the_status_the_body_and_the_request_id() {
    let server = openai::start().await;
    let request =
        CreateChatCompletionRequest::new("missing-model", vec![ChatCompletionRequestUserMessage::new("x").into()]);
    let err = client(&server.base_url).create_chat_completion(&request).await.expect_err("a 404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.request_id(), Some("req-404"));
    let text = err.to_string();
    assert!(text.contains("does not exist"), "{text}");
    assert!(!format!("{err:?}{text}").contains(TOKEN));
    assert!(matches!(err, Error::Api { .. } | Error::UnexpectedStatus { .. }), "{err:?}");
}

#[tokio::test]
async fn a_file_uploads_as_multipart_with_its_name_and_purpose() {
    let server = openai::start().await;
    let file = FilePart::new(&b"{\"messages\": []}\n"[..]).file_name("train.jsonl").content_type("application/jsonl");
    let uploaded =
        client(&server.base_url).create_file(&CreateFileRequest::new(file, "fine-tune")).await.expect("uploaded");
    assert_eq!(uploaded.id, "file-abc");
    assert_eq!(uploaded.filename, "train.jsonl");
    let parts = server.server.last().body;
    assert_eq!(parts["purpose"], "fine-tune");
    assert_eq!(parts["file"]["filename"], "train.jsonl");
    assert_eq!(parts["file"]["content_type"], "application/jsonl");
    assert_eq!(parts["file"]["text"], "{\"messages\": []}\n");
}

#[tokio::test]
async fn one_client_from_the_environment_reaches_both_specs() {
    let server = openai::start().await;
    // The only test in this binary that touches the environment.
    std::env::set_var("NEBIUS_BASE_URL", &server.base_url);
    std::env::set_var("NEBIUS_API_KEY", TOKEN);
    let client = Client::from_env().expect("from the environment");

    let models = client.list_models().await.expect("models");
    let ids: Vec<String> = models.data.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["meta-llama/Llama-3.3-70B-Instruct", "Qwen/Qwen3-235B-A22B"]);
    assert_eq!(server.server.last().authorization.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));

    let body = nebius_token_factory::types::CompleteUploadRequest::new(vec!["p".into()]);
    let upload = client.complete_upload("up-1", &body).await.expect("the Nebius operation");
    assert_eq!(upload.id, "up-1");
    let seen = server.nebius.requests.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(seen.last().map(|r| r.raw_path.as_str()), Some("/v1/datasets/uploads/up-1/complete"));
    assert_eq!(nebius_token_factory::DEFAULT_BASE_URL, "https://api.tokenfactory.nebius.com");
}

#[tokio::test]
async fn a_response_streams_its_events() {
    use nebius_token_factory::types::{CreateResponse, ResponseStreamEvent};
    let server = openai::start().await;
    let request = CreateResponse::default().model("m").input("Say hello");
    let mut stream = client(&server.base_url).create_response(&request).stream().await.expect("a stream");
    let mut text = String::new();
    while let Some(event) = stream.next().await {
        match event.expect("an event") {
            ResponseStreamEvent::ResponseTextDeltaEvent(delta) => text.push_str(&delta.delta),
            other => panic!("not a text delta: {other:?}"),
        }
    }
    assert_eq!(text, "Hello");
    let got = server.server.last();
    assert_eq!(got.path, "/v1/responses");
    assert_eq!(got.body["stream"], json!(true), "the streaming call asks for a stream");
    assert_eq!(got.body["input"], "Say hello");
}

#[tokio::test]
async fn a_chat_stream_cut_before_done_ends_with_an_error() {
    let server = openai::start().await;
    let request =
        CreateChatCompletionRequest::new("cut-model", vec![ChatCompletionRequestUserMessage::new("one two").into()]);
    let mut stream = client(&server.base_url).create_chat_completion(&request).stream().await.expect("a stream");
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    let (last, chunks) = items.split_last().expect("items");
    assert_eq!(chunks.len(), 3, "every chunk that arrived");
    assert!(chunks.iter().all(Result::is_ok));
    let err = last.as_ref().expect_err("the missing [DONE] is an error, not a quiet end");
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[tokio::test]
async fn list_files_pages_through_openai_cursors_one_page_at_a_time() {
    let server = openai::start().await;
    let client = client(&server.base_url);
    let mut files = client.list_files().paginate();
    let mut ids = Vec::new();
    while let Some(file) = files.next().await {
        ids.push(file.expect("a file").id);
        let requests = server.server.received.lock().unwrap().len();
        assert_eq!(requests, ids.len().div_ceil(3), "a page is fetched only when the caller reaches it");
    }
    assert_eq!(ids, (0..7).map(|i| format!("file-{i}")).collect::<Vec<_>>());
    let queries: Vec<Option<String>> = server.server.received.lock().unwrap().iter().map(|r| r.query.clone()).collect();
    assert_eq!(queries, [None, Some("after=file-2".into()), Some("after=file-5".into())], "3 pages, by last_id");

    let mut pages = client.list_files().purpose("batch").limit(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("a page").body.data.len());
    }
    assert_eq!(sizes, [2, 1], "the caller's filter and page size go with every page");
}
