//! Reactions of one message: add, remove, list, batch query.

use feishu_model::im::message::MessageId;
use feishu_model::im::reaction::{
    BatchQueryReactions, CreateReaction, DeleteReaction, EmojiType, ListReactions,
};
use feishu_transport::Call;

use crate::Message;

/// Reaction calls of one message: `message.reactions(message_id)`.
#[derive(Debug, Clone)]
pub struct Reactions {
    pub(crate) message: Message,
    pub(crate) message_id: MessageId,
}

impl Reactions {
    /// Adds a reaction: `POST /open-apis/im/v1/messages/:message_id/reactions`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/create)).
    pub fn add(&self, emoji: EmojiType) -> Call<CreateReaction> {
        let id = self.message_id.as_str();
        self.message.client().call(CreateReaction::new(id, emoji))
    }

    /// Removes a reaction the caller added: `DELETE /open-apis/im/v1/messages/:message_id/reactions/:reaction_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/delete)).
    pub fn remove(&self, reaction_id: impl Into<String>) -> Call<DeleteReaction> {
        let id = self.message_id.as_str();
        self.message
            .client()
            .call(DeleteReaction::new(id, reaction_id))
    }

    /// Lists the reactions: `GET /open-apis/im/v1/messages/:message_id/reactions`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/list)).
    /// Only one emoji with `.configure(|e| e.query.reaction_type = ..)`;
    /// use `.stream()` or `.pages()`.
    pub fn list(&self) -> Call<ListReactions> {
        let id = self.message_id.as_str();
        self.message.client().call(ListReactions::new(id))
    }

    /// The reactions of this message and of `others` in one call:
    /// `POST /open-apis/im/v1/messages/reactions/batch_query`.
    pub fn batch_query<I>(&self, others: I) -> Call<BatchQueryReactions>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let ids = std::iter::once(self.message_id.as_str().to_owned())
            .chain(others.into_iter().map(Into::into));
        self.message.client().call(BatchQueryReactions::new(ids))
    }
}
