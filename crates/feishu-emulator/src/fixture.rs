//! The seed file: tenants, apps (bots), users and chats the emulator starts
//! with. JSON; every list may be omitted.
//!
//! ```
//! use feishu_emulator::Fixture;
//!
//! let fixture = Fixture::from_json(r#"{
//!     "tenants": [{"tenant_key": "t1"}],
//!     "apps": [{"app_id": "cli_1", "app_secret": "s", "tenant_key": "t1"}],
//!     "users": [{"open_id": "ou_1", "name": "Ada", "tenant_key": "t1"}],
//!     "chats": [{"chat_id": "oc_1", "tenant_key": "t1", "name": "ops", "owner": "ou_1",
//!                "users": ["ou_1"], "bots": ["cli_1"]}]
//! }"#).unwrap();
//! assert_eq!(fixture.chats[0].users, ["ou_1"]);
//! ```

use std::path::Path;

use feishu_model::im::menu::ChatMenuTopLevel;
use feishu_model::im::tab::ChatTab;
use feishu_model::im::types::{
    ChatMode, ChatStatus, ChatTag, ChatType, GroupMessageType, I18nNames, MembershipApproval,
    MessageVisibility, ModerationPermission, RestrictedModeSetting, ShareCardPermission, WhoCan,
};
use feishu_model::{AppId, ChatId, Secret, TenantKey};
use serde::{Deserialize, Serialize};

/// The default fixture shipped with the crate (`fixtures/default.json`): the
/// tenants, apps, users and chats the documented examples name.
pub const DEFAULT_FIXTURE: &str = include_str!("../fixtures/default.json");

/// Why a fixture could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError {
    /// Where in the fixture (`chats[2].owner`), or the file.
    pub at: String,
    /// What was wrong.
    pub message: String,
}

impl FixtureError {
    pub(crate) fn new(at: impl Into<String>, message: impl Into<String>) -> Self {
        FixtureError {
            at: at.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "fixture error at `{}`: {}", self.at, self.message)
    }
}

impl std::error::Error for FixtureError {}

fn yes() -> bool {
    true
}

/// The whole seed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Seed of the id generator: the same seed gives the same generated ids.
    #[serde(default)]
    pub seed: u64,
    /// Tenants (companies).
    #[serde(default)]
    pub tenants: Vec<TenantSeed>,
    /// Apps; each has a bot.
    #[serde(default)]
    pub apps: Vec<AppSeed>,
    /// Users.
    #[serde(default)]
    pub users: Vec<UserSeed>,
    /// Chats.
    #[serde(default)]
    pub chats: Vec<ChatSeed>,
    /// Pre-issued user access tokens (they do not expire).
    #[serde(default)]
    pub user_tokens: Vec<UserTokenSeed>,
    /// What users do once the emulator runs: played by
    /// [`crate::Emulator::play_script`] (the binary plays it at start).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<crate::actions::ScriptStep>,
    /// The long connection's `ClientConfig` and connection limit (the
    /// platform's defaults when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_connection: Option<crate::ws::LongConnectionSeed>,
}

impl Fixture {
    /// Parses a fixture from JSON text; errors name the failing path.
    pub fn from_json(text: &str) -> Result<Fixture, FixtureError> {
        feishu_model::jsonpath::from_str(text).map_err(|e| FixtureError::new(e.path, e.message))
    }

    /// Reads and parses a fixture file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Fixture, FixtureError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| FixtureError::new(path.display().to_string(), e.to_string()))?;
        Fixture::from_json(&text).map_err(|e| FixtureError {
            at: format!("{}: {}", path.display(), e.at),
            message: e.message,
        })
    }

    /// The default fixture ([`DEFAULT_FIXTURE`]).
    pub fn default_seed() -> Result<Fixture, FixtureError> {
        Fixture::from_json(DEFAULT_FIXTURE)
    }
}

/// A tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSeed {
    /// The tenant key.
    pub tenant_key: TenantKey,
    /// A display name.
    #[serde(default)]
    pub name: String,
}

/// An app and its bot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSeed {
    /// The app id (`cli_...`).
    pub app_id: AppId,
    /// The app secret.
    pub app_secret: Secret,
    /// The bot's name.
    #[serde(default)]
    pub name: String,
    /// The tenant that owns the app (a self-built app works only there).
    pub tenant_key: TenantKey,
    /// A marketplace app: tokens come from the app_ticket, per tenant.
    #[serde(default)]
    pub marketplace: bool,
    /// Further tenants a marketplace app is installed in.
    #[serde(default)]
    pub installed_in: Vec<TenantKey>,
    /// The current app_ticket of a marketplace app.
    #[serde(default)]
    pub app_ticket: Option<Secret>,
    /// Whether the app is enabled (tokens are refused with 10014 otherwise).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Whether the bot ability is on (group calls answer 232025 otherwise).
    #[serde(default = "yes")]
    pub bot_enabled: bool,
    /// The bot's open id, used as the operator in events (generated if absent).
    #[serde(default)]
    pub bot_open_id: Option<String>,
    /// The Verification Token put in event headers (generated if absent).
    #[serde(default)]
    pub verification_token: Option<Secret>,
    /// Where server mode POSTs this app's events (overrides `--callback-url`).
    #[serde(default)]
    pub event_callback_url: Option<String>,
    /// The app's Encrypt Key: when set, deliveries are encrypted and signed.
    #[serde(default)]
    pub encrypt_key: Option<Secret>,
    /// Event types the app subscribes to; absent means all group events.
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    /// The open id (`ou_...`); one per user here (the platform gives one per app).
    pub open_id: String,
    /// The union id (derived from the open id if absent).
    #[serde(default)]
    pub union_id: Option<String>,
    /// The user id within the tenant (derived from the open id if absent).
    #[serde(default)]
    pub user_id: Option<String>,
    /// The display name.
    #[serde(default)]
    pub name: String,
    /// The user's tenant.
    pub tenant_key: TenantKey,
    /// The aPaaS (kunlun) user id, for the aPaaS endpoints.
    #[serde(default)]
    pub apaas_user_id: Option<String>,
    /// Whether the user has resigned.
    #[serde(default)]
    pub resigned: bool,
}

/// A pre-issued user access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserTokenSeed {
    /// The token (`u-...`).
    pub token: Secret,
    /// The app it was issued to.
    pub app_id: AppId,
    /// The user, by open id.
    pub user: String,
}

/// The legacy announcement of a chat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementSeed {
    /// The serialized legacy-doc content.
    #[serde(default)]
    pub content: String,
    /// The current revision.
    #[serde(default)]
    pub revision: i64,
}

/// A chat. Members are users (by open id) and bots (by app id).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatSeed {
    /// The chat id (generated if absent).
    #[serde(default)]
    pub chat_id: Option<ChatId>,
    /// The tenant the chat belongs to.
    pub tenant_key: TenantKey,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Localized names.
    #[serde(default)]
    pub i18n_names: Option<I18nNames>,
    /// `group` (default), `topic` or `p2p`.
    #[serde(default)]
    pub chat_mode: Option<ChatMode>,
    /// `private` (default) or `public`.
    #[serde(default)]
    pub chat_type: Option<ChatType>,
    /// `inner` by default; `meeting` chats hold at most 3,000 users.
    #[serde(default)]
    pub chat_tag: Option<ChatTag>,
    /// Whether the chat is external (members of several tenants).
    #[serde(default)]
    pub external: bool,
    /// A super-large chat (20 managers instead of 10).
    #[serde(default)]
    pub super_large: bool,
    /// `normal` (default) or dissolved.
    #[serde(default)]
    pub chat_status: Option<ChatStatus>,
    /// The owner: a user's open id or an app id.
    pub owner: String,
    /// The app whose bot created the chat (acts with owner rights).
    #[serde(default)]
    pub creator: Option<AppId>,
    /// User members, by open id (the owner is added if missing).
    #[serde(default)]
    pub users: Vec<String>,
    /// Bot members, by app id.
    #[serde(default)]
    pub bots: Vec<AppId>,
    /// User managers, by open id.
    #[serde(default)]
    pub user_managers: Vec<String>,
    /// Bot managers, by app id.
    #[serde(default)]
    pub bot_managers: Vec<AppId>,
    /// Who may add members.
    #[serde(default)]
    pub add_member_permission: Option<WhoCan>,
    /// Whether the chat may be shared.
    #[serde(default)]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Who may @all.
    #[serde(default)]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat.
    #[serde(default)]
    pub edit_permission: Option<WhoCan>,
    /// Who may manage tabs, widgets and menus.
    #[serde(default)]
    pub manage_tabs_permission: Option<WhoCan>,
    /// Who sees join notices.
    #[serde(default)]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees leave notices.
    #[serde(default)]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Whether joining needs approval.
    #[serde(default)]
    pub membership_approval: Option<MembershipApproval>,
    /// Who may speak.
    #[serde(default)]
    pub moderation_permission: Option<ModerationPermission>,
    /// Users allowed to speak (with `moderator_list`), by open id.
    #[serde(default)]
    pub moderators: Vec<String>,
    /// How messages are shown.
    #[serde(default)]
    pub group_message_type: Option<GroupMessageType>,
    /// Restricted mode.
    #[serde(default)]
    pub restricted_mode_setting: Option<RestrictedModeSetting>,
    /// Who may send urgent messages.
    #[serde(default)]
    pub urgent_setting: Option<WhoCan>,
    /// Who may start video meetings.
    #[serde(default)]
    pub video_conference_setting: Option<WhoCan>,
    /// Who sees the member count.
    #[serde(default)]
    pub hide_member_count_setting: Option<WhoCan>,
    /// Tabs (a `message` tab is added first if missing).
    #[serde(default)]
    pub tabs: Vec<ChatTab>,
    /// Top-level menus.
    #[serde(default)]
    pub menu: Vec<ChatMenuTopLevel>,
    /// The legacy announcement.
    #[serde(default)]
    pub announcement: Option<AnnouncementSeed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_fixture_parses() {
        let f = Fixture::default_seed().unwrap();
        assert!(!f.apps.is_empty() && !f.chats.is_empty());
    }

    #[test]
    fn unknown_fields_are_named() {
        let err =
            Fixture::from_json(r#"{"tenants": [{"tenant_key": "t", "nme": "x"}]}"#).unwrap_err();
        assert!(err.at.starts_with("tenants[0]"), "{err}");
    }
}
