//! The path part of the endpoints that act on one message (`:message_id`):
//! reactions, pins and buzz.

use serde::{Deserialize, Serialize};

/// Path parameters of an endpoint that acts on one message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePath {
    /// The message id (`om_...`).
    pub message_id: String,
}

crate::path_params!(MessagePath { message_id });

impl MessagePath {
    /// Path parameters for one message.
    pub fn new(message_id: impl Into<String>) -> Self {
        MessagePath {
            message_id: message_id.into(),
        }
    }
}
