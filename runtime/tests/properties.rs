//! Property tests over the runtime's parsers: what a server or a caller can
//! put in front of them is accepted or rejected, never a panic, and the
//! parts that must agree do (events split anywhere, values written and read
//! back, multipart parts kept apart).

use openapi_gen_runtime::sse::{Parser, RawEvent};
use openapi_gen_runtime::{retry_after, Base64, Date, DateTime, FilePart, Multipart, Time, Uuid};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::{Duration, SystemTime};

/// Every event the parser gives for `text` fed in pieces cut at `cuts`.
fn parse_in_pieces(text: &[u8], cuts: &[usize]) -> Vec<RawEvent> {
    let mut p = Parser::default();
    let mut events = Vec::new();
    let mut at = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (text.len() + 1)).collect();
    cuts.sort_unstable();
    for cut in cuts.into_iter().chain([text.len()]) {
        p.feed(&text[at..cut.max(at)]);
        at = cut.max(at);
        while let Some(e) = p.next_event() {
            events.push(e);
        }
    }
    events
}

/// Text without line breaks (a field's value).
fn value() -> impl Strategy<Value = String> {
    "[^\r\n]{0,24}"
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

/// An event: its name (if any) and data lines, with a line ending per line.
fn event() -> impl Strategy<Value = (Option<String>, Vec<(String, &'static str)>, &'static str)> {
    (proptest::option::of("[a-z.]{1,12}"), proptest::collection::vec((value(), line_end()), 1..4), line_end())
}

proptest! {
    // Failures print their minimal input; nothing is written into the tree.
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn events_split_at_any_boundaries_parse_as_the_whole(
        events in proptest::collection::vec(event(), 0..6),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (name, lines, end) in &events {
            if let Some(name) = name {
                text.push_str(&format!("event: {name}\n"));
            }
            for (line, eol) in lines {
                text.push_str(&format!("data: {line}{eol}"));
            }
            // A CR and then an LF would be one line end (CRLF), not two.
            text.push_str(if *end == "\n" && text.ends_with('\r') { "\r" } else { end });
            expected.push((name.clone(), lines.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join("\n")));
        }
        // The body ends with a line feed, so a last CR is not left waiting for one.
        text.push_str(": end\n");
        let whole = parse_in_pieces(text.as_bytes(), &[]);
        prop_assert_eq!(&parse_in_pieces(text.as_bytes(), &cuts), &whole);
        let got: Vec<(Option<String>, String)> = whole.into_iter().map(|e| (e.event, e.data)).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn any_bytes_in_any_pieces_never_panic_and_stay_within_the_limit(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let mut p = Parser::with_limit(256);
        let mut at = 0;
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        for cut in cuts.into_iter().chain([bytes.len()]) {
            p.feed(&bytes[at..cut.max(at)]);
            at = cut.max(at);
            while let Some(e) = p.next_event() {
                prop_assert!(e.data.len() <= 256 + 2048, "an event is bounded by what arrived");
            }
            if p.too_large().is_some() {
                break;
            }
        }
        let _ = p.finish();
    }

    #[test]
    fn retry_after_takes_any_header_without_a_panic(text in "\\PC{0,40}", ms in "\\PC{0,20}") {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&text) {
            headers.insert("retry-after", v);
        }
        if let Ok(v) = HeaderValue::from_str(&ms) {
            headers.insert("retry-after-ms", v);
        }
        let _ = retry_after(&headers, SystemTime::now());
    }

    #[test]
    fn retry_after_reads_seconds_huge_numbers_and_http_dates(secs in 0u64..100_000_000, ahead in 0u64..1_000_000, exp in 0i32..400) {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from(secs));
        prop_assert_eq!(retry_after(&headers, SystemTime::now()), Some(Duration::from_secs(secs)));
        headers.insert("retry-after", HeaderValue::from_str(&format!("1e{exp}")).expect("a header"));
        let _ = retry_after(&headers, SystemTime::now());
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let date = httpdate::fmt_http_date(now + Duration::from_secs(ahead));
        headers.insert("retry-after", HeaderValue::from_str(&date).expect("a header"));
        prop_assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(ahead)));
    }

    #[test]
    fn multipart_parts_stay_apart_whatever_their_names_and_bytes(
        parts in proptest::collection::vec(("\\PC{0,16}", "\\PC{0,16}", proptest::collection::vec(any::<u8>(), 0..256)), 1..5),
    ) {
        let mut form = Multipart::new();
        for (name, file_name, data) in &parts {
            form.file(name, &FilePart::new(data.clone()).file_name(file_name.clone()), None);
        }
        let (boundary, body) = form.to_bytes().expect("every part in memory");
        let delimiter = format!("--{boundary}").into_bytes();
        let pieces = split(&body, &delimiter);
        // Before the first delimiter nothing; after the last, `--\r\n`.
        prop_assert_eq!(pieces.len(), parts.len() + 2);
        prop_assert!(pieces[0].is_empty());
        prop_assert_eq!(pieces[pieces.len() - 1], &b"--\r\n"[..]);
        for (piece, (_, _, data)) in pieces[1..pieces.len() - 1].iter().zip(&parts) {
            let head_end = find(piece, b"\r\n\r\n").expect("a head");
            let head = &piece[2..head_end];
            // A name's CR or LF cannot start a header of its own.
            prop_assert_eq!(head.split(|b| *b == b'\n').count(), 2, "{}", String::from_utf8_lossy(head));
            prop_assert_eq!(&piece[head_end + 4..piece.len() - 2], &data[..]);
        }
    }

    #[test]
    fn formatted_values_keep_any_text_and_round_trip_valid_ones(
        text in "\\PC{0,40}",
        secs in -10_000_000_000i64..10_000_000_000,
        nanos in 0u32..1_000_000_000,
        offset_minutes in -1439i32..1439,
        id in any::<u128>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        prop_assert_eq!(DateTime::from_text(text.clone()).into_string(), text.clone());
        prop_assert_eq!(Date::from_text(text.clone()).into_string(), text.clone());
        prop_assert_eq!(Time::from_text(text.clone()).into_string(), text.clone());
        prop_assert_eq!(Uuid::from_text(text.clone()).into_string(), text.clone());
        prop_assert_eq!(Base64::from_text(text.clone()).into_string(), text);

        // RFC 3339 writes offsets in minutes.
        let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).expect("an offset");
        if let Some(utc) = chrono::DateTime::from_timestamp(secs, nanos) {
            let value = utc.with_timezone(&offset);
            let written = DateTime::from(value).into_string();
            prop_assert_eq!(DateTime::from_text(written).into_value(), Some(value));
        }
        let uuid = uuid::Uuid::from_u128(id);
        prop_assert_eq!(Uuid::from_text(Uuid::from(uuid).into_string()).into_value(), Some(uuid));
        prop_assert_eq!(Base64::from_text(Base64::from(bytes.clone()).into_string()).into_value(), Some(bytes));
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(haystack: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = haystack;
    while let Some(at) = find(rest, delimiter) {
        out.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    out.push(rest);
    out
}
