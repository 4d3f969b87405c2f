//! Redirects, followed by the runtime rather than by reqwest, so that no
//! credential leaves the origin it was set for.
//!
//! reqwest knows only `Authorization` and `Cookie` as credentials; a spec's
//! API key in a header such as `X-Vault-Key`, or in the query, would follow a
//! redirect anywhere, and its `Referer` would carry the query along. The
//! client's own `reqwest::Client` therefore follows no redirect and sends no
//! `Referer`; this module decides each hop:
//!
//! - within the origin of the base URL (scheme, host and port), a redirect
//!   is followed with every credential;
//! - to another origin, it is followed with none: no credential of any
//!   scheme, no header marked secret, no cookie, not in the URL; once a chain
//!   has left the origin, no later hop carries credentials, even back to it;
//! - a `307`/`308` keeps the method and body: to another origin it stops with
//!   [`Error::Redirect`](crate::Error::Redirect) rather than resend the body
//!   there, and a streamed body, which cannot be sent twice, stops it too;
//! - `303` (and `301`/`302` of a `POST`) becomes a `GET` without the body.

use reqwest::header::{HeaderMap, HeaderName, AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};

/// What the client does when a server answers `301`, `302`, `303`, `307`
/// or `308` with a `Location`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectPolicy {
    /// Follow up to `max` redirects: with credentials within the base URL's
    /// origin, without any to another (the default, with `max` 10).
    Follow { max: u32 },
    /// Follow up to `max` redirects within the base URL's origin; one to
    /// another origin is an [`Error::Redirect`](crate::Error::Redirect).
    SameOrigin { max: u32 },
    /// Follow none: every redirect is an [`Error::Redirect`](crate::Error::Redirect).
    Never,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy::Follow { max: 10 }
    }
}

/// One request of a redirect chain.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub method: Method,
    pub url: Url,
    /// The request's body is sent (a `303` drops it).
    pub body: bool,
    /// Credentials and secret headers are sent (only within the origin).
    pub credentials: bool,
}

/// What to do with a response.
#[derive(Debug)]
pub(crate) enum Next {
    /// Not a redirect to follow: the response is the answer.
    Answer,
    Follow(Hop),
    /// A redirect that is not followed: the target and why.
    Stop {
        location: String,
        reason: String,
    },
}

/// The next hop after `response_status` with `headers` answered `current`,
/// `hops` redirects into the chain; `origin` is where the credentials belong.
pub(crate) fn next(
    policy: RedirectPolicy,
    hops: u32,
    origin: &Url,
    current: &Hop,
    status: StatusCode,
    headers: &HeaderMap,
    replayable: bool,
) -> Next {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Next::Answer;
    }
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else { return Next::Answer };
    let stop = |reason: String| Next::Stop { location: location.to_string(), reason };
    let Ok(target) = current.url.join(location) else { return stop("its Location is not a URL".into()) };
    if !matches!(target.scheme(), "http" | "https") {
        return stop(format!("it leads to a {} URL, not HTTP", target.scheme()));
    }
    let max = match policy {
        RedirectPolicy::Never => return stop("the client follows no redirect (RedirectPolicy::Never)".into()),
        RedirectPolicy::Follow { max } | RedirectPolicy::SameOrigin { max } => max,
    };
    if hops >= max {
        return stop(format!("more than {max} redirects"));
    }
    let (method, body) = match status.as_u16() {
        303 if current.method != Method::HEAD => (Method::GET, false),
        301 | 302 if current.method == Method::POST => (Method::GET, false),
        _ => (current.method.clone(), current.body),
    };
    let same_origin = current.credentials && target.origin() == origin.origin();
    if !same_origin {
        if matches!(policy, RedirectPolicy::SameOrigin { .. }) {
            return stop("it leads to another origin, and the client follows redirects within its own only".into());
        }
        if body {
            return stop(format!("a {} would send the request body to another origin", status.as_u16()));
        }
    }
    if body && !replayable {
        return stop("the request body was streamed and cannot be sent again".into());
    }
    Next::Follow(Hop { method, url: target, body, credentials: same_origin })
}

/// The headers a hop to another origin carries: none marked sensitive (every
/// credential and secret header is), no cookie, no authorization of any kind.
pub(crate) fn without_credentials(headers: &HeaderMap) -> HeaderMap {
    let dropped: [HeaderName; 3] = [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE];
    headers
        .iter()
        .filter(|(name, value)| !value.is_sensitive() && !dropped.contains(name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// The query credentials added to a same-origin hop's URL where it lacks them.
pub(crate) fn with_query_credentials(mut url: Url, credentials: &[(String, String)]) -> Url {
    let missing: Vec<&(String, String)> =
        credentials.iter().filter(|(name, _)| !url.query_pairs().any(|(n, _)| n == name.as_str())).collect();
    if !missing.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in missing {
            pairs.append_pair(name, value);
        }
    }
    url
}

/// A URL as errors and traces show it: without its query, which can hold a key.
pub(crate) fn shown(location: &str) -> String {
    location.split(['?', '#']).next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn hop(method: Method, url: &str, body: bool) -> Hop {
        Hop { method, url: Url::parse(url).expect("a URL"), body, credentials: true }
    }

    fn located(to: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(to).expect("a header"));
        h
    }

    fn origin() -> Url {
        Url::parse("http://127.0.0.1:1000/v1").expect("a URL")
    }

    fn follow(status: u16, from: &Hop, to: &str) -> Next {
        let status = StatusCode::from_u16(status).expect("a status");
        next(RedirectPolicy::default(), 0, &origin(), from, status, &located(to), true)
    }

    #[test]
    fn within_the_origin_credentials_stay_and_relative_locations_resolve() {
        let Next::Follow(h) = follow(307, &hop(Method::POST, "http://127.0.0.1:1000/v1/a", true), "/v1/b?x=1") else {
            panic!("followed")
        };
        assert_eq!(
            (h.url.as_str(), h.method, h.body, h.credentials),
            ("http://127.0.0.1:1000/v1/b?x=1", Method::POST, true, true)
        );
    }

    #[test]
    fn another_port_scheme_or_host_is_another_origin() {
        for to in ["http://127.0.0.1:1001/x", "https://127.0.0.1:1000/x", "http://localhost:1000/x"] {
            let Next::Follow(h) = follow(302, &hop(Method::GET, "http://127.0.0.1:1000/v1/a", false), to) else {
                panic!("a GET is followed to {to}")
            };
            assert!(!h.credentials, "{to}");
        }
        let Next::Stop { reason, .. } =
            follow(308, &hop(Method::PUT, "http://127.0.0.1:1000/a", true), "http://127.0.0.1:1001/b")
        else {
            panic!("stopped")
        };
        assert!(reason.contains("308 would send the request body to another origin"), "{reason}");
    }

    #[test]
    fn see_other_and_a_moved_post_become_a_get_without_the_body() {
        let from = hop(Method::POST, "http://127.0.0.1:1000/a", true);
        for status in [301, 302, 303] {
            let Next::Follow(h) = follow(status, &from, "http://127.0.0.1:1001/b") else { panic!("{status} followed") };
            assert_eq!((h.method, h.body, h.credentials), (Method::GET, false, false), "{status}");
        }
        let Next::Follow(h) = follow(302, &hop(Method::PUT, "http://127.0.0.1:1000/a", true), "/b") else { panic!() };
        assert_eq!((h.method, h.body), (Method::PUT, true), "only a POST turns into a GET on 301 and 302");
    }

    #[test]
    fn once_a_chain_leaves_the_origin_it_never_carries_credentials_again() {
        let mut away = hop(Method::GET, "http://127.0.0.1:1001/a", false);
        away.credentials = false;
        let Next::Follow(h) = follow(302, &away, "http://127.0.0.1:1000/v1/back") else { panic!() };
        assert!(!h.credentials);
    }

    #[test]
    fn limits_policies_and_odd_locations_stop_with_a_reason() {
        let from = hop(Method::GET, "http://127.0.0.1:1000/a", false);
        let status = StatusCode::FOUND;
        let stopped = |policy, hops, to: &str, replayable| match next(
            policy,
            hops,
            &origin(),
            &from,
            status,
            &located(to),
            replayable,
        ) {
            Next::Stop { reason, .. } => reason,
            other => panic!("expected a stop, got {other:?}"),
        };
        assert!(stopped(RedirectPolicy::Follow { max: 3 }, 3, "/b", true).contains("more than 3 redirects"));
        assert!(stopped(RedirectPolicy::Never, 0, "/b", true).contains("RedirectPolicy::Never"));
        assert!(
            stopped(RedirectPolicy::SameOrigin { max: 5 }, 0, "http://127.0.0.1:9/b", true).contains("another origin")
        );
        assert!(stopped(RedirectPolicy::default(), 0, "file:///etc/passwd", true).contains("file URL"));
        let put = hop(Method::PUT, "http://127.0.0.1:1000/a", true);
        let streamed =
            next(RedirectPolicy::default(), 0, &origin(), &put, StatusCode::TEMPORARY_REDIRECT, &located("/b"), false);
        assert!(matches!(streamed, Next::Stop { reason, .. } if reason.contains("streamed")));
        let no_location = next(RedirectPolicy::default(), 0, &origin(), &from, status, &HeaderMap::new(), true);
        assert!(matches!(no_location, Next::Answer), "a 3xx without a Location is the answer");
        let ok = next(RedirectPolicy::default(), 0, &origin(), &from, StatusCode::OK, &located("/b"), true);
        assert!(matches!(ok, Next::Answer));
    }

    #[test]
    fn a_hop_elsewhere_drops_every_sensitive_header_and_cookies() {
        let mut h = HeaderMap::new();
        h.insert("user-agent", HeaderValue::from_static("t"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        h.insert(COOKIE, HeaderValue::from_static("a=b"));
        let mut key = HeaderValue::from_static("vault");
        key.set_sensitive(true);
        h.insert("x-vault-key", key);
        let kept = without_credentials(&h);
        assert_eq!(kept.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["user-agent"]);
    }

    #[test]
    fn query_credentials_are_added_back_within_the_origin_once() {
        let creds = [("api_key".to_string(), "k".to_string())];
        let url = with_query_credentials(Url::parse("http://h/b?x=1").expect("a URL"), &creds);
        assert_eq!(url.as_str(), "http://h/b?x=1&api_key=k");
        let again = with_query_credentials(url, &creds);
        assert_eq!(again.as_str(), "http://h/b?x=1&api_key=k");
        assert_eq!(shown("http://h/b?api_key=k#f"), "http://h/b");
    }
}
