//! Chat events: `im.chat.disbanded_v1` and `im.chat.updated_v1`.

use serde::Serialize;

use super::{EventPayload, UserIds};
use crate::im::types::{
    GroupMessageType, I18nNames, MembershipApproval, MessageVisibility, ModerationPermission,
    RestrictedModeSetting, ShareCardPermission, WhoCan,
};
use crate::{ChatId, Extra, TenantKey};

/// `im.chat.disbanded_v1`: a chat was disbanded. Sent to the bots in the chat
/// that subscribe to it (not sent when the chat is dissolved with its history
/// kept for members).
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/events/disbanded>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatDisbandedV1 {
    /// The chat id.
    pub chat_id: ChatId,
    /// Who disbanded the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<UserIds>,
    /// Whether the chat was an external chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    /// The operator's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_tenant_key: Option<TenantKey>,
    /// The chat name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The chat's localized names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for ChatDisbandedV1 {
    const EVENT_TYPE: &'static str = "im.chat.disbanded_v1";
}

/// `im.chat.updated_v1`: a chat's settings changed (owner transfer, avatar,
/// name, description, localized names, permissions). Sent to the bots in the
/// chat that subscribe to it.
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/events/updated>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatUpdatedV1 {
    /// The chat id.
    pub chat_id: ChatId,
    /// Who changed the settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<UserIds>,
    /// Whether the chat is an external chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    /// The operator's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_tenant_key: Option<TenantKey>,
    /// The settings after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_change: Option<ChatChange>,
    /// The settings before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_change: Option<ChatChange>,
    /// Changes to the list of members allowed to speak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator_list: Option<ModeratorList>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for ChatUpdatedV1 {
    const EVENT_TYPE: &'static str = "im.chat.updated_v1";
}

/// `chat_change`: a chat's settings, before or after an update.
///
/// The permission fields may also carry `unknown` (not set), which the shared
/// enums keep as their `Unknown("unknown")` value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatChange {
    /// The chat avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The chat name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The chat description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The chat's localized names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// Who may add members (users or bots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_member_permission: Option<WhoCan>,
    /// Whether the chat may be shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Who may @all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// Whether joining needs approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Who sees the join notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees the leave notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Who may speak; when it is a list of members, see the event's
    /// `moderator_list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_permission: Option<ModerationPermission>,
    /// The chat owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<UserIds>,
    /// The chat's confidential (restricted) mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// How messages are shown in the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_message_type: Option<GroupMessageType>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `moderator_list`: who was added to and removed from the list of members
/// allowed to speak.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ModeratorList {
    /// Users added to the list (the owner is always among them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_member_list: Option<Vec<EventModerator>>,
    /// Users removed from the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_member_list: Option<Vec<EventModerator>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `list_event_moderator`: one user in a [`ModeratorList`] change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct EventModerator {
    /// The user's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// The user's ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserIds>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
