//! The formats of `content` as received (message events, get and list
//! message APIs), where they differ from what is sent.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::post::PostBody;
use crate::Extra;

/// `text` as received: mentions appear as keys (`@_user_1`) that the
/// message's `mentions` resolve; style tags are dropped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedText {
    /// The text, with `@_user_N` mention keys.
    pub text: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `file` and `folder` as received: the key and the name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedFile {
    /// `file_key` (a folder's key cannot be downloaded through the API).
    pub file_key: String,
    /// `file_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `audio` as received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedAudio {
    /// `file_key`.
    pub file_key: String,
    /// `duration` in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `media` (video) as received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedMedia {
    /// `file_key`.
    pub file_key: String,
    /// `image_key` of the cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// `file_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `duration` in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `interactive` as received: by default a simplified card (title and
/// paragraphs of elements); the original card JSON when the get/list call
/// asked for it (`card_msg_content_type`), kept raw.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReceivedInteractive {
    /// The simplified form.
    Simplified(ReceivedCard),
    /// Card JSON (or any shape the simplified form does not fit), verbatim.
    Raw(Map<String, Value>),
}

impl Serialize for ReceivedInteractive {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ReceivedInteractive::Simplified(card) => card.serialize(serializer),
            ReceivedInteractive::Raw(map) => map.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ReceivedInteractive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::deserialize(deserializer)?;
        let card_json = ["schema", "header", "body", "config", "i18n_elements"]
            .iter()
            .any(|key| map.contains_key(*key));
        if !card_json {
            if let Ok(card) = serde_json::from_value(Value::Object(map.clone())) {
                return Ok(ReceivedInteractive::Simplified(card));
            }
        }
        Ok(ReceivedInteractive::Raw(map))
    }
}

/// The simplified card of a received `interactive` message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedCard {
    /// `title`: the card's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `elements`: paragraphs of elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<Vec<ReceivedCardElement>>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One element of a simplified card: its `tag` (`button`, `a`, `text`,
/// `at`, `hr`, `img`, `note`, `select_static`, `overflow`, `date_picker`,
/// ...) and the fields that tag carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedCardElement {
    /// `tag`: the kind of element.
    pub tag: String,
    /// `text` of `button`, `a`, `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `type` of a `button` (`primary`, `default`, `danger`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `href` of an `a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// `user_id` (mention key) of an `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `user_name` of an `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `image_key` of an `img`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// `options` of a `select_static` or `overflow`: the option texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// `placeholder` of a selector or picker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// `initial_date` of a `date_picker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_date: Option<String>,
    /// `elements` of a `note`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<ReceivedCardElement>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `hongbao` (red packet): only its text is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Hongbao {
    /// `text`, such as `[红包]`.
    pub text: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `share_calendar_event`, `calendar` and `general_calendar`: a calendar
/// event's card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct CalendarCard {
    /// `summary`: the event title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `start_time` in milliseconds since the epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// `end_time` in milliseconds since the epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `system` as received: a template and the values of its `{variables}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ReceivedSystem {
    /// `template`, such as `{from_user} invited {to_chatters} to this chat.`.
    pub template: String,
    /// `from_user`: the value of `{from_user}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user: Option<Vec<String>>,
    /// `to_chatters`: the value of `{to_chatters}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_chatters: Option<Vec<String>>,
    /// `divider_text`: the value of `{divider_text}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider_text: Option<super::system::DividerText>,
    /// Undocumented fields; other `{variables}` land here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ReceivedSystem {
    /// The template with `{from_user}`, `{to_chatters}` and the divider's
    /// `{divider_text}` filled in (lists joined by `, `); other variables
    /// are filled from string or string-list fields when present.
    pub fn render(&self) -> String {
        let mut out = self.template.clone();
        let join = |list: &Option<Vec<String>>| list.as_deref().unwrap_or(&[]).join(", ");
        out = out.replace("{from_user}", &join(&self.from_user));
        out = out.replace("{to_chatters}", &join(&self.to_chatters));
        if let Some(divider) = &self.divider_text {
            out = out.replace("{divider_text}", &divider.text);
        }
        for (key, value) in self.extra.iter() {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => continue,
            };
            out = out.replace(&format!("{{{key}}}"), &text);
        }
        out
    }
}

/// `location`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Location {
    /// `name` of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `longitude`, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<String>,
    /// `latitude`, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `video_chat`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct VideoChat {
    /// `topic` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// `start_time` in milliseconds since the epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `todo`: a task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Todo {
    /// `task_id` of the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `summary`: the task title as a received post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<PostBody>,
    /// `due_time` in milliseconds since the epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_time: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `vote`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Vote {
    /// `topic` of the vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// `options`: the choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `merge_forward`: a marker; fetch the message to read the forwarded ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct MergeForward {
    /// `content`: always `Merged and Forwarded Message`.
    pub content: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
