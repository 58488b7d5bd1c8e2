//! Messages: send, reply, edit, recall, get, history, forward, merge
//! forward, forward a thread, read users, follow-ups, resource download.

use feishu_model::im::content::MessageContent;
use feishu_model::im::message::edit::{DeleteMessage, FollowUp, PushFollowUp, UpdateMessage};
use feishu_model::im::message::forward::{ForwardMessage, ForwardThread, MergeForward};
use feishu_model::im::message::read::{
    CardMsgContentType, GetMessage, ListMessages, MessageSortType, ReadUsers,
};
use feishu_model::im::message::resource::ResourceType;
use feishu_model::im::message::send::{CreateMessage, ReplyMessage};
use feishu_model::im::message::{MessageId, ReceiveIdType, ThreadId};
use feishu_model::{ChatId, UserIdType};
use feishu_transport::Call;

use crate::content_call::{checked, ContentCall};
use crate::limit::{receiver_call_limit, receiver_key};
use crate::Message;
use feishu_model::im::message::resource::GetMessageResource;

/// A fresh de-duplication key (`uuid`): a v4 UUID, 36 characters.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Message calls: `message.messages()`.
#[derive(Debug, Clone)]
pub struct Messages {
    pub(crate) message: Message,
}

impl Messages {
    /// Sends a message: `POST /open-apis/im/v1/messages?receive_id_type=..`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/create)).
    ///
    /// The call carries a generated `uuid` (replace it with
    /// [`ContentCall::uuid`]), the same on every retry, so a retry after a
    /// lost answer never posts twice. Every attempt (the first and each
    /// retry) waits for a slot of its receiver's 5 per second.
    pub fn send(
        &self,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        content: impl Into<MessageContent>,
    ) -> ContentCall<CreateMessage> {
        let receive_id = receive_id.into();
        let (msg_type, text, invalid) = checked(&content.into());
        let key = receiver_key("", receive_id_type.as_str(), &receive_id);
        let endpoint =
            CreateMessage::new(receive_id_type, receive_id, msg_type, text).with_uuid(new_uuid());
        let mut call = ContentCall::new(self.message.client().call(endpoint), invalid);
        call.call.options.call_limit = Some(receiver_call_limit(self.message.limiter.clone(), key));
        call
    }

    /// Sends a message to a chat: [`Messages::send`] with `chat_id`.
    pub fn send_to_chat(
        &self,
        chat_id: impl Into<ChatId>,
        content: impl Into<MessageContent>,
    ) -> ContentCall<CreateMessage> {
        let chat_id: ChatId = chat_id.into();
        self.send(ReceiveIdType::ChatId, chat_id.as_str(), content)
    }

    /// Replies to a message: `POST /open-apis/im/v1/messages/:message_id/reply`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/reply)).
    ///
    /// Carries a generated `uuid` like [`Messages::send`]; reply in a
    /// thread with [`ContentCall::reply_in_thread`].
    pub fn reply(
        &self,
        message_id: impl Into<MessageId>,
        content: impl Into<MessageContent>,
    ) -> ContentCall<ReplyMessage> {
        let (msg_type, text, invalid) = checked(&content.into());
        let endpoint = ReplyMessage::new(message_id, msg_type, text).with_uuid(new_uuid());
        ContentCall::new(self.message.client().call(endpoint), invalid)
    }

    /// Edits a sent text or post message: `PUT /open-apis/im/v1/messages/:message_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update)).
    pub fn edit(
        &self,
        message_id: impl Into<MessageId>,
        content: impl Into<MessageContent>,
    ) -> ContentCall<UpdateMessage> {
        let (msg_type, text, invalid) = checked(&content.into());
        let endpoint = UpdateMessage::new(message_id, msg_type, text);
        ContentCall::new(self.message.client().call(endpoint), invalid)
    }

    /// Recalls a message: `DELETE /open-apis/im/v1/messages/:message_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete)).
    pub fn recall(&self, message_id: impl Into<MessageId>) -> Call<DeleteMessage> {
        self.message.client().call(DeleteMessage::new(message_id))
    }

    /// Gets a message (a merged forward with its sub-messages):
    /// `GET /open-apis/im/v1/messages/:message_id`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/get)).
    /// Read each item's content with [`crate::ReceivedMessage::received_content`].
    pub fn get(&self, message_id: impl Into<MessageId>) -> Call<GetMessage> {
        self.message.client().call(GetMessage::new(message_id))
    }

    /// A chat's history: `GET /open-apis/im/v1/messages?container_id_type=chat`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/list)).
    /// Narrow it with [`History`]; use `.stream()` or `.pages()`.
    pub fn history(&self, chat_id: impl Into<ChatId>) -> Call<ListMessages> {
        let chat_id: ChatId = chat_id.into();
        self.message
            .client()
            .call(ListMessages::chat(chat_id.as_str()))
    }

    /// A thread's history (`container_id_type=thread`; no time range).
    pub fn thread_history(&self, thread_id: impl Into<ThreadId>) -> Call<ListMessages> {
        let thread_id: ThreadId = thread_id.into();
        self.message
            .client()
            .call(ListMessages::thread(thread_id.as_str()))
    }

    /// Forwards a message: `POST /open-apis/im/v1/messages/:message_id/forward`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/forward)).
    /// Carries a generated `uuid` (`.configure(|e| e.query.uuid = ..)` replaces it).
    pub fn forward(
        &self,
        message_id: impl Into<MessageId>,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
    ) -> Call<ForwardMessage> {
        let endpoint =
            ForwardMessage::new(message_id, receive_id_type, receive_id).with_uuid(new_uuid());
        self.message.client().call(endpoint)
    }

    /// Forwards several messages of one chat as one merged message:
    /// `POST /open-apis/im/v1/messages/merge_forward`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward)).
    /// Carries a generated `uuid`.
    pub fn merge_forward<I>(
        &self,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        message_ids: I,
    ) -> Call<MergeForward>
    where
        I: IntoIterator,
        I::Item: Into<MessageId>,
    {
        let endpoint =
            MergeForward::new(receive_id_type, receive_id, message_ids).with_uuid(new_uuid());
        self.message.client().call(endpoint)
    }

    /// Forwards a whole thread: `POST /open-apis/im/v1/threads/:thread_id/forward`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/thread/forward)).
    /// Carries a generated `uuid`.
    pub fn forward_thread(
        &self,
        thread_id: impl Into<ThreadId>,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
    ) -> Call<ForwardThread> {
        let endpoint =
            ForwardThread::new(thread_id, receive_id_type, receive_id).with_uuid(new_uuid());
        self.message.client().call(endpoint)
    }

    /// Who read a message the bot sent: `GET /open-apis/im/v1/messages/:message_id/read_users`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/read_users)).
    /// Use `.stream()` or `.pages()`.
    pub fn read_users(
        &self,
        message_id: impl Into<MessageId>,
        user_id_type: UserIdType,
    ) -> Call<ReadUsers> {
        self.message
            .client()
            .call(ReadUsers::new(message_id, user_id_type))
    }

    /// Adds follow-up bubbles under a message: `POST /open-apis/im/v1/messages/:message_id/push_follow_up`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/push_follow_up)).
    pub fn push_follow_up<I>(
        &self,
        message_id: impl Into<MessageId>,
        follow_ups: I,
    ) -> Call<PushFollowUp>
    where
        I: IntoIterator<Item = FollowUp>,
    {
        self.message
            .client()
            .call(PushFollowUp::new(message_id, follow_ups))
    }

    /// Downloads an image, file, audio or video of a message:
    /// `GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=..`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get)).
    /// Answers the file's bytes, type and name.
    pub fn download_resource(
        &self,
        message_id: impl Into<MessageId>,
        file_key: impl Into<String>,
        resource_type: ResourceType,
    ) -> Call<GetMessageResource> {
        self.message
            .client()
            .call(GetMessageResource::new(message_id, file_key, resource_type))
    }
}

impl ContentCall<CreateMessage> {
    /// Replaces the generated de-duplication key (`uuid`, at most 50
    /// characters): sends with the same key post at most once an hour.
    pub fn uuid(self, uuid: impl Into<String>) -> Self {
        let uuid = uuid.into();
        self.configure(|e| e.body.uuid = Some(uuid))
    }
}

impl ContentCall<ReplyMessage> {
    /// Replaces the generated de-duplication key (`uuid`, at most 50
    /// characters).
    pub fn uuid(self, uuid: impl Into<String>) -> Self {
        let uuid = uuid.into();
        self.configure(|e| e.body.uuid = Some(uuid))
    }

    /// Whether to reply in a thread (`reply_in_thread`; default `false`).
    pub fn reply_in_thread(self, in_thread: bool) -> Self {
        self.configure(|e| e.body.reply_in_thread = Some(in_thread))
    }
}

/// The optional parameters of a history listing, on its call.
pub trait History: Sized {
    /// Only messages created at or after `unix_seconds` (chats only).
    fn start_time(self, unix_seconds: u64) -> Self;
    /// Only messages created at or before `unix_seconds` (chats only).
    fn end_time(self, unix_seconds: u64) -> Self;
    /// Only messages created between the two times (chats only).
    fn time_range(self, start_unix_seconds: u64, end_unix_seconds: u64) -> Self {
        self.start_time(start_unix_seconds)
            .end_time(end_unix_seconds)
    }
    /// The order (`sort_type`; default oldest first).
    fn sort(self, sort: MessageSortType) -> Self;
    /// How card content is returned (`card_msg_content_type`).
    fn card_content(self, kind: CardMsgContentType) -> Self;
}

impl History for Call<ListMessages> {
    fn start_time(self, unix_seconds: u64) -> Self {
        self.configure(|e| e.query.start_time = Some(unix_seconds.to_string()))
    }

    fn end_time(self, unix_seconds: u64) -> Self {
        self.configure(|e| e.query.end_time = Some(unix_seconds.to_string()))
    }

    fn sort(self, sort: MessageSortType) -> Self {
        self.configure(|e| e.query.sort_type = Some(sort))
    }

    fn card_content(self, kind: CardMsgContentType) -> Self {
        self.configure(|e| e.query.card_msg_content_type = Some(kind))
    }
}
