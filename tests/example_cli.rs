//! The `complete_upload` example as a user runs it, against the local server.

mod common;

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/complete_upload`, built by `cargo test` with the tests.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    profile_dir.join("examples").join(format!("complete_upload{}", std::env::consts::EXE_SUFFIX))
}

fn run(base_url: &str, key: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(example_binary());
    cmd.args(args).env("NEBIUS_BASE_URL", base_url).env_remove("NEBIUS_API_KEY");
    if let Some(k) = key {
        cmd.env("NEBIUS_API_KEY", k);
    }
    cmd.output().expect("run the example (built by `cargo test`)")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_completes_an_upload_and_reports_errors() {
    let server = common::start().await;
    let base = server.base_url.clone();

    let ok = tokio::task::spawn_blocking({
        let base = base.clone();
        move || run(&base, Some(common::TOKEN), &["up-7", "p1", "p2", "--project", "proj"])
    })
    .await
    .unwrap();
    assert!(ok.status.success(), "stderr: {}", String::from_utf8_lossy(&ok.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(printed["id"], "up-7");
    assert_eq!(printed["upload_info"]["ai_project_id"], "proj");
    assert_eq!(server.last().body, serde_json::json!({"part_ids": ["p1", "p2"]}));

    let failed = tokio::task::spawn_blocking({
        let base = base.clone();
        move || run(&base, Some(common::TOKEN), &["fail422", "p1"])
    })
    .await
    .unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("HTTP 422") && stderr.contains("Upload is not ready"), "{stderr}");
    assert!(!stderr.contains(common::TOKEN));

    let flaky = tokio::task::spawn_blocking({
        let base = base.clone();
        move || run(&base, Some(common::TOKEN), &["flaky-1", "p1"])
    })
    .await
    .unwrap();
    assert!(flaky.status.success(), "two 503s are retried: {}", String::from_utf8_lossy(&flaky.stderr));
    let flaky_requests = server.requests().iter().filter(|r| r.raw_path.contains("flaky-1")).count();
    assert_eq!(flaky_requests, 3);

    let down = tokio::task::spawn_blocking({
        let base = base.clone();
        move || run(&base, Some(common::TOKEN), &["down-1", "p1"])
    })
    .await
    .unwrap();
    assert_eq!(down.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&down.stderr);
    assert!(stderr.contains("503") && stderr.contains("overloaded") && stderr.contains("3 attempts"), "{stderr}");
    assert!(stderr.contains("req-down-1"), "the request id is shown: {stderr}");
    assert_eq!(server.requests().iter().filter(|r| r.raw_path.contains("down-1")).count(), 3);

    let no_key = tokio::task::spawn_blocking(move || run(&base, None, &["up", "p"])).await.unwrap();
    assert_eq!(no_key.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("NEBIUS_API_KEY"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_prints_help_and_refuses_bad_usage() {
    let server = common::start().await;
    let base = server.base_url.clone();
    let help = tokio::task::spawn_blocking({
        let base = base.clone();
        move || run(&base, None, &["--help"])
    })
    .await
    .unwrap();
    assert_eq!(help.status.code(), Some(0), "{}", String::from_utf8_lossy(&help.stderr));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("<UPLOAD_ID>") && text.contains("--project"), "{text}");
    let usage =
        tokio::task::spawn_blocking(move || run(&base, Some(common::TOKEN), &["only-an-upload-id"])).await.unwrap();
    assert_eq!(usage.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&usage.stderr).contains("<PART_IDS>"));
    assert!(server.requests().is_empty(), "nothing is sent on a usage error");
}
