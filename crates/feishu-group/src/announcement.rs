//! The (doc-format) announcement of one chat.

use feishu_model::im::announcement::{GetAnnouncement, PatchAnnouncement};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Group;

/// Announcement calls of one chat: `group.announcement(chat_id)`.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub(crate) group: Group,
    pub(crate) chat_id: ChatId,
}

impl Announcement {
    /// Gets the announcement: `GET /open-apis/im/v1/chats/:chat_id/announcement`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-announcement/get)).
    pub fn get(&self) -> Call<GetAnnouncement> {
        self.group
            .client()
            .call(GetAnnouncement::new(self.chat_id.clone()))
    }

    /// Edits the announcement at `revision` with doc change `requests`:
    /// `PATCH /open-apis/im/v1/chats/:chat_id/announcement`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-announcement/patch)).
    pub fn patch<I>(&self, revision: impl Into<String>, requests: I) -> Call<PatchAnnouncement>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.group.client().call(PatchAnnouncement::new(
            self.chat_id.clone(),
            revision,
            requests,
        ))
    }
}
