//! Upload a local JSONL file (for fine-tuning or batches) and print the file object as JSON.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example upload_file -- <file.jsonl> [--purpose <purpose>]
//! ```
//!
//! The file is streamed as it is sent, never held in memory (Nebius takes
//! batch files of gigabytes), and read again from its start if an attempt is
//! retried. Progress goes to stderr: a bar on a terminal, a line at each tenth
//! otherwise. `NEBIUS_BASE_URL` overrides the API's address. On failure the
//! error goes to stderr and the exit code is 1 (2 for a usage error).

use clap::Parser;
use nebius_token_factory::runtime::FilePart;
use nebius_token_factory::types::CreateFileRequest;
use nebius_token_factory::Client;
use std::path::PathBuf;
use std::process::ExitCode;

mod support;

/// Upload a file to Nebius Token Factory.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The file to upload (JSON Lines).
    file: PathBuf,
    /// What the file is for: fine-tune, batch, ...
    #[arg(long, default_value = "fine-tune")]
    purpose: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    match run(&args).await {
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

async fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let file = FilePart::from_path(&args.file)
        .await
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?
        .content_type("application/jsonl")
        .on_progress(support::progress("uploading"));
    let uploaded = client.create_file(&CreateFileRequest::new(file, args.purpose.as_str())).await?;
    Ok(serde_json::to_string_pretty(&uploaded)?)
}
