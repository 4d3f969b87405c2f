//! Send a prompt to a model and print the reply, token by token as it arrives.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example chat -- [--model <id>] [--no-stream] [--json]
//!     [--temperature <t>] [--top-k <k>] [--project <ai_project_id>] [--extra <key>=<json>]...
//!     [--schema <file.json> [--schema-as guided-json|response-format]] <prompt>...
//! ```
//!
//! `--schema` asks for JSON that follows a JSON Schema file: sent as Nebius's
//! `guided_json` (or as OpenAI's `response_format`), the reply printed as
//! pretty JSON once it parses and has the schema's top-level `required`
//! members (a reply that does not is an error naming what is wrong).
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
    /// A JSON Schema file the reply must follow (implies --no-stream).
    #[arg(long, value_name = "FILE.json")]
    schema: Option<std::path::PathBuf>,
    /// How --schema is sent.
    #[arg(long, value_name = "HOW", default_value = "guided-json", value_parser = ["guided-json", "response-format"])]
    schema_as: String,
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
    let schema = match &args.schema {
        Some(path) => Some(read_schema(path)?),
        None => None,
    };
    if let (Some(schema), Some(path)) = (&schema, &args.schema) {
        request = if args.schema_as == "guided-json" {
            request.extra("guided_json", schema)
        } else {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "reply".into());
            let format = serde_json::json!({"type": "json_schema", "json_schema": {"name": name, "schema": schema}});
            let format: nebius_token_factory::types::ResponseFormatJsonSchema = serde_json::from_value(format)?;
            request.response_format(format)
        };
    }
    let call = || {
        let call = client.create_chat_completion(&request);
        match &args.project {
            Some(project) => call.ai_project_id(project),
            None => call,
        }
    };
    let mut out = std::io::stdout().lock();
    if let Some(schema) = &schema {
        let completion = call().await?;
        let text = completion.choices.first().and_then(|c| c.message.content.clone()).unwrap_or_default();
        let reply = following(&text, schema)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&reply)?)?;
        return Ok(());
    }
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

/// A JSON Schema file.
fn read_schema(path: &std::path::Path) -> Result<serde_json::Value, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?)
}

/// The reply as JSON, if it parses and has the schema's top-level `required` members.
fn following(text: &str, schema: &serde_json::Value) -> Result<serde_json::Value, Failure> {
    let reply: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("the reply is not JSON ({e}): {text:?}"))?;
    let required = schema.get("required").and_then(serde_json::Value::as_array).into_iter().flatten();
    let missing: Vec<&str> =
        required.filter_map(serde_json::Value::as_str).filter(|k| reply.get(*k).is_none()).collect();
    if !missing.is_empty() {
        return Err(format!("the reply lacks the required {missing:?}: {text}").into());
    }
    Ok(reply)
}
