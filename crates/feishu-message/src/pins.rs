//! Pins: pin, unpin, list a chat's pins.

use feishu_model::im::message::MessageId;
use feishu_model::im::pin::{CreatePin, DeletePin, ListPins};
use feishu_model::ChatId;
use feishu_transport::Call;

use crate::Message;

/// Pin calls: `message.pins()`.
#[derive(Debug, Clone)]
pub struct Pins {
    pub(crate) message: Message,
}

impl Pins {
    /// Pins a message: `POST /open-apis/im/v1/pins`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/create)).
    pub fn pin(&self, message_id: impl Into<MessageId>) -> Call<CreatePin> {
        let id: MessageId = message_id.into();
        self.message.client().call(CreatePin::new(id.as_str()))
    }

    /// Unpins a message: `DELETE /open-apis/im/v1/pins/:message_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/delete)).
    pub fn unpin(&self, message_id: impl Into<MessageId>) -> Call<DeletePin> {
        let id: MessageId = message_id.into();
        self.message.client().call(DeletePin::new(id.as_str()))
    }

    /// Lists a chat's pins, newest first: `GET /open-apis/im/v1/pins?chat_id=..`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/list)).
    /// A time range with `.configure(|e| e.query.start_time = ..)`;
    /// use `.stream()` or `.pages()`.
    pub fn list(&self, chat_id: impl Into<ChatId>) -> Call<ListPins> {
        self.message.client().call(ListPins::new(chat_id))
    }
}
