//! Typed message `content`: what each `msg_type` holds, as sent and as
//! received.
//!
//! On the wire a message's `content` is JSON inside a string. Build a
//! [`MessageContent`] and let [`MessageContent::to_checked_content`] write
//! that string (checked against the documented size limits); read one with
//! [`ReceivedContent::parse`], which knows the formats the server returns
//! (mention keys, simplified cards, calendar and vote cards...).
//!
//! ```
//! use feishu_model::im::content::{MessageContent, Mentions, ReceivedContent, Text};
//! use feishu_model::im::msg_type::MsgType;
//!
//! let content = MessageContent::from(Text::new().mention("ou_1").push(" <b>done</b>"));
//! assert_eq!(content.msg_type(), MsgType::Text);
//! let wire = content.to_checked_content().unwrap();
//! assert_eq!(wire, "{\"text\":\"<at user_id=\\\"ou_1\\\"></at> <\u{200B}b>done<\u{200B}/b>\"}");
//!
//! // What a bot receives for a message that mentions it:
//! let received = ReceivedContent::parse(&MsgType::Text, r#"{"text":"@_user_1 deploy api"}"#).unwrap();
//! assert_eq!(received.plain_text(Mentions::Strip).as_deref(), Some("deploy api"));
//!
//! // A kind this version does not know round-trips exactly.
//! let odd = ReceivedContent::parse(&MsgType::from("hologram"), r#"{"x": 1}"#).unwrap();
//! assert_eq!(odd.to_content_string().unwrap(), r#"{"x": 1}"#);
//! ```

mod interactive;
pub mod limit;
mod media;
mod mentions;
mod post;
mod received;
mod system;
mod text;

use serde::Serialize;

pub use interactive::{CardRef, Interactive, TemplateCard};
pub use media::{Audio, File, Image, Media, ShareChat, ShareUser, Sticker};
pub use mentions::{resolve_keys, Mentions};
pub use post::{
    Post, PostAt, PostBody, PostCodeBlock, PostElement, PostEmotion, PostHr, PostImage, PostLink,
    PostLocale, PostMarkdown, PostMedia, PostText, TextStyle,
};
pub use received::{
    CalendarCard, Hongbao, Location, MergeForward, ReceivedAudio, ReceivedCard,
    ReceivedCardElement, ReceivedFile, ReceivedInteractive, ReceivedMedia, ReceivedSystem,
    ReceivedText, Todo, VideoChat, Vote,
};
pub use system::{DividerText, System, SystemOptions, SystemParams, SystemType};
pub use text::Text;

use crate::im::msg_type::MsgType;
use crate::Invalid;

/// A `content` string that does not decode as its `msg_type` documents.
#[derive(Debug)]
pub struct ContentError {
    msg_type: MsgType,
    source: serde_json::Error,
}

impl ContentError {
    /// The `msg_type` the content was read as.
    pub fn msg_type(&self) -> &MsgType {
        &self.msg_type
    }
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "content of a `{}` message does not decode: {}",
            self.msg_type, self.source
        )
    }
}

impl std::error::Error for ContentError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn decode<T: serde::de::DeserializeOwned>(
    msg_type: &MsgType,
    content: &str,
) -> Result<T, ContentError> {
    serde_json::from_str(content).map_err(|source| ContentError {
        msg_type: msg_type.clone(),
        source,
    })
}

fn encode<T: Serialize>(value: &T) -> Result<String, Invalid> {
    serde_json::to_string(value).map_err(|e| Invalid::new("content", e.to_string()))
}

/// The content of a message to send (create, reply, update): one variant
/// per `msg_type` the send API documents.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageContent {
    /// `text`.
    Text(Text),
    /// `post`.
    Post(Post),
    /// `image`.
    Image(Image),
    /// `file`.
    File(File),
    /// `audio`.
    Audio(Audio),
    /// `media`.
    Media(Media),
    /// `sticker`.
    Sticker(Sticker),
    /// `share_chat`.
    ShareChat(ShareChat),
    /// `share_user`.
    ShareUser(ShareUser),
    /// `system`.
    System(System),
    /// `interactive`.
    Interactive(Interactive),
    /// A kind this version cannot send typed; the content string is kept
    /// verbatim.
    Other {
        /// The `msg_type`.
        msg_type: MsgType,
        /// The `content` string, exactly as given.
        content: String,
    },
}

impl MessageContent {
    /// The `msg_type` to send with this content.
    pub fn msg_type(&self) -> MsgType {
        match self {
            MessageContent::Text(_) => MsgType::Text,
            MessageContent::Post(_) => MsgType::Post,
            MessageContent::Image(_) => MsgType::Image,
            MessageContent::File(_) => MsgType::File,
            MessageContent::Audio(_) => MsgType::Audio,
            MessageContent::Media(_) => MsgType::Media,
            MessageContent::Sticker(_) => MsgType::Sticker,
            MessageContent::ShareChat(_) => MsgType::ShareChat,
            MessageContent::ShareUser(_) => MsgType::ShareUser,
            MessageContent::System(_) => MsgType::System,
            MessageContent::Interactive(_) => MsgType::Interactive,
            MessageContent::Other { msg_type, .. } => msg_type.clone(),
        }
    }

    /// The `content` string, without the size check.
    pub fn to_content_string(&self) -> Result<String, Invalid> {
        match self {
            MessageContent::Text(v) => encode(v),
            MessageContent::Post(v) => encode(v),
            MessageContent::Image(v) => encode(v),
            MessageContent::File(v) => encode(v),
            MessageContent::Audio(v) => encode(v),
            MessageContent::Media(v) => encode(v),
            MessageContent::Sticker(v) => encode(v),
            MessageContent::ShareChat(v) => encode(v),
            MessageContent::ShareUser(v) => encode(v),
            MessageContent::System(v) => encode(v),
            MessageContent::Interactive(v) => encode(v),
            MessageContent::Other { content, .. } => Ok(content.clone()),
        }
    }

    /// The `content` string, checked against the documented size limit of
    /// its kind ([`limit::check_content_size`]).
    pub fn to_checked_content(&self) -> Result<String, Invalid> {
        let content = self.to_content_string()?;
        limit::check_content_size(&self.msg_type(), &content)?;
        Ok(content)
    }

    /// Reads a `content` string as the sent format of `msg_type`; a kind that
    /// cannot be sent typed is kept verbatim in [`MessageContent::Other`].
    pub fn parse(msg_type: &MsgType, content: &str) -> Result<Self, ContentError> {
        let m = msg_type;
        Ok(match msg_type {
            MsgType::Text => MessageContent::Text(decode(m, content)?),
            MsgType::Post => MessageContent::Post(decode(m, content)?),
            MsgType::Image => MessageContent::Image(decode(m, content)?),
            MsgType::File => MessageContent::File(decode(m, content)?),
            MsgType::Audio => MessageContent::Audio(decode(m, content)?),
            MsgType::Media => MessageContent::Media(decode(m, content)?),
            MsgType::Sticker => MessageContent::Sticker(decode(m, content)?),
            MsgType::ShareChat => MessageContent::ShareChat(decode(m, content)?),
            MsgType::ShareUser => MessageContent::ShareUser(decode(m, content)?),
            MsgType::System => MessageContent::System(decode(m, content)?),
            MsgType::Interactive => MessageContent::Interactive(decode(m, content)?),
            _ => MessageContent::Other {
                msg_type: msg_type.clone(),
                content: content.to_owned(),
            },
        })
    }
}

macro_rules! content_from {
    ($enum:ident: $($ty:ident => $variant:ident),+ $(,)?) => {$(
        impl From<$ty> for $enum {
            fn from(value: $ty) -> Self {
                $enum::$variant(value)
            }
        }
    )+};
}

content_from!(MessageContent:
    Text => Text, Post => Post, Image => Image, File => File, Audio => Audio, Media => Media,
    Sticker => Sticker, ShareChat => ShareChat, ShareUser => ShareUser, System => System,
    Interactive => Interactive,
);

/// The content of a received message (events, get and list), one variant
/// per `msg_type` the receive format documents.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ReceivedContent {
    /// `text`, with mention keys.
    Text(ReceivedText),
    /// `post`: one language, title and paragraphs, `md` converted to tags.
    Post(PostBody),
    /// `image`.
    Image(Image),
    /// `file`.
    File(ReceivedFile),
    /// `folder`.
    Folder(ReceivedFile),
    /// `audio`.
    Audio(ReceivedAudio),
    /// `media`.
    Media(ReceivedMedia),
    /// `sticker`.
    Sticker(Sticker),
    /// `interactive`.
    Interactive(ReceivedInteractive),
    /// `hongbao`.
    Hongbao(Hongbao),
    /// `share_calendar_event`.
    ShareCalendarEvent(CalendarCard),
    /// `calendar`.
    Calendar(CalendarCard),
    /// `general_calendar`.
    GeneralCalendar(CalendarCard),
    /// `share_chat`.
    ShareChat(ShareChat),
    /// `share_user`.
    ShareUser(ShareUser),
    /// `system`.
    System(ReceivedSystem),
    /// `location`.
    Location(Location),
    /// `video_chat`.
    VideoChat(VideoChat),
    /// `todo`.
    Todo(Todo),
    /// `vote`.
    Vote(Vote),
    /// `merge_forward`.
    MergeForward(MergeForward),
    /// A kind this version does not know; the content string is kept
    /// verbatim.
    Other {
        /// The `msg_type`.
        msg_type: MsgType,
        /// The `content` string, exactly as received.
        content: String,
    },
}

impl ReceivedContent {
    /// Reads a received `content` string as its `msg_type`.
    pub fn parse(msg_type: &MsgType, content: &str) -> Result<Self, ContentError> {
        let m = msg_type;
        Ok(match msg_type {
            MsgType::Text => ReceivedContent::Text(decode(m, content)?),
            MsgType::Post => ReceivedContent::Post(decode(m, content)?),
            MsgType::Image => ReceivedContent::Image(decode(m, content)?),
            MsgType::File => ReceivedContent::File(decode(m, content)?),
            MsgType::Folder => ReceivedContent::Folder(decode(m, content)?),
            MsgType::Audio => ReceivedContent::Audio(decode(m, content)?),
            MsgType::Media => ReceivedContent::Media(decode(m, content)?),
            MsgType::Sticker => ReceivedContent::Sticker(decode(m, content)?),
            MsgType::Interactive => ReceivedContent::Interactive(decode(m, content)?),
            MsgType::Hongbao => ReceivedContent::Hongbao(decode(m, content)?),
            MsgType::ShareCalendarEvent => ReceivedContent::ShareCalendarEvent(decode(m, content)?),
            MsgType::Calendar => ReceivedContent::Calendar(decode(m, content)?),
            MsgType::GeneralCalendar => ReceivedContent::GeneralCalendar(decode(m, content)?),
            MsgType::ShareChat => ReceivedContent::ShareChat(decode(m, content)?),
            MsgType::ShareUser => ReceivedContent::ShareUser(decode(m, content)?),
            MsgType::System => ReceivedContent::System(decode(m, content)?),
            MsgType::Location => ReceivedContent::Location(decode(m, content)?),
            MsgType::VideoChat => ReceivedContent::VideoChat(decode(m, content)?),
            MsgType::Todo => ReceivedContent::Todo(decode(m, content)?),
            MsgType::Vote => ReceivedContent::Vote(decode(m, content)?),
            MsgType::MergeForward => ReceivedContent::MergeForward(decode(m, content)?),
            _ => ReceivedContent::Other {
                msg_type: msg_type.clone(),
                content: content.to_owned(),
            },
        })
    }

    /// The `msg_type` of this content.
    pub fn msg_type(&self) -> MsgType {
        match self {
            ReceivedContent::Text(_) => MsgType::Text,
            ReceivedContent::Post(_) => MsgType::Post,
            ReceivedContent::Image(_) => MsgType::Image,
            ReceivedContent::File(_) => MsgType::File,
            ReceivedContent::Folder(_) => MsgType::Folder,
            ReceivedContent::Audio(_) => MsgType::Audio,
            ReceivedContent::Media(_) => MsgType::Media,
            ReceivedContent::Sticker(_) => MsgType::Sticker,
            ReceivedContent::Interactive(_) => MsgType::Interactive,
            ReceivedContent::Hongbao(_) => MsgType::Hongbao,
            ReceivedContent::ShareCalendarEvent(_) => MsgType::ShareCalendarEvent,
            ReceivedContent::Calendar(_) => MsgType::Calendar,
            ReceivedContent::GeneralCalendar(_) => MsgType::GeneralCalendar,
            ReceivedContent::ShareChat(_) => MsgType::ShareChat,
            ReceivedContent::ShareUser(_) => MsgType::ShareUser,
            ReceivedContent::System(_) => MsgType::System,
            ReceivedContent::Location(_) => MsgType::Location,
            ReceivedContent::VideoChat(_) => MsgType::VideoChat,
            ReceivedContent::Todo(_) => MsgType::Todo,
            ReceivedContent::Vote(_) => MsgType::Vote,
            ReceivedContent::MergeForward(_) => MsgType::MergeForward,
            ReceivedContent::Other { msg_type, .. } => msg_type.clone(),
        }
    }

    /// The content back as a `content` string (every documented and
    /// undocumented field; an unknown kind byte for byte).
    pub fn to_content_string(&self) -> Result<String, Invalid> {
        match self {
            ReceivedContent::Text(v) => encode(v),
            ReceivedContent::Post(v) => encode(v),
            ReceivedContent::Image(v) => encode(v),
            ReceivedContent::File(v) | ReceivedContent::Folder(v) => encode(v),
            ReceivedContent::Audio(v) => encode(v),
            ReceivedContent::Media(v) => encode(v),
            ReceivedContent::Sticker(v) => encode(v),
            ReceivedContent::Interactive(v) => encode(v),
            ReceivedContent::Hongbao(v) => encode(v),
            ReceivedContent::ShareCalendarEvent(v)
            | ReceivedContent::Calendar(v)
            | ReceivedContent::GeneralCalendar(v) => encode(v),
            ReceivedContent::ShareChat(v) => encode(v),
            ReceivedContent::ShareUser(v) => encode(v),
            ReceivedContent::System(v) => encode(v),
            ReceivedContent::Location(v) => encode(v),
            ReceivedContent::VideoChat(v) => encode(v),
            ReceivedContent::Todo(v) => encode(v),
            ReceivedContent::Vote(v) => encode(v),
            ReceivedContent::MergeForward(v) => encode(v),
            ReceivedContent::Other { content, .. } => Ok(content.clone()),
        }
    }

    /// The plain text of a `text` or `post` message, mentions resolved or
    /// stripped; `None` for other kinds.
    pub fn plain_text(&self, mentions: Mentions<'_>) -> Option<String> {
        match self {
            ReceivedContent::Text(text) => Some(text.plain_text(mentions)),
            ReceivedContent::Post(post) => Some(post.plain_text(mentions)),
            _ => None,
        }
    }
}
