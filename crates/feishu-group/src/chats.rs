//! Chats: create, disband, update, get, list, search, share link.

use feishu_model::im::chat::{
    ChatLinkBody, CreateChat, CreateChatBody, DeleteChat, GetChat, GetChatLink, ListChats,
    SearchChats, UpdateChat, UpdateChatBody,
};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Chat calls: `group.chats()`.
#[derive(Debug, Clone)]
pub struct Chats {
    pub(crate) group: Group,
}

impl Chats {
    /// Creates a chat: `POST /open-apis/im/v1/chats`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/create)).
    ///
    /// The call carries a generated idempotency `uuid` (replace it with
    /// `.configure(|c| c.query.uuid = Some(..))`), so a retried create never
    /// makes two chats. Accepts only a tenant_access_token.
    pub fn create(&self, body: CreateChatBody) -> Call<CreateChat> {
        let mut endpoint = CreateChat::new().with_uuid(uuid::Uuid::new_v4().to_string());
        endpoint.body = body;
        self.group.client().call(endpoint)
    }

    /// Disbands a chat: `DELETE /open-apis/im/v1/chats/:chat_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/delete)).
    pub fn delete(&self, chat_id: impl Into<ChatId>) -> Call<DeleteChat> {
        self.group.client().call(DeleteChat::new(chat_id))
    }

    /// Updates a chat's information and settings: `PUT /open-apis/im/v1/chats/:chat_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/update)).
    pub fn update(&self, chat_id: impl Into<ChatId>, body: UpdateChatBody) -> Call<UpdateChat> {
        let mut endpoint = UpdateChat::new(chat_id);
        endpoint.body = body;
        self.group.client().call(endpoint)
    }

    /// Gets a chat: `GET /open-apis/im/v1/chats/:chat_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/get)).
    pub fn get(&self, chat_id: impl Into<ChatId>) -> Call<GetChat> {
        self.group.client().call(GetChat::new(chat_id))
    }

    /// Lists the chats the caller is in: `GET /open-apis/im/v1/chats`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/list)). Use `.stream()` or `.pages()`.
    pub fn list(&self) -> Call<ListChats> {
        self.group.client().call(ListChats::new())
    }

    /// Searches the chats visible to the caller: `GET /open-apis/im/v1/chats/search`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/search)). Use `.stream()` or `.pages()`.
    pub fn search(&self, query: impl Into<String>) -> Call<SearchChats> {
        self.group.client().call(SearchChats::new(query))
    }

    /// Gets a share link of a chat: `POST /open-apis/im/v1/chats/:chat_id/link`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat/link)).
    pub fn link(&self, chat_id: impl Into<ChatId>, body: ChatLinkBody) -> Call<GetChatLink> {
        let mut endpoint = GetChatLink::new(chat_id);
        endpoint.body = body;
        self.group.client().call(endpoint)
    }
}
