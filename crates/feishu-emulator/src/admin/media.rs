//! The state's uploads (images and files) and ephemeral cards.

use serde::{Deserialize, Serialize};

use crate::state::World;

/// An uploaded image or file (its bytes are not shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadView {
    /// The `image_key` or `file_key`.
    pub key: String,
    /// `image` or `file`.
    pub resource: String,
    /// The `image_type` (`message`, `avatar`) or `file_type` (`pdf`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The file name.
    pub name: String,
    /// The size in bytes.
    pub size: usize,
    /// The content type a download answers.
    pub content_type: String,
    /// The app that uploaded it.
    pub app_id: String,
    /// When, in milliseconds since the epoch.
    pub uploaded_at: i64,
}

/// A card only one user of a chat sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EphemeralView {
    /// The card message's id.
    pub message_id: String,
    /// The chat it was sent in.
    pub chat_id: String,
    /// The open id of the one user who sees it.
    pub user: String,
    /// The card JSON as sent.
    pub card: serde_json::Value,
    /// When, in milliseconds since the epoch.
    pub sent_at: i64,
}

/// Every upload, in upload order.
pub(crate) fn uploads(world: &World) -> Vec<UploadView> {
    world
        .uploads
        .iter()
        .map(|u| UploadView {
            key: u.key.clone(),
            resource: u.kind.resource().to_owned(),
            kind: u.kind.type_name().to_owned(),
            name: u.name.clone(),
            size: u.bytes.len(),
            content_type: u.content_type.clone(),
            app_id: u.owner.to_string(),
            uploaded_at: u.at_ms,
        })
        .collect()
}

/// The ephemeral cards not deleted, in sending order.
pub(crate) fn ephemeral_cards(world: &World) -> Vec<EphemeralView> {
    world
        .messages
        .ephemeral
        .values()
        .filter(|c| !c.deleted)
        .map(|c| EphemeralView {
            message_id: c.message_id.clone(),
            chat_id: c.chat.to_string(),
            user: world
                .dir
                .user(c.user)
                .map(|u| u.open_id.clone())
                .unwrap_or_default(),
            card: c.card.clone(),
            sent_at: c.at_ms,
        })
        .collect()
}
