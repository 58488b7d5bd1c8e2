//! Who may speak in one chat.

use feishu_model::im::moderation::{GetChatModeration, UpdateChatModeration};
use feishu_model::im::types::ModerationPermission;
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Moderation calls of one chat: `group.moderation(chat_id)`.
#[derive(Debug, Clone)]
pub struct Moderation {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Moderation {
    /// Gets the speaking mode and the members allowed to speak:
    /// `GET /open-apis/im/v1/chats/:chat_id/moderation`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-moderation/get)). Use `.stream()` for the moderators.
    pub fn get(&self) -> Call<GetChatModeration> {
        self.group
            .client()
            .call(GetChatModeration::new(self.chat_id.clone()))
    }

    /// Sets the speaking mode (add or remove moderators with `.configure`):
    /// `PUT /open-apis/im/v1/chats/:chat_id/moderation`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-moderation/update)).
    pub fn update(&self, setting: ModerationPermission) -> Call<UpdateChatModeration> {
        self.group
            .client()
            .call(UpdateChatModeration::new(self.chat_id.clone(), setting))
    }
}
