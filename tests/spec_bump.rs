//! Replacing the spec regenerates the client at the next build: a copy of
//! this crate's build script in a fresh crate, built against the seed spec,
//! then against a bump of it that adds an operation and removes a field. The
//! code that used the field stops compiling, naming it; the new method is
//! there to call. (`cargo check` runs the build script as `cargo build`
//! does; `scratch` builds in a target dir of its own.)

mod scratch;

use scratch::{check, root, write};
use serde_json::{json, Value};

fn seed() -> Value {
    let text = std::fs::read_to_string(root().join("spec/nebius-complete-upload.openapi.yaml")).expect("the seed spec");
    openapi_gen::load::parse_yaml(&text).expect("the seed parses")
}

/// The bump: `GET /v1/datasets/uploads/{upload_id}` is new, and
/// `UploadInfoResponse.completed_at` is gone.
fn bumped() -> Value {
    let mut doc = seed();
    let props = doc.pointer_mut("/components/schemas/UploadInfoResponse/properties").and_then(Value::as_object_mut);
    props.expect("UploadInfoResponse's properties").remove("completed_at").expect("completed_at is in the seed");
    let paths = doc.pointer_mut("/paths").and_then(Value::as_object_mut).expect("paths");
    paths.insert(
        "/v1/datasets/uploads/{upload_id}".into(),
        json!({"get": {
            "operationId": "get_upload",
            "parameters": [{"name": "upload_id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The upload", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/UploadResponse"}}}}}
        }}),
    );
    doc
}

#[test]
fn a_new_spec_regenerates_the_client_at_the_next_build() {
    let dir = std::env::temp_dir().join(format!("nebius-spec-bump-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = root();
    let path = |p: &str| root.join(p).display().to_string().replace('\\', "/");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"bumped\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
             [dependencies]\nopenapi-gen-runtime = {{ path = \"{}\" }}\nserde = \"1\"\nserde_json = \"1\"\n\n\
             [build-dependencies]\nopenapi-gen = {{ path = \"{}\", optional = true }}\n\n\
             [features]\ndefault = [\"regenerate\"]\nregenerate = [\"dep:openapi-gen\"]\n\n[workspace]\n",
            path("runtime"),
            path("generator")
        ),
    );
    // This crate's own build script and lock file (the same versions, offline).
    std::fs::copy(root.join("build.rs"), dir.join("build.rs")).expect("build.rs is copied");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock is copied");
    let spec = dir.join("spec/api.json");
    let uses_the_field = "include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n\
        pub fn completed(info: &types::UploadInfoResponse) -> Option<i64> { info.completed_at }\n";
    write(&dir.join("src/lib.rs"), uses_the_field);

    write(&spec, &seed().to_string());
    let (ok, log) = check(&dir.join("Cargo.toml"));
    assert!(ok, "the crate builds against the seed:\n{log}");

    write(&spec, &bumped().to_string());
    let (ok, log) = check(&dir.join("Cargo.toml"));
    assert!(!ok, "code using a removed field must stop compiling");
    assert!(log.contains("completed_at"), "the error names the removed field:\n{log}");

    let uses_the_new_method = "include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n\
        pub async fn fetch(client: &Client) -> Option<types::UploadResponse> {\n\
            client.get_upload(\"up-1\").await.ok()\n}\n";
    write(&dir.join("src/lib.rs"), uses_the_new_method);
    let (ok, log) = check(&dir.join("Cargo.toml"));
    assert!(ok, "the bump's new method is generated:\n{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
