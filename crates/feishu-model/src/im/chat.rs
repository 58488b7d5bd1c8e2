//! chat endpoints: create, delete (disband), update, get, list, search and
//! the share link of a group chat.

use serde::{Deserialize, Serialize};

use crate::im::types::{
    ChatMode, ChatPath, ChatStatus, ChatTag, ChatType, GroupMessageType, I18nNames,
    MembershipApproval, MessageVisibility, ModerationPermission, RestrictedModeSetting,
    RestrictedPermission, ShareCardPermission, UserIdTypeQuery, WhoCan,
};
use crate::{
    endpoint, validate, AppId, ChatId, Empty, Extra, Invalid, MemberId, NoParams, Page, PagedQuery,
    Params, TenantKey, UserIdType,
};

crate::wire_enum! {
    /// `sort_type` of the chat list: the order chats are returned in.
    pub enum ChatSortType {
        /// `ByCreateTimeAsc`: by creation time, oldest first (the default).
        ByCreateTimeAsc => "ByCreateTimeAsc",
        /// `ByActiveTimeDesc`: by last activity, most recent first. Chats that
        /// become active while paging move to the front and may be missed.
        ByActiveTimeDesc => "ByActiveTimeDesc",
    }
}

crate::wire_enum! {
    /// `validity_period`: how long a chat share link stays valid.
    pub enum LinkValidityPeriod {
        /// `week`: 7 days (the default).
        Week => "week",
        /// `year`: one year.
        Year => "year",
        /// `permanently`: never expires.
        Permanently => "permanently",
    }
}

/// Checks the documented rules of `restricted_mode_setting`: with `status`
/// `true` the three switches must not all be `all_members`; with `status`
/// `false` none of them may be `not_anyone`.
///
/// `absent_is_default` says whether an absent switch means its documented
/// default (`all_members`, `status: false`), as on create, or "unchanged", as
/// on update, where only the values actually sent can be checked.
fn check_restricted_mode(
    setting: Option<&RestrictedModeSetting>,
    absent_is_default: bool,
) -> Result<(), Invalid> {
    let Some(s) = setting else {
        return Ok(());
    };
    let switches = [
        s.screenshot_has_permission_setting.as_ref(),
        s.download_has_permission_setting.as_ref(),
        s.message_has_permission_setting.as_ref(),
    ];
    let status = s.status.or(absent_is_default.then_some(false));
    let all_members = switches.iter().all(|v| match v {
        Some(p) => *p == &RestrictedPermission::AllMembers,
        None => absent_is_default,
    });
    let any_not_anyone = switches.contains(&Some(&RestrictedPermission::NotAnyone));
    match status {
        Some(true) if all_members => Err(Invalid::conflict(
            "restricted_mode_setting",
            "with status true, screenshot/download/message_has_permission_setting \
             must not all be all_members",
        )),
        Some(false) if any_not_anyone => Err(Invalid::conflict(
            "restricted_mode_setting",
            "with status false, no *_has_permission_setting may be not_anyone",
        )),
        _ => Ok(()),
    }
}

/// Checks that the name of a public chat, if sent, has at least 2 characters.
fn check_public_name(chat_type: Option<&ChatType>, name: Option<&str>) -> Result<(), Invalid> {
    match name {
        Some(name) if chat_type == Some(&ChatType::Public) && name.chars().count() < 2 => Err(
            Invalid::too_short("name", "a public chat's name needs at least 2 characters"),
        ),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

/// Query of [`CreateChat`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateChatQuery {
    /// The kind of user id in `owner_id` and `user_id_list` (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// Whether the creating bot also becomes a manager when `owner_id` names
    /// a user as owner (default `false`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_bool"
    )]
    pub set_bot_manager: Option<bool>,
    /// Request de-duplication key: requests with the same `uuid` (and
    /// `owner_id`, if any) create at most one chat within 10 hours. At most
    /// 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl Params for CreateChatQuery {
    fn validate(&self) -> Result<(), Invalid> {
        validate::opt_char_len("uuid", self.uuid.as_deref(), 1, 50)
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.uuid.as_deref()
    }
}

/// Body of [`CreateChat`]. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateChatBody {
    /// Image key of the avatar (upload with `image_type` `avatar`); the
    /// default avatar when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Chat name (60 characters or fewer recommended; a public chat's name
    /// needs at least 2 characters; a private chat without one is named
    /// `(无主题)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chat description (100 characters or fewer recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Localized names (60 characters or fewer recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// The owner, of the kind given by `user_id_type`; the creating bot when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// Users to invite, of the kind given by `user_id_type`: at most 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_list: Option<Vec<MemberId>>,
    /// Bots to invite, by app id: at most 5 (the calling bot joins anyway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_id_list: Option<Vec<AppId>>,
    /// How messages are shown (default `chat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_message_type: Option<GroupMessageType>,
    /// Chat mode; only `group` can be created through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_mode: Option<ChatMode>,
    /// Chat type (default `private`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// Who sees join notices (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees leave notices (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Whether joining needs approval (default `no_approval_required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Restricted (confidential) mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// Who may send urgent messages (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_setting: Option<WhoCan>,
    /// Who may start video meetings (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_conference_setting: Option<WhoCan>,
    /// Who may edit the chat information (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// Who sees the member count (default `all_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_member_count_setting: Option<WhoCan>,
}

impl Params for CreateChatBody {
    fn validate(&self) -> Result<(), Invalid> {
        if let Some(mode @ (ChatMode::Topic | ChatMode::P2p)) = &self.chat_mode {
            return Err(Invalid::bad_value(
                "chat_mode",
                format!("only `group` chats can be created through the API, got `{mode}`"),
            ));
        }
        if self.chat_type == Some(ChatType::Public) && self.name.is_none() {
            return Err(Invalid::required("name", "is required for a public chat"));
        }
        check_public_name(self.chat_type.as_ref(), self.name.as_deref())?;
        validate::opt_count("user_id_list", self.user_id_list.as_deref(), 0, 50)?;
        validate::opt_count("bot_id_list", self.bot_id_list.as_deref(), 0, 5)?;
        check_restricted_mode(self.restricted_mode_setting.as_ref(), true)
    }
}

/// The chat just created (`data` of [`CreateChat`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CreatedChat {
    /// The new chat's id; keep it for later calls.
    pub chat_id: ChatId,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Chat name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chat description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Localized names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// The owner, of the kind in `owner_id_type`; absent when a bot owns the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// The kind of `owner_id` (the request's `user_id_type`); absent when a bot owns the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id_type: Option<UserIdType>,
    /// Who may send urgent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_setting: Option<WhoCan>,
    /// Who may start video meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_conference_setting: Option<WhoCan>,
    /// Who may add users or bots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_member_permission: Option<WhoCan>,
    /// Whether the chat may be shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Who may @all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// How messages are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_message_type: Option<GroupMessageType>,
    /// Chat mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_mode: Option<ChatMode>,
    /// Chat type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// The chat's first tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_tag: Option<ChatTag>,
    /// Whether the chat is external (has members of other tenants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    /// The tenant the chat belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Who sees join notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees leave notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Whether joining needs approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Who may speak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_permission: Option<ModerationPermission>,
    /// Restricted (confidential) mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// Who sees the member count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_member_count_setting: Option<WhoCan>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Creates a group chat, optionally with members, bots and settings.
    ///
    /// Not idempotent, but `query.uuid` makes a retry safe: requests with the
    /// same `uuid` create at most one chat within 10 hours.
    pub struct CreateChat {
        operation: "im.v1.chat.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats",
        path_params: NoParams,
        query: CreateChatQuery,
        body: CreateChatBody,
        output: CreatedChat,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/create",
    }
}

impl CreateChat {
    /// A call creating a private chat with default settings, owned by the bot.
    pub fn new() -> Self {
        CreateChat {
            path: NoParams {},
            query: CreateChatQuery::default(),
            body: CreateChatBody::default(),
        }
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.query.uuid = Some(uuid.into());
        self
    }
}

impl Default for CreateChat {
    fn default() -> Self {
        CreateChat::new()
    }
}

// ---------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------

endpoint! {
    /// Disbands a chat (only `group` mode chats); its history is not kept.
    pub struct DeleteChat {
        operation: "im.v1.chat.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/chats/:chat_id",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/delete",
    }
}

impl DeleteChat {
    /// A call disbanding the given chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        DeleteChat {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

/// Body of [`UpdateChat`]. Absent fields are left unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateChatBody {
    /// Image key of the new avatar (upload with `image_type` `avatar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// New name (60 characters or fewer recommended; at least 2 for a public chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description (100 characters or fewer recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New localized names (60 characters or fewer recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// Who may add users or bots. Must be sent together with
    /// `share_card_permission`: `only_owner` goes with `not_allowed`,
    /// `all_members` with `allowed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_member_permission: Option<WhoCan>,
    /// Whether the chat may be shared; see `add_member_permission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Who may @all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// The new owner (ownership transfer), of the kind given by `user_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// Who sees join notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees leave notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Whether joining needs approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Restricted (confidential) mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// Chat type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// How messages are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_message_type: Option<GroupMessageType>,
    /// Who may send urgent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_setting: Option<WhoCan>,
    /// Who may start video meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_conference_setting: Option<WhoCan>,
    /// Who sees the member count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_member_count_setting: Option<WhoCan>,
}

impl Params for UpdateChatBody {
    fn validate(&self) -> Result<(), Invalid> {
        check_public_name(self.chat_type.as_ref(), self.name.as_deref())?;
        match (&self.add_member_permission, &self.share_card_permission) {
            (None, None) => {}
            (Some(_), None) => {
                return Err(Invalid::conflict(
                    "share_card_permission",
                    "must be set together with add_member_permission",
                ));
            }
            (None, Some(_)) => {
                return Err(Invalid::conflict(
                    "add_member_permission",
                    "must be set together with share_card_permission",
                ));
            }
            (Some(WhoCan::OnlyOwner), Some(ShareCardPermission::Allowed)) => {
                return Err(Invalid::conflict(
                    "share_card_permission",
                    "must be not_allowed when add_member_permission is only_owner",
                ));
            }
            (Some(WhoCan::AllMembers), Some(ShareCardPermission::NotAllowed)) => {
                return Err(Invalid::conflict(
                    "share_card_permission",
                    "must be allowed when add_member_permission is all_members",
                ));
            }
            (Some(_), Some(_)) => {}
        }
        check_restricted_mode(self.restricted_mode_setting.as_ref(), false)
    }
}

endpoint! {
    /// Updates a chat's avatar, name, description, settings or owner.
    pub struct UpdateChat {
        operation: "im.v1.chat.update",
        family: Im,
        method: Put,
        path: "/open-apis/im/v1/chats/:chat_id",
        path_params: ChatPath,
        query: UserIdTypeQuery,
        body: UpdateChatBody,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/update",
    }
}

impl UpdateChat {
    /// A call updating the given chat; set the fields to change on `body`.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        UpdateChat {
            path: ChatPath::new(chat_id),
            query: UserIdTypeQuery::default(),
            body: UpdateChatBody::default(),
        }
    }
}

// ---------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------

/// A chat's information (`data` of [`GetChat`]).
///
/// A caller outside the chat only gets the name, avatar, member counts and status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Chat {
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Chat name; absent when none is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chat description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Localized names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// Who may add users or bots (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_member_permission: Option<WhoCan>,
    /// Whether the chat may be shared (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Who may @all (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// The kind of `owner_id` (absent when a bot owns the chat, and for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id_type: Option<UserIdType>,
    /// The owner (absent when a bot owns the chat, and for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// User managers, of the kind given by `user_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_manager_id_list: Option<Vec<MemberId>>,
    /// Bot managers, by app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_manager_id_list: Option<Vec<AppId>>,
    /// How messages are shown (ordinary group chats only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_message_type: Option<GroupMessageType>,
    /// Chat mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_mode: Option<ChatMode>,
    /// Chat type (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
    /// The chat's first tag (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_tag: Option<ChatTag>,
    /// Who sees join notices (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees leave notices (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Whether joining needs approval (absent for p2p chats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Who may speak.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_permission: Option<ModerationPermission>,
    /// Whether the chat is external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    /// The tenant the chat belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Number of users, as text (`"3"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_count: Option<String>,
    /// Number of bots, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_count: Option<String>,
    /// Restricted (confidential) mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// Who may send urgent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_setting: Option<WhoCan>,
    /// Who may start video meetings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_conference_setting: Option<WhoCan>,
    /// Who sees the member count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_member_count_setting: Option<WhoCan>,
    /// Whether the chat still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_status: Option<ChatStatus>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Gets a chat's name, description, avatar, owner and settings.
    pub struct GetChat {
        operation: "im.v1.chat.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id",
        path_params: ChatPath,
        query: UserIdTypeQuery,
        body: NoParams,
        output: Chat,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/get",
    }
}

impl GetChat {
    /// A call getting the given chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetChat {
            path: ChatPath::new(chat_id),
            query: UserIdTypeQuery::default(),
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// list and search
// ---------------------------------------------------------------------------

/// One chat in a list or search result (`list_chat`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatSummary {
    /// The chat id; [`GetChat`] gives the details.
    pub chat_id: ChatId,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Chat name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chat description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The owner, of the kind in `owner_id_type` (absent when a bot owns the chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// The kind of `owner_id` (absent when a bot owns the chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id_type: Option<UserIdType>,
    /// Whether the chat is external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    /// The tenant the chat belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Whether the chat still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_status: Option<ChatStatus>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::common::page_output! {
    /// One page of chats (`data` of [`ListChats`] and [`SearchChats`]).
    pub struct ChatPage { items: ChatSummary, "The chats on this page." }
}

/// Query of [`ListChats`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListChatsQuery {
    /// The kind of user id of `owner_id` in the result (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// Sort order (default `ByCreateTimeAsc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_type: Option<ChatSortType>,
    /// `page_size` (at most 100, default 20) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for ListChatsQuery {
    fn validate(&self) -> Result<(), Invalid> {
        self.page.check(100)
    }
}

impl PagedQuery for ListChatsQuery {
    fn page_mut(&mut self) -> &mut crate::Page {
        &mut self.page
    }
}

endpoint! {
    /// Lists the chats the calling user or bot is in (p2p chats excluded).
    pub struct ListChats {
        operation: "im.v1.chat.list",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats",
        path_params: NoParams,
        query: ListChatsQuery,
        body: NoParams,
        output: ChatPage,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/list",
    }
}

impl ListChats {
    /// A call for the first page with default size and order.
    pub fn new() -> Self {
        ListChats {
            path: NoParams {},
            query: ListChatsQuery::default(),
            body: NoParams {},
        }
    }
}

impl Default for ListChats {
    fn default() -> Self {
        ListChats::new()
    }
}

/// Query of [`SearchChats`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchChatsQuery {
    /// The kind of user id of `owner_id` in the result (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
    /// Keyword matched against chat names and member names (pinyin and
    /// prefixes work). An empty keyword or one over 64 characters gives an
    /// empty result, so both are refused; quote a keyword containing `-`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// `page_size` (at most 100, default 20) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for SearchChatsQuery {
    fn validate(&self) -> Result<(), Invalid> {
        validate::opt_char_len("query", self.query.as_deref(), 1, 64)?;
        self.page.check(100)
    }
}

impl PagedQuery for SearchChatsQuery {
    fn page_mut(&mut self) -> &mut crate::Page {
        &mut self.page
    }
}

endpoint! {
    /// Searches the chats visible to the calling user or bot: the chats it is
    /// in and the public chats open to it.
    pub struct SearchChats {
        operation: "im.v1.chat.search",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/search",
        path_params: NoParams,
        query: SearchChatsQuery,
        body: NoParams,
        output: ChatPage,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/search",
    }
}

impl SearchChats {
    /// A call searching for the given keyword (first page, default size).
    pub fn new(query: impl Into<String>) -> Self {
        SearchChats {
            path: NoParams {},
            query: SearchChatsQuery {
                user_id_type: None,
                query: Some(query.into()),
                page: Page::default(),
            },
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// link
// ---------------------------------------------------------------------------

/// Body of [`GetChatLink`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLinkBody {
    /// How long the link stays valid (default `week`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_period: Option<LinkValidityPeriod>,
}

impl Params for ChatLinkBody {}

/// A chat share link (`data` of [`GetChatLink`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatShareLink {
    /// The link; whoever opens it can join the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_link: Option<String>,
    /// When the link expires: a Unix timestamp in seconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
    /// Whether the link never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_permanent: Option<bool>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Gets a share link of a chat; others join the chat by opening it.
    ///
    /// Not supported for p2p, secret and team chats. Repeating the call only
    /// hands out another link, so it is treated as idempotent.
    pub struct GetChatLink {
        operation: "im.v1.chat.link",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/link",
        path_params: ChatPath,
        query: NoParams,
        body: ChatLinkBody,
        output: ChatShareLink,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/link",
        idempotent: true,
    }
}

impl GetChatLink {
    /// A call for a link to the given chat with the default validity (a week).
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetChatLink {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: ChatLinkBody::default(),
        }
    }
}
