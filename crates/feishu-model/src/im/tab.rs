//! Chat tabs: the custom tabs at the top of a chat (documents and links).
//!
//! Five endpoints under `/open-apis/im/v1/chats/:chat_id/chat_tabs`: add
//! ([`CreateChatTabs`]), update ([`UpdateChatTabs`]), reorder
//! ([`SortChatTabs`]), list ([`ListChatTabs`]) and delete ([`DeleteChatTabs`]).
//! Every one of them answers with the chat's tabs after the call
//! ([`ChatTabsOutput`]).
//!
//! Only `doc` and `url` tabs can be added, updated or deleted through the API;
//! the other kinds are managed in the Feishu client.

use serde::{Deserialize, Serialize};

use crate::im::types::ChatPath;
use crate::validate::{self, Invalid};
use crate::{endpoint, ChatId, Extra, NoParams, Params};

crate::id_type!(
    /// A chat tab id (`tab_id`), returned when a tab is added or listed.
    ChatTabId
);

crate::wire_enum! {
    /// `tab_type`: what a chat tab shows.
    pub enum ChatTabType {
        /// `message`: the chat's messages (always the first tab).
        Message => "message",
        /// `doc_list`: the list of cloud documents.
        DocList => "doc_list",
        /// `doc`: one cloud document.
        Doc => "doc",
        /// `pin`: pinned messages.
        Pin => "pin",
        /// `meeting_minute`: meeting minutes.
        MeetingMinute => "meeting_minute",
        /// `chat_announcement`: the chat announcement.
        ChatAnnouncement => "chat_announcement",
        /// `url`: a web link.
        Url => "url",
        /// `file`: files.
        File => "file",
        /// `files_resources`: files, Doc documents and URL links together.
        FilesResources => "files_resources",
        /// `images_videos`: images and videos together.
        ImagesVideos => "images_videos",
        /// `task`: tasks.
        Task => "task",
    }
}

impl ChatTabType {
    /// Whether the API can add, update or delete tabs of this type (`doc` and
    /// `url`). Values this SDK does not know are let through.
    pub fn is_writable(&self) -> bool {
        matches!(
            self,
            ChatTabType::Doc | ChatTabType::Url | ChatTabType::Unknown(_)
        )
    }
}

/// `tab_content`: what a chat tab points to; the field that matters depends
/// on the tab's `tab_type`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatTabContent {
    /// The link of a `url` tab (must start with http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The cloud document link of a `doc` tab (must start with http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The meeting minutes link of a `meeting_minute` tab (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_minute: Option<String>,
    /// The task link of a `task` tab (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `tab_config`: how a chat tab looks and opens (used by `url` tabs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatTabConfig {
    /// The tab's icon: an `image_key` of a `message` image the app uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_key: Option<String>,
    /// Whether the tab opens inside the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_built_in: Option<bool>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `chat.tab`: one chat tab, as sent to create/update and as every tab
/// endpoint returns it.
///
/// The API uses this one object both ways: `tab_id` is set by the server (send
/// it back to update a tab), and `tab_type` is required in requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ChatTab {
    /// The tab id; keep it to update, sort or delete the tab later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_id: Option<ChatTabId>,
    /// The tab name (at most 60 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_name: Option<String>,
    /// The tab type; only `doc` and `url` can be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_type: Option<ChatTabType>,
    /// What the tab points to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_content: Option<ChatTabContent>,
    /// How the tab looks and opens (only for `url` tabs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_config: Option<ChatTabConfig>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChatTab {
    /// A tab of the given type with nothing else set.
    pub fn new(tab_type: ChatTabType) -> Self {
        ChatTab {
            tab_type: Some(tab_type),
            ..ChatTab::default()
        }
    }

    /// A `doc` tab named `tab_name` showing the cloud document at `doc`.
    pub fn doc(tab_name: impl Into<String>, doc: impl Into<String>) -> Self {
        ChatTab {
            tab_name: Some(tab_name.into()),
            tab_content: Some(ChatTabContent {
                doc: Some(doc.into()),
                ..ChatTabContent::default()
            }),
            ..ChatTab::new(ChatTabType::Doc)
        }
    }

    /// A `url` tab named `tab_name` opening `url`.
    pub fn url(tab_name: impl Into<String>, url: impl Into<String>) -> Self {
        ChatTab {
            tab_name: Some(tab_name.into()),
            tab_content: Some(ChatTabContent {
                url: Some(url.into()),
                ..ChatTabContent::default()
            }),
            ..ChatTab::new(ChatTabType::Url)
        }
    }

    /// The documented rules for a tab sent to create or update.
    fn check(&self) -> Result<(), Invalid> {
        let tab_type = self
            .tab_type
            .as_ref()
            .ok_or_else(|| Invalid::required("tab_type", "is required"))?;
        if !tab_type.is_writable() {
            return Err(Invalid::bad_value(
                "tab_type",
                format!("only doc and url tabs can be written, got {tab_type}"),
            ));
        }
        validate::opt_char_len("tab_name", self.tab_name.as_deref(), 0, 60)?;
        let content = self.tab_content.as_ref();
        let url = content.and_then(|c| c.url.as_ref());
        let doc = content.and_then(|c| c.doc.as_ref());
        match tab_type {
            ChatTabType::Url => validate::required("url", url)?,
            ChatTabType::Doc => validate::required("doc", doc)?,
            _ => {}
        }
        http_link("url", url)?;
        http_link("doc", doc)
    }
}

/// Checks that a link, when present, starts with http or https.
fn http_link(field: &str, value: Option<&String>) -> Result<(), Invalid> {
    match value {
        Some(v) if !(v.starts_with("http://") || v.starts_with("https://")) => Err(
            Invalid::bad_format(field, "must start with http:// or https://"),
        ),
        _ => Ok(()),
    }
}

/// The output of every chat tab endpoint: the chat's tabs after the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatTabsOutput {
    /// The chat's tabs, in display order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_tabs: Option<Vec<ChatTab>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`CreateChatTabs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateChatTabsBody {
    /// The tabs to add (a chat holds at most 20 custom tabs).
    pub chat_tabs: Vec<ChatTab>,
}

impl Params for CreateChatTabsBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("chat_tabs", &self.chat_tabs, 1, 20)?;
        self.chat_tabs.iter().try_for_each(ChatTab::check)
    }
}

/// Body of [`UpdateChatTabs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateChatTabsBody {
    /// The tabs to update, each named by its `tab_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_tabs: Option<Vec<ChatTab>>,
}

impl Params for UpdateChatTabsBody {
    fn validate(&self) -> Result<(), Invalid> {
        self.chat_tabs.iter().flatten().try_for_each(ChatTab::check)
    }
}

/// Body of [`SortChatTabs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SortChatTabsBody {
    /// Every tab id of the chat, left to right (the `message` tab stays first
    /// but must be listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_ids: Option<Vec<ChatTabId>>,
}

impl Params for SortChatTabsBody {}

/// Body of [`DeleteChatTabs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteChatTabsBody {
    /// The tabs to delete (only `doc` and `url` tabs can be deleted).
    pub tab_ids: Vec<ChatTabId>,
}

impl Params for DeleteChatTabsBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("tab_ids", &self.tab_ids, 1, usize::MAX)
    }
}

endpoint! {
    /// Adds custom tabs (`doc` or `url`) to a chat.
    pub struct CreateChatTabs {
        operation: "im.v1.chat.tab.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/chat_tabs",
        path_params: ChatPath,
        query: NoParams,
        body: CreateChatTabsBody,
        output: ChatTabsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/create",
    }
}

endpoint! {
    /// Updates the name, content or config of `doc` and `url` tabs.
    ///
    /// Idempotent: it sets the listed tabs to the given values.
    pub struct UpdateChatTabs {
        operation: "im.v1.chat.tab.update_tabs",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/chat_tabs/update_tabs",
        path_params: ChatPath,
        query: NoParams,
        body: UpdateChatTabsBody,
        output: ChatTabsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/update_tabs",
        idempotent: true,
    }
}

endpoint! {
    /// Reorders a chat's tabs.
    ///
    /// Idempotent: it sets the order to the one given.
    pub struct SortChatTabs {
        operation: "im.v1.chat.tab.sort_tabs",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/chat_tabs/sort_tabs",
        path_params: ChatPath,
        query: NoParams,
        body: SortChatTabsBody,
        output: ChatTabsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/sort_tabs",
        idempotent: true,
    }
}

endpoint! {
    /// Lists a chat's tabs.
    pub struct ListChatTabs {
        operation: "im.v1.chat.tab.list_tabs",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/chat_tabs/list_tabs",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: ChatTabsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/list_tabs",
    }
}

endpoint! {
    /// Deletes `doc` and `url` tabs from a chat (`DELETE` with a JSON body).
    pub struct DeleteChatTabs {
        operation: "im.v1.chat.tab.delete_tabs",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/chats/:chat_id/chat_tabs/delete_tabs",
        path_params: ChatPath,
        query: NoParams,
        body: DeleteChatTabsBody,
        output: ChatTabsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/delete_tabs",
    }
}

fn tab_ids<I, T>(ids: I) -> Vec<ChatTabId>
where
    I: IntoIterator<Item = T>,
    T: Into<ChatTabId>,
{
    ids.into_iter().map(Into::into).collect()
}

impl CreateChatTabs {
    /// Adds `chat_tabs` to the chat.
    pub fn new(chat_id: impl Into<ChatId>, chat_tabs: Vec<ChatTab>) -> Self {
        CreateChatTabs {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: CreateChatTabsBody { chat_tabs },
        }
    }
}

impl UpdateChatTabs {
    /// Updates `chat_tabs` (each with its `tab_id`) in the chat.
    pub fn new(chat_id: impl Into<ChatId>, chat_tabs: Vec<ChatTab>) -> Self {
        UpdateChatTabs {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: UpdateChatTabsBody {
                chat_tabs: Some(chat_tabs),
            },
        }
    }
}

impl SortChatTabs {
    /// Puts the chat's tabs in the order of `tab_ids` (all of them).
    pub fn new<I, T>(chat_id: impl Into<ChatId>, tab_ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatTabId>,
    {
        SortChatTabs {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: SortChatTabsBody {
                tab_ids: Some(self::tab_ids(tab_ids)),
            },
        }
    }
}

impl ListChatTabs {
    /// Lists the chat's tabs.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        ListChatTabs {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

impl DeleteChatTabs {
    /// Deletes the tabs `tab_ids` from the chat.
    pub fn new<I, T>(chat_id: impl Into<ChatId>, tab_ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatTabId>,
    {
        DeleteChatTabs {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: DeleteChatTabsBody {
                tab_ids: self::tab_ids(tab_ids),
            },
        }
    }
}
