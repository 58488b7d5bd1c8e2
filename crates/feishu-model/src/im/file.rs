//! Files: upload a file (to send as a file, audio or video message) and
//! download a file the bot uploaded.
//!
//! The upload is `multipart/form-data` ([`crate::multipart`]); the download
//! answers the file's bytes ([`crate::download`]).

use serde::{Deserialize, Serialize};

use crate::download::Download;
use crate::multipart::{FilePart, Form};
use crate::{endpoint, validate, EncodedBody, Extra, Invalid, NoParams, Params};

/// Documented largest upload: 30 MB, taken as MiB (31,457,280 bytes), the
/// reading that refuses no file the server accepts.
pub const MAX_FILE_BYTES: usize = 30 * 1024 * 1024;

crate::wire_enum! {
    /// `file_type`: the kind of an uploaded file.
    pub enum FileType {
        /// `opus`: OPUS audio (convert other audio first, e.g.
        /// `ffmpeg -i in.mp3 -acodec libopus -ac 1 -ar 16000 out.opus`);
        /// sent as an `audio` message. Give its `duration`.
        Opus => "opus",
        /// `mp4`: MP4 video, sent as a `media` message. Give its `duration`.
        Mp4 => "mp4",
        /// `pdf`: a PDF document.
        Pdf => "pdf",
        /// `doc`: a Word document.
        Doc => "doc",
        /// `xls`: an Excel workbook.
        Xls => "xls",
        /// `ppt`: a PowerPoint presentation.
        Ppt => "ppt",
        /// `stream`: any other file.
        Stream => "stream",
    }
}

/// Body of [`UploadFile`], sent as `multipart/form-data` with the fields
/// `file_type`, `file_name`, `duration` (when set) and `file`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadFileBody {
    /// The kind of file.
    pub file_type: FileType,
    /// The file name with its extension (`测试视频.mp4`); required.
    pub file_name: String,
    /// Length of an audio or video file in milliseconds; without it the
    /// client shows no length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    /// The file: 1 byte to [`MAX_FILE_BYTES`]. Its `file_name` is the part's
    /// `filename` (`file_name` above when empty).
    pub file: FilePart,
}

impl Params for UploadFileBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("file_name", Some(&self.file_name))?;
        self.file.check_size("file", MAX_FILE_BYTES, "30 MB")
    }

    fn encoded_body(&self) -> Option<Result<EncodedBody, Invalid>> {
        let duration = self.duration.map(|ms| ms.to_string());
        let mut form = Form::new()
            .text("file_type", self.file_type.as_str())
            .text("file_name", self.file_name.as_str());
        if let Some(ms) = duration {
            form = form.text("duration", ms);
        }
        let part_name = if self.file.file_name.is_empty() {
            &self.file_name
        } else {
            &self.file.file_name
        };
        Some(form.file_named("file", part_name, &self.file).encode())
    }
}

/// Output of [`UploadFile`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct UploadFileOutput {
    /// The uploaded file's key (`file_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_key: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Uploads a file (audio, video, document, ...); answers its `file_key`.
    pub struct UploadFile {
        operation: "im.v1.file.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/files",
        path_params: NoParams,
        query: NoParams,
        body: UploadFileBody,
        output: UploadFileOutput,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/create",
    }
}

impl UploadFile {
    /// Uploads `bytes` as a file of the given type, named `file_name`.
    pub fn new(file_type: FileType, file_name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let file_name = file_name.into();
        UploadFile {
            path: NoParams {},
            query: NoParams {},
            body: UploadFileBody {
                file_type,
                file: FilePart::new(file_name.clone(), bytes),
                file_name,
                duration: None,
            },
        }
    }

    /// The same upload with the audio or video length in milliseconds.
    pub fn with_duration(mut self, milliseconds: u64) -> Self {
        self.body.duration = Some(milliseconds);
        self
    }
}

/// Path parameters of [`GetFile`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePath {
    /// The file's key, from [`UploadFile`].
    pub file_key: String,
}

crate::path_params!(FilePath { file_key });

endpoint! {
    /// Downloads a file the bot uploaded (at most 100 MB,
    /// [`MAX_DOWNLOAD_BYTES`](crate::download::MAX_DOWNLOAD_BYTES)).
    /// Answers the file's bytes.
    pub struct GetFile {
        operation: "im.v1.file.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/files/:file_key",
        path_params: FilePath,
        query: NoParams,
        body: NoParams,
        output: Download,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/file/get",
        response: Binary,
    }
}

impl GetFile {
    /// Downloads the file with the given key.
    pub fn new(file_key: impl Into<String>) -> Self {
        GetFile {
            path: FilePath {
                file_key: file_key.into(),
            },
            query: NoParams {},
            body: NoParams {},
        }
    }
}
