//! Replying straight from a received message event (against the emulator,
//! in process) and updating a card from its card action.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use feishu_emulator::Emulator;
use feishu_message::{Message, ReceivedMessage};
use feishu_model::card::Card;
use feishu_model::events::{decode, CardAction, EventV2, GroupEvent, MessageReceiveV1};
use feishu_model::im::content::{ReceivedContent, Text};
use feishu_transport::{Client, ScriptedTransport};
use serde_json::json;

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";

/// The `im.message.receive_v1` event the platform would send for
/// `message_id` in `CHAT`.
fn received(message_id: &str) -> EventV2<MessageReceiveV1> {
    let body = json!({
        "schema": "2.0",
        "header": {"event_id": "e-1", "event_type": "im.message.receive_v1",
                   "create_time": "1608725989000", "token": "v", "app_id": "cli_a3e157960e7294c0",
                   "tenant_key": "736588c9260f175e"},
        "event": {"sender": {"sender_type": "user"}, "message": {
            "message_id": message_id, "chat_id": CHAT, "chat_type": "group",
            "message_type": "text", "content": "{\"text\":\"status?\"}"}}
    });
    match decode(&serde_json::to_vec(&body).unwrap()).unwrap() {
        GroupEvent::MessageReceived(e) => *e,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_reply_to_a_received_message_event_lands_under_that_message() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let message = Message::new(&emulator.client().unwrap());
    let messages = message.messages();
    let original = messages
        .send_to_chat(CHAT, Text::new().push("status?"))
        .await
        .unwrap();
    let original_id = original.message_id.clone().unwrap();
    let event = received(original_id.as_str());

    // From the envelope, from the payload, from its message: one call.
    let reply = messages
        .reply_to(&event, Text::new().push("all green"))
        .await
        .unwrap();
    assert_eq!(reply.parent_id.as_ref(), Some(&original_id));
    assert_eq!(reply.root_id.as_ref(), Some(&original_id));
    assert_eq!(reply.chat_id.as_ref().map(|c| c.as_str()), Some(CHAT));
    assert_eq!(reply.thread_id, None);
    let Some(Ok(ReceivedContent::Text(text))) = reply.received_content() else {
        panic!("{reply:?}")
    };
    assert_eq!(text.text, "all green");

    let from_payload = messages
        .reply_to(&event.event, Text::new().push("again"))
        .await
        .unwrap();
    assert_eq!(from_payload.parent_id.as_ref(), Some(&original_id));

    // In a thread.
    let threaded = messages
        .reply_to(&event.event.message, Text::new().push("in thread"))
        .reply_in_thread(true)
        .await
        .unwrap();
    assert_eq!(threaded.parent_id.as_ref(), Some(&original_id));
    assert!(threaded.thread_id.is_some(), "{threaded:?}");

    // The same call as `reply(message_id, ..)`.
    let call = messages.reply_to(&event, Text::new().push("x"));
    let plain = messages.reply(original_id.clone(), Text::new().push("x"));
    assert_eq!(call.endpoint().path, plain.endpoint().path);
    assert_eq!(call.endpoint().body.content, plain.endpoint().body.content);
}

#[tokio::test]
async fn a_reply_to_a_message_that_does_not_exist_is_the_platform_error() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let messages = Message::new(&emulator.client().unwrap()).messages();
    let event = received("om_dc13264520392913993dd051dba21dcf");
    let err = messages
        .reply_to(&event, Text::new().push("hello"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230001), "{err:?}");
}

#[tokio::test]
async fn a_card_action_updates_its_card_with_its_token() {
    let transport = Arc::new(ScriptedTransport::new());
    transport.push_json(200, &json!({"code": 0, "msg": "ok"}));
    transport.push_json(200, &json!({"code": 0, "msg": "ok"}));
    let client = Client::builder()
        .static_tenant_token("t-1")
        .transport(transport.clone())
        .build()
        .unwrap();
    let cards = Message::new(&client).cards();
    let body = json!({"schema": "2.0", "header": {"event_id": "f798", "token": "v",
        "create_time": "1603977298000000", "event_type": "card.action.trigger",
        "tenant_key": "t", "app_id": "cli_1"},
        "event": {"token": "c-295ee57216a5dc9de90fefd0aadb4b1d7d", "action": {"tag": "button"},
                  "context": {"open_message_id": "om_1", "open_chat_id": "oc_1"}}});
    let GroupEvent::CardAction(action) = decode(&serde_json::to_vec(&body).unwrap()).unwrap()
    else {
        panic!("expected a card action")
    };
    let action: EventV2<CardAction> = *action;
    let card = Card::new().markdown("**INC-7** resolved");
    cards
        .update_from_action(&action, card.clone())
        .await
        .unwrap();
    cards
        .update_from_action(&action.event, card.clone())
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.path(), "/open-apis/interactive/v1/card/update");
        assert_eq!(
            request.json().unwrap(),
            json!({"token": "c-295ee57216a5dc9de90fefd0aadb4b1d7d", "card": card.to_value().unwrap()})
        );
    }
}
