//! Acting as users: each action follows the API's rules and emits the
//! documented events, with the acting user as operator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::events::{decode, GroupEvent};
use feishu_emulator::feishu_model::im::types::WhoCan;
use feishu_emulator::{Action, ChatChanges, EmittedEvent, Emulator, Fixture};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";
const MEMBER_01: &str = "ou_44d2f618b28451c78921b81dc70fe3ff";
const PARTNER_USER: &str = "ou_2d2c0399b53d06fd195bb393cd1e38f2";
const MARKET_BOT: &str = "cli_a5f0d1c2b3e4f5a6";

fn types(events: &[EmittedEvent]) -> Vec<(&str, String)> {
    events
        .iter()
        .map(|e| (e.event_type(), e.app_id.to_string()))
        .collect()
}

fn operator_open_id(event: &EmittedEvent) -> String {
    event.body["event"]["operator_id"]["open_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn members(emulator: &Emulator, chat: &str) -> Vec<String> {
    let snapshot = emulator.snapshot();
    let chat = snapshot.chats.iter().find(|c| c.chat_id == chat).unwrap();
    chat.members.iter().map(|m| m.id.clone()).collect()
}

#[test]
fn a_user_leaving_tells_the_bots_with_the_user_as_operator() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let mut rx = emulator.subscribe();
    let events = emulator
        .act(Action::UserLeave {
            user: WANG_WU.into(),
            chat: MAIN_CHAT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&events),
        vec![("im.chat.member.user.deleted_v1", BOT.to_owned())]
    );
    assert_eq!(operator_open_id(&events[0]), WANG_WU);
    assert_eq!(events[0].body["event"]["users"][0]["name"], "王五");
    assert_eq!(events[0].body["event"]["operator_tenant_key"], MAIN_TENANT);
    assert!(!members(&emulator, MAIN_CHAT).contains(&WANG_WU.to_owned()));
    // Delivered to subscribers too, and the body decodes to the event.
    let delivered = rx.try_recv().unwrap();
    let body = serde_json::to_vec(&delivered.body).unwrap();
    assert_eq!(decode(&body).unwrap(), delivered.event);
    // The owner cannot leave: the API's "can't kick chat owner".
    let err = emulator
        .act(Action::UserLeave {
            user: LI_SI.into(),
            chat: MAIN_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232076);
    // Leaving again: no longer a member.
    let err = emulator
        .act(Action::UserLeave {
            user: WANG_WU.into(),
            chat: MAIN_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232011);
}

#[test]
fn joining_follows_the_me_join_rules() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let events = emulator
        .act(Action::UserJoin {
            user: WANG_WU.into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&events),
        vec![("im.chat.member.user.added_v1", HELPER.to_owned())]
    );
    assert_eq!(operator_open_id(&events[0]), WANG_WU);
    let err = emulator
        .act(Action::UserJoin {
            user: MEMBER_01.into(),
            chat: PRIVATE_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!((err.code, err.status), (232008, 400));
    let err = emulator
        .act(Action::UserJoin {
            user: WANG_WU.into(),
            chat: APPROVAL_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232075);
    let err = emulator
        .act(Action::UserJoin {
            user: PARTNER_USER.into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232010);
    let err = emulator
        .act(Action::UserJoin {
            user: "ou_nobody".into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232030);
    let err = emulator
        .act(Action::UserJoin {
            user: "ou_13b7269ba723d89bd455b9fd178a29a6".into(),
            chat: PUBLIC_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232022);
}

#[test]
fn adding_then_withdrawing_users_emits_added_then_withdrawn() {
    let emulator = Emulator::with_default_fixture().unwrap();
    // 王五 is a member of the announcement chat; 李四 owns it.
    let added = emulator
        .act(Action::AddUsers {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        })
        .unwrap();
    assert_eq!(
        types(&added),
        vec![("im.chat.member.user.added_v1", BOT.to_owned())]
    );
    assert_eq!(operator_open_id(&added[0]), WANG_WU);
    // Only the inviter may withdraw.
    let err = emulator
        .act(Action::WithdrawInvitation {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        })
        .unwrap_err();
    assert_eq!(err.code, 232014);
    let withdrawn = emulator
        .act(Action::WithdrawInvitation {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        })
        .unwrap();
    assert_eq!(
        types(&withdrawn),
        vec![("im.chat.member.user.withdrawn_v1", BOT.to_owned())]
    );
    assert_eq!(operator_open_id(&withdrawn[0]), WANG_WU);
    assert_eq!(
        withdrawn[0].body["event"]["users"][0]["user_id"]["open_id"],
        MEMBER_01
    );
    assert!(matches!(withdrawn[0].event, GroupEvent::UserWithdrawn(_)));
    assert_eq!(
        members(&emulator, ANNOUNCEMENT_CHAT),
        vec![LI_SI.to_owned(), WANG_WU.to_owned(), BOT.to_owned()]
    );
    // Withdrawn once: nothing left to withdraw.
    let err = emulator
        .act(Action::WithdrawInvitation {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        })
        .unwrap_err();
    assert_eq!(err.code, 232014);
}

#[test]
fn a_user_outside_the_chat_cannot_add_others() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let err = emulator
        .act(Action::AddUsers {
            user: MEMBER_01.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![WANG_WU.into()],
        })
        .unwrap_err();
    assert_eq!(err.code, 232011);
    assert_eq!(err.msg, "Operator can NOT be out of the chat.");
}

#[test]
fn bots_added_and_removed_are_told_themselves() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let added = emulator
        .act(Action::AddBots {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            bots: vec![HELPER.into()],
        })
        .unwrap();
    assert_eq!(
        types(&added),
        vec![("im.chat.member.bot.added_v1", HELPER.to_owned())]
    );
    assert_eq!(operator_open_id(&added[0]), WANG_WU);
    // A plain member may not remove others: only owner and managers.
    let err = emulator
        .act(Action::RemoveBots {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            bots: vec![HELPER.into()],
        })
        .unwrap_err();
    assert_eq!(err.code, 232014);
    let removed = emulator
        .act(Action::RemoveBots {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            bots: vec![HELPER.into()],
        })
        .unwrap();
    assert_eq!(
        types(&removed),
        vec![("im.chat.member.bot.deleted_v1", HELPER.to_owned())]
    );
    let removed = emulator
        .act(Action::RemoveUsers {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![WANG_WU.into()],
        })
        .unwrap();
    assert_eq!(
        types(&removed),
        vec![("im.chat.member.user.deleted_v1", BOT.to_owned())]
    );
    assert_eq!(operator_open_id(&removed[0]), LI_SI);
}

#[test]
fn owners_update_transfer_and_disband() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let updated = emulator
        .act(Action::UpdateChat {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            changes: Box::new(ChatChanges {
                name: Some("公告群 v2".into()),
                add_member_permission: Some(WhoCan::OnlyOwner),
                ..ChatChanges::default()
            }),
        })
        .unwrap();
    assert_eq!(
        types(&updated),
        vec![("im.chat.updated_v1", BOT.to_owned())]
    );
    let event = &updated[0].body["event"];
    assert_eq!(event["operator_id"]["open_id"], LI_SI);
    assert_eq!(event["before_change"]["name"], "公告群");
    assert_eq!(event["after_change"]["name"], "公告群 v2");
    assert_eq!(event["after_change"]["add_member_permission"], "only_owner");
    // Now a plain member may not add people.
    let err = emulator
        .act(Action::AddUsers {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        })
        .unwrap_err();
    assert_eq!(err.code, 232017);
    // A plain member may not change permissions.
    let err = emulator
        .act(Action::UpdateChat {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            changes: Box::new(ChatChanges {
                edit_permission: Some(WhoCan::AllMembers),
                ..ChatChanges::default()
            }),
        })
        .unwrap_err();
    assert_eq!(err.code, 232016);
    let err = emulator
        .act(Action::TransferOwner {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            new_owner: WANG_WU.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232016);
    let transferred = emulator
        .act(Action::TransferOwner {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            new_owner: WANG_WU.into(),
        })
        .unwrap();
    let event = &transferred[0].body["event"];
    assert_eq!(transferred[0].event_type(), "im.chat.updated_v1");
    assert_eq!(event["before_change"]["owner_id"]["open_id"], LI_SI);
    assert_eq!(event["after_change"]["owner_id"]["open_id"], WANG_WU);
    // The old owner can no longer disband; the new one can.
    let err = emulator
        .act(Action::DisbandChat {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232017);
    let disbanded = emulator
        .act(Action::DisbandChat {
            user: WANG_WU.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&disbanded),
        vec![("im.chat.disbanded_v1", BOT.to_owned())]
    );
    assert_eq!(operator_open_id(&disbanded[0]), WANG_WU);
    let err = emulator
        .act(Action::UserLeave {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232009);
}

#[test]
fn opening_a_p2p_chat_creates_it_once() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let first = emulator
        .act(Action::OpenP2pChat {
            user: WANG_WU.into(),
            bot: BOT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&first),
        vec![
            ("p2p_chat_create", BOT.to_owned()),
            (
                "im.chat.access_event.bot_p2p_chat_entered_v1",
                BOT.to_owned()
            ),
        ]
    );
    let create = &first[0].body;
    assert_eq!(create["type"], "event_callback");
    assert_eq!(create["event"]["type"], "p2p_chat_create");
    assert_eq!(create["event"]["operator"]["open_id"], WANG_WU);
    assert_eq!(create["event"]["user"]["name"], "王五");
    assert_eq!(create["event"]["user"]["user_id"], WANG_WU_USER_ID);
    assert_eq!(create["event"]["tenant_key"], MAIN_TENANT);
    let chat_id = create["event"]["chat_id"].as_str().unwrap().to_owned();
    assert_eq!(first[1].body["event"]["chat_id"], chat_id.as_str());
    assert_eq!(operator_open_id(&first[1]), WANG_WU);
    for event in &first {
        let body = serde_json::to_vec(&event.body).unwrap();
        assert_eq!(decode(&body).unwrap(), event.event);
    }
    // Opening again: only "entered", same chat.
    let again = emulator
        .act(Action::OpenP2pChat {
            user: WANG_WU.into(),
            bot: BOT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&again),
        vec![(
            "im.chat.access_event.bot_p2p_chat_entered_v1",
            BOT.to_owned()
        )]
    );
    assert_eq!(again[0].body["event"]["chat_id"], chat_id.as_str());
    let snapshot = emulator.snapshot();
    let p2p: Vec<_> = snapshot
        .chats
        .iter()
        .filter(|c| c.chat_id == chat_id)
        .collect();
    assert_eq!(p2p.len(), 1);
    assert_eq!(p2p[0].members.len(), 2);
    // A bot not installed in the user's tenant cannot be opened.
    let err = emulator
        .act(Action::OpenP2pChat {
            user: WANG_WU.into(),
            bot: PARTNER_BOT.into(),
        })
        .unwrap_err();
    assert_eq!(err.code, 232034);
    // A store app gets p2p_chat_create (no user_id) but not the
    // custom-app-only "entered" event.
    let store = emulator
        .act(Action::OpenP2pChat {
            user: WANG_WU.into(),
            bot: MARKET_BOT.into(),
        })
        .unwrap();
    assert_eq!(
        types(&store),
        vec![("p2p_chat_create", MARKET_BOT.to_owned())]
    );
    assert!(store[0].body["event"]["user"].get("user_id").is_none());
}

#[test]
fn actions_parse_from_json_and_scripts_from_fixtures() {
    let action: Action = serde_json::from_str(&format!(
        r#"{{"action":"user_join","user":"{WANG_WU}","chat":"{PUBLIC_CHAT}"}}"#
    ))
    .unwrap();
    assert_eq!(
        action,
        Action::UserJoin {
            user: WANG_WU.into(),
            chat: PUBLIC_CHAT.into()
        }
    );
    assert!(serde_json::from_str::<Action>(r#"{"action":"fly","user":"x"}"#).is_err());
    assert!(serde_json::from_str::<Action>(
        r#"{"action":"user_join","user":"x","chat":"y","extra":1}"#
    )
    .is_err());

    let mut fixture: serde_json::Value =
        serde_json::from_str(feishu_emulator::DEFAULT_FIXTURE).unwrap();
    fixture["script"] = serde_json::json!([
        {"action": "user_join", "user": WANG_WU, "chat": PUBLIC_CHAT},
        {"delay_ms": 20, "action": "user_leave", "user": WANG_WU, "chat": PUBLIC_CHAT},
        {"action": "user_leave", "user": WANG_WU, "chat": PUBLIC_CHAT}
    ]);
    let fixture = Fixture::from_json(&fixture.to_string()).unwrap();
    assert_eq!(fixture.script.len(), 3);
    assert_eq!(fixture.script[1].delay_ms, 20);
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcomes = runtime
        .block_on(async { emulator.play_script().await })
        .unwrap();
    assert_eq!(outcomes[0], Ok(1));
    assert_eq!(outcomes[1], Ok(1));
    assert_eq!(outcomes[2].as_ref().unwrap_err().code, 232011);
    let logged: Vec<String> = emulator
        .event_log()
        .records()
        .into_iter()
        .map(|r| r.event_type)
        .collect();
    assert_eq!(
        logged,
        vec![
            "im.chat.member.user.added_v1",
            "im.chat.member.user.deleted_v1"
        ]
    );
}
