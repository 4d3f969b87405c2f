//! The `datasets`, `models` and `operations` examples as a user runs them,
//! against the local server of Nebius's own API: what they print, what the
//! server holds after them, their exit codes and error messages.

mod common;

use common::native::start;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Output};

/// `target/<profile>/examples/<name>`, built by `cargo test` with the tests.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

async fn run(name: &str, base_url: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(example(name));
    cmd.args(args).env("NEBIUS_BASE_URL", base_url).env("NEBIUS_API_KEY", common::TOKEN).env_remove("RUST_LOG");
    tokio::task::spawn_blocking(move || cmd.output().expect("run the example (built by `cargo test`)"))
        .await
        .expect("joined")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Value {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), stderr(o));
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", stdout(o)))
}

fn lines_of(o: &Output) -> Vec<Value> {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), stderr(o));
    stdout(o).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn datasets_are_created_from_jsonl_read_in_pages_and_renamed() {
    let server = start(0, 0).await;
    let base = &server.base_url;
    let file = std::env::temp_dir().join(format!("nebius-example-rows-{}.jsonl", std::process::id()));
    let rows: Vec<Value> = (0..5)
        .map(|i| {
            json!({"prompt": format!("q{i}"), "score": i, "weight": if i % 2 == 0 { json!(0.5) } else { json!(1) },
                        "label": if i == 3 { Value::Null } else { json!(true) }})
        })
        .collect();
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&file, text).expect("written");
    let path = file.to_string_lossy().into_owned();

    let created = json_of(
        &run("datasets", base, &["create", &path, "--name", "qa", "--folder", "/sets", "--column", "prompt=json"])
            .await,
    );
    assert_eq!((created["name"].clone(), created["folder"].clone()), (json!("qa"), json!("/sets")));
    assert_eq!(
        created["schema"],
        json!([
            {"name": "prompt", "type": {"name": "json"}},
            {"name": "score", "type": {"name": "integer"}},
            {"name": "weight", "type": {"name": "double"}},
            {"name": "label", "type": {"name": "option", "item": {"name": "boolean"}}},
        ]),
        "inferred in order of first appearance; --column wins; a null makes an option"
    );
    let id = created["id"].as_str().expect("an id").to_string();

    let got = json_of(&run("datasets", base, &["get", &id]).await);
    assert_eq!(got["id"], json!(id));
    let page = lines_of(&run("datasets", base, &["content", &id, "--limit", "2", "--offset", "1"]).await);
    assert_eq!(page, rows[1..3], "one page of two rows from the offset");
    let all = lines_of(&run("datasets", base, &["content", &id, "--limit", "2", "--all"]).await);
    assert_eq!(all, rows, "every page");
    let renamed = json_of(&run("datasets", base, &["rename", &id, "--name", "qa-v2"]).await);
    assert_eq!(renamed["name"], "qa-v2");

    let missing = run("datasets", base, &["get", "no-such-dataset"]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("404") && stderr(&missing).contains("Dataset not found"), "{}", stderr(&missing));
    assert!(!stderr(&missing).contains(common::TOKEN));

    let bad =
        run("datasets", base, &["create", &path, "--name", "x", "--folder", "/f", "--column", "prompt=text"]).await;
    assert_eq!(bad.status.code(), Some(2), "an unknown column type is a usage error: {}", stderr(&bad));
    assert!(stderr(&bad).contains("prompt=text"), "{}", stderr(&bad));
    let help = run("datasets", base, &["content", "--help"]).await;
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--all"), "{}", stdout(&help));
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread")]
async fn models_are_created_listed_read_by_either_name_and_deleted() {
    let server = start(0, 0).await;
    let base = &server.base_url;
    let created = json_of(
        &run("models", base, &["create", "--name", "tuned", "--base-model", "meta-llama/base", "--source", "file-1"])
            .await,
    );
    assert_eq!((created["name"].clone(), created["status"].clone()), (json!("me/tuned"), json!("validating")));
    let listed = json_of(&run("models", base, &["list"]).await);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let by_short = json_of(&run("models", base, &["get", "tuned"]).await);
    let by_full = json_of(&run("models", base, &["get", "me/tuned"]).await);
    assert_eq!(by_short, by_full);
    assert_eq!(by_full["vendor"], "me");

    let usage = run("models", base, &["delete", "tuned"]).await;
    assert_eq!(usage.status.code(), Some(2), "delete needs the full name: {}", stderr(&usage));
    let deleted = json_of(&run("models", base, &["delete", "me/tuned"]).await);
    assert_eq!(deleted["status"], "deleted");
    assert_eq!(json_of(&run("models", base, &["list"]).await), json!([]));
    let gone = run("models", base, &["get", "me/tuned"]).await;
    assert_eq!(gone.status.code(), Some(1));
    assert!(stderr(&gone).contains("Model not found"), "{}", stderr(&gone));
}

#[tokio::test(flavor = "multi_thread")]
async fn operations_are_listed_page_by_page_or_all_and_read() {
    let server = start(5, 0).await;
    let base = &server.base_url;
    let page = json_of(&run("operations", base, &["list", "--limit", "2"]).await);
    assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
    let all = lines_of(&run("operations", base, &["list", "--limit", "2", "--all"]).await);
    let ids: Vec<&str> = all.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ids, ["op-0", "op-1", "op-2", "op-3", "op-4"], "every page, newest first");
    let one = json_of(&run("operations", base, &["get", "op-3"]).await);
    assert_eq!(one["status"], "succeeded");
    let results = json_of(&run("operations", base, &["results", "op-3"]).await);
    assert_eq!(results["data"][0]["id"], "op-3:ftckpt_1", "members no page lists, kept");
    let out_of_range = run("operations", base, &["list", "--limit", "500"]).await;
    assert_eq!(out_of_range.status.code(), Some(2), "{}", stderr(&out_of_range));
}
