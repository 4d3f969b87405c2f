//! The generated command line (`kinds`, the every-kind spec's) against a
//! real server on 127.0.0.1: every operation kind, asserting on stdout,
//! stderr and the exit code.

mod server;

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn lines(&self) -> Vec<Value> {
        self.text().lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
    }
}

/// Every variable `Client::from_env` reads; each run sets only what it says.
const VARS: &[&str] = &[
    "KINDS_BASE_URL",
    "KINDS_API_KEY",
    "KINDS_BEARER",
    "KINDS_COOKIE_KEY",
    "KINDS_BASIC",
    "KINDS_HEADER_KEY",
    "KINDS_QUERY_KEY",
    "KINDS_OAUTH",
];

/// `kinds ARGS` with the environment `env` (plus the API key unless it sets
/// credentials itself), stdin from `input`.
async fn kinds(env: &[(&str, &str)], args: &[&str], input: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kinds"));
    for v in VARS {
        cmd.env_remove(v);
    }
    if !env.iter().any(|(k, _)| k.ends_with("_KEY") || k.ends_with("_BEARER") || k.ends_with("_BASIC")) {
        cmd.env("KINDS_API_KEY", "tok-cli");
    }
    cmd.envs(env.iter().copied()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let input = input.map(<[u8]>::to_vec);
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("the kinds binary starts");
        if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
            stdin.write_all(&input).expect("stdin");
        }
        let out = child.wait_with_output().expect("the kinds binary ends");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into(),
        }
    })
    .await
    .expect("the run")
}

async fn on(base: &str, args: &[&str]) -> Run {
    kinds(&[("KINDS_BASE_URL", base)], args, None).await
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kinds-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a temp file");
    path
}

const MESSAGES: &str = r#"{"messages":[{"role":"user","content":"hi"}]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_json_body_from_body_and_set_and_the_typed_response_as_one_line() {
    let (base, _) = server::start().await;
    let r = on(&base, &["streaming", "create-chat-completion", "--body", MESSAGES, "--set", "model=m"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json(), json!({"id": "c1", "content": "hello world"}));
    assert_eq!(r.text().lines().count(), 1, "not a terminal: one line");

    // The body from stdin, and from a file.
    let body = r#"{"model":"m","messages":[]}"#;
    let r = kinds(
        &[("KINDS_BASE_URL", &base)],
        &["streaming", "create-chat-completion", "--body", "-"],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!((r.code, r.json()["content"].clone()), (0, json!("hello world")), "{}", r.stderr);
    let file = temp("chat.json", body.as_bytes());
    let at = format!("@{}", file.display());
    let r = on(&base, &["streaming", "create-chat-completion", "--body", &at]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn streamed_events_print_a_json_line_each() {
    let (base, _) = server::start().await;
    let r =
        on(&base, &["streaming", "create-chat-completion", "--body", MESSAGES, "--set", "model=m", "--stream"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let deltas: Vec<Value> = r.lines().iter().map(|l| l["delta"].clone()).collect();
    assert_eq!(deltas, [json!("hel"), json!("lo")]);

    // Text events; a stream cut short is an error, after what arrived.
    let r = on(&base, &["streaming", "list-ticks"]).await;
    assert_eq!((r.code, r.lines()), (0, vec![json!("tick 1"), json!("tick 2")]), "{}", r.stderr);
    let r = on(&base, &["streaming", "list-ticks-until"]).await;
    assert_eq!(r.code, 1, "a stream without its end marker fails");
    assert_eq!(r.lines(), [json!("tick 1")]);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_exits_1_with_the_servers_message_and_a_bad_value_exits_2_before_sending() {
    let (base, _) = server::start().await;
    let r = on(&base, &["streaming", "create-chat-completion", "--body", MESSAGES, "--set", "model=fail"]).await;
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("400") && r.stderr.contains("unknown model"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    // A member of the wrong type: the typed request refuses it; the base URL
    // is a closed port, so reaching the network would be another error.
    let r =
        on("http://127.0.0.1:9", &["streaming", "create-chat-completion", "--set", "model=m", "--set", "messages=3"])
            .await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("does not fit"), "{}", r.stderr);
    let r = on(&base, &["bodies", "download", "many"]).await;
    assert_eq!(r.code, 2, "a path parameter that is not an integer: {}", r.stderr);

    // Usage errors are clap's: exit 2; help exits 0.
    assert_eq!(on(&base, &["bodies", "no-such-operation"]).await.code, 2);
    assert_eq!(on(&base, &["bodies", "download"]).await.code, 2, "a missing positional");
    let help = on(&base, &["bodies", "search", "--help"]).await;
    assert_eq!(help.code, 0);
    for flag in ["--q <Q>", "--tags <TAGS>", "--x-trace <X_TRACE>", "--filter <FILTER>"] {
        assert!(help.text().contains(flag), "{flag} in {}", help.text());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn form_multipart_binary_and_text_bodies() {
    let (base, _) = server::start().await;
    let r = on(&base, &["bodies", "submit-form", "--set", "name=ada", "--set", "count=3"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["content_type"], json!("application/x-www-form-urlencoded"));
    assert_eq!(r.json()["body"], json!("name=ada&count=3"));

    let data = temp("lines.jsonl", b"{\"a\":1}\n");
    let file = format!("file=@{}", data.display());
    let r =
        on(&base, &["bodies", "upload-file", "--file", &file, "--set", "purpose=batch", "--set", "tags=[\"x\",\"y\"]"])
            .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let parts = r.json()["parts"].clone();
    assert_eq!(parts[0]["name"], json!("file"));
    assert_eq!(parts[0]["text"], json!("{\"a\":1}\n"));
    assert_eq!(parts[0]["content_type"], json!("application/jsonl"));
    assert_eq!(
        parts[1],
        json!({"name": "purpose", "file_name": null, "content_type": null, "text": "batch", "sha256": server::sha256(b"batch")})
    );
    let r = on(&base, &["bodies", "upload-file", "--set", "purpose=batch"]).await;
    assert_eq!(r.code, 2, "the required file part is missing: {}", r.stderr);
    // Members from stdin: read once for all of them.
    let stdin = br#"{"purpose": "fine-tune", "meta": {"source": "cli"}}"#;
    let r =
        kinds(&[("KINDS_BASE_URL", &base)], &["bodies", "upload-file", "--file", &file, "--body", "-"], Some(stdin))
            .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let texts: Vec<Value> = r.json()["parts"].as_array().expect("parts").iter().map(|p| p["text"].clone()).collect();
    assert_eq!(texts[1..], [json!("fine-tune"), json!(r#"{"source":"cli"}"#)]);

    let blob = server::pattern(70_000);
    let path = temp("blob.bin", &blob);
    let r = on(&base, &["bodies", "upload-blob", "--body", &format!("@{}", path.display())]).await;
    assert_eq!((r.code, r.json()["sha256"].clone()), (0, json!(server::sha256(&blob))), "{}", r.stderr);

    // A download to a file, and to stdout.
    let out = temp("download.bin", b"");
    let r = on(&base, &["bodies", "download", "100000", "-o", &out.display().to_string()]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&out).expect("the download"), server::pattern(100_000));
    let r = on(&base, &["bodies", "download", "5000"]).await;
    assert_eq!(r.stdout, server::pattern(5000));

    // Several success bodies by status: printed as the server sent them.
    let r = on(&base, &["bodies", "put-item", "odd"]).await;
    assert_eq!((r.code, r.text()), (0, "queued".to_string()), "{}", r.stderr);
    // --raw: the body as sent, not re-serialized.
    let r = on(&base, &["--raw", "bodies", "put-item", "x"]).await;
    assert_eq!(r.text(), r#"{"id":"x","name":"replaced"}"#);
}

#[tokio::test(flavor = "multi_thread")]
async fn parameters_reach_the_request_in_their_styles() {
    let (base, _) = server::start().await;
    let r = kinds(
        &[("KINDS_BASE_URL", &base), ("KINDS_COOKIE_KEY", "ck")],
        &[
            "bodies",
            "search",
            "--q",
            "rust",
            "--tags",
            "a",
            "--tags",
            "b",
            "--ids",
            "1",
            "--ids",
            "2",
            "--x-trace",
            "t1",
            "--filter",
            r#"{"state":"open"}"#,
        ],
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seen = r.json();
    assert_eq!(seen["query"], json!("q=rust&tags=a&tags=b&ids=1%2C2&filter%5Bstate%5D=open"));
    assert_eq!(seen["headers"]["x-trace"], json!("t1"));

    let r = on(&base, &["bodies", "search", "--q", "x", "--ids", "one"]).await;
    assert_eq!(r.code, 2, "an integer list with a word in it: {}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_as_json_lines_and_one_page_as_json() {
    let (base, _) = server::start().await;
    for op in ["list-by-link", "list-by-cursor", "list-by-next-link"] {
        let r = on(&base, &["pages", op, "--all"]).await;
        assert_eq!(r.code, 0, "{op}: {}", r.stderr);
        let ids: Vec<Value> = r.lines().iter().map(|e| e["id"].clone()).collect();
        assert_eq!(ids, (0..10).map(|i| json!(format!("e{i}"))).collect::<Vec<_>>(), "{op}");
    }
    let r = on(&base, &["pages", "list-by-cursor", "--limit", "2"]).await;
    assert_eq!(r.json()["data"].as_array().map(Vec::len), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_come_from_the_same_variables_as_from_env() {
    let (base, _) = server::start().await;
    let r = kinds(&[("KINDS_BASE_URL", &base), ("KINDS_API_KEY", "tok-1")], &["auth", "auth-bearer"], None).await;
    assert_eq!(r.json()["headers"]["authorization"], json!("Bearer tok-1"), "{}", r.stderr);
    let r = kinds(&[("KINDS_BASE_URL", &base), ("KINDS_HEADER_KEY", "hk")], &["auth", "auth-header"], None).await;
    let seen = r.json();
    assert!(seen["headers"].as_object().is_some_and(|h| h.values().any(|v| v == "hk")), "{seen}");
    // --base-url wins over the variable.
    let r =
        kinds(&[("KINDS_BASE_URL", "http://127.0.0.1:9")], &["--base-url", &base, "auth", "auth-bearer"], None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No credential at all: the same error as `Client::from_env`, exit 1.
    let r = kinds(&[("KINDS_BASE_URL", &base), ("KINDS_BASIC", "no-colon")], &["auth", "auth-basic"], None).await;
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("KINDS_BASIC"), "{}", r.stderr);
    assert!(!r.stderr.contains("no-colon"), "the credential is not echoed: {}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_a_shell() {
    let r = on("http://127.0.0.1:9", &["completions", "bash"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.text().contains("kinds") && r.text().contains("create-chat-completion"), "{}", r.text());
    assert_eq!(on("http://127.0.0.1:9", &["completions", "tcsh"]).await.code, 2);
}
