//! Read one message, a chat's or thread's history, and who read a message.

use serde::{Deserialize, Serialize};

use super::item::{Message, MessageId, MessagePath};
use crate::{
    endpoint, validate, Extra, Invalid, MemberId, NoParams, Page, PagedQuery, Params, TenantKey,
    UserIdType,
};

/// Documented maximum `page_size` of the history list.
pub const MAX_LIST_PAGE_SIZE: u32 = 50;

/// Documented maximum `page_size` of the read-users list.
pub const MAX_READ_USERS_PAGE_SIZE: u32 = 100;

crate::wire_enum! {
    /// `card_msg_content_type`: how card messages' content is returned.
    pub enum CardMsgContentType {
        /// `user_card_content`: the card JSON as it was sent (without the
        /// parameter, cards come back in the received-message shape).
        UserCardContent => "user_card_content",
    }
}

crate::wire_enum! {
    /// `container_id_type`: what `container_id` names.
    pub enum ContainerIdType {
        /// `chat`: a group or one-to-one chat (a topic's root messages only).
        Chat => "chat",
        /// `thread`: a thread, with all its replies.
        Thread => "thread",
    }
}

crate::wire_enum! {
    /// `sort_type` of the history list.
    pub enum MessageSortType {
        /// `ByCreateTimeAsc`: oldest first (the default).
        ByCreateTimeAsc => "ByCreateTimeAsc",
        /// `ByCreateTimeDesc`: newest first.
        ByCreateTimeDesc => "ByCreateTimeDesc",
    }
}

// ---------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------

/// Query of [`GetMessage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMessageQuery {
    /// The kind of user id of senders and mentions (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// How card content is returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_msg_content_type: Option<CardMsgContentType>,
}

impl Params for GetMessageQuery {}

/// Output of [`GetMessage`]: the message, and for a merged forward its
/// sub-messages after it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageItems {
    /// The message (and a merged forward's sub-messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Message>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Gets one message's content by its id.
    pub struct GetMessage {
        operation: "im.v1.message.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/messages/:message_id",
        path_params: MessagePath,
        query: GetMessageQuery,
        body: NoParams,
        output: MessageItems,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get",
    }
}

impl GetMessage {
    /// Gets the given message.
    pub fn new(message_id: impl Into<MessageId>) -> Self {
        GetMessage {
            path: MessagePath::new(message_id),
            query: GetMessageQuery::default(),
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// list (history)
// ---------------------------------------------------------------------------

/// Query of [`ListMessages`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMessagesQuery {
    /// What `container_id` names (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id_type: Option<ContainerIdType>,
    /// The chat or thread id (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// Start of the time range: Unix seconds, as text (not for threads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End of the time range: Unix seconds, as text (not for threads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Order (default `ByCreateTimeAsc`); later pages keep the first page's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_type: Option<MessageSortType>,
    /// `page_size` (1 to [`MAX_LIST_PAGE_SIZE`], default 20) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
    /// How card content is returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_msg_content_type: Option<CardMsgContentType>,
}

impl Params for ListMessagesQuery {
    fn validate(&self) -> Result<(), Invalid> {
        let Some(container_type) = &self.container_id_type else {
            return Err(Invalid::new("container_id_type", "is required"));
        };
        validate::required("container_id", self.container_id.as_ref())?;
        let start = validate::unix_time("start_time", self.start_time.as_deref(), "seconds")?;
        let end = validate::unix_time("end_time", self.end_time.as_deref(), "seconds")?;
        if *container_type == ContainerIdType::Thread {
            if self.start_time.is_some() {
                return Err(Invalid::new(
                    "start_time",
                    "a thread's history takes no time range",
                ));
            }
            if self.end_time.is_some() {
                return Err(Invalid::new(
                    "end_time",
                    "a thread's history takes no time range",
                ));
            }
        }
        if let (Some(start), Some(end)) = (start, end) {
            if start > end {
                return Err(Invalid::new(
                    "end_time",
                    format!("must not be before start_time ({start}), got {end}"),
                ));
            }
        }
        self.page.check(MAX_LIST_PAGE_SIZE)
    }
}

impl PagedQuery for ListMessagesQuery {
    fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

crate::common::page_output! {
    /// One page of messages (`data` of [`ListMessages`]).
    pub struct MessagePage { items: Message, "The messages on this page." }
}

endpoint! {
    /// Lists the history of a chat (group or one-to-one) or a thread, one
    /// page at a time.
    pub struct ListMessages {
        operation: "im.v1.message.list",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/messages",
        path_params: NoParams,
        query: ListMessagesQuery,
        body: NoParams,
        output: MessagePage,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list",
    }
}

impl ListMessages {
    /// The first page of a container's history, with default order and size.
    pub fn new(container_id_type: ContainerIdType, container_id: impl Into<String>) -> Self {
        ListMessages {
            path: NoParams {},
            query: ListMessagesQuery {
                container_id_type: Some(container_id_type),
                container_id: Some(container_id.into()),
                ..ListMessagesQuery::default()
            },
            body: NoParams {},
        }
    }

    /// The first page of a chat's history.
    pub fn chat(chat_id: impl Into<String>) -> Self {
        ListMessages::new(ContainerIdType::Chat, chat_id)
    }

    /// The first page of a thread's messages.
    pub fn thread(thread_id: impl Into<String>) -> Self {
        ListMessages::new(ContainerIdType::Thread, thread_id)
    }
}

// ---------------------------------------------------------------------------
// read_users
// ---------------------------------------------------------------------------

/// Query of [`ReadUsers`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadUsersQuery {
    /// The kind of user id in the answer (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// `page_size` (1 to [`MAX_READ_USERS_PAGE_SIZE`]) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for ReadUsersQuery {
    fn validate(&self) -> Result<(), Invalid> {
        if self.user_id_type.is_none() {
            return Err(Invalid::new("user_id_type", "is required"));
        }
        self.page.check(MAX_READ_USERS_PAGE_SIZE)
    }
}

impl PagedQuery for ReadUsersQuery {
    fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

/// A user who read the message (`read_user`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ReadUser {
    /// The kind of `user_id`, the query's `user_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<MemberId>,
    /// When the user read the message: Unix milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The user's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::common::page_output! {
    /// One page of readers (`data` of [`ReadUsers`]).
    pub struct ReadUsersPage { items: ReadUser, "The readers on this page (unread users are never listed)." }
}

endpoint! {
    /// Lists who read a message the calling bot sent in the last 7 days.
    pub struct ReadUsers {
        operation: "im.v1.message.read_users",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/messages/:message_id/read_users",
        path_params: MessagePath,
        query: ReadUsersQuery,
        body: NoParams,
        output: ReadUsersPage,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users",
    }
}

impl ReadUsers {
    /// The first page of a message's readers, with ids of the given kind.
    pub fn new(message_id: impl Into<MessageId>, user_id_type: UserIdType) -> Self {
        ReadUsers {
            path: MessagePath::new(message_id),
            query: ReadUsersQuery {
                user_id_type: Some(user_id_type),
                page: Page::default(),
            },
            body: NoParams {},
        }
    }
}
