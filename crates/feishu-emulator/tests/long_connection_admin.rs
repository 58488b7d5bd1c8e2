//! Where events went, as the log tells it, and the long-connection fault
//! switches of the admin API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::AppId;
use feishu_emulator::{
    Action, DeliveryStatus, Emulator, EventRecord, IN_PROCESS_RECEIVER, NO_RECEIVER,
};
use futures::StreamExt;
use serde_json::{json, Value};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";

async fn admin(http: &reqwest::Client, base: &str, path: &str) -> (u16, Value) {
    let answer = http.post(format!("{base}{path}")).send().await.unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap())
}

/// Acknowledges every data frame with code 200; resolves to `true` when the
/// socket ends without a close frame, `false` on a close frame.
fn acknowledge_everything(
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> tokio::sync::oneshot::Receiver<bool> {
    use feishu_protocol::frame::{Frame, METHOD_DATA};
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (mut sink, mut stream) = socket.split();
    tokio::spawn(async move {
        let abrupt = loop {
            match stream.next().await {
                None | Some(Err(_)) => break true,
                Some(Ok(Message::Close(_))) => break false,
                Some(Ok(Message::Binary(bytes))) => {
                    let Ok(mut frame) = Frame::decode(&bytes) else {
                        continue;
                    };
                    if frame.method == METHOD_DATA {
                        frame.payload = Some(br#"{"code":200}"#.to_vec());
                        let _ = sink.send(Message::Binary(frame.encode().into())).await;
                    }
                }
                Some(Ok(_)) => {}
            }
        };
        let _ = tx.send(abrupt);
    });
    rx
}

/// Polls the log until the newest event of BOT has a long-connection
/// delivery whose status satisfies `check`.
async fn long_connection_status(
    http: &reqwest::Client,
    base: &str,
    check: impl Fn(&DeliveryStatus) -> bool,
) -> bool {
    for _ in 0..150 {
        let log = event_log(http, base).await;
        let newest = log.iter().rev().find(|r| r.app_id == BOT);
        if newest.is_some_and(|r| {
            r.deliveries
                .iter()
                .any(|d| d.receiver == "long-connection" && check(&d.status))
        }) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn events_nobody_receives_are_logged_as_not_delivered() {
    let (emulator, server) = serve(None).await;
    let http = reqwest::Client::new();
    // The long-connection delivery task runs (for HELPER), but BOT has
    // neither a callback URL nor a connection.
    long_connection_url(&http, &server.url(), HELPER, HELPER_SECRET).await;
    let emitted = emulator
        .act(Action::UserLeave {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap();
    assert!(!emitted.is_empty());
    let log = event_log(&http, &server.url()).await;
    let of_bot: Vec<&EventRecord> = log.iter().filter(|r| r.app_id == BOT).collect();
    assert!(!of_bot.is_empty());
    for record in &log {
        assert!(
            record
                .deliveries
                .iter()
                .all(|d| d.receiver != IN_PROCESS_RECEIVER),
            "{record:?}"
        );
    }
    for record in of_bot {
        assert_eq!(record.deliveries.len(), 1, "{record:?}");
        assert_eq!(record.deliveries[0].receiver, NO_RECEIVER);
        assert_eq!(
            record.deliveries[0].status,
            DeliveryStatus::NotDelivered {
                reason: "no receiver".into()
            }
        );
        assert_eq!(
            record.deliveries[0].status.to_string(),
            "not delivered: no receiver"
        );
    }
}

#[tokio::test]
async fn an_in_process_subscriber_is_still_logged() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let _rx = emulator.subscribe();
    let events = emulator
        .act(Action::UserLeave {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap();
    let id = events[0].body["header"]["event_id"].as_str().unwrap();
    let record = emulator.event_log().record_of(id).unwrap();
    assert_eq!(record.deliveries.len(), 1);
    assert_eq!(record.deliveries[0].receiver, IN_PROCESS_RECEIVER);
    assert_eq!(record.deliveries[0].status, DeliveryStatus::Delivered);
}

#[tokio::test]
async fn long_connections_are_silenced_and_closed_over_http() {
    let (emulator, server) = serve(None).await;
    let http = reqwest::Client::new();
    let base = server.url();
    let hub = emulator.long_connection();
    hub.update(|s| {
        s.delivery = feishu_emulator::DeliveryConfig::scaled(0.001);
        s.delivery.attempt_timeout = Duration::from_millis(200);
    });
    let url = long_connection_url(&http, &base, BOT, BOT_SECRET).await;
    let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .unwrap();
    let ended = acknowledge_everything(socket);
    let bot = AppId::from(BOT);
    for _ in 0..100 {
        if hub.connections_of(&bot) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(hub.connections_of(&bot), 1);

    // Answering: an event is acknowledged and logged as delivered.
    emulator
        .act(Action::UserLeave {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap();
    assert!(
        long_connection_status(&http, &base, |s| *s == DeliveryStatus::Delivered).await,
        "the event was not delivered on the answering connection"
    );

    // Another app's switch touches nothing of BOT.
    let (status, v) = admin(
        &http,
        &base,
        &format!("/_emulator/long_connection/{HELPER}/silence"),
    )
    .await;
    assert_eq!((status, v["code"].clone()), (200, json!(0)), "{v}");
    assert_eq!(v["data"]["connections"], 0);

    // Silenced: the connection stays, but nothing acknowledges events on it
    // (the socket reads nothing, so the test's client never answers either).
    let (status, v) = admin(
        &http,
        &base,
        &format!("/_emulator/long_connection/{BOT}/silence"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"], json!({"app_id": BOT, "connections": 1}));
    assert_eq!(hub.connections_of(&bot), 1);
    emulator
        .act(
            serde_json::from_value(json!({
                "action": "update_chat", "user": LI_SI, "chat": ANNOUNCEMENT_CHAT,
                "changes": {"name": "renamed"},
            }))
            .unwrap(),
        )
        .unwrap();
    let unanswered = long_connection_status(&http, &base, |s| {
        matches!(s, DeliveryStatus::Retrying { error, .. } | DeliveryStatus::Failed { error }
            if error.starts_with("no acknowledgement"))
    })
    .await;
    assert!(unanswered, "a silent connection acknowledged an event");

    // Closed: the socket ends without a close frame and the connection is gone.
    let (status, v) = admin(
        &http,
        &base,
        &format!("/_emulator/long_connection/{BOT}/close"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"], json!({"app_id": BOT, "connections": 1}));
    let end = tokio::time::timeout(Duration::from_secs(5), ended)
        .await
        .unwrap()
        .unwrap();
    assert!(end, "the connection was closed with a close frame");
    for _ in 0..100 {
        if hub.connections_of(&bot) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(hub.connections_of(&bot), 0);

    // An unknown app is refused, naming it.
    let (status, v) = admin(
        &http,
        &base,
        "/_emulator/long_connection/cli_0000000000000000/close",
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("cli_0000000000000000")
            || v.to_string().contains("cli_0000000000000000"),
        "{v}"
    );
}
