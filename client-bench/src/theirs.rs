//! The same workloads through async-openai, written as its README shows.

use crate::server::{DIMENSIONS, EMBEDDINGS, MODEL, STREAM_CHUNKS};
use crate::workload::{self, Workload, EMBEDDING_CALLS, STREAMS};
use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{
    ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequest, CreateChatCompletionRequestArgs,
};
use async_openai::types::embeddings::{CreateEmbeddingRequestArgs, EncodingFormat};
use async_openai::Client;
use futures::StreamExt;

type Failure = Box<dyn std::error::Error + Send + Sync>;

pub async fn run(workload: Workload, base_url: &str) -> Result<usize, Failure> {
    let config = OpenAIConfig::new().with_api_base(format!("{base_url}/v1")).with_api_key("bench-key");
    let client = Client::with_config(config);
    let chat = CreateChatCompletionRequestArgs::default()
        .model(MODEL)
        .messages([ChatCompletionRequestUserMessageArgs::default().content("Say something long.").build()?.into()])
        .build()?;
    match workload {
        Workload::Chat => chats(&client, &chat).await,
        Workload::ChatSpawned => tokio::spawn(async move { chats(&client, &chat).await }).await?,
        Workload::StreamMain => streams(&client, &chat).await,
        Workload::StreamSpawned => tokio::spawn(async move { streams(&client, &chat).await }).await?,
        Workload::FirstCall => match client.chat().create(chat).await?.choices.len() {
            0 => Err("a reply without choices".into()),
            _ => Ok(1),
        },
        Workload::Embeddings | Workload::EmbeddingsFloat => {
            let inputs: Vec<String> = (0..EMBEDDINGS).map(|i| format!("document number {i}")).collect();
            let mut args = CreateEmbeddingRequestArgs::default();
            args.model("BAAI/bge-en-icl").input(inputs);
            if workload == Workload::EmbeddingsFloat {
                args.encoding_format(EncodingFormat::Float);
            }
            let request = args.build()?;
            for _ in 0..EMBEDDING_CALLS {
                let reply = client.embeddings().create(request.clone()).await?;
                if reply.data.len() != EMBEDDINGS || reply.data[0].embedding.len() != DIMENSIONS {
                    return Err("an embedding reply of the wrong shape".into());
                }
            }
            Ok(EMBEDDING_CALLS)
        }
    }
}

/// The chat calls, each reply's choices counted.
async fn chats(client: &Client<OpenAIConfig>, chat: &CreateChatCompletionRequest) -> Result<usize, Failure> {
    workload::chats(|| async move { Ok(client.chat().create(chat.clone()).await?.choices.len()) }).await
}

async fn streams(client: &Client<OpenAIConfig>, chat: &CreateChatCompletionRequest) -> Result<usize, Failure> {
    let mut chunks = 0;
    for _ in 0..STREAMS {
        let mut stream = client.chat().create_stream(chat.clone()).await?;
        let mut text = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            text += chunk.choices.first().and_then(|c| c.delta.content.as_ref()).map_or(0, |c| c.len());
            chunks += 1;
        }
        if text == 0 {
            return Err("a stream without text".into());
        }
    }
    if chunks != STREAMS * STREAM_CHUNKS {
        return Err(format!("{chunks} chunks, not {}", STREAMS * STREAM_CHUNKS).into());
    }
    Ok(chunks)
}
