//! `post` content: rich text, per language when sent, one language when
//! received.

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Extra;

crate::wire_enum! {
    /// A language key of a sent `post`.
    pub enum PostLocale {
        /// `zh_cn`: simplified Chinese.
        ZhCn => "zh_cn",
        /// `en_us`: English.
        EnUs => "en_us",
        /// `ja_jp`: Japanese.
        JaJp => "ja_jp",
        /// `zh_hk`: traditional Chinese (Hong Kong).
        ZhHk => "zh_hk",
        /// `zh_tw`: traditional Chinese (Taiwan).
        ZhTw => "zh_tw",
    }
}

crate::wire_enum! {
    /// A `style` of a `text`, `a` or `at` element.
    pub enum TextStyle {
        /// `bold`.
        Bold => "bold",
        /// `underline`.
        Underline => "underline",
        /// `lineThrough`: struck through.
        LineThrough => "lineThrough",
        /// `italic`.
        Italic => "italic",
    }
}

/// The content of a sent `msg_type: post` message: one [`PostBody`] per
/// language; at least one language is required.
///
/// ```
/// use feishu_model::im::content::{Post, PostBody, PostElement, PostLocale};
///
/// let post = Post::new(
///     PostLocale::EnUs,
///     PostBody::new("Release 1.2")
///         .paragraph(vec![PostElement::text("Shipped by "), PostElement::at("ou_1")])
///         .paragraph(vec![PostElement::link("notes", "https://example.com/1.2")]),
/// );
/// let json = serde_json::to_value(&post).unwrap();
/// assert_eq!(json["en_us"]["title"], "Release 1.2");
/// assert_eq!(json["en_us"]["content"][1][0]["tag"], "a");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Post {
    /// The body of each language.
    pub languages: BTreeMap<PostLocale, PostBody>,
}

impl Post {
    /// A post in one language.
    pub fn new(locale: PostLocale, body: PostBody) -> Self {
        Post::default().language(locale, body)
    }

    /// Adds (or replaces) a language.
    pub fn language(mut self, locale: PostLocale, body: PostBody) -> Self {
        self.languages.insert(locale, body);
        self
    }
}

/// One language of a post, and the whole content of a received post:
/// an optional title and paragraphs of elements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostBody {
    /// `title`: the title (none by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `content`: paragraphs, each a list of elements. Images and videos
    /// must be alone in their paragraph; `md` takes whole paragraphs.
    #[serde(default)]
    pub content: Vec<Vec<PostElement>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl PostBody {
    /// A body with a title and no paragraph yet.
    pub fn new(title: impl Into<String>) -> Self {
        PostBody {
            title: Some(title.into()),
            ..Default::default()
        }
    }

    /// Appends a paragraph.
    pub fn paragraph(mut self, elements: Vec<PostElement>) -> Self {
        self.content.push(elements);
        self
    }
}

/// One element of a post paragraph, by its `tag`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "tag")]
#[non_exhaustive]
pub enum PostElement {
    /// `text`: text.
    #[serde(rename = "text")]
    Text(PostText),
    /// `a`: a hyperlink.
    #[serde(rename = "a")]
    A(PostLink),
    /// `at`: a mention (sent: a user id or `all`; received: `@_user_N`).
    #[serde(rename = "at")]
    At(PostAt),
    /// `img`: an image (alone in its paragraph).
    #[serde(rename = "img")]
    Img(PostImage),
    /// `media`: a video (alone in its paragraph).
    #[serde(rename = "media")]
    Media(PostMedia),
    /// `emotion`: an emoji.
    #[serde(rename = "emotion")]
    Emotion(PostEmotion),
    /// `code_block`: a code block.
    #[serde(rename = "code_block")]
    CodeBlock(PostCodeBlock),
    /// `hr`: a horizontal rule.
    #[serde(rename = "hr")]
    Hr(PostHr),
    /// `md`: Markdown (send only; received posts carry the converted tags).
    #[serde(rename = "md")]
    Md(PostMarkdown),
    /// An element this version does not know (or whose fields do not have
    /// the documented shape), kept verbatim, `tag` included.
    #[serde(untagged)]
    Unknown(Map<String, Value>),
}

impl PostElement {
    /// A `text` element.
    pub fn text(text: impl Into<String>) -> Self {
        PostElement::Text(PostText {
            text: text.into(),
            ..Default::default()
        })
    }

    /// An `a` element.
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        PostElement::A(PostLink {
            text: text.into(),
            href: href.into(),
            ..Default::default()
        })
    }

    /// An `at` element mentioning one user (or `all`).
    pub fn at(user_id: impl Into<String>) -> Self {
        PostElement::At(PostAt {
            user_id: user_id.into(),
            ..Default::default()
        })
    }

    /// An `img` element.
    pub fn image(image_key: impl Into<String>) -> Self {
        PostElement::Img(PostImage {
            image_key: image_key.into(),
            ..Default::default()
        })
    }

    /// An `md` element.
    pub fn markdown(text: impl Into<String>) -> Self {
        PostElement::Md(PostMarkdown {
            text: text.into(),
            ..Default::default()
        })
    }

    /// The `tag` of this element.
    pub fn tag(&self) -> &str {
        match self {
            PostElement::Text(_) => "text",
            PostElement::A(_) => "a",
            PostElement::At(_) => "at",
            PostElement::Img(_) => "img",
            PostElement::Media(_) => "media",
            PostElement::Emotion(_) => "emotion",
            PostElement::CodeBlock(_) => "code_block",
            PostElement::Hr(_) => "hr",
            PostElement::Md(_) => "md",
            PostElement::Unknown(map) => map.get("tag").and_then(Value::as_str).unwrap_or(""),
        }
    }
}

impl<'de> Deserialize<'de> for PostElement {
    /// Reads an element by its `tag`. An unknown tag, or a known one whose
    /// fields do not have the documented shape, is kept whole in
    /// [`PostElement::Unknown`], so a post always decodes and re-encodes.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::deserialize(deserializer)?;
        Ok(typed_element(&map).unwrap_or(PostElement::Unknown(map)))
    }
}

/// The typed element `map` holds, if its `tag` is known and its fields fit.
fn typed_element(map: &Map<String, Value>) -> Option<PostElement> {
    fn typed<T: DeserializeOwned>(map: &Map<String, Value>) -> Option<T> {
        let mut fields = map.clone();
        fields.remove("tag");
        serde_json::from_value(Value::Object(fields)).ok()
    }
    Some(match map.get("tag")?.as_str()? {
        "text" => PostElement::Text(typed(map)?),
        "a" => PostElement::A(typed(map)?),
        "at" => PostElement::At(typed(map)?),
        "img" => PostElement::Img(typed(map)?),
        "media" => PostElement::Media(typed(map)?),
        "emotion" => PostElement::Emotion(typed(map)?),
        "code_block" => PostElement::CodeBlock(typed(map)?),
        "hr" => PostElement::Hr(typed(map)?),
        "md" => PostElement::Md(typed(map)?),
        _ => return None,
    })
}

/// `text` element of a post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostText {
    /// The text.
    pub text: String,
    /// `un_escape`: whether the text is unescaped (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub un_escape: Option<bool>,
    /// `style`: text styles (none by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<TextStyle>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `a` element of a post: a hyperlink.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostLink {
    /// The link text.
    pub text: String,
    /// `href`: the address (an invalid one makes sending fail).
    pub href: String,
    /// `style`: text styles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<TextStyle>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `at` element of a post: a mention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostAt {
    /// Sent: the user's `open_id`, `union_id` or `user_id`, or `all`.
    /// Received: the mention key (`@_user_1`), resolved by the message's
    /// `mentions`.
    pub user_id: String,
    /// `user_name`: the user's name (received; accepted when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `style`: text styles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Vec<TextStyle>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `img` element of a post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostImage {
    /// `image_key` of an uploaded image.
    pub image_key: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `media` element of a post: a video.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostMedia {
    /// `file_key` of an uploaded mp4 file.
    pub file_key: String,
    /// `image_key` of the cover image (no cover when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `emotion` element of a post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostEmotion {
    /// `emoji_type`, such as `SMILE`.
    pub emoji_type: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `code_block` element of a post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostCodeBlock {
    /// `language` (case-insensitive: `GO`, `RUST`, ...); plain text when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The code.
    pub text: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `hr` element of a post: a horizontal rule, no parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostHr {
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `md` element of a post: Markdown (send only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct PostMarkdown {
    /// The Markdown text.
    pub text: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
