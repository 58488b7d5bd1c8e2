//! Tabs of one chat.

use feishu_model::im::tab::{
    ChatTab, ChatTabId, CreateChatTabs, DeleteChatTabs, ListChatTabs, SortChatTabs, UpdateChatTabs,
};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Tab calls of one chat: `group.tabs(chat_id)`.
#[derive(Debug, Clone)]
pub struct Tabs {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Tabs {
    /// Adds tabs: `POST /open-apis/im/v1/chats/:chat_id/chat_tabs`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/create)).
    pub fn create(&self, tabs: Vec<ChatTab>) -> Call<CreateChatTabs> {
        self.group
            .client()
            .call(CreateChatTabs::new(self.chat_id.clone(), tabs))
    }

    /// Changes tabs: `POST /open-apis/im/v1/chats/:chat_id/chat_tabs/update_tabs`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/update_tabs)).
    pub fn update(&self, tabs: Vec<ChatTab>) -> Call<UpdateChatTabs> {
        self.group
            .client()
            .call(UpdateChatTabs::new(self.chat_id.clone(), tabs))
    }

    /// Reorders tabs: `POST /open-apis/im/v1/chats/:chat_id/chat_tabs/sort_tabs`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/sort_tabs)).
    pub fn sort<I, T>(&self, tab_ids: I) -> Call<SortChatTabs>
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatTabId>,
    {
        self.group
            .client()
            .call(SortChatTabs::new(self.chat_id.clone(), tab_ids))
    }

    /// Lists tabs: `GET /open-apis/im/v1/chats/:chat_id/chat_tabs/list_tabs`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/list_tabs)).
    pub fn list(&self) -> Call<ListChatTabs> {
        self.group
            .client()
            .call(ListChatTabs::new(self.chat_id.clone()))
    }

    /// Deletes tabs: `DELETE /open-apis/im/v1/chats/:chat_id/chat_tabs/delete_tabs`
    /// (JSON body; [documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-tab/delete_tabs)).
    pub fn delete<I, T>(&self, tab_ids: I) -> Call<DeleteChatTabs>
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatTabId>,
    {
        self.group
            .client()
            .call(DeleteChatTabs::new(self.chat_id.clone(), tab_ids))
    }
}
