//! Nebius dataset operations from the command line: list them, read one,
//! read its results. Each prints JSON.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example operations -- list [--limit <n>] [--all] [--project <id>]
//! NEBIUS_API_KEY=... cargo run --example operations -- get <id>
//! NEBIUS_API_KEY=... cargo run --example operations -- results <id>
//! ```
//!
//! `list` prints one page (newest first); `--all` pages through every
//! operation with the timestamp cursor and prints one JSON object a line.
//! `NEBIUS_BASE_URL` overrides the API's address. On failure the error goes
//! to stderr and the exit code is 1 (2 for a usage error).

use clap::{Parser, Subcommand};
use nebius_token_factory::Client;
use std::process::ExitCode;
use support::Failure;

mod support;

/// Nebius Token Factory dataset operations.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List operations, newest first.
    List {
        /// Operations a page, 1 to 100 (the server's default, 100, when not given).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100))]
        limit: Option<u64>,
        /// Every page, one operation a line.
        #[arg(long)]
        all: bool,
        /// Only the operations of this project (`ai_project_id`).
        #[arg(long, value_name = "AI_PROJECT_ID")]
        project: Option<String>,
    },
    /// Print an operation.
    Get {
        /// The operation's id.
        id: String,
    },
    /// Print an operation's results: a fine-tuning's checkpoints, or a dataset-to-file operation's file.
    Results {
        /// The operation's id.
        id: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    support::trace_to_stderr();
    support::exit(run(args.command).await)
}

async fn run(command: Command) -> Result<(), Failure> {
    let client = Client::from_env()?;
    match command {
        Command::List { limit, all, project } => {
            let mut call = client.list_operations();
            if let Some(limit) = limit {
                call = call.limit(limit);
            }
            if let Some(project) = &project {
                call = call.ai_project_id(project);
            }
            if all {
                let mut operations = call.paginate();
                while let Some(operation) = operations.next().await {
                    println!("{}", serde_json::to_string(&operation?)?);
                }
            } else {
                println!("{}", serde_json::to_string_pretty(&call.await?)?);
            }
        }
        Command::Get { id } => println!("{}", serde_json::to_string_pretty(&client.get_operation(&id).await?)?),
        Command::Results { id } => {
            println!("{}", serde_json::to_string_pretty(&client.get_operation_results(&id).await?)?)
        }
    }
    Ok(())
}
