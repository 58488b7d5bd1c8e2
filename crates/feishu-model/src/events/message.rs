//! Message events: a message received by the bot, messages read, a message
//! recalled, a reaction added to or removed from a message.

use serde::Serialize;

use super::{EventPayload, UserIds};
use crate::im::content::{ContentError, Mentions, ReceivedContent};
use crate::im::message::{MessageId, ThreadId};
use crate::im::msg_type::MsgType;
use crate::im::reaction::{Emoji, OperatorType};
use crate::{AppId, ChatId, Extra, TenantKey};

crate::wire_enum! {
    /// `chat_type` of a received message: the kind of chat it was sent in.
    pub enum EventChatType {
        /// `p2p`: a one-to-one chat with the bot.
        P2p => "p2p",
        /// `group`: a group chat.
        Group => "group",
    }
}

crate::wire_enum! {
    /// `sender_type` of a received message: who sent it.
    pub enum EventSenderType {
        /// `user`: a user.
        User => "user",
        /// `bot`: a bot.
        Bot => "bot",
    }
}

crate::wire_enum! {
    /// `mentioned_type`: who a mention in a received message names.
    pub enum MentionedType {
        /// `user`: a user.
        User => "user",
        /// `bot`: a bot.
        Bot => "bot",
    }
}

crate::wire_enum! {
    /// `recall_type`: who recalled a message.
    pub enum RecallType {
        /// `message_owner`: the sender.
        MessageOwner => "message_owner",
        /// `group_owner`: the chat owner.
        GroupOwner => "group_owner",
        /// `group_manager`: a chat manager.
        GroupManager => "group_manager",
        /// `enterprise_manager`: a tenant administrator.
        EnterpriseManager => "enterprise_manager",
    }
}

/// `im.message.receive_v1`: the bot received a message (one-to-one, or in a
/// chat as its permissions allow). The same message may be delivered again
/// under another event id: the dispatcher de-duplicates it by
/// `message.message_id`.
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive>
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReceiveV1 {
    /// Who sent the message.
    pub sender: EventSender,
    /// The message.
    pub message: EventMessage,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for MessageReceiveV1 {
    const EVENT_TYPE: &'static str = "im.message.receive_v1";
}

/// `event_sender`: the sender of a received message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct EventSender {
    /// The sender's ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<UserIds>,
    /// Whether a user or a bot sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_type: Option<EventSenderType>,
    /// The sender's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `event_message`: a received message.
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct EventMessage {
    /// The message id: reply to it, or de-duplicate by it.
    pub message_id: MessageId,
    /// The root message id, for a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_id: Option<MessageId>,
    /// The parent message id, for a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<MessageId>,
    /// When the message was sent, in milliseconds since the epoch (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When the message was last updated, in milliseconds since the epoch
    /// (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// The chat the message was sent in.
    pub chat_id: ChatId,
    /// The thread (topic) the message belongs to; absent outside threads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    /// Whether the chat is one-to-one or a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<EventChatType>,
    /// The message type, which says how to read `content`.
    pub message_type: MsgType,
    /// The content: JSON in a string, shaped by `message_type`; read it with
    /// [`MessageReceiveV1::content`].
    pub content: String,
    /// The users and bots the message mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<MentionEvent>>,
    /// The sender's client user agent (with the `im:user_agent:read` scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `mention_event`: a user or bot mentioned in a received message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MentionEvent {
    /// The mention's key in the content, such as `@_user_1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The mentioned user's ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<UserIds>,
    /// Whether a user or a bot is mentioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_type: Option<MentionedType>,
    /// The mentioned user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The mentioned user's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl MessageReceiveV1 {
    /// The typed content, read as `message.message_type` says.
    ///
    /// ```
    /// # let body = br#"{"schema": "2.0", "header": {"event_id": "e1", "event_type": "im.message.receive_v1",
    /// #   "create_time": "1", "token": "t", "app_id": "cli_1", "tenant_key": "k"},
    /// #   "event": {"sender": {"sender_type": "user"}, "message": {"message_id": "om_1", "chat_id": "oc_1",
    /// #   "chat_type": "group", "message_type": "text", "content": "{\"text\":\"@_user_1 deploy api\"}",
    /// #   "mentions": [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "mentioned_type": "bot", "name": "Ops"}]}}}"#;
    /// use feishu_model::events::{decode, GroupEvent};
    /// use feishu_model::im::content::ReceivedContent;
    ///
    /// let GroupEvent::MessageReceived(e) = decode(body).unwrap() else { panic!() };
    /// let ReceivedContent::Text(text) = e.event.content().unwrap() else { panic!() };
    /// assert_eq!(text.text, "@_user_1 deploy api");
    /// assert_eq!(e.event.text().as_deref(), Some("@Ops deploy api"));
    /// assert_eq!(e.event.command_text().as_deref(), Some("deploy api"));
    /// assert!(e.event.is_mentioned("ou_bot"));
    /// ```
    pub fn content(&self) -> Result<ReceivedContent, ContentError> {
        ReceivedContent::parse(&self.message.message_type, &self.message.content)
    }

    /// The plain text of a text or post message, each mention key replaced by
    /// `@` and the mentioned name. `None` for other message types, or when
    /// the content does not decode.
    pub fn text(&self) -> Option<String> {
        let names = self.mention_names();
        self.content().ok()?.plain_text(Mentions::Resolve(&names))
    }

    /// The plain text of a text or post message with every mention removed
    /// and the ends trimmed: the command addressed to the bot. `None` for
    /// other message types, or when the content does not decode.
    pub fn command_text(&self) -> Option<String> {
        self.content().ok()?.plain_text(Mentions::Strip)
    }

    /// The mention of the user or bot with this open id, if the message has
    /// one.
    pub fn mentions_open_id(&self, open_id: &str) -> Option<&MentionEvent> {
        self.message
            .mentions
            .as_deref()?
            .iter()
            .find(|m| m.id.as_ref().and_then(|id| id.open_id.as_deref()) == Some(open_id))
    }

    /// Whether the message mentions the user or bot with this open id (pass
    /// the bot's own open id to know whether it is addressed).
    pub fn is_mentioned(&self, open_id: &str) -> bool {
        self.mentions_open_id(open_id).is_some()
    }

    /// The `(key, name)` pairs of the mentions that have both.
    fn mention_names(&self) -> Vec<(&str, &str)> {
        self.message
            .mentions
            .iter()
            .flatten()
            .filter_map(|m| Some((m.key.as_deref()?, m.name.as_deref()?)))
            .collect()
    }
}

/// `im.message.message_read_v1`: a user read messages the bot sent them in a
/// one-to-one chat.
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/message_read>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReadV1 {
    /// Who read the messages, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader: Option<MessageReader>,
    /// The messages read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id_list: Option<Vec<MessageId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for MessageReadV1 {
    const EVENT_TYPE: &'static str = "im.message.message_read_v1";
}

/// `event_message_reader`: who read messages, and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReader {
    /// The reader's ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_id: Option<UserIds>,
    /// When the messages were read, in milliseconds since the epoch (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_time: Option<String>,
    /// The reader's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `im.message.recalled_v1`: a message was recalled in a chat the bot is in.
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/recalled>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageRecalledV1 {
    /// The recalled message.
    pub message_id: MessageId,
    /// The chat the message was in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<ChatId>,
    /// When the message was recalled, in milliseconds since the epoch (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_time: Option<String>,
    /// Who recalled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_type: Option<RecallType>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for MessageRecalledV1 {
    const EVENT_TYPE: &'static str = "im.message.recalled_v1";
}

/// Declares a reaction event payload; both carry the same fields.
macro_rules! reaction_event {
    ($(#[$doc:meta])* $name:ident = $event_type:literal, $time_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The message the reaction is on.
            pub message_id: MessageId,
            /// The emoji.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reaction_type: Option<Emoji>,
            /// Whether a user (`user_id` set) or an app (`app_id` set) did it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub operator_type: Option<OperatorType>,
            /// The user's ids, when a user did it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub user_id: Option<UserIds>,
            /// The app's id, when an app did it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub app_id: Option<AppId>,
            #[doc = $time_doc]
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub action_time: Option<String>,
            /// Undocumented fields.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl EventPayload for $name {
            const EVENT_TYPE: &'static str = $event_type;
        }
    };
}

reaction_event!(
    /// `im.message.reaction.created_v1`: a reaction was added to a message in
    /// a chat the bot is in.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/events/created>
    MessageReactionCreatedV1 = "im.message.reaction.created_v1",
    "When the reaction was added, in milliseconds since the epoch (text)."
);

reaction_event!(
    /// `im.message.reaction.deleted_v1`: a reaction was removed from a
    /// message in a chat the bot is in.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/events/deleted>
    MessageReactionDeletedV1 = "im.message.reaction.deleted_v1",
    "When the reaction was removed, in milliseconds since the epoch (text)."
);
