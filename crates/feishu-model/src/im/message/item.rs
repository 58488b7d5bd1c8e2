//! The message item every message endpoint answers with, and the ids and
//! parameters the endpoints share.

use serde::{Deserialize, Serialize};

use crate::im::msg_type::MsgType;
use crate::{validate, ChatId, Extra, Invalid, MemberId, MemberIdType, TenantKey};

crate::id_type!(
    /// A message id (`om_...`).
    MessageId
);

crate::id_type!(
    /// A thread (topic) id (`omt_...`).
    ThreadId
);

crate::wire_enum! {
    /// `receive_id_type`: the kind of id in `receive_id`.
    pub enum ReceiveIdType {
        /// `open_id`: a user, by their identity within the app.
        OpenId => "open_id",
        /// `union_id`: a user, by their identity across one developer's apps.
        UnionId => "union_id",
        /// `user_id`: a user, by their identity within the tenant.
        UserId => "user_id",
        /// `email`: a user, by their real email address.
        Email => "email",
        /// `chat_id`: a chat (group or one-to-one).
        ChatId => "chat_id",
        /// `thread_id`: a thread (forwarding only; not accepted when sending).
        ThreadId => "thread_id",
    }
}

crate::wire_enum! {
    /// `sender_type`: who sent a message.
    pub enum SenderType {
        /// `user`: a user.
        User => "user",
        /// `app`: an app (a bot).
        App => "app",
        /// `anonymous`: an anonymous sender.
        Anonymous => "anonymous",
        /// `unknown`: the platform does not know the sender's kind.
        NotKnown => "unknown",
    }
}

/// Documented maximum of `uuid`, the de-duplication key of send, reply and
/// forward calls: 50 characters.
pub const MAX_UUID_CHARS: usize = 50;

/// Documented maximum size of a text message's `content`: 150 KB.
pub const MAX_TEXT_CONTENT_BYTES: usize = 150 * 1024;

/// Documented maximum size of a rich-text (`post`) or card (`interactive`)
/// message's `content`: 30 KB.
pub const MAX_RICH_CONTENT_BYTES: usize = 30 * 1024;

/// Who sent a message (`sender`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Sender {
    /// The sender's id, of the kind in `id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MemberId>,
    /// The kind of `id`: `app_id` for an app, a user id kind for a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<MemberIdType>,
    /// Whether a user or an app sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_type: Option<SenderType>,
    /// The sender's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A message's content (`body`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageBody {
    /// The content: JSON text whose shape depends on `msg_type`. Absent
    /// for a recalled message; a merged forward holds the fixed text
    /// `Merged and Forwarded Message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user or bot mentioned in a message (`mentions[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Mention {
    /// The mention's placeholder in `content`: `@_user_1`, `@_user_2`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The mentioned user's or bot's id, of the kind in `id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<MemberId>,
    /// The kind of `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<MemberIdType>,
    /// The mentioned user's or bot's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The mentioned user's or bot's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One message (`message`), as sent, replied, edited, forwarded, read or listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Message {
    /// The message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// The root of the reply tree the message is in (replies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_id: Option<MessageId>,
    /// The message this one replies to (replies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<MessageId>,
    /// The thread the message belongs to (thread messages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    /// What `body.content` holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_type: Option<MsgType>,
    /// When the message was created: Unix milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When the message was last updated: Unix milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Whether the message was recalled or deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Whether the message was edited or updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<bool>,
    /// The chat the message is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<ChatId>,
    /// Who sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Sender>,
    /// The content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<MessageBody>,
    /// The users and bots mentioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<Mention>>,
    /// In a merged forward, the message one level up (sub-messages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_message_id: Option<MessageId>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Message {
    /// The content text, if any.
    pub fn content(&self) -> Option<&str> {
        self.body.as_ref().and_then(|b| b.content.as_deref())
    }
}

/// Path parameters of every endpoint addressed by message: `:message_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePath {
    /// The message id (`om_...`).
    pub message_id: MessageId,
}

crate::path_params!(MessagePath { message_id });

impl MessagePath {
    /// Path parameters for one message.
    pub fn new(message_id: impl Into<MessageId>) -> Self {
        MessagePath {
            message_id: message_id.into(),
        }
    }
}

/// Checks that a required `receive_id_type` is present.
pub(crate) fn require_receive_id_type(value: Option<&ReceiveIdType>) -> Result<(), Invalid> {
    match value {
        Some(_) => Ok(()),
        None => Err(Invalid::new("receive_id_type", "is required")),
    }
}

/// Checks an optional `uuid` (1 to [`MAX_UUID_CHARS`] characters).
pub(crate) fn check_uuid(uuid: Option<&str>) -> Result<(), Invalid> {
    validate::opt_char_len("uuid", uuid, 1, MAX_UUID_CHARS)
}

/// Checks a required `msg_type` against the kinds an endpoint accepts;
/// a kind this SDK does not know is left for the server to judge.
pub(crate) fn check_msg_type(value: Option<&MsgType>, allowed: &[MsgType]) -> Result<(), Invalid> {
    match value {
        None => Err(Invalid::new("msg_type", "is required")),
        Some(t) if t.is_known() && !allowed.contains(t) => {
            let names: Vec<&str> = allowed.iter().map(MsgType::as_str).collect();
            Err(Invalid::new(
                "msg_type",
                format!("must be one of {}, got `{t}`", names.join(", ")),
            ))
        }
        Some(_) => Ok(()),
    }
}

/// Checks a required message `content`: not empty, and within the
/// documented size of its `msg_type` ([`MAX_TEXT_CONTENT_BYTES`] for text,
/// [`MAX_RICH_CONTENT_BYTES`] for rich text and cards).
pub(crate) fn check_content(msg_type: Option<&MsgType>, content: &str) -> Result<(), Invalid> {
    if content.is_empty() {
        return Err(Invalid::new("content", "is required"));
    }
    let max = match msg_type {
        Some(MsgType::Text) => MAX_TEXT_CONTENT_BYTES,
        Some(MsgType::Post | MsgType::Interactive) => MAX_RICH_CONTENT_BYTES,
        _ => return Ok(()),
    };
    if content.len() > max {
        return Err(Invalid::new(
            "content",
            format!(
                "a `{}` message's content must be at most {max} bytes, got {}",
                msg_type.map_or("", MsgType::as_str),
                content.len()
            ),
        ));
    }
    Ok(())
}
