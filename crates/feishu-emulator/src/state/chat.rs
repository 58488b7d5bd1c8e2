//! One chat: its settings, members and roles, and the documented limits.

use std::collections::HashSet;

use feishu_model::docx::AnnouncementType;
use feishu_model::im::menu::ChatMenuTopLevel;
use feishu_model::im::tab::ChatTab;
use feishu_model::im::top_notice::TopNotice;
use feishu_model::im::types::{
    ChatMode, ChatStatus, ChatTag, ChatType, GroupMessageType, I18nNames, MembershipApproval,
    MessageVisibility, ModerationPermission, RestrictedModeSetting, ShareCardPermission, WhoCan,
};
use feishu_model::{AppId, ChatId, TenantKey};

use super::directory::{Principal, UserKey};

/// Documented member limit of a normal (and topic) group: 5,000 users.
pub const MAX_MEMBERS: usize = 5000;
/// Documented member limit of a meeting chat: 3,000 users.
pub const MAX_MEETING_MEMBERS: usize = 3000;
/// Documented manager limit of a regular chat.
pub const MAX_MANAGERS: usize = 10;
/// Documented manager limit of a super-large chat.
pub const MAX_MANAGERS_SUPER_LARGE: usize = 20;
/// Documented limit of custom (doc and url) tabs in a chat.
pub const MAX_CUSTOM_TABS: usize = 20;
/// Documented limit of top-level menus in a chat.
pub const MAX_TOP_MENUS: usize = 3;
/// Documented limit of second-level menus under one top-level menu.
pub const MAX_SECOND_MENUS: usize = 5;

/// The settings of a chat.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub(crate) add_member_permission: WhoCan,
    pub(crate) share_card_permission: ShareCardPermission,
    pub(crate) at_all_permission: WhoCan,
    pub(crate) edit_permission: WhoCan,
    pub(crate) manage_tabs_permission: WhoCan,
    pub(crate) join_message_visibility: MessageVisibility,
    pub(crate) leave_message_visibility: MessageVisibility,
    pub(crate) membership_approval: MembershipApproval,
    pub(crate) moderation: ModerationPermission,
    pub(crate) group_message_type: GroupMessageType,
    pub(crate) restricted_mode: RestrictedModeSetting,
    pub(crate) urgent_setting: WhoCan,
    pub(crate) video_conference_setting: WhoCan,
    pub(crate) hide_member_count_setting: WhoCan,
}

impl Default for Settings {
    /// The documented defaults of a new chat.
    fn default() -> Self {
        Settings {
            add_member_permission: WhoCan::AllMembers,
            share_card_permission: ShareCardPermission::Allowed,
            at_all_permission: WhoCan::AllMembers,
            edit_permission: WhoCan::AllMembers,
            manage_tabs_permission: WhoCan::AllMembers,
            join_message_visibility: MessageVisibility::AllMembers,
            leave_message_visibility: MessageVisibility::AllMembers,
            membership_approval: MembershipApproval::NoApprovalRequired,
            moderation: ModerationPermission::AllMembers,
            group_message_type: GroupMessageType::Chat,
            restricted_mode: RestrictedModeSetting {
                status: Some(false),
                screenshot_has_permission_setting: Some(
                    feishu_model::im::types::RestrictedPermission::AllMembers,
                ),
                download_has_permission_setting: Some(
                    feishu_model::im::types::RestrictedPermission::AllMembers,
                ),
                message_has_permission_setting: Some(
                    feishu_model::im::types::RestrictedPermission::AllMembers,
                ),
                extra: Default::default(),
            },
            urgent_setting: WhoCan::AllMembers,
            video_conference_setting: WhoCan::AllMembers,
            hide_member_count_setting: WhoCan::AllMembers,
        }
    }
}

/// The legacy announcement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Announcement {
    pub(crate) content: String,
    pub(crate) revision: i64,
    pub(crate) create_time: i64,
    pub(crate) update_time: i64,
    pub(crate) owner: Principal,
    pub(crate) modifier: Principal,
    /// Edit requests applied so far (recorded, not interpreted).
    pub(crate) edits: Vec<String>,
    /// The one API that serves it (`doc`: legacy, `docx`); `None`: both.
    pub(crate) kind: Option<AnnouncementType>,
}

/// A chat.
#[derive(Debug, Clone)]
pub(crate) struct Chat {
    pub(crate) id: ChatId,
    /// Creation order, for `ByCreateTimeAsc`.
    pub(crate) seq: u64,
    /// Last change, for `ByActiveTimeDesc`.
    pub(crate) active: u64,
    pub(crate) tenant: TenantKey,
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) avatar: Option<String>,
    pub(crate) i18n_names: Option<I18nNames>,
    pub(crate) mode: ChatMode,
    pub(crate) chat_type: ChatType,
    pub(crate) tag: ChatTag,
    pub(crate) external: bool,
    pub(crate) super_large: bool,
    pub(crate) status: ChatStatus,
    pub(crate) owner: Principal,
    pub(crate) creator: Option<AppId>,
    members: Vec<Principal>,
    member_set: HashSet<Principal>,
    pub(crate) managers: Vec<Principal>,
    pub(crate) settings: Settings,
    pub(crate) moderators: Vec<UserKey>,
    pub(crate) top_notice: Option<TopNotice>,
    pub(crate) announcement: Announcement,
    pub(crate) tabs: Vec<ChatTab>,
    pub(crate) menu: Vec<ChatMenuTopLevel>,
}

impl Chat {
    /// A new chat with default settings and only its owner as member.
    pub(crate) fn new(id: ChatId, tenant: TenantKey, owner: Principal, now_ms: i64) -> Self {
        let mut chat = Chat {
            id,
            seq: 0,
            active: 0,
            tenant,
            name: None,
            description: None,
            avatar: None,
            i18n_names: None,
            mode: ChatMode::Group,
            chat_type: ChatType::Private,
            tag: ChatTag::Inner,
            external: false,
            super_large: false,
            status: ChatStatus::Normal,
            owner: owner.clone(),
            creator: None,
            members: Vec::new(),
            member_set: HashSet::new(),
            managers: Vec::new(),
            settings: Settings::default(),
            moderators: Vec::new(),
            top_notice: None,
            announcement: Announcement {
                content: String::new(),
                revision: 0,
                create_time: now_ms / 1000,
                update_time: now_ms / 1000,
                owner: owner.clone(),
                modifier: owner.clone(),
                edits: Vec::new(),
                kind: None,
            },
            tabs: Vec::new(),
            menu: Vec::new(),
        };
        chat.add(owner);
        chat
    }

    /// Whether the chat still exists.
    pub(crate) fn is_live(&self) -> bool {
        self.status == ChatStatus::Normal
    }

    /// Whether `who` is a member.
    pub(crate) fn is_member(&self, who: &Principal) -> bool {
        self.member_set.contains(who)
    }

    /// Adds a member; `false` if already one.
    pub(crate) fn add(&mut self, who: Principal) -> bool {
        if self.member_set.insert(who.clone()) {
            self.members.push(who);
            true
        } else {
            false
        }
    }

    /// Removes a member and its roles; `false` if it was not one.
    pub(crate) fn remove(&mut self, who: &Principal) -> bool {
        if !self.member_set.remove(who) {
            return false;
        }
        self.members.retain(|m| m != who);
        self.managers.retain(|m| m != who);
        if let Principal::User(key) = who {
            self.moderators.retain(|m| m != key);
        }
        true
    }

    /// User members in join order.
    pub(crate) fn users(&self) -> impl Iterator<Item = UserKey> + '_ {
        self.members.iter().filter_map(|m| match m {
            Principal::User(key) => Some(*key),
            Principal::Bot(_) => None,
        })
    }

    /// Bot members in join order.
    pub(crate) fn bots(&self) -> impl Iterator<Item = &AppId> + '_ {
        self.members.iter().filter_map(|m| match m {
            Principal::Bot(app) => Some(app),
            Principal::User(_) => None,
        })
    }

    /// Number of user members.
    pub(crate) fn user_count(&self) -> usize {
        self.users().count()
    }

    /// Number of bot members.
    pub(crate) fn bot_count(&self) -> usize {
        self.bots().count()
    }

    /// The documented member limit: 3,000 for a meeting chat, else 5,000.
    pub(crate) fn member_limit(&self) -> usize {
        if self.tag == ChatTag::Meeting {
            MAX_MEETING_MEMBERS
        } else {
            MAX_MEMBERS
        }
    }

    /// The documented manager limit.
    pub(crate) fn manager_limit(&self) -> usize {
        if self.super_large {
            MAX_MANAGERS_SUPER_LARGE
        } else {
            MAX_MANAGERS
        }
    }

    /// Whether `who` owns the chat or is the bot that created it (which the
    /// documentation gives owner rights with `im:chat:operate_as_owner`).
    pub(crate) fn owner_like(&self, who: &Principal) -> bool {
        self.owner == *who
            || matches!(who, Principal::Bot(app) if self.creator.as_ref() == Some(app))
    }

    /// Whether `who` is the owner, a manager, or the creating bot.
    pub(crate) fn privileged(&self, who: &Principal) -> bool {
        self.owner_like(who) || self.managers.contains(who)
    }

    /// Whether `who` may do something that `rule` restricts.
    pub(crate) fn allowed(&self, rule: &WhoCan, who: &Principal) -> bool {
        *rule != WhoCan::OnlyOwner || self.privileged(who)
    }
}
