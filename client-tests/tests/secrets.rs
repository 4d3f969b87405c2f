//! No secret of any scheme (nor a secret header) shows in the `Debug` of a
//! builder or client, in the `Display` or `Debug` of an error, or in any
//! trace. Alone in its test binary: `tracing` caches per call site whether
//! anyone listens, so a test that calls the client without a subscriber, on
//! another thread of the same binary, could hide the traces this one reads.

mod captured;
mod two_origins;

use captured::Captured;
use client_tests::types::PostNoteBody;
use client_tests::{Client, Error};
use two_origins::*;

fn secrets_in(text: &str) -> Vec<&'static str> {
    SECRETS.iter().copied().filter(|s| text.contains(s)).collect()
}

#[tokio::test]
async fn no_secret_shows_in_debug_display_or_any_trace() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = servers().await;
    let builder = Client::builder()
        .base_url(&s.a)
        .bearer_token(BEARER)
        .basic_credential("basic", "user", BASIC_PASSWORD)
        .credential("headerKey", HEADER_KEY)
        .credential("queryKey", QUERY_KEY)
        .credential("cookieKey", COOKIE_KEY)
        .secret_header("x-secret-default", SECRET_DEFAULT);
    let mut shown = format!("{builder:?}\n");
    let c = client(&s.a);
    shown.push_str(&format!("{c:?}\n{:?}\n", c.runtime()));
    // Calls of every scheme: answered, redirected elsewhere, refused, failed.
    for result in call_every_scheme(&c, "302 other").await {
        assert!(result.is_ok(), "{result:?}");
    }
    let note = PostNoteBody { text: Some("n".into()), ..Default::default() };
    let redirect = c.post_note().body(&note).with_header("x-redirect", "307 other").await.expect_err("stopped");
    let status = c.auth_query().with_header("x-redirect", "418 same").await.expect_err("a 418");
    let closed = client("http://127.0.0.1:9");
    let transport = closed.auth_query().await.expect_err("nothing listens");
    assert!(matches!(transport, Error::Transport { .. }), "{transport:?}");
    for err in [&redirect, &status, &transport] {
        shown.push_str(&format!("{err}\n{err:?}\n"));
    }
    assert_eq!(secrets_in(&shown), Vec::<&str>::new(), "{shown}");
    let traced = captured.text();
    assert!(traced.contains("following a redirect") && traced.contains("credentials=false"), "{traced}");
    assert_eq!(secrets_in(&traced), Vec::<&str>::new(), "{traced}");
}
