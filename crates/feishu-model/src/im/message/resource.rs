//! Download an image, file, audio or video a message contains.
//!
//! The successful answer is the file itself (HTTP 200, its kind in the
//! `Content-Type` header; the page: 返回文件二进制流), not a JSON envelope;
//! failures are the usual JSON envelope with a code. The output is a
//! [`Download`], as for the image and file downloads.

use serde::{Deserialize, Serialize};

use super::item::MessageId;
use crate::download::Download;
use crate::{endpoint, Invalid, NoParams, Params};

/// Documented largest resource the endpoint serves: 100 MB.
pub const MAX_RESOURCE_BYTES: u64 = 100 * 1024 * 1024;

crate::wire_enum! {
    /// `type`: the kind of resource to download.
    pub enum ResourceType {
        /// `image`: an image message's image, or an image in rich text.
        Image => "image",
        /// `file`: a file, audio or video (not stickers).
        File => "file",
    }
}

/// Path parameters of [`GetMessageResource`]: `:message_id` and `:file_key`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageResourcePath {
    /// The message holding the resource.
    pub message_id: MessageId,
    /// The resource's key, as found in the message content; it must belong
    /// to `message_id`.
    pub file_key: String,
}

crate::path_params!(MessageResourcePath {
    message_id,
    file_key
});

/// Query of [`GetMessageResource`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageResourceQuery {
    /// The kind of resource (required).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<ResourceType>,
}

impl Params for MessageResourceQuery {
    fn validate(&self) -> Result<(), Invalid> {
        match self.resource_type {
            Some(_) => Ok(()),
            None => Err(Invalid::new("type", "is required")),
        }
    }
}

endpoint! {
    /// Downloads a resource (image, file, audio, video) of a message, up to
    /// 100 MB. Not for stickers, cards, or merged forwards and their
    /// sub-messages.
    ///
    /// The success answer is the file's bytes, type and name: a
    /// [`Download`].
    pub struct GetMessageResource {
        operation: "im.v1.message_resource.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/messages/:message_id/resources/:file_key",
        path_params: MessageResourcePath,
        query: MessageResourceQuery,
        body: NoParams,
        output: Download,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get",
        response: Binary,
    }
}

impl GetMessageResource {
    /// Downloads the resource `file_key` of kind `resource_type` from `message_id`.
    pub fn new(
        message_id: impl Into<MessageId>,
        file_key: impl Into<String>,
        resource_type: ResourceType,
    ) -> Self {
        GetMessageResource {
            path: MessageResourcePath {
                message_id: message_id.into(),
                file_key: file_key.into(),
            },
            query: MessageResourceQuery {
                resource_type: Some(resource_type),
            },
            body: NoParams {},
        }
    }
}
