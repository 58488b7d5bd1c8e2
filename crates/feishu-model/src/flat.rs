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

use serde::ser::{self, Impossible, Serialize};

use crate::Invalid;

/// One field's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    /// `null`: absent.
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A list; an item that is not a scalar is `None`.
    List(Vec<Option<String>>),
    /// An object.
    Compound,
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

/// A struct's fields, sorted by name.
pub(crate) type Fields = Vec<(Cow<'static, str>, Field)>;

/// The fields of `value`, which must serialize to an object (or null: no
/// fields). `part` names the value in an error.
pub(crate) fn fields<T: Serialize + ?Sized>(part: &str, value: &T) -> Result<Fields, Invalid> {
    let mut out = value.serialize(Top).map_err(|e| Invalid::new(part, e.0))?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
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

fn not_an_object(what: &str) -> Error {
    Error(format!("must serialize to an object, got {what}"))
}

/// Adds a field, replacing one of the same name.
fn put(fields: &mut Fields, name: Cow<'static, str>, value: Field) {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => fields.push((name, value)),
    }
}

/// The top level: an object (struct or map) or null.
struct Top;

/// Serializes a top-level value that is not an object: its kind, for the
/// error.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) => $what:literal;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Error> {
            Err(not_an_object($what))
        })*
    };
}

impl ser::Serializer for Top {
    type Ok = Fields;
    type Error = Error;
    type SerializeSeq = Impossible<Fields, Error>;
    type SerializeTuple = Impossible<Fields, Error>;
    type SerializeTupleStruct = Impossible<Fields, Error>;
    type SerializeTupleVariant = Impossible<Fields, Error>;
    type SerializeMap = ObjectFields;
    type SerializeStruct = ObjectFields;
    type SerializeStructVariant = Impossible<Fields, Error>;

    refuse! {
        serialize_bool(bool) => "a boolean";
        serialize_i8(i8) => "a number";
        serialize_i16(i16) => "a number";
        serialize_i32(i32) => "a number";
        serialize_i64(i64) => "a number";
        serialize_u8(u8) => "a number";
        serialize_u16(u16) => "a number";
        serialize_u32(u32) => "a number";
        serialize_u64(u64) => "a number";
        serialize_char(char) => "a string";
        serialize_str(&str) => "a string";
        serialize_bytes(&[u8]) => "a list";
        serialize_unit_variant(&'static str, u32, &'static str) => "a string";
    }

    fn serialize_f32(self, v: f32) -> Result<Fields, Error> {
        self.serialize_f64(f64::from(v))
    }

    /// A non-finite float is null in JSON: no fields.
    fn serialize_f64(self, v: f64) -> Result<Fields, Error> {
        if v.is_finite() {
            Err(not_an_object("a number"))
        } else {
            Ok(Fields::new())
        }
    }

    fn serialize_none(self) -> Result<Fields, Error> {
        Ok(Fields::new())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Fields, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Fields, Error> {
        Ok(Fields::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Fields, Error> {
        Ok(Fields::new())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Fields, Error> {
        value.serialize(self)
    }

    /// `{"Variant": value}` in JSON: one field.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Fields, Error> {
        Ok(vec![(Cow::Borrowed(variant), value.serialize(Value)?)])
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_an_object("a list"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_an_object("a list"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_an_object("a list"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_an_object("an enum variant"))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<ObjectFields, Error> {
        Ok(ObjectFields::new(len))
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<ObjectFields, Error> {
        Ok(ObjectFields::new(Some(len)))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_an_object("an enum variant"))
    }
}

/// The fields of a struct, or of a map (a struct with a flattened part
/// serializes as one).
struct ObjectFields {
    fields: Fields,
    key: Option<String>,
}

impl ObjectFields {
    fn new(len: Option<usize>) -> Self {
        ObjectFields {
            fields: Fields::with_capacity(len.unwrap_or(4)),
            key: None,
        }
    }
}

impl ser::SerializeStruct for ObjectFields {
    type Ok = Fields;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = value.serialize(Value)?;
        put(&mut self.fields, Cow::Borrowed(key), value);
        Ok(())
    }

    fn end(self) -> Result<Fields, Error> {
        Ok(self.fields)
    }
}

impl ser::SerializeMap for ObjectFields {
    type Ok = Fields;
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

    fn end(self) -> Result<Fields, Error> {
        Ok(self.fields)
    }
}

/// A field's value.
struct Value;

fn scalar(text: impl ToString) -> Result<Field, Error> {
    Ok(Field::Scalar(text.to_string()))
}

/// A float as serde_json writes it; a non-finite one is null.
fn float(v: f64) -> Result<Field, Error> {
    Ok(serde_json::Number::from_f64(v).map_or(Field::Null, |n| Field::Scalar(n.to_string())))
}

impl ser::Serializer for Value {
    type Ok = Field;
    type Error = Error;
    type SerializeSeq = ListItems;
    type SerializeTuple = ListItems;
    type SerializeTupleStruct = ListItems;
    type SerializeTupleVariant = Compound;
    type SerializeMap = Compound;
    type SerializeStruct = Compound;
    type SerializeStructVariant = Compound;

    fn serialize_bool(self, v: bool) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Field, Error> {
        scalar(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Field, Error> {
        float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Field, Error> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<Field, Error> {
        scalar(v)
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
        variant: &'static str,
    ) -> Result<Field, Error> {
        Ok(Field::Scalar(variant.to_owned()))
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
        _: &'static str,
        value: &T,
    ) -> Result<Field, Error> {
        value.serialize(Value).map(|_| Field::Compound)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListItems, Error> {
        Ok(ListItems(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<ListItems, Error> {
        Ok(ListItems(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<ListItems, Error> {
        Ok(ListItems(Vec::with_capacity(len)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound, Error> {
        Ok(Compound)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound, Error> {
        Ok(Compound)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound, Error> {
        Ok(Compound)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound, Error> {
        Ok(Compound)
    }
}

/// The items of a list.
struct ListItems(Vec<Option<String>>);

impl ListItems {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = match value.serialize(Value)? {
            Field::Scalar(text) => Some(text),
            _ => None,
        };
        self.0.push(item);
        Ok(())
    }
}

impl ser::SerializeSeq for ListItems {
    type Ok = Field;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::List(self.0))
    }
}

impl ser::SerializeTuple for ListItems {
    type Ok = Field;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::List(self.0))
    }
}

impl ser::SerializeTupleStruct for ListItems {
    type Ok = Field;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::List(self.0))
    }
}

/// An object or an enum's data: not a scalar. Its parts are still
/// serialized, so that their own errors surface as they would in JSON.
struct Compound;

impl ser::SerializeTupleVariant for Compound {
    type Ok = Field;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Value).map(drop)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::Compound)
    }
}

impl ser::SerializeMap for Compound {
    type Ok = Field;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(Value).map(drop)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Value).map(drop)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::Compound)
    }
}

impl ser::SerializeStruct for Compound {
    type Ok = Field;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(Value).map(drop)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::Compound)
    }
}

impl ser::SerializeStructVariant for Compound {
    type Ok = Field;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(Value).map(drop)
    }
    fn end(self) -> Result<Field, Error> {
        Ok(Field::Compound)
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
            Json::Object(_) => Field::Compound,
        };
        Ok(object
            .iter()
            .map(|(k, v)| (Cow::Owned(k.clone()), field(v)))
            .collect())
    }

    fn same_as_json<T: Serialize>(value: &T) {
        let direct = fields("part", value).map_err(|e| e.rule);
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
        #[allow(dead_code)]
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
