//! `.paginate()` and `.pages()` against a real server, for each convention
//! the generator detects, and the two ways paging stops with an error.

mod server;

use client_tests::types::{Entry, ListByCursorMode};
use client_tests::{Client, Error};

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token("tok-bearer")
}

fn ids(entries: &[Entry]) -> Vec<String> {
    entries.iter().map(|e| e.id.clone()).collect()
}

fn all() -> Vec<String> {
    (0..10).map(|i| format!("e{i}")).collect()
}

#[tokio::test]
async fn github_link_headers_are_followed_to_the_last_page() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut items = c.list_by_link().per_page(3).paginate();
    let mut got = Vec::new();
    while let Some(entry) = items.next().await {
        got.push(entry.expect("an entry"));
    }
    assert_eq!(ids(&got), all());
    let mut pages = c.list_by_link().per_page(4).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        assert_eq!(page.status.as_u16(), 200);
        sizes.push(page.body.len());
    }
    assert_eq!(sizes, [4, 4, 2]);
}

#[tokio::test]
async fn page_numbers_count_up_until_a_page_has_no_items_or_fewer_than_asked() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut pages = c.list_by_page().pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("a page").body.entries.map_or(0, |e| e.len()));
    }
    assert_eq!(sizes, [3, 3, 3, 1, 0], "without a page size asked, only an empty page ends the list");
    let mut pages = c.list_by_page().per_page(5).page(2).pages();
    let mut got = Vec::new();
    while let Some(page) = pages.next().await {
        got.extend(page.expect("a page").body.entries.unwrap_or_default());
    }
    assert_eq!(ids(&got), all()[5..], "from the page asked for; the short page ends it");
}

#[tokio::test]
async fn a_timestamp_cursor_is_sent_back_from_the_last_item_as_rfc_3339() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut pages = c.list_by_time().limit(3).pages();
    let mut got = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page: each cursor_time parsed as RFC 3339 by the server");
        sizes.push(page.body.data.len());
        got.extend(page.body.data.into_iter().map(|e| e.id));
    }
    assert_eq!(got, all());
    assert_eq!(sizes, [3, 3, 3, 1], "the short page ends the list");
    let mut items = c.list_by_time().paginate();
    let mut got = Vec::new();
    while let Some(entry) = items.next().await {
        got.push(entry.expect("an entry").id);
    }
    assert_eq!(got, all(), "without a page size asked, an empty page ends the list");
}

#[tokio::test]
async fn next_links_in_the_body_are_followed() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let mut items = c.list_by_next_link().paginate();
    let mut got = Vec::new();
    while let Some(entry) = items.next().await {
        got.push(entry.expect("an entry"));
    }
    assert_eq!(ids(&got), all());
}

#[tokio::test]
async fn cursors_page_through_and_misbehaving_servers_end_with_an_error_not_a_loop() {
    let (base, _) = server::start().await;
    let c = client(&base);
    let stream = c.list_by_cursor().limit(3).paginate().into_stream();
    let got: Vec<Entry> = futures_util::StreamExt::collect::<Vec<_>>(stream)
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("every entry");
    assert_eq!(ids(&got), all());

    let mut items = c.list_by_cursor().mode(&ListByCursorMode::Empty).paginate();
    let mut got = Vec::new();
    let err = loop {
        match items.next().await.expect("an error before the end") {
            Ok(entry) => got.push(entry),
            Err(e) => break e,
        }
    };
    assert_eq!(ids(&got), all()[..4]);
    assert!(matches!(err, Error::Pagination(_)), "{err:?}");
    assert!(err.to_string().contains("a page with no items says there are more"), "{err}");
    assert!(items.next().await.is_none(), "nothing after the error");

    let mut items = c.list_by_cursor().mode(&ListByCursorMode::Repeat).paginate();
    let mut count = 0;
    let err = loop {
        match items.next().await.expect("an error before the end") {
            Ok(_) => count += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(count, 8, "two pages, the second the same as the first");
    assert!(err.to_string().contains("repeats one already fetched (after=e3)"), "{err}");
}
