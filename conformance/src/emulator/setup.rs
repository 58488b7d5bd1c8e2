//! For a documented error row, the state that makes the emulator answer
//! it: a change of the default fixture (or of the request) before the
//! documented request is sent.

use serde_json::{json, Value};

/// The partner tenant of the default fixture.
const PARTNER_TENANT: &str = "2ca1d211f64f6438";

/// How to drive the emulator into the state of an error row.
#[derive(Debug, Clone, PartialEq)]
pub enum Setup {
    /// Set a field of the calling app in the fixture.
    App(&'static str, Value),
    /// Set a field of the chat the request names in the fixture.
    Chat(&'static str, Value),
    /// Take the calling app out of the chat the request names.
    AppLeavesChat,
    /// Name a well-formed chat id that no chat has.
    UnknownChat,
    /// The tenant disabled the calling app after its tenant token was
    /// issued: the request carries that token ([`ISSUED_TOKEN`]).
    AppDisabledAfterToken,
    /// The chat is external and the calling app's bot has external
    /// sharing off.
    ExternalChatWithoutSharing,
    /// No user of the fixture has an aPaaS account (every aPaaS user id
    /// names nobody).
    NoApaasUsers,
    /// The calling app stays in the chat but is neither its creator nor a
    /// manager.
    AppNotManager,
    /// The chat already holds `n` custom tabs (`url` tabs).
    CustomTabs(usize),
    /// The chat already holds `n` top-level menus.
    TopMenus(usize),
    /// The chat's announcement is of this type (`doc`: legacy, `docx`).
    AnnouncementType(&'static str),
    /// Every user member but the owner leaves the chat (and its managers
    /// with them).
    OnlyOwnerStays,
    /// Every user of the fixture has resigned.
    AllUsersResigned,
    /// The calling app was deleted after its tenant token was issued: the
    /// request carries that token ([`ISSUED_TOKEN`]); the chats no longer
    /// name the app.
    AppDeletedAfterToken,
    /// The calling app's tenant turned a chat feature off (a field of its
    /// tenant in the fixture set to `false`).
    TenantFeatureOff(&'static str),
    /// The chat holds one more top-level menu than it had (one the
    /// request does not name).
    ExtraTopMenu,
    /// The chat already has `n` user managers, all members other than the
    /// owner and the managers it had.
    OtherManagers(usize),
    /// Every one of these, in order.
    All(Vec<Setup>),
}

/// The most custom tabs a chat holds (the tab pages' limit).
const MAX_CUSTOM_TABS: usize = 20;
/// The most managers a chat (not super-large) has (the manager pages' limit).
const MAX_MANAGERS: usize = 10;
/// The most top-level menus a chat holds (the menu pages' limit).
const MAX_TOP_MENUS: usize = 3;

/// The tenant token issued to the calling app before the emulator started
/// (seeded by [`Setup::AppDisabledAfterToken`]).
pub const ISSUED_TOKEN: &str = "t-emulator-issued-before-disabling";

/// The setup of a documented error code, when one is written.
pub fn for_code(code: i64) -> Option<Setup> {
    Some(match code {
        232025 | 1772025 => Setup::App("bot_enabled", json!(false)),
        232034 | 1772034 => Setup::AppDisabledAfterToken,
        232004 => Setup::AppDeletedAfterToken,
        232057 => Setup::TenantFeatureOff("restricted_mode"),
        232078 => Setup::TenantFeatureOff("hide_member_count"),
        232009 => Setup::Chat("chat_status", json!("dissolved")),
        232010 | 1772002 => Setup::Chat("tenant_key", json!(PARTNER_TENANT)),
        232033 | 1772004 => Setup::ExternalChatWithoutSharing,
        232011 | 1772003 => Setup::AppLeavesChat,
        232006 => Setup::UnknownChat,
        2320001 => Setup::NoApaasUsers,
        // Chat types the operation does not serve.
        232008 | 232090 | 232003 | 232062 | 1772001 => Setup::Chat("chat_mode", json!("p2p")),
        1770002 => Setup::Chat("chat_status", json!("dissolved")),
        232075 => Setup::Chat("membership_approval", json!("approval_required")),
        232027 => Setup::OnlyOwnerStays,
        232022 => Setup::AllUsersResigned,
        232050 => Setup::Chat("chat_mode", json!("topic")),
        // Permissions the operator lacks.
        232038 | 232017 | 232016 | 232064 => Setup::AppNotManager,
        232055 => Setup::All(vec![
            Setup::Chat("manage_tabs_permission", json!("only_owner")),
            Setup::AppNotManager,
        ]),
        232002 | 1772005 => Setup::All(vec![
            Setup::Chat("edit_permission", json!("only_owner")),
            Setup::AppNotManager,
        ]),
        // Limits already reached.
        232046 => Setup::CustomTabs(MAX_CUSTOM_TABS),
        232070 => Setup::TopMenus(MAX_TOP_MENUS),
        232072 => Setup::ExtraTopMenu,
        232040 => Setup::OtherManagers(MAX_MANAGERS),
        // The announcement is of the type the other API serves.
        232097 => Setup::AnnouncementType("docx"),
        1772006 => Setup::AnnouncementType("doc"),
        _ => return None,
    })
}

/// A chat id no chat of the default fixture has.
pub const UNKNOWN_CHAT: &str = "oc_00000000000000000000000000000000";

impl Setup {
    /// The tenant token the request carries instead of a fresh one.
    pub fn token(&self) -> Option<&'static str> {
        matches!(
            self,
            Setup::AppDisabledAfterToken | Setup::AppDeletedAfterToken
        )
        .then_some(ISSUED_TOKEN)
    }

    /// Applies the setup to the fixture (as JSON) for a request by `app`
    /// naming `chat`; `Err` says why it does not apply.
    pub fn apply(&self, fixture: &mut Value, app: &str, chat: Option<&str>) -> Result<(), String> {
        match self {
            Setup::App(field, value) => {
                let app = find(fixture, "apps", "app_id", app)?;
                app[*field] = value.clone();
            }
            Setup::Chat(field, value) => {
                let chat = named_chat(fixture, chat)?;
                chat[*field] = value.clone();
            }
            Setup::AppLeavesChat => {
                let chat = named_chat(fixture, chat)?;
                leave(chat, app);
            }
            Setup::UnknownChat => {}
            Setup::AppDisabledAfterToken => {
                push(
                    fixture,
                    "tenant_tokens",
                    json!({"token": ISSUED_TOKEN, "app_id": app}),
                )?;
                find(fixture, "apps", "app_id", app)?["enabled"] = json!(false);
            }
            Setup::AppNotManager => {
                let chat = named_chat(fixture, chat)?;
                if let Some(Value::Array(ids)) = chat.get_mut("bot_managers") {
                    ids.retain(|id| id != app);
                }
                if chat.get("creator").and_then(Value::as_str) == Some(app) {
                    chat["creator"] = Value::Null;
                }
            }
            Setup::CustomTabs(n) => {
                let chat = named_chat(fixture, chat)?;
                let tabs: Vec<Value> = (0..*n)
                    .map(|i| {
                        json!({"tab_name": format!("链接{i}"), "tab_type": "url",
                               "tab_content": {"url": format!("https://www.feishu.cn/{i}")}})
                    })
                    .collect();
                chat["tabs"] = Value::Array(tabs);
            }
            Setup::TopMenus(n) => {
                let chat = named_chat(fixture, chat)?;
                let menus: Vec<Value> = (0..*n)
                    .map(|i| {
                        json!({"chat_menu_item": {"action_type": "NONE", "name": format!("菜单{i}")}})
                    })
                    .collect();
                chat["menu"] = Value::Array(menus);
            }
            Setup::AnnouncementType(kind) => {
                let chat = named_chat(fixture, chat)?;
                let announcement = chat
                    .as_object_mut()
                    .ok_or("the chat is not an object")?
                    .entry("announcement")
                    .or_insert_with(|| json!({}));
                announcement["announcement_type"] = json!(kind);
            }
            Setup::OnlyOwnerStays => {
                let chat = named_chat(fixture, chat)?;
                let owner = chat.get("owner").cloned().unwrap_or(Value::Null);
                chat["users"] = json!([owner]);
                chat["user_managers"] = json!([]);
                chat["moderators"] = json!([]);
            }
            Setup::AllUsersResigned => {
                for user in each(fixture, "users") {
                    user["resigned"] = json!(true);
                }
            }
            Setup::AppDeletedAfterToken => {
                for chat in each(fixture, "chats") {
                    leave(chat, app);
                    if chat.get("owner").and_then(Value::as_str) == Some(app) {
                        return Err(format!("a chat is owned by `{app}`"));
                    }
                }
                if let Some(Value::Array(tokens)) = fixture.get_mut("user_tokens") {
                    tokens.retain(|t| t["app_id"] != app);
                }
                push(
                    fixture,
                    "tenant_tokens",
                    json!({"token": ISSUED_TOKEN, "app_id": app}),
                )?;
                find(fixture, "apps", "app_id", app)?["deleted"] = json!(true);
            }
            Setup::TenantFeatureOff(feature) => {
                let tenant = find(fixture, "apps", "app_id", app)?
                    .get("tenant_key")
                    .cloned()
                    .ok_or("the app has no tenant")?;
                let tenant = tenant
                    .as_str()
                    .ok_or("the app's tenant is not text")?
                    .to_owned();
                find(fixture, "tenants", "tenant_key", &tenant)?[*feature] = json!(false);
            }
            Setup::ExtraTopMenu => {
                let chat = named_chat(fixture, chat)?;
                push(
                    chat,
                    "menu",
                    json!({"chat_menu_item": {"action_type": "NONE", "name": "新菜单"}}),
                )?;
            }
            Setup::OtherManagers(n) => {
                let chat = named_chat(fixture, chat)?;
                let owner = chat.get("owner").cloned().unwrap_or(Value::Null);
                let before = chat.get("user_managers").cloned().unwrap_or(json!([]));
                let others: Vec<Value> = chat
                    .get("users")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|u| **u != owner && !before.as_array().is_some_and(|b| b.contains(u)))
                    .take(*n)
                    .cloned()
                    .collect();
                if others.len() < *n {
                    return Err(format!("the chat has fewer than {n} other members"));
                }
                chat["user_managers"] = Value::Array(others);
            }
            Setup::All(setups) => {
                for setup in setups {
                    setup.apply(fixture, app, chat)?;
                }
            }
            Setup::NoApaasUsers => {
                for user in each(fixture, "users") {
                    if let Some(user) = user.as_object_mut() {
                        user.remove("apaas_user_id");
                    }
                }
                // The flows name their users by aPaaS id: none is left.
                if let Some(fixture) = fixture.as_object_mut() {
                    fixture.remove("flows");
                }
            }
            Setup::ExternalChatWithoutSharing => {
                find(fixture, "apps", "app_id", app)?["external_sharing"] = json!(false);
                named_chat(fixture, chat)?["external"] = json!(true);
            }
        }
        Ok(())
    }
}

/// The chat the request names.
fn named_chat<'a>(fixture: &'a mut Value, chat: Option<&str>) -> Result<&'a mut Value, String> {
    find(
        fixture,
        "chats",
        "chat_id",
        chat.ok_or("the request names no chat")?,
    )
}

/// Takes `app`'s bot out of `chat`: its bot and manager lists, and as
/// its creator.
fn leave(chat: &mut Value, app: &str) {
    for list in ["bots", "bot_managers"] {
        if let Some(Value::Array(ids)) = chat.get_mut(list) {
            ids.retain(|id| id != app);
        }
    }
    if chat.get("creator").and_then(Value::as_str) == Some(app) {
        chat["creator"] = Value::Null;
    }
}

/// Appends `item` to the list `key` of `object`, making the list if it
/// has none.
fn push(object: &mut Value, key: &str, item: Value) -> Result<(), String> {
    let list = object
        .as_object_mut()
        .ok_or(format!("no object to hold `{key}`"))?
        .entry(key)
        .or_insert_with(|| json!([]));
    match list {
        Value::Array(list) => {
            list.push(item);
            Ok(())
        }
        _ => Err(format!("`{key}` is not a list")),
    }
}

/// Every entry of the fixture's list `list`.
fn each<'a>(fixture: &'a mut Value, list: &str) -> impl Iterator<Item = &'a mut Value> {
    fixture
        .get_mut(list)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}

/// The entry of the fixture's list `list` whose `key` is `id`.
pub(super) fn find<'a>(
    fixture: &'a mut Value,
    list: &str,
    key: &str,
    id: &str,
) -> Result<&'a mut Value, String> {
    fixture
        .get_mut(list)
        .and_then(Value::as_array_mut)
        .and_then(|items| items.iter_mut().find(|item| item[key] == id))
        .ok_or_else(|| format!("the fixture has no {list} entry `{id}`"))
}
