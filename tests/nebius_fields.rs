//! Nebius's members of the OpenAI-compatible calls, which the overlay
//! (`spec/openai.nebius.overlay.yaml`) writes over OpenAI's document: each
//! reaches a real local server as the reference pages show it, and what the
//! server answers with them is read back typed.

mod common;

use common::openai;
use common::TOKEN;
use nebius_token_factory::runtime::FilePart;
use nebius_token_factory::types::{
    BatchOverrideSettings, CreateBatchRequest, CreateBatchRequestEndpoint, CreateEmbeddingRequest, CreateFileRequest,
    CreateFileRequestPurpose, CreateFineTuningJobRequest, CreateFineTuningJobRequestHyperparameters,
    CreateImageRequest, FineTuningCheckpointSource, LoRa, ServiceTier2,
};
use nebius_token_factory::Client;
use serde_json::json;

fn client(base_url: &str) -> Client {
    Client::with_base_url(base_url).expect("client").bearer_token(TOKEN)
}

#[tokio::test]
async fn an_image_request_carries_loras_size_steps_seed_and_the_project() {
    let server = openai::start().await;
    let request = CreateImageRequest::new("An elephant in a desert")
        .model("black-forest-labs/flux-schnell")
        .loras(vec![LoRa::new("https://example.test/lora.safetensors").scale(0.8)])
        .width(1024)
        .height(768)
        .num_inference_steps(4)
        .seed(-1)
        .guidance_scale(3.5)
        .negative_prompt("Giraffes, night sky")
        .response_extension("webp");
    let images = client(&server.base_url).create_image(&request).ai_project_id("proj-img").await.expect("images");
    assert_eq!(images.data.as_ref().map(Vec::len), Some(1));
    let id: Option<String> = images.extra.get("id").expect("a string id");
    assert_eq!(id.as_deref(), Some("img-1"), "Nebius's id, kept though OpenAI's schema lacks it");
    let got = server.server.last();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/v1/images/generations", Some("ai_project_id=proj-img")));
    let body = got.body;
    assert_eq!(body["loras"], json!([{"url": "https://example.test/lora.safetensors", "scale": 0.8}]));
    assert_eq!((body["width"].clone(), body["height"].clone()), (json!(1024), json!(768)));
    assert_eq!(body["num_inference_steps"], json!(4));
    assert_eq!(body["seed"], json!(-1));
    assert_eq!(body["guidance_scale"], json!(3.5));
    assert_eq!(body["negative_prompt"], json!("Giraffes, night sky"));
    assert_eq!(body["response_extension"], json!("webp"));
}

#[tokio::test]
async fn a_fine_tuning_job_carries_lora_hyperparameters_and_a_checkpoint() {
    let server = openai::start().await;
    let hyperparameters = CreateFineTuningJobRequestHyperparameters::default()
        .learning_rate(0.00001)
        .packing(true)
        .context_length(8192)
        .lora(true)
        .lora_r(16)
        .lora_alpha(32)
        .lora_dropout(0.05);
    let checkpoint =
        FineTuningCheckpointSource::default().repo("org/base").r#type("hf").revision("main").token("hf-secret");
    let request = CreateFineTuningJobRequest::new("meta-llama/Llama-3.1-8B-Instruct", "file-train")
        .hyperparameters(hyperparameters)
        .from_checkpoint(checkpoint);
    let job = client(&server.base_url).create_fine_tuning_job(&request).await.expect("a job");
    let body = server.server.last().body;
    assert_eq!(
        body["hyperparameters"],
        json!({"learning_rate": 0.00001, "packing": true, "context_length": 8192, "lora": true, "lora_r": 16,
               "lora_alpha": 32, "lora_dropout": 0.05})
    );
    assert_eq!(
        body["from_checkpoint"],
        json!({"repo": "org/base", "type": "hf", "revision": "main", "token": "hf-secret"})
    );
    // The job as the server reports it: Nebius's hyperparameters and steps, typed.
    assert_eq!(job.hyperparameters.lora_r, Some(16));
    assert_eq!(job.hyperparameters.lora, Some(true));
    assert_eq!((job.trained_steps, job.total_steps), (Some(0), Some(120)));
}

#[tokio::test]
async fn a_batch_carries_override_settings_and_reads_them_back() {
    let server = openai::start().await;
    let settings =
        BatchOverrideSettings::default().model("meta-llama/Llama-3.3-70B-Instruct").temperature(0.2).max_tokens(64);
    let request = CreateBatchRequest::new("file-batch", CreateBatchRequestEndpoint::V1ChatCompletions)
        .override_settings(settings.clone());
    let batch = client(&server.base_url).create_batch(&request).await.expect("a batch");
    let body = server.server.last().body;
    assert_eq!(
        body["override_settings"],
        json!({"model": "meta-llama/Llama-3.3-70B-Instruct", "temperature": 0.2, "max_tokens": 64})
    );
    assert_eq!(batch.override_settings, Some(settings));
}

#[tokio::test]
async fn embeddings_send_a_service_tier_and_read_the_one_used() {
    let server = openai::start().await;
    let request = CreateEmbeddingRequest::new("BAAI/bge-en-icl", "text").service_tier(ServiceTier2::Flex);
    let embedded = client(&server.base_url).create_embedding(&request).await.expect("embeddings");
    assert_eq!(server.server.last().body["service_tier"], json!("flex"));
    assert_eq!(embedded.service_tier, Some(ServiceTier2::Flex));
}

#[tokio::test]
async fn a_file_upload_names_its_project() {
    let server = openai::start().await;
    let request =
        CreateFileRequest::new(FilePart::new(&b"{}\n"[..]).file_name("b.jsonl"), CreateFileRequestPurpose::Batch);
    client(&server.base_url).create_file(&request).ai_project_id("proj-files").await.expect("a file");
    let got = server.server.last();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/v1/files", Some("ai_project_id=proj-files")));
    assert_eq!(got.body["purpose"], json!("batch"));
}
