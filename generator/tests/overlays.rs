//! Overlays through the command line, a manifest and the diff: corrections to
//! an upstream spec kept beside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-overlays-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

/// `openapi-gen generate SPEC --overlay OVERLAY -o OUT`.
fn generate_with(spec: &Path, overlay: &Path, out: &Path) -> Output {
    bin().arg("generate").arg(spec).arg("--overlay").arg(overlay).arg("-o").arg(out).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An upstream spec; `extra` is spliced into the chat request's properties
/// (a bump).
fn upstream(extra: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: Upstream, version: "1"}}
paths:
  /chat:
    post:
      operationId: createChat
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/ChatRequest"}}
      responses:
        "200": {{description: ok, content: {{application/json: {{schema: {{type: object}}}}}}}}
  /files/{{id}}/content:
    get:
      operationId: downloadFile
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        "200": {{description: the file, content: {{application/json: {{schema: {{type: string}}}}}}}}
components:
  schemas:
    ChatRequest:
      type: object
      required: [model]
      properties:
        model: {{type: string}}
        service_tier: {{type: string, enum: [auto, default]}}{extra}
"##
    )
}

const OVERLAY: &str = r#"overlay: 1.1.0
info: {title: Corrections, version: "1"}
actions:
  # The project to bill, on the chat.
  - target: $.paths['/chat'].post
    update:
      parameters:
        - {name: ai_project_id, in: query, schema: {type: string}}
  # A sampling parameter the spec lacks.
  - target: $.components.schemas.ChatRequest.properties
    update:
      top_k: {type: integer}
  - target: $.components.schemas.ChatRequest.properties.service_tier.enum
    update: flex
  # The file itself, not JSON.
  - target: $.paths['/files/{id}/content'].get.responses['200'].content
    remove: true
  - target: $.paths['/files/{id}/content'].get.responses['200']
    update:
      content:
        application/octet-stream: {schema: {type: string, format: binary}}
"#;

#[test]
fn an_overlay_on_the_command_line_changes_the_client() {
    let dir = tmp("cli");
    let spec = write(&dir, "upstream.yaml", &upstream(""));
    let overlay = write(&dir, "fix.yaml", OVERLAY);
    let out = dir.join("client.rs");
    let o = generate_with(&spec, &overlay, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let code = std::fs::read_to_string(&out).expect("written");
    assert!(code.contains("pub fn ai_project_id("), "the query parameter is a setter");
    assert!(code.contains("top_k \"top_k\" optional"), "the field is in the request");
    assert!(code.contains("Flex"), "the enum value");
    assert!(code.contains("runtime::Response<::std::vec::Vec<u8>>"), "the file is bytes, not JSON");

    // Without the overlay, none of it.
    let o = bin().arg("generate").arg(&spec).arg("-o").arg(&out).output().expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let code = std::fs::read_to_string(&out).expect("written");
    assert!(!code.contains("ai_project_id") && !code.contains("top_k"));
}

#[test]
fn overlay_messages_point_into_the_overlay_file() {
    let dir = tmp("located");
    let spec = write(&dir, "upstream.yaml", &upstream(""));
    let overlay = write(
        &dir,
        "fix.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/nowhere'].get\n    update: {summary: x}\n  - target: $.paths['/chat'].post\n    update:\n      parameters:\n        - {name: Accept, in: header, schema: {type: string}}\n",
    );
    let o = generate_with(&spec, &overlay, &dir.join("c.rs"));
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let file = overlay.display().to_string();
    assert!(err.contains(&format!("{file}:4:5")), "the unmatched target, at its line and column: {err}");
    assert!(err.contains("selects nothing"), "{err}");
    assert!(err.contains(&format!("{file}:9:")), "a warning about what the overlay added points at it: {err}");
    assert!(err.contains("Accept"), "{err}");
}

#[test]
fn a_malformed_overlay_is_an_error_at_its_place() {
    let dir = tmp("malformed");
    let spec = write(&dir, "upstream.yaml", &upstream(""));
    let overlay = write(
        &dir,
        "bad.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths[\"\n    update: {}\n",
    );
    let o = generate_with(&spec, &overlay, &dir.join("c.rs"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:4:", overlay.display())) && err.contains("not a JSONPath"), "{err}");
}

#[test]
fn the_diff_of_a_bump_applies_the_overlay_on_both_sides() {
    let root = tmp("diff");
    let overlay = write(&root, "fix.yaml", OVERLAY);
    let side = |name: &str, spec: String| {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("dir");
        write(&dir, "upstream.yaml", &spec);
        let manifest = format!("[[spec]]\nfile = \"upstream.yaml\"\noverlays = [\"{}\"]\n", overlay.display());
        write(&dir, "openapi-gen.toml", &manifest);
        dir
    };
    let old = side("old", upstream(""));
    let new = side("new", upstream("\n        seed: {type: integer}"));
    let o = bin().arg("diff").arg(&old).arg(&new).output().expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ChatRequest::seed"), "the bump's change: {text}");
    assert!(!text.contains("top_k") && !text.contains("ai_project_id"), "the overlay is on both sides: {text}");
}

#[test]
fn an_overlay_on_the_command_line_applies_to_the_spec_before_it() {
    let dir = tmp("order");
    let first = write(
        &dir,
        "first.yaml",
        "openapi: 3.0.3\ninfo: {title: First, version: '1'}\nservers: [{url: 'https://x.test/a'}]\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {'204': {description: ok}}\n",
    );
    let second = write(&dir, "second.yaml", &upstream(""));
    // Each overlay targets a path only its own spec has.
    let for_first = write(&dir, "first-fix.yaml", "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.paths['/ping'].get\n    update: {summary: Ping}\n");
    let for_second = write(&dir, "second-fix.yaml", OVERLAY);
    let out = dir.join("client.rs");
    let o = bin()
        .arg("generate")
        .arg("--overlay")
        .arg(&for_first)
        .arg(&first)
        .arg(&second)
        .arg("--overlay")
        .arg(&for_second)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("selects nothing"), "each overlay met its own spec: {}", stderr(&o));
    let code = std::fs::read_to_string(&out).expect("written");
    assert!(code.contains("pub fn ai_project_id(") && code.contains("/// Ping"), "both applied");
}
