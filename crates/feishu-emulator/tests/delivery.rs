//! Deliveries as the platform makes them: the challenge first, encrypted and
//! signed bodies for an app with an Encrypt Key, retries on the (scaled)
//! schedule, refusal of URLs that failed the challenge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::events::GroupEvent;
use feishu_emulator::feishu_model::im::members::AddMembers;
use feishu_emulator::feishu_model::MemberIdType;
use feishu_emulator::feishu_model::Secret;
use feishu_emulator::{
    AttemptReport, AttemptStatus, DeliveryConfig, DeliveryStatus, Emulator, Fixture,
};
use feishu_protocol::crypto;
use feishu_protocol::headers::{NONCE, SIGNATURE, TIMESTAMP};

const KEY: &str = "emulator-encrypt-key";

/// What a receiver makes of one delivery, checked as a receiver must: the
/// signature when present, the decryption, the Verification Token.
enum Opened {
    Challenge(String),
    Event(GroupEvent),
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn open(headers: &[(String, String)], body: &[u8]) -> Result<Opened, String> {
    let key = Secret::new(KEY);
    if let Some(sig) = header(headers, SIGNATURE) {
        let ts = header(headers, TIMESTAMP).ok_or("no timestamp")?;
        let nonce = header(headers, NONCE).ok_or("no nonce")?;
        if !crypto::verify(ts, nonce, &key, body, sig) {
            return Err("bad signature".into());
        }
    }
    let outer: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let sealed = outer["encrypt"].as_str().ok_or("not encrypted")?;
    let plain = crypto::decrypt(&key, sealed).map_err(|e| e.to_string())?;
    let inner: serde_json::Value = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
    if inner["type"] == "url_verification" {
        if inner["token"] != "v-ops-bot-token" {
            return Err("wrong token".into());
        }
        return Ok(Opened::Challenge(
            inner["challenge"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    if header(headers, SIGNATURE).is_none() {
        return Err("an unsigned event".into());
    }
    let event = feishu_emulator::feishu_model::events::decode(&plain).map_err(|e| e.to_string())?;
    if event.verification_token() != Some("v-ops-bot-token") {
        return Err("wrong token".into());
    }
    Ok(Opened::Event(event))
}

type Seen = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// A receiver recording every request; it answers the challenge when
/// `answer_challenge`, and `statuses` (then 200) to events.
async fn receiver(answer_challenge: bool, statuses: Vec<u16>) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let statuses = Arc::new(Mutex::new(statuses.into_iter()));
    let record = seen.clone();
    let app = axum::Router::new().fallback(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let record = record.clone();
            let statuses = statuses.clone();
            async move {
                let pairs: Vec<(String, String)> = headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                    .collect();
                record.lock().unwrap().push((pairs.clone(), body.to_vec()));
                match open(&pairs, &body) {
                    Ok(Opened::Challenge(challenge)) if answer_challenge => (
                        axum::http::StatusCode::OK,
                        serde_json::json!({ "challenge": challenge }).to_string(),
                    ),
                    Ok(Opened::Challenge(_)) => (axum::http::StatusCode::OK, "{}".to_owned()),
                    Ok(_) => {
                        let status = statuses.lock().unwrap().next().unwrap_or(200);
                        (
                            axum::http::StatusCode::from_u16(status).unwrap(),
                            "{}".to_owned(),
                        )
                    }
                    Err(e) => (axum::http::StatusCode::BAD_REQUEST, e),
                }
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feishu/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn emulator(url: &str) -> Emulator {
    let mut fixture = Fixture::default_seed().unwrap();
    let bot = app_seed(&mut fixture, BOT);
    bot.encrypt_key = Some(KEY.into());
    bot.event_callback_url = Some(url.to_owned());
    Emulator::from_fixture(fixture).unwrap()
}

type Reports = Arc<Mutex<Vec<AttemptReport>>>;

fn start(emulator: &Emulator) -> Reports {
    start_scaled(emulator, 0.001)
}

fn start_scaled(emulator: &Emulator, scale: f64) -> Reports {
    let reports: Reports = Arc::default();
    let sink = reports.clone();
    emulator.deliver_events_with(
        None,
        DeliveryConfig::scaled(scale),
        Arc::new(move |r: &AttemptReport| sink.lock().unwrap().push(r.clone())),
    );
    reports
}

async fn add_member(emulator: &Emulator) {
    emulator
        .client()
        .unwrap()
        .call(AddMembers::new(MAIN_CHAT, ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
}

async fn wait_for(reports: &Reports, n: usize) -> Vec<AttemptReport> {
    for _ in 0..500 {
        if reports.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    reports.lock().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_signed_delivery_after_an_encrypted_challenge() {
    let (url, seen) = receiver(true, vec![]).await;
    let emulator = emulator(&url);
    let reports = start(&emulator);
    add_member(&emulator).await;
    let reports = wait_for(&reports, 1).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(
        (reports[0].attempt, reports[0].status),
        (1, AttemptStatus::Delivered)
    );
    assert_eq!(reports[0].event_type, "im.chat.member.user.added_v1");

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the challenge, then the event");
    // The challenge: encrypted, with no X-Lark headers.
    let (headers, body) = &seen[0];
    assert!(headers.iter().all(|(k, _)| !k.starts_with("x-lark")));
    let outer: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert!(outer["encrypt"].is_string());
    // The event: encrypted and signed over the exact bytes.
    let (headers, body) = &seen[1];
    for name in [
        "x-lark-request-timestamp",
        "x-lark-request-nonce",
        "x-lark-signature",
    ] {
        assert!(headers.iter().any(|(k, _)| k == name), "{name}");
    }
    let Opened::Event(event) = open(headers, body).unwrap() else {
        panic!()
    };
    let GroupEvent::UserAdded(added) = event else {
        panic!()
    };
    assert_eq!(added.header.event_id.as_str(), reports[0].event_id.as_str());
    assert_eq!(added.event.chat_id.as_str(), MAIN_CHAT);
    assert_eq!(added.header.app_id.as_str(), BOT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_pushes_are_retried_on_the_scaled_schedule() {
    let (url, seen) = receiver(true, vec![500, 503]).await;
    let emulator = emulator(&url);
    let reports = start(&emulator);
    add_member(&emulator).await;
    let reports = wait_for(&reports, 3).await;
    let summary: Vec<_> = reports
        .iter()
        .map(|r| (r.attempt, r.status, r.http_status))
        .collect();
    assert_eq!(
        summary,
        [
            (1, AttemptStatus::Retrying, Some(500)),
            (2, AttemptStatus::Retrying, Some(503)),
            (3, AttemptStatus::Delivered, Some(200)),
        ]
    );
    assert!(reports[0].next_attempt_ms.is_some() && reports[2].next_attempt_ms.is_none());
    assert!(reports.iter().all(|r| r.event_id == reports[0].event_id));
    assert_eq!(seen.lock().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_that_always_fails_stops_after_four_retries() {
    let (url, _seen) = receiver(true, vec![500; 10]).await;
    let emulator = emulator(&url);
    // 1.5 + 30 + 360 + 2160 ms.
    let reports = start_scaled(&emulator, 0.0001);
    add_member(&emulator).await;
    let reports = wait_for(&reports, 5).await;
    let summary: Vec<_> = reports.iter().map(|r| (r.attempt, r.status)).collect();
    assert_eq!(
        summary,
        [
            (1, AttemptStatus::Retrying),
            (2, AttemptStatus::Retrying),
            (3, AttemptStatus::Retrying),
            (4, AttemptStatus::Retrying),
            (5, AttemptStatus::Failed),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_that_failed_the_challenge_gets_nothing() {
    let (url, seen) = receiver(false, vec![]).await;
    let emulator = emulator(&url);
    let reports = start(&emulator);
    add_member(&emulator).await;
    let reports = wait_for(&reports, 1).await;
    // Attempts are numbered from 1 everywhere, refused ones included.
    assert_eq!(
        (reports[0].attempt, reports[0].status),
        (1, AttemptStatus::Refused)
    );
    let why = "the challenge answer does not echo the challenge";
    assert_eq!(reports[0].error.as_deref(), Some(why));
    // The log names the actual reason, once, with the same attempt count.
    let record = emulator
        .event_log()
        .record_of(&reports[0].event_id)
        .unwrap();
    let delivery = &record.deliveries[0];
    assert_eq!(delivery.attempts, reports[0].attempt);
    assert_eq!(
        delivery.status,
        DeliveryStatus::Failed {
            error: format!("refused: the URL failed the url_verification challenge: {why}")
        }
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(seen.lock().unwrap().len(), 1, "only the challenge was sent");
}

#[test]
fn event_ids_differ_between_emulators_of_the_same_fixture() {
    let ids = |emulator: &Emulator| {
        let mut rx = emulator.subscribe();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(add_member(emulator));
        let event = rx.try_recv().unwrap();
        event.event.header().unwrap().event_id.clone()
    };
    let a = ids(&Emulator::with_default_fixture().unwrap());
    let b = ids(&Emulator::with_default_fixture().unwrap());
    assert_eq!(a.len(), 32);
    assert_ne!(a, b);
}
