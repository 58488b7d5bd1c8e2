//! top_notice endpoints: pin a message or the announcement to the top of a
//! chat, and remove the pin.

use serde::{Deserialize, Serialize};

use crate::im::types::ChatPath;
use crate::{endpoint, validate, ChatId, Empty, Invalid, NoParams, Params};

crate::wire_enum! {
    /// `action_type`: what a top notice pins. Goes over the wire as a string.
    pub enum TopNoticeActionType {
        /// `"1"`: a message; `message_id` is required.
        Message => "1",
        /// `"2"`: the chat announcement (the default); no `message_id` needed.
        Announcement => "2",
    }
}

/// One top notice setting (`chat.top_notice`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopNotice {
    /// What to pin (default `"2"`, the announcement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<TopNoticeActionType>,
    /// The message to pin (`om_...`); required when `action_type` is `"1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl TopNotice {
    /// Pins the given message.
    pub fn message(message_id: impl Into<String>) -> Self {
        TopNotice {
            action_type: Some(TopNoticeActionType::Message),
            message_id: Some(message_id.into()),
        }
    }

    /// Pins the chat announcement.
    pub fn announcement() -> Self {
        TopNotice {
            action_type: Some(TopNoticeActionType::Announcement),
            message_id: None,
        }
    }
}

/// Body of [`PutTopNotice`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutTopNoticeBody {
    /// The top notice settings (required, at least one).
    pub chat_top_notice: Vec<TopNotice>,
}

impl Params for PutTopNoticeBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("chat_top_notice", &self.chat_top_notice, 1, usize::MAX)?;
        for notice in &self.chat_top_notice {
            if notice.action_type == Some(TopNoticeActionType::Message) {
                validate::required("message_id", notice.message_id.as_ref()).map_err(|_| {
                    Invalid::required("message_id", "is required when action_type is 1")
                })?;
            }
        }
        Ok(())
    }
}

endpoint! {
    /// Pins a message or the announcement to the top of a chat, replacing
    /// the current pin. Setting the same pin again changes nothing, so the
    /// call is treated as idempotent.
    pub struct PutTopNotice {
        operation: "im.v1.chat.top_notice.put_top_notice",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/top_notice/put_top_notice",
        path_params: ChatPath,
        query: NoParams,
        body: PutTopNoticeBody,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-top_notice/put_top_notice",
        idempotent: true,
    }
}

impl PutTopNotice {
    /// A call pinning the given notice in the given chat.
    pub fn new(chat_id: impl Into<ChatId>, notice: TopNotice) -> Self {
        PutTopNotice {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: PutTopNoticeBody {
                chat_top_notice: vec![notice],
            },
        }
    }
}

endpoint! {
    /// Removes the pinned message or announcement of a chat. Removing it
    /// again changes nothing, so the call is treated as idempotent.
    pub struct DeleteTopNotice {
        operation: "im.v1.chat.top_notice.delete_top_notice",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/top_notice/delete_top_notice",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-top_notice/delete_top_notice",
        idempotent: true,
    }
}

impl DeleteTopNotice {
    /// A call removing the pin of the given chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        DeleteTopNotice {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}
