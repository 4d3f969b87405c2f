//! Send a prompt to a model and print the reply, token by token as it arrives.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example chat -- [--model <id>] [--no-stream] [--json]
//!     [--temperature <t>] [--top-k <k>] [--project <ai_project_id>] [--extra <key>=<json>]... <prompt>...
//! ```
//!
//! `--extra` sends a member OpenAI's spec does not list, such as vLLM's
//! `guided_json` or `repetition_penalty`; `--json` prints every member the
//! server sent, those the spec does not list (`reasoning_content`) included.
//!
//! `NEBIUS_BASE_URL` overrides the API's address. On failure the error goes to
//! stderr and the exit code is 1 (2 for a usage error).

use clap::Parser;
use nebius_token_factory::types::{ChatCompletionRequestUserMessage, CreateChatCompletionRequest};
use nebius_token_factory::Client;
use std::io::Write;
use std::process::ExitCode;

mod support;

/// Ask a Nebius Token Factory model (OpenAI-compatible chat completions).
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The model to ask.
    #[arg(long, default_value = "meta-llama/Llama-3.3-70B-Instruct")]
    model: String,
    /// Wait for the whole reply instead of printing tokens as they arrive.
    #[arg(long)]
    no_stream: bool,
    /// Print the completion as JSON (with streaming: one JSON chunk per line).
    #[arg(long)]
    json: bool,
    /// Sampling temperature, between 0 and 2.
    #[arg(long)]
    temperature: Option<f64>,
    /// Sample only from the k most likely next tokens.
    #[arg(long)]
    top_k: Option<i64>,
    /// The project the request is billed to (`ai_project_id`).
    #[arg(long, value_name = "AI_PROJECT_ID")]
    project: Option<String>,
    /// A request member the spec does not list, its value as JSON
    /// (`--extra 'guided_json={"type":"object"}'`, `--extra repetition_penalty=1.1`); repeatable.
    #[arg(long, value_name = "KEY=JSON", value_parser = extra_member)]
    extra: Vec<(String, serde_json::Value)>,
    /// The prompt (several words are joined with spaces).
    #[arg(required = true)]
    prompt: Vec<String>,
}

type Failure = Box<dyn std::error::Error>;

/// `key=json`, as `--extra` takes it.
fn extra_member(text: &str) -> Result<(String, serde_json::Value), String> {
    let (key, json) = text.split_once('=').ok_or("expected <key>=<json>")?;
    let value = serde_json::from_str(json).map_err(|e| format!("the value of `{key}` is not JSON ({e})"))?;
    Ok((key.to_string(), value))
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

async fn run(args: &Args) -> Result<(), Failure> {
    let client = Client::from_env()?;
    let prompt = args.prompt.join(" ");
    let mut request = CreateChatCompletionRequest::new(
        args.model.as_str(),
        vec![ChatCompletionRequestUserMessage::new(prompt).into()],
    );
    if let Some(t) = args.temperature {
        request = request.temperature(t);
    }
    if let Some(k) = args.top_k {
        request = request.top_k(k);
    }
    for (key, value) in &args.extra {
        request = request.extra(key.as_str(), value);
    }
    let call = || {
        let call = client.create_chat_completion(&request);
        match &args.project {
            Some(project) => call.ai_project_id(project),
            None => call,
        }
    };
    let mut out = std::io::stdout().lock();
    if args.no_stream {
        let completion = call().await?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&completion)?)?;
        } else {
            let text = completion.choices.first().and_then(|c| c.message.content.clone()).unwrap_or_default();
            writeln!(out, "{text}")?;
        }
        return Ok(());
    }
    let mut stream = call().stream().await?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&chunk)?)?;
            continue;
        }
        for choice in &chunk.choices {
            if let Some(text) = &choice.delta.content {
                write!(out, "{text}")?;
                out.flush()?;
            }
        }
    }
    if !args.json {
        writeln!(out)?;
    }
    Ok(())
}
