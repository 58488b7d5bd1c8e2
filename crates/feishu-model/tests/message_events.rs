#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Message events: every documented example decodes to its typed variant,
//! round-trips, and gives its chat id and de-duplication key; the helpers a
//! bot uses on a received message; undocumented fields and values survive.

use std::path::PathBuf;

use feishu_model::events::{
    decode, EventChatType, EventDecodeError, EventPayload, EventSenderType, EventV2, GroupEvent,
    MentionedType, MessageReactionCreatedV1, MessageReactionDeletedV1, MessageReadV1,
    MessageRecalledV1, MessageReceiveV1, RecallType, UserIds,
};
use feishu_model::im::content::ReceivedContent;
use feishu_model::im::msg_type::MsgType;
use feishu_model::im::reaction::{EmojiType, OperatorType};
use rstest::rstest;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "events",
        &format!("{name}.json"),
    ]
    .iter()
    .collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap()
}

fn decoded(doc: &Value) -> GroupEvent {
    decode(&serde_json::to_vec(doc).unwrap()).unwrap()
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// The received-message example, with its `message` edited.
fn received_with(edit: impl FnOnce(&mut Value)) -> Box<EventV2<MessageReceiveV1>> {
    let mut doc = fixture("im.message.receive_v1");
    edit(&mut doc["event"]["message"]);
    match decoded(&doc) {
        GroupEvent::MessageReceived(e) => e,
        other => panic!("expected MessageReceived, got {other:?}"),
    }
}

/// Checks a typed v2 event against its documented example: the payload and
/// the whole envelope serialize back to the example, nothing is left
/// untyped at the top of the payload, the token stays out of Debug.
fn check_v2<E: Serialize + EventPayload + std::fmt::Debug>(
    event: &EventV2<E>,
    doc: &Value,
    extra: impl Fn(&E) -> bool,
) {
    assert_eq!(event.header.event_type, E::EVENT_TYPE);
    assert_eq!(to_value(&event.event), doc["event"], "payload differs");
    assert_eq!(to_value(event), *doc, "envelope differs");
    assert!(extra(&event.event), "untyped fields in the payload");
    let token = doc["header"]["token"].as_str().unwrap();
    assert!(!format!("{event:?}").contains(token));
}

#[rstest]
#[case(
    "im.message.receive_v1",
    Some("oc_5ce6d572455d361153b7xx51da133945"),
    "im.message.receive_v1:om_5ce6d572455d361153b7cb51da133945"
)]
#[case("im.message.message_read_v1", None, "5e3702a84e847582be8db7fb73283c02")]
#[case(
    "im.message.recalled_v1",
    Some("oc_5ad11d72b830411d72b836c20"),
    "5e3702a84e847582be8db7fb73283c02"
)]
#[case(
    "im.message.reaction.created_v1",
    None,
    "5e3702a84e847582be8db7fb73283c02"
)]
#[case(
    "im.message.reaction.deleted_v1",
    None,
    "5e3702a84e847582be8db7fb73283c02"
)]
fn documented_example_decodes_to_its_variant(
    #[case] event_type: &str,
    #[case] chat_id: Option<&str>,
    #[case] dedup_key: &str,
) {
    let doc = fixture(event_type);
    let event = decoded(&doc);
    assert_eq!(event.event_type(), event_type);
    assert_eq!(event.event_id(), Some("5e3702a84e847582be8db7fb73283c02"));
    assert_eq!(event.chat_id(), chat_id);
    assert_eq!(event.dedup_key().as_deref(), Some(dedup_key));
    assert_eq!(
        event.verification_token(),
        Some("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV")
    );
    assert!(!format!("{event:?}").contains("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV"));

    match (&event, event_type) {
        (GroupEvent::MessageReceived(e), "im.message.receive_v1") => check_v2(e, &doc, |p| {
            p.extra.is_empty() && p.sender.extra.is_empty() && p.message.extra.is_empty()
        }),
        (GroupEvent::MessageRead(e), "im.message.message_read_v1") => {
            check_v2(e, &doc, |p| p.extra.is_empty())
        }
        (GroupEvent::MessageRecalled(e), "im.message.recalled_v1") => {
            check_v2(e, &doc, |p| p.extra.is_empty())
        }
        (GroupEvent::MessageReactionCreated(e), "im.message.reaction.created_v1") => {
            check_v2(e, &doc, |p| p.extra.is_empty())
        }
        (GroupEvent::MessageReactionDeleted(e), "im.message.reaction.deleted_v1") => {
            check_v2(e, &doc, |p| p.extra.is_empty())
        }
        (other, _) => panic!("{event_type} decoded as {other:?}"),
    }
}

fn example_ids() -> UserIds {
    serde_json::from_value(json!({
        "union_id": "on_8ed6aa67826108097d9ee143816345",
        "user_id": "e33ggbyz",
        "open_id": "ou_84aad35d084aa403a838cf73ee18467"
    }))
    .unwrap()
}

#[test]
fn received_message_fields_are_typed() {
    let e = received_with(|_| {});
    let sender = &e.event.sender;
    assert_eq!(sender.sender_id, Some(example_ids()));
    assert_eq!(sender.sender_type, Some(EventSenderType::User));
    assert_eq!(
        sender.tenant_key.as_ref().unwrap().as_str(),
        "736588c9260f175e"
    );

    let m = &e.event.message;
    assert_eq!(m.message_id.as_str(), "om_5ce6d572455d361153b7cb51da133945");
    assert_eq!(
        m.root_id.as_ref().unwrap().as_str(),
        "om_5ce6d572455d361153b7cb5xxfsdfsdfdsf"
    );
    assert_eq!(m.parent_id, m.root_id);
    assert_eq!(m.create_time.as_deref(), Some("1609073151345"));
    assert_eq!(m.update_time.as_deref(), Some("1687343654666"));
    assert_eq!(m.chat_id.as_str(), "oc_5ce6d572455d361153b7xx51da133945");
    assert_eq!(m.thread_id.as_ref().unwrap().as_str(), "omt_d4be107c616");
    assert_eq!(m.chat_type, Some(EventChatType::Group));
    assert_eq!(m.message_type, MsgType::Text);
    assert_eq!(m.content, r#"{"text":"@_user_1 hello"}"#);
    assert!(m.user_agent.as_deref().unwrap().contains("Lark/6.7.5"));

    let mentions = m.mentions.as_ref().unwrap();
    assert_eq!(mentions.len(), 1);
    assert_eq!(mentions[0].key.as_deref(), Some("@_user_1"));
    assert_eq!(mentions[0].id, Some(example_ids()));
    assert_eq!(mentions[0].mentioned_type, Some(MentionedType::User));
    assert_eq!(mentions[0].name.as_deref(), Some("Tom"));
    assert_eq!(
        mentions[0].tenant_key.as_ref().unwrap().as_str(),
        "736588c9260f175e"
    );
    assert!(mentions[0].extra.is_empty());
}

#[test]
fn helpers_on_the_documented_example() {
    let e = received_with(|_| {});
    let ReceivedContent::Text(text) = e.event.content().unwrap() else {
        panic!("not text")
    };
    assert_eq!(text.text, "@_user_1 hello");
    assert_eq!(e.event.text().as_deref(), Some("@Tom hello"));
    assert_eq!(e.event.command_text().as_deref(), Some("hello"));

    let tom = "ou_84aad35d084aa403a838cf73ee18467";
    assert_eq!(
        e.event.mentions_open_id(tom).unwrap().name.as_deref(),
        Some("Tom")
    );
    assert!(e.event.is_mentioned(tom));
    assert!(!e.event.is_mentioned("ou_someone_else"));
    assert!(e.event.mentions_open_id("").is_none());
}

#[test]
fn helpers_on_a_post_and_on_other_types() {
    let post = received_with(|m| {
        m["message_type"] = json!("post");
        m["content"] = json!(json!({
            "title": "Release",
            "content": [[
                {"tag": "at", "user_id": "@_user_1", "user_name": ""},
                {"tag": "text", "text": " ship v2"}
            ]]
        })
        .to_string());
    });
    assert!(matches!(post.event.content(), Ok(ReceivedContent::Post(_))));
    assert_eq!(post.event.text().as_deref(), Some("Release\n@Tom ship v2"));
    assert_eq!(
        post.event.command_text().as_deref(),
        Some("Release\nship v2")
    );

    let image = received_with(|m| {
        m["message_type"] = json!("image");
        m["content"] = json!(r#"{"image_key":"img_v2_1"}"#);
        m.as_object_mut().unwrap().remove("mentions");
    });
    assert!(matches!(
        image.event.content(),
        Ok(ReceivedContent::Image(_))
    ));
    assert_eq!(image.event.text(), None);
    assert_eq!(image.event.command_text(), None);
    assert!(!image
        .event
        .is_mentioned("ou_84aad35d084aa403a838cf73ee18467"));

    // Content that does not match its type: an error naming the type, and
    // no text.
    let broken = received_with(|m| m["content"] = json!("{\"text\": 5}"));
    let err = broken.event.content().unwrap_err();
    assert_eq!(err.msg_type(), &MsgType::Text);
    assert_eq!(broken.event.text(), None);
}

#[test]
fn a_message_is_keyed_by_its_message_id_whatever_its_event_id() {
    let mut doc = fixture("im.message.receive_v1");
    let first = decoded(&doc);
    doc["header"]["event_id"] = json!("another-event-id");
    let again = decoded(&doc);
    assert_ne!(first.event_id(), again.event_id());
    assert_eq!(first.dedup_key(), again.dedup_key());

    doc["event"]["message"]["message_id"] = json!("om_other");
    let other = decoded(&doc);
    assert_eq!(
        other.dedup_key().as_deref(),
        Some("im.message.receive_v1:om_other")
    );

    // Events keyed by their event id change key with it.
    let mut doc = fixture("im.message.recalled_v1");
    let recalled = decoded(&doc);
    doc["header"]["event_id"] = json!("another-event-id");
    assert_eq!(
        decoded(&doc).dedup_key().as_deref(),
        Some("another-event-id")
    );
    assert_ne!(recalled.dedup_key(), decoded(&doc).dedup_key());
}

#[test]
fn read_recalled_and_reaction_fields_are_typed() {
    let GroupEvent::MessageRead(read) = decoded(&fixture("im.message.message_read_v1")) else {
        panic!()
    };
    let reader = read.event.reader.as_ref().unwrap();
    assert_eq!(reader.reader_id, Some(example_ids()));
    assert_eq!(reader.read_time.as_deref(), Some("1609484183000"));
    assert_eq!(
        reader.tenant_key.as_ref().unwrap().as_str(),
        "736588c9260f175e"
    );
    let ids = read.event.message_id_list.as_ref().unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].as_str(), "om_dc13264520392913993dd051dba21dcf");
    assert_eq!(MessageReadV1::EVENT_TYPE, "im.message.message_read_v1");

    let GroupEvent::MessageRecalled(recalled) = decoded(&fixture("im.message.recalled_v1")) else {
        panic!()
    };
    let r = &recalled.event;
    assert_eq!(r.message_id.as_str(), "om_dc13264520392913993dd051dba21dcf");
    assert_eq!(r.recall_time.as_deref(), Some("1615380573411"));
    assert_eq!(r.recall_type, Some(RecallType::MessageOwner));
    assert_eq!(MessageRecalledV1::EVENT_TYPE, "im.message.recalled_v1");

    for name in [
        "im.message.reaction.created_v1",
        "im.message.reaction.deleted_v1",
    ] {
        let event = decoded(&fixture(name));
        let (message_id, emoji, operator, user, app, time) = match &event {
            GroupEvent::MessageReactionCreated(e) => {
                let p = &e.event;
                (
                    &p.message_id,
                    &p.reaction_type,
                    &p.operator_type,
                    &p.user_id,
                    &p.app_id,
                    &p.action_time,
                )
            }
            GroupEvent::MessageReactionDeleted(e) => {
                let p = &e.event;
                (
                    &p.message_id,
                    &p.reaction_type,
                    &p.operator_type,
                    &p.user_id,
                    &p.app_id,
                    &p.action_time,
                )
            }
            other => panic!("{name} decoded as {other:?}"),
        };
        assert_eq!(message_id.as_str(), "om_dc1326***************51dba21dcf");
        assert_eq!(emoji.as_ref().unwrap().emoji_type, Some(EmojiType::Smile));
        // The example's `app/user` is not a documented value: kept as is.
        assert_eq!(
            *operator,
            Some(OperatorType::Unknown("app/user".to_owned()))
        );
        assert_eq!(*user, Some(example_ids()));
        assert_eq!(app.as_ref().unwrap().as_str(), "cli_9f53******712544");
        assert_eq!(time.as_deref(), Some("1627641418803"));
    }
    assert_eq!(
        MessageReactionCreatedV1::EVENT_TYPE,
        "im.message.reaction.created_v1"
    );
    assert_eq!(
        MessageReactionDeletedV1::EVENT_TYPE,
        "im.message.reaction.deleted_v1"
    );
}

#[test]
fn a_recall_without_a_chat_id_names_no_chat() {
    let mut doc = fixture("im.message.recalled_v1");
    doc["event"].as_object_mut().unwrap().remove("chat_id");
    let event = decoded(&doc);
    assert!(matches!(event, GroupEvent::MessageRecalled(_)));
    assert_eq!(event.chat_id(), None);
}

#[test]
fn undocumented_fields_and_values_survive() {
    let mut doc = fixture("im.message.receive_v1");
    doc["event"]["new_event"] = json!({"a": [1, 2]});
    doc["event"]["sender"]["new_sender"] = json!(true);
    doc["event"]["message"]["new_message"] = json!("m");
    doc["event"]["message"]["mentions"][0]["new_mention"] = json!(3);
    doc["event"]["message"]["mentions"][0]["id"]["new_id"] = json!("x");
    doc["event"]["message"]["chat_type"] = json!("topic");
    doc["event"]["message"]["message_type"] = json!("hologram");
    doc["event"]["sender"]["sender_type"] = json!("app");
    doc["event"]["message"]["mentions"][0]["mentioned_type"] = json!("all");
    let GroupEvent::MessageReceived(e) = decoded(&doc) else {
        panic!("wrong variant")
    };
    let p = &e.event;
    assert_eq!(p.extra.get("new_event"), Some(&json!({"a": [1, 2]})));
    assert_eq!(p.sender.extra.get("new_sender"), Some(&json!(true)));
    assert_eq!(p.message.extra.get("new_message"), Some(&json!("m")));
    let mention = &p.message.mentions.as_ref().unwrap()[0];
    assert_eq!(mention.extra.get("new_mention"), Some(&json!(3)));
    assert_eq!(
        mention.id.as_ref().unwrap().extra.get("new_id"),
        Some(&json!("x"))
    );
    assert_eq!(
        p.message.chat_type,
        Some(EventChatType::Unknown("topic".to_owned()))
    );
    assert_eq!(p.message.message_type, MsgType::from("hologram"));
    assert_eq!(
        p.sender.sender_type,
        Some(EventSenderType::Unknown("app".to_owned()))
    );
    assert_eq!(
        mention.mentioned_type,
        Some(MentionedType::Unknown("all".to_owned()))
    );
    assert_eq!(to_value(e.as_ref()), doc);

    let mut doc = fixture("im.message.recalled_v1");
    doc["event"]["recall_type"] = json!("robot");
    doc["event"]["new_field"] = json!(1);
    let GroupEvent::MessageRecalled(r) = decoded(&doc) else {
        panic!("wrong variant")
    };
    assert_eq!(
        r.event.recall_type,
        Some(RecallType::Unknown("robot".to_owned()))
    );
    assert_eq!(r.event.extra.get("new_field"), Some(&json!(1)));
    assert_eq!(to_value(r.as_ref()), doc);
}

#[rstest]
#[case("im.message.receive_v1", &["message", "message_id"], "event.message.message_id")]
#[case("im.message.receive_v1", &["message", "chat_id"], "event.message.chat_id")]
#[case("im.message.receive_v1", &["message", "content"], "event.message.content")]
#[case("im.message.recalled_v1", &["message_id"], "event.message_id")]
#[case("im.message.reaction.created_v1", &["message_id"], "event.message_id")]
fn a_missing_required_field_is_named(
    #[case] event_type: &str,
    #[case] at: &[&str],
    #[case] path: &str,
) {
    let mut doc = fixture(event_type);
    let (last, parents) = at.split_last().unwrap();
    let mut target = &mut doc["event"];
    for p in parents {
        target = &mut target[*p];
    }
    target.as_object_mut().unwrap().remove(*last);
    let err = decode(&serde_json::to_vec(&doc).unwrap()).unwrap_err();
    assert!(matches!(err, EventDecodeError::Field { .. }), "{err:?}");
    assert_eq!(err.path(), Some(path));
    assert_eq!(err.event_type(), Some(event_type));
}

#[test]
fn a_wrongly_typed_field_is_named() {
    let mut doc = fixture("im.message.receive_v1");
    doc["event"]["message"]["mentions"][0]["name"] = json!(7);
    let err = decode(&serde_json::to_vec(&doc).unwrap()).unwrap_err();
    assert_eq!(err.path(), Some("event.message.mentions[0].name"));
    assert_eq!(err.event_type(), Some("im.message.receive_v1"));
}
