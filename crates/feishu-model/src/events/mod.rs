//! Events: typed payloads of the chat, chat member and message events, their
//! envelopes, and [`decode`] for a callback body.
//!
//! The platform POSTs three kinds of JSON body to a callback address:
//! - the `url_verification` challenge, first, when the address is configured;
//! - v2.0 events, `{"schema": "2.0", "header": {...}, "event": {...}}`, typed
//!   by `header.event_type` ([`EventV2`]);
//! - v1.0 events, `{"ts", "uuid", "token", "type": "event_callback", "event"}`,
//!   typed by `event.type` ([`EventV1`]); here `p2p_chat_create` and
//!   `app_ticket`.
//!
//! [`decode`] tells them apart and returns a [`GroupEvent`]. Event types this
//! crate does not know come back as [`GroupEvent::Unknown`] with the body kept.
//! Encrypted bodies (`{"encrypt": ...}`) must be decrypted first.
//!
//! ```
//! use feishu_model::events::{decode, GroupEvent};
//!
//! let body = br#"{
//!     "schema": "2.0",
//!     "header": {"event_id": "5e37", "event_type": "im.chat.disbanded_v1",
//!                "create_time": "1608725989000", "token": "rvaYgk",
//!                "app_id": "cli_9f53", "tenant_key": "2ca1"},
//!     "event": {"chat_id": "oc_4138", "external": false}
//! }"#;
//! match decode(body).unwrap() {
//!     GroupEvent::ChatDisbanded(e) => {
//!         assert_eq!(e.event.chat_id.as_str(), "oc_4138");
//!         assert_eq!(e.header.token.expose(), "rvaYgk");
//!     }
//!     other => panic!("unexpected {}", other.event_type()),
//! }
//!
//! let challenge = br#"{"challenge": "ajls384kdjxxxx", "token": "xxxxxx", "type": "url_verification"}"#;
//! assert!(matches!(decode(challenge).unwrap(), GroupEvent::UrlVerification { .. }));
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

mod app_ticket;
mod card_action;
mod card_answer;
mod chat;
mod envelope;
mod list;
mod member;
mod message;
mod one_pass;
mod p2p;
mod types;

pub use app_ticket::AppTicket;
pub use card_action::{CardAction, CardActionData, CardContext, CardDeliveryType, CardOperator};
pub use card_answer::{CardAnswer, CardUpdate, TemplateCard, Toast, ToastKind};
pub use chat::{ChatChange, ChatDisbandedV1, ChatUpdatedV1, EventModerator, ModeratorList};
pub use envelope::{
    CallbackType, Envelope, EventHeader, EventPayload, EventV1, EventV2, UrlVerification,
    UrlVerificationResponse,
};
pub use member::{
    ChatMemberBotAddedV1, ChatMemberBotDeletedV1, ChatMemberUser, ChatMemberUserAddedV1,
    ChatMemberUserDeletedV1, ChatMemberUserWithdrawnV1,
};
pub use message::{
    EventChatType, EventMessage, EventSender, EventSenderType, MentionEvent, MentionedType,
    MessageReactionCreatedV1, MessageReactionDeletedV1, MessageReadV1, MessageReader,
    MessageRecalledV1, MessageReceiveV1, RecallType,
};
pub use p2p::{BotP2pChatEnteredV1, P2pChatCreate, P2pChatUser};
pub use types::UserIds;

use crate::Secret;

/// A typed event of the list ([`for_each_event!`](crate::for_each_event)):
/// its envelope type, and the way in and out of [`GroupEvent`]. Receivers
/// register handlers by it; the emulator wraps what it emits with it.
pub trait TypedEvent: EventPayload + Sized + Send + 'static {
    /// What a handler receives: `EventV2<Self>` or `EventV1<Self>`.
    type Envelope: Envelope<Payload = Self> + Send + 'static;

    /// The envelope, when `event` is of this type.
    fn extract(event: GroupEvent) -> Option<Self::Envelope>;

    /// The [`GroupEvent`] carrying `envelope`.
    fn wrap(envelope: Self::Envelope) -> GroupEvent;
}

/// An id field the list can point at: required (`ChatId`, `MessageId`) or
/// optional (`Option<ChatId>`).
trait IdField {
    /// The id, when present.
    fn id_str(&self) -> Option<&str>;
}

impl IdField for crate::ChatId {
    fn id_str(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl IdField for crate::im::message::MessageId {
    fn id_str(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl<T: IdField> IdField for Option<T> {
    fn id_str(&self) -> Option<&str> {
        self.as_ref().and_then(IdField::id_str)
    }
}

/// The chat id at `path` in a payload, if the list gives one.
macro_rules! chat_id_at {
    ($e:ident;) => {{
        let _ = $e;
        None
    }};
    ($e:ident; $($field:ident).+) => {
        IdField::id_str(&$e.payload().$($field).+)
    };
}

/// `event_type:id`, allocated once at its length.
fn typed_key(event_type: &str, id: &str) -> String {
    let mut key = String::with_capacity(event_type.len() + 1 + id.len());
    key.push_str(event_type);
    key.push(':');
    key.push_str(id);
    key
}

/// The de-duplication key of an event: its event id when the list gives no
/// path, else `<event type>:<the id at path>` (the event id when that id is
/// absent).
macro_rules! dedup_key_at {
    ($e:ident, $payload:ident;) => {
        Some(Cow::Borrowed($e.event_id()))
    };
    ($e:ident, $payload:ident; $($field:ident).+) => {
        match IdField::id_str(&$e.payload().$($field).+) {
            Some(id) => Some(Cow::Owned(typed_key(<$payload as EventPayload>::EVENT_TYPE, id))),
            None => Some(Cow::Borrowed($e.event_id())),
        }
    };
}

macro_rules! group_event {
    ($($variant:ident($payload:ident) in $envelope:ident, chat: [$($chat:ident).*], dedup: [$($dedup:ident).*];)*) => {
        /// A decoded callback body: one variant per event of the list
        /// ([`for_each_event!`](crate::for_each_event)), the address check, and
        /// every other event type with its body kept.
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum GroupEvent {
            /// The `url_verification` check of a newly configured callback address:
            /// answer with [`UrlVerificationResponse`] carrying `challenge`.
            UrlVerification {
                /// The value to send back unchanged.
                challenge: String,
                /// The app's Verification Token.
                token: Secret,
            },
            $(
                #[doc = concat!("A [`", stringify!($payload), "`] event.")]
                $variant(Box<$envelope<$payload>>),
            )*
            /// An event type this crate does not type (or a v2 envelope with a
            /// `schema` other than `2.0`). `body` is the whole callback body as
            /// received: it is free-form by nature, since its shape depends on an event
            /// type unknown here. `Debug` hides its Verification Token.
            Unknown {
                /// `header.event_type` (v2.0) or `event.type` (v1.0).
                event_type: String,
                /// The whole callback body.
                body: Value,
            },
        }

        $(
            impl TypedEvent for $payload {
                type Envelope = $envelope<$payload>;

                fn extract(event: GroupEvent) -> Option<Self::Envelope> {
                    match event {
                        GroupEvent::$variant(e) => Some(*e),
                        _ => None,
                    }
                }

                fn wrap(envelope: Self::Envelope) -> GroupEvent {
                    GroupEvent::$variant(Box::new(envelope))
                }
            }
        )*

        impl GroupEvent {
            /// The event type: `header.event_type` for v2.0 events, `event.type` for
            /// v1.0 events, `url_verification` for the address check.
            pub fn event_type(&self) -> &str {
                match self {
                    GroupEvent::UrlVerification { .. } => "url_verification",
                    $(GroupEvent::$variant(e) => e.event_type(),)*
                    GroupEvent::Unknown { event_type, .. } => event_type,
                }
            }

            /// The v2.0 header of a typed v2.0 event.
            pub fn header(&self) -> Option<&EventHeader> {
                match self {
                    $(GroupEvent::$variant(e) => e.header(),)*
                    GroupEvent::UrlVerification { .. } | GroupEvent::Unknown { .. } => None,
                }
            }

            /// The event's unique id: `header.event_id` (v2.0) or `uuid` (v1.0).
            /// Redeliveries carry the same id.
            pub fn event_id(&self) -> Option<&str> {
                match self {
                    $(GroupEvent::$variant(e) => Some(e.event_id()),)*
                    GroupEvent::UrlVerification { .. } => None,
                    GroupEvent::Unknown { body, .. } => body
                        .get("header")
                        .and_then(|h| h.get("event_id"))
                        .or_else(|| body.get("uuid"))
                        .and_then(Value::as_str),
                }
            }

            /// The key that tells deliveries of the same event apart from new
            /// events: the event id, except for event types whose list entry
            /// names another (`im.message.receive_v1`: the same message may
            /// arrive under several event ids, so `im.message.receive_v1:` and
            /// its `message_id`). `None` for the address check.
            pub fn dedup_key(&self) -> Option<Cow<'_, str>> {
                match self {
                    $(GroupEvent::$variant(e) => dedup_key_at!(e, $payload; $($dedup).*),)*
                    GroupEvent::UrlVerification { .. } => None,
                    GroupEvent::Unknown { .. } => self.event_id().map(Cow::Borrowed),
                }
            }

            /// The chat the event is about, for event types that name one.
            pub fn chat_id(&self) -> Option<&str> {
                match self {
                    $(GroupEvent::$variant(e) => chat_id_at!(e; $($chat).*),)*
                    GroupEvent::UrlVerification { .. } => None,
                    GroupEvent::Unknown { body, .. } => body
                        .get("event")
                        .and_then(|e| e.get("chat_id"))
                        .and_then(Value::as_str),
                }
            }

            /// The typed payload (the envelope's `event`) as JSON, for a typed
            /// event of the list; `None` for the address check and unknown types.
            pub fn payload_json(&self) -> Option<Result<Value, serde_json::Error>> {
                match self {
                    $(GroupEvent::$variant(e) => Some(serde_json::to_value(e.payload())),)*
                    GroupEvent::UrlVerification { .. } | GroupEvent::Unknown { .. } => None,
                }
            }

            /// The Verification Token the body carries (`header.token` for v2.0,
            /// `token` otherwise), to compare with the app's configured token.
            pub fn verification_token(&self) -> Option<&str> {
                match self {
                    GroupEvent::UrlVerification { token, .. } => Some(token.expose()),
                    $(GroupEvent::$variant(e) => Some(e.token().expose()),)*
                    GroupEvent::Unknown { body, .. } => body
                        .get("header")
                        .and_then(|h| h.get("token"))
                        .or_else(|| body.get("token"))
                        .and_then(Value::as_str),
                }
            }
        }

        impl fmt::Debug for GroupEvent {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    GroupEvent::UrlVerification { challenge, token } => f
                        .debug_struct("UrlVerification")
                        .field("challenge", challenge)
                        .field("token", token)
                        .finish(),
                    $(GroupEvent::$variant(e) => f.debug_tuple(stringify!($variant)).field(e).finish(),)*
                    GroupEvent::Unknown { event_type, body } => f
                        .debug_struct("Unknown")
                        .field("event_type", event_type)
                        .field("body", &redacted(body))
                        .finish(),
                }
            }
        }

        /// Decodes a body whose version (`v2`) and event type are known: into
        /// its typed variant when the list has it, else [`GroupEvent::Unknown`].
        fn decode_known(v2: bool, event_type: String, body: Value) -> Result<GroupEvent, EventDecodeError> {
            $(
                if v2 == <$envelope<$payload> as Envelope>::V2
                    && event_type == <$payload as EventPayload>::EVENT_TYPE
                {
                    return Ok(GroupEvent::$variant(typed(&body, &event_type)?));
                }
            )*
            Ok(GroupEvent::Unknown { event_type, body })
        }
    };
}

crate::for_each_event!(group_event);

/// A copy of a raw body with its Verification Token (`token`,
/// `header.token`) and encrypted content (`encrypt`) masked.
fn redacted(body: &Value) -> Value {
    let mut copy = body.clone();
    if let Value::Object(map) = &mut copy {
        for key in ["token", "encrypt"] {
            if let Some(v) = map.get_mut(key) {
                *v = Value::String("***".to_owned());
            }
        }
        if let Some(Value::Object(header)) = map.get_mut("header") {
            if let Some(v) = header.get_mut("token") {
                *v = Value::String("***".to_owned());
            }
        }
    }
    copy
}

/// Why a callback body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventDecodeError {
    /// The body is not valid JSON.
    Syntax {
        /// Line of the error (1-based).
        line: usize,
        /// Column of the error (1-based).
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The body is JSON but not an object.
    NotAnObject,
    /// The body is an encrypted callback (`{"encrypt": "..."}`): decrypt it
    /// with the app's Encrypt Key and decode the plaintext.
    Encrypted,
    /// The object is not a callback: it has no `schema`, no `event` and is not
    /// a `url_verification`.
    NotACallback,
    /// A field is missing or has the wrong type.
    Field {
        /// The event type, when it could be determined.
        event_type: Option<String>,
        /// The field, as a path from the body's root (`event.users[0].name`).
        path: String,
        /// What was wrong.
        message: String,
    },
}

impl EventDecodeError {
    /// The failing field, as a path from the body's root, for
    /// [`EventDecodeError::Field`].
    ///
    /// ```
    /// let body = br#"{"schema": "2.0", "header": {"event_id": "1", "event_type": "im.chat.disbanded_v1",
    ///   "create_time": "1", "token": "t", "app_id": "cli_1", "tenant_key": "k"},
    ///   "event": {"chat_id": "oc_1", "external": "no"}}"#;
    /// let err = feishu_model::events::decode(body).unwrap_err();
    /// assert_eq!(err.path(), Some("event.external"));
    /// assert_eq!(err.event_type(), Some("im.chat.disbanded_v1"));
    /// ```
    pub fn path(&self) -> Option<&str> {
        match self {
            EventDecodeError::Field { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The event type of a body whose type was recognized but whose fields
    /// did not decode.
    pub fn event_type(&self) -> Option<&str> {
        match self {
            EventDecodeError::Field { event_type, .. } => event_type.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for EventDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventDecodeError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "callback body is not valid JSON at line {line} column {column}: {message}"
            ),
            EventDecodeError::NotAnObject => f.write_str("callback body is not a JSON object"),
            EventDecodeError::Encrypted => {
                f.write_str("callback body is encrypted; decrypt it with the Encrypt Key first")
            }
            EventDecodeError::NotACallback => f.write_str(
                "callback body has no `schema`, no `event` and is not a url_verification",
            ),
            EventDecodeError::Field {
                event_type,
                path,
                message,
            } => {
                if let Some(event_type) = event_type {
                    write!(f, "{event_type} event: ")?;
                }
                if path.is_empty() {
                    f.write_str(message)
                } else {
                    write!(f, "field `{path}`: {message}")
                }
            }
        }
    }
}

impl std::error::Error for EventDecodeError {}

/// Decodes a callback body (after decryption, if the app uses an Encrypt Key).
///
/// - `{"type": "url_verification", ...}` gives [`GroupEvent::UrlVerification`];
/// - a body with `schema` is a v2.0 event, typed by `header.event_type`;
/// - otherwise a body with `event` is a v1.0 event, typed by `event.type`.
///
/// Event types not typed here give [`GroupEvent::Unknown`] (not an error).
/// A known event whose fields do not match their documented types gives
/// [`EventDecodeError::Field`] naming the event type and the field.
pub fn decode(body: &[u8]) -> Result<GroupEvent, EventDecodeError> {
    // The common case, a v2.0 event of a typed type, decodes in one pass;
    // anything else, failures included, goes through the JSON tree.
    if let Some(event) = one_pass::decode(body) {
        return Ok(event);
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| EventDecodeError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Value::Object(object) = &value else {
        return Err(EventDecodeError::NotAnObject);
    };

    if object.get("type").and_then(Value::as_str) == Some(CallbackType::UrlVerification.as_str()) {
        let check: UrlVerification = typed(&value, "url_verification")?;
        return Ok(GroupEvent::UrlVerification {
            challenge: check.challenge,
            token: check.token,
        });
    }

    if let Some(schema) = object.get("schema") {
        let event_type = required_str(&value, "header", "event_type")?;
        if schema.as_str() != Some("2.0") {
            return Ok(GroupEvent::Unknown {
                event_type,
                body: value,
            });
        }
        return decode_known(true, event_type, value);
    }

    if object.contains_key("event") {
        let event_type = required_str(&value, "event", "type")?;
        return decode_known(false, event_type, value);
    }

    if object.contains_key("encrypt") {
        return Err(EventDecodeError::Encrypted);
    }
    Err(EventDecodeError::NotACallback)
}

/// Decodes the whole body as `T`, naming the event type and the failing field.
fn typed<T: DeserializeOwned>(body: &Value, event_type: &str) -> Result<T, EventDecodeError> {
    crate::jsonpath::from_value(body).map_err(|e| EventDecodeError::Field {
        event_type: Some(event_type.to_owned()),
        path: e.path,
        message: e.message,
    })
}

/// `body[parent][field]` as a string, or an error naming `parent.field`.
fn required_str(body: &Value, parent: &str, field: &str) -> Result<String, EventDecodeError> {
    let error = |message: String| EventDecodeError::Field {
        event_type: None,
        path: format!("{parent}.{field}"),
        message,
    };
    match body.get(parent) {
        Some(Value::Object(map)) => match map.get(field) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(error(format!(
                "invalid type: {}, expected a string",
                crate::wire::json_type(other)
            ))),
            None => Err(error(format!("missing field `{field}`"))),
        },
        Some(other) => Err(EventDecodeError::Field {
            event_type: None,
            path: parent.to_owned(),
            message: format!(
                "invalid type: {}, expected an object",
                crate::wire::json_type(other)
            ),
        }),
        None => Err(EventDecodeError::Field {
            event_type: None,
            path: parent.to_owned(),
            message: format!("missing field `{parent}`"),
        }),
    }
}
