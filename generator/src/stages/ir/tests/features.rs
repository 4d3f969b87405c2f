//! A cargo feature per API group: which group each operation goes to, and
//! which groups each type is compiled for.

use crate::stages::ir::features::{feature_name, Gate, Rule};
use crate::stages::ir::Ir;
use crate::{Config, FeaturesBy};
use serde_json::{json, Value};

fn op(id: &str, tags: &[&str], body: &str) -> Value {
    json!({"operationId": id, "tags": tags, "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}}}})
}

fn spec(paths: Value) -> Value {
    let obj = |props: Value| json!({"type": "object", "properties": props});
    json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths, "components": {"schemas": {
        "Issue": obj(json!({"user": {"$ref": "#/components/schemas/User"}})),
        "Repo": obj(json!({"owner": {"$ref": "#/components/schemas/User"}})),
        "User": obj(json!({"login": {"type": "string"}})),
        "Hook": obj(json!({"url": {"type": "string"}})),
    }}})
}

fn ir(config: &mut Config, doc: Value) -> Ir {
    config.build_ir(doc).expect("builds").0
}

fn gate_of(ir: &Ir, name: &str) -> Vec<String> {
    let f = ir.features.as_ref().expect("split");
    let id = ir.types.ids().find(|id| ir.types.get(*id).name == name).expect(name);
    match &f.type_gates[id.0 as usize] {
        Gate::Always => vec!["always".into()],
        Gate::Full => vec!["full".into()],
        Gate::Groups(gs) => gs.iter().map(|g| f.groups[*g].name.clone()).collect(),
    }
}

fn groups(ir: &Ir) -> Vec<(String, usize)> {
    ir.features.as_ref().expect("split").groups.iter().map(|g| (g.name.clone(), g.operations)).collect()
}

#[test]
fn by_tag_each_operation_goes_to_its_first_tag_and_types_to_the_groups_that_reach_them() {
    let doc = spec(json!({
        "/issues": {"get": op("getIssue", &["Issues", "Repos"], "Issue")},
        "/repos": {"get": op("getRepo", &["Repos"], "Repo")},
        "/ping": {"get": op("ping", &[], "User")},
    }));
    let ir = ir(Config::new().features_by(FeaturesBy::Tag), doc);
    assert_eq!(groups(&ir), [("issues".into(), 1), ("repos".into(), 1), ("untagged".into(), 1)]);
    assert_eq!(gate_of(&ir, "Issue"), ["issues"]);
    assert_eq!(gate_of(&ir, "Repo"), ["repos"]);
    assert_eq!(gate_of(&ir, "User"), ["always"], "every group reaches it");
    assert_eq!(gate_of(&ir, "Hook"), ["full"], "no operation reaches it");
    assert_eq!(ir.features.as_ref().unwrap().rule, Rule::Tag);
}

#[test]
fn a_type_two_of_three_groups_reach_is_compiled_with_either() {
    let doc = spec(json!({
        "/issues": {"get": op("getIssue", &["issues"], "Issue")},
        "/repos": {"get": op("getRepo", &["repos"], "Repo")},
        "/hooks": {"get": op("getHook", &["hooks"], "Hook")},
    }));
    let ir = ir(Config::new().features_by(FeaturesBy::Tag), doc);
    assert_eq!(gate_of(&ir, "User"), ["issues", "repos"]);
}

#[test]
fn by_path_the_shared_leading_segments_are_skipped() {
    let doc = spec(json!({
        "/v1/chat/completions": {"post": op("chat", &["Chat"], "Issue")},
        "/v1/fine_tuning/jobs/{id}": {"get": op("job", &["Fine-tuning"], "Repo")},
        "/v1/models": {"get": op("models", &[], "User")},
    }));
    let ir = ir(Config::new().features_by(FeaturesBy::Path), doc);
    let names: Vec<String> = groups(&ir).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["chat", "fine_tuning", "models"]);
    assert_eq!(ir.features.as_ref().unwrap().rule, Rule::Path);
}

#[test]
fn by_path_a_version_segment_names_no_group() {
    let doc = spec(json!({
        "/v1/models": {"get": op("models", &[], "User")},
        "/v0/models/{name}": {"get": op("custom", &[], "Repo")},
        "/v1/chat/completions": {"post": op("chat", &[], "Issue")},
        "/v2beta1/chat/x": {"post": op("chat2", &[], "Hook")},
        "/video/v1x": {"get": op("video", &[], "Hook")},
    }));
    let ir = ir(Config::new().features_by(FeaturesBy::Path), doc);
    assert_eq!(groups(&ir), [("chat".into(), 2), ("models".into(), 2), ("video".into(), 1)]);
}

#[test]
fn named_lists_come_first_and_the_rest_go_by_tag() {
    let doc = spec(json!({
        "/issues": {"get": op("getIssue", &["Issues"], "Issue")},
        "/repos": {"get": op("getRepo", &["Repos"], "Repo")},
        "/hooks": {"get": op("getHook", &["Hooks"], "Hook")},
    }));
    let ir = ir(Config::new().feature("code", ["tag:Repos", "getHook"]), doc);
    assert_eq!(groups(&ir), [("code".into(), 2), ("issues".into(), 1)]);
    assert_eq!(ir.features.as_ref().unwrap().named, 2);
}

#[test]
fn more_tags_than_crates_io_allows_are_grouped_by_their_first_segment() {
    let mut paths = serde_json::Map::new();
    for i in 0..400 {
        let tag = format!("{}.part{i}", if i % 2 == 0 { "users" } else { "groups" });
        paths.insert(format!("/t{i}"), json!({"get": op(&format!("op{i}"), &[&tag], "User")}));
    }
    let ir = ir(Config::new().features_by(FeaturesBy::Tag), spec(Value::Object(paths)));
    assert_eq!(groups(&ir), [("groups".into(), 200), ("users".into(), 200)]);
    assert_eq!(ir.features.as_ref().unwrap().rule, Rule::TagSegment);
}

#[test]
fn feature_names_are_snake_case_and_keep_clear_of_the_crates_own() {
    assert_eq!(feature_name("Fine-tuning"), "fine_tuning");
    assert_eq!(feature_name("codes-of-conduct"), "codes_of_conduct");
    assert_eq!(feature_name("users.user"), "users_user");
    assert_eq!(feature_name("default"), "default_api");
    assert_eq!(feature_name("Full"), "full_api");
    assert_eq!(feature_name("3d"), "api_3d");
    assert_eq!(feature_name("—"), "untagged");
}
