//! Nebius's own API, from Nebius's own document, against a local server with
//! state: an upload created, its parts listed and completed into a dataset;
//! the dataset read, renamed and its rows read in pages; operations listed
//! page by page with the timestamp cursor; a custom model created, read and
//! deleted, and a model archive uploaded.

mod common;

use common::native::{start, T0};
use common::TOKEN;
use nebius_token_factory::types::{
    ColumnSchema, ColumnSchemaType, CompleteUploadRequest, CreateUploadBody, DatasetStatus, OperationStatus,
    OperationType, PatchDatasetBody, PatchDatasetError, SchemaPrimitive, SchemaPrimitiveType, UploadStatus,
};
use nebius_token_factory::{Client, Error};

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

fn text_column(name: &str) -> ColumnSchema {
    ColumnSchema::new(name, ColumnSchemaType::SchemaPrimitive(SchemaPrimitive::new(SchemaPrimitiveType::String)))
}

#[tokio::test]
async fn an_upload_is_created_its_parts_listed_and_completed_into_a_dataset() {
    let server = start(0, 0).await;
    let client = client(&server.base_url);
    let body = CreateUploadBody::new("chats", vec![text_column("text")], "/datasets");
    let upload = client.create_upload(&body).await.expect("created");
    assert_eq!(upload.upload_info.status, UploadStatus::Pending);
    assert_eq!(upload.upload_info.dataset.name, "chats");
    assert_eq!(upload.upload_info.dataset.id, None, "no dataset before completion");

    let parts = client.list_upload_parts(&upload.id).await.expect("parts");
    // The page does not show a part's members: each is kept whole, as sent.
    let ids: Vec<String> =
        parts.data.iter().filter_map(|p| p.get("part_id").and_then(|v| v.as_str()).map(str::to_string)).collect();
    assert_eq!(ids, [format!("{}-p1", upload.id), format!("{}-p2", upload.id)]);
    assert_eq!(parts.data[1].get("size"), Some(&serde_json::json!(7)));

    let done = client.complete_upload(&upload.id, &CompleteUploadRequest::new(ids)).await.expect("completed");
    assert_eq!(done.upload_info.status, UploadStatus::Completed);
    let dataset_id = done.upload_info.dataset.id.expect("a dataset");
    let dataset = client.get_dataset(&dataset_id).await.expect("the dataset");
    assert_eq!((dataset.name.as_str(), dataset.folder.as_str()), ("chats", "/datasets"));
    assert_eq!(dataset.status, DatasetStatus::Ready);
    assert_eq!(dataset.created_at, T0);
}

#[tokio::test]
async fn a_dataset_is_renamed_and_an_empty_name_is_a_typed_422() {
    let server = start(0, 3).await;
    let client = client(&server.base_url);
    let renamed = client.patch_dataset("ds-rows", &PatchDatasetBody::default().name("renamed")).await.expect("patched");
    assert_eq!(renamed.name, "renamed");
    assert_eq!(renamed.folder, "/data", "what the patch leaves out stays");
    assert_eq!(client.get_dataset("ds-rows").await.expect("read back").name, "renamed");

    match client.patch_dataset("ds-rows", &PatchDatasetBody::default().folder("")).await {
        Err(Error::Api { status, body: PatchDatasetError::Status422(e), .. }) => {
            assert_eq!(status.as_u16(), 422);
            let detail = e.detail.unwrap_or_default();
            assert_eq!(detail[0].msg, "String should have at least 1 character");
        }
        other => panic!("expected a typed 422, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dataset_is_created_from_rows_and_read_back_and_a_row_missing_a_column_is_a_typed_422() {
    use nebius_token_factory::types::{CreateDatasetError, CreateDatasetRequestUpload};
    let server = start(0, 0).await;
    let client = client(&server.base_url);
    let rows: Vec<_> =
        (0..3).map(|i| [("text".to_string(), serde_json::json!(format!("line {i}")))].into_iter().collect()).collect();
    let body =
        CreateDatasetRequestUpload::new("lines", vec![text_column("text")], "/datasets", rows).ai_project_id("proj-ds");
    let created = client.create_dataset(&body.clone().into()).await.expect("created");
    assert_eq!((created.name.as_str(), created.folder.as_str()), ("lines", "/datasets"));
    assert_eq!(created.status, DatasetStatus::Ready);
    assert_eq!(created.ai_project_id.as_deref(), Some("proj-ds"));
    let content = client.get_dataset_content(&created.id).await.expect("its rows");
    assert_eq!(content, serde_json::json!([{"text": "line 0"}, {"text": "line 1"}, {"text": "line 2"}]));

    let mut bad = body;
    bad.rows.push(std::collections::BTreeMap::new());
    match client.create_dataset(&bad.into()).await {
        Err(Error::Api { status, body: CreateDatasetError::Status422(e), .. }) => {
            assert_eq!(status.as_u16(), 422);
            let detail = e.detail.unwrap_or_default();
            assert_eq!(detail[0].msg, "Field required");
            assert_eq!(
                serde_json::to_value(&detail[0].loc).expect("JSON"),
                serde_json::json!(["body", "rows", 3, "text"])
            );
        }
        other => panic!("expected a typed 422, got {other:?}"),
    }
}

#[tokio::test]
async fn a_datasets_rows_are_read_in_pages_by_limit_and_offset() {
    let server = start(0, 250).await;
    let client = client(&server.base_url);
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let page = client.get_dataset_content("ds-rows").limit(100).offset(offset).await.expect("a page");
        let page = page.as_array().cloned().expect("rows are a JSON array");
        if page.is_empty() {
            break;
        }
        offset += page.len() as u64;
        rows.extend(page);
    }
    assert_eq!(rows.len(), 250);
    assert_eq!(rows[249]["text"], "row 249");
}

#[tokio::test]
async fn operations_are_listed_across_pages_of_the_timestamp_cursor() {
    let server = start(7, 0).await;
    let client = client(&server.base_url);
    // `.paginate()` sends each page's last `created_at` back as `cursor_time`.
    let mut operations = client.list_operations().limit(3).paginate();
    let mut seen = Vec::new();
    while let Some(op) = operations.next().await {
        seen.push(op.expect("an operation").id);
    }
    assert_eq!(seen, (0..7).map(|i| format!("op-{i}")).collect::<Vec<_>>());
    let cursors = server.state.lock().map(|s| s.cursors.clone()).expect("state");
    assert_eq!(cursors.len(), 3, "two full pages, then a short one that ends the list");
    assert_eq!(cursors[0], None, "the first page is asked with no cursor");
    assert_eq!(cursors[1].as_deref(), Some("2025-10-10T15:10:04Z"), "the third operation's creation time");

    let op = client.get_operation("op-2").await.expect("an operation");
    assert_eq!(op.r#type, OperationType::Yql);
    assert_eq!(op.status, OperationStatus::Succeeded);
    assert_eq!(op.src[0].id, "ds-rows");
    assert_eq!(op.finished_at, Some(T0 - 120 + 5));
    assert_eq!(op.params.get("query"), Some(&serde_json::json!("SELECT * FROM {src_0}")));
}

#[tokio::test]
async fn a_custom_model_is_created_read_and_deleted_by_vendor_and_name() {
    use nebius_token_factory::types::{CreateCustomModelBody, DeleteModelStatusResponseStatus};
    let server = start(0, 0).await;
    let client = client(&server.base_url);
    let body = CreateCustomModelBody::new("tuned", "meta-llama/Meta-Llama-3.1-8B-Instruct-fast", "file-123")
        .description("my adapter");
    let created = client.create_custom_model(&body).await.expect("created");
    assert_eq!(created.name, "me/tuned");
    assert_eq!(created.status, DeleteModelStatusResponseStatus::Validating);
    assert_eq!(created.description.as_deref(), Some("my adapter"));

    let info = client.get_custom_model("me", "tuned").await.expect("the model");
    assert_eq!(info.name.as_deref(), Some("me/tuned"));
    assert_eq!(info.vendor.as_deref(), Some("me"));
    assert_eq!(info.context_window_k, Some(128.0));
    // A flavor's members are kept as sent; so is a member no page lists.
    let flavors = info.flavors.clone().expect("flavors");
    assert_eq!(flavors[0].get("quantization"), Some(&serde_json::json!("fp8")));
    assert_eq!(info.extra.get::<String>("hosting").expect("kept").as_deref(), Some("dedicated"));

    let by_name = client.get_custom_model_by_name("tuned").await.expect("the model by its short name");
    assert_eq!(by_name, info, "the same model, read by its short name");
    let listed = client.list_custom_models().await.expect("the list");
    assert_eq!(listed.iter().map(|m| m.name.as_deref()).collect::<Vec<_>>(), [Some("me/tuned")]);

    let deleted = client.delete_custom_model("me", "tuned").await.expect("deleted");
    assert_eq!(deleted.status, DeleteModelStatusResponseStatus::Deleted);
    match client.get_custom_model("me", "tuned").await {
        Err(Error::UnexpectedStatus { status, text, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert!(text.contains("Model not found"), "{text}");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    assert!(client.list_custom_models().await.expect("the list").is_empty(), "deleted, so no longer listed");
}

#[tokio::test]
async fn a_model_archive_is_uploaded_as_a_multipart_file() {
    use nebius_token_factory::runtime::FilePart;
    use nebius_token_factory::types::UploadModelFileBody;
    let server = start(0, 0).await;
    let archive = FilePart::new(vec![7u8; 4096]).file_name("adapter.tar.gz").content_type("application/gzip");
    let file = client(&server.base_url).upload_model_file(&UploadModelFileBody::new(archive)).await.expect("uploaded");
    assert_eq!((file.id.as_str(), file.bytes), ("file-archive-1", 4096));
    assert_eq!(file.filename.as_deref(), Some("adapter.tar.gz"));
    let archives = server.state.lock().map(|s| s.archives.clone()).expect("state");
    assert_eq!(archives, [("adapter.tar.gz".to_string(), 4096, "application/gzip".to_string())]);
}
