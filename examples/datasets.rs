//! Nebius datasets from the command line: create one from a JSONL file's
//! rows, read it, read its rows, rename it. Each prints JSON (rows as JSONL).
//!
//! ```text
//! NEBIUS_API_KEY=... cargo run --example datasets -- create <file.jsonl> --name <name> --folder <folder> [--project <id>] [--column <name>=<type>]...
//! NEBIUS_API_KEY=... cargo run --example datasets -- get <id>
//! NEBIUS_API_KEY=... cargo run --example datasets -- content <id> [--limit <n>] [--offset <n>] [--all]
//! NEBIUS_API_KEY=... cargo run --example datasets -- rename <id> --name <name>
//! ```
//!
//! `create` infers each column's type from the rows (`string`, `integer`,
//! `double`, `boolean`, `json`; an `option` of it when some rows hold `null`
//! or lack it); `--column text=string` says it instead. `NEBIUS_BASE_URL`
//! overrides the API's address. On failure the error goes to stderr and the
//! exit code is 1 (2 for a usage error).

use clap::{CommandFactory, Parser, Subcommand};
use nebius_token_factory::types::{
    ColumnSchema, ColumnSchemaType, CreateDatasetRequestUpload, PatchDatasetBody, SchemaOption, SchemaOptionItem,
    SchemaPrimitive, SchemaPrimitiveType,
};
use nebius_token_factory::Client;
use serde_json::{Map, Value};
use std::process::ExitCode;
use support::Failure;

mod support;

/// Nebius Token Factory datasets.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a dataset from the rows of a JSONL file (one JSON object a line).
    Create {
        /// The JSONL file.
        file: std::path::PathBuf,
        /// The dataset's name.
        #[arg(long)]
        name: String,
        /// The folder it is stored in (`/some/folder`).
        #[arg(long)]
        folder: String,
        /// The project it belongs to (`ai_project_id`).
        #[arg(long, value_name = "AI_PROJECT_ID")]
        project: Option<String>,
        /// A column's type, instead of the one inferred: `<name>=<type>`, the
        /// type one of string, integer, boolean, float, double, json.
        #[arg(long = "column", value_name = "NAME=TYPE")]
        columns: Vec<String>,
    },
    /// Print a dataset.
    Get {
        /// The dataset's id.
        id: String,
    },
    /// Print a dataset's rows, one JSON object a line.
    Content {
        /// The dataset's id.
        id: String,
        /// Rows a page (the server's default when not given).
        #[arg(long)]
        limit: Option<u64>,
        /// The first row to read.
        #[arg(long)]
        offset: Option<u64>,
        /// Read every page from the offset on, not only one.
        #[arg(long)]
        all: bool,
    },
    /// Rename a dataset and print it.
    Rename {
        /// The dataset's id.
        id: String,
        /// Its new name.
        #[arg(long)]
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
    match command {
        Command::Create { file, name, folder, project, columns } => {
            let overrides = columns.iter().map(|c| column_override(c)).collect::<Vec<_>>();
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let rows = read_rows(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let schema = infer_schema(&rows, &overrides);
            let rows = rows.into_iter().map(|row| row.into_iter().collect()).collect();
            let mut body = CreateDatasetRequestUpload::new(name, schema, folder, rows);
            if let Some(project) = project {
                body = body.ai_project_id(project);
            }
            let client = Client::from_env()?;
            print_json(&client.create_dataset(&body.into()).await?)
        }
        Command::Get { id } => print_json(&Client::from_env()?.get_dataset(&id).await?),
        Command::Rename { id, name } => {
            let client = Client::from_env()?;
            print_json(&client.patch_dataset(&id, &PatchDatasetBody::default().name(name)).await?)
        }
        Command::Content { id, limit, offset, all } => {
            let client = Client::from_env()?;
            let mut offset = offset.unwrap_or(0);
            loop {
                let mut call = client.get_dataset_content(&id).offset(offset);
                if let Some(limit) = limit {
                    call = call.limit(limit);
                }
                let page = call.await?;
                let Value::Array(rows) = page else {
                    return Err(format!("expected a list of rows, got {page}").into());
                };
                for row in &rows {
                    println!("{}", serde_json::to_string(row)?);
                }
                if !all || rows.is_empty() {
                    return Ok(());
                }
                offset += rows.len() as u64;
            }
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `name=type`, or a usage error (exit 2).
fn column_override(text: &str) -> (String, SchemaPrimitiveType) {
    let parsed = text.split_once('=').and_then(|(name, ty)| {
        let ty = match ty {
            "string" => SchemaPrimitiveType::String,
            "integer" => SchemaPrimitiveType::Integer,
            "boolean" => SchemaPrimitiveType::Boolean,
            "float" => SchemaPrimitiveType::Float,
            "double" => SchemaPrimitiveType::Double,
            "json" => SchemaPrimitiveType::Json,
            _ => return None,
        };
        (!name.is_empty()).then(|| (name.to_string(), ty))
    });
    parsed.unwrap_or_else(|| {
        Args::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "--column {text}: expected <name>=<type>, the type one of string, integer, boolean, float, double, json"
                ),
            )
            .exit()
    })
}

/// Each non-blank line a JSON object.
fn read_rows(text: &str) -> Result<Vec<Map<String, Value>>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(Value::Object(row)) => rows.push(row),
            Ok(_) => return Err(format!("line {}: not a JSON object", i + 1)),
            Err(e) => return Err(format!("line {}: {e}", i + 1)),
        }
    }
    if rows.is_empty() {
        return Err("no rows".into());
    }
    Ok(rows)
}

/// The columns in order of first appearance, each typed by what its values
/// hold (every value one primitive type, else `json`), an option of it when
/// a row holds `null` or lacks it; `overrides` win.
fn infer_schema(rows: &[Map<String, Value>], overrides: &[(String, SchemaPrimitiveType)]) -> Vec<ColumnSchema> {
    let mut names: Vec<&String> = Vec::new();
    for name in rows.iter().flat_map(|r| r.keys()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let values: Vec<&Value> = rows.iter().filter_map(|r| r.get(name)).filter(|v| !v.is_null()).collect();
            let optional = values.len() < rows.len();
            let primitive = match overrides.iter().find(|(n, _)| n == name) {
                Some((_, ty)) => ty.clone(),
                None => common_type(&values),
            };
            let primitive = SchemaPrimitive::new(primitive);
            let ty: ColumnSchemaType =
                if optional { SchemaOption::new(SchemaOptionItem::from(primitive)).into() } else { primitive.into() };
            ColumnSchema::new(name.as_str(), ty)
        })
        .collect()
}

fn common_type(values: &[&Value]) -> SchemaPrimitiveType {
    let of = |v: &Value| match v {
        Value::String(_) => SchemaPrimitiveType::String,
        Value::Bool(_) => SchemaPrimitiveType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => SchemaPrimitiveType::Integer,
        Value::Number(_) => SchemaPrimitiveType::Double,
        _ => SchemaPrimitiveType::Json,
    };
    let mut types = values.iter().map(|v| of(v));
    let Some(first) = types.next() else { return SchemaPrimitiveType::String };
    let mut common = first;
    for ty in types {
        common = match (common, ty) {
            (a, b) if a == b => a,
            (SchemaPrimitiveType::Integer, SchemaPrimitiveType::Double)
            | (SchemaPrimitiveType::Double, SchemaPrimitiveType::Integer) => SchemaPrimitiveType::Double,
            _ => SchemaPrimitiveType::Json,
        };
    }
    common
}
