//! Print every file of the account across all pages, one JSON object a line.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example list_files -- [--purpose <purpose>] [--page-size <n>]
//! ```
//!
//! Pages are fetched as the output reaches them (`.paginate()`, OpenAI's
//! `after` cursor). `NEBIUS_BASE_URL` overrides the API's address. On
//! failure the error goes to stderr and the exit code is 1 (2 for a usage error).

use clap::Parser;
use nebius_token_factory::Client;
use std::io::Write;
use std::process::ExitCode;

mod support;

/// List the files uploaded to Nebius Token Factory.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Only files with this purpose (`fine-tune`, `batch`, ...).
    #[arg(long)]
    purpose: Option<String>,
    /// How many files each page asks for.
    #[arg(long, value_name = "N")]
    page_size: Option<i64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut request = client.list_files();
    if let Some(purpose) = &args.purpose {
        request = request.purpose(purpose);
    }
    if let Some(n) = args.page_size {
        request = request.limit(n);
    }
    let mut files = request.paginate();
    let mut out = std::io::stdout().lock();
    while let Some(file) = files.next().await {
        writeln!(out, "{}", serde_json::to_string(&file?)?)?;
    }
    Ok(())
}
