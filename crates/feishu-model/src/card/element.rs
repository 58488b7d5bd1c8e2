//! The display components of a card: `markdown`, `div`, `hr`, `img`, and
//! the [`Element`] every component is one of.

use serde::Serialize;
use serde_json::Value;

use super::form::{Button, Form, Input, SelectStatic};
use super::layout::ColumnSet;
use super::CardText;
use crate::Extra;

crate::wire_enum! {
    /// `text_align`: horizontal alignment of text.
    pub enum TextAlign {
        /// `left`.
        Left => "left",
        /// `center`.
        Center => "center",
        /// `right`.
        Right => "right",
    }
}

/// One component of a card body, a column or a form, by its `tag`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "tag")]
#[non_exhaustive]
pub enum Element {
    /// `markdown`.
    #[serde(rename = "markdown")]
    Markdown(Markdown),
    /// `div`: plain text.
    #[serde(rename = "div")]
    Div(Div),
    /// `hr`: a divider.
    #[serde(rename = "hr")]
    Hr(Hr),
    /// `img`: an image.
    #[serde(rename = "img")]
    Img(Img),
    /// `column_set`: columns side by side.
    #[serde(rename = "column_set")]
    ColumnSet(ColumnSet),
    /// `button`.
    #[serde(rename = "button")]
    Button(Button),
    /// `form`: a form container (only at the body's top level).
    #[serde(rename = "form")]
    Form(Form),
    /// `input`: a text input.
    #[serde(rename = "input")]
    Input(Input),
    /// `select_static`: a single-choice drop-down.
    #[serde(rename = "select_static")]
    SelectStatic(SelectStatic),
    /// Any component as raw JSON (its `tag` included), written as given.
    #[serde(untagged)]
    Raw(Value),
}

macro_rules! element_from {
    ($($ty:ident),+) => {$(
        impl From<$ty> for Element {
            fn from(value: $ty) -> Self {
                Element::$ty(value)
            }
        }
    )+};
}

element_from!(
    Markdown,
    Div,
    Hr,
    Img,
    ColumnSet,
    Button,
    Form,
    Input,
    SelectStatic
);

impl From<Value> for Element {
    fn from(value: Value) -> Self {
        Element::Raw(value)
    }
}

/// `markdown`: rich text in the card Markdown syntax.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Markdown {
    /// `element_id`: the component's id for the update APIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `content`: the Markdown.
    pub content: String,
    /// `text_align`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_align: Option<TextAlign>,
    /// `text_size`: `normal`, `heading`, a `config.style` token...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_size: Option<String>,
    /// `margin`, such as `0px 0px 8px 0px`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`icon`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Markdown {
    /// A `markdown` component.
    pub fn new(content: impl Into<String>) -> Self {
        Markdown {
            content: content.into(),
            ..Default::default()
        }
    }

    /// Sets `text_align`.
    pub fn align(mut self, align: TextAlign) -> Self {
        self.text_align = Some(align);
        self
    }
}

/// `div`: a text component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Div {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `text`: the text, with its size, colour, alignment and line limit.
    pub text: CardText,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`icon`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Div {
    /// A `div` with plain text.
    pub fn new(content: impl Into<String>) -> Self {
        Div {
            element_id: None,
            text: CardText::plain(content),
            margin: None,
            extra: Extra::new(),
        }
    }
}

/// `hr`: a divider line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Hr {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties, written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `img`: an uploaded image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Img {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `img_key`: the `image_key` of an uploaded image.
    pub img_key: String,
    /// `alt`: the text shown on hover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<CardText>,
    /// `title`: a caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<CardText>,
    /// `scale_type`: `crop_center`, `fit_horizontal` or `crop_top`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_type: Option<String>,
    /// `size`: `large`, `medium`, `small`, `tiny`, `stretch`... or `WxH px`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `preview`: whether a click opens the image (default `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<bool>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`corner_radius`, `transparent`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Img {
    /// An `img` with a plain-text `alt`.
    pub fn new(img_key: impl Into<String>, alt: impl Into<CardText>) -> Self {
        Img {
            img_key: img_key.into(),
            alt: Some(alt.into()),
            ..Default::default()
        }
    }
}
