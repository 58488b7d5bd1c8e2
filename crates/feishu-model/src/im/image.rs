//! Images: upload an image (to send in a message or use as an avatar) and
//! download an image the bot uploaded.
//!
//! The upload is `multipart/form-data` ([`crate::multipart`]); the download
//! answers the image's bytes ([`crate::download`]).

use serde::{Deserialize, Serialize};

use crate::download::Download;
use crate::multipart::{FilePart, Form};
use crate::{endpoint, EncodedBody, Extra, Invalid, NoParams, Params};

/// Documented largest image: 10 MB, taken as MiB (10,485,760 bytes), the
/// reading that refuses no image the server accepts. Larger images can be
/// sent as files (`file` create), but not used as avatars.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

crate::wire_enum! {
    /// `image_type`: what an uploaded image is for.
    ///
    /// Accepted formats: JPG, JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF and HEIC
    /// (TIFF and HEIC are stored as JPG). Resolution: a GIF at most
    /// 2000 x 2000, other images at most 12000 x 12000, an avatar at most
    /// 4096 x 4096 (code 234039; not checked before sending).
    pub enum ImageType {
        /// `message`: to send in a message (`image_key` of image and post
        /// content); only these images can be downloaded again.
        Message => "message",
        /// `avatar`: to use as a chat or user avatar.
        Avatar => "avatar",
    }
}

/// Body of [`UploadImage`]: the image and what it is for, sent as
/// `multipart/form-data` with the fields `image_type` and `image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadImageBody {
    /// What the image is for.
    pub image_type: ImageType,
    /// The image: 1 byte to [`MAX_IMAGE_BYTES`].
    pub image: FilePart,
}

impl UploadImageBody {
    /// The form: `image_type`, then the image.
    fn form(&self) -> Form<'_> {
        Form::new()
            .text("image_type", self.image_type.as_str())
            .file("image", &self.image)
    }
}

impl Params for UploadImageBody {
    fn validate(&self) -> Result<(), Invalid> {
        self.image.check_size("image", MAX_IMAGE_BYTES, "10 MB")
    }

    fn encoded_body(&self) -> Option<Result<EncodedBody, Invalid>> {
        Some(self.form().encode())
    }
}

/// Output of [`UploadImage`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct UploadImageOutput {
    /// The uploaded image's key (`img_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_key: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Uploads an image, for a message or an avatar; answers its `image_key`.
    pub struct UploadImage {
        operation: "im.v1.image.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/images",
        path_params: NoParams,
        query: NoParams,
        body: UploadImageBody,
        output: UploadImageOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create",
    }
}

impl UploadImage {
    /// Uploads `bytes` as an image of the given type, named `file_name`.
    pub fn new(image_type: ImageType, file_name: impl Into<String>, bytes: Vec<u8>) -> Self {
        UploadImage {
            path: NoParams {},
            query: NoParams {},
            body: UploadImageBody {
                image_type,
                image: FilePart::new(file_name, bytes),
            },
        }
    }
}

/// Path parameters of [`GetImage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImagePath {
    /// The image's key, from [`UploadImage`].
    pub image_key: String,
}

crate::path_params!(ImagePath { image_key });

endpoint! {
    /// Downloads an image the bot uploaded with type `message` (avatars
    /// cannot be downloaded). Answers the image's bytes.
    pub struct GetImage {
        operation: "im.v1.image.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/images/:image_key",
        path_params: ImagePath,
        query: NoParams,
        body: NoParams,
        output: Download,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/get",
        response: Binary,
    }
}

impl GetImage {
    /// Downloads the image with the given key.
    pub fn new(image_key: impl Into<String>) -> Self {
        GetImage {
            path: ImagePath {
                image_key: image_key.into(),
            },
            query: NoParams {},
            body: NoParams {},
        }
    }
}
