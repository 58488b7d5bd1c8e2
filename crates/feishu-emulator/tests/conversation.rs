//! The emulator plays the people in conversations: users send messages
//! (with mentions), react, read and recall, over Rust, the admin API and
//! fixture scripts. Card clicks are in `card_clicks.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::events::GroupEvent;
use feishu_emulator::feishu_model::AppId;
use feishu_emulator::{Action, EmittedEvent, Emulator, Fixture};
use serde_json::{json, Value};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";
const OPS_BOT_OPEN_ID: &str = "ou_1c14bf04c4b3c259593b8139f4e8586a";
/// A user of the main tenant outside the main chat.
const OUTSIDER: &str = "ou_7ed9de056a25ce5d4d7759d9dd3cc1b2";
/// A plain member of the main chat who may speak there.
const MEMBER_01: &str = "ou_44d2f618b28451c78921b81dc70fe3ff";

fn send(user: &str, chat: &str, text: &str) -> Action {
    Action::UserSendsMessage {
        user: user.into(),
        chat: chat.into(),
        text: text.into(),
    }
}

fn only(events: &[EmittedEvent], event_type: &str) -> Vec<EmittedEvent> {
    events
        .iter()
        .filter(|e| e.event_type() == event_type)
        .cloned()
        .collect()
}

/// `user` opens the one-to-one chat with BOT; the chat id.
fn open_p2p_with_bot(emulator: &Emulator, user: &str) -> String {
    let opened = emulator
        .act(Action::OpenP2pChat {
            user: user.into(),
            bot: AppId::from(BOT),
        })
        .unwrap();
    opened
        .iter()
        .find_map(|e| e.body["event"]["chat_id"].as_str().map(str::to_owned))
        .unwrap()
}

#[tokio::test]
async fn a_mention_of_the_bot_reaches_it_with_the_documented_content() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let done = emulator
        .perform(send(LI_SI, MAIN_CHAT, "@Ops Bot deploy api for @王五"))
        .await
        .unwrap();
    let id = done.message_id.unwrap();
    assert!(id.starts_with("om_"), "{id}");
    let received = only(&done.events, "im.message.receive_v1");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].app_id.as_str(), BOT);
    let GroupEvent::MessageReceived(event) = &received[0].event else {
        panic!("{:?}", received[0].event)
    };
    let e = &event.event;
    assert_eq!(e.message.message_id.as_str(), id);
    assert_eq!(
        e.message.content,
        r#"{"text":"@_user_1 deploy api for @_user_2"}"#
    );
    assert_eq!(e.command_text().as_deref(), Some("deploy api for"));
    assert!(e.is_mentioned(OPS_BOT_OPEN_ID));
    assert!(e.is_mentioned(WANG_WU));
    let body = &received[0].body["event"];
    assert_eq!(body["message"]["chat_type"], "group");
    assert_eq!(body["message"]["mentions"][0]["mentioned_type"], "bot");
    assert_eq!(body["message"]["mentions"][1]["name"], "王五");
    assert_eq!(body["sender"]["sender_type"], "user");
    assert_eq!(body["sender"]["sender_id"]["open_id"], LI_SI);
    // The history shows the message as the API does.
    let snapshot = emulator.snapshot();
    let chat = snapshot
        .chats
        .iter()
        .find(|c| c.chat_id == MAIN_CHAT)
        .unwrap();
    let stored = chat.messages.last().unwrap();
    assert_eq!(
        (stored.message_id.as_str(), stored.sender.id.as_str()),
        (id.as_str(), LI_SI)
    );
    assert_eq!(stored.msg_type, "text");
}

#[tokio::test]
async fn group_messages_without_a_mention_reach_only_bots_with_group_msg() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let quiet = emulator.act(send(LI_SI, MAIN_CHAT, "lunch?")).unwrap();
    assert!(quiet.is_empty(), "{quiet:?}");
    let fixture = fixture_with(|f| f.apps[0].group_msg = true);
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let heard = emulator.act(send(LI_SI, MAIN_CHAT, "lunch?")).unwrap();
    assert_eq!(heard.len(), 1);
    assert_eq!(
        heard[0].body["event"]["message"]["content"],
        r#"{"text":"lunch?"}"#
    );
}

#[tokio::test]
async fn the_bot_of_a_one_to_one_chat_sees_everything() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let chat = open_p2p_with_bot(&emulator, LI_SI);
    let events = emulator.act(send(LI_SI, &chat, "status")).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].body["event"]["message"]["chat_type"], "p2p");
    assert_eq!(events[0].body["event"]["message"]["chat_id"], chat.as_str());
}

#[tokio::test]
async fn a_non_member_cannot_send() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let err = emulator.act(send(OUTSIDER, MAIN_CHAT, "hi")).unwrap_err();
    assert_eq!(err.code, 230027, "{err}");
}

#[tokio::test]
async fn reactions_reads_and_recalls_emit_their_events_and_show_in_the_api() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let p2p = open_p2p_with_bot(&emulator, LI_SI);
    let from_bot = bot_sends(&emulator, &p2p, "text", json!({"text": "build failed"}));

    let reacted = emulator
        .act(Action::UserReacts {
            user: LI_SI.into(),
            message: from_bot.clone(),
            emoji_type: "THUMBSUP".into(),
        })
        .unwrap();
    assert_eq!(reacted.len(), 1);
    assert_eq!(reacted[0].event_type(), "im.message.reaction.created_v1");
    let event = &reacted[0].body["event"];
    assert_eq!(event["message_id"], from_bot.as_str());
    assert_eq!(event["reaction_type"]["emoji_type"], "THUMBSUP");
    assert_eq!(event["operator_type"], "user");
    assert_eq!(event["user_id"]["open_id"], LI_SI);
    let (status, list) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{from_bot}/reactions"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["data"]["items"][0]["operator"]["operator_id"], LI_SI);

    let read = emulator
        .act(Action::UserReads {
            user: LI_SI.into(),
            message: from_bot.clone(),
        })
        .unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].event_type(), "im.message.message_read_v1");
    assert_eq!(
        read[0].body["event"]["message_id_list"],
        json!([from_bot.as_str()])
    );
    assert_eq!(
        read[0].body["event"]["reader"]["reader_id"]["open_id"],
        LI_SI
    );
    let (status, readers) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{from_bot}/read_users?user_id_type=open_id"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{readers}");
    assert_eq!(readers["data"]["items"][0]["user_id"], LI_SI);

    let mine = emulator
        .perform(send(LI_SI, &p2p, "never mind"))
        .await
        .unwrap()
        .message_id
        .unwrap();
    let recalled = emulator
        .act(Action::UserRecalls {
            user: LI_SI.into(),
            message: mine.clone(),
        })
        .unwrap();
    assert_eq!(recalled.len(), 1);
    assert_eq!(recalled[0].event_type(), "im.message.recalled_v1");
    assert_eq!(recalled[0].body["event"]["recall_type"], "message_owner");
    assert_eq!(recalled[0].body["event"]["chat_id"], p2p.as_str());
    let (status, got) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{mine}"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["data"]["items"][0]["deleted"], true);
}

#[tokio::test]
async fn the_admin_api_runs_the_conversation_actions() {
    let (emulator, server) = serve(None).await;
    let http = reqwest::Client::new();
    let post = |body: Value| {
        let http = http.clone();
        let url = format!("{}/_emulator/actions", server.url());
        async move {
            let answer = http.post(url).json(&body).send().await.unwrap();
            let status = answer.status().as_u16();
            (status, answer.json::<Value>().await.unwrap())
        }
    };
    let (status, sent) = post(json!({"action": "user_sends_message", "chat": MAIN_CHAT,
        "user": MEMBER_01, "text": "@Ops Bot rollback"}))
    .await;
    assert_eq!(status, 200, "{sent}");
    let id = sent["data"]["message_id"].as_str().unwrap().to_owned();
    assert_eq!(
        sent["data"]["events"][0]["header"]["event_type"],
        "im.message.receive_v1"
    );
    assert_eq!(
        sent["data"]["events"][0]["event"]["message"]["message_id"],
        id.as_str()
    );
    let (status, reacted) = post(json!({"action": "user_reacts", "message": id,
        "user": LI_SI, "emoji_type": "DONE"}))
    .await;
    assert_eq!(status, 200, "{reacted}");
    assert_eq!(
        reacted["data"]["events"][0]["event"]["reaction_type"]["emoji_type"],
        "DONE"
    );
    let (status, read) = post(json!({"action": "user_reads", "message": id, "user": LI_SI})).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["data"]["events"], json!([]));
    let (status, refused) =
        post(json!({"action": "user_recalls", "message": id, "user": WANG_WU})).await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["code"], 230026);
    let (status, recalled) =
        post(json!({"action": "user_recalls", "message": id, "user": MEMBER_01})).await;
    assert_eq!(status, 200, "{recalled}");
    assert_eq!(
        recalled["data"]["events"][0]["header"]["event_type"],
        "im.message.recalled_v1"
    );
    let (status, click) = post(json!({"action": "user_clicks_card", "message": id,
        "user": LI_SI, "value": {"k": "v"}}))
    .await;
    assert_eq!(status, 400, "{click}");
    assert_eq!(
        click["code"], 230011,
        "a recalled message cannot be clicked"
    );
    let state = fetch_json(http.get(format!("{}/_emulator/state", server.url()))).await;
    let chat = state["data"]["chats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["chat_id"] == MAIN_CHAT)
        .unwrap();
    let message = chat["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["message_id"] == id.as_str())
        .unwrap();
    assert_eq!(message["deleted"], true);
    assert_eq!(message["sender"]["id"], MEMBER_01);
    drop(emulator);
}

#[tokio::test]
async fn fixture_scripts_play_the_conversation_actions() {
    let mut fixture = Fixture::default_seed().unwrap();
    let script = Fixture::from_json(&format!(
        r#"{{"script": [
            {{"action": "user_sends_message", "chat": "{MAIN_CHAT}", "user": "{LI_SI}", "text": "@Ops Bot hi"}},
            {{"delay_ms": 5, "action": "user_sends_message", "chat": "{MAIN_CHAT}", "user": "{MEMBER_01}", "text": "no mention"}}
        ]}}"#
    ))
    .unwrap()
    .script;
    fixture.script = script;
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let outcomes = emulator.play_script().await.unwrap();
    assert_eq!(
        outcomes
            .iter()
            .map(|o| o.clone().unwrap())
            .collect::<Vec<_>>(),
        [1, 0]
    );
    let parsed: Action = serde_json::from_value(json!({"action": "user_clicks_card",
        "message": "om_1", "user": LI_SI, "value": {"a": 1}, "option": "x"}))
    .unwrap();
    assert_eq!(parsed.name(), "user_clicks_card");
    let bad = serde_json::from_value::<Action>(json!({"action": "user_reacts",
        "message": "om_1", "user": LI_SI, "emoji": "DONE"}));
    assert!(bad.is_err());
}
