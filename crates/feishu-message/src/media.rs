//! Images and files: upload (multipart) and download (bytes).

use feishu_model::im::file::{FileType, GetFile, UploadFile};
use feishu_model::im::image::{GetImage, ImageType, UploadImage};
use feishu_transport::Call;

use crate::Message;

/// Image calls: `message.images()`.
#[derive(Debug, Clone)]
pub struct Images {
    pub(crate) message: Message,
}

impl Images {
    /// Uploads an image (multipart): `POST /open-apis/im/v1/images`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create)).
    /// Answers the `image_key` to send.
    pub fn upload(
        &self,
        image_type: ImageType,
        file_name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Call<UploadImage> {
        self.message
            .client()
            .call(UploadImage::new(image_type, file_name, bytes))
    }

    /// Downloads an image the bot uploaded: `GET /open-apis/im/v1/images/:image_key`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get)).
    /// The default transport reads a download's bytes up to 100 MB.
    pub fn download(&self, image_key: impl Into<String>) -> Call<GetImage> {
        self.message.client().call(GetImage::new(image_key))
    }
}

/// File calls: `message.files()`.
#[derive(Debug, Clone)]
pub struct Files {
    pub(crate) message: Message,
}

impl Files {
    /// Uploads a file (multipart): `POST /open-apis/im/v1/files`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create)).
    /// An audio or video's length with `.configure(|e| e.body.duration = Some(ms))`.
    pub fn upload(
        &self,
        file_type: FileType,
        file_name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Call<UploadFile> {
        self.message
            .client()
            .call(UploadFile::new(file_type, file_name, bytes))
    }

    /// Downloads a file the bot uploaded: `GET /open-apis/im/v1/files/:file_key`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/get)).
    /// Files up to 100 MB (the documented maximum): the default transport
    /// reads a download's bytes up to that size, past its 4 MiB JSON limit.
    pub fn download(&self, file_key: impl Into<String>) -> Call<GetFile> {
        self.message.client().call(GetFile::new(file_key))
    }
}
