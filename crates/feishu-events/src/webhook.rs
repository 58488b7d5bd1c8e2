//! [`Webhook`]: checks and decodes one callback request (headers and raw
//! body), without IO.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_model::events::{decode, EventDecodeError, GroupEvent};
use feishu_model::Secret;
use serde_json::Value;

use crate::crypto::{self, DecryptError};
use crate::headers::{self, Headers};
use crate::outcome::Outcome;
use crate::probe::Probe;

/// The default largest body [`Webhook`] accepts: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Why a callback request was rejected. Each variant has a documented HTTP
/// status ([`WebhookError::status`]); none of them carries a secret.
///
/// | variant | status |
/// | --- | --- |
/// | `BodyTooLarge` | 413 |
/// | `MissingSignature`, `MalformedSignature`, `BadSignature`, `StaleTimestamp`, `WrongToken` | 401 |
/// | `InvalidJson`, `EncryptedWithoutKey`, `NotEncrypted`, `Decrypt`, `Decode` | 400 |
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is larger than the configured limit.
    #[error("request body is {len} bytes, more than the limit of {limit}")]
    BodyTooLarge {
        /// The body length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// An Encrypt Key is set and a signature header is absent. Only a valid
    /// `url_verification` challenge may come unsigned; every other unsigned
    /// body gets this error, whatever it holds.
    #[error("missing {header} header on a signed request")]
    MissingSignature {
        /// The missing header.
        header: &'static str,
    },
    /// A signature header is present but unusable.
    #[error("malformed {header} header: {reason}")]
    MalformedSignature {
        /// The header.
        header: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// `X-Lark-Signature` does not match the raw body (altered body, wrong
    /// Encrypt Key or replayed headers).
    #[error("X-Lark-Signature does not match the request body")]
    BadSignature,
    /// The signed timestamp is further from now than the allowed skew.
    #[error(
        "request timestamp is {skew_secs} s away from now, more than the allowed {max_secs} s"
    )]
    StaleTimestamp {
        /// How far the timestamp is from now, in seconds.
        skew_secs: u64,
        /// The allowed skew, in seconds.
        max_secs: u64,
    },
    /// The body (or the decrypted body) is not a JSON object.
    #[error("request body is not a JSON object: {0}")]
    InvalidJson(String),
    /// The body is encrypted (`{"encrypt": ...}`) but no Encrypt Key is configured.
    #[error("request body is encrypted but no Encrypt Key is configured")]
    EncryptedWithoutKey,
    /// An Encrypt Key is configured but the body came in plain text.
    #[error("an Encrypt Key is configured but the request body is not encrypted")]
    NotEncrypted,
    /// The `encrypt` value could not be decrypted.
    #[error(transparent)]
    Decrypt(#[from] DecryptError),
    /// The Verification Token in the body is absent or differs from the
    /// configured one.
    #[error("the Verification Token in the body is missing or wrong")]
    WrongToken,
    /// The body is not a callback, or a known event has fields of the wrong type.
    #[error(transparent)]
    Decode(#[from] EventDecodeError),
}

impl WebhookError {
    /// The HTTP status to answer with (see the table on [`WebhookError`]).
    ///
    /// ```
    /// assert_eq!(feishu_events::WebhookError::BadSignature.status(), 401);
    /// ```
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::BodyTooLarge { .. } => 413,
            WebhookError::MissingSignature { .. }
            | WebhookError::MalformedSignature { .. }
            | WebhookError::BadSignature
            | WebhookError::StaleTimestamp { .. }
            | WebhookError::WrongToken => 401,
            WebhookError::InvalidJson(_)
            | WebhookError::EncryptedWithoutKey
            | WebhookError::NotEncrypted
            | WebhookError::Decrypt(_)
            | WebhookError::Decode(_) => 400,
        }
    }

    /// A short machine-readable name: `bad_signature`, `wrong_token`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookError::BodyTooLarge { .. } => "body_too_large",
            WebhookError::MissingSignature { .. } => "missing_signature",
            WebhookError::MalformedSignature { .. } => "malformed_signature",
            WebhookError::BadSignature => "bad_signature",
            WebhookError::StaleTimestamp { .. } => "stale_timestamp",
            WebhookError::InvalidJson(_) => "invalid_json",
            WebhookError::EncryptedWithoutKey => "encrypted_without_key",
            WebhookError::NotEncrypted => "not_encrypted",
            WebhookError::Decrypt(_) => "decrypt_failed",
            WebhookError::WrongToken => "wrong_token",
            WebhookError::Decode(_) => "undecodable_event",
        }
    }
}

/// What a valid request carried.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Received {
    /// The `url_verification` challenge: answer with
    /// [`Outcome::challenge`] (the dispatcher does).
    Challenge {
        /// The value to echo.
        challenge: String,
    },
    /// An event.
    Event(Event),
}

/// A verified, decrypted and decoded event.
#[derive(Clone, PartialEq)]
pub struct Event {
    /// The typed event (unknown types are kept raw).
    pub event: GroupEvent,
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("event_type", &self.event_type())
            .field("event_id", &self.event_id())
            .field("event", &self.event)
            .finish()
    }
}

impl Event {
    /// The event type (`im.chat.disbanded_v1`, `p2p_chat_create`, ...).
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event's unique id: `header.event_id` (v2.0) or `uuid` (v1.0).
    /// Redeliveries carry the same id.
    pub fn event_id(&self) -> Option<&str> {
        self.event.event_id()
    }

    /// The chat the event is about, for event types that name one.
    pub fn chat_id(&self) -> Option<&str> {
        self.event.chat_id()
    }
}

/// Checks and decodes callback requests for one app.
///
/// The order is the documented one: body size, signature (when an Encrypt
/// Key is set; only the `url_verification` challenge may come unsigned),
/// optional timestamp skew, decryption, the challenge, the Verification
/// Token (constant time, on every request when one is set), then the typed
/// decode of v2.0 and v1.0 envelopes.
///
/// ```
/// use feishu_events::{Received, Webhook};
///
/// let webhook = Webhook::new().verification_token("v-token");
/// let body = br#"{"challenge": "c-1", "token": "v-token", "type": "url_verification"}"#;
/// let headers: [(&str, &str); 0] = [];
/// assert_eq!(
///     webhook.receive(&headers, body).unwrap(),
///     Received::Challenge { challenge: "c-1".into() }
/// );
/// ```
#[derive(Clone)]
pub struct Webhook {
    encrypt_key: Option<Secret>,
    /// The AES key of `encrypt_key`, derived once.
    aes_key: Option<crypto::AesKey>,
    verification_token: Option<Secret>,
    max_skew: Option<Duration>,
    max_body_bytes: usize,
    require_encryption: bool,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("encrypt_key", &self.encrypt_key)
            .field("verification_token", &self.verification_token)
            .field("max_skew", &self.max_skew)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("require_encryption", &self.require_encryption)
            .finish()
    }
}

impl Default for Webhook {
    fn default() -> Self {
        Webhook::new()
    }
}

impl Webhook {
    /// A webhook with no Encrypt Key and no Verification Token: it accepts
    /// plain bodies and checks nothing but their shape.
    pub fn new() -> Self {
        Webhook {
            encrypt_key: None,
            aes_key: None,
            verification_token: None,
            max_skew: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            require_encryption: true,
        }
    }

    /// The app's Encrypt Key: requests must then be signed and encrypted.
    /// An empty key means none.
    pub fn encrypt_key(mut self, key: impl Into<Secret>) -> Self {
        let key = key.into();
        self.aes_key = (!key.is_empty()).then(|| crypto::AesKey::derive(&key));
        self.encrypt_key = (!key.is_empty()).then_some(key);
        self
    }

    /// The app's Verification Token, checked on every request. An empty
    /// token means none.
    pub fn verification_token(mut self, token: impl Into<Secret>) -> Self {
        let token = token.into();
        self.verification_token = (!token.is_empty()).then_some(token);
        self
    }

    /// Rejects signed requests whose `X-Lark-Request-Timestamp` is further
    /// than `skew` from now (off by default: the platform documents no window).
    pub fn max_timestamp_skew(mut self, skew: Duration) -> Self {
        self.max_skew = Some(skew);
        self
    }

    /// The largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Whether plain (unencrypted) bodies are refused when an Encrypt Key is
    /// set (default `true`).
    pub fn require_encryption(mut self, on: bool) -> Self {
        self.require_encryption = on;
        self
    }

    /// The configured body limit.
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Checks and decodes one request, with the system clock for the
    /// optional timestamp skew.
    pub fn receive<H: Headers + ?Sized>(
        &self,
        headers: &H,
        raw_body: &[u8],
    ) -> Result<Received, WebhookError> {
        self.receive_at(headers, raw_body, SystemTime::now())
    }

    /// [`Webhook::receive`] with the time given (for the timestamp skew).
    pub fn receive_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        raw_body: &[u8],
        now: SystemTime,
    ) -> Result<Received, WebhookError> {
        if raw_body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge {
                len: raw_body.len(),
                limit: self.max_body_bytes,
            });
        }
        if let Some(key) = &self.encrypt_key {
            if !self.check_signature(key, headers, raw_body, now)? {
                return self.receive_unsigned(raw_body);
            }
        }
        // Only the fields the checks need are read here; the body is
        // decoded once, by `decode`.
        let outer = Probe::of(raw_body)?;
        let plain = match outer.encrypt() {
            Some(Some(sealed)) => {
                let key = self
                    .aes_key
                    .as_ref()
                    .ok_or(WebhookError::EncryptedWithoutKey)?;
                let bytes = key.decrypt(&sealed)?;
                Some(bytes)
            }
            Some(None) => {
                return Err(WebhookError::InvalidJson(
                    "`encrypt` is not a string".to_owned(),
                ))
            }
            None if self.encrypt_key.is_some() && self.require_encryption => {
                return Err(WebhookError::NotEncrypted)
            }
            None => None,
        };
        let bytes = match &plain {
            Some(bytes) => bytes.as_slice(),
            None => raw_body,
        };
        // A v2.0 event of a typed type, the usual body, carries the token in
        // its decoded header: checked there, the body is read once. Any
        // other body goes through the checks on its raw fields first.
        let decoded = decode(bytes);
        let typed_v2 = match &decoded {
            Ok(event) => event.header().map(|h| h.token.expose()),
            Err(_) => None,
        };
        if let Some(token) = typed_v2 {
            self.check_given_token(Some(token))?;
            return Ok(Received::Event(Event { event: decoded? }));
        }
        let value = match &plain {
            Some(bytes) => Probe::of(bytes)?,
            None => outer,
        };

        if value.is_url_verification() {
            self.check_given_token(value.token().as_deref())?;
            let challenge = value.challenge().ok_or_else(|| {
                WebhookError::InvalidJson("url_verification without a `challenge`".to_owned())
            })?;
            return Ok(Received::Challenge {
                challenge: challenge.into_owned(),
            });
        }
        self.check_given_token(value.token().as_deref())?;
        let event = decoded?;
        Ok(Received::Event(Event { event }))
    }

    /// An unsigned request while an Encrypt Key is set: only a
    /// `url_verification` challenge carrying the right Verification Token
    /// is accepted. Anything else gets one and the same error, whatever
    /// went wrong (bad base64 or padding, not JSON, not a challenge, wrong
    /// token), so that the answers tell nothing about how an
    /// unauthenticated body decrypts.
    fn receive_unsigned(&self, raw_body: &[u8]) -> Result<Received, WebhookError> {
        let challenge = || -> Option<String> {
            let outer = parse_object(raw_body).ok()?;
            let value = match outer.get("encrypt") {
                Some(Value::String(sealed)) => {
                    parse_object(&self.aes_key.as_ref()?.decrypt(sealed).ok()?).ok()?
                }
                Some(_) => return None,
                None if self.require_encryption => return None,
                None => outer,
            };
            if value.get("type").and_then(Value::as_str) != Some("url_verification") {
                return None;
            }
            self.check_token(&value).ok()?;
            value.get("challenge")?.as_str().map(str::to_owned)
        };
        match challenge() {
            Some(challenge) => Ok(Received::Challenge { challenge }),
            None => Err(WebhookError::MissingSignature {
                header: headers::SIGNATURE,
            }),
        }
    }

    /// Verifies the signature headers; `Ok(false)` when they are all absent
    /// (allowed only for the challenge, decided later).
    fn check_signature<H: Headers + ?Sized>(
        &self,
        key: &Secret,
        headers: &H,
        raw_body: &[u8],
        now: SystemTime,
    ) -> Result<bool, WebhookError> {
        let timestamp = headers.header(headers::TIMESTAMP);
        let nonce = headers.header(headers::NONCE);
        let signature = headers.header(headers::SIGNATURE);
        let (timestamp, nonce, signature) = match (timestamp, nonce, signature) {
            (None, None, None) => return Ok(false),
            (Some(t), Some(n), Some(s)) => (t, n, s),
            (None, _, _) => {
                return Err(WebhookError::MissingSignature {
                    header: headers::TIMESTAMP,
                })
            }
            (_, None, _) => {
                return Err(WebhookError::MissingSignature {
                    header: headers::NONCE,
                })
            }
            (_, _, None) => {
                return Err(WebhookError::MissingSignature {
                    header: headers::SIGNATURE,
                })
            }
        };
        let signature = signature.trim();
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(WebhookError::MalformedSignature {
                header: headers::SIGNATURE,
                reason: "not 64 hexadecimal digits",
            });
        }
        if !crypto::verify(timestamp, nonce, key, raw_body, signature) {
            return Err(WebhookError::BadSignature);
        }
        if let Some(max) = self.max_skew {
            let sent: i64 =
                timestamp
                    .trim()
                    .parse()
                    .map_err(|_| WebhookError::MalformedSignature {
                        header: headers::TIMESTAMP,
                        reason: "not whole seconds since the epoch",
                    })?;
            let now = now
                .duration_since(UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                .unwrap_or(0);
            let skew = now.abs_diff(sent);
            if skew > max.as_secs() {
                return Err(WebhookError::StaleTimestamp {
                    skew_secs: skew,
                    max_secs: max.as_secs(),
                });
            }
        }
        Ok(true)
    }

    fn check_token(&self, body: &Value) -> Result<(), WebhookError> {
        let given = body
            .get("header")
            .and_then(|h| h.get("token"))
            .or_else(|| body.get("token"))
            .and_then(Value::as_str);
        self.check_given_token(given)
    }

    /// Checks the Verification Token found in a body (`None`: none found).
    fn check_given_token(&self, given: Option<&str>) -> Result<(), WebhookError> {
        let Some(expected) = &self.verification_token else {
            return Ok(());
        };
        let given = given.ok_or(WebhookError::WrongToken)?;
        if crypto::secret_eq(given, expected.expose()) {
            Ok(())
        } else {
            Err(WebhookError::WrongToken)
        }
    }

    /// Checks and decodes one request and says what to answer when no
    /// handler runs: the challenge answer, `200 {"msg":"success"}` for an
    /// event, or the error status with a JSON error body.
    pub fn respond<H: Headers + ?Sized>(&self, headers: &H, raw_body: &[u8]) -> Outcome {
        match self.receive(headers, raw_body) {
            Ok(Received::Challenge { challenge }) => Outcome::challenge(&challenge),
            Ok(Received::Event(_)) => Outcome::success(),
            Err(e) => Outcome::rejected(&e),
        }
    }
}

fn parse_object(bytes: &[u8]) -> Result<Value, WebhookError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(WebhookError::InvalidJson("not an object".to_owned())),
        Err(e) => Err(WebhookError::InvalidJson(e.to_string())),
    }
}
