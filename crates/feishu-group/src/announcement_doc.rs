//! The upgraded (docx) announcement of one chat: a document of blocks.

use std::ops::Range;

use feishu_model::docx::{
    BatchDeleteAnnouncementBlockChildren, BatchUpdateAnnouncementBlocks, Block,
    CreateAnnouncementBlockChildren, GetAnnouncementBlock, GetAnnouncementBlockChildren,
    GetAnnouncementDoc, ListAnnouncementBlocks, UpdateBlockRequest,
};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Calls on the upgraded announcement of one chat: `group.announcement_doc(chat_id)`.
///
/// The page block's id is the chat id ([`AnnouncementDoc::root`]). Every
/// write carries a generated `client_token`, so a retried write is applied
/// once, and is made against the latest revision unless
/// [`Revision::revision`] names one.
#[derive(Debug, Clone)]
pub struct AnnouncementDoc {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

fn client_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl AnnouncementDoc {
    /// The id of the page (root) block: the chat id.
    pub fn root(&self) -> &str {
        self.chat_id.as_str()
    }

    /// Gets the revision, owner and type: `GET /open-apis/docx/v1/chats/:chat_id/announcement`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement/get)).
    pub fn get(&self) -> Call<GetAnnouncementDoc> {
        self.group
            .client()
            .call(GetAnnouncementDoc::new(self.chat_id.clone()))
    }

    /// Every block of the document: `GET .../announcement/blocks`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/list)).
    /// Use `.stream()` for a lazy stream of blocks, or `.pages()`.
    pub fn blocks(&self) -> Call<ListAnnouncementBlocks> {
        self.group
            .client()
            .call(ListAnnouncementBlocks::new(self.chat_id.clone()))
    }

    /// One block: `GET .../announcement/blocks/:block_id`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/get)).
    pub fn block(&self, block_id: impl Into<String>) -> Call<GetAnnouncementBlock> {
        self.group
            .client()
            .call(GetAnnouncementBlock::new(self.chat_id.clone(), block_id))
    }

    /// The children of a block: `GET .../announcement/blocks/:block_id/children`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/get)).
    /// Use `.stream()` or `.pages()`.
    pub fn children(&self, block_id: impl Into<String>) -> Call<GetAnnouncementBlockChildren> {
        self.group.client().call(GetAnnouncementBlockChildren::new(
            self.chat_id.clone(),
            block_id,
        ))
    }

    /// Appends `blocks` (1 to 50) to the children of `parent` (the chat id,
    /// or [`AnnouncementDoc::root`], for the page): `POST .../blocks/:block_id/children`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/create)).
    /// Insert elsewhere with `.configure(|c| c.body.index = Some(i))`.
    pub fn append(
        &self,
        parent: impl Into<String>,
        blocks: impl IntoIterator<Item = Block>,
    ) -> Call<CreateAnnouncementBlockChildren> {
        let mut endpoint =
            CreateAnnouncementBlockChildren::new(self.chat_id.clone(), parent, blocks);
        endpoint.query.client_token = Some(client_token());
        self.group.client().call(endpoint)
    }

    /// Applies a batch of changes (at most 200, one per block): `PATCH .../blocks/batch_update`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block/batch_update)).
    pub fn update(
        &self,
        batch: impl IntoIterator<Item = UpdateBlockRequest>,
    ) -> Call<BatchUpdateAnnouncementBlocks> {
        let mut endpoint = BatchUpdateAnnouncementBlocks::new(self.chat_id.clone(), batch);
        endpoint.query.client_token = Some(client_token());
        self.group.client().call(endpoint)
    }

    /// Deletes children `range` (end exclusive) of `parent`:
    /// `DELETE .../blocks/:block_id/children/batch_delete`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/chat-announcement-block-children/batch_delete)).
    pub fn delete_children(
        &self,
        parent: impl Into<String>,
        range: Range<i64>,
    ) -> Call<BatchDeleteAnnouncementBlockChildren> {
        let mut endpoint =
            BatchDeleteAnnouncementBlockChildren::new(self.chat_id.clone(), parent, range);
        endpoint.query.client_token = Some(client_token());
        self.group.client().call(endpoint)
    }
}

/// The revision and client token of an announcement write.
pub trait Revision: Sized {
    /// Writes against `revision_id` (-1, the default, for the latest).
    fn revision(self, revision_id: i64) -> Self;
    /// Replaces the generated client token (the same token applies a write once).
    fn client_token(self, token: impl Into<String>) -> Self;
}

macro_rules! revision {
    ($($endpoint:ty),+) => {$(
        impl Revision for Call<$endpoint> {
            fn revision(self, revision_id: i64) -> Self {
                self.configure(|c| c.query.revision_id = Some(revision_id))
            }
            fn client_token(self, token: impl Into<String>) -> Self {
                let token = token.into();
                self.configure(|c| c.query.client_token = Some(token))
            }
        }
    )+};
}

revision!(
    CreateAnnouncementBlockChildren,
    BatchUpdateAnnouncementBlocks,
    BatchDeleteAnnouncementBlockChildren
);
