//! Every page of a list operation, fetched when the caller reaches it.
//!
//! Generated code describes how an operation pages ([`Pagination`]); this
//! module sends the first request as built, reads each page once as JSON
//! (the typed page and its items both come from it), and derives the next
//! request from the page: a cursor, token or page number in the query, or a
//! link in the body or the `Link` header. Each page is one call with the
//! client's retries and timeouts. A page that says there is more but gives
//! no way to get it, and a next page that repeats one already fetched, end
//! with an error: never a loop.

use crate::client::Failure;
use crate::error::{Error, ErrorBody};
use crate::request::Request;
use crate::response::{self, Response};
use crate::{Client, QueryStyle};
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{HashSet, VecDeque};
use std::marker::PhantomData;

/// The types a [`Pages`] reads, without owning any (so it is `Send` whatever they are).
type Types<P, I, E> = fn() -> (P, I, E);

/// How an operation pages: where its items are and how the next page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// The member of the page holding the items; empty when the page is the array.
    pub items: &'static str,
    pub next: NextPage,
}

/// How the next page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextPage {
    /// A cursor in the query parameter `param`: the page's member `from`
    /// (OpenAI's `last_id`), or else the last item's member `item_key`
    /// (its `id`). The page's boolean `has_more`, when named, says whether
    /// there is a next page; without it, a page with no items is the last.
    Cursor { param: &'static str, from: &'static str, item_key: &'static str, has_more: &'static str },
    /// A token from the page's member `from` in the query parameter `param`;
    /// no token (absent, null or empty) is the last page.
    Token { param: &'static str, from: &'static str },
    /// The URL of the next page in the page's member `from` (`nextLink`,
    /// `@odata.nextLink`, `next`); none is the last page.
    Link { from: &'static str },
    /// The `Link: <..>; rel="next"` response header (GitHub); none is the last page.
    LinkHeader,
    /// A timestamp cursor in `param`: the last item's `item_key` (its
    /// creation time), sent as the server wrote it when a string, and as
    /// RFC 3339 UTC (`2026-05-06T12:00:00Z`) when Unix seconds. A page with
    /// no items, or fewer than the page size in `size`, is the last.
    Time { param: &'static str, item_key: &'static str, size: &'static str },
    /// A page number in `param`, from the one asked (1 by default); a page
    /// with no items, or fewer than the page size in `size`, is the last.
    Page { param: &'static str, size: &'static str },
    /// An item offset in `param`, advanced by the items received; a page with
    /// no items, or fewer than the page size in `size`, is the last.
    Offset { param: &'static str, size: &'static str },
}

/// The pages of a list operation: `P` is a page, `I` an item, `E` the
/// operation's documented errors. [`Pages::next`] fetches the next page;
/// [`Pages::items`] turns it into every item across pages.
pub struct Pages<'a, P, I, E> {
    client: &'a Client,
    next: Option<Request>,
    how: Pagination,
    seen: HashSet<String>,
    /// Why paging cannot go on, reported by the call after the last good page.
    failed: Option<String>,
    _types: PhantomData<Types<P, I, E>>,
}

impl<P, I, E> std::fmt::Debug for Pages<'_, P, I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("how", &self.how).field("done", &self.next.is_none()).finish_non_exhaustive()
    }
}

/// One page read: the typed page and its items.
struct Page<P, I> {
    page: Response<P>,
    items: Vec<I>,
}

impl<'a, P: DeserializeOwned, I: DeserializeOwned, E: ErrorBody> Pages<'a, P, I, E> {
    /// The pages of `request`, which asks for the first.
    pub fn new(client: &'a Client, request: Request, how: Pagination) -> Self {
        Pages { client, next: Some(request), how, seen: HashSet::new(), failed: None, _types: PhantomData }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Response<P>, Error<E>>> {
        Some(self.next_page().await?.map(|p| p.page))
    }

    /// Every item across the pages, fetching the next page only when the
    /// caller reaches it.
    pub fn items(self) -> Items<'a, P, I, E> {
        Items { pages: self, buffered: VecDeque::new() }
    }

    async fn next_page(&mut self) -> Option<Result<Page<P, I>, Error<E>>> {
        if let Some(message) = self.failed.take() {
            return Some(Err(Error::Pagination(message)));
        }
        let request = self.next.take()?;
        let following = match request.try_clone() {
            Some(r) => r,
            None => return Some(Err(Error::InvalidRequest("a request with a streamed body cannot page".into()))),
        };
        let (info, status, bytes) = match self.client.fetch(request).await {
            Ok(read) => read,
            Err(e) => return Some(Err(Failure::typed(e))),
        };
        let decoded: Result<Value, Error<E>> = response::json_response(info.clone(), status, &bytes).map(|r| r.body);
        let value = match decoded {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
        let decode = |e: serde_json::Error| Error::Decode {
            status,
            message: e.to_string(),
            body_start: crate::error::preview(&String::from_utf8_lossy(&bytes)),
            info: info.clone(),
        };
        let page = match P::deserialize(&value) {
            Ok(p) => p,
            Err(e) => return Some(Err(decode(e))),
        };
        let raw_items = if self.how.items.is_empty() { Some(&value) } else { value.get(self.how.items) };
        let items: Vec<I> = match raw_items {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => match Vec::<I>::deserialize(v) {
                Ok(items) => items,
                Err(e) => return Some(Err(decode(e))),
            },
        };
        let count = raw_items.and_then(Value::as_array).map_or(0, Vec::len);
        match self.following(following, &value, &info.headers, count) {
            Ok(next) => self.next = next,
            Err(message) => {
                // The page is good; the error comes with the call after it.
                self.next = None;
                self.failed = Some(message);
            }
        }
        Some(Ok(Page { page: response::wrap(info, status, page), items }))
    }
}

impl<P, I, E> Pages<'_, P, I, E> {
    /// The request for the page after `page` (sent as `request`), `None`
    /// after the last, or why paging cannot go on.
    fn following(
        &mut self,
        mut request: Request,
        page: &Value,
        headers: &HeaderMap,
        count: usize,
    ) -> Result<Option<Request>, String> {
        let key = match self.how.next {
            NextPage::Cursor { param, from, item_key, has_more } => {
                let more = match has_more {
                    "" => count > 0,
                    member => page.get(member).and_then(Value::as_bool).unwrap_or(false),
                };
                if !more {
                    return Ok(None);
                }
                if count == 0 {
                    return Err("a page with no items says there are more".to_string());
                }
                let cursor = text(page.get(from)).or_else(|| text(self.last_item(page, item_key)));
                let Some(cursor) = cursor else {
                    return Err(format!("the page says there are more, but gives no cursor for `{param}`"));
                };
                request.query(param, &cursor, QueryStyle::FormExplode);
                format!("{param}={cursor}")
            }
            NextPage::Token { param, from } => {
                let Some(token) = text(page.get(from)) else { return Ok(None) };
                request.query(param, &token, QueryStyle::FormExplode);
                format!("{param}={token}")
            }
            NextPage::Link { from } => {
                let Some(link) = text(page.get(from)) else { return Ok(None) };
                request.follow(&link_path(self.client.base_url(), &link)?);
                link
            }
            NextPage::LinkHeader => {
                let Some(link) = next_link(headers) else { return Ok(None) };
                request.follow(&link_path(self.client.base_url(), &link)?);
                link
            }
            NextPage::Time { param, item_key, size } => {
                if short_page(&request, size, count) {
                    return Ok(None);
                }
                let Some(cursor) = self.last_item(page, item_key).and_then(timestamp) else {
                    return Err(format!("the last item has no time in `{item_key}` to send as `{param}`"));
                };
                request.query(param, &cursor, QueryStyle::FormExplode);
                format!("{param}={cursor}")
            }
            NextPage::Page { param, size } | NextPage::Offset { param, size } => {
                if short_page(&request, size, count) {
                    return Ok(None);
                }
                let current = request.query_value(param).and_then(|s| s.parse::<u64>().ok());
                let next = match self.how.next {
                    NextPage::Page { .. } => current.unwrap_or(1) + 1,
                    _ => current.unwrap_or(0) + count as u64,
                };
                request.query(param, &next, QueryStyle::FormExplode);
                format!("{param}={next}")
            }
        };
        if count == 0 {
            return Err(format!("a page with no items points to another page ({key})"));
        }
        if !self.seen.insert(key.clone()) {
            return Err(format!("the next page repeats one already fetched ({key})"));
        }
        Ok(Some(request))
    }
}

impl<P, I, E> Pages<'_, P, I, E> {
    /// The member `key` of the page's last item.
    fn last_item<'v>(&self, page: &'v Value, key: &str) -> Option<&'v Value> {
        let items = if self.how.items.is_empty() { Some(page) } else { page.get(self.how.items) };
        items.and_then(Value::as_array).and_then(|a| a.last()).and_then(|i| i.get(key))
    }
}

/// A page with no items, or fewer than the page size `request` asked for in
/// the query parameter `size`: the last.
fn short_page(request: &Request, size: &str, count: usize) -> bool {
    let asked = request.query_value(size).and_then(|s| s.parse::<usize>().ok());
    count == 0 || asked.is_some_and(|size| count < size)
}

/// A timestamp as a query value: a non-empty string as it is, Unix seconds
/// as RFC 3339 UTC.
fn timestamp(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => {
            let time = chrono::DateTime::from_timestamp(n.as_i64()?, 0)?;
            Some(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        }
        _ => None,
    }
}

/// A member's value as query text: a non-empty string, or a number.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `rel="next"` target of a `Link` header.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).find_map(
        |part| {
            let (target, params) = part.split_once(';')?;
            let rel_next = params.split(';').any(|p| {
                let p = p.trim();
                p.strip_prefix("rel=").is_some_and(|r| r.trim_matches('"').split_whitespace().any(|r| r == "next"))
            });
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            rel_next.then(|| target.to_string())
        },
    )
}

/// The path and query of `link` under the client's base URL. A link to
/// another host or outside the base path is refused: the client's
/// credentials go only where its base URL points.
fn link_path(base: &str, link: &str) -> Result<String, String> {
    let base = base.trim_end_matches('/');
    let (origin, base_path) = match base.find("://").map(|i| i + 3) {
        Some(start) => match base[start..].find('/') {
            Some(slash) => base.split_at(start + slash),
            None => (base, ""),
        },
        None => ("", base),
    };
    let path = if link.starts_with('/') {
        link
    } else if let Some(rest) = link.strip_prefix(origin).filter(|r| r.is_empty() || r.starts_with(['/', '?'])) {
        rest
    } else {
        return Err(format!("the next page's link {link:?} is not under the client's base URL"));
    };
    match path.strip_prefix(base_path) {
        Some(rest) if base_path.is_empty() || rest.is_empty() || rest.starts_with(['/', '?']) => Ok(rest.to_string()),
        _ => Err(format!("the next page's link {link:?} is not under the client's base URL")),
    }
}

/// Every item across the pages of a list operation.
pub struct Items<'a, P, I, E> {
    pages: Pages<'a, P, I, E>,
    buffered: VecDeque<I>,
}

impl<P, I, E> std::fmt::Debug for Items<'_, P, I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffered.len()).finish()
    }
}

impl<'a, P: DeserializeOwned, I: DeserializeOwned, E: ErrorBody> Items<'a, P, I, E> {
    /// The next item, fetching the next page when this one is used up;
    /// `None` after the last.
    pub async fn next(&mut self) -> Option<Result<I, Error<E>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next_page().await? {
                Ok(page) => self.buffered.extend(page.items),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The items as a `futures` stream.
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<I, Error<E>>> + 'a
    where
        P: 'a,
        I: 'a,
        E: 'a,
    {
        futures_util::stream::unfold(self, |mut items| async move { items.next().await.map(|i| (i, items)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_read_from_the_link_header() {
        let mut headers = HeaderMap::new();
        let link = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        headers.insert(reqwest::header::LINK, link.parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("https://api.github.com/repositories/1/issues?page=2"));
        headers.insert(reqwest::header::LINK, r#"<https://x/a?page=1>; rel="prev""#.parse().unwrap());
        assert_eq!(next_link(&headers), None);
    }

    #[test]
    fn links_must_stay_under_the_base_url() {
        assert_eq!(link_path("https://api.github.com", "https://api.github.com/r/1?page=2").unwrap(), "/r/1?page=2");
        assert_eq!(
            link_path("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/files?after=a").unwrap(),
            "/files?after=a"
        );
        assert_eq!(link_path("http://127.0.0.1:8080/v1", "/v1/files?after=a").unwrap(), "/files?after=a");
        assert!(link_path("https://api.github.com", "https://evil.example/r?page=2").is_err());
        assert!(link_path("https://api.github.com", "https://api.github.com.evil.example/r").is_err());
        assert!(link_path("http://h/v1", "http://h/v2/files").is_err());
        assert!(link_path("http://h/v1", "http://h/v10/files").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn any_link_header_is_read_without_a_panic(text in "\\PC{0,80}") {
            let mut headers = HeaderMap::new();
            if let Ok(v) = reqwest::header::HeaderValue::from_str(&text) {
                headers.insert(reqwest::header::LINK, v);
            }
            let _ = next_link(&headers);
            let _ = link_path("https://api.example.com/v1", &text);
        }

        #[test]
        fn the_next_link_is_found_among_any_others(
            paths in proptest::collection::vec("[a-z0-9/?=&]{0,20}", 0..5),
            next in "[a-z0-9/?=&]{0,20}",
            at in 0usize..6,
        ) {
            let mut links: Vec<String> =
                paths.iter().map(|p| format!("<https://h/{p}>; rel=\"last\"")).collect();
            links.insert(at.min(links.len()), format!("<https://h/{next}>; rel=\"next\""));
            let mut headers = HeaderMap::new();
            headers.insert(reqwest::header::LINK, links.join(", ").parse().expect("a header"));
            proptest::prop_assert_eq!(next_link(&headers), Some(format!("https://h/{next}")));
        }
    }
}
