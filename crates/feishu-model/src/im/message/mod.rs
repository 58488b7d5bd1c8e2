//! The im v1 message endpoints: send and reply, edit and recall, read a
//! message, a chat's history and who read a message, forward messages and
//! threads, add follow-up bubbles, and download a message's resources.
//!
//! Message `content` stays the JSON text the platform exchanges; the typed
//! content types convert it at a higher layer.

pub mod edit;
pub mod forward;
pub mod item;
pub mod read;
pub mod resource;
pub mod send;

pub use item::{
    Mention, Message, MessageBody, MessageId, MessagePath, ReceiveIdType, Sender, SenderType,
    ThreadId,
};
