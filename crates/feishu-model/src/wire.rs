//! Decoding support shared by the generated code: strings (object keys,
//! enum values) read without a copy where the input allows it, the map that
//! collects undocumented fields into [`Extra`](crate::Extra) for `#[derive(WireDeserialize)]`
//! (crate `feishu-model-derive`), and [`fill!`](crate::fill).
//!
//! What the derive gives: one pass over the object, each known key straight
//! to its field and any other key kept.
//!
//! ```
//! use feishu_model::im::chat::Chat;
//!
//! let chat: Chat = serde_json::from_str(
//!     r#"{"name": "ops", "chat_mode": "group", "not_documented": [1, 2]}"#,
//! ).unwrap();
//! assert_eq!(chat.name.as_deref(), Some("ops"));
//! assert_eq!(chat.extra.get("not_documented"), Some(&serde_json::json!([1, 2])));
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A JSON value's type, for messages (never its content, which may be a
/// secret): `null`, `boolean`, `number`, `string`, `array` or `object`.
///
/// ```
/// assert_eq!(feishu_model::wire::json_type(&serde_json::json!([1])), "array");
/// ```
pub fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A string (an object key, an enum value): borrowed from the input when it
/// holds no escapes.
#[derive(Debug)]
pub enum Key<'de> {
    /// A key borrowed from the input.
    Borrowed(&'de str),
    /// A key that had to be unescaped.
    Owned(String),
}

impl Key<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    /// The key as an owned string (copied only when it was borrowed).
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A string enum, built from its wire value (implemented by
/// [`wire_enum!`](crate::wire_enum)).
pub trait FromKey: Sized {
    /// The value `key` names.
    fn from_key(key: Key<'_>) -> Self;
}

/// Reads one field of a `#[derive(WireDeserialize)]` struct. Every optional
/// string enum reads through one decoder, that of `Option<Key>`, instead of
/// one copy of the option handling per enum type (a dozen in a chat); any
/// other field reads as its own type. The generated code calls
/// `(&FieldReader::<T>::NEW).read(&mut map)`, and method lookup takes
/// [`ReadEnumField`] when it applies, [`ReadField`] otherwise.
pub struct FieldReader<T>(PhantomData<T>);

impl<T> FieldReader<T> {
    /// The reader of a `T` field.
    pub const NEW: Self = FieldReader(PhantomData);
}

/// Reads an optional string enum field.
pub trait ReadEnumField<'de> {
    /// The field's type.
    type Value;
    /// Reads the field's value from `map`.
    fn read<A: MapAccess<'de>>(&self, map: &mut A) -> Result<Self::Value, A::Error>;
}

impl<'de, E: FromKey> ReadEnumField<'de> for FieldReader<Option<E>> {
    type Value = Option<E>;
    fn read<A: MapAccess<'de>>(&self, map: &mut A) -> Result<Option<E>, A::Error> {
        Ok(map.next_value::<Option<Key<'de>>>()?.map(E::from_key))
    }
}

/// Reads any other field.
pub trait ReadField<'de> {
    /// The field's type.
    type Value;
    /// Reads the field's value from `map`.
    fn read<A: MapAccess<'de>>(&self, map: &mut A) -> Result<Self::Value, A::Error>;
}

impl<'de, T: Deserialize<'de>> ReadField<'de> for &FieldReader<T> {
    type Value = T;
    fn read<A: MapAccess<'de>>(&self, map: &mut A) -> Result<T, A::Error> {
        map.next_value::<T>()
    }
}

/// Builds a value of a `#[non_exhaustive]` output or event type from outside
/// this crate (an emulator answering, a test asserting): starts from
/// `Default::default()` (or the `..base` given last) and sets the listed
/// fields. Field shorthand (`name,`) works as in a struct expression.
///
/// ```
/// use feishu_model::im::chat::Chat;
///
/// let name = Some("ops".to_owned());
/// let chat = feishu_model::fill!(Chat { name, chat_mode: Some("group".into()) });
/// assert_eq!(chat.name.as_deref(), Some("ops"));
/// let renamed = feishu_model::fill!(Chat { name: Some("sre".into()), ..chat.clone() });
/// assert_eq!(renamed.chat_mode, chat.chat_mode);
/// ```
#[macro_export]
macro_rules! fill {
    ($ty:path { $($body:tt)* }) => {{
        #[allow(unused_mut)]
        let mut value: $ty = $crate::fill!(@base $($body)*);
        $crate::fill!(@set value; $($body)*);
        value
    }};
    (@base) => { ::core::default::Default::default() };
    (@base .. $base:expr) => { $base };
    (@base $f:ident : $v:expr , $($rest:tt)*) => { $crate::fill!(@base $($rest)*) };
    (@base $f:ident : $v:expr) => { ::core::default::Default::default() };
    (@base $f:ident , $($rest:tt)*) => { $crate::fill!(@base $($rest)*) };
    (@base $f:ident) => { ::core::default::Default::default() };
    (@set $val:ident;) => {};
    (@set $val:ident; .. $base:expr) => {};
    (@set $val:ident; $f:ident : $e:expr , $($rest:tt)*) => {
        $val.$f = $e;
        $crate::fill!(@set $val; $($rest)*);
    };
    (@set $val:ident; $f:ident : $e:expr) => { $val.$f = $e; };
    (@set $val:ident; $f:ident , $($rest:tt)*) => {
        $val.$f = $f;
        $crate::fill!(@set $val; $($rest)*);
    };
    (@set $val:ident; $f:ident) => { $val.$f = $f; };
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::auth::TenantTokenOutput;
    use crate::docx::announcement::AnnouncementInfo;
    use crate::im::chat::Chat;
    use serde_json::json;

    #[test]
    fn derived_structs_keep_unknown_fields_and_round_trip() {
        let input = json!({"name": "ops", "chat_mode": "group", "brand_new": {"x": [1, 2]}, "user_count": "3"});
        let chat: Chat = serde_json::from_value(input.clone()).unwrap();
        assert_eq!(chat.name.as_deref(), Some("ops"));
        assert_eq!(chat.extra.get("brand_new"), Some(&json!({"x": [1, 2]})));
        assert_eq!(chat.extra.len(), 1);
        assert_eq!(serde_json::to_value(&chat).unwrap(), input);
        // Same result through the borrowing text path.
        let from_text: Chat = serde_json::from_str(&input.to_string()).unwrap();
        assert_eq!(from_text, chat);
    }

    #[test]
    fn required_fields_duplicates_and_custom_decoders() {
        let e = crate::jsonpath::from_str::<TenantTokenOutput>(r#"{"expire": 7200}"#).unwrap_err();
        assert_eq!(e.path, "tenant_access_token");
        assert!(
            e.message.contains("missing field `tenant_access_token`"),
            "{e}"
        );
        let dup = serde_json::from_str::<Chat>(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(dup.to_string().contains("duplicate field `name`"), "{dup}");
        let info: AnnouncementInfo = serde_json::from_str(r#"{"revision_id":"12"}"#).unwrap();
        assert_eq!(info.revision_id, Some(12));
        let wrong = crate::jsonpath::from_str::<Chat>(r#"{"name": 5}"#).unwrap_err();
        assert_eq!(wrong.path, "name");
    }

    #[test]
    fn keys_borrow_when_they_can() {
        let mut de = serde_json::Deserializer::from_str(r#""plain""#);
        assert!(matches!(
            Key::deserialize(&mut de).unwrap(),
            Key::Borrowed("plain")
        ));
        let mut de = serde_json::Deserializer::from_str(r#""esc\u0061ped""#);
        let key = Key::deserialize(&mut de).unwrap();
        assert!(matches!(&key, Key::Owned(_)));
        assert_eq!(key.as_str(), "escaped");
    }
}
