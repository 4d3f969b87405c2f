//! Strings with a format (`date-time`, `date`, `time`, `uuid`, `byte`) are
//! typed, against a real server: valid values parse, a malformed one (a
//! FastAPI-style timestamp without `T` or zone) decodes with its text kept,
//! and what the server sent is what is written back.

use axum::extract::{Path, Query};
use axum::routing::get;
use axum::{Json, Router};
use client_tests::runtime::chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike};
use client_tests::runtime::{self, uuid};
use client_tests::types::Record;
use client_tests::Client;
use serde_json::{json, Value};
use std::collections::HashMap;

const UPPER: &str = "6F9619FF-8B86-D011-B42D-00CF4FC964FF";

async fn start() -> String {
    let app = Router::new().route(
        "/records/{id}",
        get(|Path(id): Path<String>, Query(q): Query<HashMap<String, String>>| async move {
            Json(json!({
                "id": UPPER,
                "created": "2026-11-28 05:00:00",
                "day": "1969-07-20",
                "at": "05:00:00.25+02:00",
                "blob": "aGVsbG8=",
                "count": 7,
                "pair": [2, "two"],
                "span": ["2026-11-28T05:00:00Z", "junk"],
                "seen_id": id,
                "seen_since": q.get("since"),
            }))
        })
        .put(|Json(body): Json<Value>| async move { Json(body) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token("tok-bearer")
}

#[tokio::test]
async fn a_malformed_timestamp_does_not_fail_the_response_and_keeps_its_text() {
    let base = start().await;
    let id = runtime::Uuid::from(uuid::Uuid::from_u128(0x6f9619ff_8b86_d011_b42d_00cf4fc964ff));
    let since: runtime::DateTime = "2026-11-28T05:00:00+01:00".into();
    let record = client(&base).get_record(&id).since(&since).await.expect("the record decodes");
    assert!(!record.created.is_valid(), "no `T`, no zone: not RFC 3339");
    assert_eq!(record.created.as_str(), "2026-11-28 05:00:00");
    assert!(record.created.value().is_err());
    let parsed = record.id.get().expect("an uppercase UUID is a UUID");
    assert_eq!(*parsed, *id.get().expect("valid"));
    assert_eq!(record.id.as_str(), UPPER, "the text as sent");
    let day = record.day.as_ref().and_then(|d| d.get().copied()).expect("a date");
    assert_eq!((day.year(), day.month(), day.day()), (1969, 7, 20));
    let at = record.at.as_ref().and_then(|t| t.get().copied()).expect("a time");
    assert_eq!((at.hour(), at.nanosecond()), (5, 250_000_000));
    assert_eq!(record.blob.as_ref().and_then(|b| b.get().cloned()), Some(b"hello".to_vec()));
    assert_eq!(record.count, Some(7));
    let (n, word) = record.pair.clone().expect("a pair");
    assert_eq!((n, word.as_str()), (2, "two"));
    let (from, to) = record.span.as_ref().expect("a span");
    assert!(from.is_valid() && !to.is_valid(), "each element of a tuple keeps its own text");
    assert_eq!(record.extra.value("seen_id"), Some(&json!("6f9619ff-8b86-d011-b42d-00cf4fc964ff")));
    assert_eq!(record.extra.value("seen_since"), Some(&json!("2026-11-28T05:00:00+01:00")));
    // Nothing the server sent is lost: written back, it is the same JSON.
    let again = serde_json::to_value(&record).expect("encodes");
    assert_eq!(again["created"], "2026-11-28 05:00:00");
    assert_eq!(again["id"], UPPER);
    assert_eq!(again["at"], "05:00:00.25+02:00");
    assert_eq!(again["span"], json!(["2026-11-28T05:00:00Z", "junk"]));
}

#[tokio::test]
async fn values_built_in_rust_go_out_in_the_formats_canonical_text() {
    let base = start().await;
    let created = DateTime::parse_from_rfc3339("1969-07-20T20:17:40.5-05:00").expect("a timestamp");
    let mut record = Record::new(uuid::Uuid::nil(), created);
    record.day = Some(NaiveDate::from_ymd_opt(1912, 6, 23).expect("a date").into());
    record.at = Some(NaiveTime::from_hms_opt(23, 59, 1).expect("a time").into());
    record.blob = Some(b"\x00\xffbytes".to_vec().into());
    record.pair = Some((9, "nine".to_string()));
    let echoed = client(&base).put_record(&runtime::Uuid::from(uuid::Uuid::nil()), &record).await.expect("echoed");
    assert_eq!(echoed.created.as_str(), "1969-07-20T20:17:40.500-05:00");
    assert_eq!(echoed.created.get(), Some(&created));
    assert_eq!(echoed.id.as_str(), "00000000-0000-0000-0000-000000000000");
    assert_eq!(echoed.day.as_ref().map(|d| d.as_str()), Some("1912-06-23"));
    assert_eq!(echoed.at.as_ref().map(|t| t.as_str()), Some("23:59:01"));
    assert_eq!(echoed.blob.as_ref().map(|b| b.as_str()), Some("AP9ieXRlcw=="));
    assert_eq!(echoed.pair, Some((9, "nine".to_string())));
    assert_eq!(echoed, record);
}

#[test]
fn the_spec_example_parses_in_every_format() {
    // FastAPI's output: `+00:00` and fractional seconds; a date before 1970.
    let example = json!({"id": UPPER, "created": "2026-11-28T05:00:00.123456+00:00", "day": "1969-07-20",
        "at": "05:00:00Z", "blob": "aGVsbG8=", "count": 3, "pair": [1, "one"],
        "span": ["2026-11-28T05:00:00Z", "2026-11-28T06:00:00+01:00"]});
    let record: Record = serde_json::from_value(example.clone()).expect("decodes");
    for (field, valid) in [
        ("id", record.id.is_valid()),
        ("created", record.created.is_valid()),
        ("day", record.day.as_ref().is_some_and(|d| d.is_valid())),
        ("at", record.at.as_ref().is_some_and(|t| t.is_valid())),
        ("blob", record.blob.as_ref().is_some_and(|b| b.is_valid())),
    ] {
        assert!(valid, "{field} parses");
    }
    assert_eq!(record.created.get().map(|t| t.timestamp_subsec_micros()), Some(123_456));
    let (from, to) = record.span.as_ref().expect("a span");
    assert_eq!(from.get(), to.get(), "the same instant at two offsets");
    assert!(
        serde_json::from_value::<Record>(json!({"id": UPPER, "created": "x", "pair": [1]})).is_err(),
        "a short tuple"
    );
    assert_eq!(serde_json::to_value(&record).expect("encodes"), example, "round trip");
}
