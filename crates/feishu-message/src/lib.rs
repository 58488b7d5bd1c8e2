//! Feishu / Lark messaging, typed end to end: send and reply with typed
//! content, edit, recall, read a message or a chat's history, forward,
//! reactions, pins, buzz, image and file upload and download, and card
//! updates.
//!
//! A [`Message`] wraps a [`feishu_transport::Client`]; its handles hand out
//! calls that are awaited directly. Content is typed both ways: a send takes
//! `impl Into<MessageContent>` ([`Text`](feishu_model::im::content::Text)
//! with mentions, posts, images, files, a [`Card`](feishu_model::card::Card),
//! card JSON, a template...) and content over its documented size fails
//! before sending; a got or listed message's content parses into the
//! received formats with [`ReceivedMessage::received_content`].
//!
//! What the app received can be answered directly: reply to a received
//! message event with [`Messages::reply_to`], update the card of a card
//! action late with [`Cards::update_from_action`] (its token).
//!
//! Sends and replies carry a generated `uuid`, the same on every retry of
//! the call, so a retry after a lost answer never posts twice (the
//! transport retries writes carrying such a key). Sends to one receiver
//! share its documented 5 per second: every attempt of a send, the first
//! and each retry, waits for a slot of its receiver. The slots are kept in
//! process ([`ReceiverLimiter`]) unless a limiter a fleet shares is set
//! with [`Message::receiver_limiter`].
//!
//! Features: `reqwest` (default) makes feishu-transport's reqwest transport
//! the client's default; `rustls` (default) gives it TLS.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), feishu_transport::Error> {
//! use std::sync::Arc;
//! use feishu_message::{Message, ReceivedMessage};
//! use feishu_model::im::content::{Mentions, ReceivedContent, Text};
//! use feishu_transport::{Client, ScriptedTransport};
//! use serde_json::json;
//!
//! // A scripted transport stands in for Feishu here; use `Client::builder()
//! // .credentials(..)` with the default transport against the real API.
//! let transport = Arc::new(ScriptedTransport::new());
//! transport.push_json(200, &json!({"code": 0, "msg": "success", "data": {
//!     "message_id": "om_1", "msg_type": "text", "chat_id": "oc_1",
//!     "body": {"content": "{\"text\":\"@_user_1 deploy done\"}"}}}));
//! let client = Client::builder().static_tenant_token("t-example").transport(transport.clone()).build()?;
//! let message = Message::new(&client);
//!
//! let sent = message.messages()
//!     .send_to_chat("oc_1", Text::new().mention("ou_1").push(" deploy done"))
//!     .await?;
//! assert_eq!(sent.message_id.as_ref().map(|m| m.as_str()), Some("om_1"));
//!
//! let request = &transport.requests()[0];
//! assert!(request.url().ends_with("/open-apis/im/v1/messages?receive_id_type=chat_id"));
//! let body = request.json().unwrap();
//! assert_eq!(body["msg_type"], "text");
//! assert_eq!(body["content"], r#"{"text":"<at user_id=\"ou_1\"></at> deploy done"}"#);
//! assert_eq!(body["uuid"].as_str().map(str::len), Some(36));
//!
//! let Some(Ok(ReceivedContent::Text(text))) = sent.received_content() else { unreachable!() };
//! assert_eq!(text.plain_text(Mentions::Strip), "deploy done");
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod buzz;
mod cards;
mod content_call;
mod from_event;
mod limit;
mod media;
mod messages;
mod pins;
mod reactions;
mod received;

pub use buzz::Buzz;
pub use cards::Cards;
pub use content_call::ContentCall;
pub use from_event::{CardActionToken, ReplyTarget};
pub use limit::{
    receiver_key, ReceiverLimiter, RECEIVER_LIMIT, SENDS_PER_RECEIVER_PER_SECOND, SEND_OPERATION,
};
pub use media::{Files, Images};
pub use messages::{History, Messages};
pub use pins::Pins;
pub use reactions::Reactions;
pub use received::ReceivedMessage;

pub use feishu_model::card;
pub use feishu_model::im as model;
pub use feishu_model::im::content;

use std::sync::Arc;

use feishu_model::im::message::MessageId;
use feishu_transport::{Client, Limiter};

/// The README's snippets, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The messaging services of one client. Cheap to clone; clones share the
/// per-receiver send slots.
#[derive(Debug, Clone)]
pub struct Message {
    client: Client,
    limiter: Arc<dyn Limiter>,
}

impl Message {
    /// The messaging services over `client` (which is cloned: clones share
    /// their connection pool, tokens and rate limiter).
    pub fn new(client: &Client) -> Self {
        Message {
            client: client.clone(),
            limiter: Arc::new(ReceiverLimiter::new()),
        }
    }

    /// Keeps the per-receiver send slots (5 a second per chat or user) in
    /// `limiter` instead of in process: give every replica of a fleet the
    /// same shared limiter (feishu-redis' `RedisLimiter`) and their sends
    /// to one chat share its 5 a second. Budgets are keyed by
    /// [`receiver_key`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use feishu_message::{Message, ReceiverLimiter};
    /// use feishu_transport::{Client, Limiter, ScriptedTransport};
    ///
    /// // Two clients (two apps, say) whose sends to one chat share its 5 a
    /// // second: one limiter for both. A fleet passes feishu-redis'
    /// // `RedisLimiter` instead.
    /// let shared: Arc<dyn Limiter> = Arc::new(ReceiverLimiter::new());
    /// let client = |token: &str| {
    ///     let transport = Arc::new(ScriptedTransport::new());
    ///     Client::builder().static_tenant_token(token).transport(transport).build().unwrap()
    /// };
    /// let (a, b) = (client("t-a"), client("t-b"));
    /// let _alerts = Message::new(&a).receiver_limiter(shared.clone());
    /// let _reports = Message::new(&b).receiver_limiter(shared);
    /// ```
    pub fn receiver_limiter(mut self, limiter: Arc<dyn Limiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// The underlying client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Message calls: send, reply, edit, recall, get, history, forward,
    /// read users, follow-ups, resource download.
    pub fn messages(&self) -> Messages {
        Messages {
            message: self.clone(),
        }
    }

    /// Reaction calls of one message.
    pub fn reactions(&self, message_id: impl Into<MessageId>) -> Reactions {
        Reactions {
            message: self.clone(),
            message_id: message_id.into(),
        }
    }

    /// Pin calls.
    pub fn pins(&self) -> Pins {
        Pins {
            message: self.clone(),
        }
    }

    /// Buzz calls of one message the bot sent.
    pub fn buzz(&self, message_id: impl Into<MessageId>) -> Buzz {
        Buzz {
            message: self.clone(),
            message_id: message_id.into(),
        }
    }

    /// Image calls: upload, download.
    pub fn images(&self) -> Images {
        Images {
            message: self.clone(),
        }
    }

    /// File calls: upload, download.
    pub fn files(&self) -> Files {
        Files {
            message: self.clone(),
        }
    }

    /// Card calls: patch a sent card, ephemeral cards, delayed update.
    pub fn cards(&self) -> Cards {
        Cards {
            message: self.clone(),
        }
    }
}
