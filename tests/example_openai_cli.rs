//! The `chat`, `list_files`, `upload_file`, `download_file` and `batch` examples as a user runs them, against a local server.

mod common;

use common::{openai, TOKEN};
use std::path::PathBuf;
use std::process::{Command, Output};

/// `target/<profile>/examples/<name>`, built by `cargo test` with the tests.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

async fn run(name: &str, base_url: &str, args: &[&str]) -> Output {
    run_with(name, base_url, args, &[]).await
}

async fn run_with(name: &str, base_url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(example(name));
    cmd.args(args).env("NEBIUS_BASE_URL", base_url).env("NEBIUS_API_KEY", TOKEN).env_remove("RUST_LOG");
    cmd.envs(env.iter().copied());
    tokio::task::spawn_blocking(move || cmd.output().expect("run the example (built by `cargo test`)"))
        .await
        .expect("the example ran")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_streams_by_default_and_waits_with_no_stream() {
    let server = openai::start().await;
    let streamed = run("chat", &server.base_url, &["--model", "m1", "say", "hello"]).await;
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert_eq!(text(&streamed.stdout), "Echo: say hello\n");
    assert_eq!(server.server.last().body["stream"], true);
    assert_eq!(server.server.last().body["model"], "m1");

    let whole = run("chat", &server.base_url, &["--no-stream", "--temperature", "0.2", "hi"]).await;
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    assert_eq!(text(&whole.stdout), "Echo: hi\n");
    let body = server.server.last().body;
    assert_eq!(body["temperature"], 0.2);
    assert!(body.get("stream").is_none());

    let json = run("chat", &server.base_url, &["--no-stream", "--json", "hi"]).await;
    let printed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(printed["choices"][0]["message"]["content"], "Echo: hi");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_sends_extra_members_and_prints_every_member_the_server_sent() {
    let server = openai::start().await;
    let args = [
        "--model",
        "reasoning-model",
        "--no-stream",
        "--json",
        "--extra",
        r#"guided_json={"type": "object"}"#,
        "--extra",
        "repetition_penalty=1.1",
        "hi",
    ];
    let out = run("chat", &server.base_url, &args).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body = server.server.last().body;
    assert_eq!(body["guided_json"], serde_json::json!({"type": "object"}));
    assert_eq!(body["repetition_penalty"], 1.1);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed["choices"][0]["message"]["reasoning_content"], "The user said hi.");
    assert_eq!(printed["kv_transfer_params"]["tags"], serde_json::json!(["a", "b"]));

    let streamed = run("chat", &server.base_url, &["--model", "reasoning-model", "--json", "hi"]).await;
    let first = text(&streamed.stdout).lines().next().map(str::to_owned).unwrap_or_default();
    let chunk: serde_json::Value = serde_json::from_str(&first).expect("a JSON chunk a line");
    assert_eq!(chunk["choices"][0]["delta"]["reasoning_content"], "thought 0");

    let traced = run_with("chat", &server.base_url, &["--no-stream", "hi"], &[("RUST_LOG", "debug")]).await;
    assert!(traced.status.success(), "{}", text(&traced.stderr));
    let log = text(&traced.stderr);
    assert!(log.contains("openapi_request") && log.contains("operation=\"create_chat_completion\""), "{log}");
    assert!(log.contains("path=\"/v1/chat/completions\"") && log.contains("status=200"), "{log}");
    assert!(!log.contains(TOKEN), "the key is never traced:\n{log}");

    let bad = run("chat", &server.base_url, &["--extra", "guided_json={oops", "hi"]).await;
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    assert!(text(&bad.stderr).contains("the value of `guided_json` is not JSON"), "{}", text(&bad.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn list_files_prints_every_file_across_pages_one_json_object_a_line() {
    let server = openai::start().await;
    let out = run("list_files", &server.base_url, &[]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ids: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON object a line")["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    let requests = server.server.received.lock().unwrap().len();
    assert_eq!(requests, 3, "three pages of three");

    let out = run("list_files", &server.base_url, &["--purpose", "batch", "--page-size", "1"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 3);
    let last = server.server.last();
    assert_eq!(last.query.as_deref(), Some("purpose=batch&limit=1&after=file-3"));

    let usage = run("list_files", &server.base_url, &["--page-size", "many"]).await;
    assert_eq!(usage.status.code(), Some(2), "a usage error");
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_reports_errors_and_usage() {
    let server = openai::start().await;
    let failed = run("chat", &server.base_url, &["--model", "missing-model", "hi"]).await;
    assert_eq!(failed.status.code(), Some(1));
    let stderr = text(&failed.stderr);
    assert!(stderr.starts_with("error: ") && stderr.contains("404") && stderr.contains("does not exist"), "{stderr}");
    assert!(!stderr.contains(TOKEN));

    let help = run("chat", &server.base_url, &["--help"]).await;
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("--no-stream"));
    let usage = run("chat", &server.base_url, &[]).await;
    assert_eq!(usage.status.code(), Some(2), "a usage error");
    assert!(text(&usage.stderr).contains("<PROMPT>"));
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_file_sends_the_file_and_prints_the_file_object() {
    let server = openai::start().await;
    let dir = std::env::temp_dir().join(format!("nebius-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("train.jsonl");
    std::fs::write(&path, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n").expect("write");
    let path_arg = path.to_string_lossy().into_owned();

    let ok = run("upload_file", &server.base_url, &[&path_arg]).await;
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(printed["id"], "file-abc");
    assert_eq!(printed["purpose"], "fine-tune");
    let parts = server.server.last().body;
    assert_eq!(parts["purpose"], "fine-tune", "the default purpose");
    assert_eq!(parts["file"]["filename"], "train.jsonl");
    assert_eq!(parts["file"]["text"], "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");

    let batch = run("upload_file", &server.base_url, &[&path_arg, "--purpose", "batch"]).await;
    assert!(batch.status.success(), "{}", text(&batch.stderr));
    assert_eq!(server.server.last().body["purpose"], "batch");

    let missing = run("upload_file", &server.base_url, &["/no/such/file.jsonl"]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read /no/such/file.jsonl"), "{}", text(&missing.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_sends_the_project_and_top_k_streamed_and_not() {
    let server = openai::start().await;
    for stream in [true, false] {
        let mut args = vec!["--project", "proj-9", "--top-k", "20", "hi"];
        if !stream {
            args.insert(0, "--no-stream");
        }
        let out = run("chat", &server.base_url, &args).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "Echo: hi\n");
        let got = server.server.last();
        assert_eq!(got.query.as_deref(), Some("ai_project_id=proj-9"), "stream: {stream}");
        assert_eq!(got.body["top_k"], 20, "stream: {stream}");
        assert_eq!(got.body.get("stream").is_some(), stream);
    }
    let help = run("chat", &server.base_url, &["--help"]).await;
    assert!(text(&help.stdout).contains("--top-k") && text(&help.stdout).contains("--project"));
}

#[tokio::test(flavor = "multi_thread")]
async fn download_file_writes_the_content_to_a_path_or_stdout() {
    let server = openai::start().await;
    let expected = openai::jsonl_file();
    let path = std::env::temp_dir().join(format!("nebius-download-example-{}.jsonl", std::process::id()));
    let path_arg = path.to_string_lossy().into_owned();

    let to_file = run("download_file", &server.base_url, &["file-abc", "-o", &path_arg]).await;
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));
    assert_eq!(std::fs::read(&path).expect("written"), expected, "byte for byte");
    assert!(to_file.stdout.is_empty());
    assert!(text(&to_file.stderr).contains(&format!("wrote {} bytes", expected.len())));
    assert_eq!(server.server.last().path, "/v1/files/file-abc/content");
    let _ = std::fs::remove_file(&path);

    let to_stdout = run("download_file", &server.base_url, &["file-abc"]).await;
    assert!(to_stdout.status.success(), "{}", text(&to_stdout.stderr));
    assert_eq!(to_stdout.stdout, expected);

    let usage = run("download_file", &server.base_url, &[]).await;
    assert_eq!(usage.status.code(), Some(2), "a usage error");
    let help = run("download_file", &server.base_url, &["--help"]).await;
    assert!(help.status.success() && text(&help.stdout).contains("<FILE_ID>"));
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_uploads_creates_waits_and_downloads_the_output() {
    let server = openai::start().await;
    let dir = std::env::temp_dir().join(format!("nebius-batch-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let input = dir.join("requests.jsonl");
    std::fs::write(&input, openai::jsonl_file()).expect("the input");
    let input_arg = input.display().to_string();
    let ran = run("batch", &server.base_url, &[&input_arg, "--wait", "--every", "0.01"]).await;
    let err = text(&ran.stderr);
    assert!(ran.status.success(), "{err}");
    assert_eq!(text(&ran.stdout), "batch-1\n");
    assert!(err.contains("created batch batch-1 (validating)"), "{err}");
    assert!(err.contains("batch batch-1: in_progress (1 of 2 done, 0 failed)"), "a line per state: {err}");
    assert!(err.contains("batch batch-1: completed (2 of 2 done, 0 failed)"), "{err}");
    assert_eq!(err.matches(": in_progress").count(), 1, "a line when the state changes, not each poll: {err}");
    let output = dir.join("requests.output.jsonl");
    assert_eq!(std::fs::read(&output).expect("the output"), openai::jsonl_file(), "downloaded byte for byte");
    assert!(err.contains(&format!("wrote {} bytes of output", openai::jsonl_file().len())), "{err}");
    let created = server.server.received.lock().expect("lock").iter().find(|r| r.path == "/v1/batches").cloned();
    assert_eq!(created.expect("a batch created").body["input_file_id"], "file-abc");

    let no_wait = run("batch", &server.base_url, &[&input_arg]).await;
    assert!(no_wait.status.success(), "{}", text(&no_wait.stderr));
    assert_eq!(text(&no_wait.stdout), "batch-1\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_asks_for_a_schema_and_prints_the_reply_that_follows_it() {
    let server = openai::start().await;
    let dir = std::env::temp_dir().join(format!("nebius-schema-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let schema = serde_json::json!({"type": "object", "required": ["name", "population"],
        "properties": {"name": {"type": "string"}, "population": {"type": "integer"}}});
    let path = dir.join("city.json");
    std::fs::write(&path, schema.to_string()).expect("the schema");
    let file = path.display().to_string();
    let reply = r#"{"name": "Paris", "population": 2100000}"#;
    let guided = run("chat", &server.base_url, &["--model", "verbatim-model", "--schema", &file, reply]).await;
    assert!(guided.status.success(), "{}", text(&guided.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&guided.stdout).expect("JSON on stdout");
    assert_eq!(printed["population"], 2_100_000);
    assert!(text(&guided.stdout).contains("\n  \"name\""), "pretty: {}", text(&guided.stdout));
    assert_eq!(server.server.last().body["guided_json"], schema, "sent as guided_json");
    assert!(server.server.last().body.get("stream").is_none(), "not streamed");

    let args = ["--model", "verbatim-model", "--schema", &file, "--schema-as", "response-format", reply];
    let formatted = run("chat", &server.base_url, &args).await;
    assert!(formatted.status.success(), "{}", text(&formatted.stderr));
    let sent = server.server.last().body;
    assert_eq!(
        (sent["response_format"]["type"].as_str(), &sent["response_format"]["json_schema"]["schema"]),
        (Some("json_schema"), &schema)
    );
    assert_eq!(sent["response_format"]["json_schema"]["name"], "city");

    let lacking =
        run("chat", &server.base_url, &["--model", "verbatim-model", "--schema", &file, r#"{"name": "Paris"}"#]).await;
    assert_eq!(lacking.status.code(), Some(1));
    assert!(text(&lacking.stderr).contains("lacks the required [\"population\"]"), "{}", text(&lacking.stderr));
    let not_json = run("chat", &server.base_url, &["--schema", &file, "hello"]).await;
    assert_eq!(not_json.status.code(), Some(1));
    assert!(text(&not_json.stderr).contains("the reply is not JSON"), "{}", text(&not_json.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
