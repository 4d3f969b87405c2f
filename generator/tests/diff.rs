//! `openapi-gen diff`: spec edits and what they change in the Rust API, and
//! the four real, consecutive bumps of OpenAI's spec.

#[path = "../../tests/shared/mod.rs"]
mod shared;

use openapi_gen::diff::{Action, Diff, Surface};
use openapi_gen::Config;
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0"},
        "servers": [{"url": "https://pets.example.com"}],
        "components": {
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "tag": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"}
                }},
                "NewPet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "tag": {"type": "string"}
                }},
                "Status": {"type": "string", "enum": ["available", "sold"]}
            }
        },
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}
                },
                "post": {
                    "operationId": "createPet",
                    "security": [{"key": []}],
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewPet"}}}},
                    "responses": {"201": {"description": "created", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"}}}}}
                }
            }
        }
    })
}

fn api(doc: Value) -> Surface {
    Config::new().example_tests(false).generate_value(doc, "spec.json").expect("the spec generates").surface
}

/// (breaking, item, path, action) of every change.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(bool, String, String, Action)> {
    let old = api(base());
    let mut doc = base();
    edit(&mut doc);
    let new = api(doc);
    Diff::new(&old, &new).changes.into_iter().map(|c| (c.breaking, c.item.to_string(), c.path, c.action)).collect()
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer} in the base spec"))
}

fn one(breaking: bool, item: &str, path: &str, action: Action) -> Vec<(bool, String, String, Action)> {
    vec![(breaking, item.to_string(), path.to_string(), action)]
}

#[test]
fn each_edit_is_classified_for_code_that_uses_the_crate() {
    use Action::*;
    type Edit = Box<dyn FnOnce(&mut Value)>;
    type Expected = Vec<(bool, String, String, Action)>;
    let cases: Vec<(&str, Edit, Expected)> = vec![
        (
            "a description changes",
            Box::new(|d| {
                *at(d, "/paths/~1pets/get").as_object_mut().unwrap().entry("description").or_insert(json!("")) =
                    json!("Lists pets.")
            }),
            vec![],
        ),
        (
            "an operation is added",
            Box::new(|d| {
                at(d, "/paths").as_object_mut().unwrap().insert(
                    "/pets/{id}".into(),
                    json!({"delete": {"operationId": "deletePet",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "gone"}}}}),
                );
            }),
            one(false, "method", "delete_pet", Added),
        ),
        (
            "an operation is removed",
            Box::new(|d| {
                at(d, "/paths/~1pets").as_object_mut().unwrap().remove("get");
            }),
            one(true, "method", "list_pets", Removed),
        ),
        (
            "an optional parameter is added (a setter)",
            Box::new(|d| {
                at(d, "/paths/~1pets/get/parameters")
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "offset", "in": "query", "schema": {"type": "integer"}}));
            }),
            one(false, "setter", "list_pets::offset", Added),
        ),
        (
            "a required parameter is added (an argument)",
            Box::new(|d| {
                at(d, "/paths/~1pets/get/parameters")
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}}));
            }),
            one(true, "argument", "list_pets", Changed),
        ),
        (
            "an optional parameter is removed",
            Box::new(|d| {
                at(d, "/paths/~1pets/get/parameters").as_array_mut().unwrap().clear();
            }),
            one(true, "setter", "list_pets::limit", Removed),
        ),
        (
            "a request type gets a required field",
            Box::new(|d| {
                at(d, "/components/schemas/NewPet/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("owner".into(), json!({"type": "string"}));
                at(d, "/components/schemas/NewPet/required").as_array_mut().unwrap().push(json!("owner"));
            }),
            one(true, "field", "NewPet::owner", Added),
        ),
        (
            "a request type gets an optional field",
            Box::new(|d| {
                at(d, "/components/schemas/NewPet/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("owner".into(), json!({"type": "string"}));
            }),
            one(false, "field", "NewPet::owner", Added),
        ),
        (
            "a response type gets a required field",
            Box::new(|d| {
                at(d, "/components/schemas/Pet/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("age".into(), json!({"type": "integer"}));
                at(d, "/components/schemas/Pet/required").as_array_mut().unwrap().push(json!("age"));
            }),
            one(false, "field", "Pet::age", Added),
        ),
        (
            "a response type gets an optional field",
            Box::new(|d| {
                at(d, "/components/schemas/Pet/properties")
                    .as_object_mut()
                    .unwrap()
                    .insert("age".into(), json!({"type": "integer"}));
            }),
            one(false, "field", "Pet::age", Added),
        ),
        (
            "a field turns nullable",
            Box::new(|d| {
                *at(d, "/components/schemas/Pet/properties/name") = json!({"type": "string", "nullable": true});
            }),
            one(true, "field", "Pet::name", Changed),
        ),
        (
            "a field is removed",
            Box::new(|d| {
                at(d, "/components/schemas/Pet/properties").as_object_mut().unwrap().remove("tag");
            }),
            one(true, "field", "Pet::tag", Removed),
        ),
        (
            "a field changes type",
            Box::new(|d| {
                *at(d, "/components/schemas/Pet/properties/tag") = json!({"type": "integer"});
            }),
            one(true, "field", "Pet::tag", Changed),
        ),
        (
            "an enum value is added (enums are open)",
            Box::new(|d| {
                at(d, "/components/schemas/Status/enum").as_array_mut().unwrap().push(json!("pending"));
            }),
            one(false, "value", "Status::\"pending\"", Added),
        ),
        (
            "an enum value is removed",
            Box::new(|d| {
                at(d, "/components/schemas/Status/enum").as_array_mut().unwrap().pop();
            }),
            one(true, "value", "Status::\"sold\"", Removed),
        ),
        (
            "a type is renamed with the same shape",
            Box::new(|d| {
                let schemas = at(d, "/components/schemas").as_object_mut().unwrap();
                let s = schemas.remove("Status").unwrap();
                schemas.insert("PetStatus".into(), s);
                *at(d, "/components/schemas/Pet/properties/status") = json!({"$ref": "#/components/schemas/PetStatus"});
            }),
            vec![
                (true, "field".into(), "Pet::status".into(), Changed),
                (true, "type".into(), "Status".into(), Renamed),
            ],
        ),
        (
            "an operation needs credentials",
            Box::new(|d| {
                at(d, "/paths/~1pets/get").as_object_mut().unwrap().insert("security".into(), json!([{"key": []}]));
            }),
            one(false, "auth", "list_pets", Changed),
        ),
        (
            "a required body turns optional (a setter)",
            Box::new(|d| {
                *at(d, "/paths/~1pets/post/requestBody/required") = json!(false);
            }),
            vec![
                (true, "argument".into(), "create_pet".into(), Changed),
                (false, "setter".into(), "create_pet::body".into(), Added),
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (what, edit, expected) in cases {
        let got = changes(edit);
        if got != expected {
            failures.push(format!("{what}:\n  expected {expected:?}\n  got      {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_snapshot_round_trips_and_an_unchanged_api_has_no_diff() {
    let s = api(base());
    let text = openapi_gen::diff::write_snapshot(&s);
    let back = openapi_gen::diff::read_snapshot(&text).expect("a snapshot reads back");
    assert_eq!(back, s);
    assert!(Diff::new(&back, &api(base())).is_empty());
    assert!(openapi_gen::diff::read_snapshot("{\"openapi\": \"3.0.0\"}").is_none());
    let rendered = Diff::new(&s, &s).render();
    assert_eq!(rendered, "Pets 1.0.0: no change to the Rust API\n");
}

/// Reverse-applies a unified diff (the corpus keeps each bump as the patch
/// of its commit): each hunk's new lines are replaced by its old ones.
fn reverse_patch(text: &str, patch: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let mut hunks: Vec<(usize, Vec<&str>, Vec<&str>)> = Vec::new();
    for hunk in patch.split("\n@@ ").skip(1) {
        let (header, body) = hunk.split_once('\n').expect("a hunk header");
        let new_start: usize = header
            .split(' ')
            .find_map(|p| p.strip_prefix('+'))
            .and_then(|p| p.split(',').next())
            .and_then(|n| n.parse().ok())
            .expect("the hunk's new start line");
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for line in body.lines() {
            match line.split_at(line.len().min(1)) {
                ("-", rest) => old.push(rest),
                ("+", rest) => new.push(rest),
                (" ", rest) => {
                    old.push(rest);
                    new.push(rest);
                }
                ("", _) => {
                    old.push("");
                    new.push("");
                }
                _ => {}
            }
        }
        hunks.push((new_start, old, new));
    }
    for (start, old, new) in hunks.into_iter().rev() {
        let at = start - 1;
        assert_eq!(&lines[at..at + new.len()], &new[..], "the patch applies at line {start}");
        lines.splice(at..at + new.len(), old);
    }
    lines.join("\n") + "\n"
}

#[test]
fn the_four_real_openai_bumps_match_their_commit_messages() {
    let what = "the four real OpenAI bumps";
    let Some(patches) = shared::or_skip("corpus/bumps/openai", what) else { return };
    let Some(latest) = shared::or_skip("corpus/openai.yaml", what) else { return };
    let latest = std::fs::read_to_string(latest).expect("the latest spec");
    let bumps = ["01-f85dbe2", "02-13c6a94", "03-010421d", "04-b0da4ea"];
    // Versions from newest to oldest: versions[i] is the spec after bump i.
    let mut versions = vec![latest];
    for b in bumps {
        let patch = std::fs::read_to_string(patches.join(format!("{b}.patch"))).expect("the patch");
        let before = reverse_patch(versions.last().unwrap(), &patch);
        versions.push(before);
    }
    let dir = std::env::temp_dir().join(format!("openapi-gen-bumps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let apis: Vec<Surface> = versions
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let file = dir.join(format!("openai-{i}.yaml"));
            std::fs::write(&file, text).expect("the spec is written");
            Config::new().spec(&file).api().expect("the spec builds")
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    let diff = |i: usize| Diff::new(&apis[i + 1], &apis[i]);
    let has = |d: &Diff, breaking: bool, path: &str, action: Action| {
        d.changes.iter().any(|c| c.breaking == breaking && c.path == path && c.action == action)
    };

    // 01: "Add 'residency' field for project data residency configuration".
    // Projects gain it, the request types trade `geography` for it: removing
    // a field breaks callers that set it.
    let d = diff(0);
    assert!(has(&d, false, "Project::residency", Action::Added), "{}", d.render());
    assert!(has(&d, false, "ProjectCreateRequest::residency", Action::Added), "{}", d.render());
    assert!(has(&d, false, "PublicProjectResidency", Action::Added), "{}", d.render());
    assert!(has(&d, true, "ProjectCreateRequest::geography", Action::Removed), "{}", d.render());
    assert!(has(&d, true, "ProjectUpdateRequest::geography", Action::Removed), "{}", d.render());
    assert_eq!(d.breaking, 2, "{}", d.render());

    // 02: "Add quantity_unit field to organization costs results": a new
    // optional field in a response, breaking nobody.
    let d = diff(1);
    assert!(has(&d, false, "CostsResult::quantity_unit", Action::Added), "{}", d.render());
    assert_eq!(d.breaking, 0, "{}", d.render());
    assert!(d.changes.iter().all(|c| c.action == Action::Added), "{}", d.render());

    // 03 and 04 only clarify descriptions: no change to the Rust API.
    for i in [2, 3] {
        let d = diff(i);
        assert!(d.is_empty(), "bump {} changed the API:\n{}", bumps[i], d.render());
    }
}

/// A spec of `n` operations, the first `with_errors` of them declaring a 400.
fn many_operations(n: usize, with_errors: usize) -> Value {
    let mut doc = base();
    let problem = json!({"type": "object", "properties": {"detail": {"type": "string"}}});
    doc["components"]["schemas"]["Problem"] = problem;
    let paths = doc["paths"].as_object_mut().expect("paths");
    for i in 0..n {
        let mut responses = json!({"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Pet"}}}}});
        if i < with_errors {
            responses["400"] = json!({"description": "bad", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}});
        }
        paths.insert(
            format!("/things{i}"),
            json!({"get": {"operationId": format!("getThing{i}"), "responses": responses}}),
        );
    }
    doc
}

#[test]
fn a_change_repeated_across_operations_reads_as_one_line_with_a_count() {
    // As OpenAI's commit that documents a 429 on every endpoint: 14
    // operations (the base's 2 and 12 more), 6 of them with errors already.
    let old = many_operations(12, 6);
    let mut new = old.clone();
    for item in new["paths"].as_object_mut().expect("paths").values_mut() {
        for op in item.as_object_mut().expect("a path item").values_mut() {
            op["responses"]["429"] = json!({"description": "slow down", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}});
        }
    }
    let diff = Diff::new(&api(old), &api(new));
    let text = diff.render();
    assert!(
        text.contains(
            "~ method `*` changed: errors: none -> *Error (8 methods: create_pet, get_thing10, get_thing11, …)"
        ),
        "{text}"
    );
    assert!(text.contains("+ type `*` added: responses by status, 1 variants (8 types: "), "{text}");
    assert!(text.contains("+ variant `*::Status429` added: Problem (6 variants: GetThing0Error, "), "{text}");
    assert!(text.lines().count() < 12, "a few lines, not one per operation:\n{text}");
    let json: Value = serde_json::from_str(&diff.to_json()).expect("JSON");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(22), "--json keeps every entry");
}

#[test]
fn an_operation_moved_to_another_feature_is_breaking_and_splitting_is_not() {
    let split = |doc: Value| {
        Config::new()
            .example_tests(false)
            .features_by(openapi_gen::FeaturesBy::Tag)
            .generate_value(doc, "spec.json")
            .expect("the spec generates")
            .surface
    };
    let tagged = |tag: &str| {
        let mut doc = base();
        at(&mut doc, "/paths/~1pets/post")["tags"] = json!([tag]);
        at(&mut doc, "/paths/~1pets/get")["tags"] = json!(["pets"]);
        doc
    };
    let moved = Diff::new(&split(tagged("pets")), &split(tagged("admin")));
    let feature: Vec<_> = moved
        .changes
        .iter()
        .filter(|c| c.detail.starts_with("feature"))
        .map(|c| (c.breaking, c.path.as_str()))
        .collect();
    assert_eq!(feature, [(true, "create_pet")], "{}", moved.render());
    let unsplit = Diff::new(&api(tagged("pets")), &split(tagged("pets")));
    assert!(unsplit.changes.iter().all(|c| !c.breaking), "{}", unsplit.render());
    assert_eq!(unsplit.changes.len(), 2, "a line per method:\n{}", unsplit.render());
}

#[test]
fn a_string_that_gains_a_format_is_a_breaking_type_change() {
    let got = changes(|doc| at(doc, "/components/schemas/Pet/properties/tag")["format"] = json!("date-time"));
    let fields: Vec<_> = got.iter().filter(|c| c.1 == "field").map(|c| (c.0, c.2.as_str())).collect();
    assert_eq!(fields, [(true, "Pet::tag")]);
    let old = api(base());
    let mut doc = base();
    at(&mut doc, "/components/schemas/Pet/properties/tag")["format"] = json!("date-time");
    let rendered = Diff::new(&old, &api(doc)).render();
    assert!(rendered.contains("Pet::tag` changed: Option<String> -> Option<DateTime>"), "{rendered}");
}
