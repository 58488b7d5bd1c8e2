//! Reading a got or listed message's content as the received formats.

use feishu_model::im::content::{ContentError, ReceivedContent};
use feishu_model::im::message::Message;
use feishu_model::im::msg_type::MsgType;

/// The content of a message from get, history or an event, typed.
pub trait ReceivedMessage {
    /// The content parsed as the received format of its `msg_type`;
    /// `None` when the message has no content (recalled). A kind this
    /// version does not know is kept verbatim in [`ReceivedContent::Other`].
    fn received_content(&self) -> Option<Result<ReceivedContent, ContentError>>;
}

impl ReceivedMessage for Message {
    fn received_content(&self) -> Option<Result<ReceivedContent, ContentError>> {
        let content = self.content()?;
        let msg_type = self.msg_type.clone().unwrap_or_else(|| MsgType::from(""));
        Some(ReceivedContent::parse(&msg_type, content))
    }
}
