//! The path and query parameters of a request as `(name, value)` fields,
//! serialized directly from their structs rather than through a
//! `serde_json::Value` tree (a map node and a string per field, built and
//! dropped on every call).
//!
//! The fields come out as the JSON object would have them: sorted by name, a
//! later duplicate replacing an earlier one, `None` and unit as null, enums'
//! unit variants as their names, numbers as serde_json writes them.

use std::borrow::Cow;
use std::fmt::Display;

use serde::ser::{self, Serialize};

use crate::Invalid;

/// One value, as JSON would hold it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    /// `null`: absent.
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A list; an item that is not a scalar is `None`.
    List(Vec<Option<String>>),
    /// An object, with its fields in the order they were written.
    Object(Fields),
}

impl Field {
    /// The text of a scalar.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match self {
            Field::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// An object's fields.
pub(crate) type Fields = Vec<(Cow<'static, str>, Field)>;

/// The fields of `value`, sorted by name; it must serialize to an object (or
/// null: no fields). `part` names the value in an error.
pub(crate) fn fields<T: Serialize + ?Sized>(part: &str, value: &T) -> Result<Fields, Invalid> {
    let mut fields = match value
        .serialize(Value)
        .map_err(|e| Invalid::bad_format(part, e.0))?
    {
        Field::Object(fields) => fields,
        Field::Null => Fields::new(),
        Field::Scalar(text) => return Err(not_an_object(part, &format!("`{text}`"))),
        Field::List(_) => return Err(not_an_object(part, "a list")),
    };
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(fields)
}

fn not_an_object(part: &str, got: &str) -> Invalid {
    Invalid::bad_format(part, format!("must serialize to an object, got {got}"))
}

/// A serialization failure: its message.
#[derive(Debug)]
pub(crate) struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Adds a field, replacing one of the same name.
fn put(fields: &mut Fields, name: Cow<'static, str>, value: Field) {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => fields.push((name, value)),
    }
}

/// The serializer: any value, as a [`Field`].
struct Value;

fn scalar(text: impl ToString) -> Result<Field, Error> {
    Ok(Field::Scalar(text.to_string()))
}

/// A float as serde_json writes it; a non-finite one is null.
fn float(v: f64) -> Result<Field, Error> {
    Ok(serde_json::Number::from_f64(v).map_or(Field::Null, |n| Field::Scalar(n.to_string())))
}

/// `{"variant": value}`: how JSON writes an enum variant with data.
fn variant(name: &'static str, value: Field) -> Field {
    Field::Object(vec![(Cow::Borrowed(name), value)])
}

/// `value`, inside its enum variant when it is a variant's data.
fn tagged(name: Option<&'static str>, value: Field) -> Field {
    match name {
        Some(name) => variant(name, value),
        None => value,
    }
}

/// Scalar methods: each writes its value as text.
macro_rules! scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<Field, Error> {
            scalar(v)
        })*
    };
}

impl ser::Serializer for Value {
    type Ok = Field;
    type Error = Error;
    type SerializeSeq = ListItems;
    type SerializeTuple = ListItems;
    type SerializeTupleStruct = ListItems;
    type SerializeTupleVariant = ListItems;
    type SerializeMap = ObjectFields;
    type SerializeStruct = ObjectFields;
    type SerializeStructVariant = ObjectFields;

    scalars! {
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_char(char),
    }
    fn serialize_f32(self, v: f32) -> Result<Field, Error> {
        float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Field, Error> {
        float(v)
    }
    fn serialize_str(self, v: &str) -> Result<Field, Error> {
        Ok(Field::Scalar(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Field, Error> {
        Ok(Field::List(v.iter().map(|b| Some(b.to_string())).collect()))
    }
    fn serialize_none(self) -> Result<Field, Error> {
        Ok(Field::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Field, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Field, Error> {
        Ok(Field::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Field, Error> {
        Ok(Field::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
    ) -> Result<Field, Error> {
        Ok(Field::Scalar(name.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Field, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Field, Error> {
        Ok(variant(name, value.serialize(Value)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListItems, Error> {
        Ok(ListItems::new(None, len.unwrap_or(0)))
    }
    fn serialize_tuple(self, len: usize) -> Result<ListItems, Error> {
        Ok(ListItems::new(None, len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<ListItems, Error> {
        Ok(ListItems::new(None, len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<ListItems, Error> {
        Ok(ListItems::new(Some(name), len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<ObjectFields, Error> {
        Ok(ObjectFields::new(None, len.unwrap_or(4)))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<ObjectFields, Error> {
        Ok(ObjectFields::new(None, len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        len: usize,
    ) -> Result<ObjectFields, Error> {
        Ok(ObjectFields::new(Some(name), len))
    }
}

/// The items of a list (of an enum variant's data, when `variant` is set).
struct ListItems {
    variant: Option<&'static str>,
    items: Vec<Option<String>>,
}

impl ListItems {
    fn new(variant: Option<&'static str>, len: usize) -> Self {
        ListItems {
            variant,
            items: Vec::with_capacity(len),
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = match value.serialize(Value)? {
            Field::Scalar(text) => Some(text),
            _ => None,
        };
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<Field, Error> {
        Ok(tagged(self.variant, Field::List(self.items)))
    }
}

/// The list traits: every item is pushed the same way.
macro_rules! list {
    ($($kind:ident::$method:ident),*) => {$(
        impl ser::$kind for ListItems {
            type Ok = Field;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Field, Error> {
                self.finish()
            }
        }
    )*};
}

list!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The fields of a struct or a map (a struct with a flattened part
/// serializes as one), or of an enum variant's data when `variant` is set.
struct ObjectFields {
    variant: Option<&'static str>,
    fields: Fields,
    key: Option<String>,
}

impl ObjectFields {
    fn new(variant: Option<&'static str>, len: usize) -> Self {
        ObjectFields {
            variant,
            fields: Fields::with_capacity(len),
            key: None,
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let value = value.serialize(Value)?;
        put(&mut self.fields, Cow::Borrowed(key), value);
        Ok(())
    }

    fn finish(self) -> Result<Field, Error> {
        Ok(tagged(self.variant, Field::Object(self.fields)))
    }
}

/// The struct-like traits: every field is added the same way.
macro_rules! object {
    ($($kind:ident),*) => {$(
        impl ser::$kind for ObjectFields {
            type Ok = Field;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<Field, Error> {
                self.finish()
            }
        }
    )*};
}

object!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for ObjectFields {
    type Ok = Field;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match key.serialize(Value)? {
            Field::Scalar(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(Error("an object key must be a string".into())),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a value without a key".into()))?;
        let value = value.serialize(Value)?;
        put(&mut self.fields, Cow::Owned(key), value);
        Ok(())
    }

    fn end(self) -> Result<Field, Error> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::{json, Value as Json};

    /// What the fields were when read from the value's JSON object.
    fn through_json<T: Serialize>(value: &T) -> Result<Fields, String> {
        let object = match serde_json::to_value(value).map_err(|e| e.to_string())? {
            Json::Object(map) => map,
            Json::Null => Default::default(),
            other => return Err(format!("must serialize to an object, got {other}")),
        };
        let field = |v: &Json| match v {
            Json::Null => Field::Null,
            Json::String(s) => Field::Scalar(s.clone()),
            Json::Number(n) => Field::Scalar(n.to_string()),
            Json::Bool(b) => Field::Scalar(b.to_string()),
            Json::Array(items) => Field::List(
                items
                    .iter()
                    .map(|i| match i {
                        Json::String(s) => Some(s.clone()),
                        Json::Number(n) => Some(n.to_string()),
                        Json::Bool(b) => Some(b.to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
            Json::Object(_) => Field::Object(Vec::new()),
        };
        Ok(object
            .iter()
            .map(|(k, v)| (Cow::Owned(k.clone()), field(v)))
            .collect())
    }

    /// An object's own fields are not compared: only that it is one.
    fn shallow(fields: Fields) -> Fields {
        fields
            .into_iter()
            .map(|(k, v)| match v {
                Field::Object(_) => (k, Field::Object(Vec::new())),
                v => (k, v),
            })
            .collect()
    }

    fn same_as_json<T: Serialize>(value: &T) {
        let direct = fields("part", value).map(shallow).map_err(|e| e.rule);
        let json = through_json(value);
        match (&direct, &json) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", serde_json::to_string(value).unwrap()),
            (Err(_), Err(_)) => {}
            _ => panic!("direct {direct:?} but through JSON {json:?}"),
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        OpenId,
        Named(String),
    }

    #[derive(Serialize)]
    struct Page {
        #[serde(skip_serializing_if = "Option::is_none")]
        page_size: Option<u32>,
        page_token: Option<String>,
    }

    #[derive(Serialize)]
    struct Query {
        zeta: bool,
        kind: Kind,
        #[serde(flatten)]
        page: Page,
        ids: Vec<String>,
        ratio: f64,
        nested: Option<Page>,
        mixed: Vec<Json>,
        negative: i64,
    }

    #[derive(Serialize)]
    struct Id(String);

    #[derive(Serialize)]
    struct Path {
        chat_id: Id,
        message_id: &'static str,
    }

    #[test]
    fn fields_are_what_the_json_object_holds() {
        same_as_json(&Path {
            chat_id: Id("oc_1".into()),
            message_id: "om_2",
        });
        same_as_json(&Query {
            zeta: true,
            kind: Kind::OpenId,
            page: Page {
                page_size: Some(100),
                page_token: None,
            },
            ids: vec!["ou_1".into(), "ou_2".into()],
            ratio: 0.5,
            nested: Some(Page {
                page_size: None,
                page_token: Some("t".into()),
            }),
            mixed: vec![json!(1), json!(null), json!({"a": 1}), json!("x")],
            negative: -7,
        });
        same_as_json(&());
        same_as_json(&None::<Path>);
        same_as_json(&json!({"b": 1, "a": [true, 2.5], "c": {"d": null}}));
        same_as_json(&std::collections::BTreeMap::from([
            (3, "three"),
            (1, "one"),
        ]));
        same_as_json(&f64::NAN);
        same_as_json(&Kind::Named("x".into()));
        same_as_json(&Shape::Pair(1, 2));
        same_as_json(&Shape::Sized { w: 3 });
        same_as_json(&json!({"shapes": [Shape::Pair(1, 2)], "kind": Kind::Named("y".into())}));
    }

    #[derive(Serialize)]
    enum Shape {
        Pair(u8, u8),
        Sized { w: u8 },
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused() {
        for refused in [
            fields("path", &"oc_1"),
            fields("path", &[1, 2]),
            fields("path", &7u8),
        ] {
            let e = refused.unwrap_err();
            assert_eq!(e.field, "path");
            assert!(e.rule.starts_with("must serialize to an object"), "{e}");
        }
    }

    #[test]
    fn fields_come_sorted_by_name() {
        let names: Vec<_> = fields("q", &json!({"page_size": 1, "member_id_type": "open_id"}))
            .unwrap()
            .into_iter()
            .map(|(n, _)| n.into_owned())
            .collect();
        assert_eq!(names, ["member_id_type", "page_size"]);
    }
}
