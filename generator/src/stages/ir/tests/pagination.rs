//! Which operations page, and how: detected conventions, `x-pagination`,
//! and detection switched off.

use crate::stages::ir::pagination::{PageNext, Paging};
use crate::stages::ir::Ir;
use crate::Config;
use serde_json::{json, Value};

fn list(params: Value, body: Value, extra: Value) -> Value {
    let mut op = json!({"operationId": "listThings", "parameters": params,
        "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": body}}}}});
    if let (Some(op), Some(extra)) = (op.as_object_mut(), extra.as_object()) {
        op.extend(extra.clone());
    }
    op
}

fn ir_of(op: Value, detect: bool) -> (Ir, Vec<String>) {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/things": {"get": op}},
        "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}});
    let (ir, diags) = Config::new().detect_pagination(detect).build_ir(doc).expect("builds");
    (ir, diags.items.iter().map(|d| d.to_string()).collect())
}

fn paging(op: Value) -> Option<Paging> {
    ir_of(op, true).0.operations[0].pagination.clone()
}

fn q(name: &str, ty: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": ty}})
}

fn things() -> Value {
    json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}})
}

#[test]
fn openai_cursors_need_has_more_or_a_next_cursor_member() {
    let page = json!({"type": "object", "properties": {"data": things(), "has_more": {"type": "boolean"}, "last_id": {"type": "string"}}});
    let p = paging(list(json!([q("after", "string"), q("limit", "integer")]), page, json!({}))).expect("paged");
    assert_eq!(p.items.as_deref(), Some("data"));
    assert_eq!(
        p.next,
        PageNext::Cursor {
            param: "after".into(),
            from: Some("last_id".into()),
            item_key: Some("id".into()),
            has_more: Some("has_more".into())
        }
    );
    // GitHub's `after` is an opaque cursor its Link header carries: not OpenAI's.
    let page = json!({"type": "object", "properties": {"data": things()}});
    assert_eq!(paging(list(json!([q("after", "string")]), page, json!({}))), None);
}

#[test]
fn tokens_offsets_and_page_numbers_are_told_apart_by_their_members_and_types() {
    let token = json!({"type": "object", "properties": {"items": things(), "nextPageToken": {"type": "string"}}});
    let p = paging(list(json!([q("pageToken", "string")]), token, json!({}))).expect("token");
    assert_eq!(p.next, PageNext::Token { param: "pageToken".into(), from: "nextPageToken".into() });
    let p = paging(list(json!([q("offset", "integer"), q("limit", "integer")]), things(), json!({}))).expect("offset");
    assert_eq!((p.items, p.next), (None, PageNext::Offset { param: "offset".into(), size: Some("limit".into()) }));
    assert_eq!(paging(list(json!([q("offset", "integer")]), things(), json!({}))), None, "an offset needs a page size");
    assert_eq!(paging(list(json!([q("page", "string")]), things(), json!({}))), None, "a string page is no number");
    assert_eq!(paging(list(json!([]), things(), json!({}))), None, "nothing to page with");
}

#[test]
fn x_pagination_declares_or_turns_off_and_detection_can_be_switched_off() {
    let declared = json!({"x-pagination": {"style": "cursor", "param": "from", "items": "entries", "next": "cursor"}});
    let page = json!({"type": "object", "properties": {"entries": things(), "cursor": {"type": "string"}}});
    let p = paging(list(json!([q("from", "string")]), page.clone(), declared.clone())).expect("declared");
    assert!(p.declared && p.items.as_deref() == Some("entries"));
    assert_eq!(
        p.next,
        PageNext::Cursor { param: "from".into(), from: Some("cursor".into()), item_key: None, has_more: None }
    );
    let (ir, _) = ir_of(list(json!([q("from", "string")]), page.clone(), declared), false);
    assert!(ir.operations[0].pagination.is_some(), "declared paging stays without detection");

    let detected = list(json!([q("page", "integer")]), things(), json!({}));
    assert!(paging(detected.clone()).is_some());
    assert_eq!(ir_of(detected, false).0.operations[0].pagination, None);
    let off = list(json!([q("page", "integer")]), things(), json!({"x-pagination": false}));
    assert_eq!(paging(off), None);

    let wrong = list(json!([]), page, json!({"x-pagination": {"style": "token", "param": "t", "items": "missing"}}));
    let (ir, warnings) = ir_of(wrong, true);
    assert_eq!(ir.operations[0].pagination, None);
    assert!(
        warnings.iter().any(|w| w.contains("x-pagination: the success body has no array member `missing`")
            && w.contains("#/paths/~1things/get/x-pagination")),
        "{warnings:?}"
    );
}

#[test]
fn a_timestamp_cursor_needs_a_time_parameter_and_an_item_creation_time() {
    let stamped = |created: Value| {
        json!({"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object",
            "properties": {"id": {"type": "string"}, "created_at": created}}}}})
    };
    let nullable =
        json!({"name": "cursor_time", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}});
    let p = paging(list(json!([nullable, q("limit", "integer")]), stamped(json!({"type": "integer"})), json!({})))
        .expect("paged by time");
    assert_eq!(
        p.next,
        PageNext::Time { param: "cursor_time".into(), item_key: "created_at".into(), size: Some("limit".into()) }
    );
    let p = paging(list(
        json!([q("cursor_time", "string")]),
        stamped(json!({"type": "string", "format": "date-time"})),
        json!({}),
    ))
    .expect("a date-time creation time");
    assert!(matches!(p.next, PageNext::Time { size: None, .. }));
    assert_eq!(
        paging(list(json!([q("cursor_time", "string")]), stamped(json!({"type": "boolean"})), json!({}))),
        None,
        "a creation time that is no time"
    );
    let declared = json!({"x-pagination": {"style": "time", "param": "since", "size": "limit"}});
    let p =
        paging(list(json!([q("since", "string")]), stamped(json!({"type": "integer"})), declared)).expect("declared");
    assert_eq!(
        p.next,
        PageNext::Time { param: "since".into(), item_key: "created_at".into(), size: Some("limit".into()) }
    );
}
