//! Forward one message, merge-forward several messages of one chat as one,
//! and forward a whole thread, to a user, chat or thread.
//!
//! None is idempotent, but a `uuid` makes a retry safe: calls with the same
//! `uuid` forward to the same target at most once within an hour.

use serde::{Deserialize, Serialize};

use super::item::{
    check_uuid, require_receive_id_type, Message, MessageId, MessagePath, ReceiveIdType, ThreadId,
};
use crate::{endpoint, validate, Extra, Invalid, Params};

/// Documented number of messages one merged forward takes (`message_id_list`): 1 to 100.
pub const MAX_MERGE_FORWARD_MESSAGES: usize = 100;

/// Query of [`ForwardMessage`], [`MergeForward`] and [`ForwardThread`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardQuery {
    /// The kind of id in `receive_id` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive_id_type: Option<ReceiveIdType>,
    /// De-duplication key: at most 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl ForwardQuery {
    /// A query naming the kind of receiver id.
    pub fn new(receive_id_type: ReceiveIdType) -> Self {
        ForwardQuery {
            receive_id_type: Some(receive_id_type),
            uuid: None,
        }
    }
}

impl Params for ForwardQuery {
    fn validate(&self) -> Result<(), Invalid> {
        require_receive_id_type(self.receive_id_type.as_ref())?;
        check_uuid(self.uuid.as_deref())
    }

    fn idempotency_key(&self) -> Option<&str> {
        self.uuid.as_deref()
    }
}

/// Body of [`ForwardMessage`] and [`ForwardThread`]: the receiver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardBody {
    /// The receiver, of the kind given by `receive_id_type` (required).
    #[serde(default)]
    pub receive_id: String,
}

impl Params for ForwardBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("receive_id", Some(&self.receive_id))
    }
}

// ---------------------------------------------------------------------------
// forward
// ---------------------------------------------------------------------------

endpoint! {
    /// Forwards one message to a user, chat or thread.
    pub struct ForwardMessage {
        operation: "im.v1.message.forward",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/:message_id/forward",
        path_params: MessagePath,
        query: ForwardQuery,
        body: ForwardBody,
        output: Message,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/forward",
    }
}

impl ForwardMessage {
    /// Forwards `message_id` to `receive_id`, an id of kind `receive_id_type`.
    pub fn new(
        message_id: impl Into<MessageId>,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
    ) -> Self {
        ForwardMessage {
            path: MessagePath::new(message_id),
            query: ForwardQuery::new(receive_id_type),
            body: ForwardBody {
                receive_id: receive_id.into(),
            },
        }
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.query.uuid = Some(uuid.into());
        self
    }
}

// ---------------------------------------------------------------------------
// merge_forward
// ---------------------------------------------------------------------------

/// Body of [`MergeForward`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeForwardBody {
    /// The receiver, of the kind given by `receive_id_type` (required).
    #[serde(default)]
    pub receive_id: String,
    /// The messages, all from one chat: 1 to [`MAX_MERGE_FORWARD_MESSAGES`].
    #[serde(default)]
    pub message_id_list: Vec<MessageId>,
}

impl Params for MergeForwardBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("receive_id", Some(&self.receive_id))?;
        validate::count(
            "message_id_list",
            &self.message_id_list,
            1,
            MAX_MERGE_FORWARD_MESSAGES,
        )
    }
}

/// Output of [`MergeForward`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MergeForwardOutput {
    /// The new merged message (its content is the fixed text
    /// `Merged and Forwarded Message`; [`GetMessage`](super::read::GetMessage)
    /// gives the sub-messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// Ids that were left out: not existing, recalled, invisible or of an
    /// unsupported kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_message_id_list: Option<Vec<MessageId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Forwards several messages of one chat as one merged message.
    pub struct MergeForward {
        operation: "im.v1.message.merge_forward",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/merge_forward",
        path_params: crate::NoParams,
        query: ForwardQuery,
        body: MergeForwardBody,
        output: MergeForwardOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/merge_forward",
    }
}

impl MergeForward {
    /// Merges `message_ids` and forwards them to `receive_id`, an id of
    /// kind `receive_id_type`.
    pub fn new<I>(
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
        message_ids: I,
    ) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MessageId>,
    {
        MergeForward {
            path: crate::NoParams {},
            query: ForwardQuery::new(receive_id_type),
            body: MergeForwardBody {
                receive_id: receive_id.into(),
                message_id_list: message_ids.into_iter().map(Into::into).collect(),
            },
        }
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.query.uuid = Some(uuid.into());
        self
    }
}

// ---------------------------------------------------------------------------
// thread forward
// ---------------------------------------------------------------------------

/// Path parameters of [`ForwardThread`]: `:thread_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPath {
    /// The thread id (`omt_...`).
    pub thread_id: ThreadId,
}

crate::path_params!(ThreadPath { thread_id });

impl ThreadPath {
    /// Path parameters for one thread.
    pub fn new(thread_id: impl Into<ThreadId>) -> Self {
        ThreadPath {
            thread_id: thread_id.into(),
        }
    }
}

endpoint! {
    /// Forwards a whole thread, as one merged message, to a user, chat or thread.
    pub struct ForwardThread {
        operation: "im.v1.thread.forward",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/threads/:thread_id/forward",
        path_params: ThreadPath,
        query: ForwardQuery,
        body: ForwardBody,
        output: Message,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/thread/forward",
    }
}

impl ForwardThread {
    /// Forwards `thread_id` to `receive_id`, an id of kind `receive_id_type`.
    pub fn new(
        thread_id: impl Into<ThreadId>,
        receive_id_type: ReceiveIdType,
        receive_id: impl Into<String>,
    ) -> Self {
        ForwardThread {
            path: ThreadPath::new(thread_id),
            query: ForwardQuery::new(receive_id_type),
            body: ForwardBody {
                receive_id: receive_id.into(),
            },
        }
    }

    /// Sets the de-duplication key (`uuid`), which makes retrying the call safe.
    pub fn with_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.query.uuid = Some(uuid.into());
        self
    }
}
