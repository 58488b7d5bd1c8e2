//! Cards: update a sent card, ephemeral cards, delayed update.

use feishu_model::im::card::{DeleteEphemeralCard, PatchCard, SendEphemeralCard, UpdateCard};
use feishu_model::im::content::MessageContent;
use feishu_model::im::message::MessageId;
use feishu_model::im::msg_type::MsgType;
use feishu_model::{ChatId, Invalid, Secret};
use feishu_transport::Call;
use serde_json::Value;

use crate::content_call::{checked, ContentCall};
use crate::Message;

/// Card calls: `message.cards()`. Cards are given as content
/// ([`feishu_model::card::Card`], card JSON, a template or a card id).
#[derive(Debug, Clone)]
pub struct Cards {
    pub(crate) message: Message,
}

/// The card as content text and as JSON, checked to be a card within 30 KB.
fn card_parts(card: MessageContent) -> (String, Value, Option<Invalid>) {
    let (msg_type, text, invalid) = checked(&card);
    if msg_type != MsgType::Interactive {
        let rule = format!("must be an interactive card, got `{msg_type}` content");
        return (String::new(), Value::Null, Some(Invalid::new("card", rule)));
    }
    if invalid.is_some() {
        return (text, Value::Null, invalid);
    }
    match serde_json::from_str(&text) {
        Ok(value) => (text, value, None),
        Err(e) => (text, Value::Null, Some(Invalid::new("card", e.to_string()))),
    }
}

impl Cards {
    /// Updates a card the bot sent (shared cards, `update_multi` true):
    /// `PATCH /open-apis/im/v1/messages/:message_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-card/patch)).
    pub fn patch(
        &self,
        message_id: impl Into<MessageId>,
        card: impl Into<MessageContent>,
    ) -> ContentCall<PatchCard> {
        let (text, _, invalid) = card_parts(card.into());
        let call = self.message.client().call(PatchCard::new(message_id, text));
        ContentCall::new(call, invalid)
    }

    /// Sends a card only `open_id` sees in a chat:
    /// `POST /open-apis/ephemeral/v1/send`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message-card/send-message-cards-that-are-only-visible-to-certain-people)).
    /// Name the user by `user_id` or `email` instead with `.configure(..)`.
    pub fn send_ephemeral(
        &self,
        chat_id: impl Into<ChatId>,
        open_id: impl Into<String>,
        card: impl Into<MessageContent>,
    ) -> ContentCall<SendEphemeralCard> {
        let (_, value, invalid) = card_parts(card.into());
        let endpoint = SendEphemeralCard::new(chat_id, open_id, value);
        ContentCall::new(self.message.client().call(endpoint), invalid)
    }

    /// Deletes an ephemeral card: `POST /open-apis/ephemeral/v1/delete`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message-card/delete-message-cards-that-are-only-visible-to-certain-people)).
    pub fn delete_ephemeral(&self, message_id: impl Into<MessageId>) -> Call<DeleteEphemeralCard> {
        self.message
            .client()
            .call(DeleteEphemeralCard::new(message_id))
    }

    /// Updates a card late, with the `token` (`c-...`) of its callback
    /// (within 30 minutes, twice at most): `POST /open-apis/interactive/v1/card/update`
    /// ([documentation](https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN)).
    pub fn delayed_update(
        &self,
        token: impl Into<Secret>,
        card: impl Into<MessageContent>,
    ) -> ContentCall<UpdateCard> {
        let (_, value, invalid) = card_parts(card.into());
        let endpoint = UpdateCard::new(token, value);
        ContentCall::new(self.message.client().call(endpoint), invalid)
    }
}
