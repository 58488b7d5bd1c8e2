//! The messaging part of `GET /_emulator/state`: each chat's messages,
//! pins, reactions and buzz records.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::snapshot::{member, MemberView};
use crate::state::message::StoredMessage;
use crate::state::{Chat, Directory, World};

/// A message of a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    /// The message id.
    pub message_id: String,
    /// Who sent it.
    pub sender: MemberView,
    /// The kind of message.
    pub msg_type: String,
    /// The content as sent (or last edited).
    pub content: String,
    /// What a page shows: a text's text, a card's header title, a rich
    /// text's title, else the kind in brackets.
    pub summary: String,
    /// When it was sent (Unix milliseconds).
    pub create_time: i64,
    /// The message replied to.
    pub parent_id: Option<String>,
    /// The thread it is in.
    pub thread_id: Option<String>,
    /// Whether it was recalled.
    pub deleted: bool,
    /// The follow-up bubbles under it.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// For a card: the card JSON shown now (as sent, as an app's callback
    /// answer or delayed update replaced it; a template as
    /// `{"type": "template", "data": {...}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Value>,
}

/// What the client showed after a card interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToastView {
    /// The card message.
    pub message_id: String,
    /// The open id of the user who clicked.
    pub user: String,
    /// The toast the app answered (`type`, `content`, `i18n`).
    pub toast: Option<Value>,
    /// The documented code of a failed callback (200340, 200341, ...).
    pub error_code: Option<i64>,
    /// When (Unix milliseconds).
    pub create_time: i64,
}

/// The toasts and callback errors of card interactions, in order.
pub(crate) fn toasts(world: &World) -> Vec<ToastView> {
    world
        .messages
        .toasts
        .iter()
        .map(|t| ToastView {
            message_id: t.message_id.clone(),
            user: world
                .dir
                .user(t.user)
                .map(|u| u.open_id.clone())
                .unwrap_or_default(),
            toast: t.toast.clone(),
            error_code: t.error_code,
            create_time: t.at_ms,
        })
        .collect()
}

/// A pinned message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinView {
    /// The pinned message.
    pub message_id: String,
    /// Who pinned it.
    pub operator: MemberView,
    /// When (Unix milliseconds).
    pub create_time: i64,
}

/// A reaction on a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionView {
    /// The reaction id.
    pub reaction_id: String,
    /// The message reacted to.
    pub message_id: String,
    /// The emoji key.
    pub emoji_type: String,
    /// Who reacted.
    pub operator: MemberView,
}

/// A buzz sent for a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuzzView {
    /// The message buzzed.
    pub message_id: String,
    /// `app`, `sms` or `phone`.
    pub kind: String,
    /// The open ids of the users buzzed.
    pub users: Vec<String>,
    /// When (Unix milliseconds).
    pub create_time: i64,
}

/// `<at user_id="...">Name</at>` as `@Name`, as the client shows it.
fn readable_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<at ") {
        let tag = &rest[start..];
        let (Some(open_end), Some(close)) = (tag.find('>'), tag.find("</at>")) else {
            break;
        };
        if open_end > close {
            break;
        }
        out.push_str(&rest[..start]);
        out.push('@');
        out.push_str(&tag[open_end + 1..close]);
        rest = &tag[close + "</at>".len()..];
    }
    out.push_str(rest);
    out
}

/// What a page shows of a message.
fn summary(m: &StoredMessage) -> String {
    if m.deleted {
        return "This message was recalled".to_owned();
    }
    let parsed: Option<Map<String, Value>> = serde_json::from_str(&m.content).ok();
    let text = |map: &Map<String, Value>| -> Option<String> {
        match m.msg_type.as_str() {
            "text" => map.get("text")?.as_str().map(readable_mentions),
            "interactive" => crate::handlers::message_view::card_title(map),
            "post" => map
                .values()
                .find_map(|lang| lang.get("title"))
                .or_else(|| map.get("title"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        }
    };
    parsed
        .as_ref()
        .and_then(text)
        .unwrap_or_else(|| format!("[{}]", m.msg_type))
}

/// The messaging views of `chat`.
pub(crate) fn of_chat(
    world: &World,
    dir: &Directory,
    chat: &Chat,
) -> (
    Vec<MessageView>,
    Vec<PinView>,
    Vec<ReactionView>,
    Vec<BuzzView>,
) {
    let store = &world.messages;
    let messages = store
        .of_chat(&chat.id)
        .map(|m| MessageView {
            message_id: m.id.clone(),
            sender: member(dir, &m.sender),
            msg_type: m.msg_type.to_string(),
            content: m.content.clone(),
            summary: summary(m),
            create_time: m.create_ms,
            parent_id: m.parent_id.clone(),
            thread_id: m.thread_id.clone(),
            deleted: m.deleted,
            follow_ups: m.follow_ups.clone(),
            card: (m.msg_type.as_str() == "interactive" && !m.deleted)
                .then(|| serde_json::from_str(&m.content).ok())
                .flatten(),
        })
        .collect();
    let pins = store
        .pins
        .iter()
        .filter(|p| p.chat == chat.id)
        .map(|p| PinView {
            message_id: p.message_id.clone(),
            operator: member(dir, &p.operator),
            create_time: p.at_ms,
        })
        .collect();
    let reactions = store
        .reactions
        .iter()
        .filter(|r| {
            store
                .by_id
                .get(&r.message_id)
                .is_some_and(|m| m.chat == chat.id)
        })
        .map(|r| ReactionView {
            reaction_id: r.id.clone(),
            message_id: r.message_id.clone(),
            emoji_type: r.emoji.to_string(),
            operator: member(dir, &r.operator),
        })
        .collect();
    let buzz = store
        .buzz
        .iter()
        .filter(|b| b.chat == chat.id)
        .map(|b| BuzzView {
            message_id: b.message_id.clone(),
            kind: b.kind.to_owned(),
            users: b
                .users
                .iter()
                .filter_map(|u| dir.user(*u).map(|u| u.open_id.clone()))
                .collect(),
            create_time: b.at_ms,
        })
        .collect();
    (messages, pins, reactions, buzz)
}

#[cfg(test)]
mod tests {
    use super::readable_mentions;

    #[test]
    fn mentions_read_as_the_client_shows_them() {
        assert_eq!(
            readable_mentions(
                r#"<at user_id="ou_1">Ops Bot</at> ship <at user_id="all">all</at>!"#
            ),
            "@Ops Bot ship @all!"
        );
        assert_eq!(readable_mentions("a <at broken"), "a <at broken");
    }
}
