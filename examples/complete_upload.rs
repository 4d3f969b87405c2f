//! Complete a multipart upload and print the result as JSON.
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example complete_upload -- <upload_id> <part_id>... [--project <ai_project_id>]
//! ```
//!
//! `NEBIUS_BASE_URL` overrides the API's address. Exits 1 with the error on stderr on failure.

use nebius_token_factory::{types::CompleteUploadRequest, Client};
use std::process::ExitCode;

const USAGE: &str = "usage: complete_upload <upload_id> <part_id>... [--project <ai_project_id>]";

fn parse(args: &[String]) -> Result<(String, Vec<String>, Option<String>), String> {
    let mut positional = Vec::new();
    let mut project = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--project" => project = Some(it.next().ok_or("--project needs a value")?.clone()),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => positional.push(a.clone()),
        }
    }
    if positional.len() < 2 {
        return Err(USAGE.into());
    }
    let upload_id = positional.remove(0);
    Ok((upload_id, positional, project))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (upload_id, part_ids, project) = match parse(&args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let result = async {
        let client = Client::from_env()?;
        let body = CompleteUploadRequest { part_ids };
        let mut call = client.complete_upload(&upload_id, &body);
        if let Some(project) = &project {
            call = call.ai_project_id(project);
        }
        Ok::<_, Box<dyn std::error::Error>>(call.await?)
    }
    .await;
    match result {
        Ok(response) => match serde_json::to_string_pretty(&response) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot print the response: {e}");
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
