//! Every call is a `tracing` span with the operation, method, path
//! template, attempt, status, request id and duration; retries and timeouts
//! are events with their reason and delay; no credential, filled path or
//! query value is ever recorded.

mod captured;
mod server;

use captured::Captured;
use client_tests::Client;
use std::time::Duration;
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::test]
async fn a_call_is_a_span_with_its_attempts_and_status_and_never_its_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (base, _) = server::start().await;
    let c = Client::with_base_url(&base).expect("client").bearer_token("tok-secret-bearer");
    c.flaky("user-42").failures(1).status(429).retry_after("0").await.expect("the second attempt");
    let slow = c.stall().with_timeout(Duration::from_millis(100)).with_retries(0).await;
    assert!(slow.is_err());

    let text = captured.text();
    let close = text.lines().find(|l| l.contains("operation=\"flaky\"") && l.contains("close")).unwrap_or_default();
    for field in
        ["method=\"GET\"", "path=\"/flaky/{key}\"", "attempt=2", "status=200", "request_id=\"req-2\"", "duration_ms="]
    {
        assert!(close.contains(field), "{field} in the span: {close}\n{text}");
    }
    assert!(text.contains("retrying") && text.contains("reason=\"429\"") && text.contains("delay_ms="), "{text}");
    assert!(text.contains("timed out") && text.contains("operation=\"stall\""), "{text}");
    for secret in ["tok-secret", "user-42", "failures=1", "retry_after"] {
        assert!(!text.contains(secret), "{secret} must not be traced:\n{text}");
    }
}
