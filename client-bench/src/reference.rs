//! Reference clients for the chat workloads, to show where a unary call's
//! CPU goes: reqwest alone (no runtime over it), hyper's HTTP/1
//! connections pooled by hand (no reqwest, no hyper-util pool; also with
//! each response handed on as a `reqwest::Response`), and raw
//! keep-alive sockets (no HTTP library: the kernel, tokio and serde_json
//! alone). Each sends the request this crate sends and decodes the reply
//! into this crate's type. Not clients to use: no TLS, redirects, retries,
//! timeouts or chunked bodies.

use crate::server::{content_length, MODEL};
use crate::workload::{self, Workload};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use nebius_token_factory::types::{
    ChatCompletionRequestUserMessage, CreateChatCompletionRequest, CreateChatCompletionResponse,
};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type Failure = Box<dyn std::error::Error + Send + Sync>;
type Reply = Result<CreateChatCompletionResponse, Failure>;

/// Which reference client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Reqwest,
    Hyper,
    /// Hyper's connections pooled by hand, each response handed on as a
    /// `reqwest::Response` (what a transport under the runtime would do).
    HyperAsReqwest,
    Sockets,
}

/// One client of each kind, its connections kept between calls.
enum Client {
    Reqwest(reqwest::Client, reqwest::Url),
    Hyper(Pool<SendRequest<Full<bytes::Bytes>>>, bool),
    Sockets(Pool<TcpStream>),
}

/// Idle connections to one address.
struct Pool<C> {
    addr: String,
    idle: Mutex<Vec<C>>,
}

impl<C> Pool<C> {
    fn new(addr: &str) -> Self {
        Pool { addr: addr.to_string(), idle: Mutex::new(Vec::new()) }
    }

    fn take(&self) -> Result<Option<C>, Failure> {
        Ok(self.idle.lock().map_err(|_| "a poisoned pool")?.pop())
    }

    fn put(&self, conn: C) -> Result<(), Failure> {
        self.idle.lock().map_err(|_| "a poisoned pool")?.push(conn);
        Ok(())
    }

    async fn connect(&self) -> Result<TcpStream, Failure> {
        let stream = TcpStream::connect(&self.addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }
}

impl Client {
    fn new(kind: Kind, base_url: &str) -> Result<Self, Failure> {
        let addr = base_url.trim_start_matches("http://");
        Ok(match kind {
            Kind::Reqwest => Client::Reqwest(
                reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?,
                reqwest::Url::parse(&format!("{base_url}/v1/chat/completions"))?,
            ),
            Kind::Hyper => Client::Hyper(Pool::new(addr), false),
            Kind::HyperAsReqwest => Client::Hyper(Pool::new(addr), true),
            Kind::Sockets => Client::Sockets(Pool::new(addr)),
        })
    }

    async fn call(&self, chat: &CreateChatCompletionRequest) -> Reply {
        let body = serde_json::to_vec(chat)?;
        match self {
            Client::Reqwest(http, url) => {
                let response = http
                    .post(url.clone())
                    .header("authorization", "Bearer bench-key")
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                Ok(serde_json::from_slice(&response.bytes().await?)?)
            }
            Client::Hyper(pool, as_reqwest) => {
                let mut sender = match pool.take()? {
                    Some(sender) => sender,
                    None => {
                        let io = hyper_util::rt::TokioIo::new(pool.connect().await?);
                        let (sender, connection) = hyper::client::conn::http1::handshake(io).await?;
                        tokio::spawn(connection);
                        sender
                    }
                };
                let request = hyper::Request::post("/v1/chat/completions")
                    .header("host", pool.addr.as_str())
                    .header("authorization", "Bearer bench-key")
                    .header("content-type", "application/json")
                    .body(Full::new(bytes::Bytes::from(body)))?;
                sender.ready().await?;
                let response = sender.send_request(request).await?;
                let bytes = match as_reqwest {
                    true => reqwest::Response::from(response.map(reqwest::Body::wrap)).bytes().await?,
                    false => response.into_body().collect().await?.to_bytes(),
                };
                pool.put(sender)?;
                Ok(serde_json::from_slice(&bytes)?)
            }
            Client::Sockets(pool) => {
                let mut conn = match pool.take()? {
                    Some(conn) => conn,
                    None => pool.connect().await?,
                };
                let mut request = format!(
                    "POST /v1/chat/completions HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer bench-key\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    pool.addr,
                    body.len()
                )
                .into_bytes();
                request.extend_from_slice(&body);
                conn.write_all(&request).await?;
                let reply = read_reply(&mut conn).await?;
                pool.put(conn)?;
                Ok(serde_json::from_slice(&reply)?)
            }
        }
    }
}

/// A response's body, its length given by `content-length`.
async fn read_reply(conn: &mut TcpStream) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::with_capacity(4096);
    let mut head = None;
    loop {
        if let Some((end, length)) = head {
            if buf.len() >= end + length {
                buf.truncate(end + length);
                return Ok(buf.split_off(end));
            }
        }
        let start = buf.len();
        buf.resize(start + 4096, 0);
        let n = conn.read(&mut buf[start..]).await?;
        buf.truncate(start + n);
        if n == 0 {
            return Err("the connection closed before the reply ended".into());
        }
        if head.is_none() {
            head = memchr::memmem::find(&buf, b"\r\n\r\n").map(|i| (i + 4, content_length(&buf[..i + 4])));
        }
    }
}

pub async fn run(kind: Kind, workload: Workload, base_url: &str) -> Result<usize, Failure> {
    let client = Arc::new(Client::new(kind, base_url)?);
    let chat = Arc::new(CreateChatCompletionRequest::new(
        MODEL,
        vec![ChatCompletionRequestUserMessage::new("Say something long.").into()],
    ));
    match workload {
        Workload::Chat => chats(&client, &chat).await,
        Workload::ChatSpawned => tokio::spawn(async move { chats(&client, &chat).await }).await?,
        _ => Err("the reference clients run the chat workloads only".into()),
    }
}

/// The chat calls, each reply's choices counted.
async fn chats(client: &Client, chat: &CreateChatCompletionRequest) -> Result<usize, Failure> {
    workload::chats(|| async move { Ok(client.call(chat).await?.choices.len()) }).await
}
