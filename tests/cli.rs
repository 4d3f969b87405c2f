//! The `nebius` command line: the help of every group and operation runs,
//! and a call reaches a local server with the key from `NEBIUS_API_KEY`.

mod common;

use std::process::{Command, Output};

fn nebius(base_url: &str, key: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nebius"));
    cmd.args(args).env("NEBIUS_BASE_URL", base_url).env_remove("NEBIUS_API_KEY");
    if let Some(k) = key {
        cmd.env("NEBIUS_API_KEY", k);
    }
    cmd.output().expect("the nebius binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_help_of_every_group_and_operation() {
    let ops = nebius_token_factory::cli::operations();
    assert_eq!(ops.len(), 37, "every operation of the crate has a subcommand");
    let top = nebius("http://127.0.0.1:9", None, &["--help"]);
    assert!(top.status.success());
    let mut groups: Vec<&str> = ops.iter().map(|o| o.group).collect();
    groups.dedup();
    for group in &groups {
        assert!(text(&top.stdout).contains(&format!("  {group} ")), "{group} in {}", text(&top.stdout));
        let help = nebius("http://127.0.0.1:9", None, &[group, "--help"]);
        assert!(help.status.success(), "{group}: {}", text(&help.stderr));
    }
    for op in &ops {
        let help = nebius("http://127.0.0.1:9", None, &[op.group, op.name, "--help"]);
        assert_eq!(help.status.code(), Some(0), "{} {}: {}", op.group, op.name, text(&help.stderr));
        let usage = format!("Usage: nebius {} {}", op.group, op.name);
        assert!(text(&help.stdout).contains(&usage), "{usage} in {}", text(&help.stdout));
    }
    // Groups are the crate's features: chat's operations under `chat`.
    assert!(ops.iter().any(|o| o.group == "chat" && o.name == "create-chat-completion"));
    assert!(ops.iter().any(|o| o.group == "datasets" && o.name == "complete-upload"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_with_the_key_from_the_environment_and_the_servers_errors() {
    let server = common::start().await;
    let base = server.base_url.clone();
    let run = |key: Option<&'static str>, args: &'static [&'static str]| {
        let base = base.clone();
        tokio::task::spawn_blocking(move || nebius(&base, key, args))
    };
    let ok = run(
        Some(common::TOKEN),
        &["datasets", "complete-upload", "up-7", "--set", r#"part_ids=["p1","p2"]"#, "--ai-project-id", "proj"],
    )
    .await
    .expect("the run");
    assert!(ok.status.success(), "stderr: {}", text(&ok.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(printed["upload_info"]["ai_project_id"], "proj");
    assert_eq!(server.last().body, serde_json::json!({"part_ids": ["p1", "p2"]}));
    assert_eq!(server.last().authorization.as_deref(), Some(format!("Bearer {}", common::TOKEN).as_str()));

    // The server's validation error: exit 1, its message on stderr.
    let bad = run(Some(common::TOKEN), &["datasets", "complete-upload", "fail422", "--set", "part_ids=[]"])
        .await
        .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("Upload is not ready"), "{}", text(&bad.stderr));
    // No key: the error `Client::from_env` gives, before anything is sent.
    let before = server.requests().len();
    let keyless = run(None, &["datasets", "complete-upload", "up-8", "--set", "part_ids=[]"]).await.expect("run");
    assert_eq!(keyless.status.code(), Some(1));
    assert!(text(&keyless.stderr).contains("NEBIUS_API_KEY"), "{}", text(&keyless.stderr));
    assert_eq!(server.requests().len(), before);
}
