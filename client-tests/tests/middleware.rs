//! `reqwest-middleware` layers on a generated client: every attempt goes
//! through them, inside the runtime's retries, with credentials already set.

mod server;

use client_tests::runtime::reqwest_middleware::{self, Middleware, Next};
use client_tests::runtime::{reqwest, Extensions};
use client_tests::{Client, Error};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Adds a header to every request and counts the attempts it sees.
struct Stamp(Arc<AtomicU32>);

#[async_trait::async_trait]
impl Middleware for Stamp {
    async fn handle(
        &self,
        mut req: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        req.headers_mut().insert("x-stamp", format!("attempt-{n}").parse().expect("a header value"));
        next.run(req, extensions).await
    }
}

/// On a 401, gets a new token once and sends the request again with it.
struct Refresh(Arc<AtomicU32>);

#[async_trait::async_trait]
impl Middleware for Refresh {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let again = req.try_clone();
        let response = next.clone().run(req, extensions).await?;
        match again {
            Some(mut again) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                self.0.fetch_add(1, Ordering::SeqCst);
                again.headers_mut().insert("authorization", "Bearer fresh-token".parse().expect("a header value"));
                next.run(again, extensions).await
            }
            _ => Ok(response),
        }
    }
}

/// Fails every request on its own.
struct Refuse;

#[async_trait::async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(std::io::Error::other("quota of the day used up")))
    }
}

#[tokio::test]
async fn a_layer_adds_a_header_to_every_attempt_of_a_retried_request() {
    let (base, seen) = server::start().await;
    let attempts = Arc::new(AtomicU32::new(0));
    let c = Client::builder()
        .base_url(&base)
        .bearer_token("tok-bearer")
        .with(Stamp(attempts.clone()))
        .build()
        .expect("client");
    let got = c.flaky("m").failures(2).retry_after("0").await.expect("the third attempt");
    assert_eq!(got["attempts"], 3);
    assert_eq!((attempts.load(Ordering::SeqCst), seen.attempts("m")), (3, 3), "the layer runs on every attempt");
    let echoed = c.public_info().await.expect("public");
    assert_eq!(echoed["headers"]["x-stamp"], "attempt-4");
}

#[tokio::test]
async fn a_layer_refreshes_an_expired_token_on_401() {
    let (base, _) = server::start().await;
    let refreshed = Arc::new(AtomicU32::new(0));
    let c = Client::builder()
        .base_url(&base)
        .bearer_token("stale-token")
        .with(Refresh(refreshed.clone()))
        .build()
        .expect("client");
    let got = c.auth_fresh().await.expect("the refreshed request");
    assert_eq!(got["headers"]["authorization"], "Bearer fresh-token");
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);
    let without = Client::builder().base_url(&base).bearer_token("stale-token").build().expect("client");
    let err = without.auth_fresh().await.expect_err("401 without the layer");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn a_failing_layer_is_an_error_of_its_own_not_retried() {
    let (base, _) = server::start().await;
    let c = Client::builder().base_url(&base).bearer_token("tok-bearer").with(Refuse).build().expect("client");
    let err = c.public_info().await.expect_err("refused");
    assert!(matches!(err, Error::Middleware { attempts: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("quota of the day used up"), "{err}");
}
