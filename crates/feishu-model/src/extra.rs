//! Undocumented fields survive a decode: every output struct keeps them here.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Fields the server sent that the documentation does not list, kept verbatim
/// so that nothing is silently dropped and re-serializing gives them back.
///
/// This is the one place a free-form JSON value appears in an output type: by
/// definition these fields have no documented shape.
///
/// Almost every decoded object has no such field, so an empty `Extra` is one
/// null pointer: it costs a struct 8 bytes and allocates nothing. Two values
/// are equal when they hold the same fields.
///
/// ```
/// use feishu_model::Extra;
/// use serde_json::json;
///
/// let mut extra = Extra::default();
/// assert!(extra.is_empty());
/// extra.insert("added_later".into(), json!(1));
/// assert_eq!(extra.get("added_later"), Some(&json!(1)));
/// assert_eq!(extra.iter().count(), 1);
/// ```
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// An empty set of fields; allocates nothing.
    pub const fn new() -> Self {
        Self(None)
    }

    /// Whether no undocumented field was present.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().map_or(true, |m| m.is_empty())
    }

    /// Number of undocumented fields.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len())
    }

    /// An undocumented field by name.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// An undocumented field by name, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.as_mut()?.get_mut(key)
    }

    /// Adds or replaces a field; returns the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0.get_or_insert_with(Box::default).insert(key, value)
    }

    /// Takes a field out.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.as_mut()?.remove(key)
    }

    /// The fields, in the map's order.
    pub fn iter(&self) -> ExtraIter<'_> {
        self.0.as_deref().map(Map::iter).into_iter().flatten()
    }

    /// The fields as a JSON object (empty when there are none).
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map_or_else(Map::new, |m| *m)
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        if map.is_empty() {
            Self(None)
        } else {
            Self(Some(Box::new(map)))
        }
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.into_map()
    }
}

impl Extend<(String, Value)> for Extra {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        let mut iter = iter.into_iter().peekable();
        if iter.peek().is_some() {
            self.0.get_or_insert_with(Box::default).extend(iter);
        }
    }
}

impl IntoIterator for Extra {
    type Item = (String, Value);
    type IntoIter = std::iter::Flatten<std::option::IntoIter<serde_json::map::IntoIter>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|m| m.into_iter()).into_iter().flatten()
    }
}

/// An iterator over the fields of an [`Extra`].
pub type ExtraIter<'a> = std::iter::Flatten<std::option::IntoIter<serde_json::map::Iter<'a>>>;

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = ExtraIter<'a>;

    fn into_iter(self) -> ExtraIter<'a> {
        self.iter()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => a == b,
            (Some(m), None) | (None, Some(m)) => m.is_empty(),
            (None, None) => true,
        }
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(m) => f.debug_tuple("Extra").field(m).finish(),
            None => f.write_str("Extra({})"),
        }
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Self::from)
    }
}

/// The output of an endpoint whose documented `data` is empty or absent.
/// Any field the server does send is kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Empty {
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_extra_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Extra>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn equality_ignores_whether_an_empty_map_was_allocated() {
        let mut grown = Extra::from(Map::from_iter([("a".to_owned(), json!(1))]));
        assert_eq!(grown.remove("a"), Some(json!(1)));
        assert!(grown.is_empty());
        assert_eq!(grown, Extra::new());
        assert_ne!(
            Extra::from(Map::from_iter([("a".to_owned(), json!(1))])),
            Extra::new()
        );
    }

    #[test]
    fn fields_round_trip_through_json_and_iteration() {
        let extra: Extra = serde_json::from_value(json!({"x": [1, 2], "y": null})).unwrap();
        assert_eq!(extra.len(), 2);
        assert_eq!(
            serde_json::to_value(&extra).unwrap(),
            json!({"x": [1, 2], "y": null})
        );
        assert_eq!(serde_json::to_value(Extra::new()).unwrap(), json!({}));
        let keys: Vec<String> = extra.clone().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["x", "y"]);
        let borrowed: Vec<&Value> = (&extra).into_iter().map(|(_, v)| v).collect();
        assert_eq!(borrowed, [&json!([1, 2]), &Value::Null]);
        assert_eq!(format!("{:?}", Extra::new()), "Extra({})");
        assert_eq!(
            format!("{extra:?}"),
            r#"Extra({"x": Array [Number(1), Number(2)], "y": Null})"#
        );
        let mut sum = Extra::new();
        sum.extend(extra.clone());
        sum.extend(Extra::new());
        assert_eq!(sum, extra);
    }
}
