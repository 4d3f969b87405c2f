//! `.wait()` on an operation that reads a job's state (`x-polling` in the
//! spec), against a local server whose job moves on each time it is read.

mod server;

use client_tests::types::JobStatus;
use client_tests::{Client, Error};
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn client(base: &str) -> Client {
    Client::with_base_url(base).expect("client").bearer_token("tok")
}

#[tokio::test]
async fn a_job_is_polled_through_its_states_until_it_completes() {
    let (base, seen) = server::start().await;
    let states = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&states);
    let done = client(&base)
        .get_job("ok")
        .wait()
        .every(Duration::from_millis(10))
        .on_state(move |job, state| record.lock().expect("lock").push((state.to_string(), job.polls)))
        .await
        .expect("completed");
    assert_eq!((done.state.as_str(), done.failed, done.polls), ("completed", false, 4));
    assert_eq!(done.response.body.status, JobStatus::Completed);
    let seen_states: Vec<String> = states.lock().expect("lock").iter().map(|(s, _)| s.clone()).collect();
    assert_eq!(seen_states, ["queued", "in_progress", "in_progress", "completed"]);
    assert_eq!(seen.attempts("job-ok"), 4, "polled no more than needed");
}

#[tokio::test]
async fn a_failed_job_ends_the_wait_as_a_failure() {
    let (base, _) = server::start().await;
    let done = client(&base).get_job("bad").wait().every(Duration::from_millis(10)).await.expect("ended");
    assert_eq!((done.state.as_str(), done.failed, done.polls), ("failed", true, 2));
    assert_eq!(done.into_body().status, JobStatus::Failed);
}

#[tokio::test]
async fn the_deadline_ends_a_wait_that_never_ends() {
    let (base, seen) = server::start().await;
    let started = std::time::Instant::now();
    let err = client(&base)
        .get_job("slow")
        .wait()
        .every(Duration::from_millis(20))
        .max_interval(Duration::from_millis(40))
        .deadline(Duration::from_millis(300))
        .await
        .expect_err("never terminal");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    let polls = seen.attempts("job-slow");
    assert!(polls >= 3 && err.attempts() == polls, "{polls} polls, {} reported", err.attempts());
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let (base, seen) = server::start().await;
    let c = client(&base);
    let wait = c.get_job("slow").wait().every(Duration::from_millis(20)).max_interval(Duration::from_millis(20));
    let cut = tokio::time::timeout(Duration::from_millis(150), wait.into_future()).await;
    assert!(cut.is_err(), "still waiting when dropped");
    let polls = seen.attempts("job-slow");
    assert!(polls >= 2, "{polls}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(seen.attempts("job-slow"), polls, "nothing polls after the future is dropped");
}
