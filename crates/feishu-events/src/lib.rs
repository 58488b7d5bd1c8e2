//! Receive Feishu / Lark events over HTTP callbacks: verified, decrypted,
//! typed and de-duplicated.
//!
//! The core is sans-IO: [`crypto`] (from `feishu-protocol`, shared with the
//! emulator) holds the platform's AES-256-CBC encryption and SHA-256 request
//! signature as pure functions; [`Webhook`]
//! checks and decodes one request (headers and raw body) in the documented
//! order; [`Dispatcher`] runs typed async handlers once per event id
//! ([`DedupStore`]) and returns the [`Outcome`] to answer. The `axum`
//! feature (on by default) serves a dispatcher over HTTP.
//!
//! Card actions (`card.action.trigger`) are callbacks: a typed handler
//! ([`Dispatcher::on_card_action`]) answers with a
//! [`CardAnswer`](feishu_model::events::CardAnswer) (a toast, a new card or
//! `{}`), as the HTTP body or in the long connection's acknowledgement,
//! within a [budget](Dispatcher::callback_budget) past which `{}` is
//! answered and the handler runs on.
//!
//! Each event is handled in a `feishu.event` span (its type, id and the
//! answer's status), inside a `feishu.ws.connection` span per connection
//! over the long connection; the `metrics` feature records events received,
//! duplicates, handler failures and durations, answers, rejections and the
//! long connection's state through the `metrics` facade (`telemetry`,
//! documented in the README's Observability section).
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use feishu_events::crypto::{encrypt, signature};
//! use feishu_events::{Dispatcher, Webhook};
//! use feishu_model::events::{ChatMemberUserAddedV1, EventV2};
//! use feishu_model::Secret;
//!
//! let dispatcher = Dispatcher::new(
//!     Webhook::new().encrypt_key("encrypt-key").verification_token("v-token"),
//! )
//! .on(|e: EventV2<ChatMemberUserAddedV1>| async move {
//!     println!("users joined {}", e.event.chat_id);
//!     Ok(())
//! });
//!
//! // What the platform sends: an encrypted, signed body.
//! let plain = br#"{"schema": "2.0", "header": {"event_id": "e-1",
//!     "event_type": "im.chat.member.user.added_v1", "create_time": "1608725989000",
//!     "token": "v-token", "app_id": "cli_1", "tenant_key": "t"},
//!     "event": {"chat_id": "oc_1", "users": []}}"#;
//! let key = Secret::new("encrypt-key");
//! let body = format!(r#"{{"encrypt":"{}"}}"#, encrypt(&key, plain, [7; 16]));
//! let sig = signature("1700000000", "42", &key, body.as_bytes());
//! let headers = [
//!     ("X-Lark-Request-Timestamp", "1700000000"),
//!     ("X-Lark-Request-Nonce", "42"),
//!     ("X-Lark-Signature", sig.as_str()),
//! ];
//! assert_eq!(dispatcher.handle(&headers, body.as_bytes()).await.status, 200);
//!
//! // A flipped byte breaks the signature: 401, the handler does not run.
//! let mut tampered = body.into_bytes();
//! tampered[15] ^= 1;
//! assert_eq!(dispatcher.handle(&headers, &tampered).await.status, 401);
//! # });
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "axum")]
pub mod axum;
pub mod dedup;
mod dispatcher;
pub mod headers;
mod outcome;
mod panic;
mod probe;
#[cfg(feature = "metrics")]
pub mod telemetry;
mod webhook;
#[cfg(feature = "ws")]
pub mod ws;

pub use dedup::{Claim, ClaimToken, DedupError, DedupStore, InstantDedup, MemoryDedup};
pub use dispatcher::{
    Dispatcher, Handler, HandlerError, Mode, DEFAULT_CALLBACK_BUDGET, DEFAULT_LEASE,
};
pub use feishu_protocol::crypto;
pub use headers::Headers;
pub use outcome::Outcome;
pub use webhook::{Event, Received, Webhook, WebhookError, DEFAULT_MAX_BODY_BYTES};
