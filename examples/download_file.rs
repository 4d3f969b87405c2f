//! Download a file's content (a batch's results, a training file): streamed to
//! a path, or to stdout, without holding it in memory. With `-o`, progress goes
//! to stderr: a bar on a terminal, a line at each tenth otherwise.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example download_file -- <file_id> [-o <path>]
//! ```
//!
//! `NEBIUS_BASE_URL` overrides the API's address. On failure the error goes to
//! stderr and the exit code is 1 (2 for a usage error); a partly written file
//! is removed.

use clap::Parser;
use nebius_token_factory::Client;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod support;

/// Download the content of a file of Nebius Token Factory.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The file's id (`file-...`).
    file_id: String,
    /// Where to write the content (default: stdout).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    let result = run(&args).await;
    if let (Err(_), Some(path)) = (&result, &args.output) {
        let _ = std::fs::remove_file(path);
    }
    match result {
        Ok(bytes) => {
            if let Some(path) = &args.output {
                eprintln!("wrote {bytes} bytes to {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Stream the content to the output; the number of bytes written.
async fn run(args: &Args) -> Result<u64, Failure> {
    let client = Client::from_env()?;
    let stream = client.download_file(&args.file_id).stream_bytes().await?;
    if let Some(path) = &args.output {
        let written = stream.on_progress(support::progress("downloading")).to_file(path).await;
        return Ok(written.map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let mut stream = stream;
    let mut out = std::io::stdout().lock();
    let mut written = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        out.write_all(&chunk)?;
        written += chunk.len() as u64;
    }
    out.flush()?;
    Ok(written)
}
