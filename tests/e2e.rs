//! The generated Nebius client against a real HTTP server on 127.0.0.1.

mod common;

use common::{start, TOKEN};
use nebius_token_factory::types::{
    ColumnSchemaType, CompleteUploadError, CompleteUploadRequest, SchemaOptionItem, SchemaPrimitiveType, UploadStatus,
};
use nebius_token_factory::{Client, Error};

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

fn body(parts: &[&str]) -> CompleteUploadRequest {
    CompleteUploadRequest::new(parts.iter().map(|s| s.to_string()).collect())
}

#[tokio::test]
async fn completes_an_upload_and_tells_both_column_type_shapes_apart() {
    let server = start().await;
    let resp = client(&server.base_url).complete_upload("up-1", &body(&["p1", "p2"])).await.expect("success");
    assert_eq!(resp.id, "up-1");
    let info = resp.upload_info;
    assert_eq!(info.status, UploadStatus::Completed);
    assert_eq!(info.created_at, 1760109124);
    assert_eq!(info.completed_at, Some(1760109125));
    assert_eq!(info.error, None);
    let schema = &info.dataset.schema;
    assert_eq!(schema.len(), 3);
    match &schema[0].r#type {
        ColumnSchemaType::SchemaPrimitive(p) => assert_eq!(p.name, SchemaPrimitiveType::String),
        other => panic!("expected a primitive, got {other:?}"),
    }
    match &schema[1].r#type {
        ColumnSchemaType::SchemaOption(o) => match &*o.item {
            SchemaOptionItem::SchemaPrimitive(p) => assert_eq!(p.name, SchemaPrimitiveType::String),
            other => panic!("expected a primitive item, got {other:?}"),
        },
        other => panic!("expected an option, got {other:?}"),
    }
    // option<option<integer>>: the recursion goes through the boxed variant.
    match &schema[2].r#type {
        ColumnSchemaType::SchemaOption(o) => match &*o.item {
            SchemaOptionItem::SchemaOption(inner) => {
                assert!(
                    matches!(&*inner.item, SchemaOptionItem::SchemaPrimitive(p) if p.name == SchemaPrimitiveType::Integer)
                )
            }
            other => panic!("expected a nested option, got {other:?}"),
        },
        other => panic!("expected an option, got {other:?}"),
    }

    let req = server.last();
    assert_eq!(req.method, "POST");
    assert_eq!(req.raw_path, "/v1/datasets/uploads/up-1/complete");
    assert_eq!(req.query, None, "an absent optional query parameter is not sent");
    assert_eq!(req.authorization.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(req.content_type.as_deref(), Some("application/json"));
    assert_eq!(req.body, serde_json::json!({"part_ids": ["p1", "p2"]}));
    // The default user agent names the crate and the API version it was generated for.
    let agent = format!("nebius-token-factory/{} api/20260506-297d05704", env!("CARGO_PKG_VERSION"));
    assert_eq!(req.user_agent.as_deref(), Some(agent.as_str()));
}

#[test]
fn each_specs_title_and_version_are_constants() {
    use nebius_token_factory::{API_TITLE, API_VERSION, SPECS};
    assert_eq!(API_TITLE, "Nebius OpenAI-compatible inference API");
    assert_eq!(API_VERSION, "20260506-297d05704");
    assert_eq!(
        SPECS,
        &[
            // Nebius's document, from its fragments (spec/nebius/ and the seed).
            ("nebius", "Nebius OpenAI-compatible inference API", "20260506-297d05704"),
            ("openai.yaml", "OpenAI API", "2.3.0"),
        ]
    );
}

#[tokio::test]
async fn sends_the_query_parameter_when_given() {
    let server = start().await;
    let resp = client(&server.base_url)
        .complete_upload("up-2", &body(&["p"]))
        .ai_project_id("proj a&b")
        .await
        .expect("success");
    assert_eq!(resp.upload_info.ai_project_id.as_deref(), Some("proj a&b"));
    let query = server.last().query.expect("a query string");
    assert!(query == "ai_project_id=proj+a%26b" || query == "ai_project_id=proj%20a%26b", "{query}");
}

#[tokio::test]
async fn path_parameters_stay_one_segment() {
    let server = start().await;
    let c = client(&server.base_url);
    for (id, raw) in [
        ("a/b", "/v1/datasets/uploads/a%2Fb/complete"),
        ("a b?c#d%e", "/v1/datasets/uploads/a%20b%3Fc%23d%25e/complete"),
        ("...", "/v1/datasets/uploads/.../complete"),
        ("x..y", "/v1/datasets/uploads/x..y/complete"),
    ] {
        let resp = c.complete_upload(id, &body(&["p"])).await.unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(resp.id, id, "the server decoded the same id");
        assert_eq!(server.last().raw_path, raw);
    }
    let before = server.requests().len();
    for id in [".", "..", ""] {
        let err = c.complete_upload(id, &body(&["p"])).await.expect_err("dot segments are refused");
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
        assert!(err.to_string().contains("upload_id"), "{err}");
    }
    assert_eq!(server.requests().len(), before, "nothing was sent for refused path parameters");
}

#[tokio::test]
async fn validation_errors_are_typed_and_readable() {
    let server = start().await;
    let err = client(&server.base_url).complete_upload("fail422", &body(&["p"])).await.expect_err("422");
    let Error::Api { status, body: CompleteUploadError::Status422(ref v), ref text, .. } = err else {
        panic!("expected a typed 422, got {err:?}");
    };
    assert_eq!(status.as_u16(), 422);
    let detail = v.detail.as_ref().expect("detail");
    assert_eq!(detail.len(), 2);
    assert_eq!(detail[0].msg, "Upload is not ready");
    assert!(text.contains("Unknown part"));
    let shown = err.to_string();
    assert_eq!(
        shown,
        "HTTP 422 Unprocessable Entity: path.upload_id: Upload is not ready; body.part_ids.0: Unknown part"
    );
    assert!(!shown.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn undocumented_statuses_keep_status_and_body() {
    let server = start().await;
    let c = client(&server.base_url);
    let err = c.complete_upload("missing", &body(&["p"])).await.expect_err("404");
    assert!(
        matches!(err, Error::UnexpectedStatus { status, ref text, .. } if status.as_u16() == 404 && text.contains("not found"))
    );
    assert_eq!(err.to_string(), "unexpected HTTP 404 Not Found: Upload missing not found");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));

    let err = c.complete_upload("teapot", &body(&["p"])).await.expect_err("418");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(err.body_text(), Some("short and stout"));
}

#[tokio::test]
async fn unparseable_bodies_give_decode_errors_with_the_body_start() {
    let server = start().await;
    let err = client(&server.base_url).complete_upload("garbage", &body(&["p"])).await.expect_err("bad body");
    match &err {
        Error::Decode { status, body_start, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body_start, "<html>not json</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(err.to_string().contains("<html>not json</html>"));
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = start().await;
    let resp = client(&server.base_url).complete_upload("archived", &body(&["p"])).await.expect("success");
    assert_eq!(resp.upload_info.status, UploadStatus::Other("ARCHIVED".into()));
    let back = serde_json::to_value(&resp).expect("serialize");
    assert_eq!(back["upload_info"]["status"], "ARCHIVED");
}

#[tokio::test]
async fn missing_or_wrong_credentials_reach_the_server_as_such() {
    let server = start().await;
    let anonymous = Client::with_base_url(&server.base_url).expect("client");
    let err = anonymous.complete_upload("up", &body(&["p"])).await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.last().authorization, None);
}

#[tokio::test]
async fn a_callers_own_http_client_is_used() {
    let server = start().await;
    // With ring (the default TLS), the process needs its rustls provider
    // before reqwest builds a client; a client of the crate installs it.
    nebius_token_factory::runtime::install_tls_provider();
    let http = nebius_token_factory::runtime::reqwest::Client::builder()
        .user_agent("my-agent/1")
        .build()
        .expect("http client");
    let c = Client::with_http_client(http, format!("{}/", server.base_url)).bearer_token(TOKEN);
    assert_eq!(c.base_url(), server.base_url, "a trailing slash is dropped");
    c.complete_upload("up", &body(&["p"])).await.expect("success");
    assert!(format!("{c:?}").contains("<redacted>") && !format!("{c:?}").contains(TOKEN));
}

#[tokio::test]
async fn transport_errors_do_not_leak_the_token() {
    // Nothing listens on this port (bound, then dropped).
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let err =
        client(&format!("http://127.0.0.1:{port}")).complete_upload("x", &body(&["p"])).await.expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.attempts(), 3, "connection errors are retried twice by default");
    assert!(!err.to_string().contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
}
