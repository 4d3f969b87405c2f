//! Generated request builders call these: one generic function per way of
//! reading a response, so a client with a thousand operations compiles one
//! state machine per kind rather than one per operation.

use crate::client::Failure;
use crate::error::{Error, ErrorBody};
use crate::response::{self, Response};
use crate::sse::EventStream;
use crate::stream::ByteStream;
use crate::{BoxFuture, Client, Request};
use serde::de::DeserializeOwned;

/// A JSON success body.
pub fn json<'a, T, E>(client: &'a Client, request: Request) -> BoxFuture<'a, Result<Response<T>, Error<E>>>
where
    T: DeserializeOwned + Send + 'a,
    E: ErrorBody + Send + 'a,
{
    Box::pin(async move {
        let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
        response::json_response(info, status, &bytes)
    })
}

/// A text success body.
pub fn text<'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
) -> BoxFuture<'a, Result<Response<String>, Error<E>>> {
    Box::pin(async move {
        let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
        Ok(response::wrap(info, status, String::from_utf8_lossy(&bytes).into_owned()))
    })
}

/// A binary success body, read whole.
pub fn bytes<'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
) -> BoxFuture<'a, Result<Response<Vec<u8>>, Error<E>>> {
    Box::pin(async move {
        let (info, status, bytes) = client.fetch(request).await.map_err(Failure::typed)?;
        Ok(response::wrap(info, status, bytes))
    })
}

/// No success body (whatever comes is read and dropped).
pub fn empty<'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
) -> BoxFuture<'a, Result<Response<()>, Error<E>>> {
    Box::pin(async move {
        let (info, status, _) = client.fetch(request).await.map_err(Failure::typed)?;
        Ok(response::wrap(info, status, ()))
    })
}

/// A success body of server-sent events.
pub fn events<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
    decode: fn(&str) -> Result<T, serde_json::Error>,
) -> BoxFuture<'a, Result<Response<EventStream<T>>, Error<E>>> {
    Box::pin(async move { Ok(client.execute(request).await?.events_response(decode)) })
}

/// A success body of server-sent events that ends with the event `end`:
/// a body that ends without it is an error item.
pub fn events_until<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
    end: &'static str,
    decode: fn(&str) -> Result<T, serde_json::Error>,
) -> BoxFuture<'a, Result<Response<EventStream<T>>, Error<E>>> {
    Box::pin(async move { Ok(client.execute(request).await?.events_response(decode).map(|s| s.until(end))) })
}

/// The streaming form of an operation with a JSON body: `flag` (OpenAI's
/// `stream`) is set to true, and events are asked for.
pub fn stream_events<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    mut request: Request,
    flag: Option<&str>,
    decode: fn(&str) -> Result<T, serde_json::Error>,
) -> BoxFuture<'a, Result<EventStream<T>, Error<E>>> {
    if let Some(flag) = flag {
        request.json_flag(flag, true);
    }
    request.extra_header("accept", "text/event-stream");
    Box::pin(async move { Ok(client.execute(request).await?.events(decode)) })
}

/// [`stream_events`] for a protocol whose stream ends with the event `end`
/// (OpenAI's `[DONE]`): a body that ends without it is an error item.
pub fn stream_events_until<'a, T: Send + 'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
    flag: Option<&str>,
    end: &'static str,
    decode: fn(&str) -> Result<T, serde_json::Error>,
) -> BoxFuture<'a, Result<EventStream<T>, Error<E>>> {
    let stream = stream_events(client, request, flag, decode);
    Box::pin(async move { Ok(stream.await?.until(end)) })
}

/// A binary success body as a stream of chunks.
pub fn stream_bytes<'a, E: ErrorBody + Send + 'a>(
    client: &'a Client,
    request: Request,
) -> BoxFuture<'a, Result<ByteStream, Error<E>>> {
    Box::pin(async move { Ok(client.execute(request).await?.byte_stream()) })
}

/// Only the body of a response future (what `.await` on a builder gives).
pub fn body<'a, T: Send + 'a, E: Send + 'a>(
    response: BoxFuture<'a, Result<Response<T>, Error<E>>>,
) -> BoxFuture<'a, Result<T, Error<E>>> {
    Box::pin(BodyOnly(response))
}

/// A future mapping a response to its body, without an async block per type.
struct BodyOnly<'a, T, E>(BoxFuture<'a, Result<Response<T>, Error<E>>>);

impl<T, E> std::future::Future for BodyOnly<'_, T, E> {
    type Output = Result<T, Error<E>>;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.0.as_mut().poll(cx).map(|r| r.map(Response::into_body))
    }
}
