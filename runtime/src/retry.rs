//! When and how long to wait before sending a request again.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// Retries with exponential backoff and jitter, as the best hand-written
/// SDKs do them: by default 2 retries, 0.5 s rising to at most 8 s, on
/// connection errors, timeouts, 408, 409, 429 and 5xx. A server's
/// `Retry-After` (seconds or an HTTP date), `retry-after-ms` and
/// `x-should-retry` are honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retries off).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each one after.
    pub initial_backoff: Duration,
    /// The longest computed wait.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one is not honoured
    /// and the computed backoff is used instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// The default policy with another number of retries.
    pub fn with_max_retries(max_retries: u32) -> Self {
        RetryPolicy { max_retries, ..RetryPolicy::default() }
    }

    /// The computed wait before retry number `retry` (0-based): exponential,
    /// capped, minus up to 25 % of jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let base = self.initial_backoff.saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX));
        let capped = base.min(self.max_backoff);
        let jitter = (random_u64() % 1000) as f64 / 1000.0 * 0.25;
        capped.mul_f64(1.0 - jitter)
    }

    /// The wait before retrying a response with this status and these headers,
    /// or `None` when it is not to be retried.
    pub(crate) fn retry_response(&self, retry: u32, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        let forced = headers.get("x-should-retry").and_then(|v| v.to_str().ok()).map(str::trim);
        let retry_it = match forced {
            Some("true") => true,
            Some("false") => false,
            _ => matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error(),
        };
        if !retry_it {
            return None;
        }
        Some(match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait <= self.max_retry_after => wait,
            _ => self.backoff(retry),
        })
    }
}

/// The wait a response asks for: `retry-after-ms`, then `Retry-After` in
/// seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        // Beyond what a Duration holds (1e300) is no wait to honour.
        if let Ok(wait) = Duration::try_from_secs_f64(ms / 1000.0) {
            return Some(wait);
        }
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number from the standard library's per-process seeded hasher.
pub(crate) fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let p = RetryPolicy::default();
        for _ in 0..50 {
            let first = p.backoff(0);
            assert!(first <= Duration::from_millis(500) && first >= Duration::from_millis(375), "{first:?}");
            let late = p.backoff(10);
            assert!(late <= Duration::from_secs(8) && late >= Duration::from_secs(6), "{late:?}");
        }
        assert!(p.backoff(2) > Duration::from_millis(1400));
        let _ = p.backoff(u32::MAX);
    }

    #[test]
    fn retry_after_in_seconds_milliseconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after(&headers(&[("retry-after", "3")]), now), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250"), ("retry-after", "3")]), now),
            Some(Duration::from_millis(250))
        );
        let date = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT")]);
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")]), now), None);
    }

    #[test]
    fn which_responses_are_retried() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 504] {
            assert!(p.retry_response(0, StatusCode::from_u16(code).unwrap(), &none).is_some(), "{code}");
        }
        for code in [400, 401, 403, 404, 422] {
            assert!(p.retry_response(0, StatusCode::from_u16(code).unwrap(), &none).is_none(), "{code}");
        }
        let no = headers(&[("x-should-retry", "false")]);
        assert!(p.retry_response(0, StatusCode::SERVICE_UNAVAILABLE, &no).is_none());
        let yes = headers(&[("x-should-retry", "true"), ("retry-after", "1")]);
        assert_eq!(p.retry_response(0, StatusCode::BAD_REQUEST, &yes), Some(Duration::from_secs(1)));
        let too_long = headers(&[("retry-after", "3600")]);
        assert!(p.retry_response(0, StatusCode::TOO_MANY_REQUESTS, &too_long).unwrap() <= Duration::from_millis(500));
    }
}
