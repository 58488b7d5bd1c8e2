//! The receiving side's metrics after a scripted workload, read from the
//! `metrics-util` debugging recorder.
#![cfg(feature = "metrics")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use feishu_events::crypto::{encrypt, signature};
use feishu_events::telemetry::*;
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatDisbandedV1, ChatUpdatedV1, EventV2};
use feishu_model::Secret;
use metrics::{SharedString, Unit};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::CompositeKey;

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
            let have: Vec<(String, String)> = key
                .labels()
                .map(|l| (l.key().to_owned(), l.value().to_owned()))
                .collect();
            let want: Vec<(String, String)> = labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
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

fn event(id: &str, event_type: &str, payload: &str) -> String {
    format!(
        r#"{{"schema": "2.0", "header": {{"event_id": "{id}", "event_type": "{event_type}",
        "create_time": "1608725989000", "token": "v-token", "app_id": "cli_1", "tenant_key": "t"}},
        "event": {payload}}}"#
    )
}

/// Encrypted and signed, as the platform sends it.
fn sealed(plain: &str) -> (Vec<(&'static str, String)>, String) {
    let key = Secret::new("encrypt-key");
    let body = format!(
        r#"{{"encrypt":"{}"}}"#,
        encrypt(&key, plain.as_bytes(), [7; 16])
    );
    let sig = signature("1700000000", "42", &key, body.as_bytes());
    let headers = vec![
        ("X-Lark-Request-Timestamp", "1700000000".to_owned()),
        ("X-Lark-Request-Nonce", "42".to_owned()),
        ("X-Lark-Signature", sig),
    ];
    (headers, body)
}

#[test]
fn received_duplicates_failures_answers_and_rejections_are_counted() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    metrics::with_local_recorder(&recorder, || {
        runtime.block_on(async {
            let dispatcher = Dispatcher::new(
                Webhook::new()
                    .encrypt_key("encrypt-key")
                    .verification_token("v-token"),
            )
            .on(|_: EventV2<ChatDisbandedV1>| async { Ok(()) })
            .on(|_: EventV2<ChatUpdatedV1>| async { Err("the chat store is down".into()) });
            let disbanded = event("e-1", "im.chat.disbanded_v1", r#"{"chat_id": "oc_1"}"#);
            let (headers, body) = sealed(&disbanded);
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                dispatcher.handle(&headers, body.as_bytes()).await.status,
                200
            );
            // The redelivery.
            assert_eq!(
                dispatcher.handle(&headers, body.as_bytes()).await.status,
                200
            );
            // A flipped byte: the signature check refuses it.
            let mut tampered = body.clone().into_bytes();
            tampered[15] ^= 1;
            assert_eq!(dispatcher.handle(&headers, &tampered).await.status, 401);
            // A failing handler.
            let updated = event("e-2", "im.chat.updated_v1", r#"{"chat_id": "oc_1"}"#);
            let (headers, body) = sealed(&updated);
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                dispatcher.handle(&headers, body.as_bytes()).await.status,
                500
            );
            // An event type with no handler: counted as `other`.
            let unknown = event("e-3", "custom.thing_v9", "{}");
            let (headers, body) = sealed(&unknown);
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                dispatcher.handle(&headers, body.as_bytes()).await.status,
                200
            );
        })
    });

    let snapshotter = &take(&snapshotter);
    let disbanded = [("event_type", "im.chat.disbanded_v1")];
    let updated = [("event_type", "im.chat.updated_v1")];
    assert_eq!(counter(snapshotter, EVENTS_RECEIVED_TOTAL, &disbanded), 2);
    assert_eq!(counter(snapshotter, EVENTS_RECEIVED_TOTAL, &updated), 1);
    assert_eq!(
        counter(
            snapshotter,
            EVENTS_RECEIVED_TOTAL,
            &[("event_type", "other")]
        ),
        1
    );
    assert_eq!(counter(snapshotter, EVENTS_DUPLICATES_TOTAL, &disbanded), 1);
    assert_eq!(counter(snapshotter, HANDLER_FAILURES_TOTAL, &updated), 1);
    assert!(value(snapshotter, HANDLER_FAILURES_TOTAL, &disbanded).is_none());
    match value(snapshotter, HANDLER_DURATION_SECONDS, &disbanded) {
        Some(DebugValue::Histogram(runs)) => assert_eq!(runs.len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        counter(snapshotter, REJECTED_TOTAL, &[("reason", "bad_signature")]),
        1
    );
    assert_eq!(counter(snapshotter, ANSWERS_TOTAL, &[("status", "200")]), 3);
    assert_eq!(counter(snapshotter, ANSWERS_TOTAL, &[("status", "500")]), 1);
    assert_eq!(counter(snapshotter, ANSWERS_TOTAL, &[("status", "401")]), 1);
}
