//! The callback envelopes: v2.0 (`schema`/`header`/`event`), v1.0
//! (`ts`/`uuid`/`token`/`type`/`event`) and the `url_verification` challenge.

use serde::{Deserialize, Serialize};

use crate::{AppId, Extra, Secret, TenantKey};

/// An event payload with a fixed event type.
pub trait EventPayload {
    /// The event type that carries this payload: `header.event_type` for v2.0
    /// events, `event.type` for v1.0 events.
    const EVENT_TYPE: &'static str;
}

/// What every event envelope ([`EventV2`], [`EventV1`]) tells, whatever its
/// version: the event's type, id and Verification Token.
pub trait Envelope {
    /// The payload type.
    type Payload: EventPayload;
    /// `true` for v2.0 envelopes (typed by `header.event_type`), `false` for
    /// v1.0 ones (typed by `event.type`).
    const V2: bool;

    /// The event type.
    fn event_type(&self) -> &str;
    /// The event's unique id (`header.event_id` or `uuid`): redeliveries carry
    /// the same one.
    fn event_id(&self) -> &str;
    /// The Verification Token it carries.
    fn token(&self) -> &Secret;
    /// The v2.0 header, for v2.0 events.
    fn header(&self) -> Option<&EventHeader>;
    /// The payload.
    fn payload(&self) -> &Self::Payload;
}

impl<P: EventPayload> Envelope for EventV2<P> {
    type Payload = P;
    const V2: bool = true;

    fn event_type(&self) -> &str {
        &self.header.event_type
    }
    fn event_id(&self) -> &str {
        &self.header.event_id
    }
    fn token(&self) -> &Secret {
        &self.header.token
    }
    fn header(&self) -> Option<&EventHeader> {
        Some(&self.header)
    }
    fn payload(&self) -> &P {
        &self.event
    }
}

impl<P: EventPayload> Envelope for EventV1<P> {
    type Payload = P;
    const V2: bool = false;

    fn event_type(&self) -> &str {
        P::EVENT_TYPE
    }
    fn event_id(&self) -> &str {
        &self.uuid
    }
    fn token(&self) -> &Secret {
        &self.token
    }
    fn header(&self) -> Option<&EventHeader> {
        None
    }
    fn payload(&self) -> &P {
        &self.event
    }
}

crate::wire_enum! {
    /// The top-level `type` of a callback that is not a v2.0 event.
    pub enum CallbackType {
        /// `event_callback`: a v1.0 event (always this value for v1.0 events).
        EventCallback => "event_callback",
        /// `url_verification`: the request-address check sent when a callback
        /// address is configured.
        UrlVerification => "url_verification",
    }
}

/// The `header` of a v2.0 event.
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
pub struct EventHeader {
    /// Event id, unique per event: use it to drop redeliveries.
    pub event_id: String,
    /// Event type, such as `im.chat.updated_v1`.
    pub event_type: String,
    /// When the event was created, in milliseconds since the epoch (text).
    pub create_time: String,
    /// The app's Verification Token; compare it to the configured one.
    pub token: Secret,
    /// The app the event is for.
    pub app_id: AppId,
    /// The tenant the event happened in.
    pub tenant_key: TenantKey,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A v2.0 event: `{"schema": "2.0", "header": {...}, "event": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventV2<E> {
    /// The event schema version, `2.0`.
    pub schema: String,
    /// Event id, type, time, Verification Token, app and tenant.
    pub header: EventHeader,
    /// The event's details.
    pub event: E,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A v1.0 event: `{"ts", "uuid", "token", "type": "event_callback", "event"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventV1<E> {
    /// When the event was sent, in seconds since the epoch with a fraction
    /// (text, such as `1502199207.7171419`).
    pub ts: String,
    /// Event id, unique per event: use it to drop redeliveries.
    pub uuid: String,
    /// The app's Verification Token; compare it to the configured one.
    pub token: Secret,
    /// Callback type, always `event_callback` for events.
    #[serde(rename = "type")]
    pub callback_type: CallbackType,
    /// The event's details; `event.type` is the event type.
    pub event: E,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The `url_verification` request the platform sends to a newly configured
/// callback address: `{"challenge", "token", "type": "url_verification"}`.
/// Answer with [`UrlVerificationResponse`] within one second.
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
pub struct UrlVerification {
    /// The value to send back unchanged.
    pub challenge: String,
    /// The app's Verification Token; compare it to the configured one.
    pub token: Secret,
    /// Always `url_verification`.
    #[serde(rename = "type")]
    pub callback_type: CallbackType,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer to a [`UrlVerification`] request: `{"challenge": ...}`.
///
/// ```
/// use feishu_model::events::UrlVerificationResponse;
///
/// let answer = UrlVerificationResponse::new("ajls384kdjxxxx");
/// assert_eq!(serde_json::to_string(&answer).unwrap(), r#"{"challenge":"ajls384kdjxxxx"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlVerificationResponse {
    /// The challenge received, unchanged.
    pub challenge: String,
}

impl UrlVerificationResponse {
    /// The answer echoing `challenge`.
    pub fn new(challenge: impl Into<String>) -> Self {
        UrlVerificationResponse {
            challenge: challenge.into(),
        }
    }
}
