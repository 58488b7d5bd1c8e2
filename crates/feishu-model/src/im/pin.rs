//! Pins: pin a message in its chat, remove the pin, and list a chat's pins.

use serde::{Deserialize, Serialize};

use crate::im::message_path::MessagePath;
use crate::{
    endpoint, validate, ChatId, Empty, Extra, Invalid, NoParams, Page, PagedQuery, Params,
};

/// Documented maximum `page_size` of the pin list.
pub const MAX_PAGE_SIZE: u32 = 50;

crate::wire_enum! {
    /// `operator_id_type`: the kind of id in a pin's `operator_id`.
    pub enum PinOperatorIdType {
        /// `open_id`: a user pinned the message.
        OpenId => "open_id",
        /// `app_id`: a bot pinned the message.
        AppId => "app_id",
    }
}

/// A pinned message (`pin`): who pinned it, where and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Pin {
    /// The pinned message's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The chat the message is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<ChatId>,
    /// Who pinned it: a user's open_id or a bot's app id, per `operator_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// The kind of `operator_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id_type: Option<PinOperatorIdType>,
    /// When it was pinned: Unix time in milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`CreatePin`]: the message to pin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePinBody {
    /// The message id (required).
    #[serde(default)]
    pub message_id: String,
}

impl Params for CreatePinBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("message_id", Some(&self.message_id))
    }
}

/// Output of [`CreatePin`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CreatePinOutput {
    /// The pin (the existing one when the message was already pinned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Pin>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Pins a message in its chat. Pinning a pinned message answers the
    /// existing pin, so repeating the call is safe.
    pub struct CreatePin {
        operation: "im.v1.pin.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/pins",
        path_params: NoParams,
        query: NoParams,
        body: CreatePinBody,
        output: CreatePinOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/create",
        idempotent: true,
    }
}

endpoint! {
    /// Removes a message's pin. A message that is not pinned (or was
    /// recalled) answers success too.
    pub struct DeletePin {
        operation: "im.v1.pin.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/pins/:message_id",
        path_params: MessagePath,
        query: NoParams,
        body: NoParams,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/delete",
    }
}

impl CreatePin {
    /// Pins the given message.
    pub fn new(message_id: impl Into<String>) -> Self {
        CreatePin {
            path: NoParams {},
            query: NoParams {},
            body: CreatePinBody {
                message_id: message_id.into(),
            },
        }
    }
}

impl DeletePin {
    /// Removes the given message's pin.
    pub fn new(message_id: impl Into<String>) -> Self {
        DeletePin {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

/// Query of [`ListPins`]: the chat, an optional time range, the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPinsQuery {
    /// The chat (required).
    #[serde(default)]
    pub chat_id: ChatId,
    /// Earliest pin time, Unix milliseconds as decimal text; from the
    /// chat's first pin when absent. Less than `end_time` when both are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Latest pin time, Unix milliseconds as decimal text; up to the
    /// newest pin when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// `page_size` (default 20, 1 to [`MAX_PAGE_SIZE`]) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for ListPinsQuery {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("chat_id", Some(&self.chat_id))?;
        let start = validate::unix_time("start_time", self.start_time.as_deref(), "milliseconds")?;
        let end = validate::unix_time("end_time", self.end_time.as_deref(), "milliseconds")?;
        if let (Some(start), Some(end)) = (start, end) {
            if start >= end {
                return Err(Invalid::new(
                    "start_time",
                    format!("must be less than end_time ({start} >= {end})"),
                ));
            }
        }
        self.page.check(MAX_PAGE_SIZE)
    }
}

impl PagedQuery for ListPinsQuery {
    fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

crate::common::page_output! {
    /// Output of [`ListPins`]: one page of pins, newest first.
    pub struct ListPinsOutput { items: Pin, "The pins on this page, by pin time, newest first." }
}

endpoint! {
    /// Lists the pins of a chat, newest first, one page at a time.
    pub struct ListPins {
        operation: "im.v1.pin.list",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/pins",
        path_params: NoParams,
        query: ListPinsQuery,
        body: NoParams,
        output: ListPinsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/pin/list",
    }
}

impl ListPins {
    /// The first page of a chat's pins, with the server's default page size.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        ListPins {
            path: NoParams {},
            query: ListPinsQuery {
                chat_id: chat_id.into(),
                ..Default::default()
            },
            body: NoParams {},
        }
    }
}
