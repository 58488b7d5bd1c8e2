//! The pinned top notice of one chat.

use feishu_model::im::top_notice::{DeleteTopNotice, PutTopNotice, TopNotice};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Top notice calls of one chat: `group.top_notice(chat_id)`.
#[derive(Debug, Clone)]
pub struct TopNotices {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl TopNotices {
    /// Pins a message or the announcement:
    /// `POST /open-apis/im/v1/chats/:chat_id/top_notice/put_top_notice`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-top_notice/put_top_notice)).
    pub fn put(&self, notice: TopNotice) -> Call<PutTopNotice> {
        self.group
            .client()
            .call(PutTopNotice::new(self.chat_id.clone(), notice))
    }

    /// Removes the top notice:
    /// `POST /open-apis/im/v1/chats/:chat_id/top_notice/delete_top_notice`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-top_notice/delete_top_notice)).
    pub fn delete(&self) -> Call<DeleteTopNotice> {
        self.group
            .client()
            .call(DeleteTopNotice::new(self.chat_id.clone()))
    }
}
