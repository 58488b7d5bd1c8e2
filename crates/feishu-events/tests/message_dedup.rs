//! De-duplication of received messages: the same message delivered under
//! two event ids runs its handler once; other events are told apart by their
//! event id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{EventV2, MessageReactionCreatedV1, MessageReceiveV1};

fn hook() -> Webhook {
    Webhook::new().encrypt_key(KEY).verification_token(TOKEN)
}

fn request(plain: &str) -> (Vec<(String, String)>, String) {
    let body = sealed(KEY, plain);
    (signed(KEY, &body), body)
}

fn received(event_id: &str, message_id: &str, text: &str) -> String {
    let content = serde_json::to_string(&serde_json::json!({ "text": text })).unwrap();
    let event = serde_json::json!({
        "sender": {"sender_id": {"open_id": "ou_sender"}, "sender_type": "user", "tenant_key": "t1"},
        "message": {
            "message_id": message_id,
            "chat_id": "oc_42",
            "chat_type": "group",
            "message_type": "text",
            "content": content,
            "mentions": [{"key": "@_user_1", "id": {"open_id": "ou_bot"},
                          "mentioned_type": "bot", "name": "Ops", "tenant_key": "t1"}]
        }
    });
    v2(event_id, "im.message.receive_v1", TOKEN, &event.to_string())
}

fn reaction(event_id: &str, message_id: &str) -> String {
    let event = serde_json::json!({
        "message_id": message_id,
        "reaction_type": {"emoji_type": "SMILE"},
        "operator_type": "user",
        "user_id": {"open_id": "ou_sender"},
        "action_time": "1627641418803"
    });
    v2(
        event_id,
        "im.message.reaction.created_v1",
        TOKEN,
        &event.to_string(),
    )
}

async fn deliver(dispatcher: &Dispatcher, plain: &str) {
    let (headers, body) = request(plain);
    let answer = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"msg":"success"}"#)
    );
}

#[tokio::test]
async fn one_message_under_two_event_ids_runs_its_handler_once() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let dispatcher = Dispatcher::new(hook()).on(move |e: EventV2<MessageReceiveV1>| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push((
                e.header.event_id.clone(),
                e.event.message.message_id.to_string(),
                e.event.command_text().unwrap(),
            ));
            Ok(())
        }
    });

    deliver(
        &dispatcher,
        &received("ev-1", "om_1", "@_user_1 deploy api"),
    )
    .await;
    deliver(
        &dispatcher,
        &received("ev-2", "om_1", "@_user_1 deploy api"),
    )
    .await;
    assert_eq!(
        *seen.lock().unwrap(),
        [(
            "ev-1".to_owned(),
            "om_1".to_owned(),
            "deploy api".to_owned()
        )]
    );

    // Another message runs again, even under an event id seen before for a
    // different message.
    deliver(&dispatcher, &received("ev-3", "om_2", "@_user_1 status")).await;
    deliver(&dispatcher, &received("ev-3", "om_3", "@_user_1 logs")).await;
    let texts: Vec<String> = seen.lock().unwrap().iter().map(|s| s.2.clone()).collect();
    assert_eq!(texts, ["deploy api", "status", "logs"]);
}

#[tokio::test]
async fn other_events_are_told_apart_by_event_id() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let dispatcher = Dispatcher::new(hook()).on(move |e: EventV2<MessageReactionCreatedV1>| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(e.header.event_id.clone());
            Ok(())
        }
    });

    // Two reactions on one message are two events.
    deliver(&dispatcher, &reaction("ev-r1", "om_1")).await;
    deliver(&dispatcher, &reaction("ev-r2", "om_1")).await;
    // A redelivery of the first is dropped.
    deliver(&dispatcher, &reaction("ev-r1", "om_1")).await;
    assert_eq!(*seen.lock().unwrap(), ["ev-r1", "ev-r2"]);
}

#[tokio::test]
async fn a_message_id_does_not_shadow_an_event_id() {
    // A reaction whose event id equals a received message's id still runs.
    let count = Arc::new(Mutex::new(0));
    let (a, b) = (count.clone(), count.clone());
    let dispatcher = Dispatcher::new(hook())
        .on(move |_: EventV2<MessageReceiveV1>| {
            let a = a.clone();
            async move {
                *a.lock().unwrap() += 1;
                Ok(())
            }
        })
        .on(move |_: EventV2<MessageReactionCreatedV1>| {
            let b = b.clone();
            async move {
                *b.lock().unwrap() += 1;
                Ok(())
            }
        });
    deliver(&dispatcher, &received("ev-1", "om_same", "@_user_1 hi")).await;
    deliver(&dispatcher, &reaction("om_same", "om_same")).await;
    assert_eq!(*count.lock().unwrap(), 2);
}
