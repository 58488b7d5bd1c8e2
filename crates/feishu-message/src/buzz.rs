//! Buzz: urge users about a message the bot sent, in the app, by SMS or by
//! phone.

use feishu_model::im::buzz::{UrgentApp, UrgentPhone, UrgentSms};
use feishu_model::im::message::MessageId;
use feishu_model::MemberId;
use feishu_transport::Call;

use crate::Message;

/// Buzz calls of one message: `message.buzz(message_id)`. The users are
/// given by open_id.
#[derive(Debug, Clone)]
pub struct Buzz {
    pub(crate) message: Message,
    pub(crate) message_id: MessageId,
}

impl Buzz {
    /// In the Feishu client: `PATCH /open-apis/im/v1/messages/:message_id/urgent_app`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_app)).
    pub fn app<I>(&self, open_ids: I) -> Call<UrgentApp>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        let id = self.message_id.as_str();
        self.message.client().call(UrgentApp::new(id, open_ids))
    }

    /// In the client and by SMS: `PATCH /open-apis/im/v1/messages/:message_id/urgent_sms`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_sms)).
    pub fn sms<I>(&self, open_ids: I) -> Call<UrgentSms>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        let id = self.message_id.as_str();
        self.message.client().call(UrgentSms::new(id, open_ids))
    }

    /// In the client and by phone call: `PATCH /open-apis/im/v1/messages/:message_id/urgent_phone`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_phone)).
    pub fn phone<I>(&self, open_ids: I) -> Call<UrgentPhone>
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        let id = self.message_id.as_str();
        self.message.client().call(UrgentPhone::new(id, open_ids))
    }
}
