//! Messaging through the in-process client: send, reply, get, list, edit,
//! recall, reactions, pins and buzz, with the documented errors, `uuid`
//! de-duplication and the per-chat send limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::im::buzz::{UrgentApp, UrgentPhone, UrgentSms};
use feishu_emulator::feishu_model::im::card::PatchCard;
use feishu_emulator::feishu_model::im::message::edit::{
    DeleteMessage, FollowUp, PushFollowUp, UpdateMessage,
};
use feishu_emulator::feishu_model::im::message::forward::ForwardMessage;
use feishu_emulator::feishu_model::im::message::item::{Message, ReceiveIdType, SenderType};
use feishu_emulator::feishu_model::im::message::read::{GetMessage, ListMessages, MessageSortType};
use feishu_emulator::feishu_model::im::message::send::{CreateMessage, ReplyMessage};
use feishu_emulator::feishu_model::im::msg_type::MsgType;
use feishu_emulator::feishu_model::im::pin::{CreatePin, DeletePin, ListPins, PinOperatorIdType};
use feishu_emulator::feishu_model::im::reaction::{
    CreateReaction, DeleteReaction, EmojiType, ListReactions, OperatorType,
};
use feishu_emulator::feishu_model::AppId;
use feishu_emulator::feishu_transport::Client;
use feishu_emulator::Fixture;
use serde_json::json;

#[tokio::test]
async fn only_moderators_speak_where_the_chat_says_so() {
    let fixture = fixture_with(|f| chat_seed(f, MAIN_CHAT).bots.push(AppId::from(HELPER)));
    let emulator = on_manual_clock(fixture);
    let err = unlimited_client(&emulator, HELPER)
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Text,
            text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230018), "{err}");
    // BOT manages the chat.
    send(&unlimited_client(&emulator, BOT), MAIN_CHAT, "ok").await;
}

fn text(s: &str) -> String {
    json!({ "text": s }).to_string()
}

/// A send the emulator must refuse: its error.
async fn refused_send(
    client: &Client,
    id_type: ReceiveIdType,
    id: &str,
    msg_type: MsgType,
    content: impl Into<String>,
) -> feishu_emulator::feishu_transport::Error {
    client
        .call(CreateMessage::new(id_type, id, msg_type, content))
        .await
        .unwrap_err()
}

async fn send(client: &Client, chat: &str, content: &str) -> Message {
    client
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            chat,
            MsgType::Text,
            text(content),
        ))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sent_message_reads_back_and_lists_in_order() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let first = send(&bot, MAIN_CHAT, "hello").await;
    let mid = message_id(&first);
    assert!(mid.starts_with("om_") && mid.len() == 35, "{mid}");
    assert_eq!(first.chat_id.as_ref().unwrap().as_str(), MAIN_CHAT);
    assert_eq!(first.msg_type, Some(MsgType::Text));
    assert_eq!(first.create_time.as_deref(), Some("1700000000000"));
    let sender = first.sender.as_ref().unwrap();
    assert_eq!(sender.sender_type, Some(SenderType::App));
    assert_eq!(sender.id.as_ref().unwrap().as_str(), BOT);
    assert_eq!(first.content(), Some(r#"{"text":"hello"}"#));

    emulator.advance(Duration::from_secs(2));
    send(&bot, MAIN_CHAT, "second").await;

    let got = bot.call(GetMessage::new(mid.as_str())).await.unwrap();
    let items = got.items.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].content(), Some(r#"{"text":"hello"}"#));
    assert_eq!(items[0].deleted, Some(false));

    let page = bot.call(ListMessages::chat(MAIN_CHAT)).await.unwrap();
    let texts: Vec<_> = page
        .items
        .unwrap()
        .iter()
        .map(|m| m.content().unwrap().to_owned())
        .collect();
    assert_eq!(texts, vec![text("hello"), text("second")]);

    let mut desc = ListMessages::chat(MAIN_CHAT);
    desc.query.sort_type = Some(MessageSortType::ByCreateTimeDesc);
    desc.query.page.page_size = Some(1);
    let page = bot.call(desc).await.unwrap();
    assert_eq!(page.has_more, Some(true));
    assert_eq!(
        page.items.unwrap()[0].content(),
        Some(text("second").as_str())
    );

    let mut window = ListMessages::chat(MAIN_CHAT);
    window.query.start_time = Some("1700000001".into());
    let page = bot.call(window).await.unwrap();
    assert_eq!(page.items.unwrap().len(), 1, "only the later message");
}

#[tokio::test]
async fn mentions_and_cards_are_answered_in_the_received_format() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let sent = send(
        &bot,
        MAIN_CHAT,
        &format!("<at user_id=\"{ZHANG_SAN}\">张三</at> hi"),
    )
    .await;
    let got = bot
        .call(GetMessage::new(message_id(&sent)))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(got[0].content(), Some(r#"{"text":"@_user_1 hi"}"#));
    let mention = &got[0].mentions.as_ref().unwrap()[0];
    assert_eq!(mention.key.as_deref(), Some("@_user_1"));
    assert_eq!(mention.id.as_ref().unwrap().as_str(), ZHANG_SAN);

    let card = json!({
        "header": {"title": {"tag": "plain_text", "content": "Deploy"}},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "done"}}]
    });
    let sent = bot
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Interactive,
            card.to_string(),
        ))
        .await
        .unwrap();
    let got = bot
        .call(GetMessage::new(message_id(&sent)))
        .await
        .unwrap()
        .items
        .unwrap();
    let received: serde_json::Value = serde_json::from_str(got[0].content().unwrap()).unwrap();
    assert_eq!(
        received,
        json!({"title": "Deploy", "elements": [[{"tag": "text", "text": "done"}]]})
    );
}

#[tokio::test]
async fn replies_form_trees_and_threads() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let root = send(&bot, MAIN_CHAT, "root").await;
    let reply = bot
        .call(ReplyMessage::new(
            message_id(&root),
            MsgType::Text,
            text("r1"),
        ))
        .await
        .unwrap();
    assert_eq!(
        reply.root_id.as_ref().map(|r| r.as_str().to_owned()),
        Some(message_id(&root))
    );
    assert_eq!(
        reply.parent_id.as_ref().map(|r| r.as_str().to_owned()),
        Some(message_id(&root))
    );
    assert!(reply.thread_id.is_none());

    let threaded = bot
        .call(ReplyMessage::new(message_id(&reply), MsgType::Text, text("t1")).in_thread())
        .await
        .unwrap();
    let thread = threaded.thread_id.as_ref().unwrap().as_str().to_owned();
    assert!(thread.starts_with("omt_"), "{thread}");
    assert_eq!(
        threaded.root_id.as_ref().map(|r| r.as_str().to_owned()),
        Some(message_id(&root))
    );
    let page = bot
        .call(ListMessages::thread(thread.as_str()))
        .await
        .unwrap();
    let ids: Vec<String> = page.items.unwrap().iter().map(message_id).collect();
    assert_eq!(ids, vec![message_id(&root), message_id(&threaded)]);

    let err = bot
        .call(ListMessages::thread("omt_000000000000"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230019), "{err}");
}

#[tokio::test]
async fn the_same_uuid_sends_one_message_within_an_hour() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let make = || {
        CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Text,
            text("once"),
        )
        .with_uuid("k-1")
    };
    let a = bot.call(make()).await.unwrap();
    let b = bot.call(make()).await.unwrap();
    assert_eq!(message_id(&a), message_id(&b));
    let listed = bot.call(ListMessages::chat(MAIN_CHAT)).await.unwrap();
    assert_eq!(listed.items.unwrap().len(), 1);
    emulator.advance(Duration::from_secs(3601));
    let c = bot.call(make()).await.unwrap();
    assert_ne!(message_id(&a), message_id(&c));
}

#[tokio::test]
async fn a_sixth_send_to_one_chat_within_a_second_is_refused_with_230020() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    for i in 0..5 {
        send(&bot, MAIN_CHAT, &format!("m{i}")).await;
    }
    let err = refused_send(
        &bot,
        ReceiveIdType::ChatId,
        MAIN_CHAT,
        MsgType::Text,
        text("m5"),
    )
    .await;
    assert_eq!(err.code(), Some(230020), "{err}");
    emulator.advance(Duration::from_secs(1));
    send(&bot, MAIN_CHAT, "m5").await;
}

#[tokio::test]
async fn sends_outside_a_chat_or_to_unknown_receivers_fail_as_documented() {
    let emulator = on_manual_clock(Fixture::default_seed().unwrap());
    let helper = unlimited_client(&emulator, HELPER);
    // The bot is not in the chat; an unknown chat; an unknown user.
    for (id_type, id, code) in [
        (ReceiveIdType::ChatId, MAIN_CHAT, 230002),
        (ReceiveIdType::ChatId, "oc_nope", 230034),
        (ReceiveIdType::OpenId, "ou_nobody", 230034),
    ] {
        let err = refused_send(&helper, id_type, id, MsgType::Text, text("x")).await;
        assert_eq!(err.code(), Some(code), "{id}: {err}");
    }
    let err = refused_send(
        &helper,
        ReceiveIdType::ChatId,
        MAIN_CHAT,
        MsgType::Text,
        "not json",
    )
    .await;
    assert!(matches!(err.code(), Some(230001) | Some(230002)), "{err}");
    let err = helper
        .call(GetMessage::new("om_missing"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230001), "{err}");

    // Sending to a user opens the one-to-one chat.
    let sent = helper
        .call(CreateMessage::new(
            ReceiveIdType::OpenId,
            ZHANG_SAN,
            MsgType::Text,
            text("hi"),
        ))
        .await
        .unwrap();
    let chat = sent.chat_id.unwrap();
    let again = helper
        .call(CreateMessage::new(
            ReceiveIdType::OpenId,
            ZHANG_SAN,
            MsgType::Text,
            text("hi"),
        ))
        .await
        .unwrap();
    assert_eq!(again.chat_id.unwrap(), chat);
}

#[test]
fn content_over_the_documented_size_is_230025() {
    let emulator = messaging_emulator();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let big = text(&"x".repeat(150 * 1024));
    let (status, body) = raw(
        &emulator,
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        Some(&token),
        Some(json!({"receive_id": MAIN_CHAT, "msg_type": "text", "content": big})),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], 230025, "{body}");
    let (_, body) = raw(
        &emulator,
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        Some(&token),
        Some(json!({"receive_id": MAIN_CHAT, "msg_type": "text", "content": text("ok")})),
    );
    assert_eq!(body["code"], 0, "{body}");
}

#[tokio::test]
async fn edits_follow_the_documented_rules() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let m = send(&bot, MAIN_CHAT, "v0").await;
    let edited = bot
        .call(UpdateMessage::new(
            message_id(&m),
            MsgType::Text,
            text("v1"),
        ))
        .await
        .unwrap();
    assert_eq!(edited.updated, Some(true));
    assert_eq!(edited.content(), Some(text("v1").as_str()));
    let got = bot
        .call(GetMessage::new(message_id(&m)))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(got[0].content(), Some(text("v1").as_str()));

    let err = helper
        .call(UpdateMessage::new(message_id(&m), MsgType::Text, text("x")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230071), "not the sender: {err}");

    for i in 2..=20 {
        bot.call(UpdateMessage::new(
            message_id(&m),
            MsgType::Text,
            text(&format!("v{i}")),
        ))
        .await
        .unwrap();
    }
    let err = bot
        .call(UpdateMessage::new(
            message_id(&m),
            MsgType::Text,
            text("v21"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230072), "{err}");

    let card = bot
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Interactive,
            json!({"elements": []}).to_string(),
        ))
        .await
        .unwrap();
    let err = bot
        .call(UpdateMessage::new(
            message_id(&card),
            MsgType::Text,
            text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230054), "{err}");

    let old = send(&bot, MAIN_CHAT, "old").await;
    emulator.advance(Duration::from_secs(24 * 3600 + 1));
    let err = bot
        .call(UpdateMessage::new(
            message_id(&old),
            MsgType::Text,
            text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230075), "{err}");
}

#[tokio::test]
async fn recalls_follow_the_documented_rules() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let mine = send(&bot, MAIN_CHAT, "mine").await;
    // HELPER is neither the sender nor a manager.
    let err = helper
        .call(DeleteMessage::new(message_id(&mine)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230026), "{err}");
    bot.call(DeleteMessage::new(message_id(&mine)))
        .await
        .unwrap();
    let got = bot
        .call(GetMessage::new(message_id(&mine)))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(got[0].deleted, Some(true));
    assert_eq!(got[0].content(), None);
    let listed = bot
        .call(ListMessages::chat(MAIN_CHAT))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(listed[0].content(), Some("This message was recalled"));
    // The recall page lists 230110 for a message already recalled.
    let err = bot
        .call(DeleteMessage::new(message_id(&mine)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230110), "{err}");
    let err = bot
        .call(ReplyMessage::new(
            message_id(&mine),
            MsgType::Text,
            text("x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230011), "{err}");

    // BOT manages the chat: it may recall HELPER's message.
    let theirs = send(&helper, MAIN_CHAT, "theirs").await;
    bot.call(DeleteMessage::new(message_id(&theirs)))
        .await
        .unwrap();

    let late = send(&helper, MAIN_CHAT, "late").await;
    emulator.advance(Duration::from_secs(24 * 3600 + 1));
    let err = helper
        .call(DeleteMessage::new(message_id(&late)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230009), "{err}");
}

#[tokio::test]
async fn a_user_token_sends_as_the_user() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let sent = bot
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Text,
            text("from li"),
        ))
        .user_access_token(LI_SI_USER_TOKEN)
        .await
        .unwrap();
    let sender = sent.sender.unwrap();
    assert_eq!(sender.sender_type, Some(SenderType::User));
    assert_eq!(sender.id.unwrap().as_str(), LI_SI);
}

#[tokio::test]
async fn reactions_round_trip_with_the_documented_errors() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let m = send(&bot, MAIN_CHAT, "react to me").await;
    let r = bot
        .call(CreateReaction::new(message_id(&m), EmojiType::Smile))
        .await
        .unwrap();
    let rid = r.reaction_id.clone().unwrap();
    assert_eq!(r.reaction_type.unwrap().emoji_type, Some(EmojiType::Smile));
    let op = r.operator.unwrap();
    assert_eq!(op.operator_id.as_deref(), Some(BOT));
    assert_eq!(op.operator_type, Some(OperatorType::App));
    helper
        .call(CreateReaction::new(message_id(&m), EmojiType::Lgtm))
        .await
        .unwrap();

    let all = bot.call(ListReactions::new(message_id(&m))).await.unwrap();
    assert_eq!(all.items.unwrap().len(), 2);
    let mut only = ListReactions::new(message_id(&m));
    only.query.reaction_type = Some(EmojiType::Lgtm);
    let only = bot.call(only).await.unwrap().items.unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(
        only[0].operator.as_ref().unwrap().operator_id.as_deref(),
        Some(HELPER)
    );

    let err = helper
        .call(DeleteReaction::new(message_id(&m), rid.as_str()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(231007), "not the reactor: {err}");
    let err = bot
        .call(DeleteReaction::new(message_id(&m), "nope"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(231011), "{err}");
    let err = bot
        .call(CreateReaction::new(
            message_id(&m),
            EmojiType::from("NotAnEmoji"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(231001), "{err}");
    let err = bot
        .call(CreateReaction::new("om_missing", EmojiType::Smile))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(231003), "{err}");

    let deleted = bot
        .call(DeleteReaction::new(message_id(&m), rid.as_str()))
        .await
        .unwrap();
    assert_eq!(deleted.reaction_id.as_deref(), Some(rid.as_str()));
    assert_eq!(
        bot.call(ListReactions::new(message_id(&m)))
            .await
            .unwrap()
            .items
            .unwrap()
            .len(),
        1
    );

    let state = emulator.snapshot();
    let chat = state.chats.iter().find(|c| c.chat_id == MAIN_CHAT).unwrap();
    assert_eq!(chat.reactions.len(), 1);
    assert_eq!(chat.reactions[0].emoji_type, "LGTM");
}

#[tokio::test]
async fn pins_round_trip() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let a = send(&bot, MAIN_CHAT, "a").await;
    emulator.advance(Duration::from_secs(1));
    let b = send(&bot, MAIN_CHAT, "b").await;
    let pin = bot
        .call(CreatePin::new(message_id(&a)))
        .await
        .unwrap()
        .pin
        .unwrap();
    assert_eq!(pin.message_id.as_deref(), Some(message_id(&a).as_str()));
    assert_eq!(pin.operator_id.as_deref(), Some(BOT));
    assert_eq!(pin.operator_id_type, Some(PinOperatorIdType::AppId));
    emulator.advance(Duration::from_secs(1));
    bot.call(CreatePin::new(message_id(&b))).await.unwrap();
    // Pinning again answers the same pin.
    let again = bot
        .call(CreatePin::new(message_id(&a)))
        .await
        .unwrap()
        .pin
        .unwrap();
    assert_eq!(again.create_time, pin.create_time);

    let listed = bot
        .call(ListPins::new(MAIN_CHAT))
        .await
        .unwrap()
        .items
        .unwrap();
    let ids: Vec<_> = listed
        .iter()
        .map(|p| p.message_id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec![message_id(&b), message_id(&a)], "newest first");

    bot.call(DeletePin::new(message_id(&a))).await.unwrap();
    let listed = bot
        .call(ListPins::new(MAIN_CHAT))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(listed.len(), 1);

    let outsider = on_manual_clock(Fixture::default_seed().unwrap());
    let helper = unlimited_client(&outsider, HELPER);
    let err = helper.call(ListPins::new(MAIN_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(230002), "{err}");

    bot.call(DeleteMessage::new(message_id(&b))).await.unwrap();
    let err = bot.call(CreatePin::new(message_id(&b))).await.unwrap_err();
    assert_eq!(err.code(), Some(230011), "{err}");
    let state = emulator.snapshot();
    let chat = state.chats.iter().find(|c| c.chat_id == MAIN_CHAT).unwrap();
    assert_eq!(chat.pins.len(), 1);
}

#[tokio::test]
async fn buzz_reaches_members_and_reports_the_others() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let m = send(&bot, MAIN_CHAT, "urgent").await;
    let out = bot
        .call(UrgentApp::new(
            message_id(&m),
            [ZHANG_SAN, "ou_not_a_member"],
        ))
        .await
        .unwrap();
    let invalid: Vec<_> = out
        .invalid_user_id_list
        .unwrap()
        .iter()
        .map(|i| i.as_str().to_owned())
        .collect();
    assert_eq!(invalid, vec!["ou_not_a_member".to_owned()]);
    bot.call(UrgentSms::new(message_id(&m), [ZHANG_SAN]))
        .await
        .unwrap();
    bot.call(UrgentPhone::new(message_id(&m), [LI_SI]))
        .await
        .unwrap();

    let err = bot
        .call(UrgentApp::new(message_id(&m), ["ou_not_a_member"]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230001), "all ids invalid: {err}");
    let err = helper
        .call(UrgentApp::new(message_id(&m), [ZHANG_SAN]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230012), "not the sender: {err}");

    let state = emulator.snapshot();
    let chat = state.chats.iter().find(|c| c.chat_id == MAIN_CHAT).unwrap();
    let kinds: Vec<_> = chat.buzz.iter().map(|b| b.kind.as_str()).collect();
    assert_eq!(kinds, vec!["app", "sms", "phone"]);
    assert_eq!(chat.buzz[0].users, vec![ZHANG_SAN.to_owned()]);
}

#[tokio::test]
async fn the_state_lists_each_chats_messages() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    send(&bot, MAIN_CHAT, "plain words").await;
    let card = json!({"header": {"title": {"tag": "plain_text", "content": "Card title"}}, "elements": []});
    bot.call(CreateMessage::new(
        ReceiveIdType::ChatId,
        MAIN_CHAT,
        MsgType::Interactive,
        card.to_string(),
    ))
    .await
    .unwrap();
    let state = emulator.snapshot();
    let chat = state.chats.iter().find(|c| c.chat_id == MAIN_CHAT).unwrap();
    let shown: Vec<_> = chat
        .messages
        .iter()
        .map(|m| {
            (
                m.msg_type.as_str(),
                m.summary.as_str(),
                m.sender.id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("text", "plain words", BOT),
            ("interactive", "Card title", BOT)
        ]
    );
    assert_eq!(chat.messages[0].content, text("plain words"));
    // Over the admin API too.
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let body: serde_json::Value = reqwest::get(format!("{}/_emulator/state", server.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let chats = body["data"]["chats"].as_array().unwrap();
    let main = chats.iter().find(|c| c["chat_id"] == MAIN_CHAT).unwrap();
    assert_eq!(main["messages"][1]["summary"], "Card title");
    assert_eq!(main["messages"][0]["content"], text("plain words"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_card_is_patched_only_by_its_sender_within_14_days() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let card = |title: &str| {
        json!({"header": {"title": {"tag": "plain_text", "content": title}}, "elements": []})
            .to_string()
    };
    let sent = bot
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            MsgType::Interactive,
            card("v1"),
        ))
        .await
        .unwrap();
    bot.call(PatchCard::new(message_id(&sent), card("v2")))
        .await
        .unwrap();
    let got = bot
        .call(GetMessage::new(message_id(&sent)))
        .await
        .unwrap()
        .items
        .unwrap();
    let received: serde_json::Value = serde_json::from_str(got[0].content().unwrap()).unwrap();
    assert_eq!(received["title"], "v2");

    let err = helper
        .call(PatchCard::new(message_id(&sent), card("x")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230027), "not the sender: {err}");
    let plain = send(&bot, MAIN_CHAT, "plain").await;
    let err = bot
        .call(PatchCard::new(message_id(&plain), card("x")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230001), "not a card: {err}");
    emulator.advance(Duration::from_secs(14 * 24 * 3600 + 1));
    let err = bot
        .call(PatchCard::new(message_id(&sent), card("late")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230031), "{err}");
}

#[tokio::test]
async fn a_message_is_forwarded_to_a_chat_a_user_or_a_thread() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let m = send(&bot, MAIN_CHAT, "pass it on").await;
    let to_user = bot
        .call(ForwardMessage::new(
            message_id(&m),
            ReceiveIdType::OpenId,
            ZHANG_SAN,
        ))
        .await
        .unwrap();
    assert_ne!(to_user.chat_id.as_ref().unwrap().as_str(), MAIN_CHAT);
    assert_eq!(to_user.content(), Some(text("pass it on").as_str()));
    assert_ne!(message_id(&to_user), message_id(&m));

    let threaded = bot
        .call(ReplyMessage::new(message_id(&m), MsgType::Text, text("t")).in_thread())
        .await
        .unwrap();
    let thread = threaded.thread_id.unwrap().as_str().to_owned();
    let into_thread = bot
        .call(ForwardMessage::new(
            message_id(&m),
            ReceiveIdType::ThreadId,
            thread.as_str(),
        ))
        .await
        .unwrap();
    assert_eq!(into_thread.thread_id.unwrap().as_str(), thread);

    let err = bot
        .call(ForwardMessage::new(
            message_id(&m),
            ReceiveIdType::ChatId,
            "oc_missing",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230063), "{err}");
    let err = bot
        .call(ForwardMessage::new(
            "om_missing",
            ReceiveIdType::ChatId,
            MAIN_CHAT,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230064), "{err}");
    bot.call(DeleteMessage::new(message_id(&m))).await.unwrap();
    let err = bot
        .call(ForwardMessage::new(
            message_id(&m),
            ReceiveIdType::ChatId,
            MAIN_CHAT,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230065), "{err}");
}

#[tokio::test]
async fn follow_ups_go_under_the_latest_one_to_one_message_once() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let to_user =
        |s: &str| CreateMessage::new(ReceiveIdType::OpenId, ZHANG_SAN, MsgType::Text, text(s));
    let first = bot.call(to_user("first")).await.unwrap();
    let latest = bot.call(to_user("latest")).await.unwrap();
    let bubbles = || [FollowUp::new("Tell me more")];
    let err = bot
        .call(PushFollowUp::new(message_id(&first), bubbles()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230006), "not the latest: {err}");
    bot.call(PushFollowUp::new(message_id(&latest), bubbles()))
        .await
        .unwrap();
    let err = bot
        .call(PushFollowUp::new(message_id(&latest), bubbles()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230008), "{err}");
    let group = send(&bot, MAIN_CHAT, "group").await;
    let err = bot
        .call(PushFollowUp::new(message_id(&group), bubbles()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230003), "{err}");
    let late = bot.call(to_user("late")).await.unwrap();
    emulator.advance(Duration::from_secs(601));
    let err = bot
        .call(PushFollowUp::new(message_id(&late), bubbles()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230002), "{err}");
    let state = emulator.snapshot();
    let shown: Vec<_> = state
        .chats
        .iter()
        .flat_map(|c| c.messages.iter())
        .filter(|m| !m.follow_ups.is_empty())
        .map(|m| (m.message_id.clone(), m.follow_ups.clone()))
        .collect();
    assert_eq!(
        shown,
        vec![(message_id(&latest), vec!["Tell me more".to_owned()])]
    );
}
