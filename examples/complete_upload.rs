//! Complete a multipart dataset upload and print the result as JSON.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example complete_upload -- <upload_id> <part_id>... [--project <ai_project_id>]
//! ```
//!
//! `NEBIUS_BASE_URL` overrides the API's address. On failure the error goes to
//! stderr and the exit code is 1 (2 for a usage error).

use clap::Parser;
use nebius_token_factory::{types::CompleteUploadRequest, Client};
use std::process::ExitCode;

mod support;

/// Complete a multipart upload of a Nebius Token Factory dataset.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The upload to complete.
    upload_id: String,
    /// The ids of its uploaded parts, in order.
    #[arg(required = true)]
    part_ids: Vec<String>,
    /// The project the upload belongs to (`ai_project_id`).
    #[arg(long, value_name = "AI_PROJECT_ID")]
    project: Option<String>,
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    match run(args).await {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run(args: Args) -> Result<String, Failure> {
    let client = Client::from_env()?;
    let body = CompleteUploadRequest::new(args.part_ids);
    let mut call = client.complete_upload(&args.upload_id, &body);
    if let Some(project) = &args.project {
        call = call.ai_project_id(project);
    }
    Ok(serde_json::to_string_pretty(&call.await?)?)
}
