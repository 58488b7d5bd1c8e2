//! `interactive` content as sent: a card by entity id, by template, or as
//! card JSON.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::Extra;

/// The content of a sent `msg_type: interactive` message.
///
/// ```
/// use feishu_model::im::content::Interactive;
///
/// let by_template = Interactive::template("AAqigYkzabcef").version("1.0.0").variable("name", "Tom");
/// assert_eq!(
///     serde_json::to_value(&by_template).unwrap(),
///     serde_json::json!({"type": "template", "data": {
///         "template_id": "AAqigYkzabcef",
///         "template_version_name": "1.0.0",
///         "template_variable": {"name": "Tom"}
///     }})
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Interactive {
    /// `{"type": "card", "data": {"card_id": ...}}`: a card entity created
    /// beforehand (for partial and streaming updates).
    CardId(CardRef),
    /// `{"type": "template", "data": {...}}`: a card built in the card
    /// builder tool, with variables.
    Template(TemplateCard),
    /// The card JSON itself (for example from [`crate::card::Card`]).
    Json(Map<String, Value>),
}

impl Interactive {
    /// A card entity by `card_id`.
    pub fn card_id(card_id: impl Into<String>) -> Self {
        Interactive::CardId(CardRef {
            card_id: card_id.into(),
            extra: Extra::new(),
        })
    }

    /// A template card by `template_id` (latest version, no variable yet).
    pub fn template(template_id: impl Into<String>) -> Self {
        Interactive::Template(TemplateCard {
            template_id: template_id.into(),
            ..Default::default()
        })
    }

    /// Sets `template_version_name` of a template card (no effect otherwise).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        if let Interactive::Template(t) = &mut self {
            t.template_version_name = Some(version.into());
        }
        self
    }

    /// Sets one `template_variable` of a template card (no effect otherwise).
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        if let Interactive::Template(t) = &mut self {
            t.template_variable
                .get_or_insert_with(Map::new)
                .insert(name.into(), value.into());
        }
        self
    }
}

/// `data` of a card sent by entity id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct CardRef {
    /// `card_id`: from the create-card-entity API.
    pub card_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `data` of a card sent by template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct TemplateCard {
    /// `template_id`: the template's id (`AAqigYkzabcef`).
    pub template_id: String,
    /// `template_version_name`: the published version; latest when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_name: Option<String>,
    /// `template_variable`: values of the template's variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_variable: Option<Map<String, Value>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The typed variant `value` decodes to, if its `type`/`data` envelope is one
/// this version knows and holds nothing else.
fn typed(map: &Map<String, Value>) -> Option<Interactive> {
    if map.len() != 2 {
        return None;
    }
    let data = map.get("data")?.clone();
    match map.get("type")?.as_str()? {
        "card" => serde_json::from_value(data).ok().map(Interactive::CardId),
        "template" => serde_json::from_value(data).ok().map(Interactive::Template),
        _ => None,
    }
}

impl Serialize for Interactive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn envelope<S: Serializer, T: Serialize>(
            serializer: S,
            kind: &str,
            data: &T,
        ) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(2))?;
            map.serialize_entry("type", kind)?;
            map.serialize_entry("data", data)?;
            map.end()
        }
        match self {
            Interactive::CardId(card) => envelope(serializer, "card", card),
            Interactive::Template(template) => envelope(serializer, "template", template),
            Interactive::Json(card) => card.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Interactive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::deserialize(deserializer)?;
        Ok(typed(&map).unwrap_or(Interactive::Json(map)))
    }
}
