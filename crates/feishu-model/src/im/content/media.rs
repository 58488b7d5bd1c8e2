//! The contents that name an uploaded resource, a chat or a user: `image`,
//! `file`, `audio`, `media`, `sticker`, `share_chat`, `share_user`, as sent
//! (and, for image, sticker and the two cards, as received: the same shape).

use serde::Serialize;

use crate::Extra;

/// `image` content: `{"image_key": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Image {
    /// `image_key` of an uploaded image.
    pub image_key: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `file` content as sent: `{"file_key": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct File {
    /// `file_key` of an uploaded file.
    pub file_key: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `audio` content as sent: `{"file_key": "..."}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Audio {
    /// `file_key` of an uploaded audio file.
    pub file_key: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `media` content as sent: a video with an optional cover image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Media {
    /// `file_key` of an uploaded video.
    pub file_key: String,
    /// `image_key` of the cover (no cover when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `sticker` content: `{"file_key": "..."}`; only stickers the bot received
/// can be sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Sticker {
    /// `file_key` of a received sticker.
    pub file_key: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `share_chat` content: a group's card (the bot must be in that group).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ShareChat {
    /// `chat_id` of the group.
    pub chat_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `share_user` content: a person's card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct ShareUser {
    /// The user's `open_id` (only open_id; bots cannot be shared).
    pub user_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

macro_rules! keyed {
    ($($ty:ident . $field:ident),+ $(,)?) => {$(
        impl $ty {
            #[doc = concat!("The content naming this `", stringify!($field), "`.")]
            pub fn new($field: impl Into<String>) -> Self {
                $ty { $field: $field.into(), ..Default::default() }
            }
        }
    )+};
}

keyed!(
    Image.image_key,
    File.file_key,
    Audio.file_key,
    Media.file_key,
    Sticker.file_key,
    ShareChat.chat_id,
    ShareUser.user_id,
);
