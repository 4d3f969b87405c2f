//! Structured output and tools from Rust types (the `structured` feature):
//! a request asks for a type — OpenAI's `response_format` with the type's
//! JSON Schema, or Nebius's `guided_json` — and the reply's content parses
//! into it, with an error that names where it stops matching. Tool
//! definitions come from types the same way, and a tool call's arguments
//! parse into theirs.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use nebius_token_factory::structured::{self, JsonSchema};
//! use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
//! use nebius_token_factory::Client;
//!
//! #[derive(serde::Deserialize, JsonSchema)]
//! struct City {
//!     name: String,
//!     population: u64,
//! }
//!
//! let client = Client::from_env()?;
//! let request = CreateChatCompletionRequest::new(
//!     "meta-llama/Llama-3.3-70B-Instruct",
//!     vec![ChatCompletionRequestUserMessage::new("The largest city of France, as JSON").into()],
//! )
//! .response_format(structured::response_format::<City>()?);
//! let completion = client.create_chat_completion(&request).await?;
//! let city: City = structured::parse(&completion)?;
//! println!("{} has {} people", city.name, city.population);
//! # Ok(())
//! # }
//! ```

use crate::types::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCallsItem, ChatCompletionTool,
    CreateChatCompletionRequestResponseFormat, CreateChatCompletionResponse,
};
pub use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;

/// A type's JSON Schema, as the API takes it: inline (no `$defs` left to
/// resolve where the type has none), without the `$schema` and `title` keys.
pub fn schema_of<T: JsonSchema>() -> Value {
    let mut schema = schemars::schema_for!(T).to_value();
    if let Value::Object(o) = &mut schema {
        o.remove("$schema");
        o.remove("title");
    }
    schema
}

/// Whether strict mode can take the schema: every object lists all its
/// properties as required and allows no others (made so here where an
/// object lists all as required and says nothing of others).
fn strict(schema: &mut Value) -> bool {
    match schema {
        Value::Object(o) => {
            let mut ok = true;
            if o.get("type") == Some(&Value::from("object")) {
                let names: Vec<&String> =
                    o.get("properties").and_then(Value::as_object).map(|p| p.keys().collect()).unwrap_or_default();
                let required: Vec<&str> = o
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                ok = names.iter().all(|n| required.contains(&n.as_str()));
                match o.get("additionalProperties") {
                    None => {
                        o.insert("additionalProperties".into(), Value::Bool(false));
                    }
                    Some(Value::Bool(false)) => {}
                    Some(_) => ok = false,
                }
            }
            // Every member is visited (none skipped once one fails): each
            // object gets its `additionalProperties`.
            let nested = o.values_mut().map(strict).filter(|fits| !fits).count();
            ok && nested == 0
        }
        Value::Array(items) => items.iter_mut().map(strict).filter(|fits| !fits).count() == 0,
        _ => true,
    }
}

/// The schema for a request, and whether strict mode takes it.
fn request_schema<T: JsonSchema>() -> (Value, bool) {
    let schema = schema_of::<T>();
    let mut strict_schema = schema.clone();
    if strict(&mut strict_schema) {
        (strict_schema, true)
    } else {
        (schema, false)
    }
}

/// The type's name as the API takes it (letters, digits, `_` and `-`).
fn name_of<T: JsonSchema>() -> String {
    let name: String =
        T::schema_name().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    name.chars().take(64).collect()
}

/// `response_format` asking for `T`: its JSON Schema, in strict mode when
/// the schema allows it.
pub fn response_format<T: JsonSchema>() -> Result<CreateChatCompletionRequestResponseFormat, StructuredError> {
    let (schema, strict) = request_schema::<T>();
    let format = serde_json::json!({
        "type": "json_schema",
        "json_schema": {"name": name_of::<T>(), "schema": schema, "strict": strict},
    });
    serde_json::from_value(format).map_err(|e| StructuredError::new("response_format", e.to_string(), None))
}

/// Nebius's `guided_json` for `T`: the value to send as the request's
/// `guided_json` member (`request.extra("guided_json", structured::guided_json::<T>())`).
pub fn guided_json<T: JsonSchema>() -> Value {
    schema_of::<T>()
}

/// A function tool whose parameters are `T`'s JSON Schema (strict when it allows).
pub fn tool<T: JsonSchema>(name: &str, description: &str) -> Result<ChatCompletionTool, StructuredError> {
    let (schema, strict) = request_schema::<T>();
    let tool = serde_json::json!({
        "type": "function",
        "function": {"name": name, "description": description, "parameters": schema, "strict": strict},
    });
    serde_json::from_value(tool).map_err(|e| StructuredError::new("tool", e.to_string(), None))
}

/// The first choice's content parsed into `T`.
pub fn parse<T: DeserializeOwned>(completion: &CreateChatCompletionResponse) -> Result<T, StructuredError> {
    let choice =
        completion.choices.first().ok_or_else(|| StructuredError::new("", "the completion has no choice", None))?;
    if let Some(refusal) = &choice.message.refusal {
        return Err(StructuredError::new("", format!("the model refused: {refusal}"), None));
    }
    let content =
        choice.message.content.as_deref().ok_or_else(|| StructuredError::new("", "the reply has no content", None))?;
    parse_str(content)
}

/// JSON text parsed into `T`; an error names the path where it stops
/// matching (`cities[2].population`) and keeps the text.
pub fn parse_str<T: DeserializeOwned>(text: &str) -> Result<T, StructuredError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| StructuredError::new(&e.path().to_string(), e.inner().to_string(), Some(text)))?;
    de.end().map_err(|e| StructuredError::new("", format!("text after the JSON value: {e}"), Some(text)))?;
    Ok(value)
}

/// The function tool calls of the first choice.
pub fn tool_calls(completion: &CreateChatCompletionResponse) -> Vec<&ChatCompletionMessageToolCall> {
    let calls = completion.choices.first().and_then(|c| c.message.tool_calls.as_ref());
    calls
        .into_iter()
        .flatten()
        .filter_map(|call| match call {
            ChatCompletionMessageToolCallsItem::ChatCompletionMessageToolCall(call) => Some(call),
            _ => None,
        })
        .collect()
}

/// A tool call's arguments parsed into `T`.
pub fn arguments<T: DeserializeOwned>(call: &ChatCompletionMessageToolCall) -> Result<T, StructuredError> {
    parse_str(&call.function.arguments).map_err(|e| StructuredError { tool: Some(call.function.name.clone()), ..e })
}

/// Where a reply (or a tool call's arguments) stops matching its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuredError {
    /// The path in the JSON where it stops matching (`cities[2].population`;
    /// empty for the whole value).
    pub path: String,
    pub message: String,
    /// The tool whose arguments these are.
    pub tool: Option<String>,
    /// The text that was parsed.
    pub text: Option<String>,
}

impl StructuredError {
    fn new(path: &str, message: impl Into<String>, text: Option<&str>) -> Self {
        let path = if path == "." { String::new() } else { path.to_string() };
        StructuredError { path, message: message.into(), tool: None, text: text.map(str::to_string) }
    }
}

impl fmt::Display for StructuredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(tool) = &self.tool {
            write!(f, "the arguments of tool `{tool}`")?;
        } else {
            write!(f, "the reply")?;
        }
        if self.path.is_empty() {
            write!(f, " does not match its type: {}", self.message)
        } else {
            write!(f, " does not match its type at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for StructuredError {}
