//! Cards in JSON 2.0 (`"schema": "2.0"`): a typed builder for what bots send
//! most, with raw JSON as the way out for anything else.
//!
//! A [`Card`] serializes to the JSON a `msg_type: interactive` message
//! carries. Only what is set is written: JSON 2.0 rejects properties it does
//! not support, so nothing is filled in on the caller's behalf.
//!
//! ```
//! use feishu_model::card::{Button, ButtonType, Card, Header, HeaderTemplate};
//! use serde_json::json;
//!
//! let card = Card::new()
//!     .header(Header::new("Deploy api v1.2?").template(HeaderTemplate::Orange))
//!     .markdown("**3** services change")
//!     .hr()
//!     .element(Button::new("Approve").kind(ButtonType::PrimaryFilled).callback(json!({"action": "approve"})));
//! let value = card.to_value().unwrap();
//! assert_eq!(value["schema"], "2.0");
//! assert_eq!(value["header"]["template"], "orange");
//! assert_eq!(value["body"]["elements"][2]["behaviors"][0]["type"], "callback");
//!
//! // Checked against the 30 KB limit of an interactive message:
//! let content = card.to_message().unwrap();
//! assert_eq!(content.msg_type(), feishu_model::im::msg_type::MsgType::Interactive);
//! ```

mod element;
mod form;
mod layout;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

pub use element::{Div, Element, Hr, Img, Markdown, TextAlign};
pub use form::{
    Behavior, Button, ButtonType, Confirm, Form, FormActionType, Input, InputType, SelectOption,
    SelectStatic,
};
pub use layout::{Column, ColumnSet, FlexMode};

use crate::im::content::{limit, Interactive, MessageContent};
use crate::im::msg_type::MsgType;
use crate::{Extra, Invalid};

crate::wire_enum! {
    /// `header.template`: the header's colour theme.
    pub enum HeaderTemplate {
        /// `blue`.
        Blue => "blue",
        /// `wathet`: light blue.
        Wathet => "wathet",
        /// `turquoise`.
        Turquoise => "turquoise",
        /// `green`.
        Green => "green",
        /// `yellow`.
        Yellow => "yellow",
        /// `orange`.
        Orange => "orange",
        /// `red`.
        Red => "red",
        /// `carmine`.
        Carmine => "carmine",
        /// `violet`.
        Violet => "violet",
        /// `purple`.
        Purple => "purple",
        /// `indigo`.
        Indigo => "indigo",
        /// `grey`.
        Grey => "grey",
        /// `default`: no colour.
        Default => "default",
    }
}

crate::wire_enum! {
    /// `tag` of a text object.
    pub enum TextTag {
        /// `plain_text`: shown as is.
        PlainText => "plain_text",
        /// `lark_md`: a Markdown subset.
        LarkMd => "lark_md",
    }
}

crate::wire_enum! {
    /// `config.width_mode`: the card's width.
    pub enum WidthMode {
        /// `default`: up to 600px.
        Default => "default",
        /// `compact`: 400px.
        Compact => "compact",
        /// `fill`: the chat window's width.
        Fill => "fill",
    }
}

/// A text object: `{"tag": "plain_text", "content": "..."}`, used for
/// titles, button texts, placeholders, labels and `div` texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardText {
    /// `tag`: how `content` is read.
    pub tag: TextTag,
    /// `content`: the text.
    pub content: String,
    /// `text_size` (in a `div`): `normal`, `heading`, `notation`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_size: Option<String>,
    /// `text_color` (in a `div`): `default`, a colour name or a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_color: Option<String>,
    /// `text_align` (in a `div`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_align: Option<TextAlign>,
    /// `lines` (in a `div`): the most lines shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u32>,
    /// Further properties, written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CardText {
    /// A `plain_text` text.
    pub fn plain(content: impl Into<String>) -> Self {
        Self::with_tag(TextTag::PlainText, content)
    }

    /// A `lark_md` text.
    pub fn lark_md(content: impl Into<String>) -> Self {
        Self::with_tag(TextTag::LarkMd, content)
    }

    fn with_tag(tag: TextTag, content: impl Into<String>) -> Self {
        CardText {
            tag,
            content: content.into(),
            text_size: None,
            text_color: None,
            text_align: None,
            lines: None,
            extra: Extra::new(),
        }
    }
}

impl From<&str> for CardText {
    fn from(content: &str) -> Self {
        CardText::plain(content)
    }
}

impl From<String> for CardText {
    fn from(content: String) -> Self {
        CardText::plain(content)
    }
}

/// `config`: the card's global behaviour.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CardConfig {
    /// `update_multi`: a shared card (JSON 2.0 supports only `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_multi: Option<bool>,
    /// `enable_forward`: whether the card can be forwarded (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_forward: Option<bool>,
    /// `width_mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width_mode: Option<WidthMode>,
    /// `streaming_mode`: the card is being updated in streaming fashion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streaming_mode: Option<bool>,
    /// `summary`: the text shown in the chat list (`{"content": "..."}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Map<String, Value>>,
    /// Further properties (`style`, `locales`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `header`: title, subtitle and colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// `title` (at most 4 lines).
    pub title: CardText,
    /// `subtitle` (1 line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<CardText>,
    /// `template`: the colour theme (`default` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<HeaderTemplate>,
    /// `padding`, such as `12px`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
    /// Further properties (`icon`, `text_tag_list`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Header {
    /// A header with a plain-text title.
    pub fn new(title: impl Into<CardText>) -> Self {
        Header {
            title: title.into(),
            subtitle: None,
            template: None,
            padding: None,
            extra: Extra::new(),
        }
    }

    /// Sets the subtitle.
    pub fn subtitle(mut self, subtitle: impl Into<CardText>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// Sets the colour theme.
    pub fn template(mut self, template: HeaderTemplate) -> Self {
        self.template = Some(template);
        self
    }
}

/// `body`: the card's components, top to bottom.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Body {
    /// `direction`: `vertical` (default) or `horizontal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// `padding`, such as `12px 12px 12px 12px`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
    /// `vertical_spacing` between components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical_spacing: Option<String>,
    /// `elements`: the components.
    pub elements: Vec<Element>,
    /// Further properties, written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A card in JSON 2.0.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    /// `config`.
    pub config: Option<CardConfig>,
    /// `header`.
    pub header: Option<Header>,
    /// `body`.
    pub body: Body,
    /// Further top-level properties (`card_link`...), written as given.
    pub extra: Extra,
}

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("schema", "2.0")?;
        if let Some(config) = &self.config {
            map.serialize_entry("config", config)?;
        }
        if let Some(header) = &self.header {
            map.serialize_entry("header", header)?;
        }
        map.serialize_entry("body", &self.body)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Card {
    /// An empty card.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the header.
    pub fn header(mut self, header: Header) -> Self {
        self.header = Some(header);
        self
    }

    /// Sets the config.
    pub fn config(mut self, config: CardConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// Appends a component.
    pub fn element(mut self, element: impl Into<Element>) -> Self {
        self.body.elements.push(element.into());
        self
    }

    /// Appends a `markdown` component.
    pub fn markdown(self, content: impl Into<String>) -> Self {
        self.element(Markdown::new(content))
    }

    /// Appends a `div` with plain text.
    pub fn text(self, content: impl Into<String>) -> Self {
        self.element(Div::new(content))
    }

    /// Appends an `hr` divider.
    pub fn hr(self) -> Self {
        self.element(Hr::default())
    }

    /// The card JSON.
    pub fn to_value(&self) -> Result<Value, Invalid> {
        serde_json::to_value(self).map_err(|e| Invalid::new("card", e.to_string()))
    }

    /// The card as `interactive` content, checked against the 30 KB limit.
    pub fn to_message(&self) -> Result<MessageContent, Invalid> {
        let Value::Object(map) = self.to_value()? else {
            return Err(Invalid::new("card", "does not serialize to a JSON object"));
        };
        let content = MessageContent::Interactive(Interactive::Json(map));
        let text = content.to_content_string()?;
        limit::check_content_size(&MsgType::Interactive, &text)?;
        Ok(content)
    }
}

/// A card as `interactive` content, for the calls that take
/// `impl Into<MessageContent>`; the size check runs when the call is sent.
///
/// ```
/// use feishu_model::card::Card;
/// use feishu_model::im::content::MessageContent;
///
/// let content = MessageContent::from(Card::new().markdown("**done**"));
/// assert_eq!(content.msg_type().as_str(), "interactive");
/// let json: serde_json::Value = serde_json::from_str(&content.to_checked_content().unwrap()).unwrap();
/// assert_eq!(json["schema"], "2.0");
/// assert_eq!(json["body"]["elements"][0]["content"], "**done**");
/// ```
impl From<Card> for MessageContent {
    fn from(card: Card) -> Self {
        match serde_json::to_value(&card) {
            Ok(Value::Object(map)) => MessageContent::Interactive(Interactive::Json(map)),
            // A card always serializes to an object with text keys; were it
            // ever not to, the empty content is refused before sending.
            _ => MessageContent::Other {
                msg_type: MsgType::Interactive,
                content: String::new(),
            },
        }
    }
}
