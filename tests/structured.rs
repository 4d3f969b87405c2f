//! Structured output and tools from Rust types, against a local server: the
//! request carries the type's JSON Schema (strict where it allows), the reply
//! parses into the type, and a reply or tool arguments that do not match
//! name the place.

use axum::routing::post;
use axum::{Json, Router};
use nebius_token_factory::structured::{self, JsonSchema};
use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use nebius_token_factory::Client;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct City {
    name: String,
    population: u64,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct Cities {
    cities: Vec<City>,
}

#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct Weather {
    city: String,
    /// Not required: strict mode cannot take it.
    unit: Option<String>,
}

/// Answers every chat request with `reply` (the message), keeping the requests.
async fn serve(reply: Value) -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<Value>| {
            let (record, reply) = (Arc::clone(&record), reply.clone());
            async move {
                record.lock().expect("lock").push(body);
                Json(json!({"id": "c", "object": "chat.completion", "created": 1, "model": "m",
                    "choices": [{"index": 0, "finish_reason": "stop", "message": reply}]}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, seen)
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new("m", vec![ChatCompletionRequestUserMessage::new("Cities?").into()])
}

#[tokio::test]
async fn a_reply_parses_into_the_type_the_request_asked_for() {
    let content = r#"{"cities": [{"name": "Paris", "population": 2100000}, {"name": "Lyon", "population": 520000}]}"#;
    let (base, seen) = serve(json!({"role": "assistant", "content": content})).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let format = structured::response_format::<Cities>().expect("a response format");
    let completion = client.create_chat_completion(&request().response_format(format)).await.expect("reply");
    let cities: Cities = structured::parse(&completion).expect("parsed");
    assert_eq!(cities.cities[1], City { name: "Lyon".into(), population: 520_000 });
    let sent = seen.lock().expect("lock")[0]["response_format"].clone();
    assert_eq!(sent["type"], "json_schema");
    assert_eq!(sent["json_schema"]["name"], "Cities");
    assert_eq!(sent["json_schema"]["strict"], true, "every member required: strict");
    let schema = &sent["json_schema"]["schema"];
    assert_eq!(schema["additionalProperties"], false, "strict objects allow nothing else: {schema}");
    assert_eq!(schema["properties"]["cities"]["type"], "array");
}

#[tokio::test]
async fn a_reply_that_does_not_match_names_where() {
    let content = r#"{"cities": [{"name": "Paris", "population": 2100000}, {"name": "Lyon", "population": "many"}]}"#;
    let (base, _) = serve(json!({"role": "assistant", "content": content})).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let completion = client.create_chat_completion(&request()).await.expect("reply");
    let err = structured::parse::<Cities>(&completion).expect_err("a string is not a count");
    assert_eq!(err.path, "cities[1].population");
    assert!(err.to_string().contains("at `cities[1].population`"), "{err}");
    assert_eq!(err.text.as_deref(), Some(content), "the text is kept");
    let refused = json!({"role": "assistant", "content": null, "refusal": "I cannot"});
    let (base, _) = serve(refused).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let completion = client.create_chat_completion(&request()).await.expect("reply");
    assert!(structured::parse::<Cities>(&completion).expect_err("refused").to_string().contains("refused"));
}

#[tokio::test]
async fn tools_come_from_types_and_their_arguments_parse_or_name_the_place() {
    let calls = json!([
        {"id": "a", "type": "function", "function": {"name": "weather", "arguments": "{\"city\": \"Paris\"}"}},
        {"id": "b", "type": "function", "function": {"name": "weather", "arguments": "{\"unit\": \"c\"}"}}
    ]);
    let (base, seen) = serve(json!({"role": "assistant", "content": null, "tool_calls": calls})).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let tool = structured::tool::<Weather>("weather", "The weather in a city").expect("a tool");
    let completion = client.create_chat_completion(&request().tools(vec![tool.into()])).await.expect("reply");
    let sent = seen.lock().expect("lock")[0]["tools"][0].clone();
    assert_eq!(sent["function"]["name"], "weather");
    assert_eq!(sent["function"]["strict"], false, "an optional member: not strict");
    assert_eq!(sent["function"]["parameters"]["required"], json!(["city"]));
    let calls = structured::tool_calls(&completion);
    let first: Weather = structured::arguments(calls[0]).expect("parsed");
    assert_eq!(first, Weather { city: "Paris".into(), unit: None });
    let err = structured::arguments::<Weather>(calls[1]).expect_err("no city");
    assert!(err.to_string().starts_with("the arguments of tool `weather` does not match"), "{err}");
    assert!(err.message.contains("city"), "{err}");
}

#[test]
fn guided_json_is_the_schema_itself() {
    let schema = structured::guided_json::<City>();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["required"], json!(["name", "population"]));
    assert!(schema.get("$schema").is_none());
}
