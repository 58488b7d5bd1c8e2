//! The two forms of `chat_group`: a new chat with a name, or an existing chat.

use feishu_model::apaas::user_task::{ChatGroupBody, UserTaskChatGroup};
use feishu_model::{ChatId, TaskId};
use feishu_transport::{Call, Client};

/// A group chat about to be started from a user task, from
/// [`UserTasks::chat_group`](crate::UserTasks::chat_group).
///
/// The API decides by `chat_id`: without one it creates a chat named
/// `chat_name`; with one it pulls the invited users into that chat. Finish
/// with [`ChatGroup::new_chat`] or [`ChatGroup::existing_chat`] to get the
/// call, so every call says which of the two it is.
#[derive(Debug, Clone)]
#[must_use = "finish with new_chat or existing_chat to get a call"]
pub struct ChatGroup {
    client: Client,
    task_id: TaskId,
    operator_user_id: String,
    invite_user_ids: Vec<String>,
}

impl ChatGroup {
    pub(crate) fn new(client: Client, task_id: TaskId, operator_user_id: String) -> Self {
        ChatGroup {
            client,
            task_id,
            operator_user_id,
            invite_user_ids: Vec::new(),
        }
    }

    /// Adds users (kunlun user ids) to invite into the chat; 1 to 20 in all.
    /// Without any, the request leaves `invite_user_ids` out.
    pub fn invite<I, S>(mut self, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.invite_user_ids
            .extend(user_ids.into_iter().map(Into::into));
        self
    }

    /// Creates a new chat named `chat_name` with the operator and the invited
    /// users; the answer's `chat_id` names it.
    pub fn new_chat(self, chat_name: impl Into<String>) -> Call<UserTaskChatGroup> {
        let body = ChatGroupBody::new_chat(self.operator_user_id, self.invite_user_ids, chat_name);
        self.client.call(UserTaskChatGroup::new(self.task_id, body))
    }

    /// Pulls the invited users into the existing chat `chat_id` (`oc_...`).
    pub fn existing_chat(self, chat_id: impl Into<ChatId>) -> Call<UserTaskChatGroup> {
        let body =
            ChatGroupBody::existing_chat(self.operator_user_id, self.invite_user_ids, chat_id);
        self.client.call(UserTaskChatGroup::new(self.task_id, body))
    }
}
