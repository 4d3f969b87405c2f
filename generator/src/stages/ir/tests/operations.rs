//! Operations on small specs: what the IR makes of parameters, bodies,
//! responses and security, and what it reports.

use crate::ground::diag::{Code, Diagnostic};
use crate::stages::ir::{
    AuthKind, BodyKind, Ir, Operation, ParamLocation, PartKind, ResponseBody, StreamForm, Success, TypeKind,
};
use crate::Config;
use serde_json::{json, Value};

fn build(paths: Value, components: Value) -> (Ir, Vec<Diagnostic>) {
    let doc =
        json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths, "components": components});
    let (ir, diags) = Config::new().build_ir(doc).expect("builds");
    (ir, diags.items)
}

fn op<'a>(ir: &'a Ir, name: &str) -> &'a Operation {
    ir.operations.iter().find(|o| o.name == name).unwrap_or_else(|| {
        panic!("no operation {name}; have {:?}", ir.operations.iter().map(|o| &o.name).collect::<Vec<_>>())
    })
}

fn kind<'a>(ir: &'a Ir, name: &str) -> &'a TypeKind {
    &ir.types.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}")).kind
}

#[test]
fn required_parameters_are_arguments_in_order_and_optional_ones_setters() {
    let (ir, _) = build(
        json!({"/orgs/{org}/repos/{repo}": {"parameters": [{"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "getRepo", "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "X-Req", "in": "header", "required": true, "schema": {"type": "string"}},
                {"name": "org", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "send", "in": "query", "schema": {"type": "boolean"}},
                {"name": "Content-Type", "in": "header", "schema": {"type": "string"}}
            ], "responses": {"204": {"description": "ok"}}}}}),
        json!({}),
    );
    let o = op(&ir, "get_repo");
    let args: Vec<(&str, bool)> = o.params.iter().map(|p| (p.name.as_str(), p.required)).collect();
    assert_eq!(args, [("org", true), ("repo", true), ("page", false), ("x_req", true), ("send_2", false)]);
    assert_eq!(o.builder, "GetRepo");
    assert_eq!(o.success, Success::One(ResponseBody::Empty));
}

#[test]
fn reserved_headers_are_reported_not_dropped_silently() {
    let (_, diags) = build(
        json!({"/x": {"get": {"parameters": [{"name": "Accept", "in": "header", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}}),
        json!({}),
    );
    assert!(
        diags.iter().any(|d| d.pointer == "#/paths/~1x/get/parameters/0"
            && d.code == Code::ClientHeader
            && d.message.contains("Accept")),
        "{diags:?}"
    );
}

#[test]
fn several_success_bodies_become_an_enum_by_status() {
    let (ir, _) = build(
        json!({"/x": {"post": {"operationId": "make", "responses": {
            "200": {"description": "old", "content": {"application/json": {"schema": {"type": "string"}}}},
            "201": {"description": "new", "content": {"application/json": {"schema": {"type": "integer"}}}},
            "204": {"description": "none"}}}}}),
        json!({}),
    );
    let Success::ByStatus(id) = op(&ir, "make").success else { panic!("expected an enum") };
    let TypeKind::SuccessEnum(e) = &ir.types.get(id).kind else { panic!() };
    let names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Status200", "Status201", "Status204"]);
    assert_eq!(e.variants[2].body, ResponseBody::Empty);
    assert_eq!(ir.types.get(id).name, "MakeSuccess");
}

#[test]
fn identical_success_bodies_with_an_empty_one_are_optional() {
    let (ir, _) = build(
        json!({"/x": {"get": {"operationId": "get", "responses": {
            "200": {"description": "a", "content": {"application/json": {"schema": {"type": "string"}}}},
            "204": {"description": "none"}}}}}),
        json!({}),
    );
    assert!(matches!(&op(&ir, "get").success, Success::One(ResponseBody::Json(t)) if t.is_option()));
}

#[test]
fn json_with_event_stream_gets_a_streaming_form_that_sets_the_flag() {
    let (ir, _) = build(
        json!({"/chat": {"post": {"operationId": "chat",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Resp"}},
                "text/event-stream": {"schema": {"$ref": "#/components/schemas/Chunk"}}}}}}},
            "/events": {"get": {"operationId": "events", "responses": {"200": {"description": "ok", "content": {"text/event-stream": {}}}}}},
            "/file": {"get": {"operationId": "file", "responses": {"200": {"description": "ok", "content": {"application/octet-stream": {}}}}}}}),
        json!({"schemas": {
            "Req": {"type": "object", "properties": {"stream": {"type": ["boolean", "null"]}}},
            "Resp": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Chunk": {"type": "object", "properties": {"b": {"type": "string"}}}}}),
    );
    let chat = op(&ir, "chat");
    assert!(matches!(&chat.success, Success::One(ResponseBody::Json(_))));
    match &chat.stream {
        Some(StreamForm::Events { json: true, flag: Some(f), .. }) => assert_eq!(f, "stream"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(&op(&ir, "events").success, Success::One(ResponseBody::Events { json: false, .. })));
    assert_eq!(op(&ir, "events").stream, None);
    assert_eq!(op(&ir, "file").stream, Some(StreamForm::Bytes));
}

#[test]
fn a_stream_expects_its_end_marker_by_convention_or_as_declared() {
    let streamed = |id: &str, chunk: &str, extra: serde_json::Value| {
        let mut op = json!({"operationId": id,
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Resp"}},
                "text/event-stream": {"schema": {"$ref": format!("#/components/schemas/{chunk}")}}}}}});
        if let (Some(op), Some(extra)) = (op.as_object_mut(), extra.as_object()) {
            op.extend(extra.clone());
        }
        json!({"post": op})
    };
    let (ir, _) = build(
        json!({
            "/chat": streamed("chat", "Chunk", json!({})),
            "/typed": streamed("typed", "Event", json!({})),
            "/said": streamed("said", "Event", json!({"description": "Events, then `data: [DONE]`."})),
            "/declared": streamed("declared", "Event", json!({"x-stream-end": "END"})),
            "/none": streamed("none", "Chunk", json!({"x-stream-end": false}))
        }),
        json!({"schemas": {
            "Req": {"type": "object", "properties": {"stream": {"type": "boolean"}}},
            "Resp": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Chunk": {"type": "object", "properties": {"b": {"type": "string"}}},
            "Delta": {"type": "object", "required": ["type"], "properties": {"type": {"const": "delta"}}},
            "Done": {"type": "object", "required": ["type"], "properties": {"type": {"const": "done"}}},
            "Event": {"oneOf": [{"$ref": "#/components/schemas/Delta"}, {"$ref": "#/components/schemas/Done"}]}}}),
    );
    let end = |name: &str| match &op(&ir, name).stream {
        Some(StreamForm::Events { end, .. }) => end.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(end("chat").as_deref(), Some("[DONE]"), "OpenAI's convention: a flag and chunks of one type");
    assert_eq!(end("typed"), None, "a union of typed events ends with its own event");
    assert_eq!(end("said").as_deref(), Some("[DONE]"), "the operation says so");
    assert_eq!(end("declared").as_deref(), Some("END"), "x-stream-end");
    assert_eq!(end("none"), None, "x-stream-end: false");
}

#[test]
fn multipart_bodies_type_their_files_and_fastapi_bodies_are_renamed() {
    let (ir, _) = build(
        json!({"/v0/models/upload": {"post": {"operationId": "upload_model_file_v0_models_upload_post",
            "requestBody": {"required": true, "content": {"multipart/form-data": {
                "schema": {"$ref": "#/components/schemas/Body_upload_model_file_v0_models_upload_post"},
                "encoding": {"file": {"contentType": "application/zip"}}}}},
            "responses": {"200": {"description": "ok"}}}}}),
        json!({"schemas": {"Body_upload_model_file_v0_models_upload_post": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "extra": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"}},
            "name": {"type": "string"}}}}}),
    );
    let o = op(&ir, "upload_model_file");
    assert_eq!(o.bodies.len(), 1);
    assert_eq!(o.bodies[0].kind, BodyKind::Multipart);
    let TypeKind::Multipart(m) = kind(&ir, "UploadModelFileBody") else { panic!("not multipart") };
    let fields: Vec<(&str, PartKind, bool)> = m.fields.iter().map(|f| (f.wire.as_str(), f.kind, f.required)).collect();
    assert_eq!(
        fields,
        [("file", PartKind::File, true), ("extra", PartKind::Files, false), ("name", PartKind::Value, false)]
    );
    assert_eq!(m.fields[0].content_type.as_deref(), Some("application/zip"));
}

#[test]
fn every_media_type_is_offered_json_first() {
    let (ir, diags) = build(
        json!({"/x": {"post": {"operationId": "post",
            "requestBody": {"content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                "application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                "application/merge-patch+json": {"schema": {"type": "object"}},
                "application/octet-stream": {}}},
            "responses": {"200": {"description": "ok"}}}}}),
        json!({}),
    );
    let o = op(&ir, "post");
    let kinds: Vec<(BodyKind, &str)> = o.bodies.iter().map(|b| (b.kind, b.setter.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (BodyKind::Json, "body"),
            (BodyKind::Form, "form_body"),
            (BodyKind::Text, "text_body"),
            (BodyKind::Binary, "binary_body")
        ]
    );
    assert!(
        diags
            .iter()
            .any(|d| d.code == Code::MediaType
                && d.pointer.contains("requestBody/content/application~1merge-patch+json")),
        "{diags:?}"
    );
}

#[test]
fn security_alternatives_and_operations_without_auth() {
    let (ir, diags) = build(
        json!({"/a": {"get": {"operationId": "a", "security": [{"key": [], "basic": []}, {"oauth": ["read"]}, {"missing": []}],
                "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "b", "security": [], "responses": {"200": {"description": "ok"}}}},
            "/c": {"get": {"operationId": "c", "responses": {"200": {"description": "ok"}}}}}),
        json!({"securitySchemes": {
            "key": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "basic": {"type": "http", "scheme": "basic"},
            "oauth": {"type": "oauth2", "flows": {}}}}),
    );
    let a = &op(&ir, "a").security;
    assert_eq!(a.len(), 2, "the alternative naming an undefined scheme is left out");
    assert_eq!(
        a[0].iter().map(|s| s.kind).collect::<Vec<_>>(),
        [AuthKind::ApiKey(ParamLocation::Cookie), AuthKind::Basic]
    );
    assert_eq!(a[1][0].kind, AuthKind::Bearer);
    assert!(op(&ir, "b").security.is_empty() && op(&ir, "c").security.is_empty());
    assert!(diags.iter().any(|d| d.code == Code::Security && d.message.contains("\"missing\"")), "{diags:?}");
    let vars: Vec<&str> = ir.security_schemes.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(vars, ["T_KEY", "T_BASIC", "T_OAUTH"]);
}
