//! What a call tells the `tracing` crate (the `tracing` feature, on by
//! default): one span per call, `openapi_request`, with the operation, the
//! HTTP method, the path template (never the filled path: path parameters
//! can be personal data), the attempt, the status, the request id and the
//! duration; and an event for each retry and timeout with its reason and
//! delay. No credential, body, query value or header value is ever recorded.
//! Without the feature every function here is empty.

use crate::request::Request;
use std::time::Duration;

/// One call's span, and when it started.
pub(crate) struct Call {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    start: std::time::Instant,
}

impl Call {
    #[cfg(feature = "tracing")]
    pub(crate) fn start(request: &Request) -> Call {
        let empty = tracing::field::Empty;
        let span = tracing::info_span!(
            "openapi_request",
            operation = request.operation,
            method = request.method.as_str(),
            path = request.template,
            attempt = empty,
            status = empty,
            request_id = empty,
            duration_ms = empty,
        );
        Call { span, start: std::time::Instant::now() }
    }

    #[cfg(not(feature = "tracing"))]
    pub(crate) fn start(_: &Request) -> Call {
        Call {}
    }

    /// Runs `f` inside the span.
    #[cfg(feature = "tracing")]
    pub(crate) fn within<F: std::future::Future>(&self, f: F) -> impl std::future::Future<Output = F::Output> {
        tracing::Instrument::instrument(f, self.span.clone())
    }

    #[cfg(not(feature = "tracing"))]
    pub(crate) fn within<F: std::future::Future>(&self, f: F) -> F {
        f
    }

    /// Records how the call ended: the last attempt, its status and request id.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn end(&self, attempt: u32, status: Option<u16>, request_id: Option<&str>) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempt", attempt);
            if let Some(status) = status {
                self.span.record("status", status);
            }
            if let Some(id) = request_id {
                self.span.record("request_id", id);
            }
            self.span.record("duration_ms", self.start.elapsed().as_millis() as u64);
        }
    }
}

/// An attempt failed and will be retried after `delay`.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn retry(attempt: u32, reason: &str, delay: Duration) {
    #[cfg(feature = "tracing")]
    tracing::warn!(attempt, reason, delay_ms = delay.as_millis() as u64, "retrying");
}

/// A polled job is in `state` after `polls` polls.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn poll(polls: u32, state: &str) {
    #[cfg(feature = "tracing")]
    tracing::debug!(polls, state, "polled");
}

/// An attempt got no response within `after`.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn timeout(attempt: u32, after: Duration) {
    #[cfg(feature = "tracing")]
    tracing::warn!(attempt, after_ms = after.as_millis() as u64, "timed out");
}

/// A redirect is followed to `to` (shown without its query), with the
/// request's credentials or without them.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn redirect(status: u16, to: &str, credentials: bool) {
    #[cfg(feature = "tracing")]
    tracing::debug!(status, to, credentials, "following a redirect");
}
