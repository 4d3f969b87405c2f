//! Waiting for a long job: an operation that reads a job's state (a batch, a
//! fine-tuning job) is sent again until the state is terminal.
//!
//! Generated code describes how an operation is polled ([`Polling`]: the
//! member holding the state and its terminal values, from the spec's
//! `x-polling` or the manifest); its builder's `.wait()` gives a [`Wait`].
//! Between polls the wait grows from `every` by half each time up to
//! `max_interval`, with ±20 % jitter; each poll is one call with the
//! client's retries and timeouts. A deadline ends the wait with
//! [`Error::Timeout`]. Dropping the future stops polling: nothing runs in the
//! background.

use crate::client::Failure;
use crate::error::{Error, ErrorBody};
use crate::request::Request;
use crate::response::{self, Response};
use crate::Client;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// How an operation is polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    /// The member of the response holding the state (`status`; a dotted
    /// path such as `job.status` for a nested one).
    pub status: &'static str,
    /// The states that end the wait.
    pub done: &'static [&'static str],
    /// Those of `done` that are failures (the wait still ends with the
    /// response; [`Waited::failed`] says which).
    pub failed: &'static [&'static str],
}

impl Polling {
    /// The state a response's JSON is in.
    pub fn state_of(&self, body: &Value) -> Option<String> {
        let found = self.status.split('.').try_fold(body, |v, key| v.get(key))?;
        match found {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// Called with each polled response and its state (a progress line, a
/// channel to another task).
type OnState<'a, T> = Box<dyn FnMut(&T, &str) + Send + 'a>;

/// Waiting for an operation's state to become terminal: `.await` it, after
/// setting how often to poll and for how long.
#[must_use = "nothing is polled until it is awaited"]
pub struct Wait<'a, T, E> {
    client: &'a Client,
    request: Request,
    how: Polling,
    every: Duration,
    max_interval: Duration,
    deadline: Option<Duration>,
    on_state: Option<OnState<'a, T>>,
    _types: PhantomData<fn() -> E>,
}

impl<'a, T, E> Wait<'a, T, E> {
    /// Poll `request` (sent again each time) as `how` says.
    pub fn new(client: &'a Client, request: Request, how: Polling) -> Self {
        Wait {
            client,
            request,
            how,
            every: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            deadline: None,
            on_state: None,
            _types: PhantomData,
        }
    }

    /// The first wait between polls (default 1 s); later ones grow by half.
    pub fn every(mut self, interval: Duration) -> Self {
        self.every = interval;
        self
    }

    /// The longest wait between polls (default 30 s).
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Give up after this long ([`Error::Timeout`]; default: never).
    pub fn deadline(mut self, after: Duration) -> Self {
        self.deadline = Some(after);
        self
    }

    /// Be shown each polled response and its state, the last one included.
    pub fn on_state(mut self, f: impl FnMut(&T, &str) + Send + 'a) -> Self {
        self.on_state = Some(Box::new(f));
        self
    }
}

impl<T, E> std::fmt::Debug for Wait<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait").field("how", &self.how).field("every", &self.every).finish_non_exhaustive()
    }
}

/// The response in a terminal state.
#[derive(Debug, Clone)]
pub struct Waited<T> {
    pub response: Response<T>,
    /// The terminal state.
    pub state: String,
    /// Whether the state is one the operation calls a failure.
    pub failed: bool,
    /// How many times it was polled.
    pub polls: u32,
}

impl<T> Waited<T> {
    /// The response body (the job in its terminal state).
    pub fn into_body(self) -> T {
        self.response.body
    }
}

impl<'a, T, E> IntoFuture for Wait<'a, T, E>
where
    T: DeserializeOwned + Send + 'a,
    E: ErrorBody + Send + 'a,
{
    type Output = Result<Waited<T>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl<'a, T, E> Wait<'a, T, E>
where
    T: DeserializeOwned + Send + 'a,
    E: ErrorBody + Send + 'a,
{
    async fn run(mut self) -> Result<Waited<T>, Error<E>> {
        let started = Instant::now();
        let mut interval = self.every;
        let mut polls = 0u32;
        loop {
            let request = self
                .request
                .try_clone()
                .ok_or_else(|| Error::InvalidRequest("a request with a one-shot body cannot be polled".into()))?;
            polls += 1;
            let (info, status, bytes) = self.client.fetch(request).await.map_err(Failure::typed)?;
            let value: Value = response::json_response(info.clone(), status, &bytes).map(|r| r.body)?;
            let state = self.how.state_of(&value);
            let body = T::deserialize(&value).map_err(|e| Error::Decode {
                status,
                message: e.to_string(),
                body_start: crate::error::preview(&String::from_utf8_lossy(&bytes)),
                info: info.clone(),
            })?;
            let shown = state.as_deref().unwrap_or("");
            crate::trace::poll(polls, shown);
            if let Some(on_state) = &mut self.on_state {
                on_state(&body, shown);
            }
            if let Some(state) = state.filter(|s| self.how.done.contains(&s.as_str())) {
                let failed = self.how.failed.contains(&state.as_str());
                let response = Response { status, headers: info.headers, attempts: info.attempts, body };
                return Ok(Waited { response, state, failed, polls });
            }
            let wait = jittered(interval);
            if let Some(deadline) = self.deadline {
                if started.elapsed() + wait > deadline {
                    return Err(Error::Timeout { after: deadline, attempts: polls });
                }
            }
            tokio::time::sleep(wait).await;
            interval = (interval + interval / 2).min(self.max_interval);
        }
    }
}

/// `d` within ±20 %.
fn jittered(d: Duration) -> Duration {
    let unit = (crate::retry::random_u64() % 1_000) as f64 / 1_000.0;
    d.mul_f64(0.8 + 0.4 * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_read_at_its_path() {
        let how = Polling { status: "job.status", done: &["done"], failed: &[] };
        assert_eq!(how.state_of(&serde_json::json!({"job": {"status": "running"}})).as_deref(), Some("running"));
        assert_eq!(how.state_of(&serde_json::json!({"job": {}})), None);
        let flat = Polling { status: "status", ..how };
        assert_eq!(flat.state_of(&serde_json::json!({"status": 3})).as_deref(), Some("3"));
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        for _ in 0..200 {
            let d = jittered(Duration::from_secs(10));
            assert!(d >= Duration::from_secs(8) && d <= Duration::from_secs(12), "{d:?}");
        }
    }
}
