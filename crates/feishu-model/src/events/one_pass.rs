//! The one-pass decode of a v2.0 event of a typed type. The platform sends
//! `schema` and `header` before `event`: once they are read, the header's
//! event type names the payload type, and `event` is decoded straight as
//! that type, in the same pass over the bytes. Any other body (another
//! order, a v1.0 event, the address check, an unknown type, a field that
//! does not decode) gives `None`, and [`super::decode`] reads it through the
//! JSON tree, which names what is wrong.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::*;
use crate::Extra;

/// The envelope of a v2.0 event, less its payload.
struct Parts {
    schema: String,
    header: EventHeader,
    extra: Extra,
}

/// Builds an envelope from its parts: v2.0 envelopes only.
trait Assemble: Envelope + Sized {
    fn assemble(parts: Parts, event: Self::Payload) -> Option<Self>;
}

impl<P: EventPayload> Assemble for EventV2<P> {
    fn assemble(parts: Parts, event: P) -> Option<Self> {
        Some(EventV2 {
            schema: parts.schema,
            header: parts.header,
            event,
            extra: parts.extra,
        })
    }
}

impl<P: EventPayload> Assemble for EventV1<P> {
    fn assemble(_: Parts, _: P) -> Option<Self> {
        None
    }
}

macro_rules! payloads {
    ($($variant:ident($payload:ident) in $envelope:ident, chat: [$($chat:ident).*], dedup: [$($dedup:ident).*];)*) => {
        /// Reads the next value as the payload of the header's event type
        /// when that is a typed v2.0 type, and boxes it in its envelope at
        /// once (the payload moves at its own size, not at the largest
        /// type's); `None` (nothing read) otherwise.
        fn next_event<'de, A: MapAccess<'de>>(
            map: &mut A,
            parts: Parts,
        ) -> Result<Option<GroupEvent>, A::Error> {
            $(
                if <$envelope<$payload> as Envelope>::V2
                    && parts.header.event_type == <$payload as EventPayload>::EVENT_TYPE
                {
                    let event = map.next_value::<$payload>()?;
                    return Ok(<$envelope<$payload> as Assemble>::assemble(parts, event)
                        .map(|e| GroupEvent::$variant(Box::new(e))));
                }
            )*
            Ok(None)
        }

        /// The undocumented fields of a typed event.
        fn extra_of(event: &mut GroupEvent) -> Option<&mut Extra> {
            match event {
                $(GroupEvent::$variant(e) => Some(&mut e.extra),)*
                _ => None,
            }
        }
    };
}

crate::for_each_event!(payloads);

/// A key, borrowed from the body unless it has escapes.
#[derive(serde::Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

/// The reason a body leaves this path: not an error of the body.
fn elsewhere<E: de::Error>() -> E {
    E::custom("not a v2.0 event of a typed type in the usual order")
}

struct OnePass;

impl<'de> Visitor<'de> for OnePass {
    type Value = GroupEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GroupEvent, A::Error> {
        let mut schema: Option<String> = None;
        let mut header: Option<EventHeader> = None;
        // Fields before `event` wait here; later ones go into the event.
        let mut extra = Extra::new();
        let mut event: Option<GroupEvent> = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match key.as_ref() {
                "schema" if schema.is_none() && event.is_none() => {
                    let value: String = map.next_value()?;
                    if value != "2.0" {
                        return Err(elsewhere());
                    }
                    schema = Some(value);
                }
                "header" if header.is_none() && event.is_none() => header = Some(map.next_value()?),
                "event" if event.is_none() => {
                    let (Some(schema), Some(header)) = (schema.take(), header.take()) else {
                        return Err(elsewhere());
                    };
                    let parts = Parts {
                        schema,
                        header,
                        extra: std::mem::take(&mut extra),
                    };
                    match next_event(&mut map, parts)? {
                        Some(read) => event = Some(read),
                        None => return Err(elsewhere()),
                    }
                }
                // A repeated field, or a field before `schema` (a v1.0
                // event, the address check): the tree decides.
                "schema" | "header" | "event" => return Err(elsewhere()),
                _ if schema.is_none() && event.is_none() => return Err(elsewhere()),
                other => {
                    let value: Value = map.next_value()?;
                    if other == "type"
                        && value.as_str() == Some(CallbackType::UrlVerification.as_str())
                    {
                        return Err(elsewhere());
                    }
                    let into = match event.as_mut() {
                        Some(event) => extra_of(event).ok_or_else(elsewhere)?,
                        None => &mut extra,
                    };
                    into.insert(other.to_owned(), value);
                }
            }
        }
        event.ok_or_else(elsewhere)
    }
}

/// The typed event of `body` when it is a v2.0 event of a typed type with
/// `schema` first and `header` before `event`; `None` otherwise.
pub(super) fn decode(body: &[u8]) -> Option<GroupEvent> {
    // One check of the whole body spares the parser a check per string.
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let event = (&mut de).deserialize_map(OnePass).ok()?;
    de.end().ok()?;
    Some(event)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    /// Every documented event body, by file name.
    fn documented() -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/events");
        let mut bodies: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        bodies.sort();
        bodies
    }

    /// The body with its fields in the order given, plus `added`.
    fn reordered(body: &[u8], order: &[&str], added: &[(&str, Value)]) -> Vec<u8> {
        let doc: Value = serde_json::from_slice(body).unwrap();
        let mut fields: Vec<String> = order
            .iter()
            .map(|key| format!("{:?}:{}", key, doc[*key]))
            .collect();
        fields.extend(added.iter().map(|(k, v)| format!("{k:?}:{v}")));
        format!("{{{}}}", fields.join(",")).into_bytes()
    }

    #[test]
    fn every_typed_v2_example_decodes_in_one_pass_as_through_the_tree() {
        let mut typed = 0;
        for (name, body) in documented() {
            let doc: Value = serde_json::from_slice(&body).unwrap();
            if doc.get("schema").is_none() {
                // v1.0 events and the address check take the tree.
                assert!(decode(&body).is_none(), "{name}");
                continue;
            }
            let one_pass = decode(&body).unwrap_or_else(|| panic!("{name} not in one pass"));
            // `event` first: the same body, through the tree.
            let tree_body = reordered(&body, &["event", "header", "schema"], &[]);
            assert!(decode(&tree_body).is_none(), "{name}");
            assert_eq!(
                super::super::decode(&tree_body).unwrap(),
                one_pass,
                "{name}"
            );
            // An undocumented top-level field is kept by both.
            let added = [("added_later", serde_json::json!({"a": [1, "b"]}))];
            let fast = reordered(&body, &["schema", "header", "event"], &added);
            let slow = reordered(&body, &["event", "header", "schema"], &added);
            let fast = decode(&fast).unwrap();
            assert_eq!(super::super::decode(&slow).unwrap(), fast, "{name}");
            // The same field between `header` and `event`.
            let doc_event = serde_json::to_string(&doc["event"]).unwrap();
            let mut mid = reordered(&body, &["schema", "header"], &added);
            mid.pop();
            mid.extend_from_slice(format!(r#","event":{doc_event}}}"#).as_bytes());
            assert_eq!(decode(&mid).unwrap(), fast, "{name}");
            assert_eq!(fast.payload_json().map(|p| p.is_ok()), Some(true), "{name}");
            typed += 1;
        }
        assert_eq!(typed, 13);
    }

    #[test]
    fn other_bodies_leave_this_path() {
        let header = r#""header":{"event_id":"e","event_type":"im.chat.disbanded_v1","create_time":"1","token":"t","app_id":"a","tenant_key":"k"}"#;
        let event = r#""event":{"chat_id":"oc_1","operator_id":{"open_id":"ou_1"},"external":false,"operator_tenant_key":"k","name":"n","i18n_names":{}}"#;
        let ok = format!(r#"{{"schema":"2.0",{header},{event}}}"#);
        assert!(decode(ok.as_bytes()).is_some(), "{ok}");
        for body in [
            // Another schema, a repeated field, trailing bytes, an unknown type.
            format!(r#"{{"schema":"1.0",{header},{event}}}"#),
            format!(r#"{{"schema":"2.0",{header},{header},{event}}}"#),
            format!(r#"{{"schema":"2.0",{header},{event}}} x"#),
            format!(
                r#"{{"schema":"2.0",{},{event}}}"#,
                header.replace("disbanded", "unheard_of")
            ),
            // The address check, wherever its type is.
            format!(r#"{{"schema":"2.0",{header},{event},"type":"url_verification"}}"#),
            // A field before `schema`, or `event` before `header`.
            format!(r#"{{"token":"t","schema":"2.0",{header},{event}}}"#),
            format!(r#"{{"schema":"2.0",{event},{header}}}"#),
        ] {
            assert!(decode(body.as_bytes()).is_none(), "{body}");
        }
    }
}
