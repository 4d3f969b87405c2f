//! The work both clients do, and how much of it.

use crate::reference::Kind;

/// Chat calls in the unary workload, and how many are in flight at once.
pub const CHAT_CALLS: usize = 20_000;
pub const IN_FLIGHT: usize = 32;
/// Streams read one after the other in the streaming workloads.
pub const STREAMS: usize = 20;
/// Embedding calls, one after the other.
pub const EMBEDDING_CALLS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// 20,000 chat calls, 32 in flight, each reply decoded.
    Chat,
    /// The same calls made inside `tokio::spawn`.
    ChatSpawned,
    /// 20 streamed chats of 2,000 chunks, read in `main` (the runtime's
    /// `block_on`), as the `chat` example does.
    StreamMain,
    /// The same streams read inside `tokio::spawn`.
    StreamSpawned,
    /// 100 embedding calls of 64 × 1,536 floats, each client as it asks
    /// by default (this crate: base64; async-openai: JSON numbers).
    Embeddings,
    /// The same calls with JSON numbers asked for by name on both sides.
    EmbeddingsFloat,
    /// A client built and one chat call made: what a command-line program
    /// does, from the client's construction to the reply decoded.
    FirstCall,
}

impl Workload {
    pub const ALL: [Workload; 7] = [
        Workload::Chat,
        Workload::ChatSpawned,
        Workload::StreamMain,
        Workload::StreamSpawned,
        Workload::Embeddings,
        Workload::EmbeddingsFloat,
        Workload::FirstCall,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::Chat => "chat",
            Workload::ChatSpawned => "chat-spawned",
            Workload::StreamMain => "stream-main",
            Workload::StreamSpawned => "stream-spawned",
            Workload::Embeddings => "embeddings",
            Workload::EmbeddingsFloat => "embeddings-float",
            Workload::FirstCall => "first-call",
        }
    }

    pub fn parse(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// What one unit of the workload is, for the table.
    pub fn unit(self) -> &'static str {
        match self {
            Workload::Chat | Workload::ChatSpawned | Workload::Embeddings | Workload::EmbeddingsFloat => "call",
            Workload::StreamMain | Workload::StreamSpawned => "chunk",
            Workload::FirstCall => "program",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Workload::Chat => "20,000 chat calls, 32 in flight, ~1.2 KB replies, made in `main`",
            Workload::ChatSpawned => "the same calls made inside `tokio::spawn`",
            Workload::StreamMain => "20 streamed chats of 2,000 chunks, read in `main`",
            Workload::StreamSpawned => "the same streams read inside `tokio::spawn`",
            Workload::Embeddings => "100 embedding calls of 64 × 1,536 floats, as each asks by default (base64 here: 0.5 MB; numbers there: 1.2 MB)",
            Workload::EmbeddingsFloat => "the same calls, JSON numbers asked for on both sides (1.2 MB)",
            Workload::FirstCall => "a client built and one chat call made, as a command-line program does",
        }
    }
}

/// Which client does the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    AsyncOpenai,
    /// A reference client of the chat workloads (see `reference`).
    Reference(Kind),
}

impl Side {
    pub const ALL: [Side; 6] = [
        Side::Ours,
        Side::AsyncOpenai,
        Side::Reference(Kind::Reqwest),
        Side::Reference(Kind::Hyper),
        Side::Reference(Kind::HyperAsReqwest),
        Side::Reference(Kind::Sockets),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::AsyncOpenai => "async-openai",
            Side::Reference(Kind::Reqwest) => "reqwest",
            Side::Reference(Kind::Hyper) => "hyper",
            Side::Reference(Kind::HyperAsReqwest) => "hyper-as-reqwest",
            Side::Reference(Kind::Sockets) => "sockets",
        }
    }

    pub fn parse(name: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The chat calls of the chat workloads, [`IN_FLIGHT`] at once: `call`
/// makes one and says how many choices its reply has (none is an error).
pub async fn chats<F>(call: impl Fn() -> F) -> Result<usize, crate::Failure>
where
    F: std::future::Future<Output = Result<usize, crate::Failure>>,
{
    use futures::StreamExt;
    let mut calls = futures::stream::iter(0..CHAT_CALLS).map(|_| call()).buffer_unordered(IN_FLIGHT);
    let mut done = 0;
    while let Some(choices) = calls.next().await {
        if choices? == 0 {
            return Err("a reply without choices".into());
        }
        done += 1;
    }
    Ok(done)
}
