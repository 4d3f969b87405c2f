//! Run a batch: upload a JSONL file of requests, create the batch, and with
//! `--wait` wait for it (a line each time its state changes) and download its
//! output (and its errors, if any) next to the input.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example batch -- <input.jsonl> [--endpoint /v1/chat/completions] [--wait]
//! ```
//!
//! The file is streamed, never held in memory; the wait polls with growing
//! intervals (1 s up to 30 s) and can be stopped with Ctrl-C: nothing runs on
//! after the program ends. `NEBIUS_BASE_URL` overrides the API's address. On
//! failure the error goes to stderr and the exit code is 1 (2 for a usage
//! error); a batch that ends failed, expired or cancelled exits 1 too.

use clap::Parser;
use nebius_token_factory::runtime::FilePart;
use nebius_token_factory::types::{CreateBatchRequest, CreateFileRequest};
use nebius_token_factory::Client;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

mod support;

/// Run a batch of requests on Nebius Token Factory.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The requests, one JSON object a line (`custom_id`, `method`, `url`, `body`).
    input: PathBuf,
    /// The endpoint every request of the file calls.
    #[arg(long, default_value = "/v1/chat/completions")]
    endpoint: String,
    /// Wait until the batch ends, then download its output.
    #[arg(long)]
    wait: bool,
    /// With --wait: the first wait between polls, in seconds (later ones grow).
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    every: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    support::exit(run(&args).await)
}

async fn run(args: &Args) -> Result<(), support::Failure> {
    let client = Client::from_env()?;
    let file = FilePart::from_path(&args.input)
        .await
        .map_err(|e| format!("cannot read {}: {e}", args.input.display()))?
        .content_type("application/jsonl")
        .on_progress(support::progress("uploading"));
    let uploaded = client.create_file(&CreateFileRequest::new(file, "batch")).await?;
    eprintln!("uploaded {} as {}", args.input.display(), uploaded.id);
    let batch = client.create_batch(&CreateBatchRequest::new(uploaded.id.as_str(), args.endpoint.as_str())).await?;
    eprintln!("created batch {} ({})", batch.id, batch.status);
    if !args.wait {
        println!("{}", batch.id);
        return Ok(());
    }
    let mut last = String::new();
    let done = client
        .retrieve_batch(&batch.id)
        .wait()
        .every(Duration::from_secs_f64(args.every.max(0.01)))
        .on_state(move |b, state| {
            if state != last {
                let counts = b
                    .request_counts
                    .as_ref()
                    .map(|c| format!(" ({} of {} done, {} failed)", c.completed, c.total, c.failed));
                eprintln!("batch {}: {state}{}", b.id, counts.unwrap_or_default());
                last = state.to_string();
            }
        })
        .await?;
    let batch = done.response.body;
    for (what, id) in [("output", &batch.output_file_id), ("errors", &batch.error_file_id)] {
        if let Some(id) = id {
            let path = beside(&args.input, what);
            let written = client.download_file(id).stream_bytes().await?.to_file(&path).await?;
            eprintln!("wrote {written} bytes of {what} to {}", path.display());
        }
    }
    println!("{}", batch.id);
    if done.failed {
        return Err(format!("batch {} ended {}", batch.id, done.state).into());
    }
    Ok(())
}

/// `input.output.jsonl` beside `input.jsonl`.
fn beside(input: &Path, what: &str) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "batch".into());
    input.with_file_name(format!("{stem}.{what}.jsonl"))
}
