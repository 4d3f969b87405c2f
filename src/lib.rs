//! Typed async client for the Nebius Token Factory API (OpenAI-compatible
//! inference), generated at build time from `spec/` by `openapi-gen`: the
//! Nebius datasets API and the OpenAI-compatible operations Nebius serves
//! (chat and text completions, embeddings, images, models, files, batches,
//! fine-tuning), all from one [`Client`].
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
//! use nebius_token_factory::Client;
//!
//! let client = Client::from_env()?; // NEBIUS_API_KEY, optional NEBIUS_BASE_URL
//! let message = ChatCompletionRequestUserMessage::new("Hello!");
//! let request = CreateChatCompletionRequest::new("meta-llama/Llama-3.3-70B-Instruct", vec![message.into()]);
//! let completion = client.create_chat_completion(&request.temperature(0.7)).await?;
//! println!("{:?}", completion.choices[0].message.content);
//! # Ok(())
//! # }
//! ```
//!
//! The code is committed in `generated/client.rs`, which is what a program
//! depending on the crate compiles; with the `regenerate` feature the build
//! script generates it from `spec/` instead (this repository's own builds do).
//! The README lists every operation.

#[cfg(not(feature = "regenerate"))]
include!("../generated/client.rs");
#[cfg(feature = "regenerate")]
include!(concat!(env!("OUT_DIR"), "/client.rs"));

/// Helpers over the chat API: a streamed completion assembled into the
/// completion a request without streaming returns.
#[cfg(feature = "chat")]
pub mod chat;

/// Structured output and tools from Rust types: JSON Schemas derived with
/// schemars, replies and tool arguments parsed with located errors.
#[cfg(feature = "structured")]
pub mod structured;

/// The README's Rust examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
