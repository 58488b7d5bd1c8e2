//! The menu of one chat.

use feishu_model::im::menu::{
    ChatMenuId, ChatMenuItem, ChatMenuTree, ChatMenuUpdateField, CreateChatMenuTree,
    DeleteChatMenuTree, GetChatMenuTree, PatchChatMenuItem, SortChatMenuTree,
};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Menu calls of one chat: `group.menu(chat_id)`.
#[derive(Debug, Clone)]
pub struct Menu {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Menu {
    /// Adds top-level menus: `POST /open-apis/im/v1/chats/:chat_id/menu_tree`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/create)).
    pub fn create(&self, tree: ChatMenuTree) -> Call<CreateChatMenuTree> {
        self.group
            .client()
            .call(CreateChatMenuTree::new(self.chat_id.clone(), tree))
    }

    /// Gets the menu: `GET /open-apis/im/v1/chats/:chat_id/menu_tree`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/get)).
    pub fn get(&self) -> Call<GetChatMenuTree> {
        self.group
            .client()
            .call(GetChatMenuTree::new(self.chat_id.clone()))
    }

    /// Deletes top-level menus: `DELETE /open-apis/im/v1/chats/:chat_id/menu_tree`
    /// (JSON body; [documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/delete)).
    pub fn delete<I, T>(&self, top_level_ids: I) -> Call<DeleteChatMenuTree>
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatMenuId>,
    {
        self.group
            .client()
            .call(DeleteChatMenuTree::new(self.chat_id.clone(), top_level_ids))
    }

    /// Reorders top-level menus: `POST /open-apis/im/v1/chats/:chat_id/menu_tree/sort`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_tree/sort)).
    pub fn sort<I, T>(&self, top_level_ids: I) -> Call<SortChatMenuTree>
    where
        I: IntoIterator<Item = T>,
        T: Into<ChatMenuId>,
    {
        self.group
            .client()
            .call(SortChatMenuTree::new(self.chat_id.clone(), top_level_ids))
    }

    /// Changes fields of one menu item:
    /// `PATCH /open-apis/im/v1/chats/:chat_id/menu_items/:menu_item_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-menu_item/patch)).
    pub fn patch_item(
        &self,
        menu_item_id: impl Into<ChatMenuId>,
        update_fields: Vec<ChatMenuUpdateField>,
        item: ChatMenuItem,
    ) -> Call<PatchChatMenuItem> {
        self.group.client().call(PatchChatMenuItem::new(
            self.chat_id.clone(),
            menu_item_id,
            update_fields,
            item,
        ))
    }
}
