//! One-to-one chats with the bot: `im.chat.access_event.bot_p2p_chat_entered_v1`
//! (v2.0) and `p2p_chat_create` (v1.0).

use serde::Serialize;

use super::{EventPayload, UserIds};
use crate::{AppId, ChatId, Extra, TenantKey};

/// `im.chat.access_event.bot_p2p_chat_entered_v1`: a user opened their
/// one-to-one chat with the bot (clients v7.18 and later; events beyond 300 a
/// second per bot are dropped).
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-access_event/events/bot_p2p_chat_entered>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct BotP2pChatEnteredV1 {
    /// The chat id.
    pub chat_id: ChatId,
    /// The user who entered the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<UserIds>,
    /// The latest message in the chat that the user can see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_id: Option<String>,
    /// When that message was sent, in milliseconds since the epoch (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message_create_time: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for BotP2pChatEnteredV1 {
    const EVENT_TYPE: &'static str = "im.chat.access_event.bot_p2p_chat_entered_v1";
}

/// `p2p_chat_create` (a v1.0 event, inside [`EventV1`](super::EventV1)): a
/// user talked to the bot for the first time, so their one-to-one chat was
/// created. A good moment to send usage instructions.
///
/// Doc: <https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/bot-events>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct P2pChatCreate {
    /// The app the event is for.
    pub app_id: AppId,
    /// The id of the chat between the bot and the user.
    pub chat_id: ChatId,
    /// Who started the chat: a user or the bot (`open_id`, and `user_id` for
    /// self-built apps only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<UserIds>,
    /// The tenant the event happened in.
    pub tenant_key: TenantKey,
    /// The event type, `p2p_chat_create`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The user in the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<P2pChatUser>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for P2pChatCreate {
    const EVENT_TYPE: &'static str = "p2p_chat_create";
}

/// The `user` of a [`P2pChatCreate`] event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct P2pChatUser {
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's open id for this app (`ou_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// The user's user id (self-built apps only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
