//! The admin API under `/_emulator/`: state, actions, the event log with
//! delivery status per receiver, and redelivery.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::post;
use common::*;
use feishu_emulator::{DeliveryStatus, Emulator, EventRecord, Snapshot, IN_PROCESS_RECEIVER};
use serde_json::{json, Value};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";

/// A callback receiver that answers `status` and keeps the event ids it got.
async fn receiver(status: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/events",
        post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let v: Value = serde_json::from_slice(&body).unwrap();
                if v["type"] == "url_verification" {
                    let answer = serde_json::json!({"challenge": v["challenge"]}).to_string();
                    return (axum::http::StatusCode::OK, answer);
                }
                seen.lock()
                    .unwrap()
                    .push(v["header"]["event_id"].as_str().unwrap().to_owned());
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    String::new(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

/// Polls the log until `check` holds (delivery runs in the background).
async fn wait_for(
    http: &reqwest::Client,
    base: &str,
    check: impl Fn(&[EventRecord]) -> bool,
) -> Vec<EventRecord> {
    for _ in 0..100 {
        let log = event_log(http, base).await;
        if check(&log) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the event log never reached the expected state");
}

#[tokio::test]
async fn state_actions_and_the_event_log_over_http() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let (url, got) = receiver(200).await;
    let _delivery = emulator.deliver_events(Some(url.clone()));
    let _subscriber = emulator.subscribe();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let base = server.url();
    let http = reqwest::Client::new();

    let state = fetch_json(http.get(format!("{base}/_emulator/state"))).await;
    let state: Snapshot = serde_json::from_value(state["data"].clone()).unwrap();
    assert_eq!(state.tenants.len(), 2);
    let main = state
        .chats
        .iter()
        .find(|c| c.chat_id == ANNOUNCEMENT_CHAT)
        .unwrap();
    assert_eq!(main.owner.id, LI_SI);
    assert_eq!(main.members.len(), 3);

    let answer = http
        .post(format!("{base}/_emulator/actions"))
        .json(&json!({"action": "user_leave", "user": WANG_WU, "chat": ANNOUNCEMENT_CHAT}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let v: Value = answer.json().await.unwrap();
    assert_eq!(v["data"]["action"], "user_leave");
    let event = &v["data"]["events"][0];
    assert_eq!(
        event["header"]["event_type"],
        "im.chat.member.user.deleted_v1"
    );
    let event_id = event["header"]["event_id"].as_str().unwrap().to_owned();
    assert_eq!(
        emulator
            .snapshot()
            .chats
            .iter()
            .find(|c| c.chat_id == ANNOUNCEMENT_CHAT)
            .unwrap()
            .members
            .len(),
        2
    );

    let log = wait_for(&http, &base, |log| {
        log.last().is_some_and(|r| r.deliveries.len() == 2)
    })
    .await;
    let record = log.last().unwrap();
    assert_eq!(record.event_id, event_id);
    assert_eq!(record.event_type, "im.chat.member.user.deleted_v1");
    assert_eq!(record.app_id, BOT);
    let receivers: Vec<(&str, &DeliveryStatus, u32)> = record
        .deliveries
        .iter()
        .map(|d| (d.receiver.as_str(), &d.status, d.attempts))
        .collect();
    assert!(receivers.contains(&(IN_PROCESS_RECEIVER, &DeliveryStatus::Delivered, 1)));
    assert!(receivers.contains(&(url.as_str(), &DeliveryStatus::Delivered, 1)));
    assert_eq!(*got.lock().unwrap(), vec![event_id.clone()]);

    // Redelivery: the same event id again, to every receiver.
    let v = fetch_json(http.post(format!("{base}/_emulator/events/{event_id}/redeliver"))).await;
    assert_eq!(v["code"], 0);
    wait_for(&http, &base, |log| {
        log.last()
            .is_some_and(|r| r.deliveries.iter().all(|d| d.attempts == 2))
    })
    .await;
    assert_eq!(*got.lock().unwrap(), vec![event_id.clone(), event_id]);

    // Refusals answer the documented error body.
    let answer = http
        .post(format!("{base}/_emulator/actions"))
        .json(&json!({"action": "user_leave", "user": LI_SI, "chat": ANNOUNCEMENT_CHAT}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let v: Value = answer.json().await.unwrap();
    assert_eq!(v["code"], 232076);
    assert_eq!(v["msg"], "Can't kick chat owner.");
    let answer = http
        .post(format!("{base}/_emulator/actions"))
        .body("{\"action\": \"fly\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let v: Value = answer.json().await.unwrap();
    assert_eq!(v["code"], 232001);
    let answer = http
        .post(format!("{base}/_emulator/events/nope/redeliver"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);

    // The page and its assets are served from the binary.
    let page = http
        .get(format!("{base}/_emulator/ui"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(page.text().await.unwrap().contains("/_emulator/ui/app.js"));
    let script = http
        .get(format!("{base}/_emulator/ui/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    // The API prefix is untouched: an unknown /open-apis/ path is still the
    // documented 404.
    let v = fetch_json(http.get(format!("{base}/open-apis/nothing"))).await;
    assert_ne!(v["code"], 0);
}

#[tokio::test]
async fn a_failing_callback_is_logged_as_retrying() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let (url, got) = receiver(500).await;
    let _delivery = emulator.deliver_events(Some(url.clone()));
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let http = reqwest::Client::new();
    emulator
        .act(feishu_emulator::Action::UserJoin {
            user: WANG_WU.into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap();
    let log = wait_for(&http, &server.url(), |log| {
        log.last().is_some_and(|r| !r.deliveries.is_empty())
    })
    .await;
    let record = log.last().unwrap();
    // No in-process subscriber here: only the callback is a receiver.
    assert_eq!(record.deliveries.len(), 1);
    assert_eq!(record.deliveries[0].receiver, url);
    // A 500 is retried on the documented schedule: 15 s later first.
    match &record.deliveries[0].status {
        DeliveryStatus::Retrying {
            next_attempt_ms,
            error,
        } => {
            assert!(error.contains("500"), "{error}");
            assert!(*next_attempt_ms > 0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(got.lock().unwrap().len(), 1);
}

#[test]
fn any_delivery_path_records_retries() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let events = emulator
        .act(feishu_emulator::Action::UserJoin {
            user: WANG_WU.into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap();
    let id = events[0].body["header"]["event_id"].as_str().unwrap();
    let log = emulator.event_log();
    let retrying = DeliveryStatus::Retrying {
        next_attempt_ms: 1_700_000_015_000,
        error: "connection refused".into(),
    };
    assert!(log.record_attempt(id, "http://127.0.0.1:9/cb", retrying.clone()));
    assert!(!log.record_attempt("unknown", "x", DeliveryStatus::Delivered));
    let record = log.record_of(id).unwrap();
    assert_eq!(record.deliveries[0].status, retrying);
    let json = serde_json::to_value(&record.deliveries[0]).unwrap();
    assert_eq!(json["status"], "retrying");
    assert_eq!(json["next_attempt_ms"], 1_700_000_015_000_i64);
    assert!(log.record_attempt(id, "http://127.0.0.1:9/cb", DeliveryStatus::Delivered));
    let record = log.record_of(id).unwrap();
    assert_eq!(record.deliveries[0].attempts, 2);
    assert_eq!(record.deliveries[0].status, DeliveryStatus::Delivered);
}
