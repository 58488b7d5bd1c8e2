//! What a user does in a conversation: send a text (with `@` mentions),
//! react to a message, read it, recall their own. Each runs the rules of
//! the API call that does the same thing, with the user as the operator,
//! and emits the message events to the bots the event pages name.

use feishu_model::codes;
use feishu_model::events::{
    MessageReactionCreatedV1, MessageReadV1, MessageReader, MessageRecalledV1, MessageReceiveV1,
    RecallType, UserIds,
};
use feishu_model::im::message::edit::DeleteMessage;
use feishu_model::im::message::item::ReceiveIdType;
use feishu_model::im::message::send::CreateMessage;
use feishu_model::im::msg_type::MsgType;
use feishu_model::im::reaction::{CreateReaction, Emoji, EmojiType, OperatorType};
use feishu_model::im::types::ChatMode;
use feishu_model::{AppId, ChatId, UserIdType};
use serde_json::json;

use super::as_user;
use crate::auth::Caller;
use crate::error::Failure;
use crate::events::{self, EmittedEvent};
use crate::handlers::message_view::{self, Recalled};
use crate::state::message::StoredMessage;
use crate::state::{Principal, UserKey, World};

/// Someone a text can @-mention: a member of the chat.
struct Candidate {
    name: String,
    open_id: String,
    bot: Option<AppId>,
    ids: UserIds,
}

/// The members of `chat` a text may mention, longest names first (so that
/// `@Ada Lovelace` wins over `@Ada`).
fn candidates(world: &World, chat: &ChatId) -> Vec<Candidate> {
    let Some(chat) = world.chats.get(chat) else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = chat
        .users()
        .filter_map(|key| {
            let user = world.dir.user(key)?;
            Some(Candidate {
                name: user.name.clone(),
                open_id: user.open_id.clone(),
                bot: None,
                ids: world.dir.event_ids(&Principal::User(key)),
            })
        })
        .chain(chat.bots().filter_map(|app_id| {
            let app = world.dir.apps.get(app_id)?;
            Some(Candidate {
                name: app.name.clone(),
                open_id: app.bot_open_id.clone(),
                bot: Some(app_id.clone()),
                ids: world.dir.event_ids(&Principal::Bot(app_id.clone())),
            })
        }))
        .filter(|c| !c.name.is_empty())
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.name.len()));
    out
}

/// The text with every `@Name` of a member as an `<at>` tag, and the
/// members mentioned, in order.
fn tag_mentions<'a>(text: &str, members: &'a [Candidate]) -> (String, Vec<&'a Candidate>) {
    let mut out = String::with_capacity(text.len());
    let mut mentioned = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match members.iter().find(|c| after.starts_with(c.name.as_str())) {
            Some(c) => {
                out.push_str(&format!("<at user_id=\"{}\">{}</at>", c.open_id, c.name));
                mentioned.push(c);
                rest = &after[c.name.len()..];
            }
            None => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, mentioned)
}

/// The newest message of `chat`.
fn newest(world: &World, chat: &ChatId) -> Option<StoredMessage> {
    let id = world.messages.by_chat.get(chat)?.last()?;
    world.messages.by_id.get(id).cloned()
}

/// `user` sends `text` to `chat`: the message, and `im.message.receive_v1`
/// for each bot that may see it.
pub(super) fn send(
    world: &mut World,
    caller: &Caller,
    user: UserKey,
    chat: &ChatId,
    text: &str,
    now_ms: i64,
) -> Result<(String, Vec<EmittedEvent>), Failure> {
    let members = candidates(world, chat);
    let (tagged, mentioned) = tag_mentions(text, &members);
    let content = json!({ "text": tagged }).to_string();
    let send = CreateMessage::new(ReceiveIdType::ChatId, chat.as_str(), MsgType::Text, content);
    as_user(world, caller, now_ms, send)?;
    let stored = newest(world, chat)
        .filter(|m| m.sender == Principal::User(user))
        .ok_or_else(|| Failure::code(codes::MESSAGE_INVALID_PARAM).because("the send was lost"))?;
    let Some(room) = world.chats.get(chat) else {
        return Ok((stored.id, Vec::new()));
    };
    let p2p = room.mode == ChatMode::P2p;
    let tenant = room.tenant.clone();
    let bots: Vec<AppId> = room.bots().cloned().collect();
    let received = message_view::message(
        &world.dir,
        &stored,
        &UserIdType::OpenId,
        Recalled::Absent,
        true,
    );
    let content = received
        .body
        .and_then(|b| b.content)
        .unwrap_or_else(|| stored.content.clone());
    let mentions: Vec<serde_json::Value> = mentioned
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "key": format!("@_user_{}", i + 1),
                "id": c.ids,
                "mentioned_type": if c.bot.is_some() { "bot" } else { "user" },
                "name": c.name,
                "tenant_key": tenant,
            })
        })
        .collect();
    let mut message = json!({
        "message_id": stored.id,
        "create_time": stored.create_ms.to_string(),
        "update_time": stored.update_ms.to_string(),
        "chat_id": chat,
        "chat_type": if p2p { "p2p" } else { "group" },
        "message_type": "text",
        "content": content,
    });
    if !mentions.is_empty() {
        message["mentions"] = serde_json::Value::Array(mentions);
    }
    let body = json!({
        "sender": {
            "sender_id": world.dir.event_ids(&Principal::User(user)),
            "sender_type": "user",
            "tenant_key": caller.tenant,
        },
        "message": message,
    });
    // The model's received-message types are read-only: built from the wire.
    let payload: MessageReceiveV1 = serde_json::from_value(body)
        .map_err(|e| Failure::code(codes::MESSAGE_INVALID_PARAM).because(e.to_string()))?;
    let mut emitted = Vec::new();
    for app in bots {
        let sees = p2p
            || mentioned.iter().any(|c| c.bot.as_ref() == Some(&app))
            || world.dir.apps.get(&app).is_some_and(|a| a.group_msg);
        if sees {
            emitted.extend(events::build(world, &app, &tenant, now_ms, payload.clone()));
        }
    }
    Ok((stored.id, emitted))
}

/// The bots of the chat `message` is in, with the chat's tenant.
fn bots_of(
    world: &World,
    message: &StoredMessage,
) -> (Vec<AppId>, Option<feishu_model::TenantKey>) {
    match world.chats.get(&message.chat) {
        Some(chat) => (chat.bots().cloned().collect(), Some(chat.tenant.clone())),
        None => (Vec::new(), None),
    }
}

/// The stored message `id`, or the documented 230001.
fn stored(world: &World, id: &str) -> Result<StoredMessage, Failure> {
    world.messages.by_id.get(id).cloned().ok_or_else(|| {
        Failure::code(codes::MESSAGE_INVALID_PARAM).because(format!("no message `{id}`"))
    })
}

/// `user` reacts to `message` with `emoji`: the reaction, and
/// `im.message.reaction.created_v1` for the bots in the chat.
pub(super) fn react(
    world: &mut World,
    caller: &Caller,
    user: UserKey,
    message: &str,
    emoji: &str,
    now_ms: i64,
) -> Result<Vec<EmittedEvent>, Failure> {
    let emoji = EmojiType::from(emoji);
    as_user(
        world,
        caller,
        now_ms,
        CreateReaction::new(message, emoji.clone()),
    )?;
    let m = stored(world, message)?;
    let (bots, tenant) = bots_of(world, &m);
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let payload = feishu_model::fill!(MessageReactionCreatedV1 {
        message_id: m.id.as_str().into(),
        reaction_type: Some(Emoji::new(emoji)),
        operator_type: Some(OperatorType::User),
        user_id: Some(world.dir.event_ids(&Principal::User(user))),
        action_time: Some(now_ms.to_string()),
    });
    Ok(bots
        .iter()
        .filter_map(|app| events::build(world, app, &tenant, now_ms, payload.clone()))
        .collect())
}

/// `user` reads `message`: recorded for the read-users API; the bot that
/// sent it in a one-to-one chat gets `im.message.message_read_v1`.
pub(super) fn read(
    world: &mut World,
    user: UserKey,
    message: &str,
    now_ms: i64,
) -> Result<Vec<EmittedEvent>, Failure> {
    let m = stored(world, message)?;
    let Some(chat) = world.chats.get(&m.chat) else {
        return Err(Failure::code(codes::MESSAGE_INVALID_PARAM).because("the chat is gone"));
    };
    if !chat.is_member(&Principal::User(user)) {
        return Err(Failure::code(codes::MESSAGE_LACKS_PERMISSION)
            .because("the user is not a member of the chat"));
    }
    if m.deleted {
        return Err(Failure::code(codes::MESSAGE_RECALLED));
    }
    let p2p = chat.mode == ChatMode::P2p;
    let tenant = chat.tenant.clone();
    let first = !world
        .messages
        .reads
        .iter()
        .any(|(id, reader, _)| id == &m.id && *reader == user);
    if m.sender == Principal::User(user) || !first {
        return Ok(Vec::new());
    }
    world.messages.reads.push((m.id.clone(), user, now_ms));
    let Principal::Bot(app) = &m.sender else {
        return Ok(Vec::new());
    };
    if !p2p {
        return Ok(Vec::new());
    }
    let reader_tenant = world.dir.user(user).map(|u| u.tenant.clone());
    let payload = feishu_model::fill!(MessageReadV1 {
        reader: Some(feishu_model::fill!(MessageReader {
            reader_id: Some(world.dir.event_ids(&Principal::User(user))),
            read_time: Some(now_ms.to_string()),
            tenant_key: reader_tenant,
        })),
        message_id_list: Some(vec![m.id.as_str().into()]),
    });
    Ok(events::build(world, app, &tenant, now_ms, payload)
        .into_iter()
        .collect())
}

/// `user` recalls `message`: marked recalled as the API shows it; the
/// bots in the chat get `im.message.recalled_v1`.
pub(super) fn recall(
    world: &mut World,
    caller: &Caller,
    user: UserKey,
    message: &str,
    now_ms: i64,
) -> Result<Vec<EmittedEvent>, Failure> {
    let before = stored(world, message)?;
    as_user(world, caller, now_ms, DeleteMessage::new(message))?;
    let (bots, tenant) = bots_of(world, &before);
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let recall_type = if before.sender == Principal::User(user) {
        RecallType::MessageOwner
    } else if world
        .chats
        .get(&before.chat)
        .is_some_and(|c| c.owner == Principal::User(user))
    {
        RecallType::GroupOwner
    } else {
        RecallType::GroupManager
    };
    let payload = feishu_model::fill!(MessageRecalledV1 {
        message_id: before.id.as_str().into(),
        chat_id: Some(before.chat.clone()),
        recall_time: Some(now_ms.to_string()),
        recall_type: Some(recall_type),
    });
    Ok(bots
        .iter()
        .filter_map(|app| events::build(world, app, &tenant, now_ms, payload.clone()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, open_id: &str) -> Candidate {
        Candidate {
            name: name.to_owned(),
            open_id: open_id.to_owned(),
            bot: None,
            ids: UserIds::default(),
        }
    }

    #[test]
    fn the_longest_member_name_wins_and_unknown_names_stay_text() {
        let members = [member("Ada Lovelace", "ou_2"), member("Ada", "ou_1")];
        let (text, who) = tag_mentions("@Ada Lovelace and @Ada, not @Bob", &members);
        assert_eq!(
            text,
            "<at user_id=\"ou_2\">Ada Lovelace</at> and <at user_id=\"ou_1\">Ada</at>, not @Bob"
        );
        assert_eq!(
            who.iter().map(|c| c.open_id.as_str()).collect::<Vec<_>>(),
            ["ou_2", "ou_1"]
        );
    }
}
