//! Typed async client for the Nebius Token Factory API (OpenAI-compatible
//! inference), generated at build time from `spec/` by `openapi-gen`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use nebius_token_factory::{types, Client};
//!
//! let client = Client::from_env()?; // NEBIUS_API_KEY, optional NEBIUS_BASE_URL
//! let body = types::CompleteUploadRequest { part_ids: vec!["part-1".into()] };
//! let upload = client.complete_upload("upload-123", &body).ai_project_id("my-project").await?;
//! println!("{:?}", upload.upload_info.status);
//! # Ok(())
//! # }
//! ```
//!
//! The same code is committed in `generated/client.rs` for review.

include!(concat!(env!("OUT_DIR"), "/client.rs"));
