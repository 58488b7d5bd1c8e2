//! A look at the few top-level fields of a callback body the checks need
//! (`encrypt`, `type`, `token`, `header.token`, `challenge`), without
//! building a JSON tree of the whole body: the other values are only
//! validated and skipped, and the fields read are borrowed from the body.

use std::borrow::Cow;

use std::fmt;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::webhook::WebhookError;

/// A top-level value the checks read: a string (borrowed when it has no
/// escapes) or any other JSON value, skipped without being kept.
enum Field<'a> {
    Text(Cow<'a, str>),
    Other,
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Field<'de>, E> {
        Ok(Field::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Field<'de>, E> {
        Ok(Field::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Field<'de>, E> {
        Ok(Field::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Field<'de>, E> {
        Ok(Field::Other)
    }

    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }
}

/// A field that is present, whatever its JSON value (`null` included).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Field<'de>>, D::Error> {
    d.deserialize_any(FieldVisitor).map(Some)
}

/// A present `header`, kept as raw JSON to look into.
fn present_raw<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    encrypt: Option<Field<'a>>,
    #[serde(borrow, default, deserialize_with = "present", rename = "type")]
    kind: Option<Field<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    token: Option<Field<'a>>,
    #[serde(borrow, default, deserialize_with = "present")]
    challenge: Option<Field<'a>>,
    #[serde(borrow, default, deserialize_with = "present_raw")]
    header: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct HeaderFields<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    token: Option<Field<'a>>,
}

/// The fields of one body the checks read.
pub(crate) struct Probe<'a> {
    fields: Fields<'a>,
}

/// The text of a string field; `None` for any other kind of value.
fn text<'a>(field: &Field<'a>) -> Option<Cow<'a, str>> {
    match field {
        Field::Text(text) => Some(text.clone()),
        Field::Other => None,
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
        self.fields.encrypt.as_ref().map(text)
    }

    /// Whether `type` is `url_verification`.
    pub(crate) fn is_url_verification(&self) -> bool {
        self.fields
            .kind
            .as_ref()
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
        match in_header {
            Some(field) => text(&field),
            None => self.fields.token.as_ref().and_then(text),
        }
    }

    /// `challenge`, when it is a string.
    pub(crate) fn challenge(&self) -> Option<Cow<'a, str>> {
        self.fields.challenge.as_ref().and_then(text)
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
