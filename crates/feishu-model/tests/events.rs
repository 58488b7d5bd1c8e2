#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Group events: every documented example decodes to its variant with every
//! field typed; unknown types are kept raw; bad bodies give errors naming the
//! field, never a panic.

use std::path::PathBuf;

use feishu_model::events::{
    decode, BotP2pChatEnteredV1, CallbackType, ChatChange, ChatDisbandedV1, ChatMemberBotAddedV1,
    ChatMemberBotDeletedV1, ChatMemberUser, ChatMemberUserAddedV1, ChatMemberUserDeletedV1,
    ChatMemberUserWithdrawnV1, ChatUpdatedV1, EventDecodeError, EventHeader, EventModerator,
    EventPayload, EventV1, EventV2, GroupEvent, ModeratorList, P2pChatCreate, P2pChatUser,
    UrlVerificationResponse, UserIds,
};
use feishu_model::im::types::{
    GroupMessageType, I18nNames, MembershipApproval, MessageVisibility, ModerationPermission,
    RestrictedModeSetting, RestrictedPermission, ShareCardPermission, WhoCan,
};
use proptest::prelude::*;
use rstest::rstest;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "events",
        &format!("{name}.json"),
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&fixture_bytes(name)).unwrap()
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

// ---------------------------------------------------------------------------
// "Every documented field is typed": no `extra` anywhere in a decoded example.

trait AllTyped {
    fn assert_all_typed(&self, at: &str);
}

impl<T: AllTyped> AllTyped for Option<T> {
    fn assert_all_typed(&self, at: &str) {
        if let Some(inner) = self {
            inner.assert_all_typed(at);
        }
    }
}

impl<T: AllTyped> AllTyped for Vec<T> {
    fn assert_all_typed(&self, at: &str) {
        for (i, item) in self.iter().enumerate() {
            item.assert_all_typed(&format!("{at}[{i}]"));
        }
    }
}

macro_rules! all_typed {
    ($ty:ty { $($field:ident),* }) => {
        impl AllTyped for $ty {
            fn assert_all_typed(&self, at: &str) {
                assert!(self.extra.is_empty(), "untyped fields at {at}: {:?}", self.extra);
                $( self.$field.assert_all_typed(&format!("{at}.{}", stringify!($field))); )*
            }
        }
    };
}

all_typed!(UserIds {});
all_typed!(I18nNames {});
all_typed!(RestrictedModeSetting {});
all_typed!(EventHeader {});
all_typed!(P2pChatUser {});
all_typed!(ChatMemberUser { user_id });
all_typed!(EventModerator { user_id });
all_typed!(ModeratorList {
    added_member_list,
    removed_member_list
});
all_typed!(ChatChange {
    i18n_names,
    owner_id,
    restricted_mode_setting
});
all_typed!(ChatDisbandedV1 {
    operator_id,
    i18n_names
});
all_typed!(ChatUpdatedV1 {
    operator_id,
    after_change,
    before_change,
    moderator_list
});
all_typed!(ChatMemberBotAddedV1 {
    operator_id,
    i18n_names
});
all_typed!(ChatMemberBotDeletedV1 {
    operator_id,
    i18n_names
});
all_typed!(ChatMemberUserAddedV1 {
    operator_id,
    users,
    i18n_names
});
all_typed!(ChatMemberUserDeletedV1 {
    operator_id,
    users,
    i18n_names
});
all_typed!(ChatMemberUserWithdrawnV1 {
    operator_id,
    users,
    i18n_names
});
all_typed!(BotP2pChatEnteredV1 { operator_id });
all_typed!(P2pChatCreate { operator, user });

impl<E: AllTyped> AllTyped for EventV2<E> {
    fn assert_all_typed(&self, at: &str) {
        assert!(
            self.extra.is_empty(),
            "untyped fields at {at}: {:?}",
            self.extra
        );
        self.header.assert_all_typed(&format!("{at}.header"));
        self.event.assert_all_typed(&format!("{at}.event"));
    }
}

impl<E: AllTyped> AllTyped for EventV1<E> {
    fn assert_all_typed(&self, at: &str) {
        assert!(
            self.extra.is_empty(),
            "untyped fields at {at}: {:?}",
            self.extra
        );
        self.event.assert_all_typed(&format!("{at}.event"));
    }
}

/// Checks a typed v2 event against the documented example it came from.
fn check_v2<E: AllTyped + Serialize + EventPayload + std::fmt::Debug>(
    event: &EventV2<E>,
    doc: &Value,
) {
    assert_eq!(event.header.event_type, E::EVENT_TYPE);
    assert_eq!(to_value(&event.event), doc["event"], "payload differs");
    assert_eq!(to_value(event), *doc, "envelope differs");
    event.assert_all_typed("$");
    // The Verification Token never shows in Debug output.
    let token = doc["header"]["token"].as_str().unwrap();
    assert_eq!(event.header.token.expose(), token);
    assert!(!format!("{event:?}").contains(token));
}

/// Name of the variant, to compare with the expected one.
fn variant(event: &GroupEvent) -> &'static str {
    match event {
        GroupEvent::UrlVerification { .. } => "UrlVerification",
        GroupEvent::ChatDisbanded(_) => "ChatDisbanded",
        GroupEvent::ChatUpdated(_) => "ChatUpdated",
        GroupEvent::BotAdded(_) => "BotAdded",
        GroupEvent::BotDeleted(_) => "BotDeleted",
        GroupEvent::UserAdded(_) => "UserAdded",
        GroupEvent::UserDeleted(_) => "UserDeleted",
        GroupEvent::UserWithdrawn(_) => "UserWithdrawn",
        GroupEvent::BotP2pChatEntered(_) => "BotP2pChatEntered",
        GroupEvent::P2pChatCreate(_) => "P2pChatCreate",
        GroupEvent::Unknown { .. } => "Unknown",
        _ => "other",
    }
}

#[rstest]
#[case("im.chat.disbanded_v1", "ChatDisbanded")]
#[case("im.chat.updated_v1", "ChatUpdated")]
#[case("im.chat.member.bot.added_v1", "BotAdded")]
#[case("im.chat.member.bot.deleted_v1", "BotDeleted")]
#[case("im.chat.member.user.added_v1", "UserAdded")]
#[case("im.chat.member.user.deleted_v1", "UserDeleted")]
#[case("im.chat.member.user.withdrawn_v1", "UserWithdrawn")]
#[case("im.chat.access_event.bot_p2p_chat_entered_v1", "BotP2pChatEntered")]
#[case("p2p_chat_create", "P2pChatCreate")]
fn documented_example_decodes_to_its_variant(#[case] event_type: &str, #[case] expected: &str) {
    let doc = fixture(event_type);
    let event = decode(&fixture_bytes(event_type)).unwrap();
    assert_eq!(variant(&event), expected);
    assert_eq!(event.event_type(), event_type);

    match &event {
        GroupEvent::ChatDisbanded(e) => check_v2(e, &doc),
        GroupEvent::ChatUpdated(e) => check_v2(e, &doc),
        GroupEvent::BotAdded(e) => check_v2(e, &doc),
        GroupEvent::BotDeleted(e) => check_v2(e, &doc),
        GroupEvent::UserAdded(e) => check_v2(e, &doc),
        GroupEvent::UserDeleted(e) => check_v2(e, &doc),
        GroupEvent::UserWithdrawn(e) => check_v2(e, &doc),
        GroupEvent::BotP2pChatEntered(e) => check_v2(e, &doc),
        GroupEvent::P2pChatCreate(e) => {
            assert_eq!(to_value(&e.event), doc["event"], "payload differs");
            assert_eq!(to_value(e.as_ref()), doc, "envelope differs");
            e.assert_all_typed("$");
            assert_eq!(e.event.event_type, P2pChatCreate::EVENT_TYPE);
        }
        other => panic!("unexpected {other:?}"),
    }

    // Header accessors and token hiding on the enum itself.
    let token = doc
        .get("header")
        .map_or(&doc["token"], |h| &h["token"])
        .as_str()
        .unwrap();
    assert_eq!(event.verification_token(), Some(token));
    assert!(!format!("{event:?}").contains(token));
    assert_eq!(event.header().is_some(), doc.get("header").is_some());
}

#[test]
fn updated_v1_settings_are_typed() {
    let GroupEvent::ChatUpdated(e) = decode(&fixture_bytes("im.chat.updated_v1")).unwrap() else {
        panic!("wrong variant")
    };
    let after = e.event.after_change.as_ref().unwrap();
    assert_eq!(after.add_member_permission, Some(WhoCan::AllMembers));
    assert_eq!(
        after.share_card_permission,
        Some(ShareCardPermission::Allowed)
    );
    assert_eq!(after.at_all_permission, Some(WhoCan::OnlyOwner));
    assert_eq!(after.edit_permission, Some(WhoCan::AllMembers));
    assert_eq!(
        after.membership_approval,
        Some(MembershipApproval::ApprovalRequired)
    );
    assert_eq!(
        after.join_message_visibility,
        Some(MessageVisibility::AllMembers)
    );
    assert_eq!(
        after.leave_message_visibility,
        Some(MessageVisibility::AllMembers)
    );
    assert_eq!(
        after.moderation_permission,
        Some(ModerationPermission::AllMembers)
    );
    assert_eq!(after.group_message_type, Some(GroupMessageType::Thread));
    let restricted = after.restricted_mode_setting.as_ref().unwrap();
    assert_eq!(restricted.status, Some(false));
    assert_eq!(
        restricted.screenshot_has_permission_setting,
        Some(RestrictedPermission::AllMembers)
    );
    assert_eq!(
        after.owner_id.as_ref().unwrap().open_id.as_deref(),
        Some("ou_84aad35d084aa403a838cf73ee18467")
    );
    let moderators = e.event.moderator_list.as_ref().unwrap();
    let added = moderators.added_member_list.as_ref().unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].tenant_key.as_ref().unwrap().as_str(), "86gwe65");
    assert_eq!(
        added[0].user_id.as_ref().unwrap().user_id.as_deref(),
        Some("e33ggbyz")
    );
    assert_eq!(moderators.removed_member_list.as_ref().unwrap().len(), 1);
    assert_eq!(e.header.app_id.as_str(), "cli_9f5343c580712544");
    assert_eq!(e.header.create_time, "1608725989000");
}

#[test]
fn documented_unknown_permission_value_is_kept() {
    // The updated_v1 page lists `unknown` (not set) for the permission fields.
    let mut doc = fixture("im.chat.updated_v1");
    doc["event"]["before_change"]["add_member_permission"] = json!("unknown");
    doc["event"]["before_change"]["share_card_permission"] = json!("unknown");
    let GroupEvent::ChatUpdated(e) = decode(&serde_json::to_vec(&doc).unwrap()).unwrap() else {
        panic!("wrong variant")
    };
    let before = e.event.before_change.as_ref().unwrap();
    assert_eq!(
        before.add_member_permission.as_ref().unwrap().as_str(),
        "unknown"
    );
    assert_eq!(
        before.share_card_permission.as_ref().unwrap().as_str(),
        "unknown"
    );
    assert_eq!(
        before.add_member_permission,
        Some(feishu_model::im::types::WhoCan::NotSet)
    );
    assert_eq!(
        before.share_card_permission,
        Some(feishu_model::im::types::ShareCardPermission::NotSet)
    );
    assert_eq!(to_value(e.as_ref()), doc);
}

#[test]
fn member_users_are_typed() {
    let GroupEvent::UserAdded(e) = decode(&fixture_bytes("im.chat.member.user.added_v1")).unwrap()
    else {
        panic!("wrong variant")
    };
    let users = e.event.users.as_ref().unwrap();
    assert_eq!(users[0].name.as_deref(), Some("user name"));
    assert_eq!(
        users[0].tenant_key.as_ref().unwrap().as_str(),
        "3774yuu3743"
    );
    assert_eq!(
        e.event.chat_id.as_str(),
        "oc_413871888e0d5492e25b173f0812efb7"
    );
    assert_eq!(e.event.external, Some(false));
    assert_eq!(
        e.event.i18n_names.as_ref().unwrap().en_us.as_deref(),
        Some("group chat")
    );
}

#[test]
fn p2p_chat_create_is_typed() {
    let GroupEvent::P2pChatCreate(e) = decode(&fixture_bytes("p2p_chat_create")).unwrap() else {
        panic!("wrong variant")
    };
    assert_eq!(e.callback_type, CallbackType::EventCallback);
    assert_eq!(e.ts, "1502199207.7171419");
    assert_eq!(e.uuid, "bc447199585340d1f3728d26b1c0297a");
    assert_eq!(e.event.app_id.as_str(), "cli_9c8609450f78d102");
    assert_eq!(e.event.tenant_key.as_str(), "736588c9260f175c");
    assert_eq!(e.event.user.as_ref().unwrap().name.as_deref(), Some("张三"));
    assert_eq!(
        e.event.operator.as_ref().unwrap().open_id.as_deref(),
        Some("ou_2d2c0399b53d06fd195bb393cd1e38f2")
    );
    assert!(!format!("{e:?}").contains("41a9425ea7df4536a7623e38fa321bae"));
}

#[test]
fn url_verification_is_its_own_variant() {
    let event = decode(&fixture_bytes("url_verification")).unwrap();
    let GroupEvent::UrlVerification { challenge, token } = &event else {
        panic!("wrong variant: {event:?}")
    };
    assert_eq!(challenge, "ajls384kdjxxxx");
    assert_eq!(token.expose(), "xxxxxx");
    assert_eq!(event.event_type(), "url_verification");
    assert_eq!(event.verification_token(), Some("xxxxxx"));
    assert!(!format!("{event:?}").contains("xxxxxx"));
    let answer = UrlVerificationResponse::new(challenge.clone());
    assert_eq!(to_value(&answer), json!({"challenge": "ajls384kdjxxxx"}));
}

#[test]
fn envelopes_decode_directly_with_serde() {
    let e: EventV2<ChatDisbandedV1> =
        serde_json::from_slice(&fixture_bytes("im.chat.disbanded_v1")).unwrap();
    assert_eq!(e.schema, "2.0");
    assert_eq!(e.event.name.as_deref(), Some("群名称测试"));
    let e: EventV1<P2pChatCreate> =
        serde_json::from_slice(&fixture_bytes("p2p_chat_create")).unwrap();
    assert_eq!(
        e.event.chat_id.as_str(),
        "oc_26b66a5eb603162b849f91bcd8815b20"
    );
}

#[test]
fn undocumented_fields_survive_at_every_level() {
    let mut doc = fixture("im.chat.member.user.deleted_v1");
    doc["new_top"] = json!(1);
    doc["header"]["new_header"] = json!("h");
    doc["event"]["new_event"] = json!({"a": [1, 2]});
    doc["event"]["users"][0]["user_id"]["new_id"] = json!("x");
    let GroupEvent::UserDeleted(e) = decode(&serde_json::to_vec(&doc).unwrap()).unwrap() else {
        panic!("wrong variant")
    };
    assert_eq!(e.extra.get("new_top"), Some(&json!(1)));
    assert_eq!(e.header.extra.get("new_header"), Some(&json!("h")));
    assert_eq!(e.event.extra.get("new_event"), Some(&json!({"a": [1, 2]})));
    let users = e.event.users.as_ref().unwrap();
    assert_eq!(
        users[0].user_id.as_ref().unwrap().extra.get("new_id"),
        Some(&json!("x"))
    );
    assert_eq!(to_value(e.as_ref()), doc);
}

// ---------------------------------------------------------------------------
// Unknown event types are kept raw.

#[rstest]
#[case::v2(json!({
    "schema": "2.0",
    "header": {"event_id": "e1", "event_type": "contact.user.created_v3", "create_time": "1",
               "token": "secret-token-v2", "app_id": "cli_1", "tenant_key": "t"},
    "event": {"message": {"message_id": "om_1"}}
}), "contact.user.created_v3", "secret-token-v2")]
#[case::v1(json!({
    "ts": "1", "uuid": "u", "token": "secret-token-v1", "type": "event_callback",
    "event": {"type": "message", "text": "hi"}
}), "message", "secret-token-v1")]
#[case::other_schema(json!({
    "schema": "3.0",
    "header": {"event_type": "im.chat.updated_v1", "token": "secret-token-v3"},
    "event": {"chat_id": 5}
}), "im.chat.updated_v1", "secret-token-v3")]
fn unknown_event_type_is_kept_raw(
    #[case] body: Value,
    #[case] event_type: &str,
    #[case] token: &str,
) {
    let event = decode(&serde_json::to_vec(&body).unwrap()).unwrap();
    assert_eq!(event.event_type(), event_type);
    assert_eq!(event.verification_token(), Some(token));
    assert!(event.header().is_none());
    assert!(!format!("{event:?}").contains(token), "{event:?}");
    match event {
        GroupEvent::Unknown {
            event_type: got,
            body: kept,
        } => {
            assert_eq!(got, event_type);
            assert_eq!(kept, body);
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Bad bodies give errors naming what is wrong.

#[rstest]
#[case(b"".as_slice())]
#[case(b"{".as_slice())]
#[case(b"{\"schema\": \"2.0\",}".as_slice())]
#[case(b"\xff\xfe".as_slice())]
#[case(b"{} trailing".as_slice())]
fn malformed_json_is_a_syntax_error(#[case] body: &[u8]) {
    let err = decode(body).unwrap_err();
    assert!(
        matches!(err, EventDecodeError::Syntax { line, column, .. } if line >= 1 && column <= body.len() + 1),
        "{err:?}"
    );
    assert!(err.to_string().contains("not valid JSON"));
}

#[test]
fn a_typed_v2_event_broken_after_its_header_is_a_syntax_error() {
    // The event type is read from the header alone; the rest of the body
    // is still checked.
    let body = br#"{"schema":"2.0","header":{"event_id":"e1","event_type":"im.chat.disbanded_v1","create_time":"1","token":"t","app_id":"a","tenant_key":"k"},"event":{"chat_id": }}"#;
    let err = decode(body).unwrap_err();
    assert!(
        matches!(err, EventDecodeError::Syntax { line: 1, .. }),
        "{err:?}"
    );
}

#[test]
fn a_url_verification_before_the_header_is_a_challenge() {
    let body = br#"{"type":"url_verification","challenge":"c-1","token":"t","schema":"2.0","header":{"event_type":"im.chat.disbanded_v1"}}"#;
    let event = decode(body).unwrap();
    assert!(
        matches!(&event, GroupEvent::UrlVerification { challenge, .. } if challenge == "c-1"),
        "{event:?}"
    );
}

#[test]
fn syntax_error_gives_line_and_column() {
    let err = decode(b"{\n  \"schema\": \"2.0\"\n  \"header\": {}\n}").unwrap_err();
    let EventDecodeError::Syntax { line, column, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!((line, column), (3, 3));
}

#[rstest]
#[case(b"[]".as_slice(), EventDecodeError::NotAnObject)]
#[case(b"null".as_slice(), EventDecodeError::NotAnObject)]
#[case(b"\"event\"".as_slice(), EventDecodeError::NotAnObject)]
#[case(b"{}".as_slice(), EventDecodeError::NotACallback)]
#[case(b"{\"type\": \"event_callback\"}".as_slice(), EventDecodeError::NotACallback)]
#[case(b"{\"encrypt\": \"FIAfJPGRmFZWkaxPQ1XrJZVbv2JwdjfLk4jx0k/U1deAqYK3AXOZ5zcHt/cC4ZNTqYwWUW/EoL+b2hW/C4zoAQQ5CeMtbxX2zHjm+E4nX/Aww+FHUL6iuIMaeL2KLxqdtbHRC50vgC2YI7xohnb3KuCNBMUzLiPLNN3UYhjx6Q=\"}".as_slice(), EventDecodeError::Encrypted)]
fn bodies_that_are_not_callbacks(#[case] body: &[u8], #[case] expected: EventDecodeError) {
    assert_eq!(decode(body).unwrap_err(), expected);
}

/// Applies `edit` to a documented example and returns the decode error.
fn error_after(name: &str, edit: impl FnOnce(&mut Value)) -> EventDecodeError {
    let mut doc = fixture(name);
    edit(&mut doc);
    decode(&serde_json::to_vec(&doc).unwrap()).unwrap_err()
}

#[rstest]
#[case::chat_id_not_a_string(
    "im.chat.disbanded_v1",
    |d: &mut Value| d["event"]["chat_id"] = json!(42),
    Some("im.chat.disbanded_v1"), "event.chat_id", "invalid type"
)]
#[case::chat_id_missing(
    "im.chat.member.bot.added_v1",
    |d: &mut Value| { d["event"].as_object_mut().unwrap().remove("chat_id"); },
    Some("im.chat.member.bot.added_v1"), "event.chat_id", "missing field `chat_id`"
)]
#[case::nested_in_a_list(
    "im.chat.member.user.withdrawn_v1",
    |d: &mut Value| d["event"]["users"][0]["user_id"]["open_id"] = json!(["x"]),
    Some("im.chat.member.user.withdrawn_v1"), "event.users[0].user_id.open_id", "invalid type"
)]
#[case::enum_not_a_string(
    "im.chat.updated_v1",
    |d: &mut Value| d["event"]["after_change"]["edit_permission"] = json!(true),
    Some("im.chat.updated_v1"), "event.after_change.edit_permission", "invalid type"
)]
#[case::moderator_list(
    "im.chat.updated_v1",
    |d: &mut Value| d["event"]["moderator_list"]["removed_member_list"] = json!({"a": 1}),
    Some("im.chat.updated_v1"), "event.moderator_list.removed_member_list", "invalid type"
)]
#[case::bool_field(
    "im.chat.member.user.deleted_v1",
    |d: &mut Value| d["event"]["external"] = json!("false"),
    Some("im.chat.member.user.deleted_v1"), "event.external", "invalid type"
)]
#[case::event_missing(
    "im.chat.access_event.bot_p2p_chat_entered_v1",
    |d: &mut Value| { d.as_object_mut().unwrap().remove("event"); },
    Some("im.chat.access_event.bot_p2p_chat_entered_v1"), "event", "missing field `event`"
)]
#[case::header_token_missing(
    "im.chat.member.bot.deleted_v1",
    |d: &mut Value| { d["header"].as_object_mut().unwrap().remove("token"); },
    Some("im.chat.member.bot.deleted_v1"), "header.token", "missing field `token`"
)]
#[case::header_missing(
    "im.chat.updated_v1",
    |d: &mut Value| { d.as_object_mut().unwrap().remove("header"); },
    None, "header", "missing field `header`"
)]
#[case::header_not_an_object(
    "im.chat.updated_v1",
    |d: &mut Value| d["header"] = json!("h"),
    None, "header", "invalid type"
)]
#[case::event_type_not_a_string(
    "im.chat.updated_v1",
    |d: &mut Value| d["header"]["event_type"] = json!(7),
    None, "header.event_type", "invalid type"
)]
#[case::v1_type_missing(
    "p2p_chat_create",
    |d: &mut Value| { d["event"].as_object_mut().unwrap().remove("type"); },
    None, "event.type", "missing field `type`"
)]
#[case::v1_uuid_missing(
    "p2p_chat_create",
    |d: &mut Value| { d.as_object_mut().unwrap().remove("uuid"); },
    Some("p2p_chat_create"), "uuid", "missing field `uuid`"
)]
#[case::v1_user_name(
    "p2p_chat_create",
    |d: &mut Value| d["event"]["user"]["name"] = json!(5),
    Some("p2p_chat_create"), "event.user.name", "invalid type"
)]
#[case::challenge_missing(
    "url_verification",
    |d: &mut Value| { d.as_object_mut().unwrap().remove("challenge"); },
    Some("url_verification"), "challenge", "missing field `challenge`"
)]
fn known_event_with_bad_field_names_type_and_path(
    #[case] name: &str,
    #[case] edit: fn(&mut Value),
    #[case] event_type: Option<&str>,
    #[case] path: &str,
    #[case] message: &str,
) {
    let err = error_after(name, edit);
    assert_eq!(err.path(), Some(path), "{err:?}");
    assert_eq!(err.event_type(), event_type, "{err:?}");
    let text = err.to_string();
    assert!(text.contains(path), "{text}");
    assert!(text.contains(message), "{text}");
    if let Some(event_type) = event_type {
        assert!(text.contains(event_type), "{text}");
    }
    // The Verification Token never leaks through an error.
    assert!(!text.contains("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV"));
}

#[test]
fn callback_type_round_trips_known_values() {
    for value in CallbackType::KNOWN {
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(serde_json::from_str::<CallbackType>(&json).unwrap(), *value);
    }
    assert_eq!(
        CallbackType::from("url_verification"),
        CallbackType::UrlVerification
    );
}

// ---------------------------------------------------------------------------
// Properties: decode never panics; typed payloads never panic.

const KEYS: &[&str] = &[
    "schema",
    "header",
    "event",
    "event_type",
    "type",
    "token",
    "challenge",
    "encrypt",
    "chat_id",
    "users",
    "user_id",
    "operator_id",
    "i18n_names",
    "after_change",
    "moderator_list",
    "added_member_list",
    "uuid",
    "ts",
    "app_id",
    "tenant_key",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(json!("2.0")),
        Just(json!("url_verification")),
        Just(json!("event_callback")),
        Just(json!("p2p_chat_create")),
        Just(json!("im.chat.updated_v1")),
        Just(json!("im.chat.member.user.added_v1")),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(KEYS).prop_map(str::to_owned),
        "[a-z_]{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(json_key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(json_key(), json_value(), 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

const EVENT_TYPES: &[&str] = &[
    "im.chat.disbanded_v1",
    "im.chat.updated_v1",
    "im.chat.member.bot.added_v1",
    "im.chat.member.bot.deleted_v1",
    "im.chat.member.user.added_v1",
    "im.chat.member.user.deleted_v1",
    "im.chat.member.user.withdrawn_v1",
    "im.chat.access_event.bot_p2p_chat_entered_v1",
    "p2p_chat_create",
    "url_verification",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn decode_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn decode_never_panics_on_objects(body in json_object()) {
        let bytes = serde_json::to_vec(&body).unwrap();
        if let Ok(GroupEvent::Unknown { body: kept, .. }) = decode(&bytes) {
            prop_assert_eq!(kept, body);
        }
    }

    /// A documented example with one field replaced by arbitrary JSON.
    #[test]
    fn decode_never_panics_on_mutated_examples(
        which in proptest::sample::select(EVENT_TYPES),
        path in proptest::collection::vec(json_key(), 1..4),
        replacement in json_value(),
    ) {
        let mut doc = fixture(which);
        let mut at = &mut doc;
        for key in &path[..path.len() - 1] {
            if !at.is_object() {
                break;
            }
            at = at.as_object_mut().unwrap().entry(key.clone()).or_insert(json!({}));
        }
        if let Some(map) = at.as_object_mut() {
            map.insert(path[path.len() - 1].clone(), replacement);
        }
        match decode(&serde_json::to_vec(&doc).unwrap()) {
            Ok(GroupEvent::Unknown { body, .. }) => prop_assert_eq!(body, doc),
            Ok(_) => {}
            Err(err) => {
                // Errors render, and name a path when a field is at fault.
                let _ = err.to_string();
                if let EventDecodeError::Field { path, .. } = &err {
                    prop_assert!(!path.is_empty() || err.event_type().is_some());
                }
            }
        }
    }

    /// A v2 envelope of a known type with an arbitrary `event` object.
    #[test]
    fn known_v2_types_never_panic_on_arbitrary_payloads(
        which in proptest::sample::select(&EVENT_TYPES[..8]),
        event in json_object(),
    ) {
        let mut doc = fixture(which);
        doc["event"] = event;
        let _ = decode(&serde_json::to_vec(&doc).unwrap());
    }

    #[test]
    fn payloads_never_panic_on_arbitrary_objects(body in json_object()) {
        let _ = serde_json::from_value::<ChatDisbandedV1>(body.clone());
        let _ = serde_json::from_value::<ChatUpdatedV1>(body.clone());
        let _ = serde_json::from_value::<ChatMemberBotAddedV1>(body.clone());
        let _ = serde_json::from_value::<ChatMemberBotDeletedV1>(body.clone());
        let _ = serde_json::from_value::<ChatMemberUserAddedV1>(body.clone());
        let _ = serde_json::from_value::<ChatMemberUserDeletedV1>(body.clone());
        let _ = serde_json::from_value::<ChatMemberUserWithdrawnV1>(body.clone());
        let _ = serde_json::from_value::<BotP2pChatEnteredV1>(body.clone());
        let _ = serde_json::from_value::<P2pChatCreate>(body.clone());
        let _ = serde_json::from_value::<ChatChange>(body.clone());
        let _ = serde_json::from_value::<ModeratorList>(body.clone());
        let _ = serde_json::from_value::<EventHeader>(body.clone());
        let _ = serde_json::from_value::<EventV2<ChatUpdatedV1>>(body.clone());
        let _ = serde_json::from_value::<EventV1<P2pChatCreate>>(body);
    }

    #[test]
    fn callback_type_round_trips_any_string(s in ".*") {
        let json = serde_json::to_string(&s).unwrap();
        let decoded: CallbackType = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(decoded.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
    }
}
