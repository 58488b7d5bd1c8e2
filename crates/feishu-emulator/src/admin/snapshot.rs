//! `GET /_emulator/state`: the world as JSON, for people and pages.

use feishu_model::im::types::{
    ChatMode, ChatStatus, ChatType, MembershipApproval, MessageVisibility, ShareCardPermission,
    WhoCan,
};
use serde::{Deserialize, Serialize};

use super::messages::{BuzzView, MessageView, PinView, ReactionView, ToastView};
use crate::state::{Chat, Directory, Principal, World};

/// Everything the emulator holds that a person acting as users needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Tenants.
    pub tenants: Vec<TenantView>,
    /// Apps and their bots.
    pub apps: Vec<AppView>,
    /// Users.
    pub users: Vec<UserView>,
    /// Chats, in creation order.
    pub chats: Vec<ChatView>,
    /// What the client showed after card clicks: the apps' toasts and the
    /// codes of failed callbacks, in order.
    #[serde(default)]
    pub toasts: Vec<ToastView>,
}

/// A tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantView {
    /// The tenant key.
    pub tenant_key: String,
    /// The display name.
    pub name: String,
}

/// An app and its bot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppView {
    /// The app id.
    pub app_id: String,
    /// The home tenant.
    pub tenant_key: String,
    /// The bot's open id.
    pub bot_open_id: String,
    /// Whether it is a marketplace (store) app.
    pub marketplace: bool,
    /// Whether the bot ability is on.
    pub bot_enabled: bool,
    /// Other tenants it is installed in.
    pub installed_in: Vec<String>,
    /// The bot's name (users @-mention it by this name).
    #[serde(default)]
    pub name: String,
    /// Whether the bot receives every group message (`group_msg`).
    #[serde(default)]
    pub group_msg: bool,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    /// The open id.
    pub open_id: String,
    /// The user id.
    pub user_id: String,
    /// The union id.
    pub union_id: String,
    /// The name.
    pub name: String,
    /// The tenant.
    pub tenant_key: String,
    /// Whether the user has resigned.
    pub resigned: bool,
}

/// A member, manager or owner of a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    /// `user` or `bot`.
    pub kind: String,
    /// The user's open id or the bot's app id.
    pub id: String,
    /// The user's name, or the bot's (its app id when it has none).
    pub name: String,
}

/// A chat's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    /// Who may add members.
    pub add_member_permission: WhoCan,
    /// Who may @all.
    pub at_all_permission: WhoCan,
    /// Who may edit the chat's information.
    pub edit_permission: WhoCan,
    /// Whether the chat may be shared.
    pub share_card_permission: ShareCardPermission,
    /// Whether joining needs approval.
    pub membership_approval: MembershipApproval,
    /// Who sees "joined" notices.
    pub join_message_visibility: MessageVisibility,
    /// Who sees "left" notices.
    pub leave_message_visibility: MessageVisibility,
}

/// A chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatView {
    /// The chat id.
    pub chat_id: String,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The tenant.
    pub tenant_key: String,
    /// `group`, `topic` or `p2p`.
    pub chat_mode: ChatMode,
    /// `private` or `public`.
    pub chat_type: ChatType,
    /// `normal` or `dissolved`.
    pub chat_status: ChatStatus,
    /// Whether it is an external chat.
    pub external: bool,
    /// The owner.
    pub owner: MemberView,
    /// Members: users in join order, then bots.
    pub members: Vec<MemberView>,
    /// Managers.
    pub managers: Vec<MemberView>,
    /// Settings.
    pub settings: SettingsView,
    /// Messages, in the order sent.
    #[serde(default)]
    pub messages: Vec<MessageView>,
    /// Pinned messages.
    #[serde(default)]
    pub pins: Vec<PinView>,
    /// Reactions on the chat's messages.
    #[serde(default)]
    pub reactions: Vec<ReactionView>,
    /// Buzz records of the chat's messages.
    #[serde(default)]
    pub buzz: Vec<BuzzView>,
}

pub(super) fn member(dir: &Directory, who: &Principal) -> MemberView {
    match who {
        Principal::User(key) => {
            let user = dir.user(*key);
            MemberView {
                kind: "user".to_owned(),
                id: user.map(|u| u.open_id.clone()).unwrap_or_default(),
                name: user.map(|u| u.name.clone()).unwrap_or_default(),
            }
        }
        Principal::Bot(app) => MemberView {
            kind: "bot".to_owned(),
            id: app.to_string(),
            name: dir
                .apps
                .get(app)
                .map(|a| a.name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| app.to_string()),
        },
    }
}

fn chat_view(world: &World, dir: &Directory, chat: &Chat) -> ChatView {
    let s = &chat.settings;
    let (messages, pins, reactions, buzz) = super::messages::of_chat(world, dir, chat);
    let members = chat
        .users()
        .map(Principal::User)
        .chain(chat.bots().cloned().map(Principal::Bot))
        .map(|who| member(dir, &who))
        .collect();
    ChatView {
        chat_id: chat.id.to_string(),
        name: chat.name.clone(),
        description: chat.description.clone(),
        tenant_key: chat.tenant.to_string(),
        chat_mode: chat.mode.clone(),
        chat_type: chat.chat_type.clone(),
        chat_status: chat.status.clone(),
        external: chat.external,
        owner: member(dir, &chat.owner),
        members,
        managers: chat.managers.iter().map(|m| member(dir, m)).collect(),
        settings: SettingsView {
            add_member_permission: s.add_member_permission.clone(),
            at_all_permission: s.at_all_permission.clone(),
            edit_permission: s.edit_permission.clone(),
            share_card_permission: s.share_card_permission.clone(),
            membership_approval: s.membership_approval.clone(),
            join_message_visibility: s.join_message_visibility.clone(),
            leave_message_visibility: s.leave_message_visibility.clone(),
        },
        messages,
        pins,
        reactions,
        buzz,
    }
}

/// What `GET /_emulator/state` answers for `world`.
pub(crate) fn snapshot(world: &World) -> Snapshot {
    let dir = &world.dir;
    let mut chats: Vec<&Chat> = world.chats.values().collect();
    chats.sort_by_key(|c| c.seq);
    Snapshot {
        tenants: dir
            .tenants
            .iter()
            .map(|(key, name)| TenantView {
                tenant_key: key.to_string(),
                name: name.clone(),
            })
            .collect(),
        apps: dir
            .app_order
            .iter()
            .filter_map(|id| dir.apps.get(id).map(|a| (id, a)))
            .map(|(id, a)| AppView {
                app_id: id.to_string(),
                tenant_key: a.home.to_string(),
                bot_open_id: a.bot_open_id.clone(),
                marketplace: a.marketplace,
                bot_enabled: a.bot_enabled,
                installed_in: a.installed.iter().map(|t| t.to_string()).collect(),
                name: a.name.clone(),
                group_msg: a.group_msg,
            })
            .collect(),
        users: dir
            .users
            .iter()
            .map(|u| UserView {
                open_id: u.open_id.clone(),
                user_id: u.user_id.clone(),
                union_id: u.union_id.clone(),
                name: u.name.clone(),
                tenant_key: u.tenant.to_string(),
                resigned: u.resigned,
            })
            .collect(),
        chats: chats
            .into_iter()
            .map(|c| chat_view(world, dir, c))
            .collect(),
        toasts: super::messages::toasts(world),
    }
}
