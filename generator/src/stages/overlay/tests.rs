use super::*;
use serde_json::json;

fn overlay(doc: Value) -> Overlay {
    Overlay { file: "fix.yaml".into(), doc }
}

fn spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {
            "/chat": {"post": {"operationId": "chat", "parameters": [{"name": "a", "in": "query"}],
                "responses": {"200": {"description": "ok"}}}},
            "/files": {"get": {"operationId": "listFiles", "x-internal": true}},
            "/files/{id}": {"get": {"operationId": "getFile"}, "delete": {"operationId": "deleteFile", "x-internal": true}}
        },
        "components": {"schemas": {"Tier": {"type": "string", "enum": ["auto", "default"]}}}
    })
}

fn apply(actions: Value) -> (Value, Added, Vec<Diagnostic>) {
    let mut doc = spec();
    let (mut added, mut diags) = (Added::default(), Diagnostics::default());
    overlay(json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": actions}))
        .apply(&mut doc, &mut added, &mut diags)
        .expect("applies");
    (doc, added, diags.items)
}

#[test]
fn updates_merge_into_objects_append_to_arrays_and_replace_scalars() {
    let (doc, _, diags) = apply(json!([
        {"target": "$.paths['/chat'].post", "update": {"summary": "Chat", "responses": {"200": {"description": "a chat"}}}},
        {"target": "$.paths['/chat'].post.parameters", "update": {"name": "ai_project_id", "in": "query"}},
        {"target": "$.components.schemas.Tier.enum", "update": "flex"},
        {"target": "$.paths['/chat'].post.operationId", "update": "createChat"}
    ]));
    assert!(diags.is_empty(), "{diags:?}");
    let post = &doc["paths"]["/chat"]["post"];
    assert_eq!(post["summary"], "Chat");
    assert_eq!(post["responses"]["200"]["description"], "a chat", "nested objects merge");
    assert_eq!(post["parameters"][1]["name"], "ai_project_id", "appended");
    assert_eq!(post["parameters"][0]["name"], "a", "kept");
    assert_eq!(doc["components"]["schemas"]["Tier"]["enum"], json!(["auto", "default", "flex"]));
    assert_eq!(post["operationId"], "createChat", "a scalar is replaced");
}

#[test]
fn an_array_update_appends_its_items_and_an_object_is_one_item() {
    let mut doc = spec();
    doc["tags"] = json!([{"name": "Chat"}]);
    let (mut added, mut diags) = (Added::default(), Diagnostics::default());
    overlay(json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": [
        {"target": "$.tags", "update": [{"name": "Snacks"}, {"name": "Drinks"}]},
        {"target": "$.tags", "update": {"name": "Files"}},
        {"target": "$.paths['/chat'].post.parameters", "update": [
            {"name": "ai_project_id", "in": "query"}, {"name": "x-trace", "in": "header"}]},
        {"target": "$.paths['/chat'].post.parameters", "update": {"name": "page", "in": "query"}}
    ]}))
    .apply(&mut doc, &mut added, &mut diags)
    .expect("applies");
    assert!(diags.items.is_empty(), "{:?}", diags.items);
    let names = |v: &Value| v.as_array().into_iter().flatten().map(|t| t["name"].clone()).collect::<Vec<_>>();
    assert_eq!(names(&doc["tags"]), [json!("Chat"), json!("Snacks"), json!("Drinks"), json!("Files")]);
    assert_eq!(
        names(&doc["paths"]["/chat"]["post"]["parameters"]),
        [json!("a"), json!("ai_project_id"), json!("x-trace"), json!("page")],
        "each parameter an item, not a list inside the list"
    );
    // Each appended item points back at its place in the overlay.
    assert_eq!(added.original("#/tags/2/name").map(|(_, o)| o), Some("#/actions/0/update/1/name".to_string()));
    assert_eq!(added.original("#/tags/3").map(|(_, o)| o), Some("#/actions/1/update".to_string()));
}

#[test]
fn filters_and_wildcards_select_every_match_and_remove_takes_them_out() {
    let (doc, _, diags) = apply(json!([
        {"target": "$.paths.*[?@['x-internal'] == true]", "remove": true},
        {"target": "$.paths.*.*", "update": {"x-seen": true}}
    ]));
    assert!(diags.is_empty(), "{diags:?}");
    assert!(doc["paths"]["/files"].get("get").is_none(), "filtered out");
    assert!(doc["paths"]["/files/{id}"].get("delete").is_none(), "filtered out");
    assert_eq!(doc["paths"]["/files/{id}"]["get"]["x-seen"], true, "a wildcard reaches every operation left");
    assert_eq!(doc["paths"]["/chat"]["post"]["x-seen"], true);
}

#[test]
fn removing_several_array_items_removes_exactly_those() {
    let mut doc = json!({"list": [0, 1, 2, 3, 4, 5]});
    let o = overlay(
        json!({"overlay": "1.0.0", "info": {}, "actions": [{"target": "$.list[?@ > 1 && @ < 5]", "remove": true}]}),
    );
    o.apply(&mut doc, &mut Added::default(), &mut Diagnostics::default()).expect("applies");
    assert_eq!(doc["list"], json!([0, 1, 5]));
}

#[test]
fn copy_merges_the_one_node_it_selects() {
    let (doc, added, _) = apply(json!([
        {"target": "$.paths['/files'].get", "copy": "$.paths['/chat'].post.responses"}
    ]));
    assert_eq!(doc["paths"]["/files"]["get"]["200"]["description"], "ok");
    let (file, origin) = added.original("#/paths/~1files/get/200").expect("recorded");
    assert_eq!((file.as_str(), origin.as_str()), ("fix.yaml", "#/actions/0/copy/200"));
}

#[test]
fn an_unmatched_target_is_a_warning_at_the_action() {
    let (doc, _, diags) = apply(json!([{"target": "$.paths['/nope'].get", "update": {"x": 1}}]));
    assert_eq!(doc, spec(), "nothing changed");
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].pointer.as_str(), diags[0].file.as_deref()), ("#/actions/0/target", Some("fix.yaml")));
}

#[test]
fn what_an_update_adds_points_into_the_overlay() {
    let (_, added, _) = apply(json!([
        {"target": "$.paths['/chat'].post.parameters", "update": {"name": "ai_project_id", "in": "query", "schema": {"type": "string"}}},
        {"target": "$.paths['/chat'].post", "update": {"requestBody": {"content": {}}}}
    ]));
    let at = |p: &str| added.original(p).map(|(_, o)| o);
    assert_eq!(at("#/paths/~1chat/post/parameters/1/schema").as_deref(), Some("#/actions/0/update/schema"));
    assert_eq!(
        at("#/paths/~1chat/post/requestBody/content").as_deref(),
        Some("#/actions/1/update/requestBody/content")
    );
    assert_eq!(at("#/paths/~1chat/post/parameters/0"), None, "the spec's own parameter");
    assert_eq!(at("#/paths/~1chat/post"), None, "merged into, not added");
}

#[test]
fn malformed_overlays_are_errors_at_their_place() {
    let err = |doc: Value| {
        let e =
            overlay(doc).apply(&mut spec(), &mut Added::default(), &mut Diagnostics::default()).expect_err("malformed");
        let d = e.diagnostics()[0].clone();
        assert_eq!(d.file.as_deref(), Some("fix.yaml"));
        assert_eq!(d.code, crate::ground::diag::Code::Overlay);
        (d.pointer, d.message)
    };
    assert_eq!(err(json!([1])).0, "#");
    assert_eq!(err(json!({"actions": []})).1, "not an overlay: no `overlay` version (such as \"1.0.0\")");
    assert_eq!(err(json!({"overlay": "2.0.0", "actions": []})).0, "#/overlay");
    assert_eq!(err(json!({"overlay": "1.0.0"})).0, "#");
    assert_eq!(err(json!({"overlay": "1.0.0", "actions": ["x"]})).0, "#/actions/0");
    assert_eq!(err(json!({"overlay": "1.0.0", "actions": [{"update": {}}]})).0, "#/actions/0/target");
    let (at, message) = err(json!({"overlay": "1.0.0", "actions": [{"target": "$.paths[", "update": {}}]}));
    assert_eq!(at, "#/actions/0/target");
    assert!(message.contains("not a JSONPath"), "{message}");
    assert_eq!(err(json!({"overlay": "1.0.0", "actions": [{"target": "$"}]})).0, "#/actions/0");
    assert_eq!(
        err(json!({"overlay": "1.0.0", "actions": [{"target": "$.paths", "copy": "$.a"}]})).0,
        "#/actions/0/copy"
    );
    assert_eq!(
        err(json!({"overlay": "1.1.0", "actions": [{"target": "$.paths", "copy": "$.paths.*"}]})).0,
        "#/actions/0/copy"
    );
    assert_eq!(
        err(json!({"overlay": "1.1.0", "actions": [{"target": "$.paths", "update": [1]}]})).0,
        "#/actions/0/update"
    );
}
