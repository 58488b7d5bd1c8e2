//! Members of one chat: add, remove, join, list, check.

use feishu_model::im::members::{AddMembers, IsInChat, ListMembers, MeJoin, RemoveMembers};
use feishu_model::{ChatId, MemberId};
use feishu_transport::Call;

use crate::batch::BatchCall;
use crate::Group;

/// Member calls of one chat: `group.members(chat_id)`.
#[derive(Debug, Clone)]
pub struct Members {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Members {
    /// Adds users or bots: `POST /open-apis/im/v1/chats/:chat_id/members`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/create)).
    ///
    /// Takes any number of ids and sends them in calls of at most 50 (5 for
    /// bots), merging `invalid_id_list`, `not_existed_id_list` and
    /// `pending_approval_id_list`. Member writes to one chat are serialized.
    pub fn add<I>(&self, ids: I) -> BatchCall<AddMembers>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        BatchCall::new(
            self.group.clone(),
            AddMembers::new(self.chat_id.clone(), ids),
        )
    }

    /// Removes users or bots: `DELETE /open-apis/im/v1/chats/:chat_id/members`
    /// (JSON body; [documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/delete)).
    ///
    /// Split and serialized like [`Members::add`].
    pub fn remove<I>(&self, ids: I) -> BatchCall<RemoveMembers>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        BatchCall::new(
            self.group.clone(),
            RemoveMembers::new(self.chat_id.clone(), ids),
        )
    }

    /// The caller joins a public chat: `PATCH /open-apis/im/v1/chats/:chat_id/members/me_join`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/me_join)).
    pub fn me_join(&self) -> Call<MeJoin> {
        self.group.client().call(MeJoin::new(self.chat_id.clone()))
    }

    /// Lists the members: `GET /open-apis/im/v1/chats/:chat_id/members`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/get)). Use `.stream()` or `.pages()`.
    pub fn list(&self) -> Call<ListMembers> {
        self.group
            .client()
            .call(ListMembers::new(self.chat_id.clone()))
    }

    /// Whether the caller is in the chat: `GET /open-apis/im/v1/chats/:chat_id/members/is_in_chat`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/is_in_chat)).
    pub fn is_in_chat(&self) -> Call<IsInChat> {
        self.group
            .client()
            .call(IsInChat::new(self.chat_id.clone()))
    }
}
