//! The workloads through this repository's Nebius client.

use crate::server::{DIMENSIONS, EMBEDDINGS, MODEL, STREAM_CHUNKS};
use crate::workload::{self, Workload, EMBEDDING_CALLS, STREAMS};
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateEmbeddingRequest,
    CreateEmbeddingRequestEncodingFormat,
};
use nebius_token_factory::Client;
use std::sync::Arc;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Do the work; the units done (calls or chunks).
pub async fn run(workload: Workload, base_url: &str) -> Result<usize, Failure> {
    let client = Arc::new(Client::with_base_url(base_url)?.api_key_auth("bench-key"));
    let chat = Arc::new(CreateChatCompletionRequest::new(
        MODEL,
        vec![ChatCompletionRequestUserMessage::new("Say something long.").into()],
    ));
    match workload {
        Workload::Chat => chats(&client, &chat).await,
        Workload::ChatSpawned => {
            let (client, chat) = (Arc::clone(&client), Arc::clone(&chat));
            tokio::spawn(async move { chats(&client, &chat).await }).await?
        }
        Workload::StreamMain => streams(&client, &chat).await,
        Workload::StreamSpawned => {
            let (client, chat) = (Arc::clone(&client), Arc::clone(&chat));
            tokio::spawn(async move { streams(&client, &chat).await }).await?
        }
        Workload::FirstCall => match client.create_chat_completion(&chat).await?.choices.len() {
            0 => Err("a reply without choices".into()),
            _ => Ok(1),
        },
        Workload::Embeddings | Workload::EmbeddingsFloat => {
            let inputs: Vec<String> = (0..EMBEDDINGS).map(|i| format!("document number {i}")).collect();
            let mut request = CreateEmbeddingRequest::new("BAAI/bge-en-icl", inputs);
            if workload == Workload::EmbeddingsFloat {
                request = request.encoding_format(CreateEmbeddingRequestEncodingFormat::Float);
            }
            for _ in 0..EMBEDDING_CALLS {
                let reply = client.create_embedding(&request).await?;
                if reply.data.len() != EMBEDDINGS || reply.data[0].embedding.len() != DIMENSIONS {
                    return Err("an embedding reply of the wrong shape".into());
                }
            }
            Ok(EMBEDDING_CALLS)
        }
    }
}

/// The chat calls, each reply's choices counted.
async fn chats(client: &Client, chat: &CreateChatCompletionRequest) -> Result<usize, Failure> {
    workload::chats(|| async move { Ok(client.create_chat_completion(chat).await?.choices.len()) }).await
}

async fn streams(client: &Client, chat: &CreateChatCompletionRequest) -> Result<usize, Failure> {
    let mut chunks = 0;
    for _ in 0..STREAMS {
        let mut stream = client.create_chat_completion(chat).stream().await?;
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
