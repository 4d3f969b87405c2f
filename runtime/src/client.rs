//! The HTTP client every generated API client wraps: base URL, credentials,
//! timeouts, retries, default headers, and the send loop.

use crate::address::Base;
use crate::auth::{Apply, Credentials};
use crate::error::{Error, ErrorBody, ResponseInfo, TransportError};
use crate::redirect::{self, Hop, Next, RedirectPolicy};
use crate::request::{Body, Request};
use crate::response::{read_body, Limits, ReadError, Success};
use crate::retry::RetryPolicy;
use crate::transport::{Direct, Origin};
use bytes::Bytes;
use http_body_util::Full;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest_middleware::{ClientWithMiddleware, Middleware};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The overall timeout of a request unless configured: LLM completions can take minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// How long connecting may take unless configured.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read whole unless configured (128 MiB): a JSON,
/// text or binary body the client holds in memory. Streams are not held, and
/// not limited in total: `stream_bytes()` for large downloads.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 128 * 1024 * 1024;
/// The largest server-sent event unless configured (16 MiB): its lines and
/// data together, so a line that never ends is an error, not a growing buffer.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// The configured HTTP client. Cheap to clone; generated clients wrap it.
#[derive(Clone)]
pub struct Client {
    base: Base,
    http: reqwest::Client,
    /// `http` through the middleware layers, when any are configured
    /// (without, requests go to `http` directly: a smaller future, no boxing).
    layered: Option<ClientWithMiddleware>,
    /// The runtime's own connections, for what needs no more than HTTP
    /// (see `transport`); `None` when the client was given a
    /// `reqwest::Client` or middleware, or a proxy is configured.
    direct: Option<Arc<Direct>>,
    credentials: Credentials,
    headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: Option<usize>,
    max_event_bytes: Option<usize>,
    redirects: RedirectPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base.as_str())
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .finish_non_exhaustive()
    }
}

/// Makes ring rustls's cryptography for the process when no provider is
/// installed yet (with the `tls-ring` feature, the default; otherwise it
/// does nothing). Building a client does this first; call it yourself before
/// building a `reqwest::Client` of your own for [`Client::from_http`] or
/// [`ClientBuilder::http_client`]. A program that installs its own provider
/// before that keeps it.
pub fn install_tls_provider() {
    #[cfg(feature = "tls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one meanwhile: theirs stands. Newer
        // rustls releases deprecate ring's provider (it has no post-quantum
        // key exchange); it stays this feature's choice for its build time,
        // and `tls-aws-lc` is the one with post-quantum support.
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Builds a [`Client`] or a generated client (`C`), which wraps one.
#[must_use]
pub struct ClientBuilder<C = Client> {
    base_url: String,
    http: Option<reqwest::Client>,
    middleware: Vec<Arc<dyn Middleware>>,
    user_agent: Option<String>,
    /// Default headers: name, value, and whether the value is a secret.
    headers: Vec<(String, String, bool)>,
    credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: Option<usize>,
    max_event_bytes: Option<usize>,
    redirects: RedirectPolicy,
    error: Option<String>,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for `base_url` with the defaults: timeouts of
    /// [`DEFAULT_TIMEOUT`] and [`DEFAULT_CONNECT_TIMEOUT`], [`RetryPolicy::default`].
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            http: None,
            middleware: Vec::new(),
            user_agent: None,
            headers: Vec::new(),
            credentials: Credentials::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: Some(DEFAULT_MAX_RESPONSE_BYTES),
            max_event_bytes: Some(DEFAULT_MAX_EVENT_BYTES),
            redirects: RedirectPolicy::default(),
            error: None,
            _client: PhantomData,
        }
    }

    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Use your own `reqwest::Client` (proxies, TLS, pools). The connect
    /// timeout and user agent are then yours to set on it; the overall
    /// timeout and retries still apply. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: a client that follows
    /// redirects itself sends header API keys wherever they lead, and the
    /// runtime's [`RedirectPolicy`] then never sees them.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A `reqwest-middleware` layer every attempt goes through, in the order
    /// added (`reqwest-tracing`, a token refresh, metrics, a proxy header).
    /// The runtime's retries, timeouts and streaming wrap the layers: each
    /// retry runs them again, and credentials are already on the request.
    pub fn with(self, middleware: impl Middleware) -> Self {
        self.with_arc(Arc::new(middleware))
    }

    /// [`ClientBuilder::with`] for a layer already shared.
    pub fn with_arc(mut self, middleware: Arc<dyn Middleware>) -> Self {
        self.middleware.push(middleware);
        self
    }

    /// The `User-Agent` header (default: the generated crate's name and version).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// A header sent with every request (and with redirects to other
    /// origins; see [`ClientBuilder::secret_header`] for one that is not).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), false));
        self
    }

    /// A header sent with every request to the base URL's origin and nowhere
    /// else, kept out of `Debug` output and traces like a credential.
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), true));
        self
    }

    /// How redirects are followed (default: [`RedirectPolicy::Follow`] up
    /// to 10, credentials only within the base URL's origin).
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// Change the credentials; the setters below (`bearer_token`, `api_key`,
    /// `basic_auth`, `credential`, `basic_credential`) all go through here.
    #[doc(hidden)]
    pub fn with_credentials(mut self, f: impl FnOnce(&mut Credentials)) -> Self {
        f(&mut self.credentials);
        self
    }

    crate::credential_setters!();

    /// The overall timeout of each attempt: from sending until the body is read
    /// (for streams: until the headers arrive, then between chunks).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No overall timeout.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries after the first attempt (0 turns retries off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Refuse a response body read whole that is larger than this, with
    /// [`Error::BodyTooLarge`] (default [`DEFAULT_MAX_RESPONSE_BYTES`]; a
    /// request can set its own with `with_max_response_bytes`).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Read response bodies whole whatever their size.
    pub fn no_response_limit(mut self) -> Self {
        self.max_response_bytes = None;
        self
    }

    /// Refuse a server-sent event larger than this (default
    /// [`DEFAULT_MAX_EVENT_BYTES`]); the stream ends with [`Error::Stream`].
    pub fn max_event_bytes(mut self, limit: usize) -> Self {
        self.max_event_bytes = Some(limit);
        self
    }

    /// Read the base URL and credentials from the environment:
    /// `url_var` (optional), `key_var` (the default token), and for each
    /// scheme `(name, variable, is_basic)` its own variable (basic ones hold
    /// `user:password`). When the API has security schemes, at least one
    /// credential must be set.
    pub fn from_env(mut self, url_var: &str, key_var: &str, schemes: &[(&str, &str, bool)]) -> Self {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(url) = var(url_var) {
            self.base_url = url;
        }
        let mut found = false;
        if let Some(key) = var(key_var) {
            self = self.bearer_token(key);
            found = true;
        }
        for (scheme, name, basic) in schemes {
            let Some(value) = var(name) else { continue };
            found = true;
            self = match (basic, value.split_once(':')) {
                (true, Some((user, password))) => self.basic_credential(*scheme, user, password),
                (true, None) => {
                    self.error.get_or_insert(format!("environment variable {name} must hold user:password"));
                    self
                }
                (false, _) => self.credential(*scheme, value),
            };
        }
        if !found && !schemes.is_empty() {
            self.error.get_or_insert(format!("environment variable {key_var} is not set; it must hold the API key"));
        }
        if self.base_url.trim().is_empty() {
            self.error.get_or_insert(format!("no base URL: set {url_var}"));
        }
        self
    }

    pub fn build(self) -> Result<C, Error> {
        if let Some(e) = self.error {
            return Err(Error::Config(e));
        }
        let mut headers = HeaderMap::new();
        if let Some(agent) = &self.user_agent {
            let value =
                HeaderValue::from_str(agent).map_err(|_| Error::Config(format!("invalid user agent {agent:?}")))?;
            headers.insert(reqwest::header::USER_AGENT, value);
        }
        for (name, value, secret) in &self.headers {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
            let mut v =
                HeaderValue::from_str(value).map_err(|_| Error::Config(format!("invalid value for header {name}")))?;
            v.set_sensitive(*secret);
            headers.insert(n, v);
        }
        install_tls_provider();
        // Made only when the client makes its own connections: one
        // configuration for both ways out (see `tls`).
        let tls = if self.http.is_none() { crate::tls::config() } else { None };
        let direct = match (&self.http, self.middleware.is_empty()) {
            (None, true) => Direct::new(self.connect_timeout, tls.as_ref()).map(Arc::new),
            _ => None,
        };
        let http = match self.http {
            Some(h) => h,
            // Redirects are the runtime's to follow (see `redirect`), and no
            // `Referer` carries a URL's query to another origin.
            None => crate::tls::onto(reqwest::Client::builder(), tls)
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(C::from(Client {
            base: Base::new(self.base_url),
            layered: (!self.middleware.is_empty()).then(|| ClientWithMiddleware::new(http.clone(), self.middleware)),
            direct,
            http,
            credentials: self.credentials,
            headers,
            timeout: self.timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            max_event_bytes: self.max_event_bytes,
            redirects: self.redirects,
        }))
    }
}

impl Client {
    /// A client for `base_url` with the defaults of [`ClientBuilder::new`].
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder<Client> {
        ClientBuilder::new(base_url)
    }

    /// A client over your own `reqwest::Client` (its user agent, proxies and
    /// connect timeout are kept) with the default timeout and retries. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`, or its own
    /// redirect policy, not the runtime's, decides where credentials go.
    pub fn from_http(http: reqwest::Client, base_url: impl Into<String>) -> Client {
        Client {
            base: Base::new(base_url.into()),
            layered: None,
            direct: None,
            http,
            credentials: Credentials::default(),
            headers: HeaderMap::new(),
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::default(),
            max_response_bytes: Some(DEFAULT_MAX_RESPONSE_BYTES),
            max_event_bytes: Some(DEFAULT_MAX_EVENT_BYTES),
            redirects: RedirectPolicy::default(),
        }
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    pub fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }

    /// Change the credentials (what the setters below go through).
    #[doc(hidden)]
    pub fn with_credentials(mut self, f: impl FnOnce(&mut Credentials)) -> Self {
        f(&mut self.credentials);
        self
    }

    crate::credential_setters!();

    /// See [`ClientBuilder::timeout`].
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// See [`ClientBuilder::retry_policy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// See [`ClientBuilder::redirect_policy`].
    pub fn redirect_policy(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// The largest body read whole (`None`: no limit); see [`ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: Option<usize>) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Send a request: credentials for its security, retries and timeouts as
    /// configured. A 2xx response is returned unread; any other status
    /// becomes the operation's error, its documented body decoded.
    pub async fn execute<E: ErrorBody>(&self, request: Request) -> Result<Success, Error<E>> {
        self.send(request).await.map_err(Failure::typed)
    }

    /// Send and read the whole success body: the same code for every operation.
    pub(crate) async fn fetch(
        &self,
        request: Request,
    ) -> Result<(ResponseInfo, reqwest::StatusCode, Vec<u8>), Failure> {
        let success = self.send(request).await?;
        success.read().await.map_err(Failure::Error)
    }

    /// The send loop in its trace span, the same code for every operation
    /// (only [`Client::execute`] is generic, and it is small).
    async fn send(&self, request: Request) -> Result<Success, Failure> {
        let call = crate::trace::Call::start(&request);
        let result = call.within(self.attempts(request)).await;
        match &result {
            Ok(s) => call.end(s.info().attempts, Some(s.status().as_u16()), s.info().request_id()),
            Err(Failure::Status { status, info, .. }) => {
                call.end(info.attempts, Some(status.as_u16()), info.request_id())
            }
            Err(Failure::Error(e)) => call.end(e.attempts(), e.status().map(|s| s.as_u16()), e.request_id()),
        }
        result
    }

    /// Each attempt of a request, until one succeeds or retries run out.
    async fn attempts(&self, mut request: Request) -> Result<Success, Failure> {
        if let Some(e) = request.error.take() {
            return Err(Failure::Error(Error::InvalidRequest(e)));
        }
        let timeout = request.timeout.or(self.timeout);
        let limit = request.max_response_bytes.unwrap_or(self.max_response_bytes);
        let mut policy = request.retry.unwrap_or(self.retry);
        if let Some(n) = request.max_retries {
            policy.max_retries = n;
        }
        let prepared = self.prepare(&request).map_err(Failure::Error)?;
        // From here the JSON body is final: shared by every attempt, not copied.
        if let Some(Body::Json { content_type, data }) = &mut request.body {
            let (content_type, data) = (std::mem::take(content_type), std::mem::take(data));
            request.body = Some(Body::Bytes { content_type, data: data.into() });
        }
        // A body read once (a reader) is sent once: no retries, no redirects that re-send it.
        let one_shot = matches!(&request.body, Some(Body::Stream { body, .. }) if !body.replayable());
        let attempts_allowed = if one_shot { 1 } else { policy.max_retries.saturating_add(1) };
        let retryable = |retry_left: bool| retry_left || one_shot;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let deadline = timeout.map(|t| Instant::now() + t);
            let sent = match self.hops(&request, &prepared, !one_shot, deadline).await {
                Ok(sent) => sent,
                Err(stop) => return Err(Failure::Error(stop.into_error(attempt))),
            };
            let retry_left = attempt < attempts_allowed;
            let response = match sent {
                Ok(Ok(r)) => r,
                Err(_) if retry_left => {
                    crate::trace::timeout(attempt, timeout.unwrap_or_default());
                    let delay = policy.backoff(attempt - 1);
                    crate::trace::retry(attempt, "timeout", delay);
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Err(_) => {
                    crate::trace::timeout(attempt, timeout.unwrap_or_default());
                    return Err(Failure::Error(Error::Timeout {
                        after: timeout.unwrap_or_default(),
                        attempts: attempt,
                    }));
                }
                Ok(Err(Sent::Transport(e))) if retryable(retry_left) && !e.is_builder() => {
                    if one_shot && policy.max_retries > 0 {
                        return Err(Failure::Error(Error::not_retried(
                            e,
                            "its body is a one-shot reader or stream, which cannot be sent again",
                        )));
                    }
                    if !retry_left {
                        return Err(Failure::Error(Error::transport(e, attempt)));
                    }
                    let delay = policy.backoff(attempt - 1);
                    let reason = if e.is_connect() { "connection failed" } else { "transport error" };
                    crate::trace::retry(attempt, reason, delay);
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Ok(Err(Sent::Transport(e))) => return Err(Failure::Error(Error::transport(e, attempt))),
                Ok(Err(Sent::Middleware(message))) => {
                    return Err(Failure::Error(Error::Middleware { message, attempts: attempt }))
                }
            };
            let status = response.status();
            if status.is_success() {
                let limits = Limits { body: limit, event: self.max_event_bytes };
                return Ok(Success::new(response, attempt, deadline, timeout, limits));
            }
            if retry_left {
                if let Some(wait) = policy.retry_response(attempt - 1, status, response.headers()) {
                    drop(response);
                    crate::trace::retry(attempt, status.as_str(), wait);
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            // Boxed: reading an error body is rare, and its future would
            // otherwise make every request's larger.
            return Err(Box::pin(error_response(response, attempt, deadline, timeout, limit)).await);
        }
    }

    /// One attempt: the request, then each redirect the policy follows, all
    /// before `deadline`. `Err(())` inside is the deadline passing; the outer
    /// `Err` is a redirect that is not followed.
    async fn hops(
        &self,
        request: &Request,
        prepared: &Prepared,
        replayable: bool,
        deadline: Option<Instant>,
    ) -> Result<Result<Result<reqwest::Response, Sent>, ()>, Stopped> {
        let mut hop = Hop {
            method: request.method.clone(),
            url: prepared.url.clone(),
            body: request.body.is_some(),
            credentials: true,
        };
        let mut hops = 0u32;
        loop {
            let mut headers = if hop.credentials {
                prepared.headers.clone()
            } else {
                redirect::without_credentials(&prepared.headers)
            };
            if !hop.body {
                // A redirect dropped the body: its type goes with it.
                headers.remove(reqwest::header::CONTENT_TYPE);
            }
            let outgoing = match self.direct_request(&hop, headers, &request.body) {
                Ok(direct) => direct,
                Err(headers) => Outgoing::Reqwest(self.reqwest_request(&hop, headers, &request.body)?),
            };
            let sent = match deadline {
                Some(d) => tokio::time::timeout_at(d.into(), self.dispatch(outgoing)).await.map_err(|_| ()),
                None => Ok(self.dispatch(outgoing).await),
            };
            let Ok(Ok(response)) = &sent else { return Ok(sent) };
            let (status, headers) = (response.status(), response.headers());
            match redirect::next(self.redirects, hops, &prepared.url, &hop, status, headers, replayable) {
                Next::Answer => return Ok(sent),
                Next::Stop { location, reason } => {
                    let info = ResponseInfo { headers: crate::response::detached(headers), attempts: 0 };
                    return Err(Stopped::Redirect { status, location, reason, info });
                }
                Next::Follow(next) => {
                    crate::trace::redirect(status.as_u16(), &redirect::shown(next.url.as_str()), next.credentials);
                    hops += 1;
                    hop = next;
                    if hop.credentials {
                        hop.url = redirect::with_query_credentials(hop.url, &prepared.query_credentials);
                    }
                }
            }
        }
    }

    /// One hop as the runtime's own connections send it, when they can: a
    /// body held whole (or none) to an http(s) URL. Otherwise the headers
    /// back, for reqwest.
    fn direct_request<'a>(
        &'a self,
        hop: &'a Hop,
        mut headers: HeaderMap,
        body: &Option<Body>,
    ) -> Result<Outgoing<'a>, HeaderMap> {
        let Some(direct) = &self.direct else { return Err(headers) };
        let origin = match Origin::of(&hop.url) {
            Some(origin) if direct.carries(origin) => origin,
            _ => return Err(headers),
        };
        let data = match (body, hop.body) {
            (None, _) | (Some(_), false) => Bytes::new(),
            (Some(Body::Bytes { data, .. }), true) => data.clone(),
            (Some(Body::Json { data, .. }), true) => Bytes::from(data.clone()),
            (Some(Body::Stream { .. }), true) => return Err(headers),
        };
        let Ok(uri) = hop.url.as_str().parse::<http::Uri>() else { return Err(headers) };
        // As reqwest sends it: `Accept: */*` unless the request names one.
        headers.entry(reqwest::header::ACCEPT).or_insert(HeaderValue::from_static("*/*"));
        let mut outgoing = http::Request::new(Full::new(data));
        *outgoing.method_mut() = hop.method.clone();
        *outgoing.uri_mut() = uri;
        *outgoing.headers_mut() = headers;
        Ok(Outgoing::Direct(direct, origin, &hop.url, outgoing))
    }

    /// One hop as reqwest sends it.
    fn reqwest_request(
        &self,
        hop: &Hop,
        headers: HeaderMap,
        body: &Option<Body>,
    ) -> Result<reqwest::Result<reqwest::Request>, Stopped> {
        let builder = self.http.request(hop.method.clone(), hop.url.clone()).headers(headers);
        let builder = match (body, hop.body) {
            (Some(Body::Bytes { data, .. }), true) => builder.body(data.clone()),
            (Some(Body::Json { data, .. }), true) => builder.body(data.clone()),
            (Some(Body::Stream { body, .. }), true) => match body.open() {
                Ok((s, Some(len))) => builder.header(reqwest::header::CONTENT_LENGTH, len).body(s),
                Ok((s, None)) => builder.body(s),
                Err(e) => return Err(Stopped::Invalid(e)),
            },
            _ => builder,
        };
        Ok(builder.build())
    }

    /// One request: on the runtime's own connections, or through reqwest
    /// and the middleware layers if there are any. Their future is large;
    /// boxed, it does not grow every request's.
    async fn dispatch(&self, outgoing: Outgoing<'_>) -> Result<reqwest::Response, Sent> {
        let request = match outgoing {
            Outgoing::Direct(direct, origin, url, request) => {
                let response = direct.send(origin, request).await.map_err(|e| Sent::Transport(e.into()))?;
                return Ok(as_reqwest(response, url));
            }
            Outgoing::Reqwest(request) => request.map_err(|e| Sent::Transport(e.into()))?,
        };
        match &self.layered {
            None => self.http.execute(request).await.map_err(|e| Sent::Transport(e.into())),
            Some(layered) => Box::pin(layered.execute(request)).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => Sent::Transport(e.into()),
                e => Sent::Middleware(format!("{e:#}")),
            }),
        }
    }

    /// The URL with its query, every header of the request (credentials and
    /// secret headers marked sensitive), and the query credentials.
    fn prepare(&self, request: &Request) -> Result<Prepared, Error> {
        let mut pairs: Vec<(String, String)> = request.query.iter().map(|(_, k, v)| (k.clone(), v.clone())).collect();
        let mut headers = self.headers.clone();
        let mut cookies: Vec<String> =
            request.cookies.iter().map(|(n, v)| format!("{n}={}", crate::encode::cookie_value(v))).collect();
        let mut auth_headers = Vec::new();
        let mut query_credentials = Vec::new();
        for apply in self.credentials.select(request.security) {
            match apply {
                Apply::Header(name, value) => auth_headers.push((name, value)),
                Apply::Query(name, value) => query_credentials.push((name.to_string(), value.to_string())),
                Apply::Cookie(name, value) => cookies.push(format!("{name}={}", crate::encode::cookie_value(value))),
            }
        }
        pairs.extend(query_credentials.iter().cloned());
        let url = (self.base.join(&request.path, &pairs))
            .map_err(|e| Error::Config(format!("invalid URL {:?}: {e}", self.base.as_str())))?;
        let content_type = match &request.body {
            Some(
                Body::Bytes { content_type, .. } | Body::Json { content_type, .. } | Body::Stream { content_type, .. },
            ) => Some(content_type.as_str()),
            None => None,
        };
        let cookie = (!cookies.is_empty()).then(|| cookies.join("; "));
        let plain = (request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .chain(content_type.map(|c| ("content-type", c)))
            .map(|(n, v)| (n, v, false));
        let secret = (cookie.as_deref().map(|c| ("cookie", c)).into_iter())
            .chain(auth_headers.iter().map(|(n, v)| (*n, v.as_str())))
            .map(|(n, v)| (n, v, true));
        for (name, value, sensitive) in plain.chain(secret) {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))?;
            let mut v = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header {name}")))?;
            if sensitive || n == reqwest::header::AUTHORIZATION || n == reqwest::header::COOKIE {
                v.set_sensitive(true);
            }
            headers.insert(n, v);
        }
        Ok(Prepared { url, headers, query_credentials })
    }
}

/// A non-2xx response read whole (within the limit) as a failure.
async fn error_response(
    response: reqwest::Response,
    attempts: u32,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
    limit: Option<usize>,
) -> Failure {
    let status = response.status();
    let info = ResponseInfo { headers: crate::response::detached(response.headers()), attempts };
    match read_body(response, deadline, limit).await {
        Ok(bytes) => Failure::Status { status, info, bytes },
        Err(ReadError::Timeout) => Failure::Error(Error::Timeout { after: timeout.unwrap_or_default(), attempts }),
        Err(ReadError::TooLarge(limit)) => Failure::Error(Error::BodyTooLarge { status, limit, info }),
        Err(ReadError::Transport(e)) => Failure::Error(Error::transport(e, attempts)),
    }
}

/// A response of the runtime's own connections as reqwest's, with the URL
/// it answers (without one, reqwest parses a placeholder URL for each).
fn as_reqwest(response: http::Response<hyper::body::Incoming>, url: &reqwest::Url) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    let (mut parts, body) = response.into_parts();
    let mut with_url = http::response::Builder::new().url(url.clone());
    if let Some(extensions) = with_url.extensions_mut() {
        parts.extensions.extend(std::mem::take(extensions));
    }
    reqwest::Response::from(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
}

/// One hop, ready to send one way or the other.
enum Outgoing<'a> {
    Direct(&'a Direct, Origin<'a>, &'a reqwest::Url, http::Request<Full<Bytes>>),
    Reqwest(reqwest::Result<reqwest::Request>),
}

/// Why sending failed.
enum Sent {
    Transport(TransportError),
    Middleware(String),
}

/// A request ready to send: its URL (query credentials included), headers,
/// and the query credentials alone (added back on a same-origin redirect).
struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
    query_credentials: Vec<(String, String)>,
}

/// Why a chain of redirects ended without an answer.
enum Stopped {
    Redirect { status: reqwest::StatusCode, location: String, reason: String, info: ResponseInfo },
    Invalid(String),
}

impl Stopped {
    fn into_error(self, attempts: u32) -> Error {
        match self {
            Stopped::Redirect { status, location, reason, mut info } => {
                info.attempts = attempts;
                Error::Redirect { status, location, reason, info }
            }
            Stopped::Invalid(m) => Error::InvalidRequest(m),
        }
    }
}

/// Why the send loop returned no success: an error, or a non-2xx response read whole.
pub(crate) enum Failure {
    Error(Error),
    Status { status: reqwest::StatusCode, info: ResponseInfo, bytes: Vec<u8> },
}

impl Failure {
    /// As the operation's error, its documented body decoded.
    pub(crate) fn typed<E: ErrorBody>(self) -> Error<E> {
        match self {
            Failure::Error(e) => e.typed(),
            Failure::Status { status, info, bytes } => typed_status(status, info, bytes),
        }
    }
}

/// A non-2xx response as the operation's error, its documented body decoded.
fn typed_status<E: ErrorBody>(status: reqwest::StatusCode, info: ResponseInfo, bytes: Vec<u8>) -> Error<E> {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match E::decode(status.as_u16(), &bytes) {
        Some(Ok(body)) => Error::Api { status, body, text, info },
        Some(Err(e)) => {
            Error::Decode { status, message: e.to_string(), body_start: crate::error::preview(&text), info }
        }
        None => Error::UnexpectedStatus { status, text, info },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;

    #[async_trait::async_trait]
    impl Middleware for Nothing {
        async fn handle(
            &self,
            request: reqwest::Request,
            extensions: &mut http::Extensions,
            next: reqwest_middleware::Next<'_>,
        ) -> reqwest_middleware::Result<reqwest::Response> {
            next.run(request, extensions).await
        }
    }

    /// Every call's future is moved whole into its box: what only a new
    /// connection needs (TCP, TLS, handshakes: 7 KB) is boxed apart, so a
    /// call's future stays about 5 KB (12 KB with connecting inline).
    #[test]
    fn a_calls_future_does_not_carry_connecting() {
        let client = Client::builder("http://127.0.0.1:9").build().expect("a client");
        let request = || Request::new(reqwest::Method::POST, &[]);
        let call = crate::send::json::<serde_json::Value, std::convert::Infallible>(&client, request());
        let size = std::mem::size_of_val(&*call);
        assert!(size < 8 * 1024, "a call's future is {size} bytes");
        if let Some(direct) = &client.direct {
            let url = reqwest::Url::parse("http://127.0.0.1:9/").expect("a URL");
            let origin = Origin::of(&url).expect("an origin");
            let send = direct.send(origin, http::Request::new(Full::new(Bytes::new())));
            let size = std::mem::size_of_val(&send);
            assert!(size < 3 * 1024, "sending on a connection is a {size}-byte future");
        }
    }

    #[test]
    fn own_connections_unless_given_a_reqwest_client_or_middleware() {
        let built = |b: ClientBuilder<Client>| b.build().expect("a client").direct.is_some();
        let base = "http://127.0.0.1:9";
        // A proxy in the environment sends everything through reqwest.
        let proxied = crate::transport::proxy_in_environment();
        let own = !proxied && !cfg!(any(target_os = "macos", target_os = "windows"));
        assert_eq!(built(Client::builder(base)), own);
        assert!(!built(Client::builder(base).http_client(reqwest::Client::new())));
        assert!(!built(Client::builder(base).with(Nothing)));
        assert!(Client::from_http(reqwest::Client::new(), base).direct.is_none());
    }
}
