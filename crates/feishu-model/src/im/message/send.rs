//! Send a message to a user or chat, and reply to a message.
//!
//! Both are not idempotent, but a `uuid` makes a retry safe: calls with the
//! same `uuid` send at most one message within an hour.

use serde::{Deserialize, Serialize};

use super::item::{
    check_content, check_msg_type, check_uuid, require_receive_id_type, Message, MessageId,
    MessagePath, ReceiveIdType,
};
use crate::im::msg_type::MsgType;
use crate::{endpoint, validate, Invalid, Params};

/// The kinds of message [`CreateMessage`] sends.
pub const SENDABLE_MSG_TYPES: &[MsgType] = &[
    MsgType::Text,
    MsgType::Post,
    MsgType::Image,
    MsgType::File,
    MsgType::Audio,
    MsgType::Media,
    MsgType::Sticker,
    MsgType::Interactive,
    MsgType::ShareChat,
    MsgType::ShareUser,
    MsgType::System,
];

/// The kinds of message [`ReplyMessage`] sends (no `system`).
pub const REPLYABLE_MSG_TYPES: &[MsgType] = &[
    MsgType::Text,
    MsgType::Post,
    MsgType::Image,
    MsgType::File,
    MsgType::Audio,
    MsgType::Media,
    MsgType::Sticker,
    MsgType::Interactive,
    MsgType::ShareChat,
    MsgType::ShareUser,
];

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

/// Query of [`CreateMessage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateMessageQuery {
    /// The kind of id in `receive_id` (required): `open_id`, `union_id`,
    /// `user_id`, `email` or `chat_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_id_type: Option<ReceiveIdType>,
}

impl Params for CreateMessageQuery {
    fn validate(&self) -> Result<(), Invalid> {
        require_receive_id_type(self.receive_id_type.as_ref())?;
        if self.receive_id_type == Some(ReceiveIdType::ThreadId) {
            return Err(Invalid::new(
                "receive_id_type",
                "`thread_id` is not accepted when sending; reply in the thread instead",
            ));
        }
        Ok(())
    }
}

/// Body of [`CreateMessage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateMessageBody {
    /// The receiver, of the kind given by `receive_id_type` (required).
    #[serde(default)]
    pub receive_id: String,
    /// The kind of message (required); see [`SENDABLE_MSG_TYPES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_type: Option<MsgType>,
    /// The content, JSON text matching `msg_type` (required): at most 150 KB
    /// for text, 30 KB for rich text and cards.
    #[serde(default)]
    pub content: String,
    /// De-duplication key: calls with the same `uuid` send at most one
    /// message within an hour. At most 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl Params for CreateMessageBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("receive_id", Some(&self.receive_id))?;
        check_msg_type(self.msg_type.as_ref(), SENDABLE_MSG_TYPES)?;
        check_content(self.msg_type.as_ref(), &self.content)?;
        check_uuid(self.uuid.as_deref())
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.uuid.as_deref()
    }
}

endpoint! {
    /// Sends a message to a user or a chat.
    pub struct CreateMessage {
        operation: "im.v1.message.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages",
        path_params: crate::NoParams,
        query: CreateMessageQuery,
        body: CreateMessageBody,
        output: Message,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create",
    }
}

impl CreateMessage {
    /// Sends `content` (JSON text of kind `msg_type`) to the receiver
    /// `receive_id`, an id of kind `receive_id_type`.
    pub fn new(
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        msg_type: MsgType,
        content: impl Into<String>,
    ) -> Self {
        CreateMessage {
            path: crate::NoParams {},
            query: CreateMessageQuery {
                receive_id_type: Some(receive_id_type),
            },
            body: CreateMessageBody {
                receive_id: receive_id.into(),
                msg_type: Some(msg_type),
                content: content.into(),
                uuid: None,
            },
        }
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.body.uuid = Some(uuid.into());
        self
    }
}

// ---------------------------------------------------------------------------
// reply
// ---------------------------------------------------------------------------

/// Body of [`ReplyMessage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyMessageBody {
    /// The content, JSON text matching `msg_type` (required): at most 150 KB
    /// for text, 30 KB for rich text and cards.
    #[serde(default)]
    pub content: String,
    /// The kind of message (required); see [`REPLYABLE_MSG_TYPES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_type: Option<MsgType>,
    /// Whether to reply in a thread (default `false`; a reply to a thread
    /// message is always in its thread).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_in_thread: Option<bool>,
    /// De-duplication key: calls with the same `uuid` reply at most once
    /// within an hour. At most 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl Params for ReplyMessageBody {
    fn validate(&self) -> Result<(), Invalid> {
        check_msg_type(self.msg_type.as_ref(), REPLYABLE_MSG_TYPES)?;
        check_content(self.msg_type.as_ref(), &self.content)?;
        check_uuid(self.uuid.as_deref())
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.uuid.as_deref()
    }
}

endpoint! {
    /// Replies to a message, optionally in a thread.
    pub struct ReplyMessage {
        operation: "im.v1.message.reply",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/:message_id/reply",
        path_params: MessagePath,
        query: crate::NoParams,
        body: ReplyMessageBody,
        output: Message,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply",
    }
}

impl ReplyMessage {
    /// Replies to `message_id` with `content` (JSON text of kind `msg_type`).
    pub fn new(
        message_id: impl Into<MessageId>,
        msg_type: MsgType,
        content: impl Into<String>,
    ) -> Self {
        ReplyMessage {
            path: MessagePath::new(message_id),
            query: crate::NoParams {},
            body: ReplyMessageBody {
                content: content.into(),
                msg_type: Some(msg_type),
                reply_in_thread: None,
                uuid: None,
            },
        }
    }

    /// Replies in a thread.
    pub fn in_thread(mut self) -> Self {
        self.body.reply_in_thread = Some(true);
        self
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.body.uuid = Some(uuid.into());
        self
    }
}
