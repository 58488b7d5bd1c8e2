//! Uploaded images and files: their bytes, kind, name and owner, under
//! generated `img_v3_...` / `file_v3_...` keys.

use std::collections::HashMap;

use bytes::Bytes;
use feishu_model::im::file::FileType;
use feishu_model::im::image::ImageType;
use feishu_model::{AppId, TenantKey};

/// What an upload is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UploadKind {
    /// An image, for messages or avatars.
    Image(ImageType),
    /// A file of the given type.
    File(FileType),
}

impl UploadKind {
    /// `image` or `file`, as the state shows it.
    pub(crate) fn resource(&self) -> &'static str {
        match self {
            UploadKind::Image(_) => "image",
            UploadKind::File(_) => "file",
        }
    }

    /// The `image_type` or `file_type` value.
    pub(crate) fn type_name(&self) -> &str {
        match self {
            UploadKind::Image(t) => t.as_str(),
            UploadKind::File(t) => t.as_str(),
        }
    }
}

/// One uploaded image or file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Upload {
    pub(crate) key: String,
    pub(crate) kind: UploadKind,
    /// The file name (the form's `file_name`, or the part's `filename`).
    pub(crate) name: String,
    /// The content type the download answers.
    pub(crate) content_type: String,
    pub(crate) bytes: Bytes,
    /// Length of an audio or video file in milliseconds.
    pub(crate) duration: Option<u64>,
    /// The app that uploaded it: the only one that may download it by key.
    pub(crate) owner: AppId,
    pub(crate) tenant: TenantKey,
    pub(crate) at_ms: i64,
}

/// Every upload, by key, in upload order.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    by_key: HashMap<String, Upload>,
    order: Vec<String>,
}

impl Uploads {
    /// Stores an upload.
    pub(crate) fn insert(&mut self, upload: Upload) {
        self.order.push(upload.key.clone());
        self.by_key.insert(upload.key.clone(), upload);
    }

    /// The upload with this key.
    pub(crate) fn get(&self, key: &str) -> Option<&Upload> {
        self.by_key.get(key)
    }

    /// The uploads in upload order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Upload> + '_ {
        self.order.iter().filter_map(|k| self.by_key.get(k))
    }
}
