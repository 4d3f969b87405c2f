//! What the spec does not say, against a real local server: members and
//! query parameters it does not list reach the server; members the server
//! adds (vLLM's `reasoning_content`) are readable and survive a re-encode; a
//! missing one-valued member decodes; an undeclared error shows its message;
//! a mis-declared response is readable raw.

mod common;

use common::openai;
use common::TOKEN;
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionError, CreateChatCompletionRequest,
};
use nebius_token_factory::{BuilderExt as _, Client, Error};
use serde_json::json;

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

fn request(model: &str) -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new(model, vec![ChatCompletionRequestUserMessage::new("hi").into()])
}

#[tokio::test]
async fn members_and_query_parameters_the_spec_lacks_reach_the_server() {
    let server = openai::start().await;
    let schema = json!({"type": "object", "properties": {"answer": {"type": "string"}}});
    let body = request("m").extra("guided_json", &schema).extra("repetition_penalty", 1.1).temperature(0.2);
    client(&server.base_url)
        .create_chat_completion(&body)
        .extra_query("api-version", "2026-05-06")
        .extra_body("top_k", 5)
        .await
        .expect("a completion");
    let received = server.server.last();
    assert_eq!(
        received.body,
        json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.2,
               "guided_json": schema, "repetition_penalty": 1.1, "top_k": 5})
    );
    assert_eq!(received.query.as_deref(), Some("api-version=2026-05-06"));
}

#[tokio::test]
async fn a_member_named_like_a_typed_field_is_an_error_not_a_silent_choice() {
    let server = openai::start().await;
    let body = request("m").extra("model", "other");
    let err = client(&server.base_url).create_chat_completion(&body).await.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("extra member `model` is a declared field"), "{err}");
    assert!(server.server.received.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn what_the_server_adds_is_readable_and_survives_a_re_encode() {
    let server = openai::start().await;
    let response = client(&server.base_url)
        .create_chat_completion(&request("reasoning-model"))
        .send_raw()
        .await
        .expect("raw completion");
    let sent: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert!(sent.get("object").is_none(), "the server leaves out the one-valued `object`");

    let completion = client(&server.base_url).create_chat_completion(&request("reasoning-model")).await.unwrap();
    let message = &completion.choices[0].message;
    assert_eq!(message.extra.get::<String>("reasoning_content").unwrap().as_deref(), Some("The user said hi."));
    assert_eq!(completion.extra.get::<serde_json::Value>("kv_transfer_params").unwrap().unwrap()["node"], 7);
    // Everything the server sent is printed back, `object` filled in.
    let mut expected = sent.clone();
    expected["object"] = json!("chat.completion");
    assert_eq!(serde_json::to_value(&completion).unwrap(), expected);
}

#[tokio::test]
async fn reasoning_content_in_a_stream_delta_is_readable() {
    let server = openai::start().await;
    let mut stream =
        client(&server.base_url).create_chat_completion(&request("reasoning-model")).stream().await.expect("stream");
    let mut thoughts = Vec::new();
    while let Some(chunk) = stream.next().await {
        for choice in chunk.expect("a chunk").choices {
            thoughts.extend(choice.delta.extra.get::<String>("reasoning_content").unwrap());
        }
    }
    assert_eq!(thoughts, ["thought 0", "thought 1"]);
}

#[tokio::test]
async fn an_undeclared_401_is_typed_by_the_error_schema_and_shows_its_message() {
    let server = openai::start().await;
    let err = client(&server.base_url).create_chat_completion(&request("bad-key")).await.expect_err("a 401");
    assert_eq!(err.to_string(), "HTTP 401 Unauthorized: Incorrect API key provided (request id req-401)");
    let Error::Api { body: CreateChatCompletionError::Default(body), .. } = &err else { panic!("typed: {err:?}") };
    assert_eq!(body.error.code.as_deref(), Some("invalid_api_key"));
    assert_eq!(err.body_json().unwrap()["error"]["type"], "invalid_request_error");
    assert!(!format!("{err}{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn the_raw_form_returns_the_exact_bytes_of_a_mis_declared_response() {
    let server = openai::start().await;
    let typed = client(&server.base_url).create_chat_completion(&request("text-model")).await;
    assert!(matches!(typed, Err(Error::Decode { .. })), "{typed:?}");
    let raw = client(&server.base_url).create_chat_completion(&request("text-model")).send_raw().await.unwrap();
    assert_eq!(raw.status.as_u16(), 200);
    assert_eq!(raw.header("content-type"), Some("text/plain"));
    assert_eq!(raw.body, b"Echo: not JSON\n");
    let mut stream =
        client(&server.base_url).create_chat_completion(&request("text-model")).send_raw_stream().await.unwrap();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(bytes, b"Echo: not JSON\n");
}

#[tokio::test]
async fn each_security_scheme_has_a_typed_setter() {
    let server = openai::start().await;
    let client =
        Client::with_base_url(&server.base_url).expect("client").http_bearer("nebius-key").api_key_auth("openai-key");
    client.create_chat_completion(&request("m")).await.expect("a completion");
    assert_eq!(server.server.last().authorization.as_deref(), Some("Bearer openai-key"), "OpenAI's scheme");
    let body = nebius_token_factory::types::CompleteUploadRequest::new(vec!["p".into()]);
    let _ = client.complete_upload("up-1", &body).await;
    let nebius = server.nebius.requests.lock().unwrap().pop().expect("the datasets route was called");
    assert_eq!(nebius.authorization.as_deref(), Some("Bearer nebius-key"), "Nebius's scheme");
}
