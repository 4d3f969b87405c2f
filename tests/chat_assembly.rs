//! A streamed chat completion assembles into what the same request returns
//! without streaming: the same server content sent both ways (split into
//! many chunks, tool calls split mid-argument, several choices, logprobs,
//! Nebius's `reasoning_content`, members the spec does not list), against a
//! local server; and a stream cut short keeps what arrived.

#![cfg(feature = "chat")]

use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use nebius_token_factory::chat::{assemble, ChatAssembler, StreamError};
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateChatCompletionResponse,
};
use nebius_token_factory::Client;
use serde_json::{json, Value};

/// What the server answers, whole.
fn completion() -> Value {
    let token = |t: &str, lp: f64| json!({"token": t, "logprob": lp, "bytes": t.as_bytes(), "top_logprobs": []});
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "m",
        "system_fingerprint": "fp-1",
        "choices": [
            {"index": 0, "finish_reason": "stop",
             "logprobs": {"content": [token("Hel", -0.1), token("lo", -0.2), token("!", -0.3)], "refusal": null},
             "message": {"role": "assistant", "content": "Hello! How can I help you today?",
                         "reasoning_content": "The user greets; greet back."}},
            {"index": 1, "finish_reason": "tool_calls", "logprobs": null,
             "message": {"role": "assistant", "tool_calls": [
                {"id": "call_a", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\", \"unit\": \"celsius\"}"}},
                {"id": "call_b", "type": "function",
                 "function": {"name": "get_time", "arguments": "{\"zone\": \"Europe/Amsterdam\"}"}}]}}
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 31, "total_tokens": 40},
        "region": "eu-north1"
    })
}

/// The same content as chunks: text in pieces of three characters, tool call
/// arguments in pieces of four, the choices interleaved, logprobs a token a
/// chunk, then each choice's finish and a last chunk with the usage.
fn chunks() -> Vec<Value> {
    let whole = completion();
    let head = |choices: Value| {
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": "m",
               "system_fingerprint": "fp-1", "region": "eu-north1", "obfuscation": "xyz", "choices": choices})
    };
    let pieces = |s: &str, n: usize| {
        s.chars().collect::<Vec<_>>().chunks(n).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>()
    };
    let mut deltas: Vec<Vec<Value>> = vec![Vec::new(), Vec::new()];
    let first = &whole["choices"][0];
    deltas[0].push(json!({"index": 0, "delta": {"role": "assistant", "content": ""}}));
    for p in pieces(first["message"]["reasoning_content"].as_str().unwrap_or_default(), 3) {
        deltas[0].push(json!({"index": 0, "delta": {"reasoning_content": p}}));
    }
    for (i, p) in pieces(first["message"]["content"].as_str().unwrap_or_default(), 3).into_iter().enumerate() {
        let logprobs = first["logprobs"]["content"].get(i).map(|t| json!({"content": [t]}));
        deltas[0].push(json!({"index": 0, "delta": {"content": p}, "logprobs": logprobs}));
    }
    deltas[0].push(json!({"index": 0, "delta": {}, "finish_reason": "stop"}));
    deltas[1].push(json!({"index": 1, "delta": {"role": "assistant"}}));
    for (k, call) in whole["choices"][1]["message"]["tool_calls"].as_array().into_iter().flatten().enumerate() {
        let start = json!({"index": k, "id": call["id"], "type": "function",
                           "function": {"name": call["function"]["name"], "arguments": ""}});
        deltas[1].push(json!({"index": 1, "delta": {"tool_calls": [start]}}));
        for p in pieces(call["function"]["arguments"].as_str().unwrap_or_default(), 4) {
            let piece = json!({"index": k, "function": {"arguments": p}});
            deltas[1].push(json!({"index": 1, "delta": {"tool_calls": [piece]}}));
        }
    }
    deltas[1].push(json!({"index": 1, "delta": {}, "finish_reason": "tool_calls"}));
    let mut out = Vec::new();
    let longest = deltas.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        let both: Vec<Value> = deltas.iter().filter_map(|d| d.get(i).cloned()).collect();
        out.push(head(Value::Array(both)));
    }
    let mut last = head(json!([]));
    last["usage"] = whole["usage"].clone();
    out.push(last);
    out
}

/// Streamed (`stream: true`), the chunks; otherwise the completion. With
/// `cut`, the stream stops after that many chunks, without `[DONE]`.
async fn serve(cut: Option<usize>) -> String {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<Value>| async move {
            if body["stream"] != json!(true) {
                return Json(completion()).into_response();
            }
            let all = chunks();
            let sent = cut.map_or(all.len(), |n| n.min(all.len()));
            let mut text: String = all[..sent].iter().map(|c| format!("data: {c}\n\n")).collect();
            if cut.is_none() {
                text.push_str("data: [DONE]\n\n");
            }
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(axum::body::Body::from(text))
                .expect("a response")
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn request() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new("m", vec![ChatCompletionRequestUserMessage::new("Hi").into()])
}

#[tokio::test]
async fn streamed_and_whole_answers_are_equal() {
    let base = serve(None).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let whole: CreateChatCompletionResponse = client.create_chat_completion(&request()).await.expect("whole");
    let stream = client.create_chat_completion(&request()).stream().await.expect("stream");
    let mut printed = String::new();
    let mut seen = 0;
    let assembled = assemble(stream, |chunk| {
        seen += 1;
        for choice in chunk.choices.iter().filter(|c| c.index == 0) {
            printed.push_str(choice.delta.content.as_deref().unwrap_or_default());
        }
    })
    .await
    .expect("assembled");
    assert_eq!(seen, chunks().len(), "the caller saw every chunk");
    assert_eq!(printed, "Hello! How can I help you today?");
    assert_eq!(assembled, whole);
    // What the spec does not list arrived too, on the message and the completion.
    assert_eq!(
        assembled.choices[0].message.extra.value("reasoning_content"),
        Some(&json!("The user greets; greet back."))
    );
    assert_eq!(assembled.extra.value("region"), Some(&json!("eu-north1")));
    assert_eq!(assembled.usage.as_ref().map(|u| u.total_tokens), Some(40));
}

#[tokio::test]
async fn a_cut_stream_is_an_error_that_keeps_what_arrived() {
    let base = serve(Some(6)).await;
    let client = Client::with_base_url(&base).expect("client").bearer_token("k");
    let stream = client.create_chat_completion(&request()).stream().await.expect("stream");
    let err = assemble(stream, |_| {}).await.expect_err("cut short");
    let StreamError::Stream { error, partial } = &err else { panic!("not the stream's error: {err}") };
    assert!(error.to_string().contains("[DONE]"), "{error}");
    assert_eq!(partial.chunks(), 6);
    let snapshot = partial.snapshot();
    let reasoning = snapshot["choices"][0]["message"]["reasoning_content"].as_str().unwrap_or_default();
    assert!("The user greets; greet back.".starts_with(reasoning) && !reasoning.is_empty(), "{snapshot}");
    assert!(partial.completion().is_err(), "no finish_reason yet: not a completion");
}

#[test]
fn an_assembler_fed_by_hand_names_what_is_missing() {
    let mut assembler = ChatAssembler::new();
    for chunk in chunks().into_iter().take(3) {
        assembler.push(&serde_json::from_value(chunk).expect("a chunk"));
    }
    let err = assembler.completion().expect_err("not finished");
    assert_eq!(err.path, "choices[0]");
    assert!(err.message.contains("finish_reason"), "{err}");
}
