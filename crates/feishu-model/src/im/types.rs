//! Types shared by several im v1 group resources and events.

use serde::{Deserialize, Serialize};

use crate::Extra;

crate::wire_enum! {
    /// `chat_mode`: what kind of conversation a chat is.
    pub enum ChatMode {
        /// `group`: a group chat.
        Group => "group",
        /// `topic`: a topic chat.
        Topic => "topic",
        /// `p2p`: a one-to-one chat.
        P2p => "p2p",
    }
}

crate::wire_enum! {
    /// `chat_type`: who can find and join a chat.
    pub enum ChatType {
        /// `private`: invitation only.
        Private => "private",
        /// `public`: anyone in the tenant can search and join.
        Public => "public",
    }
}

crate::wire_enum! {
    /// `chat_tag`: the first tag of a chat, in documented priority order.
    pub enum ChatTag {
        /// `inner`: internal chat.
        Inner => "inner",
        /// `tenant`: company-wide chat.
        Tenant => "tenant",
        /// `department`: department chat.
        Department => "department",
        /// `edu`: education chat.
        Edu => "edu",
        /// `meeting`: meeting chat.
        Meeting => "meeting",
        /// `customer_service`: customer-service chat.
        CustomerService => "customer_service",
    }
}

crate::wire_enum! {
    /// Who may do something: `add_member_permission`, `at_all_permission`,
    /// `edit_permission`, `urgent_setting`, `video_conference_setting`,
    /// `hide_member_count_setting`, ...
    pub enum WhoCan {
        /// `only_owner`: only the owner and managers.
        OnlyOwner => "only_owner",
        /// `all_members`: every member.
        AllMembers => "all_members",
        /// `unknown`: not set (reported in `im.chat.updated_v1` changes).
        NotSet => "unknown",
    }
}

crate::wire_enum! {
    /// `share_card_permission`: whether the chat may be shared.
    pub enum ShareCardPermission {
        /// `allowed`
        Allowed => "allowed",
        /// `not_allowed`
        NotAllowed => "not_allowed",
        /// `unknown`: not set (reported in `im.chat.updated_v1` changes).
        NotSet => "unknown",
    }
}

crate::wire_enum! {
    /// `join_message_visibility` / `leave_message_visibility`: who sees the
    /// join and leave notices.
    pub enum MessageVisibility {
        /// `only_owner`: owner and managers.
        OnlyOwner => "only_owner",
        /// `all_members`: every member.
        AllMembers => "all_members",
        /// `not_anyone`: nobody.
        NotAnyone => "not_anyone",
    }
}

crate::wire_enum! {
    /// `membership_approval`: whether joining needs approval.
    pub enum MembershipApproval {
        /// `no_approval_required`
        NoApprovalRequired => "no_approval_required",
        /// `approval_required`
        ApprovalRequired => "approval_required",
    }
}

crate::wire_enum! {
    /// `moderation_permission` / `moderation_setting`: who may speak.
    pub enum ModerationPermission {
        /// `only_owner`: owner and managers.
        OnlyOwner => "only_owner",
        /// `all_members`: every member.
        AllMembers => "all_members",
        /// `moderator_list`: the listed members.
        ModeratorList => "moderator_list",
    }
}

crate::wire_enum! {
    /// `group_message_type`: how messages are shown in a group.
    pub enum GroupMessageType {
        /// `chat`: conversation messages.
        Chat => "chat",
        /// `thread`: topic messages.
        Thread => "thread",
    }
}

crate::wire_enum! {
    /// A restricted-mode switch (`screenshot_has_permission_setting`, ...).
    pub enum RestrictedPermission {
        /// `all_members`: allowed for everyone.
        AllMembers => "all_members",
        /// `not_anyone`: forbidden for everyone.
        NotAnyone => "not_anyone",
    }
}

crate::wire_enum! {
    /// `chat_status`: whether a chat still exists.
    pub enum ChatStatus {
        /// `normal`
        Normal => "normal",
        /// `dissolved`
        Dissolved => "dissolved",
        /// `dissolved_save`: dissolved and kept.
        DissolvedSave => "dissolved_save",
    }
}

/// Localized names (`i18n_names`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct I18nNames {
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh_cn: Option<String>,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en_us: Option<String>,
    /// Japanese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ja_jp: Option<String>,
    /// Undocumented fields (other locales).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `restricted_mode_setting`: the chat's confidential mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct RestrictedModeSetting {
    /// Whether restricted mode is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<bool>,
    /// Who may take screenshots and recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot_has_permission_setting: Option<RestrictedPermission>,
    /// Who may download images, videos and files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_has_permission_setting: Option<RestrictedPermission>,
    /// Who may copy and forward messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_has_permission_setting: Option<RestrictedPermission>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Path parameters of every endpoint addressed by chat: `:chat_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatPath {
    /// The chat id (`oc_...`).
    pub chat_id: crate::ChatId,
}

crate::path_params!(ChatPath { chat_id });

impl ChatPath {
    /// Path parameters for one chat.
    pub fn new(chat_id: impl Into<crate::ChatId>) -> Self {
        ChatPath {
            chat_id: chat_id.into(),
        }
    }
}

/// Query of endpoints whose only query parameter is `user_id_type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserIdTypeQuery {
    /// The kind of user id in the request and response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<crate::UserIdType>,
}

impl crate::Params for UserIdTypeQuery {}

/// Query of endpoints whose only query parameter is `member_id_type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberIdTypeQuery {
    /// The kind of member id in the request and response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id_type: Option<crate::MemberIdType>,
}

impl crate::Params for MemberIdTypeQuery {}
