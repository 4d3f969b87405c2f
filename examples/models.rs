//! Nebius custom models from the command line: list, read, create, delete.
//! Each prints JSON.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example models -- list [--project <id>]
//! NEBIUS_API_KEY=... cargo run --example models -- get <name or vendor/name>
//! NEBIUS_API_KEY=... cargo run --example models -- create --name <n> --base-model <m> --source <s> [--description <d>]
//! NEBIUS_API_KEY=... cargo run --example models -- delete <vendor/name>
//! ```
//!
//! A name with a `/` is a full name (`<vendor>/<name>`); one without is the
//! short name of one of your models. `delete` takes the full name: no page
//! of the API reference documents deleting by the short name.
//! `NEBIUS_BASE_URL` overrides the API's address. On failure the error goes
//! to stderr and the exit code is 1 (2 for a usage error).

use clap::{CommandFactory, Parser, Subcommand};
use nebius_token_factory::types::CreateCustomModelBody;
use nebius_token_factory::Client;
use std::process::ExitCode;
use support::Failure;

mod support;

/// Nebius Token Factory custom models.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List your custom models.
    List {
        /// The project to list them from (`ai_project_id`).
        #[arg(long, value_name = "AI_PROJECT_ID")]
        project: Option<String>,
    },
    /// Print a custom model.
    Get {
        /// Its short name, or its full name `<vendor>/<name>`.
        name: String,
    },
    /// Create a custom model from a fine-tuning checkpoint, an uploaded file or a Hugging Face repository.
    Create {
        /// The new model's name.
        #[arg(long)]
        name: String,
        /// The base model it belongs to (`meta-llama/Meta-Llama-3.1-8B-Instruct-fast`).
        #[arg(long)]
        base_model: String,
        /// A checkpoint id (`ftjob-..:ftckpt_..`), a file id or a Hugging Face repository URL.
        #[arg(long)]
        source: String,
        /// What the model is.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a custom model.
    Delete {
        /// Its full name, `<vendor>/<name>`.
        name: String,
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
    let json = match command {
        Command::List { project } => {
            let mut call = client.list_custom_models();
            if let Some(project) = &project {
                call = call.ai_project_id(project);
            }
            serde_json::to_string_pretty(&call.await?)?
        }
        Command::Get { name } => match name.split_once('/') {
            Some((vendor, name)) => serde_json::to_string_pretty(&client.get_custom_model(vendor, name).await?)?,
            None => serde_json::to_string_pretty(&client.get_custom_model_by_name(&name).await?)?,
        },
        Command::Create { name, base_model, source, description } => {
            let mut body = CreateCustomModelBody::new(name, base_model, source);
            if let Some(description) = description {
                body = body.description(description);
            }
            serde_json::to_string_pretty(&client.create_custom_model(&body).await?)?
        }
        Command::Delete { name } => {
            let Some((vendor, name)) = name.split_once('/') else {
                Args::command()
                    .error(
                        clap::error::ErrorKind::InvalidValue,
                        format!("delete takes a full name, <vendor>/{name}: the API deletes by full name only"),
                    )
                    .exit()
            };
            serde_json::to_string_pretty(&client.delete_custom_model(vendor, name).await?)?
        }
    };
    println!("{json}");
    Ok(())
}
