//! moderation endpoints: who may speak in a chat (everyone, only the owner
//! and managers, or a list of moderators), read and updated.

use serde::{Deserialize, Serialize};

use crate::im::types::{ChatPath, ModerationPermission, UserIdTypeQuery};
use crate::{
    endpoint, ChatId, Empty, Extra, Invalid, MemberId, NoParams, Page, PagedQuery, Params,
    TenantKey, UserIdType,
};

// ---------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------

/// Query of [`GetChatModeration`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetChatModerationQuery {
    /// The kind of user id in the result (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// `page_size` (at most 100) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for GetChatModerationQuery {
    fn validate(&self) -> Result<(), Invalid> {
        self.page.check(100)
    }
}

impl PagedQuery for GetChatModerationQuery {
    fn page_mut(&mut self) -> &mut crate::Page {
        &mut self.page
    }
}

/// A member allowed to speak (`list_moderator`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Moderator {
    /// The kind of `user_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// The user, of the kind given by the request's `user_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<MemberId>,
    /// The user's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A chat's speaking mode and one page of its moderators (`data` of
/// [`GetChatModeration`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatModeration {
    /// Who may speak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_setting: Option<ModerationPermission>,
    /// Token for the next page, present when `has_more` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Whether another page follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// The members allowed to speak; present when `moderation_setting` is
    /// `moderator_list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Moderator>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::paged!(ChatModeration => Moderator);

endpoint! {
    /// Gets a chat's speaking mode and the members allowed to speak.
    pub struct GetChatModeration {
        operation: "im.v1.chat.moderation.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/moderation",
        path_params: ChatPath,
        query: GetChatModerationQuery,
        body: NoParams,
        output: ChatModeration,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-moderation/get",
    }
}

impl GetChatModeration {
    /// A call for the first page of the given chat's moderation.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetChatModeration {
            path: ChatPath::new(chat_id),
            query: GetChatModerationQuery::default(),
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

/// Body of [`UpdateChatModeration`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateChatModerationBody {
    /// The new speaking mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_setting: Option<ModerationPermission>,
    /// Users who may now speak (mode `moderator_list`), of the kind given by
    /// `user_id_type`; users not in the chat are dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator_added_list: Option<Vec<MemberId>>,
    /// Users who may no longer speak (mode `moderator_list`); must not repeat
    /// an id of `moderator_added_list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator_removed_list: Option<Vec<MemberId>>,
}

impl Params for UpdateChatModerationBody {
    fn validate(&self) -> Result<(), Invalid> {
        let added = self.moderator_added_list.as_deref().unwrap_or_default();
        let removed = self.moderator_removed_list.as_deref().unwrap_or_default();
        if let Some(mode) = &self.moderation_setting {
            if mode.is_known() && *mode != ModerationPermission::ModeratorList {
                let field = if added.is_empty() {
                    "moderator_removed_list"
                } else {
                    "moderator_added_list"
                };
                if !added.is_empty() || !removed.is_empty() {
                    return Err(Invalid::conflict(
                        field,
                        format!(
                            "only applies when moderation_setting is moderator_list, got `{mode}`"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

endpoint! {
    /// Sets who may speak in a chat: everyone, only the owner and managers, or
    /// listed members (added and removed by id).
    pub struct UpdateChatModeration {
        operation: "im.v1.chat.moderation.update",
        family: Im,
        method: Put,
        path: "/open-apis/im/v1/chats/:chat_id/moderation",
        path_params: ChatPath,
        query: UserIdTypeQuery,
        body: UpdateChatModerationBody,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-moderation/update",
    }
}

impl UpdateChatModeration {
    /// A call setting the given chat's speaking mode, with no moderator changes.
    pub fn new(chat_id: impl Into<ChatId>, moderation_setting: ModerationPermission) -> Self {
        UpdateChatModeration {
            path: ChatPath::new(chat_id),
            query: UserIdTypeQuery::default(),
            body: UpdateChatModerationBody {
                moderation_setting: Some(moderation_setting),
                moderator_added_list: None,
                moderator_removed_list: None,
            },
        }
    }
}
