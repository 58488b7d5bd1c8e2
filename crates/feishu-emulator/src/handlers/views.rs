//! The model output types built from the state: what a chat looks like to
//! a caller, in the id kind the caller asked for.

use feishu_model::events::{ChatMemberUser, UserIds};
use feishu_model::im::chat::{Chat as ChatInfo, ChatSummary, CreatedChat};
use feishu_model::im::types::ChatMode;
use feishu_model::{MemberId, UserIdType};

use crate::state::{Chat, Directory, Principal, UserKey};

/// The avatar URL of an image key (a URL is kept as is).
pub(crate) fn avatar_url(key: &str) -> String {
    if key.starts_with("http://") || key.starts_with("https://") {
        key.to_owned()
    } else {
        format!("https://p3-lark-file.byteimg.com/img/lark-avatar-staging/{key}~100x100.jpg")
    }
}

/// The owner's id and kind, when a user owns the chat.
fn owner(
    dir: &Directory,
    chat: &Chat,
    kind: &UserIdType,
) -> (Option<MemberId>, Option<UserIdType>) {
    match &chat.owner {
        Principal::User(key) if chat.mode != ChatMode::P2p => {
            (Some(dir.id_of(*key, kind)), Some(kind.clone()))
        }
        _ => (None, None),
    }
}

/// The answer of chat create.
pub(crate) fn created(dir: &Directory, chat: &Chat, kind: &UserIdType) -> CreatedChat {
    let (owner_id, owner_id_type) = owner(dir, chat, kind);
    let s = &chat.settings;
    feishu_model::fill!(CreatedChat {
        chat_id: chat.id.clone(),
        avatar: chat.avatar.clone(),
        name: chat.name.clone(),
        description: chat.description.clone(),
        i18n_names: chat.i18n_names.clone(),
        owner_id,
        owner_id_type,
        urgent_setting: Some(s.urgent_setting.clone()),
        video_conference_setting: Some(s.video_conference_setting.clone()),
        add_member_permission: Some(s.add_member_permission.clone()),
        share_card_permission: Some(s.share_card_permission.clone()),
        at_all_permission: Some(s.at_all_permission.clone()),
        edit_permission: Some(s.edit_permission.clone()),
        group_message_type: Some(s.group_message_type.clone()),
        chat_mode: Some(chat.mode.clone()),
        chat_type: Some(chat.chat_type.clone()),
        chat_tag: Some(chat.tag.clone()),
        external: Some(chat.external),
        tenant_key: Some(chat.tenant.clone()),
        join_message_visibility: Some(s.join_message_visibility.clone()),
        leave_message_visibility: Some(s.leave_message_visibility.clone()),
        membership_approval: Some(s.membership_approval.clone()),
        moderation_permission: Some(s.moderation.clone()),
        restricted_mode_setting: Some(s.restricted_mode.clone()),
        hide_member_count_setting: Some(s.hide_member_count_setting.clone()),
        extra: Default::default(),
    })
}

/// `value` for a group chat; nothing for a p2p chat.
fn only<T>(group: bool, value: T) -> Option<T> {
    group.then_some(value)
}

/// The answer of chat get: everything for a member; name, avatar, member
/// counts and status for anyone else.
pub(crate) fn info(dir: &Directory, chat: &Chat, kind: &UserIdType, member: bool) -> ChatInfo {
    let counts = feishu_model::fill!(ChatInfo {
        avatar: chat.avatar.clone(),
        name: chat.name.clone(),
        user_count: Some(chat.user_count().to_string()),
        bot_count: Some(chat.bot_count().to_string()),
        chat_status: Some(chat.status.clone()),
        ..ChatInfo::default()
    });
    if !member {
        return counts;
    }
    let group = chat.mode != ChatMode::P2p;
    let (owner_id, owner_id_type) = owner(dir, chat, kind);
    let s = &chat.settings;
    let user_managers = chat
        .managers
        .iter()
        .filter_map(|m| match m {
            Principal::User(key) => Some(dir.id_of(*key, kind)),
            Principal::Bot(_) => None,
        })
        .collect();
    let bot_managers = chat
        .managers
        .iter()
        .filter_map(|m| match m {
            Principal::Bot(app) => Some(app.clone()),
            Principal::User(_) => None,
        })
        .collect();
    feishu_model::fill!(ChatInfo {
        description: chat.description.clone(),
        i18n_names: chat.i18n_names.clone(),
        add_member_permission: only(group, s.add_member_permission.clone()),
        share_card_permission: only(group, s.share_card_permission.clone()),
        at_all_permission: only(group, s.at_all_permission.clone()),
        edit_permission: Some(s.edit_permission.clone()),
        owner_id_type,
        owner_id,
        user_manager_id_list: Some(user_managers),
        bot_manager_id_list: Some(bot_managers),
        group_message_type: (chat.mode == ChatMode::Group).then(|| s.group_message_type.clone()),
        chat_mode: Some(chat.mode.clone()),
        chat_type: only(group, chat.chat_type.clone()),
        chat_tag: only(group, chat.tag.clone()),
        join_message_visibility: only(group, s.join_message_visibility.clone()),
        leave_message_visibility: only(group, s.leave_message_visibility.clone()),
        membership_approval: only(group, s.membership_approval.clone()),
        moderation_permission: Some(s.moderation.clone()),
        external: Some(chat.external),
        tenant_key: Some(chat.tenant.clone()),
        restricted_mode_setting: Some(s.restricted_mode.clone()),
        urgent_setting: Some(s.urgent_setting.clone()),
        video_conference_setting: Some(s.video_conference_setting.clone()),
        hide_member_count_setting: Some(s.hide_member_count_setting.clone()),
        ..counts
    })
}

/// One chat in a list or search answer.
pub(crate) fn summary(dir: &Directory, chat: &Chat, kind: &UserIdType) -> ChatSummary {
    let (owner_id, owner_id_type) = owner(dir, chat, kind);
    feishu_model::fill!(ChatSummary {
        chat_id: chat.id.clone(),
        avatar: chat.avatar.clone(),
        name: chat.name.clone(),
        // The list answers an empty description rather than none.
        description: Some(chat.description.clone().unwrap_or_default()),
        owner_id,
        owner_id_type,
        external: Some(chat.external),
        tenant_key: Some(chat.tenant.clone()),
        chat_status: Some(chat.status.clone()),
        extra: Default::default(),
    })
}

/// A user as member events list it.
pub(crate) fn event_user(dir: &Directory, key: UserKey) -> ChatMemberUser {
    let user = dir.user(key);
    feishu_model::fill!(ChatMemberUser {
        name: user.map(|u| u.name.clone()),
        tenant_key: user.map(|u| u.tenant.clone()),
        user_id: Some(dir.event_ids(&Principal::User(key))),
        extra: Default::default(),
    })
}

/// The operator's ids as events carry them.
pub(crate) fn operator(dir: &Directory, who: &Principal) -> Option<UserIds> {
    Some(dir.event_ids(who))
}
