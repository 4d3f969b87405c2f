//! The runtime's own connections, for the requests that need nothing more
//! than HTTP: a body held whole, no middleware, no proxy, no `reqwest::Client`
//! of the caller's. A call through reqwest costs about twice one through
//! hyper's connections directly (reqwest's pool, hyper-util's, spawns a task
//! per HTTP/1 request to give its connection back): `client-bench
//! --reference` measures it. Everything else goes through reqwest.
//!
//! Connections are made as reqwest makes them (hyper-util's connector:
//! happy eyeballs, the connect timeout, no Nagle), HTTPS with rustls and the
//! platform's verifier, as reqwest verifies, offering HTTP/2 and HTTP/1.1.
//! An HTTP/1.1 connection goes back to the pool as soon as its response's
//! head arrives; a later request takes it once its body has been read (a
//! busy one is passed over, not waited for). Idle connections are dropped
//! after [`IDLE`], as reqwest drops them.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use std::fmt;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use tower_service::Service;

/// How long a connection may wait unused in the pool (reqwest's default).
pub(crate) const IDLE: Duration = Duration::from_secs(90);

type Body = Full<Bytes>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where a connection goes, as a request's URI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin<'a> {
    https: bool,
    host: &'a str,
    port: u16,
}

impl<'a> Origin<'a> {
    pub(crate) fn of(url: &'a reqwest::Url) -> Option<Origin<'a>> {
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let host = url.host_str()?.trim_start_matches('[').trim_end_matches(']');
        Some(Origin { https, host, port: url.port_or_known_default()? })
    }
}

/// An origin as the pools keep it (a client talks to one or two: they are
/// searched in turn, without making a key per request).
#[derive(Debug)]
struct Key {
    https: bool,
    host: String,
    port: u16,
}

impl Key {
    fn of(origin: Origin<'_>) -> Key {
        Key { https: origin.https, host: origin.host.to_string(), port: origin.port }
    }

    fn is(&self, origin: Origin<'_>) -> bool {
        self.https == origin.https && self.port == origin.port && self.host == origin.host
    }
}

/// The entry of `origin` in a pool's list.
fn entry<'p, T: Default>(pools: &'p mut Vec<(Key, T)>, origin: Origin<'_>) -> &'p mut T {
    let at = match pools.iter().position(|(k, _)| k.is(origin)) {
        Some(at) => at,
        None => {
            pools.push((Key::of(origin), T::default()));
            pools.len() - 1
        }
    };
    &mut pools[at].1
}

struct Idle {
    sender: http1::SendRequest<Body>,
    since: Instant,
}

/// The pooled connections of one client.
pub(crate) struct Direct {
    http1: Mutex<Vec<(Key, Vec<Idle>)>>,
    http2: Mutex<Vec<(Key, Option<http2::SendRequest<Body>>)>>,
    connector: HttpConnector,
    /// The client's TLS configuration (see `tls`); `None` without one.
    tls: Option<Tls>,
}

#[cfg(any(feature = "tls-ring", feature = "tls-aws-lc"))]
type Tls = tokio_rustls::TlsConnector;
/// Without a TLS feature there is no TLS: HTTPS goes through reqwest.
#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
type Tls = std::convert::Infallible;

impl fmt::Debug for Direct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Direct").finish_non_exhaustive()
    }
}

/// Why a request through [`Direct`] failed.
#[derive(Debug)]
pub(crate) enum DirectError {
    /// No connection could be made (name resolution, connect, TLS): the
    /// request was not sent.
    Connect(BoxError),
    /// The connection failed with the request on it: it may have reached
    /// the server.
    Request(hyper::Error),
}

impl Direct {
    /// The transport, or `None` where reqwest must carry every request: a
    /// proxy is configured in the environment (reqwest follows it), or the
    /// platform keeps proxy settings of its own.
    pub(crate) fn new(connect_timeout: Duration, tls: Option<&crate::tls::Config>) -> Option<Direct> {
        if cfg!(any(target_os = "macos", target_os = "windows")) || proxy_in_environment() {
            return None;
        }
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(connect_timeout));
        connector.set_happy_eyeballs_timeout(Some(Duration::from_millis(300)));
        Some(Direct {
            http1: Mutex::new(Vec::new()),
            http2: Mutex::new(Vec::new()),
            connector,
            tls: tls.map(connector_for),
        })
    }

    /// Whether a request to `uri` can go this way.
    pub(crate) fn carries(&self, origin: Origin<'_>) -> bool {
        !origin.https || self.tls.is_some()
    }

    /// Send `request` (its URI absolute) and return the response, its body
    /// still to read.
    pub(crate) async fn send(
        &self,
        origin: Origin<'_>,
        request: http::Request<Body>,
    ) -> Result<http::Response<Incoming>, DirectError> {
        let mut request = request;
        // A pooled connection that turns out closed before the request went
        // out gives the request back: it goes on another (a few pooled
        // ones at most, then a new one).
        for _ in 0..4 {
            let Some(sender) = self.pooled(origin) else { break };
            match self.try_send(origin, sender, request).await {
                Ok(response) => return Ok(response),
                Err(Retry::Again(back)) => request = *back,
                Err(Retry::Failed(e)) => return Err(DirectError::Request(e)),
            }
        }
        // Boxed: connecting (TCP, TLS, the handshakes) is a large future,
        // and inline it would make every request's future larger by it, to
        // be moved whole into each call's box (8 KB more).
        let sender = Box::pin(self.connect(origin)).await?;
        match self.try_send(origin, sender, request).await {
            Ok(response) => Ok(response),
            Err(Retry::Again(_)) => Err(DirectError::Connect("the new connection closed at once".into())),
            Err(Retry::Failed(e)) => Err(DirectError::Request(e)),
        }
    }

    async fn try_send(
        &self,
        origin: Origin<'_>,
        sender: Sender,
        request: http::Request<Body>,
    ) -> Result<http::Response<Incoming>, Retry> {
        match sender {
            Sender::Http1(mut sender) => {
                if std::future::poll_fn(|cx| sender.poll_ready(cx)).await.is_err() {
                    return Err(Retry::Again(Box::new(request)));
                }
                let sent = sender.try_send_request(origin_form(request));
                // Back in the pool now: it is taken again once this
                // response's body has been read.
                self.give_back(origin, sender);
                sent.await.map_err(Retry::from)
            }
            Sender::Http2(mut sender) => {
                let ready = std::future::poll_fn(|cx| sender.poll_ready(cx)).await;
                if ready.is_err() {
                    if let Ok(mut shared) = self.http2.lock() {
                        *entry(&mut shared, origin) = None;
                    }
                    return Err(Retry::Again(Box::new(request)));
                }
                sender.try_send_request(request).await.map_err(Retry::from)
            }
        }
    }

    /// A pooled connection ready for a request, if any.
    fn pooled(&self, origin: Origin<'_>) -> Option<Sender> {
        if let Ok(mut shared) = self.http2.lock() {
            let slot = entry(&mut shared, origin);
            match slot {
                Some(sender) if !sender.is_closed() => return Some(Sender::Http2(sender.clone())),
                _ => *slot = None,
            }
        }
        let mut pools = self.http1.lock().ok()?;
        let idle = entry(&mut pools, origin);
        let mut cx = Context::from_waker(Waker::noop());
        let now = Instant::now();
        let mut found = None;
        // Newest first; the closed and the expired are dropped on the way,
        // the busy (a body still being read) kept for later.
        let mut i = idle.len();
        while i > 0 {
            i -= 1;
            if idle[i].sender.is_closed() || now.duration_since(idle[i].since) > IDLE {
                idle.swap_remove(i);
                continue;
            }
            match idle[i].sender.poll_ready(&mut cx) {
                Poll::Ready(Ok(())) => {
                    found = Some(idle.swap_remove(i).sender);
                    break;
                }
                Poll::Ready(Err(_)) => {
                    idle.swap_remove(i);
                }
                Poll::Pending => {}
            }
        }
        found.map(Sender::Http1)
    }

    fn give_back(&self, origin: Origin<'_>, sender: http1::SendRequest<Body>) {
        if let Ok(mut pools) = self.http1.lock() {
            entry(&mut pools, origin).push(Idle { sender, since: Instant::now() });
        }
    }

    /// A new connection: TCP as reqwest connects, then TLS for HTTPS, then
    /// HTTP/2 when the server chose it, HTTP/1.1 otherwise.
    async fn connect(&self, origin: Origin<'_>) -> Result<Sender, DirectError> {
        let uri: http::Uri = format!("http://{}", authority(origin.host, origin.port))
            .parse()
            .map_err(|e: http::uri::InvalidUri| DirectError::Connect(e.into()))?;
        let mut connector = self.connector.clone();
        let tcp = connector.call(uri).await.map_err(|e| DirectError::Connect(e.into()))?.into_inner();
        if !origin.https {
            return handshake1(TokioIo::new(tcp)).await;
        }
        let tls = self.tls.as_ref().ok_or_else(|| DirectError::Connect("no TLS provider".into()))?;
        self.handshake_tls(tls, origin, tcp).await
    }

    #[cfg(any(feature = "tls-ring", feature = "tls-aws-lc"))]
    async fn handshake_tls(
        &self,
        tls: &Tls,
        origin: Origin<'_>,
        tcp: tokio::net::TcpStream,
    ) -> Result<Sender, DirectError> {
        let name = rustls::pki_types::ServerName::try_from(origin.host.to_string())
            .map_err(|e| DirectError::Connect(e.into()))?;
        let stream = tls.connect(name, tcp).await.map_err(|e| DirectError::Connect(e.into()))?;
        if stream.get_ref().1.alpn_protocol() == Some(b"h2") {
            let (sender, connection) = http2::handshake(hyper_util::rt::TokioExecutor::new(), TokioIo::new(stream))
                .await
                .map_err(|e| DirectError::Connect(e.into()))?;
            tokio::spawn(connection);
            if let Ok(mut shared) = self.http2.lock() {
                *entry(&mut shared, origin) = Some(sender.clone());
            }
            return Ok(Sender::Http2(sender));
        }
        handshake1(TokioIo::new(stream)).await
    }

    #[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
    async fn handshake_tls(&self, tls: &Tls, _: Origin<'_>, _: tokio::net::TcpStream) -> Result<Sender, DirectError> {
        match *tls {}
    }
}

enum Sender {
    Http1(http1::SendRequest<Body>),
    Http2(http2::SendRequest<Body>),
}

/// A failed send: the request back when it never left, or the error.
enum Retry {
    Again(Box<http::Request<Body>>),
    Failed(hyper::Error),
}

impl From<hyper::client::conn::TrySendError<http::Request<Body>>> for Retry {
    fn from(mut e: hyper::client::conn::TrySendError<http::Request<Body>>) -> Retry {
        match e.take_message() {
            Some(request) => Retry::Again(Box::new(request)),
            None => Retry::Failed(e.into_error()),
        }
    }
}

async fn handshake1<T>(io: T) -> Result<Sender, DirectError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = http1::handshake(io).await.map_err(|e| DirectError::Connect(e.into()))?;
    tokio::spawn(connection);
    Ok(Sender::Http1(sender))
}

/// `host:port`, the port left out when it is the scheme's own; an IPv6
/// address in brackets.
fn authority(host: &str, port: u16) -> String {
    match host.contains(':') {
        true => format!("[{host}]:{port}"),
        false => format!("{host}:{port}"),
    }
}

/// An HTTP/1.1 request names its target by path and query, its origin in
/// `Host` (as reqwest sends it: the port only when not the scheme's).
fn origin_form(request: http::Request<Body>) -> http::Request<Body> {
    let (mut parts, body) = request.into_parts();
    if !parts.headers.contains_key(http::header::HOST) {
        if let Some(authority) = parts.uri.authority() {
            let host = match (parts.uri.scheme_str(), authority.port_u16()) {
                (Some("http"), Some(80)) | (Some("https"), Some(443)) => authority.host().to_string(),
                _ => authority.as_str().rsplit('@').next().unwrap_or_default().to_string(),
            };
            if let Ok(value) = http::HeaderValue::from_str(&host) {
                parts.headers.insert(http::header::HOST, value);
            }
        }
    }
    // The path and query moved, not parsed again.
    let mut target = std::mem::take(&mut parts.uri).into_parts();
    target.scheme = None;
    target.authority = None;
    if target.path_and_query.is_none() {
        target.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
    }
    if let Ok(uri) = http::Uri::from_parts(target) {
        parts.uri = uri;
    }
    http::Request::from_parts(parts, body)
}

/// The variables reqwest reads its proxies from.
pub(crate) fn proxy_in_environment() -> bool {
    ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// The connector over the client's TLS configuration.
#[cfg(any(feature = "tls-ring", feature = "tls-aws-lc"))]
fn connector_for(config: &crate::tls::Config) -> Tls {
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config.clone()))
}

#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
fn connector_for(config: &crate::tls::Config) -> Tls {
    match *config {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_authorities() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        let a = url("https://api.example.com/v1/x?y=1");
        assert_eq!(Origin::of(&a), Some(Origin { https: true, host: "api.example.com", port: 443 }));
        let b = url("http://[::1]:8080/");
        let o = Origin::of(&b).unwrap();
        assert_eq!(o, Origin { https: false, host: "::1", port: 8080 });
        assert_eq!(authority(o.host, o.port), "[::1]:8080");
        assert!(Origin::of(&url("ftp://h/")).is_none());
        let mut pools: Vec<(Key, Vec<u8>)> = Vec::new();
        entry(&mut pools, o).push(1);
        entry(&mut pools, Origin::of(&a).unwrap()).push(2);
        entry(&mut pools, o).push(3);
        assert_eq!((pools.len(), &pools[0].1, &pools[1].1), (2, &vec![1, 3], &vec![2]));
    }

    #[test]
    fn http1_requests_name_their_target_by_path_with_the_host_beside() {
        let request = |uri: &str| http::Request::post(uri).body(Body::default()).unwrap();
        let r = origin_form(request("http://127.0.0.1:9/v1/chat?x=1"));
        assert_eq!(r.uri(), "/v1/chat?x=1");
        assert_eq!(r.headers()["host"], "127.0.0.1:9");
        let r = origin_form(request("https://api.example.com:443/"));
        assert_eq!(r.headers()["host"], "api.example.com");
        let r = origin_form(request("http://api.example.com"));
        assert_eq!(r.uri(), "/");
        assert_eq!(r.headers()["host"], "api.example.com");
    }
}
