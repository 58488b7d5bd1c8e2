//! The dispatcher: typed handlers, once per event id, failures redelivered,
//! both modes, the fallback, app tickets; and the axum adapter over loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use feishu_events::{Dispatcher, Mode, Webhook};
use feishu_model::events::{
    AppTicket, ChatDisbandedV1, ChatMemberUserAddedV1, EventV1, EventV2, GroupEvent, P2pChatCreate,
};
use feishu_transport::MemoryTicketStore;

fn hook() -> Webhook {
    Webhook::new().encrypt_key(KEY).verification_token(TOKEN)
}

fn request(plain: &str) -> (Vec<(String, String)>, String) {
    let body = sealed(KEY, plain);
    (signed(KEY, &body), body)
}

fn added(event_id: &str) -> String {
    v2(
        event_id,
        "im.chat.member.user.added_v1",
        TOKEN,
        r#"{"chat_id":"oc_42","users":[{"name":"李四","tenant_key":"736588c9260f175e","user_id":{"open_id":"ou_1"}}]}"#,
    )
}

#[tokio::test]
async fn an_event_delivered_twice_runs_its_handler_once() {
    let chats = Arc::new(Mutex::new(Vec::new()));
    let seen = chats.clone();
    let dispatcher = Dispatcher::new(hook()).on(move |e: EventV2<ChatMemberUserAddedV1>| {
        let seen = seen.clone();
        async move {
            let name = e.event.users.unwrap()[0].name.clone().unwrap();
            seen.lock()
                .unwrap()
                .push((e.event.chat_id.to_string(), name));
            Ok(())
        }
    });
    let (headers, body) = request(&added("ev-dup"));
    for _ in 0..3 {
        let answer = dispatcher.handle(&headers, body.as_bytes()).await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, r#"{"msg":"success"}"#)
        );
    }
    assert_eq!(
        *chats.lock().unwrap(),
        [("oc_42".to_owned(), "李四".to_owned())]
    );
    // A different event id runs again.
    let (headers, body) = request(&added("ev-other"));
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(chats.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_failed_handler_answers_500_and_runs_again_on_redelivery() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let dispatcher = Dispatcher::new(hook()).on(move |_: EventV2<ChatDisbandedV1>| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                Err(std::io::Error::other("database down").into())
            } else {
                Ok(())
            }
        }
    });
    let (headers, body) = request(&v2(
        "ev-f",
        "im.chat.disbanded_v1",
        TOKEN,
        r#"{"chat_id":"oc_1"}"#,
    ));
    let first = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(first.status, 500);
    assert!(
        !first.body.contains("database down"),
        "handler errors are logged, not answered"
    );
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_redelivery_during_processing_is_answered_503() {
    let (release, wait) = tokio::sync::oneshot::channel::<()>();
    let wait = Arc::new(Mutex::new(Some(wait)));
    let dispatcher = Arc::new(
        Dispatcher::new(hook()).on(move |_: EventV2<ChatDisbandedV1>| {
            let wait = wait.lock().unwrap().take();
            async move {
                if let Some(wait) = wait {
                    let _ = wait.await;
                }
                Ok(())
            }
        }),
    );
    let (headers, body) = request(&v2(
        "ev-slow",
        "im.chat.disbanded_v1",
        TOKEN,
        r#"{"chat_id":"oc_1"}"#,
    ));
    let first = {
        let (dispatcher, headers, body) = (dispatcher.clone(), headers.clone(), body.clone());
        tokio::spawn(async move { dispatcher.handle(&headers, body.as_bytes()).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        503
    );
    release.send(()).unwrap();
    assert_eq!(first.await.unwrap().status, 200);
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
}

#[tokio::test]
async fn answer_then_process_answers_before_the_handler_finishes() {
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let dispatcher = Dispatcher::new(hook()).mode(Mode::AnswerThenProcess).on(
        move |e: EventV2<ChatDisbandedV1>| {
            let done_tx = done_tx.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                done_tx.send(e.event.chat_id.to_string()).unwrap();
                Ok(())
            }
        },
    );
    let (headers, body) = request(&v2(
        "ev-bg",
        "im.chat.disbanded_v1",
        TOKEN,
        r#"{"chat_id":"oc_bg"}"#,
    ));
    let answer = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(answer.status, 200);
    assert!(
        done_rx.try_recv().is_err(),
        "answered before the handler finished"
    );
    let chat = tokio::time::timeout(Duration::from_secs(5), done_rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(chat, "oc_bg");
    // The redelivery after completion is a duplicate.
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(done_rx.try_recv().is_err());
}

#[tokio::test]
async fn unknown_types_go_to_the_fallback_or_are_answered_200() {
    let unknown = v2(
        "ev-u",
        "contact.user.created_v3",
        TOKEN,
        r#"{"message":{}}"#,
    );
    let (headers, body) = request(&unknown);
    // No handler at all: 200.
    assert_eq!(
        Dispatcher::new(hook())
            .handle(&headers, body.as_bytes())
            .await
            .status,
        200
    );

    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let dispatcher = Dispatcher::new(hook()).fallback(move |event: GroupEvent| {
        let sink = sink.clone();
        async move {
            sink.lock().unwrap().push(event.event_type().to_owned());
            Ok(())
        }
    });
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(*got.lock().unwrap(), ["contact.user.created_v3"]);
}

#[tokio::test]
async fn v1_events_reach_typed_handlers_and_app_tickets_feed_the_store() {
    let store = MemoryTicketStore::default();
    let client = feishu_transport::Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(feishu_transport::AppCredentials::marketplace(
            "cli_a5f0d1c2b3e4f5a6",
            "s",
        ))
        .build()
        .unwrap();
    let p2p = Arc::new(Mutex::new(None));
    let slot = p2p.clone();
    let tickets = Arc::new(AtomicUsize::new(0));
    let ticket_calls = tickets.clone();
    let dispatcher = Dispatcher::new(hook())
        .app_ticket_store(store.clone())
        .client(client)
        .on(move |e: EventV1<P2pChatCreate>| {
            let slot = slot.clone();
            async move {
                *slot.lock().unwrap() = Some((e.uuid, e.event.chat_id.to_string()));
                Ok(())
            }
        })
        .on(move |e: EventV1<AppTicket>| {
            assert_eq!(e.event.app_ticket.expose(), "ticket-2");
            ticket_calls.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }
        });
    let p2p_body = format!(
        r#"{{"ts":"1502199207.7171419","uuid":"u-p2p","token":"{TOKEN}","type":"event_callback","event":{{"app_id":"cli_1","chat_id":"oc_p2p","tenant_key":"t","type":"p2p_chat_create"}}}}"#
    );
    let (headers, body) = request(&p2p_body);
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(
        *p2p.lock().unwrap(),
        Some(("u-p2p".to_owned(), "oc_p2p".to_owned()))
    );

    let ticket = format!(
        r#"{{"ts":"1502199207.7171419","uuid":"u-ticket","token":"{TOKEN}","type":"event_callback","event":{{"app_id":"cli_a5f0d1c2b3e4f5a6","app_ticket":"ticket-2","type":"app_ticket"}}}}"#
    );
    let (headers, body) = request(&ticket);
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    assert_eq!(store.get().unwrap().expose(), "ticket-2");
    assert_eq!(tickets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rejections_and_challenges_through_the_dispatcher() {
    let dispatcher = Dispatcher::new(hook());
    let challenge = sealed(
        KEY,
        &format!(r#"{{"challenge":"ch","token":"{TOKEN}","type":"url_verification"}}"#),
    );
    let answer = dispatcher
        .handle(&[] as &[(String, String)], challenge.as_bytes())
        .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"challenge":"ch"}"#)
    );
    let (headers, body) = request(&v2(
        "e",
        "im.chat.disbanded_v1",
        "bad",
        r#"{"chat_id":"oc_1"}"#,
    ));
    let answer = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&answer.body).unwrap()["error"],
        "wrong_token"
    );
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn axum_adapter_reads_raw_bytes_and_limits_the_body() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let dispatcher =
        Dispatcher::new(hook().max_body_bytes(2048)).on(move |_: EventV2<ChatDisbandedV1>| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }
        });
    let app = feishu_events::axum::router(Arc::new(dispatcher));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook/event", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();

    // Raw bytes with odd spacing: the signature covers them as sent.
    let plain = v2(
        "ev-ax",
        "im.chat.disbanded_v1",
        TOKEN,
        r#"{"chat_id":"oc_1"}"#,
    );
    let body = format!(
        "  {{ \"encrypt\" :  {} }}\n",
        serde_json::Value::from(
            sealed(KEY, &plain)
                .trim_start_matches(r#"{"encrypt":""#)
                .trim_end_matches("\"}"),
        )
    );
    let mut request = http.post(&url).body(body.clone());
    for (k, v) in signed(KEY, &body) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Oversized: 413 with a JSON error, before the handler.
    let big = format!(r#"{{"encrypt":"{}"}}"#, "A".repeat(4096));
    let mut request = http.post(&url).body(big.clone());
    for (k, v) in signed(KEY, &big) {
        request = request.header(k, v);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 413);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"], "body_too_large");

    // A flipped byte over HTTP: 401.
    let mut flipped = body.into_bytes();
    flipped[20] ^= 1;
    let mut request = http.post(&url).body(flipped.clone());
    for (k, v) in signed(KEY, std::str::from_utf8(&flipped).unwrap_or_default()) {
        if k == "X-Lark-Signature" {
            continue;
        }
        request = request.header(k, v);
    }
    let sig =
        feishu_events::crypto::signature(TS, NONCE, &feishu_model::Secret::new(KEY), b"original");
    let response = request
        .header("X-Lark-Signature", sig)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    assert_eq!(http.get(&url).send().await.unwrap().status(), 405);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    server.abort();
}

/// Counts handler starts and finishes; the first run of each event can be
/// made slow or panicking.
#[derive(Default, Clone)]
struct Runs {
    started: Arc<AtomicUsize>,
    finished: Arc<AtomicUsize>,
}

impl Runs {
    fn dispatcher(&self, first: fn(usize) -> Option<Duration>) -> Dispatcher {
        let runs = self.clone();
        Dispatcher::new(hook()).on(move |_: EventV2<ChatMemberUserAddedV1>| {
            let runs = runs.clone();
            async move {
                let n = runs.started.fetch_add(1, Ordering::SeqCst);
                match first(n) {
                    Some(slow) => tokio::time::sleep(slow).await,
                    None if n == 0 => panic!("the handler broke"),
                    None => {}
                }
                runs.finished.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        })
    }

    fn counts(&self) -> (usize, usize) {
        (
            self.started.load(Ordering::SeqCst),
            self.finished.load(Ordering::SeqCst),
        )
    }
}

/// The platform hangs up after 3 s: the handler's future is dropped.
async fn hung_up(dispatcher: &Dispatcher, headers: &[(String, String)], body: &str) {
    let answer = tokio::time::timeout(
        Duration::from_secs(3),
        dispatcher.handle(headers, body.as_bytes()),
    )
    .await;
    assert!(answer.is_err(), "answered before the hang-up: {answer:?}");
}

#[tokio::test(start_paused = true)]
async fn a_request_dropped_mid_handler_releases_its_claim() {
    let runs = Runs::default();
    // The first run takes 5 s, longer than the platform waits.
    let dispatcher = runs.dispatcher(|n| Some(Duration::from_secs(if n == 0 { 5 } else { 0 })));
    let (headers, body) = request(&added("ev-hangup"));
    hung_up(&dispatcher, &headers, &body).await;
    // The platform redelivers 15 s later: the handler runs again.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let answer = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(runs.counts(), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn in_a_task_a_handler_survives_the_hang_up_and_completes() {
    let runs = Runs::default();
    let dispatcher = runs
        .dispatcher(|n| Some(Duration::from_secs(if n == 0 { 5 } else { 0 })))
        .mode(Mode::ProcessInTask);
    let (headers, body) = request(&added("ev-task"));
    hung_up(&dispatcher, &headers, &body).await;
    tokio::time::sleep(Duration::from_secs(15)).await;
    // It finished after the hang-up; the redelivery is a duplicate.
    assert_eq!(runs.counts(), (1, 1));
    let answer = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(runs.counts(), (1, 1));
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_runs_again_on_redelivery() {
    for mode in [Mode::ProcessThenAnswer, Mode::ProcessInTask] {
        let runs = Runs::default();
        let dispatcher = runs.dispatcher(|_| None).mode(mode);
        let (headers, body) = request(&added("ev-panic"));
        let answer = dispatcher.handle(&headers, body.as_bytes()).await;
        assert_eq!(answer.status, 500, "{mode:?}: {answer:?}");
        let answer = dispatcher.handle(&headers, body.as_bytes()).await;
        assert_eq!(answer.status, 200, "{mode:?}: {answer:?}");
        assert_eq!(runs.counts(), (2, 1), "{mode:?}");
    }
}

#[tokio::test]
async fn answer_then_process_releases_the_claim_of_a_panicking_handler() {
    let runs = Runs::default();
    let dispatcher = runs.dispatcher(|_| None).mode(Mode::AnswerThenProcess);
    let (headers, body) = request(&added("ev-bg-panic"));
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        dispatcher.handle(&headers, body.as_bytes()).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(runs.counts(), (2, 1));
}

fn ticket(uuid: &str, ts: &str, value: &str) -> String {
    format!(
        r#"{{"ts":"{ts}","uuid":"{uuid}","token":"{TOKEN}","type":"event_callback","event":{{"app_id":"cli_a5f0d1c2b3e4f5a6","app_ticket":"{value}","type":"app_ticket"}}}}"#
    )
}

#[tokio::test]
async fn an_old_app_ticket_never_replaces_a_newer_one() {
    use feishu_transport::AppTicketStore;
    let store = Arc::new(MemoryTicketStore::new());
    let dispatcher = Dispatcher::new(hook()).app_ticket_store(store.clone());
    let stored = || async { store.get().await.unwrap().unwrap().expose().to_owned() };

    let (h_old, old) = request(&ticket("u-old", "1700000000.25", "ticket-old"));
    let (h_new, new) = request(&ticket("u-new", "1700003600.5", "ticket-new"));
    assert_eq!(dispatcher.handle(&h_old, old.as_bytes()).await.status, 200);
    assert_eq!(stored().await, "ticket-old");
    assert_eq!(dispatcher.handle(&h_new, new.as_bytes()).await.status, 200);
    assert_eq!(stored().await, "ticket-new");
    // A redelivery of the old ticket, and an old ticket under a new id
    // (a replay), are both answered 200 and change nothing.
    assert_eq!(dispatcher.handle(&h_old, old.as_bytes()).await.status, 200);
    let (h_replay, replay) = request(&ticket("u-replay", "1700000000.25", "ticket-old"));
    assert_eq!(
        dispatcher.handle(&h_replay, replay.as_bytes()).await.status,
        200
    );
    assert_eq!(stored().await, "ticket-new");
    // The next hourly ticket replaces it.
    let (h_next, next) = request(&ticket("u-next", "1700007200.0", "ticket-next"));
    assert_eq!(
        dispatcher.handle(&h_next, next.as_bytes()).await.status,
        200
    );
    assert_eq!(stored().await, "ticket-next");
}
