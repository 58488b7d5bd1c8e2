//! A look at the few top-level fields of a callback body the checks need
//! (`encrypt`, `type`, `token`, `header.token`, `challenge`), without
//! building a JSON tree of the whole body: the other values are only
//! validated and skipped, and the fields read are borrowed from the body.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::webhook::WebhookError;

/// A field that is present, whatever its JSON value (`null` included).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    encrypt: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present", rename = "type")]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    token: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    challenge: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    header: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct HeaderFields<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    token: Option<&'a RawValue>,
}

/// The fields of one body the checks read.
pub(crate) struct Probe<'a> {
    fields: Fields<'a>,
}

/// The text of a JSON string value, borrowed when it has no escapes;
/// `None` for any other kind of value.
fn text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    if !json.starts_with('"') {
        return None;
    }
    match serde_json::from_str::<&str>(json) {
        Ok(text) => Some(Cow::Borrowed(text)),
        Err(_) => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
    }
}

impl<'a> Probe<'a> {
    /// Reads the fields of `bytes`, which must be a JSON object.
    pub(crate) fn of(bytes: &'a [u8]) -> Result<Probe<'a>, WebhookError> {
        let first = bytes
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if first != Some(&b'{') {
            return Err(WebhookError::InvalidJson(
                match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                    Ok(_) => "not an object".to_owned(),
                    Err(e) => e.to_string(),
                },
            ));
        }
        serde_json::from_slice::<Fields>(bytes)
            .map(|fields| Probe { fields })
            .map_err(|e| WebhookError::InvalidJson(e.to_string()))
    }

    /// `encrypt`: absent (`None`), a string (`Some(Some(..))`) or another
    /// kind of value (`Some(None)`).
    pub(crate) fn encrypt(&self) -> Option<Option<Cow<'a, str>>> {
        self.fields.encrypt.map(text)
    }

    /// Whether `type` is `url_verification`.
    pub(crate) fn is_url_verification(&self) -> bool {
        self.fields
            .kind
            .and_then(text)
            .is_some_and(|t| t == "url_verification")
    }

    /// The Verification Token: `header.token` when the body has a
    /// `header` object with a `token`, else the top-level `token`; `None`
    /// when that value is absent or not a string.
    pub(crate) fn token(&self) -> Option<Cow<'a, str>> {
        let in_header = self
            .fields
            .header
            .filter(|h| h.get().starts_with('{'))
            .and_then(|h| serde_json::from_str::<HeaderFields>(h.get()).ok())
            .and_then(|h| h.token);
        in_header.or(self.fields.token).and_then(text)
    }

    /// `challenge`, when it is a string.
    pub(crate) fn challenge(&self) -> Option<Cow<'a, str>> {
        self.fields.challenge.and_then(text)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_the_checked_fields_and_nothing_else() {
        let body = br#" {"encrypt": "c2VhbGVk", "type": "url_verification", "extra": [1, {"a": null}],
            "token": "top", "header": {"token": "in-h\u0065ader", "event_id": "e"}, "challenge": "c-1"}"#;
        let probe = Probe::of(body).unwrap();
        assert_eq!(probe.encrypt(), Some(Some(Cow::Borrowed("c2VhbGVk"))));
        assert!(probe.is_url_verification());
        assert_eq!(probe.token().as_deref(), Some("in-header"));
        assert_eq!(probe.challenge().as_deref(), Some("c-1"));
    }

    #[test]
    fn kinds_other_than_strings_are_told_apart_from_absence() {
        let probe =
            Probe::of(br#"{"encrypt": null, "type": 7, "token": "t", "header": "x"}"#).unwrap();
        assert_eq!(probe.encrypt(), Some(None));
        assert!(!probe.is_url_verification());
        // A `header` that is not an object leaves the top-level token.
        assert_eq!(probe.token().as_deref(), Some("t"));
        // A `header` object whose token is not a string has no token.
        let probe = Probe::of(br#"{"token": "t", "header": {"token": 1}}"#).unwrap();
        assert_eq!(probe.token(), None);
        assert_eq!(Probe::of(b"{}").unwrap().encrypt(), None);
    }

    #[test]
    fn bodies_that_are_not_objects_are_refused() {
        let message = |body: &[u8]| match Probe::of(body) {
            Err(WebhookError::InvalidJson(m)) => m,
            _ => String::new(),
        };
        assert_eq!(message(b"[1]"), "not an object");
        assert!(
            message(b"{\"a\": ").contains("EOF"),
            "{}",
            message(b"{\"a\": ")
        );
        assert!(!message(br#"{"a": tru}"#).is_empty());
        assert!(!message(b"").is_empty());
    }
}
