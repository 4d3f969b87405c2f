//! A manifest's `[[pagination]]` and `detect_pagination`, and `Config`'s
//! equivalents, decide how operations page; the report says how each does.

use openapi_gen::Config;
use serde_json::json;
use std::path::PathBuf;

fn spec() -> serde_json::Value {
    let page = |name: &str| {
        json!({"get": {"operationId": name,
            "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}},
                           {"name": "from", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "things": {"type": "array", "items": {"type": "string"}},
                    "cursor": {"type": "string"}}}}}}}}})
    };
    json!({"openapi": "3.0.3", "info": {"title": "Paged", "version": "1"},
           "paths": {"/a": page("listA"), "/b": page("listB"), "/c": page("listC")}})
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-pagination-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(dir.join("api.json"), spec().to_string()).expect("the spec is written");
    dir
}

/// `name: how` for each paginated operation of the report.
fn paged(generated: &openapi_gen::Generated) -> Vec<String> {
    generated
        .report
        .operation_list
        .iter()
        .filter_map(|o| o.pagination.as_ref().map(|p| format!("{}: {p}", o.name)))
        .collect()
}

#[test]
fn the_manifest_declares_overrides_and_turns_off_paging() {
    let dir = dir("manifest");
    std::fs::write(
        dir.join("openapi-gen.toml"),
        r#"
[[pagination]]
operations = "GET /b"
style = "cursor"
param = "from"
items = "things"
next = "cursor"

[[pagination]]
operations = "listC"
style = "none"

[[pagination]]
operations = "GET /nowhere"
style = "page"
param = "page"

[[spec]]
file = "api.json"
"#,
    )
    .expect("the manifest is written");
    let generated = Config::new().spec_dir(&dir).generate().expect("generates");
    assert_eq!(
        paged(&generated),
        [
            "list_a: page number page; items in things (detected)",
            "list_b: cursor from <- cursor until a page has no items; items in things (declared)",
        ]
    );
    let warnings: Vec<String> = generated.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("the pagination pattern `GET /nowhere` matches no operation")),
        "{warnings:?}"
    );
    assert!(generated.code.contains("runtime::NextPage::Cursor"), "the declared paging is generated");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_can_switch_detection_off_and_declare_one_operation() {
    let dir = dir("config");
    let generated = Config::new()
        .spec(dir.join("api.json"))
        .detect_pagination(false)
        .pagination("listA", json!({"style": "page", "param": "page"}))
        .generate()
        .expect("generates");
    assert_eq!(paged(&generated), ["list_a: page number page; items in things (declared)"]);
    let _ = std::fs::remove_dir_all(&dir);
}
