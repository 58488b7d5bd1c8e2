//! Chat menus: the custom menu at the bottom of a group chat.
//!
//! A chat's menu tree ([`ChatMenuTree`]) holds at most 3 top-level menus
//! ([`ChatMenuTopLevel`]), each with 0 to 5 second-level menus
//! ([`ChatMenuSecondLevel`]); every menu's name, icon and link are a
//! [`ChatMenuItem`]. Endpoints: add ([`CreateChatMenuTree`]), get
//! ([`GetChatMenuTree`]), delete ([`DeleteChatMenuTree`]) and reorder
//! ([`SortChatMenuTree`]) top-level menus, and edit one menu
//! ([`PatchChatMenuItem`]). They work on `group` chats only.

use serde::{Deserialize, Serialize};

use crate::im::types::{ChatPath, I18nNames};
use crate::validate::{self, Invalid};
use crate::{endpoint, ChatId, Extra, NoParams, Params};

crate::id_type!(
    /// A chat menu id: `chat_menu_top_level_id`, `chat_menu_second_level_id`,
    /// or the `menu_item_id` path parameter (either level).
    ChatMenuId
);

crate::wire_enum! {
    /// `action_type`: what a menu does when tapped.
    pub enum ChatMenuActionType {
        /// `NONE`: nothing; a top-level menu with second-level menus must use it.
        None => "NONE",
        /// `REDIRECT_LINK`: opens its `redirect_link`.
        RedirectLink => "REDIRECT_LINK",
    }
}

crate::wire_enum! {
    /// `update_fields`: which parts of a menu a patch changes.
    pub enum ChatMenuUpdateField {
        /// `ICON`: the icon (`image_key`).
        Icon => "ICON",
        /// `NAME`: the name.
        Name => "NAME",
        /// `I18N_NAME`: the localized names.
        I18nName => "I18N_NAME",
        /// `REDIRECT_LINK`: the link.
        RedirectLink => "REDIRECT_LINK",
    }
}

/// `redirect_link`: where a `REDIRECT_LINK` menu leads, per platform.
/// Every link must start with http or https; a platform without its own
/// link uses `common_url`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatMenuRedirectLink {
    /// The link for every platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_url: Option<String>,
    /// The link on iOS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ios_url: Option<String>,
    /// The link on Android.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android_url: Option<String>,
    /// The link on desktop. Prefix it with
    /// `https://applink.feishu.cn/client/web_url/open?mode=sidebar-semi&url=`
    /// to open it in the sidebar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pc_url: Option<String>,
    /// The link on the web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatMenuRedirectLink {
    /// The same link on every platform.
    pub fn common(url: impl Into<String>) -> Self {
        ChatMenuRedirectLink {
            common_url: Some(url.into()),
            ..ChatMenuRedirectLink::default()
        }
    }

    fn check(&self) -> Result<(), Invalid> {
        http_link("common_url", self.common_url.as_deref())?;
        http_link("ios_url", self.ios_url.as_deref())?;
        http_link("android_url", self.android_url.as_deref())?;
        http_link("pc_url", self.pc_url.as_deref())?;
        http_link("web_url", self.web_url.as_deref())
    }
}

/// Checks that a link, when present, starts with http or https.
fn http_link(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if !(v.starts_with("http://") || v.starts_with("https://")) => Err(
            Invalid::bad_format(field, "must start with http:// or https://"),
        ),
        _ => Ok(()),
    }
}

/// `chat_menu_item`: a menu's name, icon and action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatMenuItem {
    /// What the menu does; cannot change once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<ChatMenuActionType>,
    /// Where the menu leads (`REDIRECT_LINK` menus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_link: Option<ChatMenuRedirectLink>,
    /// The icon: an `image_key` of a `message` image the app uploaded. A
    /// top-level menu with second-level menus has no icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// The name (1 to 120 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The localized names (1 to 120 characters each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_names: Option<I18nNames>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatMenuItem {
    /// A menu named `name` that does nothing by itself (a top-level menu
    /// holding second-level menus).
    pub fn none(name: impl Into<String>) -> Self {
        ChatMenuItem {
            action_type: Some(ChatMenuActionType::None),
            name: Some(name.into()),
            ..ChatMenuItem::default()
        }
    }

    /// A menu named `name` that opens `url` on every platform.
    pub fn redirect(name: impl Into<String>, url: impl Into<String>) -> Self {
        ChatMenuItem {
            action_type: Some(ChatMenuActionType::RedirectLink),
            redirect_link: Some(ChatMenuRedirectLink::common(url)),
            name: Some(name.into()),
            ..ChatMenuItem::default()
        }
    }

    /// The rules every menu item sent to the API follows: name lengths and
    /// link schemes.
    fn check(&self) -> Result<(), Invalid> {
        validate::opt_char_len("name", self.name.as_deref(), 1, 120)?;
        if let Some(names) = &self.i18n_names {
            validate::opt_char_len("zh_cn", names.zh_cn.as_deref(), 1, 120)?;
            validate::opt_char_len("en_us", names.en_us.as_deref(), 1, 120)?;
            validate::opt_char_len("ja_jp", names.ja_jp.as_deref(), 1, 120)?;
        }
        self.redirect_link
            .as_ref()
            .map_or(Ok(()), ChatMenuRedirectLink::check)
    }

    /// [`ChatMenuItem::check`] plus the create rule: a `REDIRECT_LINK` menu
    /// needs its `redirect_link`.
    fn check_new(&self) -> Result<(), Invalid> {
        self.check()?;
        if self.action_type == Some(ChatMenuActionType::RedirectLink)
            && self.redirect_link.is_none()
        {
            return Err(Invalid::required(
                "redirect_link",
                "is required when action_type is REDIRECT_LINK",
            ));
        }
        Ok(())
    }
}

/// `chat_menu_second_level`: a menu under a top-level menu.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatMenuSecondLevel {
    /// The menu id, assigned by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_second_level_id: Option<ChatMenuId>,
    /// The menu's name, icon and action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_item: Option<ChatMenuItem>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatMenuSecondLevel {
    /// A second-level menu to create.
    pub fn new(chat_menu_item: ChatMenuItem) -> Self {
        ChatMenuSecondLevel {
            chat_menu_item: Some(chat_menu_item),
            ..ChatMenuSecondLevel::default()
        }
    }
}

/// `chat_menu_top_level`: a top-level menu and its second-level menus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatMenuTopLevel {
    /// The menu id, assigned by the server; used to delete, sort and patch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_top_level_id: Option<ChatMenuId>,
    /// The menu's name, icon and action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_item: Option<ChatMenuItem>,
    /// The second-level menus (at most 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<ChatMenuSecondLevel>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatMenuTopLevel {
    /// A top-level menu without second-level menus.
    pub fn new(chat_menu_item: ChatMenuItem) -> Self {
        ChatMenuTopLevel {
            chat_menu_item: Some(chat_menu_item),
            ..ChatMenuTopLevel::default()
        }
    }

    /// A top-level menu named `name` (action `NONE`) holding `children`.
    pub fn with_children(name: impl Into<String>, children: Vec<ChatMenuSecondLevel>) -> Self {
        ChatMenuTopLevel {
            children: Some(children),
            ..ChatMenuTopLevel::new(ChatMenuItem::none(name))
        }
    }

    /// The documented rules for a top-level menu sent to create.
    fn check(&self) -> Result<(), Invalid> {
        let item = self
            .chat_menu_item
            .as_ref()
            .ok_or_else(|| Invalid::required("chat_menu_item", "is required"))?;
        if item.action_type.is_none() {
            return Err(Invalid::required("action_type", "is required"));
        }
        validate::required("name", item.name.as_ref())?;
        item.check_new()?;
        let children = self.children.as_deref().unwrap_or_default();
        validate::count("children", children, 0, 5)?;
        if !children.is_empty() && item.action_type != Some(ChatMenuActionType::None) {
            return Err(Invalid::conflict(
                "action_type",
                "must be NONE for a top-level menu with second-level menus",
            ));
        }
        children
            .iter()
            .filter_map(|child| child.chat_menu_item.as_ref())
            .try_for_each(ChatMenuItem::check_new)
    }
}

/// `chat.menu_tree`: a chat's menus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatMenuTree {
    /// The top-level menus, left to right (at most 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_top_levels: Option<Vec<ChatMenuTopLevel>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatMenuTree {
    /// A tree of the given top-level menus.
    pub fn new(chat_menu_top_levels: Vec<ChatMenuTopLevel>) -> Self {
        ChatMenuTree {
            chat_menu_top_levels: Some(chat_menu_top_levels),
            extra: Extra::default(),
        }
    }
}

/// The output of create, get, delete and sort: the chat's whole menu tree
/// after the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatMenuTreeOutput {
    /// The chat's menus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu_tree: Option<ChatMenuTree>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The output of [`PatchChatMenuItem`]: the menu after the change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatMenuItemOutput {
    /// The menu's name, icon and action after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_menu_item: Option<ChatMenuItem>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`CreateChatMenuTree`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateChatMenuTreeBody {
    /// The menus to append to the chat's menu tree.
    pub menu_tree: ChatMenuTree,
}

impl Params for CreateChatMenuTreeBody {
    fn validate(&self) -> Result<(), Invalid> {
        let top = self
            .menu_tree
            .chat_menu_top_levels
            .as_deref()
            .ok_or_else(|| Invalid::required("chat_menu_top_levels", "is required"))?;
        validate::count("chat_menu_top_levels", top, 1, 3)?;
        top.iter().try_for_each(ChatMenuTopLevel::check)
    }
}

/// Body of [`DeleteChatMenuTree`] and [`SortChatMenuTree`]: top-level menu ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatMenuTopLevelIdsBody {
    /// Top-level menu ids (for sort: all of them, left to right).
    pub chat_menu_top_level_ids: Vec<ChatMenuId>,
}

impl Params for ChatMenuTopLevelIdsBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count(
            "chat_menu_top_level_ids",
            &self.chat_menu_top_level_ids,
            1,
            usize::MAX,
        )
    }
}

impl ChatMenuTopLevelIdsBody {
    /// A body naming the given top-level menus.
    pub fn new<I, T>(ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatMenuId>,
    {
        ChatMenuTopLevelIdsBody {
            chat_menu_top_level_ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// Body of [`PatchChatMenuItem`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatchChatMenuItemBody {
    /// Which parts of the menu to change.
    pub update_fields: Vec<ChatMenuUpdateField>,
    /// The new values of those parts.
    pub chat_menu_item: ChatMenuItem,
}

impl Params for PatchChatMenuItemBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("update_fields", &self.update_fields, 1, usize::MAX)?;
        self.chat_menu_item.check()
    }
}

/// Path parameters of [`PatchChatMenuItem`]: `:chat_id` and `:menu_item_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMenuItemPath {
    /// The chat id (`oc_...`).
    pub chat_id: ChatId,
    /// The id of a top-level or second-level menu.
    pub menu_item_id: ChatMenuId,
}

crate::path_params!(ChatMenuItemPath {
    chat_id,
    menu_item_id
});

endpoint! {
    /// Appends top-level menus (with their second-level menus) to a chat's
    /// menu tree.
    pub struct CreateChatMenuTree {
        operation: "im.v1.chat.menu_tree.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/menu_tree",
        path_params: ChatPath,
        query: NoParams,
        body: CreateChatMenuTreeBody,
        output: ChatMenuTreeOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/create",
    }
}

endpoint! {
    /// Gets a chat's menu tree.
    pub struct GetChatMenuTree {
        operation: "im.v1.chat.menu_tree.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/menu_tree",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: ChatMenuTreeOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/get",
    }
}

endpoint! {
    /// Deletes top-level menus from a chat (`DELETE` with a JSON body).
    pub struct DeleteChatMenuTree {
        operation: "im.v1.chat.menu_tree.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/chats/:chat_id/menu_tree",
        path_params: ChatPath,
        query: NoParams,
        body: ChatMenuTopLevelIdsBody,
        output: ChatMenuTreeOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/delete",
    }
}

endpoint! {
    /// Reorders a chat's top-level menus.
    ///
    /// Idempotent: it sets the order to the one given.
    pub struct SortChatMenuTree {
        operation: "im.v1.chat.menu_tree.sort",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/menu_tree/sort",
        path_params: ChatPath,
        query: NoParams,
        body: ChatMenuTopLevelIdsBody,
        output: ChatMenuTreeOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/sort",
        idempotent: true,
    }
}

endpoint! {
    /// Changes the icon, name, localized names or link of one menu.
    ///
    /// Idempotent: it sets the listed fields to the given values.
    pub struct PatchChatMenuItem {
        operation: "im.v1.chat.menu_item.patch",
        family: Im,
        method: Patch,
        path: "/open-apis/im/v1/chats/:chat_id/menu_items/:menu_item_id",
        path_params: ChatMenuItemPath,
        query: NoParams,
        body: PatchChatMenuItemBody,
        output: ChatMenuItemOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_item/patch",
        idempotent: true,
    }
}

impl CreateChatMenuTree {
    /// Appends the menus of `menu_tree` to the chat.
    pub fn new(chat_id: impl Into<ChatId>, menu_tree: ChatMenuTree) -> Self {
        CreateChatMenuTree {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: CreateChatMenuTreeBody { menu_tree },
        }
    }
}

impl GetChatMenuTree {
    /// Gets the chat's menu tree.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetChatMenuTree {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

impl DeleteChatMenuTree {
    /// Deletes the top-level menus `ids` (and their second-level menus).
    pub fn new<I, T>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatMenuId>,
    {
        DeleteChatMenuTree {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: ChatMenuTopLevelIdsBody::new(ids),
        }
    }
}

impl SortChatMenuTree {
    /// Puts the chat's top-level menus in the order of `ids` (all of them).
    pub fn new<I, T>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatMenuId>,
    {
        SortChatMenuTree {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: ChatMenuTopLevelIdsBody::new(ids),
        }
    }
}

impl PatchChatMenuItem {
    /// Sets the `update_fields` of menu `menu_item_id` to the values in
    /// `chat_menu_item`.
    pub fn new(
        chat_id: impl Into<ChatId>,
        menu_item_id: impl Into<ChatMenuId>,
        update_fields: Vec<ChatMenuUpdateField>,
        chat_menu_item: ChatMenuItem,
    ) -> Self {
        PatchChatMenuItem {
            path: ChatMenuItemPath {
                chat_id: chat_id.into(),
                menu_item_id: menu_item_id.into(),
            },
            query: NoParams {},
            body: PatchChatMenuItemBody {
                update_fields,
                chat_menu_item,
            },
        }
    }
}
