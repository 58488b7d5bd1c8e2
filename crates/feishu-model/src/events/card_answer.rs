//! [`CardAnswer`]: the answer to a card action callback — a toast, a new
//! card (card JSON or a template), both, or nothing (`{}`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Invalid;

crate::wire_enum! {
    /// `toast.type`: how the client shows the toast.
    pub enum ToastKind {
        /// `info`.
        Info => "info",
        /// `success`.
        Success => "success",
        /// `error`.
        Error => "error",
        /// `warning`.
        Warning => "warning",
    }
}

/// `toast`: a short message the client pops up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Toast {
    /// The kind (`type`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ToastKind>,
    /// The text, in one language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The text per language (`zh_cn`, `en_us`, `ja_jp`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n: Option<BTreeMap<String, String>>,
}

impl Toast {
    /// A toast of `kind` with `content`.
    pub fn new(kind: ToastKind, content: impl Into<String>) -> Self {
        Toast {
            kind: Some(kind),
            content: Some(content.into()),
            i18n: None,
        }
    }

    /// Adds the text for `language` (`zh_cn`, `en_us`, ...).
    pub fn i18n(mut self, language: impl Into<String>, text: impl Into<String>) -> Self {
        self.i18n
            .get_or_insert_with(BTreeMap::new)
            .insert(language.into(), text.into());
        self
    }
}

/// A card template reference: `card.data` when `card.type` is `template`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateCard {
    /// The template id (`AAqigYkzabcef`).
    pub template_id: String,
    /// The published version (`1.0.0`); the latest when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_name: Option<String>,
    /// The values of the template's variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_variable: Option<Map<String, Value>>,
}

impl TemplateCard {
    /// The template `template_id`, latest version, no variables.
    pub fn new(template_id: impl Into<String>) -> Self {
        TemplateCard {
            template_id: template_id.into(),
            ..TemplateCard::default()
        }
    }

    /// The version to use.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.template_version_name = Some(version.into());
        self
    }

    /// Sets the variable `name`.
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.template_variable
            .get_or_insert_with(Map::new)
            .insert(name.into(), value.into());
        self
    }
}

/// `card`: the card that replaces the one acted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CardUpdate {
    /// `raw`: card JSON (the same structure version as the card sent).
    Raw(Map<String, Value>),
    /// `template`: a card built with the card builder tool.
    Template(TemplateCard),
}

/// The answer to a `card.action.trigger` callback: an optional toast and an
/// optional new card, serialized as the platform documents
/// (`{"toast": {...}, "card": {"type": "raw" | "template", "data": {...}}}`);
/// with neither, `{}` (the card stays as it is).
///
/// ```
/// use feishu_model::card::Card;
/// use feishu_model::events::{CardAnswer, TemplateCard, ToastKind};
/// use serde_json::json;
///
/// let answer = CardAnswer::toast(ToastKind::Success, "Acknowledged");
/// assert_eq!(answer.to_value(), json!({"toast": {"type": "success", "content": "Acknowledged"}}));
///
/// let answer = CardAnswer::info("Updated")
///     .card(&Card::new().markdown("**INC-7** acknowledged"))
///     .unwrap();
/// assert_eq!(answer.to_value()["card"]["type"], "raw");
/// assert_eq!(answer.to_value()["card"]["data"]["schema"], "2.0");
///
/// let answer = CardAnswer::empty().template(TemplateCard::new("AAqi6xJ8rabcd").version("1.0.0"));
/// assert_eq!(
///     answer.to_value(),
///     json!({"card": {"type": "template", "data": {"template_id": "AAqi6xJ8rabcd",
///                                                  "template_version_name": "1.0.0"}}})
/// );
/// assert_eq!(CardAnswer::empty().to_value(), json!({}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CardAnswer {
    /// The toast to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toast: Option<Toast>,
    /// The card that replaces the one acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardUpdate>,
}

impl CardAnswer {
    /// `{}`: no toast, the card stays as it is (answer this first, then
    /// update the card late with the callback's token).
    pub fn empty() -> Self {
        CardAnswer::default()
    }

    /// A toast of `kind` with `content`.
    pub fn toast(kind: ToastKind, content: impl Into<String>) -> Self {
        CardAnswer::with_toast(Toast::new(kind, content))
    }

    /// The toast given (for one with `i18n` texts).
    pub fn with_toast(toast: Toast) -> Self {
        CardAnswer {
            toast: Some(toast),
            card: None,
        }
    }

    /// An `info` toast.
    pub fn info(content: impl Into<String>) -> Self {
        CardAnswer::toast(ToastKind::Info, content)
    }

    /// A `success` toast.
    pub fn success(content: impl Into<String>) -> Self {
        CardAnswer::toast(ToastKind::Success, content)
    }

    /// A `warning` toast.
    pub fn warning(content: impl Into<String>) -> Self {
        CardAnswer::toast(ToastKind::Warning, content)
    }

    /// An `error` toast.
    pub fn error(content: impl Into<String>) -> Self {
        CardAnswer::toast(ToastKind::Error, content)
    }

    /// Replaces the card with card JSON: a [`crate::card::Card`], a
    /// `serde_json::Value`, or anything that serializes to a JSON object.
    /// Anything else is refused, naming `card`.
    pub fn card<C: Serialize + ?Sized>(mut self, card: &C) -> Result<Self, Invalid> {
        match serde_json::to_value(card) {
            Ok(Value::Object(map)) => {
                self.card = Some(CardUpdate::Raw(map));
                Ok(self)
            }
            Ok(other) => Err(Invalid::new(
                "card",
                format!(
                    "must be a JSON object, got {}",
                    crate::wire::json_type(&other)
                ),
            )),
            Err(e) => Err(Invalid::new("card", e.to_string())),
        }
    }

    /// Replaces the card with a template card.
    pub fn template(mut self, template: TemplateCard) -> Self {
        self.card = Some(CardUpdate::Template(template));
        self
    }

    /// The answer's JSON, as the platform expects it.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        if let Some(toast) = &self.toast {
            map.insert("toast".to_owned(), toast_value(toast));
        }
        if let Some(card) = &self.card {
            let (kind, data) = match card {
                CardUpdate::Raw(map) => ("raw", Value::Object(map.clone())),
                CardUpdate::Template(t) => ("template", template_value(t)),
            };
            let mut update = Map::new();
            update.insert("type".to_owned(), Value::String(kind.to_owned()));
            update.insert("data".to_owned(), data);
            map.insert("card".to_owned(), Value::Object(update));
        }
        Value::Object(map)
    }
}

/// The toast's JSON (built by hand: it cannot fail).
fn toast_value(toast: &Toast) -> Value {
    let mut map = Map::new();
    if let Some(kind) = &toast.kind {
        map.insert("type".to_owned(), Value::String(kind.as_str().to_owned()));
    }
    if let Some(content) = &toast.content {
        map.insert("content".to_owned(), Value::String(content.clone()));
    }
    if let Some(i18n) = &toast.i18n {
        let texts = i18n
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        map.insert("i18n".to_owned(), Value::Object(texts));
    }
    Value::Object(map)
}

/// The template reference's JSON (built by hand: it cannot fail).
fn template_value(template: &TemplateCard) -> Value {
    let mut map = Map::new();
    map.insert(
        "template_id".to_owned(),
        Value::String(template.template_id.clone()),
    );
    if let Some(version) = &template.template_version_name {
        map.insert(
            "template_version_name".to_owned(),
            Value::String(version.clone()),
        );
    }
    if let Some(variables) = &template.template_variable {
        map.insert(
            "template_variable".to_owned(),
            Value::Object(variables.clone()),
        );
    }
    Value::Object(map)
}

impl From<CardAnswer> for Value {
    fn from(answer: CardAnswer) -> Value {
        answer.to_value()
    }
}

impl From<Toast> for CardAnswer {
    fn from(toast: Toast) -> CardAnswer {
        CardAnswer::with_toast(toast)
    }
}
