//! State changes emit the documented group events: in-process to
//! subscribers, and in server mode POSTed to a callback URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::events::{decode, GroupEvent};
use feishu_emulator::feishu_model::im::chat::{CreateChat, DeleteChat, UpdateChat};
use feishu_emulator::feishu_model::im::members::{AddMembers, MeJoin, RemoveMembers};
use feishu_emulator::feishu_model::im::moderation::UpdateChatModeration;
use feishu_emulator::feishu_model::im::types::ModerationPermission;
use feishu_emulator::feishu_model::{AppId, MemberIdType};
use feishu_emulator::{EmittedEvent, Emulator};
use tokio::sync::broadcast::Receiver;

fn drain(rx: &mut Receiver<EmittedEvent>) -> Vec<EmittedEvent> {
    let mut out = Vec::new();
    while let Ok(event) = rx.try_recv() {
        // Each event's body decodes, with the model's decoder, to the event.
        let body = serde_json::to_vec(&event.body).unwrap();
        assert_eq!(decode(&body).unwrap(), event.event);
        out.push(event);
    }
    out
}

fn summary(events: &[EmittedEvent]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| (e.event_type().to_owned(), e.app_id.to_string()))
        .collect()
}

#[tokio::test]
async fn member_changes_emit_member_events() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let bot = local_client(&emulator, BOT);
    let mut rx = emulator.subscribe();

    bot.call(AddMembers::new(MAIN_CHAT, ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    let events = drain(&mut rx);
    assert_eq!(
        summary(&events),
        [("im.chat.member.user.added_v1".into(), BOT.into())]
    );
    let GroupEvent::UserAdded(added) = &events[0].event else {
        panic!("{:?}", events[0].event)
    };
    assert_eq!(added.header.app_id.as_str(), BOT);
    assert_eq!(added.header.tenant_key.as_str(), MAIN_TENANT);
    assert_eq!(added.header.token.expose(), "v-ops-bot-token");
    assert_eq!(added.event.chat_id.as_str(), MAIN_CHAT);
    let users = added.event.users.as_ref().unwrap();
    assert_eq!(
        users[0].user_id.as_ref().unwrap().user_id.as_deref(),
        Some("m0030")
    );
    assert_eq!(users[0].name.as_deref(), Some("Member 30"));

    bot.call(AddMembers::new(MAIN_CHAT, [HELPER]))
        .member_id_type(MemberIdType::AppId)
        .await
        .unwrap();
    assert_eq!(
        summary(&drain(&mut rx)),
        [("im.chat.member.bot.added_v1".into(), HELPER.into())],
        "only the added bot is told"
    );

    bot.call(RemoveMembers::new(MAIN_CHAT, ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    let mut got = summary(&drain(&mut rx));
    got.sort(); // by event type, then app id
    assert_eq!(
        got,
        [
            ("im.chat.member.user.deleted_v1".into(), HELPER.into()),
            ("im.chat.member.user.deleted_v1".into(), BOT.into()),
        ]
    );

    bot.call(RemoveMembers::new(MAIN_CHAT, [HELPER]))
        .member_id_type(MemberIdType::AppId)
        .await
        .unwrap();
    assert_eq!(
        summary(&drain(&mut rx)),
        [("im.chat.member.bot.deleted_v1".into(), HELPER.into())]
    );

    let helper = local_client(&emulator, HELPER);
    helper.call(MeJoin::new(MAIN_CHAT)).await.unwrap_err();
    helper.call(MeJoin::new(APPROVAL_CHAT)).await.unwrap_err();
    assert!(
        drain(&mut rx).is_empty(),
        "refused calls change nothing and emit nothing"
    );
}

#[tokio::test]
async fn chat_changes_emit_chat_events() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let bot = local_client(&emulator, BOT);
    let mut rx = emulator.subscribe();

    let mut create = CreateChat::new();
    create.body.name = Some("events".into());
    create.body.user_id_list = Some(vec![LI_SI.into()]);
    create.body.bot_id_list = Some(vec![AppId::from(HELPER)]);
    let chat = bot.call(create).await.unwrap().chat_id;
    let mut got = summary(&drain(&mut rx));
    got.sort(); // by event type, then app id
    assert_eq!(
        got,
        [
            ("im.chat.member.bot.added_v1".into(), HELPER.into()),
            ("im.chat.member.user.added_v1".into(), HELPER.into()),
            ("im.chat.member.user.added_v1".into(), BOT.into()),
        ]
    );

    let mut rename = UpdateChat::new(chat.clone());
    rename.body.name = Some("renamed".into());
    bot.call(rename).await.unwrap();
    let events = drain(&mut rx);
    let GroupEvent::ChatUpdated(updated) = &events[0].event else {
        panic!("{:?}", events[0].event)
    };
    assert_eq!(events.len(), 2);
    let before = updated.event.before_change.as_ref().unwrap();
    let after = updated.event.after_change.as_ref().unwrap();
    assert_eq!(before.name.as_deref(), Some("events"));
    assert_eq!(after.name.as_deref(), Some("renamed"));

    let mut moderation =
        UpdateChatModeration::new(chat.clone(), ModerationPermission::ModeratorList);
    moderation.body.moderator_added_list = Some(vec![LI_SI.into()]);
    bot.call(moderation).await.unwrap();
    let events = drain(&mut rx);
    let GroupEvent::ChatUpdated(updated) = &events[0].event else {
        panic!("{:?}", events[0].event)
    };
    let list = updated.event.moderator_list.as_ref().unwrap();
    let added = list.added_member_list.as_ref().unwrap();
    assert_eq!(
        added[0].user_id.as_ref().unwrap().open_id.as_deref(),
        Some(LI_SI)
    );
    assert_eq!(
        updated
            .event
            .after_change
            .as_ref()
            .unwrap()
            .moderation_permission,
        Some(ModerationPermission::ModeratorList)
    );

    bot.call(DeleteChat::new(chat)).await.unwrap();
    let mut got = summary(&drain(&mut rx));
    got.sort(); // by event type, then app id
    assert_eq!(
        got,
        [
            ("im.chat.disbanded_v1".into(), HELPER.into()),
            ("im.chat.disbanded_v1".into(), BOT.into()),
        ]
    );
}

#[tokio::test]
async fn apps_get_only_the_events_they_subscribe_to() {
    let fixture =
        fixture_with(|f| app_seed(f, BOT).events = Some(vec!["im.chat.disbanded_v1".into()]));
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let bot = local_client(&emulator, BOT);
    let mut rx = emulator.subscribe();
    bot.call(AddMembers::new(MAIN_CHAT, ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    bot.call(DeleteChat::new(MAIN_CHAT)).await.unwrap();
    assert_eq!(
        summary(&drain(&mut rx)),
        [("im.chat.disbanded_v1".into(), BOT.into())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_mode_posts_events_to_the_callback_url() {
    // A receiver that answers the challenge and hands every event body to the test.
    let (tx, mut bodies) = tokio::sync::mpsc::unbounded_channel::<bytes::Bytes>();
    let receiver = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let tx = tx.clone();
        async move {
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            if value["type"] == "url_verification" {
                return serde_json::json!({ "challenge": value["challenge"] }).to_string();
            }
            let _ = tx.send(body);
            "ok".to_owned()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let (emulator, server) = serve(None).await;
    let _delivery = emulator.deliver_events(Some(callback));
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    client
        .call(AddMembers::new(MAIN_CHAT, ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    let body = tokio::time::timeout(Duration::from_secs(10), bodies.recv())
        .await
        .expect("an event within 10 s")
        .unwrap();
    match decode(&body).unwrap() {
        GroupEvent::UserAdded(e) => {
            assert_eq!(e.event.chat_id.as_str(), MAIN_CHAT);
            assert_eq!(e.header.app_id.as_str(), BOT);
        }
        other => panic!("unexpected {}", other.event_type()),
    }
}
