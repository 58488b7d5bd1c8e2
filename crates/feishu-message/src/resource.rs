//! The message resource download, answering the file itself.

use feishu_model::download::Download;
use feishu_model::im::message::resource::{
    MessageResourcePath, MessageResourceQuery, ResourceType,
};
use feishu_model::im::message::MessageId;
use feishu_model::NoParams;

feishu_model::endpoint! {
    /// Downloads a resource (image, file, audio, video) of a message, up to
    /// 100 MB: the bytes, with the type and name the answer gives. Not for
    /// stickers, cards, or merged forwards and their sub-messages.
    pub struct DownloadMessageResource {
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

impl DownloadMessageResource {
    /// Downloads the resource `file_key` of kind `resource_type` from `message_id`.
    pub fn new(
        message_id: impl Into<MessageId>,
        file_key: impl Into<String>,
        resource_type: ResourceType,
    ) -> Self {
        DownloadMessageResource {
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
