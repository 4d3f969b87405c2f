//! Credentials never leave their origin: two local servers on two ports (two
//! origins), the first answering with redirects, the second recording what
//! reaches it header by header. Every scheme the spec declares (bearer,
//! basic, an API key in a header, in the query and in a cookie) and a secret
//! default header, for `301`, `302`, `303`, `307` and `308`, same-origin and
//! cross-origin, with and without a body.

mod two_origins;

use axum::body::Bytes;
use axum::http::Method;
use client_tests::types::PostNoteBody;
use client_tests::Error;
use openapi_gen_runtime::RedirectPolicy;
use serde_json::{json, Value};
use two_origins::*;

#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credential_of_any_scheme() {
    let s = servers().await;
    let c = client(&s.a);
    for status in [301, 302, 303, 307, 308] {
        for result in call_every_scheme(&c, &format!("{status} other")).await {
            let answer = result.unwrap_or_else(|e| panic!("{status}: a bodiless request is followed: {e}"));
            assert_eq!(answer["path"], "/landed", "{status}");
        }
    }
    let landed = s.b_log.all();
    assert_eq!(landed.len(), 25, "five schemes, five statuses");
    for seen in &landed {
        assert_eq!(seen.leaks(), Vec::<String>::new(), "{seen:?}");
        assert_eq!(seen.method, Method::GET);
        assert_eq!(seen.query.as_deref(), Some("page=2"), "the Location's query, nothing added: {seen:?}");
        for header in ["authorization", "x-api-key", "cookie", "x-secret-default", "referer", "proxy-authorization"] {
            assert_eq!(seen.header(header), None, "{header} reached the other origin: {seen:?}");
        }
        assert_eq!(seen.header("x-public-default"), Some("public"), "a header not marked secret goes along");
    }
    // The first origin did get each credential, so the test can fail.
    let first = s.a_log.all();
    assert!(first.iter().any(|r| r.header("authorization") == Some(&format!("Bearer {BEARER}"))));
    assert!(first.iter().any(|r| r.header("x-api-key") == Some(HEADER_KEY)));
    assert!(first.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains(QUERY_KEY))));
    assert!(first.iter().any(|r| r.header("cookie").is_some_and(|v| v.contains(COOKIE_KEY))));
    assert!(first.iter().all(|r| r.header("x-secret-default") == Some(SECRET_DEFAULT)));
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_every_credential() {
    let s = servers().await;
    let c = client(&s.a);
    for status in [301, 302, 303, 307, 308] {
        for result in call_every_scheme(&c, &format!("{status} same")).await {
            assert_eq!(result.expect("followed")["path"], "/landed");
        }
    }
    assert!(s.b_log.all().is_empty(), "nothing went to the other origin");
    let landed: Vec<Seen> = s.a_log.all().into_iter().filter(|r| r.path == "/landed").collect();
    assert_eq!(landed.len(), 25);
    let has = |want: &dyn Fn(&Seen) -> bool| landed.iter().filter(|r| want(r)).count();
    assert_eq!(
        has(&|r| r.header("authorization") == Some(&format!("Bearer {BEARER}"))),
        5,
        "bearer on its one operation"
    );
    assert_eq!(has(&|r| r.header("authorization").is_some_and(|v| v.starts_with("Basic "))), 5);
    assert_eq!(has(&|r| r.header("x-api-key") == Some(HEADER_KEY)), 5);
    assert_eq!(
        has(&|r| r.query.as_deref() == Some(&format!("page=2&api_key={QUERY_KEY}"))),
        5,
        "the query key is added back to the Location's query, once"
    );
    assert_eq!(has(&|r| r.header("cookie").is_some_and(|v| v.contains(COOKIE_KEY))), 5);
    assert_eq!(has(&|r| r.header("x-secret-default") == Some(SECRET_DEFAULT)), 25);
}

#[tokio::test]
async fn a_body_is_never_resent_to_another_origin() {
    let s = servers().await;
    let c = client(&s.a);
    let note = PostNoteBody { text: Some("private note".into()), ..Default::default() };
    for status in [307, 308] {
        let err =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} other")).await.expect_err("stopped");
        match &err {
            Error::Redirect { status: got, location, reason, .. } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(location, &format!("{}/landed?page=2", s.b), "the error names the target");
                assert!(reason.contains("request body to another origin"), "{reason}");
            }
            other => panic!("expected a redirect error, got {other:?}"),
        }
        assert!(err.to_string().contains(&format!("{}/landed", s.b)), "{err}");
        assert!(!err.to_string().contains("page=2"), "the target's query is not shown: {err}");
    }
    assert!(s.b_log.all().is_empty(), "nothing reached the other origin");

    // 301, 302 and 303 turn a POST into a GET without the body or its type.
    for status in [301, 302, 303] {
        let answer =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} other")).await.expect("followed");
        assert_eq!(answer["method"], "GET", "{status}");
    }
    for seen in s.b_log.all() {
        assert!(seen.body.is_empty() && seen.header("content-type").is_none(), "{seen:?}");
        assert_eq!(seen.leaks(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn within_the_origin_a_307_resends_the_body_and_a_stream_stops() {
    let s = servers().await;
    let c = client(&s.a);
    let note = PostNoteBody { text: Some("kept".into()), ..Default::default() };
    for status in [307, 308] {
        let answer =
            c.post_note().body(&note).with_header("x-redirect", &format!("{status} same")).await.expect("followed");
        assert_eq!(answer["method"], "POST");
    }
    let landed: Vec<Seen> = s.a_log.all().into_iter().filter(|r| r.path == "/landed").collect();
    assert_eq!(landed.len(), 2);
    for seen in &landed {
        assert_eq!(serde_json::from_slice::<Value>(&seen.body).expect("JSON"), json!({"text": "kept"}));
        assert_eq!(seen.header("authorization"), Some(format!("Bearer {BEARER}").as_str()));
    }
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"streamed"))]);
    let body = openapi_gen_runtime::BinaryBody::from_stream(stream, Some(8));
    let err = c.upload_blob(body).with_header("x-redirect", "307 same").await.expect_err("stopped");
    assert!(matches!(&err, Error::Redirect { reason, .. } if reason.contains("streamed")), "{err:?}");
}

#[tokio::test]
async fn policies_limit_or_refuse_redirects() {
    let s = servers().await;
    let loops = client(&s.a).auth_bearer().with_header("x-redirect", "302 self").await.expect_err("a loop");
    assert!(matches!(&loops, Error::Redirect { reason, .. } if reason.contains("more than 10 redirects")), "{loops:?}");
    assert_eq!(s.a_log.all().len(), 11, "the request and ten redirects");

    let same_only = client(&s.a).redirect_policy(RedirectPolicy::SameOrigin { max: 5 });
    let err = same_only.auth_bearer().with_header("x-redirect", "302 other").await.expect_err("refused");
    assert!(matches!(&err, Error::Redirect { reason, .. } if reason.contains("another origin")), "{err:?}");
    assert!(same_only.auth_bearer().with_header("x-redirect", "302 same").await.is_ok());

    let never = client(&s.a).redirect_policy(RedirectPolicy::Never);
    let err = never.auth_bearer().with_header("x-redirect", "301 same").await.expect_err("refused");
    assert!(matches!(&err, Error::Redirect { status, .. } if status.as_u16() == 301), "{err:?}");
    assert!(s.b_log.all().is_empty());
}
