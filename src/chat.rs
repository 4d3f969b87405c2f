//! What chat-SDK users reach for around the chat call: a streamed completion
//! assembled into the [`CreateChatCompletionResponse`](crate::types::CreateChatCompletionResponse) the same request would
//! have returned without streaming.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use nebius_token_factory::chat::assemble;
//! use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
//! use nebius_token_factory::Client;
//!
//! let client = Client::from_env()?;
//! let request = CreateChatCompletionRequest::new(
//!     "meta-llama/Llama-3.3-70B-Instruct",
//!     vec![ChatCompletionRequestUserMessage::new("Hello!").into()],
//! );
//! let stream = client.create_chat_completion(&request).stream().await?;
//! // Print as it comes; get the whole message at the end.
//! let completion = assemble(stream, |chunk| {
//!     for choice in &chunk.choices {
//!         print!("{}", choice.delta.content.as_deref().unwrap_or_default());
//!     }
//! })
//! .await?;
//! println!("\n{:?}", completion.choices[0].finish_reason);
//! # Ok(())
//! # }
//! ```

use crate::runtime::{Error, EventStream};
use crate::types::{CreateChatCompletionResponse, CreateChatCompletionStreamResponse};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Chunks of a chat stream, merged as they come: per choice, text members
/// (`content`, `refusal`, Nebius's `reasoning_content`, any other string)
/// concatenated, tool calls merged by their `index` (id and type kept, name
/// and arguments concatenated), lists (`logprobs.content`, `annotations`)
/// extended, everything else the latest value; the completion's own members
/// (id, model, created, `usage` of the last chunk, members the spec does not
/// list) the latest that is not null.
#[derive(Debug, Clone, Default)]
pub struct ChatAssembler {
    /// The completion's members but `choices`.
    top: Map<String, Value>,
    /// Each choice by its index: its members, with `delta` merged into `message`.
    choices: BTreeMap<i64, Map<String, Value>>,
    chunks: usize,
}

impl ChatAssembler {
    pub fn new() -> Self {
        ChatAssembler::default()
    }

    /// Merge one chunk.
    pub fn push(&mut self, chunk: &CreateChatCompletionStreamResponse) {
        self.chunks += 1;
        let Ok(Value::Object(chunk)) = serde_json::to_value(chunk) else { return };
        for (key, value) in chunk {
            match key.as_str() {
                "choices" => {
                    for choice in value.as_array().into_iter().flatten().filter_map(Value::as_object) {
                        self.push_choice(choice);
                    }
                }
                // A chunk's own: not part of the completion.
                "object" | "obfuscation" => {}
                _ if value.is_null() => {}
                _ => {
                    self.top.insert(key, value);
                }
            }
        }
    }

    fn push_choice(&mut self, choice: &Map<String, Value>) {
        let index = choice.get("index").and_then(Value::as_i64).unwrap_or(0);
        let state = self.choices.entry(index).or_default();
        for (key, value) in choice {
            match key.as_str() {
                "delta" => {
                    let message = state.entry("message").or_insert_with(|| Value::Object(Map::new()));
                    if let (Value::Object(message), Value::Object(delta)) = (message, value) {
                        for (k, v) in delta {
                            merge_member(message, k, v);
                        }
                    }
                }
                "logprobs" => merge_member(state, key, value),
                _ if value.is_null() => {}
                _ => {
                    state.insert(key.clone(), value.clone());
                }
            }
        }
    }

    /// How many chunks were merged.
    pub fn chunks(&self) -> usize {
        self.chunks
    }

    /// What has arrived so far, as the JSON of a completion (members a
    /// completion requires may be missing while the stream is not done).
    pub fn snapshot(&self) -> Value {
        let mut out = self.top.clone();
        out.insert("object".into(), Value::from("chat.completion"));
        let choices = self.choices.values().map(|choice| {
            let mut choice = choice.clone();
            let message = choice.entry("message").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(message) = message {
                message.entry("role").or_insert_with(|| Value::from("assistant"));
                if let Some(Value::Array(calls)) = message.get_mut("tool_calls") {
                    // Merged by index; the message lists them without it.
                    calls.iter_mut().filter_map(Value::as_object_mut).for_each(|c| {
                        c.remove("index");
                    });
                }
            }
            Value::Object(choice)
        });
        out.insert("choices".into(), Value::Array(choices.collect()));
        Value::Object(out)
    }

    /// The completion the chunks make, typed; an error names what does not
    /// fit (a stream that ended before a choice's `finish_reason`, say).
    pub fn completion(&self) -> Result<CreateChatCompletionResponse, AssembleError> {
        let snapshot = self.snapshot();
        serde_path_to_error::deserialize(&snapshot)
            .map_err(|e| AssembleError { path: e.path().to_string(), message: e.inner().to_string() })
    }
}

/// Merge `value` into `into[key]`: strings concatenated, tool calls by index,
/// lists extended, objects member by member, anything else replaced.
fn merge_member(into: &mut Map<String, Value>, key: &str, value: &Value) {
    if value.is_null() {
        return;
    }
    let Some(old) = into.get_mut(key).filter(|old| !old.is_null()) else {
        let fresh = match (key, value) {
            // Merged by index from the start, so later pieces find them.
            ("tool_calls", Value::Array(calls)) => {
                let mut merged = Vec::new();
                merge_tool_calls(&mut merged, calls);
                Value::Array(merged)
            }
            _ => value.clone(),
        };
        into.insert(key.to_string(), fresh);
        return;
    };
    match (old, value) {
        (Value::String(old), Value::String(new)) if key != "role" && key != "type" && key != "id" => old.push_str(new),
        (Value::Array(old), Value::Array(new)) if key == "tool_calls" => merge_tool_calls(old, new),
        (Value::Array(old), Value::Array(new)) => old.extend(new.iter().cloned()),
        (Value::Object(old), Value::Object(new)) => {
            for (k, v) in new {
                merge_member(old, k, v);
            }
        }
        (old, new) => *old = new.clone(),
    }
}

/// Tool call pieces merged into the calls of the same `index`.
fn merge_tool_calls(calls: &mut Vec<Value>, pieces: &[Value]) {
    for piece in pieces.iter().filter_map(Value::as_object) {
        let index = piece.get("index").and_then(Value::as_i64);
        let at = calls.iter().position(|c| c.get("index").and_then(Value::as_i64) == index);
        match at.and_then(|i| calls.get_mut(i)).and_then(Value::as_object_mut) {
            Some(call) => {
                for (k, v) in piece {
                    merge_member(call, k, v);
                }
            }
            None => calls.push(Value::Object(piece.clone())),
        }
    }
}

/// The chunks do not make a completion: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssembleError {
    /// Where in the completion (`choices[0].finish_reason`).
    pub path: String,
    pub message: String,
}

impl fmt::Display for AssembleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the streamed chunks do not make a completion at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for AssembleError {}

/// Why [`assemble`] has no completion; what arrived stays in `partial`.
#[derive(Debug)]
pub enum StreamError {
    /// The stream failed (cut off, an error event, a timeout).
    Stream { error: Error, partial: ChatAssembler },
    /// It ended, but its chunks do not make a completion.
    Assemble { error: AssembleError, partial: ChatAssembler },
}

impl StreamError {
    /// What arrived before it failed.
    pub fn partial(&self) -> &ChatAssembler {
        match self {
            StreamError::Stream { partial, .. } | StreamError::Assemble { partial, .. } => partial,
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Stream { error, partial } => {
                write!(f, "{error} (after {} chunks; what arrived is kept)", partial.chunks())
            }
            StreamError::Assemble { error, .. } => error.fmt(f),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Stream { error, .. } => Some(error),
            StreamError::Assemble { error, .. } => Some(error),
        }
    }
}

/// Read a chat stream to its end, showing each chunk to `each` as it comes
/// (to print it), and return the completion the chunks make.
pub async fn assemble(
    mut stream: EventStream<CreateChatCompletionStreamResponse>,
    mut each: impl FnMut(&CreateChatCompletionStreamResponse),
) -> Result<CreateChatCompletionResponse, StreamError> {
    let mut assembler = ChatAssembler::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                each(&chunk);
                assembler.push(&chunk);
            }
            Err(error) => return Err(StreamError::Stream { error, partial: assembler }),
        }
    }
    assembler.completion().map_err(|error| StreamError::Assemble { error, partial: assembler })
}
