//! Managers of one chat.

use feishu_model::im::managers::{AddManagers, DeleteManagers};
use feishu_model::{ChatId, MemberId};

use crate::batch::BatchCall;
use crate::Group;

/// Manager calls of one chat: `group.managers(chat_id)`.
#[derive(Debug, Clone)]
pub struct Managers {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Managers {
    /// Makes members managers: `POST /open-apis/im/v1/chats/:chat_id/managers/add_managers`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-managers/add_managers)).
    /// Split into calls of at most 50 ids (5 bots); the output lists the
    /// managers after the last call.
    pub fn add<I>(&self, ids: I) -> BatchCall<AddManagers>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        BatchCall::new(
            self.group.clone(),
            AddManagers::new(self.chat_id.clone(), ids),
        )
    }

    /// Takes the manager role away: `POST /open-apis/im/v1/chats/:chat_id/managers/delete_managers`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-managers/delete_managers)).
    pub fn remove<I>(&self, ids: I) -> BatchCall<DeleteManagers>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        BatchCall::new(
            self.group.clone(),
            DeleteManagers::new(self.chat_id.clone(), ids),
        )
    }
}
