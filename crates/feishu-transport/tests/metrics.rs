//! The client's metrics after a scripted workload, read from the
//! `metrics-util` debugging recorder.
#![cfg(feature = "metrics")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{get_thing, self_built_client, thing_body, token_body};
use feishu_transport::http::Response;
use feishu_transport::telemetry::*;
use feishu_transport::{RetryPolicy, ScriptedTransport};
use metrics::{SharedString, Unit};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::CompositeKey;

/// A metric's value by name and labels (in any order).
/// One snapshot of every metric (taking one drains the histograms).
type Taken = Vec<(CompositeKey, Option<Unit>, Option<SharedString>, DebugValue)>;

fn take(snapshotter: &Snapshotter) -> Taken {
    snapshotter.snapshot().into_vec()
}

fn value<'a>(snapshot: &'a Taken, name: &str, labels: &[(&str, &str)]) -> Option<&'a DebugValue> {
    snapshot
        .iter()
        .find(|(key, _, _, _)| {
            let key = key.key();
            let mut have: Vec<(String, String)> = key
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            have.sort();
            let mut want: Vec<(String, String)> = labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            want.sort();
            key.name() == name && have == want
        })
        .map(|(_, _, _, value)| value)
}

fn counter(snapshotter: &Taken, name: &str, labels: &[(&str, &str)]) -> u64 {
    match value(snapshotter, name, labels) {
        Some(DebugValue::Counter(n)) => *n,
        other => panic!("{name} {labels:?}: {other:?}"),
    }
}

fn samples(snapshotter: &Taken, name: &str, labels: &[(&str, &str)]) -> Vec<f64> {
    match value(snapshotter, name, labels) {
        Some(DebugValue::Histogram(values)) => values.iter().map(|v| v.into_inner()).collect(),
        other => panic!("{name} {labels:?}: {other:?}"),
    }
}

fn with_logid(status: u16, log_id: &str, body: &serde_json::Value) -> Response<bytes::Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-tt-logid", log_id)
        .header("x-ogw-ratelimit-reset", "2")
        .body(bytes::Bytes::from(body.to_string()))
        .unwrap()
}

#[test]
fn a_scripted_workload_shows_in_the_counters_and_histograms() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let error = metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let t = Arc::new(ScriptedTransport::new());
            t.push_json(200, &token_body("t-1", 7200));
            // A transient failure, then success: one retry.
            t.push_json(503, &serde_json::json!({"message": "unavailable"}));
            t.push_json(200, &thing_body("a"));
            // A rate limit answer (reset in 2 s), then success.
            t.push(with_logid(
                429,
                "L-429",
                &serde_json::json!({"code": 99991400, "msg": "request trigger frequency limit"}),
            ));
            t.push_json(200, &thing_body("b"));
            // A Feishu error that no retry fixes.
            t.push(with_logid(
                400,
                "L-400",
                &serde_json::json!({"code": 232006, "msg": "bad chat id"}),
            ));
            let client = self_built_client(t.clone())
                .rate_limiting(true)
                .retry_policy(RetryPolicy {
                    base_delay: Duration::from_millis(10),
                    ..RetryPolicy::default()
                })
                .build()
                .unwrap();
            assert_eq!(client.call(get_thing("1")).await.unwrap().name, "a");
            assert_eq!(client.call(get_thing("2")).await.unwrap().name, "b");
            client.call(get_thing("3")).await.unwrap_err()
        })
    });
    assert_eq!(error.code(), Some(232006));

    let snapshotter = &take(&snapshotter);
    let op = ("operation", "test.v1.thing.get");
    assert_eq!(
        counter(snapshotter, REQUESTS_TOTAL, &[op, ("outcome", "ok")]),
        2
    );
    assert_eq!(
        counter(snapshotter, REQUESTS_TOTAL, &[op, ("outcome", "api")]),
        1
    );
    assert_eq!(counter(snapshotter, ATTEMPTS_TOTAL, &[op]), 5);
    assert_eq!(
        counter(snapshotter, RETRIES_TOTAL, &[op, ("reason", "http")]),
        1
    );
    assert_eq!(
        counter(
            snapshotter,
            RETRIES_TOTAL,
            &[op, ("reason", "rate_limited")]
        ),
        1
    );
    assert_eq!(
        counter(
            snapshotter,
            ERRORS_TOTAL,
            &[op, ("kind", "http"), ("code", "none")]
        ),
        1
    );
    assert_eq!(
        counter(
            snapshotter,
            ERRORS_TOTAL,
            &[op, ("kind", "rate_limited"), ("code", "99991400")]
        ),
        1
    );
    assert_eq!(
        counter(
            snapshotter,
            ERRORS_TOTAL,
            &[op, ("kind", "api"), ("code", "232006")]
        ),
        1
    );
    assert_eq!(
        counter(
            snapshotter,
            TOKEN_FETCHES_TOTAL,
            &[("token_type", "tenant_access_token"), ("outcome", "ok")]
        ),
        1
    );
    assert_eq!(
        samples(snapshotter, REQUEST_DURATION_SECONDS, &[op]).len(),
        3
    );
    assert_eq!(
        samples(snapshotter, ATTEMPT_DURATION_SECONDS, &[op]).len(),
        5
    );
    // One limiter wait per attempt (the retry's backoff already covered
    // the reset the 429 asked for, so the limiter let it through at once).
    let waits = samples(snapshotter, RATE_LIMIT_WAIT_SECONDS, &[op]);
    assert_eq!(waits.len(), 5);
    assert!(waits.iter().all(|w| *w < 0.5), "{waits:?}");
    // The second call took the rate limit's wait.
    let calls = samples(snapshotter, REQUEST_DURATION_SECONDS, &[op]);
    assert!(calls[1] >= 2.0 && calls[0] < 1.0, "{calls:?}");
}

#[test]
fn every_failure_with_a_log_id_shows_it() {
    let t = Arc::new(ScriptedTransport::new());
    t.push(with_logid(
        400,
        "20261204-abc",
        &serde_json::json!({"code": 232006, "msg": "bad chat id"}),
    ));
    t.push(with_logid(
        502,
        "20261204-def",
        &serde_json::json!({"oops": 1}),
    ));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let client = common::static_client(t.clone())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let (api, http) = runtime.block_on(async {
        (
            client.call(get_thing("1")).await.unwrap_err(),
            client.call(get_thing("2")).await.unwrap_err(),
        )
    });
    assert!(api.to_string().contains("x-tt-logid 20261204-abc"), "{api}");
    assert!(
        http.to_string().contains("x-tt-logid 20261204-def"),
        "{http}"
    );
}
