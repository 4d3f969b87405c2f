//! `$ref`s are URI fragments: percent-encoded names (`Foo%20Bar`) and escaped
//! ones (`A~1B`) reach their component through every stage, with filters and
//! through a merge alike.

use openapi_gen::{Config, Generated, SpecSource};
use std::path::PathBuf;

const SPEC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Refs", "version": "1"},
  "servers": [{"url": "https://refs.test/v2"}],
  "paths": {
    "/things": {"get": {"operationId": "getThing", "responses": {"200": {"description": "ok",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Foo%20Bar"}}}}}}},
    "/other": {"get": {"operationId": "getOther", "responses": {"200": {"description": "ok",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A~1B"}}}}}}}
  },
  "components": {"schemas": {
    "Foo Bar": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Inner%25Part"}}},
    "Inner%Part": {"type": "object", "properties": {"n": {"type": "integer"}}},
    "A/B": {"type": "object", "properties": {"s": {"type": "string"}}}
  }}
}"##;

const OTHER: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Other", "version": "1"},
  "servers": [{"url": "https://refs.test/v1"}],
  "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}}
}"##;

fn spec_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-references-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("spec written");
    path
}

fn assert_typed(g: &Generated) {
    let warnings: Vec<String> = g.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(warnings.iter().all(|w| !w.contains("names no")), "{warnings:#?}");
    assert!(g.code.contains("pub struct FooBar {"), "the component is a type");
    assert!(g.code.contains("pub struct InnerPart {"), "a %25 in a ref is a % in the name");
    assert!(g.code.contains("-> builders::GetThing<'_>"), "the method has its builder");
    assert!(
        g.code.contains("runtime::request_builder!(GetThing, types::FooBar,"),
        "the response is the component's type, not serde_json::Value"
    );
}

#[test]
fn percent_encoded_refs_are_typed_without_filters() {
    let g = Config::new().spec(spec_file("plain.json", SPEC)).generate().expect("generates");
    assert_typed(&g);
    assert!(g.code.contains("pub struct AB {"));
}

#[test]
fn percent_encoded_refs_survive_the_filter_that_prunes_components() {
    let g = Config::new().spec(spec_file("filtered.json", SPEC)).include("getThing").generate().expect("generates");
    assert_typed(&g);
    assert!(!g.code.contains("pub struct AB {"), "the other operation's component is pruned");
    let pruned = &g.report.removed_by_filter.components;
    assert_eq!(pruned, &["#/components/schemas/A~1B"], "named in the pointer spelling");
}

#[test]
fn percent_encoded_refs_survive_a_merge_and_its_mount() {
    let g = Config::new()
        .spec(spec_file("first.json", OTHER))
        .spec_source(SpecSource::new(spec_file("second.json", SPEC)).include("GET /v2/things"))
        .generate()
        .expect("generates");
    assert_typed(&g);
    assert!(g.code.contains("pub fn ping("));
}
