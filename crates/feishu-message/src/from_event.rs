//! Answering straight from what the app received: reply to a received
//! message event, update the card of a card action late.

use feishu_model::events::{CardAction, EventMessage, EventV2, MessageReceiveV1};
use feishu_model::im::card::UpdateCard;
use feishu_model::im::content::MessageContent;
use feishu_model::im::message::send::ReplyMessage;
use feishu_model::im::message::MessageId;

use crate::cards::Cards;
use crate::content_call::ContentCall;
use crate::messages::Messages;

/// A received message that can be replied to: the `im.message.receive_v1`
/// event (its envelope or payload) or its `message`.
pub trait ReplyTarget {
    /// The id of the message to reply to.
    fn reply_target(&self) -> &MessageId;
}

impl ReplyTarget for EventMessage {
    fn reply_target(&self) -> &MessageId {
        &self.message_id
    }
}

impl ReplyTarget for MessageReceiveV1 {
    fn reply_target(&self) -> &MessageId {
        &self.message.message_id
    }
}

impl ReplyTarget for EventV2<MessageReceiveV1> {
    fn reply_target(&self) -> &MessageId {
        &self.event.message.message_id
    }
}

/// A card action whose token updates its card: the `card.action.trigger`
/// callback (its envelope or payload).
pub trait CardActionToken {
    /// The callback's card action.
    fn card_action(&self) -> &CardAction;
}

impl CardActionToken for CardAction {
    fn card_action(&self) -> &CardAction {
        self
    }
}

impl CardActionToken for EventV2<CardAction> {
    fn card_action(&self) -> &CardAction {
        &self.event
    }
}

impl Messages {
    /// Replies to a received message: the same call as
    /// [`Messages::reply`] with the event's message id. Reply in its thread
    /// with [`ContentCall::reply_in_thread`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), feishu_transport::Error> {
    /// use std::sync::Arc;
    /// use feishu_message::Message;
    /// use feishu_model::events::{decode, GroupEvent};
    /// use feishu_model::im::content::Text;
    /// use feishu_transport::{Client, ScriptedTransport};
    ///
    /// let transport = Arc::new(ScriptedTransport::new());
    /// transport.push_json(200, &serde_json::json!({"code": 0, "msg": "success", "data": {
    ///     "message_id": "om_2", "parent_id": "om_1", "chat_id": "oc_1", "msg_type": "text"}}));
    /// let client = Client::builder().static_tenant_token("t-1").transport(transport.clone()).build()?;
    /// let messages = Message::new(&client).messages();
    ///
    /// let body = br#"{"schema": "2.0", "header": {"event_id": "e1", "event_type": "im.message.receive_v1",
    ///   "create_time": "1", "token": "t", "app_id": "cli_1", "tenant_key": "k"},
    ///   "event": {"sender": {"sender_type": "user"}, "message": {"message_id": "om_1",
    ///   "chat_id": "oc_1", "chat_type": "group", "message_type": "text", "content": "{\"text\":\"status?\"}"}}}"#;
    /// let GroupEvent::MessageReceived(event) = decode(body).unwrap() else { unreachable!() };
    /// let reply = messages.reply_to(&*event, Text::new().push("all green")).reply_in_thread(true).await?;
    /// assert_eq!(reply.message_id.as_ref().map(|m| m.as_str()), Some("om_2"));
    /// let request = &transport.requests()[0];
    /// assert!(request.url().ends_with("/open-apis/im/v1/messages/om_1/reply"));
    /// assert_eq!(request.json().unwrap()["reply_in_thread"], true);
    /// # Ok(()) }
    /// ```
    pub fn reply_to(
        &self,
        received: &impl ReplyTarget,
        content: impl Into<MessageContent>,
    ) -> ContentCall<ReplyMessage> {
        self.reply(received.reply_target().clone(), content)
    }
}

impl Cards {
    /// Updates the card of a card action late, with the callback's token
    /// (within 30 minutes, twice at most, and only after the callback was
    /// answered): [`Cards::delayed_update`] with `action`'s token.
    pub fn update_from_action(
        &self,
        action: &impl CardActionToken,
        card: impl Into<MessageContent>,
    ) -> ContentCall<UpdateCard> {
        self.delayed_update(action.card_action().token.clone(), card)
    }
}
