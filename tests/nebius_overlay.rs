//! What the Nebius overlay (`spec/openai.nebius.overlay.yaml`) gives the
//! crate, against a real local server: the project id on the inference calls,
//! `top_k`, file contents as bytes, and embeddings asked for and read as
//! base64 unless the caller chooses floats.

mod common;

use common::openai;
use common::TOKEN;
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateCompletionRequest, CreateEmbeddingRequest,
    CreateEmbeddingRequestEncodingFormat, ServiceTier2,
};
use nebius_token_factory::Client;
use serde_json::json;

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

fn chat() -> CreateChatCompletionRequest {
    CreateChatCompletionRequest::new("m", vec![ChatCompletionRequestUserMessage::new("hi").into()])
}

#[tokio::test]
async fn the_project_id_reaches_the_query_of_a_chat_and_top_k_the_body() {
    let server = openai::start().await;
    let request = chat().top_k(40);
    client(&server.base_url).create_chat_completion(&request).ai_project_id("proj-1").await.expect("a completion");
    let got = server.server.last();
    assert_eq!(got.query.as_deref(), Some("ai_project_id=proj-1"));
    assert_eq!(got.body["top_k"], json!(40));

    // Without it, no query at all.
    client(&server.base_url).create_chat_completion(&chat()).await.expect("a completion");
    assert_eq!(server.server.last().query, None);
}

#[tokio::test]
async fn the_project_id_reaches_the_query_of_a_streamed_chat() {
    let server = openai::start().await;
    let mut stream = client(&server.base_url)
        .create_chat_completion(&chat())
        .ai_project_id("proj 2/ü")
        .stream()
        .await
        .expect("a stream");
    while let Some(chunk) = stream.next().await {
        chunk.expect("a chunk");
    }
    let got = server.server.last();
    assert_eq!(got.query.as_deref(), Some("ai_project_id=proj+2%2F%C3%BC"), "encoded");
    assert_eq!(got.body["stream"], json!(true));
}

#[tokio::test]
async fn the_project_id_reaches_completions_and_embeddings() {
    let server = openai::start().await;
    let c = client(&server.base_url);
    let request = CreateCompletionRequest::new("m").prompt("Say this").service_tier(ServiceTier2::OverLimit);
    let done = c.create_completion(&request).ai_project_id("proj-3").await.expect("a completion");
    assert_eq!(done.choices[0].text, "Echo");
    let got = server.server.last();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/v1/completions", Some("ai_project_id=proj-3")));
    assert_eq!(got.body["service_tier"], "over-limit", "Nebius's tier names");

    let embedded = c
        .create_embedding(&CreateEmbeddingRequest::new("e", "text"))
        .ai_project_id("proj-4")
        .await
        .expect("embeddings");
    assert_eq!(embedded.data[0].embedding, openai::EMBEDDING.map(f64::from));
    let got = server.server.last();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/v1/embeddings", Some("ai_project_id=proj-4")));
}

#[tokio::test]
async fn a_file_downloads_byte_for_byte_to_memory_and_streamed_to_disk() {
    let server = openai::start().await;
    let c = client(&server.base_url);
    let expected = openai::jsonl_file();
    assert!(expected.len() > 100_000 && std::str::from_utf8(&expected).is_ok_and(|t| !t.is_ascii()));

    let bytes = c.download_file("file-abc").await.expect("the content");
    assert_eq!(bytes, expected, "not JSON-decoded: the file itself");

    let path = std::env::temp_dir().join(format!("nebius-download-{}.jsonl", std::process::id()));
    let mut stream = c.download_file("file-abc").stream_bytes().await.expect("a stream");
    let mut file = std::fs::File::create(&path).expect("a file");
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        std::io::Write::write_all(&mut file, &chunk.expect("a chunk")).expect("written");
        chunks += 1;
    }
    drop(file);
    assert_eq!(std::fs::read(&path).expect("read back"), expected);
    assert!(chunks > 1, "streamed in chunks, not held whole");
    let _ = std::fs::remove_file(&path);
    assert_eq!(server.server.last().path, "/v1/files/file-abc/content");
}

#[tokio::test]
async fn embeddings_are_asked_for_as_base64_and_read_as_numbers_whichever_form_comes() {
    let server = openai::start().await;
    let c = client(&server.base_url);
    let exact = openai::EMBEDDING.map(f64::from);

    // By default the request asks for base64 and the float32 bytes come back exactly.
    let request = CreateEmbeddingRequest::new("e", "text");
    assert_eq!(request.encoding_format, Some(CreateEmbeddingRequestEncodingFormat::Base64));
    let reply = c.create_embedding(&request).await.expect("base64 embeddings");
    assert_eq!(server.server.last().body["encoding_format"], "base64");
    assert_eq!(reply.data[0].embedding, exact);

    // Floats when the caller asks for them; the field left out when set to `None`.
    let floats = c
        .create_embedding(&request.clone().encoding_format(CreateEmbeddingRequestEncodingFormat::Float))
        .await
        .expect("float embeddings");
    assert_eq!(server.server.last().body["encoding_format"], "float");
    assert_eq!(floats.data[0].embedding, [0.25, -0.5, 0.1]);
    let mut unset = request.clone();
    unset.encoding_format = None;
    let unset = c.create_embedding(&unset).await.expect("embeddings in the server's default form");
    assert!(server.server.last().body.get("encoding_format").is_none());
    assert_eq!(unset.data[0].embedding, [0.25, -0.5, 0.1]);

    // Bytes that are not whole float32 values are an error, not a short vector.
    let e = c.create_embedding(&CreateEmbeddingRequest::new("e", "ragged")).await.expect_err("a ragged vector");
    assert!(e.to_string().contains("not a whole number of float32 values"), "{e}");
}
