//! The seven endpoints of the upgraded (docx) chat announcement, under
//! `/open-apis/docx/v1/chats/:chat_id/announcement`.
//!
//! Writes take the revision to write against (`revision_id`, -1 for the
//! latest) and a `client_token`: the same token sent twice applies the
//! write once, so a write that carries one may be retried.

use serde::{Deserialize, Serialize};

use super::block::Block;
use super::enums::{AnnouncementType, BlockType};
use super::update::UpdateBlockRequest;
use crate::im::types::{ChatPath, UserIdTypeQuery};
use crate::validate::{self, Invalid};
use crate::{endpoint, ChatId, Extra, NoParams, Page, PagedQuery, Params, UserIdType};

/// Largest `page_size` of [`ListAnnouncementBlocks`].
pub const MAX_PAGE_SIZE: u32 = 500;
/// Most blocks one [`CreateAnnouncementBlockChildren`] call may create.
pub const MAX_CREATE_CHILDREN: usize = 50;
/// Most spreadsheet blocks one create call may hold.
pub const MAX_CREATE_SHEETS: usize = 5;
/// Most requests in one [`BatchUpdateAnnouncementBlocks`] call.
pub const MAX_UPDATE_REQUESTS: usize = 200;

fn check_revision(revision_id: Option<i64>) -> Result<(), Invalid> {
    revision_id.map_or(Ok(()), |r| validate::range("revision_id", r, -1, i64::MAX))
}

/// Path parameters `:chat_id` and `:block_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockPath {
    /// The chat id (`oc_...`).
    pub chat_id: ChatId,
    /// The block id; the chat id names the page (root) block.
    pub block_id: String,
}

crate::path_params!(BlockPath { chat_id, block_id });

impl BlockPath {
    /// The block `block_id` of the announcement of `chat_id`.
    pub fn new(chat_id: impl Into<ChatId>, block_id: impl Into<String>) -> Self {
        BlockPath {
            chat_id: chat_id.into(),
            block_id: block_id.into(),
        }
    }
}

/// Query of the paginated reads: revision, page and user id type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlocksQuery {
    /// `page_size` (default and most 500 for the block list) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
    /// The revision to read (-1, the default, for the latest).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The kind of user id in the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
}

impl Params for BlocksQuery {
    fn validate(&self) -> Result<(), Invalid> {
        self.page.check(MAX_PAGE_SIZE)?;
        check_revision(self.revision_id)
    }
}

impl PagedQuery for BlocksQuery {
    fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

/// Query of [`GetAnnouncementBlock`]: revision and user id type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockQuery {
    /// The revision to read (-1, the default, for the latest).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The kind of user id in the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
}

impl Params for BlockQuery {
    fn validate(&self) -> Result<(), Invalid> {
        check_revision(self.revision_id)
    }
}

/// Query of the create and batch-update writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteQuery {
    /// The revision to write against (-1, the default, for the latest).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The write's idempotency key: the same token applies the write once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// The kind of user id in the request and answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
}

impl Params for WriteQuery {
    fn validate(&self) -> Result<(), Invalid> {
        check_revision(self.revision_id)
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.client_token.as_deref().filter(|t| !t.is_empty())
    }
}

/// Query of [`BatchDeleteAnnouncementBlockChildren`]: revision and client token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteQuery {
    /// The revision to write against (-1, the default, for the latest).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The write's idempotency key: the same token applies the write once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

impl Params for DeleteQuery {
    fn validate(&self) -> Result<(), Invalid> {
        check_revision(self.revision_id)
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.client_token.as_deref().filter(|t| !t.is_empty())
    }
}

crate::id_type_params!(user: BlocksQuery, BlockQuery, WriteQuery);

/// Output of [`GetAnnouncementDoc`]: the announcement's revision and owners.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct AnnouncementInfo {
    /// The current revision.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// When the announcement was created (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
    /// When it was last updated (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<i64>,
    /// The owner's id, of kind `owner_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The kind of `owner_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id_type: Option<UserIdType>,
    /// The last modifier's id, of kind `modifier_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier_id: Option<String>,
    /// The kind of `modifier_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier_id_type: Option<UserIdType>,
    /// `docx` (upgraded) or `doc` (legacy: only this endpoint serves it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announcement_type: Option<AnnouncementType>,
    /// Creation time as text (not in use yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time_v2: Option<String>,
    /// Update time as text (not in use yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time_v2: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::common::page_output! {
    /// Output of the block list and the children list: one page of blocks.
    pub struct BlockPage { items: Block, "The blocks of this page." }
}

/// Output of [`GetAnnouncementBlock`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct BlockOutput {
    /// The block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Block>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`CreateAnnouncementBlockChildren`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateChildrenBody {
    /// The blocks to create (1 to 50, at most 5 spreadsheets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Block>>,
    /// Where to insert them among the parent's children (from 0; -1, the default, appends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
}

impl Params for CreateChildrenBody {
    fn validate(&self) -> Result<(), Invalid> {
        // Optional on the page, but 1 to 50 blocks when given.
        validate::opt_count("children", self.children.as_deref(), 1, MAX_CREATE_CHILDREN)?;
        let children = self.children.as_deref().unwrap_or_default();
        let sheets = children
            .iter()
            .filter(|b| b.block_type == BlockType::Sheet)
            .count();
        if sheets > MAX_CREATE_SHEETS {
            return Err(Invalid::too_many(
                "children",
                format!("may hold at most {MAX_CREATE_SHEETS} sheet blocks, got {sheets}"),
            ));
        }
        self.index
            .map_or(Ok(()), |i| validate::range("index", i, -1, i64::MAX))
    }
}

/// Output of [`CreateAnnouncementBlockChildren`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CreateChildrenOutput {
    /// The created blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Block>>,
    /// The announcement's revision after the write (as the field table names it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The announcement's revision after the write (as the response example names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_revision_id: Option<i64>,
    /// The write's client token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CreateChildrenOutput {
    /// The revision after the write, whichever field carries it.
    pub fn revision(&self) -> Option<i64> {
        self.document_revision_id.or(self.revision_id)
    }
}

/// Body of [`BatchUpdateAnnouncementBlocks`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchUpdateBody {
    /// The changes, at most 200, at most one per block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<UpdateBlockRequest>>,
}

impl Params for BatchUpdateBody {
    fn validate(&self) -> Result<(), Invalid> {
        let requests = self.requests.as_deref().unwrap_or_default();
        validate::count("requests", requests, 0, MAX_UPDATE_REQUESTS)?;
        let mut seen = std::collections::HashSet::new();
        for (i, r) in requests.iter().enumerate() {
            r.check(&format!("requests[{i}]"))?;
            if let Some(id) = &r.block_id {
                if !seen.insert(id.as_str()) {
                    return Err(Invalid::duplicate(
                        format!("requests[{i}].block_id"),
                        format!("block `{id}` is updated twice in one batch"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Output of [`BatchUpdateAnnouncementBlocks`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct BatchUpdateOutput {
    /// The updated blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Vec<Block>>,
    /// The announcement's revision after the write.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The write's client token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`BatchDeleteAnnouncementBlockChildren`]: children `[start_index, end_index)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteChildrenBody {
    /// First child to delete (from 0).
    pub start_index: i64,
    /// End of the range, exclusive (at least 1, above `start_index`).
    pub end_index: i64,
}

impl Params for DeleteChildrenBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::range("start_index", self.start_index, 0, i64::MAX)?;
        validate::range("end_index", self.end_index, 1, i64::MAX)?;
        if self.end_index <= self.start_index {
            return Err(Invalid::conflict(
                "end_index",
                format!(
                    "must be above start_index ({}), got {}",
                    self.start_index, self.end_index
                ),
            ));
        }
        Ok(())
    }
}

/// Output of [`BatchDeleteAnnouncementBlockChildren`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct WriteOutput {
    /// The announcement's revision after the write.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_i64"
    )]
    pub revision_id: Option<i64>,
    /// The write's client token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Gets the upgraded announcement's revision, owner and type.
    pub struct GetAnnouncementDoc {
        operation: "docx.v1.chat.announcement.get",
        family: Docx,
        method: Get,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement",
        path_params: ChatPath,
        query: UserIdTypeQuery,
        body: NoParams,
        output: AnnouncementInfo,
        tokens: [Tenant, User],
        rate_limit: DOCX_GET,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement/get",
    }
}

endpoint! {
    /// Lists every block of the announcement, page by page.
    pub struct ListAnnouncementBlocks {
        operation: "docx.v1.chat.announcement.block.list",
        family: Docx,
        method: Get,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks",
        path_params: ChatPath,
        query: BlocksQuery,
        body: NoParams,
        output: BlockPage,
        tokens: [Tenant, User],
        rate_limit: DOCX_READ,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/list",
    }
}

endpoint! {
    /// Gets one block of the announcement.
    pub struct GetAnnouncementBlock {
        operation: "docx.v1.chat.announcement.block.get",
        family: Docx,
        method: Get,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/:block_id",
        path_params: BlockPath,
        query: BlockQuery,
        body: NoParams,
        output: BlockOutput,
        tokens: [Tenant, User],
        rate_limit: DOCX_READ,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/get",
    }
}

endpoint! {
    /// Lists the children of one block, page by page.
    pub struct GetAnnouncementBlockChildren {
        operation: "docx.v1.chat.announcement.block.children.get",
        family: Docx,
        method: Get,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/:block_id/children",
        path_params: BlockPath,
        query: BlocksQuery,
        body: NoParams,
        output: BlockPage,
        tokens: [Tenant, User],
        rate_limit: DOCX_READ,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/get",
    }
}

endpoint! {
    /// Creates child blocks under a block, at an index.
    pub struct CreateAnnouncementBlockChildren {
        operation: "docx.v1.chat.announcement.block.children.create",
        family: Docx,
        method: Post,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/:block_id/children",
        path_params: BlockPath,
        query: WriteQuery,
        body: CreateChildrenBody,
        output: CreateChildrenOutput,
        tokens: [Tenant, User],
        rate_limit: DOCX_WRITE,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/create",
    }
}

endpoint! {
    /// Applies up to 200 changes to blocks of the announcement.
    pub struct BatchUpdateAnnouncementBlocks {
        operation: "docx.v1.chat.announcement.block.batch_update",
        family: Docx,
        method: Patch,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/batch_update",
        path_params: ChatPath,
        query: WriteQuery,
        body: BatchUpdateBody,
        output: BatchUpdateOutput,
        tokens: [Tenant, User],
        rate_limit: DOCX_WRITE,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/batch_update",
    }
}

endpoint! {
    /// Deletes a range of a block's children.
    pub struct BatchDeleteAnnouncementBlockChildren {
        operation: "docx.v1.chat.announcement.block.children.batch_delete",
        family: Docx,
        method: Delete,
        path: "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/:block_id/children/batch_delete",
        path_params: BlockPath,
        query: DeleteQuery,
        body: DeleteChildrenBody,
        output: WriteOutput,
        tokens: [Tenant, User],
        rate_limit: DOCX_WRITE,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/batch_delete",
        idempotent: false,
    }
}

impl GetAnnouncementDoc {
    /// Gets the announcement of `chat_id`.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetAnnouncementDoc {
            path: ChatPath::new(chat_id),
            query: UserIdTypeQuery::default(),
            body: NoParams {},
        }
    }
}

impl ListAnnouncementBlocks {
    /// Lists the blocks of the latest revision of the announcement of `chat_id`.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        ListAnnouncementBlocks {
            path: ChatPath::new(chat_id),
            query: BlocksQuery::default(),
            body: NoParams {},
        }
    }
}

impl GetAnnouncementBlock {
    /// Gets block `block_id` of the announcement of `chat_id`.
    pub fn new(chat_id: impl Into<ChatId>, block_id: impl Into<String>) -> Self {
        GetAnnouncementBlock {
            path: BlockPath::new(chat_id, block_id),
            query: BlockQuery::default(),
            body: NoParams {},
        }
    }
}

impl GetAnnouncementBlockChildren {
    /// Lists the children of block `block_id` (the chat id for the page block).
    pub fn new(chat_id: impl Into<ChatId>, block_id: impl Into<String>) -> Self {
        GetAnnouncementBlockChildren {
            path: BlockPath::new(chat_id, block_id),
            query: BlocksQuery::default(),
            body: NoParams {},
        }
    }
}

impl CreateAnnouncementBlockChildren {
    /// Creates `children` under `parent` (the chat id for the page block), appended.
    pub fn new(
        chat_id: impl Into<ChatId>,
        parent: impl Into<String>,
        children: impl IntoIterator<Item = Block>,
    ) -> Self {
        CreateAnnouncementBlockChildren {
            path: BlockPath::new(chat_id, parent),
            query: WriteQuery::default(),
            body: CreateChildrenBody {
                children: Some(children.into_iter().collect()),
                index: None,
            },
        }
    }
}

impl BatchUpdateAnnouncementBlocks {
    /// Applies `requests` to the announcement of `chat_id`.
    pub fn new(
        chat_id: impl Into<ChatId>,
        requests: impl IntoIterator<Item = UpdateBlockRequest>,
    ) -> Self {
        BatchUpdateAnnouncementBlocks {
            path: ChatPath::new(chat_id),
            query: WriteQuery::default(),
            body: BatchUpdateBody {
                requests: Some(requests.into_iter().collect()),
            },
        }
    }
}

impl BatchDeleteAnnouncementBlockChildren {
    /// Deletes children `start..end` of `parent` in the announcement of `chat_id`.
    pub fn new(
        chat_id: impl Into<ChatId>,
        parent: impl Into<String>,
        range: std::ops::Range<i64>,
    ) -> Self {
        BatchDeleteAnnouncementBlockChildren {
            path: BlockPath::new(chat_id, parent),
            query: DeleteQuery::default(),
            body: DeleteChildrenBody {
                start_index: range.start,
                end_index: range.end,
            },
        }
    }
}
